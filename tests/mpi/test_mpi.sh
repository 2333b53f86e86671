#!/usr/bin/env bash
# `hashjoule bench --mpi` under Open MPI's mpirun on this one machine: the
# fleet file against its JSON Schema (and every rank's own document against
# the bench schema), totals equal to the sum of the parts, the node rule, a
# rank with a bad device, a bad option or another protocol, a rank whose
# kernel crashes, a rank that hangs (stopped with SIGSTOP) and a hung kernel
# process: each time the run finishes, the fleet file names the rank and
# keeps the others. Then compare and fleet --bench on fleet files.
# Usage: test_mpi.sh HASHJOULE HASHJOULE_MPI_TEST_CLI SCHEMA_DIR
# Exit 77 (skipped) when mpirun is not installed.
set -u
HJ=${1:?usage: test_mpi.sh HASHJOULE TEST_CLI SCHEMA_DIR}
HJT=${2:?}
SCHEMAS=${3:?}
command -v mpirun >/dev/null || { echo "SKIP: mpirun not found (Debian: openmpi-bin)"; exit 77; }
HJ=$(realpath "$HJ") HJT=$(realpath "$HJT") SCHEMAS=$(realpath "$SCHEMAS")
failures=0
tmp=$(mktemp -d)
stopped=()
cleanup() {
    # Processes this script stopped, by their pid: never leave one behind.
    for p in "${stopped[@]}"; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
python3 -c 'import jsonschema' || { echo "FAIL: python3 jsonschema is missing (Debian: python3-jsonschema)"; exit 1; }

# No real sensor of the machine running the tests may leak in.
mkdir -p "$tmp/sys-empty"
export HJ_SYSFS_ROOT="$tmp/sys-empty" HJ_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1
# Open MPI in a container, as root, two ranks on two cores: run as root,
# oversubscribe, shared memory without cross-process copies (CMA needs
# ptrace rights containers rarely give), no binding (rank 0 pins its own
# worker threads). Leak checking is off for these runs only: Open MPI's
# own allocations at exit are reported as leaks under ASan.
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_btl=self,vader OMPI_MCA_orte_base_help_aggregate=0
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
MPIRUN=(timeout 120 mpirun --allow-run-as-root --oversubscribe --bind-to none)
SHORT=(--kernel scalar --threads 1 --seconds 0.3 --repetitions 2 --warmup 0)

# check FILE PYTHON: FILE against the fleet schema, every rank document
# against the bench schema, then the python code with `d` the document.
check() {
    python3 - "$SCHEMAS" "$1" "$2" <<'PY'
import json, sys, jsonschema
fleet_schema = json.load(open(sys.argv[1] + "/bench-fleet-v1.schema.json"))
bench_schema = json.load(open(sys.argv[1] + "/bench-results-v1.schema.json"))
for s in (fleet_schema, bench_schema):
    jsonschema.Draft7Validator.check_schema(s)
d = json.load(open(sys.argv[2]))
jsonschema.validate(d, fleet_schema, cls=jsonschema.Draft7Validator)
ranks = [r for n in d["nodes"] for r in n["ranks"]]
for r in ranks:
    if r["document"] is not None:
        jsonschema.validate(r["document"], bench_schema, cls=jsonschema.Draft7Validator)
by_rank = {r["rank"]: r for r in ranks}
def close(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)
def sums_hold():
    """totals = the sum of the parts, from the rank documents themselves"""
    t = d["totals"]
    devs = [x for n in d["nodes"] for x in n["devices"]]
    assert t["devices"] == len(devs)
    assert close(t["hashes_per_second"], sum(x["hashes_per_second"] for x in devs)), t
    for x in devs:  # each device's best is a real result of its rank's document
        doc = by_rank[x["rank"]]["document"]
        same = [r for r in doc["results"] if r["kernel"] == x["kernel"] and r["threads"] == x["threads"]]
        assert len(same) == 1 and close(same[0]["hashes_per_second"]["median"], x["hashes_per_second"])
        assert close(x["hashes"], sum(p["hashes"] for p in same[0]["repetitions"]))
    for s in t["by_scope"]:
        assert s["devices"] == len(s["parts"])
        assert close(s["joules"], sum(p["joules"] for p in s["parts"]))
        assert close(s["hashes"], sum(p["hashes"] for p in s["parts"]))
        assert close(s["joules_per_terahash"], s["mean_watts"] / s["mean_hashes_per_second"] * 1e12)
exec(sys.argv[3])
PY
}

# --- one node, two ranks: rank 0 the CPU, rank 1 the devices (none here) ---------------
"${MPIRUN[@]}" -np 2 "$HJ" bench --mpi "${SHORT[@]}" --out "$tmp/node.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "two ranks on one node exited $rc: $(cat "$tmp/err")"
check "$tmp/node.json" '
assert d["kind"] == "fleet" and d["schema_version"] == 1 and d["mpi"]["world_size"] == 2
assert d["mpi"]["split"] == "node" and "Open MPI" in d["mpi"]["library"]
assert len(d["nodes"]) == 1, "both ranks share this machine: one node"
n = d["nodes"][0]
r0, r1 = n["ranks"]
assert (r0["rank"], r0["local_rank"], r0["local_size"], r0["role"]) == (0, 0, 2, "cpu"), r0
assert (r1["rank"], r1["local_rank"], r1["role"]) == (1, 1, "devices"), r1
assert r0["status"] == "ok" and [x["kernel"] for x in r0["document"]["results"]] == ["scalar"]
# the CPU belongs to rank 0 only; no device is left for rank 1 on a machine without GPUs
assert all(x["kind"] == "cpu" for x in r0["document"]["results"])
if r1["status"] == "idle":
    assert "nothing to run" in r1["error"] and r1["document"] is None
assert len(n["devices"]) >= 1 and n["devices"][0]["key"] == "cpu"
assert d["totals"]["complete"] is True and d["totals"]["missing"][0]["status"] == "no energy"
# a wall reading is not used when ranks share a node, and the reason says so
assert "ranks share this node" in n["devices"][0]["energy_unavailable_reason"]
sums_hold()
' || fail "two ranks on one node: fleet document"
grep -q 'fleet: 1 node(s), 1 ok, 1 device(s)' "$tmp/out" || fail "no fleet summary: $(cat "$tmp/out")"
grep -q "fleet results: $tmp/node.json" "$tmp/out" || fail "the file is not named: $(cat "$tmp/out")"

# --- two nodes (a rank each), each with its wall meter: totals = sum of the parts --------
"${MPIRUN[@]}" -np 2 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --power-watts 150 --out "$tmp/two.json" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "two nodes exited $rc: $(cat "$tmp/err")"
check "$tmp/two.json" '
assert [n["name"] for n in d["nodes"]] == ["vm#0", "vm#1"] or len(d["nodes"]) == 2
assert all(n["status"] == "ok" and len(n["ranks"]) == 1 and n["ranks"][0]["role"] == "all" for n in d["nodes"])
t = d["totals"]
assert t["nodes"] == 2 and t["nodes_ok"] == 2 and t["devices"] == 2 and t["complete"] is True and t["missing"] == []
(w,) = t["by_scope"]
# each part is its stated 150 W over its own energy windows, to rounding
assert w["scope"] == "wall" and w["devices"] == 2 and abs(w["mean_watts"] - 300) < 1e-9 * 300, w
for n in d["nodes"]:
    e = n["devices"][0]["energy"]
    assert e["scope"] == "wall" and e["source"] == "wall-constant"
# a stated power (--power-watts) is not a measurement: the total says so
assert w["estimated"] is True, w
assert any("same host" in x for x in d["warnings"]), d["warnings"]
sums_hold()
' || fail "two nodes: totals"
grep -q "J/TH (ESTIMATE: a stated --power-watts)" "$tmp/out" || fail "the wall total is not labelled an estimate: $(cat "$tmp/out")"

# --- rank 1 with a device this machine does not have -------------------------------------
"${MPIRUN[@]}" -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --out "$tmp/baddev.json" : \
    -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --device 9:9 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "a failed rank: exit $rc, expected 3: $(cat "$tmp/err")"
check "$tmp/baddev.json" '
r0, r1 = d["nodes"][0]["ranks"][0], d["nodes"][1]["ranks"][0]
assert r0["status"] == "ok" and r0["document"]["results"][0]["status"] == "ok"
assert r1["status"] == "failed" and "--device" in r1["error"] and "9:9" in r1["error"] and r1["document"] is None
assert d["nodes"][1]["status"] == "failed" and "rank 1" in d["nodes"][1]["errors"][0]
m = [x for x in d["totals"]["missing"] if x.get("rank") == 1]
assert m and m[0]["status"] == "failed" and "9:9" in m[0]["reason"]
assert d["totals"]["complete"] is False and d["totals"]["nodes_ok"] == 1 and d["totals"]["ranks_missing"] == 1
sums_hold()
' || fail "bad device on rank 1"
grep -q "failed: --device: no device '9:9'" "$tmp/out" || fail "the table does not name the failed rank: $(cat "$tmp/out")"

# --- rank 1 with a bad option, and a rank with another protocol -----------------------------
"${MPIRUN[@]}" -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --out "$tmp/badopt.json" : \
    -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --frobnicate >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "a bad option on rank 1: exit $rc, expected 3: $(cat "$tmp/err")"
check "$tmp/badopt.json" '
r1 = d["nodes"][1]["ranks"][0]
assert r1["status"] == "failed" and "--frobnicate" in r1["error"], r1
assert d["nodes"][0]["ranks"][0]["status"] == "ok"
' || fail "bad option on rank 1"
"${MPIRUN[@]}" -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --out "$tmp/proto.json" : \
    -np 1 "$HJ" bench --mpi --mpi-split rank "${SHORT[@]}" --repetitions 3 >/dev/null 2>"$tmp/err"
check "$tmp/proto.json" '
r1 = d["nodes"][1]["ranks"][0]
assert r1["status"] == "failed" and "--repetitions 3 where rank 0 has 2" in r1["error"], r1["error"]
' || fail "another protocol on rank 1"

# --- rank 1's kernel crashes its process ------------------------------------------------------
"${MPIRUN[@]}" -np 1 "$HJT" bench --mpi --mpi-split rank "${SHORT[@]}" --out "$tmp/crash.json" : \
    -np 1 "$HJT" bench --mpi --mpi-split rank --kernel test-crasher --seconds 0.3 --repetitions 2 --warmup 0 \
    >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "a crashing kernel: exit $rc, expected 3: $(cat "$tmp/err")"
check "$tmp/crash.json" '
r1 = d["nodes"][1]["ranks"][0]
assert r1["status"] == "failed" and r1["document"] is None
# killed by the signal, or (under ASan, which catches SIGSEGV) exited with its report
assert ("crashed: killed by signal" in r1["error"] or "exited with status" in r1["error"]), r1["error"]
assert "test-crasher" in r1["error"], r1["error"]
r0 = d["nodes"][0]["ranks"][0]
assert r0["status"] == "ok" and r0["document"]["results"][0]["kernel"] == "scalar"
sums_hold()
' || fail "crashing kernel on rank 1"

# --- rank 1 hangs (SIGSTOP): rank 0 declares it lost after --mpi-timeout, writes, ends the job --
LONG=(--kernel scalar --threads 1 --seconds 0.5 --repetitions 6 --warmup 0 --mpi-split rank --mpi-timeout 3)
t0=$(date +%s)
"${MPIRUN[@]}" -np 1 "$HJ" bench --mpi "${LONG[@]}" --out "$tmp/hang.json" : \
    -np 1 bash -c 'echo $$ >"$0"; exec "$1" bench --mpi "${@:2}"' "$tmp/pid1" "$HJ" "${LONG[@]}" \
    >"$tmp/out" 2>"$tmp/err" &
runner=$!
for _ in $(seq 100); do [ -s "$tmp/pid1" ] && break; sleep 0.1; done
sleep 1.5
pid1=$(cat "$tmp/pid1" 2>/dev/null)
if [ -n "$pid1" ]; then
    stopped+=("$pid1")
    kill -STOP "$pid1"
fi
wait $runner
rc=$?
t1=$(date +%s)
[ $rc = 3 ] || fail "a hung rank: exit $rc, expected 3: $(cat "$tmp/err")"
[ $((t1 - t0)) -lt 60 ] || fail "a hung rank held the run for $((t1 - t0)) s"
check "$tmp/hang.json" '
r1 = d["nodes"][1]["ranks"][0]
assert r1["status"] == "lost" and "no message for 3 s" in r1["error"], r1
assert d["nodes"][0]["ranks"][0]["status"] == "ok"
assert len(d["nodes"][0]["ranks"][0]["document"]["results"][0]["repetitions"]) == 6
assert any(x.get("rank") == 1 and x["status"] == "lost" for x in d["totals"]["missing"])
' || fail "hung rank 1"
grep -q "rank 1 is lost" "$tmp/err" || fail "no message about the lost rank: $(cat "$tmp/err")"

# --- rank 1's benchmark process hangs: its own agent kills it and reports it ---------------------
rm -f "$tmp/pid1"
"${MPIRUN[@]}" -np 1 "$HJ" bench --mpi "${LONG[@]}" --out "$tmp/hungworker.json" : \
    -np 1 bash -c 'echo $$ >"$0"; exec "$1" bench --mpi "${@:2}"' "$tmp/pid1" "$HJ" "${LONG[@]}" \
    >"$tmp/out" 2>"$tmp/err" &
runner=$!
for _ in $(seq 100); do [ -s "$tmp/pid1" ] && break; sleep 0.1; done
sleep 1.5
worker=$(pgrep -P "$(cat "$tmp/pid1")" | head -1)
if [ -n "$worker" ]; then
    stopped+=("$worker")
    kill -STOP "$worker"
else
    fail "no benchmark process under rank 1's agent"
fi
wait $runner
rc=$?
[ $rc = 3 ] || fail "a hung benchmark process: exit $rc, expected 3: $(cat "$tmp/err")"
check "$tmp/hungworker.json" '
r1 = d["nodes"][1]["ranks"][0]
assert r1["status"] == "failed" and "hung (no progress for" in r1["error"] and "scalar" in r1["error"], r1
assert d["nodes"][0]["ranks"][0]["status"] == "ok"
' || fail "hung benchmark process on rank 1"

# --- rank 0's --out: never overwritten, a bad directory refused before anything runs ---------------
echo keep >"$tmp/exists.json"
"${MPIRUN[@]}" -np 2 "$HJ" bench --mpi "${SHORT[@]}" --out "$tmp/exists.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] || fail "existing --out: exit $rc, expected 2"
[ "$(cat "$tmp/exists.json")" = keep ] || fail "existing --out was overwritten"
grep -q "exists" "$tmp/err" || fail "existing --out: message: $(cat "$tmp/err")"
"${MPIRUN[@]}" -np 2 "$HJ" bench --mpi "${SHORT[@]}" --out "$tmp/no/such/dir/f.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] || fail "--out in a missing directory: exit $rc, expected 2"
ls "$tmp"/.*tmp* "$tmp"/*.tmp* >/dev/null 2>&1 && fail "a temporary file was left behind: $(ls -a "$tmp")"
"${MPIRUN[@]}" -np 2 "$HJ" bench --mpi "${SHORT[@]}" --format csv >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "json only" "$tmp/err" || fail "--mpi --format csv: exit $rc: $(cat "$tmp/err")"

# --- report: each rank's machine of a cluster document is a machine of the report ----------------
"$HJ" report "$tmp/two.json" --json >"$tmp/report.json" 2>"$tmp/err" || fail "report of a cluster file: $(cat "$tmp/err")"
python3 - "$tmp/two.json" "$tmp/report.json" <<'PY' || fail "report of a cluster file: $(head -c 600 "$tmp/report.json")"
import json, sys
d, rep = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ranks = [(n["name"], r["document"]) for n in d["nodes"] for r in n["ranks"] if r.get("document")]
assert len(rep["machines"]) == len(ranks) >= 2, (len(rep["machines"]), len(ranks))
for m, (name, doc) in zip(rep["machines"], ranks):
    assert m["name"].endswith(" / " + name), (m["name"], name)
PY

# --- compare: two fleet runs match node by node; a fleet and a single machine do not mix ---------
"$HJ" compare "$tmp/two.json" "$tmp/two.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || fail "compare of a fleet file with itself: exit $rc: $(cat "$tmp/err")"
grep -Eq '^vm#0/scalar +1 .* same$' "$tmp/out" && grep -Eq '^vm#1/scalar +1 .* same$' "$tmp/out" ||
    fail "compare of fleet files: rows: $(cat "$tmp/out")"
python3 - "$tmp/two.json" "$tmp/slow.json" "$tmp/single.json" "$tmp/edited.json" "$tmp/two_quiet.json" <<'PY' || fail "could not craft fleet files"
import json, sys
d = json.load(open(sys.argv[1]))
json.dump(d["nodes"][0]["ranks"][0]["document"], open(sys.argv[3], "w"))
# Two ranks share this machine with the other tests, so a real run may be
# noisy, and compare would call the change inconclusive: the crafted pair is
# quiet on both sides (the noise rule has its own tests).
for node in d["nodes"]:
    for rank in node["ranks"]:
        for res in (rank.get("document") or {}).get("results", []):
            res["interference"] = {"verdict": "quiet", "reasons": []}
json.dump(d, open(sys.argv[5], "w"))
# node vm#1 three times slower in every repetition: a regression of that node only
r = d["nodes"][1]["ranks"][0]["document"]["results"][0]
for rep in r["repetitions"]:
    rep["seconds"] *= 3
s = [rep["hashes"] / rep["seconds"] for rep in r["repetitions"]]
r["hashes_per_second"].update(samples=s, min=min(s), max=max(s), median=sorted(s)[len(s) // 2] if len(s) % 2 else sum(sorted(s)[len(s)//2-1:len(s)//2+1]) / 2)
json.dump(d, open(sys.argv[2], "w"))
r["hashes_per_second"]["median"] *= 2  # hand-edited: the median no longer matches its samples
json.dump(d, open(sys.argv[4], "w"))
PY
"$HJ" compare "$tmp/two.json" "$tmp/single.json" --match best >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q -- '--match best compares two single-machine results' "$tmp/err" ||
    fail "compare --match best with a cluster document: $(cat "$tmp/out" "$tmp/err")"
"$HJ" compare "$tmp/two_quiet.json" "$tmp/slow.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] || fail "a slower node: compare exit $rc, expected 1: $(cat "$tmp/out" "$tmp/err")"
grep -Eq '^vm#1/scalar .*REGRESSION$' "$tmp/out" && grep -Eq '^vm#0/scalar .* same$' "$tmp/out" ||
    fail "a slower node: rows: $(cat "$tmp/out")"
"$HJ" compare "$tmp/two.json" "$tmp/single.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "fleet" "$tmp/err" || fail "fleet vs single machine: exit $rc: $(cat "$tmp/err")"
"$HJ" compare "$tmp/two.json" "$tmp/edited.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "edited or corrupted" "$tmp/err" || fail "edited fleet file: exit $rc: $(cat "$tmp/err")"

# --- fleet --bench: the fleet's totals are the local rows, one per scope --------------------------
"$HJ" fleet --bench "$tmp/two.json" --json >"$tmp/fleet.json" 2>"$tmp/err" || fail "fleet --bench FLEET: $(cat "$tmp/err")"
python3 - "$tmp/two.json" "$tmp/fleet.json" <<'PY' || fail "fleet --bench FLEET: local rows"
import json, sys
d, f = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
local = [o for o in f["options"] if o["kind"].startswith("local")]
(w,) = d["totals"]["by_scope"]
assert len(local) == 1, local
o = local[0]
assert o["available"] and o["kind"] == "local-cpu" and "fleet total" in o["name"] and "wall" in o["name"], o
assert abs(o["efficiency_jth"] - w["joules_per_terahash"]) <= 1e-9 * w["joules_per_terahash"], (o, w)
assert abs(o["unit_power_w"] - w["mean_watts"]) <= 1e-6 * w["mean_watts"], (o["unit_power_w"], w["mean_watts"])
# the nodes ran with --power-watts: the row is an estimate, not a measurement
assert o["unverified_inputs"] is True and "ESTIMATE" in o["detail"] and "--power-watts" in o["detail"], o
PY
"$HJ" fleet --bench "$tmp/node.json" --json >"$tmp/fleet.json" 2>"$tmp/err" || fail "fleet --bench (no energy): $(cat "$tmp/err")"
python3 - "$tmp/fleet.json" <<'PY' || fail "fleet --bench FLEET without energy: the row and its reason"
import json, sys
f = json.load(open(sys.argv[1]))
(o,) = [o for o in f["options"] if o["kind"].startswith("local")]
assert not o["available"] and "no device of the fleet measured energy" in o["unavailable_reason"], o
PY

if [ $failures -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all mpi tests passed"
