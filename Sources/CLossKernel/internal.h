/** Private helpers shared by the kernel's translation units. */
#ifndef LK_INTERNAL_H
#define LK_INTERNAL_H

#include "losskernel.h"
#include <stdbool.h>
#include <stdlib.h>

/** Whether d is a valid lk_dtype. */
static inline bool lk_dtype_ok(int32_t d) { return d == LK_F32 || d == LK_F64; }

/** Bytes per element of a valid dtype. */
static inline size_t lk_item_size(int32_t d) { return d == LK_F64 ? 8 : 4; }

/** 64-byte-aligned scratch of at least `bytes` bytes (free with free()), or NULL. */
static inline void *lk_scratch(size_t bytes) {
  const size_t rounded = (bytes + 63) & ~(size_t)63;
  return aligned_alloc(64, rounded == 0 ? 64 : rounded);
}

/** The calling thread's limit on the threads of a kernel call (see lk_set_threads), >= 1. */
int32_t lk_threads(void);

/**
 * Runs fn(ctx, i) for every part i in [0, n_parts) on the calling thread and up to
 * threads - 1 workers of the pool (fewer if the pool is busy with another thread's call or
 * a worker cannot be started), returning when every part is done. Parts run in any order
 * and on any thread: a part's result must not depend on either.
 */
void lk_parallel(int32_t threads, int64_t n_parts, void (*fn)(void *ctx, int64_t part), void *ctx);

/**
 * Elements a part of a split call covers at least (rounded up to whole tiles, rows or
 * blocks): taking a part costs the pool well under a microsecond; 64 Ki elements take tens.
 */
#define LK_PART_MIN (1 << 16)

/** A contiguous tensor grouped into alternating kept / reduced axes for a reduction. */
typedef struct lk_rlayout {
  int32_t nd;                   /**< Axes after merging (>= 1). */
  int64_t shape[LK_MAX_DIMS];   /**< Extent of each merged axis. */
  int64_t ostride[LK_MAX_DIMS]; /**< Output element stride; 0 for reduced axes. */
  int64_t rows;                 /**< Product of all extents but the last. */
  int64_t out_count;            /**< Number of output elements. */
  int64_t in_count;             /**< Number of input elements. */
} lk_rlayout;

/** Builds the layout of a reduction; LK_EINVAL for bad ndim or negative extents. */
lk_status lk_rlayout_make(int32_t ndim, const int64_t *shape, const uint8_t *mask,
                          lk_rlayout *out);

/** Fills acc (out_count doubles) with the reduction of src by op (an lk_reduce_op). */
void lk_reduce_into(int32_t dtype, int32_t op, const lk_rlayout *l, const void *src,
                    double *acc);

#endif /* LK_INTERNAL_H */
