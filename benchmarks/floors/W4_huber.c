/* Floor for W4_huber: smooth L1 loss (beta 1), mean over 4M elements, and its gradients w.r.t.
 * pred and target (as peers.py's torch runner and benchmarks/W4_huber.loss ask), in one pass.
 *
 *   d = pred - target, loss = mean(|d| < 1 ? d^2 / 2 : |d| - 1/2)
 *   dL/dpred = -dL/dtarget = (|d| < 1 ? d : sign(d)) / n
 *
 * The loop is memory-bound, so the program also prints the memory floor: the bytes that must
 * move (read pred and target, write both gradients: 4 x 16 MiB) over the bandwidth of a plain
 * copy loop measured in the same process (memory_floor_ms in floor.h); floor_ms is that floor, or
 * the loop's own time if that is less.
 *
 * Usage: W4_huber DIR [OUT]   (DIR as peers.py --save writes it; OUT: write the gradients) */
#include "floor.h"

#define CHUNK 4  /* blocks a thread claims at a time: a descheduled thread's share goes to the other */
#define BLOCK 4096

static long n;
static const float *pred, *target;
static float *gpred, *gtarget;
static double loss;

/** One forward + backward: the loss into `loss`, the gradients into gpred and gtarget. */
static void step(void) {
  const float *restrict ps = pred, *restrict ts = target;
  float *restrict gp = gpred, *restrict gt = gtarget;
  const float inv_n = 1.0f / (float)n;
  double total = 0;
  #pragma omp parallel for reduction(+ : total) schedule(dynamic, CHUNK)
  for (long b = 0; b < n; b += BLOCK) {
    long end = b + BLOCK < n ? b + BLOCK : n;
    float sum = 0;
    #pragma omp simd reduction(+ : sum)
    for (long i = b; i < end; i++) {
      float d = ps[i] - ts[i], a = fabsf(d);
      int small = a < 1.0f;
      sum += small ? 0.5f * d * d : a - 0.5f;
      float g = (small ? d : d > 0 ? 1.0f : -1.0f) * inv_n;
      gp[i] = g;
      gt[i] = -g;
    }
    total += sum;
  }
  loss = total / (double)n;
}

/** The same loss in float64, one element at a time (the check). */
static double reference(void) {
  double total = 0;
  for (long i = 0; i < n; i++) {
    double d = (double)pred[i] - target[i], a = fabs(d);
    total += a < 1 ? 0.5 * d * d : a - 0.5;
  }
  return total / (double)n;
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage", "W4_huber DIR [OUT]");
  npy_array ap = npy_load(argv[1], "W4_huber", "pred", "<f4"), at = npy_load(argv[1], "W4_huber", "target", "<f4");
  if (ap.count != at.count) die("pred and target differ in size", argv[1]);
  n = ap.count, pred = ap.data, target = at.data;
  gpred = aligned_alloc(64, n * 4), gtarget = aligned_alloc(64, n * 4);
  double ms = median_ms(step, 15);
  double floor_ms = memory_floor_ms("W4_huber", 4.0 * n * 4, (size_t)n * 4 * 2, ms);
  report("W4_huber", ms, loss, floor_ms, reference());
  if (argc > 2) {
    npy_save_grad(argv[2], "W4_huber", 0, gpred, ap.shape, ap.rank);
    npy_save_grad(argv[2], "W4_huber", 1, gtarget, at.shape, at.rank);
  }
  return 0;
}
