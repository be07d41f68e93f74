/** The VM's tile loops for the x86-64 baseline (SSE2), the fallback on any CPU. */
#define LK_ISA sse2
#include "program_isa.h"
