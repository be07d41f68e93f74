/**
 * One instruction set's loops over the kernel's vector math (the float functions the VM
 * uses and vecmath.h's double versions) for scripts/ulp_sweep.c:
 * compiled once per ISA (-mavx2 ... flags) with SWEEP_ISA naming the functions, so the
 * loops vectorize and contract to FMA exactly as the VM's per-ISA tile loops do.
 */
#include "../Sources/CLossKernel/scalar_math.h"
#include <stddef.h>

#define SWEEP_CAT2(a, b) a##b
#define SWEEP_CAT(a, b) SWEEP_CAT2(a, b)

/** Applies function fn (the order of ulp_sweep.c's table) to n floats. */
void SWEEP_CAT(sweep_f32_, SWEEP_ISA)(int fn, const float *x, float *y, size_t n) {
  switch (fn) {
  case 0: for (size_t i = 0; i < n; i++) y[i] = lk_expf(x[i]); break;
  case 1: for (size_t i = 0; i < n; i++) y[i] = lk_logf(x[i]); break;
  case 2: for (size_t i = 0; i < n; i++) y[i] = lk_log1pf(x[i]); break;
  case 3: for (size_t i = 0; i < n; i++) y[i] = lk_expm1f(x[i]); break;
  case 4: for (size_t i = 0; i < n; i++) y[i] = lk_tanhf(x[i]); break;
  case 5: for (size_t i = 0; i < n; i++) y[i] = lk_sigmoidf(x[i]); break;
  case 6: for (size_t i = 0; i < n; i++) y[i] = lk_logsigmoidf(x[i]); break;
  default: for (size_t i = 0; i < n; i++) y[i] = lk_softplusf(x[i]); break;
  }
}

/** Applies function fn (< 6: logsigmoid and softplus have no double version) to n doubles. */
void SWEEP_CAT(sweep_f64_, SWEEP_ISA)(int fn, const double *x, double *y, size_t n) {
  switch (fn) {
  case 0: for (size_t i = 0; i < n; i++) y[i] = lk_expd(x[i]); break;
  case 1: for (size_t i = 0; i < n; i++) y[i] = lk_logd(x[i]); break;
  case 2: for (size_t i = 0; i < n; i++) y[i] = lk_log1pd(x[i]); break;
  case 3: for (size_t i = 0; i < n; i++) y[i] = lk_expm1d(x[i]); break;
  case 4: for (size_t i = 0; i < n; i++) y[i] = lk_tanhd(x[i]); break;
  default: for (size_t i = 0; i < n; i++) y[i] = lk_sigmoidd(x[i]); break;
  }
}
