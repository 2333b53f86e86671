/* Reading and checking a bench results document (include/hashjoule/results.h).
 * Moved out of `compare` so the fuzzer and other commands use the same code. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/input_file.h"
#include "hashjoule/results.h"
#include "hashjoule/stats.h"

static bool close_enough(double a, double b, double rel) { return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-9; }

/* One result's statistics against its repetitions. */
static hj_status check_result(json_t *results, size_t i, json_t *r, hj_error *err)
{
    const char *kernel = json_string_value(json_object_get(r, "kernel"));
    json_t *threads = json_object_get(r, "threads");
    const char *status = json_string_value(json_object_get(r, "status"));
    if (!json_is_object(r) || !kernel || !*kernel || !json_is_integer(threads) || json_integer_value(threads) < 1 ||
        !status)
        return hj_fail(err, HJ_ERR_INPUT, "results[%zu]: missing or malformed kernel, threads or status", i);
    json_t *versions = json_object_get(r, "versions");
    if (versions && (!json_is_integer(versions) || json_integer_value(versions) < 1 ||
                     json_integer_value(versions) > HJ_RESULTS_MAX_VERSIONS))
        return hj_fail(err, HJ_ERR_INPUT, "results[%zu] (%s): versions must be an integer in 1..65536", i, kernel);
    for (size_t j = 0; j < i; j++) {
        json_t *o = json_array_get(results, j);
        if (strcmp(json_string_value(json_object_get(o, "kernel")), kernel) == 0 &&
            json_integer_value(json_object_get(o, "threads")) == json_integer_value(threads) &&
            hj_results_versions(o) == hj_results_versions(r)) {
            char rolled[40] = "";
            if (hj_results_versions(r) != 1)
                snprintf(rolled, sizeof rolled, " and %lld versions", hj_results_versions(r));
            return hj_fail(err, HJ_ERR_INPUT, "results[%zu]: %s with %lld threads%s appears twice", i, kernel,
                           (long long)json_integer_value(threads), rolled);
        }
    }
    json_t *h = json_object_get(r, "hashes_per_second");
    if (strcmp(status, "failed") == 0 && !json_is_object(h))
        return HJ_OK;
    json_t *samples = json_object_get(h, "samples"), *reps = json_object_get(r, "repetitions");
    json_t *med = json_object_get(h, "median"), *mn = json_object_get(h, "min"), *mx = json_object_get(h, "max");
    if (!json_is_object(h) || !json_is_number(med) || !json_is_number(mn) || !json_is_number(mx) ||
        !json_is_array(samples) || json_array_size(samples) == 0 || !json_is_array(reps))
        return hj_fail(err, HJ_ERR_INPUT,
                       "results[%zu] (%s): hashes_per_second needs numbers median, min, max and a non-empty "
                       "samples array, and repetitions an array",
                       i, kernel);
    size_t n = json_array_size(samples);
    if (json_array_size(reps) != n)
        return hj_fail(err, HJ_ERR_INPUT, "results[%zu] (%s): %zu samples but %zu repetitions", i, kernel, n,
                       json_array_size(reps));
    double *s = calloc(n, sizeof *s), lo = INFINITY, hi = -INFINITY;
    if (!s)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    hj_status st = HJ_OK;
    for (size_t k = 0; k < n && st == HJ_OK; k++) {
        json_t *x = json_array_get(samples, k), *rep = json_array_get(reps, k);
        json_t *hs = json_object_get(rep, "hashes"), *sec = json_object_get(rep, "seconds");
        s[k] = json_number_value(x);
        if (!json_is_number(x) || !(s[k] > 0) || !json_is_integer(hs) || !json_is_number(sec) ||
            !(json_number_value(sec) > 0))
            st = hj_fail(err, HJ_ERR_INPUT, "results[%zu] (%s): sample or repetition %zu is not a positive measurement",
                         i, kernel, k);
        else if (!close_enough(s[k], (double)json_integer_value(hs) / json_number_value(sec), 1e-6))
            st = hj_fail(err, HJ_ERR_INPUT,
                         "results[%zu] (%s): sample %zu (%.17g) is not hashes/seconds of repetition %zu (%.17g): "
                         "the file was edited or corrupted",
                         i, kernel, k, s[k], k, (double)json_integer_value(hs) / json_number_value(sec));
        lo = fmin(lo, s[k]);
        hi = fmax(hi, s[k]);
    }
    double m = st == HJ_OK ? hj_median(s, n) : 0;
    free(s);
    if (st != HJ_OK)
        return st;
    if (!close_enough(json_number_value(med), m, 1e-9) || !close_enough(json_number_value(mn), lo, 1e-9) ||
        !close_enough(json_number_value(mx), hi, 1e-9))
        return hj_fail(err, HJ_ERR_INPUT,
                       "results[%zu] (%s): median/min/max (%.17g, %.17g, %.17g) do not match its samples (%.17g, "
                       "%.17g, %.17g): the file was edited or corrupted",
                       i, kernel, json_number_value(med), json_number_value(mn), json_number_value(mx), m, lo, hi);
    return HJ_OK;
}

/* A fleet result (`bench --mpi`, "kind": "fleet") is read as the results of
 * all its ranks, each named "<node>/<kernel>", so two fleet runs match node
 * by node. Takes `fleet`; returns a results document with "kind": "fleet". */
