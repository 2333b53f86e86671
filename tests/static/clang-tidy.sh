#!/usr/bin/env bash
# clang-tidy (checks and reasons in .clang-tidy) on hashjoule's own sources,
# one clang-tidy per file, as many at a time as there are cores.
# Usage: tests/static/clang-tidy.sh BUILD_DIR [FILE...]
#   BUILD_DIR: a build configured with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and
#   built once (the generated sources must exist); ./bootstrap.sh test uses
#   its Release build. Default files: every .c under src/ and kernels/.
#   Exit 1 on any finding. Needs Debian's clang-tidy (14) and python3.
set -uo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: clang-tidy.sh BUILD_DIR [FILE...]}
shift
command -v clang-tidy >/dev/null || { echo "clang-tidy: not installed (Debian: clang-tidy)" >&2; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: $build/compile_commands.json missing (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 1; }
files=("$@")
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(git ls-files 'src/*.c' 'kernels/*.c')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A build with the tests compiles some sources again for test programs (same
# flags); clang-tidy would check a file once per entry, so keep the first.
python3 - "$build/compile_commands.json" "$tmp/compile_commands.json" <<'EOF'
import json, sys
seen, kept = set(), []
for entry in json.load(open(sys.argv[1])):
    if entry["file"] not in seen:
        seen.add(entry["file"])
        kept.append(entry)
json.dump(kept, open(sys.argv[2], "w"))
EOF
[ $? = 0 ] || { echo "clang-tidy: cannot read $build/compile_commands.json" >&2; exit 1; }
# One output file per source file, so the parallel runs cannot interleave
# their lines; the compiler's own noise goes to /dev/null, the findings are
# picked out below. A run that fails (a crash, a file that does not compile)
# leaves its exit status behind: it must not pass as "no finding".
mkdir "$tmp/out"
printf '%s\0' "${files[@]}" |
    xargs -0 -n 1 -P "$(nproc 2>/dev/null || echo 2)" sh -c \
        'o="$2/$(printf %s "$3" | tr / _)"; clang-tidy -p "$1" --quiet "$3" >"$o.out" 2>"$o.err" || echo "$3" >"$o.failed"; exit 0' \
        sh "$tmp" "$tmp/out"
out=$(cat "$tmp"/out/*.out 2>/dev/null | grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' | sed "s|^$PWD/||" | sort -u)
failed=$(cat "$tmp"/out/*.failed 2>/dev/null)
if [ -n "$failed" ] && [ -z "$out" ]; then
    for f in $failed; do
        echo "clang-tidy failed on $f:"
        tail -5 "$tmp/out/$(printf %s "$f" | tr / _).err"
    done
    exit 1
fi
if [ -n "$out" ]; then
    echo "$out"
    echo "clang-tidy: $(echo "$out" | wc -l) finding(s)"
    exit 1
fi
echo "clang-tidy: no finding in ${#files[@]} file(s)"
