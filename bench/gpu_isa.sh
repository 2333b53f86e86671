#!/usr/bin/env bash
# hashjoule's OpenCL kernel counted on NVIDIA and AMD GPU instruction sets
# where no GPU is (clang + libclc, ptxas, nvdisasm): instructions per nonce,
# by class, registers, spills and occupancy, and per hash for the
# version-rolling kernel; --peer adds hashcat's kernels
# compiled the same way, --bound the throughput bound of every GPU in
# data/gpus.json. See docs/gpu.md; `bench/gpu_isa.sh --help` for the flags.
set -euo pipefail
exec python3 "$(dirname "$0")/gpu_isa.py" "$@"
