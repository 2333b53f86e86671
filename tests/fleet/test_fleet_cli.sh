#!/usr/bin/env bash
# hashjoule fleet as scripts use it: the --json/--csv contract, hand-checked
# numbers, bench rows, node input, SVG charts, and every bad input refused.
# Usage: test_fleet_cli.sh HASHJOULE FIXTURES_DIR DATA_DIR
set -u
HJ=${1:?usage: test_fleet_cli.sh HASHJOULE FIXTURES DATA}
. "$(dirname "$0")/../lib/cli_checks.sh"
FX=${2:?fixtures dir}
DATA=${3:?data dir}

# --- the default report ---------------------------------------------------------
expect_exit 0 'local rows missing.*hashjoule bench' -- fleet
grep -q 'Antminer S21 XP ' "$tmp/out" || fail "default table lacks the S21 XP"
grep -q 'Headline' "$tmp/out" || fail "default report lacks the headline"
grep -q 'CBECI' "$tmp/out" || fail "default report lacks the security view"
expect_exit 0 'usage: hashjoule fleet' -- fleet --help
expect_exit 0 'fleet' -- --help

# --- --json: the contract -----------------------------------------------------
expect_exit 0 'hashprice_usd_per_ph_day' -- fleet --json
python3 - "$tmp/out" "$DATA/asics.json" <<'PY' || fail "fleet --json: contract"
import json, sys
d = json.load(open(sys.argv[1]))
asics = [a["model"] for a in json.load(open(sys.argv[2]))["asics"]]
for k in ("hashprice_usd_per_ph_day", "network_hashrate_ehs", "options", "inputs"):
    assert k in d, k
assert abs(d["network_hashrate_ehs"] - 152e12 * 2**32 / 600 / 1e18) < 1e-6
kinds = {"asic", "local-cpu", "local-gpu", "ai-colocation", "ai-gpu-cloud", "gpu-mining-modeled"}  # operator-fleet: only under "fleet"
names = set()
for o in d["options"]:
    for k in ("name", "kind", "revenue_usd_per_mwh", "cost_usd_per_mwh", "net_usd_per_mwh",
              "breakeven_electricity_usd_per_mwh"):
        assert k in o, (k, o["name"])
    assert o["kind"] in kinds, o["kind"]
    names.add(o["name"])
    if o["kind"] == "asic":
        assert o["breakeven_electricity_usd_per_mwh"] is not None
    if o["kind"] == "ai-colocation":
        assert o["breakeven_electricity_usd_per_mwh"] is None   # power passed through
        assert o["breakeven_btc_price_usd"] is None
asic_names = [o["name"] for o in d["options"] if o["kind"] == "asic"]
assert sorted(asic_names) == sorted(asics), set(asics) ^ set(asic_names)
assert "Antminer S21 XP" in names
# sorted by net, unavailable last
nets = [o["net_usd_per_mwh"] for o in d["options"] if o["available"]]
assert nets == sorted(nets, reverse=True)
# every input is there with its source
for k in ("btc_price_usd", "difficulty", "fees_btc_per_block", "height", "subsidy_btc"):
    assert "value" in d["inputs"][k] and d["inputs"][k]["source"], k
assert d["inputs"]["assumptions"]["electricity_usd_per_mwh"]["value"] == 50
# the headline: running ASICs inside the press's mining range, colocation at its AI end
run = [o["revenue_usd_per_it_mwh"] for o in d["options"] if o["kind"] == "asic" and o["net_usd_per_mwh"] > 0]
assert any(57 <= r <= 129 for r in run), run
colo = [o["revenue_usd_per_it_mwh"] for o in d["options"] if o["kind"] == "ai-colocation"]
assert any(200 <= r <= 500 for r in colo), colo
assert d["security"]["cbeci"]["lower_gw"] < d["security"]["cbeci"]["best_guess_gw"] < d["security"]["cbeci"]["upper_gw"]
PY

# --- hand-checked numbers through the command line ------------------------------
# P = 91,000, D = 152T, no fees -> 37.6 USD/PH/day
expect_exit 0 '"hashprice_usd_per_ph_day": 37\.63' -- fleet --json --btc-price 91000 --difficulty 152e12 \
    --fees-btc-per-block 0 --height 900000
