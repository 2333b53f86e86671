#!/usr/bin/env bash
# The OpenCL backend through the command line: real block windows, hit sets
# equal to the scalar kernel's across launch boundaries, --device errors, no
# OpenCL platform at all, an injected build failure, a candidate-buffer
# overflow, and the program cache. Skipped (77) without an OpenCL device.
# Usage: test_opencl_cli.sh PATH/TO/hashjoule CACHE_DIR
set -u
HJ=${1:?usage: test_opencl_cli.sh HASHJOULE CACHE_DIR}
. "$(dirname "$0")/../lib/cli_checks.sh"
CACHE=${2:?usage: test_opencl_cli.sh HASHJOULE CACHE_DIR}
B125552=0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695
GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c

if ! "$HJ" info | grep -Eq '^  opencl:[0-9]+:[0-9]+ +available'; then
    echo "SKIPPED: no OpenCL device that can run: $("$HJ" info | grep -E '^  opencl' | head -3)"
    exit 77
fi

# --- no OpenCL platform at all: a clear message, CPU kernels unaffected -------------
mkdir -p "$tmp/no-icd"
export OCL_ICD_VENDORS="$tmp/no-icd"
expect_exit 0 'opencl +no +no OpenCL platform found' -- info
expect_exit 2 'kernel opencl cannot run on this machine: no OpenCL platform found' -- \
    scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
expect_exit 2 'no OpenCL device: no OpenCL platform found' -- \
    scan --header "$B125552" --start 2504433900 --count 100 --device 0:0
expect_exit 0 '^nonce=2504433986 ' -- scan --header "$B125552" --start 2504433900 --count 100 --kernel scalar
unset OCL_ICD_VENDORS

# --- real block: the window finds exactly its nonce ------------------------------------
expect_exit 0 '^nonce=2504433986 hash=00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d$' -- \
    scan --header "$B125552" --start 2504431000 --count 5000 --kernel opencl
[ "$(grep -c '^nonce=' "$tmp/out")" = 1 ] || fail "window scan: expected exactly one hit"
grep -Eq '^summary hashes=5000 .*kernel=opencl:0:0 .*complete=yes' "$tmp/out" || fail "summary: $(cat "$tmp/out")"
expect_exit 0 '^nonce=2504433986 ' -- scan --header "$B125552" --start 2504431000 --count 5000 --device 0:0
expect_exit 0 '^nonce=2504433986 ' -- scan --header "$B125552" --start 2504431000 --count 5000 --kernel opencl:0:0
expect_exit 0 '^nonce=2504433986 ' -- scan --header "$B125552" --start 2504431000 --count 5000 --kernel opencl \
    --device all

# --- a CPU device's default kernel shape: vectors of its native int width -------------
read -r type width < <("$HJ" info --json | python3 -c 'import json, sys
d = json.load(sys.stdin)["opencl"]["devices"][0]
print(d["type"], d["native_vector_width_int"])')
[[ "$width" =~ ^[0-9]+$ ]] || fail "info --json: native_vector_width_int '$width' is not a number"
# (a GPU runs one nonce per lane instead: checked only on a CPU device; a
# width the kernel cannot be built with falls back to 8)
if [ "$type" = cpu ]; then
    case "$width" in 1|2|4|8|16) expect=$width ;; *) expect=8 ;; esac
    env -u HJ_OPENCL_VECTOR -u HJ_OPENCL_ITERS -u HJ_OPENCL_BUILD_OPTIONS HJ_OPENCL_NO_CACHE=1 HJ_OPENCL_VERBOSE=1 \
        HJ_OPENCL_LOCAL_SIZE=8 "$HJ" scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl:0:0 \
        --json >"$tmp/shape.json" 2>"$tmp/err" || fail "verbose scan failed: $(cat "$tmp/err")"
    grep -q -- "-DHJ_VECTOR=$expect -DHJ_ITERS=1 " "$tmp/err" ||
        fail "the CPU device's program is not built with HJ_VECTOR=$expect: $(grep options "$tmp/err")"
    # the host thread that drives a device is not pinned to a core
    python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["per_thread"]
