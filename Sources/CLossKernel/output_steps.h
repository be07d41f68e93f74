/**
 * How outputs leave the values of a program, shared by the tile VM (program_loop.h, over a
 * tile) and native kernels (NativeKernelSource, over the values they compute): sums and
 * maxima of segments, LK_FOLD_CHUNK elements at a time, which both fold in exactly this
 * order (so both give the same bits), and stores past the cache. Included once per register
 * type with T (element type) and SFX (name suffix) defined; needs no other header.
 */
#ifndef LK_CAT
#define LK_CAT2(a, b) a##b
#define LK_CAT(a, b) LK_CAT2(a, b)
#endif

#ifndef LK_FOLD_CHUNK
/** Elements a fold takes at a time: whole vectors of either type. */
#define LK_FOLD_CHUNK 64
/** Eight doubles: one of a sum's four accumulators. */
typedef double lk_v8d __attribute__((vector_size(64)));

/** Adds the 16 float lanes `s` (a 64-byte value) in double to acc[0] (lanes 0-7) and acc[1]. */
static inline __attribute__((always_inline)) void lk_sum_lanes16(lk_v8d acc[2], const void *s) {
  typedef float v16f __attribute__((vector_size(64)));
  v16f w;
  __builtin_memcpy(&w, s, sizeof w);
  acc[0] += __builtin_convertvector(__builtin_shufflevector(w, w, 0, 1, 2, 3, 4, 5, 6, 7), lk_v8d);
  acc[1] += __builtin_convertvector(__builtin_shufflevector(w, w, 8, 9, 10, 11, 12, 13, 14, 15), lk_v8d);
}
#endif

/** A 64-byte vector of T, and the lane masks of its comparisons. */
typedef T LK_CAT(lk_vt_, SFX) __attribute__((vector_size(64)));
typedef __typeof__((LK_CAT(lk_vt_, SFX)){0} > (LK_CAT(lk_vt_, SFX)){0}) LK_CAT(lk_vm_, SFX);

/** Adds 32 elements of x, in double, to the four accumulators of a sum: x[i] to acc[i / 8]. */
static inline __attribute__((always_inline)) void LK_CAT(lk_sum_32_, SFX)(lk_v8d acc[4], const T *x) {
  typedef T v8t __attribute__((vector_size(8 * sizeof(T))));
  for (int q = 0; q < 4; q++) {
    v8t v;
    __builtin_memcpy(&v, x + 8 * q, sizeof v);
    acc[q] += __builtin_convertvector(v, lk_v8d);
  }
}

/**
 * Adds LK_FOLD_CHUNK elements of x, the segment's chunk number 2k + `odd`, to the
 * accumulators of a sum. float: a pairwise tree of its four 16-lane vectors,
 * ((x0 + x1) + (x2 + x3)); an even chunk's tree waits in acc[2] and the odd chunk after it
 * adds its own tree to it, then the 16 lanes go to double, into acc[0] and acc[1]: a
 * pairwise tree of eight elements per conversion (converting had been most of a row sum's
 * cost). double: two lk_sum_32, in order.
 */
static inline __attribute__((always_inline)) void LK_CAT(lk_sum_chunk_, SFX)(lk_v8d acc[4], const T *x, long odd) {
  if (sizeof(T) == 4) {
    typedef T v16t __attribute__((vector_size(16 * sizeof(T))));
    v16t v[4];
    __builtin_memcpy(v, x, sizeof v);
    v16t s = (v[0] + v[1]) + (v[2] + v[3]);
    if (!odd) {
      __builtin_memcpy(&acc[2], &s, sizeof s); /* waits for the next chunk, or lk_sum_end */
      return;
    }
    v16t w;
    __builtin_memcpy(&w, &acc[2], sizeof w);
    s = w + s;
    acc[2] = (lk_v8d){0};
    lk_sum_lanes16(acc, &s);
  } else {
    (void)odd;
    LK_CAT(lk_sum_32_, SFX)(acc, x);
    LK_CAT(lk_sum_32_, SFX)(acc, x + 32);
  }
}

/** The sum of a segment: its accumulators (float: with the tree still waiting in acc[2], if
    any, converted first), with 32 more of its last n < LK_FOLD_CHUNK elements x if there are
    as many, combined; then the rest of them, one at a time. */
