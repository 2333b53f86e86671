/* Reads a `hashjoule bench` results file (schema_version 1) for the local
 * rows of the fleet table: the fields the fleet model needs, then the whole
 * document as compare checks it (hj_results_parse). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/bench_file.h"
#include "hashjoule/energy.h"
#include "hashjoule/results.h"
#include "json_util.h"

void hj_bench_file_free(hj_bench_file *b)
{
    if (b) {
        free(b->results);
        b->results = NULL;
        b->n_results = 0;
    }
}

/* A fleet result (hashjoule bench --mpi): its totals, one row per energy
 * scope (never mixing scopes), or one row without energy saying why. */
static hj_status parse_fleet(json_t *root, const char *file, hj_bench_file *out, hj_error *err)
{
    hj_jctx c = {.file = file, .row = "top level"};
    json_t *totals = json_object_get(root, "totals");
    if (!json_is_object(totals))
        return hj_jfail(&c, "totals", err, "missing or not an object (a fleet result of hashjoule bench --mpi)");
    hj_jctx tc = {.file = file, .row = "totals"};
    double nodes, devices, hps;
    if (hj_jnum(&tc, totals, "nodes", true, false, 0, 1e9, &nodes, err) ||
        hj_jnum(&tc, totals, "devices", true, false, 0, 1e9, &devices, err) ||
        hj_jnum(&tc, totals, "hashes_per_second", true, false, 0, 1e30, &hps, err) ||
        hj_jstr(&c, root, "host", false, out->host, sizeof out->host, err) ||
        hj_jstr(&c, root, "date", false, out->date, sizeof out->date, err))
        return HJ_ERR_INPUT;
    json_t *scopes = json_object_get(totals, "by_scope"), *missing = json_object_get(totals, "missing");
    if (!json_is_array(scopes) || !json_is_array(missing))
        return hj_jfail(&tc, "by_scope", err, "by_scope and missing must be arrays");
    snprintf(out->machine, sizeof out->machine, "a fleet of %.0f node(s), %.0f device(s) (hashjoule bench --mpi)",
             nodes, devices);
    size_t n = json_array_size(scopes);
    out->results = calloc(n ? n : 1, sizeof *out->results);
    if (!out->results)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(scopes, i);
        hj_local_result *r = &out->results[i];
        hj_jctx sc = {.file = file};
        snprintf(sc.row, sizeof sc.row, "totals.by_scope[%zu]", i);
        double k, rate, jth;
        if (!json_is_object(s))
            return hj_jfail(&sc, NULL, err, "expected an object");
        if (hj_jstr(&sc, s, "scope", true, r->scope, sizeof r->scope, err) ||
            hj_jnum(&sc, s, "devices", true, false, 1, 1e9, &k, err) ||
            hj_jnum(&sc, s, "mean_hashes_per_second", true, false, 1e-9, 1e30, &rate, err) ||
            hj_jnum(&sc, s, "joules_per_terahash", true, false, 1e-9, 1e30, &jth, err))
            return HJ_ERR_INPUT;
        bool all_cpu = true;
        size_t j;
        json_t *part;
        json_array_foreach(json_object_get(s, "parts"), j, part) {
            json_t *pk = json_object_get(part, "kind");
            all_cpu &= json_is_string(pk) && strcmp(json_string_value(pk), "cpu") == 0;
        }
        snprintf(r->kernel, sizeof r->kernel, "fleet total");
        snprintf(r->kind, sizeof r->kind, "%s", all_cpu ? "cpu" : "device");
        snprintf(r->device, sizeof r->device, "%.0f device(s) on %.0f node(s), %s", k, nodes, r->scope);
        r->threads = 0;
        r->hashes_per_second = rate;
        r->joules_per_terahash = jth;
        snprintf(r->energy_source, sizeof r->energy_source, "fleet total of bench --mpi");
        if (json_is_true(json_object_get(s, "estimated"))) {
            r->energy_estimated = true;
            snprintf(r->energy_source, sizeof r->energy_source,
                     "fleet total of bench --mpi, with a node's bench --power-watts: a stated constant power, "
                     "not measured");
        }
    }
    if (n == 0) {
        /* No scope measured anywhere: the fleet's rate, and why. */
        out->results[0] = (hj_local_result){.threads = 0, .hashes_per_second = hps, .joules_per_terahash = NAN};
        hj_local_result *r = &out->results[0];
        snprintf(r->kernel, sizeof r->kernel, "fleet total");
        snprintf(r->kind, sizeof r->kind, "device");
        snprintf(r->device, sizeof r->device, "%.0f device(s) on %.0f node(s)", devices, nodes);
        const char *why = NULL;
        size_t j;
        json_t *m;
        json_array_foreach(missing, j, m)
            if (!why && json_is_string(json_object_get(m, "reason")))
                why = json_string_value(json_object_get(m, "reason"));
        snprintf(r->unavailable_reason, sizeof r->unavailable_reason, "no device of the fleet measured energy%s%.500s",
                 why ? "; for example: " : "", why ? why : "");
        if (hps > 0)
            n = 1;
    }
    out->n_results = n;
    return HJ_OK;
}

