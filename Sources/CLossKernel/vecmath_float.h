/**
 * The float constants and fitted polynomials of vecmath.h (suffix f). Polynomial
 * coefficients are near-minimax fits of relative error, rounded to float.
 */
#ifndef LK_VECMATH_FLOAT_H
#define LK_VECMATH_FLOAT_H

/** 1 / ln 2. */
static const float lk_inv_ln2f = 0x1.715476p+0f;
/** ln 2 split: lk_ln2_hif has 15 significant bits, so k * lk_ln2_hif is exact for |k| < 512. */
static const float lk_ln2_hif = 0x1.62e4p-1f;
/** ln 2 - lk_ln2_hif. */
static const float lk_ln2_lof = 0x1.7f7d1cp-20f;
/** Adding and subtracting 1.5 * 2^23 rounds to an integer held in the low mantissa bits. */
static const float lk_round_shiftf = 0x1.8p23f;
/** Below this exp(x) rounds to +0 (e^-104 < 2^-150); above the next it overflows. */
static const float lk_exp_lof = -104.0f;
/** Above this exp(x) and expm1(x) overflow (e^89 > FLT_MAX). */
static const float lk_exp_hif = 89.0f;
/** Below this expm1(x) rounds to -1 (e^-25 < 2^-25). */
static const float lk_expm1_lof = -25.0f;
/** sqrt(1/2) rounded down: log splits x into 2^k * m with m in [sqrt(1/2), sqrt(2)). */
static const float lk_sqrt_halff = 0x1.6a09e6p-1f;
/** The smallest normal float, and the power of two that scales a subnormal up to normal. */
static const float lk_min_normalf = 0x1p-126f;
static const float lk_subnormal_scalef = 0x1p23f;
/** tanh uses its odd polynomial below this |x|, and rounds to ±1 above the next. */
static const float lk_tanh_smallf = 0.55f;
static const float lk_tanh_satf = 10.0f;

/** expm1(r) for |r| <= ln2 / 2 (times 1.02): r + r^2 * E(r), relative error < 2^-26 in E. */
LK_VM_INLINE float lk_expm1_polyf(float r) {
  float e = 0x1.a0763cp-13f;
  e = e * r + 0x1.6d4eecp-10f;
  e = e * r + 0x1.11115p-7f;
  e = e * r + 0x1.5554ep-5f;
  e = e * r + 0x1.555556p-3f;
  e = e * r + 0.5f;
  return (r * r) * e + r;
}

/** fdlibm's R(z) with z = s^2: log((1 + s) / (1 - s)) = 2s + s * R(z), |s| <= 0.1716. */
LK_VM_INLINE float lk_log_polyf(float z) {
  const float w = z * z;
  const float t1 = w * (w * 0x1.f13c4cp-3f + 0x1.999c26p-2f);
  const float t2 = z * (w * 0x1.23d3dcp-2f + 0x1.555554p-1f);
  return t2 + t1;
}

/**
 * Q(f) with log1p(f) = f + f^2 Q(f) for f in [-0.25, 0.5] (and 2^-20 beyond): Q = -1/2 + f R(f),
 * R of degree 7 fitted to the relative error of log1p, < 2^-27.
 */
LK_VM_INLINE float lk_log1p_polyf(float f) {
  float r = -0x1.7140d2p-5f;
  r = r * f + 0x1.ac90ep-4f;
  r = r * f - 0x1.0d8a9ap-3f;
  r = r * f + 0x1.28847ep-3f;
  r = r * f - 0x1.54efdcp-3f;
  r = r * f + 0x1.9969b0p-3f;
  r = r * f - 0x1.00004p-2f;
  r = r * f + 0x1.5555a4p-2f;
  return r * f - 0.5f;
}

/** (tanh(x) - x) / x^3 as a polynomial in y = x^2, for |x| <= 0.55. */
LK_VM_INLINE float lk_tanh_polyf(float y) {
  float p = -0x1.fa3fd6p-11f;
  p = p * y + 0x1.be4564p-9f;
  p = p * y - 0x1.21370ap-7f;
  p = p * y + 0x1.663f2ep-6f;
  p = p * y - 0x1.ba1b3cp-5f;
  p = p * y + 0x1.11111p-3f;
  p = p * y - 0x1.555556p-2f;
  return p;
}

#endif /* LK_VECMATH_FLOAT_H */
