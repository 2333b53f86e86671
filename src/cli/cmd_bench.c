/* `hashjoule bench`: the benchmark protocol. For each kernel x thread count:
 * self-test, warm-up, then R timed repetitions, each scanning real nonces of
 * fresh random jobs at an easy target; the hit count must be consistent with
 * the hashes done; energy from the sensors whose scope covers the kernel.
 * One results document per run, written so it is complete or absent. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench_engine.h"
#include "cli.h"
#include "hashjoule/atomic_file.h"
#include "hashjoule/energy.h"
#include "hashjoule/hashjoule.h"
#include "hashjoule/opencl.h"
#include "hashjoule/stats.h"
#include "machine_info.h"

#define BENCH_SCHEMA_VERSION 1
/* One hash in 2^16 meets the default target: about 15 hits per million
 * hashes, enough for the hit-count check to catch a kernel that skips even a
 * few percent of its nonces within one run, while re-verifying the hits on
 * the host stays far below 1% of the work for CPU kernels. */
#define DEFAULT_TARGET_HEX "0000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
/* A result fails when its hit count is this unlikely under the Poisson law
 * for the hashes it claims (either tail). */
#define HIT_CHECK_ALPHA 1e-6

static const char bench_usage[] =
    "usage: hashjoule bench [--kernel NAME[,NAME...]|auto|all] [--device ID[,ID...]|cpu|all|none]\n"
    "                       [--threads N[,N...]] [--seconds S] [--repetitions R] [--warmup S]\n"
    "                       [--idle-seconds S] [--power-watts W | --power-cmd 'CMD']\n"
    "                       [--target HEX64] [--out FILE|-] [--format json|csv|bmf] [--json] [--quiet]\n"
    "                       [--mpi [--mpi-split node|rank] [--mpi-timeout S]]\n"
    "\n"
    "Measure hashes per second and per joule. For every kernel and thread count:\n"
    "a self-test, a warm-up, then R timed repetitions, each scanning real nonces of\n"
    "random jobs at an easy target. Every hit is re-verified, and the number of\n"
    "hits must be consistent with the hashes counted, so a kernel that skips work\n"
    "fails. Energy comes from the sensors `hashjoule info` lists; a result whose\n"
    "energy cannot be measured says why.\n"
    "\n"
    "  --kernel LIST      kernels to run: names from `hashjoule info`, `auto` (the\n"
    "                     best CPU kernel) or `all` (every kernel that can run here).\n"
    "                     Default: the best CPU kernel and every available device\n"
    "  --device LIST      keep only these: `cpu` (CPU kernels), a device id P:D or a\n"
    "                     device kernel name; `all` (default) or `none` (CPU only)\n"
    "  --threads LIST     CPU worker counts (default: all physical cores, and 1)\n"
    "  --seconds S        length of one repetition (default 3)\n"
    "  --repetitions R    timed repetitions per kernel and thread count (default 5)\n"
    "  --warmup S         untimed warm-up before them (default 2)\n"
    "  --idle-seconds S   first measure S seconds of idle power, and report energy\n"
    "                     above idle too (default 0: no baseline)\n"
    "  --power-watts W    a constant wall power you measured (scope: wall)\n"
    "  --power-cmd CMD    a command printing the wall power, e.g. 'ipmitool dcmi power\n"
    "                     reading'; run every second (a number with W, kW or mW)\n"
    "  --target HEX64     the easy target (default 0000ffff...: one hit per 65536)\n"
    "  --out FILE         results file (default results/<host>-<date>-<time>.json;\n"
    "                     `-` writes to standard output only); never overwritten\n"
    "  --format F         json (default), csv, or bmf (Bencher Metric Format)\n"
    "  --json             print the JSON results document instead of the table\n"
    "  --quiet            no progress line\n"
    "  --mpi              benchmark a whole fleet at once: run under mpirun, one\n"
    "                     result file for all nodes from rank 0 (see README)\n"
    "  --mpi-split M      node (default): ranks sharing a node split its devices;\n"
    "                     rank: every rank is a node of its own\n"
    "  --mpi-timeout S    a rank silent this long counts as lost (default 120)\n"
    "\n"
    "Environment: HJ_SYSFS_ROOT (default /sys) and HJ_NVML_LIBRARY (default\n"
    "libnvidia-ml.so.1) say where the energy sensors are looked for.\n"
    "Exit status: 0 done; 2 bad input; 3 a kernel failed or the results could not\n"
    "be written; 130 interrupted (the finished repetitions are kept and saved).\n";

static volatile sig_atomic_t g_stop;
static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* --- the plan ------------------------------------------------------------------ */
typedef hj_bench_plan_item plan_item;

typedef struct rep_rec {
    uint64_t hashes, hits;
    double seconds, expected_hits;
    unsigned jobs;
    double *sensor_joules; /* per sensor */
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
} result_rec;

typedef struct bench_ctx {
    const hj_bench_args *args;
    const hj_bench_hooks *hooks; /* NULL: a single-machine run */
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

static hj_status split_list(const char *text, const char *what, char items[][96], size_t max, size_t *n, hj_error *err)
{
    *n = 0;
    const char *p = text;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0 || len >= 96)
            return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a comma-separated list of names", what, text);
        if (*n == max)
            return hj_fail(err, HJ_ERR_INPUT, "%s: more than %zu items", what, max);
        memcpy(items[*n], p, len);
        items[(*n)++][len] = '\0';
        if (!comma)
            return HJ_OK;
        p = comma + 1;
    }
}

/* "opencl:0:1" and "0:1" name the same device; a kernel matches an id when
 * its name is the id or ends with ":" + id. */
static bool kernel_matches_device(const hj_kernel *k, const char *id)
{
    size_t nl = strlen(k->name), il = strlen(id);
    if (strcmp(k->name, id) == 0)
        return true;
    return nl > il && k->name[nl - il - 1] == ':' && strcmp(k->name + nl - il, id) == 0;
}

static bool add_kernel(const hj_kernel **list, size_t *n, size_t max, const hj_kernel *k)
{
    for (size_t i = 0; i < *n; i++)
        if (list[i] == k)
            return true;
    if (*n == max)
        return false;
    list[(*n)++] = k;
    return true;
}

