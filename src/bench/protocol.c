/* The bench protocol: for each plan item a self-test, a warm-up, then R
 * timed repetitions, each scanning real nonces of fresh random jobs at an
 * easy target, with the energy meter read around each; the idle baseline
 * first; the signals that stop a run. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench_internal.h"
#include "hashjoule/bench.h"
#include "hashjoule/clock.h"
#include "hashjoule/energy.h"
#include "hashjoule/error.h"
#include "hashjoule/header.h"
#include "hashjoule/job.h"
#include "hashjoule/kernel.h"
#include "hashjoule/scan.h"
#include "hashjoule/stats.h"
#include "hashjoule/target.h"

static volatile sig_atomic_t g_stop;
static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void describe_device(result_rec *r)
{
    bool single;
    hj_bench_describe_kernel(r->item.kernel, r->device, sizeof r->device, &r->runs_on_cpu, &r->is_gpu_device, &single);
}

/* A fresh random header; with versions > 1, a job over that many versions
 * (its version given the BIP 9 top bits that rolling needs). Free it with
 * hj_job_free. */
static hj_status new_job(bench_ctx *c, unsigned versions, hj_job *job, hj_error *err)
{
    uint8_t header[HJ_HEADER_BYTES];
    size_t got = 0;
    while (got < sizeof header) {
        ssize_t n = getrandom(header + got, sizeof header - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return hj_fail(err, HJ_ERR_RUNTIME, "getrandom failed: %s", strerror(errno));
        got += (size_t)n;
    }
    if (versions <= 1) {
        hj_job_init(job, header, &c->target);
        return HJ_OK;
    }
    hj_write_le32(header, (hj_read_le32(header) & ~HJ_VERSION_TOP_MASK) | HJ_VERSION_TOP_BITS);
    return hj_job_init_versions(job, header, &c->target, 0, versions, err);
}

/* Scan fresh random jobs from nonce 0 until `seconds` pass (or Ctrl-C).
 * Returns HJ_OK with *stopped set when interrupted. */
static hj_status scan_for(bench_ctx *c, const plan_item *it, double seconds, uint64_t *hashes, uint64_t *hits,
                          unsigned *jobs, double *elapsed, bool *stopped, hj_error *err)
{
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = it->kernel;
    opt.threads = it->threads;
    opt.max_hits = 1; /* only the count matters; every hit is still verified */
    opt.control.stop = &g_stop;
    *hashes = *hits = 0;
    *jobs = 0;
    *stopped = false;
    double t0 = hj_monotonic_seconds();
    opt.control.deadline = t0 + seconds;
    while (!g_stop) {
        hj_job job;
        hj_status st = new_job(c, it->versions, &job, err);
        if (st != HJ_OK)
            return st;
        (*jobs)++;
        hj_scan_result res;
        st = hj_scan_range(&job, 0, HJ_NONCE_SPACE, &opt, &res, err);
        hj_job_free(&job);
        if (st != HJ_OK)
            return st;
        *hashes += res.hashes;
        *hits += res.hits_total;
        bool complete = res.complete;
        hj_scan_result_free(&res);
        if (!complete || hj_monotonic_seconds() >= opt.control.deadline)
            break; /* the deadline (or Ctrl-C) stopped it */
    }
    *elapsed = hj_monotonic_seconds() - t0;
    *stopped = g_stop != 0;
    return HJ_OK;
}

void hj_bench_options_default(hj_bench_options *o)
{
    memset(o, 0, sizeof *o);
    o->seconds = 3;
    o->warmup = 2;
    o->repetitions = 5;
    /* One hash in 2^16 meets the default target: about 15 hits per million
     * hashes, enough for the hit-count check to catch a kernel that skips
     * even a few percent of its nonces within one run, while re-verifying the
     * hits on the host stays far below 1% of the work for CPU kernels. */
    hj_target_from_hex(HJ_BENCH_DEFAULT_TARGET_HEX, &o->target, "--target", NULL);
}

/* A message for the caller's notice hook (dropped without one). */
__attribute__((format(printf, 3, 4))) static void notice(const bench_ctx *c, hj_bench_notice_level level,
                                                         const char *fmt, ...)
{
    if (!c->hooks || !c->hooks->notice)
        return;
    char text[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    c->hooks->notice(level, text, c->hooks->arg);
}

/* Wait up to max_s for the machine to be quiet: three half-second windows
 * in a row below the noise thresholds (others' CPU time and steal). Says so
 * either way, and returns what happened for the document's conditions. */
static json_t *wait_quiet(bench_ctx *c, double max_s)
{
    enum { QUIET_WINDOWS = 3 };
    const double window_s = 0.5;
    double t0 = hj_monotonic_seconds(), other = NAN, steal = NAN;
    int in_row = 0;
    hj_error err;
    notice(c, HJ_BENCH_STATUS, "waiting up to %g s for the machine to be quiet...", max_s);
    while (!g_stop && in_row < QUIET_WINDOWS && hj_monotonic_seconds() - t0 < max_s) {
        if (hj_interference_window(window_s, &other, &steal, &err) != HJ_OK) {
            notice(c, HJ_BENCH_WARNING, "--wait-quiet: cannot tell whether the machine is quiet (%s); running now",
                   err.message);
            return json_pack("{s:f, s:f, s:n, s:s}", "max_seconds", max_s, "waited_seconds",
                             hj_monotonic_seconds() - t0, "quiet", "unmeasured_reason", err.message);
        }
        bool quiet = !(other > HJ_NOISE_OTHER_BUSY_CPU_PERCENT) && !(steal > HJ_NOISE_STEAL_PERCENT);
        in_row = quiet ? in_row + 1 : 0;
    }
    double waited = hj_monotonic_seconds() - t0;
    bool quiet = in_row >= QUIET_WINDOWS;
    if (quiet)
        notice(c, HJ_BENCH_STATUS, "the machine is quiet (after %.1f s)", waited);
    else if (!g_stop)
        notice(c, HJ_BENCH_WARNING,
               "--wait-quiet: the machine did not get quiet within %g s (other processes at %.0f %% of a CPU, steal "
               "%.1f %%; thresholds %.0f %% and %.0f %%); running anyway",
               max_s, other, steal, HJ_NOISE_OTHER_BUSY_CPU_PERCENT, HJ_NOISE_STEAL_PERCENT);
    return json_pack("{s:f, s:f, s:b, s:o, s:o}", "max_seconds", max_s, "waited_seconds", waited, "quiet", quiet,
                     "last_other_busy_cpu_percent", isfinite(other) ? json_real(other) : json_null(),
                     "last_steal_percent", isfinite(steal) ? json_real(steal) : json_null());
}

unsigned hj_bench_step_number(const hj_bench_options *o, size_t item, int rep)
{
    unsigned first = o->idle_seconds > 0 ? 1 : 0, warm = o->warmup > 0 ? 1 : 0;
    unsigned base = first + (unsigned)item * (warm + o->repetitions);
    return rep < 0 ? base : base + warm + (unsigned)rep;
}

/* The hook before a synchronised step (a warm-up when rep < 0); false when
 * the driver wants the run to stop, which then counts as an interruption. */
static bool step_begins(bench_ctx *c, int rep)
{
    if (!c->hooks || !c->hooks->before_step)
        return true;
    unsigned step = hj_bench_step_number(c->args, c->item_index, rep);
    hj_bench_progress_set(c, "waiting for the other ranks", 0);
    if (c->hooks->before_step(c->hooks->arg, step, c->item_kernel, c->item_threads))
        return true;
    g_stop = 1;
    return false;
}

/* The machine's CPU counters at the start of a measured phase. */
static bool phase_begin(result_rec *r, hj_cpu_sample *s)
{
    hj_error err;
    if (hj_cpu_sample_take(s, &err) == HJ_OK)
        return true;
    snprintf(r->noise.unmeasured, sizeof r->noise.unmeasured, "%s", err.message);
    return false;
}

/* ...and at its end: what others used meanwhile joins the result's account. */
static void phase_end(result_rec *r, const hj_cpu_sample *start, bool started)
{
    hj_cpu_sample end;
    if (started && phase_begin(r, &end))
        hj_interference_add(&r->noise, start, &end);
}

static void run_item(bench_ctx *c, result_rec *r)
{
    hj_interference_init(&r->noise);
    hj_error err = {{0}};
    const plan_item *it = &r->item;
    size_t ns = c->sensors.n_sensors;
    hj_bench_progress_set(c, "self-test", 0);
    if (hj_kernel_self_test(it->kernel, &err) != HJ_OK) {
        r->failed = true;
        snprintf(r->error, sizeof r->error, "%s", err.message);
        return;
    }
    bool stopped = false;
    unsigned jobs;
    if (c->warmup > 0) {
        if (!step_begins(c, -1))
            return;
        hj_bench_progress_set(c, "warm-up", 0);
        hj_cpu_sample s0;
        bool sampled = phase_begin(r, &s0);
        if (scan_for(c, it, c->warmup, &r->warm_hashes, &r->warm_hits, &jobs, &r->warm_seconds, &stopped, &err) !=
            HJ_OK) {
            r->failed = true;
            snprintf(r->error, sizeof r->error, "%s", err.message);
            return;
        }
        phase_end(r, &s0, sampled);
        r->warm_expected = (double)r->warm_hashes * c->hit_probability;
        if (r->warm_seconds > 0)
            hj_bench_progress_set(c, "warm-up", (double)r->warm_hashes / r->warm_seconds);
    }
    r->reps = calloc(c->repetitions, sizeof *r->reps);
    double *e0 = calloc(ns ? ns : 1, sizeof *e0), *e1 = calloc(ns ? ns : 1, sizeof *e1);
    if (!r->reps || !e0 || !e1) {
        r->failed = true;
        snprintf(r->error, sizeof r->error, "out of memory");
        free(e0);
        free(e1);
        return;
    }
    for (unsigned i = 0; i < c->repetitions && !stopped; i++) {
        char phase[48];
        snprintf(phase, sizeof phase, "repetition %u/%u", i + 1, c->repetitions);
        hj_bench_progress_set(c, phase, 0);
        rep_rec *rep = &r->reps[r->n_reps];
        if (!step_begins(c, (int)i)) {
            stopped = true;
            break;
        }
        /* The energy window brackets the scan alone: the CPU counters, slow
         * to read on a loaded machine, are read outside it. It is still a
         * little longer than the hashing seconds (the snapshots themselves),
         * so its own duration is what its joules are over. */
        hj_cpu_sample s0;
        bool sampled = phase_begin(r, &s0);
        double window_t0 = NAN, window_t1 = NAN;
        if (c->meter)
            hj_energy_meter_snapshot(c->meter, e0, &window_t0);
        hj_status scanned =
            scan_for(c, it, c->seconds, &rep->hashes, &rep->hits, &rep->jobs, &rep->seconds, &stopped, &err);
        if (c->meter)
            hj_energy_meter_snapshot(c->meter, e1, &window_t1);
        if (scanned != HJ_OK) {
            r->failed = true;
            snprintf(r->error, sizeof r->error, "%s", err.message);
            break;
        }
        phase_end(r, &s0, sampled);
        if (stopped)
            break; /* an unfinished repetition is not a measurement */
        if (rep->hashes == 0) {
            /* Work is counted as the kernel finishes it; none finished means
             * no rate was measured (a 0 H/s sample would be an artefact). */
            r->failed = true;
            snprintf(r->error, sizeof r->error,
                     "repetition %u finished no work in %.3g s: the kernel is too slow for --seconds %g (use a "
                     "longer --seconds)",
                     i + 1, rep->seconds, c->seconds);
            break;
        }
        rep->expected_hits = (double)rep->hashes * c->hit_probability;
        rep->sensor_joules = calloc(ns ? ns : 1, sizeof *rep->sensor_joules);
        for (size_t s = 0; s < ns && rep->sensor_joules; s++)
            rep->sensor_joules[s] = c->meter ? e1[s] - e0[s] : NAN; /* no meter: nothing measured */
        rep->energy_window_seconds = window_t1 - window_t0;         /* NAN without a meter */
        r->n_reps++;
        hj_bench_progress_set(c, phase, rep->seconds > 0 ? (double)rep->hashes / rep->seconds : 0);
    }
    free(e0);
    free(e1);
    r->interrupted = stopped;
}

static struct sigaction g_old_int, g_old_term, g_old_xfsz;

void hj_bench_install_signals(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &g_old_int);
    sigaction(SIGTERM, &sa, &g_old_term);
    struct sigaction ign = {0};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGXFSZ, &ign, &g_old_xfsz); /* a file-size limit becomes a write error, not a crash */
}