# S21 XP at 30 USD/PH/day, PUE 1 -> 92.59 USD/MWh gross
expect_exit 0 'hashprice' -- fleet --json --hashprice-usd-per-ph-day 30 --pue 1
python3 - "$tmp/out" <<'PY' || fail "S21 XP at 30 USD/PH/day is not 92.6 USD/MWh"
import json, sys
d = json.load(open(sys.argv[1]))
o = [o for o in d["options"] if o["name"] == "Antminer S21 XP"][0]
assert abs(o["revenue_usd_per_mwh"] - 92.5926) < 1e-3, o["revenue_usd_per_mwh"]
assert d["hashprice_overridden"] is True
PY
# the subsidy halves at 1,050,000
expect_exit 0 '"value": 1\.5625' -- fleet --json --height 1050000
expect_exit 0 'subsidy 3.125 BTC' -- fleet --height 1049999

# --- --explain --------------------------------------------------------------------
expect_exit 0 'hashprice += 1e15 x 86400' -- fleet --explain
grep -q 'revenue per IT MWh' "$tmp/out" || fail "--explain lacks the revenue formula"
grep -q 'GPUs per MW' "$tmp/out" || fail "--explain lacks the GPU cloud"

# --- bench results feed the local rows ------------------------------------------------
expect_exit 0 'this machine: avx2' -- fleet --bench "$FX/bench_sample.json"
grep -q 'not at the wall' "$tmp/out" || fail "bench rows: the RAPL scope note is missing"
grep -q 'this machine .*Fixture CPU' "$tmp/out" || fail "bench rows: the machine (machine.cpu.brand) is not named"
# a row without energy keeps its measured rate; why is said once, below the
# table, with the fleet flag that estimates it (not bench's --power-watts)
grep -q 'Fixture GP .*local-gpu *1.00 GH/s measured; no energy measurement' "$tmp/out" ||
    fail "bench rows: the GPU row does not show its measured rate"
[ "$(grep -c 'no NVML' "$tmp/out")" = 1 ] || fail "bench rows: the GPU row's reason is not printed exactly once"
grep -q -- '--local-power-watts W' "$tmp/out" || fail "bench rows: the hint does not name --local-power-watts"
grep -q -- ' --power-watts' "$tmp/out" && fail "bench rows: the hint names bench's --power-watts"
expect_exit 0 'ESTIMATE from the stated wattage' -- fleet --bench "$FX/bench_sample.json" --local-power-watts 200
# version rolling: where a kernel ran with and without it, the rolled rate is the row (like for like with ASICs)
expect_exit 0 'rates with version rolling \(BIP 320, up to 16 versions per job\)' -- fleet --bench "$FX/bench_rolled.json"
grep -q "single-version rows left out" "$tmp/out" || fail "fleet --bench rolled: the left-out rows are not said"
expect_exit 0 'local-cpu' -- fleet --json --bench "$FX/bench_rolled.json"
python3 - "$tmp/out" <<'PY' || fail "fleet --bench rolled: the avx2 row is not the rolled one"
import json, sys
d = json.load(open(sys.argv[1]))
local = [o for o in d["options"] if o["kind"] == "local-cpu"]
assert len(local) == 1, local
assert abs(local[0]["efficiency_jth"] - 1709401.7094017094) < 1e-3, local[0]
assert "rolling 16 versions, as ASICs do" in local[0]["detail"], local[0]["detail"]
PY
expect_exit 0 'this machine: avx2' -- fleet --bench "$FX/bench_sample.json"
grep -q "version rolling" "$tmp/out" && fail "fleet --bench: a version-rolling note for a file that did not roll"
# no row measured: every J/TH is assumed, and the RAPL scope note is not shown
python3 - "$FX/bench_sample.json" "$tmp/bench_none.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    r["energy"], r["energy_unavailable_reason"] = None, "no sensor here"
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 0 'ESTIMATE from the stated wattage' -- fleet --bench "$tmp/bench_none.json" --local-power-watts 200
grep -q 'scope shown' "$tmp/out" && fail "assumed wattage: the RAPL scope note is shown"
expect_exit 0 'no sensor here' -- fleet --bench "$tmp/bench_none.json"
[ "$(grep -c 'no sensor here' "$tmp/out")" = 1 ] || fail "no energy: the reason is not printed exactly once"
grep -q 'avx2, 2 threads .*20.0 MH/s measured' "$tmp/out" || fail "no energy: the CPU row lacks its rate"
expect_exit 0 'no sensor here' -- fleet --explain --bench "$tmp/bench_none.json"
[ "$(grep -c 'no sensor here' "$tmp/out")" = 1 ] || fail "--explain: the reason is not printed exactly once"
grep -q -- '--local-power-watts W' "$tmp/out" || fail "--explain: the hint does not name --local-power-watts"
expect_exit 0 'local-cpu' -- fleet --json --bench "$FX/bench_sample.json"
python3 - "$tmp/out" <<'PY' || fail "bench rows in --json"
import json, sys
d = json.load(open(sys.argv[1]))
cpu = [o for o in d["options"] if o["kind"] == "local-cpu"]
gpu = [o for o in d["options"] if o["kind"] == "local-gpu"]
assert len(cpu) == 1 and len(gpu) == 1
assert abs(cpu[0]["efficiency_jth"] - 2e6) < 1e-6
assert cpu[0]["revenue_usd_per_mwh"] > 0 and cpu[0]["net_usd_per_mwh"] < 0
assert gpu[0]["available"] is False and gpu[0]["net_usd_per_mwh"] is None
assert "no NVML" in gpu[0]["unavailable_reason"]
assert gpu[0]["energy_unmeasured"] is True and gpu[0]["hashes_per_second"] == 1e9
assert d["local_energy"]["unmeasured"] == 1 and d["local_energy"]["unmeasured_reason"] == "no NVML on this machine"
assert "--local-power-watts" in d["local_energy"]["hint"]
PY
expect_exit 0 'ESTIMATE' -- fleet --explain --bench "$FX/bench_sample.json" --local-power-watts 200
expect_exit 2 'bench_bad.json.*results\[0\].*kind' -- fleet --bench "$FX/bench_bad.json"
expect_exit 2 'nope.json: cannot open' -- fleet --bench "$tmp/nope.json"

