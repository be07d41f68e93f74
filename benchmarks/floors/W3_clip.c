/* Floor for W3_clip: the CLIP loss of (4096, 256) feature pairs a and b (rows L2-normalized as
 * F.normalize does, logits = a_n b_n^T / 0.07, the mean of the row and the column cross
 * entropies against the diagonal), and its gradients w.r.t. a and b (as peers.py's torch runner
 * and benchmarks/W3_clip.loss ask). The three matrix products are OpenBLAS's cblas_sgemm; the
 * rest is two passes over the (N, N) logits, in place:
 *
 *   pass 1: E = exp(L - 1/T), its row and column sums (|L| <= 1/T since |cos| <= 1, so the
 *           constant 1/T stands in for the row and column maxima: nothing overflows or vanishes)
 *   loss   = (sum_i (1/T + log rowsum_i - L_ii) + sum_j (1/T + log colsum_j - L_jj)) / (2N)
 *   pass 2: G = (E / rowsum + E / colsum) / (2N) - I / N = dloss/dL
 *   da_n = G b_n / T, db_n = G^T a_n / T, da = (da_n - a_n (a_n . da_n)) / |a| (|a| > 1e-12,
 *   else da_n / 1e-12), the same for b.
 *
 * floor_ms is the whole program's median; it also prints the three products' time alone.
 * Usage: W3_clip DIR [OUT]   (DIR as peers.py --save writes it; OUT: write the gradients) */
#include <cblas.h>

#include "floor.h"

#define CHUNK 32  /* rows a thread claims at a time: a descheduled thread's share goes to the other */
#define TEMPERATURE 0.07f
#define NORM_EPS 1e-12f

static long rows, cols;
static const float *fa, *fb;
static float *an, *bn, *na, *nb, *logits, *diag, *rowsum, *colsum, *partial, *gan, *gbn, *ga, *gb;
static double loss;

/** x_n = x / max(|x|, eps) row by row, keeping max(|x|, eps) in norms. */
static void normalize(const float *x, float *xn, float *norms) {
  #pragma omp parallel for schedule(dynamic, CHUNK)
  for (long r = 0; r < rows; r++) {
    float s = 0;
    #pragma omp simd reduction(+ : s)
    for (long j = 0; j < cols; j++) s += x[r * cols + j] * x[r * cols + j];
    float m = sqrtf(s) > NORM_EPS ? sqrtf(s) : NORM_EPS;
    norms[r] = m;
    for (long j = 0; j < cols; j++) xn[r * cols + j] = x[r * cols + j] / m;
  }
}

/** The gradient of x from that of x_n = x / max(|x|, eps): (g - x_n (x_n . g)) / |x| or g / eps. */
static void normalize_backward(const float *xn, const float *norms, const float *gn, float *g) {
  #pragma omp parallel for schedule(dynamic, CHUNK)
  for (long r = 0; r < rows; r++) {
    float dot = 0;
    #pragma omp simd reduction(+ : dot)
    for (long j = 0; j < cols; j++) dot += xn[r * cols + j] * gn[r * cols + j];
    if (norms[r] <= NORM_EPS) dot = 0;
    for (long j = 0; j < cols; j++) g[r * cols + j] = (gn[r * cols + j] - xn[r * cols + j] * dot) / norms[r];
  }
}

/** The three products: L = a_n b_n^T / T, then da_n = G b_n / T and db_n = G^T a_n / T with G in logits. */
static void forward_product(void) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, rows, cols, 1 / TEMPERATURE, an, cols, bn, cols,
              0, logits, rows);
}
static void backward_products(void) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, cols, rows, 1 / TEMPERATURE, logits, rows, bn,
              cols, 0, gan, cols);
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, rows, cols, rows, 1 / TEMPERATURE, logits, rows, an,
              cols, 0, gbn, cols);
}

/** Pass 1 over the logits: E = exp(L - 1/T) in place, the diagonal, row sums and column sums. */
static void exponentials(void) {
  const float shift = 1 / TEMPERATURE;
  int threads = omp_get_max_threads();
  memset(partial, 0, sizeof(float) * threads * rows);
  #pragma omp parallel for schedule(dynamic, CHUNK)
  for (long r = 0; r < rows; r++) {
    float *restrict l = logits + r * rows, *restrict cs = partial + omp_get_thread_num() * rows;
    diag[r] = l[r];
    float s = 0;
    #pragma omp simd reduction(+ : s)
    for (long j = 0; j < rows; j++) {
      float e = vexp(l[j] - shift);
      l[j] = e;
      s += e;
      cs[j] += e;
    }
    rowsum[r] = s;
  }
  for (long j = 0; j < rows; j++) {
    float s = 0;
    for (int t = 0; t < threads; t++) s += partial[t * rows + j];
    colsum[j] = s;
  }
}

