/**
 * sparsemax — a LossLang native plugin shipped in-tree through the plugin C ABI.
 *
 * sparsemax(z) = argmin_{p ∈ simplex} ‖p − z‖² (Martins & Astudillo, 2016), along the last
 * axis: p_i = max(z_i − τ, 0) with τ chosen so that Σp = 1. Unlike softmax it gives exact
 * zeros. Its Jacobian on the support S = {i : p_i > 0} is I − 1·1ᵀ/|S|, so the VJP is
 * g_i − mean_{j∈S} g_j on S and 0 elsewhere.
 */
#include "losslang_plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Writes a message into the host's error buffer. */
static void fail(char *error, int32_t size, const char *message) {
  if (size > 0) snprintf(error, (size_t)size, "%s", message);
}

static int cmp_desc(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x < y) - (x > y);
}

/** Output shape = input shape; the input needs at least one axis and a nonempty last axis. */
static int32_t sparsemax_shape(void *ctx, int32_t n, const ll_array *in, int64_t *out_shape,
                               int32_t *out_ndim, char *error, int32_t error_size) {
  (void)ctx;
  if (n != 1 || in[0].ndim < 1 || in[0].shape[in[0].ndim - 1] < 1) {
    fail(error, error_size, "sparsemax: the input needs at least one axis of nonzero size");
    return 1;
  }
  for (int32_t i = 0; i < in[0].ndim; i++) out_shape[i] = in[0].shape[i];
  *out_ndim = in[0].ndim;
  return 0;
}

/** Projects each row (last axis) onto the probability simplex. */
static int32_t sparsemax_forward(void *ctx, int32_t n, const ll_array *in, ll_array *out,
                                 char *error, int32_t error_size) {
  (void)ctx;
  (void)n;
  int64_t d = in[0].shape[in[0].ndim - 1];
  int64_t rows = d > 0 ? in[0].count / d : 0;
  double *sorted = malloc((size_t)d * sizeof(double));
  if (!sorted) {
    fail(error, error_size, "sparsemax: out of memory");
    return 1;
  }
  for (int64_t r = 0; r < rows; r++) {
    const double *z = in[0].data + r * d;
    memcpy(sorted, z, (size_t)d * sizeof(double));
    qsort(sorted, (size_t)d, sizeof(double), cmp_desc);
    double cumulative = 0, tau = 0;
    for (int64_t k = 1; k <= d; k++) {
      cumulative += sorted[k - 1];
      double t = (cumulative - 1) / (double)k;
      if (sorted[k - 1] > t) tau = t;
    }
    for (int64_t i = 0; i < d; i++) out->data[r * d + i] = z[i] > tau ? z[i] - tau : 0;
  }
  free(sorted);
  return 0;
}

/** g − mean over the support, on the support; 0 off it. */
static int32_t sparsemax_vjp(void *ctx, int32_t n, const ll_array *in, const ll_array *out,
                             const ll_array *g, int32_t index, ll_array *grad,
                             char *error, int32_t error_size) {
  (void)ctx;
  (void)n;
  (void)error;
  (void)error_size;
  (void)index;
  int64_t d = in[0].shape[in[0].ndim - 1];
  int64_t rows = d > 0 ? in[0].count / d : 0;
  for (int64_t r = 0; r < rows; r++) {
    const double *p = out->data + r * d, *gr = g->data + r * d;
    double sum = 0;
    int64_t support = 0;
    for (int64_t i = 0; i < d; i++) {
      if (p[i] > 0) {
        sum += gr[i];
        support++;
      }
    }
    double mean = support > 0 ? sum / (double)support : 0;
    for (int64_t i = 0; i < d; i++) grad->data[r * d + i] = p[i] > 0 ? gr[i] - mean : 0;
  }
  return 0;
}

static const ll_op sparsemax_op = {
  .name = "sparsemax",
  .parameters = "x",
  .doc = "sparsemax(x): Euclidean projection of each row (last axis) onto the probability simplex.\n"
         "max(x - tau, 0) with sum 1: like softmax, but with exact zeros (Martins & Astudillo, 2016).\n"
         "Native plugin (libLossLangSparsemax) loaded through the LossLang plugin C ABI.",
  .family = "activation",
  .n_inputs = 1,
  .shape = sparsemax_shape,
  .forward = sparsemax_forward,
  .vjp = sparsemax_vjp,
  .context = NULL,
};

int32_t losslang_plugin_abi_version(void) { return LOSSLANG_PLUGIN_ABI_VERSION; }

int32_t losslang_plugin_init(const ll_host *host) {
  if (!host || host->abi_version != LOSSLANG_PLUGIN_ABI_VERSION) return 1;
  return host->register_op(host->context, &sparsemax_op);
}
