/**
 * logsumexp over a set of axes, stable like torch.logsumexp: m = max (NaN-propagating),
 * with m = ±inf replaced by 0, then m + log(sum(exp(x - m))) summed in double. All -inf
 * gives -inf, any +inf gives +inf, and an empty reduction gives -inf.
 */
#include "internal.h"
#include "reduce_walk.h"
#include <math.h>

#define LK_COMBINE_SUM(acc, v) ((acc) += (v))
#define LK_VAL_EXP_F32(x, o) ((double)expf((x) - (float)m[o]))
#define LK_VAL_EXP_F64(x, o) exp((x) - m[o])

LK_DEFINE_REDUCE(lk_rsumexp_f32, float, 0.0, LK_COMBINE_SUM, LK_VAL_EXP_F32)
LK_DEFINE_REDUCE(lk_rsumexp_f64, double, 0.0, LK_COMBINE_SUM, LK_VAL_EXP_F64)

lk_status lk_logsumexp(int32_t dtype, int32_t ndim, const int64_t *shape,
                       const uint8_t *reduce_mask, const void *src, void *dst) {
  if (!lk_dtype_ok(dtype)) return LK_EINVAL;
  lk_rlayout l;
  const lk_status st = lk_rlayout_make(ndim, shape, reduce_mask, &l);
  if (st != LK_OK) return st;
  if (l.out_count == 0) return LK_OK;
  if ((l.in_count > 0 && !src) || !dst) return LK_EINVAL;
  double *const buf = lk_scratch(2 * (size_t)l.out_count * sizeof(double));
  if (!buf) return LK_ENOMEM;
  double *const m = buf, *const acc = buf + l.out_count;
  lk_reduce_into(dtype, LK_RMAX, &l, src, m);
  for (int64_t o = 0; o < l.out_count; o++) {
    if (isinf(m[o])) m[o] = 0.0;
    acc[o] = 0.0;
  }
  if (dtype == LK_F32) {
    lk_rsumexp_f32(src, acc, m, &l);
    for (int64_t o = 0; o < l.out_count; o++) ((float *)dst)[o] = (float)(m[o] + log(acc[o]));
  } else {
    lk_rsumexp_f64(src, acc, m, &l);
    for (int64_t o = 0; o < l.out_count; o++) ((double *)dst)[o] = m[o] + log(acc[o]);
  }
  free(buf);
  return LK_OK;
}
