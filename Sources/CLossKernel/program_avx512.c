/** The VM's tile loops for CPUs with AVX-512 F/DQ/VL/BW (x86-64-v4). */
#define LK_ISA avx512
#define LK_ISA_TARGET "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma"
#include "program_isa.h"
