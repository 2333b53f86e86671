#!/usr/bin/env bash
# cppcheck on hashjoule's own code: src/, kernels/cpu/, include/ (not the
# tests, not generated files). Checks: warning, style, portability,
# performance. Exit 1 on any finding not in .cppcheck/suppressions.txt.
# Usage: tests/static/cppcheck.sh   (from anywhere; needs Debian's cppcheck)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v cppcheck >/dev/null || { echo "cppcheck: not installed (Debian: cppcheck)" >&2; exit 1; }
dirs=(src include)
[ -d kernels/cpu ] && dirs+=(kernels/cpu)
cppcheck --enable=warning,style,portability,performance --std=c11 --quiet --inline-suppr \
    --error-exitcode=1 -j "$(nproc 2>/dev/null || echo 2)" \
    --library=.cppcheck/jansson.cfg --suppressions-list=.cppcheck/suppressions.txt \
    -I include -I src/common -I kernels/cpu -D__x86_64__ -D_GNU_SOURCE -DCL_TARGET_OPENCL_VERSION=120 \
    "${dirs[@]}"
echo "cppcheck: no finding in ${dirs[*]}"
