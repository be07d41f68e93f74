/**
 * LossLang's native kernel: a tile VM for elementwise programs plus reductions,
 * indexing, matmul and concat. Plain C; its only mutable state is the worker pool of large
 * calls and each calling thread's thread limit (lk_set_threads). Every entry point
 * validates its arguments and returns an lk_status. Memory belongs to the caller:
 * the kernel only allocates scratch that it frees before returning.
 */
#ifndef LOSSKERNEL_H
#define LOSSKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of every entry point. */
typedef enum lk_status {
  LK_OK = 0,     /**< Success. */
  LK_EINVAL = 1, /**< Malformed program or arguments; nothing useful was written. */
  LK_ENOMEM = 2  /**< Scratch allocation failed. */
} lk_status;

/** Element type of a buffer or a program's registers. */
typedef enum lk_dtype { LK_F32 = 0, LK_F64 = 1 } lk_dtype;

/** Elements per tile: the VM runs every instruction over one tile before the next. */
#define LK_TILE 1024
/** Most axes an operand or reduction may have. */
#define LK_MAX_DIMS 16
/** Most registers a program may use (inputs plus temporaries). */
#define LK_MAX_REGS 64

/** Elementwise opcodes, numbered by ops.def. */
typedef enum lk_opcode {
#define LK_OP(NAME, STR, ARITY, EXPR) LK_OP_##NAME,
#include "ops.def"
#undef LK_OP
  LK_OP_COUNT
} lk_opcode;

/** The opcode's name as in ops.def (the Swift case name), or NULL if out of range. */
const char *lk_opcode_name(int32_t op);
/** The number of register operands the opcode reads, or -1 if out of range. */
int32_t lk_opcode_arity(int32_t op);

/** One instruction: r[dst] = op(r[a], r[b], r[c], imm) over a tile. Unused fields are ignored. */
typedef struct lk_insn {
  uint8_t op;   /**< An lk_opcode. */
  uint8_t dst;  /**< Destination register; must be a temporary (>= n_inputs). */
  uint8_t a;    /**< First source register. */
  uint8_t b;    /**< Second source register. */
  uint8_t c;    /**< Third source register. */
  uint8_t pad[3];
  double imm;   /**< Immediate operand (the value of LK_OP_CONST). */
} lk_insn;

/** How a program output leaves the VM. */
typedef enum lk_output_mode {
  LK_STORE = 0, /**< Write every element, C order, to the output buffer. */
  LK_SUM = 1,   /**< Accumulate all elements into sums[k] (in double; float32 in pairwise trees of eight first). */
  LK_ROWSUM = 2, /**< Sum each row of row_length elements (as LK_SUM) into outputs[k][row]. */
  LK_ROWMAX = 3, /**< The largest element of each row (NaN if any is NaN) into outputs[k][row]. */
  LK_ROWSUMEXP = 4, /**< Sum over each row of exp(x - m), m the row's LK_ROWMAX, into outputs[k][row]:
                        one pass, online (each row segment's maximum first; the running sum,
                        in double, rescaled by exp(old - new) when the maximum grows). */
  LK_COLSUM = 5,   /**< Sum down each column (in double): outputs[k][j] (row_length elements) adds
                        the elements at j, j + row_length, j + 2 row_length, … */
  LK_COLMAX = 6,   /**< The largest element of each column (NaN if any is NaN) into outputs[k][j]. */
  LK_COLSUMEXP = 7, /**< Sum down each column of exp(x - m), m the column's LK_COLMAX, into outputs[k][j]:
                        one pass, online per column (the running sum, in double, rescaled by
                        exp(old - new) when an element raises the column's maximum; an element
                        of -inf adds 0; a column of -inf only gives NaN, as x - max(x) does). */
  LK_ROWEXP = 8,   /**< Every exp(x - m) an LK_ROWSUMEXP of the same register (an input) sums, stored
                        as LK_STORE stores: the bits of a sub and an exp instruction over x and
                        that row's LK_ROWMAX. Needs that LK_ROWSUMEXP and rows of at most LK_TILE
                        elements (each row is then summed in one segment, from its maximum). */
  LK_ROWSUMSHIFT = 9 /**< Sum over each row of x - m, m the row's LK_ROWMAX, into outputs[k][row]: the
                        bits of a sub instruction over x and that maximum summed by LK_ROWSUM. Needs
                        an LK_ROWSUMEXP of the same register (an input) and rows of at most LK_TILE
                        elements, as LK_ROWEXP does; the sum's pass computes it from its maximum. */
} lk_output_mode;

