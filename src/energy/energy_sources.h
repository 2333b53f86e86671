/* The energy sources' entry points, called by discovery (sensors.c) only (private to src/energy/). */
#ifndef HJ_ENERGY_SOURCES_H
#define HJ_ENERGY_SOURCES_H

#include "hashjoule/energy.h"

/* Each appends the sensors it finds, or notes saying why it found none, to
 * the set. */
void hj_energy_discover_powercap(const char *sysfs_root, hj_energy_set *set);
void hj_energy_discover_perf(const char *sysfs_root, hj_energy_set *set);
void hj_energy_discover_nvml(const char *library, hj_energy_set *set);
void hj_energy_discover_hwmon(const char *sysfs_root, hj_energy_set *set);
/* The wall meter the options ask for (wall_watts or wall_command), if any;
 * an error when it cannot be opened. */
hj_status hj_energy_open_wall(const hj_energy_options *opt, hj_energy_set *set, hj_error *err);

#endif
