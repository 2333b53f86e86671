/* The cluster result document: nodes, their ranks, best devices, totals.
 * Each rank keeps its own bench results document; each device has its best
 * result, and the totals are per energy scope. Rules (README "Fleet results"):
 * - a device is one piece of silicon: the CPU (CPU kernels and OpenCL
 *   devices of type cpu), or one device kernel; its best result is its ok
 *   result with the highest median hashes/s;
 * - hashes/s of the cluster = the sum of every device's best median;
 * - energy is added only within one scope, never across scopes. For a
 *   device scope (cpu-package, gpu-board, ...) every device's best result
 *   counts; a wall meter covers a whole node, so in scope "wall" each node
 *   counts once, with its fastest device measured at the wall;
 * - a scope's J/TH is its total mean power over its total mean hash rate,
 *   what the devices draw and do when all of them run at once;
 * - a scope's total with any part from a stated power (bench --power-watts)
 *   is marked "estimated": true;
 * - every rank that is not ok, and every device without energy, is listed
 *   in totals.missing with its reason. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cluster_result.h"
#include "hashjoule/bench.h"
#include "hashjoule/energy.h"
#include "hashjoule/format.h"

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}
static double jnum(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

const char *hj_cluster_device_key(json_t *doc, json_t *result)
{
    if (strcmp(jstr(result, "kind"), "cpu") == 0)
        return "cpu";
    const char *kernel = jstr(result, "kernel");
    size_t kl = strlen(kernel), i;
    json_t *dev;
    json_array_foreach(json_object_get(json_object_get(json_object_get(doc, "machine"), "opencl"), "devices"), i, dev) {
        const char *id = jstr(dev, "id");
        size_t il = strlen(id);
        bool match = il && (strcmp(kernel, id) == 0 ||
                            (kl > il && kernel[kl - il - 1] == ':' && strcmp(kernel + kl - il, id) == 0));
        if (match && strcmp(jstr(dev, "type"), "cpu") == 0)
            return "cpu";
    }
    return kernel;
}

/* Mean hashes/s and watts over a result's repetitions. */
static double result_hashes(json_t *r, double *seconds)
{
    double h = 0, s = 0;
    size_t i;
    json_t *rep;
    json_array_foreach(json_object_get(r, "repetitions"), i, rep) {
        h += jnum(rep, "hashes");
        s += jnum(rep, "seconds");
    }
    *seconds = s;
    return h;
}

/* Each device's best result on one node: [{device, key, kind, rank, kernel,
 * threads, hashes_per_second, hashes, seconds, energy, energy_unavailable_reason}]. */
static json_t *node_devices(json_t *node_ranks)
{
    json_t *devices = json_array();
    size_t i;
    json_t *rk;
    json_array_foreach(node_ranks, i, rk) {
        json_t *doc = json_object_get(rk, "document");
        size_t j;
        json_t *r;
        json_array_foreach(json_object_get(doc, "results"), j, r) {
            json_t *h = json_object_get(r, "hashes_per_second");
            if (strcmp(jstr(r, "status"), "ok") != 0 || !json_is_object(h))
                continue;
            const char *key = hj_cluster_device_key(doc, r);
            double median = jnum(h, "median"), seconds;
            double hashes = result_hashes(r, &seconds);
            json_t *have = NULL, *d;
            size_t k;
            json_array_foreach(devices, k, d)
                if (strcmp(jstr(d, "key"), key) == 0)
                    have = d;
            if (have && jnum(have, "hashes_per_second") >= median)
                continue;
            json_t *e = json_object_get(r, "energy");
            json_t *entry = json_pack(
                "{s:s, s:s, s:s, s:I, s:s, s:I, s:f, s:f, s:f, s:O, s:O}", "device", jstr(r, "device"), "key", key,
                "kind", strcmp(key, "cpu") == 0 ? "cpu" : "device", "rank",
                json_integer_value(json_object_get(rk, "rank")), "kernel", jstr(r, "kernel"), "threads",
                json_integer_value(json_object_get(r, "threads")), "hashes_per_second", median, "hashes", hashes,
                "seconds", seconds, "energy", e ? e : json_null(), "energy_unavailable_reason",
                json_object_get(r, "energy_unavailable_reason") ? json_object_get(r, "energy_unavailable_reason")
                                                                : json_null());
            if (have) {
                json_array_foreach(devices, k, d)
                    if (d == have)
                        json_array_set_new(devices, k, entry);
            } else {
                json_array_append_new(devices, entry);
            }
        }
    }
    return devices;
}