/** One program output: the register it reads after the last instruction, and its mode. */
typedef struct lk_output {
  uint8_t reg;  /**< Register holding the value. */
  uint8_t mode; /**< An lk_output_mode. */
} lk_output;

/**
 * Native code for a whole program (generated from its instructions and compiled at run
 * time): runs every instruction over elements [0, n) of the register tiles regs[r] (each
 * of the program dtype), writing only the registers the outputs read. It must compute
 * exactly what the VM computes for the instructions. With `rows`, [0, n) is a segment of
 * one row: for each output k that lk_native_folds names, rows[k] receives the segment's
 * sum or maximum, folded as the VM folds a segment (output_steps.h), and a register only
 * such outputs read is not written. Registers with their bit set in `stream` are written
 * with non-temporal stores (they are output memory nothing reads soon).
 */
typedef void (*lk_native_fn)(void *const *regs, int64_t n, double *rows, uint64_t stream);

/** Whether native code folds an output itself when asked to (see lk_native_fn): a row sum
    or row maximum of a register that an instruction writes. */
static inline bool lk_native_folds(uint8_t mode, uint8_t reg, int32_t n_inputs) {
  return (mode == LK_ROWSUM || mode == LK_ROWMAX) && reg >= n_inputs;
}

/**
 * A program over tiles. Registers 0 ..< n_inputs are loaded from the inputs (converted to
 * the program dtype); n_inputs ..< n_regs are temporaries. Instructions run in order;
 * every source must be an input or written by an earlier instruction.
 */
typedef struct lk_program {
  int32_t dtype;            /**< lk_dtype of every register and stored output. */
  int32_t n_inputs;         /**< Number of input operands. */
  int32_t n_outputs;        /**< Number of outputs (>= 1). */
  int32_t n_regs;           /**< Registers used, n_inputs <= n_regs <= LK_MAX_REGS. */
  int32_t n_insns;          /**< Number of instructions (may be 0: a pure load/store). */
  const lk_insn *insns;     /**< n_insns instructions. */
  const lk_output *outputs; /**< n_outputs outputs. */
  int64_t row_length;       /**< Elements per row (C order) of row outputs (LK_ROWSUM, LK_ROWMAX,
                                 LK_ROWSUMEXP, LK_ROWSUMSHIFT); 0 if none. */
  lk_native_fn native;      /**< Runs the instructions instead of the VM when not NULL. */
  uint64_t native_uniform;  /**< The inputs `native` reads as one value (regs[i][0]): must be
                                 lk_native_uniform's for the run, or the VM runs instead. */
} lk_program;

/**
 * The clang target features the VM's tile loops run with on this CPU ("" for the
 * baseline): native code for a program must be compiled for the same ones, so that its
 * floating-point operations (FMA contraction included) are the VM's.
 */
const char *lk_vm_target(void);

/** A strided n-d input viewed over the output shape: stride 0 broadcasts an axis. */
typedef struct lk_operand {
  const void *data;        /**< First element. */
  int32_t dtype;           /**< lk_dtype of the buffer (converted on load). */
  const int64_t *strides;  /**< Element stride per output axis (ndim entries). */
} lk_operand;

/**
 * The inputs that native code for `program` run over `shape` with these operands reads as
 * one value per call (bit i for input i), so that its generated code can load them once:
 * inputs broadcast over the whole shape, and, when native code is called run by run along
 * the last axis (long rows with operands broadcast along them or contiguous in them), the
 * inputs broadcast along the last axis. 0 if the arguments are invalid.
 */
uint64_t lk_native_uniform(const lk_program *program, int32_t ndim, const int64_t *shape,
                           const lk_operand *inputs);

