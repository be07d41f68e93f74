/**
 * Accuracy sweep of the kernel's vector math (Sources/CLossKernel/vecmath.h) against libm:
 * float32 over every bit pattern (or every STEP-th), reference in double libm; vecmath's
 * double versions (which the VM does not use: its float64 keeps libm) over random bit
 * patterns and random values in [-64, 64], reference in long double.
 * Prints the max ulp error per function and ISA, and counts special-value mismatches
 * (NaN-ness, infinities, signed zeros). Run through scripts/ulp_sweep.sh.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_DECLARE(ISA)                                              \
  void sweep_f32_##ISA(int fn, const float *x, float *y, size_t n);     \
  void sweep_f64_##ISA(int fn, const double *x, double *y, size_t n);
SWEEP_DECLARE(sse2)
SWEEP_DECLARE(avx2)
SWEEP_DECLARE(avx512)

typedef void (*sweep_f32_fn)(int, const float *, float *, size_t);
typedef void (*sweep_f64_fn)(int, const double *, double *, size_t);
static const char *const isa_names[] = {"sse2", "avx2", "avx512"};
static const sweep_f32_fn isa_f32[] = {sweep_f32_sse2, sweep_f32_avx2, sweep_f32_avx512};
static const sweep_f64_fn isa_f64[] = {sweep_f64_sse2, sweep_f64_avx2, sweep_f64_avx512};
static const char *const fn_names[] = {"exp", "log", "log1p", "expm1", "tanh",
                                       "sigmoid", "logsigmoid", "softplus"};
/** Functions swept in float32, and in float64 (vecmath.h has no double logsigmoid, softplus). */
enum { N_FN = 8, N_FN_F64 = 6, N_ISA = 3, BLOCK = 1 << 16 };

/** The reference value of function fn at x, in long double. */
static long double reference_ld(int fn, long double x) {
  switch (fn) {
  case 0: return expl(x);
  case 1: return logl(x);
  case 2: return log1pl(x);
  case 3: return expm1l(x);
  case 4: return tanhl(x);
  case 5: return x >= 0 ? 1 / (1 + expl(-x)) : expl(x) / (1 + expl(x));
  case 6: return (x < 0 ? x : 0) - log1pl(expl(-fabsl(x)));
  default: return x > 20 ? x : log1pl(expl(x));
  }
}

/** The reference value of function fn at x, in double (for float results). */
static double reference_d(int fn, double x) {
  switch (fn) {
  case 0: return exp(x);
  case 1: return log(x);
  case 2: return log1p(x);
  case 3: return expm1(x);
  case 4: return tanh(x);
  case 5: return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
  case 6: return (x < 0 ? x : 0) - log1p(exp(-fabs(x)));
  default: return x > 20 ? x : log1p(exp(x));
  }
}

/**
 * Error of the double got in double ulps at the long double reference. NaN-ness, infinities
 * (of the reference rounded to double) and, if check_zero_sign, the sign of a zero result
 * must match exactly, else the error is infinite.
 */
static double ulp_error(long double ref, double got, int check_zero_sign) {
  const int mant = 52, emin = -1022;
  const long double rounded = (long double)(double)ref;
  if (isnan(ref) || isnan(got)) return isnan(ref) && isnan(got) ? 0 : INFINITY;
  if (isinf(rounded) || isinf(got)) return rounded == got ? 0 : INFINITY;
  if (rounded == 0 && got == 0) return !check_zero_sign || signbit(ref) == signbit(got) ? 0 : INFINITY;
  int e;
  frexpl(ref, &e);
  if (e - 1 < emin) e = emin + 1;
  return (double)(fabsl(got - ref) / ldexpl(1, e - 1 - mant));
}

/** ulp_error for float results against a double reference, without long double (fast). */
static double ulp_error_f32(double ref, float got, int check_zero_sign) {
  const float rounded = (float)ref;
  if (isnan(ref) || isnan(got)) return isnan(ref) && isnan(got) ? 0 : INFINITY;
  if (isinf(rounded) || isinf(got)) return rounded == got ? 0 : INFINITY;
  if (rounded == 0 && got == 0) return !check_zero_sign || signbit(ref) == signbit(got) ? 0 : INFINITY;
  uint64_t bits;
  memcpy(&bits, &ref, sizeof bits);
  int e = (int)((bits >> 52) & 0x7ff) - 1023;
  if (e < -126) e = -126;
  const uint64_t ulp_bits = (uint64_t)(e - 23 + 1023) << 52;
  double ulp;
  memcpy(&ulp, &ulp_bits, sizeof ulp);
  return fabs((double)got - ref) / ulp;
}