static hj_status build_plan(const char *kernel_arg, const char *device_arg, const char *threads_arg, plan_item **plan,
                            size_t *n_plan, json_t *skipped, hj_error *err)
{
    enum { MAXK = 256 };
    const hj_kernel *kernels[MAXK] = {0};
    size_t nk = 0;
    char why[256];
    size_t total = hj_kernel_count();

    if (!kernel_arg) {
        add_kernel(kernels, &nk, MAXK, hj_kernel_auto());
        for (size_t i = 0; i < total; i++) {
            const hj_kernel *k = hj_kernel_at(i);
            if (k->kind != HJ_KERNEL_DEVICE)
                continue;
            if (hj_kernel_available(k, why, sizeof why))
                add_kernel(kernels, &nk, MAXK, k);
            else
                json_array_append_new(skipped, json_pack("{s:s, s:s}", "kernel", k->name, "reason", why));
        }
    } else {
        char names[64][96];
        size_t nn;
        hj_status st = split_list(kernel_arg, "--kernel", names, 64, &nn, err);
        if (st != HJ_OK)
            return st;
        for (size_t j = 0; j < nn; j++) {
            if (strcmp(names[j], "auto") == 0) {
                add_kernel(kernels, &nk, MAXK, hj_kernel_auto());
            } else if (strcmp(names[j], "all") == 0) {
                for (size_t i = 0; i < total; i++) {
                    const hj_kernel *k = hj_kernel_at(i);
                    if (hj_kernel_available(k, why, sizeof why))
                        add_kernel(kernels, &nk, MAXK, k);
                    else
                        json_array_append_new(skipped, json_pack("{s:s, s:s}", "kernel", k->name, "reason", why));
                }
            } else {
                const hj_kernel *k = hj_kernel_find(names[j]);
                if (!k)
                    return hj_fail(err, HJ_ERR_INPUT, "--kernel: no kernel named '%s' (see hashjoule info)", names[j]);
                if (!hj_kernel_available(k, why, sizeof why))
                    return hj_fail(err, HJ_ERR_INPUT, "--kernel: %s cannot run on this machine: %s", k->name, why);
                add_kernel(kernels, &nk, MAXK, k);
            }
        }
    }

    if (device_arg && strcmp(device_arg, "all") != 0) {
        char ids[64][96];
        size_t ni;
        hj_status st = split_list(device_arg, "--device", ids, 64, &ni, err);
        if (st != HJ_OK)
            return st;
        bool keep_cpu = false;
        for (size_t j = 0; j < ni; j++) {
            if (strcmp(ids[j], "cpu") == 0) {
                keep_cpu = true;
                continue;
            }
            if (strcmp(ids[j], "none") == 0) {
                keep_cpu = true; /* no devices: the CPU kernels alone */
                continue;
            }
            bool known = false; /* the id must name a device kernel of this build */
            for (size_t i = 0; i < total; i++) {
                const hj_kernel *k = hj_kernel_at(i);
                known |= k->kind == HJ_KERNEL_DEVICE && kernel_matches_device(k, ids[j]);
            }
            if (!known)
                return hj_fail(err, HJ_ERR_INPUT,
                               "--device: no device '%s' (device kernels are listed by hashjoule info; use cpu, "
                               "all, none, an id P:D or a kernel name)",
                               ids[j]);
            /* A device named with no --kernel: its kernel joins the plan. */
            for (size_t i = 0; i < total; i++) {
                const hj_kernel *k = hj_kernel_at(i);
                if (!kernel_arg && k->kind == HJ_KERNEL_DEVICE && kernel_matches_device(k, ids[j])) {
                    if (!hj_kernel_available(k, why, sizeof why))
                        return hj_fail(err, HJ_ERR_INPUT, "--device %s: %s cannot run: %s", ids[j], k->name, why);
                    add_kernel(kernels, &nk, MAXK, k);
                }
            }
        }
        size_t w = 0;
        for (size_t i = 0; i < nk; i++) {
            bool keep = kernels[i]->kind == HJ_KERNEL_CPU ? keep_cpu : false;
            for (size_t j = 0; j < ni && !keep; j++)
                keep = kernels[i]->kind == HJ_KERNEL_DEVICE && kernel_matches_device(kernels[i], ids[j]);
            if (keep)
                kernels[w++] = kernels[i];
        }
        nk = w;
    }
    if (nk == 0)
        return hj_fail(err, HJ_ERR_INPUT, "nothing to run: --kernel and --device select no kernel that can run here");

    unsigned threads[64];
    size_t nt = 0;
    if (threads_arg) {
        char items[64][96];
        size_t n;
        hj_status st = split_list(threads_arg, "--threads", items, 64, &n, err);
        if (st != HJ_OK)
            return st;
        for (size_t j = 0; j < n; j++) {
            uint64_t v;
            if ((st = hj_cli_parse_u64(items[j], "--threads", 1, 1024, &v, err)) != HJ_OK)
                return st;
            bool dup = false;
            for (size_t i = 0; i < nt; i++)
                dup |= threads[i] == v;
            if (!dup)
                threads[nt++] = (unsigned)v;
        }
    } else {
        int cores = hj_topology_get()->cores;
        threads[nt++] = cores > 0 ? (unsigned)cores : 1;
        if (threads[0] != 1)
            threads[nt++] = 1;
    }

    /* nk, nt >= 1 here (split_list yields at least one item); never calloc(0), which may return NULL */
    size_t n_alloc = nk * nt;
    *plan = calloc(n_alloc ? n_alloc : 1, sizeof **plan);
    if (!*plan)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    *n_plan = 0;
    for (size_t i = 0; i < nk; i++) {
        if (kernels[i]->kind == HJ_KERNEL_DEVICE) {
            (*plan)[(*n_plan)++] = (plan_item){kernels[i], 1};
            continue;
        }
        for (size_t j = 0; j < nt; j++)
            (*plan)[(*n_plan)++] = (plan_item){kernels[i], threads[j]};
    }
    return HJ_OK;
}

