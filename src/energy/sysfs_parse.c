/* Parsers for the values the energy sources read from sysfs. They are apart
 * from the file reading so that a fuzzer can feed them any text: a sysfs
 * tree can be faked (HJ_SYSFS_ROOT), a driver can be buggy, and a value that
 * does not parse exactly is refused rather than half-read. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"

bool hj_energy_parse_u64(const char *text, uint64_t *out)
{
    if (*text < '0' || *text > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

bool hj_energy_parse_event_code(const char *text, uint64_t *code)
{
    const char *p = strstr(text, "event=");
    if (!p)
        return false;
    p += 6;
    if (*p < '0' || *p > '9')
        return false; /* strtoull would accept a sign or spaces */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 0);
    if (end == p || errno || (*end && *end != ','))
        return false;
    *code = v;
    return true;
}

size_t hj_energy_parse_cpumask(const char *text, int *cpus, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (*p) {
        if (*p < '0' || *p > '9')
            return 0;
        char *end;
        errno = 0;
        long first = strtol(p, &end, 10), last;
        if (errno || first > 1 << 20) /* no machine has a million CPUs */
            return 0;
        p = end;
        last = first;
        if (*p == '-') {
            if (p[1] < '0' || p[1] > '9')
                return 0;
            errno = 0;
            last = strtol(p + 1, &end, 10);
            if (errno || last < first || last > 1 << 20)
                return 0;
            p = end;
        }
        for (long c = first; c <= last; c++) {
            if (n == max)
                return 0;
            cpus[n++] = (int)c;
        }
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return 0;
    }
    return n;
}

bool hj_energy_parse_scale(const char *text, double *scale)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || !(v > 0))
        return false;
    *scale = v;
    return true;
}

bool hj_energy_parse_pmu_type(const char *text, int *type)
{
    uint64_t v;
    if (!hj_energy_parse_u64(text, &v) || v == 0 || v > 0x7fffffff)
        return false;
    *type = (int)v;
    return true;
}
