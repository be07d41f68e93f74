#!/bin/sh
# Max ulp error of the kernel's vector math (exp, log, log1p, expm1, tanh, sigmoid,
# logsigmoid, softplus) against libm, for the SSE2, AVX2+FMA and AVX-512 builds; then the
# AVX-512 exponentials of the one-pass log-sum-exp against lk_expf, bit for bit
# (scripts/exp_scalef_sweep.c, all 2^32 inputs whatever STEP).
# usage: scripts/ulp_sweep.sh [STEP [F64_COUNT]]
#   STEP 1 (default) sweeps all 2^32 float32 inputs (minutes); 4096 takes seconds.
#   F64_COUNT random float64 inputs for vecmath's double versions (default 2^24).
#   Needs an AVX-512 CPU to run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc=${CC:-clang}
flags="-O3 -I$root/Sources/CLossKernel/include"
$cc $flags -DSWEEP_ISA=sse2 -c "$root/scripts/ulp_sweep_isa.c" -o "$out/sse2.o"
$cc $flags -DSWEEP_ISA=avx2 -mavx2 -mfma -c "$root/scripts/ulp_sweep_isa.c" -o "$out/avx2.o"
$cc $flags -DSWEEP_ISA=avx512 -mavx512f -mavx512dq -mavx512vl -mavx512bw -mavx2 -mfma \
  -c "$root/scripts/ulp_sweep_isa.c" -o "$out/avx512.o"
$cc $flags "$root/scripts/ulp_sweep.c" "$out"/*.o -o "$out/ulp_sweep" -lm -lpthread
"$out/ulp_sweep" "$@"
$cc -O3 -ffp-contract=on "$root/scripts/exp_scalef_sweep.c" -o "$out/exp_scalef_sweep" -lm
"$out/exp_scalef_sweep"
