/* hashjoule — many machines on one page: `hashjoule report` reads bench
 * results documents (single machines, and each rank of a `bench --mpi`
 * cluster document) and puts them side by side, like for like. */
#ifndef HASHJOULE_REPORT_H
#define HASHJOULE_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Build the comparison of `n` results files as JSON (a new reference in
 * *out):
 *   {"report_version": 1, "title",
 *    "machines": [{"id", "file", "host", "date", "cpu", "cores", "threads",
 *                  "features", "opencl_devices", "memory_bytes", "tool_version",
 *                  "git_commit", "protocol", "interference"}],
 *    "rows": [{"key", "label", "entries": [{"machine", "kernel", "threads",
 *              "median_hps", "min_hps", "max_hps", "hps_per_core",
 *              "joules_per_terahash", "energy_scope", "energy_unavailable_reason",
 *              "hashes_per_joule", "noisy"}]}],
 *    "thread_scaling": [{"machine", "kernel", "threads", "one_thread_hps",
 *                        "all_threads_hps", "speedup"}]}
 * Rows: the best CPU kernel of each machine on all its threads and on one
 * thread, each OpenCL device, and each kernel and thread count that ran on
 * more than one machine. Every file is read and checked as `compare` checks
 * it; no file, a missing one, one that is not a results document (or is a
 * CSV/BMF export), or of another schema version is HJ_ERR_INPUT naming it. */
hj_status hj_report_build(const char *const *paths, size_t n, const char *title, json_t **out, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
