/* A sensor set and the helpers every energy source shares to fill it:
 * appending sensors and notes, reading small sysfs files. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "energy_internal.h"

void hj_energy_copy(char *dst, size_t len, const char *src)
{
    size_t n = strnlen(src, len - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int hj_energy_read_text(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    ssize_t n = read(fd, buf, len - 1);
    int e = n < 0 ? errno : 0;
    if (n == (ssize_t)len - 1) {
        /* Full: a longer file would be used cut short. sysfs returns an
         * attribute in one read, so a second read sees the end. */
        char extra;
        ssize_t more = read(fd, &extra, 1);
        if (more > 0)
            e = EFBIG;
        else if (more < 0)
            e = errno;
    }
    close(fd);
    if (n < 0 || e)
        return e;
    if (memchr(buf, '\0', (size_t)n))
        return EILSEQ;
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 0;
}

hj_status hj_energy_read_u64_file(const char *path, const char *what, uint64_t *out, hj_error *err)
{
    char buf[64];
    int e = hj_energy_read_text(path, buf, sizeof buf);
    if (e == EACCES || e == EPERM)
        return hj_fail(err, HJ_ERR_RUNTIME,
                       "permission denied on %s: run as root, or make it readable (for example a udev rule "
                       "setting mode 0444); Linux restricts RAPL energy files to root since 5.10 "
                       "(CVE-2020-8694)",
                       path);
    if (e == EFBIG || e == EILSEQ)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s, not %s (expected a non-negative integer)", path,
                       e == EFBIG ? "longer than any such value" : "holds a NUL byte", what);
    if (e)
        return hj_fail(err, HJ_ERR_RUNTIME, "cannot read %s: %s", path, strerror(e));
    if (!hj_energy_parse_u64(buf, out))
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: '%.40s' is not %s (expected a non-negative integer)", path, buf, what);
    return HJ_OK;
}

hj_energy_sensor *hj_energy_add_sensor(hj_energy_set *set)
{
    hj_energy_sensor *s = calloc(1, sizeof *s);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, so its element size is a pointer's */
    hj_energy_sensor **grown = realloc(set->sensors, (set->n_sensors + 1) * sizeof *grown);
    if (!s || !grown) {
        free(s);
        if (grown)
            set->sensors = grown;
        return NULL;
    }
    set->sensors = grown;
    set->sensors[set->n_sensors++] = s;
    return s;
}

void hj_energy_printable(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            *s = '?';
}

void hj_energy_add_note(hj_energy_set *set, const char *source, const char *fmt, ...)
{
    hj_energy_note *grown = realloc(set->notes, (set->n_notes + 1) * sizeof *grown);
    if (!grown)
        return;
    set->notes = grown;
    hj_energy_note *n = &set->notes[set->n_notes++];
    snprintf(n->source, sizeof n->source, "%s", source);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof n->text, fmt, ap);
    va_end(ap);
    hj_energy_printable(n->source);
    hj_energy_printable(n->text);
}

void hj_energy_set_free(hj_energy_set *set)
{
    for (size_t i = 0; i < set->n_sensors; i++) {
        if (set->sensors[i]->close)
            set->sensors[i]->close(set->sensors[i]);
        free(set->sensors[i]);
    }
    free(set->sensors);
    free(set->notes);
    memset(set, 0, sizeof *set);
}
