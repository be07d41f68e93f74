/**
 * The typed tile loop, included by program_isa.h once per register type with T (element
 * type), SFX (name suffix) and M(fn) (math function variant) defined. Instructions run
 * over full tiles with the constant trip count LK_TILE, then over the tail (a program with
 * rows of at most LK_TILE elements: over tiles of as many whole rows as fit).
 */

/** Executes every instruction over n elements of the register tiles r. */
static inline __attribute__((always_inline)) void LK_CAT(lk_exec_, SFX)(
    const lk_insn *insns, int32_t n_insns, T *const *r, int64_t n) {
  for (int32_t i = 0; i < n_insns; i++) {
    const lk_insn *in = &insns[i];
    T *const d = r[in->dst];
    switch (in->op) {
#define LK_SRC_0
#define LK_SRC_1 const T *const pa = r[in->a];
#define LK_SRC_2 LK_SRC_1 const T *const pb = r[in->b];
#define LK_SRC_3 LK_SRC_2 const T *const pc = r[in->c];
#define LK_LOAD_0
#define LK_LOAD_1 const T a = pa[j];
#define LK_LOAD_2 LK_LOAD_1 const T b = pb[j];
#define LK_LOAD_3 LK_LOAD_2 const T c = pc[j];
#define LK_OP(NAME, STR, ARITY, EXPR)                                   \
  case LK_OP_##NAME: {                                                  \
    LK_SRC_##ARITY                                                      \
    const T imm = (T)in->imm;                                           \
    (void)imm;                                                          \
    for (int64_t j = 0; j < n; j++) {                                   \
      LK_LOAD_##ARITY                                                   \
      d[j] = (EXPR);                                                    \
    }                                                                   \
    break;                                                              \
  }
#include "ops.def"
#undef LK_OP
#undef LK_SRC_0
#undef LK_SRC_1
#undef LK_SRC_2
#undef LK_SRC_3
#undef LK_LOAD_0
#undef LK_LOAD_1
#undef LK_LOAD_2
#undef LK_LOAD_3
      default: break;
    }
  }
}

/** Gathers n elements from a strided input starting at flat output position start; runs
    along the last axis are broadcast (stride 0) or contiguous (stride 1) in the common case. */
#define LK_GATHER_FROM(S)                                                              \
  do {                                                                                 \
    const S *const src = (const S *)data;                                              \
    int64_t j = 0;                                                                     \
    while (j < n) {                                                                    \
      const int64_t s = stride[last];                                                  \
      int64_t run = it->shape[last] - idx[last];                                       \
      if (run > n - j) run = n - j;                                                    \
      if (s == 0) {                                                                    \
        const T v = (T)src[off];                                                       \
        for (int64_t t = 0; t < run; t++) dst[j + t] = v;                              \
      } else if (s == 1) {                                                             \
        for (int64_t t = 0; t < run; t++) dst[j + t] = (T)src[off + t];                \
      } else {                                                                         \
        for (int64_t t = 0; t < run; t++) dst[j + t] = (T)src[off + t * s];            \
      }                                                                                \
      j += run;                                                                        \
      off += run * s;                                                                  \
      idx[last] += run;                                                                \
      for (int32_t a = last; a > 0 && idx[a] == it->shape[a]; a--) {                   \
        off += stride[a - 1] - it->shape[a] * stride[a];                               \
        idx[a] = 0;                                                                    \
        idx[a - 1]++;                                                                  \
      }                                                                                \
    }                                                                                  \
  } while (0)

/** Loads the tile [start, start + n) of input i into dst, converting to T. */
static void LK_CAT(lk_gather_tile_, SFX)(const lk_iter *it, int32_t i, const lk_operand *op,
                                         T *dst, int64_t start, int64_t n) {
  const int64_t *stride = it->stride[i];
  const int32_t last = it->nd - 1;
  const void *data = op->data;
  int64_t idx[LK_MAX_DIMS];
  lk_iter_position(it, start, idx);
  int64_t off = 0;
  for (int32_t a = 0; a <= last; a++) off += idx[a] * stride[a];
  if (op->dtype == LK_F32) LK_GATHER_FROM(float);
  else LK_GATHER_FROM(double);
}
#undef LK_GATHER_FROM

