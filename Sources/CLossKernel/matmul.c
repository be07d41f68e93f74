/**
 * lk_matmul: validates a batched product, picks the GEMM compiled for the widest instruction
 * set the CPU has (matmul_loop.h; AVX-512 or AVX2 on x86-64 CPUs that have them), and
 * splits large products over the worker pool's threads. Each element of C is computed by
 * one thread in a fixed order, so results depend neither on timing nor on the thread count.
 * lk_matmul_with may first offer the product to the system BLAS (blas.c).
 */
#include "blas.h"
#include "matmul.h"
#include <stdatomic.h>
#include <string.h>

/** Multiply-adds below which a call stays on the calling thread. */
#define LK_MM_PARALLEL_MIN (1 << 22)

/**
 * A product split into parts: ranges of batch items, or slices of each item's rows or
 * columns. The GEMM computes each element of C in the same order whatever part it is in,
 * so the split (which follows the thread count) does not change the results.
 */
typedef struct lk_gemm_split {
  lk_gemm_fn fn;           /**< The GEMM for the dtype and CPU. */
  const lk_gemm *g;        /**< The product. */
  int64_t batch;           /**< Batch items. */
  int64_t items_per_part;  /**< Batch items per part, when slices is 1. */
  int64_t slices;          /**< Parts per batch item (1: a part is a range of items). */
  int64_t slice;           /**< Rows (or columns) per slice. */
  bool by_columns;         /**< Whether slices are columns of C. */
  _Atomic int32_t status;  /**< LK_OK, or the status of a part that failed. */
} lk_gemm_split;

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

/** Computes part `part` of a split product. */
static void lk_gemm_part_main(void *arg, int64_t part) {
  lk_gemm_split *split = arg;
  const lk_gemm *g = split->g;
  lk_gemm_part p = {0, split->batch, 0, g->n, 0, g->m};
  if (split->slices == 1) {
    p.t0 = part * split->items_per_part;
    p.t1 = split->batch - p.t0 < split->items_per_part ? split->batch : p.t0 + split->items_per_part;
  } else {
    p.t0 = part / split->slices;
    p.t1 = p.t0 + 1;
    const int64_t lo = part % split->slices * split->slice, extent = split->by_columns ? g->m : g->n;
    const int64_t hi = extent - lo < split->slice ? extent : lo + split->slice;
    if (split->by_columns) p.j0 = lo, p.j1 = hi;
    else p.i0 = lo, p.i1 = hi;
  }
  const lk_status status = split->fn(g, &p);
  if (status != LK_OK) atomic_store(&split->status, status);
}

/**
 * Splits a product over `threads` threads: many small products into ranges of batch items,
 * one per thread; large ones each into as many slices of rows, or of columns (a multiple
 * of 64 when there are enough) when C is wider than tall, so each thread packs its share
 * of the larger operand.
 */
static lk_status lk_gemm_parallel(lk_gemm_fn fn, const lk_gemm *g, int64_t batch, int32_t threads) {
  lk_gemm_split split = {.fn = fn, .g = g, .batch = batch, .items_per_part = batch, .slices = 1,
                         .by_columns = g->m > g->n, .status = LK_OK};
  const double macs = (double)g->n * (double)g->m * (double)g->k;
  if (macs < LK_MM_PARALLEL_MIN) {
    split.items_per_part = (batch + threads - 1) / threads;
  } else {
    const int64_t extent = split.by_columns ? g->m : g->n;
    split.slice = (extent + threads - 1) / threads;
    if (split.by_columns && extent >= 64 * (int64_t)threads) split.slice = (split.slice + 63) / 64 * 64;
    split.slices = (extent + split.slice - 1) / split.slice;
    split.items_per_part = 1;
  }
  const int64_t n_parts = split.slices > 1 ? batch * split.slices : (batch + split.items_per_part - 1) / split.items_per_part;
  lk_parallel(threads, n_parts, lk_gemm_part_main, &split);
  return atomic_load(&split.status);
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
  const int32_t threads = items * (double)k * (double)batch < LK_MM_PARALLEL_MIN ? 1 : lk_threads();
  if (threads == 1) return fn(&g, &all);
  return lk_gemm_parallel(fn, &g, batch, threads);
}
