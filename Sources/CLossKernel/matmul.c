/**
 * lk_matmul: validates a batched product, picks the GEMM compiled for the widest instruction
 * set the CPU has (matmul_loop.h; AVX-512 or AVX2 on x86-64 CPUs that have them), and
 * splits large products over two threads. Each element of C is computed by one thread in
 * a fixed order, so results do not depend on timing. lk_matmul_with may first offer the
 * product to the system BLAS (blas.c).
 */
#include "blas.h"
#include "matmul.h"
#include <string.h>

/** Multiply-adds below which a call stays on the calling thread. */
#define LK_MM_PARALLEL_MIN (1 << 22)

/** One thread's share of a product. */
typedef struct lk_gemm_job {
  lk_gemm_fn fn;      /**< The GEMM for the dtype and CPU. */
  const lk_gemm *g;   /**< The product. */
  lk_gemm_part part;  /**< This thread's block. */
  lk_status status;   /**< Its result. */
} lk_gemm_job;

/**
 * The GEMM for dtype and an lk_isa, or NULL if the CPU lacks that instruction set (AVX2 and
 * AVX-512 exist only on x86-64; elsewhere the portable GEMM is the best).
 */
static lk_gemm_fn lk_gemm_select(int32_t dtype, int32_t isa) {
  const bool f32 = dtype == LK_F32;
#if defined(__x86_64__)
  __builtin_cpu_init(); /* reads the runtime's cached CPU model */
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f"); /* compiled with avx2,fma too */
  if (isa == LK_ISA_AVX512 || (isa == LK_ISA_BEST && avx512))
    return !avx512 ? NULL : f32 ? lk_gemm_f32_avx512 : lk_gemm_f64_avx512;
  if (isa == LK_ISA_AVX2 || (isa == LK_ISA_BEST && avx2))
    return !avx2 ? NULL : f32 ? lk_gemm_f32_avx2 : lk_gemm_f64_avx2;
#endif
  if (isa == LK_ISA_GENERIC || isa == LK_ISA_BEST)
    return f32 ? lk_gemm_f32_generic : lk_gemm_f64_generic;
  return NULL;
}

/** Runs one job, recording its status. */
static void *lk_gemm_job_main(void *arg) {
  lk_gemm_job *job = arg;
  job->status = job->fn(job->g, &job->part);
  return NULL;
}

/** Runs two disjoint parts, the second on a helper thread when one can be started. */
static lk_status lk_gemm_run_pair(lk_gemm_fn fn, const lk_gemm *g, lk_gemm_part first,
                                  lk_gemm_part second) {
  lk_gemm_job jobs[2] = {{fn, g, first, LK_OK}, {fn, g, second, LK_OK}};
  lk_run_pair(lk_gemm_job_main, &jobs[0], &jobs[1]);
  return jobs[0].status != LK_OK ? jobs[0].status : jobs[1].status;
}

/**
 * Computes batch item t on two threads: rows split in halves, or columns (at a multiple
 * of 64 when there are enough) when C is wider than tall, so each thread packs half of the
 * larger operand. A 1 x 1 product stays on one thread.
 */
static lk_status lk_gemm_split_item(lk_gemm_fn fn, const lk_gemm *g, int64_t t) {
  lk_gemm_part first = {t, t + 1, 0, g->n, 0, g->m}, second = first;
  if (g->n < 2 && g->m < 2) return fn(g, &first);
  if (g->m > g->n) {
    const int64_t aligned = (g->m / 2 + 63) / 64 * 64;
    first.j1 = second.j0 = aligned < g->m ? aligned : g->m / 2;
  } else {
    first.i1 = second.i0 = g->n / 2;
  }
  return lk_gemm_run_pair(fn, g, first, second);
}

lk_status lk_matmul(int32_t dtype, int64_t batch, const int64_t *a_off, const int64_t *b_off,
                    int64_t n, int64_t k, int64_t m, const void *a, int64_t a_rs, int64_t a_cs,
                    const void *b, int64_t b_rs, int64_t b_cs, void *c) {
  return lk_matmul_isa(LK_ISA_BEST, dtype, batch, a_off, b_off, n, k, m, a, a_rs, a_cs, b, b_rs,
                       b_cs, c);
}

lk_status lk_matmul_with(int32_t path, int32_t *used_blas, int32_t dtype, int64_t batch,
                         const int64_t *a_off, const int64_t *b_off, int64_t n, int64_t k,
                         int64_t m, const void *a, int64_t a_rs, int64_t a_cs, const void *b,
                         int64_t b_rs, int64_t b_cs, void *c) {
  if (used_blas) *used_blas = 0;
  if (path != LK_GEMM_AUTO && path != LK_GEMM_OWN && path != LK_GEMM_SYSTEM) return LK_EINVAL;
  if (path != LK_GEMM_OWN && lk_blas_gemm(path == LK_GEMM_SYSTEM, dtype, batch, a_off, b_off, n, k,
                                          m, a, a_rs, a_cs, b, b_rs, b_cs, c)) {
    if (used_blas) *used_blas = 1;
    return LK_OK;
  }
  return lk_matmul_isa(LK_ISA_BEST, dtype, batch, a_off, b_off, n, k, m, a, a_rs, a_cs, b, b_rs,
                       b_cs, c);
}

lk_status lk_matmul_isa(int32_t isa, int32_t dtype, int64_t batch, const int64_t *a_off,
                        const int64_t *b_off, int64_t n, int64_t k, int64_t m, const void *a,
                        int64_t a_rs, int64_t a_cs, const void *b, int64_t b_rs, int64_t b_cs,
                        void *c) {
  const lk_gemm_fn fn = lk_dtype_ok(dtype) ? lk_gemm_select(dtype, isa) : NULL;
  if (!fn || batch < 0 || n < 0 || k < 0 || m < 0) return LK_EINVAL;
  if (batch == 0 || n == 0 || m == 0) return LK_OK;
  if (!c || !a_off || !b_off || (k > 0 && (!a || !b))) return LK_EINVAL;
  const double items = (double)n * (double)m, total = (double)batch * items;
  if (total * (double)lk_item_size(dtype) > (double)SIZE_MAX) return LK_EINVAL;
  if (k == 0) {
    memset(c, 0, (size_t)total * lk_item_size(dtype));
    return LK_OK;
  }
  const lk_gemm g = {n, k, m, a, b, c, a_off, b_off, a_rs, a_cs, b_rs, b_cs};
  const lk_gemm_part all = {0, batch, 0, n, 0, m};
  const double macs = items * (double)k;
  if (macs * (double)batch < LK_MM_PARALLEL_MIN || !lk_two_cores())
    return fn(&g, &all);
  if (macs < LK_MM_PARALLEL_MIN) { /* many small products: half of the batch each */
    lk_gemm_part first = all, second = all;
    first.t1 = second.t0 = batch / 2;
    return lk_gemm_run_pair(fn, &g, first, second);
  }
  for (int64_t t = 0; t < batch; t++) {
    const lk_status st = lk_gemm_split_item(fn, &g, t);
    if (st != LK_OK) return st;
  }
  return LK_OK;
}
