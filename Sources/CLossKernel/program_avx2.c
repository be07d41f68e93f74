/** The VM's tile loops for CPUs with AVX2 and FMA (x86-64-v3). */
#if defined(__x86_64__)
#define LK_ISA avx2
#define LK_ISA_TARGET LK_TARGET_AVX2
#include "program_isa.h"
#endif
