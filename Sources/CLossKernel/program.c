/**
 * The tile VM: program validation, iteration-space setup (dropping unit axes and merging
 * axes that are contiguous for every input), and dispatch to the typed tile loop compiled
 * for the CPU's instruction set (chosen at run time on x86-64; the target's baseline
 * elsewhere), in parts run by the worker pool for large outputs.
 */
#include "internal.h"
#include "program.h"
#include <stdatomic.h>
#include <string.h>


/** Opcode names, indexed by opcode. */
static const char *const lk_op_names[] = {
#define LK_OP(NAME, STR, ARITY, EXPR) STR,
#include "ops.def"
#undef LK_OP
};

/** Opcode arities, indexed by opcode. */
static const int8_t lk_op_arities[] = {
#define LK_OP(NAME, STR, ARITY, EXPR) ARITY,
#include "ops.def"
#undef LK_OP
};

const char *lk_opcode_name(int32_t op) {
  return (op >= 0 && op < LK_OP_COUNT) ? lk_op_names[op] : NULL;
}

int32_t lk_opcode_arity(int32_t op) {
  return (op >= 0 && op < LK_OP_COUNT) ? lk_op_arities[op] : -1;
}

bool lk_has_rows(const lk_program *p) {
  for (int32_t k = 0; k < p->n_outputs; k++)
    if (lk_is_row_mode(p->outputs[k].mode) || lk_is_col_mode(p->outputs[k].mode)) return true;
  return false;
}

lk_status lk_validate(const lk_program *p) {
  if (!p || !lk_dtype_ok(p->dtype)) return LK_EINVAL;
  if (p->n_inputs < 0 || p->n_regs < p->n_inputs || p->n_regs > LK_MAX_REGS) return LK_EINVAL;
  if (p->n_outputs < 1 || p->n_outputs > LK_MAX_REGS || !p->outputs) return LK_EINVAL;
  if (p->n_insns < 0 || (p->n_insns > 0 && !p->insns)) return LK_EINVAL;
  bool defined[LK_MAX_REGS] = {false};
  for (int32_t r = 0; r < p->n_inputs; r++) defined[r] = true;
  for (int32_t i = 0; i < p->n_insns; i++) {
    const lk_insn *in = &p->insns[i];
    const int32_t arity = lk_opcode_arity(in->op);
    if (arity < 0) return LK_EINVAL;
    const uint8_t src[3] = {in->a, in->b, in->c};
    for (int32_t s = 0; s < arity; s++)
      if (src[s] >= p->n_regs || !defined[src[s]]) return LK_EINVAL;
    if (in->dst < p->n_inputs || in->dst >= p->n_regs) return LK_EINVAL;
    defined[in->dst] = true;
  }
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const lk_output *o = &p->outputs[k];
    if (o->reg >= p->n_regs || !defined[o->reg]) return LK_EINVAL;
    if (o->mode > LK_ROWSUMSHIFT) return LK_EINVAL;
    if ((lk_is_row_mode(o->mode) || lk_is_col_mode(o->mode)) && p->row_length < 1) return LK_EINVAL;
    if ((o->mode == LK_ROWEXP || o->mode == LK_ROWSUMSHIFT) && !lk_sumexp_partner_ok(p, o->reg)) return LK_EINVAL;
  }
  return LK_OK;
}

bool lk_sumexp_partner_ok(const lk_program *p, uint8_t reg) {
  if (reg >= p->n_inputs || p->row_length < 1 || p->row_length > LK_TILE) return false;
  for (int32_t k = 0; k < p->n_outputs; k++)
    if (p->outputs[k].mode == LK_ROWSUMEXP && p->outputs[k].reg == reg) return true;
  return false;
}

