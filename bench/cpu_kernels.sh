#!/usr/bin/env bash
# CPU kernel benchmark: every kernel this machine can run, at 1 thread and on
# all physical cores, next to OpenSSL's single-stream SHA-256 in the same run.
#
# Usage: bench/cpu_kernels.sh [--save] [--reps N] [--seconds S] [--kernels a,b,...] [--versions V]
#                              [--callgrind] [HASHJOULE]
#   HASHJOULE   the binary (default: build/hashjoule next to this script)
#   --reps N    repetitions per measurement; medians are reported (default 5)
#   --seconds S target length of each run (default 3)
#   --kernels   only these kernels (default: every available CPU kernel)
#   --versions  version rolling (BIP 320): also measure each kernel rolling V
#               versions (scan --versions V), side by side with its single-
#               version rate in the same rounds; default: each kernel's best
#               (info --json best_versions), only kernels whose best is above
#               1; 1 measures no rolling
#   --callgrind also count instructions per nonce (and per hash rolling
#               versions) with valgrind's callgrind (repeatable where timings
#               are not); valgrind's virtual CPU lacks AVX-512 and SHA-NI, so
#               those kernels are counted by single-stepping one kernel call
#               with insn_count (built next to HASHJOULE), which counts the
#               kernel alone where callgrind counts the whole process
#   --save      also write the report to results/cpu-kernels-<host>-<date>.txt
#               (-<date>T<time> when that exists: an earlier report is never replaced)
#               (atomically: a temporary file linked to its name at the end)
#
# Every measurement holds /tmp/hashjoule-bench.lock, so benchmarks that take
# the lock do not overlap. Other work on a shared machine still steals CPU
# time: the report records the load before and after, every single run and
# two rates for each: per wall-clock second (what `scan` prints) and per
# CPU-second of the process (user + system time), which time-slicing does not
# change. `openssl speed` divides by CPU user time too, so the OpenSSL ratio
# compares CPU-second rates.
#
# What is measured:
#   - `hashjoule scan --json` over a fixed range from nonce 0 at an easy target
#     (top 32 bits 0x0000ffff: ~1 hit per 65,536 nonces, every hit re-verified),
#     sized from a probe run so that each run takes about S seconds;
#   - `openssl speed -evp sha256 -bytes 16384 -seconds S`, one stream; one
#     SHA-256 compression per 64 bytes, so compressions/s = bytes/s / 64;
#   - cycles per nonce: `perf stat -e cycles` of the 1-thread run where the
#     PMU is readable; else the clock measured right after each 1-thread run
#     (`bench/vector_ports.c --clock`: a dependent ADD chain, one per cycle)
#     times the run's CPU seconds; else (no C compiler, not x86-64) the
#     nominal clock from /proc/cpuinfo (labelled NOMINAL: turbo makes the
#     real clock higher);
#   - on CPUs with SHA-NI, SHA256RNDS2's latency and issue interval
#     (bench/rnds2_probe.c, needs a C compiler), which bound the shani kernel;
#   - on CPUs with AVX2, the clock and how many 256-bit adds/xors and shifts
#     complete per cycle (bench/vector_ports.c), which bound the avx2 kernel.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
reps=5
seconds=3
kernels=""
versions=""
save=0
callgrind=0
hj=""
while [ $# -gt 0 ]; do
    case "$1" in
    --reps) reps=${2:?--reps needs a number}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --kernels) kernels=${2:?--kernels needs a list}; shift 2 ;;
    --versions) versions=${2:?--versions needs a number}; shift 2 ;;
    --save) save=1; shift ;;
    --callgrind) callgrind=1; shift ;;
    -h | --help) sed -n '2,50p' "$0"; exit 0 ;;
    -*) echo "cpu_kernels.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) hj=$1; shift ;;
    esac
done
hj=${hj:-$root/build/hashjoule}
[ -x "$hj" ] || { echo "cpu_kernels.sh: $hj is not an executable hashjoule (build first, or pass its path)" >&2; exit 2; }
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || { echo "cpu_kernels.sh: --reps: '$reps' is not a positive integer" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "cpu_kernels.sh: --seconds: '$seconds' is not a positive integer" >&2; exit 2; }
[ -z "$versions" ] || [[ "$versions" =~ ^[1-9][0-9]*$ && "$versions" -le 65536 ]] ||
    { echo "cpu_kernels.sh: --versions: '$versions' is not a count in 1..65536" >&2; exit 2; }
