#!/usr/bin/env bash
# The gpu_isa gate: instructions per nonce of kernels/opencl/sha256d.cl on
# sm_90 and gfx90a, and per hash of its version-rolling kernel, counted from
# compiler output (bench/gpu_isa.py), must stay within 1 % of
# data/gpu_isa.json. Without the toolchain (clang + libclc,
# ptxas, nvdisasm) the count is reported unavailable with the reason and the
# test is skipped (exit 77), not failed.
# Then the gate itself is checked: a copy of the kernel whose Maj is written
# as two-input ANDs and adds (wrong, but the gate only counts) must fail it,
# so a gate that cannot fail is caught.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=$root/bench/gpu_isa.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The SASS reader's pipes, on lines of each kind (no toolchain needed): a
# constant load is memory on the uniform datapath on every generation (ULDC
# up to sm_90, LDCU from sm_100), never an ALU-pipe instruction.
python3 - "$root/bench" <<'PY' || { echo "gpu_isa: FAIL: the SASS reader classifies an instruction wrongly"; exit 1; }
import sys
sys.path.insert(0, sys.argv[1])
import gpu_isa_count as C
cases = {
    "/*0010*/                   LDCU UR4, c[0x0][0x380] ;": ("memory", "uniform"),
    "/*0020*/                   ULDC UR4, c[0x0][0x0] ;": ("memory", "uniform"),
    "/*0030*/                   SHF.R.U32.HI R1, RZ, 0x2, R3 ;": ("shift", "alu"),
    "/*0040*/                   LOP3.LUT R1, R2, R3, R4, 0x96, !PT ;": ("logic3", "alu"),
    "/*0050*/                   IMAD.IADD R1, R2, 0x1, R3 ;": ("other_alu", "fma"),
    "/*0060*/                   IADD3 R1, R2, R3, R4 ;": ("add3", "add"),
    "/*0070*/               @P0 BRA `(.L_x_1) ;": ("control", "control"),
}
bad = 0
for line, want in cases.items():
    i = C._sass_insn(line)
    got = (i.cls, i.pipe) if i else None
    if got != want:
        print(f"gpu_isa: {line.split('*/')[1].strip()}: read as {got}, expected {want}")
        bad = 1
sys.exit(bad)
PY

# The counts the fleet model reads (data/gpus.json) are the recorded ones
# (data/gpu_isa.json) for each GPU's target: checked without the toolchain.
python3 - "$root/data/gpus.json" "$root/data/gpu_isa.json" <<'PY' || exit 1
import json, sys
gpus = json.load(open(sys.argv[1]))["gpus"]
isa = {r["target"]: r for r in json.load(open(sys.argv[2]))["targets"]}
bad = []
for g in gpus:
    r = isa.get(g.get("isa"))
    if r is None:
        continue
    if g.get("sha256d_instructions_per_nonce") != r["bound_pipe_instructions_per_nonce"]:
        bad.append(f"{g['model']}: sha256d_instructions_per_nonce {g.get('sha256d_instructions_per_nonce')}"
                   f" is not {g['isa']}'s {r['bound_pipe_instructions_per_nonce']}")
    want = round(r["rolled_bound_pipe_instructions_per_hash"], 1) if "rolled_bound_pipe_instructions_per_hash" in r else None
    if g.get("sha256d_rolled_instructions_per_hash") != want:
        bad.append(f"{g['model']}: sha256d_rolled_instructions_per_hash {g.get('sha256d_rolled_instructions_per_hash')}"
                   f" is not {g['isa']}'s {want}")
for b in bad:
    print(f"gpu_isa: FAIL: data/gpus.json {b} (data/gpu_isa.json; bench/gpu_isa.sh --record writes both)")
sys.exit(1 if bad else 0)
PY

python3 "$tool" --check
rc=$?
case $rc in
0) ;;
77) echo "gpu_isa: skipped: the count is unavailable on this machine (reason above)"; exit 77 ;;
*) echo "gpu_isa: FAIL: instructions per nonce (or per hash, version rolling) above the baseline (data/gpu_isa.json) by more than 1 %, or not counted"
   echo "  (if the rise is intended, re-record with bench/gpu_isa.sh --peer --record and say why in the commit)"
   exit 1 ;;
esac

# the gate must fail on a worse kernel
sed 's|^#define MAJ(a, b, c) .*|#define MAJ(a, b, c) (((a) \& (b)) + ((a) \& (c)) + ((b) \& (c)))|' \
    "$root/kernels/opencl/sha256d.cl" >"$tmp/worse.cl"
if cmp -s "$root/kernels/opencl/sha256d.cl" "$tmp/worse.cl"; then
    echo "gpu_isa: FAIL: could not make the worse copy (no '#define MAJ' line in sha256d.cl)"
    exit 1
fi
python3 "$tool" --check --kernel "$tmp/worse.cl" >"$tmp/worse.log" 2>&1
rc=$?
grep '^gpu_isa:' "$tmp/worse.log" | sed 's/^/  worse kernel: /'
if [ $rc -ne 1 ]; then
    echo "gpu_isa: FAIL: the gate did not fail on a kernel with Maj in two-input forms (exit $rc)"
    exit 1
fi
# each gated count must fail on its own, the version-rolling kernel's too
for t in sm_90 gfx90a; do
    grep -q "^gpu_isa: $t .*: .*(baseline" "$tmp/worse.log" || continue # target not counted here
    for key in bound_pipe_instructions_per_nonce rolled_bound_pipe_instructions_per_hash; do
        grep -q "^gpu_isa: $t $key: .* FAIL$" "$tmp/worse.log" ||
            { echo "gpu_isa: FAIL: the gate let $t $key of the worse kernel pass"; exit 1; }
    done
done
echo "gpu_isa: the gate fails a kernel with Maj in two-input forms, as it must"