/**
 * Whether lk_run over `shape` with these operands has native code fold the program's row
 * outputs (those lk_native_folds names) itself, calling it row segment by row segment:
 * when there is such an output and rows are at least LK_NATIVE_FOLD_MIN long (and, if the
 * code runs run by run, each run covers whole rows). false if the arguments are invalid.
 */
bool lk_native_row_folds(const lk_program *program, int32_t ndim, const int64_t *shape,
                         const lk_operand *inputs);

/**
 * Whether lk_run over `shape` with these operands (streaming nothing) has native code take
 * each job's whole range in one go, run by run along the last axis, with no tile in between
 * (see lk_native_row_folds for folding): when it runs run by run, reads every input in place
 * or as one value, and stores every output in place or folds it. false if the arguments are
 * invalid.
 */
bool lk_native_takes_range(const lk_program *program, int32_t ndim, const int64_t *shape,
                           const lk_operand *inputs);

/** Native code folds row outputs over rows at least this long (shorter ones are folded by the VM). */
#define LK_NATIVE_FOLD_MIN 64

/** Checks opcodes, register bounds, definition before use and output modes. */
lk_status lk_validate(const lk_program *program);

/**
 * Validates and runs a program over the C-order output `shape` (ndim axes, 0 for a scalar).
 * outputs[k] receives LK_STORE outputs (contiguous, program dtype) and may be NULL for
 * LK_SUM outputs, whose totals go to sums[k] (sums may be NULL if there are none).
 * Row outputs (LK_ROWSUM, LK_ROWMAX, LK_ROWSUMEXP, LK_ROWSUMSHIFT) reduce each run of row_length consecutive
 * elements (the trailing axes of `shape`, whose element count must be a multiple of row_length)
 * into one element of outputs[k] (count / row_length elements, program dtype); column outputs
 * (LK_COLSUM, LK_COLMAX, LK_COLSUMEXP) reduce the elements at equal positions of those runs
 * into outputs[k] (row_length elements), each part keeping its own column totals, combined in
 * part order (at most 16 parts, whatever the thread count).
 * Large outputs are split into parts of a fixed size (whole rows, or whole tiles if there
 * are no row outputs) run by the worker pool (see lk_set_threads); each part's sums are
 * combined in part order, so results depend neither on timing nor on the thread count.
 * An LK_STORE output's buffer may be a contiguous input's own when the program reads that
 * input only before its first instruction writing the output's register and no output
 * reads it (the VM may compute that register straight into the buffer, tile by tile).
 */
lk_status lk_run(const lk_program *program, int32_t ndim, const int64_t *shape,
                 const lk_operand *inputs, void *const *outputs, double *sums);

/** One program of a row chain, with the arguments lk_run would take (shape[0]: the rows). */
typedef struct lk_chain_step {
  const lk_program *program;  /**< The program. */
  int32_t ndim;               /**< Axes of shape (>= 1). */
  const int64_t *shape;       /**< Iteration space; shape[0] is the chain's row count. */
  const lk_operand *inputs;   /**< Operands over shape, as for lk_run. */
  void *const *outputs;       /**< Outputs, as for lk_run. */
  double *sums;               /**< LK_SUM totals, as for lk_run (may be NULL if none). */
  uint64_t unread;            /**< Bit k set if no later step reads output k: a stored one then goes
                                   to memory with non-temporal stores when the step is large. */
} lk_chain_step;

/**
 * Runs programs whose iteration spaces share their leading axis (the rows), block of
 * rows_per_block rows by block: every step over a block before the next block, so what a
 * step writes for a block is still in cache when a later step reads it. Equivalent to
 * lk_run on each step in order when a step reads what an earlier step of the chain wrote
 * only at the same row (and never an earlier step's LK_SUM total). Large chains are split
 * into parts of a fixed number of blocks run by the worker pool; sums are combined in part
 * order, so results do not depend on the thread count. Column outputs are refused (LK_EINVAL):
 * they are complete only after every row.
 */
lk_status lk_run_chain(const lk_chain_step *steps, int32_t n_steps, int64_t rows_per_block);

