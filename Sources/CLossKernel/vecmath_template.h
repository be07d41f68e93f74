/**
 * The algorithms of vecmath.h, included once per element type with T (float or double),
 * LK_U / LK_I (the unsigned / signed integer of T's width), LK_MANT (mantissa bits),
 * LK_BIAS (exponent bias) and LK_VM(name) (name with the type's suffix, f or d) defined.
 * Constants and polynomials come from vecmath_float.h / vecmath_double.h.
 */

/** c ? a : b as bit masks (c is 0 or 1), which vectorizes under -ftrapping-math. */
LK_VM_INLINE T LK_VM(lk_select)(LK_I c, T a, T b) {
  const LK_U m = (LK_U)0 - (LK_U)c;
  return LK_VM(lk_from_bits)((LK_VM(lk_bits)(a) & m) | (LK_VM(lk_bits)(b) & ~m));
}

/** The sign bit of T. */
#define LK_SIGN ((LK_U)1 << (sizeof(T) * 8 - 1))

/** |x|, by clearing the sign bit. */
LK_VM_INLINE T LK_VM(lk_abs)(T x) {
  return LK_VM(lk_from_bits)(LK_VM(lk_bits)(x) & ~LK_SIGN);
}

/** x clamped to [lo, hi]; NaN stays NaN. */
LK_VM_INLINE T LK_VM(lk_clamp)(T x, T lo, T hi) {
  const T y = LK_VM(lk_select)(x < lo, lo, x);
  return LK_VM(lk_select)(y > hi, hi, y);
}

/** 2^k for a k in the normal exponent range. */
LK_VM_INLINE T LK_VM(lk_pow2i)(LK_I k) {
  return LK_VM(lk_from_bits)((LK_U)(k + LK_BIAS) << LK_MANT);
}

/** The small integer k as T (exact for |k| < 2^(LK_MANT - 1)), without an int conversion. */
LK_VM_INLINE T LK_VM(lk_itof)(LK_I k) {
  const T shift = LK_VM(lk_round_shift);
  return LK_VM(lk_from_bits)(LK_VM(lk_bits)(shift) + (LK_U)k) - shift;
}

/** Splits x = k ln2 + r with k = round(x / ln2), |r| <= ln2 / 2; returns r, stores k. */
LK_VM_INLINE T LK_VM(lk_exp_reduce)(T x, LK_I *k) {
  const T shift = LK_VM(lk_round_shift);
  const T z = x * LK_VM(lk_inv_ln2) + shift;
  const T kf = z - shift;
  *k = (LK_I)(LK_VM(lk_bits)(z) - LK_VM(lk_bits)(shift));
  const T r = x - kf * LK_VM(lk_ln2_hi);
  return r - kf * LK_VM(lk_ln2_lo);
}

/** 2^k e^r from e^r = 1 + expm1(r) = p: two exact power-of-two factors reach the subnormal
    and overflow ranges with one rounding. */
LK_VM_INLINE T LK_VM(lk_exp_scale)(T p, LK_I k) {
  const LK_I k1 = k >> 1;
  return (p * LK_VM(lk_pow2i)(k1)) * LK_VM(lk_pow2i)(k - k1);
}

/** e^x. */
LK_VM_INLINE T LK_VM(lk_exp)(T x) {
  LK_I k;
  const T r = LK_VM(lk_exp_reduce)(LK_VM(lk_clamp)(x, LK_VM(lk_exp_lo), LK_VM(lk_exp_hi)), &k);
  return LK_VM(lk_exp_scale)((T)1 + LK_VM(lk_expm1_poly)(r), k);
}

/**
 * Splits |x| = k ln2 + r as lk_exp_reduce, |x| clamped to [0, -lk_exp_lo] (below e^-|x|
 * rounds to 0). The reduction is odd (the rounding to an integer, ties to even, and the
 * subtractions are symmetric), so -k and -r are those of lk_exp at -|x|.
 */
LK_VM_INLINE T LK_VM(lk_exp_reduce_abs)(T x, LK_I *k) {
  return LK_VM(lk_exp_reduce)(LK_VM(lk_clamp)(LK_VM(lk_abs)(x), (T)0, -LK_VM(lk_exp_lo)), k);
}

/** e^-|x|, bit for bit lk_exp(-|x|), from the reduction of |x| that lk_sigmoid makes too: a
    kernel computing both (log-sigmoid and sigmoid, as losses on logits and their
    gradients do) shares it. */
LK_VM_INLINE T LK_VM(lk_exp_neg_abs)(T x) {
  LK_I k;
  const T r = LK_VM(lk_exp_reduce_abs)(x, &k);
  return LK_VM(lk_exp_scale)((T)1 + LK_VM(lk_expm1_poly)(-r), -k);
}