static json_t *scope_entry(json_t *by_scope, const char *scope)
{
    size_t i;
    json_t *s;
    json_array_foreach(by_scope, i, s)
        if (strcmp(jstr(s, "scope"), scope) == 0)
            return s;
    s = json_pack("{s:s, s:i, s:f, s:f, s:f, s:f, s:f, s:b, s:[]}", "scope", scope, "devices", 0, "joules", 0.0,
                  "hashes", 0.0, "hashes_per_second", 0.0, "mean_hashes_per_second", 0.0, "mean_watts", 0.0,
                  "estimated", 0, "parts");
    if (strcmp(scope, HJ_SCOPE_WALL) == 0)
        json_object_set_new(s, "note",
                            json_string("a wall meter covers a whole node: each node counts once, with "
                                        "its fastest device measured at the wall"));
    json_array_append_new(by_scope, s);
    return s;
}

static void add_real(json_t *o, const char *k, double v) { json_object_set_new(o, k, json_real(jnum(o, k) + v)); }

static void scope_add(json_t *by_scope, const char *node, json_t *dev)
{
    json_t *e = json_object_get(dev, "energy");
    json_t *s = scope_entry(by_scope, jstr(e, "scope"));
    double seconds = jnum(dev, "seconds"), joules = jnum(e, "joules"), hashes = jnum(dev, "hashes");
    /* the joules' own window where the document has it (older ones: the
     * hashing seconds), so the total's power is energy over its time */
    double e_seconds = jnum(e, "energy_window_seconds") > 0 ? jnum(e, "energy_window_seconds")
                       : jnum(e, "seconds") > 0             ? jnum(e, "seconds")
                                                            : seconds;
    json_object_set_new(s, "devices", json_integer(json_integer_value(json_object_get(s, "devices")) + 1));
    add_real(s, "joules", joules);
    add_real(s, "hashes", hashes);
    add_real(s, "hashes_per_second", jnum(dev, "hashes_per_second"));
    add_real(s, "mean_hashes_per_second", seconds > 0 ? hashes / seconds : 0);
    add_real(s, "mean_watts", e_seconds > 0 ? joules / e_seconds : 0);
    /* One stated power (bench --power-watts) makes the whole total an
     * estimate. */
    if (strcmp(jstr(e, "source"), HJ_SOURCE_WALL_CONSTANT) == 0)
        json_object_set_new(s, "estimated", json_true());
    json_array_append_new(json_object_get(s, "parts"),
                          json_pack("{s:s, s:s, s:s, s:s, s:I, s:f, s:f, s:f}", "node", node, "device",
                                    jstr(dev, "device"), "kind", jstr(dev, "kind"), "kernel", jstr(dev, "kernel"),
                                    "threads", json_integer_value(json_object_get(dev, "threads")), "joules", joules,
                                    "hashes", hashes, "seconds", seconds));
}

static void scope_finish(json_t *s)
{
    double w = jnum(s, "mean_watts"), h = jnum(s, "mean_hashes_per_second");
    json_object_set_new(s, "joules_per_terahash", w > 0 && h > 0 ? json_real(w / (h / 1e12)) : json_null());
    json_object_set_new(s, "hashes_per_joule", w > 0 && h > 0 ? json_real(h / w) : json_null());
}

