/**
 * Batched row-major matmul, blocked over columns and depth so a block of B stays in L2,
 * with the inner loop c[i, j] += a[i, p] * b[p, j] vectorized over j. Compiled twice:
 * baseline and AVX2+FMA, chosen at run time from the CPU's features.
 */
#include "internal.h"

/** Columns of B per block. */
#define LK_MM_NC 256
/** Rows of B (depth) per block. */
#define LK_MM_KC 256

/** Defines NAME(a, b, c, n, k, m): c (n x m) = a (n x k) times b (k x m), all contiguous. */
#define LK_DEFINE_MATMUL(NAME, T, ATTR)                                                    \
  ATTR static void NAME(const T *restrict a, const T *restrict b, T *restrict c, int64_t n, \
                        int64_t k, int64_t m) {                                            \
    for (int64_t i = 0; i < n * m; i++) c[i] = 0;                                          \
    for (int64_t jj = 0; jj < m; jj += LK_MM_NC) {                                         \
      const int64_t jn = (m - jj < LK_MM_NC) ? m - jj : LK_MM_NC;                          \
      for (int64_t pp = 0; pp < k; pp += LK_MM_KC) {                                       \
        const int64_t pe = (k - pp < LK_MM_KC) ? k : pp + LK_MM_KC;                        \
        for (int64_t i = 0; i < n; i++) {                                                  \
          T *restrict ci = c + i * m + jj;                                                 \
          for (int64_t p = pp; p < pe; p++) {                                              \
            const T av = a[i * k + p];                                                     \
            const T *restrict bp = b + p * m + jj;                                         \
            for (int64_t j = 0; j < jn; j++) ci[j] += av * bp[j];                          \
          }                                                                                \
        }                                                                                  \
      }                                                                                    \
    }                                                                                      \
  }

#define LK_AVX2 __attribute__((target("avx2,fma")))

LK_DEFINE_MATMUL(lk_mm_f32, float, )
LK_DEFINE_MATMUL(lk_mm_f64, double, )
LK_DEFINE_MATMUL(lk_mm_f32_avx2, float, LK_AVX2)
LK_DEFINE_MATMUL(lk_mm_f64_avx2, double, LK_AVX2)

/** Whether the CPU has AVX2 and FMA (the check reads the runtime's cached CPU model). */
static bool lk_has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

lk_status lk_matmul(int32_t dtype, int64_t batch, const int64_t *a_off, const int64_t *b_off,
                    int64_t n, int64_t k, int64_t m, const void *a, const void *b, void *c) {
  if (!lk_dtype_ok(dtype) || batch < 0 || n < 0 || k < 0 || m < 0) return LK_EINVAL;
  if (batch == 0 || n == 0 || m == 0) return LK_OK;
  if (!c || !a_off || !b_off || (k > 0 && (!a || !b))) return LK_EINVAL;
  const bool avx2 = lk_has_avx2();
  for (int64_t t = 0; t < batch; t++) {
    if (dtype == LK_F32) {
      const float *at = (const float *)a + a_off[t], *bt = (const float *)b + b_off[t];
      float *ct = (float *)c + t * n * m;
      (avx2 ? lk_mm_f32_avx2 : lk_mm_f32)(at, bt, ct, n, k, m);
    } else {
      const double *at = (const double *)a + a_off[t], *bt = (const double *)b + b_off[t];
      double *ct = (double *)c + t * n * m;
      (avx2 ? lk_mm_f64_avx2 : lk_mm_f64)(at, bt, ct, n, k, m);
    }
  }
  return LK_OK;
}
