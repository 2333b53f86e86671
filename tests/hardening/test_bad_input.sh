#!/usr/bin/env bash
# The README's bad-input table, row by row: every input hashjoule reads, given
# empty, truncated, oversized, wrongly typed, NaN/inf/negative, duplicated,
# unknown-field and non-UTF-8 values. Each must end with a message naming the
# input and the problem, exit 2 and nothing written (the working directory
# stays empty; no results/ appears). Sensor files are the exception the table
# states: a bad sensor is reported (named, with the problem) and measured
# around, never a reason to stop.
# Usage: test_bad_input.sh HASHJOULE
set -u
HJ=$(realpath "${1:?usage: test_bad_input.sh HASHJOULE}")
DATA=$(cd "$(dirname "$0")/../../data" && pwd)
failures=0 checks=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export HJ_SYSFS_ROOT="$tmp/nosys" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
F="$tmp/files"
mkdir -p "$F" "$tmp/cwd"

# bad PATTERN ARGS...: exit 2, stderr matches PATTERN (grep -E), cwd left empty.
bad() {
    local pattern=$1
    shift
    checks=$((checks + 1))
    (cd "$tmp/cwd" && timeout 60 "$HJ" "$@") >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc != 2 ]; then
        fail "hashjoule ${*:1:6}: exit $rc, expected 2: $(head -c 300 "$tmp/err")"
    elif ! grep -Eq -- "$pattern" "$tmp/err"; then
        fail "hashjoule ${*:1:6}: message lacks /$pattern/: $(head -c 300 "$tmp/err")"
    fi
    if [ -n "$(ls -A "$tmp/cwd")" ]; then
        fail "hashjoule ${*:1:6}: wrote $(ls -A "$tmp/cwd")"
        rm -rf "${tmp:?}/cwd/"* "$tmp/cwd/".[!.]* 2>/dev/null
    fi
}
# good ARGS...: exit 0 (for inputs that are accepted by design, e.g. unknown fields in results)
good() {
    checks=$((checks + 1))
    (cd "$tmp/cwd" && timeout 60 "$HJ" "$@") >"$tmp/out" 2>"$tmp/err" || fail "hashjoule ${*:1:6}: exit $?: $(head -c 300 "$tmp/err")"
    rm -rf "${tmp:?}/cwd/"* 2>/dev/null
}

GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
BIG_ARG=$(head -c 100000 /dev/zero | tr '\0' 'a')   # 100 kB: about the largest argument Linux passes
LATIN1=$(printf 'caf\xe9')

