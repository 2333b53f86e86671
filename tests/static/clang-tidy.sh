#!/usr/bin/env bash
# clang-tidy (checks and reasons in .clang-tidy) on hashjoule's own sources.
# Usage: tests/static/clang-tidy.sh BUILD_DIR [FILE...]
#   BUILD_DIR: a build configured with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and
#   built once (the generated sources must exist). Default files: every .c
#   under src/ and kernels/. Exit 1 on any finding.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: clang-tidy.sh BUILD_DIR [FILE...]}
shift
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: $build/compile_commands.json missing (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files 'src/*.c' 'kernels/*.c')
out=$(clang-tidy -p "$build" --quiet "${files[@]}" 2>/dev/null | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):')
if [ -n "$out" ]; then
    echo "$out"
    echo "clang-tidy: $(echo "$out" | wc -l) finding(s)"
    exit 1
fi
echo "clang-tidy: no finding in ${#files[@]} file(s)"
