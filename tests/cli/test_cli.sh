#!/usr/bin/env bash
# The command line as scripts use it: outputs, exit codes and error messages.
# Usage: test_cli.sh PATH/TO/hashjoule
set -u
HJ=$(realpath "${1:?usage: test_cli.sh HASHJOULE}")
. "$(dirname "$0")/../lib/cli_checks.sh"
GENESIS=0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c
B125552=0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695


# --- hash -------------------------------------------------------------------------
expect_exit 0 '^000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f$' -- hash "$GENESIS"
[ "$("$HJ" hash "$GENESIS" | wc -l)" = 1 ] || fail "hash prints more than one line"
expect_exit 0 '^00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d$' -- hash "$B125552"
expect_exit 2 'odd number of hex digits' -- hash "${GENESIS:0:159}"
expect_exit 2 '79 bytes.*expected exactly 80' -- hash "${GENESIS:0:158}"
expect_exit 2 '81 bytes.*expected exactly 80' -- hash "${GENESIS}00"
expect_exit 2 'not a hex digit' -- hash "${GENESIS:0:10}zz${GENESIS:12}"
expect_exit 2 'exactly one argument' -- hash
expect_exit 0 'usage: hashjoule hash' -- hash --help

# --- scan: a real block's window finds exactly its nonce -----------------------------
expect_exit 0 '^nonce=2504433986 hash=00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d$' -- \
    scan --header "$B125552" --start 2504433000 --count 2000 --kernel scalar
[ "$(grep -c '^nonce=' "$tmp/out")" = 1 ] || fail "window scan: expected exactly one hit"
grep -Eq '^summary hashes=2000 .*complete=yes' "$tmp/out" || fail "window scan: summary line: $(cat "$tmp/out")"
expect_exit 0 '"nonce": 2504433986' -- scan --header "$B125552" --start 2504433000 --count 2000 --json
python3 - "$tmp/out" <<'PY' || fail "scan --json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["hashes"] == 2000 and d["complete"] is True, d
assert [f["nonce"] for f in d["found"]] == [2504433986], d["found"]
assert d["found"][0]["hash"] == "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d"
assert isinstance(d["seconds"], float) and len(d["per_thread"]) == d["threads"]
PY

# --- scan: easy target, hit set equals Python's hashlib over the same range ---------------
TARGET=00ffffff00000000000000000000000000000000000000000000000000000000
expect_exit 0 'summary' -- scan --header "$GENESIS" --start 4294960000 --count 7296 --target $TARGET --threads 2
grep '^nonce=' "$tmp/out" >"$tmp/hits"
python3 - "$GENESIS" "$TARGET" 4294960000 7296 "$tmp/hits" <<'PY' || fail "easy-target scan differs from hashlib"
import hashlib, struct, sys
hdr, target, start, count = bytes.fromhex(sys.argv[1]), int(sys.argv[2], 16), int(sys.argv[3]), int(sys.argv[4])
want = []
for n in range(start, start + count):
    h = hashlib.sha256(hashlib.sha256(hdr[:76] + struct.pack('<I', n)).digest()).digest()[::-1].hex()
    if int(h, 16) <= target:
        want.append(f"nonce={n} hash={h}")
got = open(sys.argv[5]).read().splitlines()
assert len(want) > 5, "test target too hard"
assert got == want, (len(got), len(want))
PY

