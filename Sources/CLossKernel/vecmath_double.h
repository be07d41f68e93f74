/**
 * The double constants and fitted polynomials of vecmath.h (suffix d). Polynomial
 * coefficients are near-minimax fits of relative error; log's are fdlibm's.
 */
#ifndef LK_VECMATH_DOUBLE_H
#define LK_VECMATH_DOUBLE_H

/** 1 / ln 2. */
static const double lk_inv_ln2d = 0x1.71547652b82fep+0;
/** ln 2 split (fdlibm): lk_ln2_hid has 32 significant bits, so k * lk_ln2_hid is exact. */
static const double lk_ln2_hid = 0x1.62e42feep-1;
/** ln 2 - lk_ln2_hid. */
static const double lk_ln2_lod = 0x1.a39ef35793c76p-33;
/** Adding and subtracting 1.5 * 2^52 rounds to an integer held in the low mantissa bits. */
static const double lk_round_shiftd = 0x1.8p52;
/** Below this exp(x) rounds to +0 (e^-746 < 2^-1075). */
static const double lk_exp_lod = -746.0;
/** Above this exp(x) and expm1(x) overflow (e^710 > DBL_MAX). */
static const double lk_exp_hid = 710.0;
/** Below this expm1(x) rounds to -1 (e^-40 < 2^-54). */
static const double lk_expm1_lod = -40.0;
/** sqrt(1/2): log splits x into 2^k * m with m in [sqrt(1/2), sqrt(2)). */
static const double lk_sqrt_halfd = 0x1.6a09e667f3bcdp-1;
/** The smallest normal double, and the power of two that scales a subnormal up to normal. */
static const double lk_min_normald = 0x1p-1022;
static const double lk_subnormal_scaled = 0x1p52;
/** tanh uses its odd polynomial below this |x|, and rounds to ±1 above the next. */
static const double lk_tanh_smalld = 0.55;
static const double lk_tanh_satd = 20.0;

/** expm1(r) for |r| <= ln2 / 2 (times 1.02): r + r^2 * E(r), relative error < 2^-56 in E. */
LK_VM_INLINE double lk_expm1_polyd(double r) {
  double e = 0x1.1f1bb7a885ccbp-29;
  e = e * r + 0x1.af572757d7832p-26;
  e = e * r + 0x1.27e512a2cd5e0p-22;
  e = e * r + 0x1.71ddfdacb95dap-19;
  e = e * r + 0x1.a01a018e64739p-16;
  e = e * r + 0x1.a01a01ad5b006p-13;
  e = e * r + 0x1.6c16c16c1a976p-10;
  e = e * r + 0x1.111111110fe2ap-7;
  e = e * r + 0x1.555555555554dp-5;
  e = e * r + 0x1.5555555555557p-3;
  e = e * r + 0.5;
  return (r * r) * e + r;
}

/** fdlibm's R(z) with z = s^2: log((1 + s) / (1 - s)) = 2s + s * R(z), |s| <= 0.1716. */
LK_VM_INLINE double lk_log_polyd(double z) {
  const double w = z * z;
  const double t1 = w * (w * (w * 1.531383769920937332e-01 + 2.222219843214978396e-01) +
                         3.999999999940941908e-01);
  const double t2 = z * (w * (w * (w * 1.479819860511658591e-01 + 1.818357216161805012e-01) +
                              2.857142874366239149e-01) +
                         6.666666666666735130e-01);
  return t2 + t1;
}

/** (tanh(x) - x) / x^3 as a polynomial in y = x^2, for |x| <= 0.55. */
LK_VM_INLINE double lk_tanh_polyd(double y) {
  double p = -0x1.93f0189eb7bdap-19;
  p = p * y + 0x1.bfb96ef35e0dap-17;
  p = p * y - 0x1.3f590a1c29644p-15;
  p = p * y + 0x1.94e89faef8ed8p-14;
  p = p * y - 0x1.f5520de571a47p-13;
  p = p * y + 0x1.35568883521a6p-11;
  p = p * y - 0x1.7da34f4db15cfp-10;
  p = p * y + 0x1.d6d3d028b8d7fp-9;
  p = p * y - 0x1.226e355c62622p-7;
  p = p * y + 0x1.664f4882ba312p-6;
  p = p * y - 0x1.ba1ba1ba1b95bp-5;
  p = p * y + 0x1.1111111111111p-3;
  p = p * y - 0x1.5555555555555p-2;
  return p;
}

#endif /* LK_VECMATH_DOUBLE_H */
