/* `hashjoule compare BASE.json NEW.json`: the regression gate.
 *
 * Results are matched by (kernel, threads). A matched result is a regression
 * when its median hashes/s fell by more than the threshold AND the two runs'
 * ranges do not overlap (the fastest repetition of NEW is slower than the
 * slowest of BASE): a drop that the runs' own repetitions could produce is
 * noise, not a regression. Both files are checked for internal consistency
 * first, so a truncated or hand-edited file is refused rather than compared. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "hashjoule/stats.h"

static const char compare_usage[] =
    "usage: hashjoule compare BASE.json NEW.json [--threshold PCT] [--require-all]\n"
    "\n"
    "Compare two `hashjoule bench` results. Prints kernel, threads, base and new\n"
    "median hashes/s, the change and a verdict. A result is a REGRESSION when it\n"
    "got slower by more than PCT percent (default 5) AND beyond the noise of the\n"
    "two runs: every repetition of NEW was slower than every repetition of BASE.\n"
    "\n"
    "  --threshold PCT  the smallest slowdown that counts (default 5)\n"
    "  --require-all    a result of BASE missing from NEW counts as a regression\n"
    "\n"
    "Exit status: 0 no regression; 1 a regression (or a kernel that failed in NEW);\n"
    "2 unreadable, truncated, corrupted or mismatched files.\n";

#define SCHEMA_VERSION 1

static bool close_enough(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + 1e-9;
}

/* Load and check one results document; on error, *msg says what is wrong. */
static json_t *load(const char *path, char *msg, size_t len)
{
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        if (je.line < 0 || strstr(je.text, "unable to open"))
            snprintf(msg, len, "cannot read it: %s", je.text);
        else
            snprintf(msg, len, "not valid JSON (truncated or corrupted?): line %d, column %d: %s", je.line,
                     je.column, je.text);
        return NULL;
    }
    json_t *v = json_object_get(doc, "schema_version");
    const char *tool = json_string_value(json_object_get(json_object_get(doc, "tool"), "name"));
    if (!json_is_object(doc) || !v || !tool || strcmp(tool, "hashjoule") != 0) {
        snprintf(msg, len, "not a hashjoule bench results document (no schema_version or tool.name)");
        goto bad;
    }
    if (!json_is_integer(v) || json_integer_value(v) != SCHEMA_VERSION) {
        snprintf(msg, len, "schema_version %s; this hashjoule reads version %d",
                 json_is_integer(v) ? "is not 1" : "is not an integer", SCHEMA_VERSION);
        goto bad;
    }
    json_t *results = json_object_get(doc, "results");
    if (!json_is_array(results)) {
        snprintf(msg, len, "\"results\" is missing or not an array");
        goto bad;
    }
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        json_t *threads = json_object_get(r, "threads");
        const char *status = json_string_value(json_object_get(r, "status"));
        if (!kernel || !*kernel || !json_is_integer(threads) || json_integer_value(threads) < 1 || !status) {
            snprintf(msg, len, "results[%zu]: missing or malformed kernel, threads or status", i);
            goto bad;
        }
        for (size_t j = 0; j < i; j++) {
            json_t *o = json_array_get(results, j);
            if (strcmp(json_string_value(json_object_get(o, "kernel")), kernel) == 0 &&
                json_integer_value(json_object_get(o, "threads")) == json_integer_value(threads)) {
                snprintf(msg, len, "results[%zu]: %s with %lld threads appears twice", i, kernel,
                         (long long)json_integer_value(threads));
                goto bad;
            }
        }
        json_t *h = json_object_get(r, "hashes_per_second");
        if (strcmp(status, "failed") == 0 && !json_is_object(h))
            continue;
        json_t *samples = json_object_get(h, "samples"), *reps = json_object_get(r, "repetitions");
        json_t *med = json_object_get(h, "median"), *mn = json_object_get(h, "min"), *mx = json_object_get(h, "max");
        if (!json_is_object(h) || !json_is_number(med) || !json_is_number(mn) || !json_is_number(mx) ||
            !json_is_array(samples) || json_array_size(samples) == 0 || !json_is_array(reps)) {
            snprintf(msg, len, "results[%zu] (%s): hashes_per_second needs numbers median, min, max and a "
                               "non-empty samples array, and repetitions an array",
                     i, kernel);
            goto bad;
        }
        size_t n = json_array_size(samples);
        if (json_array_size(reps) != n) {
            snprintf(msg, len, "results[%zu] (%s): %zu samples but %zu repetitions", i, kernel, n,
                     json_array_size(reps));
            goto bad;
        }
        double *s = calloc(n, sizeof *s), lo = INFINITY, hi = -INFINITY;
        if (!s) {
            snprintf(msg, len, "out of memory");
            goto bad;
        }
        bool ok = true;
        for (size_t k = 0; k < n && ok; k++) {
            json_t *x = json_array_get(samples, k), *rep = json_array_get(reps, k);
            json_t *hs = json_object_get(rep, "hashes"), *sec = json_object_get(rep, "seconds");
            s[k] = json_number_value(x);
            if (!json_is_number(x) || !(s[k] > 0) || !json_is_integer(hs) || !json_is_number(sec) ||
                !(json_number_value(sec) > 0)) {
                snprintf(msg, len, "results[%zu] (%s): sample or repetition %zu is not a positive measurement", i,
                         kernel, k);
                ok = false;
            } else if (!close_enough(s[k], (double)json_integer_value(hs) / json_number_value(sec), 1e-6)) {
                snprintf(msg, len, "results[%zu] (%s): sample %zu (%.17g) is not hashes/seconds of repetition %zu "
                                   "(%.17g): the file was edited or corrupted",
                         i, kernel, k, s[k], k, (double)json_integer_value(hs) / json_number_value(sec));
                ok = false;
            }
            lo = fmin(lo, s[k]);
            hi = fmax(hi, s[k]);
        }
        double m = ok ? hj_median(s, n) : 0;
        free(s);
        if (!ok)
            goto bad;
        if (!close_enough(json_number_value(med), m, 1e-9) || !close_enough(json_number_value(mn), lo, 1e-9) ||
            !close_enough(json_number_value(mx), hi, 1e-9)) {
            snprintf(msg, len, "results[%zu] (%s): median/min/max (%.17g, %.17g, %.17g) do not match its samples "
                               "(%.17g, %.17g, %.17g): the file was edited or corrupted",
                     i, kernel, json_number_value(med), json_number_value(mn), json_number_value(mx), m, lo, hi);
            goto bad;
        }
    }
    return doc;