/* --- device names and which sensors cover a kernel ----------------------------- */
void hj_bench_describe_kernel(const hj_kernel *k, char *device, size_t device_len, bool *runs_on_cpu, bool *is_gpu,
                              bool *single_device)
{
    *runs_on_cpu = *is_gpu = *single_device = false;
    if (k->kind == HJ_KERNEL_CPU) {
        const hj_cpu_info *ci = hj_cpu_info_get();
        snprintf(device, device_len, "%s", ci->brand[0] ? ci->brand : ci->vendor[0] ? ci->vendor : "CPU");
        *runs_on_cpu = *single_device = true;
        return;
    }
    snprintf(device, device_len, "%s", k->description);
    *is_gpu = true;
    hj_opencl_device_info *devs = NULL;
    size_t n = 0;
    char note[256];
    if (hj_opencl_enumerate(&devs, &n, note, sizeof note, NULL) != HJ_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        char id[48];
        snprintf(id, sizeof id, "%u:%u", devs[i].platform_index, devs[i].device_index);
        if (kernel_matches_device(k, id)) {
            snprintf(device, device_len, "%s", devs[i].name);
            *runs_on_cpu = strcmp(devs[i].type, "cpu") == 0;
            *is_gpu = strcmp(devs[i].type, "gpu") == 0;
            *single_device = true;
        }
    }
    free(devs);
}

static void describe_device(result_rec *r)
{
    bool single;
    hj_bench_describe_kernel(r->item.kernel, r->device, sizeof r->device, &r->runs_on_cpu, &r->is_gpu_device, &single);
}

static size_t count_opencl_gpus(void)
{
    hj_opencl_device_info *devs = NULL;
    size_t n = 0, gpus = 0;
    char note[256];
    if (hj_opencl_enumerate(&devs, &n, note, sizeof note, NULL) == HJ_OK)
        for (size_t i = 0; i < n; i++)
            gpus += strcmp(devs[i].type, "gpu") == 0;
    free(devs);
    return gpus;
}

/* The sensors whose one scope covers this result (indices into the set);
 * returns how many, or 0 with `why`. */
static size_t primary_sensors(const bench_ctx *c, const result_rec *r, int *idx, char *why, size_t why_len)
{
    const hj_energy_set *set = &c->sensors;
    size_t n = 0;
    for (size_t i = 0; i < set->n_sensors; i++)
        if (strcmp(set->sensors[i]->scope, HJ_SCOPE_WALL) == 0)
            idx[n++] = (int)i;
    if (n)
        return n; /* the wall covers everything the machine does */
    const char *want = r->runs_on_cpu ? HJ_SCOPE_CPU_PACKAGE : HJ_SCOPE_GPU_BOARD;
    if (r->runs_on_cpu) {
        for (size_t i = 0; i < set->n_sensors; i++)
            if (strcmp(set->sensors[i]->scope, want) == 0)
                idx[n++] = (int)i; /* every package: together they are the CPU */
    } else {
        size_t boards = 0;
        int only = -1;
        for (size_t i = 0; i < set->n_sensors; i++) {
            if (strcmp(set->sensors[i]->scope, want) != 0)
                continue;
            boards++;
            only = (int)i;
            if (strcasecmp(set->sensors[i]->device, r->device) == 0 ||
                (set->sensors[i]->device[0] && strcasestr(r->device, set->sensors[i]->device)) ||
                (r->device[0] && strcasestr(set->sensors[i]->device, r->device)))
                idx[n++] = (int)i;
        }
        if (n > 1)
            n = 0; /* two boards of the same name: which one is ambiguous */
        if (n == 0 && boards == 1 && r->is_gpu_device && count_opencl_gpus() == 1)
            idx[n++] = only; /* one GPU, one GPU sensor */
        if (n == 0 && boards > 0) {
            snprintf(why, why_len,
                     "cannot tell which of the %zu GPU sensors measures '%s'; give a wall reading "
                     "with --power-watts or --power-cmd",
                     boards, r->device);
            return 0;
        }
    }
    if (n)
        return n;
    /* Say why, from the notes of the sources that would have covered it. */
    size_t off = (size_t)snprintf(why, why_len, "no %s energy sensor: ", want);
    bool any = false;
    for (size_t i = 0; i < set->n_notes && off < why_len; i++) {
        const char *src = set->notes[i].source;
        bool relevant = r->runs_on_cpu ? strcmp(src, "powercap-rapl") == 0 || strcmp(src, "perf-power") == 0
                                       : strcmp(src, "nvml") == 0 || strcmp(src, "amdgpu-hwmon") == 0;
        if (!relevant)
            continue;
        off += (size_t)snprintf(why + off, why_len - off, "%s%s", any ? "; " : "", set->notes[i].text);
        any = true;
    }
    if (off < why_len && c->hooks && c->hooks->wall_not_used && c->hooks->wall_not_used[0])
        snprintf(why + off, why_len - off, "%s%s", any ? "; " : "", c->hooks->wall_not_used);
    else if (off < why_len)
        snprintf(why + off, why_len - off, "%sor give a wall reading with --power-watts W or --power-cmd 'CMD'",
                 any ? "; " : "");
    return 0;
}

/* --- progress line ----------------------------------------------------------------- */
void hj_bench_format_rate(double hps, char *out, size_t len)
{
    static const char *prefix[] = {"", "k", "M", "G", "T", "P"};
    int p = 0;
    while (hps >= 1000 && p < 5) {
        hps /= 1000;
        p++;
    }
    snprintf(out, len, "%.*f %sH/s", hps < 10 ? 2 : hps < 100 ? 1 : 0, hps, prefix[p]);
}

#define format_rate hj_bench_format_rate

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
        char watts[48] = "";
        pthread_mutex_lock(&c->plock);
        if (c->meter && c->p_n_sensors > 0) {
            hj_energy_meter_snapshot(c->meter, now, &t_now);
            double j = 0;
            for (size_t i = 0; i < c->p_n_sensors; i++)
                j += now[c->p_sensors[i]] - prev[c->p_sensors[i]];
            if (isfinite(j) && t_now > t_prev)
                snprintf(watts, sizeof watts, ", %.1f W", j / (t_now - t_prev));
            memcpy(prev, now, n * sizeof *now);
            t_prev = t_now;
        } else if (c->meter) {
            hj_energy_meter_snapshot(c->meter, prev, &t_prev);
        }
        char rate[32] = "";
        if (c->p_rate > 0) {
            rate[0] = ',';
            rate[1] = ' ';
            format_rate(c->p_rate, rate + 2, sizeof rate - 2);
        }
        double left = c->p_end - hj_monotonic_seconds();
        if (left < 0)
            left = 0;
        fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s%s%s, %d:%02d left", c->p_index, c->p_total, c->p_kernel, c->p_phase,
                rate, watts, (int)left / 60, (int)left % 60);
        fflush(stderr);
        pthread_mutex_unlock(&c->plock);
    }
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
    free(prev);
    free(now);
    return NULL;
}