/** A reduction combining elements in double. */
typedef enum lk_reduce_op { LK_RSUM = 0, LK_RPROD = 1, LK_RMAX = 2, LK_RMIN = 3 } lk_reduce_op;

/**
 * Reduces a contiguous tensor over the axes with reduce_mask[d] != 0, writing the kept axes
 * in C order to dst (same dtype). Sums and products accumulate in double; max and min
 * propagate NaN. An empty reduction gives 0, 1, -inf or +inf.
 */
lk_status lk_reduce(int32_t dtype, int32_t op, int32_t ndim, const int64_t *shape,
                    const uint8_t *reduce_mask, const void *src, void *dst);

/** Stable log(sum(exp(x))) over the masked axes, like torch.logsumexp (-inf if all are -inf). */
lk_status lk_logsumexp(int32_t dtype, int32_t ndim, const int64_t *shape,
                       const uint8_t *reduce_mask, const void *src, void *dst);

/**
 * Index of the first maximum (or minimum) along the middle axis of a contiguous
 * [outer, n, inner] tensor, written as floats of the same dtype to dst [outer, inner].
 * NaN counts as the extreme, like torch. Requires n >= 1.
 */
lk_status lk_argreduce(int32_t dtype, int32_t is_max, int64_t outer, int64_t n, int64_t inner,
                       const void *src, void *dst);

/**
 * Swaps the last two axis groups of a contiguous tensor: dst [outer, b, a] (contiguous) is
 * src [outer, a, b] with dst[o][j][i] = src[o][i][j], copied in cache-sized blocks.
 */
lk_status lk_transpose(int32_t dtype, int64_t outer, int64_t a, int64_t b, const void *src, void *dst);

/** dst[i] = src[idx[i]] for i < n; every index must lie in [0, src_count). */
lk_status lk_gather(int32_t dtype, const void *src, int64_t src_count, const int64_t *idx,
                    int64_t n, void *dst);

/** dst[idx[i]] += src[i] for i < n, in order; every index must lie in [0, dst_count). */
lk_status lk_scatter_add(int32_t dtype, const void *src, const int64_t *idx, int64_t n,
                         void *dst, int64_t dst_count);

/**
 * Batched matmul with strided operands: for each t < batch, C[t] = A[t] B[t], where C[t]
 * (n x m, contiguous, row-major) starts at element t * n * m of c, A[t][i][p] is
 * a[a_off[t] + i * a_rs + p * a_cs] and B[t][p][j] is b[b_off[t] + p * b_rs + j * b_cs]
 * (offsets and strides in elements; any values, so a transposed or broadcast operand needs
 * no copy). Blocked and packed GotoBLAS style with a register-blocked FMA microkernel for
 * AVX-512, AVX2 or plain C, chosen at run time; large products are split over the worker
 * pool's threads. Float32 accumulates in float32 (like sgemm). Each element is summed in a
 * fixed order, so results are deterministic on one CPU, whatever the thread count. k = 0
 * gives zeros. (lk_matmul_with can use the system BLAS.)
 */
lk_status lk_matmul(int32_t dtype, int64_t batch, const int64_t *a_off, const int64_t *b_off,
                    int64_t n, int64_t k, int64_t m, const void *a, int64_t a_rs, int64_t a_cs,
                    const void *b, int64_t b_rs, int64_t b_cs, void *c);

/** Instruction sets of lk_matmul_isa. */
typedef enum lk_isa {
  LK_ISA_BEST = 0,    /**< The widest the CPU has (what lk_matmul uses). */
  LK_ISA_GENERIC = 1, /**< Portable C (SSE2 on x86-64). */
  LK_ISA_AVX2 = 2,    /**< AVX2 and FMA. */
  LK_ISA_AVX512 = 3   /**< AVX-512F. */
} lk_isa;

/**
 * lk_matmul computed with a chosen instruction set (an lk_isa), so tests can check every
 * code path; LK_EINVAL if the CPU does not have it. Results may differ from another ISA's in
 * the last bits (FMA, lane order) but not between runs.
 */
