/** The GEMM for CPUs with AVX-512F: 14 x 2 zmm microtiles (28 accumulators of 32). */
#if defined(__x86_64__)
#define LK_ISA avx512
#define LK_ISA_TARGET "avx512f,avx2,fma"
#define LK_MM_VBYTES 64
#define LK_MM_MR 14
#define LK_MM_NV 2
#define LK_MM_TRANSPOSE16
#include "matmul_isa.h"
#endif
