/** Flat gather (dst[i] = src[idx[i]]) and scatter-add (dst[idx[i]] += src[i]). */
#include "internal.h"

/** How many indices ahead lk_gather prefetches. */
#define LK_GATHER_AHEAD 16
/** Indices per part of a split lk_gather: a part's misses cost more than waking a worker. */
#define LK_GATHER_PART 2048

/** Whether every index lies in [0, count). */
static bool lk_indices_ok(const int64_t *idx, int64_t n, int64_t count) {
  bool ok = true;
  for (int64_t i = 0; i < n; i++) ok &= (uint64_t)idx[i] < (uint64_t)count;
  return ok;
}

/** One lk_gather, split into parts of LK_GATHER_PART indices. */
typedef struct lk_gather_split {
  int32_t dtype;
  const void *src;
  const int64_t *idx;
  int64_t n;
  void *dst;
} lk_gather_split;

/** Gathers part `part` of a split lk_gather. Sparse picks (a row's target logit) miss the
    cache each: asking for the lines LK_GATHER_AHEAD indices ahead keeps more misses in flight. */
static void lk_gather_part(void *arg, int64_t part) {
  const lk_gather_split *g = arg;
  const int64_t begin = part * LK_GATHER_PART, end = g->n - begin < LK_GATHER_PART ? g->n : begin + LK_GATHER_PART;
  const int64_t *idx = g->idx;
  if (g->dtype == LK_F32) {
    const float *s = g->src;
    float *d = g->dst;
    for (int64_t i = begin; i < end; i++) {
      if (i + LK_GATHER_AHEAD < end) __builtin_prefetch(s + idx[i + LK_GATHER_AHEAD]);
      d[i] = s[idx[i]];
    }
  } else {
    const double *s = g->src;
    double *d = g->dst;
    for (int64_t i = begin; i < end; i++) {
      if (i + LK_GATHER_AHEAD < end) __builtin_prefetch(s + idx[i + LK_GATHER_AHEAD]);
      d[i] = s[idx[i]];
    }
  }
}

lk_status lk_gather(int32_t dtype, const void *src, int64_t src_count, const int64_t *idx,
                    int64_t n, void *dst) {
  if (!lk_dtype_ok(dtype) || n < 0 || src_count < 0) return LK_EINVAL;
  if (n == 0) return LK_OK;
  if (!src || !idx || !dst || !lk_indices_ok(idx, n, src_count)) return LK_EINVAL;
  lk_gather_split split = {.dtype = dtype, .src = src, .idx = idx, .n = n, .dst = dst};
  lk_parallel(lk_threads(), (n + LK_GATHER_PART - 1) / LK_GATHER_PART, lk_gather_part, &split);
  return LK_OK;
}

lk_status lk_scatter_add(int32_t dtype, const void *src, const int64_t *idx, int64_t n,
                         void *dst, int64_t dst_count) {
  if (!lk_dtype_ok(dtype) || n < 0 || dst_count < 0) return LK_EINVAL;
  if (n == 0) return LK_OK;
  if (!src || !idx || !dst || !lk_indices_ok(idx, n, dst_count)) return LK_EINVAL;
  if (dtype == LK_F32) {
    const float *s = src;
    float *d = dst;
    for (int64_t i = 0; i < n; i++) d[idx[i]] += s[i];
  } else {
    const double *s = src;
    double *d = dst;
    for (int64_t i = 0; i < n; i++) d[idx[i]] += s[i];
  }
  return LK_OK;
}
