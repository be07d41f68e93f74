#!/usr/bin/env bash
# Measures W1's peak memory: the most resident memory (VmHWM) while benchmarks/peak_memory.loss
# runs W1_focal's step (loss and both gradients) 6 times, against the resident memory (VmRSS)
# of the same process before and after it loads the inputs. The script pauses on FIFOs so that
# this driver reads /proc/PID/status at those points and resets VmHWM (/proc/PID/clear_refs).
#
#   benchmarks/peak_memory.sh [DIR]     # DIR: written by peers.py --save (default /tmp/losslang-bench-data)
#
# LOSSLANG names the binary (default: the repository's .build/release/losslang). Prints MiB:
# inputs (RSS growth from loading x and t), the load's transient peak, and the steps' peak
# above the process before loading (inputs included) and above the process after loading.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/losslang-bench-data}
losslang=${LOSSLANG:-$(dirname "$here")/.build/release/losslang}
[ -x "$losslang" ] || { echo "peak_memory.sh: no LossLang binary at $losslang" >&2; exit 1; }

fifos=$(mktemp -d)
trap 'rm -rf "$fifos"' EXIT
mkfifo "$fifos/start" "$fifos/loaded" "$fifos/done"
"$losslang" "$here/peak_memory.loss" "$dir" "$fifos/start" "$fifos/loaded" "$fifos/done" &
pid=$!

# Waits until the script opens FIFO $1 (it is paused there), prints its VmRSS and VmHWM in
# KiB, resets the high-water mark to the current RSS, and lets the script go on.
pause() {
  exec 3>"$fifos/$1"
  awk '$1 == "VmRSS:" { rss = $2 } $1 == "VmHWM:" { hwm = $2 } END { print rss, hwm }' "/proc/$pid/status"
  echo 5 >"/proc/$pid/clear_refs"
  echo 0 >&3
  exec 3>&-
}

read -r start _ < <(pause start)
read -r loaded load_peak < <(pause loaded)
read -r _ peak < <(pause done)
wait "$pid"

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo "W1_focal inputs_mib=$(mib $((loaded - start))) load_peak_mib=$(mib $((load_peak - start)))" \
  "step_peak_mib=$(mib $((peak - start))) step_peak_above_loaded_mib=$(mib $((peak - loaded)))"
