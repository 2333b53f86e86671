#!/usr/bin/env bash
# hashjoule's OpenCL SHA-256d rate next to hashcat's on the same OpenCL device,
# in one run, with the ratios:
#   hashcat -b -m 21400  sha256(sha256_bin($pass)): two SHA-256 compressions per
#                        candidate, the closest tuned peer to a SHA-256d nonce
#   hashcat -b -m 1400   sha256($pass): one compression per candidate
# and hashjoule rolling versions (BIP 320: --versions V, block 2's schedule
# shared by V versions) in the same rounds, as hashes (versions x nonces) per
# second. Rounds alternate hashjoule and hashcat so a change in the machine's
# load hits both; medians are reported. The whole measurement holds
# /tmp/hashjoule-bench.lock (other benchmarks on this machine take it too).
#
# Usage: bench/opencl_vs_hashcat.sh [--rounds N] [--seconds S] [--device P:D] [--versions V]
#                                   [--hashjoule PATH] [--no-record]
#   --rounds N     alternations (default 3)
#   --seconds S    length of each hashjoule scan (default 15)
#   --device P:D   hashjoule's device (default 0:0); hashcat gets
#                  $HASHCAT_DEVICE_ARGS (default "-D 1", OpenCL CPU devices,
#                  which on a PoCL-only machine is the same device)
#   --versions V   versions of the rolled scans (default 16; 0: no rolled scans)
#   --no-record    do not write results/opencl-<host>-<date>.txt
# Needs hashcat (Debian package hashcat): installed with apt-get when missing
# and this runs as root, otherwise the script says how and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 seconds=15 device=0:0 hj=build/hashjoule record=1 versions=16
while [ $# -gt 0 ]; do
    case "$1" in
    --rounds) rounds=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --device) device=${2:?}; shift 2 ;;
    --versions) versions=${2:?}; shift 2 ;;
    --hashjoule) hj=${2:?}; shift 2 ;;
    --no-record) record=0; shift ;;
    -h | --help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "opencl_vs_hashcat.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$rounds$seconds$versions" in *[!0-9]*) echo "opencl_vs_hashcat.sh: --rounds and --seconds take whole numbers" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] && [ "$seconds" -ge 1 ] || { echo "opencl_vs_hashcat.sh: --rounds and --seconds must be at least 1" >&2; exit 2; }
hashcat_args=${HASHCAT_DEVICE_ARGS:--D 1}

if [ ! -x "$hj" ]; then
    echo "opencl_vs_hashcat.sh: $hj not found; build first: cmake -S . -B build && cmake --build build -j" >&2
    exit 2
fi
if ! command -v hashcat >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        echo "hashcat not installed; installing the Debian package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q hashcat >/dev/null
    else
        echo "opencl_vs_hashcat.sh: hashcat is not installed; install it with: sudo apt-get install hashcat" >&2
        exit 2
    fi
fi
for tool in python3 flock; do
    command -v $tool >/dev/null || { echo "opencl_vs_hashcat.sh: needs $tool" >&2; exit 2; }
done

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
# The same header with the BIP 9 version 0x20000000, whose bits 13..28 may be rolled.
GENESIS_BIP9=00000020${GENESIS:8}
host=$(hostname -s 2>/dev/null || hostname)
stamp=$(date -u +%Y-%m-%d)
out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT

# hashjoule: one scan of the genesis header at its own target; prints H/s and
# the CPU cores it kept busy (CPU time / wall time).
hj_rate() { # COUNT [VERSIONS]: the rolled scan crosses COUNT / VERSIONS nonces with VERSIONS versions
    local args=(--header "$GENESIS" --count "$1")
    [ "${2:-0}" -gt 0 ] && args=(--header "$GENESIS_BIP9" --count $(($1 / $2)) --versions "$2" --version-start 0)
    /usr/bin/time -f '%e %U %S' -o "$out.time" "$hj" scan "${args[@]}" --kernel opencl \
        --device "$device" --json >"$out.json"
    python3 - "$out.json" "$out.time" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
wall, user, sys_ = (float(x) for x in open(sys.argv[2]).read().split()[-3:])
assert d["complete"], "scan not complete"
print(f'{d["hashes_per_second"]:.0f} {(user + sys_) / wall:.2f} {d["kernel"]}')
PY
}

# hashcat's benchmark speed in H/s (the total over its devices).
hc_rate() { # MODE
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %U %S' -o "$out.time" hashcat -b -m "$1" $hashcat_args --force >"$out.hc" 2>&1 ||
        { cat "$out.hc" >&2; echo "opencl_vs_hashcat.sh: hashcat -b -m $1 failed" >&2; return 1; }
    python3 - "$out.hc" "$out.time" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
wall, user, sys_ = (float(x) for x in open(sys.argv[2]).read().split()[-3:])
unit = {"H/s": 1, "kH/s": 1e3, "MH/s": 1e6, "GH/s": 1e9, "TH/s": 1e12}
speeds = re.findall(r"^Speed\.#(\S+?)\.*:\s+([\d.]+) (\S+)", text, re.M)
total = [s for s in speeds if s[0] == "*"] or speeds
if not total:
    sys.exit("no Speed line in hashcat's output:\n" + text[-2000:])
print(f"{sum(float(v) * unit[u] for _, v, u in total):.0f} {(user + sys_) / wall:.2f}")
PY
}

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.0f}")' "$@"; }