# --- header hex (hash HEADER_HEX, scan --header) -------------------------------------------
bad "HEADER_HEX: 0 bytes .*expected exactly 80 bytes" hash ""
bad "HEADER_HEX: odd number of hex digits \(159\)" hash "${GENESIS:0:159}"
bad "HEADER_HEX: 79 bytes .*expected exactly 80" hash "${GENESIS:0:158}"
bad "HEADER_HEX: 50000 bytes" hash "$BIG_ARG"
bad "HEADER_HEX: character 1 \('z'\) is not a hex digit" hash "zz${GENESIS:2}"
bad "HEADER_HEX: character 4 .* is not a hex digit" hash "$LATIN1"
# a long option without its value is named as typed
bad "hashjoule fleet: --btc-price: unknown option or missing value" fleet --btc-price
bad "hashjoule compare: --threshold: unknown option or missing value" compare --threshold
bad "hashjoule scan: --header: unknown option or missing value" scan --header
bad "--header: 0 bytes" scan --header "" --count 10
bad "--header: character 1 \('-'\)" scan --header "-1" --count 10
# --- --bits / --target -------------------------------------------------------------------------
bad "--bits: '' is not compact bits" scan --header $GENESIS --bits ""
bad "--bits: '0x1d00ffff00' is not compact bits" scan --header $GENESIS --bits 0x1d00ffff00
bad "--bits: 'xyz' is not compact bits" scan --header $GENESIS --bits xyz
bad "--bits: '-1' is not compact bits" scan --header $GENESIS --bits -1
bad "--bits: .*negative" scan --header $GENESIS --bits 0x04923456
bad "--bits: .*overflow" scan --header $GENESIS --bits 0xff123456
bad "--bits: .*zero" scan --header $GENESIS --bits 0x00000000
bad "--bits: '$LATIN1' is not compact bits" scan --header $GENESIS --bits "$LATIN1"
bad "--target: 0 bytes" scan --header $GENESIS --target ""
bad "--target: 2 bytes" scan --header $GENESIS --target 00ff
bad "--target: 33 bytes" scan --header $GENESIS --target "$(printf 'f%.0s' {1..66})"
bad "--target: character 1 \('g'\)" scan --header $GENESIS --target "g$(printf 'f%.0s' {1..63})"
bad "--bits and --target both given" scan --header $GENESIS --bits 0x1d00ffff --target "$(printf 'f%.0s' {1..64})"
# --- --start / --count -----------------------------------------------------------------------------
bad "--start: missing value" scan --header $GENESIS --start ""
bad "--start: 'abc' is not a non-negative integer" scan --header $GENESIS --start abc
bad "--start: '-1' is not a non-negative integer" scan --header $GENESIS --start -1
bad "--start: 'nan' is not" scan --header $GENESIS --start nan
bad "--start: 'inf' is not" scan --header $GENESIS --start inf
bad "--start: '1e3' is not .*stray 'e3'" scan --header $GENESIS --start 1e3
bad "--start: 18446744073709551616 is out of range" scan --header $GENESIS --start 18446744073709551616
bad "--start: 4294967296 is out of range" scan --header $GENESIS --start 4294967296
bad "--start: '$LATIN1' is not" scan --header $GENESIS --start "$LATIN1"
bad "--count: 0 is out of range" scan --header $GENESIS --count 0
bad "--count: '-5' is not" scan --header $GENESIS --count -5
bad "--count: 4294967297 is out of range" scan --header $GENESIS --count 4294967297
bad "runs past nonce 4294967295.*--wrap" scan --header $GENESIS --start 4294967290 --count 10
B839900=0060962aa39b4310863947efd282b30ff755d3ab247c76ee7e5d010000000000000000004c4577aff36cdfdb0613ee3dc73c46e349da802849ec4f4995f9de8df5838008df1b226619420317178560d2
bad "--versions: missing value" scan --header $B839900 --versions ""
bad "--versions: 'abc' is not a non-negative integer" scan --header $B839900 --versions abc
bad "--versions: '-1' is not" scan --header $B839900 --versions -1
bad "--versions: 'nan' is not" scan --header $B839900 --versions nan
bad "--versions: 0 is out of range" scan --header $B839900 --versions 0
bad "--versions: 65537 is out of range" scan --header $B839900 --versions 65537
bad "--versions: '$LATIN1' is not" scan --header $B839900 --versions "$LATIN1"
bad "--version-start: 65536 is out of range" scan --header $B839900 --version-start 65536
bad "--version-start: '1.5' is not" scan --header $B839900 --version-start 1.5
bad "--version-start 65000 with --versions 1000 runs past 65535" scan --header $B839900 --versions 1000 --version-start 65000
bad "BIP 9 top bits 001.*0x00000001" scan --header $GENESIS --versions 4
# --- bench's numbers -------------------------------------------------------------------------------
for flag in seconds warmup idle-seconds power-watts; do
    bad "--$flag: 'nan' is not a number" bench --$flag nan
    bad "--$flag: 'inf' is not a number" bench --$flag inf
    bad "--$flag: '1e400' is not a number" bench --$flag 1e400
    bad "--$flag: -1 is out of range" bench --$flag -1
    bad "--$flag: '' is not a number" bench --$flag ""
done
bad "--repetitions: '1.5' is not" bench --repetitions 1.5
bad "--threads: '-2' is not" bench --threads -2
bad "--threshold: 'nan' is not a percentage" compare a b --threshold nan
# a file written before version rolling against a rolled one: the hint names --versions
bad "one of them rolled versions and the other did not.*--versions 1" compare "$(cd "$(dirname "$0")/../.." && pwd)/results/vm-20261122-074908.json" "$(cd "$(dirname "$0")/../.." && pwd)/tests/fleet/fixtures/bench_rolled.json"

# --- JSON files: results (compare, fleet --bench), data tables, bitcoin-cli output --------------------
"$HJ" bench --kernel scalar --threads 1 --seconds 0.05 --repetitions 3 --warmup 0 --quiet --out "$F/results.json" \
    >/dev/null 2>&1 || { echo "FAIL: could not make a results file"; exit 1; }
