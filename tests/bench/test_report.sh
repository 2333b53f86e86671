#!/usr/bin/env bash
# `hashjoule report`: the two reference results side by side (Markdown and
# JSON), and every bad input a clear message with exit 2.
# Usage: test_report.sh HASHJOULE SOURCE_DIR
set -u
HJ=$(realpath "${1:?usage: test_report.sh HASHJOULE SOURCE_DIR}")
SRC=$(realpath "${2:?usage: test_report.sh HASHJOULE SOURCE_DIR}")
. "$(dirname "$0")/../lib/cli_checks.sh"
INTEL=$SRC/results/vm-20261122-074908.json
ZEN3=$SRC/results/vm-20261130-040955.json

# --- Markdown (the default) ---------------------------------------------------------------
expect_exit 0 '^# Two VMs$' -- report "$INTEL" "$ZEN3" --title "Two VMs"
grep -q '^| M1 | vm | Intel(R) Xeon(R) Processor | 2 / 2 | SSSE3 SSE4.1 AVX AVX2 AVX-512F AVX-512VL SHA-NI |' "$tmp/out" ||
    fail "markdown: machine M1: $(head -n 6 "$tmp/out")"
grep -q '^| M2 | vm | AMD EPYC | 2 / 2 | SSSE3 SSE4.1 AVX AVX2 SHA-NI |' "$tmp/out" || fail "markdown: machine M2"
grep -A4 '^### best CPU kernel, all threads$' "$tmp/out" | grep -q '^| M1 | avx512 | 2 | 41.0 MH/s | 40.3 MH/s..44.0 MH/s | 20.5 MH/s | unavailable | - |$' ||
    fail "markdown: best all-thread row of M1: $(cat "$tmp/out")"
grep -A5 '^### best CPU kernel, 1 thread$' "$tmp/out" | grep -q '^| M2 | shani | 1 | 21.1 MH/s |' || fail "markdown: best 1-thread row of M2"
grep -q '^### OpenCL device pthread-haswell-AMD EPYC$' "$tmp/out" || fail "markdown: no row for the Zen3 PoCL device"
grep -q 'opencl:0:0, 1 thread' "$tmp/out" && fail "markdown: a device kernel name matched across machines"
grep -q '^| M1 | avx512 | 2 | 22.5 MH/s | 41.0 MH/s | 1.82 x |$' "$tmp/out" || fail "markdown: thread scaling of M1"

# --- JSON: the same comparison as data, recomputed here --------------------------------------
expect_exit 0 '"report_version": 1' -- report "$INTEL" "$ZEN3" --json
python3 - "$tmp/out" "$INTEL" "$ZEN3" <<'PY' || fail "report --json: wrong comparison"
import json, sys
rep = json.load(open(sys.argv[1]))
docs = [json.load(open(p)) for p in sys.argv[2:]]
assert [m["cpu"] for m in rep["machines"]] == ["Intel(R) Xeon(R) Processor", "AMD EPYC"], rep["machines"]
rows = {r["key"]: r for r in rep["rows"]}
for key, threads in (("best-cpu/all-threads", 2), ("best-cpu/1-thread", 1)):
    for e, d in zip(rows[key]["entries"], docs):
        cands = [r for r in d["results"] if r["kind"] == "cpu" and r["threads"] == threads and r["status"] != "failed"]
        best = max(cands, key=lambda r: r["hashes_per_second"]["median"])
        assert e["kernel"] == best["kernel"] and e["median_hps"] == best["hashes_per_second"]["median"], (e, best["kernel"])
        assert abs(e["hps_per_core"] - e["median_hps"] / threads) < 1e-6 * e["median_hps"], e
        assert e["joules_per_terahash"] is None and e["energy_unavailable_reason"], e
assert not any(k.startswith("kernel/opencl") for k in rows), list(rows)
for s in rep["thread_scaling"]:
    assert abs(s["speedup"] - s["all_threads_hps"] / s["one_thread_hps"]) < 1e-12, s
PY

# --- version rolling: a rolled result is its own row, and says how many versions --------------
FX=$SRC/tests/fleet/fixtures
expect_exit 0 '\| M2 \| avx2, 16 versions \| 2 \| 23.4 MH/s' -- report "$FX/bench_sample.json" "$FX/bench_rolled.json"
expect_exit 0 '"report_version": 1' -- report "$FX/bench_sample.json" "$FX/bench_rolled.json" --json
python3 - "$tmp/out" <<'PY' || fail "report --json: versions"
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["key"]: r for r in d["rows"]}
best = {e["machine"]: e for e in rows["best-cpu/all-threads"]["entries"]}
assert best[1]["versions"] == 16 and "versions" not in best[0], best
assert [e["machine"] for e in rows["kernel/avx2/2"]["entries"]] == [0, 1], rows["kernel/avx2/2"]
assert all("versions" not in e for e in rows["kernel/avx2/2"]["entries"])
PY

# --- bad input: a clear message and exit 2 each ----------------------------------------------
expect_exit 2 'no results file given' -- report
expect_exit 2 'nope.json: cannot open' -- report "$INTEL" "$tmp/nope.json"
"$HJ" info --json >"$tmp/info.json"
expect_exit 2 'info.json: not a hashjoule bench results document' -- report "$INTEL" "$tmp/info.json"
"$HJ" bench --kernel scalar --threads 1 --seconds 0.05 --repetitions 1 --warmup 0 --quiet --format csv \
    --out "$tmp/r.csv" >/dev/null 2>&1
expect_exit 2 'r.csv: this is a CSV export of bench results' -- report "$INTEL" "$tmp/r.csv"
sed 's/"schema_version": 1,/"schema_version": 2,/' "$ZEN3" >"$tmp/v2.json"
expect_exit 2 'v2.json: schema_version is not 1' -- report "$INTEL" "$tmp/v2.json"
expect_exit 2 '--html, --json and --markdown: choose one' -- report "$INTEL" --json --markdown
expect_exit 0 'usage: hashjoule report' -- report --help

finish report
