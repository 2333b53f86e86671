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
  libhwloc-dev libcpuid-dev libjansson-dev libcurl4-openssl-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  libcmocka-dev python3
  oclgrind
  python3-jsonschema
  openssl
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev valgrind cppcheck help2man file
  clang-tidy clang-format
  chromium
  # the gpu_isa count (bench/gpu_isa.sh): clang, LLVM and libclc of one
  # version (libclc-14 and libclc-19 conflict; 19 knows gfx942 and gfx1100),
  # and hashcat's kernels as the peer
  clang-19 llvm-19 libclc-19 python3-venv hashcat
)

say() { echo "bootstrap: $*" >&2; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
      say "these Debian packages are missing: ${missing[*]}"
      say "this user is not root and there is no sudo: ask an administrator to run"
      say "  apt-get install ${missing[*]}"
      say "then run $0 again (the README lists what each package is for)"
      exit 1
    fi
    sudo=sudo
  fi
  log=$(mktemp)
  say "installing ${#missing[@]} Debian package(s): ${missing[*]}"
  say "apt-get update and install can take a few minutes (log: $log)"
  if ! { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
         $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    say "apt-get failed (log above)"
    exit 1
  fi
  rm -f "$log"
  say "packages installed"
else
  say "all ${#packages[@]} Debian packages are installed"
fi

# nvdisasm for the gpu_isa count (bench/gpu_isa.sh): the PyPI wheel, in a
# project-local venv (.tools/, ignored by git). Without it (no network, no
# PyPI) the gpu_isa test says the NVIDIA count is unavailable and why.
if [ ! -x .tools/venv/bin/python ] || ! ls .tools/venv/lib/python3*/site-packages/nvidia/*/bin/nvdisasm >/dev/null 2>&1; then
  say "installing nvdisasm (PyPI wheel nvidia-cuda-nvdisasm) into .tools/venv"
  if ! { python3 -m venv .tools/venv && .tools/venv/bin/pip install -q nvidia-cuda-nvdisasm; } >.tools.log 2>&1; then
    say "could not install nvdisasm (log: .tools.log); the gpu_isa count will be unavailable for NVIDIA"
  else
    rm -f .tools.log
  fi
fi

jobs=$(nproc 2>/dev/null || echo 2)
# Configure and build DIR, saying so, with the build's progress (the
# percentage lines of the build, one line per tenth); logs are kept only on
# failure, and shown.
build() { # DIR CMAKE_ARGS...
  local dir=$1; shift
  say "configuring $dir/ (cmake -DCMAKE_BUILD_TYPE=Release $*)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log" >&2; say "configure failed (log above)"; exit 1; }
  say "building $dir/ with $jobs jobs"
  local last=-1 pct line
  : >"$dir.build.log"
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$dir.build.log"
    if [[ $line =~ ^\[\ *([0-9]+)%\] ]]; then
      pct=${BASH_REMATCH[1]}
      if [ $((pct / 10)) -gt "$last" ]; then
        last=$((pct / 10))
        say "  $dir/: $pct %"
      fi
    fi
  done < <(cmake --build "$dir" -j "$jobs" 2>&1; printf '\n__rc=%d\n' $?)
  if ! grep -q '^__rc=0$' "$dir.build.log"; then
    cat "$dir.build.log" >&2
    say "build failed (log above)"
    exit 1
  fi
  say "$dir/ is built"
  rm -f "$dir.configure.log" "$dir.build.log"
}

t_build=$SECONDS
mkdir -p build
# compile_commands.json: clang-tidy's view of the build (the static stage)
build build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
HJ=build/hashjoule

if [ "$mode" = run ]; then
  say "running the main job: info, a scan of a real block, a short bench of every backend, fleet"
  echo
  "$HJ" info
  echo
  echo "== block 125552: scan 2000 nonces around the real one at its own target"
  "$HJ" scan --header 0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695 \
    --start 2504433000 --count 2000
  echo
  echo "== hashjoule bench: every backend, short protocol (3 x 2 s after a 1 s warm-up each)"
  # A busy machine gives wrong numbers: wait (up to 30 s) until nothing else
  # runs; bench says so if it never gets quiet, and marks noisy results.
  # The results go to build/ (never the source tree), under a new name each
  # run since bench never overwrites; `hashjoule bench` alone runs the full
  # protocol (about a minute) and writes to $XDG_DATA_HOME/hashjoule/results/.
  bench_out=build/main-job-bench-$(date -u +%Y%m%d-%H%M%S).json
  "$HJ" bench --seconds 2 --repetitions 3 --warmup 1 --wait-quiet 30 --out "$bench_out"
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