static json_t *flatten_fleet(json_t *fleet)
{
    json_t *protocol = json_object_get(fleet, "protocol"), *interrupted = json_object_get(fleet, "interrupted");
    json_t *doc =
        json_pack("{s:O, s:O, s:O, s:O, s:s, s:[]}", "schema_version", json_object_get(fleet, "schema_version"), "tool",
                  json_object_get(fleet, "tool"), "protocol", protocol ? protocol : json_null(), "interrupted",
                  interrupted ? interrupted : json_false(), "kind", "fleet", "results");
    json_t *results = json_object_get(doc, "results");
    size_t i, j, k;
    json_t *node, *rank, *r;
    json_array_foreach(json_object_get(fleet, "nodes"), i, node) {
        const char *name = json_string_value(json_object_get(node, "name"));
        json_array_foreach(json_object_get(node, "ranks"), j, rank) {
            json_array_foreach(json_object_get(json_object_get(rank, "document"), "results"), k, r) {
                const char *kernel = json_string_value(json_object_get(r, "kernel"));
                json_t *copy = json_deep_copy(r);
                char key[512];
                snprintf(key, sizeof key, "%s/%s", name ? name : "?", kernel ? kernel : "?");
                json_object_set_new(copy, "kernel", json_string(key));
                json_array_append_new(results, copy);
            }
        }
    }
    json_decref(fleet);
    return doc;
}

long long hj_results_versions(json_t *result)
{
    json_t *v = json_object_get(result, "versions");
    return json_is_integer(v) ? (long long)json_integer_value(v) : 1;
}

const char *hj_results_export_kind(const char *text, size_t len)
{
    static const char csv_header[] = "kernel,kind,device,threads,";
    if (len >= sizeof csv_header - 1 && memcmp(text, csv_header, sizeof csv_header - 1) == 0)
        return "a CSV export";
    /* BMF: {"hashjoule/KERNEL/threads=N": {"throughput": {...}}, ...} */
    json_t *doc = json_loadb(text, len, 0, NULL);
    const char *key;
    json_t *v;
    bool bmf = json_is_object(doc) && json_object_size(doc) > 0;
    json_object_foreach(doc, key, v)
        bmf &= strncmp(key, "hashjoule/", 10) == 0 && json_object_get(v, "throughput");
    json_decref(doc);
    return bmf ? "a BMF (Bencher Metric Format) export" : NULL;
}

json_t *hj_results_parse(const char *text, size_t len, hj_error *err)
{
    const char *export_kind = hj_results_export_kind(text, len);
    if (export_kind) {
        hj_fail(err, HJ_ERR_INPUT,
                "this is %s of bench results; compare reads the JSON results document (what `hashjoule bench` "
                "writes with --format json, the default: run bench again without --format)",
                export_kind);
        return NULL;
    }
    json_error_t je;
    /* Duplicate keys are refused: which of two "median"s counts is not for
     * a parser to guess. */
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        hj_fail(err, HJ_ERR_INPUT, "not valid JSON (truncated or corrupted?): line %d, column %d: %s", je.line,
                je.column, je.text);
        return NULL;
    }
    json_t *v = json_object_get(doc, "schema_version");
    const char *tool = json_string_value(json_object_get(json_object_get(doc, "tool"), "name"));
    if (!json_is_object(doc) || !v || !tool || strcmp(tool, "hashjoule") != 0) {
        hj_fail(err, HJ_ERR_INPUT, "not a hashjoule bench results document (no schema_version or tool.name)");
        goto bad;
    }
    if (!json_is_integer(v) || json_integer_value(v) != HJ_RESULTS_SCHEMA_VERSION) {
        hj_fail(err, HJ_ERR_INPUT, "schema_version %s; this hashjoule reads version %d",
                json_is_integer(v) ? "is not 1" : "is not an integer", HJ_RESULTS_SCHEMA_VERSION);
        goto bad;
    }
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    if (kind && strcmp(kind, "fleet") == 0) {
        if (!json_is_array(json_object_get(doc, "nodes"))) {
            hj_fail(err, HJ_ERR_INPUT, "a fleet result without \"nodes\"");
            goto bad;
        }
        doc = flatten_fleet(doc);
        if (!doc) {
            hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
            return NULL;
        }
    } else if (kind) {
        hj_fail(err, HJ_ERR_INPUT, "\"kind\": \"%s\" is not a results document this hashjoule reads", kind);
        goto bad;
    }
    json_t *results = json_object_get(doc, "results");
    if (!json_is_array(results)) {
        hj_fail(err, HJ_ERR_INPUT, "\"results\" is missing or not an array");
        goto bad;
    }
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) {
        if (check_result(results, i, r, err) != HJ_OK)
            goto bad;
    }
    return doc;
bad:
    json_decref(doc);
    return NULL;
}

json_t *hj_results_load_as_written(const char *path, json_t **as_written, hj_status *status, hj_error *err)
{
    char *text;
    size_t len;
    if (as_written)
        *as_written = NULL;
    hj_status st = hj_read_input_file(path, HJ_INPUT_MAX_BYTES, path, &text, &len, err);
    if (st == HJ_OK) {
        hj_error perr;
        json_t *doc = hj_results_parse(text, len, &perr);
        if (doc && as_written && !(*as_written = json_loadb(text, len, 0, NULL))) {
            json_decref(doc);
            doc = NULL;
            hj_fail(&perr, HJ_ERR_RUNTIME, "out of memory");
        }
        free(text);
        if (doc) {
            if (status)
                *status = HJ_OK;
            return doc;
        }
        st = strcmp(perr.message, "out of memory") == 0 ? HJ_ERR_RUNTIME : HJ_ERR_INPUT;
        hj_fail(err, st, "%s: %s", path, perr.message);
    }
    if (status)
        *status = st;
    return NULL;
}

json_t *hj_results_load(const char *path, hj_status *status, hj_error *err)
{
    return hj_results_load_as_written(path, NULL, status, err);
}
