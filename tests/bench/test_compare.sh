#!/usr/bin/env bash
# `hashjoule compare`: verdicts on crafted pairs (regression, improvement,
# within noise, same, missing on one side, failed) and refusal of truncated,
# hand-edited, mismatched or foreign files.
# Usage: test_compare.sh HASHJOULE
set -u
HJ=$(realpath "${1:?usage: test_compare.sh HASHJOULE}")
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
export HJ_SYSFS_ROOT="$tmp/nosys" HJ_NVML_LIBRARY=/nonexistent

# A real, short run is the template every crafted file is made from.
"$HJ" bench --kernel scalar --threads 1 --seconds 0.1 --repetitions 3 --warmup 0 --quiet --out "$tmp/real.json" \
    >/dev/null 2>&1 || { echo "FAIL: could not make the template run"; exit 1; }

# craft NAME 'kernel:threads:r1,r2,...[:failed][:noisy]' ...: rates in MH/s; each
# repetition is 1 s, so samples, hashes and seconds agree as in a real file.
craft() {
    local name=$1
    shift
    python3 - "$tmp/real.json" "$tmp/$name.json" "$@" <<'PY'
import copy, json, statistics, sys
doc = json.load(open(sys.argv[1]))
template = doc["results"][0]
results = []
for spec in sys.argv[3:]:
    parts = spec.split(":")
    noisy = parts[-1] == "noisy"
    if noisy:
        parts.pop()
    failed = parts[-1] == "failed"
    if failed:
        parts.pop()
    kernel, threads = ":".join(parts[:-2]), int(parts[-2])
    # kernel@N: a result that rolled N versions; kernel@-: one without the field (older files)
    versions = 1
    if "@" in kernel:
        kernel, v = kernel.split("@")
        versions = None if v == "-" else int(v)
    rates = [float(x) * 1e6 for x in parts[-1].split(",")]
    r = copy.deepcopy(template)
    r["kernel"], r["threads"] = kernel, threads
    if versions is None:
        r.pop("versions", None)
    else:
        r["versions"] = versions
    r["repetitions"] = [dict(template["repetitions"][0], hashes=int(x), seconds=1.0) for x in rates]
    s = [rep["hashes"] / rep["seconds"] for rep in r["repetitions"]]
    med = statistics.median(s)
    r["hashes_per_second"] = {"median": med, "min": min(s), "max": max(s), "samples": s,
                              "mad": statistics.median([abs(x - med) for x in s]), "cv": 0.0}
    # quiet unless the spec says noisy, whatever the template run met
    r["interference"] = {"verdict": "noisy" if noisy else "quiet",
                         "reasons": ["other processes used 61 % of a CPU during the run (threshold 10 %)"] if noisy else [],
                         "other_busy_cpu_percent": 61.0 if noisy else 0.5, "steal_percent": 0.0, "seconds": 3.0,
                         "unmeasured_reason": None}
    r["status"] = "failed" if failed else "ok"
    if r["status"] == "failed":
        r["error"] = "implausible hit count (crafted)"
    results.append(r)
doc["results"] = results
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY
}

# expect CODE PATTERN ARGS...: compare exits CODE and prints PATTERN (grep -E)
expect() {
    local want=$1 pattern=$2
    shift 2
    "$HJ" compare "$@" >"$tmp/out" 2>&1
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "compare $*: exit $got, expected $want: $(cat "$tmp/out")"
    elif ! grep -Eq -- "$pattern" "$tmp/out"; then
        fail "compare $*: output lacks /$pattern/: $(cat "$tmp/out")"
    fi
}