json_t *hj_cluster_result_build(json_t *ranks, json_t *meta)
{
    json_t *cluster = json_object();
    json_object_set_new(cluster, "schema_version", json_integer(1));
    json_object_set_new(cluster, "kind", json_string("fleet"));
    static const char *copy[] = {"tool", "date", "host", "interrupted", "duration_seconds", "protocol", "mpi"};
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
        json_t *v = json_object_get(meta, copy[i]);
        json_object_set(cluster, copy[i], v ? v : json_null());
    }

    /* Nodes in order of their index. */
    json_int_t n_nodes = 0;
    size_t i;
    json_t *rk;
    json_array_foreach(ranks, i, rk) {
        json_int_t n = json_integer_value(json_object_get(rk, "node"));
        if (n + 1 > n_nodes)
            n_nodes = n + 1;
    }
    json_t *nodes = json_array(), *missing = json_array(), *by_scope = json_array(), *warnings = json_array();
    double total_hps = 0;
    json_int_t n_devices = 0, nodes_ok = 0, ranks_missing = 0;
    for (json_int_t n = 0; n < n_nodes; n++) {
        json_t *node_ranks = json_array();
        const char *name = "", *host = "";
        json_array_foreach(ranks, i, rk)
            if (json_integer_value(json_object_get(rk, "node")) == n) {
                if (json_array_size(node_ranks) == 0) {
                    name = jstr(rk, "node_name");
                    host = jstr(rk, "host");
                }
                json_array_append(node_ranks, rk);
            }
        if (json_array_size(node_ranks) == 0) {
            json_decref(node_ranks);
            continue;
        }
        bool failed = false;
        json_t *errors = json_array();
        json_array_foreach(node_ranks, i, rk) {
            const char *st = jstr(rk, "status");
            if (strcmp(st, "ok") == 0 || strcmp(st, "idle") == 0)
                continue;
            failed = true;
            ranks_missing++;
            char line[2048];
            snprintf(line, sizeof line, "rank %lld (%s): %s",
                     (long long)json_integer_value(json_object_get(rk, "rank")), st,
                     jstr(rk, "error")[0] ? jstr(rk, "error") : "no reason given");
            json_array_append_new(errors, json_string(line));
            json_array_append_new(missing,
                                  json_pack("{s:s, s:I, s:s, s:s}", "node", name, "rank",
                                            json_integer_value(json_object_get(rk, "rank")), "status", st, "reason",
                                            jstr(rk, "error")[0] ? jstr(rk, "error") : "no reason given"));
        }
        json_t *devices = node_devices(node_ranks);
        json_t *dev, *wall_best = NULL;
        json_array_foreach(devices, i, dev) {
            n_devices++;
            total_hps += jnum(dev, "hashes_per_second");
            json_t *e = json_object_get(dev, "energy");
            if (!json_is_object(e)) {
                json_array_append_new(missing, json_pack("{s:s, s:s, s:s, s:s}", "node", name, "device",
                                                         jstr(dev, "device"), "status", "no energy", "reason",
                                                         jstr(dev, "energy_unavailable_reason")));
                continue;
            }
            if (strcmp(jstr(e, "scope"), HJ_SCOPE_WALL) == 0) {
                if (!wall_best || jnum(dev, "hashes_per_second") > jnum(wall_best, "hashes_per_second"))
                    wall_best = dev;
                continue;
            }
            scope_add(by_scope, name, dev);
        }
        if (wall_best)
            scope_add(by_scope, name, wall_best);
        if (!failed && json_array_size(devices) > 0)
            nodes_ok++;
        const char *status = failed ? "failed" : json_array_size(devices) > 0 ? "ok" : "no result";
        json_array_append_new(nodes, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "name", name, "host", host, "status",
                                               status, "errors", errors, "devices", devices, "ranks", node_ranks));
    }
    /* Nodes that are one machine measure the same sensors. */
    for (size_t a = 0; a < json_array_size(nodes); a++)
        for (size_t b = a + 1; b < json_array_size(nodes); b++) {
            json_t *na = json_array_get(nodes, a), *nb = json_array_get(nodes, b);
            if (strcmp(jstr(na, "host"), jstr(nb, "host")) != 0)
                continue;
            char w[1024];
            snprintf(w, sizeof w,
                     "nodes %s and %s run on the same host (%s): their energy sensors measure the "
                     "same machine, so energy totals count it more than once",
                     jstr(na, "name"), jstr(nb, "name"), jstr(na, "host"));
            json_array_append_new(warnings, json_string(w));
        }
    json_t *sc;
    json_array_foreach(by_scope, i, sc)
        scope_finish(sc);
    json_object_set_new(cluster, "nodes", nodes);
    json_object_set_new(cluster, "totals",
                        json_pack("{s:I, s:I, s:I, s:I, s:f, s:o, s:o, s:b}", "nodes", n_nodes, "nodes_ok", nodes_ok,
                                  "devices", n_devices, "ranks_missing", ranks_missing, "hashes_per_second", total_hps,
                                  "by_scope", by_scope, "missing", missing, "complete",
                                  ranks_missing == 0 && nodes_ok == n_nodes));
    json_object_set_new(cluster, "warnings", warnings);
    return cluster;
}

