#!/usr/bin/env bash
# Builds the C kernel (Sources/CLossKernel) with its check program Tests/CKernel/kernel_check.c
# for this machine (x86-64) and cross-compiled for aarch64 Linux, runs the aarch64 build under
# qemu-user, and compares the two outputs value by value (Tests/CKernel/compare.awk): equal,
# or within each value's error bound (a few ulps for elementwise math, 2 k eps sum|a||b| for a
# product of depth k, nothing for exact operations). Fails if either build fails, a kernel
# call returns an unexpected status, or any value differs beyond its bound.
#
# Usage: scripts/cross_aarch64.sh [OUTDIR]   (default .build/cross-aarch64)
# Needs clang (the Swift toolchain's has the aarch64 target and ld.lld), Debian's aarch64 libc
# and libgcc (libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross) and qemu-user: installed with
# apt-get when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/.build/cross-aarch64}"
cc="${CC:-clang}"
sysroot=/usr/aarch64-linux-gnu
if [ "$(uname -m)" != x86_64 ]; then
  echo "cross_aarch64: compares an x86-64 build with aarch64, but this machine is $(uname -m)" >&2
  exit 1
fi

missing=()
[ -f "$sysroot/include/stdio.h" ] || missing+=(libc6-dev-arm64-cross)
[ -f /usr/lib/gcc-cross/aarch64-linux-gnu/12/crtbegin.o ] || missing+=(libgcc-12-dev-arm64-cross)
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "cross_aarch64: installing ${missing[*]}" >&2
  $sudo apt-get update >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$out"
kernel="$root/Sources/CLossKernel"
# The package's flags for the kernel (-O3, clang's default FP contraction), warnings as errors
# so that a target-specific builtin or feature string is caught on the target it does not fit.
flags=(-O3 -Wall -Wextra -Werror -I "$kernel/include" -I "$kernel")
sources=("$kernel"/*.c "$root/Tests/CKernel/kernel_check.c")
"$cc" "${flags[@]}" "${sources[@]}" -lm -pthread -o "$out/kernel_check-x86_64" &
native=$!
"$cc" --target=aarch64-linux-gnu -fuse-ld=lld "${flags[@]}" "${sources[@]}" -lm -pthread \
  -o "$out/kernel_check-aarch64" &
cross=$!
wait "$native" || { echo "cross_aarch64: the x86-64 build failed" >&2; exit 1; }
wait "$cross" || { echo "cross_aarch64: the aarch64 build failed" >&2; exit 1; }

echo "cross_aarch64: x86-64 build, natively:"
"$out/kernel_check-x86_64" >"$out/x86_64.txt"
echo "cross_aarch64: aarch64 build, under qemu-aarch64:"
qemu-aarch64 -L "$sysroot" "$out/kernel_check-aarch64" >"$out/aarch64.txt"
awk -f "$root/Tests/CKernel/compare.awk" "$out/x86_64.txt" "$out/aarch64.txt"