/** Checks the run arguments and fills the iteration space (merged axes, input kinds). */
lk_status lk_iter_make(const lk_program *p, int32_t ndim, const int64_t *shape,
                              const lk_operand *inputs, lk_iter *it) {
  if (ndim < 0 || ndim > LK_MAX_DIMS || (ndim > 0 && !shape)) return LK_EINVAL;
  if (p->n_inputs > 0 && !inputs) return LK_EINVAL;
  it->count = 1;
  for (int32_t d = 0; d < ndim; d++) {
    if (shape[d] < 0) return LK_EINVAL;
    if (shape[d] > 0 && it->count > INT64_MAX / shape[d]) return LK_EINVAL;
    it->count *= shape[d];
  }
  for (int32_t i = 0; i < p->n_inputs; i++) {
    if (!lk_dtype_ok(inputs[i].dtype)) return LK_EINVAL;
    if (it->count > 0 && (!inputs[i].data || (ndim > 0 && !inputs[i].strides))) return LK_EINVAL;
  }
  /* Keep non-unit axes; merge an axis into the previous one when every input allows it. */
  it->nd = 0;
  for (int32_t d = 0; d < ndim; d++) {
    if (shape[d] == 1) continue;
    bool merge = it->nd > 0;
    for (int32_t i = 0; merge && i < p->n_inputs; i++)
      merge = it->stride[i][it->nd - 1] == inputs[i].strides[d] * shape[d];
    if (merge) {
      it->shape[it->nd - 1] *= shape[d];
      for (int32_t i = 0; i < p->n_inputs; i++) it->stride[i][it->nd - 1] = inputs[i].strides[d];
    } else {
      it->shape[it->nd] = shape[d];
      for (int32_t i = 0; i < p->n_inputs; i++) it->stride[i][it->nd] = inputs[i].strides[d];
      it->nd++;
    }
  }
  for (int32_t i = 0; i < p->n_inputs; i++) {
    bool splat = true;
    for (int32_t d = 0; d < it->nd; d++) splat = splat && it->stride[i][d] == 0;
    bool contiguous = true; /* C order over the merged axes: flat position = element offset */
    for (int64_t d = it->nd - 1, step = 1; d >= 0; step *= it->shape[d], d--)
      contiguous = contiguous && it->stride[i][d] == step;
    it->kind[i] = splat ? LK_IN_SPLAT : contiguous ? LK_IN_CONTIG : LK_IN_GATHER;
  }
  return LK_OK;
}

bool lk_native_runs(const lk_program *p, const lk_iter *it) {
  if (it->nd < 2 || it->shape[it->nd - 1] < LK_NATIVE_RUN_MIN) return false;
  for (int32_t i = 0; i < p->n_inputs; i++)
    if (lk_in_run(it, i)) return true;
  return false;
}

uint64_t lk_native_uniform_of(const lk_program *p, const lk_iter *it) {
  const bool runs = lk_native_runs(p, it);
  uint64_t mask = 0;
  for (int32_t i = 0; i < p->n_inputs; i++)
    if (it->kind[i] == LK_IN_SPLAT ||
        (runs && it->kind[i] == LK_IN_GATHER && it->stride[i][it->nd - 1] == 0))
      mask |= (uint64_t)1 << i;
  return mask;
}

uint64_t lk_native_uniform(const lk_program *p, int32_t ndim, const int64_t *shape,
                           const lk_operand *inputs) {
  lk_iter it;
  if (lk_validate(p) != LK_OK || lk_iter_make(p, ndim, shape, inputs, &it) != LK_OK) return 0;
  return lk_native_uniform_of(p, &it);
}

bool lk_native_row_folds_of(const lk_program *p, const lk_iter *it) {
  if (p->row_length < LK_NATIVE_FOLD_MIN) return false;
  if (lk_native_runs(p, it) && it->shape[it->nd - 1] % p->row_length != 0) return false;
  for (int32_t k = 0; k < p->n_outputs; k++)
    if (lk_native_folds(p->outputs[k].mode, p->outputs[k].reg, p->n_inputs)) return true;
  return false;
}

void lk_row_max_partners(const lk_program *p, bool fold, int32_t *max_of) {
  for (int32_t k = 0; k < p->n_outputs; k++) {
    max_of[k] = -1;
    if (p->outputs[k].mode != LK_ROWSUMEXP) continue;
    for (int32_t j = 0; j < p->n_outputs && max_of[k] < 0; j++)
      if (p->outputs[j].mode == LK_ROWMAX && p->outputs[j].reg == p->outputs[k].reg &&
          !(fold && lk_native_folds(LK_ROWMAX, p->outputs[j].reg, p->n_inputs)))
        max_of[k] = j;
  }
}

void lk_sumexp_partners(const lk_program *p, uint8_t mode, int32_t *partner_of) {
  for (int32_t k = 0; k < p->n_outputs; k++) {
    partner_of[k] = -1;
    if (p->outputs[k].mode != LK_ROWSUMEXP) continue;
    for (int32_t j = 0; j < p->n_outputs && partner_of[k] < 0; j++)
      if (p->outputs[j].mode == mode && p->outputs[j].reg == p->outputs[k].reg) partner_of[k] = j;
  }
}

