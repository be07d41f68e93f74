/** Cache-blocked transpose of the last two axis groups of a contiguous tensor. */
#include "internal.h"

/** Square block edge: a block of source rows and one of destination rows stay in L1. */
#define LK_TB 32

/** Defines NAME: dst [outer, b, a] = src [outer, a, b] swapped, block by block. */
#define LK_DEFINE_TRANSPOSE(NAME, T)                                                         \
  static void NAME(const T *restrict src, T *restrict dst, int64_t outer, int64_t a,        \
                   int64_t b) {                                                              \
    for (int64_t o = 0; o < outer; o++) {                                                    \
      const T *restrict s = src + o * a * b;                                                 \
      T *restrict d = dst + o * a * b;                                                       \
      for (int64_t i0 = 0; i0 < a; i0 += LK_TB) {                                            \
        const int64_t i1 = a - i0 < LK_TB ? a : i0 + LK_TB;                                  \
        for (int64_t j0 = 0; j0 < b; j0 += LK_TB) {                                          \
          const int64_t j1 = b - j0 < LK_TB ? b : j0 + LK_TB;                                \
          for (int64_t j = j0; j < j1; j++)                                                  \
            for (int64_t i = i0; i < i1; i++) d[j * a + i] = s[i * b + j];                   \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  }

LK_DEFINE_TRANSPOSE(lk_transpose_f32, float)
LK_DEFINE_TRANSPOSE(lk_transpose_f64, double)

lk_status lk_transpose(int32_t dtype, int64_t outer, int64_t a, int64_t b, const void *src, void *dst) {
  if (!lk_dtype_ok(dtype) || outer < 0 || a < 0 || b < 0) return LK_EINVAL;
  if (outer == 0 || a == 0 || b == 0) return LK_OK;
  if (!src || !dst) return LK_EINVAL;
  if (dtype == LK_F32) lk_transpose_f32(src, dst, outer, a, b);
  else lk_transpose_f64(src, dst, outer, a, b);
  return LK_OK;
}
