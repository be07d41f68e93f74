/**
 * kernel_check: runs a fixed set of CLossKernel computations on fixed inputs and prints every
 * result, so that builds for different instruction sets can be compared line by line
 * (scripts/cross_aarch64.sh compares the x86-64 build with the aarch64 one under qemu).
 *
 * Covered: every opcode of the tile VM over 1037 special and ordinary values (a full tile
 * and a tail) in float32 and float64; a program with broadcast, strided and converted
 * inputs and all four output modes; a large streamed run split over threads; a row chain;
 * lk_reduce, lk_logsumexp and lk_argreduce over several axis sets; lk_matmul on skinny,
 * packed, transposed, batched, split and empty products; transpose, gather and
 * scatter-add.
 *
 * Each line is `label dtype value bound`: value printed exactly (%.17g; nan without a sign,
 * since the sign of a default NaN differs between ISAs), and bound the largest difference
 * from the same computation on another ISA that is still correct, from the error model of
 * the operation: a few ulps of the result for elementwise math (FMA contraction and libm
 * differ by ISA), 2 k eps sum|a||b| for a product of depth k (any summation order and FMA
 * use lies within k eps sum|a||b| of the exact value), 0 for exact operations (max, argmax,
 * transpose, comparisons of equal inputs). Statuses are printed as values with bound 0.
 * Exits 1 if a call returns a status other than the one expected.
 */
#include "losskernel.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Calls whose status was not the expected one. */
static int unexpected;

/** The unit roundoff of a dtype. */
static double eps_of(int32_t dtype) { return dtype == LK_F32 ? FLT_EPSILON / 2 : DBL_EPSILON / 2; }

/** n ulps of magnitude `scale` in dtype (at least n ulps of the smallest normal number). */
static double ulps(int32_t dtype, double scale, double n) {
  const double floor = dtype == LK_F32 ? FLT_MIN : DBL_MIN;
  return n * 2 * eps_of(dtype) * (fabs(scale) > floor ? fabs(scale) : floor);
}

/** Prints one result line. */
static void emit(const char *label, int64_t i, int32_t dtype, double v, double bound) {
  const char *dt = dtype == LK_F32 ? "f32" : "f64";
  if (isnan(v)) printf("%s[%lld] %s nan 0\n", label, (long long)i, dt);
  else printf("%s[%lld] %s %.17g %.3g\n", label, (long long)i, dt, v, bound);
}

/** Prints a call's status and counts it if it is not `expected`. */
static void status(const char *label, lk_status st, lk_status expected) {
  printf("%s.status i32 %d 0\n", label, (int)st);
  if (st != expected) {
    fprintf(stderr, "kernel_check: %s returned %d, expected %d\n", label, (int)st, (int)expected);
    unexpected++;
  }
}

/** Element i of a buffer of dtype. */
static double get(int32_t dtype, const void *p, int64_t i) {
  return dtype == LK_F32 ? (double)((const float *)p)[i] : ((const double *)p)[i];
}

/** Sets element i of a buffer of dtype (rounding to float32 if it is one). */
static void put(int32_t dtype, void *p, int64_t i, double v) {
  if (dtype == LK_F32) ((float *)p)[i] = (float)v;
  else ((double *)p)[i] = v;
}

/** A buffer of n elements of dtype (zeroed); exits if memory runs out. */
static void *buffer(int32_t dtype, int64_t n) {
  void *p = calloc((size_t)(n > 0 ? n : 1), dtype == LK_F32 ? 4 : 8);
  if (!p) {
    fprintf(stderr, "kernel_check: out of memory\n");
    exit(2);
  }
  return p;
}

/** A fixed pseudo-random value in [-1, 1) with 24 significant bits (exact in float32). */
static double hashed(int64_t i, uint32_t salt) {
  uint32_t h = (uint32_t)i * 2654435761u + salt * 40503u + 0x9e3779b9u;
  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;
  h *= 3266489917u;
  h ^= h >> 16;
  return (double)(h >> 8) / (1 << 23) - 1;
}

/** Fills n elements of dtype with scale * hashed(i, salt) + shift. */
static void *filled(int32_t dtype, int64_t n, uint32_t salt, double scale, double shift) {
  void *p = buffer(dtype, n);
  for (int64_t i = 0; i < n; i++) put(dtype, p, i, scale * hashed(i, salt) + shift);
  return p;
}

