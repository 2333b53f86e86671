#!/usr/bin/env python3
"""hashjoule's OpenCL kernel checked where no GPU is: instructions per nonce on
NVIDIA and AMD instruction sets, from the compilers' own output.

Builds kernels/opencl/sha256d.cl with the defines the OpenCL host passes a GPU
(read from src/opencl/program.c), for each target, and counts the scanning
loop's hot path (bench/gpu_isa_count.py says how), and the version-rolling
kernel per hash: its version loop once per hash, the rest of its HJ_ITERS loop
(block 2's schedule) once per launch's versions (read from
src/opencl/ocl_private.h). With --peer, hashcat's
-m 1400 and -m 21400 kernels (Debian's hashcat package) are compiled the same
way and counted per SHA-256 compression. With --bound, the throughput bound of
every GPU in data/gpus.json. --record writes data/gpu_isa.json and the
per-GPU counts in data/gpus.json; --check compares with data/gpu_isa.json.

Exit: 0 done (or check passed), 1 check failed, 2 usage, 77 nothing could be
counted here (the reason is printed).
"""
import argparse
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpu_isa_build as B  # noqa: E402
import gpu_isa_count as C  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "kernels/opencl/sha256d.cl")
BASELINE = os.path.join(ROOT, "data/gpu_isa.json")
GPUS = os.path.join(ROOT, "data/gpus.json")
HASHCAT_DIR = "/usr/share/hashcat/OpenCL"
GATED = ("sm_90", "gfx90a")
TOLERANCE = 0.01
PLAIN, ROLLED = "hj_sha256d_scan", "hj_sha256d_scan_versions"

# Resident warps per SM (CUDA C++ Programming Guide, "Technical Specifications
# per Compute Capability"); 64 K 32-bit registers per SM in four partitions,
# allocated per warp in units of 256 (8 per thread).
NV_MAX_WARPS = {"sm_80": 64, "sm_89": 48, "sm_90": 64, "sm_100": 64, "sm_120": 48}
# Waves per SIMD at most (LLVM AMDGPU: 8 on CDNA2/3, 16 on RDNA3).
AMD_MAX_WAVES = {"gfx90a": 8, "gfx942": 8, "gfx1100": 16}


def gpu_defines():
    """The -D options src/opencl/program.c gives a GPU device."""
    with open(os.path.join(ROOT, "src/opencl/program.c")) as f:
        src = f.read()
    m = re.search(r"CL_DEVICE_TYPE_GPU\)\s*\{\s*\*vector = (\d+);\s*\*iters = (\d+);\s*\*ch_xor = (\d+);", src)
    if not m:
        sys.exit("gpu_isa: cannot find the GPU defaults in src/opencl/program.c (device_defaults)")
    return [f"-DHJ_VECTOR={m.group(1)}", f"-DHJ_ITERS={m.group(2)}", f"-DHJ_CH_XOR={m.group(3)}"]


def versions_per_launch():
    """Versions one launch of the version-rolling kernel scans (the host's
    HJ_OCL_VERSIONS_PER_LAUNCH in src/opencl/ocl_private.h)."""
    with open(os.path.join(ROOT, "src/opencl/ocl_private.h")) as f:
        m = re.search(r"#define HJ_OCL_VERSIONS_PER_LAUNCH (\d+)", f.read())
    if not m:
        sys.exit("gpu_isa: cannot find HJ_OCL_VERSIONS_PER_LAUNCH in src/opencl/ocl_private.h")
    return int(m.group(1))


