#!/usr/bin/env bash
# Golden outputs of the deterministic commands: every case's stdout, stderr
# and exit status, compared byte for byte with tests/golden/expected/.
# Timing fields and machine-dependent fields are normalised first (see norm_*).
# Usage: golden.sh HASHJOULE            compare (the ctest test)
#        golden.sh HASHJOULE --record   rewrite expected/ (after a reviewed change)
set -u
HJ=$(realpath "${1:?usage: golden.sh HASHJOULE [--record]}")
mode=${2:-check}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
FX=$root/tests/fleet/fixtures
RES=$root/results
expected=$here/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
mkdir -p "$out"
today=$(date -u +%Y-%m-%d)

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
B125552=0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695
EASY=00ffffff00000000000000000000000000000000000000000000000000000000
B839900=0060962aa39b4310863947efd282b30ff755d3ab247c76ee7e5d010000000000000000004c4577aff36cdfdb0613ee3dc73c46e349da802849ec4f4995f9de8df5838008df1b226619420317178560d2

# A case: NAME NORMALISER -- ARGS...; records stdout, stderr and the exit status.
run() {
    local name=$1 norm=$2
    shift 3
    local rc=0
    (cd "$tmp" && "$HJ" "$@") >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
    {
        echo "# hashjoule $*" | sed "s#$root#ROOT#g; s#$tmp#TMP#g"
        echo "# exit $rc"
        echo "# stdout"
        "$norm" <"$tmp/stdout"
        echo "# stderr"
        # a bench run's noisy-machine warning depends on the load, not on the code
        sed '/^hashjoule bench: NOISY: /d; /^hashjoule bench:   /d' "$tmp/stderr" | "$norm"
    } >"$out/$name.txt"
}
# Paths and today's date (a network file without a time is dated today).
norm_plain() { sed "s#$root#ROOT#g; s#$tmp#TMP#g; s#$today#TODAY#g"; }
# scan: the hit lines and the summary's counts; per-thread timings dropped.
norm_scan_text() {
    norm_plain | grep -v '^thread=' |
        sed -E 's/ seconds=[0-9.]+//; s/ hashes_per_second=[0-9.]+//; s/ kernel=[a-z0-9-]+//'
}
# The Python both JSON normalisers start with: the document as d, or the
# text unchanged when it is not JSON (an error message).
py_load='
import json, sys
text = sys.stdin.read()
try:
    d = json.loads(text)
except ValueError:
    sys.stdout.write(text)
    sys.exit(0)