/** Values every opcode sees: the special ones, then ordinary ones of several magnitudes. */
static double sweep_value(int64_t i) {
  static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, -3.0, INFINITY,
                                   -INFINITY, NAN, 1e-40, -1e-40, 1e-300, 88.7, -103.5, 709.5,
                                   -745.0, 20.0, 20.5, 1e30, -1e30, 0.1};
  const int64_t n = (int64_t)(sizeof special / sizeof special[0]);
  if (i < n) return special[i];
  static const double scales[] = {1.0, 4.0, 30.0, 1e-3, 120.0};
  return hashed(i, 1) * scales[i % 5];
}

/** Opcode sweep length: one full tile and a tail. */
#define SWEEP_N (LK_TILE + 13)

/** Runs every opcode over the sweep values (b, c: the same values shifted by 5 and 11). */
static void check_opcodes(int32_t dtype) {
  static const int64_t shift[3] = {0, 5, 11};
  void *in[3], *out = buffer(dtype, SWEEP_N);
  for (int32_t s = 0; s < 3; s++) {
    in[s] = buffer(dtype, SWEEP_N);
    for (int64_t i = 0; i < SWEEP_N; i++) put(dtype, in[s], i, sweep_value((i + shift[s]) % SWEEP_N));
  }
  const int64_t shape[1] = {SWEEP_N}, strides[1] = {1};
  for (int32_t op = 0; op < LK_OP_COUNT; op++) {
    const int32_t arity = lk_opcode_arity(op);
    lk_operand operands[3];
    for (int32_t s = 0; s < arity; s++) operands[s] = (lk_operand){in[s], dtype, strides};
    const lk_insn insn = {.op = (uint8_t)op, .dst = (uint8_t)arity, .a = 0, .b = 1, .c = 2,
                          .imm = op == LK_OP_CONST ? 2.5 : 0.75};
    const lk_output output = {.reg = (uint8_t)arity, .mode = LK_STORE};
    const lk_program p = {.dtype = dtype, .n_inputs = arity, .n_outputs = 1, .n_regs = arity + 1,
                          .n_insns = 1, .insns = &insn, .outputs = &output};
    void *outs[1] = {out};
    char label[64];
    snprintf(label, sizeof label, "op.%s", lk_opcode_name(op));
    status(label, lk_run(&p, 1, shape, operands, outs, NULL), LK_OK);
    for (int64_t i = 0; i < SWEEP_N; i++) emit(label, i, dtype, get(dtype, out, i), ulps(dtype, get(dtype, out, i), 4));
  }
  for (int32_t s = 0; s < 3; s++) free(in[s]);
  free(out);
}

/**
 * One program over [3, 5, 300] with a contiguous input, one broadcast along two axes, a
 * transposed view and a float64 input converted into a float32 program: r5 = x * y +
 * tanh(z), r6 = sigmoid(r5) + w, with r5 stored and row-maxed, r6 summed and row-summed.
 */
