/* Views of a bench results document: the table `hashjoule bench` prints,
 * CSV (one row per result) and Bencher Metric Format, and the document
 * itself as JSON text. They read the document only, never the run. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench_internal.h"
#include "hashjoule/format.h"
#include "hashjoule/results.h"

const char *hj_bench_jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}
static double jreal(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

void hj_bench_print_noise(json_t *doc, FILE *out, const char *prefix)
{
    json_t *noise = json_object_get(doc, "interference"), *why;
    size_t i;
    if (!json_array_size(json_object_get(noise, "reasons")))
        return;
    fprintf(out, "%sNOISY: %lld of %lld result(s) ran while the machine was busy; their figures may be wrong:\n",
            prefix, (long long)json_integer_value(json_object_get(noise, "noisy_results")),
            (long long)json_integer_value(json_object_get(noise, "results")));
    json_array_foreach(json_object_get(noise, "reasons"), i, why)
        fprintf(out, "%s  %s\n", prefix, json_string_value(why));
}

void hj_bench_print_table(json_t *doc, FILE *out)
{
    fprintf(out, "%-14s %7s %8s  %-30s %12s  %-23s %6s  %-15s %-22s %s\n", "kernel", "threads", "versions", "device",
            "median", "min..max", "MAD", "hits/expected", "J/TH (scope)", "status");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        json_t *hc = json_object_get(r, "hit_check");
        char med[32] = "-", mn[32] = "", mx[32] = "", range[64] = "-", mad[16] = "-", jth[48] = "n/a", hits[40];
        if (json_is_object(h)) {
            hj_format_rate(jreal(h, "median"), HJ_RATE_SHORT, med, sizeof med);
            hj_format_rate(jreal(h, "min"), HJ_RATE_SHORT, mn, sizeof mn);
            hj_format_rate(jreal(h, "max"), HJ_RATE_SHORT, mx, sizeof mx);
            snprintf(range, sizeof range, "%s..%s", mn, mx);
            snprintf(mad, sizeof mad, "%.1f%%", 100 * jreal(h, "mad") / jreal(h, "median"));
        }
        if (json_is_object(e))
            snprintf(jth, sizeof jth, "%.4g (%s)", jreal(e, "joules_per_terahash"), hj_bench_jstr(e, "scope"));
        snprintf(hits, sizeof hits, "%lld/%.0f", (long long)json_integer_value(json_object_get(hc, "hits")),
                 jreal(hc, "expected_hits"));
        bool noisy = strcmp(hj_bench_jstr(json_object_get(r, "interference"), "verdict"), "noisy") == 0;
        fprintf(out, "%-14s %7lld %8lld  %-30.30s %12s  %-23s %6s  %-15s %-22s %s%s\n", hj_bench_jstr(r, "kernel"),
                (long long)json_integer_value(json_object_get(r, "threads")), hj_results_versions(r),
                hj_bench_jstr(r, "device"), med, range, mad, hits, jth, hj_bench_jstr(r, "status"),
                noisy ? ", NOISY" : "");
    }
    /* Footnotes: each distinct reason once. */
    json_t *seen = json_object();
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *err = hj_bench_jstr(r, "error"), *why = hj_bench_jstr(r, "energy_unavailable_reason");
        if (err[0])
            fprintf(out, "\n%s (%lld threads) FAILED: %s\n", hj_bench_jstr(r, "kernel"),
                    (long long)json_integer_value(json_object_get(r, "threads")), err);
        if (why[0] && !json_object_get(seen, why)) {
            json_object_set_new(seen, why, json_true());
            fprintf(out, "\nenergy unavailable for %s: %s\n", hj_bench_jstr(r, "kernel"), why);
        }
    }
    json_decref(seen);
    if (json_array_size(json_object_get(json_object_get(doc, "interference"), "reasons"))) {
        fputc('\n', out);
        hj_bench_print_noise(doc, out, "");
    }
    json_array_foreach(json_object_get(doc, "skipped"), i, r)
        fprintf(out, "skipped %s: %s\n", hj_bench_jstr(r, "kernel"), hj_bench_jstr(r, "reason"));
}

static void csv_field(FILE *f, const char *s, bool last)
{
    hj_csv_write_field(f, s, false);
    fputc(last ? '\n' : ',', f);
}

static void csv_num(FILE *f, json_t *v, bool last)
{
    char buf[64] = "";
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_number(v))
        snprintf(buf, sizeof buf, "%.17g", json_number_value(v));
    csv_field(f, buf, last);
}

