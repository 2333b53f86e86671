#!/usr/bin/env python3
"""`hashjoule fleet --months N`, recomputed independently.

Usage: test_projection.py HASHJOULE

  * the network month by month: a chain simulated here block by block
    (Core's retarget over 2015 intervals, clamp 1/4..4x, subsidy halving at
    multiples of 210,000, hashrate growing continuously) gives each month's
    hashprice and effective difficulty to 1e-9;
  * every option's monthly revenue, costs, net and cumulative cash from the
    snapshot row and the assumptions, then NPV, IRR (the NPV at the IRR is
    0), payback and every AI-vs-mining crossover;
  * flat inputs reproduce today's net x months (AI options exactly; mining
    at today's revenue x D0 / D, where D rises once by 2016/2015 at the first
    retarget, which is checked exactly too);
  * across a halving, hashprice x difficulty / price falls by exactly
    (S/2 + F) / (S + F);
  * a BTC price path, hourly power prices with curtailment, CSV and SVG;
  * bad input: exit 2 and a message naming the problem.
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

HJ = sys.argv[1]
MONTH_S = 730 * 3600
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def run(*args, expect=0):
    p = subprocess.run([HJ, "fleet", *args], capture_output=True, text=True)
    if p.returncode != expect:
        fail(f"fleet {' '.join(args)}: exit {p.returncode}, expected {expect}: {p.stderr.strip()}")
    return p


def close(a, b, rel=1e-9, abs_=1e-6):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


def subsidy(height):
    halvings = height // 210000
    return 0.0 if halvings >= 64 else (50 * 10**8 >> halvings) / 1e8


def chain(d0, tip, growth_pct, months):
    """Per month: integral of 1/(D 2^32) and of S/(D 2^32) dt; halving months."""
    h0 = d0 * 2**32 / 600
    lg = math.log1p(growth_pct / 100)
    d, t, k = d0, 0.0, tip
    t_first = -(tip % 2016) * 600.0
    inv, sub, halvings = [0.0] * months, [0.0] * months, []
    end = months * MONTH_S
    while t < end:
        nk = k + 1
        if nk % 2016 == 0:
            span = min(max(t - t_first, 1209600 / 4), 1209600 * 4)
            d = max(1.0, d * 1209600 / span)
            t_first = None
        s = subsidy(nk)
        if nk % 210000 == 0:
            halvings.append(int(t // MONTH_S) + 1)
        dt = d * 2**32 / (h0 * math.exp(lg * t / MONTH_S))
        a, b = t, t + dt
        while a < b and a < end:
            mi = int(a // MONTH_S)
            stop = min(b, (mi + 1) * MONTH_S)
            inv[mi] += (stop - a) / (d * 2**32)
            sub[mi] += (stop - a) * s / (d * 2**32)
            a = stop
        t, k = b, nk
        if t_first is None:
            t_first = t
    return inv, sub, halvings


def npv(cash, r):
    return sum(c / (1 + r) ** i for i, c in enumerate(cash))


def check_document(doc, label, power_prices=None):
    """Recompute the whole projection of one --json document."""
    p = doc["projection"]
    n = p["months"]
    a = {k: v["value"] for k, v in doc["inputs"]["assumptions"].items()}
    inp = doc["inputs"]
    d0, tip = inp["difficulty"]["value"], inp["height"]["value"]
    inv, sub, halvings = chain(d0, tip, a["hashrate_growth_pct_per_month"], n)
    if p["halving_months"] != [h for h in halvings]:
        fail(f"{label}: halving months {p['halving_months']} != {halvings}")
    mk = p["market"]
    for m in range(1, n + 1):
        x = mk[m]
        hp = 1e15 * 86400 * x["btc_price_usd"] * (sub[m - 1] + x["fees_btc_per_block"] * inv[m - 1]) / MONTH_S
        if not close(x["hashprice_usd_per_ph_day"], hp):
            fail(f"{label}: month {m} hashprice {x['hashprice_usd_per_ph_day']} != {hp}")
            break
        if not close(x["difficulty"], MONTH_S / (inv[m - 1] * 2**32)):
            fail(f"{label}: month {m} effective difficulty")
            break
    snap = {o["name"]: o for o in doc["options"]}
    fee = inp["assumptions"]["pool_fee_pct"]["value"] / 100
    avail = a["uptime_pct"] / 100
    months_to_rev = round(a["ai_months_to_revenue"])
    colo_terms = {c["name"]: c.get("term_years") for c in inp["colocation_rates"]}
    monthly_r = (1 + a["discount_rate_pct_per_year"] / 100) ** (1 / 12) - 1
    checked = 0
    by_name = {}
    for o in p["options"]:
        by_name[o["name"]] = o
        if not o["available"]:
            continue
        s = snap[o["name"]]
        rows = o["monthly"]
        if len(rows) != n + 1:
            fail(f"{label}: {o['name']}: {len(rows)} monthly rows")
            continue
        for m in range(1, n + 1):
            r = rows[m]
            if o["kind"] in ("asic", "local-cpu", "local-gpu", "operator-fleet", "gpu-mining-modeled"):
                rev_h = mk[m]["hashprice_usd_per_ph_day"] * s["hashrate_ph_per_mw"] / 24
                be = rev_h * (1 - fee)
                if power_prices:
                    hours = [power_prices[((m - 1) * 730 + h) % len(power_prices)] for h in range(730)]
                    run_h = [q for q in hours if q < be]
                else:
                    run_h = [s["electricity_usd_per_mwh"]] * 730 if s["electricity_usd_per_mwh"] < be else []
                rev = rev_h * len(run_h) * avail
                exp = (rev, sum(run_h) * avail, rev * fee)
                if not close(r["uptime_pct"], 100 * avail * len(run_h) / 730):
                    fail(f"{label}: {o['name']} month {m} uptime")
            elif o["kind"] == "ai-colocation":
                j = m - months_to_rev
                term = colo_terms.get(o["name"]) or a["colocation_term_years"]
                if j < 1 or j > round(term * 12):
                    exp = (0, 0, 0)
                else:
                    rev = s["revenue_usd_per_mwh"] * 730 * (1 + a["colocation_escalator_pct_per_year"] / 100) ** ((j - 1) // 12)
                    exp = (rev, 0 if a["colocation_power_passthrough"] >= 0.5 else s["electricity_usd_per_mwh"] * 730,
                           rev * s["other_opex_usd_per_mwh"] / s["revenue_usd_per_mwh"])
            else:
                if m <= months_to_rev:
                    exp = (0, 0, 0)
                else:
                    rev = s["revenue_usd_per_mwh"] * 730 * (1 - a["gpu_price_decline_pct_per_year"] / 100) ** ((m - 1) / 12)
                    elec = (sum(power_prices[((m - 1) * 730 + h) % len(power_prices)] for h in range(730))
                            if power_prices else s["electricity_usd_per_mwh"] * 730)
                    exp = (rev, elec, rev * a["gpu_cloud_opex_pct"] / 100)
            got = (r["revenue_usd_per_mw"], r["electricity_usd_per_mw"], r["other_cost_usd_per_mw"])
            if not all(close(g, e, 1e-9, 1e-6) for g, e in zip(got, exp)):
                fail(f"{label}: {o['name']} month {m}: {got} != {exp}")
                break
        cum = 0
        cash = []
        for m, r in enumerate(rows):
            net = r["revenue_usd_per_mw"] - r["electricity_usd_per_mw"] - r["other_cost_usd_per_mw"] - r["capex_usd_per_mw"]
            cum += net
            cash.append(net)
            if not (close(r["net_usd_per_mw"], net, 1e-9, 1e-6) and close(r["cumulative_usd_per_mw"], cum, 1e-9, 1e-3)):
                fail(f"{label}: {o['name']} month {m}: net or cumulative")
                break
        if o["capex_known"]:
            if not close(rows[0]["capex_usd_per_mw"], o["capex_usd_per_mw"]) or not close(o["capex_usd_per_mw"], s["capex_usd_per_mw"]):
                fail(f"{label}: {o['name']}: capex")
            if not close(o["npv_usd_per_mw"], npv(cash, monthly_r), 1e-9, 1e-3):
                fail(f"{label}: {o['name']}: NPV {o['npv_usd_per_mw']} != {npv(cash, monthly_r)}")
            irr = o["irr_pct_per_year"]
            if irr is not None:
                if irr <= -99.9:
                    pass  # the printed rate has lost the digits to check it with
                else:
                    # the NPV x (1 + r)^N at the IRR is 0 relative to its terms' size
                    x = (1 + irr / 100) ** (1 / 12)
                    terms = [c * x ** (len(cash) - 1 - i) for i, c in enumerate(cash)]
                    if abs(sum(terms)) > 1e-7 * max(1e-300, sum(abs(t) for t in terms)):
                        fail(f"{label}: {o['name']}: the NPV at the IRR is not 0")
            else:
                # the NPV changes sign between -100 % and +1000 % a month when
                # the first and the last non-zero flows differ in sign
                flows = [c for c in cash if c != 0]
                if flows and (flows[0] < 0) != (flows[-1] < 0):
                    fail(f"{label}: {o['name']}: the cash changes sign but no IRR")
            pay = next((m for m, r in enumerate(rows) if r["cumulative_usd_per_mw"] >= 0), None)
            if o["payback_month"] != pay:
                fail(f"{label}: {o['name']}: payback {o['payback_month']} != {pay}")
        else:
            if o["npv_usd_per_mw"] is not None or o["payback_month"] is not None:
                fail(f"{label}: {o['name']}: NPV/payback without a capex")
        checked += 1
    for x in p["crossovers"]:
        mi, ai = by_name[x["mining"]]["monthly"], by_name[x["ai"]]["monthly"]
        since = 0
        for m in range(n + 1):
            if ai[m]["cumulative_usd_per_mw"] < mi[m]["cumulative_usd_per_mw"]:
                since = m + 1
        want = None if since > n else since
        if x["month"] != want:
            fail(f"{label}: crossover {x['ai']} vs {x['mining']}: {x['month']} != {want}")
    if checked < 20:
        fail(f"{label}: only {checked} options checked")
    return p


tmp = tempfile.mkdtemp()

# 1. the defaults over 120 months: two halvings, every series recomputed
d = json.loads(run("--months", "120", "--json").stdout)
p = check_document(d, "defaults")
if len(p["halving_months"]) < 2:
    fail(f"120 months at the default growth should hold two halvings: {p['halving_months']}")

# 2. flat inputs reproduce today's net x months
flat = ["--hashrate-growth-pct-per-month", "0", "--uptime-pct", "100", "--assume", "ai_months_to_revenue=0",
        "--assume", "colocation_escalator_pct_per_year=0", "--assume", "gpu_price_decline_pct_per_year=0"]
d = json.loads(run("--months", "24", "--json", *flat).stdout)
p = check_document(d, "flat")
snap = {o["name"]: o for o in d["options"]}
d0 = d["inputs"]["difficulty"]["value"]
for m in range(1, 25):
    x = d["projection"]["market"][m]
    # with the hashrate flat, the first retarget raises difficulty once by
    # 2016/2015 (Core's timespan spans 2015 intervals of 600 s); blocks then
    # take 600 x 2016/2015 s and every later retarget keeps it
    if not close(x["difficulty_at_end"], d0 * 2016 / 2015, 1e-10):
        fail(f"flat: month {m} difficulty {x['difficulty_at_end']} is not D0 x 2016/2015")
for o in d["projection"]["options"]:
    if not o["available"] or not o["capex_known"]:
        continue
    s = snap[o["name"]]
    total = o["monthly"][24]["cumulative_usd_per_mw"] + o["capex_usd_per_mw"]
    want = s["net_usd_per_mwh"] * 730 * 24
    if o["kind"] in ("ai-colocation", "ai-gpu-cloud"):
        for r in o["monthly"][1:]:
            if not close(r["net_usd_per_mw"], s["net_usd_per_mwh"] * 730, 1e-12):
                fail(f"flat: {o['name']}: month {r['month']} net != today's net x 730")
                break
        if not close(total, want, 1e-12):
            fail(f"flat: {o['name']}: 24 months {total} != today's net x 730 x 24 = {want}")
    elif s["net_usd_per_mwh"] > 5:
        for r in o["monthly"][1:]:
            hp0 = d["hashprice_usd_per_ph_day"]
            rev = s["revenue_usd_per_mwh"] * d0 / r["difficulty"] * 730
            if not close(r["revenue_usd_per_mw"], rev, 1e-9) or not close(r["hashprice_usd_per_ph_day"], hp0 * d0 / r["difficulty"], 1e-9):
                fail(f"flat: {o['name']}: month {r['month']} revenue is not today's x D0 / D")
                break
        revenue = sum(r["revenue_usd_per_mw"] for r in o["monthly"])
        if abs(revenue / (s["revenue_usd_per_mwh"] * 730 * 24) - 1) > 0.0006:
            fail(f"flat: {o['name']}: 24 months of revenue {revenue} not within 0.06% of today's x 730 x 24")

# 3. across a halving: hashprice x D / P falls by (S/2 + F) / (S + F)
d = json.loads(run("--months", "40", "--json", *flat).stdout)
p = check_document(d, "halving")
hm = p["halving_months"][0]
b, c = p["market"][hm - 1], p["market"][hm + 1]
ratio = (c["hashprice_usd_per_ph_day"] * c["difficulty"] / c["btc_price_usd"]) / (
    b["hashprice_usd_per_ph_day"] * b["difficulty"] / b["btc_price_usd"])
S, F = 3.125, d["inputs"]["fees_btc_per_block"]["value"]
if not close(ratio, (S / 2 + F) / (S + F), 1e-12):
    fail(f"halving: ratio {ratio} != (S/2 + F)/(S + F) = {(S / 2 + F) / (S + F)}")

# 4. a BTC price path with fees, and hourly power prices
path = os.path.join(tmp, "path.csv")
with open(path, "w") as f:
    f.write("month,usd,fees_btc_per_block\n# a comment\n6,100000,0.05\n12,120000,0.1\n")
prices = os.path.join(tmp, "prices.csv")
hourly = [20.0, 20.0, 200.0, -5.0, 60.0]
with open(prices, "w") as f:
    f.write("timestamp,usd_per_mwh\n")
    for i, v in enumerate(hourly):
        f.write(f"2025-01-01T{i:02d}:00,{v}\n")
d = json.loads(run("--months", "18", "--json", "--btc-price-path", path, "--power-prices", prices).stdout)
p = check_document(d, "path+prices", power_prices=hourly)
mk = p["market"]
P0, F0 = d["inputs"]["btc_price_usd"]["value"], d["inputs"]["fees_btc_per_block"]["value"]
for m, want, fees in ((3, P0 + (100000 - P0) * 3 / 6, F0 + (0.05 - F0) * 3 / 6), (9, 110000, 0.075), (15, 120000, 0.1)):
    if not close(mk[m]["btc_price_usd"], want, 1e-12) or not close(mk[m]["fees_btc_per_block"], fees, 1e-12):
        fail(f"path: month {m}: {mk[m]['btc_price_usd']}, {mk[m]['fees_btc_per_block']} != {want}, {fees}")
if not close(mk[1]["power_price_mean_usd_per_mwh"], sum(hourly[h % 5] for h in range(730)) / 730, 1e-12):
    fail("prices: month 1 mean power price")

# 5. a lease that ends inside the horizon; BTC price growth; short horizons
d = json.loads(run("--months", "120", "--json", "--assume", "ai_months_to_revenue=0",
                   "--assume", "colocation_term_years=5", "--colocation-usd-per-kw-month", "150").stdout)
check_document(d, "short lease")
colo = [o for o in d["projection"]["options"] if o["kind"] == "ai-colocation"]
if len(colo) != 1 or colo[0]["monthly"][60]["revenue_usd_per_mw"] <= 0 or colo[0]["monthly"][61]["revenue_usd_per_mw"] != 0:
    fail("short lease: a 5-year lease from month 1 should pay in month 60 and not in month 61")
d = json.loads(run("--months", "24", "--json", "--btc-price-growth-pct-per-year", "10").stdout)
mk = d["projection"]["market"]
if not close(mk[12]["btc_price_usd"], mk[0]["btc_price_usd"] * 1.1, 1e-12) or not close(mk[24]["btc_price_usd"], mk[0]["btc_price_usd"] * 1.21, 1e-12):
    fail("growth: month 12 is not a year's growth")
for months in ("1", "2"):
    check_document(json.loads(run("--months", months, "--json").stdout), f"{months} month(s)")

# 6. CSV: one row per available option and month; the SVG chart
rows = list(csv.DictReader(io.StringIO(run("--months", "6", "--csv").stdout)))
n_avail = sum(1 for o in json.loads(run("--months", "6", "--json").stdout)["projection"]["options"] if o["available"])
if len(rows) != n_avail * 7:
    fail(f"csv: {len(rows)} rows, expected {n_avail} x 7")
svg_dir = os.path.join(tmp, "svg")
out = run("--months", "36", "--svg", svg_dir).stdout
chart = os.path.join(svg_dir, "projection_cumulative_cash.svg")
if chart not in out or not os.path.exists(chart) or open(chart).read().count("<polyline") < 3:
    fail("svg: the cumulative-cash chart is missing or has fewer than 3 lines")

# 7. bad input: exit 2, a message naming the problem
bad_path = os.path.join(tmp, "bad.csv")
with open(bad_path, "w") as f:
    f.write("12,100000\n6,90000\n")
bad_prices = os.path.join(tmp, "badp.csv")
with open(bad_prices, "w") as f:
    f.write("40\n41\nforty-two\n")
typo_first = os.path.join(tmp, "typo.csv")
with open(typo_first, "w") as f:
    f.write("4O\n50\n")  # a letter O in the first row is not a header
semicolons = os.path.join(tmp, "semi.csv")
with open(semicolons, "w") as f:
    f.write("time;price\n2025-01-01 00:00;45,5\n")
thousands = os.path.join(tmp, "thousands.csv")
with open(thousands, "w") as f:
    f.write("month,usd\n0,91,000\n")  # a thousands separator: 3 columns under a 2-column header
decimal_comma = os.path.join(tmp, "decimal_comma.csv")
with open(decimal_comma, "w") as f:
    f.write("price\n30,5\n40,6\n")  # decimal commas: 2 columns under a 1-column header
odd_header = os.path.join(tmp, "odd_header.csv")
with open(odd_header, "w") as f:
    f.write("month,usd,foo\n0,91000,1\n")
ragged = os.path.join(tmp, "ragged.csv")
with open(ragged, "w") as f:
    f.write("2025-01-01T00:00,40\n41\n")
for args, needle in (
    (["--months", "0"], "--months"),
    (["--months", "121"], "--months"),
    (["--months", "12x"], "--months"),
    (["--uptime-pct", "90"], "give --months"),
    (["--months", "12", "--hashprice-usd-per-ph-day", "40"], "--hashprice-usd-per-ph-day"),
    (["--months", "12", "--btc-price-path", os.path.join(tmp, "none.csv")], "none.csv"),
    (["--months", "12", "--btc-price-path", bad_path], "line 2"),
    (["--months", "12", "--power-prices", bad_prices], "line 3"),
    (["--months", "12", "--btc-price-path", path, "--btc-price-growth-pct-per-year", "10"], "give one"),
    (["--months", "12", "--assume", "no_such_key=1"], "no_such_key"),
    (["--months", "12", "--assume", "uptime_pct"], "KEY=VALUE"),
    (["--months", "12", "--uptime-pct", "101"], "--uptime-pct"),
    (["--months", "12", "--hashrate-growth-pct-per-month", "nan"], "--hashrate-growth-pct-per-month"),
    (["--months", "12", "--power-prices", typo_first], "line 1"),
    (["--months", "12", "--power-prices", semicolons], "semicolon"),
    (["--months", "12", "--power-prices", ragged], "line 2"),
    (["--months", "12", "--btc-price-path", thousands], "where the header has 2"),
    (["--months", "12", "--power-prices", decimal_comma], "where the header has 1"),
    (["--months", "12", "--btc-price-path", odd_header], "expected fees_btc_per_block"),
    (["--months", "12", "--assume", "ai_months_to_revenue=-3"], "out of range"),
    (["--months", "12", "--assume", "gpu_price_decline_pct_per_year=150"], "out of range"),
    (["--months", "12", "--assume", "uptime_pct=200"], "out of range"),
    (["--assume", "pue_air=0"], "out of range"),
    (["--months", "24", "--hashrate-growth-pct-per-month", "-50"], "falls to"),
):
    r = run(*args, expect=2)
    if needle not in r.stderr:
        fail(f"fleet {' '.join(args)}: message lacks '{needle}': {r.stderr.strip()}")

if failures:
    print(f"{len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("projection: every month recomputed and every check passed")
