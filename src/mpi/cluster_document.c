/* Rank 0's end of `hashjoule bench --mpi`: build, write and show the cluster document.
 *
 * Every rank's record (its place, its status, its own results document) goes
 * into one document whose rules are cluster_result.c's; this file adds what
 * only the MPI run knows (the job, the library, the rule that split the
 * work) and decides rank 0's exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster_result.h"
#include "mpi_internal.h"

/* One entry per rank, in rank order, as hj_cluster_result_build takes them;
 * *interrupted when a rank's run was stopped. */
static json_t *rank_entries(const agent *g, bool *interrupted)
{
    json_t *ranks = json_array();
    *interrupted = false;
    for (int r = 0; r < g->size; r++) {
        const rank_state *s = &g->rs[r];
        json_t *place = s->place;
        json_t *o = place ? json_deep_copy(place)
                          : json_pack("{s:i, s:s, s:s, s:i, s:i, s:s}", "node", r, "node_name", "unknown", "host",
                                      "unknown", "local_rank", 0, "local_size", 1, "role", "unknown");
        json_object_set_new(o, "rank", json_integer(r));
        json_object_set(o, "pid",
                        s->hello && json_object_get(s->hello, "pid") ? json_object_get(s->hello, "pid") : json_null());
        json_t *rec = s->record;
        const char *status = json_string_value(json_object_get(rec, "status"));
        json_object_set_new(o, "status", json_string(status ? status : "lost"));
        json_t *e = json_object_get(rec, "error");
        json_object_set(o, "error", e ? e : json_null());
        json_t *d = json_object_get(rec, "document");
        json_object_set(o, "document", d ? d : json_null());
        *interrupted |= status && strcmp(status, "interrupted") == 0;
        json_array_append_new(ranks, o);
    }
    return ranks;
}

/* What only the MPI run knows: the tool, the job, the library, the rule that split the work. */
static json_t *run_meta(const agent *g, time_t started, bool interrupted)
{
    char date[32], host[256] = "unknown", lib[MPI_MAX_LIBRARY_VERSION_STRING] = "";
    int liblen = 0;
    MPI_Get_library_version(lib, &liblen);
    char *nl = strchr(lib, '\n');
    if (nl)
        *nl = '\0';
    char *comma = strchr(lib, ',');
    if (comma)
        *comma = '\0';
    hj_bench_iso_utc((long)started, date, sizeof date, false);
    gethostname(host, sizeof host - 1);
    return json_pack(
        "{s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:s, s:s, s:b, s:f, s:o, s:{s:i, s:s, s:f, s:s, s:s}}", "tool", "name",
        "hashjoule", "version", hj_version(), "git_commit", hj_git_commit(), "compiler", hj_build_compiler(), "c_flags",
        hj_build_flags(), "build_type", hj_build_type(), "date", date, "host", host, "interrupted", interrupted,
        "duration_seconds", now_s() - g->started, "protocol", hj_mpi_protocol_json(g->a), "mpi", "world_size", g->size,
        "split", g->m->split, "timeout_seconds", g->m->timeout_seconds, "library", lib, "rule",
        strcmp(g->m->split, "rank") == 0
            ? "every rank is a node of its own and runs the whole plan"
            : "ranks sharing memory form a node; alone, a rank runs the whole plan; otherwise local rank 0 runs the "
              "CPU kernels (and OpenCL devices of type cpu) and device j goes to local rank 1 + j mod (L-1)");
}

int hj_mpi_write_cluster_document(agent *g, hj_results_writer *writer, time_t started)
{
    bool interrupted;
    json_t *ranks = rank_entries(g, &interrupted);
    json_t *meta = run_meta(g, started, interrupted);
    json_t *cluster = hj_cluster_result_build(ranks, meta);
    json_decref(ranks);
    json_decref(meta);

    int rc = 0;
    hj_error err;
    if (hj_results_writer_commit(writer, cluster, &err) != HJ_OK)
        rc = hj_mpi_report(HJ_MPI_BENCH, HJ_EXIT_RUNTIME, "%s", err.message);
    if (!writer->to_stdout) {
        if (g->m->json_out) {
            hj_error perr;
            hj_bench_print_json(cluster, stdout, &perr); /* the file is written; only the echo would be missing */
        } else {
            hj_cluster_result_print(cluster, stdout);
        }
        if (rc == 0)
            fprintf(g->m->json_out ? stderr : stdout, "%sfleet results: %s\n",
                    g->m->json_out ? "hashjoule bench: " : "\n", hj_results_writer_path(writer));
        fflush(stdout);
    }
    json_t *totals = json_object_get(cluster, "totals");
    if (rc == 0 && json_integer_value(json_object_get(totals, "ranks_missing")) > 0)
        rc = hj_mpi_report(HJ_MPI_RUN, interrupted ? HJ_EXIT_INTERRUPTED : HJ_ERR_RUNTIME,
                           "%lld rank(s) failed or were lost (see the fleet results)",
                           (long long)json_integer_value(json_object_get(totals, "ranks_missing")));
    json_decref(cluster);
    return rc;
}
