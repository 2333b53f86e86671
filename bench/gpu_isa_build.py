"""Build an OpenCL kernel to NVIDIA SASS and AMD GCN/RDNA assembly without a GPU.

The toolchain: clang with libclc (Debian's clang-N and libclc-N: the OpenCL
built-ins as LLVM bitcode for nvptx64 and amdgcn), llvm-link, opt and llc of
the same LLVM; then, for NVIDIA, the CUDA toolkit's ptxas (PTX to a cubin for
one sm_XX) and nvdisasm (cubin to SASS). Every target that cannot be built
here is returned with the reason instead of failing the others.
"""
import glob
import os
import re
import shutil
import subprocess

CLC_DIR = "/usr/lib/clc"
NV_TARGETS = ("sm_80", "sm_89", "sm_90", "sm_100", "sm_120")
AMD_TARGETS = ("gfx90a", "gfx942", "gfx1100")
# The PTX every NVIDIA target is assembled from: sm_80 is the oldest target
# here and every LLVM from 14 on emits it; ptxas compiles it for any newer
# sm_XX, as the driver does with PTX it receives.
PTX_ARCH = "sm_80"


class Unavailable(Exception):
    """A tool or target this machine cannot use; the message is the reason."""


def _run(cmd, what):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise Unavailable(f"{what}: {cmd[0]} not found")
    if p.returncode != 0:
        err = (p.stderr or p.stdout).strip().splitlines()
        raise Unavailable(f"{what} failed: {' / '.join(err[-3:]) if err else 'exit ' + str(p.returncode)}")
    return p.stdout + p.stderr


def _version(cmd):
    try:
        out = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60).stdout
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"(?:version|release) (\d+[.\d]*)", out)
    return m.group(1) if m else None


def find_llvm():
    """(suffix, version) of an LLVM whose clang, llvm-link, opt, llc and libclc
    all work together; HJ_GPU_ISA_LLVM=N picks one. Raises Unavailable."""
    wanted = os.environ.get("HJ_GPU_ISA_LLVM")
    candidates = [wanted] if wanted else ["19", "18", "17", "16", "15", "14"]
    problems = []
    for n in candidates:
        tools = [f"clang-{n}", f"llvm-link-{n}", f"opt-{n}", f"llc-{n}"]
        missing = [t for t in tools if not shutil.which(t)]
        if missing:
            problems.append(f"LLVM {n}: no {', '.join(missing)}")
            continue
        probe = os.path.join(CLC_DIR, "nvptx64--nvidiacl.bc")
        if not os.path.exists(probe):
            raise Unavailable(f"no libclc ({probe} missing; Debian: apt-get install libclc-{n})")
        p = subprocess.run([f"llvm-link-{n}", probe, "-o", os.devnull], capture_output=True, text=True)
        if p.returncode != 0:
            problems.append(f"LLVM {n}: cannot read the installed libclc (another LLVM's bitcode)")
            continue
        return n, _version([f"clang-{n}"])
    raise Unavailable("no usable clang + libclc: " + "; ".join(problems))


def find_nvdisasm(root):
    """nvdisasm: HJ_NVDISASM, PATH, the CUDA toolkit, or the project's
    .tools/venv (the PyPI wheel nvidia-cuda-nvdisasm)."""
    env = os.environ.get("HJ_NVDISASM")
    if env:
        return env
    for cand in [shutil.which("nvdisasm"), "/usr/local/cuda/bin/nvdisasm"] + sorted(
            glob.glob(os.path.join(root, ".tools/venv/lib/python3*/site-packages/nvidia/*/bin/nvdisasm"))):
        if cand and os.access(cand, os.X_OK):
            return cand
    raise Unavailable("no nvdisasm (the CUDA toolkit's, or the PyPI wheel nvidia-cuda-nvdisasm in .tools/venv: "
                      "bootstrap.sh installs it)")


def find_ptxas():
    for cand in [os.environ.get("HJ_PTXAS"), shutil.which("ptxas"), "/usr/local/cuda/bin/ptxas"]:
        if cand and os.access(cand, os.X_OK):
            return cand
    raise Unavailable("no ptxas (the CUDA toolkit's; not on PATH nor in /usr/local/cuda/bin)")


