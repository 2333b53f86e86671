#!/usr/bin/env bash
# Interference: a quiet machine gives a quiet result; one busy loop per core
# started here gives a noisy one naming other processes; a /proc/stat whose
# steal time grows (HJ_PROC_ROOT) gives a noisy one naming steal; a missing
# /proc/stat is reported, not invented. Runs alone (RUN_SERIAL): other tests
# are other processes.
# Usage: test_interference.sh HASHJOULE
set -u
HJ=$(realpath "${1:?usage: test_interference.sh HASHJOULE}")
. "$(dirname "$0")/../lib/cli_checks.sh"
S=(bench --kernel scalar --threads 1 --seconds 0.5 --repetitions 3 --warmup 0.2 --quiet --json --out -)
verdict() { # FILE -> "verdict other steal" of the first result
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d["results"][0]["interference"]
print(i["verdict"], i["other_busy_cpu_percent"], i["steal_percent"], d["interference"]["verdict"])
print("\n".join(i["reasons"]))' "$1"
}

# --- quiet: a machine doing nothing else (it is waited for first; a second try
# if something woke up during the run) ---------------------------------------------------
# (1 s repetitions after a 1 s warm-up: shorter ones spread by more than 5 %
# now and then in the sanitizer build, which is the spread rule working)
Q=(bench --kernel scalar --threads 1 --seconds 1 --repetitions 3 --warmup 1 --quiet --json --out -)
quiet=
for _ in 1 2 3; do
    "$HJ" "${Q[@]}" --wait-quiet 30 >"$tmp/q.json" 2>"$tmp/err" || fail "quiet run: $(cat "$tmp/err")"
    verdict "$tmp/q.json" >"$tmp/v"
    if [ "$(head -n1 "$tmp/v" | cut -d' ' -f1,4)" = "quiet quiet" ]; then quiet=1; break; fi
done
[ -n "$quiet" ] || fail "an idle machine was judged noisy three times: $(tr '\n' ' ' <"$tmp/v")"
"$HJ" bench --kernel scalar --threads 1 --seconds 0.1 --repetitions 1 --warmup 0 --quiet --json --out - >"$tmp/nw.json" ||
    fail "a run without --wait-quiet"
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["conditions"]["wait_quiet"] is None' "$tmp/nw.json" ||
    fail "without --wait-quiet, conditions.wait_quiet is not null"
# --wait-quiet on a quiet machine: runs as soon as it has seen 1.5 s of quiet
for _ in 1 2 3; do
    "$HJ" "${S[@]}" --wait-quiet 20 >"$tmp/wq.json" 2>"$tmp/err" || fail "--wait-quiet on a quiet machine: $(cat "$tmp/err")"
    python3 -c '
import json, sys
w = json.load(open(sys.argv[1]))["conditions"]["wait_quiet"]
sys.exit(0 if w["quiet"] is True and 1.5 <= w["waited_seconds"] < 20 else 1)' "$tmp/wq.json" && break
done || fail "--wait-quiet on a quiet machine: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["conditions"])' "$tmp/wq.json")"

# --- one busy loop per core, started by this test -------------------------------------
pids=()
for _ in $(seq "$(nproc)"); do (while :; do :; done) & pids+=($!); done
sleep 0.3
"$HJ" "${S[@]}" >"$tmp/n.json" 2>"$tmp/err"
rc=$?
T=(bench --kernel scalar --threads 1 --seconds 0.5 --repetitions 3 --warmup 0.2 --quiet --out "$tmp/t.json")
"$HJ" "${T[@]}" >"$tmp/table" 2>"$tmp/table.err"
# --wait-quiet on a busy machine: waits its time, says so, runs anyway
"$HJ" "${S[@]}" --wait-quiet 1.5 >"$tmp/w.json" 2>"$tmp/w.err"
wrc=$?
kill "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null
[ $rc = 0 ] || fail "loaded run: exit $rc: $(cat "$tmp/err")"
verdict "$tmp/n.json" >"$tmp/v"
read -r v other _ whole <"$tmp/v"
[ "$v $whole" = "noisy noisy" ] || fail "busy loops: verdict '$v', document '$whole', expected noisy: $(cat "$tmp/v")"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 50 else 1)" "$other" ||
    fail "busy loops: other processes at $other % of a CPU, expected most of one"
grep -q 'other processes used [0-9]* % of a CPU during the run (threshold 10 %)' "$tmp/v" ||
    fail "busy loops: no reason naming other processes: $(cat "$tmp/v")"
grep -q '^hashjoule bench: NOISY: 1 of 1 result' "$tmp/err" || fail "busy loops: nothing on stderr: $(cat "$tmp/err")"
[ $wrc = 0 ] || fail "--wait-quiet on a busy machine: exit $wrc: $(cat "$tmp/w.err")"
grep -q 'hashjoule bench: --wait-quiet: the machine did not get quiet within 1.5 s (other processes at .*); running anyway' \
    "$tmp/w.err" || fail "--wait-quiet on a busy machine: no message: $(cat "$tmp/w.err")"