def hashcat_defines(mode, vendor, target, work):
    """What hashcat's host passes its kernels (single hash, brute force, one
    lane per work-item, the vendor's inline-assembly paths)."""
    d = ["-DKERNEL_STATIC", f"-DINCLUDE_PATH={HASHCAT_DIR}", "-DXM2S(x)=#x", "-DM2S(x)=XM2S(x)", "-Dasm=__asm__",
         "-DDEVICE_TYPE=4", "-DVECT_SIZE=1", "-DDGST_R0=3", "-DDGST_R1=7", "-DDGST_R2=2", "-DDGST_R3=6",
         "-DDGST_ELEM=8", f"-DKERN_TYPE={mode}", "-D_unroll", "-DATTACK_EXEC=11", "-DATTACK_KERN=3",
         "-DATTACK_MODE=3", "-DLOCAL_MEM_TYPE=1"]
    if vendor == "NVIDIA":
        arch = target.split("_")[1]
        d += ["-DVENDOR_ID=32", f"-DCUDA_ARCH={arch}0" if len(arch) == 2 else f"-DCUDA_ARCH={arch}"]
        d += [f"-DHAS_{x}=1" for x in ("LOP3", "PRMT", "BFE", "MOV64", "ADD", "ADDC", "SUB", "SUBC")]
    else:
        # AMD's OpenCL has the cl_amd_media_ops built-ins; clang has the same
        # instructions as target built-ins
        prelude = os.path.join(work, "hashcat_amd_media_ops.h")
        with open(prelude, "w") as f:
            f.write("#define amd_bitalign(a, b, c) __builtin_amdgcn_alignbit((a), (b), (c))\n"
                    "#define amd_bytealign(a, b, c) __builtin_amdgcn_alignbyte((a), (b), (c))\n")
        d += ["-include", prelude, "-DVENDOR_ID=1"]
        d += [f"-DHAS_{x}=1" for x in ("VPERM", "VADD3", "VBFE", "VADD", "VADDC", "VADD_CO", "VADDC_CO", "VSUB",
                                       "VSUBB", "VSUB_CO", "VSUBB_CO")]
    return d