/** Converts n contiguous elements of dtype `dtype` at src + start into dst. */
static void LK_CAT(lk_convert_tile_, SFX)(int32_t dtype, const void *src, T *dst,
                                          int64_t start, int64_t n) {
  if (dtype == LK_F32) {
    const float *s = (const float *)src + start;
    for (int64_t j = 0; j < n; j++) dst[j] = (T)s[j];
  } else {
    const double *s = (const double *)src + start;
    for (int64_t j = 0; j < n; j++) dst[j] = (T)s[j];
  }
}

#include "output_steps.h"
#ifdef LK_ISA_SCALEF
#include "exp_chunk_scalef.h"
#endif

/** Sum of n elements in double (float first in eights): lk_sum_chunk over whole chunks, then lk_sum_end. */
static double LK_CAT(lk_tile_sum_, SFX)(const T *x, int64_t n) {
  lk_v8d acc[4] = {{0}, {0}, {0}, {0}};
  int64_t j = 0;
  for (; j + LK_FOLD_CHUNK <= n; j += LK_FOLD_CHUNK) LK_CAT(lk_sum_chunk_, SFX)(acc, x + j, j / LK_FOLD_CHUNK & 1);
  return LK_CAT(lk_sum_end_, SFX)(acc, x + j, n - j);
}

/** NaN if any of the n elements is NaN, else their maximum (-inf if n is 0), a vector at a time. */
static double LK_CAT(lk_tile_max_, SFX)(const T *x, int64_t n) {
  LK_CAT(lk_vt_, SFX) part;
  LK_CAT(lk_vm_, SFX) nan;
  LK_CAT(lk_max_start_, SFX)(&part, &nan);
  return LK_CAT(lk_max_end_, SFX)(&part, &nan, x, n);
}

/**
 * The sum of exp(x - m) over n <= LK_TILE elements: each x - m and its exp in T, as the
 * VM's sub and exp instructions compute them, then summed in lk_tile_sum's order (so a row
 * in one segment gets the bits of a row sum of those instructions' register). The
 * exponentials go to `exps` if not NULL (an LK_ROWEXP output), else to a local tile, and the
 * sum of the differences x - m, in the same order, to *shifted if not NULL (an LK_ROWSUMSHIFT
 * row). An ISA with LK_ISA_SCALEF takes float32's whole chunks with lk_exp_chunk_scalef (the
 * same bits).
 */
static double LK_CAT(lk_tile_sumexp_, SFX)(const T *x, int64_t n, T m, T *exps, double *shifted) {
  _Alignas(64) T local[LK_TILE], d[LK_FOLD_CHUNK];
  T *const e = exps ? exps : local;
  lk_v8d acc[4] = {{0}, {0}, {0}, {0}}, dacc[4] = {{0}, {0}, {0}, {0}};
  int64_t j = 0;
#ifdef LK_ISA_SCALEF
  /* One loop with the differences' sum and one without (one loop testing `shifted` spilled
     its values to the stack: W2 5.6 against 5.3 ms on one thread). */
  const float mf = (float)m;
  if (sizeof(T) == 4 && shifted)
    for (; j + LK_FOLD_CHUNK <= n; j += LK_FOLD_CHUNK) {
      lk_exp_chunk_scalef((const float *)x + j, &mf, 0, (float *)e + j, (float *)d);
      LK_CAT(lk_sum_chunk_, SFX)(acc, e + j, j / LK_FOLD_CHUNK & 1);
      LK_CAT(lk_sum_chunk_, SFX)(dacc, d, j / LK_FOLD_CHUNK & 1);
    }
  else if (sizeof(T) == 4)
    for (; j + LK_FOLD_CHUNK <= n; j += LK_FOLD_CHUNK) {
      lk_exp_chunk_scalef((const float *)x + j, &mf, 0, (float *)e + j, NULL);
      LK_CAT(lk_sum_chunk_, SFX)(acc, e + j, j / LK_FOLD_CHUNK & 1);
    }
#endif
  for (int64_t c; j < n; j += c) {
    c = n - j < LK_FOLD_CHUNK ? n - j : LK_FOLD_CHUNK;
    for (int64_t i = 0; i < c; i++) {
      d[i] = x[j + i] - m;
      e[j + i] = M(lk_exp)(d[i]);
    }
    if (c < LK_FOLD_CHUNK) break;
    LK_CAT(lk_sum_chunk_, SFX)(acc, e + j, j / LK_FOLD_CHUNK & 1);
    if (shifted) LK_CAT(lk_sum_chunk_, SFX)(dacc, d, j / LK_FOLD_CHUNK & 1);
  }
  if (shifted) *shifted = LK_CAT(lk_sum_end_, SFX)(dacc, d, n - j);
  return LK_CAT(lk_sum_end_, SFX)(acc, e + j, n - j);
}