python3 - "$tmp/w.json" <<'PY' || fail "--wait-quiet on a busy machine: conditions.wait_quiet"
import json, sys
w = json.load(open(sys.argv[1]))["conditions"]["wait_quiet"]
assert w["quiet"] is False and w["max_seconds"] == 1.5 and w["waited_seconds"] >= 1.5, w
assert w["last_other_busy_cpu_percent"] > 50, w
PY
# the table marks it, and says why below it
grep -Eq '^scalar +1 .* ok, NOISY$' "$tmp/table" || fail "busy loops: the table does not mark the result: $(cat "$tmp/table")"
grep -A1 '^NOISY: 1 of 1 result' "$tmp/table" | grep -q 'scalar x1: other processes used' ||
    fail "busy loops: no reasons below the table: $(cat "$tmp/table")"

# --- steal time, from a /proc/stat that the hypervisor (this loop) steals from --------
mkdir -p "$tmp/proc"
(
    t=0
    while :; do
        t=$((t + 10))
        # user nice system idle iowait irq softirq steal: 20 % of the ticks stolen
        printf 'cpu  1000 0 0 %d 0 0 0 %d 0 0\n' $((t * 4)) "$t" >"$tmp/proc/stat.new"
        mv "$tmp/proc/stat.new" "$tmp/proc/stat"
        sleep 0.05
    done
) &
writer=$!
sleep 0.2
HJ_PROC_ROOT="$tmp/proc" "$HJ" "${S[@]}" >"$tmp/s.json" 2>"$tmp/err"
rc=$?
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
[ $rc = 0 ] || fail "steal fixture: exit $rc: $(cat "$tmp/err")"
verdict "$tmp/s.json" >"$tmp/v"
read -r v other steal _ <"$tmp/v"
[ "$v" = noisy ] || fail "steal fixture: verdict $v: $(cat "$tmp/v")"
python3 -c "import sys; sys.exit(0 if abs(float(sys.argv[1]) - 20) < 3 else 1)" "$steal" ||
    fail "steal fixture: steal $steal %, the fixture steals 20 %"
grep -q 'the hypervisor stole [0-9.]* % of the CPU time (steal time; threshold 2 %)' "$tmp/v" ||
    fail "steal fixture: no reason naming steal: $(cat "$tmp/v")"
grep -q 'other processes' "$tmp/v" && fail "steal fixture: other processes named, the fixture's busy time is flat"

# --- clock and thermal throttling, from a sysfs tree (HJ_SYSFS_ROOT) ---------------------
sys=$tmp/sys
for cpu in 0 1; do
    mkdir -p "$sys/devices/system/cpu/cpu$cpu/cpufreq" "$sys/devices/system/cpu/cpu$cpu/thermal_throttle"
    echo 2400000 >"$sys/devices/system/cpu/cpu$cpu/cpufreq/scaling_cur_freq"
    echo 0 >"$sys/devices/system/cpu/cpu$cpu/thermal_throttle/core_throttle_count"
done
HJ_SYSFS_ROOT="$sys" "$HJ" "${S[@]}" --wait-quiet 20 >"$tmp/c.json" 2>"$tmp/err" || fail "clock fixture: $(cat "$tmp/err")"
python3 - "$tmp/c.json" <<'PY' || fail "clock fixture, steady: $(head -c 400 "$tmp/c.json")"
import json, sys
i = json.load(open(sys.argv[1]))["results"][0]["interference"]
assert i["clock_mhz_min"] == 2400 and i["clock_mhz_max"] == 2400 and i["throttle_events"] == 0, i
assert not any("throttled" in r for r in i["reasons"]), i
PY
(
    n=0
    while :; do
        n=$((n + 1))
        echo "$n" >"$sys/devices/system/cpu/cpu1/thermal_throttle/core_throttle_count"
        echo $((2400000 - n * 1000)) >"$sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq"
        sleep 0.1
    done
) &
writer=$!
HJ_SYSFS_ROOT="$sys" "$HJ" "${S[@]}" >"$tmp/t.json" 2>"$tmp/err"
rc=$?
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
[ $rc = 0 ] || fail "throttling fixture: exit $rc: $(cat "$tmp/err")"
python3 - "$tmp/t.json" <<'PY' || fail "throttling fixture: $(head -c 600 "$tmp/t.json")"
import json, sys
i = json.load(open(sys.argv[1]))["results"][0]["interference"]
assert i["verdict"] == "noisy" and i["throttle_events"] > 0, i
assert any("the CPUs throttled for heat" in r for r in i["reasons"]), i
assert i["clock_mhz_min"] < i["clock_mhz_max"] <= 2400, i
PY
# this machine's own: a clock where cpufreq exposes one, null where not
exposed=$([ -r /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq ] && echo 1 || echo 0)
python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["results"][0]["interference"]
assert (i["clock_mhz_min"] is not None) == (sys.argv[2] == "1"), i' "$tmp/q.json" "$exposed" ||
    fail "the clock figures do not match what this machine's sysfs exposes (cpufreq: $exposed)"

# --- no /proc/stat: said, not invented -------------------------------------------------
mkdir -p "$tmp/noproc"
HJ_PROC_ROOT="$tmp/noproc" "$HJ" "${S[@]}" >"$tmp/u.json" 2>"$tmp/err" || fail "no /proc/stat: exit $?: $(cat "$tmp/err")"
python3 - "$tmp/u.json" "$tmp/noproc" <<'PY' || fail "no /proc/stat: $(cat "$tmp/u.json" | head -c 300)"
import json, sys
i = json.load(open(sys.argv[1]))["results"][0]["interference"]
assert i["other_busy_cpu_percent"] is None and i["steal_percent"] is None, i
assert sys.argv[2] + "/stat" in i["unmeasured_reason"], i
PY

finish interference