# --- scan: bad input, each exit 2 with a message naming the problem ---------------
expect_exit 2 '--header is required' -- scan --count 10
expect_exit 2 '--header: 79 bytes' -- scan --header "${GENESIS:0:158}"
expect_exit 2 '--bits.*negative' -- scan --header "$GENESIS" --count 10 --bits 0x04923456
expect_exit 2 '--bits.*overflow' -- scan --header "$GENESIS" --count 10 --bits 0xff123456
expect_exit 2 '--bits.*not compact bits' -- scan --header "$GENESIS" --count 10 --bits 0x1d00ffffff
expect_exit 2 '--bits.*not compact bits' -- scan --header "$GENESIS" --count 10 --bits xyz
expect_exit 2 '--count: 0 is out of range' -- scan --header "$GENESIS" --count 0
expect_exit 2 '--count.*out of range' -- scan --header "$GENESIS" --count 4294967297
expect_exit 2 '--start: 4294967296 is out of range' -- scan --header "$GENESIS" --start 4294967296 --count 1
expect_exit 2 '--start.*not a non-negative integer' -- scan --header "$GENESIS" --start -1 --count 1
expect_exit 2 '--start.*stray' -- scan --header "$GENESIS" --start 12abc --count 1
expect_exit 2 'runs past nonce 4294967295' -- scan --header "$GENESIS" --start 4294967290 --count 10
expect_exit 0 'complete=yes' -- scan --header "$GENESIS" --start 4294967290 --count 10 --wrap
expect_exit 2 '--target: 2 bytes' -- scan --header "$GENESIS" --count 10 --target 00ff
expect_exit 2 'both given' -- scan --header "$GENESIS" --count 10 --bits 0x1d00ffff --target $TARGET
expect_exit 2 "no kernel named 'warp9'" -- scan --header "$GENESIS" --count 10 --kernel warp9
expect_exit 2 '--threads: 0 is out of range' -- scan --header "$GENESIS" --count 10 --threads 0
expect_exit 2 'unknown option' -- scan --header "$GENESIS" --frobnicate
expect_exit 2 'more than --max-hits 3' -- scan --header "$GENESIS" --count 5000 --target $TARGET --max-hits 3
expect_exit 0 'usage: hashjoule scan' -- scan --help

# --- scan --versions: version rolling (BIP 320) ----------------------------------------------
# Block 839900 was mined with version rolling (version 0x2a966000: bits 13..28 = 0x54b3 = 21683):
# rolling 16 versions around it over a window of its nonce finds exactly it.
B839900=0060962aa39b4310863947efd282b30ff755d3ab247c76ee7e5d010000000000000000004c4577aff36cdfdb0613ee3dc73c46e349da802849ec4f4995f9de8df5838008df1b226619420317178560d2
H839900=000000000000000000023dfafae2b6e6b5ecf9d1365fafa075dec49625721f37
for k in scalar auto; do
    expect_exit 0 "^nonce=3529540887 hash=$H839900 version=0x2a966000\$" -- \
        scan --header "$B839900" --start 3529540000 --count 2000 --versions 16 --version-start 21676 --kernel $k
    [ "$(grep -c '^nonce=' "$tmp/out")" = 1 ] || fail "rolled window scan ($k): expected exactly one hit"
    grep -Eq '^summary hashes=32000 .*complete=yes versions=16$' "$tmp/out" || fail "rolled scan summary: $(cat "$tmp/out")"
done
expect_exit 0 '"version_hex": "2a966000"' -- \
    scan --header "$B839900" --start 3529540000 --count 2000 --versions 16 --version-start 21676 --json
python3 - "$tmp/out" <<'PY' || fail "scan --versions --json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["hashes"] == 32000 and d["versions"] == 16 and d["version_start"] == 21676, d
assert [(f["version"], f["nonce"]) for f in d["found"]] == [(0x2a966000, 3529540887)], d["found"]
PY
# --versions 1 without a start: the header as it is, with its version printed
expect_exit 0 "^nonce=3529540887 hash=$H839900 version=0x2a966000\$" -- \
    scan --header "$B839900" --start 3529540000 --count 2000 --versions 1
# Easy target: the hit set is hashlib's over versions x nonces, in (version, nonce) order, wrapping
expect_exit 0 'summary' -- scan --header "$B839900" --start 4294967000 --count 600 --wrap --target $TARGET \
    --versions 5 --version-start 65531 --threads 2
