/** The GEMM for CPUs with AVX2 and FMA: 6 x 2 ymm microtiles (12 accumulators of 16). */
#if defined(__x86_64__)
#define LK_ISA avx2
#define LK_ISA_TARGET "avx2,fma"
#define LK_MM_VBYTES 32
#define LK_MM_MR 6
#define LK_MM_NV 2
#include "matmul_isa.h"
#endif
