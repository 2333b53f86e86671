#!/usr/bin/env bash
# `hashjoule bench` end to end: the results document against its JSON
# Schema, energy from fake sensors (powercap with a counter wrap, NVML, a
# wall-meter command), unreadable and malformed sensor files, a kernel that
# skips work, Ctrl-C, and result files that are never overwritten or left
# half-written.
# Usage: test_bench.sh HASHJOULE HASHJOULE_TEST_CLI FAKE_NVML_DIR SCHEMA
set -u
HJ=${1:?usage: test_bench.sh HASHJOULE TEST_CLI FAKE_NVML_DIR SCHEMA}
HJT=${2:?}
FAKE_NVML_DIR=${3:?}
SCHEMA=${4:?}
HJ=$(realpath "$HJ") HJT=$(realpath "$HJT") FAKE_NVML_DIR=$(realpath "$FAKE_NVML_DIR") SCHEMA=$(realpath "$SCHEMA")
failures=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
writer=
cleanup() { [ -n "$writer" ] && kill "$writer" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

python3 -c 'import jsonschema' || { echo "FAIL: python3 jsonschema is missing (Debian: python3-jsonschema)"; exit 1; }

# No real sensor of the machine running the tests may leak in.
mkdir -p "$tmp/sys-empty"
export HJ_SYSFS_ROOT="$tmp/sys-empty" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
SHORT=(--kernel scalar --threads 1 --seconds 0.2 --repetitions 2 --warmup 0 --quiet)

# check FILE PYTHON: validate FILE against the schema, then run the python
# code with `d` the document (assertions).
check() {
    local file=$1 code=$2
    python3 - "$SCHEMA" "$file" "$code" <<'PY' || return 1
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
d = json.load(open(sys.argv[2]))
jsonschema.validate(d, schema, cls=jsonschema.Draft7Validator)
exec(sys.argv[3])
PY
}

# --- a plain short run: valid document, energy null with the reason ----------------
"$HJ" bench "${SHORT[@]}" --out "$tmp/plain.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "plain bench exited $rc: $(cat "$tmp/err")"
check "$tmp/plain.json" '
assert d["schema_version"] == 1 and d["interrupted"] is False
assert d["tool"]["name"] == "hashjoule" and d["tool"]["git_commit"]
r = d["results"][0]
assert r["kernel"] == "scalar" and r["threads"] == 1 and r["kind"] == "cpu" and r["status"] == "ok", r
assert len(r["repetitions"]) == 2 and len(r["hashes_per_second"]["samples"]) == 2
for rep, s in zip(r["repetitions"], r["hashes_per_second"]["samples"]):
    assert rep["hashes"] > 0 and abs(rep["hashes"] / rep["seconds"] - s) < 1e-6 * s
    assert rep["joules"] is None and rep["energy_window_seconds"] is None
    assert abs(rep["expected_hits"] - rep["hashes"] / 65536) < 1e-6
h = r["hashes_per_second"]
assert h["min"] <= h["median"] <= h["max"]
assert r["energy"] is None
assert "no cpu-package energy sensor" in r["energy_unavailable_reason"], r["energy_unavailable_reason"]
assert "no powercap in this system" in r["energy_unavailable_reason"]
assert r["hit_check"]["plausible"] is True
assert d["protocol"]["target"].startswith("0000ffff")
assert any(n["source"] == "powercap-rapl" for n in d["machine"]["energy"]["unavailable"])
' || fail "plain bench: document"
grep -q 'energy unavailable for scalar: no cpu-package energy sensor' "$tmp/out" || fail "table lacks the energy reason"
grep -Eq '^scalar +1 ' "$tmp/out" || fail "table lacks the result row: $(cat "$tmp/out")"
# Without a terminal: no progress line. The one thing stderr may carry is the
# noisy-run warning, which depends on what else the machine (ctest -j) runs.
grep -v '^hashjoule bench: \(NOISY: \|  \)' "$tmp/err" | grep -q . &&
    fail "stderr not empty without a terminal: $(cat "$tmp/err")"

# --- the default plan: the auto CPU kernel at all cores and 1, plus every device ----
"$HJ" info --json >"$tmp/info.json"
"$HJ" bench --seconds 0.1 --repetitions 1 --warmup 0 --out "$tmp/default.json" >/dev/null 2>"$tmp/err" ||
    fail "default bench failed: $(cat "$tmp/err")"
python3 - "$tmp/info.json" "$tmp/default.json" <<'PY' || fail "default plan"
import json, sys
info, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
cores = info["topology"]["cores"]
want = [(info["auto_kernel"], cores)] + ([(info["auto_kernel"], 1)] if cores > 1 else [])
want += [(k["name"], 1) for k in info["kernels"] if k["kind"] == "device" and k["available"]]
got = [(p["kernel"], p["threads"]) for p in d["protocol"]["plan"]]
assert got == want, (got, want)
PY

# --device narrows the plan: none and cpu keep the CPU kernels only.
for dev in none cpu; do
    "$HJ" bench --kernel all --threads 1 --device $dev --seconds 0.05 --repetitions 1 --warmup 0 --quiet \
        --out "$tmp/dev-$dev.json" >/dev/null 2>&1 || fail "--device $dev failed"
    python3 - "$tmp/info.json" "$tmp/dev-$dev.json" <<'PY' || fail "--device $dev plan"
import json, sys
info, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
want = [(k["name"], 1) for k in info["kernels"] if k["kind"] == "cpu" and k["available"]]
got = [(p["kernel"], p["threads"]) for p in d["protocol"]["plan"]]
assert got == want, (got, want)
PY
done

# --- --json prints the document; --out - writes only to stdout ----------------------
"$HJ" bench "${SHORT[@]}" --json --out "$tmp/j.json" >"$tmp/j.out" 2>/dev/null || fail "bench --json failed"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a==b' \
    "$tmp/j.out" "$tmp/j.json" || fail "--json stdout differs from the file"
"$HJ" bench "${SHORT[@]}" --out - >"$tmp/dash.json" 2>/dev/null || fail "bench --out - failed"
check "$tmp/dash.json" 'assert d["results"][0]["kernel"] == "scalar"' || fail "--out - is not a results document"

# --- CSV and Bencher Metric Format ----------------------------------------------------
"$HJ" bench "${SHORT[@]}" --format csv --out "$tmp/r.csv" >/dev/null 2>&1 || fail "--format csv failed"
python3 - "$tmp/r.csv" <<'PY' || fail "csv output"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 1 and rows[0]["kernel"] == "scalar" and rows[0]["threads"] == "1", rows
assert float(rows[0]["median_hashes_per_second"]) > 0
assert "no powercap" in rows[0]["energy_unavailable_reason"] and rows[0]["joules_per_terahash"] == ""
PY
"$HJ" bench "${SHORT[@]}" --format bmf --out "$tmp/r.bmf.json" >/dev/null 2>&1 || fail "--format bmf failed"
python3 - "$tmp/r.bmf.json" <<'PY' || fail "bmf output"
import json, sys, jsonschema
# Bencher's published BMF schema (bencher.dev/docs/reference/bencher-metric-format)
bmf_schema = {"type": "object", "patternProperties": {".+": {"type": "object", "patternProperties": {".+": {
    "type": "object", "properties": {"value": {"type": "number"}, "lower_value": {"type": "number"},
    "upper_value": {"type": "number"}}, "required": ["value"]}}}}}
d = json.load(open(sys.argv[1]))
jsonschema.validate(d, bmf_schema)
t = d["hashjoule/scalar/threads=1"]["throughput"]
assert 0 < t["lower_value"] <= t["value"] <= t["upper_value"], t
PY

# --- a wall constant: joules = watts x the energy window's seconds, scope wall --------------
"$HJ" bench "${SHORT[@]}" --power-watts 100 --out "$tmp/w.json" >/dev/null 2>&1 || fail "--power-watts run failed"
check "$tmp/w.json" '
e = d["results"][0]["energy"]
reps = d["results"][0]["repetitions"]
assert e["scope"] == "wall" and e["source"] == "wall-constant", e
# exact by construction, up to rounding: power is energy over the window it was measured over
assert abs(e["mean_watts"] - 100) < 1e-9 * 100, e
for rep, rate in zip(reps, d["results"][0]["hashes_per_second"]["samples"]):
    assert abs(rep["joules"] - 100 * rep["energy_window_seconds"]) < 1e-9 * rep["joules"], rep
    # the window brackets the scan: at least the hashing seconds, and not much more
    assert rep["seconds"] <= rep["energy_window_seconds"] < rep["seconds"] + 0.5, rep
    # the rate stays hashes over the hashing seconds
    assert abs(rep["hashes"] / rep["seconds"] - rate) < 1e-9 * rate, (rep, rate)
# energy.seconds keeps its meaning, the hashing seconds; the sum of the windows is beside it
assert abs(e["seconds"] - sum(r["seconds"] for r in reps)) < 1e-9 * e["seconds"], e
assert abs(e["energy_window_seconds"] - sum(r["energy_window_seconds"] for r in reps)) < 1e-9 * e["seconds"], e
assert e["seconds"] <= e["energy_window_seconds"], e
assert abs(e["joules"] - sum(r["joules"] for r in reps)) < 1e-9 * e["joules"], e
assert abs(e["joules_per_terahash"] - e["joules"] / (sum(r["hashes"] for r in reps) / 1e12)) < 1e-9 * e["joules_per_terahash"]
assert abs(e["hashes_per_joule"] * e["joules_per_terahash"] - 1e12) < 1e-9 * 1e12, e
' || fail "--power-watts document"
# fleet reads a stated power as what it is: an estimate, not a measured J/TH
"$HJ" fleet --bench "$tmp/w.json" --json >"$tmp/wf.json" 2>"$tmp/err" || fail "fleet --bench on a --power-watts file: $(cat "$tmp/err")"
python3 - "$tmp/wf.json" <<'PY' || fail "fleet shows a --power-watts J/TH as measured"
import json, sys
(o,) = [o for o in json.load(open(sys.argv[1]))["options"] if o["kind"].startswith("local")]
assert o["available"] and o["unverified_inputs"] is True, o
assert "ESTIMATE" in o["detail"] and "--power-watts" in o["detail"] and "measured, scope" not in o["detail"], o
PY

# --- a wall-meter command (IPMI-style output), with an idle baseline ---------------------
cat >"$tmp/ipmi.sh" <<'EOF'
#!/bin/sh
cat <<'OUT'
    Instantaneous power reading:                   220 Watts
    Minimum during sampling period:                 60 Watts
    Maximum during sampling period:                336 Watts
    IPMI timestamp:                           Thu Jun 20 15:01:00 2024
    Sampling period:                          00000001 Seconds.
OUT
EOF
chmod +x "$tmp/ipmi.sh"
"$HJ" bench "${SHORT[@]}" --power-cmd "$tmp/ipmi.sh" --idle-seconds 0.3 --out "$tmp/cmd.json" >/dev/null 2>"$tmp/err" ||
    fail "--power-cmd run failed: $(cat "$tmp/err")"
check "$tmp/cmd.json" '
e = d["results"][0]["energy"]
assert e["scope"] == "wall" and e["source"] == "wall-command", e
# a constant reading held between samples integrates to 220 W x any window
# exactly, whenever the command is read: the idle baseline and every
# repetition are 220 W up to rounding, and nothing is above idle
assert abs(e["mean_watts"] - 220) < 1e-9 * 220, e
for rep in d["results"][0]["repetitions"]:
    assert abs(rep["joules"] - 220 * rep["energy_window_seconds"]) < 1e-9 * rep["joules"], rep
assert abs(e["idle_watts"] - 220) < 1e-9 * 220, e
assert abs(d["protocol"]["idle_watts"]["wall:command"] - 220) < 1e-9 * 220
assert 0 <= e["joules_above_idle"] < 1e-9 * e["joules"], e
assert e["hashes_per_joule_above_idle"] is None and e["joules_per_terahash_above_idle"] is None, e
assert "no measurable energy above the idle" in e["above_idle_note"], e
' || fail "--power-cmd document"
# A command that fails from the start, or prints no power: bad input, no file.
printf '#!/bin/sh\necho "ipmi: no BMC" >&2\nexit 1\n' >"$tmp/broken.sh"
chmod +x "$tmp/broken.sh"
"$HJ" bench "${SHORT[@]}" --power-cmd "$tmp/broken.sh" --out "$tmp/broken.json" >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] || fail "failing --power-cmd exited $rc, expected 2"
grep -q -- '--power-cmd:.*exited with status 1: ipmi: no BMC' "$tmp/out" || fail "failing --power-cmd message: $(cat "$tmp/out")"
"$HJ" bench "${SHORT[@]}" --power-cmd 'echo hello' --out "$tmp/broken.json" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'no power reading' "$tmp/out" || fail "--power-cmd without a number: $(cat "$tmp/out")"
[ -e "$tmp/broken.json" ] && fail "a failed start left a results file"
# A meter that works, then fails during the run: energy null with the reason.
cat >"$tmp/flaky.sh" <<EOF
#!/bin/sh
n=\$(cat "$tmp/flaky.count" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$tmp/flaky.count"
[ "\$n" -ge 1 ] && { echo "meter went away" >&2; exit 5; }
echo "150 W"
EOF
chmod +x "$tmp/flaky.sh"
"$HJ" bench "${SHORT[@]}" --seconds 1.2 --power-cmd "$tmp/flaky.sh" --out "$tmp/flaky.json" >/dev/null 2>&1 ||
    fail "flaky meter run failed"
check "$tmp/flaky.json" '
r = d["results"][0]
assert r["energy"] is None and "wall:command failed during the run" in r["energy_unavailable_reason"], r
assert "meter went away" in r["energy_unavailable_reason"]
' || fail "flaky meter document"

# --- a fake powercap tree whose counter wraps during the run ------------------------------
root="$tmp/sys-rapl"
mkdir -p "$root/class/powercap/intel-rapl:0" "$root/class/powercap/intel-rapl:0:0"
echo package-0 >"$root/class/powercap/intel-rapl:0/name"
echo 9999999 >"$root/class/powercap/intel-rapl:0/max_energy_range_uj"   # wraps every 10 J
echo 9000000 >"$root/class/powercap/intel-rapl:0/energy_uj"
echo dram >"$root/class/powercap/intel-rapl:0:0/name"
echo 9999999 >"$root/class/powercap/intel-rapl:0:0/max_energy_range_uj"
echo 0 >"$root/class/powercap/intel-rapl:0:0/energy_uj"
# 20 W into the package counter, 2 W into dram, updated every 10 ms by renaming
# complete files into place (as sysfs reads are never torn).
python3 - "$root" <<'PY' &
import os, sys, time
root = sys.argv[1]
zones = [("intel-rapl:0", 20.0, 9000000), ("intel-rapl:0:0", 2.0, 0)]
state = {z: e for z, _, e in zones}
t = time.monotonic()
while True:
    time.sleep(0.01)
    now = time.monotonic()
    for z, w, _ in zones:
        state[z] = (state[z] + int(w * (now - t) * 1e6)) % 10000000
        p = f"{root}/class/powercap/{z}/energy_uj"
        with open(p + ".new", "w") as f:
            f.write(f"{state[z]}\n")
        os.replace(p + ".new", p)
    t = now
PY
writer=$!
sleep 0.2
HJ_SYSFS_ROOT="$root" "$HJ" info >"$tmp/info.txt" 2>&1
grep -Eq 'rapl:0:package-0 +cpu-package +powercap-rapl' "$tmp/info.txt" || fail "info does not list the fake RAPL zone: $(cat "$tmp/info.txt")"
HJ_SYSFS_ROOT="$root" "$HJ" bench --kernel scalar --threads 1 --seconds 0.6 --repetitions 2 --warmup 0 --quiet \
    --out "$tmp/rapl.json" >/dev/null 2>"$tmp/err" || fail "bench with fake RAPL failed: $(cat "$tmp/err")"
kill $writer 2>/dev/null
wait $writer 2>/dev/null
writer=
check "$tmp/rapl.json" '
r = d["results"][0]
e = r["energy"]
assert e is not None, r["energy_unavailable_reason"]
assert e["scope"] == "cpu-package" and e["source"] == "powercap-rapl" and e["sensors"] == ["rapl:0:package-0"], e
# 1.2 s at 20 W crosses the 10 J wrap at least twice; a mishandled wrap is off by ~10 J or 2^64.
assert 15 < e["mean_watts"] < 25, e
assert abs(e["mean_watts"] - e["joules"] / e["energy_window_seconds"]) < 1e-9 * e["mean_watts"], e
assert abs(e["energy_window_seconds"] - sum(rep["energy_window_seconds"] for rep in r["repetitions"])) < 1e-9 * e["seconds"], e
assert abs(e["seconds"] - sum(rep["seconds"] for rep in r["repetitions"])) < 1e-9 * e["seconds"], e
for rep in r["repetitions"]:
    w = rep["energy_window_seconds"]
    assert 0.5 * 20 * w < rep["joules"] < 1.5 * 20 * w, rep
other = {o["sensor"]: o for o in r["other_energy"]}
assert other["rapl:0:0:dram"]["scope"] == "dram" and 1 < other["rapl:0:0:dram"]["mean_watts"] < 3, other
assert abs(e["hashes_per_joule"] * e["joules_per_terahash"] - 1e12) < 1e3
' || fail "fake RAPL document"

# --- unreadable and malformed sensor files --------------------------------------------------
bad="$tmp/sys-bad"
mkdir -p "$bad/class/powercap/intel-rapl:0"
echo package-0 >"$bad/class/powercap/intel-rapl:0/name"
echo 262143328850 >"$bad/class/powercap/intel-rapl:0/max_energy_range_uj"
echo 12345 >"$bad/class/powercap/intel-rapl:0/energy_uj"
chmod 000 "$bad/class/powercap/intel-rapl:0/energy_uj"
chmod -R a+rX "$tmp/sys-bad/class" 2>/dev/null; chmod 000 "$bad/class/powercap/intel-rapl:0/energy_uj"
as_user=()
if [ "$(id -u)" = 0 ]; then
    # root reads mode-000 files; test as nobody, as RAPL users who are not root are.
    if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups -- "$HJ" --version >/dev/null 2>&1; then
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
    else
        as_user=(skip)
    fi
fi
if [ "${as_user[0]:-}" = skip ]; then
    echo "note: permission check skipped (root, and the binary is not runnable as nobody)"
else
    HJ_SYSFS_ROOT="$bad" "${as_user[@]}" "$HJ" bench "${SHORT[@]}" --out - >"$tmp/perm.json" 2>"$tmp/err" ||
        fail "bench with an unreadable RAPL file failed: $(cat "$tmp/err")"
    check "$tmp/perm.json" '
why = d["results"][0]["energy_unavailable_reason"]
assert d["results"][0]["energy"] is None
assert "permission denied on " in why and "intel-rapl:0/energy_uj: run as root" in why, why
' || fail "unreadable RAPL file: reason"
fi
chmod 644 "$bad/class/powercap/intel-rapl:0/energy_uj"
echo "12 joules" >"$bad/class/powercap/intel-rapl:0/energy_uj"
HJ_SYSFS_ROOT="$bad" "$HJ" info --json >"$tmp/badinfo.json" 2>&1 || fail "info with a malformed RAPL file failed"
python3 - "$tmp/badinfo.json" <<'PY' || fail "malformed RAPL file: reason"
import json, sys
d = json.load(open(sys.argv[1]))
notes = [n["reason"] for n in d["energy"]["unavailable"] if n["source"] == "powercap-rapl"]
assert d["energy"]["sensors"] == [] and any("'12 joules' is not an energy counter" in n for n in notes), notes
PY

# --- the NVML loader finds the fake libnvidia-ml.so.1 on LD_LIBRARY_PATH ----------------------
env -u HJ_NVML_LIBRARY LD_LIBRARY_PATH="$FAKE_NVML_DIR" FAKE_NVML_WATTS=250 "$HJ" info >"$tmp/info.txt" 2>&1
grep -Eq 'nvml:0 +gpu-board +nvml +Fake NVIDIA GPU \(energy counter\)' "$tmp/info.txt" ||
    fail "info does not list the fake NVML GPU: $(grep -i nvml "$tmp/info.txt")"
env -u HJ_NVML_LIBRARY LD_LIBRARY_PATH="$FAKE_NVML_DIR" FAKE_NVML_WATTS=250 \
    "$HJ" bench "${SHORT[@]}" --seconds 0.4 --out "$tmp/nvml.json" >/dev/null 2>&1 || fail "bench with fake NVML failed"
check "$tmp/nvml.json" '
r = d["results"][0]
# The GPU board does not cover a CPU kernel: reported on its own, never as its energy.
assert r["energy"] is None and "no cpu-package energy sensor" in r["energy_unavailable_reason"], r
g = [o for o in r["other_energy"] if o["sensor"] == "nvml:0"][0]
assert g["scope"] == "gpu-board" and g["source"] == "nvml" and abs(g["mean_watts"] - 250) < 5, g
' || fail "fake NVML document"

# --- version rolling: each kernel's best by default, a list, hashes = versions x nonces -----------
EASY=00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
"$HJ" bench --kernel scalar,auto --threads 1 --versions 1,best,3 --seconds 0.2 --repetitions 2 --warmup 0 --quiet \
    --target $EASY --out "$tmp/versions.json" >"$tmp/out" 2>"$tmp/err" || fail "bench --versions: $(cat "$tmp/err")"
check "$tmp/versions.json" '
info = json.load(open("'"$tmp/info.json"'"))
best = {k["name"]: k["best_versions"] for k in info["kernels"]}
auto = info["auto_kernel"]
assert best["scalar"] == 1 and best[auto] >= 1, best
got = sorted((r["kernel"], r["versions"], r["versions_choice"].split(":")[0]) for r in d["results"])
want = sorted({("scalar", 1, "best"), ("scalar", 3, "given (--versions)")} |
              {(auto, v, "best" if v == best[auto] else "given (--versions)") for v in {1, best[auto], 3}})
assert got == want, (got, want)
assert sorted((p["kernel"], p["versions"]) for p in d["protocol"]["plan"]) == sorted((k, v) for k, v, _ in want)
for r in d["results"]:
    assert r["status"] == "ok" and r["hit_check"]["plausible"], r
    # every (version, nonce) is a hash: hits follow versions x nonces at 1 in 256
    assert abs(r["hit_check"]["expected_hits"] - (sum(x["hashes"] for x in r["repetitions"]) + r["warmup"]["hashes"]) / 256) < 1e-6 * r["hit_check"]["expected_hits"] + 1e-9
' || fail "bench --versions: document"
grep -Eq '^kernel +threads +versions ' "$tmp/out" || fail "the table has no versions column: $(cat "$tmp/out")"
grep -Eq '^scalar +1 +3 ' "$tmp/out" || fail "the table lacks scalar at 3 versions: $(cat "$tmp/out")"
for v in 0 65537 abc "" "best,x"; do
    "$HJ" bench "${SHORT[@]}" --versions "$v" --out "$tmp/bad-versions.json" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && grep -q -- '--versions' "$tmp/err" || fail "bench --versions '$v': exit $rc: $(cat "$tmp/err")"
    [ -e "$tmp/bad-versions.json" ] && fail "bench --versions '$v' wrote a file"
done

# --- a kernel that skips work fails the hit-count check ---------------------------------------
# An easier target (EASY, 1 hit in 256) gives the check power even when the
# reference-speed test kernel is slowed down by sanitizers.
"$HJT" bench --kernel test-skipper --seconds 0.5 --repetitions 2 --warmup 0 --quiet --target $EASY --out "$tmp/skip.json" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "skipping kernel: exit $rc, expected 3"
grep -q 'FAILED: implausible hit count' "$tmp/out" || fail "skipping kernel: no FAILED line: $(cat "$tmp/out")"
check "$tmp/skip.json" '
r = d["results"][0]
assert r["status"] == "failed" and r["hit_check"]["plausible"] is False, r["hit_check"]
assert "implausible hit count" in r["error"]
assert r["hit_check"]["hits"] < r["hit_check"]["expected_hits"] / 3, r["hit_check"]
' || fail "skipping kernel document"
"$HJT" bench "${SHORT[@]}" --target $EASY --out "$tmp/honest.json" >/dev/null 2>&1 || fail "the honest kernel fails in the test binary"

# --- Ctrl-C and SIGTERM: finished repetitions kept, marked interrupted, exit 130 ---------------
for sig in INT TERM; do
    "$HJ" bench --kernel scalar --threads 1 --seconds 0.3 --repetitions 50 --warmup 0 --quiet \
        --out "$tmp/int-$sig.json" >/dev/null 2>"$tmp/err" &
    pid=$!
    sleep 1.5
    kill -$sig $pid
    wait $pid
    rc=$?
    [ $rc = 130 ] || fail "SIG$sig: bench exited $rc, expected 130"
    check "$tmp/int-$sig.json" '
assert d["interrupted"] is True
r = d["results"][0]
assert r["status"] == "interrupted" and 1 <= len(r["repetitions"]) < 50, (r["status"], len(r["repetitions"]))
assert r["repetitions_planned"] == 50
' || fail "SIG$sig: document"
done

# --- never overwrite, never half-write ----------------------------------------------------------
echo precious >"$tmp/exists.json"
"$HJ" bench "${SHORT[@]}" --out "$tmp/exists.json" >"$tmp/out" 2>&1
rc=$?
[ $rc = 2 ] && grep -q 'already exists.*never overwrites' "$tmp/out" || fail "existing --out: exit $rc: $(cat "$tmp/out")"
[ "$(cat "$tmp/exists.json")" = precious ] || fail "an existing file was overwritten"
"$HJ" bench "${SHORT[@]}" --out "$tmp/no/such/dir/r.json" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'directory .*No such file' "$tmp/out" || fail "missing directory: $(cat "$tmp/out")"
"$HJ" bench "${SHORT[@]}" --out "$tmp" >"$tmp/out" 2>&1
[ $? = 2 ] && grep -q 'is a directory' "$tmp/out" || fail "--out DIR: $(cat "$tmp/out")"
"$HJ" bench "${SHORT[@]}" --out /proc/hashjoule-test.json >"$tmp/out" 2>&1
[ $? = 3 ] && grep -q 'cannot create a file in /proc' "$tmp/out" || fail "unwritable directory: $(cat "$tmp/out")"
# A full disk (here: a file-size limit of 1 KiB): exit 3, nothing left behind.
mkdir "$tmp/full"
(ulimit -f 1; "$HJ" bench "${SHORT[@]}" --out "$tmp/full/r.json") >"$tmp/out" 2>&1
rc=$?
[ $rc = 3 ] && grep -q 'writing .*r.json failed.*nothing was saved' "$tmp/out" || fail "full disk: exit $rc: $(cat "$tmp/out")"
[ -z "$(ls -A "$tmp/full")" ] || fail "full disk left files: $(ls -A "$tmp/full")"
# The default name, twice in the same second: two files, neither overwritten.
mkdir "$tmp/cwd"
(cd "$tmp/cwd" && export XDG_DATA_HOME="$tmp/cwd/xdg" &&
    "$HJ" bench "${SHORT[@]}" --seconds 0.05 --repetitions 1 >/dev/null 2>&1 &&
    "$HJ" bench "${SHORT[@]}" --seconds 0.05 --repetitions 1 >/dev/null 2>&1) || fail "default-name runs failed"
n=$(ls "$tmp/cwd/xdg/hashjoule/results" | grep -Ec "^$(hostname | tr '/ ' '__')-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.json$")
[ "$n" = 2 ] || fail "default names: expected 2 files, got: $(ls -A "$tmp/cwd/xdg/hashjoule/results")"
[ -z "$(find "$tmp" -name '*.tmp.*')" ] || fail "temporary files left: $(find "$tmp" -name '*.tmp.*')"

# --- progress line only on a terminal ------------------------------------------------------------
if command -v script >/dev/null; then
    script -qec "$HJ bench --kernel scalar --threads 1 --seconds 0.7 --repetitions 2 --warmup 0 --out - >/dev/null" \
        /dev/null >"$tmp/tty.out" 2>&1 </dev/null
    grep -q 'repetition 2/2.* left' "$tmp/tty.out" || fail "no progress line on a terminal: $(head -c 300 "$tmp/tty.out")"
    script -qec "$HJ bench --kernel scalar --threads 1 --seconds 0.7 --repetitions 2 --warmup 0 --quiet --out - >/dev/null" \
        /dev/null >"$tmp/tty.out" 2>&1 </dev/null
    grep -q 'left' "$tmp/tty.out" && fail "--quiet still shows progress"
fi

# --- bad input: exit 2 with the argument named -----------------------------------------------------
expect2() {
    local pattern=$1
    shift
    "$HJ" bench "$@" >"$tmp/out" 2>&1
    local rc=$?
    [ $rc = 2 ] && grep -Eq -- "$pattern" "$tmp/out" || fail "bench $*: exit $rc, output: $(head -c 300 "$tmp/out")"
}
expect2 "--seconds: 0 is out of range" --seconds 0
expect2 "--seconds: 'abc' is not a number" --seconds abc
expect2 "--repetitions: 0 is out of range" --repetitions 0
expect2 "--threads: 0 is out of range" --threads 0
expect2 "no kernel named 'warp9'" --kernel warp9
expect2 "--device: no device '7:7'" --device 7:7
expect2 "--format: 'xml' is not json, csv or bmf" --format xml
expect2 "--power-watts and --power-cmd both given" --power-watts 100 --power-cmd 'echo 1 W'
expect2 "--power-watts: -5 is out of range" --power-watts -5
expect2 "--target: " --target 00ff
expect2 "unknown option" --frobnicate
"$HJ" bench --help | grep -q 'usage: hashjoule bench' || fail "bench --help"

if [ $failures -gt 0 ]; then
    echo "$failures bench check(s) failed"
    exit 1
fi
echo "all bench checks passed"