/**
 * Adds a segment's part (its sum, or for LK_ROWMAX its maximum) of row `row` to the row's
 * running value *acc; when the row `ends` with it, writes the row to out (and an
 * LK_ROWSUMEXP's running maximum *peak to peak_out, unless NULL) and restarts *acc and *peak.
 */
static inline void LK_CAT(lk_row_add_, SFX)(double part, uint8_t mode, int64_t row, bool ends, double *acc,
                                             double *peak, T *out, T *peak_out) {
  if (mode == LK_ROWMAX) *acc = (part > *acc || part != part) ? part : *acc; /* a NaN, once in, stays */
  else *acc += part;
  if (ends) {
    out[row] = (T)*acc;
    if (peak_out) peak_out[row] = (T)*peak;
    *acc = mode == LK_ROWMAX ? -(double)INFINITY : 0.0;
    *peak = -(double)INFINITY;
  }
}

/**
 * Folds the tile [start, start + n) of a register into a row output: *acc carries the
 * current row's running sum or maximum (in double) across tiles, and for LK_ROWSUMEXP
 * *peak the running maximum its sum is relative to (the sum is rescaled by
 * exp(old - new) when a segment raises it), `exps` (unless NULL: an LK_ROWEXP output,
 * whose rows are whole segments) where its exponentials go and `shift_out` (unless NULL: an
 * LK_ROWSUMSHIFT output, rows whole segments too) where each row's sum of x - m goes; each
 * row that ends in the tile is written to out and *acc and *peak restart.
 */
static void LK_CAT(lk_tile_rows_, SFX)(const T *src, int64_t start, int64_t n, int64_t row_length, uint8_t mode,
                                       double *acc, double *peak, T *out, T *peak_out, T *exps, T *shift_out) {
  /* One division per tile: the row of its first element and the offset in it. */
  int64_t row = start / row_length, offset = start - row * row_length, j = 0;
  while (j < n) {
    int64_t seg = row_length - offset;
    if (seg > n - j) seg = n - j;
    double part;
    if (mode == LK_ROWSUM) {
      part = LK_CAT(lk_tile_sum_, SFX)(src + j, seg);
    } else if (mode == LK_ROWMAX) {
      part = LK_CAT(lk_tile_max_, SFX)(src + j, seg);
    } else {
      const double m = LK_CAT(lk_tile_max_, SFX)(src + j, seg);
      if (m > *peak || (m != m && *peak == *peak)) { /* a NaN, once in, stays (and makes the sum NaN) */
        *acc *= exp(*peak - m);
        *peak = m;
      }
      double shifted;
      if (shift_out) {
        part = LK_CAT(lk_tile_sumexp_, SFX)(src + j, seg, (T)*peak, exps ? exps + start + j : NULL, &shifted);
        shift_out[row] = (T)shifted;
      } else { /* a call whose `shifted` is a constant NULL: the compiler's copy drops that loop */
        part = LK_CAT(lk_tile_sumexp_, SFX)(src + j, seg, (T)*peak, exps ? exps + start + j : NULL, NULL);
      }
    }
    j += seg;
    offset += seg;
    const bool ends = offset == row_length;
    LK_CAT(lk_row_add_, SFX)(part, mode, row, ends, acc, peak, out, peak_out);
    if (ends) row++, offset = 0;
  }
}