bool lk_native_row_folds(const lk_program *p, int32_t ndim, const int64_t *shape, const lk_operand *inputs) {
  lk_iter it;
  if (lk_validate(p) != LK_OK || lk_iter_make(p, ndim, shape, inputs, &it) != LK_OK) return false;
  return lk_native_row_folds_of(p, &it);
}

uint64_t lk_direct_registers(const lk_program *p, bool native, bool fold, uint64_t stream, int32_t *direct) {
  bool vm_reads[LK_MAX_REGS] = {false};
  for (int32_t r = 0; r < p->n_regs; r++) direct[r] = -1;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t r = p->outputs[k].reg, mode = p->outputs[k].mode;
    if (r < p->n_inputs) continue;
    if (mode == LK_STORE) direct[r] = direct[r] == -1 && (native || !(stream >> k & 1)) ? k : -2;
    else if (!(fold && lk_native_folds(mode, r, p->n_inputs))) vm_reads[r] = true;
  }
  uint64_t streamed = 0;
  for (int32_t r = p->n_inputs; r < p->n_regs; r++) {
    if (direct[r] < 0 || !(stream >> direct[r] & 1)) continue;
    if (vm_reads[r]) direct[r] = -2;
    else streamed |= (uint64_t)1 << r;
  }
  return streamed;
}

bool lk_native_spans(const lk_program *p, const lk_iter *it, const lk_operand *inputs, bool fold, const int32_t *direct) {
  for (int32_t i = 0; i < p->n_inputs; i++) {
    const bool in_place = (it->kind[i] == LK_IN_CONTIG || lk_in_run(it, i)) && inputs[i].dtype == p->dtype;
    if (!in_place && it->kind[i] != LK_IN_SPLAT) return false;
  }
  for (int32_t k = 0; k < p->n_outputs; k++) {
    const uint8_t r = p->outputs[k].reg, mode = p->outputs[k].mode;
    const bool stored = mode == LK_STORE && r >= p->n_inputs && direct[r] == k;
    if (!stored && !(fold && lk_native_folds(mode, r, p->n_inputs))) return false;
  }
  return true;
}

bool lk_native_takes_range(const lk_program *p, int32_t ndim, const int64_t *shape, const lk_operand *inputs) {
  lk_iter it;
  if (lk_validate(p) != LK_OK || lk_iter_make(p, ndim, shape, inputs, &it) != LK_OK || !lk_native_runs(p, &it))
    return false;
  const bool fold = lk_native_row_folds_of(p, &it);
  int32_t direct[LK_MAX_REGS];
  lk_direct_registers(p, true, fold, 0, direct);
  return lk_native_spans(p, &it, inputs, fold, direct);
}

#if defined(__x86_64__)
/** The instruction sets the tile loops are compiled for, widest first. */
typedef enum lk_vm_isa { LK_VM_AVX512, LK_VM_AVX2, LK_VM_GENERIC } lk_vm_isa;

/** The widest instruction set of the tile loops this CPU has. */
static lk_vm_isa lk_vm_isa_of_cpu(void) {
  __builtin_cpu_init(); /* reads the runtime's cached CPU model */
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw"))
    return LK_VM_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return LK_VM_AVX2;
  return LK_VM_GENERIC;
}
#endif

/** The typed tile loop for dtype, compiled for the widest instruction set the CPU has. */
void (*lk_tile_loop(int32_t dtype))(lk_job *) {
  const bool f32 = dtype == LK_F32;
#if defined(__x86_64__)
  switch (lk_vm_isa_of_cpu()) {
  case LK_VM_AVX512: return f32 ? lk_run_f32_avx512 : lk_run_f64_avx512;
  case LK_VM_AVX2: return f32 ? lk_run_f32_avx2 : lk_run_f64_avx2;
  default: break;
  }
#endif
  return f32 ? lk_run_f32_generic : lk_run_f64_generic;
}

const char *lk_vm_target(void) {
#if defined(__x86_64__)
  switch (lk_vm_isa_of_cpu()) {
  case LK_VM_AVX512: return LK_TARGET_AVX512;
  case LK_VM_AVX2: return LK_TARGET_AVX2;
  default: break;
  }
#endif
  return "";
}

