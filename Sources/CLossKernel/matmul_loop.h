/**
 * The GEMM of one dtype and instruction set, GotoBLAS/BLIS style: C is computed in
 * KC-deep slices; each slice packs a KC x NC panel of B (L3) and MC x KC blocks of A (L2)
 * into contiguous micro-panels, and a register-blocked microkernel multiplies an MR-row
 * sliver of A by an NR-column sliver of B (L1) into MR x NR accumulators with FMAs.
 * Packing reads any row and column strides, so transposed operands need no copy. Products
 * with very few rows or columns skip packing (skinny).
 *
 * Included by matmul_isa.h once per dtype, with: T (the element type), SFX (the name
 * suffix, e.g. f32_avx512), LK_MM_VBYTES (bytes per vector register), LK_MM_MR (rows per
 * microtile) and LK_MM_NV (vectors per microtile row).
 */

/** One vector register of T (GCC vector extension; lane-wise arithmetic). */
typedef T LK_CAT(lk_mm_vec_, SFX) __attribute__((vector_size(LK_MM_VBYTES)));
/** The same vector at any element-aligned address (rows of C). */
typedef T LK_CAT(lk_mm_uvec_, SFX) __attribute__((vector_size(LK_MM_VBYTES), aligned(sizeof(T))));

#define V LK_CAT(lk_mm_vec_, SFX)
#define VU LK_CAT(lk_mm_uvec_, SFX)
#define FN(name) LK_CAT(LK_CAT(lk_mm_, name), LK_CAT(_, SFX))
/** Lanes per vector. */
#define W ((int64_t)(LK_MM_VBYTES / sizeof(T)))
#define MR ((int64_t)LK_MM_MR)
#define NR ((int64_t)LK_MM_NV * W)
/** Depth of a slice (measured; the KC x NR sliver of B each microtile rereads is 12-48 KiB). */
#define KC ((int64_t)(sizeof(T) == 4 ? 384 : 256))
/** Rows of A packed at once: an MC x KC block of A is at most about 512 KiB (L2). */
#define MC ((int64_t)(((512 << 10) / (KC * (int64_t)sizeof(T))) / MR * MR))
/** Rows (or contiguous columns) up to which a product skips packing (see skinny). */
#define LK_MM_FEW 4
/** Columns of B packed at once: a KC x NC panel of B is at most 6 MiB (L3). */
#define NC ((int64_t)(((6 << 20) / (KC * (int64_t)sizeof(T))) / NR * NR))

#ifdef LK_MM_TRANSPOSE16
/**
 * Packs 16 depth steps of `panel` lanes that are rows of float32 (lane l of step q at
 * s[l * ws + q]) to dst[q * panel + l], sixteen lanes at a time through lk_transpose16_f32
 * (a lane group short of 16 is zero in the registers and not stored).
 */
static inline __attribute__((always_inline)) void FN(pack_rows16)(const float *restrict s, int64_t ws,
                                                                 int64_t panel, float *restrict dst) {
  for (int64_t l0 = 0; l0 < panel; l0 += 16) {
    const int64_t n = panel - l0 < 16 ? panel - l0 : 16;
    __m512 r[16];
    for (int64_t l = 0; l < 16; l++) r[l] = l < n ? _mm512_loadu_ps(s + (l0 + l) * ws) : _mm512_setzero_ps();
    lk_transpose16_f32(r);
    for (int64_t q = 0; q < 16; q++) _mm512_mask_storeu_ps(dst + q * panel + l0, (__mmask16)((1u << n) - 1), r[q]);
  }
}
#endif

/**
 * Packs the width x kc block whose element (w, p) is src[w * ws + p * ks] as panels of
 * `panel` lanes: panel q holds element (q * panel + l, p) at [q * panel * kc + p * panel + l],
 * with lanes past `width` zero. Inlined with a constant panel, so the copies vectorize.
 */
