/** Reductions (sum, prod, max, min) over a set of axes, accumulated in double. */
#include "internal.h"
#include "reduce_walk.h"
#include <math.h>

/** Sticky NaN-propagating max / min updates: once acc is NaN it stays NaN. */
#define LK_COMBINE_SUM(acc, v) ((acc) += (v))
#define LK_COMBINE_PROD(acc, v) ((acc) *= (v))
#define LK_COMBINE_MAX(acc, v) ((acc) = (!((v) <= (acc)) && (acc) == (acc)) ? (v) : (acc))
#define LK_COMBINE_MIN(acc, v) ((acc) = (!((v) >= (acc)) && (acc) == (acc)) ? (v) : (acc))
#define LK_VAL_PLAIN(x, o) ((double)(x))

LK_DEFINE_REDUCE(lk_rsum_f32, float, 0.0, LK_COMBINE_SUM, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rsum_f64, double, 0.0, LK_COMBINE_SUM, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rprod_f32, float, 1.0, LK_COMBINE_PROD, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rprod_f64, double, 1.0, LK_COMBINE_PROD, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rmax_f32, float, -INFINITY, LK_COMBINE_MAX, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rmax_f64, double, -INFINITY, LK_COMBINE_MAX, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rmin_f32, float, INFINITY, LK_COMBINE_MIN, LK_VAL_PLAIN)
LK_DEFINE_REDUCE(lk_rmin_f64, double, INFINITY, LK_COMBINE_MIN, LK_VAL_PLAIN)

lk_status lk_rlayout_make(int32_t ndim, const int64_t *shape, const uint8_t *mask,
                          lk_rlayout *l) {
  if (ndim < 0 || ndim > LK_MAX_DIMS || (ndim > 0 && (!shape || !mask))) return LK_EINVAL;
  bool reduced[LK_MAX_DIMS];
  l->nd = 0;
  l->in_count = 1;
  for (int32_t d = 0; d < ndim; d++) {
    if (shape[d] < 0) return LK_EINVAL;
    if (shape[d] > 0 && l->in_count > INT64_MAX / shape[d]) return LK_EINVAL;
    l->in_count *= shape[d];
    if (shape[d] == 1) continue;
    const bool r = mask[d] != 0;
    if (l->nd > 0 && reduced[l->nd - 1] == r) {
      l->shape[l->nd - 1] *= shape[d];
    } else {
      l->shape[l->nd] = shape[d];
      reduced[l->nd++] = r;
    }
  }
  if (l->nd == 0) {
    l->shape[0] = 1;
    reduced[0] = true;
    l->nd = 1;
  }
  l->out_count = 1;
  l->rows = 1;
  for (int32_t d = l->nd - 1; d >= 0; d--) {
    l->ostride[d] = reduced[d] ? 0 : l->out_count;
    if (!reduced[d]) l->out_count *= l->shape[d];
    if (d < l->nd - 1) l->rows *= l->shape[d];
  }
  return LK_OK;
}

void lk_reduce_into(int32_t dtype, int32_t op, const lk_rlayout *l, const void *src,
                    double *acc) {
  const double init = op == LK_RSUM ? 0.0 : op == LK_RPROD ? 1.0 : op == LK_RMAX ? -INFINITY
                                                                                  : INFINITY;
  for (int64_t o = 0; o < l->out_count; o++) acc[o] = init;
  const bool f32 = dtype == LK_F32;
  switch (op) {
    case LK_RSUM: f32 ? lk_rsum_f32(src, acc, NULL, l) : lk_rsum_f64(src, acc, NULL, l); break;
    case LK_RPROD: f32 ? lk_rprod_f32(src, acc, NULL, l) : lk_rprod_f64(src, acc, NULL, l); break;
    case LK_RMAX: f32 ? lk_rmax_f32(src, acc, NULL, l) : lk_rmax_f64(src, acc, NULL, l); break;
    default: f32 ? lk_rmin_f32(src, acc, NULL, l) : lk_rmin_f64(src, acc, NULL, l); break;
  }
}

lk_status lk_reduce(int32_t dtype, int32_t op, int32_t ndim, const int64_t *shape,
                    const uint8_t *reduce_mask, const void *src, void *dst) {
  if (!lk_dtype_ok(dtype) || op < LK_RSUM || op > LK_RMIN) return LK_EINVAL;
  lk_rlayout l;
  const lk_status st = lk_rlayout_make(ndim, shape, reduce_mask, &l);
  if (st != LK_OK) return st;
  if (l.out_count == 0) return LK_OK;
  if ((l.in_count > 0 && !src) || !dst) return LK_EINVAL;
  double *acc = lk_scratch((size_t)l.out_count * sizeof(double));
  if (!acc) return LK_ENOMEM;
  lk_reduce_into(dtype, op, &l, src, acc);
  if (dtype == LK_F32)
    for (int64_t o = 0; o < l.out_count; o++) ((float *)dst)[o] = (float)acc[o];
  else
    for (int64_t o = 0; o < l.out_count; o++) ((double *)dst)[o] = acc[o];
  free(acc);
  return LK_OK;
}
