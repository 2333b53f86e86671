/* hashjoule — a `hashjoule bench` results file (schema_version 1) read for
 * the fleet table's local rows: one row per kernel (or per energy scope of a
 * fleet result), with its rate and, when measured, its J/TH. */
#ifndef HASHJOULE_BENCH_FILE_H
#define HASHJOULE_BENCH_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "hashjoule/error.h"
#include "hashjoule/fleet_data.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_local_result {
    char kernel[48];
    char kind[16]; /* "cpu" or "device" */
    /* a "device" result's OpenCL device type from the document's
     * machine.opencl.devices[] ("cpu" for PoCL, "gpu", ...); "" if unknown */
    char device_type[16];
    char device[HJ_FLEET_NAME_MAX];
    int threads;
    unsigned versions;          /* version rolling: versions x nonces per job (1: none, or an older file) */
    double hashes_per_second;   /* median */
    double joules_per_terahash; /* NAN when energy is null */
    char scope[32];             /* "cpu-package", "gpu-board", "wall", ... */
    char energy_source[128];
    char unavailable_reason[HJ_FLEET_TEXT_MAX]; /* bench's advice on its own flags cut off */
    bool energy_estimated;                      /* J/TH from --local-power-watts, not measured */
} hj_local_result;

typedef struct hj_bench_file {
    char host[128], date[48], machine[HJ_FLEET_TEXT_MAX];
    hj_local_result *results;
    size_t n_results;
    size_t n_failed; /* results with status "failed": left out of `results` */
    /* Version rolling: rows of one version left out because the same kernel
     * and thread count also ran rolling versions (the ASICs' way, so the
     * rolled rate is the like-for-like one), and the most versions kept. */
    size_t n_single_version_left_out;
    unsigned max_versions;
} hj_bench_file;

/* Parse `text` (named `file` in messages): a single machine's results (one
 * row per kernel and thread count, the one with the most versions where it
 * ran with and without version rolling; failed kernels counted in n_failed,
 * not kept) or a fleet
 * result of bench --mpi (one row per energy scope). The whole document must
 * also pass compare's checks (hj_results_parse). Every problem is
 * HJ_ERR_INPUT naming the file and the field; on failure *out holds nothing
 * to free. Free a parsed file with hj_bench_file_free. */
hj_status hj_fleet_parse_bench(const char *text, size_t len, const char *file, hj_bench_file *out, hj_error *err);
void hj_bench_file_free(hj_bench_file *b); /* NULL is allowed */

#ifdef __cplusplus
}
#endif
#endif
