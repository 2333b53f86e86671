#!/usr/bin/env bash
# clang-tidy (checks and reasons in .clang-tidy) on hashjoule's own sources,
# one clang-tidy per file, as many at a time as there are cores.
# Usage: tests/static/clang-tidy.sh BUILD_DIR [FILE...]
#   BUILD_DIR: a build configured with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and
#   built once (the generated sources must exist). Default files: every .c
#   under src/ and kernels/. Exit 1 on any finding.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: clang-tidy.sh BUILD_DIR [FILE...]}
shift
command -v clang-tidy >/dev/null || { echo "clang-tidy: not installed (Debian: clang-tidy)" >&2; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: $build/compile_commands.json missing (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files 'src/*.c' 'kernels/*.c')
# One output file per source file, so the parallel runs cannot interleave
# their lines; the compiler's own noise goes to /dev/null, the findings are
# picked out below.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\0' "${files[@]}" |
    xargs -0 -n 1 -P "$(nproc 2>/dev/null || echo 2)" sh -c \
        'clang-tidy -p "$1" --quiet "$3" >"$2/$(printf %s "$3" | tr / _).out" 2>/dev/null; exit 0' sh "$build" "$tmp"
out=$(cat "$tmp"/*.out 2>/dev/null | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' | sed "s|^$PWD/||" | sort -u)
if [ -n "$out" ]; then
    echo "$out"
    echo "clang-tidy: $(echo "$out" | wc -l) finding(s)"
    exit 1
fi
echo "clang-tidy: no finding in ${#files[@]} file(s)"
