/**
 * The reduction walker: LK_DEFINE_REDUCE(NAME, T, INIT, COMBINE, VAL) defines
 * `static void NAME(const T *x, double *acc, const double *m, const lk_rlayout *l)`,
 * which folds every input element, in C order, into acc[o] for its output position o.
 * COMBINE(acc, v) updates a double accumulator and INIT is its identity; VAL(x, o) maps
 * an element to the double folded in (m is an optional per-output array VAL may read). The innermost axis is either
 * kept (acc[o + j] updated, vectorizable) or reduced (eight partials, then folded).
 * acc must be initialized by the caller.
 */
#ifndef LK_REDUCE_WALK_H
#define LK_REDUCE_WALK_H

#include "internal.h"

#define LK_DEFINE_REDUCE(NAME, T, INIT, COMBINE, VAL)                                   \
  static void NAME(const T *x, double *acc, const double *m, const lk_rlayout *l) {     \
    (void)m;                                                                            \
    const int32_t last = l->nd - 1;                                                     \
    const int64_t n = l->shape[last];                                                   \
    const bool inner_kept = l->ostride[last] != 0;                                      \
    int64_t idx[LK_MAX_DIMS] = {0};                                                     \
    int64_t o = 0;                                                                      \
    for (int64_t row = 0; row < l->rows; row++, x += n) {                               \
      if (inner_kept) {                                                                 \
        double *const ao = acc + o;                                                     \
        for (int64_t j = 0; j < n; j++) COMBINE(ao[j], VAL(x[j], o + j));               \
      } else {                                                                          \
        double part[8];                                                                 \
        for (int32_t p = 0; p < 8; p++) part[p] = (INIT);                                \
        int64_t j = 0;                                                                  \
        for (; j + 8 <= n; j += 8)                                                      \
          for (int32_t p = 0; p < 8; p++) COMBINE(part[p], VAL(x[j + p], o));           \
        for (; j < n; j++) COMBINE(part[0], VAL(x[j], o));                              \
        double a = acc[o];                                                              \
        for (int32_t p = 0; p < 8; p++) COMBINE(a, part[p]);                            \
        acc[o] = a;                                                                     \
      }                                                                                 \
      for (int32_t d = last - 1; d >= 0; d--) {                                         \
        o += l->ostride[d];                                                             \
        if (++idx[d] < l->shape[d]) break;                                              \
        o -= l->ostride[d] * l->shape[d];                                               \
        idx[d] = 0;                                                                     \
      }                                                                                 \
    }                                                                                   \
  }

#endif /* LK_REDUCE_WALK_H */
