#!/usr/bin/env bash
# CPU kernel benchmark: every kernel this machine can run, at 1 thread and on
# all physical cores, next to OpenSSL's single-stream SHA-256 in the same run.
#
# Usage: bench/cpu_kernels.sh [--save] [--reps N] [--seconds S] [--kernels a,b,...] [HASHJOULE]
#   HASHJOULE   the binary (default: build/hashjoule next to this script)
#   --reps N    repetitions per measurement; medians are reported (default 5)
#   --seconds S target length of each run (default 3)
#   --kernels   only these kernels (default: every available CPU kernel)
#   --save      also write the report to results/cpu-kernels-<host>-<date>.txt
#               (atomically: a temporary file renamed at the end)
#
# Every measurement holds /tmp/hashjoule-bench.lock, so concurrent benchmarks
# on a shared machine do not overlap. Timing on a shared VM is noisy: the
# report records the load before and after, and medians of several runs.
#
# What is measured:
#   - `hashjoule scan --json` over a fixed range from nonce 0 at an easy target
#     (top 32 bits 0x0000ffff: ~1 hit per 65,536 nonces, every hit re-verified),
#     sized from a probe run so that each run takes about S seconds;
#   - `openssl speed -evp sha256 -bytes 16384 -seconds S`, one stream; one
#     SHA-256 compression per 64 bytes, so compressions/s = bytes/s / 64;
#   - cycles per nonce: `perf stat -e cycles` of the 1-thread run where the
#     kernel's PMU is readable, else rate against the nominal clock from
#     /proc/cpuinfo (labelled "nominal": turbo and VM scheduling make the real
#     clock differ).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
reps=5
seconds=3
kernels=""
save=0
hj=""
while [ $# -gt 0 ]; do
    case "$1" in
    --reps) reps=${2:?--reps needs a number}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --kernels) kernels=${2:?--kernels needs a list}; shift 2 ;;
    --save) save=1; shift ;;
    -h | --help) sed -n '2,27p' "$0"; exit 0 ;;
    -*) echo "cpu_kernels.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) hj=$1; shift ;;
    esac
done
hj=${hj:-$root/build/hashjoule}
[ -x "$hj" ] || { echo "cpu_kernels.sh: $hj is not an executable hashjoule (build first, or pass its path)" >&2; exit 2; }
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || { echo "cpu_kernels.sh: --reps: '$reps' is not a positive integer" >&2; exit 2; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "cpu_kernels.sh: --seconds: '$seconds' is not a positive integer" >&2; exit 2; }
command -v python3 >/dev/null || { echo "cpu_kernels.sh: needs python3" >&2; exit 2; }
command -v openssl >/dev/null || { echo "cpu_kernels.sh: needs openssl (Debian package openssl)" >&2; exit 2; }

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
TARGET=0000ffff00000000000000000000000000000000000000000000000000000000
LOCK=/tmp/hashjoule-bench.lock
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
report=$tmp/report.txt

locked() { flock "$LOCK" "$@"; }
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }
mega() { python3 -c 'import sys; print(" ".join("%.3f" % (float(x) / 1e6) for x in sys.argv[1:]))' "$@"; }
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

"$hj" info --json >"$tmp/info.json"
cores=$(json_get "$tmp/info.json" 'd["topology"]["cores"]')
pus=$(json_get "$tmp/info.json" 'd["topology"]["pus"]')
if [ -z "$kernels" ]; then
    kernels=$(json_get "$tmp/info.json" '",".join(k["name"] for k in d["kernels"] if k["kind"] == "cpu" and k["available"])')
fi
IFS=, read -r -a klist <<<"$kernels"

# The clock: perf's cycle counter if this machine exposes it, else nominal.
clock_src="nominal"
if command -v perf >/dev/null && perf stat -x, -e cycles true 2>&1 >/dev/null | grep -Eq '^[0-9]+,'; then
    clock_src="perf"
fi
nominal_mhz=$(awk -F: '/^cpu MHz/ {gsub(/ /, "", $2); print $2; exit}' /proc/cpuinfo)

# scan KERNEL THREADS COUNT -> prints "rate cycles" (cycles empty without perf)
scan() {
    local k=$1 t=$2 n=$3 out=$tmp/scan.json cycles=""
    if [ "$clock_src" = perf ] && [ "$t" = 1 ]; then
        locked perf stat -x, -e cycles -o "$tmp/perf.txt" -- \
            "$hj" scan --header $GENESIS --start 0 --count "$n" --target $TARGET --kernel "$k" --threads "$t" --json >"$out"
        cycles=$(awk -F, '$3 ~ /^cycles/ {print $1; exit}' "$tmp/perf.txt")
    else
        locked "$hj" scan --header $GENESIS --start 0 --count "$n" --target $TARGET --kernel "$k" --threads "$t" --json >"$out"
    fi
    [ "$(json_get "$out" 'd["complete"]')" = True ] || { echo "cpu_kernels.sh: scan with $k did not complete" >&2; return 3; }
    echo "$(json_get "$out" 'd["hashes_per_second"]') $cycles"
}

