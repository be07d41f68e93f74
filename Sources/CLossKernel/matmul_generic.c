/** The portable GEMM (SSE2 on x86-64, NEON with FMA on aarch64): 4 x 2 16-byte-vector microtiles. */
#define LK_ISA generic
#define LK_MM_VBYTES 16
#define LK_MM_MR 4
#define LK_MM_NV 2
#include "matmul_isa.h"