/** One thread's share of the sweep: the max error and worst input per function and ISA. */
typedef struct {
  int f64;
  uint64_t begin, end, step;
  double max_err[N_FN][N_ISA];
  double worst_x[N_FN][N_ISA];
} job;

static uint64_t rng_next(uint64_t *s) {
  *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
  return *s;
}

static void *run(void *arg) {
  job *j = arg;
  float *xf = malloc(BLOCK * sizeof(float)), *yf = malloc(BLOCK * sizeof(float));
  double *xd = malloc(BLOCK * sizeof(double)), *yd = malloc(BLOCK * sizeof(double));
  long double *ref = malloc(BLOCK * sizeof(long double));
  uint64_t state = 0x9E3779B97F4A7C15ull ^ j->begin;
  for (uint64_t b = j->begin; b < j->end; b += (uint64_t)BLOCK * j->step) {
    size_t n = 0;
    for (uint64_t i = b; i < j->end && n < BLOCK; i += j->step, n++) {
      if (j->f64) {
        /* Half random bit patterns, half random values in [-64, 64] where the functions bend. */
        uint64_t u = rng_next(&state);
        double v;
        memcpy(&v, &u, sizeof v);
        xd[n] = (n & 1) ? v : ((double)(u >> 11) / 9007199254740992.0 - 0.5) * 128;
      } else {
        uint32_t u = (uint32_t)i;
        memcpy(&xf[n], &u, sizeof u);
      }
    }
    for (int fn = 0; fn < (j->f64 ? N_FN_F64 : N_FN); fn++) {
      for (size_t k = 0; k < n; k++)
        ref[k] = j->f64 ? reference_ld(fn, xd[k]) : reference_d(fn, xf[k]);
      for (int isa = 0; isa < N_ISA; isa++) {
        if (j->f64) isa_f64[isa](fn, xd, yd, n);
        else isa_f32[isa](fn, xf, yf, n);
        for (size_t k = 0; k < n; k++) {
          /* The compound functions may differ from their references in the sign of 0. */
          const int zs = fn < 5;
          const double e = j->f64 ? ulp_error(ref[k], yd[k], zs)
                                  : ulp_error_f32((double)ref[k], yf[k], zs);
          if (!(e <= j->max_err[fn][isa])) {
            j->max_err[fn][isa] = e;
            j->worst_x[fn][isa] = j->f64 ? xd[k] : xf[k];
          }
        }
      }
    }
  }
  free(xf); free(yf); free(xd); free(yd); free(ref);
  return NULL;
}

/** Sweeps [0, count) with step over two threads and prints the table. */
static void sweep(int f64, uint64_t count, uint64_t step) {
  job jobs[2];
  pthread_t t;
  memset(jobs, 0, sizeof jobs);
  uint64_t half = count / step / 2 * step;
  jobs[0] = (job){.f64 = f64, .begin = 0, .end = half, .step = step};
  jobs[1] = (job){.f64 = f64, .begin = half, .end = count, .step = step};
  pthread_create(&t, NULL, run, &jobs[1]);
  run(&jobs[0]);
  pthread_join(t, NULL);
  printf("%s (%llu inputs): max ulp error [worst input]\n", f64 ? "float64" : "float32",
         (unsigned long long)(count / step));
  for (int fn = 0; fn < (f64 ? N_FN_F64 : N_FN); fn++) {
    printf("  %-11s", fn_names[fn]);
    for (int isa = 0; isa < N_ISA; isa++) {
      const int h = jobs[1].max_err[fn][isa] > jobs[0].max_err[fn][isa];
      printf("  %s %.3f [%a]", isa_names[isa], jobs[h].max_err[fn][isa], jobs[h].worst_x[fn][isa]);
    }
    printf("\n");
  }
}

int main(int argc, char **argv) {
  const uint64_t step = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
  const uint64_t f64_count = argc > 2 ? strtoull(argv[2], NULL, 0) : (1ull << 24);
  sweep(0, 1ull << 32, step ? step : 1);
  sweep(1, f64_count, 1);
  return 0;
}
