/** Flat gather (dst[i] = src[idx[i]]) and scatter-add (dst[idx[i]] += src[i]). */
#include "internal.h"

/** Whether every index lies in [0, count). */
static bool lk_indices_ok(const int64_t *idx, int64_t n, int64_t count) {
  bool ok = true;
  for (int64_t i = 0; i < n; i++) ok &= (uint64_t)idx[i] < (uint64_t)count;
  return ok;
}

lk_status lk_gather(int32_t dtype, const void *src, int64_t src_count, const int64_t *idx,
                    int64_t n, void *dst) {
  if (!lk_dtype_ok(dtype) || n < 0 || src_count < 0) return LK_EINVAL;
  if (n == 0) return LK_OK;
  if (!src || !idx || !dst || !lk_indices_ok(idx, n, src_count)) return LK_EINVAL;
  if (dtype == LK_F32) {
    const float *s = src;
    float *d = dst;
    for (int64_t i = 0; i < n; i++) d[i] = s[idx[i]];
  } else {
    const double *s = src;
    double *d = dst;
    for (int64_t i = 0; i < n; i++) d[i] = s[idx[i]];
  }
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
