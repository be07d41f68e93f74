/**
 * Column outputs of the tile VM (LK_COLSUM, LK_COLMAX, LK_COLSUMEXP): each part of a split
 * lk_run keeps its own column totals (program_loop.h folds the tiles into them), and the
 * parts are combined here in part order, so the result does not depend on the thread count.
 * An LK_COLMAX beside an LK_COLSUMEXP of the same register is that sum's running maximum,
 * which is kept anyway: it is not folded again. An LK_COLSUMEXP's sums are relative to
 * shifts that trail the maxima by up to LK_COL_SLACK (program_loop.h, lk_tile_cols); shifts
 * and maxima are elements, kept in the program's dtype, and the sums are rescaled to the
 * maxima here.
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

/** Element j of `values` (a row_length run of the program's dtype), in double. */
static double lk_col_value(const lk_program *p, const void *values, int64_t j) {
  return p->dtype == LK_F32 ? (double)((const float *)values)[j] : ((const double *)values)[j];
}

/** Where an LK_COLSUMEXP block's shifts (which = 0) or maxima (1) start: after its sums. */
static const void *lk_col_values(const lk_program *p, const double *block, int32_t which) {
  const int64_t len = p->row_length;
  return p->dtype == LK_F32 ? (const void *)((const float *)(block + len) + which * len)
                            : (const void *)(block + len + which * len);
}

void lk_cols_start(lk_job *job, double *cols, int64_t part) {
  const lk_program *p = job->program;
  const int64_t len = p->row_length;
  double *const base = cols + part * (int64_t)lk_col_outputs(p) * LK_COL_BLOCK * len;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t mode = p->outputs[k].mode;
    if (!lk_is_col_mode(mode)) continue;
    double *block = base + (int64_t)lk_col_slot(p, k) * LK_COL_BLOCK * len;
    job->cols[k] = lk_col_partner(p, k) >= 0 ? NULL : block; /* NULL: nothing to fold */
    for (int64_t j = 0; j < len; j++) block[j] = mode == LK_COLMAX ? -(double)INFINITY : 0.0;
    if (mode != LK_COLSUMEXP) continue;
    for (int64_t j = 0; j < 2 * len; j++) /* the shifts, then the maxima (lk_col_values) */
      if (p->dtype == LK_F32) ((float *)(block + len))[j] = -INFINITY;
      else block[len + j] = -(double)INFINITY;
  }
}

/**
 * Adds a part's sum of exponentials (`sum` relative to its shift `shift`) to the running
 * one (*acc relative to *top): the larger shift wins (a NaN, once in, stays) and the other
 * sum is rescaled by exp(its shift - the new one); a part whose column is all -inf adds 0.
 */
static void lk_sumexp_merge(double *acc, double *top, double sum, double shift) {
  if (!(shift <= *top) && *top == *top) {
    *acc *= exp(*top - shift);
    *top = shift;
  }
  if (shift != -(double)INFINITY) *acc += sum * exp(shift - *top);
}

/** The maximum of a and b; a NaN, once in, stays. */
static double lk_col_max(double a, double b) { return (b > a || b != b) ? b : a; }

void lk_cols_finish(const lk_program *p, const double *cols, int64_t n_parts, void *const *outputs) {
  const int64_t len = p->row_length, stride = (int64_t)lk_col_outputs(p) * LK_COL_BLOCK * len;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t mode = p->outputs[k].mode;
    if (!lk_is_col_mode(mode)) continue;
    /* A maximum kept by its sum of exponentials: the maxima after that sum's values. */
    const int32_t partner = lk_col_partner(p, k);
    const int64_t offset = lk_col_slot(p, partner >= 0 ? partner : k) * LK_COL_BLOCK * len;
    for (int64_t j = 0; j < len; j++) {
      double acc = mode == LK_COLMAX ? -(double)INFINITY : 0.0, top = -(double)INFINITY;
      double peak = -(double)INFINITY;
      for (int64_t part = 0; part < n_parts; part++) {
        const double *block = cols + part * stride + offset;
        const double v = partner >= 0 ? lk_col_value(p, lk_col_values(p, block, 1), j) : block[j];
        if (mode == LK_COLSUM) acc += v;
        else if (mode == LK_COLMAX) acc = lk_col_max(acc, v);
        else {
          lk_sumexp_merge(&acc, &top, v, lk_col_value(p, lk_col_values(p, block, 0), j));
          peak = lk_col_max(peak, lk_col_value(p, lk_col_values(p, block, 1), j));
        }
      }
      /* From the largest shift to the maximum (a NaN or +inf in the column made acc NaN). */
      if (mode == LK_COLSUMEXP && top != -(double)INFINITY && top != peak) acc *= exp(top - peak);
      if (mode == LK_COLSUMEXP && top == -(double)INFINITY) acc = (double)NAN; /* exp(-inf - -inf) */
      if (p->dtype == LK_F32) ((float *)outputs[k])[j] = (float)acc;
      else ((double *)outputs[k])[j] = acc;
    }
  }
}
