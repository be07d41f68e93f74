/**
 * Instantiates the tile loops lk_run_f32_ISA / lk_run_f64_ISA (program_loop.h, with the
 * math of vecmath.h and scalar_math.h) for one instruction set. Included by one file per
 * ISA, which defines LK_ISA (the name suffix) and, unless it is the baseline, LK_ISA_TARGET
 * (the target features every function defined here is compiled for).
 */
#include "program.h"
#include "scalar_math.h"
#include <string.h>

#ifdef LK_ISA_TARGET
#pragma clang attribute push(__attribute__((target(LK_ISA_TARGET))), apply_to = function)
#endif

#define T float
#define SFX LK_CAT(f32_, LK_ISA)
#define M(fn) fn##f
#include "program_loop.h"
#undef T
#undef SFX
#undef M

#define T double
#define SFX LK_CAT(f64_, LK_ISA)
#define M(fn) fn
#include "program_loop.h"
#undef T
#undef SFX
#undef M

#ifdef LK_ISA_TARGET
#pragma clang attribute pop
#endif