void hj_cluster_result_print(json_t *cluster, FILE *out)
{
    fprintf(out, "%-20s %5s  %-30s %-14s %7s %12s  %-22s %s\n", "node", "rank", "device", "kernel", "threads", "median",
            "J/TH (scope)", "status");
    size_t i, j;
    json_t *node, *dev, *rk;
    json_array_foreach(json_object_get(cluster, "nodes"), i, node) {
        json_array_foreach(json_object_get(node, "devices"), j, dev) {
            char rate[32], jth[48] = "n/a";
            hj_format_rate(jnum(dev, "hashes_per_second"), HJ_RATE_SHORT, rate, sizeof rate);
            json_t *e = json_object_get(dev, "energy");
            if (json_is_object(e))
                snprintf(jth, sizeof jth, "%.4g (%s)", jnum(e, "joules_per_terahash"), jstr(e, "scope"));
            fprintf(out, "%-20.20s %5lld  %-30.30s %-14.14s %7lld %12s  %-22s %s\n", jstr(node, "name"),
                    (long long)json_integer_value(json_object_get(dev, "rank")), jstr(dev, "device"),
                    jstr(dev, "kernel"), (long long)json_integer_value(json_object_get(dev, "threads")), rate, jth,
                    "ok");
        }
        json_array_foreach(json_object_get(node, "ranks"), j, rk) {
            const char *st = jstr(rk, "status");
            if (strcmp(st, "ok") == 0)
                continue;
            fprintf(out, "%-20.20s %5lld  %-30s %-14s %7s %12s  %-22s %s: %s\n", jstr(node, "name"),
                    (long long)json_integer_value(json_object_get(rk, "rank")), "-", "-", "-", "-", "-", st,
                    jstr(rk, "error"));
        }
    }
    json_t *t = json_object_get(cluster, "totals"), *s;
    char rate[32];
    hj_format_rate(jnum(t, "hashes_per_second"), HJ_RATE_SHORT, rate, sizeof rate);
    fprintf(out, "\nfleet: %lld node(s), %lld ok, %lld device(s): %s (sum of each device's best median)\n",
            (long long)json_integer_value(json_object_get(t, "nodes")),
            (long long)json_integer_value(json_object_get(t, "nodes_ok")),
            (long long)json_integer_value(json_object_get(t, "devices")), rate);
    json_array_foreach(json_object_get(t, "by_scope"), i, s) {
        hj_format_rate(jnum(s, "mean_hashes_per_second"), HJ_RATE_SHORT, rate, sizeof rate);
        fprintf(out, "  %-12s %lld device(s): %s, %.4g W, %.4g J/TH%s\n", jstr(s, "scope"),
                (long long)json_integer_value(json_object_get(s, "devices")), rate, jnum(s, "mean_watts"),
                jnum(s, "joules_per_terahash"),
                json_is_true(json_object_get(s, "estimated")) ? " (ESTIMATE: a stated --power-watts)" : "");
    }
    json_array_foreach(json_object_get(t, "missing"), i, s) {
        if (json_object_get(s, "rank"))
            fprintf(out, "  missing: %s rank %lld (%s): %s\n", jstr(s, "node"),
                    (long long)json_integer_value(json_object_get(s, "rank")), jstr(s, "status"), jstr(s, "reason"));
        else
            fprintf(out, "  no energy: %s, %s: %s\n", jstr(s, "node"), jstr(s, "device"), jstr(s, "reason"));
    }
    json_array_foreach(json_object_get(cluster, "warnings"), i, s)
        fprintf(out, "  warning: %s\n", json_string_value(s));
}
