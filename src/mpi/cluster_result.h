/* The cluster result of `hashjoule bench --mpi`: one document for every rank.
 * Private to hashjoule_mpi (and its unit test). Built by rank 0 from every
 * rank's record, without MPI, so its rules (per device, per node, totals per
 * scope) do not depend on the transport. "cluster" is only the C name: the
 * document itself keeps its published names (kind "fleet", README "Fleet
 * results", schema/bench-fleet-v1.schema.json, results/fleet-HOST-DATE.json),
 * which readers and `compare` rely on. */
#ifndef HJ_CLUSTER_RESULT_H
#define HJ_CLUSTER_RESULT_H

#include <stdio.h>

#include <jansson.h>

/* `ranks`: an array with one object per rank, in rank order:
 *   {"rank", "node" (index), "node_name", "host", "local_rank", "local_size",
 *    "role", "pid", "status" ("ok"|"failed"|"idle"|"lost"|"interrupted"),
 *    "error" (string or null), "document" (the rank's bench results or null)}
 * `meta`: {"tool", "date", "host", "duration_seconds", "protocol", "mpi",
 *          "interrupted"}.
 * Returns a new cluster document (schema_version 1, kind "fleet"). */
json_t *hj_cluster_result_build(json_t *ranks, json_t *meta);

/* The human summary: one line per node and device, then the totals. */
void hj_cluster_result_print(json_t *cluster, FILE *out);

/* The key that says which physical device a result ran on: "cpu" for CPU
 * kernels and OpenCL devices of type cpu (the same silicon), else the
 * kernel's name (one per device). `doc` is the rank's bench document. */
const char *hj_cluster_device_key(json_t *doc, json_t *result);

#endif
