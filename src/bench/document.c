/* The results document of a run of the bench protocol (schema
 * bench-results-v1): per result its rates, the hit-count check and the
 * energy of the sensors that cover it; the run's tool, machine, protocol and
 * conditions; and the dates it is stamped with. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench_internal.h"
#include "hashjoule/bench.h"
#include "hashjoule/energy.h"
#include "hashjoule/results.h"
#include "hashjoule/stats.h"
#include "hashjoule/target.h"
#include "hashjoule/version.h"

#define BENCH_SCHEMA_VERSION 1

/* A result fails when its hit count is this unlikely under the binomial law
 * for the hashes it claims (either tail). */
#define HIT_CHECK_ALPHA 1e-6

static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* Which time each figure is taken over. The joules are measured over each
 * repetition's energy window, which brackets its scan, so it is a little
 * longer than the hashing seconds the rates use:
 * - mean_watts = joules / window_seconds: a power is energy over the time it
 *   was measured over (over the hashing seconds it would read high);
 * - hashes_per_joule, joules_per_terahash = hashes / joules, no time at all:
 *   every hash counted was done inside the window, so all of its energy is
 *   the cost of those hashes;
 * - joules_above_idle = joules - idle_watts * window_seconds: the idle
 *   draw over the same window as the joules it is taken from. */
static json_t *energy_json(const bench_ctx *c, const result_rec *r, const int *idx, size_t n_idx, uint64_t hashes,
                           double hash_seconds, double window_seconds, const char **reason_out, char *reason,
                           size_t rlen)
{
    const hj_energy_set *set = &c->sensors;
    double joules = 0, idle_w = 0;
    bool idle_ok = c->idle_watts != NULL;
    for (size_t k = 0; k < n_idx; k++) {
        const char *failure = c->meter ? hj_energy_meter_failure(c->meter, (size_t)idx[k]) : NULL;
        for (size_t i = 0; i < r->n_reps; i++) {
            double j = r->reps[i].sensor_joules ? r->reps[i].sensor_joules[idx[k]] : NAN;
            if (!isfinite(j)) {
                snprintf(reason, rlen, "sensor %s failed during the run: %s", set->sensors[idx[k]]->name,
                         failure ? failure : "no reading");
                *reason_out = reason;
                return json_null();
            }
            joules += j;
        }
        if (idle_ok && isfinite(c->idle_watts[idx[k]]))
            idle_w += c->idle_watts[idx[k]];
        else
            idle_ok = false;
    }
    if (!(joules > 0)) {
        snprintf(reason, rlen, "the %s sensors measured no energy (%.6g J) over %.3f s", set->sensors[idx[0]]->scope,
                 joules, window_seconds);
        *reason_out = reason;
        return json_null();
    }
    json_t *names = json_array();
    for (size_t k = 0; k < n_idx; k++)
        json_array_append_new(names, json_string(set->sensors[idx[k]]->name));
    const hj_energy_sensor *s0 = set->sensors[idx[0]];
    /* seconds stays the hashing seconds it has always been (readers rely on
     * it); the windows' own sum is beside it */
    json_t *e = json_pack("{s:s, s:s, s:o, s:f, s:f, s:f, s:f, s:f, s:f}", "scope", s0->scope, "source", s0->source,
                          "sensors", names, "joules", joules, "seconds", hash_seconds, "energy_window_seconds",
                          window_seconds, "mean_watts", joules / window_seconds, "hashes_per_joule",
                          (double)hashes / joules, "joules_per_terahash", joules / ((double)hashes / 1e12));
    if (strcmp(s0->source, HJ_SOURCE_WALL_CONSTANT) == 0)
        json_object_set_new(e, "note",
                            json_string("the stated constant power times the time: not measured by "
                                        "hashjoule"));
    double above = idle_ok ? joules - idle_w * window_seconds : NAN;
    /* Within 1% of the total, "above idle" is indistinguishable from zero. */
    if (idle_ok && above < 0.01 * joules) {
        json_object_set_new(e, "above_idle_note",
                            json_string("the run drew no measurable energy above the idle "
                                        "baseline"));
        above = above < 0 ? 0 : above;
    }
    json_object_set_new(e, "idle_watts", idle_ok ? json_real(idle_w) : json_null());
    json_object_set_new(e, "joules_above_idle", jnum(above));
    bool meaningful = above >= 0.01 * joules;
    json_object_set_new(e, "hashes_per_joule_above_idle", meaningful ? json_real((double)hashes / above) : json_null());
    json_object_set_new(e, "joules_per_terahash_above_idle",
                        meaningful ? json_real(above / ((double)hashes / 1e12)) : json_null());
    *reason_out = NULL;
    return e;
}

