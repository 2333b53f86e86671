#!/usr/bin/env bash
# Run every libFuzzer target for a fixed time from its seed corpus.
# Usage: run_fuzzers.sh FUZZ_BUILD_DIR SECONDS_PER_TARGET
# Any crash, leak or timeout fails, with the reproducer input printed (hex).
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  name=$(basename "$bin"); name=${name#fuzz_}
  work=$(mktemp -d)
  cp -r "$here/corpus/$name/." "$work/" 2>/dev/null || true
  start=$(date +%s)
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$work/" "$work" >"$work.log" 2>&1; then
    echo "FUZZ FAIL: $name"; tail -n 40 "$work.log"
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
      [ -f "$a" ] && { echo "reproducer $a:"; od -An -tx1 "$a" | head -n 20; }
    done
    status=1
  else
    echo "fuzz $name: $(grep -o 'Done [0-9]* runs' "$work.log" | tail -n1) in $(( $(date +%s) - start )) s, no failure"
  fi
  rm -rf "$work" "$work.log"
done
exit $status
