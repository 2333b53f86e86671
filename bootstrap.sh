#!/usr/bin/env bash
# hashjoule set-up in one step, for a fresh Debian 12 machine (as root, or a
# user with sudo). Installs the Debian packages that are missing (quiet when
# all are there), builds, then:
#   ./bootstrap.sh          runs the main job on the embedded defaults
#   ./bootstrap.sh test     runs the whole test suite (Release and
#                           AddressSanitizer+UBSan builds) through ctest,
#                           then the fuzzers and the static checks
#                           (cppcheck, clang-format, clang-tidy)
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-run}
case "$mode" in run|test) ;; *) echo "usage: $0 [run|test]" >&2; exit 2 ;; esac

# Build tools, the libraries hashjoule links, PoCL so OpenCL runs on the CPU,
# and the tools the tests and benchmarks call.
packages=(
  build-essential cmake pkg-config git
  libhwloc-dev libcpuid-dev libjansson-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  libcmocka-dev python3
  oclgrind
  python3-jsonschema
  openssl
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev valgrind cppcheck help2man file
  clang-tidy clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: run as root, or install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  log=$(mktemp)
  if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "bootstrap: apt-get failed (log above)" >&2
    exit 1
  fi
  rm -f "$log"
fi

jobs=$(nproc 2>/dev/null || echo 2)
build() { # DIR CMAKE_ARGS...
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log" >&2; exit 1; }
  cmake --build "$dir" -j "$jobs" >"$dir.build.log" 2>&1 || { cat "$dir.build.log" >&2; exit 1; }
  rm -f "$dir.configure.log" "$dir.build.log"
}

t_build=$SECONDS
mkdir -p build
# compile_commands.json: clang-tidy's view of the build (the static stage)
build build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
HJ=build/hashjoule

if [ "$mode" = run ]; then
  "$HJ" info
  echo
  echo "== block 125552: scan 2000 nonces around the real one at its own target"
  "$HJ" scan --header 0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695 \
    --start 2504433000 --count 2000
  echo
  echo "== hashjoule bench: every backend, short protocol (3 x 2 s after a 1 s warm-up each)"
  # The results go to build/ (never the source tree), under a new name each
  # run since bench never overwrites; `hashjoule bench` alone runs the full
  # protocol (about a minute) and writes to results/.
  bench_out=build/main-job-bench-$(date -u +%Y%m%d-%H%M%S).json
  "$HJ" bench --seconds 2 --repetitions 3 --warmup 1 --out "$bench_out"
  echo
  echo "== fleet: what a megawatt earns, on the embedded defaults plus this machine's measured rows"
  "$HJ" fleet --bench "$bench_out"
  exit 0
fi

# Tests, stage by stage, each timed: the Release build's suite (with the CLI
# under valgrind), the same suite under ASan + UBSan, the libFuzzer targets
# (clang) for a fixed time each, and the static checks on the project's own
# code: cppcheck, the tree formatted as .clang-format says, clang-tidy.
t_all=$t_build
t_stage=$t_build
timings=()
stage_done() { timings+=("$(printf '%-44s %4d s' "$1" $((SECONDS - t_stage)))"); echo "== $1: $((SECONDS - t_stage)) s"; t_stage=$SECONDS; }
stage_done "Release build"
(cd build && ctest --output-on-failure -j "$jobs")
stage_done "Release suite (ctest, valgrind included)"
mkdir -p build-sanitize
build build-sanitize -DHJ_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
stage_done "sanitizer build"
(cd build-sanitize && ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs")
stage_done "sanitizer suite (ASan + UBSan)"
mkdir -p build-fuzz
CC=clang build build-fuzz -DHJ_FUZZ=ON -DHJ_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
stage_done "fuzz build (clang, libFuzzer + ASan + UBSan)"
# 20 s per target, two at a time; a crash, leak or timeout fails with the reproducer printed.
tests/fuzz/run_fuzzers.sh build-fuzz "${HJ_FUZZ_SECONDS:-20}" "$jobs"
stage_done "fuzzers (${HJ_FUZZ_SECONDS:-20} s each)"
tests/static/cppcheck.sh
stage_done "cppcheck"
tests/static/clang-format.sh
stage_done "clang-format (the tree stays formatted)"
# the Release build's compile commands; one clang-tidy per core
tests/static/clang-tidy.sh build
stage_done "clang-tidy"
echo
echo "== test stages"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - t_all)) s"