# --- a node's output as --network ---------------------------------------------------
expect_exit 0 'getmininginfo' -- fleet --network "$FX/getmininginfo.json"
grep -q 'not in .*getmininginfo.json: embedded snapshot' "$tmp/out" || fail "--network node: the price's origin is not shown"
expect_exit 0 '"difficulty"' -- fleet --json --network "$FX/getmininginfo.json" --btc-price 70000
python3 - "$tmp/out" <<'PY' || fail "--network node values"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["inputs"]["difficulty"]["value"] == 129435235580344.8
assert d["inputs"]["height"]["value"] == 930000
assert d["inputs"]["btc_price_usd"]["value"] == 70000
assert d["inputs"]["btc_price_usd"]["source"] == "flag --btc-price"
PY
expect_exit 2 'getblockchaininfo_testnet.json.*chain.*not mainnet' -- fleet --network "$FX/getblockchaininfo_testnet.json"

# --- malformed data files: file, row and field named; exit 2 ----------------------------
expect_exit 2 'asics_bad_type.json: asics row 2 \(Broken Miner\), field "hashrate_ths": expected a number' -- \
    fleet --asics "$FX/asics_bad_type.json"
expect_exit 2 'asics_bad_efficiency.json: asics row 1.*"efficiency_jth".*does not match' -- \
    fleet --asics "$FX/asics_bad_efficiency.json"
expect_exit 2 'asics_unknown_field.json.*"hashrate_th": unknown field' -- fleet --asics "$FX/asics_unknown_field.json"
expect_exit 2 'asics_not_json.json: not valid JSON at line 1' -- fleet --asics "$FX/asics_not_json.json"
expect_exit 2 'gpus_bad_power.json: gpus row 1 \(H100 SXM\), field "server_power_w_per_gpu"' -- \
    fleet --gpus "$FX/gpus_bad_power.json"
expect_exit 2 'network_bad_subsidy.json.*"subsidy_btc".*contradicts height' -- \
    fleet --network "$FX/network_bad_subsidy.json"
[ -s "$tmp/out" ] && fail "a rejected data file still printed a report"
# a reference ASIC that the table lacks
expect_exit 2 "reference ASIC 'Nope'" -- fleet --reference-asic Nope

# --- --fleet FILE: the operator's own fleet ------------------------------------------------
expect_exit 0 'Your fleet: .*fleet_good.csv \(CSV: 4 row\(s\), 2 site\(s\), 360 miners\)' -- fleet --fleet "$FX/fleet_good.csv"
grep -Eq '^  total +360 +92650 +0\.09265 ' "$tmp/out" || fail "--fleet: the total line lacks 360 units, 92650 TH/s, 0.09265 EH/s"
grep -Eq '^-   operator fleet: fleet_good.csv +operator-fleet ' "$tmp/out" || fail "--fleet: the fleet's per-MW row is missing"
grep -q 'Headline' "$tmp/out" || fail "--fleet: the headline is gone"
# the table of options is the same as without --fleet
"$HJ" fleet >"$tmp/plain" 2>/dev/null
diff <(sed -n '/^#   option/,/^$/{p;/^$/q}' "$tmp/plain") <(sed -n '/^#   option/,/^$/{p;/^$/q}' "$tmp/out") >/dev/null ||
    fail "--fleet changed the table of options"
