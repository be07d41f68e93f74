/**
 * The system BLAS, loaded at run time: lk_matmul_with (LK_GEMM_AUTO) sends large products to
 * its cblas_sgemm / cblas_dgemm when one is installed (no link-time dependency; without one, or for a product
 * whose layout BLAS cannot take, the kernel's own GEMM runs). Only an optimized BLAS is
 * taken: OpenBLAS (Debian's libopenblas.so.0), or a generic libcblas.so.3 / libblas.so.3 that
 * is OpenBLAS, BLIS or MKL underneath; the netlib reference BLAS is slower than our GEMM.
 */
#include "blas.h"
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

/** CBLAS's enumerations (cblas.h): row-major storage, an operand as stored or transposed. */
enum { LK_CBLAS_ROW_MAJOR = 101, LK_CBLAS_NO_TRANS = 111, LK_CBLAS_TRANS = 112 };

/** cblas_sgemm and cblas_dgemm with 32-bit integers (the LP64 interface Debian ships). */
typedef void (*lk_sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                            float *, int);
typedef void (*lk_dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int,
                            double, double *, int);

/** The loaded library (set once by lk_blas_load, read-only afterwards but for `threads`). */
static struct {
  lk_sgemm_fn sgemm;
  lk_dgemm_fn dgemm;
  const char *name;             /**< The file name it was opened by, or NULL when none was loaded. */
  void (*set_threads)(int);     /**< OpenBLAS's openblas_set_num_threads, or NULL. */
  int (*get_threads)(void);     /**< OpenBLAS's openblas_get_num_threads, or NULL. */
  pthread_mutex_t lock;         /**< Held while setting OpenBLAS's threads and multiplying with them. */
} lk_blas = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t lk_blas_once = PTHREAD_ONCE_INIT;

/** Whether the library behind `handle` is an optimized BLAS, by a symbol only each one has. */
static bool lk_blas_optimized(void *handle) {
  static const char *const markers[] = {"openblas_get_config", "bli_info_get_version_str", "MKL_Get_Version"};
  for (size_t i = 0; i < sizeof markers / sizeof *markers; i++)
    if (dlsym(handle, markers[i])) return true;
  return false;
}

/** Opens the first optimized BLAS with both GEMMs (and OpenBLAS's thread setting). */
static void lk_blas_load(void) {
  static const char *const names[] = {"libopenblas.so.0", "libcblas.so.3", "libblas.so.3"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    void *handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) continue;
    lk_sgemm_fn sgemm = (lk_sgemm_fn)dlsym(handle, "cblas_sgemm");
    lk_dgemm_fn dgemm = (lk_dgemm_fn)dlsym(handle, "cblas_dgemm");
    if (!sgemm || !dgemm || !lk_blas_optimized(handle)) {
      dlclose(handle);
      continue;
    }
    lk_blas.set_threads = (void (*)(int))dlsym(handle, "openblas_set_num_threads");
    lk_blas.get_threads = (int (*)(void))dlsym(handle, "openblas_get_num_threads");
    lk_blas.sgemm = sgemm, lk_blas.dgemm = dgemm, lk_blas.name = names[i];
    return; /* kept open for the life of the process */
  }
}

const char *lk_blas_library(void) {
  pthread_once(&lk_blas_once, lk_blas_load);
  return lk_blas.name;
}

/** The threads OpenBLAS multiplied the calling thread's last product with (lk_blas_threads). */
static _Thread_local int32_t lk_blas_last_threads = 0;

int32_t lk_blas_threads(void) { return lk_blas_last_threads; }

/**
 * How BLAS reads an operand of rows x cols with strides rs, cs: *trans and *ld set and true
 * when one stride is 1 and the other spans a row (column) at least; false otherwise (a
 * broadcast or gapped operand, which only the kernel's GEMM takes).
 */
static bool lk_blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, int *trans, int *ld) {
  if (cs == 1 && rs >= cols && rs <= INT_MAX) {
    *trans = LK_CBLAS_NO_TRANS, *ld = (int)rs;
    return true;
  }
  if (rs == 1 && cs >= rows && cs <= INT_MAX) {
    *trans = LK_CBLAS_TRANS, *ld = (int)cs;
    return true;
  }
  return false;
}

bool lk_blas_gemm(bool any_size, int32_t dtype, int64_t batch, const int64_t *a_off, const int64_t *b_off,
                  int64_t n, int64_t k, int64_t m, const void *a, int64_t a_rs, int64_t a_cs, const void *b,
                  int64_t b_rs, int64_t b_cs, void *c) {
  if (!lk_dtype_ok(dtype) || batch <= 0 || n <= 0 || k <= 0 || m <= 0 || !a || !b || !c || !a_off || !b_off)
    return false;
  if (n > INT_MAX || k > INT_MAX || m > INT_MAX) return false;
  if (!any_size && (double)n * (double)k * (double)m < LK_BLAS_MIN_MACS) return false;
  if ((double)batch * (double)n * (double)m * (double)lk_item_size(dtype) > (double)SIZE_MAX) return false;
  int ta, tb, lda, ldb;
  if (!lk_blas_layout(n, k, a_rs, a_cs, &ta, &lda) || !lk_blas_layout(k, m, b_rs, b_cs, &tb, &ldb)) return false;
  if (!lk_blas_library()) return false;
  const size_t item = lk_item_size(dtype), count = (size_t)n * (size_t)m;
  /* OpenBLAS's threads are process-wide: set to the caller's limit (as the kernel's own GEMM
     would use) under the lock, which products of callers with other limits wait for. */
  pthread_mutex_lock(&lk_blas.lock);
  const int threads = lk_threads() < 64 ? lk_threads() : 64;
  if (lk_blas.set_threads && (!lk_blas.get_threads || lk_blas.get_threads() != threads)) lk_blas.set_threads(threads);
  lk_blas_last_threads = lk_blas.get_threads ? lk_blas.get_threads() : 0;
  for (int64_t t = 0; t < batch; t++) {
    const char *at = (const char *)a + a_off[t] * (int64_t)item, *bt = (const char *)b + b_off[t] * (int64_t)item;
    char *ct = (char *)c + (size_t)t * count * item;
    if (dtype == LK_F32)
      lk_blas.sgemm(LK_CBLAS_ROW_MAJOR, ta, tb, (int)n, (int)m, (int)k, 1.0f, (const float *)at, lda,
                    (const float *)bt, ldb, 0.0f, (float *)ct, (int)m);
    else
      lk_blas.dgemm(LK_CBLAS_ROW_MAJOR, ta, tb, (int)n, (int)m, (int)k, 1.0, (const double *)at, lda,
                    (const double *)bt, ldb, 0.0, (double *)ct, (int)m);
  }
  pthread_mutex_unlock(&lk_blas.lock);
  return true;
}