craft base 'scalar:1:100,101,102,99,100' 'scalar:2:200,202,198,201,199' 'avx2:2:400,401,399,402,400'
craft slower 'scalar:1:80,81,79,80,82' 'scalar:2:200,201,199,200,202' 'avx2:2:400,400,401,399,402'
craft faster 'scalar:1:120,121,119,122,120' 'scalar:2:200,201,199,200,202' 'avx2:2:400,400,401,399,402'
craft noisy_base 'scalar:1:100,60,140,100,100' 'scalar:2:200,202,198,201,199' 'avx2:2:400,401,399,402,400'
craft noisy_new 'scalar:1:85,50,130,85,85' 'scalar:2:200,201,199,200,202' 'avx2:2:400,400,401,399,402'
craft missing 'scalar:1:100,100,101,99,100' 'scalar:2:200,201,199,200,202' 'sha:2:900,901,899,900,900'
craft small_drop 'scalar:1:92,92.5,91.5,92,92' 'scalar:2:200,201,199,200,202' 'avx2:2:400,400,401,399,402'
craft failed 'scalar:1:100,101,99,100,100' 'scalar:2:200,201,199,200,202' 'avx2:2:400,400,401,399,402:failed'
craft other 'opencl:0:0:1:5000,5001,4999'

# --- verdicts ----------------------------------------------------------------------
expect 1 '^scalar +1 +100\.0+ MH/s +80\.0+ MH/s +-20\.0% +REGRESSION$' "$tmp/base.json" "$tmp/slower.json"
grep -Eq '^avx2 +2 .* same$' "$tmp/out" || fail "unchanged avx2 not 'same': $(cat "$tmp/out")"
expect 0 '^scalar +1 .* \+20\.0% +faster$' "$tmp/base.json" "$tmp/faster.json"
expect 0 '^scalar +1 .* -15\.0% +slower, within noise$' "$tmp/noisy_base.json" "$tmp/noisy_new.json"
expect 0 '^avx2 +2 .* missing in new$' "$tmp/base.json" "$tmp/missing.json"
grep -Eq '^sha +2 .* only in new$' "$tmp/out" || fail "extra kernel not reported: $(cat "$tmp/out")"
expect 1 'REGRESSION: missing in new' "$tmp/base.json" "$tmp/missing.json" --require-all
expect 1 '^scalar +1 .* -8\.0% +REGRESSION$' "$tmp/base.json" "$tmp/small_drop.json"
expect 0 '^scalar +1 .* -8\.0% +same$' "$tmp/base.json" "$tmp/small_drop.json" --threshold 10
expect 1 '^avx2 +2 .* REGRESSION: failed in new$' "$tmp/base.json" "$tmp/failed.json"
expect 0 'faster' "$tmp/slower.json" "$tmp/base.json"
expect 0 '^scalar +1 .* \+0\.0% +same$' "$tmp/real.json" "$tmp/real.json"

# --- noise: a change that a run on a busy machine decided is inconclusive ------------------
craft slower_busy 'scalar:1:80,81,79,80,82:noisy' 'scalar:2:200,201,199,200,202:noisy' 'avx2:2:400,400,401,399,402'
craft base_busy 'scalar:1:100,101,102,99,100:noisy' 'scalar:2:200,202,198,201,199' 'avx2:2:400,401,399,402,400'
expect 0 '^scalar +1 .* -20\.0% +inconclusive \(noisy\)$' "$tmp/base.json" "$tmp/slower_busy.json"
grep -q '^inconclusive (noisy), not counted: a run measured on a busy machine decided these changes (--ignore-noise counts them)$' \
    "$tmp/out" || fail "noisy NEW: no explanation: $(cat "$tmp/out")"
grep -q '^  new scalar x1: other processes used 61 % of a CPU during the run (threshold 10 %)$' "$tmp/out" ||
    fail "noisy NEW: its reasons are not listed: $(cat "$tmp/out")"
grep -q 'new scalar x2' "$tmp/out" && fail "noisy NEW: a noisy row whose verdict is 'same' is listed: $(cat "$tmp/out")"
grep -Eq '^scalar +2 .* same$' "$tmp/out" || fail "noisy NEW: an unchanged noisy row is not 'same': $(cat "$tmp/out")"
expect 1 '^scalar +1 .* -20\.0% +REGRESSION$' "$tmp/base.json" "$tmp/slower_busy.json" --ignore-noise
grep -q '^counted anyway (--ignore-noise): a run measured on a busy machine decided these changes$' "$tmp/out" ||
    fail "--ignore-noise: the noisy change is not said: $(cat "$tmp/out")"
