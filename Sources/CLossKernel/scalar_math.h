/**
 * The math functions ops.def names with M(fn), for float (suffix f) and double (no suffix).
 *
 * float, the hot path, is vectorized: vecmath.h's functions plus logsigmoid and softplus
 * built on them with bit-mask selects. double keeps libm (and PyTorch's formulas over it):
 * its results are correctly rounded, as the exactly printed float64 values of the golden
 * scripts and fixtures expect, which the table-free vecmath double versions (< 1.9 ulp,
 * see scripts/ulp_sweep.sh) are not.
 */
#ifndef LK_SCALAR_MATH_H
#define LK_SCALAR_MATH_H

#include "vecmath.h"

/** The IEEE square root as one vector instruction (libm's sqrtf may set errno, so a loop
    calling it stays scalar). */
LK_VM_INLINE float lk_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
/** The IEEE square root as one vector instruction. */
LK_VM_INLINE double lk_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

/** x^0.5 with pow's special cases: pow(-inf, 0.5) = +inf and pow(-0, 0.5) = +0. */
LK_VM_INLINE float lk_pow_halff(float x) {
  return lk_selectf(x == -INFINITY, INFINITY, lk_sqrtf(x) + 0.0f);
}
/** x^0.5 with pow's special cases, for double. */
LK_VM_INLINE double lk_pow_half(double x) {
  return lk_selectd(x == -(double)INFINITY, (double)INFINITY, lk_sqrt(x) + 0.0);
}

/** Stable log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), exp(-|x|) from the range reduction
    lk_sigmoidf makes; the log1p argument is in [0, 1] (or NaN), where log1p's core needs
    none of its special cases. */
LK_VM_INLINE float lk_logsigmoidf(float x) {
  return lk_selectf(x < 0, x, 0.0f) - lk_log1p_coref(lk_exp_neg_absf(x));
}

/** PyTorch softplus (beta 1, threshold 20): x above 20, else log1p(exp(x)) (log1p's core:
    exp(x) <= e^20 there, or NaN). */
LK_VM_INLINE float lk_softplusf(float x) {
  return lk_selectf(x > 20.0f, x, lk_log1p_coref(lk_expf(x)));
}

/** libm's e^x. */
static inline double lk_exp(double x) { return exp(x); }
/** libm's natural logarithm. */
static inline double lk_log(double x) { return log(x); }
/** libm's log(1 + x). */
static inline double lk_log1p(double x) { return log1p(x); }
/** libm's e^x - 1. */
static inline double lk_expm1(double x) { return expm1(x); }
/** libm's tanh. */
static inline double lk_tanh(double x) { return tanh(x); }
/** libm's x^y. */
static inline double lk_pow(double x, double y) { return pow(x, y); }

/** Stable sigmoid: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) otherwise. */
static inline double lk_sigmoid(double x) {
  const double e = exp(-fabs(x));
  const double r = 1 / (1 + e);
  return x >= 0 ? r : e * r;
}

/** Stable log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)). */
static inline double lk_logsigmoid(double x) {
  const double m = x < 0 ? x : 0;
  return m - log1p(exp(-fabs(x)));
}

/** PyTorch softplus (beta 1, threshold 20): x above 20, else log1p(exp(x)). */
static inline double lk_softplus(double x) {
  const double s = log1p(exp(x));
  return x > 20 ? x : s;
}

#endif /* LK_SCALAR_MATH_H */