command -v python3 >/dev/null || { echo "cpu_kernels.sh: needs python3" >&2; exit 2; }
command -v openssl >/dev/null || { echo "cpu_kernels.sh: needs openssl (Debian package openssl)" >&2; exit 2; }

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
# The same header with the BIP 9 version 0x20000000, whose bits 13..28 may be rolled.
GENESIS_BIP9=00000020${GENESIS:8}
TARGET=0000ffff00000000000000000000000000000000000000000000000000000000
LOCK=/tmp/hashjoule-bench.lock
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.txt

locked() { flock "$LOCK" "$@"; }
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }
calc() { python3 -c "print($1)"; }
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
mega() { python3 -c 'import sys; print(" ".join("%.2f" % (float(x) / 1e6) for x in sys.argv[1:]))' "$@"; }

"$hj" info --json >"$tmp/info.json"
cores=$(json_get "$tmp/info.json" 'd["topology"]["cores"]')
pus=$(json_get "$tmp/info.json" 'd["topology"]["pus"]')
all_cpu=$(json_get "$tmp/info.json" '",".join(k["name"] for k in d["kernels"] if k["kind"] == "cpu")')
for k in ${kernels//,/ }; do
    [[ ",$all_cpu," == *",$k,"* ]] || { echo "cpu_kernels.sh: --kernels: no CPU kernel named '$k' (have: $all_cpu)" >&2; exit 2; }
done
if [ -z "$kernels" ]; then
    kernels=$(json_get "$tmp/info.json" '",".join(k["name"] for k in d["kernels"] if k["kind"] == "cpu" and k["available"])')
fi
IFS=, read -r -a klist <<<"$kernels"
# vers[k]: the versions kernel k rolls in the rolled runs (unset: not measured rolling)
declare -A vers
for k in "${klist[@]}"; do
    v=${versions:-$(json_get "$tmp/info.json" "[x.get('best_versions', 1) for x in d['kernels'] if x['name'] == '$k'][0]")}
    [ "$v" -gt 1 ] && vers[$k]=$v
done

# The clock: perf's cycle counter if this machine exposes it, else measured
# with a dependent ADD chain after each 1-thread run, else nominal.
clock_src="nominal"
if command -v perf >/dev/null && perf stat -x, -e cycles true 2>&1 >/dev/null | grep -Eq '^[0-9]+,'; then
    clock_src="perf"
elif command -v cc >/dev/null && cc -O2 -o "$tmp/clock" "$here/vector_ports.c" 2>/dev/null &&
    "$tmp/clock" --clock | grep -Eq '^[0-9.]+$'; then
    clock_src="measured"
fi
nominal_mhz=$(awk -F: '/^cpu MHz/ {gsub(/ /, "", $2); print $2; exit}' /proc/cpuinfo)

# scan KERNEL THREADS COUNT [VERSIONS] -> "wall_rate cpu_rate cycles" (cycles "-" without perf); rates are
# hashes (versions x nonces) per second
scan() {
    local k=$1 t=$2 n=$3 v=${4:-0} out=$tmp/scan.json cycles=- cmd
    cmd=("$hj" scan --header $GENESIS --start 0 --count "$n" --target $TARGET --kernel "$k" --threads "$t" --json)
    [ "$v" -gt 0 ] && cmd=("$hj" scan --header "$GENESIS_BIP9" --start 0 --count "$n" --versions "$v" --version-start 0
        --target $TARGET --kernel "$k" --threads "$t" --json)
    if [ "$clock_src" = perf ] && [ "$t" = 1 ]; then
        cmd=(perf stat -x, -e cycles -o "$tmp/perf.txt" -- "${cmd[@]}")
    fi
    local TIMEFORMAT='%U %S'
    { time locked "${cmd[@]}" >"$out" 2>"$tmp/scan.err"; } 2>"$tmp/time.txt" ||
        { echo "cpu_kernels.sh: scan with $k failed: $(cat "$tmp/scan.err")" >&2; return 3; }
    [ "$(json_get "$out" 'd["complete"]')" = True ] || { echo "cpu_kernels.sh: scan with $k did not complete" >&2; return 3; }
    [ "$clock_src" = perf ] && [ "$t" = 1 ] && cycles=$(awk -F, '$3 ~ /^cycles/ {print $1; exit}' "$tmp/perf.txt")
    local cpu_s
    cpu_s=$(awk '{print $1 + $2}' "$tmp/time.txt")
    if [ "$clock_src" = measured ] && [ "$t" = 1 ]; then
        local ghz
        ghz=$(locked "$tmp/clock" --clock 2>/dev/null) || ghz=""
        # A failed reading leaves this run without cycles (the column falls
        # back to the nominal clock only if every run of the kernel failed).
        [[ "$ghz" =~ ^[0-9]+(\.[0-9]+)?$ ]] && cycles=$(calc "$ghz * 1e9 * $cpu_s")
    fi
    echo "$(json_get "$out" 'd["hashes_per_second"]') $(calc "$n * max($v, 1) / max($cpu_s, 1e-3)") $cycles"
}

openssl_cps() { # compressions per CPU-second of one openssl speed run [-multi N]
    locked openssl speed "$@" -evp sha256 -bytes 16384 -seconds "$seconds" 2>/dev/null |
        awk '/^sha256 / {v=$2; sub(/k$/, "", v); printf "%.0f\n", v * 1000 / 64}'
}
# The machine's own scaling, for comparison: openssl speed -multi CORES (one
# process per core, rates summed) over a single stream, measured back to back.
openssl_scaling() {
    local one many
    one=$(openssl_cps)
    many=$(openssl_cps -multi "$cores")
    calc "$many / $one"
}

# Everything printed goes to stdout and to the report.
say() { printf '%s\n' "$@" | tee -a "$report"; }

say "# hashjoule CPU kernels — bench/cpu_kernels.sh" \
    "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "host:      $(hostname)" \
    "hashjoule: $("$hj" --version)" \
    "cpu:       $(json_get "$tmp/info.json" 'd["cpu"]["brand"]'); $cores core(s), $pus PU(s); nominal clock ${nominal_mhz} MHz (/proc/cpuinfo)" \
    "openssl:   $(openssl version)" \
    "command:   bench/cpu_kernels.sh --reps $reps --seconds $seconds --kernels $kernels" \
    "load before: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); busiest processes (%CPU):"