def nv_occupancy(target, regs):
    per_warp = 32 * ((regs + 7) // 8 * 8)
    warps = min(4 * (16384 // per_warp), NV_MAX_WARPS[target])
    return warps, round(100.0 * warps / NV_MAX_WARPS[target])


def count_target(tc, target, src, defines, includes, kernels, work, tag, nested=None):
    """{kernel: result} for one target; raises B.Unavailable. nested: {kernel:
    versions} for a kernel whose scanning loop holds the version loop (counted
    per hash; a kernel that cannot be counted gets {"unavailable": reason})."""
    nested = nested or {}
    out = {}
    if target.startswith("sm_"):
        if "ptx" not in tc.setdefault("ptx_cache", {}).setdefault(tag, {}):
            tc["ptx_cache"][tag]["ptx"] = B.build_ptx(tc["llvm"], src, defines, includes, work, tag)
        sass, usage = B.build_sass(tc["ptxas"], tc["nvdisasm"], tc["ptx_cache"][tag]["ptx"], target, work, tag)
        for k in kernels:
            r = _count(C.sass_function, sass, k, "sass", nested, "alu")
            regs, spill = usage.get(k, [None, 0])
            warps, occ = nv_occupancy(target, regs) if regs else (None, None)
            r.update(registers=regs, spill_bytes=spill, occupancy_pct=occ, resident=f"{warps} warps/SM",
                     bound_pipe="alu")
            out[k] = r
    else:
        asm = B.build_amd(tc["llvm"], src, target, defines, includes, work, tag)
        for k in kernels:
            r = _count(C.amd_function, asm, k, "amdgcn", nested, "valu")
            vgpr, sgpr, spills, scratch, waves = B.amd_usage(asm, k)
            r.update(registers=vgpr, sgprs=sgpr, spill_bytes=spills * 4 + scratch * 0, scratch_bytes=scratch,
                     occupancy_pct=round(100.0 * waves / AMD_MAX_WAVES[target]) if waves else None,
                     resident=f"{waves} waves/SIMD" if waves else None, bound_pipe="valu")
            out[k] = r
    for k, r in out.items():
        if k not in nested:
            r["bound_pipe_instructions"] = bound_pipe_instructions(r)
    return out


def _count(function, text, k, isa, nested, pipe):
    if k not in nested:
        return C.count(function(text, k), isa)
    try:
        return per_hash(C.count_nested(function(text, k), isa), nested[k], pipe)
    except ValueError as e:
        return {"unavailable": f"could not count: {e}"}


def per_hash(n, versions, pipe):
    """The version-rolling kernel per hash (one version x one nonce): the
    version loop's hot path once per hash, the rest of the HJ_ITERS loop
    (block 2's schedule as K + W, once per vector of nonces) once per
    `versions` hashes. The bound is taken on the sum over a launch's versions
    (NVIDIA's is not linear in the pipes) and then divided."""
    inner, outer = n["inner"], n["outer"]
    for part in (inner, outer):
        part["bound_pipe_instructions"] = bound_pipe_instructions(dict(part, bound_pipe=pipe))

    def total(key, names):
        return {x: versions * inner[key].get(x, 0) + outer[key].get(x, 0) for x in names}

    pipes = total("pipes", sorted(set(inner["pipes"]) | set(outer["pipes"])))
    return {"versions_per_launch": versions, "bound_pipe": pipe,
            "instructions": round((versions * inner["instructions"] + outer["instructions"]) / versions, 1),
            "bound_pipe_instructions": round(bound_pipe_instructions({"pipes": pipes, "bound_pipe": pipe})
                                             / versions, 1),
            "classes": {c: round(v / versions, 1) for c, v in total("classes", C.CLASSES).items()},
            "version_loop": inner, "per_vector": outer}


def bound_pipe_instructions(r):
    """Instructions per nonce on the pipe that binds. AMD: every VALU
    instruction (one vector pipe). NVIDIA: the ALU pipe's fixed work (shifts,
    LOP3, compares, moves) and the FMA pipe's (IMAD), with the integer adds
    placed where they cost least: an add is one ALU slot (IADD3) or, moved to
    the FMA pipe, at most two (IMAD.IADD adds two values). The busier pipe,
    T = max(alu, (fma + 2 add + 2 alu) / 3), sets the bound."""
    p = r["pipes"]
    if r["bound_pipe"] == "valu":
        return p.get("valu", 0)
    alu, fma, add = p.get("alu", 0), p.get("fma", 0), p.get("add", 0)
    return max(alu, -(-(fma + 2 * add + 2 * alu) // 3))


def toolchain():
    tc = {}
    tc["llvm"], tc["clang_version"] = B.find_llvm()
    notes = {}
    try:
        tc["ptxas"] = B.find_ptxas()
        tc["nvdisasm"] = B.find_nvdisasm(ROOT)
        tc["ptxas_version"] = B._version([tc["ptxas"]])
        tc["nvdisasm_version"] = B._version([tc["nvdisasm"]])
    except B.Unavailable as e:
        notes["nvidia"] = str(e)
    return tc, notes


def vendor_of(target):
    return "NVIDIA" if target.startswith("sm_") else "AMD"


def run(args):
    try:
        tc, notes = toolchain()
    except B.Unavailable as e:
        return None, {"all": str(e)}, None
    targets = args.targets.split(",") if args.targets else list(B.NV_TARGETS + B.AMD_TARGETS)
    defines = gpu_defines() + [f"-D{d}" for d in args.define]
    versions = versions_per_launch()
    results, unavailable = {}, {}
    with tempfile.TemporaryDirectory(prefix="hj-gpu-isa-") as work:
        for t in targets:
            if vendor_of(t) == "NVIDIA" and "nvidia" in notes:
                unavailable[t] = notes["nvidia"]
                continue
            try:
                both = count_target(tc, t, args.kernel, defines, [], [PLAIN, ROLLED], work, "hj",
                                    nested={ROLLED: versions})
                r = both[PLAIN]
                r["rolled"] = both[ROLLED]
                if args.peer:
                    for mode, comp in (("1400", 1), ("21400", 2)):
                        src = os.path.join(HASHCAT_DIR, f"m{int(mode):05d}_a3-optimized.cl")
                        if not os.path.exists(src):
                            r[f"hashcat_{mode}"] = f"unavailable: {src} missing (Debian package hashcat)"
                            continue
                        try:
                            p = count_target(tc, t, src, hashcat_defines(mode, vendor_of(t), t, work), [HASHCAT_DIR],
                                             [f"m{int(mode):05d}_s04"], work, f"hc{mode}.{t}")[f"m{int(mode):05d}_s04"]
                            r[f"hashcat_{mode}"] = {"instructions_per_candidate": p["instructions"],
                                                    "bound_pipe_instructions_per_candidate":
                                                        p["bound_pipe_instructions"],
                                                    "compressions_per_candidate": comp, "registers": p["registers"],
                                                    "classes": p["classes"]}
                        except (B.Unavailable, ValueError) as e:
                            r[f"hashcat_{mode}"] = f"unavailable: {e}"
                results[t] = r
            except B.Unavailable as e:
                unavailable[t] = str(e)
            except ValueError as e:
                unavailable[t] = f"could not count: {e}"
    tc.pop("ptx_cache", None)
    return results, unavailable, tc


def fmt_table(results, unavailable, tc):
    lines = []
    tools = f"clang {tc['clang_version']} + libclc" if tc else "?"
    if tc and tc.get("ptxas_version"):
        tools += f"; ptxas {tc['ptxas_version']}; nvdisasm {tc['nvdisasm_version']}"
    lines.append(f"hashjoule sha256d.cl, GPU build ({' '.join(gpu_defines())}); {tools}")
    lines.append("instructions per nonce: the scanning loop's hot path (no candidate), setup and report excluded")
    hdr = (f"{'target':8} {'per nonce':>9} {'bound pipe':>12} {'shift':>6} {'logic3':>6} {'add3':>6} {'other':>6}"
           f" {'mem':>4} {'ctrl':>4} {'regs':>5} {'spill B':>7} {'occupancy':>18}")
    lines.append(hdr)
    for t, r in results.items():
        c = r["classes"]
        occ = f"{r['occupancy_pct']}% ({r['resident']})" if r.get("occupancy_pct") is not None else "-"
        lines.append(f"{t:8} {r['instructions']:9d} {r['bound_pipe'] + ' ' + str(r['bound_pipe_instructions']):>12}"
                     f" {c['shift']:6d} {c['logic3']:6d} {c['add3']:6d} {c['other_alu']:6d} {c['memory']:4d}"
                     f" {c['control']:4d} {r['registers'] or '-':>5} {r['spill_bytes']:7d} {occ:>18}")
    for t, why in unavailable.items():
        lines.append(f"{t:8} unavailable: {why}")
    lines += fmt_rolled(results)
    peers = [(t, r) for t, r in results.items() if "hashcat_1400" in r]
    if peers:
        lines.append("")
        lines.append("per SHA-256 compression (a hashjoule nonce = 2 compressions: block 2 of the header after the "
                     "midstate, and the outer hash)")
        lines.append(f"{'target':8} {'hashjoule':>10} {'hc -m 1400':>11} {'hc -m 21400':>12}   "
                     f"{'(bound pipe:)':>13} {'hashjoule':>10} {'hc 1400':>8} {'hc 21400':>9}  verdict")
        for t, r in peers:
            hj, hjp = r["instructions"] / 2, r["bound_pipe_instructions"] / 2
            cols, pcols, verdicts = [], [], []
            for mode in ("1400", "21400"):
                p = r[f"hashcat_{mode}"]
                if isinstance(p, dict):
                    n = p["compressions_per_candidate"]
                    cols.append(f"{p['instructions_per_candidate'] / n:.1f}")
                    pcols.append(f"{p['bound_pipe_instructions_per_candidate'] / n:.1f}")
                    # against each peer: at or below it on all instructions
                    # and on the bound pipe, or where above
                    above = [x for x, ok in (("all", hj <= p["instructions_per_candidate"] / n),
                                             ("pipe", hjp <= p["bound_pipe_instructions_per_candidate"] / n))
                             if not ok]
                    verdicts.append(f"{mode}: " + (f"above ({', '.join(above)})" if above else "at or below"))
                else:
                    cols.append("n/a")
                    pcols.append("n/a")
            verdict = "; ".join(reversed(verdicts)) or "-"
            lines.append(f"{t:8} {hj:10.1f} {cols[0]:>11} {cols[1]:>12}   {'':>13} {hjp:10.1f} {pcols[0]:>8}"
                         f" {pcols[1]:>9}  {verdict}")
    return "\n".join(lines)


def _occ(r):
    return f"{r['occupancy_pct']}% ({r['resident']})" if r.get("occupancy_pct") is not None else "-"


def fmt_rolled(results):
    """The version-rolling kernel, and per hash against the plain kernel."""
    rolled = {t: r["rolled"] for t, r in results.items() if "rolled" in r}
    if not rolled:
        return []
    n = next((x["versions_per_launch"] for x in rolled.values() if "versions_per_launch" in x), "?")
    lines = ["", f"version rolling ({ROLLED}, {n} versions per launch): the version loop (inside the HJ_ITERS "
                 f"loop) once per hash, block 2's schedule once per vector of nonces, so per hash = version loop + "
                 f"schedule / {n}",
             f"{'target':8} {'version loop':>12} {'bound pipe':>12} {'schedule':>8} {'bound pipe':>10}"
             f" {'per hash':>8} {'bound pipe':>12} {'regs':>5} {'spill B':>7} {'occupancy':>18}"]
    for t, x in rolled.items():
        if "unavailable" in x:
            lines.append(f"{t:8} {ROLLED} unavailable: {x['unavailable']}")
            continue
        i, o = x["version_loop"], x["per_vector"]
        lines.append(f"{t:8} {i['instructions']:12d} {i['bound_pipe_instructions']:12d} {o['instructions']:8d}"
                     f" {o['bound_pipe_instructions']:10d} {x['instructions']:8.1f}"
                     f" {x['bound_pipe'] + ' ' + format(x['bound_pipe_instructions'], '.1f'):>12}"
                     f" {x['registers'] or '-':>5} {x['spill_bytes']:7d} {_occ(x):>18}")
    lines += ["", "before and after version rolling: the plain kernel per nonce, the rolling kernel per hash",
              f"{'target':8} {'plain':>7} {'rolled':>8} {'ratio':>6}   {'(bound pipe:)':>13} {'plain':>6}"
              f" {'rolled':>8} {'ratio':>6}   {'regs':>8} {'occupancy':>11}"]
    for t, x in rolled.items():
        if "unavailable" in x:
            continue
        p = results[t]
        lines.append(f"{t:8} {p['instructions']:7d} {x['instructions']:8.1f}"
                     f" {x['instructions'] / p['instructions']:6.3f}"
                     f"   {'':>13} {p['bound_pipe_instructions']:6d} {x['bound_pipe_instructions']:8.1f}"
                     f" {x['bound_pipe_instructions'] / p['bound_pipe_instructions']:6.3f}"
                     f"   {str(p['registers']) + ' -> ' + str(x['registers']):>8}"
                     f" {str(p['occupancy_pct']) + ' -> ' + str(x['occupancy_pct']) + '%':>11}")
    return lines


def load_json(path):
    with open(path) as f:
        return json.load(f)


def check(results, unavailable, tc):
    """0 pass, 1 fail, 77 nothing gated could be counted here."""
    base = load_json(BASELINE)
    rows = {r["target"]: r for r in base["targets"]}
    counted, failed = 0, False
    for t in GATED:
        if t not in results:
            print(f"gpu_isa: {t}: count unavailable: {unavailable.get(t, 'not built')}")
            continue
        counted += 1
        x = results[t].get("rolled", {"unavailable": "not counted"})
        if "unavailable" in x:
            print(f"gpu_isa: {t} {ROLLED}: {x['unavailable']} FAIL")
            failed = True
        gated = [("instructions_per_nonce", results[t]["instructions"]),
                 ("bound_pipe_instructions_per_nonce", results[t]["bound_pipe_instructions"])]
        if "unavailable" not in x:
            gated += [("rolled_instructions_per_hash", x["instructions"]),
                      ("rolled_bound_pipe_instructions_per_hash", x["bound_pipe_instructions"])]
        for key, now in gated:
            if key not in rows[t]:
                print(f"gpu_isa: {t} {key}: {now}, no baseline in {os.path.relpath(BASELINE, ROOT)} FAIL")
                failed = True
                continue
            was = rows[t][key]
            limit = was * (1 + TOLERANCE)
            state = "FAIL" if now > limit else "ok"
            failed |= now > limit
            print(f"gpu_isa: {t} {key}: {now} (baseline {was}, limit {limit:.1f}) {state}")
    if counted == 0:
        return 77
    return 1 if failed else 0


def record(results, tc):
    rows = []
    for t, r in results.items():
        row = {"target": t, "vendor": vendor_of(t), "instructions_per_nonce": r["instructions"],
               "bound_pipe": r["bound_pipe"], "bound_pipe_instructions_per_nonce": r["bound_pipe_instructions"]}
        row.update(r["classes"])
        row.update(registers=r["registers"], spill_bytes=r["spill_bytes"], occupancy_pct=r["occupancy_pct"])
        x = r.get("rolled", {})
        if "version_loop" in x:
            i, o = x["version_loop"], x["per_vector"]
            row.update(versions_per_launch=x["versions_per_launch"], rolled_instructions_per_hash=x["instructions"],
                       rolled_bound_pipe_instructions_per_hash=x["bound_pipe_instructions"],
                       rolled_version_loop_instructions=i["instructions"],
                       rolled_version_loop_bound_pipe_instructions=i["bound_pipe_instructions"],
                       rolled_schedule_instructions_per_vector=o["instructions"],
                       rolled_schedule_bound_pipe_instructions_per_vector=o["bound_pipe_instructions"],
                       rolled_registers=x["registers"], rolled_spill_bytes=x["spill_bytes"],
                       rolled_occupancy_pct=x["occupancy_pct"])
        for mode in ("1400", "21400"):
            p = r.get(f"hashcat_{mode}")
            if isinstance(p, dict):
                row[f"hashcat_{mode}_instructions_per_compression"] = round(
                    p["instructions_per_candidate"] / p["compressions_per_candidate"], 1)
        rows.append(row)
    tools = f"clang {tc['clang_version']} + libclc {tc['llvm']}"
    if tc.get("ptxas_version"):
        tools += f"; ptxas {tc['ptxas_version']}; nvdisasm {tc['nvdisasm_version']}"
    doc = {"schema": "hashjoule-gpu-isa/1",
           "description": "Instructions per nonce of kernels/opencl/sha256d.cl built as the OpenCL host builds it "
                          "for a GPU, counted from compiler output by bench/gpu_isa.sh (docs/gpu.md); rolled_*: "
                          "the version-rolling kernel per hash (one version x one nonce), its version loop once "
                          "per hash plus block 2's schedule per vector of nonces over versions_per_launch. The "
                          "ctest gpu_isa fails when sm_90 or gfx90a exceed these by more than 1 %.",
           "build": " ".join(gpu_defines()), "toolchain": tools, "targets": rows}
    with open(BASELINE, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    # the per-GPU counts in gpus.json: one row per line, the field rewritten in place
    with open(GPUS) as f:
        text = f.read()
    out = []
    for line in text.splitlines(keepends=True):
        m = re.search(r'"isa": "([^"]+)"', line)
        if m and m.group(1) in results:
            n = results[m.group(1)]["bound_pipe_instructions"]
            line = re.sub(r'"sha256d_instructions_per_nonce": (null|\d+)', f'"sha256d_instructions_per_nonce": {n}',
                          line)
            # version rolling, as the ASICs the model is set beside do: per hash, after the per-nonce count
            x = results[m.group(1)].get("rolled", {})
            rolled = round(x["bound_pipe_instructions"], 1) if "bound_pipe_instructions" in x else "null"
            field = f'"sha256d_rolled_instructions_per_hash": {rolled}'
            if '"sha256d_rolled_instructions_per_hash":' in line:
                line = re.sub(r'"sha256d_rolled_instructions_per_hash": (null|[\d.]+)', field, line)
            else:
                line = re.sub(r'("sha256d_instructions_per_nonce": (null|\d+))', r'\1, ' + field, line)
        out.append(line)
    with open(GPUS, "w") as f:
        f.write("".join(out))
    print(f"recorded {os.path.relpath(BASELINE, ROOT)} and the counts in {os.path.relpath(GPUS, ROOT)}")


def bound_table(gpus_path):
    """Per GPU: units x lanes x clock / instructions on the binding pipe."""
    g = load_json(gpus_path)
    lines = [f"{'GPU':10} {'ISA':7} {'instr/nonce':>11} {'bound GH/s':>10} {'J/TH @board':>11} "
             f"{'hashcat -m1400':>14} {'as SHA-256d':>11} {'model/public':>12} {'rolled/hash':>11} {'GH/s':>7}"]
    for r in g["gpus"]:
        n, units, lanes, mhz = (r.get(k) for k in ("sha256d_instructions_per_nonce", "compute_units",
                                                   "int32_lanes_per_unit_per_clock", "boost_clock_mhz"))
        nr = r.get("sha256d_rolled_instructions_per_hash")
        if None in (n, units, lanes, mhz):
            lines.append(f"{r['model']:10} {r.get('isa') or '-':7} no bound: missing "
                         + ", ".join(k for k, v in (("isa count", n), ("compute_units", units), ("lanes", lanes),
                                                    ("clock", mhz)) if v is None))
            continue
        hs = units * lanes * mhz * 1e6 / n
        jth = r["board_power_w"] / (hs / 1e12)
        hc = r.get("hashcat_1400_mhs")
        hc_s = f"{hc / 1000:.1f} GH/s" if hc else "-"
        # one -m 1400 candidate is one compression; a nonce is two
        as_d = f"{hc / 2000:.2f} GH/s" if hc else "-"
        ratio = f"{hs / (hc * 1e6 / 2):.2f}" if hc else "-"
        rolled = f"{nr:11.1f} {units * lanes * mhz * 1e6 / nr / 1e9:7.2f}" if nr else f"{'-':>11} {'-':>7}"
        lines.append(f"{r['model']:10} {r['isa']:7} {n:11d} {hs / 1e9:10.2f} {jth:11.0f} {hc_s:>14} {as_d:>11}"
                     f" {ratio:>12} {rolled}")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default=KERNEL, help="the .cl file (default: kernels/opencl/sha256d.cl)")
    ap.add_argument("-D", dest="define", action="append", default=[], help="an extra define, after the host's")
    ap.add_argument("--targets", help="comma-separated (default: " + ",".join(B.NV_TARGETS + B.AMD_TARGETS) + ")")
    ap.add_argument("--peer", action="store_true", help="also count hashcat's -m 1400 and -m 21400 kernels")
    ap.add_argument("--json", help="write the counts to this file")
    ap.add_argument("--record", action="store_true", help="write data/gpu_isa.json and the counts in data/gpus.json")
    ap.add_argument("--check", action="store_true", help="compare sm_90 and gfx90a with data/gpu_isa.json (1 %%)")
    ap.add_argument("--bound", action="store_true", help="print the bound of every GPU in data/gpus.json")
    args = ap.parse_args()
    if args.bound and not (args.check or args.record or args.json or args.targets or args.peer):
        print(bound_table(GPUS))
        return 0
    if args.check and not args.targets:
        args.targets = ",".join(GATED)
    results, unavailable, tc = run(args)
    if results is None:
        print(f"gpu_isa: unavailable: {unavailable['all']}")
        return 77
    print(fmt_table(results, unavailable, tc))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "unavailable": unavailable,
                       "toolchain": {k: v for k, v in tc.items() if "version" in k or k == "llvm"}}, f, indent=1)
    if args.record:
        record(results, tc)
    if args.bound:
        print()
        print(bound_table(GPUS))
    if args.check:
        return check(results, unavailable, tc)
    return 0 if results else 77


if __name__ == "__main__":
    sys.exit(main())
