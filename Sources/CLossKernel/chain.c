/**
 * Row chains: several tile-VM programs over iteration spaces with the same leading axis,
 * run block of rows by block of rows, so that intermediates between the programs stay in
 * cache instead of going to memory and back.
 */
#include "internal.h"
#include "program.h"
#include <string.h>

/** The rows [begin, end) of a chain, run by one thread. */
typedef struct lk_chain_job {
  const lk_chain_step *steps;
  int32_t n_steps;
  int64_t rows_per_block;
  int64_t begin, end;
  double *sums;      /**< n_steps x LK_MAX_REGS totals of this job's rows. */
  lk_status status;
} lk_chain_job;

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
    const int64_t per = mode == LK_STORE ? per_row : lk_is_row_mode(mode) ? per_row / p->row_length : 0;
    out[k] = mode == LK_SUM ? NULL : (char *)st->outputs[k] + r0 * per * item;
  }
  lk_iter it;
  const lk_status status = lk_iter_make(p, st->ndim, shape, in, &it);
  if (status != LK_OK) return status;
  /* Large stored outputs no later step reads bypass the cache (native code too: in a chain
     the inputs read again by later steps stay in cache instead of the outputs). */
  const bool stream = st->unread && per_row * st->shape[0] * item >= LK_STREAM_MIN;
  lk_job job = {.program = p, .iter = &it, .inputs = in, .outputs = out, .begin = 0, .end = it.count,
                .stream = stream, .status = LK_OK};
  memset(job.sums, 0, sizeof job.sums);
  if (it.count > 0) lk_tile_loop(p->dtype)(&job);
  for (int32_t k = 0; k < p->n_outputs; k++) sums[k] += job.sums[k];
  return job.status;
}

/** Runs a job's rows block by block, every step over a block before the next block. */
static void *lk_chain_main(void *arg) {
  lk_chain_job *job = arg;
  for (int64_t r0 = job->begin; r0 < job->end && job->status == LK_OK; r0 += job->rows_per_block) {
    const int64_t r1 = job->end - r0 < job->rows_per_block ? job->end : r0 + job->rows_per_block;
    for (int32_t s = 0; s < job->n_steps && job->status == LK_OK; s++)
      job->status = lk_chain_block(&job->steps[s], r0, r1, job->sums + (int64_t)s * LK_MAX_REGS);
  }
  return NULL;
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
  double *sums = calloc(2 * (size_t)n_steps * LK_MAX_REGS, sizeof(double));
  if (!sums) return LK_ENOMEM;
  /* Two halves split at a block boundary; the totals are combined in range order. */
  const int64_t blocks = (rows + rows_per_block - 1) / rows_per_block;
  const int64_t mid = (total >= LK_PARALLEL_MIN && blocks >= 2 && lk_two_cores())
                          ? (blocks + 1) / 2 * rows_per_block
                          : rows;
  lk_chain_job jobs[2];
  for (int32_t h = 0; h < 2; h++)
    jobs[h] = (lk_chain_job){.steps = steps, .n_steps = n_steps, .rows_per_block = rows_per_block,
                             .begin = h == 0 ? 0 : mid, .end = h == 0 ? mid : rows,
                             .sums = sums + (int64_t)h * n_steps * LK_MAX_REGS, .status = LK_OK};
  lk_run_pair(lk_chain_main, &jobs[0], mid < rows ? &jobs[1] : NULL);
  lk_status status = jobs[0].status != LK_OK ? jobs[0].status : jobs[1].status;
  for (int32_t s = 0; s < n_steps && status == LK_OK; s++)
    for (int32_t k = 0; k < steps[s].program->n_outputs; k++)
      if (steps[s].program->outputs[k].mode == LK_SUM)
        steps[s].sums[k] = jobs[0].sums[s * LK_MAX_REGS + k] + jobs[1].sums[s * LK_MAX_REGS + k];
  free(sums);
  return status;
}