say "$(ps -eo pcpu=,comm= --sort=-pcpu | head -4 | sed 's/^/    /')"
say "method:    scan --json from nonce 0, target top 0x0000ffff, each run ~${seconds}s; medians of $reps runs" \
    "           rolled: the same with --versions V (the header with version 0x20000000, bits 13..28 = 0..V-1)," \
    "           in the same rounds as the single-version runs; rates count hashes (versions x nonces)" \
    "           OpenSSL: speed -evp sha256 -bytes 16384 -seconds $seconds, one stream, compressions/s = bytes/s / 64"
if [ "$clock_src" = perf ]; then
    say "           cycles per nonce: perf stat -e cycles of the 1-thread run (whole process)"
elif [ "$clock_src" = measured ]; then
    say "           cycles per nonce: CPU seconds x the clock measured right after each 1-thread run" \
        "           (bench/vector_ports.c --clock, dependent ADD chain); perf has no cycle counter here"
else
    say "           cycles per nonce: NOMINAL ${nominal_mhz} MHz / (nonces per CPU-second); perf has no cycle counter here"
fi

# probe LABEL KERNEL SOURCE NOTE: compile bench/SOURCE and report its line
# when KERNEL is available here (the probe bounds that kernel).
probe() {
    local label=$1 kernel=$2 src=$3 note=$4 out
    [ "$(json_get "$tmp/info.json" "any(k['name'] == '$kernel' and k['available'] for k in d['kernels'])")" = True ] || return 0
    if command -v cc >/dev/null && cc -O2 -o "$tmp/probe" "$here/$src" 2>"$tmp/cc.err"; then
        out=$(locked "$tmp/probe" 2>&1) || true
        say "$(printf '%-10s %s' "$label:" "$out")" "           ($note)"
    else
        say "$(printf '%-10s %s' "$label:" "not measured: could not compile bench/$src: $(head -c 200 "$tmp/cc.err" 2>/dev/null)")"
    fi
}
# The SHA-NI unit itself, which bounds the shani kernel; the vector pipes,
# which bound the avx2 kernel (and the clock, from a dependent ADD chain).
probe rnds2 shani rnds2_probe.c "bench/rnds2_probe.c; a shani nonce is 61 RNDS2, an OpenSSL compression 32 in one chain"
probe vector avx2 vector_ports.c \
    "bench/vector_ports.c; best of 7 trials each; an avx2 nonce is ~727 such operations, 278 of them shifts"
