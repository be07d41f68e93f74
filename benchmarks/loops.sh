#!/usr/bin/env bash
# Loops cost the same at every step: runs benchmarks/loops.loss (Adagrad without `detach`) for
# 1 000 and 10 000 steps and prints, for each, the time per step and the process's peak
# resident memory; then checks the 10 000-step run against the 1 000-step one: at most 1.3x
# the time per step and at most 20 MB more peak memory (exit status 1 if not).
#
#   benchmarks/loops.sh [STEPS_A STEPS_B]     # default: 1000 10000
#
# LOSSLANG names the binary (default: the repository's .build/release/losslang, built with
# `swift build -c release` when missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
short=${1:-1000}
long=${2:-10000}
if [ -z "${LOSSLANG:-}" ]; then
  LOSSLANG=$root/.build/release/losslang
  [ -x "$LOSSLANG" ] || (cd "$root" && swift build -c release --product losslang >&2)
fi
[ -x "$LOSSLANG" ] || { echo "loops.sh: no LossLang binary at $LOSSLANG" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs N steps; prints "STEP_US PEAK_KIB".
measure() {
  echo "$1" >"$tmp/steps.csv"
  /usr/bin/time -f "%M" -o "$tmp/rss" "$LOSSLANG" "$here/loops.loss" "$tmp/steps.csv" >"$tmp/out"
  local us
  us=$(sed -n 's/.*step_us=\([0-9.e+-]*\).*/\1/p' "$tmp/out")
  echo "$us $(tail -1 "$tmp/rss")"
}

read -r us_a kib_a < <(measure "$short")
read -r us_b kib_b < <(measure "$long")
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo "adagrad_undetached steps=$short step_us=$us_a peak_rss_mib=$(mib "$kib_a")"
echo "adagrad_undetached steps=$long step_us=$us_b peak_rss_mib=$(mib "$kib_b")"
awk -v a="$us_a" -v b="$us_b" -v ka="$kib_a" -v kb="$kib_b" 'BEGIN {
  ratio = b / a; extra = (kb - ka) / 1024
  ok = ratio <= 1.3 && extra <= 20
  printf "time_ratio=%.2f (limit 1.3) rss_growth_mib=%.1f (limit 20) %s\n", ratio, extra, ok ? "ok" : "FAIL"
  exit ok ? 0 : 1
}'