cp "$DATA"/{asics,gpus,network,assumptions}.json "$F/"
cat >"$F/getmininginfo.json" <<'JSON'
{"blocks": 925000, "difficulty": 152271405447597.5, "networkhashps": 1.09e21, "pooledtx": 4200, "chain": "main", "warnings": ""}
JSON
truncate -s 2G "$F/sparse-2GB.json"
# variants NAME: writes NAME-{empty,truncated,line,wrongtype,nan,inf,negative,dupkey,unknown,latin1}.json
python3 - "$F" <<'PY'
import json, sys
F = sys.argv[1]
def num_path(d, name):
    """The object and key of a number the loader checks for range."""
    if name == "results": return d["results"][0]["repetitions"][0], "seconds"
    if name in ("asics", "gpus"): return d[name][0], "power_w" if name == "asics" else "board_power_w"
    if name == "assumptions": return d["parameters"]["electricity_usd_per_mwh"], "value"
    return d, "difficulty"
for name in ["results", "asics", "gpus", "network", "assumptions", "getmininginfo"]:
    text = open(f"{F}/{name}.json").read()
    d = json.loads(text)
    s = json.dumps(d)
    w = lambda kind, body, mode="w": open(f"{F}/{name}-{kind}.json", mode).write(body)
    w("empty", "")
    w("truncated", s[: len(s) // 2])
    w("line", json.dumps({"filler": "x" * 10_000_000}))                     # a 10 MB line
    o, k = num_path(d, name); o[k] = str(o[k]); w("wrongtype", json.dumps(d)); d = json.loads(s)
    w("nan", s.replace(json.dumps(num_path(d, name)[1]) + ": ", json.dumps(num_path(d, name)[1]) + ": NaN, \"_\": ", 1))
    w("inf", s.replace(json.dumps(num_path(d, name)[1]) + ": ", json.dumps(num_path(d, name)[1]) + ": 1e400, \"_\": ", 1))
    o, k = num_path(d, name); o[k] = -abs(o[k]); w("negative", json.dumps(d)); d = json.loads(s)
    first = s.index('"', 1); key = s[1:s.index('"', first + 1) + 1]
    w("dupkey", "{" + key + ": 1, " + s[1:])
    d["zz_unknown_field"] = 1; w("unknown", json.dumps(d)); d = json.loads(s)
    w("latin1", s.replace('"', '"\xe9', 1).encode("latin-1"), "wb")
PY

# json_rows NAME CMD...: the file goes last on the command line (after CMD)
json_rows() {
    local name=$1
    shift
    bad "$name-empty.json: not valid JSON" "$@" "$F/$name-empty.json"
    bad "$name-truncated.json: not valid JSON" "$@" "$F/$name-truncated.json"
    bad "sparse-2GB.json: 2147483648 bytes is larger than the 64 MiB" "$@" "$F/sparse-2GB.json"
    bad "$name-line.json: " "$@" "$F/$name-line.json"
    bad "$name-wrongtype.json: " "$@" "$F/$name-wrongtype.json"
    bad "$name-nan.json: not valid JSON.*NaN" "$@" "$F/$name-nan.json"
    bad "$name-inf.json: not valid JSON.*overflow" "$@" "$F/$name-inf.json"
    bad "$name-negative.json: " "$@" "$F/$name-negative.json"
    bad "$name-dupkey.json: not valid JSON.*duplicate" "$@" "$F/$name-dupkey.json"
    bad "$name-latin1.json: not valid JSON.*unable to decode byte 0xe9" "$@" "$F/$name-latin1.json"
    bad "nonexistent.json: cannot open: No such file" "$@" "$F/nonexistent.json"
    bad "$F: is a directory" "$@" "$F"
}
json_rows results compare "$F/results.json"
good compare "$F/results.json" "$F/results-unknown.json"           # results gain fields: unknown ones are ignored
json_rows results fleet --bench
good fleet --bench "$F/results-unknown.json"
for table in asics gpus network assumptions; do
    json_rows $table fleet --$table
    bad "$table-unknown.json: .*field \"zz_unknown_field\": unknown field" fleet --$table "$F/$table-unknown.json"
done
json_rows getmininginfo fleet --network
good fleet --network "$F/getmininginfo-unknown.json"              # a node prints many fields; unknown ones are ignored
sed 's/"main"/"test"/' "$F/getmininginfo.json" >"$F/testnet.json"
bad "testnet.json: .*'test' is not mainnet" fleet --network "$F/testnet.json"
# Nothing written: a bad table with --svg leaves no chart and no directory.
bad "asics-negative.json" fleet --asics "$F/asics-negative.json" --svg charts

# --- fleet --fleet FILE: the operator's own fleet, CSV (or JSON, read as the tables above) -------------------
printf 'model,units\nAntminer S21 XP,10\n' >"$F/fleet.csv"
good fleet --fleet "$F/fleet.csv"
: >"$F/fleet-empty.csv"
bad "fleet-empty.csv: empty" fleet --fleet "$F/fleet-empty.csv"
printf 'model,units\n' >"$F/fleet-truncated.csv"
bad "fleet-truncated.csv: no rows" fleet --fleet "$F/fleet-truncated.csv"
printf 'model,units\n"Antminer S21 XP,10\n' >"$F/fleet-quote.csv"
bad "fleet-quote.csv: line 2: a quoted field is not closed" fleet --fleet "$F/fleet-quote.csv"
bad "sparse-2GB.json: 2147483648 bytes is larger than the 64 MiB" fleet --fleet "$F/sparse-2GB.json"
{ printf 'model,units\n'; head -c 10000000 /dev/zero | tr '\000' x; printf ',1\n'; } >"$F/fleet-line.csv"
bad "fleet-line.csv: line 2: a field is longer than 255 characters" fleet --fleet "$F/fleet-line.csv"
for v in nan inf 1e400 ''; do
    printf 'model,units,power_w\nAntminer S21 XP,10,%s\n' "$v" >"$F/fleet-num.csv"
    [ -z "$v" ] && continue # an empty cell is a field not given
    bad "fleet-num.csv: row 1 \(line 2, Antminer S21 XP\), field \"power_w\": '$v' is not a number" \
        fleet --fleet "$F/fleet-num.csv"
done
printf 'model,units\nAntminer S21 XP,-10\n' >"$F/fleet-negative.csv"
bad "fleet-negative.csv: row 1 .*\"units\": -10 is out of range" fleet --fleet "$F/fleet-negative.csv"
printf 'model,units\nAntminer S21 XP,10\n\0' >"$F/fleet-nul.csv"
bad "fleet-nul.csv: contains a NUL byte" fleet --fleet "$F/fleet-nul.csv"
printf 'model,units\n\xe9,10\n' >"$F/fleet-latin1.csv"
bad "fleet-latin1.csv: line 2: byte 0xe9 is not UTF-8" fleet --fleet "$F/fleet-latin1.csv"
bad "nonexistent.csv: cannot open: No such file" fleet --fleet "$F/nonexistent.csv"
bad "$F: is a directory" fleet --fleet "$F"

# --- the power command's output (bench --power-cmd) -----------------------------------------------------------
S=(bench --kernel scalar --threads 1 --seconds 0.1 --repetitions 1 --warmup 0 --quiet)
mkcmd() { printf '#!/bin/sh\n%s\n' "$2" >"$F/$1.sh"; chmod +x "$F/$1.sh"; }
mkcmd empty 'exit 0'
mkcmd truncated 'echo "Instantaneous power reading:"'
mkcmd line 'head -c 10000000 /dev/zero | tr "\\000" 7; echo " W"'
mkcmd wrongtype 'echo "power: high"'
mkcmd nan 'echo "nan W"'
mkcmd inf 'echo "1e999 W"'
mkcmd negative 'echo "Power: -220 Watts"'
mkcmd latin1 'printf "Leistung \\351 220 W\\n"'
mkcmd nul 'printf "220 W\\000\\n"'
mkcmd fails 'echo "ipmi: no BMC" >&2; exit 1'
bad "--power-cmd: .*empty.sh': no power reading in ''" "${S[@]}" --power-cmd "$F/empty.sh"
bad "--power-cmd: .*truncated.sh': no power reading in 'Instantaneous power reading:" "${S[@]}" --power-cmd "$F/truncated.sh"
bad "--power-cmd: .*line.sh' printed more than 4095 bytes" "${S[@]}" --power-cmd "$F/line.sh"
bad "--power-cmd: .*wrongtype.sh': no power reading in 'power: high" "${S[@]}" --power-cmd "$F/wrongtype.sh"
bad "--power-cmd: .*nan.sh': no power reading in 'nan W" "${S[@]}" --power-cmd "$F/nan.sh"
bad "--power-cmd: .*inf.sh': '1e999' is not a usable power reading \(not a finite number\)" "${S[@]}" --power-cmd "$F/inf.sh"
bad "--power-cmd: .*negative.sh': '-220' is not a usable power reading \(negative\)" "${S[@]}" --power-cmd "$F/negative.sh"
bad "--power-cmd: .*latin1.sh': the output is not text \(not valid UTF-8\)" "${S[@]}" --power-cmd "$F/latin1.sh"
bad "--power-cmd: .*nul.sh' printed a NUL byte" "${S[@]}" --power-cmd "$F/nul.sh"
bad "--power-cmd: .*fails.sh' exited with status 1: ipmi: no BMC" "${S[@]}" --power-cmd "$F/fails.sh"

# --- sensor files (a fake powercap tree): reported with the file and the problem, measured around -----------------
sensor_row() { # KIND WRITER-COMMAND PATTERN
    local kind=$1 writer=$2 pattern=$3 root="$tmp/sys-$1"
    local zone="$root/class/powercap/intel-rapl:0"
    mkdir -p "$zone"
    echo package-0 >"$zone/name"
    echo 262143328850 >"$zone/max_energy_range_uj"
    (cd "$zone" && eval "$writer")
    checks=$((checks + 1))
    HJ_SYSFS_ROOT="$root" "$HJ" info --json >"$tmp/info.json" 2>"$tmp/err" || { fail "info with a $kind energy_uj: exit $?"; return; }
    python3 - "$tmp/info.json" "$pattern" <<'PY' || fail "info with a $kind energy_uj: no reason matching /$pattern/"
import json, re, sys
d = json.load(open(sys.argv[1]))
notes = [n["reason"] for n in d["energy"]["unavailable"] if n["source"] == "powercap-rapl"]
assert d["energy"]["sensors"] == [], d["energy"]["sensors"]
assert any("intel-rapl:0/energy_uj" in n and re.search(sys.argv[2], n) for n in notes), notes
PY
    checks=$((checks + 1))
    HJ_SYSFS_ROOT="$root" "$HJ" "${S[@]}" --out "$tmp/sensor-$kind.json" >/dev/null 2>"$tmp/err" ||
        { fail "bench with a $kind energy_uj: exit $?: $(cat "$tmp/err")"; return; }
    python3 - "$tmp/sensor-$kind.json" <<'PY' || fail "bench with a $kind energy_uj: energy not null with the reason"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["energy"] is None and "intel-rapl:0/energy_uj" in r["energy_unavailable_reason"], r["energy_unavailable_reason"]
PY
}
sensor_row empty ': >energy_uj' "'' is not an energy counter"
sensor_row truncated 'printf 12 >energy_uj.x; : >energy_uj' "'' is not an energy counter"
sensor_row sparse-2GB 'truncate -s 2G energy_uj' "longer than any such value"
sensor_row line 'head -c 10000000 /dev/zero | tr "\\000" 1 >energy_uj' "longer than any such value"
sensor_row wrongtype 'echo "12 joules" >energy_uj' "'12 joules' is not an energy counter"
sensor_row nan 'echo nan >energy_uj' "'nan' is not an energy counter"
sensor_row negative 'echo -5 >energy_uj' "'-5' is not an energy counter"
sensor_row overflow 'echo 18446744073709551616 >energy_uj' "is not an energy counter"
sensor_row beyond-range 'echo 262143328851 >energy_uj' "beyond max_energy_range_uj"
sensor_row latin1 'printf "\\351\\n" >energy_uj' "'\\?' is not an energy counter"
sensor_row nul 'printf "12\\000\\n" >energy_uj' "holds a NUL byte"
# A broken zone name (non-UTF-8) is named too, not dropped from the JSON.
mkdir -p "$tmp/sys-name/class/powercap/intel-rapl:0"
printf 'pack\351\n' >"$tmp/sys-name/class/powercap/intel-rapl:0/name"
checks=$((checks + 1))
HJ_SYSFS_ROOT="$tmp/sys-name" "$HJ" info --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert any("unknown RAPL domain" in n["reason"] for n in d["energy"]["unavailable"]), d["energy"]["unavailable"]
' || fail "a non-UTF-8 RAPL zone name is not reported"

echo "$checks bad-input checks, $failures failed"
if [ $failures -gt 0 ]; then
    exit 1
fi
echo "all bad-input checks passed"
