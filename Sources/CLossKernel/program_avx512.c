/** The VM's tile loops for CPUs with AVX-512 F/DQ/VL/BW (x86-64-v4). */
#if defined(__x86_64__)
#define LK_ISA avx512
#define LK_ISA_TARGET LK_TARGET_AVX512
#define LK_ISA_SCALEF 1 /* lk_tile_sumexp scales with vscalefps: exp_chunk_scalef.h */
#include "program_isa.h"
#endif
