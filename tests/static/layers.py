#!/usr/bin/env python3
"""The layers go one way down (docs/architecture.md): no source includes a
header of a higher folder, and no object file calls into a higher layer.

Usage: layers.py SOURCE_DIR BUILD_DIR
Includes are read from the sources; calls from the object files of the
libraries and the program (nm: what an object needs and where it is defined).
"""
import os
import re
import subprocess
import sys

# Folder -> layer; a folder may use its own layer and the ones below.
LAYERS = {
    "src/common": 0, "src/cpu": 1, "kernels/cpu": 2, "src/scan": 3,
    "src/opencl": 4, "src/energy": 4, "src/bench": 5, "src/fleet": 6,
    "src/mpi": 7, "src/cli": 8,
}
# Public headers -> the folder that implements them.
PUBLIC = {
    "atomic_file.h": "src/bench", "bench.h": "src/bench", "bench_file.h": "src/fleet",
    "bytes.h": "src/common", "clock.h": "src/common", "consensus.h": "src/fleet",
    "cpu.h": "src/cpu", "energy.h": "src/energy", "error.h": "src/common",
    "fleet.h": "src/fleet", "fleet_data.h": "src/fleet", "format.h": "src/common", "projection.h": "src/fleet",
    "header.h": "src/common", "input_file.h": "src/common", "interference.h": "src/bench", "report.h": "src/bench", "job.h": "src/common",
    "kernel.h": "src/scan", "node_rpc.h": "src/fleet", "opencl.h": "src/opencl", "parse.h": "src/common",
    "results.h": "src/bench", "scan.h": "src/scan", "sha256.h": "src/common",
    "stats.h": "src/bench", "target.h": "src/common", "topology.h": "src/cpu",
    "operator_fleet.h": "src/fleet",
    "version.h": "src/common", "hashjoule.h": "src/cli",  # the umbrella names every layer
}
# Generated sources (in the build's generated/) -> their folder.
GENERATED = {"version": "src/common", "git_commit": "src/common", "fleet_data": "src/fleet",
             "opencl_sha256d_source": "src/opencl"}

# A few headers of a lower folder carry only types an upper one needs; these
# names are allowed upward by design (kernels/cpu's dispatch table is typed
# with the scan layer's hj_kernel).
TYPE_ONLY = {("kernels/cpu", "kernel.h")}

def fail(msg, problems):
    problems.append(msg)

def check_includes(src, problems):
    private = {}
    for folder in LAYERS:
        for f in os.listdir(os.path.join(src, folder)):
            if f.endswith(".h"):
                private.setdefault(f, folder)
    for f in PUBLIC:
        if not os.path.exists(os.path.join(src, "include/hashjoule", f)):
            fail(f"layers.py: include/hashjoule/{f} is in the table but not in the tree", problems)
    for f in os.listdir(os.path.join(src, "include/hashjoule")):
        if f.endswith(".h") and f not in PUBLIC:
            fail(f"include/hashjoule/{f}: not in layers.py's table of public headers (add it with its folder)",
                 problems)
    for folder, rank in LAYERS.items():
        for f in sorted(os.listdir(os.path.join(src, folder))):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(folder, f)
            for n, line in enumerate(open(os.path.join(src, path), encoding="utf-8"), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                name = m.group(1)
                if name.startswith("hashjoule/"):
                    owner = PUBLIC.get(name[len("hashjoule/"):])
                    if (folder, name[len("hashjoule/"):]) in TYPE_ONLY:
                        continue
                elif "/" not in name:
                    owner = folder if os.path.exists(os.path.join(src, folder, name)) else private.get(name)
                else:
                    owner = None
                if owner and LAYERS[owner] > rank:
                    fail(f"{path}:{n}: includes {name} of {owner}, a higher layer than {folder}", problems)

def folder_of_object(rel):
    rel = rel.replace(os.sep, "/")
    m = re.match(r"CMakeFiles/hashjoule\.dir/(src/[a-z]+|kernels/cpu)/", rel)
    if m:
        return m.group(1)
    m = re.match(r"CMakeFiles/hashjoule\.dir/generated/([a-z0-9_]+)\.c\.o$", rel)
    if m:
        return GENERATED.get(m.group(1))
    m = re.match(r"(src/mpi|src/cli)/CMakeFiles/hashjoule_(mpi|commands|cli)\.dir/", rel)
    return m.group(1) if m else None

def check_objects(build, problems):
    objects = {}
    for root, _, files in os.walk(build):
        for f in files:
            if f.endswith(".o"):
                rel = os.path.relpath(os.path.join(root, f), build)
                folder = folder_of_object(rel)
                if folder:
                    objects[rel] = folder
    if len(objects) < 40:
        fail(f"only {len(objects)} object files found under {build}: build it first", problems)
        return
    defined, needed = {}, {}
    for rel, folder in objects.items():
        out = subprocess.run(["nm", os.path.join(build, rel)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "U":
                needed.setdefault(rel, set()).add(parts[1])
            elif len(parts) == 3 and parts[1] in "TDRBC" and parts[1].isupper():
                defined.setdefault(parts[2], folder)
    for rel, syms in sorted(needed.items()):
        folder = objects[rel]
        for s in sorted(syms):
            owner = defined.get(s)
            if owner and LAYERS[owner] > LAYERS[folder]:
                fail(f"{rel}: calls {s} of {owner}, a higher layer than {folder}", problems)

def main():
    if len(sys.argv) != 3:
        sys.exit("usage: layers.py SOURCE_DIR BUILD_DIR")
    src, build = sys.argv[1], sys.argv[2]
    problems = []
    check_includes(src, problems)
    check_objects(build, problems)
    for p in problems:
        print("FAIL:", p)
    if problems:
        print(f"layers: {len(problems)} problem(s)")
        return 1
    print("layers: every include and every call goes down")
    return 0

if __name__ == "__main__":
    sys.exit(main())
