/**
 * The exponentials of a whole fold chunk of float32 arguments, with AVX-512's
 * `vscalefps` for the final scaling by 2^k: the hot loop of the one-pass log-sum-exp of
 * rows (lk_tile_sumexp, W2's first pass) and of columns (lk_cols_sumexp, W3's). Included
 * by program_loop.h when the ISA defines LK_ISA_SCALEF (program_avx512.c), inside its
 * target attribute; needs output_steps.h's LK_FOLD_CHUNK.
 *
 * Bit for bit lk_expf(x - m): the first power-of-two factor of lk_expf's scaling
 * (lk_exp_scale) is exact and the second rounds once, as `vscalefps` does (p * 2^k correctly
 * rounded, subnormal or not).
 */
#ifndef LK_EXP_CHUNK_SCALEF_H
#define LK_EXP_CHUNK_SCALEF_H

#include <immintrin.h>

/** e[i] = exp(x[i] - m[i * m_step]) for LK_FOLD_CHUNK elements: m_step 0 subtracts one m from
    every element (a row's maximum), 1 each element's own (its column's); each x[i] - m[i * m_step]
    also goes to d[i] unless d is NULL. */
static inline __attribute__((always_inline)) void lk_exp_chunk_scalef(const float *x, const float *m,
                                                                      int64_t m_step, float *e, float *d) {
  _Alignas(64) float p[LK_FOLD_CHUNK], k[LK_FOLD_CHUNK];
  for (int i = 0; i < LK_FOLD_CHUNK; i++) {
    const float a = x[i] - m[i * m_step];
    if (d) d[i] = a;
    int32_t ki;
    const float r = lk_exp_reducef(lk_clampf(a, lk_exp_lof, lk_exp_hif), &ki);
    p[i] = 1.0f + lk_expm1_polyf(r);
    k[i] = (float)ki;
  }
  for (int q = 0; q < LK_FOLD_CHUNK / 16; q++)
    _mm512_storeu_ps(e + 16 * q, _mm512_scalef_ps(_mm512_load_ps(p + 16 * q), _mm512_load_ps(k + 16 * q)));
}

#endif
