/* Shared by the floor programs (benchmarks/floors/W*.c): .npy input and output, the timing
 * protocol of peers.py, the report line, a copy loop measuring memory bandwidth, and float32
 * exp / log1p written so that GCC vectorizes them without -ffast-math.
 *
 * Exactness: the programs are built with -O3 -march=native -fopenmp (no -ffast-math); the only
 * freedoms taken are the ones `#pragma omp simd reduction` grants (the order of the float sums)
 * and GCC's default contraction of a*b+c into FMA. exp and log1p are the Cephes float32
 * polynomials (about 1 ulp on the ranges used here), written with bit manipulation the
 * vectorizer understands instead of calls into libm, which GCC keeps scalar without -ffast-math.
 */
#ifndef FLOOR_H
#define FLOOR_H

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/** An array read from a .npy file: its data (float32 or int64), shape and element count. */
typedef struct {
  void *data;
  long shape[4];
  int rank;
  long count;
} npy_array;

/** Prints a message and exits with status 1. */
static void die(const char *what, const char *path) {
  fprintf(stderr, "floor: %s: %s\n", what, path);
  exit(1);
}

/** Reads DIR/NAME/KEY.npy, which must be a C-ordered little-endian array of DESCR ("<f4" or "<i8"). */
static npy_array npy_load(const char *dir, const char *name, const char *key, const char *descr) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s/%s.npy", dir, name, key);
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open", path);
  unsigned char head[10];
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0) die("not a .npy file", path);
  size_t hlen = head[8] | (head[9] << 8);
  if (head[6] >= 2) {  /* version 2: a 4-byte header length */
    unsigned char more[2];
    if (fread(more, 1, 2, f) != 2) die("truncated header", path);
    hlen |= ((size_t)more[0] << 16) | ((size_t)more[1] << 24);
  }
  char *h = calloc(hlen + 1, 1);
  if (fread(h, 1, hlen, f) != hlen) die("truncated header", path);
  char want[32];
  snprintf(want, sizeof want, "'descr': '%s'", descr);
  if (!strstr(h, want) || !strstr(h, "'fortran_order': False")) die("unexpected dtype or order", path);
  npy_array a = {.rank = 0, .count = 1};
  char *s = strchr(strstr(h, "'shape'"), '(') + 1;
  while (*s && *s != ')') {
    char *end;
    long d = strtol(s, &end, 10);
    if (end == s) { s++; continue; }
    a.shape[a.rank++] = d;
    a.count *= d;
    s = end;
  }
  free(h);
  size_t size = (size_t)a.count * 4 * (descr[2] == '8' ? 2 : 1);
  a.data = aligned_alloc(64, (size + 63) / 64 * 64);
  if (fread(a.data, 1, size, f) != size) die("truncated data", path);
  fclose(f);
  return a;
}

/** Writes COUNT float32 values of the given shape to OUT/NAME_grad<I>.npy (as bench.loss does). */
static void npy_save_grad(const char *out, const char *name, int i, const float *data,
                          const long *shape, int rank) {
  char path[4096], h[128], dims[96] = "";
  snprintf(path, sizeof path, "%s/%s_grad%d.npy", out, name, i);
  long count = 1;
  for (int d = 0; d < rank; d++) {
    char part[32];
    snprintf(part, sizeof part, "%s%ld", d ? ", " : "", shape[d]);
    strcat(dims, part);
    count *= shape[d];
  }
  if (rank == 1) strcat(dims, ",");
  int n = snprintf(h, sizeof h, "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", dims);
  while ((10 + n + 1) % 64) h[n++] = ' ';
  h[n++] = '\n';
  FILE *f = fopen(path, "wb");
  if (!f) die("cannot write", path);
  unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 255), (unsigned char)(n >> 8)};
  fwrite(head, 1, 10, f);
  fwrite(h, 1, n, f);
  fwrite(data, 4, count, f);
  fclose(f);
}

/** Seconds on the monotonic clock. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/** peers.py's protocol: 3 warm-up calls of STEP, then the median wall time of REPS calls, in ms. */
static double median_ms(void (*step)(void), int reps) {
  for (int i = 0; i < 3; i++) step();
  double t[64];
  for (int i = 0; i < reps; i++) {
    double t0 = now();
    step();
    t[i] = (now() - t0) * 1e3;
  }
  qsort(t, reps, sizeof t[0], compare_doubles);
  return reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
}

/** Prints the line make_results.py reads, `NAME median_ms=… loss=… floor_ms=…`, and the
 *  check of LOSS against REFERENCE (the same loss in float64 with libm, scalar). */