grep -q '^1 regression(s)' "$tmp/out" || fail "--ignore-noise: the regression is not counted: $(cat "$tmp/out")"
expect 0 '^scalar +1 .* \+20\.0% +inconclusive \(noisy\)$' "$tmp/base_busy.json" "$tmp/faster.json"
grep -q '^  base scalar x1: other processes used 61 %' "$tmp/out" || fail "noisy BASE: its reasons are not listed: $(cat "$tmp/out")"
expect 0 '^scalar +1 .* \+20\.0% +faster$' "$tmp/base_busy.json" "$tmp/faster.json" --ignore-noise

# --- --match best: two machines, best against best whatever the kernels are called ----------
craft intel 'avx512:2:400,401,399,402,400' 'avx512:1:210,211,209,212,210' 'scalar:1:20,20,20,20,20'
craft amd 'shani:2:300,301,299,302,300' 'shani:1:205,206,204,207,205' 'avx2:2:250,251,249,252,250'
expect 2 'have no result in common .*use --match best' "$tmp/intel.json" "$tmp/amd.json"
expect 1 '^best CPU kernel, all threads +avx512 x2 -> shani x2 +400\.0+ MH/s +300\.0+ MH/s +-25\.0% +REGRESSION$' \
    "$tmp/intel.json" "$tmp/amd.json" --match best
grep -Eq '^best CPU kernel, 1 thread +avx512 x1 -> shani x1 .* -2\.4% +same$' "$tmp/out" ||
    fail "--match best: the one-thread row: $(cat "$tmp/out")"
expect 0 '^best CPU kernel, all threads +shani x2 -> avx512 x2 .* \+33\.3% +faster$' "$tmp/amd.json" "$tmp/intel.json" --match best
expect 0 '^scalar +1 ' "$tmp/intel.json" "$tmp/intel.json" --match kernel
expect 2 "--match: 'nodes' is not kernel or best" "$tmp/intel.json" "$tmp/amd.json" --match nodes

# --- files that must be refused (exit 2, the file and the problem named) --------------------
head -c 700 "$tmp/base.json" >"$tmp/truncated.json"
expect 2 "truncated.json: not valid JSON \(truncated or corrupted\?\)" "$tmp/base.json" "$tmp/truncated.json"
: >"$tmp/empty.json"
expect 2 "empty.json: not valid JSON" "$tmp/empty.json" "$tmp/base.json"
python3 - "$tmp/base.json" "$tmp" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
def edit(name, f):
    d = json.load(open(src))
    f(d)
    json.dump(d, open(f"{out}/{name}.json", "w"), indent=1)
edit("median_edited", lambda d: d["results"][0]["hashes_per_second"].__setitem__("median", 150e6))
edit("sample_edited", lambda d: d["results"][0]["hashes_per_second"]["samples"].__setitem__(2, 130e6))
edit("hashes_edited", lambda d: d["results"][1]["repetitions"][0].__setitem__("hashes", 1))
edit("median_string", lambda d: d["results"][0]["hashes_per_second"].__setitem__("median", "fast"))
edit("version2", lambda d: d.__setitem__("schema_version", 2))
edit("no_results", lambda d: d.pop("results"))
edit("dup_result", lambda d: d["results"].append(d["results"][0]))
PY
expect 2 "median_edited.json: results\[0\] \(scalar\): median/min/max .* do not match its samples" "$tmp/base.json" "$tmp/median_edited.json"
expect 2 "sample_edited.json: results\[0\] \(scalar\): sample 2 .* is not hashes/seconds" "$tmp/sample_edited.json" "$tmp/base.json"
expect 2 "hashes_edited.json: results\[1\] \(scalar\): sample 0" "$tmp/base.json" "$tmp/hashes_edited.json"
expect 2 "median_string.json: results\[0\] \(scalar\): hashes_per_second needs numbers" "$tmp/base.json" "$tmp/median_string.json"
expect 2 "version2.json: schema_version is not 1" "$tmp/base.json" "$tmp/version2.json"
expect 2 'no_results.json: "results" is missing' "$tmp/base.json" "$tmp/no_results.json"
expect 2 "dup_result.json: results\[3\]: scalar with 1 threads appears twice" "$tmp/base.json" "$tmp/dup_result.json"
sed '0,/"schema_version": 1,/s//"schema_version": 1, "schema_version": 1,/' "$tmp/base.json" >"$tmp/dupkey.json"
expect 2 "dupkey.json: not valid JSON.*duplicate" "$tmp/base.json" "$tmp/dupkey.json"
"$HJ" info --json >"$tmp/info.json"
expect 2 "info.json: not a hashjoule bench results document" "$tmp/info.json" "$tmp/base.json"
expect 2 "nonexistent.json: cannot open" "$tmp/base.json" "$tmp/nonexistent.json"
"$HJ" bench --kernel scalar --threads 1 --seconds 0.05 --repetitions 1 --warmup 0 --quiet --format csv \
    --out "$tmp/r.csv" >/dev/null 2>&1