# a good CSV and a good JSON of the same fleet give the same totals
expect_exit 0 '"fleet"' -- fleet --json --fleet "$FX/fleet_good.csv"
cp "$tmp/out" "$tmp/fleet_csv.json"
expect_exit 0 '"fleet"' -- fleet --json --fleet "$FX/fleet_good.json"
python3 - "$tmp/fleet_csv.json" "$tmp/out" <<'PY' || fail "--fleet: CSV and JSON disagree, or the numbers are wrong"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
fa, fb = a["fleet"], b["fleet"]
assert fa["format"] == "csv" and fb["format"] == "json"
assert fa["total"] == fb["total"], (fa["total"], fb["total"])
assert fa["sites"] == fb["sites"] and fa["rows"] == fb["rows"]
t = fa["total"]
assert t["units"] == 360 and abs(t["hashrate_ehs"] - 0.09265) < 1e-12
assert abs(t["it_mw"] - 1.3128) < 1e-12 and abs(t["facility_mw"] - 1.42989) < 1e-12
assert abs(t["efficiency_jth"] - 1312800 / 92650) < 1e-9
hp = a["hashprice_usd_per_ph_day"]
assert abs(t["revenue_usd_per_year"] - hp * 92.65 * 365) < 1e-6
assert abs(t["breakeven_electricity_usd_per_mwh"] - hp * 92.65 / 24 / 1.42989 * 0.98) < 1e-9
assert [s["name"] for s in fa["sites"]] == ["Texas", "Quebec"]
assert fa["sites"][0]["site_capacity_mw"] == 1.2 and fa["sites"][1]["site_pue"] is None
o = fa["option"]
assert o["kind"] == "operator-fleet" and o["name"] == "operator fleet: fleet_good.csv"
assert abs(o["net_usd_per_mwh"] - t["net_usd_per_mwh"]) < 1e-9 and o["capex_usd_per_mw"] == 0
assert abs(o["electricity_usd_per_mwh"] - t["electricity_usd_per_mwh"]) < 1e-12
assert all(x["kind"] != "operator-fleet" for x in a["options"])
assert fb["option"]["name"] == "operator fleet: fleet_good.json"
PY
expect_exit 0 '^rank,name,kind' -- fleet --csv --fleet "$FX/fleet_good.csv"
python3 - "$tmp/out" <<'PY' || fail "--fleet --csv: the fleet row"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
fleet = [r for r in rows if r["kind"] == "operator-fleet"]
assert len(fleet) == 1 and rows[-1] is fleet[0], "one operator-fleet row, the last"
assert fleet[0]["rank"] == "" and fleet[0]["name"] == "operator fleet: fleet_good.csv"
assert fleet[0]["capex_usd_per_mw"] == "0" and float(fleet[0]["net_usd_per_mwh"]) > 0
assert [r["rank"] for r in rows[:-1]] == [str(i + 1) for i in range(len(rows) - 1)]
PY
expect_exit 0 'blended J/TH += IT W / TH/s = 1312800 / 92650' -- fleet --explain --fleet "$FX/fleet_good.csv"
grep -q 'operator fleet: fleet_good.csv  (operator-fleet)' "$tmp/out" || fail "--fleet --explain: the option is not explained"
# --months: the fleet is projected as one option, after the table's
expect_exit 0 '"projection"' -- fleet --json --months 12 --fleet "$FX/fleet_good.json"
python3 - "$tmp/out" <<'PY' || fail "--fleet --months: the fleet's projection"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["projection"]["options"]
assert len(p) == len(d["options"]) + 1
o = p[-1]
assert o["kind"] == "operator-fleet" and o["name"] == d["fleet"]["option"]["name"], o["name"]
assert o["capex_usd_per_mw"] == 0 and o["npv_usd_per_mw"] > 0 and o["payback_month"] == 0
PY
expect_exit 0 'operator fleet: fleet_good.csv +operator-fleet +0k' -- fleet --months 12 --fleet "$FX/fleet_good.csv"
# the example in examples/ is a good fleet
expect_exit 0 'Your fleet' -- fleet --fleet "$FX/../../../examples/fleet.csv"
expect_exit 0 'Your fleet' -- fleet --fleet "$FX/../../../examples/fleet.json"
# every refusal names the file and the row (and the field); exit 2, no report
expect_exit 2 "fleet_bad_model.csv: row 2 \(line 3, Antminer S21XP\), field \"model\": .*closest: 'Antminer S21 XP'" -- \
    fleet --fleet "$FX/fleet_bad_model.csv"