'
norm_scan_json() {
    python3 -c "$py_load"'
for k in ("seconds", "hashes_per_second", "per_thread", "kernel"):
    d.pop(k, None)
print(json.dumps(d, indent=2, sort_keys=True))'
}
# A bench results document: its shape (every key path and value type), and
# the values that do not depend on the machine or the clock.
norm_bench_json() {
    python3 -c "$py_load"'
paths = set()
def walk(v, p):
    # the machine, and energy (a dict where a sensor is readable, null elsewhere);
    if p.startswith("machine.") or "energy" in p or "joules" in p or "idle_watts" in p:
        return
    # the load of the machine: the reasons of a noisy verdict come and go with it
    if "interference.reasons" in p or "interference.unmeasured_reason" in p:
        return
    # numbers where the kernel exposes the clock and throttling, null elsewhere
    if "interference.clock_mhz" in p or "interference.throttle_events" in p:
        return
    if isinstance(v, dict):
        for k, x in v.items():
            walk(x, p + "." + k if p else k)
    elif isinstance(v, list):
        for x in v:
            walk(x, p + "[]")
    else:
        paths.add(p + ": " + ("number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__))
walk(d, "")
print("\n".join(sorted(paths)))
for r in d["results"]:
    print(r["kernel"], r["threads"], r["status"], len(r["repetitions"]), "repetitions")'
}
norm_csv_header() { head -n 1; }

# --- hash, scan -----------------------------------------------------------------------
run hash_genesis norm_plain -- hash "$GENESIS"
run hash_b125552 norm_plain -- hash "$B125552"
run hash_bad norm_plain -- hash "${GENESIS:0:158}"
run scan_window norm_scan_text -- scan --header "$B125552" --start 2504433000 --count 2000 --kernel scalar
run scan_window_json norm_scan_json -- scan --header "$B125552" --start 2504433000 --count 2000 --json
run scan_easy_wrap norm_scan_text -- scan --header "$GENESIS" --start 4294960000 --count 7296 --target $EASY --threads 2
run scan_easy_json norm_scan_json -- scan --header "$GENESIS" --start 4294960000 --count 7296 --target $EASY --json
run scan_bad norm_plain -- scan --header "$GENESIS" --count 0
# version rolling: block 839900 found at its own version among 16; an easy target over 3 versions
run scan_versions norm_scan_text -- scan --header "$B839900" --start 3529540000 --count 2000 --versions 16 --version-start 21676
run scan_versions_json norm_scan_json -- scan --header "$B839900" --start 3529540000 --count 2000 --versions 16 --version-start 21676 --json
run scan_versions_easy norm_scan_text -- scan --header "$B839900" --start 4294967000 --count 600 --wrap --target $EASY --versions 3 --version-start 65533 --threads 2
run scan_versions_bad norm_plain -- scan --header "$GENESIS" --count 10 --versions 2

# --- help of every command --------------------------------------------------------------
run help norm_plain -- --help
for c in hash scan info bench compare fleet report; do
    run "help_$c" norm_plain -- "$c" --help
done

# --- fleet on the embedded data and on fixtures ------------------------------------------
run fleet_text norm_plain -- fleet
run fleet_json norm_plain -- fleet --json
run fleet_csv norm_plain -- fleet --csv
run fleet_explain norm_plain -- fleet --explain
run fleet_scenario_all norm_plain -- fleet --scenario all
run fleet_scenario_all_json norm_plain -- fleet --scenario all --json
run fleet_bench_text norm_plain -- fleet --bench "$FX/bench_sample.json"
run fleet_bench_json norm_plain -- fleet --json --bench "$FX/bench_sample.json"
run fleet_bench_csv norm_plain -- fleet --csv --bench "$FX/bench_sample.json"
run fleet_bench_rolled norm_plain -- fleet --bench "$FX/bench_rolled.json"
run compare_rolled norm_plain -- compare "$FX/bench_sample.json" "$FX/bench_rolled.json"
run fleet_bench_watts norm_plain -- fleet --explain --bench "$FX/bench_sample.json" --local-power-watts 200
run fleet_bench_real norm_plain -- fleet --bench "$RES/vm-20261130-040955.json"
run fleet_network norm_plain -- fleet --json --network "$FX/getmininginfo.json" --btc-price 70000
run fleet_market norm_plain -- fleet --json --btc-price 91000 --difficulty 152e12 --fees-btc-per-block 0
run fleet_height norm_plain -- fleet --height 1050000
run fleet_bad_asics norm_plain -- fleet --asics "$FX/asics_bad_type.json"
run fleet_bad_bench norm_plain -- fleet --bench "$FX/bench_bad.json"
run fleet_operator_text norm_plain -- fleet --fleet "$FX/fleet_good.csv"
run fleet_operator_json norm_plain -- fleet --json --fleet "$FX/fleet_good.json"
run fleet_operator_csv norm_plain -- fleet --csv --fleet "$FX/fleet_good.csv"
run fleet_operator_explain norm_plain -- fleet --explain --fleet "$FX/fleet_good.csv"
run fleet_operator_bad norm_plain -- fleet --fleet "$FX/fleet_over_capacity.csv"
run fleet_operator_months norm_plain -- fleet --months 24 --fleet "$FX/fleet_good.csv"
run fleet_svg norm_plain -- fleet --svg "$tmp/svg"
run fleet_months_text norm_plain -- fleet --months 36
run fleet_months_explain norm_plain -- fleet --months 60 --explain
run fleet_months_csv norm_plain -- fleet --months 3 --csv
run fleet_months_bad norm_plain -- fleet --months 121
for f in "$tmp"/svg/*.svg; do
    [ -e "$f" ] && norm_plain <"$f" >"$out/svg_$(basename "$f" .svg).txt"
done

# --- compare on fixture documents ----------------------------------------------------------
A=$RES/vm-20261122-023159.json
B=$RES/vm-20261122-074908.json
C=$RES/vm-20261130-040955.json
run compare_same norm_plain -- compare "$A" "$A"
run compare_ab norm_plain -- compare "$A" "$B"
run compare_ac_all norm_plain -- compare "$A" "$C" --require-all --threshold 2
run compare_bad norm_plain -- compare "$A" "$FX/asics_not_json.json"
run compare_match_best norm_plain -- compare "$B" "$C" --match best

# --- report on the reference results ------------------------------------------------------------
run report_markdown norm_plain -- report "$B" "$C" --title "Intel and Zen3"
run report_json norm_plain -- report "$B" "$C" --json
run report_bad norm_plain -- report "$A" "$FX/asics_not_json.json"

# --- bench: the document's shape and machine-independent values ---------------------------
run bench_json norm_bench_json -- bench --kernel reference,scalar --threads 1 --device none --seconds 0.2 \
    --repetitions 2 --warmup 0 --quiet --json --out -
run bench_csv norm_csv_header -- bench --kernel reference --threads 1 --device none --seconds 0.1 \
    --repetitions 1 --warmup 0 --quiet --format csv --out -
run bench_bad norm_plain -- bench --threads 0

if [ "$mode" = --record ]; then
    rm -rf "$expected"
    cp -r "$out" "$expected"
    echo "golden: recorded $(ls "$expected" | wc -l) cases in $expected"
    exit 0
fi
if diff -r -u "$expected" "$out" >"$tmp/diff"; then
    echo "golden: $(ls "$out" | wc -l) cases match"
    exit 0
fi
head -n 200 "$tmp/diff"
echo "golden: outputs differ from tests/golden/expected (diff above)" >&2
exit 1
