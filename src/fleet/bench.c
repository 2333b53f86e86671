/* Reads a `hashjoule bench` results file (schema_version 1) for the local
 * rows of the fleet table. Only the fields the fleet model needs are checked;
 * other fields are left to the bench command's own schema. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/fleet.h"
#include "json_util.h"

void hj_bench_file_free(hj_bench_file *b)
{
    if (b) {
        free(b->results);
        b->results = NULL;
        b->n_results = 0;
    }
}

hj_status hj_fleet_parse_bench(const char *text, size_t len, const char *file, hj_bench_file *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
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
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(results, i);
        hj_local_result *r = &out->results[i];
        hj_jctx rc = {.file = file};
        snprintf(rc.row, sizeof rc.row, "results[%zu]", i);
        if (!json_is_object(o)) {
            hj_jfail(&rc, NULL, err, "expected an object");
            goto done;
        }
        double threads;
        if (hj_jstr(&rc, o, "kernel", true, r->kernel, sizeof r->kernel, err) ||
            hj_jstr(&rc, o, "kind", true, r->kind, sizeof r->kind, err) ||
            hj_jstr(&rc, o, "device", false, r->device, sizeof r->device, err) ||
            hj_jnum(&rc, o, "threads", false, true, 1, 1e6, &threads, err))
            goto done;
        snprintf(rc.row, sizeof rc.row, "results[%zu] (%.40s)", i, r->kernel);
        if (strcmp(r->kind, "cpu") != 0 && strcmp(r->kind, "device") != 0) {
            hj_jfail(&rc, "kind", err, "'%s' is not \"cpu\" or \"device\"", r->kind);
            goto done;
        }
        r->threads = isnan(threads) ? 0 : (int)threads;
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
            json_t *src = json_object_get(energy, "source");
            if (json_is_string(src))
                snprintf(r->energy_source, sizeof r->energy_source, "%s", json_string_value(src));
        } else {
            json_t *why = json_object_get(o, "energy_unavailable_reason");
            if (json_is_string(why) && json_string_length(why) > 0)
                snprintf(r->unavailable_reason, sizeof r->unavailable_reason, "%s", json_string_value(why));
            else
                snprintf(r->unavailable_reason, sizeof r->unavailable_reason,
                         "energy was not measured (the bench file gives no reason)");
        }
    }
    out->n_results = n;
    st = HJ_OK;
done:
    if (st != HJ_OK)
        hj_bench_file_free(out);
    json_decref(root);
    return st;
}
