#!/usr/bin/env bash
# The tree stays formatted with .clang-format: every .c and .h under src/,
# include/, kernels/cpu/, tests/ and bench/ (not kernels/opencl/*.cl, laid out by hand
# to match the host's argument table). Exit 1 naming each file that drifted.
# The reference is Debian 12's clang-format (14); another version may
# disagree on a few lines. Fix with: clang-format -i FILE...
# Usage: tests/static/clang-format.sh   (from anywhere)
set -uo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null || { echo "clang-format: not installed (Debian: clang-format)" >&2; exit 1; }
mapfile -t files < <(git ls-files 'src/*.[ch]' 'include/*.h' 'kernels/cpu/*.[ch]' 'tests/*.[ch]' 'bench/*.c')
if ! out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1); then
    bad=$(echo "$out" | grep -oE '^[^ :]+:[0-9]+:[0-9]+: (error|warning):' | cut -d: -f1 | sort -u)
    if [ -z "$bad" ]; then # not a formatting report: show clang-format's own message
        echo "$out" >&2
        exit 1
    fi
    echo "$bad" | sed 's/^/not formatted: /'
    echo "clang-format: $(echo "$bad" | wc -l) file(s) differ from .clang-format; run clang-format -i on them"
    exit 1
fi
echo "clang-format: ${#files[@]} file(s) checked, all formatted as .clang-format says"