/* Cut bench's own advice (its --power-watts flag) off the end of a reason:
 * the fleet report names the fleet's flag instead. */
static void strip_bench_hint(char *reason)
{
    size_t n = strlen(reason), h = strlen(HJ_RESULTS_WALL_HINT);
    if (n < h || strcmp(reason + n - h, HJ_RESULTS_WALL_HINT) != 0)
        return;
    n -= h;
    while (n > 0 && (reason[n - 1] == ' ' || reason[n - 1] == ';'))
        n--;
    reason[n] = '\0';
}

/* The OpenCL device type of a "device" result, from machine.opencl.devices[]
 * (a result records its kernel and device name, the machine each device's
 * id and type): kernel "opencl:P:D" is device id "P:D"; "opencl:all" is
 * "cpu" only when every device is; otherwise the one device of that name. */
static void opencl_device_type(json_t *machine, const hj_local_result *r, char *out, size_t cap)
{
    out[0] = '\0';
    json_t *devs = json_object_get(json_object_get(machine, "opencl"), "devices");
    if (!json_is_array(devs) || json_array_size(devs) == 0)
        return;
    const char *id = strncmp(r->kernel, "opencl:", 7) == 0 ? r->kernel + 7 : NULL;
    size_t i, matches = 0, cpus = 0;
    json_t *d;
    const char *found = NULL;
    json_array_foreach(devs, i, d) {
        const char *type = json_string_value(json_object_get(d, "type"));
        const char *did = json_string_value(json_object_get(d, "id"));
        const char *name = json_string_value(json_object_get(d, "name"));
        cpus += type && strcmp(type, "cpu") == 0;
        if (id && did && strcmp(id, did) == 0) {
            found = type;
            matches = 1;
            break;
        }
        if (name && strcmp(name, r->device) == 0) {
            found = type;
            matches++;
        }
    }
    if (id && strcmp(id, "all") == 0) {
        found = cpus == json_array_size(devs) ? "cpu" : NULL;
        matches = found ? 1 : 0;
    }
    if (matches == 1 && found)
        snprintf(out, cap, "%s", found);
}

/* Where a kernel ran at one thread count with and without version rolling,
 * keep the row with the most versions: ASICs roll versions, so that rate is
 * the one to set beside their spec sheets. Returns the rows kept. */
static size_t keep_rolled_rows(hj_local_result *rows, size_t n, size_t *left_out, unsigned *max_versions)
{
    size_t w = 0;
    *left_out = 0;
    *max_versions = 1;
    for (size_t i = 0; i < n; i++) {
        bool beaten = false;
        for (size_t j = 0; j < n && !beaten; j++)
            beaten = j != i && rows[j].versions > rows[i].versions && rows[j].threads == rows[i].threads &&
                     strcmp(rows[j].kernel, rows[i].kernel) == 0;
        if (beaten) {
            *left_out += 1;
            continue;
        }
        *max_versions = rows[i].versions > *max_versions ? rows[i].versions : *max_versions;
        rows[w++] = rows[i];
    }
    return w;
}