bad:
    json_decref(doc);
    return NULL;
}

static json_t *find(json_t *doc, const char *kernel, json_int_t threads)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (strcmp(json_string_value(json_object_get(r, "kernel")), kernel) == 0 &&
            json_integer_value(json_object_get(r, "threads")) == threads)
            return r;
    return NULL;
}

static double hps(json_t *r, const char *what)
{
    return json_number_value(json_object_get(json_object_get(r, "hashes_per_second"), what));
}

static void rate(double v, char *out, size_t len)
{
    static const char *prefix[] = {"", "k", "M", "G", "T", "P"};
    int p = 0;
    while (v >= 1000 && p < 5) {
        v /= 1000;
        p++;
    }
    snprintf(out, len, "%.*f %sH/s", v < 10 ? 3 : v < 100 ? 2 : 1, v, prefix[p]);
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

int hj_cmd_compare(int argc, char **argv)
{
    double threshold = 5;
    bool require_all = false;
    static const struct option opts[] = {{"threshold", required_argument, NULL, 't'},
                                         {"require-all", no_argument, NULL, 'r'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(compare_usage, stdout);
            return 0;
        } else if (c == 'r') {
            require_all = true;
        } else if (c == 't') {
            char *end;
            errno = 0;
            threshold = strtod(optarg, &end);
            if (!*optarg || *end || errno || !(threshold >= 0 && threshold < 100))
                return hj_cli_fail("compare", HJ_ERR_INPUT, "--threshold: '%s' is not a percentage in 0..100",
                                   optarg);
        } else {
            return hj_cli_bad_option("compare", optopt, argv[optind - 1], "see hashjoule compare --help");
        }
    }
    if (argc - optind != 2)
        return hj_cli_fail("compare", HJ_ERR_INPUT, "expected two files, BASE.json and NEW.json (see --help)");
    const char *paths[2] = {argv[optind], argv[optind + 1]};
    json_t *docs[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        char msg[1024];
        docs[i] = load(paths[i], msg, sizeof msg);
        if (!docs[i]) {
            json_decref(docs[0]);
            return hj_cli_fail("compare", HJ_ERR_INPUT, "%s: %s", paths[i], msg);
        }
    }
    json_t *base = docs[0], *new_ = docs[1];
    size_t common = 0, i;
    json_t *r;
    json_array_foreach(json_object_get(base, "results"), i, r)
        common += find(new_, json_string_value(json_object_get(r, "kernel")),
                       json_integer_value(json_object_get(r, "threads"))) != NULL;
    if (common == 0) {
        int rc = hj_cli_fail("compare", HJ_ERR_INPUT,
                             "%s and %s have no result in common (same kernel and thread count): nothing to compare",
                             paths[0], paths[1]);
        json_decref(base);
        json_decref(new_);
        return rc;
    }
    note_differences(base, new_);

    printf("%-16s %7s %14s %14s %9s  %s\n", "kernel", "threads", "base", "new", "change", "verdict");
    int regressions = 0;
    json_array_foreach(json_object_get(base, "results"), i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        json_int_t threads = json_integer_value(json_object_get(r, "threads"));
        json_t *n = find(new_, kernel, threads);
        char b[32] = "-", nw[32] = "-", change[16] = "-";
        const char *verdict;
        if (!is_failed(r))
            rate(hps(r, "median"), b, sizeof b);
        if (n && !is_failed(n))
            rate(hps(n, "median"), nw, sizeof nw);
        if (!n) {
            verdict = require_all ? "REGRESSION: missing in new" : "missing in new";
            regressions += require_all;
        } else if (is_failed(n)) {
            verdict = is_failed(r) ? "failed in both" : "REGRESSION: failed in new";
            regressions += !is_failed(r);
        } else if (is_failed(r)) {
            verdict = "failed in base, ok in new";
        } else {
            double pct = 100 * (hps(n, "median") / hps(r, "median") - 1);
            snprintf(change, sizeof change, "%+.1f%%", pct);
            bool apart_slower = hps(n, "max") < hps(r, "min"), apart_faster = hps(n, "min") > hps(r, "max");
            if (pct < -threshold && apart_slower) {
                verdict = "REGRESSION";
                regressions++;
            } else if (pct > threshold && apart_faster) {
                verdict = "faster";
            } else if (fabs(pct) > threshold) {
                verdict = pct < 0 ? "slower, within noise" : "faster, within noise";
            } else {
                verdict = "same";
            }
        }
        printf("%-16s %7lld %14s %14s %9s  %s\n", kernel, (long long)threads, b, nw, change, verdict);
    }
    json_array_foreach(json_object_get(new_, "results"), i, r) {
        const char *kernel = json_string_value(json_object_get(r, "kernel"));
        json_int_t threads = json_integer_value(json_object_get(r, "threads"));
        if (find(base, kernel, threads))
            continue;
        char nw[32] = "-";
        if (!is_failed(r))
            rate(hps(r, "median"), nw, sizeof nw);
        printf("%-16s %7lld %14s %14s %9s  %s\n", kernel, (long long)threads, "-", nw, "-",
               is_failed(r) ? "failed, only in new" : "only in new");
    }
    printf("\n%d regression(s) beyond %.1f%% and the runs' noise (rule: median down by more than the threshold "
           "and every NEW repetition slower than every BASE repetition)\n",
           regressions, threshold);
    json_decref(base);
    json_decref(new_);
    return regressions ? 1 : 0;
}