/* A number, or null where it was not measured. */
static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* What else used the machine during a result's warm-up and repetitions, and
 * the verdict with its reasons (the spread of the repetitions counts too). */
static json_t *interference_json(const hj_interference *noise, double cv_percent)
{
    char reasons[4][200];
    size_t n_reasons = 0;
    bool noisy = hj_interference_judge(noise, cv_percent, reasons, 4, &n_reasons);
    json_t *list = json_array();
    for (size_t i = 0; i < n_reasons; i++)
        json_array_append_new(list, json_string(reasons[i]));
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:s?}", "verdict", noisy ? "noisy" : "quiet", "reasons",
                     list, "other_busy_cpu_percent", num_or_null(hj_interference_other_busy_cpu_percent(noise)),
                     "steal_percent", num_or_null(hj_interference_steal_percent(noise)), "clock_mhz_min",
                     num_or_null(noise->clock_mhz_min), "clock_mhz_max", num_or_null(noise->clock_mhz_max),
                     "throttle_events", num_or_null(noise->throttle_events), "seconds", noise->seconds,
                     "unmeasured_reason", noise->measured ? NULL : noise->unmeasured);
}

/* The whole run: noisy when any result is, with each noisy result's reasons
 * prefixed by its kernel and thread count. */
static json_t *interference_summary_json(json_t *results)
{
    json_t *reasons = json_array(), *r, *why;
    size_t i, j, noisy = 0;
    json_array_foreach(results, i, r) {
        json_t *noise = json_object_get(r, "interference");
        if (strcmp(hj_bench_jstr(noise, "verdict"), "noisy") != 0)
            continue;
        noisy++;
        json_array_foreach(json_object_get(noise, "reasons"), j, why) {
            char line[400];
            char versions[32] = "";
            if (hj_results_versions(r) != 1)
                snprintf(versions, sizeof versions, " v%lld", hj_results_versions(r));
            snprintf(line, sizeof line, "%s x%lld%s: %s", hj_bench_jstr(r, "kernel"),
                     (long long)json_integer_value(json_object_get(r, "threads")), versions, json_string_value(why));
            json_array_append_new(reasons, json_string(line));
        }
    }
    return json_pack("{s:s, s:i, s:i, s:o}", "verdict", noisy ? "noisy" : "quiet", "noisy_results", (int)noisy,
                     "results", (int)json_array_size(results), "reasons", reasons);
}