hj_status hj_fleet_parse_bench(const char *text, size_t len, const char *file, hj_bench_file *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
    const char *export_kind = hj_results_export_kind(text, len);
    if (export_kind)
        return hj_fail(err, HJ_ERR_INPUT,
                       "%s: this is %s of bench results; fleet --bench reads the JSON results document (what "
                       "`hashjoule bench` writes with --format json, the default: run bench again without --format)",
                       file, export_kind);
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    hj_jctx c = {.file = file, .row = "top level"};
    double version;
    if (!json_is_object(root)) {
        hj_jfail(&c, NULL, err, "expected a JSON object (the output of hashjoule bench)");
        goto done;
    }
    if (hj_jnum(&c, root, "schema_version", true, false, 0, 1e6, &version, err))
        goto done;
    if (version != 1) {
        hj_jfail(&c, "schema_version", err, "%g is not supported; this hashjoule reads version 1", version);
        goto done;
    }
    json_t *kind = json_object_get(root, "kind");
    if (json_is_string(kind) && strcmp(json_string_value(kind), "fleet") == 0) {
        st = parse_fleet(root, file, out, err);
        goto done;
    }
    if (kind) {
        hj_jfail(&c, "kind", err, "not a bench results document this hashjoule reads (expected none or \"fleet\")");
        goto done;
    }
    json_t *results = json_object_get(root, "results");
    if (!json_is_array(results)) {
        hj_jfail(&c, "results", err, "missing or not an array");
        goto done;
    }
    json_t *machine = json_object_get(root, "machine");
    if (hj_jstr(&c, root, "host", false, out->host, sizeof out->host, err) ||
        hj_jstr(&c, root, "date", false, out->date, sizeof out->date, err))
        goto done;
    if (json_is_string(machine))
        snprintf(out->machine, sizeof out->machine, "%s", json_string_value(machine));
    else if (json_is_object(machine)) {
        /* hashjoule bench writes the `info` description: machine.cpu.brand. */
        json_t *brand = json_object_get(json_object_get(machine, "cpu"), "brand");
        if (json_is_string(brand))
            snprintf(out->machine, sizeof out->machine, "%s", json_string_value(brand));
    }
    size_t n = json_array_size(results);
    out->results = calloc(n ? n : 1, sizeof *out->results);
    if (!out->results) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        goto done;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(results, i);
        hj_local_result *r = &out->results[kept];
        hj_jctx rc = {.file = file};
        snprintf(rc.row, sizeof rc.row, "results[%zu]", i);
        if (!json_is_object(o)) {
            hj_jfail(&rc, NULL, err, "expected an object");
            goto done;
        }
        double threads, versions;
        if (hj_jstr(&rc, o, "kernel", true, r->kernel, sizeof r->kernel, err) ||
            hj_jstr(&rc, o, "kind", true, r->kind, sizeof r->kind, err) ||
            hj_jstr(&rc, o, "device", false, r->device, sizeof r->device, err) ||
            hj_jnum(&rc, o, "threads", false, true, 1, 1e6, &threads, err) ||
            hj_jnum(&rc, o, "versions", false, true, 1, HJ_RESULTS_MAX_VERSIONS, &versions, err))
            goto done;
        r->versions = isnan(versions) ? 1 : (unsigned)versions; /* older files: no rolling */
        snprintf(rc.row, sizeof rc.row, "results[%zu] (%.40s)", i, r->kernel);
        if (strcmp(r->kind, "cpu") != 0 && strcmp(r->kind, "device") != 0) {
            hj_jfail(&rc, "kind", err, "'%s' is not \"cpu\" or \"device\"", r->kind);
            goto done;
        }
        if (strcmp(r->kind, "device") == 0)
            opencl_device_type(machine, r, r->device_type, sizeof r->device_type);
        r->threads = isnan(threads) ? 0 : (int)threads;
        /* A kernel that failed (self-test, hit check) measured nothing
         * usable: it is left out and counted, not turned into a row. */
        json_t *status = json_object_get(o, "status");
        if (json_is_string(status) && strcmp(json_string_value(status), "failed") == 0) {
            memset(r, 0, sizeof *r);
            out->n_failed++;
            continue;
        }
        json_t *hps = json_object_get(o, "hashes_per_second");
        if (!json_is_object(hps)) {
            hj_jfail(&rc, "hashes_per_second", err, "missing or not an object with \"median\"");
            goto done;
        }
        hj_jctx hc = rc;
        snprintf(hc.row, sizeof hc.row, "results[%zu] (%.40s) hashes_per_second", i, r->kernel);
        if (hj_jnum(&hc, hps, "median", true, false, 1e-9, 1e30, &r->hashes_per_second, err))
            goto done;
        json_t *energy = json_object_get(o, "energy");
        r->joules_per_terahash = NAN;
        if (energy && !json_is_null(energy)) {
            if (!json_is_object(energy)) {
                hj_jfail(&rc, "energy", err, "expected an object or null");
                goto done;
            }
            hj_jctx ec = rc;
            snprintf(ec.row, sizeof ec.row, "results[%zu] (%.40s) energy", i, r->kernel);
            if (hj_jnum(&ec, energy, "joules_per_terahash", true, false, 1e-9, 1e30, &r->joules_per_terahash, err) ||
                hj_jstr(&ec, energy, "scope", true, r->scope, sizeof r->scope, err))
                goto done;
            const char *src = json_string_value(json_object_get(energy, "source")); /* NULL: not a string */
            /* bench --power-watts: a stated power times the time, so the
             * J/TH is as good as the statement, an estimate. */
            r->energy_estimated = src && strcmp(src, HJ_SOURCE_WALL_CONSTANT) == 0;
            if (r->energy_estimated)
                snprintf(r->energy_source, sizeof r->energy_source,
                         "bench --power-watts: a stated constant power, not measured");
            else if (src)
                snprintf(r->energy_source, sizeof r->energy_source, "%s", src);
        } else {
            json_t *why = json_object_get(o, "energy_unavailable_reason");
            if (json_is_string(why) && json_string_length(why) > 0) {
                snprintf(r->unavailable_reason, sizeof r->unavailable_reason, "%s", json_string_value(why));
                strip_bench_hint(r->unavailable_reason);
            }
            if (!r->unavailable_reason[0])
                snprintf(r->unavailable_reason, sizeof r->unavailable_reason,
                         "energy was not measured (the bench file gives no reason)");
        }
        kept++;
    }
    out->n_results = keep_rolled_rows(out->results, kept, &out->n_single_version_left_out, &out->max_versions);
    /* The same checks as compare's (statistics against repetitions, one
     * result per kernel and thread count): a hand-edited rate is refused
     * here too, not turned into a row. */
    hj_error check;
    json_t *checked = hj_results_parse(text, len, &check);
    if (!checked) {
        st = hj_fail(err, HJ_ERR_INPUT, "%s: %s", file, check.message);
        goto done;
    }
    json_decref(checked);
    st = HJ_OK;
done:
    if (st != HJ_OK)
        hj_bench_file_free(out);
    json_decref(root);
    return st;
}
