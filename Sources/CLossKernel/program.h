/** The VM's iteration space, shared by program.c and the typed tile loop. */
#ifndef LK_PROGRAM_H
#define LK_PROGRAM_H

#include "internal.h"

/** Token pasting that expands its arguments first. */
#define LK_CAT2(a, b) a##b
#define LK_CAT(a, b) LK_CAT2(a, b)

/** How an input tile is loaded. */
typedef enum lk_in_kind {
  LK_IN_SPLAT = 0,  /**< One value broadcast everywhere: splatted once. */
  LK_IN_CONTIG = 1, /**< Contiguous: used in place (same dtype) or converted. */
  LK_IN_GATHER = 2  /**< Strided: gathered axis run by axis run. */
} lk_in_kind;

/** The output shape after dropping unit axes and merging, with each input's strides. */
typedef struct lk_iter {
  int32_t nd;                                 /**< Merged axes (0 for one element). */
  int64_t count;                              /**< Output elements. */
  int64_t shape[LK_MAX_DIMS];                 /**< Merged extents. */
  int64_t stride[LK_MAX_REGS][LK_MAX_DIMS];   /**< Per input, element stride per merged axis. */
  int32_t kind[LK_MAX_REGS];                  /**< Per input, an lk_in_kind. */
} lk_iter;

/** A contiguous range of one run (whole rows if rows are reduced), executed by one thread. */
typedef struct lk_job {
  const lk_program *program;  /**< The validated program. */
  const lk_iter *iter;        /**< The shared iteration space. */
  const lk_operand *inputs;   /**< The inputs, as given to lk_run. */
  void *const *outputs;       /**< The output buffers, as given to lk_run. */
  int64_t begin, end;         /**< Flat output range; begin starts a row if rows are reduced. */
  double sums[LK_MAX_REGS];   /**< This range's LK_SUM totals, per output. */
  double *cols[LK_MAX_REGS];  /**< Per column output, this range's column totals: row_length
                                   values in double, then for LK_COLSUMEXP the row_length shifts
                                   its sums are relative to and the row_length maxima, in the
                                   program's dtype (lk_cols_start); NULL for an LK_COLMAX its
                                   LK_COLSUMEXP keeps. */
  uint64_t stream;            /**< Bit k set: store output k past the cache (large outputs nothing
                                   reads soon; not for native code run alone, which is faster writing
                                   them in place, but for every step of a row chain: lk_run_chain). */
  lk_status status;           /**< Result of the range. */
} lk_job;

/** Stored outputs of at least this many bytes are written with non-temporal stores. */
#define LK_STREAM_MIN (8 << 20)

/** Bytes of register scratch a tile loop keeps on its stack for short ranges. */
#define LK_SMALL_SCRATCH 8192

/** Outputs at least this large are split across the pool's threads (below, waking workers costs a large share). */
#define LK_PARALLEL_MIN (1 << 18)

/** Whether an output mode reduces rows (LK_ROWSUM, LK_ROWMAX, LK_ROWSUMEXP, LK_ROWSUMSHIFT). */
static inline bool lk_is_row_mode(uint8_t mode) {
  return mode == LK_ROWSUM || mode == LK_ROWMAX || mode == LK_ROWSUMEXP || mode == LK_ROWSUMSHIFT;
}

/** Whether an output mode reduces columns (LK_COLSUM, LK_COLMAX, LK_COLSUMEXP). */
static inline bool lk_is_col_mode(uint8_t mode) { return mode == LK_COLSUM || mode == LK_COLMAX || mode == LK_COLSUMEXP; }

/** Whether the program has a row or column output (both reduce runs of row_length elements; a
    valid LK_ROWEXP always has its LK_ROWSUMEXP). */
bool lk_has_rows(const lk_program *p);

/** Most parts an lk_run with column outputs is split into (each keeps its column totals). */
#define LK_COL_PARTS 16

/** Doubles of a part's totals per column of a column output (lk_cols_start). */
#define LK_COL_BLOCK 3

/** How far an element may exceed its column's shift before an LK_COLSUMEXP raises the shift
    (and rescales the sum): its exponentials stay below e^16, and a shift is seldom raised
    after a part's first row. */
#define LK_COL_SLACK 16

/** The number of column outputs of the program. */
int32_t lk_col_outputs(const lk_program *p);

/**
 * Points job->cols at part `part`'s column totals in `cols` (n_parts x lk_col_outputs blocks
 * of 2 row_length doubles, in part then output order) and sets them to their starting values.
 */
void lk_cols_start(lk_job *job, double *cols, int64_t part);

/**
 * Writes each column output of the program: the column totals of n_parts parts (laid out as
 * lk_cols_start says) combined in part order, converted to the program dtype.
 */
void lk_cols_finish(const lk_program *p, const double *cols, int64_t n_parts, void *const *outputs);

/** Checks the run arguments and fills the iteration space (merged axes, input kinds). */
lk_status lk_iter_make(const lk_program *p, int32_t ndim, const int64_t *shape,
                       const lk_operand *inputs, lk_iter *it);

/** Native code runs row by row when rows are at least this long (else tile by tile). */
#define LK_NATIVE_RUN_MIN 64

/** Whether input i is gathered, but broadcast along the last axis or contiguous in it. */
static inline bool lk_in_run(const lk_iter *it, int32_t i) {
  const int64_t s = it->stride[i][it->nd - 1];
  return it->kind[i] == LK_IN_GATHER && (s == 0 || s == 1);
}