/** e^x - 1, accurate near 0. */
LK_VM_INLINE T LK_VM(lk_expm1)(T x) {
  LK_I k;
  const T r =
      LK_VM(lk_exp_reduce)(LK_VM(lk_clamp)(x, LK_VM(lk_expm1_lo), LK_VM(lk_exp_hi)), &k);
  const T p = LK_VM(lk_expm1_poly)(r);
  /* 2^k (1 + p) - 1 as 2 (t p + (t - 1/2)) with t = 2^(k-1), which cannot overflow. */
  const T t = LK_VM(lk_pow2i)(k - 1);
  const T y = (p * t + (t - (T)0.5)) * (T)2;
  return LK_VM(lk_select)(x == 0, x, y);
}

/** Splits a positive normal x into 2^k * m with m in [sqrt(1/2), sqrt(2)); returns m - 1. */
LK_VM_INLINE T LK_VM(lk_log_split)(T x, LK_I *k) {
  const LK_U ix = LK_VM(lk_bits)(x);
  *k = (LK_I)(ix - LK_VM(lk_bits)(LK_VM(lk_sqrt_half))) >> LK_MANT;
  return LK_VM(lk_from_bits)(ix - ((LK_U)*k << LK_MANT)) - (T)1;
}

/** k ln2 + log1p(f) + c for f in [sqrt(1/2) - 1, sqrt(2) - 1] and a tiny correction c (fdlibm). */
LK_VM_INLINE T LK_VM(lk_log_core)(T f, T k, T c) {
  const T hfsq = (T)0.5 * f * f;
  const T s = f / ((T)2 + f);
  const T r = LK_VM(lk_log_poly)(s * s);
  return k * LK_VM(lk_ln2_hi) - ((hfsq - (s * (hfsq + r) + (k * LK_VM(lk_ln2_lo) + c))) - f);
}

/** Overrides y with log's special values at x: +Inf and NaN give x, `pole` -Inf, below it NaN. */
LK_VM_INLINE T LK_VM(lk_log_specials)(T x, T pole, T y) {
  y = LK_VM(lk_select)(x == pole, -(T)INFINITY, y);
  y = LK_VM(lk_select)(x < pole, (T)NAN, y);
  return LK_VM(lk_select)(!(x < (T)INFINITY), x, y);
}

/** Natural logarithm. */
LK_VM_INLINE T LK_VM(lk_log)(T x) {
  const LK_I sub = x < LK_VM(lk_min_normal);
  const T xs = LK_VM(lk_select)(sub, x * LK_VM(lk_subnormal_scale), x);
  LK_I k;
  const T f = LK_VM(lk_log_split)(xs, &k);
  const T y = LK_VM(lk_log_core)(f, LK_VM(lk_itof)(k - sub * LK_MANT), (T)0);
  return LK_VM(lk_log_specials)(x, (T)0, y);
}

/** tanh: an odd polynomial near 0, else q / (q + 2) with q = expm1(2|x|) and x's sign. */
LK_VM_INLINE T LK_VM(lk_tanh)(T x) {
  const T a = LK_VM(lk_abs)(x);
  const T y = x * x;
  const T small = x * (y * LK_VM(lk_tanh_poly)(y)) + x;
  const T q = LK_VM(lk_expm1)((T)2 * LK_VM(lk_clamp)(a, (T)0, LK_VM(lk_tanh_sat)));
  const LK_U sign = LK_VM(lk_bits)(x) & LK_SIGN;
  const T large = LK_VM(lk_from_bits)(LK_VM(lk_bits)(q / (q + (T)2)) | sign);
  /* y * P(y) is -0 at x = ±0, so select x itself there to keep tanh(-0) = -0. */
  return LK_VM(lk_select)(a < LK_VM(lk_tanh_small), LK_VM(lk_select)(x == 0, x, small), large);
}

/**
 * Sigmoid, from s = sigmoid(-|x|) = t / ((t + 1) + p) where e^|x| = 2^k (1 + p) and
 * t = 2^-k <= 1: t + 1 is exact up to k = LK_MANT and the denominator rounds once (beyond,
 * 1 + (p + t) errs less); then sigmoid(x) = 1 - s for x > 0, which cannot cancel. Like
 * PyTorch's stable sigmoid it never overflows, and more accurately.
 */
LK_VM_INLINE T LK_VM(lk_sigmoid)(T x) {
  LK_I k;
  const T r = LK_VM(lk_exp_reduce_abs)(x, &k);
  const T p = LK_VM(lk_expm1_poly)(r);
  const LK_I k1 = k >> 1;
  const T t1 = LK_VM(lk_pow2i)(-k1), t2 = LK_VM(lk_pow2i)(k1 - k), t = t1 * t2;
  const T den = LK_VM(lk_select)(k > LK_MANT, (T)1 + (p + t), (t + (T)1) + p);
  const T s = (t1 / den) * t2;
  return LK_VM(lk_select)(x > 0, (T)1 - s, s);
}

#undef LK_SIGN
