#!/bin/bash
# Measure every node of a Slurm allocation at once with hashjoule bench --mpi (docs/mpi.md).
# Submit with: sbatch examples/slurm_bench_mpi.sh
#SBATCH --job-name=hashjoule-fleet
#SBATCH --nodes=8
#SBATCH --ntasks-per-node=1     # one rank per node: every device in turn, wall readings allowed
#SBATCH --exclusive             # nothing else on the nodes while they are measured
#SBATCH --time=00:30:00
#SBATCH --output=hashjoule-fleet-%j.log
module load openmpi 2>/dev/null || true   # where the site uses modules
mpirun --map-by ppr:1:node --bind-to none \
    hashjoule bench --mpi --power-cmd 'ipmitool dcmi power reading' \
    --out "fleet-${SLURM_JOB_ID}.json"