static inline __attribute__((always_inline)) void FN(pack)(const T *restrict src, int64_t ws,
                                                          int64_t ks, int64_t width, int64_t kc,
                                                          int64_t panel, T *restrict dst) {
  for (int64_t w0 = 0; w0 < width; w0 += panel, dst += panel * kc) {
    const int64_t lanes = (width - w0 < panel) ? width - w0 : panel;
    const T *restrict s = src + w0 * ws;
    if (lanes < panel)
      for (int64_t i = 0; i < panel * kc; i++) dst[i] = 0;
    if (ws == 1 && lanes == panel) { /* each depth step is a contiguous run of lanes */
      for (int64_t p = 0; p < kc; p++)
        for (int64_t l = 0; l < panel; l++) dst[p * panel + l] = s[p * ks + l];
    } else if (ks == 1 && lanes == panel) { /* lanes are rows: transpose 16 steps at a time */
      int64_t p = 0;
#ifdef LK_MM_TRANSPOSE16
      if (sizeof(T) == 4)
        for (; p + 16 <= kc; p += 16) FN(pack_rows16)((const float *)s + p, ws, panel, (float *)dst + p * panel);
#endif
      for (; p + 16 <= kc; p += 16) {
        T block[panel][16];
        for (int64_t l = 0; l < panel; l++)
          for (int64_t q = 0; q < 16; q++) block[l][q] = s[l * ws + p + q];
        for (int64_t q = 0; q < 16; q++)
          for (int64_t l = 0; l < panel; l++) dst[(p + q) * panel + l] = block[l][q];
      }
      for (; p < kc; p++)
        for (int64_t l = 0; l < panel; l++) dst[p * panel + l] = s[l * ws + p];
    } else { /* any strides, or an edge panel: each lane in depth order */
      for (int64_t l = 0; l < lanes; l++)
        for (int64_t p = 0; p < kc; p++) dst[p * panel + l] = s[l * ws + p * ks];
    }
  }
}

/** Packs an MR-lane sliver layout of rows of A (see pack). */
static void FN(pack_a)(const T *src, int64_t rs, int64_t cs, int64_t rows, int64_t kc, T *dst) {
  FN(pack)(src, rs, cs, rows, kc, MR, dst);
}

/** Packs an NR-lane sliver layout of columns of B (see pack). */
static void FN(pack_b)(const T *src, int64_t rs, int64_t cs, int64_t cols, int64_t kc, T *dst) {
  FN(pack)(src, cs, rs, cols, kc, NR, dst);
}

/**
 * The microkernel: the MR x NR product of packed slivers ap (kc x MR) and bp (kc x NR),
 * stored to (or, if accumulate, added to) the rows x cols corner of c, rows ldc apart.
 */
static inline void FN(kernel)(int64_t kc, const T *restrict ap, const T *restrict bp,
                              T *restrict c, int64_t ldc, bool accumulate, int64_t rows,
                              int64_t cols) {
  V acc[LK_MM_MR][LK_MM_NV];
  for (int64_t r = 0; r < MR; r++)
    for (int64_t v = 0; v < LK_MM_NV; v++) acc[r][v] = (V){0};
  for (int64_t p = 0; p < kc; p++, ap += MR, bp += NR) {
    V b[LK_MM_NV];
    for (int64_t v = 0; v < LK_MM_NV; v++) b[v] = ((const V *)bp)[v];
    for (int64_t r = 0; r < MR; r++) {
      const T a = ap[r];
      for (int64_t v = 0; v < LK_MM_NV; v++) acc[r][v] += a * b[v];
    }
  }
  if (rows == MR && cols == NR) {
    for (int64_t r = 0; r < MR; r++)
      for (int64_t v = 0; v < LK_MM_NV; v++) {
        VU *dst = (VU *)(c + r * ldc + v * W);
        *dst = accumulate ? *dst + acc[r][v] : acc[r][v];
      }
    return;
  }
  V tile[LK_MM_MR][LK_MM_NV]; /* an edge: spill the accumulators, write the corner */
  for (int64_t r = 0; r < MR; r++)
    for (int64_t v = 0; v < LK_MM_NV; v++) tile[r][v] = acc[r][v];
  const T *t = (const T *)tile;
  for (int64_t r = 0; r < rows; r++)
    for (int64_t j = 0; j < cols; j++)
      c[r * ldc + j] = accumulate ? c[r * ldc + j] + t[r * NR + j] : t[r * NR + j];
}

