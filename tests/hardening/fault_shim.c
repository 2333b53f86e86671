/* LD_PRELOAD shim that injects faults into the writing of result files, for
 * tests/hardening/test_faults.sh. Only writes to a file whose name contains
 * HJ_FAULT_MATCH (default ".tmp.": the temporary file a result is written
 * to) are touched:
 *   HJ_FAULT=enospc  write() and fsync() fail with ENOSPC (a full disk; fsync
 *                    too, since stdio writes through glibc's internal write
 *                    and delayed allocation reports a full disk at fsync)
 *   HJ_FAULT=eio     the same with EIO (a failing disk)
 *   HJ_FAULT=stop    half of the first such write() is written, then the
 *                    process stops itself (SIGSTOP), so the test can kill -9
 *                    it in the middle of writing a result. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef int (*fsync_fn)(int);

static int matches(int fd)
{
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return 0;
    target[n] = '\0';
    const char *match = getenv("HJ_FAULT_MATCH");
    return strstr(target, match && *match ? match : ".tmp.") != NULL;
}

ssize_t write(int fd, const void *buf, size_t count)
{
    static write_fn real;
    if (!real)
        real = (write_fn)dlsym(RTLD_NEXT, "write");
    const char *fault = getenv("HJ_FAULT");
    if (!fault || !*fault || fd <= 2 || !matches(fd))
        return real(fd, buf, count);
    if (strcmp(fault, "enospc") == 0 || strcmp(fault, "eio") == 0) {
        errno = strcmp(fault, "enospc") == 0 ? ENOSPC : EIO;
        return -1;
    }
    if (strcmp(fault, "stop") == 0) {
        ssize_t n = real(fd, buf, count / 2);
        raise(SIGSTOP);
        return n;
    }
    return real(fd, buf, count);
}

int fsync(int fd)
{
    static fsync_fn real;
    if (!real)
        real = (fsync_fn)dlsym(RTLD_NEXT, "fsync");
    const char *fault = getenv("HJ_FAULT");
    if (fault && fd > 2 && matches(fd) && (strcmp(fault, "enospc") == 0 || strcmp(fault, "eio") == 0)) {
        errno = strcmp(fault, "enospc") == 0 ? ENOSPC : EIO;
        return -1;
    }
    return real(fd);
}