void hj_bench_restore_signals(void)
{
    sigaction(SIGINT, &g_old_int, NULL);
    sigaction(SIGTERM, &g_old_term, NULL);
    sigaction(SIGXFSZ, &g_old_xfsz, NULL);
}

void hj_bench_request_stop(void) { g_stop = 1; }

hj_status hj_bench_measure(const hj_bench_options *o, const hj_bench_plan_item *plan, size_t n_plan, json_t *skipped,
                           const hj_bench_hooks *hooks, json_t **doc_out, bool *interrupted_out, bool *any_failed_out,
                           hj_error *err)
{
    const double seconds = o->seconds, warmup = o->warmup, idle = o->idle_seconds;
    const unsigned reps = o->repetitions;
    hj_status st;
    *doc_out = NULL;
    *interrupted_out = *any_failed_out = false;
    g_stop = 0; /* a new run: a stop asked of an earlier one does not carry over */

    bench_ctx c;
    memset(&c, 0, sizeof c);
    c.args = o;
    c.hooks = hooks;
    c.seconds = seconds;
    c.warmup = warmup;
    c.repetitions = reps;
    c.target = o->target;
    c.hit_probability = hj_target_probability(c.target.le);

    time_t started = time(NULL);
    char date[32], host[256] = "unknown";
    hj_bench_iso_utc(started, date, sizeof date, false);
    gethostname(host, sizeof host - 1);

    bool wall_used = !(hooks && hooks->wall_not_used && hooks->wall_not_used[0]);
    hj_energy_options eopt = {.wall_watts = wall_used ? o->power_watts : 0,
                              .wall_command = wall_used ? o->power_cmd : NULL};
    if ((st = hj_energy_discover(&eopt, &c.sensors, err)) != HJ_OK) {
        json_decref(skipped);
        return st;
    }

    if (c.sensors.n_sensors && hj_energy_meter_start(&c.sensors, &c.meter, err) != HJ_OK) {
        notice(&c, HJ_BENCH_WARNING, "energy not measured: %s", err->message);
        c.meter = NULL;
    }

    json_t *waited = o->wait_quiet_seconds > 0 ? wait_quiet(&c, o->wait_quiet_seconds) : json_null();
    json_t *load_start = hj_bench_loadavg_json();
    double t_run0 = hj_monotonic_seconds();

    /* Idle baseline: the machine doing nothing, per sensor (with a driver,
     * every rank measures it at the same time). */
    bool idle_go = idle > 0 && (!hooks || !hooks->before_step || hooks->before_step(hooks->arg, 0, "idle", 0));
    if (idle > 0 && !idle_go)
        g_stop = 1;
    if (idle_go && c.meter && c.sensors.n_sensors > 0 && !g_stop) {
        size_t ns = c.sensors.n_sensors;
        double *ea = calloc(ns, sizeof *ea), *eb = calloc(ns, sizeof *eb), ta, tb;
        c.idle_watts = calloc(ns, sizeof *c.idle_watts);
        if (ea && eb && c.idle_watts) {
            notice(&c, HJ_BENCH_STATUS, "measuring idle power for %.0f s...", idle);
            hj_energy_meter_snapshot(c.meter, ea, &ta);
            while (!g_stop && hj_monotonic_seconds() - ta < idle) {
                struct timespec ts = {0, 50L * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
            hj_energy_meter_snapshot(c.meter, eb, &tb);
            for (size_t i = 0; i < ns; i++)
                c.idle_watts[i] = strcmp(c.sensors.sensors[i]->source, HJ_SOURCE_WALL_CONSTANT) == 0 || g_stop
                                      ? NAN
                                      : (eb[i] - ea[i]) / (tb - ta);
            c.idle_seconds = tb - ta;
        }
        free(ea);
        free(eb);
    } else if (idle_go && !g_stop) {
        /* no sensor: keep the schedule anyway, so the others' baseline is not disturbed */
        double t0 = hj_monotonic_seconds();
        while (!g_stop && hj_monotonic_seconds() - t0 < idle) {
            struct timespec ts = {0, 50L * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }

    result_rec *results = calloc(n_plan ? n_plan : 1, sizeof *results);
    size_t n_results = 0;
    pthread_t progress_thread;
    c.progress = hooks && hooks->progress;
    pthread_mutex_init(&c.plock, NULL);
    c.p_total = n_plan;
    c.p_end = hj_monotonic_seconds() + (double)n_plan * (warmup + seconds * (double)reps);
    /* a local flag, so the stop below is visibly paired with a successful start */
    bool progress_started = hj_bench_progress_start(&c, &progress_thread);
    c.progress = progress_started;

    for (size_t i = 0; i < n_plan && !g_stop && results; i++) {
        result_rec *r = &results[n_results];
        r->item = plan[i];
        c.item_index = i;
        c.item_kernel = plan[i].kernel->name;
        c.item_threads = plan[i].threads;
        describe_device(r);
        int idx[64];
        char why[512];
        pthread_mutex_lock(&c.plock);
        snprintf(c.p_kernel, sizeof c.p_kernel, "%s x%u", plan[i].kernel->name, plan[i].threads);
        if (plan[i].versions > 1)
            snprintf(c.p_kernel + strlen(c.p_kernel), sizeof c.p_kernel - strlen(c.p_kernel), " v%u", plan[i].versions);
        c.p_index = i + 1;
        c.p_rate = 0;
        c.p_n_sensors = hj_bench_primary_sensors(&c, r, idx, why, sizeof why);
        free(c.p_sensors);
        c.p_sensors = malloc(sizeof idx);
        if (c.p_sensors)
            memcpy(c.p_sensors, idx, sizeof idx);
        else
            c.p_n_sensors = 0;
        c.p_end = hj_monotonic_seconds() + (double)(n_plan - i) * (warmup + seconds * (double)reps);
        pthread_mutex_unlock(&c.plock);
        run_item(&c, r);
        if (r->n_reps > 0 || r->failed)
            n_results++;
        else
            free(r->reps);
    }
    if (progress_started)
        hj_bench_progress_stop(progress_thread);
    double duration = hj_monotonic_seconds() - t_run0;
    bool interrupted = g_stop != 0;

    bench_run_info run = {.date = date,
                          .host = host,
                          .interrupted = interrupted,
                          .duration_seconds = duration,
                          .load_start = load_start,
                          .wait_quiet = waited};
    bool any_failed = false;
    json_t *doc = hj_bench_document(&c, plan, n_plan, results, n_results, skipped, &run, &any_failed);

    hj_energy_meter_stop(c.meter);
    for (size_t i = 0; i < n_results; i++) {
        for (size_t k = 0; k < results[i].n_reps; k++)
            free(results[i].reps[k].sensor_joules);
        free(results[i].reps);
    }
    free(results);
    free(c.p_sensors);
    free(c.idle_watts);
    pthread_mutex_destroy(&c.plock);
    hj_energy_set_free(&c.sensors);
    *doc_out = doc;
    *interrupted_out = interrupted;
    *any_failed_out = any_failed;
    return HJ_OK;
}