say ""

# OpenSSL before and after the kernels, so drift shows up in its spread.
ossl=()
half=$(((reps + 1) / 2))
oscal=()
for _ in $(seq "$half"); do ossl+=("$(openssl_cps)"); oscal+=("$(openssl_scaling)"); done

declare -A n1 nn a b c d e w1 c1 wn cn cyc rn1 rnn ra rb rc rd rw1 rc1 rwn rcn
# Size each kernel's range so a run takes ~$seconds: probe with 2^20 nonces.
for k in "${klist[@]}"; do
    read -r _ probe _ <<<"$(scan "$k" 1 1048576)"
    n1[$k]=$(calc "min(max(int($probe * $seconds) // 65536 * 65536, 65536), 2**32)")
    nn[$k]=$(calc "min(${n1[$k]} * $cores, 2**32)")
    if [ -n "${vers[$k]:-}" ]; then # rolled: nonces for the same time at the rolled rate
        read -r _ probe _ <<<"$(scan "$k" 1 65536 "${vers[$k]}")"
        rn1[$k]=$(calc "min(max(int($probe * $seconds / ${vers[$k]}) // 4096 * 4096, 4096), 2**32)")
        rnn[$k]=$(calc "min(${rn1[$k]} * $cores, 2**32)")
    fi
done
# Repetitions outermost, so a change of load spreads over all kernels alike.
for rep in $(seq "$reps"); do
    for k in "${klist[@]}"; do
        read -r wall cpu cycles <<<"$(scan "$k" 1 "${n1[$k]}")"
        a[$k]+=" $wall"
        b[$k]+=" $cpu"
        [ "$cycles" != - ] && e[$k]+=" $(calc "$cycles / ${n1[$k]}")"
        read -r wall cpu _ <<<"$(scan "$k" "$cores" "${nn[$k]}")"
        c[$k]+=" $wall"
        d[$k]+=" $cpu"
        [ -n "${vers[$k]:-}" ] || continue
        read -r wall cpu _ <<<"$(scan "$k" 1 "${rn1[$k]}" "${vers[$k]}")"
        ra[$k]+=" $wall"
        rb[$k]+=" $cpu"
        read -r wall cpu _ <<<"$(scan "$k" "$cores" "${rnn[$k]}" "${vers[$k]}")"
        rc[$k]+=" $wall"
        rd[$k]+=" $cpu"
    done
    echo "  (repetition $rep of $reps done)" >&2
done
for k in "${klist[@]}"; do
    w1[$k]=$(median ${a[$k]})
    c1[$k]=$(median ${b[$k]})
    wn[$k]=$(median ${c[$k]})
    cn[$k]=$(median ${d[$k]})
    if [ -n "${e[$k]:-}" ]; then cyc[$k]=$(median ${e[$k]}); else cyc[$k]=$(calc "$nominal_mhz * 1e6 / ${c1[$k]}"); fi
    say "  $k: ${n1[$k]} nonces at 1 thread, M/s wall: $(mega ${a[$k]}); per CPU-s: $(mega ${b[$k]})" \
        "  $k: ${nn[$k]} nonces at $cores threads, M/s wall: $(mega ${c[$k]}); per CPU-s: $(mega ${d[$k]})"
    [ -n "${vers[$k]:-}" ] || continue
    rw1[$k]=$(median ${ra[$k]})
    rc1[$k]=$(median ${rb[$k]})
    rwn[$k]=$(median ${rc[$k]})
    rcn[$k]=$(median ${rd[$k]})
    say "  $k rolling ${vers[$k]} versions: ${rn1[$k]} nonces at 1 thread, M hashes/s wall: $(mega ${ra[$k]}); per CPU-s: $(mega ${rb[$k]})" \
        "  $k rolling ${vers[$k]} versions: ${rnn[$k]} nonces at $cores threads, M hashes/s wall: $(mega ${rc[$k]}); per CPU-s: $(mega ${rd[$k]})"