lk_status lk_matmul_isa(int32_t isa, int32_t dtype, int64_t batch, const int64_t *a_off,
                        const int64_t *b_off, int64_t n, int64_t k, int64_t m, const void *a,
                        int64_t a_rs, int64_t a_cs, const void *b, int64_t b_rs, int64_t b_cs,
                        void *c);

/** Which GEMM lk_matmul_with runs. */
typedef enum lk_gemm_path {
  LK_GEMM_AUTO = 0,  /**< The system BLAS for large products it can take, else ours. */
  LK_GEMM_OWN = 1,   /**< Always the kernel's own GEMM (what lk_matmul runs). */
  LK_GEMM_SYSTEM = 2 /**< The system BLAS for every product it can take, however small (tests). */
} lk_gemm_path;

/**
 * lk_matmul with a choice of GEMM (an lk_gemm_path). The system BLAS (an optimized one found
 * at run time: see lk_blas_library) takes a product whose operands each have a unit row or
 * column stride, with n, k and m in 1 ... INT_MAX; every other product, or any when no BLAS
 * is loaded, runs on the kernel's own GEMM. If used_blas is not NULL, *used_blas is set to 1
 * when BLAS computed C, else 0. Results agree with lk_matmul_isa's within the rounding of a
 * sum of k products (the summation order differs).
 */
lk_status lk_matmul_with(int32_t path, int32_t *used_blas, int32_t dtype, int64_t batch, const int64_t *a_off,
                         const int64_t *b_off, int64_t n, int64_t k, int64_t m, const void *a, int64_t a_rs,
                         int64_t a_cs, const void *b, int64_t b_rs, int64_t b_cs, void *c);

/**
 * The file name of the system BLAS lk_matmul_with uses (loaded with dlopen on the first call:
 * libopenblas.so.0, else libcblas.so.3 or libblas.so.3 when OpenBLAS, BLIS or MKL), or NULL
 * when there is none.
 */
const char *lk_blas_library(void);

/** The threads OpenBLAS multiplied the calling thread's last product with (set to that
    thread's limit, lk_set_threads, for each of its products), or 0 when the system BLAS is
    not OpenBLAS or the thread made no product (for tests). */
int32_t lk_blas_threads(void);

/**
 * Concatenates n_parts contiguous buffers viewed as [outer, row_bytes[p]] into dst viewed
 * as [outer, sum of row_bytes]: each output row is the parts' rows back to back.
 */
lk_status lk_concat(int64_t outer, int32_t n_parts, const void *const *parts,
                    const int64_t *row_bytes, void *dst);

/** The most threads a kernel call may use (lk_set_threads clamps to it). */
#define LK_MAX_THREADS 256

/**
 * Sets the most threads the calling thread's later kernel calls (lk_run, lk_run_chain,
 * lk_transpose, lk_matmul) use, the calling thread included: 1 runs every call on the
 * calling thread, 0 (the default) uses one per core present (lk_cores). Threads beyond the cores are
 * allowed (up to LK_MAX_THREADS). Large calls are split into parts that the calling
 * thread and the workers of a process-wide pool run (started when first needed and kept;
 * idle workers sleep); results do not depend on the limit. Returns the previous limit.
 */
int32_t lk_set_threads(int32_t threads);

/**
 * The cores present: the CPUs the calling thread may run on (its affinity mask, as `taskset`
 * sets it, on Linux; the online CPUs elsewhere), from 1 to LK_MAX_THREADS. Kernel calls
 * without a limit use as many threads as the first call into the pool found.
 */
int32_t lk_cores(void);

/** The number of worker threads the pool has started since the process began (for tests). */
int64_t lk_pool_threads_started(void);

/* The address of the caller's frame on the machine stack, for the interpreter's stack
 * check. Unlike the address of a Swift local it is never on AddressSanitizer's fake stack. */
uintptr_t lk_stack_position(void);

/* Whether this library was built with AddressSanitizer, whose frames are about twice as
 * large (the evaluation stack's fixed call cap is sized for ordinary builds). */
int lk_built_with_address_sanitizer(void);

#ifdef __cplusplus
}
#endif

#endif /* LOSSKERNEL_H */
