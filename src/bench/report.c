/* `hashjoule report`: several results documents side by side, like for like
 * (include/hashjoule/report.h). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/report.h"
#include "hashjoule/results.h"

static const char *str(json_t *o, const char *k, const char *dflt)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : dflt;
}
static double num(json_t *o, const char *k)
{
    return json_is_number(json_object_get(o, k)) ? json_number_value(json_object_get(o, k)) : NAN;
}
static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The machine a document describes, as the report lists it. */
static json_t *machine_json(size_t id, const char *file, json_t *doc, const char *node)
{
    json_t *m = json_object_get(doc, "machine"), *cpu = json_object_get(m, "cpu"),
           *top = json_object_get(m, "topology");
    json_t *devices = json_array(), *d;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(m, "opencl"), "devices"), i, d)
        json_array_append_new(devices, json_string(str(d, "name", "?")));
    double cores = num(cpu, "cores"), threads = num(cpu, "logical_cpus");
    if (!(cores > 0))
        cores = num(top, "cores");
    if (!(threads > 0))
        threads = num(top, "pus");
    json_t *features = json_object_get(cpu, "usable_features");
    json_t *p = json_object_get(doc, "protocol");
    const char *verdict = str(json_object_get(doc, "interference"), "verdict", "not measured");
    char name[512];
    snprintf(name, sizeof name, "%s%s%s", str(doc, "host", "?"), node ? " / " : "", node ? node : "");
    return json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:O, s:o, s:o, s:s, s:s, s:{s:o, s:o, s:o}, s:s}", "id",
                     (int)id, "name", name, "file", file, "date", str(doc, "date", "?"), "cpu",
                     str(cpu, "brand", "unknown CPU"), "cores", num_or_null(cores), "threads", num_or_null(threads),
                     "features", json_is_array(features) ? features : json_null(), "opencl_devices", devices,
                     "memory_bytes", num_or_null(num(json_object_get(m, "memory"), "total_bytes")), "tool_version",
                     str(json_object_get(doc, "tool"), "version", "?"), "git_commit",
                     str(json_object_get(doc, "tool"), "git_commit", "?"), "protocol", "seconds",
                     num_or_null(num(p, "seconds")), "repetitions", num_or_null(num(p, "repetitions")),
                     "warmup_seconds", num_or_null(num(p, "warmup_seconds")), "interference", verdict);
}

/* One result of one machine, as a row entry. */
static json_t *entry_json(size_t machine, json_t *r, double cores)
{
    json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
    /* per core: a CPU result over the cores it used; none for a device (cores NAN) */
    double threads = num(r, "threads"), used = !isfinite(cores) ? NAN : cores < threads ? cores : threads;
    bool noisy = strcmp(str(json_object_get(r, "interference"), "verdict", ""), "noisy") == 0;
    json_t *entry = json_pack(
        "{s:i, s:s, s:i, s:f, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:b}", "machine", (int)machine, "kernel",
        str(r, "kernel", "?"), "threads", (int)threads, "median_hps", num(h, "median"), "min_hps", num(h, "min"),
        "max_hps", num(h, "max"), "hps_per_core", num_or_null(used > 0 ? num(h, "median") / used : NAN),
        "joules_per_terahash", num_or_null(num(e, "joules_per_terahash")), "energy_scope",
        json_is_object(e) ? json_string(str(e, "scope", "?")) : json_null(), "energy_unavailable_reason",
        json_is_object(e) ? json_null() : json_string(str(r, "energy_unavailable_reason", "not measured")),
        "hashes_per_joule", num_or_null(num(e, "hashes_per_joule")), "noisy", noisy);
    /* version rolling: only where it happened, so older documents report as before */
    if (hj_results_versions(r) != 1)
        json_object_set_new(entry, "versions", json_integer(hj_results_versions(r)));
    return entry;
}

/* ", 16 versions" for a result that rolled versions, "" for one version. */
static const char *versions_text(json_t *r, char *buf, size_t len)
{
    buf[0] = '\0';
    if (hj_results_versions(r) != 1)
        snprintf(buf, len, ", %lld versions", hj_results_versions(r));
    return buf;
}

static bool usable(json_t *r)
{
    return strcmp(str(r, "status", "failed"), "failed") != 0 && json_is_object(json_object_get(r, "hashes_per_second"));
}

/* The row with this key, made on first use (rows keep the order they appear). */
static json_t *row(json_t *rows, const char *key, const char *label)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        if (strcmp(str(r, "key", ""), key) == 0)
            return json_object_get(r, "entries");
    json_t *entries = json_array();
    json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "key", key, "label", label, "entries", entries));
    return entries;
}

/* The best CPU result of a machine at `threads` (0: its most threads). */
static json_t *best_cpu(json_t *doc, int threads)
{
    json_t *best = NULL, *r;
    size_t i;
    int most = 0;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (usable(r) && strcmp(str(r, "kind", ""), "cpu") == 0)
            most = (int)num(r, "threads") > most ? (int)num(r, "threads") : most;
    int want = threads ? threads : most;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (!usable(r) || strcmp(str(r, "kind", ""), "cpu") != 0 || (int)num(r, "threads") != want)
            continue;
        if (!best || num(json_object_get(r, "hashes_per_second"), "median") >
                         num(json_object_get(best, "hashes_per_second"), "median"))
            best = r;
    }
    return best;
}

