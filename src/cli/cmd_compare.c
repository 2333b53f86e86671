/* `hashjoule compare BASE.json NEW.json`: the regression gate.
 *
 * Results are matched by (kernel, threads, versions): a version-rolling rate
 * is another measurement, so results with different versions never meet
 * (documents older than version rolling count as 1). A matched result is a regression
 * when its median hashes/s fell by more than the threshold AND the two runs'
 * ranges do not overlap (the fastest repetition of NEW is slower than the
 * slowest of BASE): a drop that the runs' own repetitions could produce is
 * noise, not a regression. A regression or an improvement where either run
 * was measured on a busy machine (its interference verdict is "noisy") is
 * "inconclusive (noisy)" and not counted, unless --ignore-noise: a slowdown
 * the machine caused is not the code's. Both files are checked for internal
 * consistency first, so a truncated or hand-edited file is refused rather
 * than compared. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hashjoule/format.h"
#include "hashjoule/report.h"
#include "hashjoule/results.h"

static const char compare_usage[] = "usage: hashjoule compare BASE.json NEW.json [--threshold PCT] [--require-all]\n"
                                    "                        [--ignore-noise] [--match kernel|best]\n"
                                    "\n"
                                    "Compare two `hashjoule bench` results (or two fleet results of bench --mpi,\n"
                                    "matched node by node as NODE/KERNEL). Prints kernel, threads, base and new\n"
                                    "median hashes/s, the change and a verdict. A result is a REGRESSION when it\n"
                                    "got slower by more than PCT percent (default 5) AND beyond the noise of the\n"
                                    "two runs: every repetition of NEW was slower than every repetition of BASE.\n"
                                    "\n"
                                    "  --threshold PCT  the smallest slowdown that counts (default 5)\n"
                                    "  --require-all    a result of BASE missing from NEW counts as a regression\n"
                                    "  --match M        kernel (default): rows are matched by kernel and thread\n"
                                    "                   count; best: two machines, best CPU kernel against best\n"
                                    "                   (all threads, and one thread), whatever their names\n"
                                    "  --ignore-noise   count a regression even where a run was noisy (measured\n"
                                    "                   while other processes or the hypervisor used the CPUs);\n"
                                    "                   without it such a change is 'inconclusive (noisy)', its\n"
                                    "                   reasons are listed, and it does not count\n"
                                    "\n"
                                    "Exit status: 0 no regression; 1 a regression (or a kernel that failed in NEW);\n"
                                    "2 unreadable, truncated, corrupted or mismatched files.\n";

static json_t *find(json_t *doc, const char *kernel, json_int_t threads, long long versions)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "kernel")), kernel) == 0 &&
            json_integer_value(json_object_get(r, "threads")) == threads && hj_results_versions(r) == versions)
            return r;
    return NULL;
}

/* The same result in another document (same kernel, threads, versions). */
static json_t *find_like(json_t *doc, json_t *r)
{
    return find(doc, json_string_value(json_object_get(r, "kernel")), json_integer_value(json_object_get(r, "threads")),
                hj_results_versions(r));
}

/* " v16" after a result rolled over 16 versions, "" for one version. */
static const char *versions_suffix(json_t *r, char *buf, size_t len)
{
    buf[0] = '\0';
    if (r && hj_results_versions(r) != 1)
        snprintf(buf, len, " v%lld", hj_results_versions(r));
    return buf;
}

/* Whether either document has a result that rolled versions. */
static bool any_rolled(json_t *a, json_t *b)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(a, "results"), i, r)
        if (hj_results_versions(r) != 1)
            return true;
    json_array_foreach(json_object_get(b, "results"), i, r)
        if (hj_results_versions(r) != 1)
            return true;
    return false;
}

static double hps(json_t *r, const char *what)
{
    return json_number_value(json_object_get(json_object_get(r, "hashes_per_second"), what));
}

static bool is_noisy(json_t *r)
{
    const char *v = json_string_value(json_object_get(json_object_get(r, "interference"), "verdict"));
    return v && strcmp(v, "noisy") == 0; /* documents older than the interference figures are not */
}

/* The reasons a result was noisy, one line each, below the table. */
static void print_noise(const char *side, json_t *r)
{
    size_t i;
    json_t *why;
    char v[32];
    json_array_foreach(json_object_get(json_object_get(r, "interference"), "reasons"), i, why)
        printf("  %s %s x%lld%s: %s\n", side, json_string_value(json_object_get(r, "kernel")),
               (long long)json_integer_value(json_object_get(r, "threads")), versions_suffix(r, v, sizeof v),
               json_string_value(why));
}

