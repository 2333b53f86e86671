/* The energy meter: a background thread reads every sensor at its own period
 * (counters often enough that one never wraps twice between reads; power
 * often enough to integrate it), so a snapshot at any moment gives the
 * joules each sensor measured since the start.
 *
 * Counters: joules += ((now - prev) mod modulus) * joules_per_count.
 * Power: a sample holds until the next one (zero-order hold), so the energy
 * up to time t is the sum of watts * seconds of the samples before t plus the
 * last sample's watts times the time since it — the same function of time
 * whether a snapshot falls between samples or not. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hashjoule/clock.h"
#include "hashjoule/energy.h"

typedef struct sensor_state {
    uint64_t last_count;
    double last_watts;
    double last_t; /* time of the last sample */
    double joules; /* up to last_t */
    double next_due;
    bool failed;
    char why[1024];
} sensor_state;

struct hj_energy_meter {
    hj_energy_set *set;
    sensor_state *st;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool thread_started;
    bool stopping;
};

/* Fold one reading taken at time t into the state (lock held). */
static void apply_count(hj_energy_sensor *s, sensor_state *st, uint64_t now, double t)
{
    uint64_t delta;
    if (s->count_modulus) {
        delta = now >= st->last_count ? now - st->last_count : s->count_modulus - st->last_count + now;
    } else if (now >= st->last_count) {
        delta = now - st->last_count;
    } else {
        st->failed = true;
        snprintf(st->why, sizeof st->why,
                 "%s: the energy counter went backwards (%llu after %llu): reset or "
                 "reloaded driver; its energy is not used",
                 s->name, (unsigned long long)now, (unsigned long long)st->last_count);
        return;
    }
    st->joules += (double)delta * s->joules_per_count;
    st->last_count = now;
    st->last_t = t;
}

static void apply_watts(sensor_state *st, double w, double t)
{
    if (t > st->last_t) {
        st->joules += st->last_watts * (t - st->last_t);
        st->last_t = t;
    }
    st->last_watts = w;
}

static void fail(hj_energy_sensor *s, sensor_state *st, const hj_error *err)
{
    (void)s;
    st->failed = true;
    snprintf(st->why, sizeof st->why, "%s", err->message);
    for (char *c = st->why; *c; c++) /* it goes into the results' JSON: printable ASCII only */
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
            *c = '?';
}

/* Read sensor i now and fold it in (lock held; only for quick sensors). */
static void sample_locked(hj_energy_meter *m, size_t i, double t)
{
    hj_energy_sensor *s = m->set->sensors[i];
    sensor_state *st = &m->st[i];
    if (st->failed)
        return;
    hj_error err;
    if (s->cumulative) {
        uint64_t c;
        if (s->read_count(s, &c, &err) != HJ_OK)
            fail(s, st, &err);
        else
            apply_count(s, st, c, t);
    } else {
        double w;
        if (s->read_watts(s, &w, &err) != HJ_OK)
            fail(s, st, &err);
        else
            apply_watts(st, w, t);
    }
}

static void *sampler_main(void *arg)
{
    hj_energy_meter *m = arg;
    pthread_mutex_lock(&m->lock);
    while (!m->stopping) {
        double now = hj_monotonic_seconds(), next = now + 0.05;
        for (size_t i = 0; i < m->set->n_sensors && !m->stopping; i++) {
            hj_energy_sensor *s = m->set->sensors[i];
            sensor_state *st = &m->st[i];
            if (st->failed || now < st->next_due)
                continue;
            st->next_due = now + s->sample_period_s;
            if (s->sample_on_snapshot) {
                sample_locked(m, i, now);
            } else {
                /* Slow (a command): read without the lock, stamp it at the
                 * middle of the reading. */
                pthread_mutex_unlock(&m->lock);
                double t0 = hj_monotonic_seconds(), w = 0;
                hj_error err;
                hj_status rs = s->read_watts(s, &w, &err);
                double t1 = hj_monotonic_seconds();
                pthread_mutex_lock(&m->lock);
                if (rs != HJ_OK)
                    fail(s, st, &err);
                else
                    apply_watts(st, w, (t0 + t1) / 2);
                now = hj_monotonic_seconds();
            }
        }
        for (size_t i = 0; i < m->set->n_sensors; i++)
            if (!m->st[i].failed && m->st[i].next_due < next)
                next = m->st[i].next_due;
        if (m->stopping)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double wait = next - hj_monotonic_seconds();
        if (wait > 0) {
            double whole = floor(wait);
            ts.tv_sec += (time_t)whole;
            ts.tv_nsec += (long)((wait - whole) * 1e9);
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&m->wake, &m->lock, &ts);
        }
    }
    pthread_mutex_unlock(&m->lock);
    return NULL;
}

hj_status hj_energy_meter_start(hj_energy_set *set, hj_energy_meter **out, hj_error *err)
{
    hj_energy_meter *m = calloc(1, sizeof *m);
    if (!m)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    m->set = set;
    m->st = calloc(set->n_sensors ? set->n_sensors : 1, sizeof *m->st);
    if (!m->st) {
        free(m);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->wake, &ca);
    pthread_condattr_destroy(&ca);
    /* First readings: the zero of every sensor. */
    for (size_t i = 0; i < set->n_sensors; i++) {
        hj_energy_sensor *s = set->sensors[i];
        sensor_state *st = &m->st[i];
        hj_error e;
        double t0 = hj_monotonic_seconds();
        if (s->cumulative) {
            if (s->read_count(s, &st->last_count, &e) != HJ_OK)
                fail(s, st, &e);
        } else if (s->read_watts(s, &st->last_watts, &e) != HJ_OK) {
            fail(s, st, &e);
        }
        double t1 = hj_monotonic_seconds();
        st->last_t = s->sample_on_snapshot ? t1 : (t0 + t1) / 2;
        st->next_due = t1 + s->sample_period_s;
    }
    if (set->n_sensors > 0) {
        if (pthread_create(&m->thread, NULL, sampler_main, m) != 0) {
            hj_energy_meter_stop(m);
            return hj_fail(err, HJ_ERR_RUNTIME, "could not start the energy sampling thread");
        }
        m->thread_started = true;
    }
    *out = m;
    return HJ_OK;
}

void hj_energy_meter_snapshot(hj_energy_meter *m, double *joules, double *at)
{
    pthread_mutex_lock(&m->lock);
    double t = hj_monotonic_seconds();
    for (size_t i = 0; i < m->set->n_sensors; i++) {
        hj_energy_sensor *s = m->set->sensors[i];
        sensor_state *st = &m->st[i];
        if (s->sample_on_snapshot)
            sample_locked(m, i, t);
        if (st->failed)
            joules[i] = NAN;
        else if (s->cumulative)
            joules[i] = st->joules;
        else
            joules[i] = st->joules + st->last_watts * (t > st->last_t ? t - st->last_t : 0);
    }
    pthread_mutex_unlock(&m->lock);
    if (at)
        *at = t;
}

const char *hj_energy_meter_failure(hj_energy_meter *m, size_t i)
{
    pthread_mutex_lock(&m->lock);
    const char *why = m->st[i].failed ? m->st[i].why : NULL;
    pthread_mutex_unlock(&m->lock);
    return why;
}

void hj_energy_meter_stop(hj_energy_meter *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->stopping = true;
    pthread_cond_broadcast(&m->wake);
    pthread_mutex_unlock(&m->lock);
    if (m->thread_started)
        pthread_join(m->thread, NULL);
    pthread_cond_destroy(&m->wake);
    pthread_mutex_destroy(&m->lock);
    free(m->st);
    free(m);
}
