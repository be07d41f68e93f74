/* Floor for W5_triplet: triplet margin loss (margin 1, p 2, eps 1e-6 as torch's
 * pairwise_distance adds it) over (65536, 128) anchors a, positives p and negatives n, mean,
 * and its gradients w.r.t. all three (as peers.py's torch runner and benchmarks/W5_triplet.loss
 * ask). One row at a time, the row staying in L1: a pass for the two squared distances, a pass
 * writing the three gradient rows.
 *
 *   u = a - p + eps, v = a - n + eps, dp = |u|, dn = |v|, h = dp - dn + 1, loss = mean(max(h, 0))
 *   where h >= 0 (torch's clamp_min passes the gradient there): dL/da = (u / dp - v / dn) / N,
 *   dL/dp = -u / (dp N), dL/dn = v / (dn N); elsewhere 0
 *
 * The loop is memory-bound, so the program also prints the memory floor: the bytes that must
 * move (read a, p and n, write the three gradients: 6 x 32 MiB) over the bandwidth of a plain
 * copy loop measured in the same process (memory_floor_ms in floor.h); floor_ms is that floor, or
 * the loop's own time if that is less.
 *
 * Usage: W5_triplet DIR [OUT]   (DIR as peers.py --save writes it; OUT: write the gradients) */
#include "floor.h"

#define CHUNK 256  /* rows a thread claims at a time: a descheduled thread's share goes to the other */
#define EPS 1e-6f

static long rows, cols;
static const float *anchor, *positive, *negative;
static float *ganchor, *gpositive, *gnegative;
static double loss;

/** The loss of row R, writing its three gradient rows (already divided by the row count). */
static float row(long r) {
  const long at = r * cols;
  const float *restrict a = anchor + at, *restrict p = positive + at, *restrict n = negative + at;
  float *restrict ga = ganchor + at, *restrict gp = gpositive + at, *restrict gn = gnegative + at;
  float sp = 0, sn = 0;
  #pragma omp simd reduction(+ : sp, sn)
  for (long j = 0; j < cols; j++) {
    float u = a[j] - p[j] + EPS, v = a[j] - n[j] + EPS;
    sp += u * u;
    sn += v * v;
  }
  float dp = sqrtf(sp), dn = sqrtf(sn), h = dp - dn + 1.0f;
  float cp = h >= 0 ? 1.0f / (dp * (float)rows) : 0.0f, cn = h >= 0 ? 1.0f / (dn * (float)rows) : 0.0f;
  #pragma omp simd
  for (long j = 0; j < cols; j++) {
    float u = (a[j] - p[j] + EPS) * cp, v = (a[j] - n[j] + EPS) * cn;
    ga[j] = u - v;
    gp[j] = -u;
    gn[j] = v;
  }
  return h > 0 ? h : 0.0f;
}

/** One forward + backward: the loss into `loss`, the gradients into ganchor, gpositive, gnegative. */
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
    double sp = 0, sn = 0;
    for (long j = 0; j < cols; j++) {
      long k = r * cols + j;
      double u = (double)anchor[k] - positive[k] + 1e-6, v = (double)anchor[k] - negative[k] + 1e-6;
      sp += u * u, sn += v * v;
    }
    total += fmax(sqrt(sp) - sqrt(sn) + 1, 0);
  }
  return total / (double)rows;
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage", "W5_triplet DIR [OUT]");
  npy_array aa = npy_load(argv[1], "W5_triplet", "a", "<f4"), ap = npy_load(argv[1], "W5_triplet", "p", "<f4"),
            an = npy_load(argv[1], "W5_triplet", "n", "<f4");
  if (aa.rank != 2 || ap.count != aa.count || an.count != aa.count) die("a, p and n differ in shape", argv[1]);
  rows = aa.shape[0], cols = aa.shape[1], anchor = aa.data, positive = ap.data, negative = an.data;
  ganchor = aligned_alloc(64, aa.count * 4), gpositive = aligned_alloc(64, aa.count * 4);
  gnegative = aligned_alloc(64, aa.count * 4);
  double ms = median_ms(step, 15);
  double floor_ms = memory_floor_ms("W5_triplet", 6.0 * aa.count * 4, (size_t)aa.count * 4 * 3, ms);
  report("W5_triplet", ms, loss, floor_ms, reference());
  if (argc > 2) {
    npy_save_grad(argv[2], "W5_triplet", 0, ganchor, aa.shape, aa.rank);
    npy_save_grad(argv[2], "W5_triplet", 1, gpositive, ap.shape, ap.rank);
    npy_save_grad(argv[2], "W5_triplet", 2, gnegative, an.shape, an.rank);
  }
  return 0;
}
