/* Complete-or-absent result files that never replace an existing file. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hashjoule/atomic_file.h"

static void split(const char *path, char *dir, size_t dir_len, char *base, size_t base_len)
{
    char *a = strdup(path), *b = strdup(path);
    if (!a || !b || snprintf(dir, dir_len, "%s", dirname(a)) >= (int)dir_len ||
        snprintf(base, base_len, "%s", basename(b)) >= (int)base_len) {
        dir[0] = base[0] = '\0'; /* callers check lengths first; never reached */
    }
    free(a);
    free(b);
}

hj_status hj_atomic_file_begin(hj_atomic_file *f, const char *path, bool unique, const char *what, hj_error *err)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->unique = unique;
    if (!path[0] || strlen(path) >= sizeof f->path - 32)
        return hj_fail(err, HJ_ERR_INPUT, "%s: '%s' is not a usable file name", what, path);
    size_t len = strlen(path);
    if (path[len - 1] == '/')
        return hj_fail(err, HJ_ERR_INPUT, "%s %s: names a directory, expected a file", what, path);
    snprintf(f->path, sizeof f->path, "%s", path);
    char dir[4096], base[4096];
    split(path, dir, sizeof dir, base, sizeof base);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return hj_fail(err, errno == ENOENT || errno == ENOTDIR ? HJ_ERR_INPUT : HJ_ERR_RUNTIME,
                       "%s %s: directory %s: %s", what, path, dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return hj_fail(err, HJ_ERR_INPUT, "%s %s: %s is not a directory", what, path, dir);
    if (lstat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return hj_fail(err, HJ_ERR_INPUT, "%s %s: is a directory, expected a file name", what, path);
        if (!unique)
            return hj_fail(err, HJ_ERR_INPUT,
                           "%s %s: the file already exists; hashjoule never overwrites a result (choose "
                           "another name)",
                           what, path);
    }
    if (snprintf(f->tmp_path, sizeof f->tmp_path, "%s/.%s.tmp.XXXXXX", dir, base) >= (int)sizeof f->tmp_path)
        return hj_fail(err, HJ_ERR_INPUT, "%s %s: the path is too long", what, path);
    f->fd = mkstemp(f->tmp_path);
    if (f->fd < 0) {
        int e = errno;
        f->tmp_path[0] = '\0';
        return hj_fail(err, HJ_ERR_RUNTIME, "%s %s: cannot create a file in %s: %s", what, path, dir, strerror(e));
    }
    fchmod(f->fd, 0644); /* mkstemp makes 0600; a result is meant to be shared */
    return HJ_OK;
}

void hj_atomic_file_abort(hj_atomic_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp_path[0])
        unlink(f->tmp_path);
    f->tmp_path[0] = '\0';
}

/* NAME.EXT -> NAME-k.EXT */
static void numbered(const char *path, int k, char *out, size_t len)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : path))
        snprintf(out, len, "%s-%d", path, k);
    else
        snprintf(out, len, "%.*s-%d%s", (int)(dot - path), path, k, dot);
}

hj_status hj_atomic_file_commit(hj_atomic_file *f, const char *data, size_t len, hj_error *err)
{
    hj_status st = HJ_OK;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(f->fd, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            st = hj_fail(err, HJ_ERR_RUNTIME, "writing %s failed: %s; nothing was saved", f->path,
                         n < 0 ? strerror(errno) : "no space");
            break;
        }
        done += (size_t)n;
    }
    if (st == HJ_OK && fsync(f->fd) != 0)
        st = hj_fail(err, HJ_ERR_RUNTIME, "writing %s failed (fsync): %s; nothing was saved", f->path, strerror(errno));
    if (st == HJ_OK && close(f->fd) != 0) {
        f->fd = -1;
        st = hj_fail(err, HJ_ERR_RUNTIME, "writing %s failed (close): %s; nothing was saved", f->path, strerror(errno));
    }
    f->fd = -1;
    if (st == HJ_OK) {
        snprintf(f->final_path, sizeof f->final_path, "%s", f->path);
        for (int k = 2;; k++) {
            if (link(f->tmp_path, f->final_path) == 0)
                break;
            int e = errno;
            if (e == EEXIST && f->unique && k < 1000) {
                numbered(f->path, k, f->final_path, sizeof f->final_path);
                continue;
            }
            if (e == EEXIST)
                st = hj_fail(err, HJ_ERR_RUNTIME,
                             "%s appeared while the benchmark ran; it was not overwritten and this result was "
                             "not saved",
                             f->path);
            else
                st = hj_fail(err, HJ_ERR_RUNTIME, "saving %s failed: %s; nothing was saved", f->path, strerror(e));
            f->final_path[0] = '\0';
            break;
        }
    }
    if (f->tmp_path[0])
        unlink(f->tmp_path);
    f->tmp_path[0] = '\0';
    if (st == HJ_OK) {
        char dir[4096], base[4096];
        split(f->final_path, dir, sizeof dir, base, sizeof base);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd); /* the new name survives a crash */
            close(dfd);
        }
    }
    return st;
}
