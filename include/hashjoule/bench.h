/* hashjoule — the benchmark engine: the plan, the measured protocol, the
 * results document and its views.
 *
 * `hashjoule bench` parses its options into hj_bench_options, builds the plan,
 * runs hj_bench_measure and writes the document with the results writer;
 * `hashjoule bench --mpi` runs the same loop on every rank and uses the hooks
 * for fleet-wide barriers. The engine prints nothing itself: progress and
 * notices reach the caller through hj_bench_hooks. */
#ifndef HASHJOULE_BENCH_H
#define HASHJOULE_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "hashjoule/atomic_file.h"
#include "hashjoule/error.h"
#include "hashjoule/kernel.h"
#include "hashjoule/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The easy target a bench run scans at unless told otherwise: one hit per
 * 65,536 hashes, so every repetition has hits to re-verify. */
#define HJ_BENCH_DEFAULT_TARGET_HEX "0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

/* What to measure and how (the measurement options of `hashjoule bench`).
 * Lists are comma-separated text as the user gave it (NULL: the default). */
typedef struct hj_bench_options {
    const char *kernel;  /* names, "auto" or "all"; NULL: the best CPU kernel and every device */
    const char *device;  /* "cpu", "all", "none", ids P:D or device kernel names */
    const char *threads; /* CPU worker counts; NULL: all physical cores, and 1 */
    /* Version rolling: counts of versions each repetition's jobs roll (1: the
     * header's own version only) or "best" (the kernel's versions_per_pass, or
     * 1 without a version-rolling form); NULL: "best". */
    const char *versions;
    double seconds;      /* one repetition */
    double warmup;       /* untimed warm-up seconds before the repetitions */
    double idle_seconds; /* idle-power baseline first (0: none) */
    unsigned repetitions;
    double power_watts; /* a constant wall power the user measured (when watts_given) */
    bool watts_given;
    const char *power_cmd;     /* a command printing the wall power, or NULL */
    hj_target target;          /* the easy target (HJ_BENCH_DEFAULT_TARGET_HEX unless given) */
    double wait_quiet_seconds; /* first wait up to this long for the machine to be quiet (0: do not wait) */
} hj_bench_options;

/* The defaults of `hashjoule bench`: 5 repetitions of 3 s after a 2 s warm-up
 * at the default target. */
void hj_bench_options_default(hj_bench_options *o);

typedef struct hj_bench_plan_item {
    const hj_kernel *kernel;
    unsigned threads;   /* CPU kernels; 1 for devices */
    unsigned versions;  /* versions x nonces per job (1: no version rolling) */
    bool versions_best; /* `versions` is the kernel's best, not a count given */
} hj_bench_plan_item;

/* The versions `bench` rolls for a kernel by default: its versions_per_pass
 * when it has a version-rolling form, else 1 (rolling would change nothing). */
unsigned hj_bench_best_versions(const hj_kernel *k);

/* The plan from the kernel, device, threads and versions lists (kernels x
 * threads x versions); kernels that cannot run here are appended to `skipped`
 * as {kernel, reason}. *plan is malloc'd. An unknown name or a bad list is
 * HJ_ERR_INPUT naming the option. */
hj_status hj_bench_build_plan(const hj_bench_options *o, hj_bench_plan_item **plan, size_t *n_plan, json_t *skipped,
                              hj_error *err);

/* Which device a kernel drives: its name (the CPU's brand for CPU kernels),
 * whether it computes on the CPU (CPU kernels, OpenCL devices of type cpu),
 * whether it is a GPU, and whether it is tied to exactly one device (false
 * for a device kernel that matches no single enumerated OpenCL device, such
 * as one spreading a range over several). */
void hj_bench_describe_kernel(const hj_kernel *k, char *device, size_t device_len, bool *runs_on_cpu, bool *is_gpu,
                              bool *single_device);

/* Where a run is, for a progress line: plan item `index` of `total` (from
 * 1), "kernel xT", the phase ("self-test", "warm-up", "repetition 2/5" ...),
 * the latest rate (0 before the first), the power of the sensors covering
 * the item (NAN without one) and the seconds the whole run has left. */
typedef struct hj_bench_progress {
    size_t index, total;
    const char *item;
    const char *phase;
    double rate_hps;
    double power_w;
    double seconds_left;
} hj_bench_progress;

/* What a notice is for: STATUS says what the run is doing (for a person
 * watching), WARNING is something the results depend on (always shown). */
typedef enum hj_bench_notice_level { HJ_BENCH_STATUS = 0, HJ_BENCH_WARNING = 1 } hj_bench_notice_level;

