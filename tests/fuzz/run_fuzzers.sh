#!/usr/bin/env bash
# Run every libFuzzer target for a fixed time from its seed corpus.
# Usage: run_fuzzers.sh FUZZ_BUILD_DIR SECONDS_PER_TARGET [JOBS] [TARGET...]
# JOBS targets run at once (default 1). The JSON targets get json.dict.
# Any crash, leak or timeout (10 s per input) fails, with the reproducer
# printed (hex) and kept under FUZZ_BUILD_DIR/fuzz-artifacts/.
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS [JOBS] [TARGET...]}
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS [JOBS] [TARGET...]}
jobs=${3:-1}
shift $(( $# < 3 ? $# : 3 ))
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
json_targets=" results bench_file asics gpus network bitcoin_cli assumptions node_rpc operator_fleet "
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

targets=("$@")
if [ ${#targets[@]} = 0 ]; then
  for bin in "$build"/tests/fuzz/fuzz_*; do targets+=("$(basename "$bin" | sed 's/^fuzz_//')"); done
fi
[ ${#targets[@]} -gt 0 ] || { echo "run_fuzzers: no fuzz_* binaries in $build/tests/fuzz"; exit 1; }

# one NAME: fuzz one target; writes $logs/NAME.status (0 = clean) and $logs/NAME.log
one() {
  local name=$1 bin="$build/tests/fuzz/fuzz_$1" work
  work=$(mktemp -d)
  cp -r "$here/corpus/$name/." "$work/" 2>/dev/null || true
  local dict=()
  [[ $json_targets == *" $name "* ]] && dict=(-dict="$here/json.dict")
  local start=$SECONDS
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    "${dict[@]}" -artifact_prefix="$artifacts/$name-" "$work" >"$logs/$name.log" 2>&1
  echo "$? $((SECONDS - start))" >"$logs/$name.status"
  rm -rf "$work"
}

running=0
for name in "${targets[@]}"; do
  [ -x "$build/tests/fuzz/fuzz_$name" ] || { echo "run_fuzzers: no target fuzz_$name"; exit 1; }
  rm -f "$artifacts/$name-"*
  one "$name" &
  running=$((running + 1))
  if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
for name in "${targets[@]}"; do
  read -r rc took <"$logs/$name.status"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$name.log" | grep -o '[0-9]*$')
  if [ "$rc" != 0 ]; then
    echo "FUZZ FAIL: $name (exit $rc after $took s)"
    grep -E '^(==[0-9]+==|SUMMARY|ERROR|Test unit|#[0-9]+ +0x|    #)' "$logs/$name.log" | head -n 40
    for a in "$artifacts/$name-"*; do
      [ -f "$a" ] || continue
      echo "reproducer $a ($(stat -c %s "$a") bytes; rerun: $build/tests/fuzz/fuzz_$name $a):"
      od -An -c "$a" | head -n 20
    done
    status=1
  else
    echo "fuzz $name: ${runs:-?} inputs in $took s, no crash, leak or timeout"
  fi
done
exit $status