/** Pass 2: the loss, and G = dloss/dL in place of E. */
static void softmax_gradient(void) {
  const float shift = 1 / TEMPERATURE, half_inv_n = 0.5f / (float)rows;
  double total = 0;
  for (long i = 0; i < rows; i++) {
    total += (double)shift + log(rowsum[i]) - diag[i] + shift + log(colsum[i]) - diag[i];
    colsum[i] = half_inv_n / colsum[i];  /* from here on: the column's scale */
  }
  loss = total * half_inv_n;
  #pragma omp parallel for schedule(dynamic, CHUNK)
  for (long r = 0; r < rows; r++) {
    float *restrict l = logits + r * rows;
    const float *restrict cscale = colsum;
    const float rscale = half_inv_n / rowsum[r];
    #pragma omp simd
    for (long j = 0; j < rows; j++) l[j] = l[j] * (rscale + cscale[j]);
    l[r] -= 2 * half_inv_n;
  }
}

/** One forward + backward: the loss into `loss`, the gradients into ga and gb. */
static void step(void) {
  normalize(fa, an, na);
  normalize(fb, bn, nb);
  forward_product();
  exponentials();
  softmax_gradient();
  backward_products();
  normalize_backward(an, na, gan, ga);
  normalize_backward(bn, nb, gbn, gb);
}

/** The same loss in float64 (the check): normalized rows, each logit a dot product, row and
 *  column log-sum-exps with their maxima. */
static double reference(void) {
  double *x = malloc(sizeof(double) * rows * cols), *y = malloc(sizeof(double) * rows * cols);
  double *l = malloc(sizeof(double) * rows * rows), total = 0;
  for (long i = 0; i < rows * cols; i += cols) {
    double sa = 0, sb = 0;
    for (long j = i; j < i + cols; j++) sa += (double)fa[j] * fa[j], sb += (double)fb[j] * fb[j];
    double ma = fmax(sqrt(sa), 1e-12), mb = fmax(sqrt(sb), 1e-12);
    for (long j = i; j < i + cols; j++) x[j] = fa[j] / ma, y[j] = fb[j] / mb;
  }
  for (long i = 0; i < rows; i++)
    for (long k = 0; k < rows; k++) {
      double s = 0;
      for (long j = 0; j < cols; j++) s += x[i * cols + j] * y[k * cols + j];
      l[i * rows + k] = s / 0.07;
    }
  for (long i = 0; i < rows; i++) {
    double mr = -INFINITY, mc = -INFINITY, sr = 0, sc = 0;
    for (long k = 0; k < rows; k++) mr = fmax(mr, l[i * rows + k]), mc = fmax(mc, l[k * rows + i]);
    for (long k = 0; k < rows; k++) sr += exp(l[i * rows + k] - mr), sc += exp(l[k * rows + i] - mc);
    total += mr + log(sr) - l[i * rows + i] + mc + log(sc) - l[i * rows + i];
  }
  free(x), free(y), free(l);
  return total / (2.0 * rows);
}

/** A zeroed 64-byte-aligned buffer of COUNT floats. */
static float *buffer(long count) {
  float *p = aligned_alloc(64, (count * 4 + 63) / 64 * 64);
  memset(p, 0, count * 4);
  return p;
}

int main(int argc, char **argv) {
  if (argc < 2) die("usage", "W3_clip DIR [OUT]");
  npy_array aa = npy_load(argv[1], "W3_clip", "a", "<f4"), ab = npy_load(argv[1], "W3_clip", "b", "<f4");
  if (aa.rank != 2 || ab.rank != 2 || aa.shape[0] != ab.shape[0] || aa.shape[1] != ab.shape[1])
    die("a and b differ in shape", argv[1]);
  rows = aa.shape[0], cols = aa.shape[1], fa = aa.data, fb = ab.data;
  an = buffer(rows * cols), bn = buffer(rows * cols), gan = buffer(rows * cols), gbn = buffer(rows * cols);
  ga = buffer(rows * cols), gb = buffer(rows * cols), na = buffer(rows), nb = buffer(rows);
  logits = buffer(rows * rows), diag = buffer(rows), rowsum = buffer(rows), colsum = buffer(rows);
  partial = buffer(omp_get_max_threads() * rows);
  double ms = median_ms(step, 15);
  double loss_of_step = loss;
  double products_ms = median_ms(forward_product, 15) + median_ms(backward_products, 15);
  report("W3_clip", ms, loss_of_step, ms, reference());
  printf("W3_clip products: the three sgemm calls alone %.4f ms (OpenBLAS, %d threads)\n", products_ms,
         openblas_get_num_threads());
  if (argc > 2) {
    npy_save_grad(argv[2], "W3_clip", 0, ga, aa.shape, aa.rank);
    npy_save_grad(argv[2], "W3_clip", 1, gb, ab.shape, ab.rank);
  }
  return 0;
}
