/* Linux powercap RAPL: /sys/class/powercap/intel-rapl:N[:M] (Intel, and AMD
 * Zen since about Linux 5.11, under the same names). energy_uj is a
 * cumulative microjoule counter that wraps to 0 after max_energy_range_uj
 * (Linux powercap framework, docs.kernel.org/power/powercap/powercap.html).
 * Since Linux 5.10 energy_uj is readable by root only (CVE-2020-8694). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"
#include "energy_sources.h"

/* The meter must read a counter more than once per wrap. No CPU package
 * today draws more than about 500 W (the TDP of the largest server parts);
 * 2000 W leaves a 4x margin, and reading four times per wrap period at that
 * power another 4x. Never slower than once a second. */
#define RAPL_MAX_PLAUSIBLE_W 2000.0

typedef struct rapl_priv {
    char energy_path[600];
} rapl_priv;

static hj_status rapl_read(hj_energy_sensor *s, uint64_t *count, hj_error *err)
{
    rapl_priv *p = s->priv;
    uint64_t v;
    hj_status st = hj_energy_read_u64_file(p->energy_path, "an energy counter in microjoules", &v, err);
    if (st != HJ_OK)
        return st;
    if (s->count_modulus && v >= s->count_modulus)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: %llu is beyond max_energy_range_uj (%llu)", p->energy_path,
                       (unsigned long long)v, (unsigned long long)(s->count_modulus - 1));
    *count = v;
    return HJ_OK;
}

static void rapl_close(hj_energy_sensor *s) { free(s->priv); }

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *scope_of(const char *zone_name)
{
    if (strncmp(zone_name, "package-", 8) == 0)
        return HJ_SCOPE_CPU_PACKAGE;
    if (strcmp(zone_name, "core") == 0)
        return HJ_SCOPE_CPU_CORES;
    if (strcmp(zone_name, "uncore") == 0)
        return HJ_SCOPE_CPU_UNCORE;
    if (strcmp(zone_name, "dram") == 0)
        return HJ_SCOPE_DRAM;
    if (strcmp(zone_name, "psys") == 0)
        return HJ_SCOPE_PLATFORM;
    return NULL;
}

static void open_zone(const char *dir, const char *zone, hj_energy_set *set)
{
    char path[600], name[64];
    hj_error err;
    snprintf(path, sizeof path, "%s/%s/name", dir, zone);
    int e = hj_energy_read_text(path, name, sizeof name);
    if (e) {
        hj_energy_add_note(set, "powercap-rapl", "cannot read %s: %s", path, strerror(e));
        return;
    }
    const char *scope = scope_of(name);
    if (!scope) {
        hj_energy_add_note(set, "powercap-rapl", "%s/%s: unknown RAPL domain '%s', not used", dir, zone, name);
        return;
    }
    uint64_t max_uj, now;
    snprintf(path, sizeof path, "%s/%s/max_energy_range_uj", dir, zone);
    if (hj_energy_read_u64_file(path, "a counter range in microjoules", &max_uj, &err) != HJ_OK) {
        hj_energy_add_note(set, "powercap-rapl", "%s", err.message);
        return;
    }
    if (max_uj == 0) {
        hj_energy_add_note(set, "powercap-rapl", "%s: 0 is not a usable counter range", path);
        return;
    }
    rapl_priv *p = calloc(1, sizeof *p);
    hj_energy_sensor tmp = {0};
    if (!p)
        return;
    snprintf(p->energy_path, sizeof p->energy_path, "%s/%s/energy_uj", dir, zone);
    tmp.priv = p;
    tmp.count_modulus = max_uj + 1;
    if (rapl_read(&tmp, &now, &err) != HJ_OK) {
        hj_energy_add_note(set, "powercap-rapl", "%s", err.message);
        free(p);
        return;
    }
    hj_energy_sensor *s = hj_energy_add_sensor(set);
    if (!s) {
        free(p);
        return;
    }
    const char *id = zone + strlen("intel-rapl:");
    snprintf(s->name, sizeof s->name, "rapl:%s:%s", id, name);
    snprintf(s->source, sizeof s->source, "powercap-rapl");
    snprintf(s->scope, sizeof s->scope, "%s", scope);
    snprintf(s->device, sizeof s->device, "RAPL zone %s (%s)", id, name);
    hj_energy_copy(s->origin, sizeof s->origin, p->energy_path);
    s->cumulative = true;
    s->joules_per_count = 1e-6;
    s->count_modulus = max_uj + 1;
    double wrap_s = (double)(max_uj + 1) * 1e-6 / RAPL_MAX_PLAUSIBLE_W;
    s->sample_period_s = wrap_s / 4 < 1.0 ? wrap_s / 4 : 1.0;
    if (s->sample_period_s < 0.01)
        s->sample_period_s = 0.01;
    s->sample_on_snapshot = true;
    s->read_count = rapl_read;
    s->close = rapl_close;
    s->priv = p;
}

void hj_energy_discover_powercap(const char *sysfs_root, hj_energy_set *set)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/class/powercap", sysfs_root);
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            hj_energy_add_note(set, "powercap-rapl",
                               "no powercap in this system (%s does not exist: usual in a VM, or a kernel "
                               "without intel_rapl)",
                               dir);
        else
            hj_energy_add_note(set, "powercap-rapl", "cannot list %s: %s", dir, strerror(errno));
        return;
    }
    char **zones = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        /* intel-rapl:N and intel-rapl:N:M; intel-rapl-mmio:* duplicates the
         * package counter through MMIO and is skipped. */
        if (strncmp(de->d_name, "intel-rapl:", 11) != 0)
            continue;
        char **grown = realloc(zones, (n + 1) * sizeof *grown);
        if (!grown)
            break;
        zones = grown;
        zones[n] = strdup(de->d_name);
        if (zones[n])
            n++;
    }
    closedir(d);
    if (n == 0)
        hj_energy_add_note(set, "powercap-rapl",
                           "%s has no RAPL zones (the intel_rapl_msr module is not loaded, or the CPU or "
                           "hypervisor does not expose RAPL)",
                           dir);
    if (n > 1)
        qsort(zones, n, sizeof *zones, cmp_str);
    for (size_t i = 0; i < n; i++) {
        open_zone(dir, zones[i], set);
        free(zones[i]);
    }
    free(zones);
}
