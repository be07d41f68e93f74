#!/usr/bin/env bash
# Builds the floor programs benchmarks/floors/W*.c into OUT (default: the repository's
# .build/floors/), one binary per workload, named after it: `OUT/W1_focal DIR [GRADS]` reads the
# inputs `peers.py --save DIR` wrote and prints `NAME median_ms=… loss=… floor_ms=… threads=…`
# and a check line (see benchmarks/RESULTS.md, "Floors").
#
#   benchmarks/floors/build.sh [OUT]
#
# CC names the C compiler (default gcc): -O3 -march=native -fopenmp, no -ffast-math.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(dirname "$(dirname "$here")")/.build/floors}
mkdir -p "$out"
for src in "$here"/W*.c; do
  name=$(basename "$src" .c)
  "${CC:-gcc}" -std=gnu11 -O3 -march=native -fopenmp -Wall -o "$out/$name" "$src" -lm
done
echo "built $(ls "$here"/W*.c | wc -l) floor programs in $out" >&2
