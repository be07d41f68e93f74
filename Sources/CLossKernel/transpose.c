/** Cache-blocked transpose of the last two axis groups of a contiguous tensor. */
#include "internal.h"
#include "program.h"

/** Square block edge: a block of source rows and one of destination rows stay in L1. */
#define LK_TB 32

/** Rows [i_begin, i_end) of every source matrix, transposed by one thread. */
typedef struct lk_transpose_job {
  int32_t dtype;
  const void *src;
  void *dst;
  int64_t outer, a, b, i_begin, i_end;
} lk_transpose_job;

/** Defines NAME: dst [outer, b, a] = src [outer, a, b] swapped, block by block, rows [i_begin, i_end). */
#define LK_DEFINE_TRANSPOSE(NAME, T)                                                          \
  static void NAME(const lk_transpose_job *job) {                                            \
    const int64_t a = job->a, b = job->b;                                                     \
    for (int64_t o = 0; o < job->outer; o++) {                                                \
      const T *restrict s = (const T *)job->src + o * a * b;                                  \
      T *restrict d = (T *)job->dst + o * a * b;                                              \
      for (int64_t i0 = job->i_begin; i0 < job->i_end; i0 += LK_TB) {                         \
        const int64_t i1 = job->i_end - i0 < LK_TB ? job->i_end : i0 + LK_TB;                 \
        for (int64_t j0 = 0; j0 < b; j0 += LK_TB) {                                           \
          const int64_t j1 = b - j0 < LK_TB ? b : j0 + LK_TB;                                 \
          for (int64_t j = j0; j < j1; j++)                                                   \
            for (int64_t i = i0; i < i1; i++) d[j * a + i] = s[i * b + j];                    \
        }                                                                                     \
      }                                                                                       \
    }                                                                                         \
  }

LK_DEFINE_TRANSPOSE(lk_transpose_f32, float)
LK_DEFINE_TRANSPOSE(lk_transpose_f64, double)

/** Runs one job. */
static void *lk_transpose_main(void *arg) {
  const lk_transpose_job *job = arg;
  if (job->dtype == LK_F32) lk_transpose_f32(job);
  else lk_transpose_f64(job);
  return NULL;
}

lk_status lk_transpose(int32_t dtype, int64_t outer, int64_t a, int64_t b, const void *src, void *dst) {
  if (!lk_dtype_ok(dtype) || outer < 0 || a < 0 || b < 0) return LK_EINVAL;
  if (outer == 0 || a == 0 || b == 0) return LK_OK;
  if (!src || !dst) return LK_EINVAL;
  /* Large copies: two threads, each over half of the source rows (whole blocks). */
  const bool split = outer * a * b >= LK_PARALLEL_MIN && a >= 2 * LK_TB && lk_two_cores();
  const int64_t mid = split ? (a / 2 + LK_TB - 1) / LK_TB * LK_TB : a;
  lk_transpose_job jobs[2] = {
      {.dtype = dtype, .src = src, .dst = dst, .outer = outer, .a = a, .b = b, .i_begin = 0, .i_end = mid},
      {.dtype = dtype, .src = src, .dst = dst, .outer = outer, .a = a, .b = b, .i_begin = mid, .i_end = a}};
  lk_run_pair(lk_transpose_main, &jobs[0], mid < a ? &jobs[1] : NULL);
  return LK_OK;
}
