/** Cache-blocked transpose of the last two axis groups of a contiguous tensor. */
#include "internal.h"
#include "program.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/** Square block edge: a block of source rows and one of destination rows stay in L1. */
#define LK_TB 32
/** The float32 block edge (a divisor of LK_TB): see `lk_transpose_strip_f32`. */
#define LK_TB_F32 16

/** A transpose split into parts of whole blocks of source rows (of any matrix). */
typedef struct lk_transpose_split {
  int32_t dtype;
  const void *src;
  void *dst;
  int64_t a, b;
  int64_t row_blocks;       /**< Blocks of LK_TB source rows per matrix. */
  int64_t blocks_per_part;  /**< Blocks of rows per part (a part may span matrices). */
  int64_t blocks;           /**< Blocks of rows of all the matrices. */
  bool stream;              /**< float32 with SSE: store whole 4-float tiles past the cache. */
} lk_transpose_split;

/**
 * Defines NAME: dst [o, b, a] = src [o, a, b] swapped for the blocks of rows [q0, q1) of a
 * split (block q is rows LK_TB * (q % row_blocks) onward of matrix q / row_blocks), square
 * block by square block (BLOCK(s, d, a, b, i0, i1, stream) copies the strip of rows [i0, i1)).
 */
#define LK_DEFINE_TRANSPOSE(NAME, T, BLOCK)                                                   \
  static void NAME(const lk_transpose_split *sp, int64_t q0, int64_t q1) {                    \
    const int64_t a = sp->a, b = sp->b;                                                       \
    for (int64_t q = q0; q < q1; q++) {                                                       \
      const int64_t o = q / sp->row_blocks, i0 = q % sp->row_blocks * LK_TB;                  \
      const int64_t i1 = a - i0 < LK_TB ? a : i0 + LK_TB;                                     \
      const T *s = (const T *)sp->src + o * a * b;                                            \
      T *d = (T *)sp->dst + o * a * b;                                                        \
      BLOCK(s, d, a, b, i0, i1, sp->stream);                                                  \
    }                                                                                         \
  }

/** Copies src[i, j] to dst[j, i] for rows [i0, i1) and columns [j0, j1), element by element. */
#define LK_DEFINE_TRANSPOSE_SCALAR(NAME, T)                                                   \
  static void NAME(const T *restrict s, T *restrict d, int64_t a, int64_t b, int64_t i0, int64_t i1, \
                   int64_t j0, int64_t j1) {                                                  \
    for (int64_t j = j0; j < j1; j++)                                                         \
      for (int64_t i = i0; i < i1; i++) d[j * a + i] = s[i * b + j];                          \
  }

LK_DEFINE_TRANSPOSE_SCALAR(lk_transpose_tile_f32, float)
LK_DEFINE_TRANSPOSE_SCALAR(lk_transpose_tile_f64, double)

/** The float64 strip of rows [i0, i1): square blocks of LK_TB, element by element. */
static void lk_transpose_strip_f64(const double *s, double *d, int64_t a, int64_t b, int64_t i0, int64_t i1,
                                   bool stream) {
  (void)stream;
  for (int64_t j0 = 0; j0 < b; j0 += LK_TB)
    lk_transpose_tile_f64(s, d, a, b, i0, i1, j0, b - j0 < LK_TB ? b : j0 + LK_TB);
}

/**
 * The float32 strip of rows [i0, i1): blocks of LK_TB_F32 rows by LK_TB_F32 columns, each as
 * 4 × 4 register transposes (SSE) where whole, element by element at the edges. With 16 KiB
 * rows (4096 floats) the 32-square scalar blocks made every source and destination row of a
 * block share an L1 set; this runs 2.5–3× faster on W3's 4096 × 4096 logits. With `stream`
 * (the destination 16-byte aligned, `a` a multiple of 4, so every tile row is), the tiles go
 * to memory with non-temporal stores, which completes each 64-byte line within one tile
 * column and skips reading the destination first: twice as fast again on large transposes.
 */
static void lk_transpose_strip_f32(const float *s, float *d, int64_t a, int64_t b, int64_t i0, int64_t i1,
                                   bool stream) {
  for (int64_t r0 = i0; r0 < i1; r0 += LK_TB_F32) {
    const int64_t r1 = i1 - r0 < LK_TB_F32 ? i1 : r0 + LK_TB_F32;
    for (int64_t j0 = 0; j0 < b; j0 += LK_TB_F32) {
      const int64_t j1 = b - j0 < LK_TB_F32 ? b : j0 + LK_TB_F32;
#if defined(__SSE2__)
      const int64_t r4 = r0 + (r1 - r0) / 4 * 4, j4 = j0 + (j1 - j0) / 4 * 4;
      for (int64_t j = j0; j < j4; j += 4)
        for (int64_t i = r0; i < r4; i += 4) {
          __m128 x0 = _mm_loadu_ps(s + i * b + j), x1 = _mm_loadu_ps(s + (i + 1) * b + j);
          __m128 x2 = _mm_loadu_ps(s + (i + 2) * b + j), x3 = _mm_loadu_ps(s + (i + 3) * b + j);
          _MM_TRANSPOSE4_PS(x0, x1, x2, x3);
          if (stream) {
            _mm_stream_ps(d + j * a + i, x0);
            _mm_stream_ps(d + (j + 1) * a + i, x1);
            _mm_stream_ps(d + (j + 2) * a + i, x2);
            _mm_stream_ps(d + (j + 3) * a + i, x3);
          } else {
            _mm_storeu_ps(d + j * a + i, x0);
            _mm_storeu_ps(d + (j + 1) * a + i, x1);
            _mm_storeu_ps(d + (j + 2) * a + i, x2);
            _mm_storeu_ps(d + (j + 3) * a + i, x3);
          }
        }
      lk_transpose_tile_f32(s, d, a, b, r4, r1, j0, j4);
      lk_transpose_tile_f32(s, d, a, b, r0, r1, j4, j1);
#else
      (void)stream;
      lk_transpose_tile_f32(s, d, a, b, r0, r1, j0, j1);
#endif
    }
  }
  if (stream) lk_stream_fence();
}

LK_DEFINE_TRANSPOSE(lk_transpose_f32, float, lk_transpose_strip_f32)
LK_DEFINE_TRANSPOSE(lk_transpose_f64, double, lk_transpose_strip_f64)

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
                              .blocks = outer * row_blocks, .stream = false};
#if defined(__SSE2__)
  split.stream = dtype == LK_F32 && a % 4 == 0 && (uintptr_t)dst % 16 == 0 && outer * a * b * 4 >= LK_STREAM_MIN;
#endif
  const int64_t n_parts = (split.blocks + blocks_per_part - 1) / blocks_per_part;
  lk_parallel(outer * a * b >= LK_PARALLEL_MIN ? lk_threads() : 1, n_parts, lk_transpose_part, &split);
  return LK_OK;
}
