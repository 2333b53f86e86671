/* `hashjoule scan`: scan a nonce range of one header and print every hit. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hashjoule/hashjoule.h"

static const char scan_usage[] = "usage: hashjoule scan --header HEX [--start N] [--count M]\n"
                                 "                      [--bits 0xXXXXXXXX | --target HEX64] [--kernel NAME]\n"
                                 "                      [--threads N] [--wrap] [--max-hits N] [--json]\n"
                                 "                      [--versions N] [--version-start S]\n"
                                 "                      [--device P:D|all] [--launch-ms MS] [--local-size N]\n"
                                 "\n"
                                 "Scan nonces [N, N+M) of an 80-byte header (its own nonce is replaced) and\n"
                                 "print every nonce whose SHA-256d meets the target, re-verified with the\n"
                                 "reference implementation.\n"
                                 "\n"
                                 "  --header HEX     the header, 160 hex digits (required)\n"
                                 "  --start N        first nonce (default 0); decimal or 0x-hex\n"
                                 "  --count M        number of nonces, 1..4294967296 (default: to the end of\n"
                                 "                   the nonce space, 2^32 - N)\n"
                                 "  --bits B         target as compact bits, hex (default: the header's own bits)\n"
                                 "  --target HEX64   target as 64 hex digits, most significant first; a hit is a\n"
                                 "                   hash that, in display order, is <= it\n"
                                 "  --kernel NAME    a kernel from `hashjoule info`, or auto (default: the fastest\n"
                                 "                   this machine can run)\n"
                                 "  --threads N      worker threads for CPU kernels (default: one per physical core)\n"
                                 "  --wrap           allow the range to run past 4294967295 and continue at 0\n"
                                 "  --max-hits N     refuse to store more hits than this (default 1048576)\n"
                                 "  --json           one JSON object instead of text\n"
                                 "Version rolling (BIP 320; the header's version must have the BIP 9 top bits 001):\n"
                                 "  --versions N     also roll the version: scan N versions, the header's with bits\n"
                                 "                   13..28 replaced by S..S+N-1, each crossed with the nonce range\n"
                                 "                   (1..65536; default: no rolling, the header's own version)\n"
                                 "  --version-start S\n"
                                 "                   the first value of bits 13..28, 0..65535, S + N <= 65536\n"
                                 "                   (default: the header's own, so --versions 1 scans it as it is)\n"
                                 "OpenCL (--kernel opencl, or opencl:P:D as `hashjoule info` lists them):\n"
                                 "  --device P:D     platform P, device D; `all` splits the range over every\n"
                                 "                   device (default: the first that can run, GPUs first)\n"
                                 "  --launch-ms MS   device time per launch, 1..10000 (default 75)\n"
                                 "  --local-size N   work-group size (default: measured at first use)\n"
                                 "\n"
                                 "Text output: one line per hit, `nonce=<decimal> hash=<64 hex>`, in range order;\n"
                                 "then one `thread=...` line per worker and a `summary ...` line. With --versions\n"
                                 "or --version-start, hits are in (version, nonce) order, each line ends with\n"
                                 "` version=0x<8 hex>`, the summary with ` versions=N`, and hashes counts\n"
                                 "versions x nonces.\n"
                                 "Exit status: 0 done, 2 bad input, 3 runtime failure, 130 interrupted (Ctrl-C).\n";

static volatile sig_atomic_t g_interrupted;
static void on_sigint(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

enum {
    OPT_HEADER = 256,
    OPT_START,
    OPT_COUNT,
    OPT_BITS,
    OPT_TARGET,
    OPT_KERNEL,
    OPT_THREADS,
    OPT_WRAP,
    OPT_MAX_HITS,
    OPT_JSON,
    OPT_HELP,
    OPT_VERSION,
    OPT_DEVICE,
    OPT_LAUNCH_MS,
    OPT_LOCAL_SIZE,
    OPT_VERSIONS,
    OPT_VERSION_START
};

static const struct option scan_options[] = {
    {"header", required_argument, NULL, OPT_HEADER},
    {"start", required_argument, NULL, OPT_START},
    {"count", required_argument, NULL, OPT_COUNT},
    {"bits", required_argument, NULL, OPT_BITS},
    {"target", required_argument, NULL, OPT_TARGET},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"wrap", no_argument, NULL, OPT_WRAP},
    {"max-hits", required_argument, NULL, OPT_MAX_HITS},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"device", required_argument, NULL, OPT_DEVICE},
    {"launch-ms", required_argument, NULL, OPT_LAUNCH_MS},
    {"local-size", required_argument, NULL, OPT_LOCAL_SIZE},
    {"versions", required_argument, NULL, OPT_VERSIONS},
    {"version-start", required_argument, NULL, OPT_VERSION_START},
    {NULL, 0, NULL, 0},
};

/* A rolled job (--versions or --version-start given): each hit names its version too. */
static void print_text(const hj_scan_result *r, const hj_job *job)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        char hex[65];
        hj_hash_to_display_hex(r->hits[i].hash, hex);
        if (job->rolled)
            printf("nonce=%u hash=%s version=0x%08x\n", r->hits[i].nonce, hex, r->hits[i].version);
        else
            printf("nonce=%u hash=%s\n", r->hits[i].nonce, hex);
    }
    for (unsigned i = 0; i < r->n_threads; i++) {
        const hj_thread_report *t = &r->threads[i];
        printf("thread=%u core=%d pu=%d hashes=%llu seconds=%.6f hashes_per_second=%.0f\n", i, t->core, t->pu,
               (unsigned long long)t->hashes, t->seconds, t->seconds > 0 ? (double)t->hashes / t->seconds : 0.0);
    }
    printf("summary hashes=%llu seconds=%.6f hashes_per_second=%.0f hits=%llu candidates=%llu kernel=%s "
           "threads=%u complete=%s",
           (unsigned long long)r->hashes, r->seconds, r->seconds > 0 ? (double)r->hashes / r->seconds : 0.0,
           (unsigned long long)r->hits_total, (unsigned long long)r->candidates, r->kernel->name, r->n_threads,
           r->complete      ? "yes"
           : r->interrupted ? "no (interrupted)"
                            : "no");
    if (job->rolled)
        printf(" versions=%u", job->n_versions);
    putchar('\n');
}

