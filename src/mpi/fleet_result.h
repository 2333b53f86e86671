/* The fleet result document of `hashjoule bench --mpi` (private to the CLI):
 * built by rank 0 from every rank's record, without MPI, so its rules
 * (per device, per node, totals per scope) do not depend on the transport.
 * Shape: README "Fleet results"; schema: schema/bench-fleet-v1.schema.json. */
#ifndef HJ_FLEET_RESULT_H
#define HJ_FLEET_RESULT_H

#include <stdio.h>

#include <jansson.h>

/* `ranks`: an array with one object per rank, in rank order:
 *   {"rank", "node" (index), "node_name", "host", "local_rank", "local_size",
 *    "role", "pid", "status" ("ok"|"failed"|"idle"|"lost"|"interrupted"),
 *    "error" (string or null), "document" (the rank's bench results or null)}
 * `meta`: {"tool", "date", "host", "duration_seconds", "protocol", "mpi",
 *          "interrupted"}.
 * Returns a new fleet document (schema_version 1, kind "fleet"). */
json_t *hj_fleet_result_build(json_t *ranks, json_t *meta);

/* The human summary: one line per node and device, then the totals. */
void hj_fleet_result_print(json_t *fleet, FILE *out);

/* The key that says which physical device a result ran on: "cpu" for CPU
 * kernels and OpenCL devices of type cpu (the same silicon), else the
 * kernel's name (one per device). `doc` is the rank's bench document. */
const char *hj_fleet_device_key(json_t *doc, json_t *result);

#endif
