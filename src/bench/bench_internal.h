/* What the files of the bench engine share among themselves (private to
 * src/bench/): the run's context, the records of a measured plan item, and
 * the functions one engine file calls in another. Drivers use
 * hashjoule/bench.h. */
#ifndef HJ_BENCH_INTERNAL_H
#define HJ_BENCH_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "hashjoule/bench.h"
#include "hashjoule/energy.h"
#include "hashjoule/interference.h"
#include "hashjoule/target.h"

typedef hj_bench_plan_item plan_item;
typedef hj_bench_options hj_bench_args; /* within the engine: the options of the run */

typedef struct rep_rec {
    uint64_t hashes, hits;
    double seconds; /* hashing: what the rate is taken over */
    double expected_hits;
    unsigned jobs;
    double *sensor_joules;        /* per sensor, over the energy window */
    double energy_window_seconds; /* the duration of that window (NAN without a meter) */
} rep_rec;

typedef struct result_rec {
    plan_item item;
    char device[256];
    bool runs_on_cpu; /* a CPU kernel, or an OpenCL device of type cpu */
    bool is_gpu_device;
    rep_rec *reps;
    size_t n_reps;
    uint64_t warm_hashes, warm_hits;
    double warm_seconds, warm_expected;
    bool failed, interrupted;
    char error[1100];
    hj_interference noise; /* what else used the machine during the warm-up and the repetitions */
} result_rec;

typedef struct bench_ctx {
    const hj_bench_args *args;
    const hj_bench_hooks *hooks; /* may be NULL */
    size_t item_index;           /* the plan item being measured */
    const char *item_kernel;
    unsigned item_threads;
    hj_target target;
    double hit_probability;
    double seconds, warmup;
    unsigned repetitions;
    hj_energy_set sensors;
    hj_energy_meter *meter;
    double *idle_watts; /* per sensor, NAN when not measured */
    double idle_seconds;
    /* progress */
    bool progress;
    pthread_mutex_t plock;
    char p_kernel[96];
    char p_phase[48];
    double p_rate;
    size_t p_index, p_total;
    double p_end; /* planned end of the whole run */
    int *p_sensors;
    size_t p_n_sensors;
} bench_ctx;

/* plan.c: the sensors whose one scope covers this result (indices into the
 * set); returns how many, or 0 with `why`. */
size_t hj_bench_primary_sensors(const bench_ctx *c, const result_rec *r, int *idx, char *why, size_t why_len);

/* progress.c: the caller's progress hook, called twice a second by a thread
 * of its own while c->progress. progress_start returns whether the thread
 * runs (then progress_stop ends it). */
bool hj_bench_progress_start(bench_ctx *c, pthread_t *thread);
void hj_bench_progress_stop(pthread_t thread);
void hj_bench_progress_set(bench_ctx *c, const char *phase, double rate);

/* document.c: the results document of a finished run (its results, in
 * plan order, as measured); takes ownership of `skipped` and of
 * run->load_start. *any_failed when a result failed. The meter must still
 * run (a sensor's failure is read from it). */
typedef struct bench_run_info {
    const char *date, *host;
    bool interrupted;
    double duration_seconds;
    json_t *load_start; /* the load average when the run began (taken over) */
    json_t *wait_quiet; /* what --wait-quiet found, or null (taken over) */
} bench_run_info;
json_t *hj_bench_document(const bench_ctx *c, const plan_item *plan, size_t n_plan, const result_rec *results,
                          size_t n_results, json_t *skipped, const bench_run_info *run, bool *any_failed);
/* The load average now, as [1, 5, 15] minutes, or null. */
json_t *hj_bench_loadavg_json(void);

/* views.c: a string member of a JSON object, or "" when it is not one. */
const char *hj_bench_jstr(json_t *o, const char *k);

#endif
