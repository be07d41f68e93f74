/* Floor for W2_ce_ls: cross entropy with label smoothing 0.1 over (8192, 1000) logits and int64
 * class indices, mean over rows, and its gradient w.r.t. the logits (as peers.py's torch runner
 * and benchmarks/W2_ce_ls.loss ask). One row at a time, the row staying in L1: a pass for the
 * maximum and the sum of the logits, a pass writing exp(x - max) into the gradient and summing
 * it, a pass scaling the gradient. The logits are read from memory once, one exp per element.
 *
 *   q = 0.1 / C + 0.9 onehot(target), lse = max + log(sum exp(x - max))
 *   loss_row = -sum(q (x - lse)) = lse - 0.1 / C sum(x) - 0.9 x[target]
 *   dL/dx = (softmax(x) - q) / N
 *
 * Usage: W2_ce_ls DIR [OUT]   (DIR as peers.py --save writes it; OUT: write the gradient) */
#include "floor.h"

#define CHUNK 64  /* rows a thread claims at a time: a descheduled thread's share goes to the other */
#define SMOOTHING 0.1f

static long rows, cols;
static const float *logits;
static const int64_t *targets;
static float *grad;
static double loss;

/** The loss of row R, writing its gradient (already divided by the row count). */
static float row(long r) {
  const float *restrict x = logits + r * cols;
  float *restrict g = grad + r * cols;
  float m = x[0], sx = 0, s = 0;
  #pragma omp simd reduction(max : m) reduction(+ : sx)
  for (long j = 0; j < cols; j++) {
    m = x[j] > m ? x[j] : m;
    sx += x[j];
  }
  #pragma omp simd reduction(+ : s)
  for (long j = 0; j < cols; j++) {
    float e = vexp(x[j] - m);
    g[j] = e;
    s += e;
  }
  const float inv_n = 1.0f / (float)rows, scale = inv_n / s, offset = SMOOTHING / (float)cols * inv_n;
  #pragma omp simd
  for (long j = 0; j < cols; j++) g[j] = g[j] * scale - offset;
  long target = targets[r];
  g[target] -= (1.0f - SMOOTHING) * inv_n;
  return m + logf(s) - SMOOTHING / (float)cols * sx - (1.0f - SMOOTHING) * x[target];
}

/** One forward + backward: the loss into `loss`, the gradient into grad. */
static void step(void) {
  double total = 0;
  #pragma omp parallel for reduction(+ : total) schedule(dynamic, CHUNK)
  for (long r = 0; r < rows; r++) total += row(r);
  loss = total / (double)rows;
}

/** The same loss in float64 with libm, one element at a time (the check). */
static double reference(void) {
  double total = 0;
  for (long r = 0; r < rows; r++) {
    const float *x = logits + r * cols;
    double m = x[0], s = 0, sx = 0;
    for (long j = 0; j < cols; j++) m = fmax(m, x[j]);
    for (long j = 0; j < cols; j++) s += exp(x[j] - m), sx += x[j];
    double lse = m + log(s);
    total += lse - 0.1 / cols * sx - 0.9 * x[targets[r]];
  }
  return total / (double)rows;
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage", "W2_ce_ls DIR [OUT]");
  npy_array al = npy_load(argv[1], "W2_ce_ls", "logits", "<f4");
  npy_array at = npy_load(argv[1], "W2_ce_ls", "targets", "<i8");
  if (al.rank != 2 || at.count != al.shape[0]) die("logits and targets do not match", argv[1]);
  rows = al.shape[0], cols = al.shape[1], logits = al.data, targets = at.data;
  for (long r = 0; r < rows; r++)
    if (targets[r] < 0 || targets[r] >= cols) die("class index out of range", argv[1]);
  grad = aligned_alloc(64, rows * cols * 4);
  double ms = median_ms(step, 15);
  report("W2_ce_ls", ms, loss, ms, reference());
  if (argc > 2) npy_save_grad(argv[2], "W2_ce_ls", 0, grad, al.shape, al.rank);
  return 0;
}
