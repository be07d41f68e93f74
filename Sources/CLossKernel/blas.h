/** The system BLAS behind lk_matmul_with (blas.c). */
#ifndef LK_BLAS_H
#define LK_BLAS_H

#include "internal.h"

/**
 * Multiply-adds per product below which LK_GEMM_AUTO keeps the kernel's own GEMM: under it
 * ours is as fast or faster and starts no thread pool (docs/performance.md).
 */
#define LK_BLAS_MIN_MACS (1 << 22)

/**
 * Computes the product lk_matmul_with describes with the system BLAS (one cblas_?gemm per batch
 * item) and returns true; returns false, writing nothing, when no BLAS is loaded, an argument
 * is invalid or empty (k = 0 included), a size exceeds BLAS's 32-bit integers, an operand has
 * no unit stride (a broadcast or gapped operand) or, unless any_size, the product is smaller
 * than LK_BLAS_MIN_MACS.
 */
bool lk_blas_gemm(bool any_size, int32_t dtype, int64_t batch, const int64_t *a_off, const int64_t *b_off,
                  int64_t n, int64_t k, int64_t m, const void *a, int64_t a_rs, int64_t a_cs, const void *b,
                  int64_t b_rs, int64_t b_cs, void *c);

#endif /* LK_BLAS_H */
