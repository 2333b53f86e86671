#!/usr/bin/env bash
# The OpenCL kernel under oclgrind (a simulator that checks every memory
# access): no invalid access, no data race, no use of uninitialised values,
# no API misuse, over three kernel shapes, launch boundaries and candidate-
# buffer overflows. Skipped (77) when oclgrind is not installed.
# Usage: oclgrind_check.sh PATH/TO/test_opencl_oclgrind
set -u
DRIVER=${1:?usage: oclgrind_check.sh DRIVER}
if ! command -v oclgrind >/dev/null; then
    echo "SKIPPED: oclgrind is not installed (Debian package oclgrind)"
    exit 77
fi
# oclgrind preloads its runtime, so an AddressSanitizer build's runtime is not
# first in the library list; that is harmless here, the check is oclgrind's.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failures=0
# vector iters local launch slots first count top [versions: the version-rolling kernel]
while read -r vector iters local launch slots first count top versions; do
    : >"$log"
    echo "== HJ_VECTOR=$vector HJ_ITERS=$iters local $local, launches of $launch, $slots slots, nonces $first+$count${versions:+, $versions versions}"
    if ! HJ_OPENCL_VECTOR=$vector HJ_OPENCL_ITERS=$iters HJ_OPENCL_LOCAL_SIZE=$local HJ_OPENCL_LAUNCH_NONCES=$launch \
        HJ_OPENCL_HIT_SLOTS=$slots HJ_OPENCL_NO_CACHE=1 \
        oclgrind --check-api --data-races --uninitialized --log "$log" "$DRIVER" "$first" "$count" "$top" $versions; then
        echo "FAIL: the scan under oclgrind failed"
        failures=$((failures + 1))
    fi
    if [ -s "$log" ]; then
        echo "FAIL: oclgrind reported:"
        cat "$log"
        failures=$((failures + 1))
    fi
done <<'SHAPES'
1 2 2 24 4 1000 200 0x7fffffff
4 1 2 24 4 4294967096 200 0x7fffffff
16 1 1 32 8 77 200 0x3fffffff
1 2 2 24 6 1000 60 0x3fffffff 3
4 1 2 24 8 4294967236 60 0x1fffffff 5
SHAPES
[ "$failures" = 0 ] && echo "oclgrind: clean" || echo "$failures failure(s)"
[ "$failures" = 0 ]