static void report(const char *name, double ms, double loss, double floor_ms, double reference) {
  printf("%s median_ms=%.4f loss=%.7g floor_ms=%.4f threads=%d\n", name, ms, loss, floor_ms,
         omp_get_max_threads());
  printf("%s check: float64 reference loss %.9g, relative difference %.2e\n", name, reference,
         fabs(loss - reference) / fabs(reference));
}

/** Memory bandwidth in bytes per second: the median over REPS (after 3 warm-ups) of a copy of
 *  BYTES between two buffers (bytes read + bytes written, over all threads, handed out in chunks
 *  as the workloads are), so a loop that must read R and write W bytes takes about
 *  (R + W) / bandwidth at least. */
__attribute__((unused)) static double copy_bandwidth(size_t bytes, int reps) {
  long n = (long)(bytes / 4);
  float *src = aligned_alloc(64, n * 4), *dst = aligned_alloc(64, n * 4);
  #pragma omp parallel for simd schedule(static)
  for (long i = 0; i < n; i++) { src[i] = (float)i; dst[i] = 0; }
  double t[64];
  for (int r = 0; r < reps + 3; r++) {
    double t0 = now();
    #pragma omp parallel for schedule(dynamic, 4)
    for (long b = 0; b < n; b += 4096) {
      long end = b + 4096 < n ? b + 4096 : n;
      #pragma omp simd
      for (long i = b; i < end; i++) dst[i] = src[i];
    }
    if (r >= 3) t[r - 3] = now() - t0;
  }
  qsort(t, reps, sizeof t[0], compare_doubles);
  volatile float keep = dst[n / 2];
  (void)keep;
  free(src);
  free(dst);
  return 2.0 * (double)n * 4 / t[reps / 2];
}

static inline float bits_to_float(int32_t i) { float f; memcpy(&f, &i, 4); return f; }
static inline int32_t float_to_bits(float f) { int32_t i; memcpy(&i, &f, 4); return i; }

/** e^x for x in [-87, 88] (Cephes expf: x = n ln2 + r, |r| <= ln2 / 2, degree-5 polynomial). */
static inline float vexp(float x) {
  x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
  const float shifter = 0x1.8p23f;  /* adding it rounds to an integer in the low mantissa bits */
  float t = x * 1.44269504088896341f + shifter;
  int32_t n = float_to_bits(t) - float_to_bits(shifter);
  float fn = t - shifter;
  float r = x - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = p * (r * r) + r + 1.0f;
  return y * bits_to_float((n + 127) << 23);
}

/** log(1 + u) for u in [0, 1] (Cephes logf's polynomial on 1 + f, f in [sqrt(1/2) - 1, sqrt(2) - 1],
 *  with f taken from u directly so that small u keep their precision). */
static inline float vlog1p01(float u) {
  int big = u > 0.41421356f;  /* 1 + u >= sqrt(2): log(1 + u) = ln 2 + log(1 + (u - 1) / 2) */
  float f = big ? (u - 1.0f) * 0.5f : u;
  float k = big ? 1.0f : 0.0f;
  float z = f * f;
  float p = 7.0376836292e-2f;
  p = p * f - 1.1514610310e-1f;
  p = p * f + 1.1676998740e-1f;
  p = p * f - 1.2420140846e-1f;
  p = p * f + 1.4249322787e-1f;
  p = p * f - 1.6668057665e-1f;
  p = p * f + 2.0000714765e-1f;
  p = p * f - 2.4999993993e-1f;
  p = p * f + 3.3333331174e-1f;
  float y = p * f * z;
  y = y + k * -2.12194440e-4f;
  y = y - 0.5f * z;
  return f + y + k * 0.693359375f;
}

/** The memory floor in ms of a loop that moves BYTES (copy bandwidth over buffers of COPY_BYTES),
 *  printing it; no more than LOOP_MS, the loop's own time, which proves that much possible
 *  (a copy timed on a busy machine can come out slower than the loop). */
__attribute__((unused)) static double memory_floor_ms(const char *name, double bytes, size_t copy_bytes,
                                                      double loop_ms) {
  double bandwidth = copy_bandwidth(copy_bytes, 15), ms = bytes / bandwidth * 1e3;
  printf("%s memory: %.1f MiB must move, copy loop %.2f GB/s: %.4f ms\n", name, bytes / (1 << 20),
         bandwidth * 1e-9, ms);
  return ms < loop_ms ? ms : loop_ms;
}

#endif
