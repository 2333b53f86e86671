#!/usr/bin/env bash
# Run-time dispatch when an instruction set is missing, simulated with
# HJ_CPU_DISABLE (which masks features exactly as a CPU without them would
# look): the kernel is listed as unavailable with the reason, refused by
# `scan` with exit 2 naming that reason, never chosen by `auto`, and its
# kernel test is skipped (exit 77) instead of passing.
# Usage: test_cpu_dispatch.sh PATH/TO/hashjoule PATH/TO/test_kernels
set -u
HJ=${1:?usage: test_cpu_dispatch.sh HASHJOULE TEST_KERNELS}
TK=${2:?usage: test_cpu_dispatch.sh HASHJOULE TEST_KERNELS}
GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
TARGET=00ffffff00000000000000000000000000000000000000000000000000000000
. "$(dirname "$0")/../lib/cli_checks.sh"

# check_disabled LIST KERNEL FEATURE: with HJ_CPU_DISABLE=LIST, KERNEL is out
# for want of FEATURE and auto is some other available kernel.
check_disabled() {
    local list=$1 kernel=$2 feature=$3
    HJ_CPU_DISABLE=$list "$HJ" info --json >"$tmp/info.json" || { fail "info --json with $list disabled"; return; }
    python3 - "$tmp/info.json" "$kernel" "$feature" <<'PY' || fail "info --json with HJ_CPU_DISABLE=$list: $kernel not reported unavailable for $feature"
import json, sys
d = json.load(open(sys.argv[1]))
kernel, feature = sys.argv[2], sys.argv[3]
k = {x["name"]: x for x in d["kernels"]}[kernel]
assert k["available"] is False, k
assert feature in k["unavailable_reason"], k
auto = {x["name"]: x for x in d["kernels"]}[d["auto_kernel"]]
assert auto["name"] != kernel and auto["available"], d["auto_kernel"]
PY
    HJ_CPU_DISABLE=$list "$HJ" scan --header "$GENESIS" --count 100 --kernel "$kernel" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ $rc = 2 ] || fail "scan --kernel $kernel with $list disabled exited $rc, expected 2"
    grep -q "kernel $kernel cannot run on this machine: needs $feature" "$tmp/err" ||
        fail "scan --kernel $kernel with $list disabled: message lacks the reason: $(cat "$tmp/err")"
    [ -s "$tmp/out" ] && fail "scan --kernel $kernel with $list disabled printed results: $(head -c 200 "$tmp/out")"

    # auto still scans, with another kernel, and finds the same hits as avx-free scalar.
    HJ_CPU_DISABLE=$list "$HJ" scan --header "$GENESIS" --start 1000 --count 20000 --target $TARGET --json \
        >"$tmp/auto.json" || fail "auto scan with $list disabled failed"
    "$HJ" scan --header "$GENESIS" --start 1000 --count 20000 --target $TARGET --kernel scalar --json \
        >"$tmp/scalar.json" || fail "scalar scan failed"
    python3 - "$tmp/auto.json" "$tmp/scalar.json" "$kernel" <<'PY' || fail "auto scan with HJ_CPU_DISABLE=$list"
import json, sys
a, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert a["kernel"] != sys.argv[3], a["kernel"]
assert a["complete"] and a["found"] == s["found"] and len(s["found"]) > 10, (a["kernel"], len(a["found"]))
PY

    HJ_CPU_DISABLE=$list "$TK" "$kernel" >"$tmp/tk.out" 2>&1
    rc=$?
    [ $rc = 77 ] || fail "test_kernels $kernel with $list disabled exited $rc, expected 77 (skipped)"
    grep -q "SKIPPED: kernel $kernel cannot run on this machine: needs $feature" "$tmp/tk.out" ||
        fail "test_kernels $kernel with $list disabled: no reason: $(head -c 300 "$tmp/tk.out")"
}

check_disabled avx512 avx512 AVX-512F
check_disabled sha shani SHA-NI
check_disabled sha shani-x4 SHA-NI
check_disabled avx2 avx2 AVX2
check_disabled avx avx2 AVX
check_disabled sse41 sse41 SSE4.1

# With everything off, auto falls back to the portable kernel.
HJ_CPU_DISABLE=sse41,avx,avx2,avx512,sha "$HJ" info --json >"$tmp/info.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["auto_kernel"] == "scalar", d["auto_kernel"]' \
    "$tmp/info.json" || fail "everything disabled: auto is not scalar"

# auto is the highest-ranked available kernel: never one that is disabled,
# and avx2 once avx512 and SHA-NI are gone (where the CPU has AVX2).
HJ_CPU_DISABLE=avx512,sha "$HJ" info --json >"$tmp/info.json"
python3 - "$tmp/info.json" <<'PY' || fail "avx512,sha disabled: auto is not the best remaining kernel"
import json, sys
d = json.load(open(sys.argv[1]))
avail = {k["name"] for k in d["kernels"] if k["available"]}
want = "avx2" if "avx2" in avail else "sse41" if "sse41" in avail else "scalar"
assert d["auto_kernel"] == want, (d["auto_kernel"], want)
PY

finish cpu_dispatch
