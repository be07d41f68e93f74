#include "losskernel.h"

/* The frame of this (never inlined) function sits just below its caller's. */
__attribute__((noinline)) uintptr_t lk_stack_position(void) {
  return (uintptr_t)__builtin_frame_address(0);
}
