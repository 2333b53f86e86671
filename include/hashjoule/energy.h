/* hashjoule — energy sensors: where the joules in "hashes per joule" come from.
 *
 * A sensor reads either a cumulative energy counter or instantaneous power.
 * Every sensor has a *scope* (what it measures: a CPU package, a GPU board,
 * the wall socket); results never add readings of different scopes. The
 * meter samples every sensor in a background thread often enough that no
 * counter wraps twice between two reads, unwraps counters, integrates power
 * samples, and answers "how many joules since start" at any moment.
 *
 * Sources: Linux powercap RAPL, the perf `power` PMU, NVIDIA NVML (loaded
 * with dlopen, no build dependency), amdgpu hwmon, and a wall meter the user
 * reads (a constant, or a command printing watts). A source that is absent or
 * unreadable leaves a note saying why, so a report can say why energy is
 * unavailable instead of inventing a number. */
#ifndef HASHJOULE_ENERGY_H
#define HASHJOULE_ENERGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "hashjoule/clock.h" /* the time base of snapshots */
#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Scopes. A result reports energy of exactly one scope. */
#define HJ_SCOPE_CPU_PACKAGE "cpu-package" /* RAPL package / energy-pkg: cores, caches, uncore */
#define HJ_SCOPE_CPU_CORES "cpu-cores"     /* RAPL core (PP0), a part of the package */
#define HJ_SCOPE_CPU_UNCORE "cpu-uncore"   /* RAPL uncore (PP1, integrated GPU), a part of the package */
#define HJ_SCOPE_DRAM "dram"               /* RAPL dram */
#define HJ_SCOPE_PLATFORM "platform"       /* RAPL psys: the whole SoC platform */
#define HJ_SCOPE_GPU_BOARD "gpu-board"     /* NVML / amdgpu: the graphics card */
#define HJ_SCOPE_WALL "wall"               /* a meter at the socket: everything, PSU losses included */

/* The source of --power-watts: a power the user states, times the time.
 * Not a measurement: whoever reads a result with this source (fleet,
 * bench --mpi totals) must label its J/TH as an estimate. */
#define HJ_SOURCE_WALL_CONSTANT "wall-constant"

typedef struct hj_energy_sensor hj_energy_sensor;

struct hj_energy_sensor {
    char name[96];    /* unique, e.g. "rapl:package-0", "nvml:0", "amdgpu:card0", "wall:command" */
    char source[32];  /* "powercap-rapl", "perf-power", "nvml", "amdgpu-hwmon", "wall-constant", "wall-command" */
    char scope[32];   /* one of HJ_SCOPE_* */
    char device[256]; /* what it is attached to: "package 0", a GPU's name, "" */
    char origin[512]; /* the file, library or command it reads (for messages) */
    bool cumulative;  /* an energy counter (read_count) rather than power (read_watts) */
    double joules_per_count; /* counters: joules per count unit */
    uint64_t count_modulus;  /* counters: the value wraps to 0 at this; 0 = a 64-bit counter */
    double sample_period_s;  /* the meter reads it at least this often */
    bool sample_on_snapshot; /* cheap to read: read it at every snapshot too */
    hj_status (*read_count)(hj_energy_sensor *s, uint64_t *count, hj_error *err);
    hj_status (*read_watts)(hj_energy_sensor *s, double *watts, hj_error *err);
    void (*close)(hj_energy_sensor *s);
    void *priv;
};

/* A source that was looked for and cannot be used, and why. */
typedef struct hj_energy_note {
    char source[32];
    char text[768];
} hj_energy_note;

typedef struct hj_energy_set {
    hj_energy_sensor **sensors;
    size_t n_sensors;
    hj_energy_note *notes;
    size_t n_notes;
} hj_energy_set;

typedef struct hj_energy_options {
    const char *sysfs_root;   /* NULL: $HJ_SYSFS_ROOT, else "/sys" */
    const char *nvml_library; /* NULL: $HJ_NVML_LIBRARY, else "libnvidia-ml.so.1" */
    double wall_watts;        /* > 0: a constant wall reading (--power-watts) */
    const char *wall_command; /* a command printing the wall power (--power-cmd) */
    double command_period_s;  /* how often to run it; 0: 1 s */
} hj_energy_options;

/* Find every usable sensor. Absent or unreadable sources become notes, not
 * errors; the only errors are the user's own wall meter options failing
 * (HJ_ERR_INPUT: a --power-cmd that fails or prints no power). */
hj_status hj_energy_discover(const hj_energy_options *opt, hj_energy_set *set, hj_error *err);
void hj_energy_set_free(hj_energy_set *set);

/* The set as JSON: {"sensors": [{name, source, scope, device, reads,
 * origin}], "unavailable": [{source, reason}]}. A new reference. */
json_t *hj_energy_set_json(const hj_energy_set *set);

/* Parse a power reading such as "220 Watts", "1.2 kW", "850mW" or a bare
 * number (watts) out of a command's output: the first number followed by a
 * power unit, or, when no number has a unit, a lone number. */
hj_status hj_energy_parse_watts(const char *text, double *watts, hj_error *err);

/* --- the meter ------------------------------------------------------------- */
typedef struct hj_energy_meter hj_energy_meter;

/* Starts sampling the set's sensors into a new meter, stored in *out (the set
 * must outlive the meter). */
hj_status hj_energy_meter_start(hj_energy_set *set, hj_energy_meter **out, hj_error *err);
/* Joules each sensor measured since the meter started (joules[i] for
 * set->sensors[i]; NAN for a sensor that has failed) and the
 * hj_monotonic_seconds() time they refer to. */
void hj_energy_meter_snapshot(hj_energy_meter *meter, double *joules, double *at);
/* Why sensor i failed, or NULL while it works. */
const char *hj_energy_meter_failure(hj_energy_meter *meter, size_t i);
void hj_energy_meter_stop(hj_energy_meter *meter);

#ifdef __cplusplus
}
#endif
#endif
