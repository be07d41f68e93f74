/**
 * Vectorizable elementary functions for the tile VM: exp, log, log1p, expm1, tanh and
 * sigmoid for float (lk_expf, ...) and double (lk_expd, ...), and pow for float (lk_powf).
 *
 * Each is straight-line code (Cody-Waite range reduction, a fitted polynomial, exponent
 * arithmetic on the bit pattern, and bit-mask selects instead of branches), so a loop that
 * calls it vectorizes under strict IEEE semantics: no fast-math, no errno, and the
 * NaN / ±Inf / ±0 / subnormal results of libm. Written as `a * b + c`, the polynomials
 * contract to FMA where the caller's target has it and stay mul + add elsewhere, so the
 * last bit may differ between instruction sets (never between runs on one machine).
 * Accuracy against libm (scripts/ulp_sweep.sh, all 2^32 floats): exp, log, log1p < 1 ulp,
 * expm1 and tanh < 1.5, sigmoid < 1.71, logsigmoid and softplus (scalar_math.h) < 1.69. The
 * VM uses the float functions; the double ones serve lk_powf, while float64 ops keep libm
 * (scalar_math.h).
 */
#ifndef LK_VECMATH_H
#define LK_VECMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/** Every vecmath function is inlined, so the calling loop vectorizes with the caller's target. */
#define LK_VM_INLINE static inline __attribute__((always_inline))

/** The bit pattern of a float. */
LK_VM_INLINE uint32_t lk_bitsf(float x) {
  uint32_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/** The float with bit pattern u. */
LK_VM_INLINE float lk_from_bitsf(uint32_t u) {
  float x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/** The bit pattern of a double. */
LK_VM_INLINE uint64_t lk_bitsd(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}

/** The double with bit pattern u. */
LK_VM_INLINE double lk_from_bitsd(uint64_t u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

#include "vecmath_float.h"
#include "vecmath_double.h"

#define T float
#define LK_U uint32_t
#define LK_I int32_t
#define LK_MANT 23
#define LK_BIAS 127
#define LK_VM(name) name##f
#include "vecmath_template.h"
#undef T
#undef LK_U
#undef LK_I
#undef LK_MANT
#undef LK_BIAS
#undef LK_VM

#define T double
#define LK_U uint64_t
#define LK_I int64_t
#define LK_MANT 52
#define LK_BIAS 1023
#define LK_VM(name) name##d
#include "vecmath_template.h"
#undef T
#undef LK_U
#undef LK_I
#undef LK_MANT
#undef LK_BIAS
#undef LK_VM

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

/** log(1 + x) for double (for scripts/ulp_sweep.sh): log of u = 1 + x plus the rounding
    error of u, (1 + x - u) / u. */
LK_VM_INLINE double lk_log1pd(double x) {
  const double u = 1 + x;
  int64_t k;
  const double f = lk_log_splitd(u, &k);
  /* The rounding error of u by Fast2Sum: subtract the smaller of 1 and x last. */
  const double c = lk_selectd(x > 1, 1 - (u - x), x - (u - 1)) / u;
  const double y = lk_log_cored(f, lk_itofd(k), c);
  return lk_selectd(x == 0, x, lk_log_specialsd(x, -1, y));
}

/**
 * x^y for float as e^(y log|x|) in double, whose error stays far below a float ulp, with
 * libm's special cases: x^0 = 1^y = 1 (even for NaN), (±1)^±Inf = 1, a negative finite x
 * to a non-integer y is NaN, and a negative x (-0 and -Inf included) to an odd integer y
 * negates the result; zeros and infinities follow from log|x| = -Inf / +Inf.
 */
LK_VM_INLINE float lk_powf(float xf, float yf) {
  const double x = xf, y = yf, ax = fabs(x);
  const double r = lk_expd(y * lk_logd(ax));
  /* Floats of magnitude >= 2^24 are even integers; below, y + 1.5 * 2^52 rounds y to an
   * integer held in the low mantissa bits, whose lowest bit is its parity. */
  const int64_t big = fabs(y) >= 0x1p24;
  const double ys = y + 0x1.8p52;
  const int64_t integer = big | ((ys - 0x1.8p52) == y);
  const int64_t odd = (big ^ 1) & integer & (int64_t)(lk_bitsd(ys) & 1);
  double z = lk_selectd(odd & (int64_t)(lk_bitsd(x) >> 63), -r, r);
  z = lk_selectd((x < 0) & (x > -(double)INFINITY) & (integer ^ 1), (double)NAN, z);
  z = lk_selectd((y == 0) | (x == 1) | ((ax == 1) & (fabs(y) == (double)INFINITY)), 1.0, z);
  return (float)z;
}

#endif /* LK_VECMATH_H */