/**
 * Raises the shift top[t] of each column whose element x[t] exceeds it by more than
 * LK_COL_SLACK to x[t] (or to a NaN, which then stays), rescaling its running sum v[t] by
 * exp(old - new) (in T: a shift is an element).
 */
static void LK_CAT(lk_cols_raise_, SFX)(const T *x, int64_t n, double *v, T *top) {
  for (int64_t t = 0; t < n; t++)
    if (!(x[t] <= top[t] + (T)LK_COL_SLACK) && top[t] == top[t]) {
      v[t] *= (double)M(lk_exp)(top[t] - x[t]);
      top[t] = x[t];
    }
}

/**
 * Adds n <= LK_FOLD_CHUNK elements of a row to their columns' running sums of exponentials
 * v (in double) relative to the shifts top, and raises their maxima peak (see lk_tile_cols):
 * each exponential in T, as the VM's sub and exp instructions compute it; an element of -inf
 * adds 0. A chunk checks its shifts as vectors (one is seldom raised after a part's first
 * row) and takes float32's exponentials with lk_exp_chunk_scalef where the ISA has it (the
 * same bits).
 */
static inline __attribute__((always_inline)) void LK_CAT(lk_cols_sumexp_, SFX)(const T *x, int64_t n, double *v,
                                                                               T *top, T *peak) {
  int raise = 0;
  for (int64_t t = 0; t < n; t++) {
    raise |= !(x[t] <= top[t] + (T)LK_COL_SLACK) & (top[t] == top[t]);
    peak[t] = (x[t] > peak[t] || x[t] != x[t]) ? x[t] : peak[t]; /* a NaN, once in, stays */
  }
  if (raise) LK_CAT(lk_cols_raise_, SFX)(x, n, v, top);
  _Alignas(64) T e[LK_FOLD_CHUNK];
#ifdef LK_ISA_SCALEF
  if (sizeof(T) == 4 && n == LK_FOLD_CHUNK) lk_exp_chunk_scalef((const float *)x, (const float *)top, 1, (float *)e, NULL);
  else
#endif
    for (int64_t t = 0; t < n; t++) e[t] = M(lk_exp)(x[t] - top[t]);
  for (int64_t t = 0; t < n; t++) v[t] += x[t] == -(T)INFINITY ? 0.0 : (double)e[t];
}

/**
 * Folds the tile [start, start + n) of a register into a column output's totals (in the
 * layout of lk_cols_start): `acc` holds each column's running sum or maximum (in double;
 * column j = position % row_length), then for LK_COLSUMEXP each column's shift, which its
 * sum is relative to (raised, and the sum rescaled by exp(old - new), when an element
 * exceeds it by more than LK_COL_SLACK), and its running maximum, both in T.
 */
static void LK_CAT(lk_tile_cols_, SFX)(const T *src, int64_t start, int64_t n, int64_t row_length,
                                       uint8_t mode, double *acc) {
  if (!acc) return; /* an LK_COLMAX its LK_COLSUMEXP keeps (lk_cols_start) */
  T *const shift = (T *)(acc + row_length), *const peak = shift + row_length;
  for (int64_t j = 0, seg; j < n; j += seg) {
    const int64_t c = (start + j) % row_length;
    seg = row_length - c < n - j ? row_length - c : n - j;
    const T *x = src + j;
    double *v = acc + c;
    if (mode == LK_COLSUM) {
      for (int64_t t = 0; t < seg; t++) v[t] += (double)x[t];
    } else if (mode == LK_COLMAX) {
      for (int64_t t = 0; t < seg; t++) v[t] = ((double)x[t] > v[t] || x[t] != x[t]) ? (double)x[t] : v[t];
    } else {
      for (int64_t t = 0; t < seg; t += LK_FOLD_CHUNK) {
        const int64_t m = seg - t < LK_FOLD_CHUNK ? seg - t : LK_FOLD_CHUNK;
        LK_CAT(lk_cols_sumexp_, SFX)(x + t, m, v + t, shift + c + t, peak + c + t);
      }
    }
  }
}