typedef struct compare_rule {
    double threshold_pct;
    bool ignore_noise;
} compare_rule;

/* The verdict on two results that both ran (see the top of the file); the
 * change in percent goes to `change`. *counted: a regression that counts;
 * *noise_decided: a noisy run decided a regression or an improvement. */
static const char *judge(json_t *r, json_t *n, const compare_rule *rule, char *change, size_t len, bool *counted,
                         bool *noise_decided)
{
    double pct = 100 * (hps(n, "median") / hps(r, "median") - 1), threshold = rule->threshold_pct;
    snprintf(change, len, "%+.1f%%", pct);
    bool slower = pct < -threshold && hps(n, "max") < hps(r, "min");
    bool faster = pct > threshold && hps(n, "min") > hps(r, "max");
    *noise_decided = (is_noisy(r) || is_noisy(n)) && (slower || faster);
    *counted = slower && (!*noise_decided || rule->ignore_noise);
    if (*noise_decided && !rule->ignore_noise)
        return "inconclusive (noisy)";
    if (slower)
        return "REGRESSION";
    if (faster)
        return "faster";
    if (fabs(pct) > threshold)
        return pct < 0 ? "slower, within noise" : "faster, within noise";
    return "same";
}

static bool is_failed(json_t *r) { return strcmp(json_string_value(json_object_get(r, "status")), "failed") == 0; }

static void note_differences(json_t *a, json_t *b)
{
    static const char *keys[] = {"seconds", "repetitions", "warmup_seconds", "target"};
    json_t *pa = json_object_get(a, "protocol"), *pb = json_object_get(b, "protocol");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!json_equal(json_object_get(pa, keys[i]), json_object_get(pb, keys[i])))
            fprintf(stderr, "note: protocol.%s differs between the runs\n", keys[i]);
    const char *ba = json_string_value(json_object_get(json_object_get(json_object_get(a, "machine"), "cpu"), "brand"));
    const char *bb = json_string_value(json_object_get(json_object_get(json_object_get(b, "machine"), "cpu"), "brand"));
    if (ba && bb && strcmp(ba, bb) != 0)
        fprintf(stderr, "note: different CPUs: '%s' and '%s'\n", ba, bb);
    if (json_is_true(json_object_get(a, "interrupted")) || json_is_true(json_object_get(b, "interrupted")))
        fprintf(stderr, "note: %s run was interrupted; only its finished repetitions are compared\n",
                json_is_true(json_object_get(a, "interrupted")) ? "the BASE" : "the NEW");
}

/* Below the table: the count of regressions and the rule, then the changes a
 * noisy run decided, with the reasons of each noisy side. */
static void finish_table(int regressions, json_t *noisy_pairs, const compare_rule *rule)
{
    size_t i;
    printf("\n%d regression(s) beyond %.1f%% and the runs' noise (rule: median down by more than the threshold "
           "and every NEW repetition slower than every BASE repetition)\n",
           regressions, rule->threshold_pct);
    if (json_array_size(noisy_pairs)) {
        printf("%s: a run measured on a busy machine decided these changes%s\n",
               rule->ignore_noise ? "counted anyway (--ignore-noise)" : "inconclusive (noisy), not counted",
               rule->ignore_noise ? "" : " (--ignore-noise counts them)");
        json_t *pair;
        json_array_foreach(noisy_pairs, i, pair) {
            print_noise("base", json_array_get(pair, 0));
            print_noise("new", json_array_get(pair, 1));
        }
    }
}

/* --match best: two machines, best against best (the rows of `hashjoule
 * report`: the best CPU kernel on all threads and on one thread), whatever
 * the kernels are called. */
