/* The progress of a bench run: the plan item, its phase, the last measured
 * rate, the power its sensors read and the time left, handed to the caller's
 * progress hook twice a second by a thread of its own. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_internal.h"
#include "hashjoule/bench.h"
#include "hashjoule/clock.h"
#include "hashjoule/energy.h"

static volatile int g_progress_stop;

static void *progress_main(void *arg)
{
    bench_ctx *c = arg;
    size_t n = c->sensors.n_sensors;
    double *prev = calloc(n ? n : 1, sizeof *prev), *now = calloc(n ? n : 1, sizeof *now), t_prev = 0, t_now;
    if (!prev || !now) {
        free(prev);
        free(now);
        return NULL;
    }
    if (c->meter)
        hj_energy_meter_snapshot(c->meter, prev, &t_prev);
    while (!g_progress_stop) {
        struct timespec ts = {0, 500L * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (g_progress_stop)
            break;
        hj_bench_progress p = {.power_w = NAN};
        pthread_mutex_lock(&c->plock);
        if (c->meter && c->p_n_sensors > 0) {
            hj_energy_meter_snapshot(c->meter, now, &t_now);
            double j = 0;
            for (size_t i = 0; i < c->p_n_sensors; i++)
                j += now[c->p_sensors[i]] - prev[c->p_sensors[i]];
            if (isfinite(j) && t_now > t_prev)
                p.power_w = j / (t_now - t_prev);
            memcpy(prev, now, n * sizeof *now);
            t_prev = t_now;
        } else if (c->meter) {
            hj_energy_meter_snapshot(c->meter, prev, &t_prev);
        }
        double left = c->p_end - hj_monotonic_seconds();
        p.index = c->p_index;
        p.total = c->p_total;
        p.item = c->p_kernel;
        p.phase = c->p_phase;
        p.rate_hps = c->p_rate;
        p.seconds_left = left < 0 ? 0 : left;
        c->hooks->progress(&p, c->hooks->arg);
        pthread_mutex_unlock(&c->plock);
    }
    c->hooks->progress(NULL, c->hooks->arg);
    free(prev);
    free(now);
    return NULL;
}

bool hj_bench_progress_start(bench_ctx *c, pthread_t *thread)
{
    g_progress_stop = 0;
    return c->progress && c->hooks && c->hooks->progress && pthread_create(thread, NULL, progress_main, c) == 0;
}

void hj_bench_progress_stop(pthread_t thread)
{
    g_progress_stop = 1;
    pthread_join(thread, NULL);
}

void hj_bench_progress_set(bench_ctx *c, const char *phase, double rate)
{
    if (!c->progress)
        return;
    pthread_mutex_lock(&c->plock);
    snprintf(c->p_phase, sizeof c->p_phase, "%s", phase);
    if (rate > 0)
        c->p_rate = rate;
    pthread_mutex_unlock(&c->plock);
}
