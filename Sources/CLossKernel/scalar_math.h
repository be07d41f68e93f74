/**
 * Scalar helpers for the compound elementwise ops, defined for float (suffix f) and
 * double (no suffix) like libm, so ops.def can name them with M(lk_sigmoid).
 * Selects are written as value ternaries (no branches on data).
 */
#ifndef LK_SCALAR_MATH_H
#define LK_SCALAR_MATH_H

#include <math.h>

/** Defines lk_sigmoid, lk_logsigmoid and lk_softplus for element type T and libm suffix SUF. */
#define LK_DEFINE_SCALAR_MATH(T, SUF)                                                      \
  /** Stable sigmoid: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) otherwise. */                   \
  static inline T lk_sigmoid##SUF(T x) {                                                  \
    const T e = exp##SUF(-fabs##SUF(x));                                                  \
    const T r = (T)1 / ((T)1 + e);                                                        \
    return x >= 0 ? r : e * r;                                                            \
  }                                                                                       \
  /** Stable log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)). */                           \
  static inline T lk_logsigmoid##SUF(T x) {                                               \
    const T m = x < 0 ? x : (T)0;                                                         \
    return m - log1p##SUF(exp##SUF(-fabs##SUF(x)));                                       \
  }                                                                                       \
  /** PyTorch softplus (beta 1, threshold 20): x above 20, else log1p(exp(x)). */         \
  static inline T lk_softplus##SUF(T x) {                                                 \
    const T s = log1p##SUF(exp##SUF(x));                                                  \
    return x > (T)20 ? x : s;                                                             \
  }

LK_DEFINE_SCALAR_MATH(float, f)
LK_DEFINE_SCALAR_MATH(double, )

#undef LK_DEFINE_SCALAR_MATH

#endif /* LK_SCALAR_MATH_H */