openssl_cps() { # compressions per second of one openssl speed run
    locked openssl speed -evp sha256 -bytes 16384 -seconds "$seconds" 2>/dev/null |
        awk '/^sha256 / {v=$2; sub(/k$/, "", v); printf "%.0f\n", v * 1000 / 64}'
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
say "method:    scan --json from nonce 0, target top 0x0000ffff, each run ~${seconds}s; medians of $reps runs;" \
    "           OpenSSL: speed -evp sha256 -bytes 16384 -seconds $seconds, single stream, compressions/s = bytes/s / 64"
if [ "$clock_src" = perf ]; then
    say "           cycles per nonce: perf stat -e cycles of the 1-thread run (whole process)"
else
    say "           cycles per nonce: NOMINAL clock ${nominal_mhz} MHz / rate (perf has no cycle counter here)"
fi

# The SHA-NI unit itself (bench/rnds2_probe.c), which bounds the shani kernel.
if [ "$(json_get "$tmp/info.json" '"SHA-NI" in [k["name"] for k in d["kernels"] if k["available"]] or any(k["name"] == "shani" and k["available"] for k in d["kernels"])')" = True ]; then
    if command -v cc >/dev/null && cc -O2 -o "$tmp/rnds2_probe" "$here/rnds2_probe.c" 2>"$tmp/cc.err"; then
        probe_out=$(locked "$tmp/rnds2_probe" 2>&1) || true
        say "rnds2:     $probe_out (bench/rnds2_probe.c; a SHA-NI nonce is 61 RNDS2)"
    else
        say "rnds2:     not measured: could not compile bench/rnds2_probe.c ($(head -c 200 "$tmp/cc.err" 2>/dev/null))"
    fi
fi

# OpenSSL before and after the kernels, so drift shows up in its spread.
ossl=()
half=$(((reps + 1) / 2))
for _ in $(seq "$half"); do ossl+=("$(openssl_cps)"); done

declare -A r1 rn cyc
for k in "${klist[@]}"; do
    # Size the range so a run takes ~$seconds: probe with 2^20 nonces.
    res=$(scan "$k" 1 1048576)
    probe=${res%% *}
    n1=$(python3 -c "print(min(max(int($probe * $seconds) // 65536 * 65536, 65536), 2**32))")
    nn=$(python3 -c "print(min($n1 * $cores, 2**32))")
    a=() b=() c=()
    for _ in $(seq "$reps"); do
        res=$(scan "$k" 1 "$n1")
        read -r rate cycles <<<"$res"
        a+=("$rate")
        if [ -n "$cycles" ]; then c+=("$(python3 -c "print($cycles / $n1)")"); fi
        res=$(scan "$k" "$cores" "$nn")
        b+=("${res%% *}")
    done
    r1[$k]=$(median "${a[@]}")
    rn[$k]=$(median "${b[@]}")
    if [ ${#c[@]} -gt 0 ]; then cyc[$k]=$(median "${c[@]}"); else cyc[$k]=$(python3 -c "print($nominal_mhz * 1e6 / ${r1[$k]})"); fi
    say "  $k ($n1 nonces at 1 thread, $nn at $cores), M/s: 1 thread $(mega "${a[@]}"); $cores threads $(mega "${b[@]}")"
done
for _ in $(seq $((reps - half))); do ossl+=("$(openssl_cps)"); done
ocps=$(median "${ossl[@]}")
say "  OpenSSL, M compressions/s: $(mega "${ossl[@]}")" \
    "load after:  $(cut -d' ' -f1-3 /proc/loadavg)" \
    ""

clock_note="at the NOMINAL ${nominal_mhz} MHz clock"
[ "$clock_src" = perf ] && clock_note="from perf cycles"
say "$(printf '%-10s %13s %11s %13s %13s %9s' kernel "1 thread M/s" "vs OpenSSL" "cycles/nonce" "$cores threads M/s" "scaling")"
for k in "${klist[@]}"; do
    say "$(python3 -c "print('%-10s %13.2f %11.2f %13.0f %13.2f %8.2fx' % ('$k', ${r1[$k]} / 1e6, ${r1[$k]} / $ocps, ${cyc[$k]}, ${rn[$k]} / 1e6, ${rn[$k]} / ${r1[$k]}))")"
done
say "$(python3 -c "print('%-10s %13.2f %11.2f   (million SHA-256 compressions/s, one stream)' % ('openssl', $ocps / 1e6, 1.0))")" \
    "" \
    "M/s: million nonces (SHA-256d of a header) per second, median. vs OpenSSL: nonces/s over OpenSSL's" \
    "compressions/s (a nonce is ~1.77 compressions with hashjoule's precomputation). cycles/nonce: $clock_note," \
    "1 thread. scaling: $cores threads over 1 thread."

if [ $save = 1 ]; then
    mkdir -p "$root/results"
    dest="$root/results/cpu-kernels-$(hostname)-$(date -u +%Y-%m-%d).txt"
    cp "$report" "$dest.tmp.$$" && mv "$dest.tmp.$$" "$dest"
    echo "saved $dest"
fi
