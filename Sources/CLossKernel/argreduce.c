/** argmax / argmin along the middle axis of [outer, n, inner]: first occurrence wins, NaN is extreme. */
#include "internal.h"
#include <string.h>

/** Defines the typed argreduce; BETTER(v, best) says whether v replaces the current best. */
#define LK_DEFINE_ARG(NAME, T, BETTER)                                                     \
  static void NAME(const T *x, int64_t outer, int64_t n, int64_t inner, T *best, T *out) { \
    if (inner == 1) { /* contiguous rows: keep the running best in registers */            \
      for (int64_t o = 0; o < outer; o++, x += n) {                                        \
        T b = x[0];                                                                        \
        int64_t bi = 0;                                                                    \
        for (int64_t k = 1; k < n; k++) {                                                  \
          const bool take = BETTER(x[k], b);                                               \
          b = take ? x[k] : b;                                                             \
          bi = take ? k : bi;                                                              \
        }                                                                                  \
        out[o] = (T)bi;                                                                    \
      }                                                                                    \
      return;                                                                              \
    }                                                                                      \
    for (int64_t o = 0; o < outer; o++, x += n * inner, out += inner) {                    \
      memcpy(best, x, (size_t)inner * sizeof(T));                                          \
      for (int64_t i = 0; i < inner; i++) out[i] = 0;                                      \
      for (int64_t k = 1; k < n; k++) {                                                    \
        const T *row = x + k * inner;                                                      \
        for (int64_t i = 0; i < inner; i++) {                                              \
          const T v = row[i], b = best[i];                                                 \
          const bool take = BETTER(v, b);                                                  \
          best[i] = take ? v : b;                                                          \
          out[i] = take ? (T)k : out[i];                                                   \
        }                                                                                  \
      }                                                                                    \
    }                                                                                      \
  }

#define LK_MAX_BETTER(v, b) (!((v) <= (b)) && (b) == (b))
#define LK_MIN_BETTER(v, b) (!((v) >= (b)) && (b) == (b))

LK_DEFINE_ARG(lk_argmax_f32, float, LK_MAX_BETTER)
LK_DEFINE_ARG(lk_argmax_f64, double, LK_MAX_BETTER)
LK_DEFINE_ARG(lk_argmin_f32, float, LK_MIN_BETTER)
LK_DEFINE_ARG(lk_argmin_f64, double, LK_MIN_BETTER)

lk_status lk_argreduce(int32_t dtype, int32_t is_max, int64_t outer, int64_t n, int64_t inner,
                       const void *src, void *dst) {
  if (!lk_dtype_ok(dtype) || outer < 0 || n < 1 || inner < 0) return LK_EINVAL;
  if (outer == 0 || inner == 0) return LK_OK;
  if (!src || !dst) return LK_EINVAL;
  void *best = lk_scratch((size_t)inner * lk_item_size(dtype));
  if (!best) return LK_ENOMEM;
  if (dtype == LK_F32)
    (is_max ? lk_argmax_f32 : lk_argmin_f32)(src, outer, n, inner, best, dst);
  else
    (is_max ? lk_argmax_f64 : lk_argmin_f64)(src, outer, n, inner, best, dst);
  free(best);
  return LK_OK;
}
