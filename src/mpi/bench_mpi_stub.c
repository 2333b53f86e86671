/* `hashjoule bench --mpi` in a build without MPI: say how to get it. */
#include <stdio.h>

#include "bench_mpi.h"

int hj_bench_mpi_main(const hj_bench_options *o, const hj_bench_mpi_options *m, const char *parse_error)
{
    (void)o;
    (void)m;
    (void)parse_error;
    fprintf(stderr, "hashjoule bench: --mpi: this hashjoule was built without MPI; install Open MPI (Debian: "
                    "libopenmpi-dev openmpi-bin) and configure with -DHJ_MPI=ON\n");
    return HJ_EXIT_INPUT;
}