static json_t *result_json(const bench_ctx *c, const result_rec *r)
{
    size_t n = r->n_reps;
    double *rates = calloc(n ? n : 1, sizeof *rates);
    json_t *samples = json_array(), *reps = json_array();
    uint64_t hashes = 0, hits = r->warm_hits;
    double hash_seconds = 0, window_seconds = 0, expected = r->warm_expected;
    int idx[64];
    char why[2048] = "";
    size_t n_idx = hj_bench_primary_sensors(c, r, idx, why, sizeof why);
    for (size_t i = 0; i < n; i++) {
        const rep_rec *p = &r->reps[i];
        rates[i] = p->seconds > 0 ? (double)p->hashes / p->seconds : 0;
        json_array_append_new(samples, json_real(rates[i]));
        double j = NAN;
        if (n_idx) {
            j = 0;
            for (size_t k = 0; k < n_idx; k++)
                j += p->sensor_joules ? p->sensor_joules[idx[k]] : NAN;
        }
        /* energy_window_seconds: what the joules were measured over, so a
         * reader can check joules / energy_window_seconds against mean_watts */
        json_array_append_new(reps, json_pack("{s:I, s:f, s:o, s:o, s:I, s:f, s:i}", "hashes", (json_int_t)p->hashes,
                                              "seconds", p->seconds, "joules", jnum(j), "energy_window_seconds",
                                              jnum(p->energy_window_seconds), "hits", (json_int_t)p->hits,
                                              "expected_hits", p->expected_hits, "jobs", (int)p->jobs));
        hashes += p->hashes;
        hash_seconds += p->seconds;
        window_seconds += p->energy_window_seconds;
        hits += p->hits;
        expected += p->expected_hits;
    }
    json_t *hps = json_null();
    if (n) {
        double mn = rates[0], mx = rates[0];
        for (size_t i = 1; i < n; i++) {
            mn = rates[i] < mn ? rates[i] : mn;
            mx = rates[i] > mx ? rates[i] : mx;
        }
        hps = json_pack("{s:f, s:f, s:f, s:f, s:f, s:o}", "median", hj_median(rates, n), "min", mn, "max", mx, "mad",
                        hj_mad(rates, n), "cv", hj_cv(rates, n), "samples", samples);
    } else {
        json_decref(samples);
    }
    double cv_percent = n > 1 ? 100 * hj_cv(rates, n) : NAN;
    free(rates);

    /* Hit-count check over the warm-up and the repetitions: every hash is
     * a trial that hits with the target's probability. */
    double p_le = 1, p_ge = 1;
    hj_binomial_tails(hits, hashes + r->warm_hashes, c->hit_probability, &p_le, &p_ge);
    bool plausible = p_le >= HIT_CHECK_ALPHA && p_ge >= HIT_CHECK_ALPHA;
    const char *status = r->failed ? "failed" : !plausible ? "failed" : r->interrupted ? "interrupted" : "ok";
    char error[1400];
    if (r->failed)
        snprintf(error, sizeof error, "%s", r->error);
    else if (!plausible)
        snprintf(error, sizeof error,
                 "implausible hit count: %llu hits where %.1f were expected for %llu hashes (binomial P = %.3g): "
                 "the kernel did not scan the nonces it counted, or counted nonces it did not scan",
                 (unsigned long long)hits, expected, (unsigned long long)hashes + r->warm_hashes,
                 p_le < p_ge ? p_le : p_ge);

    json_t *energy = json_null();
    const char *reason = NULL;
    char reason_buf[2048];
    if (n == 0) {
        reason = "no finished repetition";
    } else if (n_idx == 0) {
        reason = why;
    } else {
        json_decref(energy);
        energy =
            energy_json(c, r, idx, n_idx, hashes, hash_seconds, window_seconds, &reason, reason_buf, sizeof reason_buf);
    }
    /* The other scopes, each on its own (never added to the primary). */
    json_t *other = json_array();
    for (size_t s = 0; s < c->sensors.n_sensors && n; s++) {
        bool primary = false;
        for (size_t k = 0; k < n_idx; k++)
            primary |= idx[k] == (int)s;
        if (primary)
            continue;
        double j = 0;
        for (size_t i = 0; i < n; i++)
            j += r->reps[i].sensor_joules ? r->reps[i].sensor_joules[s] : NAN;
        const hj_energy_sensor *es = c->sensors.sensors[s];
        json_array_append_new(other, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "sensor", es->name, "scope", es->scope,
                                               "source", es->source, "device", es->device, "joules", jnum(j),
                                               "mean_watts", jnum(window_seconds > 0 ? j / window_seconds : NAN)));
    }

    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s?, s:i, s:o, s:o}", "kernel", r->item.kernel->name, "kind",
                          r->item.kernel->kind == HJ_KERNEL_CPU ? "cpu" : "device", "device", r->device, "threads",
                          (int)r->item.threads, "status", status, "error", (r->failed || !plausible) ? error : NULL,
                          "repetitions_planned", (int)c->repetitions, "hashes_per_second", hps, "repetitions", reps);
    /* Version rolling: hashes are versions x nonces; how the count was chosen. */
    json_object_set_new(o, "versions", json_integer(r->item.versions));
    json_object_set_new(o, "versions_choice",
                        json_string(r->item.versions_best ? "best: the kernel's measured best" : "given (--versions)"));
    json_object_set_new(o, "warmup",
                        json_pack("{s:f, s:I, s:I, s:f}", "seconds", r->warm_seconds, "hashes",
                                  (json_int_t)r->warm_hashes, "hits", (json_int_t)r->warm_hits, "expected_hits",
                                  r->warm_expected));
    json_object_set_new(o, "hit_check",
                        json_pack("{s:I, s:f, s:f, s:f, s:b}", "hits", (json_int_t)hits, "expected_hits", expected,
                                  "p_at_most", p_le, "p_at_least", p_ge, "plausible", plausible));
    json_object_set_new(o, "energy", energy);
    json_object_set_new(o, "energy_unavailable_reason", reason ? json_string(reason) : json_null());
    json_object_set_new(o, "other_energy", other);
    json_object_set_new(o, "interference", interference_json(&r->noise, cv_percent));
    return o;
}

