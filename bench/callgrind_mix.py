#!/usr/bin/env python3
"""Instructions per hash of one CPU kernel, by mnemonic: which operations a
kernel spends its instructions on (e.g. the share of vector shifts, which
issue on fewer ports than adds and logic on x86 cores).

Usage: bench/callgrind_mix.py [--insn-count PATH] KERNEL [VERSIONS]

Runs insn_count (built next to hashjoule; `--direct`: the kernel call
untraced) under valgrind's callgrind twice, over 1,024 and 5,120 nonces,
collecting only inside the kernel function (hj_scan_KERNEL, or
hj_scan_KERNEL_versions with VERSIONS), with a count per instruction
address; the difference of the two runs over the difference in hashes
cancels the fixed cost of a call. Addresses are named by objdump's
disassembly of the same binary. valgrind runs neither AVX-512 nor SHA-NI,
so this is for scalar, sse41 and avx2.

Exit: 0 printed, 2 usage or a missing tool.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NONCES = (1024, 5120)


def callgrind_costs(path):
    """Self cost per instruction address from a callgrind file written with
    --dump-instr=yes (positions absolute, +N/-N relative, or * unchanged;
    the line after calls= is a call's inclusive cost and is skipped)."""
    cost = collections.Counter()
    addr, after_call = 0, False
    with open(path) as f:
        for line in f:
            if line.startswith("calls="):
                after_call = True
                continue
            m = re.match(r"(0x[0-9a-f]+|[+-]\d+|\*)\s+\S+\s+(\d+)", line)
            if not m:
                after_call = False
                continue
            pos = m.group(1)
            if pos.startswith("0x"):
                addr = int(pos, 16)
            elif pos != "*":
                addr += int(pos)
            if after_call:
                after_call = False
                continue
            cost[addr] += int(m.group(2))
    return cost


def mnemonics(binary):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True, text=True,
                         check=True).stdout
    return {int(m.group(1), 16): m.group(2) for m in re.finditer(r"^\s+([0-9a-f]+):\s+(\S+)", out, re.M)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--insn-count", default=os.path.join(ROOT, "build/insn_count"))
    ap.add_argument("kernel")
    ap.add_argument("versions", nargs="?", type=int)
    a = ap.parse_args()
    for tool in ("valgrind", "objdump"):
        if not shutil.which(tool):
            sys.exit(f"callgrind_mix: {tool} not found")
    if not os.access(a.insn_count, os.X_OK):
        sys.exit(f"callgrind_mix: no {a.insn_count} (build the project)")
    fn = f"hj_scan_{a.kernel}" + ("_versions" if a.versions else "")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in NONCES:
            out = os.path.join(tmp, f"cg.{n}")
            cmd = ["valgrind", "--tool=callgrind", "--dump-instr=yes", f"--callgrind-out-file={out}",
                   f"--toggle-collect={fn}", a.insn_count, "--direct", a.kernel, str(n)]
            cmd += [str(a.versions)] if a.versions else []
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"callgrind_mix: {' '.join(cmd[-4:])} failed: {r.stderr.strip()[-300:]}")
            runs.append(callgrind_costs(out))
    hashes = (NONCES[1] - NONCES[0]) * (a.versions or 1)
    names = mnemonics(a.insn_count)
    mix = collections.Counter()
    for addr in set(runs[0]) | set(runs[1]):
        mix[names.get(addr, "?")] += runs[1][addr] - runs[0][addr]
    total = sum(mix.values())
    print(f"{fn}: {total / hashes:.1f} instructions per hash"
          + (f" ({a.versions} versions per call)" if a.versions else ""))
    for name, n in mix.most_common():
        if n / hashes >= 0.5:  # the loop and call overheads below this are noise here
            print(f"  {name:14} {n / hashes:7.1f}  {100 * n / total:5.1f} %")
    shifts = sum(n for name, n in mix.items() if re.match(r"v?ps[rl]l[dq]$|v?psrad$", name))
    print(f"  vector shifts  {shifts / hashes:7.1f}  {100 * shifts / total:5.1f} %")


if __name__ == "__main__":
    main()