assert len(t) == 1 and t[0]["core"] == -1 and t[0]["pu"] == -1, t' "$tmp/shape.json" ||
        fail "a device scan reports a pinned core: $(cat "$tmp/shape.json")"
fi
grep -q "int vectors of $width;" <("$HJ" info) || fail "info does not show the int vector width $width"

# --- easy target across launch boundaries, the top of the nonce space and a wrap -------
TARGET=03ffffff00000000000000000000000000000000000000000000000000000000
for range in "--start 1000 --count 9999" "--start 4294960000 --count 7296" "--start 4294966000 --count 5000 --wrap"; do
    # shellcheck disable=SC2086
    "$HJ" scan --header "$GENESIS" $range --target $TARGET --kernel scalar --threads 1 >"$tmp/ref" ||
        fail "scalar scan $range"
    # shellcheck disable=SC2086
    HJ_OPENCL_LAUNCH_NONCES=777 "$HJ" scan --header "$GENESIS" $range --target $TARGET --kernel opencl >"$tmp/ocl" ||
        fail "opencl scan $range"
    grep '^nonce=' "$tmp/ref" >"$tmp/ref.hits"
    grep '^nonce=' "$tmp/ocl" >"$tmp/ocl.hits"
    [ -s "$tmp/ref.hits" ] || fail "scan $range: the reference found nothing; the test target is too hard"
    cmp -s "$tmp/ref.hits" "$tmp/ocl.hits" || fail "scan $range: opencl hits differ from scalar's"
    grep -q 'complete=yes' "$tmp/ocl" || fail "scan $range: not complete"
done

# --- opencl:all: PoCL can show two devices (POCL_DEVICES); the range is split over them -----
if POCL_DEVICES="pthread pthread" "$HJ" info | grep -Eq '^  opencl:0:1 +available'; then
    # listed once per device; the group is a name, not a registry entry
    POCL_DEVICES="pthread pthread" "$HJ" info | grep -q 'opencl:all' && fail "info lists opencl:all"
    for range in "--start 1000 --count 29999" "--start 4294960000 --count 7296"; do
        # shellcheck disable=SC2086
        "$HJ" scan --header "$GENESIS" $range --target $TARGET --kernel scalar --threads 1 | grep '^nonce=' >"$tmp/ref.hits"
        # shellcheck disable=SC2086
        POCL_DEVICES="pthread pthread" HJ_OPENCL_LAUNCH_NONCES=999 "$HJ" scan --header "$GENESIS" $range \
            --target $TARGET --kernel opencl:all >"$tmp/ocl" || fail "opencl:all scan $range"
        grep -q 'kernel=opencl:all .*complete=yes' "$tmp/ocl" || fail "opencl:all $range: $(tail -1 "$tmp/ocl")"
        grep '^nonce=' "$tmp/ocl" | cmp -s "$tmp/ref.hits" - || fail "opencl:all $range: hits differ from scalar's"
    done
    POCL_DEVICES="pthread pthread" expect_exit 0 'kernel=opencl:all .*complete=yes' -- \
        scan --header "$B125552" --start 2504431000 --count 5000 --device all
    grep -q '^nonce=2504433986 ' "$tmp/out" || fail "--device all: the block's nonce not found"
else
    echo "note: this OpenCL platform cannot show two devices; opencl:all not tested"
fi

# --- bad --device and flags: exit 2 naming the problem ------------------------------------
expect_exit 2 '--device 9:9: no such OpenCL device; devices: 0:0' -- \
    scan --header "$B125552" --count 10 --device 9:9
expect_exit 2 "--device 'gpu0': expected PLATFORM:DEVICE" -- scan --header "$B125552" --count 10 --device gpu0
# digits only: a sign or a space is not wrapped into a huge number or skipped
expect_exit 2 "--device '0:-1': expected PLATFORM:DEVICE" -- scan --header "$B125552" --count 10 --device 0:-1
expect_exit 2 "--device '0: 0': expected PLATFORM:DEVICE" -- scan --header "$B125552" --count 10 --device '0: 0'
expect_exit 2 'apply to OpenCL kernels, not to --kernel scalar' -- \
    scan --header "$B125552" --count 10 --kernel scalar --device 0:0
