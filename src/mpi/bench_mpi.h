/* `hashjoule bench --mpi` (library hashjoule_mpi, not installed): the benchmark protocol run on every
 * rank of an MPI job at once, one results document for the whole cluster,
 * written by rank 0. Built when MPI is found (library hashjoule_mpi); a build
 * without MPI refuses with how to get it. */
#ifndef HASHJOULE_BENCH_MPI_H
#define HASHJOULE_BENCH_MPI_H

#include <stdbool.h>

#include "hashjoule/bench.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_bench_mpi_options {
    const char *split;      /* "node" (default): ranks sharing a node split its devices; "rank" */
    double timeout_seconds; /* a rank silent this long counts as lost (default 120) */
    const char *out;        /* as hj_results_writer_open: a file, "-" or NULL */
    bool json_out;          /* rank 0 prints the JSON document instead of the table */
} hj_bench_mpi_options;

/* Run the bench on every rank. `parse_error` (may be NULL) is this rank's
 * bad option: the rank still joins the run and is reported as failed with
 * it. Returns the exit status of this rank (HJ_EXIT_*). */
int hj_bench_mpi_main(const hj_bench_options *o, const hj_bench_mpi_options *m, const char *parse_error);

#ifdef __cplusplus
}
#endif
#endif