static void write_csv(json_t *doc, FILE *f)
{
    fputs("kernel,kind,device,threads,status,repetitions,median_hashes_per_second,min_hashes_per_second,"
          "max_hashes_per_second,mad_hashes_per_second,cv,hits,expected_hits,joules,hashes_per_joule,"
          "joules_per_terahash,energy_scope,energy_source,energy_unavailable_reason,date,host,git_commit,interference,"
          "other_busy_cpu_percent,steal_percent,versions\n",
          f);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        json_t *hc = json_object_get(r, "hit_check");
        csv_field(f, hj_bench_jstr(r, "kernel"), false);
        csv_field(f, hj_bench_jstr(r, "kind"), false);
        csv_field(f, hj_bench_jstr(r, "device"), false);
        csv_num(f, json_object_get(r, "threads"), false);
        csv_field(f, hj_bench_jstr(r, "status"), false);
        json_t *nrep = json_integer((json_int_t)json_array_size(json_object_get(r, "repetitions")));
        csv_num(f, nrep, false);
        json_decref(nrep);
        csv_num(f, json_object_get(h, "median"), false);
        csv_num(f, json_object_get(h, "min"), false);
        csv_num(f, json_object_get(h, "max"), false);
        csv_num(f, json_object_get(h, "mad"), false);
        csv_num(f, json_object_get(h, "cv"), false);
        csv_num(f, json_object_get(hc, "hits"), false);
        csv_num(f, json_object_get(hc, "expected_hits"), false);
        csv_num(f, json_object_get(e, "joules"), false);
        csv_num(f, json_object_get(e, "hashes_per_joule"), false);
        csv_num(f, json_object_get(e, "joules_per_terahash"), false);
        csv_field(f, hj_bench_jstr(e, "scope"), false);
        csv_field(f, hj_bench_jstr(e, "source"), false);
        csv_field(f, hj_bench_jstr(r, "energy_unavailable_reason"), false);
        csv_field(f, hj_bench_jstr(doc, "date"), false);
        csv_field(f, hj_bench_jstr(doc, "host"), false);
        csv_field(f, hj_bench_jstr(json_object_get(doc, "tool"), "git_commit"), false);
        json_t *noise = json_object_get(r, "interference");
        csv_field(f, hj_bench_jstr(noise, "verdict"), false);
        csv_num(f, json_object_get(noise, "other_busy_cpu_percent"), false);
        csv_num(f, json_object_get(noise, "steal_percent"), false);
        json_t *versions = json_integer(hj_results_versions(r));
        csv_num(f, versions, true);
        json_decref(versions);
    }
}

/* Bencher Metric Format: {benchmark: {measure: {value, lower_value, upper_value}}}.
 * "throughput" is Bencher's built-in operations/second measure. */
static json_t *bmf_json(json_t *doc)
{
    json_t *bmf = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        if (!json_is_object(h) || strcmp(hj_bench_jstr(r, "status"), "failed") == 0)
            continue;
        char name[256];
        /* a rolled result is another benchmark: its name says how many versions */
        snprintf(name, sizeof name, "hashjoule/%s/threads=%lld", hj_bench_jstr(r, "kernel"),
                 (long long)json_integer_value(json_object_get(r, "threads")));
        if (hj_results_versions(r) != 1)
            snprintf(name + strlen(name), sizeof name - strlen(name), "/versions=%lld", hj_results_versions(r));
        json_t *b = json_pack("{s:{s:f, s:f, s:f}}", "throughput", "value", jreal(h, "median"), "lower_value",
                              jreal(h, "min"), "upper_value", jreal(h, "max"));
        /* 1 when the machine was busy during the run (interference.verdict) */
        json_object_set_new(
            b, "interference-noisy",
            json_pack("{s:i}", "value",
                      strcmp(hj_bench_jstr(json_object_get(r, "interference"), "verdict"), "noisy") == 0));
        if (json_is_object(e)) {
            char measure[64];
            snprintf(measure, sizeof measure, "joules-per-terahash-%s", hj_bench_jstr(e, "scope"));
            json_object_set_new(b, measure, json_pack("{s:f}", "value", jreal(e, "joules_per_terahash")));
        }
        json_object_set_new(bmf, name, b);
    }
    return bmf;
}

char *hj_bench_render(json_t *doc, const char *format, size_t *len)
{
    char *text = NULL;
    if (strcmp(format, "json") == 0) {
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    } else if (strcmp(format, "bmf") == 0) {
        json_t *b = bmf_json(doc);
        text = json_dumps(b, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        json_decref(b);
    } else {
        size_t n = 0;
        FILE *f = open_memstream(&text, &n);
        if (!f)
            return NULL;
        write_csv(doc, f);
        fclose(f);
        *len = n;
        return text;
    }
    if (text) {
        size_t n = strlen(text);
        char *grown = realloc(text, n + 2);
        if (!grown) {
            free(text);
            return NULL;
        }
        grown[n] = '\n';
        grown[n + 1] = '\0';
        text = grown;
        *len = n + 1;
    }
    return text;
}

char *hj_bench_dump_json(json_t *doc, size_t *len) { return hj_bench_render(doc, "json", len); }

hj_status hj_bench_print_json(json_t *doc, FILE *out, hj_error *err)
{
    size_t len;
    char *text = hj_bench_dump_json(doc, &len);
    if (!text)
        return hj_fail(err, HJ_ERR_RUNTIME, "could not serialize the JSON document");
    fwrite(text, 1, len, out);
    free(text);
    return HJ_OK;
}
