/** Concatenation: each output row is the parts' rows back to back. */
#include "internal.h"
#include <string.h>

lk_status lk_concat(int64_t outer, int32_t n_parts, const void *const *parts,
                    const int64_t *row_bytes, void *dst) {
  if (outer < 0 || n_parts < 0 || (n_parts > 0 && (!parts || !row_bytes))) return LK_EINVAL;
  int64_t total = 0;
  for (int32_t p = 0; p < n_parts; p++) {
    if (row_bytes[p] < 0 || (outer > 0 && row_bytes[p] > 0 && !parts[p])) return LK_EINVAL;
    total += row_bytes[p];
  }
  if (outer == 0 || total == 0) return LK_OK;
  if (!dst) return LK_EINVAL;
  char *out = dst;
  for (int64_t r = 0; r < outer; r++)
    for (int32_t p = 0; p < n_parts; p++) {
      memcpy(out, (const char *)parts[p] + r * row_bytes[p], (size_t)row_bytes[p]);
      out += row_bytes[p];
    }
  return LK_OK;
}