static void progress_set(bench_ctx *c, const char *phase, double rate)
{
    if (!c->progress)
        return;
    pthread_mutex_lock(&c->plock);
    snprintf(c->p_phase, sizeof c->p_phase, "%s", phase);
    if (rate > 0)
        c->p_rate = rate;
    pthread_mutex_unlock(&c->plock);
}

/* --- running ------------------------------------------------------------------------ */
static hj_status new_job(bench_ctx *c, hj_job *job, hj_error *err)
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
    hj_job_init(job, header, &c->target);
    return HJ_OK;
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
        hj_status st = new_job(c, &job, err);
        if (st != HJ_OK)
            return st;
        (*jobs)++;
        hj_scan_result res;
        st = hj_scan_range(&job, 0, HJ_NONCE_SPACE, &opt, &res, err);
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

unsigned hj_bench_step_number(const hj_bench_args *a, size_t item, int rep)
{
    unsigned first = a->idle_seconds > 0 ? 1 : 0, warm = a->warmup > 0 ? 1 : 0;
    unsigned base = first + (unsigned)item * (warm + a->repetitions);
    return rep < 0 ? base : base + warm + (unsigned)rep;
}

/* The hook before a synchronised step (a warm-up when rep < 0); false when
 * the driver wants the run to stop, which then counts as an interruption. */
static bool step_begins(bench_ctx *c, int rep)
{
    if (!c->hooks || !c->hooks->before_step)
        return true;
    unsigned step = hj_bench_step_number(c->args, c->item_index, rep);
    progress_set(c, "waiting for the other ranks", 0);
    if (c->hooks->before_step(c->hooks->arg, step, c->item_kernel, c->item_threads))
        return true;
    g_stop = 1;
    return false;
}

static void run_item(bench_ctx *c, result_rec *r)
{
    hj_error err = {{0}};
    const plan_item *it = &r->item;
    size_t ns = c->sensors.n_sensors;
    progress_set(c, "self-test", 0);
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
        progress_set(c, "warm-up", 0);
        if (scan_for(c, it, c->warmup, &r->warm_hashes, &r->warm_hits, &jobs, &r->warm_seconds, &stopped, &err) !=
            HJ_OK) {
            r->failed = true;
            snprintf(r->error, sizeof r->error, "%s", err.message);
            return;
        }
        r->warm_expected = (double)r->warm_hashes * c->hit_probability;
        if (r->warm_seconds > 0)
            progress_set(c, "warm-up", (double)r->warm_hashes / r->warm_seconds);
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
        progress_set(c, phase, 0);
        rep_rec *rep = &r->reps[r->n_reps];
        if (!step_begins(c, (int)i)) {
            stopped = true;
            break;
        }
        if (c->meter)
            hj_energy_meter_snapshot(c->meter, e0, NULL);
        if (scan_for(c, it, c->seconds, &rep->hashes, &rep->hits, &rep->jobs, &rep->seconds, &stopped, &err) != HJ_OK) {
            r->failed = true;
            snprintf(r->error, sizeof r->error, "%s", err.message);
            break;
        }
        if (c->meter)
            hj_energy_meter_snapshot(c->meter, e1, NULL);
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
        r->n_reps++;
        progress_set(c, phase, rep->seconds > 0 ? (double)rep->hashes / rep->seconds : 0);
    }
    free(e0);
    free(e1);
    r->interrupted = stopped;
}

/* --- the document ------------------------------------------------------------------- */
static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *energy_json(const bench_ctx *c, const result_rec *r, const int *idx, size_t n_idx, uint64_t hashes,
                           double seconds, const char **reason_out, char *reason, size_t rlen)
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
                 joules, seconds);
        *reason_out = reason;
        return json_null();
    }
    json_t *names = json_array();
    for (size_t k = 0; k < n_idx; k++)
        json_array_append_new(names, json_string(set->sensors[idx[k]]->name));
    const hj_energy_sensor *s0 = set->sensors[idx[0]];
    json_t *e =
        json_pack("{s:s, s:s, s:o, s:f, s:f, s:f, s:f, s:f}", "scope", s0->scope, "source", s0->source, "sensors",
                  names, "joules", joules, "seconds", seconds, "mean_watts", joules / seconds, "hashes_per_joule",
                  (double)hashes / joules, "joules_per_terahash", joules / ((double)hashes / 1e12));
    if (strcmp(s0->source, "wall-constant") == 0)
        json_object_set_new(e, "note",
                            json_string("the stated constant power times the time: not measured by "
                                        "hashjoule"));
    double above = idle_ok ? joules - idle_w * seconds : NAN;
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

static json_t *result_json(const bench_ctx *c, const result_rec *r)
{
    size_t n = r->n_reps;
    double *rates = calloc(n ? n : 1, sizeof *rates);
    json_t *samples = json_array(), *reps = json_array();
    uint64_t hashes = 0, hits = r->warm_hits;
    double seconds = 0, expected = r->warm_expected;
    int idx[64];
    char why[2048] = "";
    size_t n_idx = primary_sensors(c, r, idx, why, sizeof why);
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
        json_array_append_new(reps, json_pack("{s:I, s:f, s:o, s:I, s:f, s:i}", "hashes", (json_int_t)p->hashes,
                                              "seconds", p->seconds, "joules", jnum(j), "hits", (json_int_t)p->hits,
                                              "expected_hits", p->expected_hits, "jobs", (int)p->jobs));
        hashes += p->hashes;
        seconds += p->seconds;
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
    free(rates);

    /* Hit-count check over the warm-up and the repetitions. */
    double p_le = 1, p_ge = 1;
    hj_poisson_tails(hits, expected, &p_le, &p_ge);
    bool plausible = p_le >= HIT_CHECK_ALPHA && p_ge >= HIT_CHECK_ALPHA;
    const char *status = r->failed ? "failed" : !plausible ? "failed" : r->interrupted ? "interrupted" : "ok";
    char error[1400];
    if (r->failed)
        snprintf(error, sizeof error, "%s", r->error);
    else if (!plausible)
        snprintf(error, sizeof error,
                 "implausible hit count: %llu hits where %.1f were expected for %llu hashes (Poisson P = %.3g): "
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
        energy = energy_json(c, r, idx, n_idx, hashes, seconds, &reason, reason_buf, sizeof reason_buf);
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
                                               "mean_watts", jnum(seconds > 0 ? j / seconds : NAN)));
    }

    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s?, s:i, s:o, s:o}", "kernel", r->item.kernel->name, "kind",
                          r->item.kernel->kind == HJ_KERNEL_CPU ? "cpu" : "device", "device", r->device, "threads",
                          (int)r->item.threads, "status", status, "error", (r->failed || !plausible) ? error : NULL,
                          "repetitions_planned", (int)c->repetitions, "hashes_per_second", hps, "repetitions", reps);
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
    return o;
}

