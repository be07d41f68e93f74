/**
 * Instantiates lk_gemm_f32_ISA and lk_gemm_f64_ISA (matmul_loop.h) for one instruction
 * set. Included by one file per ISA, which defines LK_ISA (the name suffix), LK_MM_VBYTES,
 * LK_MM_MR and LK_MM_NV (see matmul_loop.h) and, unless it is the baseline, LK_ISA_TARGET
 * (the target features every function defined here is compiled for); an AVX-512 one also
 * LK_MM_TRANSPOSE16 (packing transposes float32 in registers: transpose16_avx512.h).
 */
#include "matmul.h"
#include "program.h"

#ifdef LK_ISA_TARGET
#pragma clang attribute push(__attribute__((target(LK_ISA_TARGET))), apply_to = function)
#endif
#ifdef LK_MM_TRANSPOSE16
#include "transpose16_avx512.h"
#endif

#define T float
#define SFX LK_CAT(f32_, LK_ISA)
#include "matmul_loop.h"
#undef T
#undef SFX

#define T double
#define SFX LK_CAT(f64_, LK_ISA)
#include "matmul_loop.h"
#undef T
#undef SFX

#ifdef LK_ISA_TARGET
#pragma clang attribute pop
#endif