static int compare_best(const char *const paths[2], json_t *docs[2], const compare_rule *rule)
{
    json_t *rep;
    hj_error err;
    hj_status st = hj_report_build(paths, 2, NULL, &rep, &err);
    if (st != HJ_OK)
        return hj_cli_fail_err("compare", st, &err);
    if (json_array_size(json_object_get(rep, "machines")) != 2) {
        json_decref(rep);
        return hj_cli_fail("compare", HJ_ERR_INPUT,
                           "--match best compares two single-machine results; a cluster document (bench --mpi) "
                           "holds several machines: compare it with another cluster document without --match");
    }
    static const char *const keys[] = {"best-cpu/all-threads", "best-cpu/1-thread"};
    int regressions = 0;
    json_t *noisy_pairs = json_array();
    printf("%-30s %-26s %14s %14s %9s  %s\n", "row", "kernels (base -> new)", "base", "new", "change", "verdict");
    for (size_t k = 0; k < 2; k++) {
        json_t *row = NULL, *x, *e[2] = {NULL, NULL};
        size_t i;
        json_array_foreach(json_object_get(rep, "rows"), i, x)
            if (strcmp(json_string_value(json_object_get(x, "key")), keys[k]) == 0)
                row = x;
        const char *label = keys[k][9] == 'a' ? "best CPU kernel, all threads" : "best CPU kernel, 1 thread";
        json_array_foreach(json_object_get(row, "entries"), i, x)
            e[json_integer_value(json_object_get(x, "machine"))] = x;
        json_t *r = e[0] ? find_like(docs[0], e[0]) : NULL;
        json_t *n = e[1] ? find_like(docs[1], e[1]) : NULL;
        char kernels[96], b[32] = "-", nw[32] = "-", change[16] = "-", vr[32], vn[32];
        snprintf(kernels, sizeof kernels, "%s x%lld%s -> %s x%lld%s",
                 r ? json_string_value(json_object_get(r, "kernel")) : "-",
                 r ? (long long)json_integer_value(json_object_get(r, "threads")) : 0LL,
                 versions_suffix(r, vr, sizeof vr), n ? json_string_value(json_object_get(n, "kernel")) : "-",
                 n ? (long long)json_integer_value(json_object_get(n, "threads")) : 0LL,
                 versions_suffix(n, vn, sizeof vn));
        const char *verdict = !r ? "only in new" : "missing in new";
        if (r)
            hj_format_rate(hps(r, "median"), HJ_RATE_LONG, b, sizeof b);
        if (n)
            hj_format_rate(hps(n, "median"), HJ_RATE_LONG, nw, sizeof nw);
        if (r && n) {
            bool counted, noise_decided;
            verdict = judge(r, n, rule, change, sizeof change, &counted, &noise_decided);
            regressions += counted;
            if (noise_decided)
                json_array_append_new(noisy_pairs, json_pack("[O, O]", r, n));
        }
        if (r || n)
            printf("%-30s %-26s %14s %14s %9s  %s\n", label, kernels, b, nw, change, verdict);
    }
    finish_table(regressions, noisy_pairs, rule);
    json_decref(noisy_pairs);
    json_decref(rep);
    return regressions ? 1 : 0;
}

/* One row of the table (with the versions column when `rolled`). */
static void print_row(bool rolled, const char *kernel, json_int_t threads, long long versions, const char *base,
                      const char *new_, const char *change, const char *verdict)
{
    if (rolled)
        printf("%-16s %7lld %8lld %14s %14s %9s  %s\n", kernel, (long long)threads, versions, base, new_, change,
               verdict);
    else
        printf("%-16s %7lld %14s %14s %9s  %s\n", kernel, (long long)threads, base, new_, change, verdict);
}

