#!/usr/bin/env python3
"""The charts of `hashjoule fleet --svg DIR` have readable labels.

Usage: test_fleet_svg.py HASHJOULE FIXTURES_DIR RESULTS_DIR

Writes the four charts (five with --months) for several inputs (the embedded data, the bench
fixture, a real bench file from results/ with and without
--local-power-watts, a small sensitivity grid) and checks each SVG:

  * every <text> lies inside the view box;
  * no two <text> elements overlap, and no <circle> (a chart's dots) covers one;
  * the options chart's legend names exactly the kinds it draws;
  * the difficulty chart's y ticks are round (1, 2 or 5 x 10^k apart) and
    span at least 20 % of the largest tick, and its x ticks are round days.

Text boxes come from a width model, as no font is rendered here. The charts
name "DejaVu Sans" first (Arial, the fallback, is narrower), and the model is
an upper bound on DejaVu Sans' advance width per class of character, in em:
  narrow   i j l f t r I space . , : ; ' ( ) [ ] / - | !   0.42
  wide     m w M W % @                                     1.00
  symbols  + = < > # & ~                                   0.84
  other capitals                                           0.80
  everything else (lower case, digits, $, ...)             0.64
Bold text is 1.12 times wider. text-anchor start/middle/end puts the box
right of, centred on, or left of x. Vertically a box runs from 0.8 em above
the baseline to 0.25 em below it. font-size, font-weight and text-anchor are
inherited from the enclosing elements (the <svg> sets font-size 12).
src/cli/fleet_svg.c places its labels with the same model.

Needs only python3 (xml.etree). To look at the charts, render them with
rsvg-convert (Debian: librsvg2-bin): rsvg-convert chart.svg -o chart.png
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
NARROW, WIDE, SYMBOL = set("ijlftrI .,:;'()[]/-|!"), set("mwMW%@"), set("+=<>#&~")
KINDS = ["asic", "local-cpu", "local-gpu", "ai-colocation", "ai-gpu-cloud", "gpu-mining-modeled"]
failures = []


def char_em(c):
    if c in NARROW:
        return 0.42
    if c in WIDE:
        return 1.0
    if c in SYMBOL:
        return 0.84
    if "A" <= c <= "Z":
        return 0.8
    return 0.64


def texts(svg_root):
    """Every <text> with its inherited font-size, weight and anchor."""
    out = []

    def walk(el, inh):
        inh = dict(inh)
        for k in ("font-size", "font-weight", "text-anchor"):
            if el.get(k) is not None:
                inh[k] = el.get(k)
        if el.tag == NS + "text":
            out.append((el, inh))
        for child in el:
            walk(child, inh)

    walk(svg_root, {"font-size": "16", "font-weight": "normal", "text-anchor": "start"})
    return out


def box(el, inh):
    s = "".join(el.itertext())
    fs = float(inh["font-size"])
    w = sum(char_em(c) for c in s) * fs * (1.12 if inh["font-weight"] == "bold" else 1.0)
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    x0 = {"start": x, "middle": x - w / 2, "end": x - w}[inh["text-anchor"]]
    return (x0, y - 0.8 * fs, x0 + w, y + 0.25 * fs), s


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def check_layout(path):
    root = ET.parse(path).getroot()
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox").split())
    boxes = []
    for el, inh in texts(root):
        b, s = box(el, inh)
        boxes.append((b, s))
        if b[0] < vx or b[1] < vy or b[2] > vx + vw or b[3] > vy + vh:
            fail("%s: '%s' at (%.0f, %.0f)-(%.0f, %.0f) leaves the view box %gx%g" % (path, s, *b, vw, vh))
    def hit(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if hit(boxes[i][0], boxes[j][0]):
                fail("%s: '%s' overlaps '%s'" % (path, boxes[i][1], boxes[j][1]))
    # the dots (break-even chart, legends) must not cover a label either
    for c in root.iter(NS + "circle"):
        cx, cy, r = (float(c.get(k)) for k in ("cx", "cy", "r"))
        for b, s in boxes:
            if hit(b, (cx - r, cy - r, cx + r, cy + r)):
                fail("%s: the dot at (%.0f, %.0f) covers '%s'" % (path, cx, cy, s))
    return root


def nice(step):
    m = step / 10 ** math.floor(math.log10(step))
    return any(abs(m - n) < 1e-6 for n in (1, 2, 5, 10))


def check_ticks(path, root):
    """The difficulty chart: y tick labels (anchor end), one run going up the
    page per panel; x tick labels (anchor middle, numbers) below the last."""
    runs, xs, last_y = [], [], None
    for el, inh in texts(root):
        s = "".join(el.itertext())
        try:
            v = float(s)
        except ValueError:
            continue
        if inh["text-anchor"] == "end":
            # a panel's ticks go up the page; the next panel starts lower down
            y = float(el.get("y"))
            if runs and y < last_y:
                runs[-1].append(v)
            else:
                runs.append([v])
            last_y = y
        elif inh["text-anchor"] == "middle":
            xs.append(v)
    if len(runs) != 4:
        fail("%s: expected 4 panels of y ticks, found %d" % (path, len(runs)))
    for ticks in runs + [xs]:
        if len(ticks) < 3:
            fail("%s: fewer than 3 ticks: %s" % (path, ticks))
            continue
        steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
        if len(steps) != 1 or not nice(steps.pop()):
            fail("%s: ticks not evenly spaced at a round step: %s" % (path, ticks))
        if any(abs(t / (ticks[1] - ticks[0]) - round(t / (ticks[1] - ticks[0]))) > 1e-6 for t in ticks):
            fail("%s: tick values not multiples of the step: %s" % (path, ticks))
    for ticks in runs:
        if ticks[-1] - ticks[0] < 0.2 * max(abs(ticks[0]), abs(ticks[-1])) - 1e-9:
            fail("%s: y range %s spans less than 20%% of its largest value" % (path, ticks))


def check_legend(path, root, kinds_drawn):
    labels = {"".join(el.itertext()) for el, _ in texts(root)}
    legend = {k for k in KINDS if k in labels}
    if legend != kinds_drawn:
        fail("%s: legend %s, kinds drawn %s" % (path, sorted(legend), sorted(kinds_drawn)))


def main():
    hj, fixtures, results = sys.argv[1:4]
    cases = {
        "embedded": [],
        "bench_fixture": ["--bench", os.path.join(fixtures, "bench_sample.json")],
        "bench_fixture_watts": ["--bench", os.path.join(fixtures, "bench_sample.json"), "--local-power-watts", "200"],
        "bench_real": ["--bench", os.path.join(results, "vm-20261130-040955.json")],
        "bench_real_watts": ["--bench", os.path.join(results, "vm-20261130-040955.json"), "--local-power-watts", "150"],
        "small_grid": ["--grid-electricity", "30", "--grid-btc-prices", "40000,1000000", "--exit-pct", "2"],
        "projection_60": ["--months", "60"],
        "projection_120_bench": ["--months", "120", "--bench", os.path.join(fixtures, "bench_sample.json")],
        "projection_6": ["--months", "6", "--hashrate-growth-pct-per-month", "0"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in cases.items():
            out = os.path.join(tmp, name)
            run = subprocess.run([hj, "fleet", "--svg", out] + args, capture_output=True, text=True)
            if run.returncode != 0:
                fail("%s: fleet exited %d: %s" % (name, run.returncode, run.stderr))
                continue
            doc = json.loads(subprocess.run([hj, "fleet", "--json", "--scenario", "exit,grid"] + args, capture_output=True, text=True,
                                            check=True).stdout)
            drawn = {o["kind"] for o in doc["options"] if o["available"]}
            charts = sorted(f for f in os.listdir(out) if f.endswith(".svg"))
            if len(charts) != (5 if "--months" in args else 4):
                fail("%s: %d charts written" % (name, len(charts)))
            for f in charts:
                path = os.path.join(out, f)
                root = check_layout(path)
                if f == "options_usd_per_mwh.svg":
                    check_legend(path, root, drawn)
                if f == "difficulty_scenario.svg":
                    check_ticks(path, root)
    if failures:
        print("fleet_svg: %d check(s) failed" % len(failures))
        return 1
    print("fleet_svg: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
