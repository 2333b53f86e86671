#!/usr/bin/env bash
# The CLI smoke tests under valgrind's memcheck: no invalid access, no use of
# uninitialised memory, no definite or indirect leak, on representative
# commands (hash, a small scan, info with OpenCL, a short bench with its meter
# thread, compare, fleet) and on bad-input paths (exit 2 must not leak either).
# Runs on the Release build (valgrind cannot run an ASan binary); skipped (77)
# without valgrind or on a sanitizer build.
# Usage: test_valgrind.sh HASHJOULE SANITIZED(ON|OFF)
set -u
HJ=$(realpath "${1:?usage: test_valgrind.sh HASHJOULE SANITIZED}")
sanitized=${2:-OFF}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$sanitized" = ON ]; then
    echo "skipped: this is a sanitizer build; valgrind runs on the Release build"
    exit 77
fi
command -v valgrind >/dev/null || { echo "skipped: valgrind is not installed (Debian: valgrind)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export HJ_SYSFS_ROOT="$tmp/nosys" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
# PoCL (LLVM) is slow to load under valgrind: only `info` loads the OpenCL
# platforms; every other command sees none (an empty ICD vendor directory).
mkdir -p "$tmp/no-icd"
export OCL_ICD_VENDORS="$tmp/no-icd"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --suppressions="$here/valgrind.supp")

# vg WANT_RC ARGS...: run hashjoule under memcheck, expect exit WANT_RC (a regex such as "0|3"; 99 is memcheck's)
vg() {
    local want=$1
    shift
    local start=$SECONDS
    "${VG[@]}" "$HJ" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc = 99 ]; then
        fail "memcheck found errors in: hashjoule $*"
        grep '^==' "$tmp/err" | head -n 60
    elif ! [[ $rc =~ ^($want)$ ]]; then
        fail "hashjoule $* under valgrind: exit $rc, expected $want: $(head -c 400 "$tmp/err")"
    else
        echo "ok ($((SECONDS - start)) s): hashjoule $*"
    fi
}

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
B125552=0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695

vg 0 hash $GENESIS
grep -q 000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f "$tmp/out" || fail "hash: wrong output"
vg 2 hash 0100
vg 0 scan --header $B125552 --start 2504433900 --count 200 --threads 2
grep -q 'nonce=2504433986' "$tmp/out" || fail "scan: block 125552's nonce not found: $(cat "$tmp/out")"
vg 0 scan --header $B125552 --start 4294967200 --count 200 --wrap --json --kernel scalar --target 00ff$(printf 'f%.0s' {1..60})
vg 2 scan --header $B125552 --bits 0x00000000
OCL_ICD_VENDORS=/etc/OpenCL/vendors vg 0 info --json
# Under memcheck the scalar kernel is ~50x slower: 2 s lets a repetition finish
# work; on a loaded machine it may not, and bench then fails the kernel (exit 3)
# with the reason. What this check is for is memcheck's verdict.
vg "0|3" bench --kernel scalar --threads 1 --seconds 2 --repetitions 1 --warmup 0 --quiet --power-watts 50 \
    --out "$tmp/vg-bench.json"
# compare and fleet --bench on files written without valgrind (faster)
"$HJ" bench --kernel scalar --threads 1 --seconds 0.1 --repetitions 3 --warmup 0 --quiet --out "$tmp/a.json" >/dev/null 2>&1
"$HJ" bench --kernel scalar --threads 1 --seconds 0.1 --repetitions 3 --warmup 0 --quiet --out "$tmp/b.json" >/dev/null 2>&1
vg 0 compare "$tmp/a.json" "$tmp/b.json" --threshold 50
head -c 300 "$tmp/a.json" >"$tmp/trunc.json"
vg 2 compare "$tmp/a.json" "$tmp/trunc.json"
vg 0 fleet --json
vg 0 fleet --bench "$tmp/vg-bench.json" --scenario all --csv
echo '{"schema": "hashjoule-asics/1", "asics": [{"model": "x"}]}' >"$tmp/bad-asics.json"
vg 2 fleet --asics "$tmp/bad-asics.json"
# the operator's own fleet: read (CSV and JSON), refused in the parser and at a site's capacity
vg 0 fleet --fleet "$here/../fleet/fixtures/fleet_good.csv" --explain
vg 0 fleet --fleet "$here/../fleet/fixtures/fleet_good.json" --json
vg 2 fleet --fleet "$here/../fleet/fixtures/fleet_bad_model.csv"
vg 2 fleet --fleet "$here/../fleet/fixtures/fleet_over_capacity.csv"

if [ $failures -gt 0 ]; then
    echo "$failures valgrind check(s) failed"
    exit 1
fi
echo "all valgrind checks passed"