int hj_cmd_compare(int argc, char **argv)
{
    double threshold = 5;
    bool require_all = false, ignore_noise = false, match_best = false;
    static const struct option opts[] = {{"threshold", required_argument, NULL, 't'},
                                         {"require-all", no_argument, NULL, 'r'},
                                         {"match", required_argument, NULL, 'm'},
                                         {"ignore-noise", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(compare_usage, stdout);
            return 0;
        } else if (c == 'V') {
            return hj_cli_print_version();
        } else if (c == 'r') {
            require_all = true;
        } else if (c == 'n') {
            ignore_noise = true;
        } else if (c == 'm') {
            if (strcmp(optarg, "kernel") != 0 && strcmp(optarg, "best") != 0)
                return hj_cli_fail("compare", HJ_ERR_INPUT, "--match: '%s' is not kernel or best", optarg);
            match_best = strcmp(optarg, "best") == 0;
        } else if (c == 't') {
            char *end;
            errno = 0;
            threshold = strtod(optarg, &end);
            if (!*optarg || *end || errno || !(threshold >= 0 && threshold < 100))
                return hj_cli_fail("compare", HJ_ERR_INPUT, "--threshold: '%s' is not a percentage in 0..100", optarg);
        } else {
            return hj_cli_bad_option("compare", optopt, argv[optind - 1], "see hashjoule compare --help");
        }
    }
    if (argc - optind != 2)
        return hj_cli_fail("compare", HJ_ERR_INPUT, "expected two files, BASE.json and NEW.json (see --help)");
    const char *paths[2] = {argv[optind], argv[optind + 1]};
    json_t *docs[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        hj_error err;
        hj_status st;
        docs[i] = hj_results_load(paths[i], &st, &err);
        if (!docs[i]) {
            json_decref(docs[0]);
            return hj_cli_fail_err("compare", st, &err);
        }
    }
    compare_rule rule = {threshold, ignore_noise};
    if (match_best) {
        note_differences(docs[0], docs[1]);
        int rc = compare_best(paths, docs, &rule);
        json_decref(docs[0]);
        json_decref(docs[1]);
        return rc;
    }
    json_t *base = docs[0], *new_ = docs[1];
    size_t common = 0, i;
    json_t *r;
    json_array_foreach(json_object_get(base, "results"), i, r)
        common += find_like(new_, r) != NULL;
    if (common == 0) {
        bool fa = json_object_get(base, "kind") != NULL, fb = json_object_get(new_, "kind") != NULL;
        int rc = fa != fb ? hj_cli_fail("compare", HJ_ERR_INPUT,
                                        "%s is a %s result and %s a %s one: compare fleet runs with fleet runs",
                                        paths[0], fa ? "fleet (bench --mpi)" : "single-machine", paths[1],
                                        fb ? "fleet (bench --mpi)" : "single-machine")
                 : any_rolled(base, new_)
                     ? hj_cli_fail("compare", HJ_ERR_INPUT,
                                   "%s and %s have no result in common (same kernel, thread count and "
                                   "versions): one of them rolled versions and the other did not; bench "
                                   "with the same --versions as the other file (--versions 1 for a file "
                                   "written before version rolling), or use --match best",
                                   paths[0], paths[1])
                     : hj_cli_fail("compare", HJ_ERR_INPUT,
                                   "%s and %s have no result in common (same kernel, thread count and "
                                   "versions): nothing to compare (two different machines? to compare "
                                   "them best against best, use --match best)",
                                   paths[0], paths[1]);
        json_decref(base);
        json_decref(new_);
        return rc;
    }
    note_differences(base, new_);

    /* the versions column only where a result rolled, so older documents compare as they always did */
    bool rolled = any_rolled(base, new_);
    if (rolled)
        printf("%-16s %7s %8s %14s %14s %9s  %s\n", "kernel", "threads", "versions", "base", "new", "change",
               "verdict");
    else
        printf("%-16s %7s %14s %14s %9s  %s\n", "kernel", "threads", "base", "new", "change", "verdict");
    int regressions = 0;
    json_t *noisy_pairs = json_array(); /* [base, new] of each change a noisy run decided */
    json_array_foreach(json_object_get(base, "results"), i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        json_int_t threads = json_integer_value(json_object_get(r, "threads"));
        json_t *n = find_like(new_, r);
        char b[32] = "-", nw[32] = "-", change[16] = "-";
        const char *verdict;
        if (!is_failed(r))
            hj_format_rate(hps(r, "median"), HJ_RATE_LONG, b, sizeof b);
        if (n && !is_failed(n))
            hj_format_rate(hps(n, "median"), HJ_RATE_LONG, nw, sizeof nw);
        if (!n) {
            verdict = require_all ? "REGRESSION: missing in new" : "missing in new";
            regressions += require_all;
        } else if (is_failed(n)) {
            verdict = is_failed(r) ? "failed in both" : "REGRESSION: failed in new";
            regressions += !is_failed(r);
        } else if (is_failed(r)) {
            verdict = "failed in base, ok in new";
        } else {
            bool counted, noise_decided;
            verdict = judge(r, n, &rule, change, sizeof change, &counted, &noise_decided);
            regressions += counted;
            if (noise_decided)
                json_array_append_new(noisy_pairs, json_pack("[O, O]", r, n));
        }
        print_row(rolled, kernel, threads, hj_results_versions(r), b, nw, change, verdict);
    }
    json_array_foreach(json_object_get(new_, "results"), i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        json_int_t threads = json_integer_value(json_object_get(r, "threads"));
        if (find_like(base, r))
            continue;
        char nw[32] = "-";
        if (!is_failed(r))
            hj_format_rate(hps(r, "median"), HJ_RATE_LONG, nw, sizeof nw);
        print_row(rolled, kernel, threads, hj_results_versions(r), "-", nw, "-",
                  is_failed(r) ? "failed, only in new" : "only in new");
    }
    finish_table(regressions, noisy_pairs, &rule);
    json_decref(noisy_pairs);
    json_decref(base);
    json_decref(new_);
    return regressions ? 1 : 0;
}