/**
 * Runs native code over [start, start + n): in one call, or with `runs` run by run along the
 * last axis (see lk_native_runs: inputs broadcast along that axis are passed as a pointer to
 * their one value, inputs contiguous along it in place, everything else at its place in the
 * tile), and with `fold` row segment by row segment, adding each call's folds of row outputs
 * to their rows (acc and peak as for lk_tile_rows_). Registers in `stream` are written past
 * the cache; a splat input is its tile's first value (native code reads it as uniform). The
 * position of each run (its multi-index, and each input's offset there) and of each row
 * segment are divided out once and then advanced call by call, so a range of many rows
 * (lk_native_spans) costs no division per row.
 */
static void LK_CAT(lk_native_calls_, SFX)(const lk_job *job, T *const *tile, T *const *reg, int64_t start,
                                          int64_t n, bool runs, bool fold, uint64_t stream, double *acc,
                                          double *peak) {
  const lk_program *const p = job->program;
  const lk_iter *const it = job->iter;
  const int32_t last = it->nd - 1, dt = (sizeof(T) == 4) ? LK_F32 : LK_F64;
  void *run[LK_MAX_REGS];
  double parts[LK_MAX_REGS];
  int64_t idx[LK_MAX_DIMS], off[LK_MAX_REGS];
  int32_t in_run[LK_MAX_REGS], n_in_run = 0;
  if (runs) {
    for (int32_t i = 0; i < p->n_inputs; i++)
      if (lk_in_run(it, i)) in_run[n_in_run++] = i;
    lk_iter_position(it, start, idx);
    for (int32_t k = 0; k < n_in_run; k++) {
      off[in_run[k]] = 0;
      for (int32_t a = 0; a <= last; a++) off[in_run[k]] += idx[a] * it->stride[in_run[k]][a];
    }
  }
  int64_t row = fold ? start / p->row_length : 0, offset = fold ? start - row * p->row_length : 0;
  for (int64_t j = 0; j < n;) {
    int64_t m = n - j;
    if (fold && p->row_length - offset < m) m = p->row_length - offset;
    for (int32_t r = 0; r < p->n_regs; r++) run[r] = r < p->n_inputs && it->kind[r] == LK_IN_SPLAT ? reg[r] : reg[r] + j;
    if (runs) {
      if (it->shape[last] - idx[last] < m) m = it->shape[last] - idx[last];
      for (int32_t k = 0; k < n_in_run; k++) {
        const int32_t i = in_run[k];
        if (job->inputs[i].dtype == dt) run[i] = (T *)job->inputs[i].data + off[i];
        else LK_CAT(lk_convert_tile_, SFX)(job->inputs[i].dtype, job->inputs[i].data, tile[i] + j, off[i],
                                           it->stride[i][last] ? m : 1);
      }
    }
    p->native(run, m, fold ? parts : NULL, stream);
    for (int32_t k = 0; k < p->n_outputs && fold; k++)
      if (lk_native_folds(p->outputs[k].mode, p->outputs[k].reg, p->n_inputs))
        LK_CAT(lk_row_add_, SFX)(parts[k], p->outputs[k].mode, row, offset + m == p->row_length, &acc[k],
                                 &peak[k], job->outputs[k], NULL);
    j += m;
    if (fold && (offset += m) == p->row_length) row++, offset = 0;
    if (runs) lk_iter_advance(it, m, idx, in_run, n_in_run, off);
  }
}