expect 2 "r.csv: this is a CSV export of bench results; compare reads the JSON results document" "$tmp/base.json" "$tmp/r.csv"
expect 2 "have no result in common" "$tmp/base.json" "$tmp/other.json"
expect 2 "expected two files" "$tmp/base.json"
expect 2 "--threshold: 'x' is not a percentage" "$tmp/base.json" "$tmp/base.json" --threshold x
expect 0 "usage: hashjoule compare" --help

# --- version rolling: results with different versions are different keys ----------------------
craft vbase 'avx2@1:2:400,401,399,402,400' 'avx2@16:2:470,471,469,472,470'
craft vnew 'avx2@1:2:400,400,401,399,402' 'avx2@16:2:420,421,419,420,420'
expect 1 "^avx2 +2 +16 .*REGRESSION" "$tmp/vbase.json" "$tmp/vnew.json"
grep -Eq '^kernel +threads +versions +base' "$tmp/out" || fail "no versions column where results rolled: $(cat "$tmp/out")"
grep -Eq '^avx2 +2 +1 .*same' "$tmp/out" || fail "the single-version row is not its own: $(cat "$tmp/out")"
craft vonly 'avx2@16:2:470,471,469,472,470'
craft vone 'avx2@1:2:470,471,469,472,470'
expect 2 "have no result in common \(same kernel, thread count and versions\)" "$tmp/vonly.json" "$tmp/vone.json"
# a document older than version rolling (no "versions") matches results of 1 version, with no versions column
craft vold 'avx2@-:2:400,401,399,402,400'
expect 0 "^avx2 +2 +400" "$tmp/vold.json" "$tmp/vone.json"
grep -q versions "$tmp/out" && fail "a versions column without rolled results: $(cat "$tmp/out")"
# the same kernel and threads at two version counts is not a duplicate; the same count twice is
expect 0 "same" "$tmp/vbase.json" "$tmp/vbase.json"
python3 - "$tmp/vbase.json" "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dup = json.loads(json.dumps(d)); dup["results"].append(dup["results"][1])
json.dump(dup, open(sys.argv[2] + "/vdup.json", "w"))
bad = json.loads(json.dumps(d)); bad["results"][1]["versions"] = 0
json.dump(bad, open(sys.argv[2] + "/vzero.json", "w"))
text = json.loads(json.dumps(d)); text["results"][1]["versions"] = "16"
json.dump(text, open(sys.argv[2] + "/vtext.json", "w"))
PY
expect 2 "vdup.json: results\[2\]: avx2 with 2 threads and 16 versions appears twice" "$tmp/vbase.json" "$tmp/vdup.json"
expect 2 "vzero.json: results\[1\] \(avx2\): versions must be an integer in 1..65536" "$tmp/vbase.json" "$tmp/vzero.json"
expect 2 "vtext.json: results\[1\] \(avx2\): versions must be an integer" "$tmp/vbase.json" "$tmp/vtext.json"
# --match best: the kernels named with their versions
expect 1 "avx2 x2 v16 -> avx2 x2 v16" "$tmp/vbase.json" "$tmp/vnew.json" --match best

if [ $failures -gt 0 ]; then
    echo "$failures compare check(s) failed"
    exit 1
fi
echo "all compare checks passed"
