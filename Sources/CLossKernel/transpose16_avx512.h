/**
 * A 16 x 16 float32 transpose in AVX-512 registers, for the GEMM's packing of operands
 * whose panel lanes are rows (matmul_loop.h): four rounds of shuffles instead of the
 * gathers a compiler makes of the element-by-element loop. Included by matmul_isa.h for
 * an ISA that defines LK_MM_TRANSPOSE16, inside its target attribute.
 */
#ifndef LK_TRANSPOSE16_AVX512_H
#define LK_TRANSPOSE16_AVX512_H

#include <immintrin.h>

/** Transposes r in place: afterwards r[q][l] is what r[l][q] was. */
static inline __attribute__((always_inline)) void lk_transpose16_f32(__m512 r[16]) {
  __m512 t[16];
  for (int i = 0; i < 16; i += 2) { /* element pairs: t[i] holds (i, i + 1) lanes 0, 1, 4, 5, ... */
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) { /* quads of four rows within each 128-bit lane */
    r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
  }
  for (int h = 0; h < 16; h += 8) /* 128-bit lanes across eight rows */
    for (int i = 0; i < 4; i++) {
      t[h + i] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0x88);
      t[h + i + 4] = _mm512_shuffle_f32x4(r[h + i], r[h + i + 4], 0xdd);
    }
  for (int i = 0; i < 8; i++) { /* and across all sixteen */
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
  }
}

#endif
