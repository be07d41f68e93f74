#!/usr/bin/env bash
# Runs the LossLang benchmark workloads on the inputs that `peers.py --save DIR` wrote,
# printing one line each: `W1_focal median_ms=… loss=…`.
#
#   benchmarks/run.sh DIR [W1 W3 …]     # all seven workloads, or those whose names start so
#
# LOSSLANG names the binary (default: the repository's .build/release/losslang, built with
# `swift build -c release` when missing). If DIR does not exist, the inputs are written
# there first with `$PYTHON ../shared/bench/peers.py --save DIR` (PYTHON defaults to python3);
# W7_train_step's initial weights, if missing, with `$PYTHON benchmarks/peers_training.py --save DIR`.
# GRADS=OUT also writes every gradient to OUT/NAME_grad<i>.npy (see bench.loss).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:?usage: benchmarks/run.sh DIR [WORKLOAD-PREFIX …]}
shift
prefixes=("$@")
[ ${#prefixes[@]} -gt 0 ] || prefixes=(W)

if [ -z "${LOSSLANG:-}" ]; then
  LOSSLANG=$root/.build/release/losslang
  [ -x "$LOSSLANG" ] || (cd "$root" && swift build -c release --product losslang >&2)
fi
[ -x "$LOSSLANG" ] || { echo "run.sh: no LossLang binary at $LOSSLANG" >&2; exit 1; }

if [ ! -d "$dir" ]; then
  "${PYTHON:-python3}" "$root/../shared/bench/peers.py" --save "$dir" >&2
fi

for script in "$here"/W*_*.loss; do
  name=$(basename "$script" .loss)
  for prefix in "${prefixes[@]}"; do
    if [[ $name == "$prefix"* ]]; then
      if [[ $name == W7_* && ! -d $dir/$name ]]; then
        "${PYTHON:-python3}" "$here/peers_training.py" --save "$dir" >&2
      fi
      "$LOSSLANG" "$script" "$dir" ${GRADS:+"$GRADS"}
      break
    fi
  done
done