measure() {
    echo "# hashjoule OpenCL SHA-256d vs hashcat on the same OpenCL device"
    echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ) host=$host"
    echo "hashjoule: $("$hj" --version)"
    echo "hashcat: $(hashcat --version) (args: -b -m MODE $hashcat_args --force)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) logical CPUs"
    "$hj" info | grep -E '^OpenCL' | sed 's/^/device: /'
    echo "load_before: $(cut -d' ' -f1-3 /proc/loadavg)"
    # Warm-up (program cache, work-group measurement) and a rate to size the scans.
    line=$(hj_rate 67108864)
    read -r warm _ kernel <<<"$line"
    count=$(python3 -c "print(min(4294967296, max(67108864, int($warm * $seconds))))")
    echo "hashjoule kernel: $kernel; scans of $count nonces (~${seconds} s)"
    echo "round hashjoule_Hps (cores) hashcat21400_Hps (cores) hashcat1400_Hps (cores) ratio21400 load1" \
        "hashjoule_rolling${versions}_Hps (cores)"
    hj_list=() h21_list=() h14_list=() r21_list=() hv_list=()
    for r in $(seq "$rounds"); do
        # hashjoule between the two hashcat runs it is compared with most
        line=$(hc_rate 21400) && read -r h21 h21c <<<"$line"
        line=$(hj_rate "$count") && read -r hjr hjc _ <<<"$line"
        line=$(hc_rate 1400) && read -r h14 h14c <<<"$line"
        rolled="-"
        if [ "$versions" -gt 0 ]; then
            line=$(hj_rate "$count" "$versions") && read -r hvr hvc _ <<<"$line"
            hv_list+=("$hvr")
            rolled="$hvr ($hvc)"
        fi
        r21=$(python3 -c "print(f'{$hjr / $h21:.3f}')")
        hj_list+=("$hjr") h21_list+=("$h21") h14_list+=("$h14") r21_list+=("$r21")
        echo "$r $hjr ($hjc) $h21 ($h21c) $h14 ($h14c) $r21 $(cut -d' ' -f1 /proc/loadavg) $rolled"
    done
    hjm=$(median "${hj_list[@]}") h21m=$(median "${h21_list[@]}") h14m=$(median "${h14_list[@]}")
    r21m=$(python3 -c 'import statistics,sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.3f}")' "${r21_list[@]}")
    echo "load_after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "median hashjoule_opencl_Hps=$hjm hashcat_21400_Hps=$h21m hashcat_1400_Hps=$h14m"
    if [ ${#hv_list[@]} -gt 0 ]; then
        hvm=$(median "${hv_list[@]}")
        echo "median hashjoule_opencl_rolling${versions}_Hps=$hvm: $(python3 -c "print(f'{$hvm / $hjm:.3f}')") x its single-version rate," \
            "$(python3 -c "print(f'{$hvm / $h21m:.3f}')") x hashcat-21400"
    fi
    python3 - "$hjm" "$h21m" "$h14m" "$r21m" <<'PY'
import sys
hj, h21, h14, r21 = (float(x) for x in sys.argv[1:])
print(f"ratio hashjoule/hashcat-21400={hj / h21:.3f} (of the medians; median of the per-round ratios "
      f"{r21:.3f}; target >= 1.0, aim 1.2)")
print(f"ratio hashjoule/hashcat-1400={hj / h14:.3f}")
# A SHA-256d nonce with midstate, precomputed rounds and early reject costs
# about 1.77 compressions, hashcat's -m 21400 candidate 2 and -m 1400 one.
print(f"compressions/s: hashjoule ~{hj * 1.77 / 1e6:.1f} M (at ~1.77 per nonce, an estimate), "
      f"hashcat-21400 {h21 * 2 / 1e6:.1f} M, hashcat-1400 {h14 / 1e6:.1f} M")
PY
    echo "note: (cores) is CPU time / wall time of each run; on a shared machine, a value well below the"
    echo "      device's compute units means other work took CPU time from that run."
}

exec 9>/tmp/hashjoule-bench.lock
flock 9
measure | tee "$out.txt"
if [ "$record" = 1 ]; then
    mkdir -p results
    dest="results/opencl-$host-$stamp.txt"
    [ -e "$dest" ] && dest="results/opencl-$host-$(date -u +%Y-%m-%dT%H%M%S).txt"
    # ln (not mv) fails rather than replace a report that appeared meanwhile
    cp "$out.txt" "$dest.tmp" && ln "$dest.tmp" "$dest" || { rm -f "$dest.tmp"; echo "not recorded: $dest" >&2; exit 1; }
    rm -f "$dest.tmp"
    echo "recorded in $dest"
fi
