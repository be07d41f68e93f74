/* Floor for W1_focal: torchvision's sigmoid focal loss (alpha 0.25, gamma 2), mean over 4M
 * logits x with targets t, and its gradients w.r.t. x and t (as peers.py's torch runner and
 * benchmarks/W1_focal.loss ask), in one pass: one exp, one log1p and one division per element.
 *
 *   p = sigmoid(x), ce = max(x, 0) - x t + log1p(exp(-|x|)), pt = p t + (1 - p)(1 - t),
 *   at = 0.25 t + 0.75 (1 - t), loss = mean(at (1 - pt)^2 ce)
 *   dL/dx = at ((1 - pt)^2 (p - t) - 2 (1 - pt) (2t - 1) p (1 - p) ce) / n
 *   dL/dt = (-0.5 (1 - pt)^2 ce - 2 at (1 - pt) (2p - 1) ce - at (1 - pt)^2 x) / n
 *
 * Usage: W1_focal DIR [OUT]   (DIR as peers.py --save writes it; OUT: write the gradients) */
#include "floor.h"

#define CHUNK 4  /* blocks a thread claims at a time: a descheduled thread's share goes to the other */
#define BLOCK 4096

static long n;
static const float *x, *t;
static float *gx, *gt;
static double loss;

/** One forward + backward: the loss into `loss`, the gradients into gx and gt. */
static void step(void) {
  const float inv_n = 1.0f / (float)n;
  const float *restrict xs = x, *restrict ts = t;
  float *restrict gxs = gx, *restrict gts = gt;
  double total = 0;
  #pragma omp parallel for reduction(+ : total) schedule(dynamic, CHUNK)
  for (long b = 0; b < n; b += BLOCK) {
    long end = b + BLOCK < n ? b + BLOCK : n;
    float sum = 0;
    #pragma omp simd reduction(+ : sum)
    for (long i = b; i < end; i++) {
      float xi = xs[i], ti = ts[i];
      float e = vexp(-fabsf(xi));
      float r = 1.0f / (1.0f + e);
      float p = xi >= 0 ? r : e * r;
      float ce = (xi > 0 ? xi : 0.0f) - xi * ti + vlog1p01(e);
      float omp = 1.0f - (p * ti + (1.0f - p) * (1.0f - ti));
      float at = 0.25f * ti + 0.75f * (1.0f - ti);
      float omp2 = omp * omp;
      sum += at * omp2 * ce;
      gxs[i] = at * (omp2 * (p - ti) - 2.0f * omp * (2.0f * ti - 1.0f) * p * (1.0f - p) * ce) * inv_n;
      gts[i] = (-0.5f * omp2 * ce - 2.0f * at * omp * (2.0f * p - 1.0f) * ce - at * omp2 * xi) * inv_n;
    }
    total += sum;
  }
  loss = total / (double)n;
}

/** The same loss in float64 with libm, one element at a time (the check). */
static double reference(void) {
  double total = 0;
  for (long i = 0; i < n; i++) {
    double xi = x[i], ti = t[i], p = 1 / (1 + exp(-xi));
    double ce = fmax(xi, 0) - xi * ti + log1p(exp(-fabs(xi)));
    double pt = p * ti + (1 - p) * (1 - ti);
    total += (0.25 * ti + 0.75 * (1 - ti)) * (1 - pt) * (1 - pt) * ce;
  }
  return total / (double)n;
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage", "W1_focal DIR [OUT]");
  npy_array ax = npy_load(argv[1], "W1_focal", "x", "<f4"), at = npy_load(argv[1], "W1_focal", "t", "<f4");
  if (ax.count != at.count) die("x and t differ in size", argv[1]);
  n = ax.count, x = ax.data, t = at.data;
  gx = aligned_alloc(64, n * 4), gt = aligned_alloc(64, n * 4);
  double ms = median_ms(step, 15);
  report("W1_focal", ms, loss, ms, reference());
  if (argc > 2) {
    npy_save_grad(argv[2], "W1_focal", 0, gx, ax.shape, ax.rank);
    npy_save_grad(argv[2], "W1_focal", 1, gt, at.shape, at.rank);
  }
  return 0;
}