grep '^nonce=' "$tmp/out" >"$tmp/vhits"
python3 - "$B839900" "$TARGET" "$tmp/vhits" <<'PY' || fail "rolled easy-target scan differs from hashlib"
import hashlib, struct, sys
hdr, target = bytes.fromhex(sys.argv[1]), int(sys.argv[2], 16)
base = struct.unpack('<I', hdr[:4])[0] & ~0x1fffe000
want = []
for field in range(65531, 65536):
    v = base | (field << 13)
    for i in range(600):
        n = (4294967000 + i) % 2**32
        h = hashlib.sha256(hashlib.sha256(struct.pack('<I', v) + hdr[4:76] + struct.pack('<I', n)).digest()).digest()
        h = h[::-1].hex()
        if int(h, 16) <= target:
            want.append(f"nonce={n} hash={h} version=0x{v:08x}")
got = open(sys.argv[3]).read().splitlines()
assert len(want) > 5, "test target too hard"
assert got == want, (len(got), len(want), got[:3], want[:3])
PY
expect_exit 2 'needs a header whose version has the BIP 9 top bits 001.*0x00000001' -- \
    scan --header "$GENESIS" --count 10 --versions 2
expect_exit 2 'BIP 9 top bits' -- scan --header "$GENESIS" --count 10 --version-start 3
expect_exit 2 '--versions: 0 is out of range; expected 1..65536' -- scan --header "$B839900" --count 10 --versions 0
expect_exit 2 '--versions: 65537 is out of range' -- scan --header "$B839900" --count 10 --versions 65537
expect_exit 2 '--version-start: 65536 is out of range; expected 0..65535' -- \
    scan --header "$B839900" --count 10 --version-start 65536
expect_exit 2 '--version-start 65535 with --versions 2 runs past 65535.*at most 65536' -- \
    scan --header "$B839900" --count 10 --versions 2 --version-start 65535
expect_exit 2 'runs past 65535.*the start defaults to the header.s own value' -- \
    scan --header "$B839900" --count 10 --versions 60000

# --- scan: Ctrl-C stops cleanly, reports what was scanned, exits 130 ------------------
"$HJ" scan --header "$GENESIS" --kernel scalar --threads 1 >"$tmp/int.out" 2>"$tmp/int.err" &
pid=$!
sleep 0.5
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "interrupted scan exited $rc, expected 130"
grep -q 'complete=no (interrupted)' "$tmp/int.out" || fail "interrupted scan: summary not marked: $(cat "$tmp/int.out")"
grep -q 'interrupted after' "$tmp/int.err" || fail "interrupted scan: no note on stderr"

# --- info, version, help ----------------------------------------------------------------
expect_exit 0 'Kernels \(auto = ' -- info
expect_exit 0 '"kernels"' -- info --json
python3 - "$tmp/out" <<'PY' || fail "info --json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
for key in ("hashjoule", "cpu", "topology", "opencl", "kernels", "auto_kernel"):
    assert key in d, key
assert d["topology"]["cores"] >= 1 and d["topology"]["pus"] >= d["topology"]["cores"]
assert any(k["name"] == "scalar" and k["available"] for k in d["kernels"])
for k in d["kernels"]:
    assert k["available"] or k["unavailable_reason"], k
assert "devices" in d["opencl"]
PY
expect_exit 2 "unknown argument '--bogus'" -- info --bogus
expect_exit 0 '^hashjoule [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-f]{7,}|unknown' -- --version
expect_exit 0 'Commands:' -- --help
expect_exit 2 "unknown command 'frob'" -- frob
expect_exit 2 'usage' --

# -h and -V everywhere, as --help and --version
expect_exit 0 '^hashjoule [0-9]+\.[0-9]+\.[0-9]+ ' -- -V
expect_exit 0 'Commands:' -- -h
for c in hash scan info bench compare fleet report; do
    expect_exit 0 "usage: hashjoule $c" -- "$c" -h
    expect_exit 0 '^hashjoule [0-9]+\.[0-9]+\.[0-9]+ ' -- "$c" -V
