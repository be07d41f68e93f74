#!/usr/bin/env bash
# Builds the floor programs benchmarks/floors/W*.c into OUT (default: the repository's
# .build/floors/), one binary per workload, named after it: `OUT/W1_focal DIR [GRADS]` reads the
# inputs `peers.py --save DIR` wrote and prints `NAME median_ms=… loss=… floor_ms=… threads=…`
# and a check line (see benchmarks/RESULTS.md, "Floors").
#
#   benchmarks/floors/build.sh [OUT]
#
# CC names the C compiler (default gcc): -O3 -march=native -fopenmp, no -ffast-math.
# W3_clip needs OpenBLAS (Debian: libopenblas-dev); without <cblas.h> it is skipped, saying so.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(dirname "$(dirname "$here")")/.build/floors}
cc=${CC:-gcc}
mkdir -p "$out"
built=0
for src in "$here"/W*.c; do
  name=$(basename "$src" .c)
  libs=(-lm)
  if [ "$name" = W3_clip ]; then
    if ! echo '#include <cblas.h>' | "$cc" -E - >/dev/null 2>&1; then
      echo "build.sh: no <cblas.h> (install libopenblas-dev): $name not built" >&2
      rm -f "$out/$name"
      continue
    fi
    libs=(-lopenblas -lm)
  fi
  "$cc" -std=gnu11 -O3 -march=native -fopenmp -Wall -o "$out/$name" "$src" "${libs[@]}"
  built=$((built + 1))
done
echo "built $built floor programs in $out" >&2