/* The caller's side of a run; every member may be NULL.
 *
 * progress: called about twice a second from a thread of the engine while
 * the plan runs, and once with NULL when it ends (to clear a line). It runs
 * under the engine's lock: keep it quick and do not call the engine from it.
 * One run at a time per process (the stop flag and the signal handlers are
 * the process's).
 * notice: a one-off message ("energy not measured: ...").
 *
 * before_step: synchronisation of the measured phases. Before the idle
 * baseline, every warm-up and every repetition the loop calls it with the
 * step's number in the run's schedule: step 0 is the idle baseline (when
 * idle_seconds > 0), then plan item i has its warm-up (when warmup > 0) and
 * its repetitions, numbered as hj_bench_step_number says. A run that skips
 * steps (a kernel that failed its self-test) calls it with a later number.
 * Returning false stops the run as Ctrl-C does.
 *
 * wall_not_used: NULL or "" uses the options' wall power as given;
 * otherwise the wall meter is not used and this text says why. */
typedef struct hj_bench_hooks {
    void (*progress)(const hj_bench_progress *p, void *arg);
    void (*notice)(hj_bench_notice_level level, const char *message, void *arg);
    bool (*before_step)(void *arg, unsigned step, const char *kernel, unsigned threads);
    void *arg;
    const char *wall_not_used;
} hj_bench_hooks;

/* Step number of plan item `item`'s warm-up (rep < 0) or repetition `rep`. */
unsigned hj_bench_step_number(const hj_bench_options *o, size_t item, int rep);

/* Run the protocol over the plan and build the results document (schema
 * bench-results-v1). Takes ownership of `skipped`. `hooks` may be NULL.
 * HJ_ERR_INPUT when the wall meter options fail (a power command that prints
 * no power). *interrupted: Ctrl-C/SIGTERM or a hook stopped the run;
 * *any_failed: a result failed. Signal handlers are the caller's business
 * (hj_bench_install_signals). */
hj_status hj_bench_measure(const hj_bench_options *o, const hj_bench_plan_item *plan, size_t n_plan, json_t *skipped,
                           const hj_bench_hooks *hooks, json_t **doc, bool *interrupted, bool *any_failed,
                           hj_error *err);

/* SIGINT and SIGTERM stop the run within a chunk; SIGXFSZ becomes a write
 * error. restore puts the previous handlers back. */
void hj_bench_install_signals(void);
void hj_bench_restore_signals(void);
/* Stop the run in progress within a chunk, as Ctrl-C does (safe to call from
 * a signal handler or another thread). Each hj_bench_measure starts
 * unstopped. */
void hj_bench_request_stop(void);

/* The run's date: "2026-11-22T02:31:59Z" or, for file names, "20261122-023159". */
void hj_bench_iso_utc(long t, char *out, size_t len, bool for_file);
/* Serialise a document as json (indented, full precision) with a final newline. */
char *hj_bench_dump_json(json_t *doc, size_t *len);
/* Print a document as hj_bench_dump_json serialises it. HJ_ERR_RUNTIME (and
 * nothing printed) when it cannot be serialised. */
hj_status hj_bench_print_json(json_t *doc, FILE *out, hj_error *err);
/* The document as `format` (json, csv or bmf: Bencher Metric Format), with
 * a final newline; *len is its length. NULL when it cannot be serialised. */
char *hj_bench_render(json_t *doc, const char *format, size_t *len);
/* The table `hashjoule bench` prints, then failures, reasons energy is
 * unavailable, the reasons of noisy results and skipped kernels as footnotes. */
void hj_bench_print_table(json_t *doc, FILE *out);
/* The noisy results' reasons, each line starting with `prefix`; nothing when
 * the run was quiet. */
void hj_bench_print_noise(json_t *doc, FILE *out, const char *prefix);

/* The description of this machine that `hashjoule info --json` prints and
 * every results document carries (CPU, topology, OpenCL devices, kernels,
 * energy sensors, clocks). A new reference. */
json_t *hj_machine_info_json(void);

/* --- the results writer ---------------------------------------------------------------------- */
/* Where a results document goes, decided before the run so that a bad path
 * fails in a second, not after the benchmark: `out` is a file (never
 * overwritten), "-" (standard output only) or NULL (a new file
 * <prefix><host>-<date>.<json|csv> in the history folder
 * $XDG_DATA_HOME/hashjoule/results, by default
 * ~/.local/share/hashjoule/results). On failure nothing is left behind (the
 * folders it made are removed again). */
typedef struct hj_results_writer {
    hj_atomic_file file;
    bool to_stdout;
    char dir[4096];     /* the history folder, when out is NULL */
    unsigned dirs_made; /* how many folders at the end of dir this writer created */
    char format[8];
} hj_results_writer;

hj_status hj_results_writer_open(hj_results_writer *w, const char *out, const char *prefix, const char *format,
                                 long started, hj_error *err);
/* Render the document in the writer's format and commit it (to standard
 * output for "-"). HJ_ERR_RUNTIME when it cannot be serialised or written;
 * the writer is closed either way. */
hj_status hj_results_writer_commit(hj_results_writer *w, json_t *doc, hj_error *err);
/* Nothing is written; the temporary file, and the folders of the history
 * folder that this writer made, go. */
void hj_results_writer_abort(hj_results_writer *w);
/* The path written (empty for standard output). */
const char *hj_results_writer_path(const hj_results_writer *w);

#ifdef __cplusplus
}
#endif
#endif
