/**
 * Column outputs of the tile VM (LK_COLSUM, LK_COLMAX, LK_COLSUMEXP): each part of a split
 * lk_run keeps its own column totals (program_loop.h folds the tiles into them), and the
 * parts are combined here in part order, so the result does not depend on the thread count.
 * An LK_COLMAX beside an LK_COLSUMEXP of the same register is that sum's running maximum,
 * which is kept anyway: it is not folded again.
 */
#include "internal.h"
#include "program.h"
#include <math.h>

int32_t lk_col_outputs(const lk_program *p) {
  int32_t n = 0;
  for (int32_t k = 0; k < p->n_outputs; k++) n += lk_is_col_mode(p->outputs[k].mode);
  return n;
}

/** The index of output k's totals among the column outputs (their order among the outputs). */
static int32_t lk_col_slot(const lk_program *p, int32_t k) {
  int32_t slot = 0;
  for (int32_t j = 0; j < k; j++) slot += lk_is_col_mode(p->outputs[j].mode);
  return slot;
}

/** For an LK_COLMAX output k, an LK_COLSUMEXP output of the same register (its maximum), else -1. */
static int32_t lk_col_partner(const lk_program *p, int32_t k) {
  if (p->outputs[k].mode != LK_COLMAX) return -1;
  for (int32_t j = 0; j < p->n_outputs; j++)
    if (p->outputs[j].mode == LK_COLSUMEXP && p->outputs[j].reg == p->outputs[k].reg) return j;
  return -1;
}

void lk_cols_start(lk_job *job, double *cols, int64_t part) {
  const lk_program *p = job->program;
  const int64_t len = p->row_length;
  double *const base = cols + part * (int64_t)lk_col_outputs(p) * 2 * len;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t mode = p->outputs[k].mode;
    if (!lk_is_col_mode(mode)) continue;
    double *block = base + (int64_t)lk_col_slot(p, k) * 2 * len;
    job->cols[k] = lk_col_partner(p, k) >= 0 ? NULL : block; /* NULL: nothing to fold */
    for (int64_t j = 0; j < len; j++) {
      block[j] = mode == LK_COLMAX ? -(double)INFINITY : 0.0;
      block[len + j] = -(double)INFINITY;
    }
  }
}

/**
 * Adds a part's sum of exponentials (`sum` relative to its maximum `peak`) to the running
 * one (*acc relative to *top): the larger maximum wins (a NaN, once in, stays) and the other
 * sum is rescaled by exp(its maximum - the new one); a part whose column is all -inf adds 0.
 */
static void lk_sumexp_merge(double *acc, double *top, double sum, double peak) {
  if (!(peak <= *top) && *top == *top) {
    *acc *= exp(*top - peak);
    *top = peak;
  }
  if (peak != -(double)INFINITY) *acc += sum * exp(peak - *top);
}

void lk_cols_finish(const lk_program *p, const double *cols, int64_t n_parts, void *const *outputs) {
  const int64_t len = p->row_length, stride = (int64_t)lk_col_outputs(p) * 2 * len;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t mode = p->outputs[k].mode;
    if (!lk_is_col_mode(mode)) continue;
    /* A maximum kept by its sum of exponentials: the maxima after that sum's values. */
    const int32_t partner = lk_col_partner(p, k);
    const int64_t offset = partner >= 0 ? lk_col_slot(p, partner) * 2 * len + len : lk_col_slot(p, k) * 2 * len;
    for (int64_t j = 0; j < len; j++) {
      double acc = mode == LK_COLMAX ? -(double)INFINITY : 0.0, top = -(double)INFINITY;
      for (int64_t part = 0; part < n_parts; part++) {
        const double *block = cols + part * stride + offset;
        const double v = block[j];
        if (mode == LK_COLSUM) acc += v;
        else if (mode == LK_COLMAX) acc = (v > acc || v != v) ? v : acc; /* a NaN, once in, stays */
        else lk_sumexp_merge(&acc, &top, v, block[len + j]);
      }
      if (mode == LK_COLSUMEXP && top == -(double)INFINITY) acc = (double)NAN; /* exp(-inf - -inf) */
      if (p->dtype == LK_F32) ((float *)outputs[k])[j] = (float)acc;
      else ((double *)outputs[k])[j] = acc;
    }
  }
}
