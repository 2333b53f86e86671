/* Sensor discovery: asks every source, in order, for the sensors it finds. */
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"
#include "energy_sources.h"

static bool has_scope(const hj_energy_set *set, const char *scope)
{
    for (size_t i = 0; i < set->n_sensors; i++)
        if (strcmp(set->sensors[i]->scope, scope) == 0)
            return true;
    return false;
}

hj_status hj_energy_discover(const hj_energy_options *opt, hj_energy_set *set, hj_error *err)
{
    memset(set, 0, sizeof *set);
    hj_energy_options none = {0};
    if (!opt)
        opt = &none;
    const char *root = opt->sysfs_root ? opt->sysfs_root : getenv("HJ_SYSFS_ROOT");
    if (!root || !*root)
        root = "/sys";
    const char *nvml = opt->nvml_library ? opt->nvml_library : getenv("HJ_NVML_LIBRARY");
    if (!nvml || !*nvml)
        nvml = "libnvidia-ml.so.1";

    hj_energy_discover_powercap(root, set);
    /* perf's power PMU reads the same RAPL counters: only where powercap
     * could not, so one package is never counted twice. */
    if (!has_scope(set, HJ_SCOPE_CPU_PACKAGE))
        hj_energy_discover_perf(root, set);
    hj_energy_discover_nvml(nvml, set);
    hj_energy_discover_hwmon(root, set);
    hj_status st = hj_energy_open_wall(opt, set, err);
    if (st != HJ_OK) {
        hj_energy_set_free(set);
        return st;
    }
    for (size_t i = 0; i < set->n_sensors; i++) {
        hj_energy_sensor *s = set->sensors[i];
        hj_energy_printable(s->name);
        hj_energy_printable(s->device);
        hj_energy_printable(s->origin);
    }
    return HJ_OK;
}
