/**
 * Row chains: several tile-VM programs over iteration spaces with the same leading axis,
 * run block of rows by block of rows, so that intermediates between the programs stay in
 * cache instead of going to memory and back.
 */
#include "internal.h"
#include "program.h"
#include <stdatomic.h>
#include <string.h>

/** A split chain: its steps, the part size, and each part's results. */
typedef struct lk_chain_split {
  const lk_chain_step *steps;
  int32_t n_steps;
  int64_t rows, rows_per_block;
  int64_t rows_per_part;   /**< Whole blocks. */
  const int32_t *first;    /**< Per step, the index of its first output among all the steps'. */
  int32_t n_outputs;       /**< Outputs of all the steps. */
  double *sums;            /**< n_parts x n_outputs: each part's LK_SUM totals. */
  _Atomic int32_t status;  /**< LK_OK, or the status of a part that failed. */
} lk_chain_split;

/** Elements per row of a step: the product of its shape past the leading axis. */
static int64_t lk_row_count(const lk_chain_step *st) {
  int64_t n = 1;
  for (int32_t d = 1; d < st->ndim; d++) n *= st->shape[d];
  return n;
}

/** Runs one step over rows [r0, r1), adding its LK_SUM totals to sums. */
static lk_status lk_chain_block(const lk_chain_step *st, int64_t r0, int64_t r1, double *sums) {
  const lk_program *p = st->program;
  const int64_t per_row = lk_row_count(st);
  if (per_row == 0) return LK_OK; /* an empty space: nothing to read or write */
  int64_t shape[LK_MAX_DIMS];
  memcpy(shape, st->shape, (size_t)st->ndim * sizeof(int64_t));
  shape[0] = r1 - r0;
  lk_operand in[LK_MAX_REGS];
  for (int32_t i = 0; i < p->n_inputs; i++) {
    in[i] = st->inputs[i];
    in[i].data = (const char *)in[i].data + r0 * in[i].strides[0] * (int64_t)lk_item_size(in[i].dtype);
  }
  void *out[LK_MAX_REGS];
  const int64_t item = (int64_t)lk_item_size(p->dtype);
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t mode = p->outputs[k].mode;
    const int64_t per = (mode == LK_STORE || mode == LK_ROWEXP) ? per_row : lk_is_row_mode(mode) ? per_row / p->row_length : 0;
    out[k] = mode == LK_SUM ? NULL : (char *)st->outputs[k] + r0 * per * item;
  }
  lk_iter it;
  const lk_status status = lk_iter_make(p, st->ndim, shape, in, &it);
  if (status != LK_OK) return status;
  /* Large stored outputs no later step reads bypass the cache (native code too: in a chain
     the inputs read again by later steps stay in cache instead of the outputs). */
  const uint64_t stream = per_row * st->shape[0] * item >= LK_STREAM_MIN ? st->unread : 0;
  lk_job job = {.program = p, .iter = &it, .inputs = in, .outputs = out, .begin = 0, .end = it.count,
                .stream = stream, .status = LK_OK};
  memset(job.sums, 0, sizeof job.sums);
  if (it.count > 0) lk_tile_loop(p->dtype)(&job);
  for (int32_t k = 0; k < p->n_outputs; k++) sums[k] += job.sums[k];
  return job.status;
}

/** Runs part `part` of a chain block by block, every step over a block before the next block. */
static void lk_chain_part(void *arg, int64_t part) {
  lk_chain_split *split = arg;
  const int64_t begin = part * split->rows_per_part;
  const int64_t end = split->rows - begin < split->rows_per_part ? split->rows : begin + split->rows_per_part;
  double *const sums = split->sums + part * split->n_outputs;
  lk_status status = LK_OK;
  for (int64_t r0 = begin; r0 < end && status == LK_OK; r0 += split->rows_per_block) {
    const int64_t r1 = end - r0 < split->rows_per_block ? end : r0 + split->rows_per_block;
    for (int32_t s = 0; s < split->n_steps && status == LK_OK; s++)
      status = lk_chain_block(&split->steps[s], r0, r1, sums + split->first[s]);
  }
  if (status != LK_OK) atomic_store(&split->status, status);
}