/** Runs the job's range, adding LK_SUM totals to job->sums; sets job->status. */
void LK_CAT(lk_run_, SFX)(lk_job *job) {
  const lk_program *const p = job->program;
  const lk_iter *const it = job->iter;
  const lk_operand *const inputs = job->inputs;
  /* A range shorter than a tile needs registers only that long (rounded to whole cache
     lines); when they fit, they live on the stack and nothing is allocated. */
  const int64_t span = job->end - job->begin;
  const int64_t width = span < LK_TILE ? (span + 15) & ~(int64_t)15 : LK_TILE;
  _Alignas(64) T small[LK_SMALL_SCRATCH / sizeof(T)];
  const size_t bytes = (size_t)p->n_regs * (size_t)width * sizeof(T);
  T *const scratch = bytes <= sizeof small ? small : lk_scratch(bytes);
  if (!scratch) {
    job->status = LK_ENOMEM;
    return;
  }
  T *tile[LK_MAX_REGS]; /* each register's own scratch tile */
  T *reg[LK_MAX_REGS];  /* where each register's current tile lives */
  for (int32_t r = 0; r < p->n_regs; r++) reg[r] = tile[r] = scratch + (int64_t)r * width;
  const int32_t dt = (sizeof(T) == 4) ? LK_F32 : LK_F64;
  double acc[LK_MAX_REGS];  /* each row output's running value; the job starts a row */
  double peak[LK_MAX_REGS]; /* each LK_ROWSUMEXP output's running maximum */
  for (int32_t k = 0; k < p->n_outputs; k++) {
    acc[k] = p->outputs[k].mode == LK_ROWMAX ? -(double)INFINITY : 0.0;
    peak[k] = -(double)INFINITY;
  }
  /* Native code runs when it was generated for these inputs, run by run if they call for
     it, folding row outputs itself if the rows allow. */
  const bool native = p->native && p->native_uniform == lk_native_uniform_of(p, it);
  const bool runs = native && lk_native_runs(p, it);
  const bool fold = native && lk_native_row_folds_of(p, it);
  /* A row maximum beside a row sum of exponentials of the same register is written with
     that sum (its running maximum) instead of being folded again. */
  int32_t max_of[LK_MAX_REGS], exp_of[LK_MAX_REGS], shift_of[LK_MAX_REGS];
  bool with_sum[LK_MAX_REGS] = {false};
  lk_row_max_partners(p, fold, max_of);
  lk_sumexp_partners(p, LK_ROWEXP, exp_of);
  lk_sumexp_partners(p, LK_ROWSUMSHIFT, shift_of);
  for (int32_t k = 0; k < p->n_outputs; k++) {
    if (max_of[k] >= 0) with_sum[max_of[k]] = true;
    if (exp_of[k] >= 0) with_sum[exp_of[k]] = true;
    if (shift_of[k] >= 0) with_sum[shift_of[k]] = true;
  }
  /* A stored temporary that no other stored output shares is computed straight into the
     output buffer, saving a copy per tile. That buffer is fresh memory, or the buffer of
     an input the output takes over, which the program reads only before its first write
     of the register (the planner's in-place results, RowChain.inPlaceResults). Outputs the job
     streams go from the VM's tile to memory without passing through cache, and native
     code writes them past the cache itself (those no output the VM reduces reads: it
     would read them back from memory). */
  int32_t direct[LK_MAX_REGS]; /* per register: the output written in place, or a negative */
  const uint64_t stream = lk_direct_registers(p, native, fold, job->stream, direct); /* native code streams these */
  for (int32_t i = 0; i < p->n_inputs; i++)
    if (it->kind[i] == LK_IN_SPLAT) {
      T v;
      LK_CAT(lk_convert_tile_, SFX)(inputs[i].dtype, inputs[i].data, &v, 0, 1);
      for (int64_t j = 0; j < width; j++) tile[i][j] = v;
    }
  bool output_reads[LK_MAX_REGS] = {false}; /* an input run by run is still gathered if an output reads it */
  for (int32_t k = 0; k < p->n_outputs; k++) output_reads[p->outputs[k].reg] = true;
  /* Native code that needs no tile takes the whole range in one go; else tile by tile. */
  const bool spans = runs && lk_native_spans(p, it, inputs, fold, direct);
  if (spans) {
    for (int32_t i = 0; i < p->n_inputs; i++)
      if (it->kind[i] == LK_IN_CONTIG) reg[i] = (T *)inputs[i].data + job->begin;
    for (int32_t r = p->n_inputs; r < p->n_regs; r++)
      if (direct[r] >= 0) reg[r] = (T *)job->outputs[direct[r]] + job->begin;
    LK_CAT(lk_native_calls_, SFX)(job, tile, reg, job->begin, job->end - job->begin, true, fold, stream, acc, peak);
  }
  /* Rows that fit a tile are taken whole, as many as fit: each is then one segment. */
  const int64_t step = lk_has_rows(p) && p->row_length <= LK_TILE ? LK_TILE / p->row_length * p->row_length : LK_TILE;
  for (int64_t start = job->begin; start < job->end && !spans; start += step) {
    const int64_t n = (job->end - start < step) ? job->end - start : step;
    for (int32_t i = 0; i < p->n_inputs; i++) {
      if (it->kind[i] == LK_IN_CONTIG && inputs[i].dtype == dt)
        reg[i] = (T *)inputs[i].data + start;
      else if (it->kind[i] == LK_IN_CONTIG)
        LK_CAT(lk_convert_tile_, SFX)(inputs[i].dtype, inputs[i].data, tile[i], start, n);
      else if (it->kind[i] == LK_IN_GATHER && !(runs && lk_in_run(it, i) && !output_reads[i]))
        LK_CAT(lk_gather_tile_, SFX)(it, i, &inputs[i], tile[i], start, n);
    }
    for (int32_t r = p->n_inputs; r < p->n_regs; r++)
      if (direct[r] >= 0) reg[r] = (T *)job->outputs[direct[r]] + start;
    if (native) LK_CAT(lk_native_calls_, SFX)(job, tile, reg, start, n, runs, fold, stream, acc, peak);
    else if (n == LK_TILE) LK_CAT(lk_exec_, SFX)(p->insns, p->n_insns, reg, LK_TILE);
    else LK_CAT(lk_exec_, SFX)(p->insns, p->n_insns, reg, n);
    for (int32_t k = 0; k < p->n_outputs; k++) {
      const T *src = reg[p->outputs[k].reg];
      const uint8_t mode = p->outputs[k].mode;
      T *const out = job->outputs[k];
      if (with_sum[k] || (fold && lk_native_folds(mode, p->outputs[k].reg, p->n_inputs))) continue; /* folded elsewhere */
      if (mode == LK_SUM) job->sums[k] += LK_CAT(lk_tile_sum_, SFX)(src, n);
      else if (lk_is_col_mode(mode)) LK_CAT(lk_tile_cols_, SFX)(src, start, n, p->row_length, mode, job->cols[k]);
      else if (mode != LK_STORE)
        LK_CAT(lk_tile_rows_, SFX)(src, start, n, p->row_length, mode, &acc[k], &peak[k], out,
                                   max_of[k] >= 0 ? (T *)job->outputs[max_of[k]] : NULL,
                                   exp_of[k] >= 0 ? (T *)job->outputs[exp_of[k]] : NULL,
                                   shift_of[k] >= 0 ? (T *)job->outputs[shift_of[k]] : NULL);
      else if (src == out + start) continue; /* written in place */
      else if (job->stream >> k & 1) LK_CAT(lk_stream_, SFX)(out + start, src, n);
      else memcpy(out + start, src, (size_t)n * sizeof(T));
    }
  }
  if (job->stream) lk_stream_fence();
  if (scratch != small) free(scratch);
  job->status = LK_OK;
}
