/** Cache-blocked transpose of the last two axis groups of a contiguous tensor. */
#include "internal.h"
#include "program.h"

/** Square block edge: a block of source rows and one of destination rows stay in L1. */
#define LK_TB 32

/** A transpose split into parts of whole blocks of source rows (of any matrix). */
typedef struct lk_transpose_split {
  int32_t dtype;
  const void *src;
  void *dst;
  int64_t a, b;
  int64_t row_blocks;       /**< Blocks of LK_TB source rows per matrix. */
  int64_t blocks_per_part;  /**< Blocks of rows per part (a part may span matrices). */
  int64_t blocks;           /**< Blocks of rows of all the matrices. */
} lk_transpose_split;

/**
 * Defines NAME: dst [o, b, a] = src [o, a, b] swapped for the blocks of rows [q0, q1) of a
 * split (block q is rows LK_TB * (q % row_blocks) onward of matrix q / row_blocks), square
 * block by square block.
 */
#define LK_DEFINE_TRANSPOSE(NAME, T)                                                          \
  static void NAME(const lk_transpose_split *sp, int64_t q0, int64_t q1) {                    \
    const int64_t a = sp->a, b = sp->b;                                                       \
    for (int64_t q = q0; q < q1; q++) {                                                       \
      const int64_t o = q / sp->row_blocks, i0 = q % sp->row_blocks * LK_TB;                  \
      const int64_t i1 = a - i0 < LK_TB ? a : i0 + LK_TB;                                     \
      const T *restrict s = (const T *)sp->src + o * a * b;                                   \
      T *restrict d = (T *)sp->dst + o * a * b;                                               \
      for (int64_t j0 = 0; j0 < b; j0 += LK_TB) {                                             \
        const int64_t j1 = b - j0 < LK_TB ? b : j0 + LK_TB;                                   \
        for (int64_t j = j0; j < j1; j++)                                                     \
          for (int64_t i = i0; i < i1; i++) d[j * a + i] = s[i * b + j];                      \
      }                                                                                       \
    }                                                                                         \
  }

LK_DEFINE_TRANSPOSE(lk_transpose_f32, float)
LK_DEFINE_TRANSPOSE(lk_transpose_f64, double)

/** Runs part `part` of a split transpose. */
static void lk_transpose_part(void *arg, int64_t part) {
  const lk_transpose_split *split = arg;
  const int64_t q0 = part * split->blocks_per_part;
  const int64_t q1 = split->blocks - q0 < split->blocks_per_part ? split->blocks : q0 + split->blocks_per_part;
  if (split->dtype == LK_F32) lk_transpose_f32(split, q0, q1);
  else lk_transpose_f64(split, q0, q1);
}

lk_status lk_transpose(int32_t dtype, int64_t outer, int64_t a, int64_t b, const void *src, void *dst) {
  if (!lk_dtype_ok(dtype) || outer < 0 || a < 0 || b < 0) return LK_EINVAL;
  if (outer == 0 || a == 0 || b == 0) return LK_OK;
  if (!src || !dst) return LK_EINVAL;
  /* Parts of whole blocks of LK_TB source rows, at least LK_PART_MIN elements each. */
  const int64_t row_blocks = (a + LK_TB - 1) / LK_TB, per_block = LK_TB * b;
  const int64_t blocks_per_part = per_block >= LK_PART_MIN ? 1 : (LK_PART_MIN + per_block - 1) / per_block;
  lk_transpose_split split = {.dtype = dtype, .src = src, .dst = dst, .a = a, .b = b,
                              .row_blocks = row_blocks, .blocks_per_part = blocks_per_part,
                              .blocks = outer * row_blocks};
  const int64_t n_parts = (split.blocks + blocks_per_part - 1) / blocks_per_part;
  lk_parallel(outer * a * b >= LK_PARALLEL_MIN ? lk_threads() : 1, n_parts, lk_transpose_part, &split);
  return LK_OK;
}