static inline __attribute__((always_inline)) double LK_CAT(lk_sum_end_, SFX)(const lk_v8d acc[4], const T *x,
                                                                             long n) {
  lk_v8d a[4] = {acc[0], acc[1], acc[2], acc[3]};
  if (sizeof(T) == 4) {
    lk_sum_lanes16(a, &a[2]);
    a[2] = (lk_v8d){0};
  }
  long j = 0;
  if (n >= 32) {
    LK_CAT(lk_sum_32_, SFX)(a, x);
    j = 32;
  }
  const lk_v8d total = (a[0] + a[1]) + (a[2] + a[3]);
  double sum = ((total[0] + total[1]) + (total[2] + total[3])) + ((total[4] + total[5]) + (total[6] + total[7]));
  for (; j < n; j++) sum += (double)x[j];
  return sum;
}

/** Folds n elements of x (a multiple of a vector's lanes) into a running maximum: per lane,
    `part` keeps the greatest and `nan` flags a NaN. */
static inline __attribute__((always_inline)) void LK_CAT(lk_max_chunk_, SFX)(
    LK_CAT(lk_vt_, SFX) *part, LK_CAT(lk_vm_, SFX) *nan, const T *x, long n) {
  typedef LK_CAT(lk_vt_, SFX) vt;
  typedef LK_CAT(lk_vm_, SFX) vm;
  for (long j = 0; j < n; j += (long)(64 / sizeof(T))) {
    vt v;
    __builtin_memcpy(&v, x + j, sizeof v);
    *nan |= v != v;
    const vm greater = v > *part; /* a NaN lane keeps part; the flag reports it */
    *part = (vt)(((vm)v & greater) | ((vm)*part & ~greater));
  }
}

/** Starts a running maximum: no lane holds a value or a NaN yet. */
static inline __attribute__((always_inline)) void LK_CAT(lk_max_start_, SFX)(LK_CAT(lk_vt_, SFX) *part,
                                                                              LK_CAT(lk_vm_, SFX) *nan) {
  *part = (LK_CAT(lk_vt_, SFX)){0} - (T)__builtin_inf();
  *nan = (LK_CAT(lk_vm_, SFX)){0};
}

/** The maximum of a segment (NaN if any element is NaN, -inf if it is empty): its running
    lanes, its last n elements x folded a vector at a time, then lane by lane, then the tail. */
static inline __attribute__((always_inline)) double LK_CAT(lk_max_end_, SFX)(
    const LK_CAT(lk_vt_, SFX) *running, const LK_CAT(lk_vm_, SFX) *flags, const T *x, long n) {
  enum { lanes = 64 / sizeof(T) };
  const long whole = n / lanes * lanes;
  LK_CAT(lk_vt_, SFX) part = *running;
  LK_CAT(lk_vm_, SFX) nan = *flags;
  LK_CAT(lk_max_chunk_, SFX)(&part, &nan, x, whole);
  int any = 0;
  T m = -(T)__builtin_inf();
  for (int l = 0; l < lanes; l++) {
    any |= nan[l] != 0;
    m = part[l] > m ? part[l] : m;
  }
  for (long j = whole; j < n; j++) {
    any |= x[j] != x[j];
    m = x[j] > m ? x[j] : m;
  }
  return any ? (double)__builtin_nan("") : (double)m;
}

/** Copies n elements to dst with non-temporal stores: whole 64-byte lines when dst is aligned
    to them, else halves of lines when dst is aligned to 32 bytes (a row of an odd multiple of
    8 floats starts half way into a line: the next call streams the line's other half). */
static inline __attribute__((always_inline)) void LK_CAT(lk_stream_, SFX)(T *dst, const T *src, long n) {
  typedef LK_CAT(lk_vt_, SFX) line;
  typedef T half __attribute__((vector_size(32)));
  const long per = 64 / (long)sizeof(T), per_half = per / 2;
  long j = 0;
  if (((__UINTPTR_TYPE__)dst & 63) == 0)
    for (; j + per <= n; j += per) {
      line v;
      __builtin_memcpy(&v, src + j, sizeof v);
      __builtin_nontemporal_store(v, (line *)(dst + j));
    }
  else if (((__UINTPTR_TYPE__)dst & 31) == 0)
    for (; j + per_half <= n; j += per_half) {
      half v;
      __builtin_memcpy(&v, src + j, sizeof v);
      __builtin_nontemporal_store(v, (half *)(dst + j));
    }
  if (j < n) __builtin_memcpy(dst + j, src + j, (unsigned long)(n - j) * sizeof(T));
}