/** Multiplies rows [i0, i1) of A by columns [j0, j1) of B into C for one batch item. */
static void FN(product)(const T *a, const T *b, T *c, const lk_gemm *g, const lk_gemm_part *part,
                        T *apack, T *bpack) {
  for (int64_t jc = part->j0; jc < part->j1; jc += NC) {
    const int64_t nc = (part->j1 - jc < NC) ? part->j1 - jc : NC;
    for (int64_t pc = 0; pc < g->k; pc += KC) {
      const int64_t kc = (g->k - pc < KC) ? g->k - pc : KC;
      FN(pack_b)(b + pc * g->b_rs + jc * g->b_cs, g->b_rs, g->b_cs, nc, kc, bpack);
      for (int64_t ic = part->i0; ic < part->i1; ic += MC) {
        const int64_t mc = (part->i1 - ic < MC) ? part->i1 - ic : MC;
        FN(pack_a)(a + ic * g->a_rs + pc * g->a_cs, g->a_rs, g->a_cs, mc, kc, apack);
        for (int64_t jr = 0; jr < nc; jr += NR)
          for (int64_t ir = 0; ir < mc; ir += MR)
            FN(kernel)(kc, apack + ir * kc, bpack + jr * kc, c + (ic + ir) * g->m + jc + jr, g->m,
                       pc > 0, (mc - ir < MR) ? mc - ir : MR, (nc - jr < NR) ? nc - jr : NR);
      }
    }
  }
}

/** The dot product of x and y (k elements, strides xs and ys), in a fixed order. */
static T FN(dot)(const T *x, int64_t xs, const T *y, int64_t ys, int64_t k) {
  V acc = {0};
  int64_t p = 0;
  if (xs == 1 && ys == 1)
    for (; p + W <= k; p += W) acc += *(const VU *)(x + p) * *(const VU *)(y + p);
  T sum = 0;
  for (int64_t l = 0; l < W; l++) sum += acc[l];
  for (; p < k; p++) sum += x[p * xs] * y[p * ys];
  return sum;
}

/**
 * A part of a product with at most LK_MM_FEW rows, or as few columns when rows of A and
 * columns of B are contiguous, computed without packing (which would cost as much as the
 * arithmetic): few rows sweep the rows of B, vectorized along C's rows; few columns take
 * dot products. The choice depends on the whole product, not on the part, so results do
 * not depend on how the work is split between threads.
 */
static void FN(skinny)(const T *a, const T *b, T *c, const lk_gemm *g, const lk_gemm_part *part) {
  for (int64_t i = part->i0; i < part->i1; i++) {
    T *restrict ci = c + i * g->m;
    if (g->n > LK_MM_FEW) {
      for (int64_t j = part->j0; j < part->j1; j++)
        ci[j] = FN(dot)(a + i * g->a_rs, g->a_cs, b + j * g->b_cs, g->b_rs, g->k);
      continue;
    }
    for (int64_t j = part->j0; j < part->j1; j++) ci[j] = 0;
    for (int64_t p = 0; p < g->k; p++) {
      const T av = a[i * g->a_rs + p * g->a_cs];
      const T *restrict bp = b + p * g->b_rs;
      if (g->b_cs == 1)
        for (int64_t j = part->j0; j < part->j1; j++) ci[j] += av * bp[j];
      else
        for (int64_t j = part->j0; j < part->j1; j++) ci[j] += av * bp[j * g->b_cs];
    }
  }
}

lk_status LK_CAT(lk_gemm_, SFX)(const lk_gemm *g, const lk_gemm_part *part) {
  if (g->n <= LK_MM_FEW || (g->m <= LK_MM_FEW && g->a_cs == 1 && g->b_rs == 1)) {
    for (int64_t t = part->t0; t < part->t1; t++)
      FN(skinny)((const T *)g->a + g->a_off[t], (const T *)g->b + g->b_off[t],
                 (T *)g->c + t * g->n * g->m, g, part);
    return LK_OK;
  }
  const int64_t rows = part->i1 - part->i0, cols = part->j1 - part->j0;
  const int64_t kc = (g->k < KC) ? g->k : KC;
  const int64_t mc = (rows < MC) ? rows : MC, nc = (cols < NC) ? cols : NC;
  T *apack = lk_scratch((size_t)((mc + MR - 1) / MR * MR * kc) * sizeof(T));
  T *bpack = lk_scratch((size_t)((nc + NR - 1) / NR * NR * kc) * sizeof(T));
  if (!apack || !bpack) {
    free(apack);
    free(bpack);
    return LK_ENOMEM;
  }
  for (int64_t t = part->t0; t < part->t1; t++)
    FN(product)((const T *)g->a + g->a_off[t], (const T *)g->b + g->b_off[t],
                (T *)g->c + t * g->n * g->m, g, part, apack, bpack);
  free(apack);
  free(bpack);
  return LK_OK;
}

#undef V
#undef VU
#undef FN
#undef W
#undef MR
#undef NR
#undef KC
#undef MC
#undef NC
#undef LK_MM_FEW