done
# a value that looks like -h is still a value
expect_exit 2 "'-h' is not a non-negative integer" -- scan --header "$GENESIS" --count -h

# --- --threads above the logical CPUs: a warning, the run still done ----------------------
pus=$(nproc --all)
expect_exit 0 'summary' -- scan --header "$GENESIS" --count 1000 --threads $((pus + 1))
grep -q "warning: --threads $((pus + 1)) is more than the $pus logical CPUs of this machine: the run is oversubscribed" "$tmp/err" ||
    fail "scan --threads above the CPUs: no oversubscription warning: $(cat "$tmp/err")"
expect_exit 0 'summary' -- scan --header "$GENESIS" --count 1000 --threads "$pus"
grep -q oversubscribed "$tmp/err" && fail "scan --threads = CPUs warns: $(cat "$tmp/err")"
expect_exit 0 'results' -- bench --kernel scalar --threads $((pus + 1)) --seconds 0.05 --repetitions 1 --warmup 0 \
    --quiet --out "$tmp/over.json"
grep -q "hashjoule bench: warning: --threads $((pus + 1)) is more than" "$tmp/err" ||
    fail "bench --threads above the CPUs: no oversubscription warning: $(cat "$tmp/err")"

# --- where results go without --out: the history folder, printed ------------------------
S=(bench --kernel scalar --threads 1 --seconds 0.05 --repetitions 1 --warmup 0 --quiet)
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && XDG_DATA_HOME="$tmp/xdg" "$HJ" "${S[@]}") >"$tmp/out" 2>"$tmp/err" || fail "bench to XDG_DATA_HOME: $(cat "$tmp/err")"
saved=$(sed -n 's/^results: //p' "$tmp/out")
case "$saved" in "$tmp/xdg/hashjoule/results/"*.json) ;; *) fail "bench without --out wrote '$saved', not into XDG_DATA_HOME/hashjoule/results/" ;; esac
[ -s "$saved" ] || fail "the printed results path does not exist: $saved"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "bench without --out wrote into the current directory: $(ls -A "$tmp/cwd")"
(cd "$tmp/cwd" && env -u XDG_DATA_HOME HOME="$tmp/home" "$HJ" "${S[@]}" --format csv) >"$tmp/out" 2>"$tmp/err" ||
    fail "bench to HOME: $(cat "$tmp/err")"
grep -Eq "^results: $tmp/home/\.local/share/hashjoule/results/.*\.csv$" "$tmp/out" ||
    fail "without XDG_DATA_HOME the results are not in ~/.local/share/hashjoule/results: $(cat "$tmp/out")"
(cd "$tmp/cwd" && env -u XDG_DATA_HOME -u HOME "$HJ" "${S[@]}") >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'no folder for results.*pass --out FILE' "$tmp/err" || fail "no HOME: $(cat "$tmp/err")"

# --- an export where a results document is expected: said as such -----------------------
"$HJ" "${S[@]}" --format csv --out "$tmp/r.csv" >/dev/null 2>&1 || fail "bench --format csv"
"$HJ" "${S[@]}" --format bmf --out "$tmp/r.bmf.json" >/dev/null 2>&1 || fail "bench --format bmf"
expect_exit 2 'r\.csv: this is a CSV export of bench results; compare reads the JSON results document' -- \
    compare "$saved" "$tmp/r.csv"
expect_exit 2 'r\.bmf\.json: this is a BMF \(Bencher Metric Format\) export of bench results; compare reads the JSON' -- \
    compare "$tmp/r.bmf.json" "$saved"
expect_exit 2 'r\.csv: this is a CSV export of bench results; fleet --bench reads the JSON results document' -- \
    fleet --bench "$tmp/r.csv"
expect_exit 2 'this is a BMF \(Bencher Metric Format\) export of bench results; fleet --bench reads' -- \
    fleet --bench "$tmp/r.bmf.json"

finish cli
