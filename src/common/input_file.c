/* Bounded reading of input files (see include/hashjoule/input_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hashjoule/input_file.h"

hj_status hj_read_input_file(const char *path, size_t max_bytes, const char *what, char **text, size_t *len,
                             hj_error *err)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hj_fail(err, HJ_ERR_INPUT, "%s: cannot open: %s", what, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return hj_fail(err, HJ_ERR_INPUT, "%s: cannot read: %s", what, strerror(e));
    }
    if (S_ISDIR(sb.st_mode)) {
        close(fd);
        return hj_fail(err, HJ_ERR_INPUT, "%s: is a directory, expected a file", what);
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > (uintmax_t)max_bytes) {
        close(fd);
        return hj_fail(err, HJ_ERR_INPUT, "%s: %jd bytes is larger than the %zu MiB this input may have", what,
                       (intmax_t)sb.st_size, max_bytes >> 20);
    }
    /* Regular files: exactly their size (plus one byte to see a file that
     * grew meanwhile); pipes and the like: grown as they deliver. */
    size_t cap = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536;
    if (cap > max_bytes + 1)
        cap = max_bytes + 1;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: out of memory reading it", what);
    }
    size_t n = 0;
    hj_status st = HJ_OK;
    for (;;) {
        if (n == cap) {
            if (cap > max_bytes) {
                st = hj_fail(err, HJ_ERR_INPUT, "%s: larger than the %zu MiB this input may have", what,
                             max_bytes >> 20);
                break;
            }
            size_t ncap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                st = hj_fail(err, HJ_ERR_RUNTIME, "%s: out of memory reading it", what);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            st = hj_fail(err, HJ_ERR_INPUT, "%s: read error: %s", what, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (st != HJ_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return HJ_OK;
}
