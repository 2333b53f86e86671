/* `hashjoule bench --mpi` in a build without MPI: say how to get it. */
#include "bench_engine.h"
#include "cli.h"

int hj_bench_mpi_main(const hj_bench_args *a, const char *parse_error)
{
    (void)a;
    (void)parse_error;
    return hj_cli_fail("bench", HJ_ERR_INPUT,
                       "--mpi: this hashjoule was built without MPI; install Open MPI (Debian: libopenmpi-dev "
                       "openmpi-bin) and configure with -DHJ_MPI=ON");
}
