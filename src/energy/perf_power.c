/* The perf `power` PMU (RAPL counters through perf_event_open), used where
 * powercap is absent or unreadable but perf is allowed (perf_event_paranoid
 * <= 0, CAP_PERFMON or root). The PMU's type, event codes, scale (joules per
 * count) and the CPUs to open it on (one per package) are in sysfs under
 * bus/event_source/devices/power (Linux commit 4788e5b4b233, "perf/x86: Add
 * Intel RAPL PMU support"). Counts are 64-bit: the kernel handles the wrap. */
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "energy_internal.h"
#include "energy_sources.h"

typedef struct perf_priv {
    int fd;
} perf_priv;

static hj_status perf_read(hj_energy_sensor *s, uint64_t *count, hj_error *err)
{
    perf_priv *p = s->priv;
    uint64_t v;
    ssize_t n = read(p->fd, &v, sizeof v);
    if (n != (ssize_t)sizeof v)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: reading the perf counter failed: %s", s->name,
                       n < 0 ? strerror(errno) : "short read");
    *count = v;
    return HJ_OK;
}

static void perf_close(hj_energy_sensor *s)
{
    perf_priv *p = s->priv;
    if (p && p->fd >= 0)
        close(p->fd);
    free(p);
}

static void open_event(const char *pmu, int type, const char *event, const char *scope, const int *cpus, size_t n_cpus,
                       hj_energy_set *set)
{
    char path[600], text[128];
    snprintf(path, sizeof path, "%s/events/%s", pmu, event);
    if (hj_energy_read_text(path, text, sizeof text) != 0)
        return; /* this PMU does not have that event: not worth a note */
    uint64_t code;
    if (!hj_energy_parse_event_code(text, &code)) {
        hj_energy_add_note(set, "perf-power", "%s: '%.60s' is not an event description", path, text);
        return;
    }
    snprintf(path, sizeof path, "%s/events/%s.scale", pmu, event);
    double scale = 0;
    if (hj_energy_read_text(path, text, sizeof text) != 0 || !hj_energy_parse_scale(text, &scale)) {
        hj_energy_add_note(set, "perf-power", "%s: missing or malformed scale ('%.40s')", path, text);
        return;
    }
    for (size_t i = 0; i < n_cpus; i++) {
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.size = sizeof attr;
        attr.type = (unsigned)type;
        attr.config = code;
        int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpus[i], -1, PERF_FLAG_FD_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            char paranoid[16] = "?";
            char ppath[600];
            snprintf(ppath, sizeof ppath, "/proc/sys/kernel/perf_event_paranoid");
            hj_energy_read_text(ppath, paranoid, sizeof paranoid);
            hj_energy_add_note(set, "perf-power", "perf_event_open(power/%s/ on CPU %d) failed: %s%s%s%s", event,
                               cpus[i], strerror(e), e == EACCES || e == EPERM ? " (perf_event_paranoid is " : "",
                               e == EACCES || e == EPERM ? paranoid : "",
                               e == EACCES || e == EPERM ? "; needs <= 0, CAP_PERFMON or root)" : "");
            continue;
        }
        perf_priv *p = malloc(sizeof *p);
        hj_energy_sensor *s = p ? hj_energy_add_sensor(set) : NULL;
        if (!s) {
            free(p);
            close(fd);
            return;
        }
        p->fd = fd;
        snprintf(s->name, sizeof s->name, "perf:%s:cpu%d", event, cpus[i]);
        snprintf(s->source, sizeof s->source, "perf-power");
        snprintf(s->scope, sizeof s->scope, "%s", scope);
        snprintf(s->device, sizeof s->device, "the package of CPU %d", cpus[i]);
        snprintf(s->origin, sizeof s->origin, "perf_event_open(power/%s/, cpu %d)", event, cpus[i]);
        s->cumulative = true;
        s->joules_per_count = scale;
        s->count_modulus = 0;
        s->sample_period_s = 1.0;
        s->sample_on_snapshot = true;
        s->read_count = perf_read;
        s->close = perf_close;
        s->priv = p;
    }
}

void hj_energy_discover_perf(const char *sysfs_root, hj_energy_set *set)
{
    char pmu[512], path[600], text[256];
    snprintf(pmu, sizeof pmu, "%s/bus/event_source/devices/power", sysfs_root);
    snprintf(path, sizeof path, "%s/type", pmu);
    int e = hj_energy_read_text(path, text, sizeof text);
    if (e) {
        hj_energy_add_note(set, "perf-power", "no perf power PMU (%s: %s)", path, strerror(e));
        return;
    }
    int type;
    if (!hj_energy_parse_pmu_type(text, &type)) {
        hj_energy_add_note(set, "perf-power", "%s: '%.40s' is not a PMU type", path, text);
        return;
    }
    int cpus[64];
    snprintf(path, sizeof path, "%s/cpumask", pmu);
    size_t n_cpus = 0;
    if (hj_energy_read_text(path, text, sizeof text) == 0)
        n_cpus = hj_energy_parse_cpumask(text, cpus, sizeof cpus / sizeof cpus[0]);
    if (n_cpus == 0) {
        hj_energy_add_note(set, "perf-power", "%s: missing or malformed cpumask", path);
        return;
    }
    open_event(pmu, type, "energy-pkg", HJ_SCOPE_CPU_PACKAGE, cpus, n_cpus, set);
    open_event(pmu, type, "energy-ram", HJ_SCOPE_DRAM, cpus, n_cpus, set);
}