done
for _ in $(seq $((reps - half))); do ossl+=("$(openssl_cps)"); oscal+=("$(openssl_scaling)"); done
ocps=$(median "${ossl[@]}")
say "  openssl: M compressions per CPU-s: $(mega "${ossl[@]}")" \
    "  openssl: -multi $cores over 1 stream: $(printf '%.2f ' "${oscal[@]}")" \
    "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" \
    ""

clock_note="cycles/nonce at the NOMINAL ${nominal_mhz} MHz clock"
[ "$clock_src" = perf ] && clock_note="cycles/nonce from perf"
[ "$clock_src" = measured ] && clock_note="cycles/nonce at the clock measured after each run"
say "$(printf '%-9s %8s %10s %10s %12s %8s %8s %11s' kernel "1T M/s" "1T M/CPU-s" "vs OpenSSL" "cycles/nonce" "${cores}T M/s" scaling "CPU-s scal.")"
for k in "${klist[@]}"; do
    say "$(calc "'%-9s %8.2f %10.2f %10.2f %12.0f %8.2f %7.2fx %10.2fx' % ('$k', ${w1[$k]} / 1e6, ${c1[$k]} / 1e6, ${c1[$k]} / $ocps, ${cyc[$k]}, ${wn[$k]} / 1e6, ${wn[$k]} / ${w1[$k]}, $cores * ${cn[$k]} / ${c1[$k]})")"
done
say "$(calc "'%-9s %8s %10.2f %10.2f %12s %8s %7.2fx   (M compressions per CPU-s; scaling: -multi $cores)' % ('openssl', '', $ocps / 1e6, 1.0, '', '', $(median "${oscal[@]}"))")" \
    "" \
    "1T M/s: million nonces (SHA-256d of a header) per wall-clock second, 1 thread; 1T M/CPU-s: per CPU-second" \
    "of the process. vs OpenSSL: nonces per CPU-s over OpenSSL's compressions per CPU-s (a nonce costs ~1.77" \
    "compressions with hashjoule's precomputation). $clock_note. ${cores}T M/s: all $cores" \
    "physical cores, wall clock; scaling: ${cores}T over 1T, wall clock; CPU-s scal.: $cores x (${cores}T nonces per" \
    "CPU-s) / (1T nonces per CPU-s), the scaling with the cores to itself, which other work on the machine" \
    "does not change (time it takes from hashjoule is not counted). openssl scaling: speed -multi $cores (a process" \
    "per core) over one stream, back to back: the machine's own. All figures are medians of $reps runs."

