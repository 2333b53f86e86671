#!/usr/bin/env bash
# Long-run memory check: one `hashjoule bench` of DURATION seconds (default
# 600) while its resident memory is sampled every INTERVAL seconds (default
# 5) from /proc/PID/status. The meter runs its whole time: a fake RAPL zone
# (read every second) and a wall-meter command (a process forked every
# second), the two sensor paths that allocate, open files and spawn
# processes while a benchmark runs.
#
# Usage: bench/memory_soak.sh HASHJOULE [DURATION_S] [INTERVAL_S] [OUT_PREFIX]
#   Writes OUT_PREFIX.csv (t_s, rss_kib, hwm_kib, threads, fds) and
#   OUT_PREFIX.json (the bench result) and prints a summary: RSS after the
#   first minute and at the end, the least-squares slope over the run after
#   the first minute, and a verdict (growth: more than 1 MiB after the first
#   minute, or a slope above 64 KiB per minute). Run it under
#   `flock /tmp/hashjoule-bench.lock` on a shared machine.
set -euo pipefail
HJ=$(realpath "${1:?usage: memory_soak.sh HASHJOULE [DURATION_S] [INTERVAL_S] [OUT_PREFIX]}")
duration=${2:-600}
interval=${3:-5}
prefix=${4:-results/memory-soak-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$(dirname "$prefix")"
for f in "$prefix.csv" "$prefix.json" "$prefix.txt"; do # earlier results are never replaced
    [ ! -e "$f" ] || { echo "memory_soak: $f exists; choose another OUT_PREFIX" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

zone="$tmp/sys/class/powercap/intel-rapl:0"
mkdir -p "$zone"
echo package-0 >"$zone/name"
echo 262143328850 >"$zone/max_energy_range_uj"
echo 123456 >"$zone/energy_uj"
reps=$(( (duration - 5) / 10 ))
[ "$reps" -ge 1 ] || reps=1

HJ_SYSFS_ROOT="$tmp/sys" HJ_NVML_LIBRARY=/nonexistent "$HJ" bench --threads "$(nproc)" --seconds 10 \
    --repetitions "$reps" --warmup 5 --quiet --power-cmd 'echo 100 W' --out "$prefix.json" >"$tmp/bench.out" 2>&1 &
pid=$!
echo "t_s,rss_kib,hwm_kib,threads,fds" >"$prefix.csv"
start=$(date +%s.%N)
while kill -0 "$pid" 2>/dev/null; do
    status=$(cat "/proc/$pid/status" 2>/dev/null) || break
    rss=$(awk '/^VmRSS:/ {print $2}' <<<"$status")
    hwm=$(awk '/^VmHWM:/ {print $2}' <<<"$status")
    thr=$(awk '/^Threads:/ {print $2}' <<<"$status")
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    t=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN {printf "%.1f", n - s}')
    [ -n "$rss" ] && echo "$t,$rss,$hwm,$thr,$fds" >>"$prefix.csv"
    sleep "$interval"
done
wait "$pid" || { echo "memory_soak: the bench failed:"; cat "$tmp/bench.out"; exit 3; }

python3 - "$prefix.csv" "$prefix.json" <<'PY'
import csv, json, sys
rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1]))]
late = [r for r in rows if r["t_s"] >= 60] or rows
n = len(late)
mt = sum(r["t_s"] for r in late) / n
mr = sum(r["rss_kib"] for r in late) / n
den = sum((r["t_s"] - mt) ** 2 for r in late) or 1
slope_kib_per_min = 60 * sum((r["t_s"] - mt) * (r["rss_kib"] - mr) for r in late) / den
first, last = late[0], rows[-1]
growth = last["rss_kib"] - first["rss_kib"]
d = json.load(open(sys.argv[2]))
r = d["results"][0]
print(f"samples: {len(rows)} over {rows[-1]['t_s']:.0f} s; kernel {r['kernel']} x{r['threads']}, "
      f"{len(r['repetitions'])} repetitions, median {r['hashes_per_second']['median']/1e6:.2f} MH/s")
print(f"RSS at {first['t_s']:.0f} s: {first['rss_kib']:.0f} KiB; at the end ({last['t_s']:.0f} s): {last['rss_kib']:.0f} KiB; "
      f"max {max(x['rss_kib'] for x in rows):.0f} KiB; peak (VmHWM) {last['hwm_kib']:.0f} KiB")
print(f"growth after the first minute: {growth:+.0f} KiB; slope {slope_kib_per_min:+.2f} KiB/min; "
      f"threads {min(x['threads'] for x in rows):.0f}..{max(x['threads'] for x in rows):.0f}; "
      f"open fds {min(x['fds'] for x in rows):.0f}..{max(x['fds'] for x in rows):.0f}")
ok = growth <= 1024 and slope_kib_per_min <= 64
print("verdict:", "no memory growth" if ok else "MEMORY GROWS")
sys.exit(0 if ok else 1)
PY