static void check_program(int32_t dtype) {
  enum { A = 3, B = 5, C = 300, N = A * B * C };
  const int32_t wtype = dtype == LK_F32 ? LK_F64 : LK_F32;
  void *x = filled(dtype, N, 2, 2, 0), *y = filled(dtype, B, 3, 1, 0.5);
  void *z = filled(dtype, N, 4, 3, 0), *w = filled(wtype, N, 5, 0.25, 0);
  const int64_t shape[3] = {A, B, C};
  const int64_t sx[3] = {B * C, C, 1}, sy[3] = {0, 1, 0}, sz[3] = {1, A, A * B};
  const lk_operand in[4] = {{x, dtype, sx}, {y, dtype, sy}, {z, dtype, sz}, {w, wtype, sx}};
  const lk_insn insns[5] = {{.op = LK_OP_MUL, .dst = 4, .a = 0, .b = 1},
                            {.op = LK_OP_TANH, .dst = 5, .a = 2},
                            {.op = LK_OP_ADD, .dst = 6, .a = 4, .b = 5},
                            {.op = LK_OP_SIGMOID, .dst = 7, .a = 6},
                            {.op = LK_OP_ADD, .dst = 8, .a = 7, .b = 3}};
  const lk_output outputs[4] = {{6, LK_STORE}, {8, LK_SUM}, {8, LK_ROWSUM}, {6, LK_ROWMAX}};
  const lk_program p = {.dtype = dtype, .n_inputs = 4, .n_outputs = 4, .n_regs = 9, .n_insns = 5,
                        .insns = insns, .outputs = outputs, .row_length = C};
  void *stored = buffer(dtype, N), *rowsum = buffer(dtype, A * B), *rowmax = buffer(dtype, A * B);
  void *outs[4] = {stored, NULL, rowsum, rowmax};
  double sums[4];
  status("program", lk_run(&p, 3, shape, in, outs, sums), LK_OK);
  /* Scales: |x y| + |tanh z| for r5; r6 lies in [-0.25, 1.25], so |r6| <= 1.25. */
  double row_scale = 0, total_scale = 0;
  for (int64_t i = 0; i < N; i++) {
    const int64_t a = i / (B * C), b = i / C % B, c = i % C;
    const double scale = fabs(get(dtype, x, i) * get(dtype, y, b)) + fabs(tanh(get(dtype, z, a + A * b + A * B * c)));
    emit("program.r5", i, dtype, get(dtype, stored, i), ulps(dtype, scale, 4));
    row_scale = scale > row_scale ? scale : row_scale;
    if (c == C - 1) {
      emit("program.rowmax", i / C, dtype, get(dtype, rowmax, i / C), ulps(dtype, row_scale, 4));
      emit("program.rowsum", i / C, dtype, get(dtype, rowsum, i / C), ulps(dtype, 1.25 * C, 8));
      row_scale = 0;
    }
    total_scale += 1.25;
  }
  emit("program.sum", 0, LK_F64, sums[1], ulps(dtype, total_scale, 8));
  free(x), free(y), free(z), free(w), free(stored), free(rowsum), free(rowmax);
}

/** A float32 store large enough to be streamed past the cache on two threads: 3 x - 1. */
static void check_stream(void) {
  enum { N = (9 << 20) / 4 + 7 };
  float *x = filled(LK_F32, N, 6, 1, 0), *out = buffer(LK_F32, N);
  const int64_t shape[1] = {N}, strides[1] = {1};
  const lk_operand in[1] = {{x, LK_F32, strides}};
  const lk_insn insns[2] = {{.op = LK_OP_MUL_IMM, .dst = 1, .a = 0, .imm = 3},
                            {.op = LK_OP_SUB_IMM, .dst = 2, .a = 1, .imm = 1}};
  const lk_output output = {2, LK_STORE};
  const lk_program p = {.dtype = LK_F32, .n_inputs = 1, .n_outputs = 1, .n_regs = 3, .n_insns = 2,
                        .insns = insns, .outputs = &output};
  void *outs[1] = {out};
  status("stream", lk_run(&p, 1, shape, in, outs, NULL), LK_OK);
  double total = 0, scale = 0;
  for (int64_t i = 0; i < N; i++) total += out[i], scale += fabs(out[i]);
  emit("stream.total", 0, LK_F64, total, ulps(LK_F64, scale, 2.0 * N) + ulps(LK_F32, scale, 1));
  for (int64_t i = 0; i < N; i += N / 61) emit("stream", i, LK_F32, out[i], ulps(LK_F32, out[i], 1));
  free(x), free(out);
}

