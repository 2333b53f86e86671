/* The benchmark protocol of `hashjoule bench` as parts another driver can
 * reuse (private to the CLI): option parsing (src/cli/cmd_bench.c), the plan,
 * the measurement loop with a hook before every synchronised step, and the
 * views of its results (src/bench/). `hashjoule bench` runs them in one
 * process; `hashjoule bench --mpi` (src/mpi/) runs the same loop on every
 * rank and uses the hook for fleet-wide barriers. */
#ifndef HJ_BENCH_ENGINE_H
#define HJ_BENCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "hashjoule/error.h"
#include "hashjoule/kernel.h"

/* The command line of `hashjoule bench`, parsed (strings point into argv). */
typedef struct hj_bench_args {
    const char *kernel, *device, *threads, *out, *format, *target_hex, *power_cmd;
    double seconds, warmup, idle_seconds, power_watts;
    unsigned repetitions;
    bool json_out, quiet, watts_given, help;
    /* --mpi and its settings (used by src/mpi/) */
    bool mpi;
    const char *mpi_split; /* "node" (default) or "rank" */
    double mpi_timeout;    /* seconds of silence before a rank counts as lost */
} hj_bench_args;

/* Parse `bench`'s options (argv[0] is "bench"). A bad option or value is an
 * input error naming it. */
hj_status hj_bench_parse_args(int argc, char **argv, hj_bench_args *a, hj_error *err);

typedef struct hj_bench_plan_item {
    const hj_kernel *kernel;
    unsigned threads; /* CPU kernels; 1 for devices */
} hj_bench_plan_item;

/* The plan from --kernel, --device and --threads; kernels that cannot run
 * here are appended to `skipped` as {kernel, reason}. *plan is malloc'd. */
hj_status hj_bench_build_plan(const hj_bench_args *a, hj_bench_plan_item **plan, size_t *n_plan, json_t *skipped,
                              hj_error *err);

/* Which device a kernel drives: its name (the CPU's brand for CPU kernels),
 * whether it computes on the CPU (CPU kernels, OpenCL devices of type cpu),
 * whether it is a GPU, and whether it is tied to exactly one device (false
 * for a device kernel that matches no single enumerated OpenCL device, such
 * as one spreading a range over several). */
void hj_bench_describe_kernel(const hj_kernel *k, char *device, size_t device_len, bool *runs_on_cpu, bool *is_gpu,
                              bool *single_device);

/* Synchronisation of the measured phases. Before the idle baseline, every
 * warm-up and every repetition the loop calls before_step with the step's
 * number in the run's schedule: step 0 is the idle baseline (when
 * --idle-seconds > 0), then plan item i has its warm-up (when --warmup > 0)
 * and its repetitions, numbered as hj_bench_step_number says. A run that
 * skips steps (a kernel that failed its self-test) simply calls it with a
 * later number. Returning false stops the run as Ctrl-C does. */
typedef struct hj_bench_hooks {
    bool (*before_step)(void *arg, unsigned step, const char *kernel, unsigned threads);
    void *arg;
    /* Energy: "" uses --power-watts/--power-cmd as given; otherwise the wall
     * meter is not used and this text says why (in results without energy). */
    const char *wall_not_used;
} hj_bench_hooks;

/* Step number of plan item `item`'s warm-up (rep < 0) or repetition `rep`. */
unsigned hj_bench_step_number(const hj_bench_args *a, size_t item, int rep);

/* Run the protocol over the plan and build the results document (schema
 * bench-results-v1). Takes ownership of `skipped`. `hooks` may be NULL.
 * HJ_ERR_INPUT when the wall meter options fail (a --power-cmd that prints
 * no power). *interrupted: Ctrl-C/SIGTERM or a hook stopped the run;
 * *any_failed: a result failed. Signal handlers are the caller's business
 * (hj_bench_install_signals). */
hj_status hj_bench_measure(const hj_bench_args *a, const hj_bench_plan_item *plan, size_t n_plan, json_t *skipped,
                           const hj_bench_hooks *hooks, json_t **doc, bool *interrupted, bool *any_failed,
                           hj_error *err);

/* SIGINT and SIGTERM stop the run within a chunk; SIGXFSZ becomes a write
 * error. restore puts the previous handlers back. */
void hj_bench_install_signals(void);
void hj_bench_restore_signals(void);
/* Set by the signal handlers (or by a driver that wants the run to stop). */
void hj_bench_request_stop(void);

/* The run's date: "2026-11-22T02:31:59Z" or, for file names, "20261122-023159". */
void hj_bench_iso_utc(long t, char *out, size_t len, bool for_file);
/* Serialise a document as json (indented, full precision) with a final newline. */
char *hj_bench_dump_json(json_t *doc, size_t *len);
/* The document as `format` (json, csv or bmf: Bencher Metric Format), with
 * a final newline; *len is its length. NULL when it cannot be serialised. */
char *hj_bench_render(json_t *doc, const char *format, size_t *len);
/* The table `hashjoule bench` prints, then failures, reasons energy is
 * unavailable and skipped kernels as footnotes. */
void hj_bench_print_table(json_t *doc, FILE *out);

/* `hashjoule bench --mpi`: src/mpi/bench_mpi.c (or a stub when the build has
 * no MPI). `parse_error` (may be NULL) is this rank's bad option: the rank
 * still joins the run and is reported as failed with it. Returns the exit
 * status. */
int hj_bench_mpi_main(const hj_bench_args *a, const char *parse_error);

#endif
