/**
 * Checks the AVX-512 exponentials of the one-pass log-sum-exp (exp_chunk_scalef.h) against
 * lk_expf on all 2^32 float32 inputs, bit for bit (NaNs included), compiled as the VM's
 * AVX-512 loops are (scripts/ulp_sweep.sh builds and runs it). Prints the count that differ
 * and exits 1 if any does. Needs an AVX-512 CPU.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma"))), apply_to = function)
#include "../Sources/CLossKernel/scalar_math.h"
#define T float
#define SFX f32
#define M(fn) fn##f
#include "../Sources/CLossKernel/output_steps.h"
#include "../Sources/CLossKernel/exp_chunk_scalef.h"

/** A chunk of exponentials by vscalefps. */
__attribute__((noinline)) static void scaled(const float *x, float *e) {
  static const float zero = 0.0f;
  lk_exp_chunk_scalef(x, &zero, 0, e, NULL);
}

/** The same chunk by lk_expf, as the VM's exp instruction computes it. */
__attribute__((noinline)) static void portable(const float *x, float *e) {
  for (int i = 0; i < LK_FOLD_CHUNK; i++) e[i] = lk_expf(x[i] - 0.0f);
}
#pragma clang attribute pop

int main(void) {
  uint64_t differ = 0;
  uint32_t first = 0;
  _Alignas(64) float x[LK_FOLD_CHUNK], a[LK_FOLD_CHUNK], b[LK_FOLD_CHUNK];
  for (uint64_t base = 0; base < (1ull << 32); base += LK_FOLD_CHUNK) {
    for (int i = 0; i < LK_FOLD_CHUNK; i++) {
      const uint32_t bits = (uint32_t)(base + (uint64_t)i);
      memcpy(&x[i], &bits, sizeof bits);
    }
    scaled(x, a);
    portable(x, b);
    if (memcmp(a, b, sizeof a) == 0) continue;
    for (int i = 0; i < LK_FOLD_CHUNK; i++)
      if (memcmp(&a[i], &b[i], sizeof a[i]) != 0 && differ++ == 0) first = (uint32_t)(base + (uint64_t)i);
  }
  printf("exp by vscalefps against lk_expf, all 2^32 float32 inputs: %llu differ", (unsigned long long)differ);
  if (differ) printf(" (first at bits %08x)", first);
  printf("\n");
  return differ != 0;
}