lk_status lk_run_chain(const lk_chain_step *steps, int32_t n_steps, int64_t rows_per_block) {
  if (!steps || n_steps < 1 || rows_per_block < 1) return LK_EINVAL;
  const int64_t rows = steps[0].ndim >= 1 && steps[0].shape ? steps[0].shape[0] : -1;
  int64_t total = 0;
  for (int32_t s = 0; s < n_steps; s++) {
    const lk_chain_step *st = &steps[s];
    lk_status status = lk_validate(st->program);
    if (status != LK_OK) return status;
    if (st->ndim < 1 || st->ndim > LK_MAX_DIMS || !st->shape || st->shape[0] != rows || rows < 0) return LK_EINVAL;
    /* The whole space once: checks the arguments exactly as lk_run would. */
    lk_iter it;
    status = lk_iter_make(st->program, st->ndim, st->shape, st->inputs, &it);
    if (status != LK_OK) return status;
    const lk_program *p = st->program;
    if (lk_col_outputs(p) > 0) return LK_EINVAL; /* complete only after every row */
    for (int32_t k = 0; k < p->n_outputs; k++) {
      if (p->outputs[k].mode == LK_SUM && !st->sums) return LK_EINVAL;
      if (p->outputs[k].mode != LK_SUM && it.count > 0 && (!st->outputs || !st->outputs[k])) return LK_EINVAL;
    }
    if (lk_has_rows(p) && (rows == 0 ? 0 : it.count / rows) % p->row_length != 0) return LK_EINVAL;
    for (int32_t k = 0; k < p->n_outputs; k++)
      if (p->outputs[k].mode == LK_SUM) st->sums[k] = 0.0;
    if (it.count > total) total = it.count;
  }
  if (rows == 0) return LK_OK;
  /* Parts of a fixed number of whole blocks, whatever the number of threads; their totals
     are combined in part order, so results depend neither on timing nor on the thread count. */
  const int64_t per_row = total / rows; /* elements of the largest step */
  const int64_t rows_wanted = per_row == 0 ? rows : (LK_PART_MIN + per_row - 1) / per_row;
  const int64_t blocks = rows / rows_per_block + (rows % rows_per_block != 0);
  const int64_t blocks_per_part = rows_wanted / rows_per_block + (rows_wanted % rows_per_block != 0);
  const int64_t rows_per_part = blocks_per_part >= blocks ? rows : blocks_per_part * rows_per_block;
  const int64_t n_parts = (rows + rows_per_part - 1) / rows_per_part;
  int32_t n_outputs = 0;
  for (int32_t s = 0; s < n_steps; s++) n_outputs += steps[s].program->n_outputs;
  int32_t *first = malloc((size_t)n_steps * sizeof(int32_t));
  double *sums = calloc((size_t)n_parts * (size_t)n_outputs, sizeof(double));
  if (!first || !sums) {
    free(first);
    free(sums);
    return LK_ENOMEM;
  }
  for (int32_t s = 0, k = 0; s < n_steps; k += steps[s].program->n_outputs, s++) first[s] = k;
  lk_chain_split split = {.steps = steps, .n_steps = n_steps, .rows = rows, .rows_per_block = rows_per_block,
                          .rows_per_part = rows_per_part, .first = first, .n_outputs = n_outputs,
                          .sums = sums, .status = LK_OK};
  lk_parallel(total >= LK_PARALLEL_MIN ? lk_threads() : 1, n_parts, lk_chain_part, &split);
  const lk_status status = atomic_load(&split.status);
  for (int32_t s = 0; s < n_steps && status == LK_OK; s++)
    for (int32_t k = 0; k < steps[s].program->n_outputs; k++)
      if (steps[s].program->outputs[k].mode == LK_SUM)
        for (int64_t part = 0; part < n_parts; part++) steps[s].sums[k] += sums[part * n_outputs + first[s] + k];
  free(first);
  free(sums);
  return status;
}