expect_exit 2 '--launch-ms' -- scan --header "$B125552" --count 10 --kernel opencl --launch-ms 0
expect_exit 2 '--local-size' -- scan --header "$B125552" --count 10 --kernel opencl --local-size x
expect_exit 2 'local size 65536 is more than this kernel allows' -- \
    scan --header "$B125552" --count 10 --kernel opencl --local-size 65536
HJ_OPENCL_LOCAL_SIZE=abc expect_exit 2 "HJ_OPENCL_LOCAL_SIZE='abc'" -- scan --header "$B125552" --count 10 --kernel opencl
HJ_OPENCL_VECTOR=3 expect_exit 2 'HJ_OPENCL_VECTOR=3' -- scan --header "$B125552" --count 10 --kernel opencl

# --- an injected build failure: exit 3 with the build log, no result ---------------------
HJ_OPENCL_BUILD_OPTIONS=-DHJ_ITERS=injected_failure expect_exit 3 'failed to build.*build log' -- \
    scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
grep -q 'injected_failure' "$tmp/err" || fail "the build error does not show the build log: $(cat "$tmp/err")"
grep -q '^nonce=' "$tmp/out" && fail "a failed build printed hits"

# --- a candidate buffer that overflows: a message, and still the exact hit set -----------
"$HJ" scan --header "$GENESIS" --start 1000 --count 9999 --target $TARGET --kernel scalar --threads 1 |
    grep '^nonce=' >"$tmp/ref.hits"
HJ_OPENCL_HIT_SLOTS=5 HJ_OPENCL_LAUNCH_NONCES=2000 expect_exit 0 'overflowed in [0-9]+ launch.*no candidate was lost' -- \
    scan --header "$GENESIS" --start 1000 --count 9999 --target ffffffff00000000000000000000000000000000000000000000000000000000 \
    --kernel opencl --max-hits 20000
HJ_OPENCL_HIT_SLOTS=5 HJ_OPENCL_LAUNCH_NONCES=2000 "$HJ" scan --header "$GENESIS" --start 1000 --count 9999 \
    --target $TARGET --kernel opencl 2>"$tmp/err" | grep '^nonce=' >"$tmp/ocl.hits"
cmp -s "$tmp/ref.hits" "$tmp/ocl.hits" || fail "overflow: hits differ from scalar's"
grep -q 'overflowed' "$tmp/err" || fail "overflow: no message: $(cat "$tmp/err")"

# --- the program cache: built once, then loaded; a damaged file is rebuilt -----------------
rm -rf "$CACHE"
export HJ_OPENCL_CACHE_DIR="$CACHE" HJ_OPENCL_VERBOSE=1
expect_exit 0 'program built from source' -- scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
ls "$CACHE"/opencl-*.bin >/dev/null 2>&1 || fail "no program binary in $CACHE"
expect_exit 0 'program loaded from the cache' -- scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
# a truncated file, then a well-formed file whose binary is garbage
for damage in truncated garbage; do
    for f in "$CACHE"/opencl-*.bin; do
        if [ $damage = truncated ]; then
            head -c 100 "$f" >"$tmp/cut" && cat "$tmp/cut" >"$f"
        else
            python3 -c 'import struct,sys; sys.stdout.buffer.write(b"HJCLBIN1" + struct.pack("<Q", 4096) + bytes(range(256)) * 16)' >"$f"
        fi
    done
    expect_exit 0 'unusable; rebuilding' -- scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
    grep -q '^nonce=2504433986 ' "$tmp/out" || fail "after a $damage cache file: wrong result"
done
chmod -R a-w "$CACHE" 2>/dev/null
rm -rf "$CACHE"
mkdir -p "$CACHE"
touch "$CACHE/blocker"
HJ_OPENCL_CACHE_DIR="$CACHE/blocker/sub" expect_exit 0 'could not write the program cache' -- \
    scan --header "$B125552" --start 2504433900 --count 100 --kernel opencl
grep -q '^nonce=2504433986 ' "$tmp/out" || fail "an unusable cache directory changed the result"
unset HJ_OPENCL_CACHE_DIR HJ_OPENCL_VERBOSE

finish opencl_cli
