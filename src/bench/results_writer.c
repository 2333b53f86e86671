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

/* The history folder of runs without --out: $XDG_DATA_HOME/hashjoule/results
 * (XDG Base Directory Specification: an absolute XDG_DATA_HOME, else
 * $HOME/.local/share), so results neither depend on the current directory
 * nor dirty a source checkout. */
static hj_status default_dir(char *dir, size_t len, hj_error *err)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(dir, len, "%s/hashjoule/results", xdg);
    else if (home && home[0] == '/')
        n = snprintf(dir, len, "%s/.local/share/hashjoule/results", home);
    else
        return hj_fail(err, HJ_ERR_INPUT,
                       "no folder for results: neither XDG_DATA_HOME nor HOME is an absolute path; pass --out FILE");
    if (n < 0 || (size_t)n >= len)
        return hj_fail(err, HJ_ERR_INPUT, "the results folder path is too long; pass --out FILE");
    /* "a//b" and "a/b/" name "a/b": one spelling, so the folders made are counted right */
    char *w = dir;
    for (const char *r = dir; *r; r++)
        if (!(*r == '/' && (r[1] == '/' || r[1] == '\0') && w > dir))
            *w++ = *r;
    *w = '\0';
    return HJ_OK;
}

/* mkdir -p, counting the folders made (the last ones of the path), so an
 * abort can remove exactly those again. */
static hj_status make_dirs(hj_results_writer *w, hj_error *err)
{
    char path[sizeof w->dir];
    snprintf(path, sizeof path, "%s", w->dir);
    w->dirs_made = 0;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0755) == 0)
            w->dirs_made++;
        else if (errno != EEXIST)
            return hj_fail(err, HJ_ERR_RUNTIME, "cannot create the results folder %s: %s", path, strerror(errno));
        else
            w->dirs_made = 0; /* only a run of new folders at the end can be removed */
        *p = c;
        if (!c)
            return HJ_OK;
    }
}

/* Remove the folders make_dirs made, deepest first, while they are empty. */
static void remove_dirs(hj_results_writer *w)
{
    char path[sizeof w->dir];
    snprintf(path, sizeof path, "%s", w->dir);
    for (; w->dirs_made > 0; w->dirs_made--) {
        if (rmdir(path) != 0)
            break;
        char *slash = strrchr(path, '/');
        if (!slash || slash == path)
            break;
        *slash = '\0';
    }
    w->dirs_made = 0;
}

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
        /* <history folder>/<prefix><host>-<date>: a host name may hold characters a file name should not */
        char host[256] = "unknown", stamp[32];
        gethostname(host, sizeof host - 1);
        for (char *p = host; *p; p++)
            if (*p == '/' || *p == ' ' || *p == '\\')
                *p = '_';
        hj_bench_iso_utc(started, stamp, sizeof stamp, true);
        hj_status st = default_dir(w->dir, sizeof w->dir, err);
        if (st == HJ_OK)
            st = make_dirs(w, err);
        if (st != HJ_OK) {
            remove_dirs(w);
            return st;
        }
        int n = snprintf(path, sizeof path, "%s/%s%s-%s.%s", w->dir, prefix, host, stamp,
                         strcmp(format, "csv") == 0 ? "csv" : "json");
        if (n < 0 || (size_t)n >= sizeof path) {
            remove_dirs(w);
            return hj_fail(err, HJ_ERR_INPUT, "the results folder path is too long; pass --out FILE");
        }
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
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            st = hj_fail(err, HJ_ERR_RUNTIME, "writing the results to standard output failed: %s", strerror(errno));
    } else if ((st = hj_atomic_file_commit(&w->file, text, len, err)) != HJ_OK) {
        remove_dirs(w);
    }
    free(text);
    return st;
}

void hj_results_writer_abort(hj_results_writer *w)
{
    if (w->to_stdout)
        return;
    hj_atomic_file_abort(&w->file);
    remove_dirs(w);
}

const char *hj_results_writer_path(const hj_results_writer *w) { return w->to_stdout ? "" : w->file.final_path; }
