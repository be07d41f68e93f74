#!/usr/bin/env bash
# Planning cost of a long graph (issue 13): one plan of a 100 000-node elementwise chain.
# Writes a script of N statements `s = s + 1` on a (3,) tensor (written out, not looped: a
# loop computes its state every 16 steps, docs/performance.md "History in loops"), then
# `print(sum(s))`, and prints the wall and CPU time of running it. See RESULTS.md,
# "Planning a long chain".
#
#   benchmarks/planning_chain.sh [N]      # default 100000; LOSSLANG as for run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
n=${1:-100000}
if [ -z "${LOSSLANG:-}" ]; then
  LOSSLANG=$root/.build/release/losslang
  [ -x "$LOSSLANG" ] || (cd "$root" && swift build -c release --product losslang >&2)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ echo "s = ones([3])"; for ((i = 0; i < n; i++)); do echo "s = s + 1"; done; echo "print(sum(s))"; } >"$tmp/chain.loss"
/usr/bin/time -f "nodes=$n wall_s=%e cpu_s=%U+%S peak_rss_kib=%M" "$LOSSLANG" "$tmp/chain.loss"