/** A row chain over [64, 300], eight rows a block: y = exp(x) row-summed, then z = log(y) - x. */
static void check_chain(int32_t dtype) {
  enum { R = 64, C = 300, N = R * C };
  void *x = filled(dtype, N, 7, 4, 0), *y = buffer(dtype, N), *ys = buffer(dtype, R), *z = buffer(dtype, N);
  const int64_t shape[2] = {R, C}, strides[2] = {C, 1};
  const lk_operand in1[1] = {{x, dtype, strides}}, in2[2] = {{y, dtype, strides}, {x, dtype, strides}};
  const lk_insn i1 = {.op = LK_OP_EXP, .dst = 1, .a = 0};
  const lk_insn i2[2] = {{.op = LK_OP_LOG, .dst = 2, .a = 0}, {.op = LK_OP_SUB, .dst = 3, .a = 2, .b = 1}};
  const lk_output o1[2] = {{1, LK_STORE}, {1, LK_ROWSUM}}, o2[1] = {{3, LK_STORE}};
  const lk_program p1 = {.dtype = dtype, .n_inputs = 1, .n_outputs = 2, .n_regs = 2, .n_insns = 1,
                         .insns = &i1, .outputs = o1, .row_length = C};
  const lk_program p2 = {.dtype = dtype, .n_inputs = 2, .n_outputs = 1, .n_regs = 4, .n_insns = 2,
                         .insns = i2, .outputs = o2};
  void *outs1[2] = {y, ys}, *outs2[1] = {z};
  const lk_chain_step steps[2] = {{&p1, 2, shape, in1, outs1, NULL, 0}, {&p2, 2, shape, in2, outs2, NULL, 0}};
  status("chain", lk_run_chain(steps, 2, 8), LK_OK);
  for (int64_t r = 0; r < R; r++) emit("chain.rowsum", r, dtype, get(dtype, ys, r), ulps(dtype, get(dtype, ys, r), 8));
  for (int64_t i = 0; i < N; i += 7) {
    emit("chain.y", i, dtype, get(dtype, y, i), ulps(dtype, get(dtype, y, i), 4));
    emit("chain.z", i, dtype, get(dtype, z, i), ulps(dtype, 4, 8)); /* log(exp x) - x: ulps of |x| <= 4 */
  }
  free(x), free(y), free(ys), free(z);
}

/** The one-pass log-sum-exp of rows of 1000 (a whole row per segment) and its partners: the
    row maximum, the sum of exp(x - m), the exponentials and the sum of x - m (`rowmax`,
    `rowsumexp`, `rowexp`, `rowsumshift`), on AVX-512 through vscalefps, elsewhere portably. */
static void check_rowsumexp(int32_t dtype) {
  enum { R = 40, C = 1000, N = R * C };
  void *x = filled(dtype, N, 9, 30, 0);
  void *max = buffer(dtype, R), *sum = buffer(dtype, R), *exps = buffer(dtype, N), *shifted = buffer(dtype, R);
  const int64_t shape[2] = {R, C}, strides[2] = {C, 1};
  const lk_operand in[1] = {{x, dtype, strides}};
  const lk_output outputs[4] = {{0, LK_ROWMAX}, {0, LK_ROWSUMEXP}, {0, LK_ROWEXP}, {0, LK_ROWSUMSHIFT}};
  const lk_program p = {.dtype = dtype, .n_inputs = 1, .n_outputs = 4, .n_regs = 1, .outputs = outputs,
                        .row_length = C};
  void *outs[4] = {max, sum, exps, shifted};
  status("rowsumexp", lk_run(&p, 2, shape, in, outs, NULL), LK_OK);
  for (int64_t r = 0; r < R; r++) {
    double magnitude = 0; /* sum |x - m|, each difference rounded once */
    for (int64_t c = 0; c < C; c++) magnitude += get(dtype, max, r) - get(dtype, x, r * C + c);
    emit("rowsumexp.max", r, dtype, get(dtype, max, r), 0);
    /* Each exponential within 2 ulps, summed in float trees of eight then double. */
    emit("rowsumexp.sum", r, dtype, get(dtype, sum, r), ulps(dtype, get(dtype, sum, r), 8));
    emit("rowsumexp.shifted", r, dtype, get(dtype, shifted, r), ulps(dtype, magnitude, 4));
  }
  for (int64_t i = 0; i < N; i += 7) emit("rowsumexp.exp", i, dtype, get(dtype, exps, i), ulps(dtype, get(dtype, exps, i), 2));
  free(x), free(max), free(sum), free(exps), free(shifted);
}

