/* `hashjoule bench`: its options and the command. The command checks where
 * the results go before the run, runs the protocol of src/bench/ (plan,
 * protocol, results document) and writes the document, complete or absent,
 * as json, csv or bmf, printing the table (or the JSON) as it goes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bench_mpi.h"
#include "bench_progress.h"
#include "cli.h"
#include "hashjoule/bench.h"
#include "hashjoule/hashjoule.h"

static const char bench_usage[] =
    "usage: hashjoule bench [--kernel NAME[,NAME...]|auto|all] [--device ID[,ID...]|cpu|all|none]\n"
    "                       [--threads N[,N...]] [--versions N[,N...]|best] [--seconds S]\n"
    "                       [--repetitions R] [--warmup S]\n"
    "                       [--idle-seconds S] [--power-watts W | --power-cmd 'CMD'] [--wait-quiet S]\n"
    "                       [--target HEX64] [--out FILE|-] [--format json|csv|bmf] [--json] [--quiet]\n"
    "                       [--mpi [--mpi-split node|rank] [--mpi-timeout S]]\n"
    "\n"
    "Measure hashes per second and per joule. For every kernel, thread count and\n"
    "version count:\n"
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
    "  --versions LIST    version rolling (BIP 320): how many versions each job\n"
    "                     crosses with its nonces, as ASICs roll them; 1 is the\n"
    "                     header's own version only; best (default) is each\n"
    "                     kernel's measured best (1 for kernels without a\n"
    "                     version-rolling form). Hashes count versions x nonces\n"
    "  --seconds S        length of one repetition (default 3)\n"
    "  --repetitions R    timed repetitions per kernel and thread count (default 5)\n"
    "  --warmup S         untimed warm-up before them (default 2)\n"
    "  --idle-seconds S   first measure S seconds of idle power, and report energy\n"
    "                     above idle too (default 0: no baseline)\n"
    "  --wait-quiet S     first wait up to S seconds for the machine to be quiet\n"
    "                     (other processes below 10 % of a CPU for 1.5 s); if it\n"
    "                     never is, run anyway and say so\n"
    "  --power-watts W    a constant wall power you measured (scope: wall)\n"
    "  --power-cmd CMD    a command printing the wall power, e.g. 'ipmitool dcmi power\n"
    "                     reading'; run every second (a number with W, kW or mW)\n"
    "  --target HEX64     the easy target (default 0000ffff...: one hit per 65536)\n"
    "  --out FILE         results file, never overwritten; `-` writes to standard\n"
    "                     output only. Default: a new <host>-<date>-<time>.json in\n"
    "                     $XDG_DATA_HOME/hashjoule/results/ (~/.local/share/hashjoule/\n"
    "                     results/ when XDG_DATA_HOME is not set); the path is printed\n"
    "  --format F         json (default), csv, or bmf (Bencher Metric Format)\n"
    "  --json             print the JSON results document instead of the table\n"
    "  --quiet            no progress line\n"
    "  --mpi              benchmark a whole fleet at once: run under mpirun, one\n"
    "                     result file for all nodes from rank 0 (docs/mpi.md)\n"
    "  --mpi-split M      node (default): ranks sharing a node split its devices;\n"
    "                     rank: every rank is a node of its own\n"
    "  --mpi-timeout S    a rank silent this long counts as lost (default 120)\n"
    "\n"
    "Environment: HJ_SYSFS_ROOT (default /sys) and HJ_NVML_LIBRARY (default\n"
    "libnvidia-ml.so.1) say where the energy sensors are looked for;\n"
    "XDG_DATA_HOME (or HOME) where results go without --out.\n"
    "Exit status: 0 done; 2 bad input; 3 a kernel failed or the results could not\n"
    "be written; 130 interrupted (the finished repetitions are kept and saved).\n";

/* The command line of `hashjoule bench`, parsed (strings point into argv). */
typedef struct bench_args {
    hj_bench_options opt;
    const char *out, *format;
    bool json_out, quiet, help, version;
    bool mpi;
    hj_bench_mpi_options mpi_opt;
} bench_args;

/* --- the command ----------------------------------------------------------------------- */
enum {
    OPT_KERNEL = 256,
    OPT_DEVICE,
    OPT_THREADS,
    OPT_VERSIONS,
    OPT_SECONDS,
    OPT_REPS,
    OPT_WARMUP,
    OPT_IDLE,
    OPT_WAIT_QUIET,
    OPT_WATTS,
    OPT_CMD,
    OPT_TARGET,
    OPT_OUT,
    OPT_FORMAT,
    OPT_JSON,
    OPT_QUIET,
    OPT_HELP,
    OPT_VERSION,
    OPT_MPI,
    OPT_MPI_SPLIT,
    OPT_MPI_TIMEOUT
};