[ -s "$tmp/out" ] && fail "--fleet: a refused fleet still printed a report"
expect_exit 2 'fleet_bad_units_zero.csv: row 1 \(line 2, Antminer S21 XP\), field "units": 0 is out of range' -- \
    fleet --fleet "$FX/fleet_bad_units_zero.csv"
expect_exit 2 'fleet_bad_units_negative.csv: row 1 .*"units": -3 is out of range' -- fleet --fleet "$FX/fleet_bad_units_negative.csv"
expect_exit 2 'fleet_bad_units_fraction.csv: row 1 .*"units": 2.5 is not a whole number' -- \
    fleet --fleet "$FX/fleet_bad_units_fraction.csv"
expect_exit 2 'fleet_bad_custom.csv: row 1 \(line 2, My rig\), field "power_w": missing' -- fleet --fleet "$FX/fleet_bad_custom.csv"
expect_exit 2 "fleet_bad_column.csv: line 1 \(the header\), column 3 'powr_w': unknown column" -- \
    fleet --fleet "$FX/fleet_bad_column.csv"
expect_exit 2 'fleet_bad_key.json: row 1 \(Antminer S21 XP\), field "colour": unknown field' -- fleet --fleet "$FX/fleet_bad_key.json"
expect_exit 2 "fleet_bad_site.csv: row 2 \(line 3, Antminer S19 XP\), field \"site_pue\": 1.2 disagrees with 1.1 given for site 'Texas' on row 1" -- \
    fleet --fleet "$FX/fleet_bad_site.csv"
expect_exit 2 "fleet_over_capacity.csv: site 'Texas' \(rows 1, 2\): its miners draw 1.133 MW of facility power .*above its site_capacity_mw of 0.5 MW \(row 1\)" -- \
    fleet --fleet "$FX/fleet_over_capacity.csv"
expect_exit 2 'fleet_empty.csv: no rows' -- fleet --fleet "$FX/fleet_empty.csv"
expect_exit 2 'fleet_empty.json: no rows' -- fleet --fleet "$FX/fleet_empty.json"
expect_exit 2 'nope.csv: cannot open' -- fleet --fleet "$tmp/nope.csv"
: >"$tmp/blank.csv"
expect_exit 2 'blank.csv: empty' -- fleet --fleet "$tmp/blank.csv"
# the report of fleet --json is not a fleet file, and says so
"$HJ" fleet --json >"$tmp/report.json"
expect_exit 2 'report.json: top level, field "schema": expected "hashjoule-operator-fleet/1" \(this looks like the report' -- \
    fleet --fleet "$tmp/report.json"

# --- bad and contradictory flags -------------------------------------------------------
expect_exit 2 '--json and --csv' -- fleet --json --csv
expect_exit 2 'contradicts --btc-price' -- fleet --hashprice-usd-per-ph-day 30 --btc-price 90000
expect_exit 2 'cannot be used with --scenario' -- fleet --hashprice-usd-per-ph-day 30 --scenario exit
expect_exit 2 '--local-power-watts applies' -- fleet --local-power-watts 100
expect_exit 2 'apply to --scenario exit' -- fleet --exit-pct 20
expect_exit 2 'apply to --scenario grid' -- fleet --grid-electricity 10,20
expect_exit 2 '--overwrite applies to --svg' -- fleet --overwrite
expect_exit 2 "--difficulty: 'abc' is not a number" -- fleet --difficulty abc
expect_exit 2 '--pue: 0.5 is out of range' -- fleet --pue 0.5
expect_exit 2 '--pool-fee: 150 is out of range' -- fleet --pool-fee 150
expect_exit 2 '--electricity-usd-per-mwh: -5 is out of range' -- fleet --electricity-usd-per-mwh -5
expect_exit 2 '--height.*out of range' -- fleet --height 999999999999
expect_exit 2 "--scenario: 'bogus'" -- fleet --scenario bogus
expect_exit 2 "--gpu-rate: 'weekly'" -- fleet --gpu-rate weekly
expect_exit 2 'exit takes 100 days but the horizon is 50' -- fleet --scenario exit --exit-days 100 --horizon-days 50
expect_exit 2 'unexpected argument' -- fleet extra
expect_exit 2 'unknown option' -- fleet --bogus

