/* hashjoule — what else used the machine while a benchmark ran.
 *
 * A benchmark is only as good as the machine's quiet: another process on the
 * same cores, or a hypervisor lending them to another guest (steal time),
 * slows a kernel without a word. These calls read the kernel's CPU accounting
 * (/proc/stat) and this process's own CPU time (getrusage) before and after a
 * measured phase; the difference is the CPU time others took meanwhile.
 * Where the kernel exposes them, the CPUs' clock (cpufreq) and their thermal
 * throttling counters are read too.
 * $HJ_PROC_ROOT (default /proc) and $HJ_SYSFS_ROOT (default /sys) say where
 * /proc and /sys are, for tests. */
#ifndef HASHJOULE_INTERFERENCE_H
#define HASHJOULE_INTERFERENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CPU time counters at one moment, in seconds (summed over all CPUs). */
typedef struct hj_cpu_sample {
    double wall_s;          /* hj_monotonic_seconds() */
    double busy_s;          /* user + nice + system + irq + softirq of every CPU */
    double steal_s;         /* time the hypervisor gave this machine's CPUs to others */
    double total_s;         /* every field of every CPU: busy, idle, iowait, steal */
    double self_cpu_s;      /* this process's user + system time, all its threads */
    double clock_mhz;       /* the mean current clock of the CPUs (cpufreq); NAN where not exposed */
    double throttle_events; /* thermal throttling events of all cores so far; NAN where not exposed */
} hj_cpu_sample;

/* Read the counters now. HJ_ERR_RUNTIME when /proc/stat cannot be read or
 * parsed (the message names the file). */
hj_status hj_cpu_sample_take(hj_cpu_sample *s, hj_error *err);

/* What others used between two samples, accumulated over any number of
 * measured phases (hj_interference_add), then judged (hj_interference_judge). */
typedef struct hj_interference {
    double seconds;                      /* wall time covered */
    double other_busy_s;                 /* CPU seconds used by other processes */
    double steal_s;                      /* CPU seconds stolen by the hypervisor */
    double total_s;                      /* CPU seconds that passed on all CPUs */
    bool measured;                       /* at least one phase was sampled */
    double clock_mhz_min, clock_mhz_max; /* the clock seen at the phases' ends; NAN where not exposed */
    double throttle_events;              /* thermal throttling events during the phases; NAN where not exposed */
    char unmeasured[1024];               /* why not, when !measured */
} hj_interference;

/* An empty account (the clock and throttling figures "not measured"). */
void hj_interference_init(hj_interference *acc);

/* Add the phase between samples a and b. */
void hj_interference_add(hj_interference *acc, const hj_cpu_sample *a, const hj_cpu_sample *b);

/* Other processes' share, in percent of one CPU (61 % = 0.61 of a core busy
 * with others' work on average); NAN when not measured. */
double hj_interference_other_busy_cpu_percent(const hj_interference *i);
/* Steal time, in percent of all CPU time that passed; NAN when not measured. */
double hj_interference_steal_percent(const hj_interference *i);

/* Watch the machine for `seconds` (this process idle meanwhile) and say what
 * others used: *other_cpu_percent and *steal_percent as above. */
hj_status hj_interference_window(double seconds, double *other_cpu_percent, double *steal_percent, hj_error *err);

/* The thresholds of a noisy result (docs/bench.md says how they were chosen). */
#define HJ_NOISE_OTHER_BUSY_CPU_PERCENT 10.0
#define HJ_NOISE_STEAL_PERCENT 2.0
#define HJ_NOISE_CV_PERCENT 5.0
/* Any thermal throttling during a run is a reason too: the clock was not the
 * machine's own. */

/* Whether a result with these figures and this coefficient of variation
 * (percent; NAN: unknown) is noisy; each reason, a sentence naming the figure
 * and its threshold, goes to reasons[0..*n) (at most `max`). */
bool hj_interference_judge(const hj_interference *i, double cv_percent, char reasons[][200], size_t max, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
