/* What else used the machine during a measured phase: /proc/stat against
 * this process's own CPU time (include/hashjoule/interference.h). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "hashjoule/clock.h"
#include "hashjoule/interference.h"

/* Read one number from a small sysfs file; NAN when absent or not a number. */
static double read_number(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NAN;
    char text[64] = "";
    bool ok = fgets(text, sizeof text, f) != NULL;
    fclose(f);
    char *end;
    double v = ok ? strtod(text, &end) : NAN;
    return ok && end != text ? v : NAN;
}

/* The mean clock (MHz) and the summed throttling count of CPUs 0, 1, ...
 * while their sysfs folders exist; NAN where nothing is exposed. */
static void read_clock(double *mhz, double *throttle)
{
    const char *root = getenv("HJ_SYSFS_ROOT");
    if (!root || !*root)
        root = "/sys";
    double khz_sum = 0, thr_sum = 0;
    int n_khz = 0, n_thr = 0;
    for (int cpu = 0; cpu < 4096; cpu++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/devices/system/cpu/cpu%d", root, cpu);
        if (access(path, F_OK) != 0)
            break;
        snprintf(path, sizeof path, "%s/devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", root, cpu);
        double khz = read_number(path);
        if (isfinite(khz)) {
            khz_sum += khz;
            n_khz++;
        }
        snprintf(path, sizeof path, "%s/devices/system/cpu/cpu%d/thermal_throttle/core_throttle_count", root, cpu);
        double thr = read_number(path);
        if (isfinite(thr)) {
            thr_sum += thr;
            n_thr++;
        }
    }
    *mhz = n_khz ? khz_sum / n_khz / 1000 : NAN;
    *throttle = n_thr ? thr_sum : NAN;
}

void hj_interference_init(hj_interference *acc)
{
    memset(acc, 0, sizeof *acc);
    acc->clock_mhz_min = acc->clock_mhz_max = acc->throttle_events = NAN;
}

hj_status hj_cpu_sample_take(hj_cpu_sample *s, hj_error *err)
{
    memset(s, 0, sizeof *s);
    const char *root = getenv("HJ_PROC_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/stat", root && *root ? root : "/proc");
    FILE *f = fopen(path, "r");
    if (!f)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s", path, strerror(errno));
    /* The first line sums every CPU, in clock ticks: user nice system idle
     * iowait irq softirq steal (guest time is already inside user). */
    char line[512];
    bool read = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    unsigned long long v[8] = {0};
    int got = 0;
    if (read && strncmp(line, "cpu ", 4) == 0) {
        char *p = line + 4, *end;
        for (; got < 8; got++) {
            errno = 0;
            v[got] = strtoull(p, &end, 10);
            if (end == p || errno)
                break;
            p = end;
        }
    }
    if (got < 4)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: no 'cpu' line with at least four counters", path);
    double tick = (double)sysconf(_SC_CLK_TCK);
    if (!(tick > 0))
        tick = 100; /* USER_HZ on every Linux architecture hashjoule builds for */
    s->busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / tick;
    s->steal_s = (double)v[7] / tick;
    s->total_s = (double)(v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7]) / tick;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    s->self_cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                    (double)ru.ru_stime.tv_usec / 1e6;
    read_clock(&s->clock_mhz, &s->throttle_events);
    s->wall_s = hj_monotonic_seconds();
    return HJ_OK;
}

void hj_interference_add(hj_interference *acc, const hj_cpu_sample *a, const hj_cpu_sample *b)
{
    double others = (b->busy_s - a->busy_s) - (b->self_cpu_s - a->self_cpu_s);
    /* The kernel's ticks and getrusage's microseconds disagree by a tick or
     * so either way; others' time is never negative. */
    acc->other_busy_s += others > 0 ? others : 0;
    acc->steal_s += b->steal_s - a->steal_s;
    acc->total_s += b->total_s - a->total_s;
    acc->seconds += b->wall_s - a->wall_s;
    acc->measured = true;
    if (isfinite(b->clock_mhz)) {
        acc->clock_mhz_min = isfinite(acc->clock_mhz_min) ? fmin(acc->clock_mhz_min, b->clock_mhz) : b->clock_mhz;
        acc->clock_mhz_max = isfinite(acc->clock_mhz_max) ? fmax(acc->clock_mhz_max, b->clock_mhz) : b->clock_mhz;
    }
    if (isfinite(a->throttle_events) && isfinite(b->throttle_events))
        acc->throttle_events = (isfinite(acc->throttle_events) ? acc->throttle_events : 0) +
                               fmax(0, b->throttle_events - a->throttle_events);
}

double hj_interference_other_busy_cpu_percent(const hj_interference *i)
{
    return i->measured && i->seconds > 0 ? 100 * i->other_busy_s / i->seconds : NAN;
}

double hj_interference_steal_percent(const hj_interference *i)
{
    return i->measured && i->total_s > 0 ? 100 * i->steal_s / i->total_s : NAN;
}

bool hj_interference_judge(const hj_interference *i, double cv_percent, char reasons[][200], size_t max, size_t *n)
{
    *n = 0;
    double other = hj_interference_other_busy_cpu_percent(i), steal = hj_interference_steal_percent(i);
    if (other > HJ_NOISE_OTHER_BUSY_CPU_PERCENT && *n < max)
        snprintf(reasons[(*n)++], 200, "other processes used %.0f %% of a CPU during the run (threshold %.0f %%)",
                 other, HJ_NOISE_OTHER_BUSY_CPU_PERCENT);
    if (steal > HJ_NOISE_STEAL_PERCENT && *n < max)
        snprintf(reasons[(*n)++], 200, "the hypervisor stole %.1f %% of the CPU time (steal time; threshold %.0f %%)",
                 steal, HJ_NOISE_STEAL_PERCENT);
    if (i->throttle_events > 0 && *n < max)
        snprintf(reasons[(*n)++], 200, "the CPUs throttled for heat %.0f time(s) during the run (threshold: none)",
                 i->throttle_events);
    if (cv_percent > HJ_NOISE_CV_PERCENT && *n < max)
        snprintf(reasons[(*n)++], 200,
                 "the repetitions spread by %.1f %% (coefficient of variation; threshold %.0f %%)", cv_percent,
                 HJ_NOISE_CV_PERCENT);
    return *n > 0;
}

hj_status hj_interference_window(double seconds, double *other_cpu_percent, double *steal_percent, hj_error *err)
{
    hj_cpu_sample a, b;
    hj_status st = hj_cpu_sample_take(&a, err);
    if (st != HJ_OK)
        return st;
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
    if ((st = hj_cpu_sample_take(&b, err)) != HJ_OK)
        return st;
    hj_interference acc;
    hj_interference_init(&acc);
    hj_interference_add(&acc, &a, &b);
    *other_cpu_percent = hj_interference_other_busy_cpu_percent(&acc);
    *steal_percent = hj_interference_steal_percent(&acc);
    return HJ_OK;
}