static int print_json(const hj_scan_result *r, uint32_t start, uint64_t count, const hj_job *job)
{
    char target_hex[65];
    hj_target_to_hex(&job->target, target_hex);
    json_t *found = json_array(), *threads = json_array();
    for (size_t i = 0; i < r->n_hits; i++) {
        char hex[65], version_hex[9];
        hj_hash_to_display_hex(r->hits[i].hash, hex);
        json_t *hit = json_pack("{s:I, s:s}", "nonce", (json_int_t)r->hits[i].nonce, "hash", hex);
        if (job->rolled) {
            /* as Bitcoin Core's getblockheader: the number, and its hex */
            snprintf(version_hex, sizeof version_hex, "%08x", r->hits[i].version);
            json_object_set_new(hit, "version", json_integer(r->hits[i].version));
            json_object_set_new(hit, "version_hex", json_string(version_hex));
        }
        json_array_append_new(found, hit);
    }
    for (unsigned i = 0; i < r->n_threads; i++) {
        const hj_thread_report *t = &r->threads[i];
        json_array_append_new(threads,
                              json_pack("{s:i, s:i, s:i, s:I, s:f, s:f}", "thread", (int)i, "core", t->core, "pu",
                                        t->pu, "hashes", (json_int_t)t->hashes, "seconds", t->seconds,
                                        "hashes_per_second", t->seconds > 0 ? (double)t->hashes / t->seconds : 0.0));
    }
    json_t *doc =
        json_pack("{s:s, s:i, s:I, s:I, s:s, s:I, s:f, s:f, s:I, s:b, s:b, s:o, s:o}", "kernel", r->kernel->name,
                  "threads", (int)r->n_threads, "start", (json_int_t)start, "count", (json_int_t)count, "target",
                  target_hex, "hashes", (json_int_t)r->hashes, "seconds", r->seconds, "hashes_per_second",
                  r->seconds > 0 ? (double)r->hashes / r->seconds : 0.0, "candidates", (json_int_t)r->candidates,
                  "complete", r->complete, "interrupted", r->interrupted, "found", found, "per_thread", threads);
    if (!doc)
        return hj_cli_fail("scan", HJ_ERR_RUNTIME, "could not build the JSON output");
    if (job->rolled) {
        json_object_set_new(doc, "versions", json_integer(job->n_versions));
        json_object_set_new(doc, "version_start", json_integer(job->version_start));
    }
    int rc = hj_cli_print_json(stdout, "scan", doc);
    json_decref(doc);
    return rc;
}