static void iso_utc(time_t t, char *out, size_t len, bool for_file)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, for_file ? "%Y%m%d-%H%M%S" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *loadavg_json(void)
{
    double l[3];
    if (getloadavg(l, 3) != 3)
        return json_null();
    return json_pack("[f, f, f]", l[0], l[1], l[2]);
}

/* --- text, CSV and BMF views of the document ---------------------------------------- */
static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}
static double jreal(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static void print_table(json_t *doc, FILE *out)
{
    fprintf(out, "%-14s %7s  %-30s %12s  %-23s %6s  %-15s %-22s %s\n", "kernel", "threads", "device", "median",
            "min..max", "MAD", "hits/expected", "J/TH (scope)", "status");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        json_t *hc = json_object_get(r, "hit_check");
        char med[32] = "-", mn[32] = "", mx[32] = "", range[64] = "-", mad[16] = "-", jth[48] = "n/a", hits[40];
        if (json_is_object(h)) {
            format_rate(jreal(h, "median"), med, sizeof med);
            format_rate(jreal(h, "min"), mn, sizeof mn);
            format_rate(jreal(h, "max"), mx, sizeof mx);
            snprintf(range, sizeof range, "%s..%s", mn, mx);
            snprintf(mad, sizeof mad, "%.1f%%", 100 * jreal(h, "mad") / jreal(h, "median"));
        }
        if (json_is_object(e))
            snprintf(jth, sizeof jth, "%.4g (%s)", jreal(e, "joules_per_terahash"), jstr(e, "scope"));
        snprintf(hits, sizeof hits, "%lld/%.0f", (long long)json_integer_value(json_object_get(hc, "hits")),
                 jreal(hc, "expected_hits"));
        fprintf(out, "%-14s %7lld  %-30.30s %12s  %-23s %6s  %-15s %-22s %s\n", jstr(r, "kernel"),
                (long long)json_integer_value(json_object_get(r, "threads")), jstr(r, "device"), med, range, mad, hits,
                jth, jstr(r, "status"));
    }
    /* Footnotes: each distinct reason once. */
    json_t *seen = json_object();
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *err = jstr(r, "error"), *why = jstr(r, "energy_unavailable_reason");
        if (err[0])
            fprintf(out, "\n%s (%lld threads) FAILED: %s\n", jstr(r, "kernel"),
                    (long long)json_integer_value(json_object_get(r, "threads")), err);
        if (why[0] && !json_object_get(seen, why)) {
            json_object_set_new(seen, why, json_true());
            fprintf(out, "\nenergy unavailable for %s: %s\n", jstr(r, "kernel"), why);
        }
    }
    json_decref(seen);
    json_array_foreach(json_object_get(doc, "skipped"), i, r)
        fprintf(out, "skipped %s: %s\n", jstr(r, "kernel"), jstr(r, "reason"));
}

static void csv_field(FILE *f, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\n\r") != NULL;
    if (quote) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void csv_num(FILE *f, json_t *v, bool last)
{
    char buf[64] = "";
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_number(v))
        snprintf(buf, sizeof buf, "%.17g", json_number_value(v));
    csv_field(f, buf, last);
}

static void write_csv(json_t *doc, FILE *f)
{
    fputs("kernel,kind,device,threads,status,repetitions,median_hashes_per_second,min_hashes_per_second,"
          "max_hashes_per_second,mad_hashes_per_second,cv,hits,expected_hits,joules,hashes_per_joule,"
          "joules_per_terahash,energy_scope,energy_source,energy_unavailable_reason,date,host,git_commit\n",
          f);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        json_t *hc = json_object_get(r, "hit_check");
        csv_field(f, jstr(r, "kernel"), false);
        csv_field(f, jstr(r, "kind"), false);
        csv_field(f, jstr(r, "device"), false);
        csv_num(f, json_object_get(r, "threads"), false);
        csv_field(f, jstr(r, "status"), false);
        json_t *nrep = json_integer((json_int_t)json_array_size(json_object_get(r, "repetitions")));
        csv_num(f, nrep, false);
        json_decref(nrep);
        csv_num(f, json_object_get(h, "median"), false);
        csv_num(f, json_object_get(h, "min"), false);
        csv_num(f, json_object_get(h, "max"), false);
        csv_num(f, json_object_get(h, "mad"), false);
        csv_num(f, json_object_get(h, "cv"), false);
        csv_num(f, json_object_get(hc, "hits"), false);
        csv_num(f, json_object_get(hc, "expected_hits"), false);
        csv_num(f, json_object_get(e, "joules"), false);
        csv_num(f, json_object_get(e, "hashes_per_joule"), false);
        csv_num(f, json_object_get(e, "joules_per_terahash"), false);
        csv_field(f, jstr(e, "scope"), false);
        csv_field(f, jstr(e, "source"), false);
        csv_field(f, jstr(r, "energy_unavailable_reason"), false);
        csv_field(f, jstr(doc, "date"), false);
        csv_field(f, jstr(doc, "host"), false);
        csv_field(f, jstr(json_object_get(doc, "tool"), "git_commit"), true);
    }
}

/* Bencher Metric Format: {benchmark: {measure: {value, lower_value, upper_value}}}.
 * "throughput" is Bencher's built-in operations/second measure. */
