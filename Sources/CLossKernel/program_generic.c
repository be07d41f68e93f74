/** The VM's tile loops for the target's baseline (SSE2 on x86-64, NEON on aarch64), the fallback on any CPU. */
#define LK_ISA generic
#include "program_isa.h"