/* Everything of one machine's document: its entry in machines, its rows. */
static void add_document(json_t *report, const char *file, json_t *doc, const char *node)
{
    json_t *machines = json_object_get(report, "machines"), *rows = json_object_get(report, "rows");
    size_t id = json_array_size(machines);
    json_t *m = machine_json(id, file, doc, node);
    double cores = num(m, "cores");
    json_array_append_new(machines, m);
    json_t *all = best_cpu(doc, 0), *one = best_cpu(doc, 1);
    if (all)
        json_array_append_new(row(rows, "best-cpu/all-threads", "best CPU kernel, all threads"),
                              entry_json(id, all, cores));
    if (one)
        json_array_append_new(row(rows, "best-cpu/1-thread", "best CPU kernel, 1 thread"), entry_json(id, one, cores));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (!usable(r))
            continue;
        char key[640], label[640], v[40];
        /* a rolled result is another row: it is not the same measurement */
        char vkey[40] = "";
        if (hj_results_versions(r) != 1)
            snprintf(vkey, sizeof vkey, "/versions=%lld", hj_results_versions(r));
        if (strcmp(str(r, "kind", ""), "device") == 0) {
            /* a device kernel's name (opencl:0:0) says nothing across machines: keyed by the device */
            snprintf(key, sizeof key, "device/%s%s", str(r, "device", "?"), vkey);
            snprintf(label, sizeof label, "OpenCL device %s%s", str(r, "device", "?"), versions_text(r, v, sizeof v));
            json_array_append_new(row(rows, key, label), entry_json(id, r, NAN));
            continue;
        }
        snprintf(key, sizeof key, "kernel/%s/%d%s", str(r, "kernel", "?"), (int)num(r, "threads"), vkey);
        snprintf(label, sizeof label, "kernel %s, %d thread(s)%s", str(r, "kernel", "?"), (int)num(r, "threads"),
                 versions_text(r, v, sizeof v));
        json_array_append_new(row(rows, key, label), entry_json(id, r, cores));
    }
    /* thread scaling: each CPU kernel that ran on one thread and on more */
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        if (!usable(r) || strcmp(str(r, "kind", ""), "cpu") != 0 || num(r, "threads") != 1)
            continue;
        json_t *o;
        size_t j;
        json_t *most = NULL;
        json_array_foreach(json_object_get(doc, "results"), j, o)
            if (usable(o) && strcmp(str(o, "kernel", ""), str(r, "kernel", "")) == 0 && num(o, "threads") > 1 &&
                hj_results_versions(o) == hj_results_versions(r) && (!most || num(o, "threads") > num(most, "threads")))
                most = o;
        if (!most)
            continue;
        double h1 = num(json_object_get(r, "hashes_per_second"), "median"),
               hn = num(json_object_get(most, "hashes_per_second"), "median");
        json_t *s =
            json_pack("{s:i, s:s, s:i, s:f, s:f, s:f}", "machine", (int)id, "kernel", str(r, "kernel", "?"), "threads",
                      (int)num(most, "threads"), "one_thread_hps", h1, "all_threads_hps", hn, "speedup", hn / h1);
        if (hj_results_versions(r) != 1)
            json_object_set_new(s, "versions", json_integer(hj_results_versions(r)));
        json_array_append_new(json_object_get(report, "thread_scaling"), s);
    }
}

/* Kernel rows matter only where more than one machine ran them; the rows
 * go best-CPU first, then devices, then shared kernels. */
static void tidy_rows(json_t *rows)
{
    for (size_t i = json_array_size(rows); i-- > 0;) {
        json_t *r = json_array_get(rows, i);
        if (strncmp(str(r, "key", ""), "kernel/", 7) == 0 && json_array_size(json_object_get(r, "entries")) < 2)
            json_array_remove(rows, i);
    }
    static const char *const order[] = {"best-cpu/", "device/", "kernel/"};
    json_t *sorted = json_array();
    for (size_t k = 0; k < 3; k++) {
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
            if (strncmp(str(r, "key", ""), order[k], strlen(order[k])) == 0)
                json_array_append(sorted, r);
    }
    json_array_clear(rows);
    json_array_extend(rows, sorted);
    json_decref(sorted);
}

hj_status hj_report_build(const char *const *paths, size_t n, const char *title, json_t **out, hj_error *err)
{
    *out = NULL;
    if (n == 0)
        return hj_fail(err, HJ_ERR_INPUT, "no results file given: name one or more `hashjoule bench` results files");
    json_t *report = json_pack("{s:i, s:s, s:[], s:[], s:[]}", "report_version", 1, "title",
                               title && *title ? title : "hashjoule report", "machines", "rows", "thread_scaling");
    for (size_t f = 0; f < n; f++) {
        /* checked as compare checks a file, and used as written: a cluster
         * document's ranks each describe their own machine */
        hj_status st;
        json_t *doc;
        json_t *checked = hj_results_load_as_written(paths[f], &doc, &st, err);
        if (!checked) {
            json_decref(report);
            return st;
        }
        json_decref(checked);
        json_t *nodes = json_object_get(doc, "nodes"), *node, *rank;
        size_t i, j;
        if (json_is_array(nodes)) {
            json_array_foreach(nodes, i, node)
                json_array_foreach(json_object_get(node, "ranks"), j, rank) {
                    json_t *d = json_object_get(rank, "document");
                    if (json_is_object(d))
                        add_document(report, paths[f], d, str(node, "name", "?"));
                }
        } else {
            add_document(report, paths[f], doc, NULL);
        }
        json_decref(doc);
    }
    tidy_rows(json_object_get(report, "rows"));
    *out = report;
    return HJ_OK;
}
