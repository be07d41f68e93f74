#include "losskernel.h"

/* The frame of this (never inlined) function sits just below its caller's. */
__attribute__((noinline)) uintptr_t lk_stack_position(void) {
  return (uintptr_t)__builtin_frame_address(0);
}

int lk_built_with_address_sanitizer(void) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 1;
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
  return 1;
#endif
  return 0;
}
