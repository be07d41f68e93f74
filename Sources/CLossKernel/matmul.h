/** The GEMM's shared description of one batched product and its per-ISA entry points. */
#ifndef LK_MATMUL_H
#define LK_MATMUL_H

#include "internal.h"

/** A batched product C[t] = A[t] B[t] as given to lk_matmul (strides in elements). */
typedef struct lk_gemm {
  int64_t n, k, m;                /**< C[t] is n x m; the inner dimension is k. */
  const void *a, *b;              /**< Operand bases. */
  void *c;                        /**< Output: C[t] at element t * n * m, rows m apart. */
  const int64_t *a_off, *b_off;   /**< Per batch index, the operands' element offsets. */
  int64_t a_rs, a_cs, b_rs, b_cs; /**< Row and column strides of A and B. */
} lk_gemm;

/** The block of work one thread does: batch items [t0, t1), C rows [i0, i1), columns [j0, j1). */
typedef struct lk_gemm_part {
  int64_t t0, t1, i0, i1, j0, j1;
} lk_gemm_part;

/** Computes one part of a product with k > 0; LK_ENOMEM if its packing scratch fails. */
typedef lk_status (*lk_gemm_fn)(const lk_gemm *g, const lk_gemm_part *part);

/** Declares lk_gemm_f32_ISA and lk_gemm_f64_ISA (matmul_loop.h) of one instruction set. */
#define LK_DECLARE_GEMM(ISA)                                              \
  lk_status lk_gemm_f32_##ISA(const lk_gemm *g, const lk_gemm_part *part); \
  lk_status lk_gemm_f64_##ISA(const lk_gemm *g, const lk_gemm_part *part);

/* One copy per instruction set (matmul_generic.c, and on x86-64 matmul_avx2.c, matmul_avx512.c). */
LK_DECLARE_GEMM(generic)
#if defined(__x86_64__)
LK_DECLARE_GEMM(avx2)
LK_DECLARE_GEMM(avx512)
#endif

#undef LK_DECLARE_GEMM

#endif /* LK_MATMUL_H */