static const struct option bench_options[] = {
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"device", required_argument, NULL, OPT_DEVICE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"versions", required_argument, NULL, OPT_VERSIONS},
    {"seconds", required_argument, NULL, OPT_SECONDS},
    {"repetitions", required_argument, NULL, OPT_REPS},
    {"warmup", required_argument, NULL, OPT_WARMUP},
    {"idle-seconds", required_argument, NULL, OPT_IDLE},
    {"wait-quiet", required_argument, NULL, OPT_WAIT_QUIET},
    {"power-watts", required_argument, NULL, OPT_WATTS},
    {"power-cmd", required_argument, NULL, OPT_CMD},
    {"target", required_argument, NULL, OPT_TARGET},
    {"out", required_argument, NULL, OPT_OUT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"mpi", no_argument, NULL, OPT_MPI},
    {"mpi-split", required_argument, NULL, OPT_MPI_SPLIT},
    {"mpi-timeout", required_argument, NULL, OPT_MPI_TIMEOUT},
    {NULL, 0, NULL, 0},
};

static hj_status parse_args(int argc, char **argv, bench_args *a, hj_error *err)
{
    memset(a, 0, sizeof *a);
    hj_bench_options_default(&a->opt);
    a->format = "json";
    a->mpi_opt.split = "node";
    a->mpi_opt.timeout_seconds = 120;
    uint64_t reps = a->opt.repetitions;
    const char *target_hex = NULL;
    hj_status st = HJ_OK;

    opterr = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "hV", bench_options, NULL)) != -1) {
        /* getopt_long sets optarg for every required_argument option; the
         * fallback only lets the analyzer see that no NULL reaches strcmp */
        const char *arg = optarg ? optarg : "";
        switch (opt) {
        case OPT_KERNEL: a->opt.kernel = arg; break;
        case OPT_DEVICE: a->opt.device = arg; break;
        case OPT_THREADS: a->opt.threads = arg; break;
        case OPT_VERSIONS: a->opt.versions = arg; break;
        case OPT_SECONDS: st = hj_parse_double(arg, "--seconds", 0.01, 86400, &a->opt.seconds, err); break;
        case OPT_REPS: st = hj_parse_u64(arg, "--repetitions", 1, 10000, &reps, err); break;
        case OPT_WARMUP: st = hj_parse_double(arg, "--warmup", 0, 86400, &a->opt.warmup, err); break;
        case OPT_IDLE: st = hj_parse_double(arg, "--idle-seconds", 0, 86400, &a->opt.idle_seconds, err); break;
        case OPT_WAIT_QUIET:
            st = hj_parse_double(arg, "--wait-quiet", 0, 86400, &a->opt.wait_quiet_seconds, err);
            break;
        case OPT_WATTS:
            st = hj_parse_double(arg, "--power-watts", 1e-6, 1e9, &a->opt.power_watts, err);
            a->opt.watts_given = true;
            break;
        case OPT_CMD: a->opt.power_cmd = arg; break;
        case OPT_TARGET: target_hex = arg; break;
        case OPT_OUT: a->out = arg; break;
        case OPT_FORMAT: a->format = arg; break;
        case OPT_JSON: a->json_out = true; break;
        case OPT_QUIET: a->quiet = true; break;
        case 'h':
        case OPT_HELP: a->help = true; return HJ_OK;
        case 'V':
        case OPT_VERSION: a->version = true; return HJ_OK;
        case OPT_MPI: a->mpi = true; break;
        case OPT_MPI_SPLIT: a->mpi_opt.split = arg; break;
        case OPT_MPI_TIMEOUT:
            st = hj_parse_double(arg, "--mpi-timeout", 1, 86400, &a->mpi_opt.timeout_seconds, err);
            break;
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
    a->opt.repetitions = (unsigned)reps;
    if (optind < argc)
        return hj_fail(err, HJ_ERR_INPUT, "unexpected argument '%s' (see hashjoule bench --help)", argv[optind]);
    if (strcmp(a->format, "json") != 0 && strcmp(a->format, "csv") != 0 && strcmp(a->format, "bmf") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--format: '%s' is not json, csv or bmf", a->format);
    if (a->opt.watts_given && a->opt.power_cmd)
        return hj_fail(err, HJ_ERR_INPUT, "--power-watts and --power-cmd both given; use one wall reading");
    if (a->opt.power_cmd && !*a->opt.power_cmd)
        return hj_fail(err, HJ_ERR_INPUT, "--power-cmd: empty command");
    if (strcmp(a->mpi_opt.split, "node") != 0 && strcmp(a->mpi_opt.split, "rank") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--mpi-split: '%s' is not node or rank", a->mpi_opt.split);
    if (a->mpi && strcmp(a->format, "json") != 0)
        return hj_fail(err, HJ_ERR_INPUT, "--format %s: a fleet result (--mpi) is written as json only", a->format);
    if (target_hex && (st = hj_target_from_hex(target_hex, &a->opt.target, "--target", err)) != HJ_OK)
        return st;
    a->mpi_opt.out = a->out;
    a->mpi_opt.json_out = a->json_out;
    return HJ_OK;
}

int hj_cmd_bench(int argc, char **argv)
{
    bench_args a;
    hj_error err;
    hj_status st;
    if ((st = parse_args(argc, argv, &a, &err)) != HJ_OK) {
        /* Under --mpi a rank with a bad option still joins the fleet, which
         * reports it by name, rather than leave the others waiting. */
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--mpi") == 0)
                return hj_bench_mpi_main(&a.opt, &a.mpi_opt, err.message);
        return hj_cli_fail_err("bench", st, &err);
    }
    if (a.help) {
        fputs(bench_usage, stdout);
        return 0;
    }
    if (a.version)
        return hj_cli_print_version();
    if (a.mpi)
        return hj_bench_mpi_main(&a.opt, &a.mpi_opt, NULL);

    json_t *skipped = json_array();
    hj_bench_plan_item *plan = NULL;
    size_t n_plan = 0;
    if ((st = hj_bench_build_plan(&a.opt, &plan, &n_plan, skipped, &err)) != HJ_OK) {
        json_decref(skipped);
        return hj_cli_fail_err("bench", st, &err);
    }

    for (size_t i = 0; i < n_plan; i++) {
        bool seen = false; /* once per thread count */
        for (size_t j = 0; j < i; j++)
            seen |= plan[j].threads == plan[i].threads;
        if (!seen && plan[i].kernel->kind == HJ_KERNEL_CPU)
            hj_cli_warn_oversubscribed("bench", plan[i].threads);
    }

    /* Where the result goes: checked now, not after a long run. */
    hj_results_writer writer;
    if ((st = hj_results_writer_open(&writer, a.out, "", a.format, (long)time(NULL), &err)) != HJ_OK) {
        free(plan);
        json_decref(skipped);
        return hj_cli_fail_err("bench", st, &err);
    }

    hj_bench_hooks hooks;
    hj_cli_bench_hooks(&hooks, a.quiet);
    hj_bench_install_signals();
    json_t *doc = NULL;
    bool interrupted = false, any_failed = false;
    st = hj_bench_measure(&a.opt, plan, n_plan, skipped, &hooks, &doc, &interrupted, &any_failed, &err);
    free(plan);
    if (st != HJ_OK) {
        hj_bench_restore_signals();
        hj_results_writer_abort(&writer);
        return hj_cli_fail_err("bench", st, &err);
    }

    int rc = 0;
    if ((st = hj_results_writer_commit(&writer, doc, &err)) != HJ_OK)
        rc = hj_cli_fail_err("bench", st, &err);
    if (!writer.to_stdout) {
        if (a.json_out) {
            hj_error perr;
            hj_bench_print_json(doc, stdout, &perr); /* the file is written; only the echo would be missing */
        } else {
            hj_bench_print_table(doc, stdout);
        }
        if (rc == 0)
            fprintf(a.json_out ? stderr : stdout, "%sresults: %s\n", a.json_out ? "hashjoule bench: " : "\n",
                    hj_results_writer_path(&writer));
    }

    /* a noisy result is said where it cannot be missed, whatever stdout carries */
    hj_bench_print_noise(doc, stderr, "hashjoule bench: ");
    if (rc == 0 && interrupted) {
        fprintf(stderr, "hashjoule bench: interrupted; the %zu finished result(s) were kept and marked\n",
                json_array_size(json_object_get(doc, "results")));
        rc = HJ_EXIT_INTERRUPTED;
    } else if (rc == 0 && any_failed) {
        fprintf(stderr, "hashjoule bench: a kernel FAILED (see the table)\n");
        rc = HJ_EXIT_RUNTIME;
    }
    hj_bench_restore_signals();
    json_decref(doc);
    return rc;
}