/** lk_reduce (sum, prod, max, min), lk_logsumexp and lk_argreduce of [4, 7, 33] over axis sets. */
static void check_reductions(int32_t dtype) {
  enum { A = 4, B = 7, C = 33, N = A * B * C };
  static const char *const names[4] = {"sum", "prod", "max", "min"};
  static const uint8_t masks[5][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}};
  const int64_t shape[3] = {A, B, C};
  void *x = filled(dtype, N, 8, 3, 0), *near1 = filled(dtype, N, 9, 0.05, 1), *out = buffer(dtype, N);
  put(dtype, x, 100, NAN); /* max and min propagate it; its row of lk_argreduce points at it */
  char label[64];
  for (int32_t m = 0; m < 5; m++) {
    int64_t kept = 1, reduced = 1;
    for (int32_t d = 0; d < 3; d++) *(masks[m][d] ? &reduced : &kept) *= shape[d];
    for (int32_t op = LK_RSUM; op <= LK_RMIN; op++) {
      const void *src = op == LK_RPROD ? near1 : x;
      snprintf(label, sizeof label, "reduce.%s.%d%d%d", names[op], masks[m][0], masks[m][1], masks[m][2]);
      status(label, lk_reduce(dtype, op, 3, shape, masks[m], src, out), LK_OK);
      for (int64_t o = 0; o < kept; o++) {
        const double v = get(dtype, out, o);
        /* sums: rounding to dtype plus double accumulation (|x| <= 3); products: near 1 */
        const double bound = op == LK_RSUM ? ulps(dtype, v, 1) + ulps(LK_F64, 3.0 * reduced, 2.0 * reduced)
                             : op == LK_RPROD ? ulps(dtype, v, 1) + ulps(LK_F64, v, 2.0 * reduced) : 0;
        emit(label, o, dtype, v, bound);
      }
    }
    snprintf(label, sizeof label, "logsumexp.%d%d%d", masks[m][0], masks[m][1], masks[m][2]);
    status(label, lk_logsumexp(dtype, 3, shape, masks[m], x, out), LK_OK);
    for (int64_t o = 0; o < kept; o++) emit(label, o, dtype, get(dtype, out, o), ulps(dtype, fabs(get(dtype, out, o)) + 3, 8));
  }
  for (int32_t is_max = 0; is_max < 2; is_max++) {
    snprintf(label, sizeof label, "arg%s.middle", is_max ? "max" : "min");
    status(label, lk_argreduce(dtype, is_max, A, B, C, x, out), LK_OK);
    for (int64_t o = 0; o < A * C; o++) emit(label, o, dtype, get(dtype, out, o), 0);
    snprintf(label, sizeof label, "arg%s.last", is_max ? "max" : "min");
    status(label, lk_argreduce(dtype, is_max, A * B, C, 1, x, out), LK_OK);
    for (int64_t o = 0; o < A * B; o++) emit(label, o, dtype, get(dtype, out, o), 0);
  }
  free(x), free(near1), free(out);
}

/** One batched product: operands with the given strides and offsets, every element printed
    (or, if `sample` > 1, every sample-th one and the total) with its 2 k eps sum|a||b| bound. */
static void check_product(const char *name, int32_t isa, int32_t dtype, int64_t batch, int64_t n,
                          int64_t k, int64_t m, int64_t a_rs, int64_t a_cs, int64_t b_rs, int64_t b_cs,
                          int64_t a_step, int64_t b_step, int64_t sample) {
  const int64_t a_len = (batch - 1) * a_step + (n - 1) * a_rs + (k - 1) * a_cs + 1;
  const int64_t b_len = (batch - 1) * b_step + (k - 1) * b_rs + (m - 1) * b_cs + 1;
  void *a = filled(dtype, a_len > 0 ? a_len : 1, 10, 1, 0), *b = filled(dtype, b_len > 0 ? b_len : 1, 11, 1, 0);
  void *c = buffer(dtype, batch * n * m);
  int64_t a_off[4], b_off[4];
  for (int64_t t = 0; t < batch; t++) a_off[t] = t * a_step, b_off[t] = t * b_step;
  char label[64];
  snprintf(label, sizeof label, "matmul.%s", name);
  status(label, lk_matmul_isa(isa, dtype, batch, a_off, b_off, n, k, m, a, a_rs, a_cs, b, b_rs, b_cs, c), LK_OK);
  double total = 0, total_bound = 0;
  for (int64_t t = 0; t < batch; t++)
    for (int64_t i = 0; i < n; i++)
      for (int64_t j = 0; j < m; j++) {
        double scale = 0;
        for (int64_t p = 0; p < k; p++)
          scale += fabs(get(dtype, a, a_off[t] + i * a_rs + p * a_cs) * get(dtype, b, b_off[t] + p * b_rs + j * b_cs));
        const int64_t e = (t * n + i) * m + j;
        const double v = get(dtype, c, e), bound = ulps(dtype, scale, 2.0 * (double)k) + ulps(dtype, v, 1);
        total += v, total_bound += bound + ulps(LK_F64, fabs(total), 1);
        if (e % sample == 0) emit(label, e, dtype, v, bound);
      }
  if (sample > 1) emit(label, -1, LK_F64, total, total_bound);
  free(a), free(b), free(c);
}

