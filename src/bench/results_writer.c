/* The results writer: where a document goes (checked before the run), and
 * the document written complete or not at all (include/hashjoule/bench.h).
 * `bench` and `bench --mpi` both write through it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hashjoule/bench.h"

hj_status hj_results_writer_open(hj_results_writer *w, const char *out, const char *prefix, const char *format,
                                 long started, hj_error *err)
{
    memset(w, 0, sizeof *w);
    w->file.fd = -1;
    snprintf(w->format, sizeof w->format, "%s", format);
    w->to_stdout = out && strcmp(out, "-") == 0;
    if (w->to_stdout)
        return HJ_OK;
    char path[4096];
    if (out) {
        snprintf(path, sizeof path, "%s", out);
    } else {
        /* results/<prefix><host>-<date>: a host name may hold characters a file name should not */
        char host[256] = "unknown", stamp[32];
        gethostname(host, sizeof host - 1);
        for (char *p = host; *p; p++)
            if (*p == '/' || *p == ' ' || *p == '\\')
                *p = '_';
        hj_bench_iso_utc(started, stamp, sizeof stamp, true);
        w->made_results_dir = mkdir("results", 0755) == 0;
        if (!w->made_results_dir && errno != EEXIST)
            return hj_fail(err, HJ_ERR_RUNTIME, "cannot create the results directory ./results: %s", strerror(errno));
        snprintf(path, sizeof path, "results/%s%s-%s.%s", prefix, host, stamp,
                 strcmp(format, "csv") == 0 ? "csv" : "json");
    }
    hj_status st = hj_atomic_file_begin(&w->file, path, out == NULL, out ? "--out" : "results file", err);
    if (st != HJ_OK)
        hj_results_writer_abort(w);
    return st;
}

hj_status hj_results_writer_commit(hj_results_writer *w, json_t *doc, hj_error *err)
{
    size_t len = 0;
    char *text = hj_bench_render(doc, w->format, &len);
    hj_status st = HJ_OK;
    if (!text) {
        hj_results_writer_abort(w);
        return hj_fail(err, HJ_ERR_RUNTIME, "could not serialize the results");
    }
    if (w->to_stdout) {
        fwrite(text, 1, len, stdout);
    } else if ((st = hj_atomic_file_commit(&w->file, text, len, err)) != HJ_OK) {
        if (w->made_results_dir)
            rmdir("results");
        w->made_results_dir = false;
    }
    free(text);
    return st;
}

void hj_results_writer_abort(hj_results_writer *w)
{
    if (w->to_stdout)
        return;
    hj_atomic_file_abort(&w->file);
    if (w->made_results_dir)
        rmdir("results"); /* only when still empty */
    w->made_results_dir = false;
}

const char *hj_results_writer_path(const hj_results_writer *w) { return w->to_stdout ? "" : w->file.final_path; }