int hj_cmd_scan(int argc, char **argv)
{
    const char *header_hex = NULL, *bits_text = NULL, *target_hex = NULL, *kernel_name = "auto";
    const char *start_text = NULL, *count_text = NULL, *threads_text = NULL, *max_hits_text = NULL;
    const char *device_text = NULL, *launch_ms_text = NULL, *local_size_text = NULL;
    const char *versions_text = NULL, *version_start_text = NULL;
    bool json = false;
    hj_scan_options opt;
    hj_scan_options_default(&opt);

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "hV", scan_options, NULL)) != -1) {
        switch (c) {
        case OPT_HEADER: header_hex = optarg; break;
        case OPT_START: start_text = optarg; break;
        case OPT_COUNT: count_text = optarg; break;
        case OPT_BITS: bits_text = optarg; break;
        case OPT_TARGET: target_hex = optarg; break;
        case OPT_KERNEL: kernel_name = optarg; break;
        case OPT_THREADS: threads_text = optarg; break;
        case OPT_WRAP: opt.allow_wrap = true; break;
        case OPT_MAX_HITS: max_hits_text = optarg; break;
        case OPT_JSON: json = true; break;
        case 'h':
        case OPT_HELP: fputs(scan_usage, stdout); return 0;
        case 'V':
        case OPT_VERSION: return hj_cli_print_version();
        case OPT_DEVICE: device_text = optarg; break;
        case OPT_LAUNCH_MS: launch_ms_text = optarg; break;
        case OPT_LOCAL_SIZE: local_size_text = optarg; break;
        case OPT_VERSIONS: versions_text = optarg; break;
        case OPT_VERSION_START: version_start_text = optarg; break;
        default: return hj_cli_bad_option("scan", optopt, argv[optind - 1], "see hashjoule scan --help");
        }
    }
    if (optind < argc)
        return hj_cli_fail("scan", HJ_ERR_INPUT, "unexpected argument '%s' (see hashjoule scan --help)", argv[optind]);
    if (!header_hex)
        return hj_cli_fail("scan", HJ_ERR_INPUT, "--header is required: the 80-byte header as 160 hex digits");
    if (bits_text && target_hex)
        return hj_cli_fail("scan", HJ_ERR_INPUT, "--bits and --target both given; use one");

    hj_error err;
    hj_status st;
    uint8_t header[HJ_HEADER_BYTES];
    if ((st = hj_header_from_hex(header_hex, header, "--header", &err)) != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);

    uint64_t start = 0, count, v;
    if (start_text && (st = hj_parse_u64(start_text, "--start", 0, UINT32_MAX, &start, &err)) != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);
    count = HJ_NONCE_SPACE - start;
    if (count_text && (st = hj_parse_u64(count_text, "--count", 1, HJ_NONCE_SPACE, &count, &err)) != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);
    if (start + count > HJ_NONCE_SPACE && !opt.allow_wrap)
        return hj_cli_fail("scan", HJ_ERR_INPUT,
                           "--start %llu with --count %llu runs past nonce 4294967295; shorten the range or "
                           "pass --wrap to continue at 0",
                           (unsigned long long)start, (unsigned long long)count);
    if (threads_text) {
        if ((st = hj_parse_u64(threads_text, "--threads", 1, 1024, &v, &err)) != HJ_OK)
            return hj_cli_fail_err("scan", st, &err);
        opt.threads = (unsigned)v;
        hj_cli_warn_oversubscribed("scan", opt.threads);
    }
    /* Version rolling: asked for by either flag. */
    uint64_t n_versions = 1, version_start = (hj_read_le32(header) & HJ_VERSION_ROLL_MASK) >> HJ_VERSION_ROLL_SHIFT;
    bool rolling = versions_text || version_start_text;
    if (versions_text &&
        (st = hj_parse_u64(versions_text, "--versions", 1, HJ_VERSION_ROLL_VALUES, &n_versions, &err)) != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);
    if (version_start_text && (st = hj_parse_u64(version_start_text, "--version-start", 0, HJ_VERSION_ROLL_VALUES - 1,
                                                 &version_start, &err)) != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);
    if (rolling && (hj_read_le32(header) & HJ_VERSION_TOP_MASK) != HJ_VERSION_TOP_BITS)
        return hj_cli_fail("scan", HJ_ERR_INPUT,
                           "--versions: version rolling (BIP 320) needs a header whose version has the BIP 9 top "
                           "bits 001 (0x20000000..0x3fffffff); this header's version is 0x%08x",
                           hj_read_le32(header));
    if (rolling && version_start + n_versions > HJ_VERSION_ROLL_VALUES)
        return hj_cli_fail("scan", HJ_ERR_INPUT,
                           "--version-start %llu with --versions %llu runs past 65535, the last value of the rolled "
                           "version bits 13..28: start + versions must be at most 65536%s",
                           (unsigned long long)version_start, (unsigned long long)n_versions,
                           version_start_text ? "" : " (the start defaults to the header's own value; give one)");
    if (max_hits_text) {
        if ((st = hj_parse_u64(max_hits_text, "--max-hits", 1, 1u << 30, &v, &err)) != HJ_OK)
            return hj_cli_fail_err("scan", st, &err);
        opt.max_hits = (size_t)v;
    }

    hj_target target;
    if (target_hex) {
        st = hj_target_from_hex(target_hex, &target, "--target", &err);
    } else {
        uint32_t bits = hj_read_le32(header + 72);
        if (bits_text && (st = hj_parse_bits(bits_text, "--bits", &bits, &err)) != HJ_OK)
            return hj_cli_fail_err("scan", st, &err);
        st = hj_target_from_compact(bits, &target, bits_text ? "--bits" : "the header's bits", &err);
    }
    if (st != HJ_OK)
        return hj_cli_fail_err("scan", st, &err);

    if (strcmp(kernel_name, "auto") != 0) {
        opt.kernel = hj_kernel_find(kernel_name);
        if (!opt.kernel)
            return hj_cli_fail("scan", HJ_ERR_INPUT, "--kernel: no kernel named '%s' (see hashjoule info)",
                               kernel_name);
    }
    if ((st = hj_cli_opencl_setup(&opt.kernel, kernel_name, device_text, launch_ms_text, local_size_text, &err)) !=
        HJ_OK)
        return hj_cli_fail_err("scan", st, &err);

    hj_job job;
    if (!rolling)
        hj_job_init(&job, header, &target);
    else if ((st = hj_job_init_versions(&job, header, &target, (uint32_t)version_start, (uint32_t)n_versions, &err)) !=
             HJ_OK)
        return hj_cli_fail_err("scan", st, &err);

    struct sigaction sa = {0}, old_sa;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_sa);
    opt.control.stop = &g_interrupted;

    hj_scan_result result;
    st = hj_scan_range(&job, (uint32_t)start, count, &opt, &result, &err);
    sigaction(SIGINT, &old_sa, NULL);
    if (st != HJ_OK) {
        hj_job_free(&job);
        return hj_cli_fail_err("scan", st, &err);
    }
    if (result.hits_truncated) {
        hj_scan_result_free(&result);
        hj_job_free(&job);
        return hj_cli_fail("scan", HJ_ERR_INPUT,
                           "%llu hits, more than --max-hits %zu: the target is too easy for this range; "
                           "narrow the range, raise the difficulty or raise --max-hits",
                           (unsigned long long)result.hits_total, opt.max_hits ? opt.max_hits : HJ_DEFAULT_MAX_HITS);
    }
    int rc = json ? print_json(&result, (uint32_t)start, count, &job) : (print_text(&result, &job), 0);
    if (rc == 0 && result.interrupted) {
        fprintf(stderr,
                "hashjoule scan: interrupted after %llu of %llu %s; the hits above are complete "
                "only for the nonces scanned\n",
                (unsigned long long)result.hashes, (unsigned long long)count * job.n_versions,
                rolling ? "hashes (versions x nonces)" : "nonces");
        rc = HJ_EXIT_INTERRUPTED;
    }
    hj_scan_result_free(&result);
    hj_job_free(&job);
    return rc;
}
