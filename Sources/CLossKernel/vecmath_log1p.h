/**
 * log1p for vecmath.h, after the template's helpers: float without a division (the VM's,
 * and the core of logsigmoid and softplus), double in fdlibm's form (for the sweep only).
 */
#ifndef LK_VECMATH_LOG1P_H
#define LK_VECMATH_LOG1P_H

/**
 * log(1 + x) for a finite float x > -1, without a division: 1 + x = 2^k (1 + f) with
 * 1 + f in [0.75, 1.5), k read from the rounded sum but f = x 2^-k + (2^-k - 1) computed
 * exactly (both terms are exact and their sum representable, for every k from -24 to 128),
 * so no correction for the rounding of 1 + x is needed; then k ln2 + f + f^2 Q(f), the
 * leading sum k ln2_hi + f with its rounding error carried (Fast2Sum: |k ln2_hi| > |f| or
 * k = 0). Infinities and NaN give NaN or garbage: lk_log1pf handles them.
 */
LK_VM_INLINE float lk_log1p_coref(float x) {
  const int32_t k = (int32_t)(lk_bitsf(1.0f + x) - lk_bitsf(0.75f)) >> 23;
  /* 2^-k as 2^(2-k) / 4, so the bit pattern stays a normal float up to k = 128. */
  const float t = lk_from_bitsf(lk_bitsf(4.0f) - ((uint32_t)k << 23)) * 0.25f;
  const float f = x * t + (t - 1.0f);
  const float kf = lk_itoff(k);
  const float hi = kf * lk_ln2_hif + f;
  const float lo = (kf * lk_ln2_hif - hi) + f;
  return hi + ((f * f) * lk_log1p_polyf(f) + (lo + kf * lk_ln2_lof));
}

/** log(1 + x) for float, accurate near 0, with libm's special values. */
LK_VM_INLINE float lk_log1pf(float x) {
  return lk_selectf(x == 0, x, lk_log_specialsf(x, -1.0f, lk_log1p_coref(x)));
}

/** log(1 + x) for double: log of u = 1 + x plus the rounding error of u, (1 + x - u) / u. */
LK_VM_INLINE double lk_log1pd(double x) {
  const double u = 1 + x;
  int64_t k;
  const double f = lk_log_splitd(u, &k);
  /* The rounding error of u by Fast2Sum: subtract the smaller of 1 and x last. */
  const double c = lk_selectd(x > 1, 1 - (u - x), x - (u - 1)) / u;
  const double y = lk_log_cored(f, lk_itofd(k), c);
  return lk_selectd(x == 0, x, lk_log_specialsd(x, -1, y));
}

#endif /* LK_VECMATH_LOG1P_H */