/** A split lk_run: the job of the whole space, the part size, and each part's results. */
typedef struct lk_run_split {
  lk_job whole;            /**< The whole space's job (begin and end are set per part). */
  void (*loop)(lk_job *);  /**< The tile loop for the program's dtype. */
  int64_t per_part;        /**< Elements per part: whole tiles, or whole rows with row outputs. */
  double *sums;            /**< n_parts x n_outputs: each part's LK_SUM totals. */
  double *cols;            /**< Each part's column totals (lk_cols_start), or NULL if none. */
  _Atomic int32_t status;  /**< LK_OK, or the status of a part that failed. */
} lk_run_split;

/** Runs part `part` of a split lk_run with the tile loop, keeping its sums. */
static void lk_run_part(void *arg, int64_t part) {
  lk_run_split *split = arg;
  lk_job job = split->whole;
  job.begin = part * split->per_part;
  job.end = job.iter->count - job.begin < split->per_part ? job.iter->count : job.begin + split->per_part;
  if (split->cols) lk_cols_start(&job, split->cols, part);
  split->loop(&job);
  if (job.status != LK_OK) atomic_store(&split->status, job.status);
  const int32_t n = job.program->n_outputs;
  memcpy(split->sums + part * n, job.sums, (size_t)n * sizeof(double));
}

lk_status lk_run(const lk_program *p, int32_t ndim, const int64_t *shape,
                 const lk_operand *inputs, void *const *outputs, double *sums) {
  lk_status st = lk_validate(p);
  if (st != LK_OK) return st;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    if (p->outputs[k].mode == LK_SUM && !sums) return LK_EINVAL;
    if (p->outputs[k].mode != LK_SUM && !outputs) return LK_EINVAL;
  }
  lk_iter it;
  st = lk_iter_make(p, ndim, shape, inputs, &it);
  if (st != LK_OK) return st;
  for (int32_t k = 0; k < p->n_outputs; k++) {
    if (p->outputs[k].mode == LK_SUM) sums[k] = 0.0;
    else if (it.count > 0 && !outputs[k]) return LK_EINVAL;
  }
  const bool rows = lk_has_rows(p);
  if (rows && it.count % p->row_length != 0) return LK_EINVAL;
  if (it.count == 0) return LK_OK;
  /* Parts of a fixed size (whole tiles, or whole rows if rows are reduced, so each row is
     reduced by one thread), whatever the number of threads; their totals are combined in
     part order, so results depend neither on timing nor on the thread count. */
  const int64_t unit = rows ? p->row_length : LK_TILE;
  int64_t per_part = (LK_PART_MIN + unit - 1) / unit * unit;
  const int32_t n_cols = lk_col_outputs(p);
  if (n_cols > 0 && (it.count + per_part - 1) / per_part > LK_COL_PARTS) /* fewer, larger parts */
    per_part = (it.count / unit + LK_COL_PARTS - 1) / LK_COL_PARTS * unit;
  const int64_t n_parts = (it.count + per_part - 1) / per_part;
  double few[LK_MAX_REGS];
  const size_t n_sums = (size_t)n_parts * (size_t)p->n_outputs;
  double *const part_sums = n_sums <= LK_MAX_REGS ? few : lk_scratch(n_sums * sizeof(double));
  double *const cols = n_cols > 0 ? lk_scratch((size_t)(n_parts * n_cols * LK_COL_BLOCK * p->row_length) * sizeof(double)) : NULL;
  if (!part_sums || (n_cols > 0 && !cols)) {
    if (part_sums != few) free(part_sums);
    free(cols);
    return LK_ENOMEM;
  }
  lk_run_split split = {
      .whole = {.program = p, .iter = &it, .inputs = inputs, .outputs = outputs,
                .stream = !p->native && it.count * (int64_t)lk_item_size(p->dtype) >= LK_STREAM_MIN ? ~(uint64_t)0 : 0,
                .status = LK_OK},
      .loop = lk_tile_loop(p->dtype), .per_part = per_part, .sums = part_sums, .cols = cols, .status = LK_OK};
  lk_parallel(it.count >= LK_PARALLEL_MIN ? lk_threads() : 1, n_parts, lk_run_part, &split);
  st = atomic_load(&split.status);
  for (int32_t k = 0; k < p->n_outputs && st == LK_OK; k++)
    if (p->outputs[k].mode == LK_SUM)
      for (int64_t part = 0; part < n_parts; part++) sums[k] += part_sums[part * p->n_outputs + k];
  if (cols && st == LK_OK) lk_cols_finish(p, cols, n_parts, outputs);
  free(cols);
  if (part_sums != few) free(part_sums);
  return st;
}