/** The multi-index idx of flat position `flat` of the iteration space (inside it). */
static inline void lk_iter_position(const lk_iter *it, int64_t flat, int64_t *idx) {
  for (int32_t a = it->nd - 1; a > 0; a--) {
    idx[a] = flat % it->shape[a];
    flat /= it->shape[a];
  }
  idx[0] = flat;
}

/** Moves the multi-index idx m positions on along the last axis (at most to its end, then
    to the start of the next run), and with it the offsets off[i] of the n inputs `inputs`. */
static inline void lk_iter_advance(const lk_iter *it, int64_t m, int64_t *idx, const int32_t *inputs, int32_t n,
                                   int64_t *off) {
  const int32_t last = it->nd - 1;
  idx[last] += m;
  for (int32_t k = 0; k < n; k++) off[inputs[k]] += m * it->stride[inputs[k]][last];
  for (int32_t a = last; a > 0 && idx[a] == it->shape[a]; a--) {
    idx[a] = 0;
    idx[a - 1]++;
    for (int32_t k = 0; k < n; k++) off[inputs[k]] += it->stride[inputs[k]][a - 1] - it->shape[a] * it->stride[inputs[k]][a];
  }
}

/**
 * Whether native code for the program runs run by run along the last axis of `it`: rows of
 * at least LK_NATIVE_RUN_MIN elements and an input broadcast along them or contiguous in
 * them (but not overall), which each run then reads in place instead of a filled tile.
 */
bool lk_native_runs(const lk_program *p, const lk_iter *it);

/**
 * Which register each output of the program is computed into in place (direct[r]: the
 * output k whose buffer register r is, -1 for none, -2 for a register two stored outputs
 * share or whose streamed output the VM also reads), given whether native code runs and
 * folds rows and which outputs the job streams (bit k); returns the registers native code
 * streams past the cache itself.
 */
uint64_t lk_direct_registers(const lk_program *p, bool native, bool fold, uint64_t stream, int32_t *direct);

/**
 * Whether native code running run by run (lk_native_runs) takes a job's whole range in one
 * go, with no tile: every input is read in place (contiguous, or in a run, in the program's
 * dtype) or is a splat, and every output is a register stored in place (`direct`, as
 * lk_direct_registers gives it) or a row output native code folds (`fold`). W2's gradient,
 * a row of 1000 per tile, spent a tenth of its pass on the tile loop's bookkeeping.
 */
bool lk_native_spans(const lk_program *p, const lk_iter *it, const lk_operand *inputs, bool fold, const int32_t *direct);

/** Whether native code folds the program's row outputs over `it` (see lk_native_row_folds). */
bool lk_native_row_folds_of(const lk_program *p, const lk_iter *it);

/** For each LK_ROWSUMEXP output k, an LK_ROWMAX output of the same register that the VM folds
    (not native code: `fold` as lk_native_row_folds_of says), else -1; -1 for other outputs.
    That maximum is the sum's running maximum, written with it rather than folded again. */
void lk_row_max_partners(const lk_program *p, bool fold, int32_t *max_of);

/** For each LK_ROWSUMEXP output k, an output of the same register in `mode` (LK_ROWEXP or
    LK_ROWSUMSHIFT), else -1 (also for other outputs): the sum stores the exponentials it adds
    there, or writes the row's sum of x - m there. */
void lk_sumexp_partners(const lk_program *p, uint8_t mode, int32_t *partner_of);

/** Whether an LK_ROWEXP or LK_ROWSUMSHIFT of register `reg` is valid in p: an input, with an
    LK_ROWSUMEXP of it, and rows of at most LK_TILE elements (so that each row is summed in one
    segment, from its maximum). */
bool lk_sumexp_partner_ok(const lk_program *p, uint8_t reg);

/** The inputs native code reads as one value per call over `it` (see lk_native_uniform). */
uint64_t lk_native_uniform_of(const lk_program *p, const lk_iter *it);

/** The typed tile loop for dtype, compiled for the widest instruction set the CPU has. */
void (*lk_tile_loop(int32_t dtype))(lk_job *);

/**
 * Orders the non-temporal stores of a streaming job (lk_stream_*) before the job returns:
 * sfence on x86-64, whose streaming stores are weakly ordered; a release fence elsewhere.
 */
static inline void lk_stream_fence(void) {
#if defined(__x86_64__)
  __builtin_ia32_sfence();
#else
  __atomic_thread_fence(__ATOMIC_RELEASE);
#endif
}

/** Declares the tile loops lk_run_f32_ISA and lk_run_f64_ISA (program_loop.h) of one ISA. */
#define LK_DECLARE_RUN(ISA)          \
  void lk_run_f32_##ISA(lk_job *job); \
  void lk_run_f64_##ISA(lk_job *job);

/* One copy per instruction set: program_generic.c (the target's baseline) everywhere, and on
   x86-64 program_avx2.c and program_avx512.c, chosen at run time by the CPU's features. */
LK_DECLARE_RUN(generic)
#if defined(__x86_64__)
/** The clang target features of the AVX-512 tile loops (x86-64-v4) and the AVX2 ones (x86-64-v3). */
#define LK_TARGET_AVX512 "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma"
#define LK_TARGET_AVX2 "avx2,fma"
LK_DECLARE_RUN(avx2)
LK_DECLARE_RUN(avx512)
#endif

#undef LK_DECLARE_RUN

#endif /* LK_PROGRAM_H */