static json_t *bmf_json(json_t *doc)
{
    json_t *bmf = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *h = json_object_get(r, "hashes_per_second"), *e = json_object_get(r, "energy");
        if (!json_is_object(h) || strcmp(jstr(r, "status"), "failed") == 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "hashjoule/%s/threads=%lld", jstr(r, "kernel"),
                 (long long)json_integer_value(json_object_get(r, "threads")));
        json_t *b = json_pack("{s:{s:f, s:f, s:f}}", "throughput", "value", jreal(h, "median"), "lower_value",
                              jreal(h, "min"), "upper_value", jreal(h, "max"));
        if (json_is_object(e)) {
            char measure[64];
            snprintf(measure, sizeof measure, "joules-per-terahash-%s", jstr(e, "scope"));
            json_object_set_new(b, measure, json_pack("{s:f}", "value", jreal(e, "joules_per_terahash")));
        }
        json_object_set_new(bmf, name, b);
    }
    return bmf;
}

static char *render(json_t *doc, const char *format, size_t *len)
{
    char *text = NULL;
    if (strcmp(format, "json") == 0) {
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    } else if (strcmp(format, "bmf") == 0) {
        json_t *b = bmf_json(doc);
        text = json_dumps(b, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        json_decref(b);
    } else {
        size_t n = 0;
        FILE *f = open_memstream(&text, &n);
        if (!f)
            return NULL;
        write_csv(doc, f);
        fclose(f);
        *len = n;
        return text;
    }
    if (text) {
        size_t n = strlen(text);
        char *grown = realloc(text, n + 2);
        if (!grown) {
            free(text);
            return NULL;
        }
        grown[n] = '\n';
        grown[n + 1] = '\0';
        text = grown;
        *len = n + 1;
    }
    return text;
}

/* --- the command ----------------------------------------------------------------------- */
enum {
    OPT_KERNEL = 256,
    OPT_DEVICE,
    OPT_THREADS,
    OPT_SECONDS,
    OPT_REPS,
    OPT_WARMUP,
    OPT_IDLE,
    OPT_WATTS,
    OPT_CMD,
    OPT_TARGET,
    OPT_OUT,
    OPT_FORMAT,
    OPT_JSON,
    OPT_QUIET,
    OPT_HELP,
    OPT_MPI,
    OPT_MPI_SPLIT,
    OPT_MPI_TIMEOUT
};

static const struct option bench_options[] = {
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"device", required_argument, NULL, OPT_DEVICE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"seconds", required_argument, NULL, OPT_SECONDS},
    {"repetitions", required_argument, NULL, OPT_REPS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"idle-seconds", required_argument, NULL, OPT_IDLE},
    {"power-watts", required_argument, NULL, OPT_WATTS},
    {"power-cmd", required_argument, NULL, OPT_CMD},
    {"target", required_argument, NULL, OPT_TARGET},
    {"out", required_argument, NULL, OPT_OUT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {"mpi", no_argument, NULL, OPT_MPI},
    {"mpi-split", required_argument, NULL, OPT_MPI_SPLIT},
    {"mpi-timeout", required_argument, NULL, OPT_MPI_TIMEOUT},
    {NULL, 0, NULL, 0},
};

static hj_status parse_seconds(const char *text, const char *what, double min, double max, double *out, hj_error *err)
{
    char *end;
    errno = 0;
    double v = text && *text ? strtod(text, &end) : NAN;
    if (!text || !*text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a number", what, text ? text : "");
    if (v < min || v > max)
        return hj_fail(err, HJ_ERR_INPUT, "%s: %s is out of range; expected %g..%g", what, text, min, max);
    *out = v;
    return HJ_OK;
}

hj_status hj_bench_parse_args(int argc, char **argv, hj_bench_args *a, hj_error *err)
{
    memset(a, 0, sizeof *a);
    a->format = "json";
    a->seconds = 3;
    a->warmup = 2;
    a->repetitions = 5;
    a->mpi_split = "node";
    a->mpi_timeout = 120;
    uint64_t reps = 5;
    hj_status st = HJ_OK;

    opterr = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "", bench_options, NULL)) != -1) {
        /* getopt_long sets optarg for every required_argument option; the
         * fallback only lets the analyzer see that no NULL reaches strcmp */
        const char *arg = optarg ? optarg : "";
        switch (opt) {
        case OPT_KERNEL: a->kernel = arg; break;
        case OPT_DEVICE: a->device = arg; break;
        case OPT_THREADS: a->threads = arg; break;
        case OPT_SECONDS: st = parse_seconds(arg, "--seconds", 0.01, 86400, &a->seconds, err); break;
        case OPT_REPS: st = hj_cli_parse_u64(arg, "--repetitions", 1, 10000, &reps, err); break;
        case OPT_WARMUP: st = parse_seconds(arg, "--warmup", 0, 86400, &a->warmup, err); break;
        case OPT_IDLE: st = parse_seconds(arg, "--idle-seconds", 0, 86400, &a->idle_seconds, err); break;
        case OPT_WATTS:
            st = parse_seconds(arg, "--power-watts", 1e-6, 1e9, &a->power_watts, err);
            a->watts_given = true;
            break;
        case OPT_CMD: a->power_cmd = arg; break;
        case OPT_TARGET: a->target_hex = arg; break;
        case OPT_OUT: a->out = arg; break;
        case OPT_FORMAT: a->format = arg; break;
        case OPT_JSON: a->json_out = true; break;
        case OPT_QUIET: a->quiet = true; break;
        case OPT_HELP: a->help = true; return HJ_OK;
        case OPT_MPI: a->mpi = true; break;
        case OPT_MPI_SPLIT: a->mpi_split = arg; break;
        case OPT_MPI_TIMEOUT: st = parse_seconds(arg, "--mpi-timeout", 1, 86400, &a->mpi_timeout, err); break;
        default:
            if (optopt && optopt < 256)
                return hj_fail(err, HJ_ERR_INPUT,
                               "option -%c: unknown or missing its value (see hashjoule bench "
                               "--help)",
                               optopt);
            return hj_fail(err, HJ_ERR_INPUT, "%s: unknown option or missing value (see hashjoule bench --help)",
                           argv[optind - 1] ? argv[optind - 1] : "?");
        }
        if (st != HJ_OK)
            return st;
    }
    a->repetitions = (unsigned)reps;
    if (optind < argc)
        return hj_fail(err, HJ_ERR_INPUT, "unexpected argument '%s' (see hashjoule bench --help)", argv[optind]);
    if (strcmp(a->format, "json") != 0 && strcmp(a->format, "csv") != 0 && strcmp(a->format, "bmf") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--format: '%s' is not json, csv or bmf", a->format);
    if (a->watts_given && a->power_cmd)
        return hj_fail(err, HJ_ERR_INPUT, "--power-watts and --power-cmd both given; use one wall reading");
    if (a->power_cmd && !*a->power_cmd)
        return hj_fail(err, HJ_ERR_INPUT, "--power-cmd: empty command");
    if (strcmp(a->mpi_split, "node") != 0 && strcmp(a->mpi_split, "rank") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--mpi-split: '%s' is not node or rank", a->mpi_split);
    if (a->mpi && strcmp(a->format, "json") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--format %s: a fleet result (--mpi) is written as json only", a->format);
    hj_target t;
    if (a->target_hex && (st = hj_target_from_hex(a->target_hex, &t, "--target", err)) != HJ_OK)
        return st;
    return HJ_OK;
}

hj_status hj_bench_build_plan(const hj_bench_args *a, hj_bench_plan_item **plan, size_t *n_plan, json_t *skipped,
                              hj_error *err)
{
    return build_plan(a->kernel, a->device, a->threads, plan, n_plan, skipped, err);
}

void hj_bench_iso_utc(long t, char *out, size_t len, bool for_file) { iso_utc((time_t)t, out, len, for_file); }

char *hj_bench_dump_json(json_t *doc, size_t *len) { return render(doc, "json", len); }

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

hj_status hj_bench_measure(const hj_bench_args *a, const hj_bench_plan_item *plan, size_t n_plan, json_t *skipped,
                           const hj_bench_hooks *hooks, json_t **doc_out, bool *interrupted_out, bool *any_failed_out,
                           hj_error *err)
{
    const double seconds = a->seconds, warmup = a->warmup, idle = a->idle_seconds;
    const unsigned reps = a->repetitions;
    hj_status st;
    *doc_out = NULL;
    *interrupted_out = *any_failed_out = false;

    bench_ctx c;
    memset(&c, 0, sizeof c);
    c.args = a;
    c.hooks = hooks;
    c.seconds = seconds;
    c.warmup = warmup;
    c.repetitions = reps;
    if ((st = hj_target_from_hex(a->target_hex ? a->target_hex : DEFAULT_TARGET_HEX, &c.target, "--target", err)) !=
        HJ_OK) {
        json_decref(skipped);
        return st;
    }
    c.hit_probability = hj_target_probability(c.target.le);

    time_t started = time(NULL);
    char date[32], host[256] = "unknown";
    iso_utc(started, date, sizeof date, false);
    gethostname(host, sizeof host - 1);

    bool wall_used = !(hooks && hooks->wall_not_used && hooks->wall_not_used[0]);
    hj_energy_options eopt = {.wall_watts = wall_used ? a->power_watts : 0,
                              .wall_command = wall_used ? a->power_cmd : NULL};
    if ((st = hj_energy_discover(&eopt, &c.sensors, err)) != HJ_OK) {
        json_decref(skipped);
        return st;
    }

    if (c.sensors.n_sensors && hj_energy_meter_start(&c.sensors, &c.meter, err) != HJ_OK) {
        fprintf(stderr, "hashjoule bench: energy not measured: %s\n", err->message);
        c.meter = NULL;
    }

    json_t *doc = json_object();
    json_t *load_start = loadavg_json();
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
            if (!a->quiet && isatty(STDERR_FILENO))
                fprintf(stderr, "measuring idle power for %.0f s...\n", idle);
            hj_energy_meter_snapshot(c.meter, ea, &ta);
            while (!g_stop && hj_monotonic_seconds() - ta < idle) {
                struct timespec ts = {0, 50L * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
            hj_energy_meter_snapshot(c.meter, eb, &tb);
            for (size_t i = 0; i < ns; i++)
                c.idle_watts[i] = strcmp(c.sensors.sensors[i]->source, "wall-constant") == 0 || g_stop
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
    c.progress = !a->quiet && isatty(STDERR_FILENO);
    pthread_mutex_init(&c.plock, NULL);
    c.p_total = n_plan;
    c.p_end = hj_monotonic_seconds() + (double)n_plan * (warmup + seconds * (double)reps);
    g_progress_stop = 0;
    /* a local flag, so the join below is visibly paired with a successful create */
    bool progress_started = c.progress && pthread_create(&progress_thread, NULL, progress_main, &c) == 0;
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
        c.p_index = i + 1;
        c.p_rate = 0;
        c.p_n_sensors = primary_sensors(&c, r, idx, why, sizeof why);
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
    if (progress_started) {
        g_progress_stop = 1;
        pthread_join(progress_thread, NULL);
    }
    double duration = hj_monotonic_seconds() - t_run0;
    bool interrupted = g_stop != 0;

    /* The document. */
    json_object_set_new(doc, "schema_version", json_integer(BENCH_SCHEMA_VERSION));
    json_object_set_new(doc, "tool",
                        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", "hashjoule", "version", hj_version(),
                                  "git_commit", hj_git_commit(), "compiler", hj_build_compiler(), "c_flags",
                                  hj_build_flags(), "build_type", hj_build_type()));
    json_object_set_new(doc, "date", json_string(date));
    json_object_set_new(doc, "host", json_string(host));
    json_object_set_new(doc, "interrupted", json_boolean(interrupted));
    json_object_set_new(doc, "duration_seconds", json_real(duration));
    json_t *machine = hj_machine_info_json();
    if (!machine)
        machine = json_object();
    json_object_set_new(machine, "energy", hj_energy_set_json(&c.sensors));
    json_object_set_new(doc, "machine", machine);
    char target_text[65];
    hj_target_to_hex(&c.target, target_text);
    json_t *plan_json = json_array();
    for (size_t i = 0; i < n_plan; i++)
        json_array_append_new(plan_json,
                              json_pack("{s:s, s:i}", "kernel", plan[i].kernel->name, "threads", (int)plan[i].threads));
    json_t *idle_json = json_null();
    if (c.idle_watts) {
        idle_json = json_object();
        for (size_t i = 0; i < c.sensors.n_sensors; i++)
            json_object_set_new(idle_json, c.sensors.sensors[i]->name, jnum(c.idle_watts[i]));
    }
    json_object_set_new(
        doc, "protocol",
        json_pack("{s:f, s:i, s:f, s:s, s:f, s:f, s:o, s:f, s:s, s:s, s:o}", "seconds", seconds, "repetitions",
                  (int)reps, "warmup_seconds", warmup, "target", target_text, "hit_probability", c.hit_probability,
                  "hit_check_alpha", HIT_CHECK_ALPHA, "idle_watts", idle_json, "idle_seconds", c.idle_seconds, "job",
                  "a fresh random 80-byte header per repetition (and whenever its 2^32 nonces are done), "
                  "scanned from nonce 0",
                  "clock", "CLOCK_MONOTONIC; a repetition's seconds include switching jobs", "plan", plan_json));
    json_object_set_new(doc, "conditions",
                        json_pack("{s:o, s:o}", "load_average_start", load_start, "load_average_end", loadavg_json()));
    json_t *res_json = json_array();
    bool any_failed = false;
    for (size_t i = 0; i < n_results; i++) {
        json_t *rj = result_json(&c, &results[i]);
        any_failed |= strcmp(jstr(rj, "status"), "failed") == 0;
        json_array_append_new(res_json, rj);
    }
    json_object_set_new(doc, "results", res_json);
    json_object_set_new(doc, "skipped", skipped);

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

int hj_cmd_bench(int argc, char **argv)
{
    hj_bench_args a;
    hj_error err;
    hj_status st;
    if ((st = hj_bench_parse_args(argc, argv, &a, &err)) != HJ_OK) {
        /* Under --mpi a rank with a bad option still joins the fleet, which
         * reports it by name, rather than leave the others waiting. */
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--mpi") == 0)
                return hj_bench_mpi_main(&a, err.message);
        return hj_cli_fail_err("bench", st, &err);
    }
    if (a.help) {
        fputs(bench_usage, stdout);
        return 0;
    }
    if (a.mpi)
        return hj_bench_mpi_main(&a, NULL);
    const char *format = a.format, *out_arg = a.out;

    json_t *skipped = json_array();
    plan_item *plan = NULL;
    size_t n_plan = 0;
    if ((st = hj_bench_build_plan(&a, &plan, &n_plan, skipped, &err)) != HJ_OK) {
        json_decref(skipped);
        return hj_cli_fail_err("bench", st, &err);
    }

    /* Where the result goes: checked now, not after a long run. */
    time_t started = time(NULL);
    char stamp[32], host[256] = "unknown";
    iso_utc(started, stamp, sizeof stamp, true);
    gethostname(host, sizeof host - 1);
    bool to_stdout = out_arg && strcmp(out_arg, "-") == 0;
    hj_atomic_file file = {.fd = -1};
    bool made_results_dir = false; /* removed again (if still empty) when nothing is saved */
    if (!to_stdout) {
        char path[4096];
        bool unique = out_arg == NULL;
        if (out_arg) {
            snprintf(path, sizeof path, "%s", out_arg);
        } else {
            char safe[256];
            snprintf(safe, sizeof safe, "%s", host);
            for (char *p = safe; *p; p++)
                if (*p == '/' || *p == ' ' || *p == '\\')
                    *p = '_';
            made_results_dir = mkdir("results", 0755) == 0;
            if (!made_results_dir && errno != EEXIST) {
                free(plan);
                json_decref(skipped);
                return hj_cli_fail("bench", HJ_ERR_RUNTIME, "cannot create the results directory ./results: %s",
                                   strerror(errno));
            }
            snprintf(path, sizeof path, "results/%s-%s.%s", safe, stamp, strcmp(format, "csv") == 0 ? "csv" : "json");
        }
        if ((st = hj_atomic_file_begin(&file, path, unique, out_arg ? "--out" : "results file", &err)) != HJ_OK) {
            if (made_results_dir)
                rmdir("results");
            free(plan);
            json_decref(skipped);
            return hj_cli_fail_err("bench", st, &err);
        }
    }

    hj_bench_install_signals();
    json_t *doc = NULL;
    bool interrupted = false, any_failed = false;
    st = hj_bench_measure(&a, plan, n_plan, skipped, NULL, &doc, &interrupted, &any_failed, &err);
    free(plan);
    if (st != HJ_OK) {
        hj_bench_restore_signals();
        hj_atomic_file_abort(&file);
        if (made_results_dir)
            rmdir("results");
        return hj_cli_fail_err("bench", st, &err);
    }

    int rc = 0;
    size_t len = 0;
    char *text = render(doc, format, &len);
    if (!text) {
        rc = hj_cli_fail("bench", HJ_ERR_RUNTIME, "could not serialize the results");
        hj_atomic_file_abort(&file);
    } else if (to_stdout) {
        fwrite(text, 1, len, stdout);
    } else if ((st = hj_atomic_file_commit(&file, text, len, &err)) != HJ_OK) {
        rc = hj_cli_fail_err("bench", st, &err);
        if (made_results_dir)
            rmdir("results");
    }
    if (!to_stdout) {
        if (a.json_out) {
            char *j = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
            if (j)
                puts(j);
            free(j);
        } else {
            print_table(doc, stdout);
        }
        if (rc == 0)
            fprintf(a.json_out ? stderr : stdout, "%sresults: %s\n", a.json_out ? "hashjoule bench: " : "\n",
                    file.final_path);
    }
    free(text);

    if (rc == 0 && interrupted) {
        fprintf(stderr, "hashjoule bench: interrupted; the %zu finished result(s) were kept and marked\n",
                json_array_size(json_object_get(doc, "results")));
        rc = HJ_EXIT_INTERRUPTED;
    } else if (rc == 0 && any_failed) {
        fprintf(stderr, "hashjoule bench: a kernel FAILED (see the table)\n");
        rc = HJ_ERR_RUNTIME;
    }
    hj_bench_restore_signals();
    json_decref(doc);
    return rc;
}
