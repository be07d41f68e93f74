#!/usr/bin/env bash
# Builds the libFuzzer target (parse + evaluate, with AddressSanitizer) and runs it. An
# input starting with `@compile` goes through the embedding API instead: typed inputs
# (`name: dtype[sizes]` lines, then `---`, then the expression) to `Interpreter.compile`,
# then a call (see Sources/Fuzz/FuzzEntry.swift; seeds fuzz/corpus/compile_*).
#
#   scripts/fuzz.sh SECONDS [LIBFUZZER-ARGS...]     e.g. scripts/fuzz.sh 600
#   scripts/fuzz.sh 0 fuzz/artifacts/crash-abc      re-runs one input (SECONDS ignored)
#
# The seeds are the committed fuzz/corpus/ (inputs found nowhere else in the tree) and the
# test scripts, stdlib/ and examples/ as they are; new inputs go to fuzz/work/corpus/ and
# a crash, out-of-memory or timeout input to fuzz/artifacts/ (both ignored by git); the
# run stops at the first one. The entry sandboxes every input (no file access, 1 s, 2^20
# elements per tensor, 256 MiB in all), so runaway programs end as LossLang errors;
# libFuzzer's -timeout and -rss_limit_mb catch what those limits cannot.
# Environment: FUZZ_BUILD (scratch path, default .build-fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:?usage: scripts/fuzz.sh SECONDS [LIBFUZZER-ARGS...]}"
shift
build="${FUZZ_BUILD:-.build-fuzz}"

# SwiftPM passes --sanitize=fuzzer and --sanitize=address to swiftc as two flags, and the
# Swift driver keeps only the last one: the Swift code would get ASan but no coverage.
# The combined -Xswiftc flag comes last and gives both.
log="$(mktemp)"
if ! swift build --product Fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
  --scratch-path "$build" >"$log" 2>&1; then
  grep -v "Cannot export local symbol" "$log" >&2
  rm -f "$log"
  echo "fuzz.sh: build failed" >&2
  exit 1
fi
rm -f "$log"
binary="$build/debug/Fuzz"

# A Swift runtime crash must not start swift-backtrace, which holds the pipe for minutes.
export SWIFT_BACKTRACE=enable=no
# Closures and the scopes they capture form reference cycles by design: no leak reports.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

if [[ $# -gt 0 && -f "$1" ]]; then
  exec "$binary" "$@"
fi

mkdir -p fuzz/work/corpus fuzz/artifacts
exec "$binary" fuzz/work/corpus fuzz/corpus Tests/LossLangTests/Scripts stdlib examples \
  -dict=fuzz/losslang.dict \
  -max_total_time="$seconds" \
  -timeout=20 -rss_limit_mb=3072 -max_len=4096 \
  -artifact_prefix=fuzz/artifacts/ \
  "$@"