def _bitcode(llvm, src, triple, cpu_flag, defines, includes, work, tag):
    n = llvm
    bc, linked, opt = (os.path.join(work, f"{tag}.{x}.bc") for x in ("src", "link", "opt"))
    clc = os.path.join(CLC_DIR, "nvptx64--nvidiacl.bc" if triple.startswith("nvptx") else "amdgcn--amdhsa.bc")
    cmd = [f"clang-{n}", "-x", "cl", "-cl-std=CL1.2", "-Xclang", "-finclude-default-header", "-target", triple,
           *cpu_flag, "-O3", "-emit-llvm", "-c", "-Wno-everything", *defines, *[f"-I{i}" for i in includes], src,
           "-o", bc]
    _run(cmd, f"clang-{n} ({tag})")
    _run([f"llvm-link-{n}", bc, clc, "-o", linked], f"llvm-link-{n} ({tag})")
    _run([f"opt-{n}", "-O3", linked, "-o", opt], f"opt-{n} ({tag})")
    return opt


def build_ptx(llvm, src, defines, includes, work, tag):
    """PTX of the whole program (every kernel in it)."""
    opt = _bitcode(llvm, src, "nvptx64-unknown-nvidiacl", [f"-march={PTX_ARCH}"], defines, includes, work,
                   f"{tag}.nv")
    ptx = os.path.join(work, f"{tag}.ptx")
    _run([f"llc-{llvm}", f"-mcpu={PTX_ARCH}", "-O3", opt, "-o", ptx], f"llc-{llvm} ({tag}, nvptx)")
    return ptx


def build_sass(ptxas, nvdisasm, ptx, arch, work, tag):
    """(SASS text, {kernel: (registers, spill bytes)}) for one sm_XX."""
    cubin = os.path.join(work, f"{tag}.{arch}.cubin")
    log = _run([ptxas, f"-arch={arch}", "-O3", "-v", ptx, "-o", cubin], f"ptxas -arch={arch}")
    usage, fn = {}, None
    for line in log.splitlines():
        m = re.search(r"Compiling entry function '([^']+)'|Function properties for (\S+)", line)
        if m:
            fn = m.group(1) or m.group(2)
        m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
        if m and fn:
            usage.setdefault(fn, [None, 0])[1] = int(m.group(1)) + int(m.group(2))
        m = re.search(r"Used (\d+) registers", line)
        if m and fn:
            usage.setdefault(fn, [None, 0])[0] = int(m.group(1))
    sass = _run([nvdisasm, "-c", cubin], f"nvdisasm ({arch})")
    return sass, usage


def build_amd(llvm, src, cpu, defines, includes, work, tag):
    """AMDGPU assembly text for one gfxNNNN."""
    opt = _bitcode(llvm, src, "amdgcn-amd-amdhsa", [f"-mcpu={cpu}", "-nogpulib"], defines, includes, work,
                   f"{tag}.{cpu}")
    asm = os.path.join(work, f"{tag}.{cpu}.s")
    _run([f"llc-{llvm}", "-mtriple=amdgcn-amd-amdhsa", f"-mcpu={cpu}", "-O3", opt, "-o", asm],
         f"llc-{llvm} -mcpu={cpu}")
    with open(asm) as f:
        return f.read()


def amd_usage(asm, name):
    """(vgprs, sgprs, spills, waves per SIMD) from llc's comments and metadata."""
    text = asm[asm.find(f"{name}:"):]
    def num(pattern, default=None):
        m = re.search(pattern, text)
        return int(m.group(1)) if m else default
    vgpr = num(r"; NumVgprs: (\d+)")
    sgpr = num(r"; NumSgprs: (\d+)")
    waves = num(r"; Occupancy: (\d+)")
    # the name whole: one kernel's name may begin another's
    m = re.search(rf"\.name:\s+{re.escape(name)}\n", asm)
    meta = asm[m.start():] if m else asm
    spills = sum(int(x) for x in re.findall(r"\.vgpr_spill_count:\s+(\d+)", meta)[:1])
    scratch = num(r"; ScratchSize: (\d+)", 0)
    return vgpr, sgpr, spills, scratch, waves