/** lk_matmul over the paths its GEMM takes. */
static void check_matmul(int32_t dtype) {
  /* few rows: B swept row by row */
  check_product("few_rows", LK_ISA_BEST, dtype, 1, 3, 50, 70, 50, 1, 70, 1, 0, 0, 1);
  /* few contiguous columns: dot products */
  check_product("few_cols", LK_ISA_BEST, dtype, 1, 40, 37, 3, 37, 1, 1, 37, 0, 0, 1);
  /* packed, two depth slices, edge microtiles */
  check_product("packed", LK_ISA_BEST, dtype, 1, 37, 400, 53, 400, 1, 53, 1, 0, 0, 1);
  check_product("packed_generic", LK_ISA_GENERIC, dtype, 1, 37, 400, 53, 400, 1, 53, 1, 0, 0, 1);
  /* A transposed (column-major), B strided by 2 */
  check_product("transposed", LK_ISA_BEST, dtype, 1, 29, 31, 19, 1, 29, 38, 2, 0, 0, 1);
  /* a batch of three with their own A and one shared (broadcast) B */
  check_product("batch", LK_ISA_BEST, dtype, 3, 9, 17, 11, 17, 1, 11, 1, 9 * 17, 0, 1);
  /* 160 x 164 x 160: enough multiply-adds to split over two threads */
  check_product("two_threads", LK_ISA_BEST, dtype, 1, 160, 164, 160, 164, 1, 160, 1, 0, 0, 97);
  /* depth 0: zeros */
  check_product("empty_depth", LK_ISA_BEST, dtype, 1, 5, 0, 6, 1, 1, 1, 1, 0, 0, 1);
}

/** lk_transpose, lk_gather and lk_scatter_add: exact. */
static void check_moves(int32_t dtype) {
  enum { O = 2, A = 37, B = 41, N = O * A * B };
  void *x = filled(dtype, N, 12, 1, 0), *y = buffer(dtype, N), *acc = buffer(dtype, 50);
  status("transpose", lk_transpose(dtype, O, A, B, x, y), LK_OK);
  for (int64_t i = 0; i < N; i += 3) emit("transpose", i, dtype, get(dtype, y, i), 0);
  int64_t idx[300];
  for (int64_t i = 0; i < 300; i++) idx[i] = (i * 37) % 50;
  status("gather", lk_gather(dtype, x, N, idx, 300, y), LK_OK);
  for (int64_t i = 0; i < 300; i++) emit("gather", i, dtype, get(dtype, y, i), 0);
  status("scatter_add", lk_scatter_add(dtype, x, idx, 300, acc, 50), LK_OK);
  for (int64_t i = 0; i < 50; i++) emit("scatter_add", i, dtype, get(dtype, acc, i), 0);
  status("gather.out_of_range", lk_gather(dtype, x, 10, idx, 300, y), LK_EINVAL);
  free(x), free(y), free(acc);
}

int main(void) {
  const char *target = lk_vm_target();
  fprintf(stderr, "kernel_check: tile loops for %s\n", *target ? target : "the target's baseline");
  for (int32_t dtype = LK_F32; dtype <= LK_F64; dtype++) {
    check_opcodes(dtype);
    check_program(dtype);
    check_chain(dtype);
    check_rowsumexp(dtype);
    check_reductions(dtype);
    check_matmul(dtype);
    check_moves(dtype);
  }
  check_stream();
  return unexpected == 0 ? 0 : 1;
}