# Version rolling beside each kernel's single-version rate, from the same rounds.
if [ ${#vers[@]} -gt 0 ]; then
    say "" "With version rolling (BIP 320), the same rounds: M hashes (versions x nonces) per second" \
        "$(printf '%-9s %8s %10s %10s %10s %8s %10s' kernel versions "1T M/s" "1T M/CPU-s" "vs OpenSSL" "${cores}T M/s" "vs single")"
    for k in "${klist[@]}"; do
        [ -n "${vers[$k]:-}" ] || continue
        say "$(calc "'%-9s %8d %10.2f %10.2f %10.2f %8.2f %9.3fx' % ('$k', ${vers[$k]}, ${rw1[$k]} / 1e6, ${rc1[$k]} / 1e6, ${rc1[$k]} / $ocps, ${rwn[$k]} / 1e6, ${rc1[$k]} / ${c1[$k]})")"
    done
    say "vs single: 1-thread hashes per CPU-s rolling over 1-thread nonces per CPU-s without, medians of the same $reps rounds."
fi

# The scalar kernel's target is "2 x a plain C SHA-256d"; the `reference`
# kernel is that plain C (3 compressions per nonce, no precomputation),
# measured here in the same run.
if [ -n "${c1[reference]:-}" ]; then
    line="speed-up over the plain C reference kernel (1 thread, per CPU-s):"
    for k in "${klist[@]}"; do
        [ "$k" = reference ] && continue
        line+=" $k $(calc "'%.2fx' % (${c1[$k]} / ${c1[reference]})")"
    done
    say "" "$line"
fi

# Instructions per hash: the difference of two callgrind runs (2^18 and 2^16
# hashes) over the difference in hashes, which cancels start-up and self-test;
# rolling V versions, the same hashes as V versions x 2^18/V and 2^16/V nonces.
# Where valgrind cannot run a kernel, insn_count single-steps one kernel call
# of 384 and 128 nonces (x V versions) instead.
insn_count=$(dirname "$hj")/insn_count
callgrind_per_hash() { # KERNEL VERSIONS -> instructions per hash, or the reason it was not counted
    local k=$1 v=$2 irs=() n args
    for n in 65536 262144; do
        args=(scan --header $GENESIS --start 0 --count $n --target $TARGET --kernel "$k" --threads 1)
        [ "$v" -gt 1 ] && args=(scan --header "$GENESIS_BIP9" --start 0 --count $((n / v)) --versions "$v"
            --version-start 0 --target $TARGET --kernel "$k" --threads 1)
        if valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$hj" "${args[@]}" >"$tmp/cg.stdout" 2>"$tmp/cg.err"; then
            irs+=("$(awk '/^summary:/ {print $2}' "$tmp/cg.out")")
        else
            echo "not under valgrind: $(grep -o 'cannot run on this machine.*' "$tmp/cg.err" | head -1)"
            return
        fi
    done
    calc "'%.1f (callgrind, whole process)' % ((${irs[1]} - ${irs[0]}) / ((262144 // $v - 65536 // $v) * $v))"
}
stepped_per_hash() { # KERNEL VERSIONS -> instructions per hash of one kernel call, single-stepped
    local k=$1 v=$2 lo hi
    [ -x "$insn_count" ] || { echo "not counted: no $insn_count (build the tests)"; return; }
    if [ "$v" -gt 1 ]; then
        lo=$(locked "$insn_count" "$k" 128 "$v") && hi=$(locked "$insn_count" "$k" 384 "$v") || { echo "not counted"; return; }
    else
        lo=$(locked "$insn_count" "$k" 128) && hi=$(locked "$insn_count" "$k" 384) || { echo "not counted"; return; }
    fi
    calc "'%.1f (single-stepped kernel call)' % ((int('$hi') - int('$lo')) / (256 * $v))"
}
if [ $callgrind = 1 ]; then
    say "" "Instructions per hash (a hash is one header's SHA-256d; rolling, versions x nonces):" \
        "  callgrind: whole process, (I(2^18 hashes) - I(2^16 hashes)) / (2^18 - 2^16);" \
        "  single-stepped: insn_count, one kernel call, (I(384 nonces) - I(128 nonces)) / (256 x versions)"
    command -v valgrind >/dev/null || say "  valgrind is not installed: single-stepped counts only"
    for k in "${klist[@]}"; do
        for v in 1 ${vers[$k]:-}; do
            got="not under valgrind"
            command -v valgrind >/dev/null && got=$(callgrind_per_hash "$k" "$v")
            [[ "$got" == not* ]] && got=$(stepped_per_hash "$k" "$v")
            say "  $(printf '%-9s %-13s' "$k" "$([ "$v" = 1 ] && echo "1 version" || echo "$v versions")") $got"
        done
    done
fi

if [ $save = 1 ]; then
    mkdir -p "$root/results"
    # an earlier report of the same day is kept: this one gets the time too;
    # ln (not mv) fails rather than replace a file that appeared meanwhile
    dest="$root/results/cpu-kernels-$(hostname)-$(date -u +%Y-%m-%d).txt"
    [ -e "$dest" ] && dest="$root/results/cpu-kernels-$(hostname)-$(date -u +%Y-%m-%dT%H%M%S).txt"
    tmp="$root/results/.cpu-kernels.tmp.$$"
    cp "$report" "$tmp" || { rm -f "$tmp"; echo "cannot write $tmp" >&2; exit 1; }
    if ! ln "$tmp" "$dest"; then
        rm -f "$tmp"
        echo "not saved: $dest exists" >&2
        exit 1
    fi
    rm -f "$tmp"
    echo "saved $dest"
fi