# --- scenarios -------------------------------------------------------------------------
expect_exit 0 'clamped' -- fleet --scenario exit --exit-pct 90 --exit-days 0 --horizon-days 120
expect_exit 0 'switches off' -- fleet --scenario halving
expect_exit 0 'sensitivity grid' -- fleet --scenario grid --grid-btc-prices 60000,90000 --grid-electricity 30,60
expect_exit 0 '"grid"' -- fleet --json --scenario all --horizon-days 60 --exit-days 30
python3 - "$tmp/out" <<'PY' || fail "--scenario all in --json"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["scenarios"]
assert s["exit"]["epochs"] and len(s["exit"]["days"]) == 60
assert s["exit"]["hashprice_end_usd_per_ph_day"] > s["exit"]["hashprice_start_usd_per_ph_day"]
assert s["halving"]["height"] == 1050000
assert abs(s["halving"]["hashprice_usd_per_ph_day"] / d["hashprice_usd_per_ph_day"]
           - (1.5625 + 0.046) / (3.125 + 0.046)) < 1e-9
cells = s["grid"]
assert len(cells) == 5 * 6
for c in cells:
    best = max(v for v in c["net_usd_per_mwh"].values() if v is not None)
    assert abs(c["best_net_usd_per_mwh"] - best) < 1e-9
PY

# --- --csv -----------------------------------------------------------------------------
expect_exit 0 '^rank,name,kind' -- fleet --csv
python3 - "$tmp/out" <<'PY' || fail "--csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) >= 25 + 7 + 9
for k in ("revenue_usd_per_mwh", "net_usd_per_mwh", "breakeven_electricity_usd_per_mwh", "in_btc_price_usd",
          "in_difficulty"):
    assert k in rows[0], k
assert all(r["in_btc_price_usd"] == "91000" for r in rows)
assert [r["name"] for r in rows if r["name"] == "Antminer S21 XP"]
PY

# --- --svg: four well-formed charts, written atomically, never replaced silently ---------
expect_exit 0 'Headline' -- fleet --svg "$tmp/charts"
python3 - "$tmp/charts" <<'PY' || fail "--svg: charts are not well-formed SVG"
import os, sys, xml.etree.ElementTree as ET
names = ["options_usd_per_mwh.svg", "breakeven_by_generation.svg", "sensitivity_map.svg", "difficulty_scenario.svg"]
files = sorted(os.listdir(sys.argv[1]))
assert files == sorted(names), files          # no temporary files left behind
for n in names:
    root = ET.parse(os.path.join(sys.argv[1], n)).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    shapes = [e for e in root.iter() if e.tag.split("}")[1] in ("rect", "circle", "polyline", "line")]
    assert len(shapes) > 10, (n, len(shapes))
PY
# the paths written: after the report on stdout, on stderr when stdout is JSON
tail -n 4 "$tmp/out" | sed 's#.*/##' | sort | tr '\n' ' ' | grep -qx 'breakeven_by_generation.svg difficulty_scenario.svg options_usd_per_mwh.svg sensitivity_map.svg ' ||
    fail "--svg: the report does not end with the four chart paths"
grep -qx "$tmp/charts/options_usd_per_mwh.svg" "$tmp/out" || fail "--svg: the path list lacks DIR/options_usd_per_mwh.svg"
expect_exit 0 'hashprice_usd_per_ph_day' -- fleet --json --svg "$tmp/charts_json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "--svg --json: stdout is not JSON alone"
[ "$(grep -c "^$tmp/charts_json/.*\.svg$" "$tmp/err")" = 4 ] || fail "--svg --json: the four paths are not on stderr"
before=$(md5sum "$tmp/charts"/*.svg)
expect_exit 2 'exists; pass --overwrite' -- fleet --svg "$tmp/charts" --btc-price 50000
[ "$before" = "$(md5sum "$tmp/charts"/*.svg)" ] || fail "--svg replaced charts without --overwrite"
expect_exit 0 'Headline' -- fleet --svg "$tmp/charts" --btc-price 50000 --overwrite
[ "$before" != "$(md5sum "$tmp/charts"/*.svg)" ] || fail "--svg --overwrite did not replace the charts"
touch "$tmp/afile"
expect_exit 2 'not a directory' -- fleet --svg "$tmp/afile"

finish fleet_cli