void hj_bench_iso_utc(long t, char *out, size_t len, bool for_file)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, len, for_file ? "%Y%m%d-%H%M%S" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *hj_bench_loadavg_json(void)
{
    double l[3];
    if (getloadavg(l, 3) != 3)
        return json_null();
    return json_pack("[f, f, f]", l[0], l[1], l[2]);
}

json_t *hj_bench_document(const bench_ctx *c, const plan_item *plan, size_t n_plan, const result_rec *results,
                          size_t n_results, json_t *skipped, const bench_run_info *run, bool *any_failed)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "schema_version", json_integer(BENCH_SCHEMA_VERSION));
    json_object_set_new(doc, "tool",
                        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", "hashjoule", "version", hj_version(),
                                  "git_commit", hj_git_commit(), "compiler", hj_build_compiler(), "c_flags",
                                  hj_build_flags(), "build_type", hj_build_type()));
    json_object_set_new(doc, "date", json_string(run->date));
    json_object_set_new(doc, "host", json_string(run->host));
    json_object_set_new(doc, "interrupted", json_boolean(run->interrupted));
    json_object_set_new(doc, "duration_seconds", json_real(run->duration_seconds));
    json_t *machine = hj_machine_info_json();
    if (!machine)
        machine = json_object();
    json_object_set_new(machine, "energy", hj_energy_set_json(&c->sensors));
    json_object_set_new(doc, "machine", machine);
    char target_text[65];
    hj_target_to_hex(&c->target, target_text);
    json_t *plan_json = json_array();
    for (size_t i = 0; i < n_plan; i++)
        json_array_append_new(plan_json, json_pack("{s:s, s:i, s:i}", "kernel", plan[i].kernel->name, "threads",
                                                   (int)plan[i].threads, "versions", (int)plan[i].versions));
    json_t *idle_json = json_null();
    if (c->idle_watts) {
        idle_json = json_object();
        for (size_t i = 0; i < c->sensors.n_sensors; i++)
            json_object_set_new(idle_json, c->sensors.sensors[i]->name, jnum(c->idle_watts[i]));
    }
    json_object_set_new(
        doc, "protocol",
        json_pack("{s:f, s:i, s:f, s:s, s:f, s:f, s:o, s:f, s:s, s:s, s:o}", "seconds", c->seconds, "repetitions",
                  (int)c->repetitions, "warmup_seconds", c->warmup, "target", target_text, "hit_probability",
                  c->hit_probability, "hit_check_alpha", HIT_CHECK_ALPHA, "idle_watts", idle_json, "idle_seconds",
                  c->idle_seconds, "job",
                  "a fresh random 80-byte header per repetition (and whenever its 2^32 nonces are done), "
                  "scanned from nonce 0; with versions > 1 its version has the BIP 9 top bits 001 and bits 13..28 "
                  "rolled over 0..versions-1, each version crossed with the nonces",
                  "clock", "CLOCK_MONOTONIC; a repetition's seconds include switching jobs", "plan", plan_json));
    json_object_set_new(doc, "conditions",
                        json_pack("{s:o, s:o, s:o}", "load_average_start", run->load_start, "load_average_end",
                                  hj_bench_loadavg_json(), "wait_quiet", run->wait_quiet));
    json_t *res_json = json_array();
    *any_failed = false;
    for (size_t i = 0; i < n_results; i++) {
        json_t *rj = result_json(c, &results[i]);
        *any_failed |= strcmp(hj_bench_jstr(rj, "status"), "failed") == 0;
        json_array_append_new(res_json, rj);
    }
    json_object_set_new(doc, "results", res_json);
    json_object_set_new(doc, "interference", interference_summary_json(res_json));
    json_object_set_new(doc, "skipped", skipped);
    return doc;
}
