/* The machine description shared by `info` and benchmark results:
 * CPU (libcpuid), topology (hwloc), OpenCL devices, the kernel list, the
 * CPU frequency governor and the energy sensors. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "hashjoule/bench.h"
#include "hashjoule/cpu.h"
#include "hashjoule/energy.h"
#include "hashjoule/error.h"
#include "hashjoule/kernel.h"
#include "hashjoule/opencl.h"
#include "hashjoule/topology.h"
#include "hashjoule/version.h"

static json_t *cpu_json(void)
{
    const hj_cpu_info *ci = hj_cpu_info_get();
    json_t *features = json_object();
    static const uint32_t bits[] = {HJ_CPU_SSSE3,   HJ_CPU_SSE41,    HJ_CPU_AVX, HJ_CPU_AVX2,
                                    HJ_CPU_AVX512F, HJ_CPU_AVX512VL, HJ_CPU_SHA};
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        json_object_set_new(features, hj_cpu_feature_name(bits[i]), json_boolean(ci->cpuid_features & bits[i]));
    json_t *usable = json_array();
    uint32_t enabled = hj_cpu_features();
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
        if (enabled & bits[i])
            json_array_append_new(usable, json_string(hj_cpu_feature_name(bits[i])));
    return json_pack("{s:b, s:s?, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:{s:i, s:i, s:i}, "
                     "s:o, s:b, s:b, s:o}",
                     "detected", ci->detected, "error", ci->detected ? NULL : ci->error, "vendor", ci->vendor, "brand",
                     ci->brand, "codename", ci->codename, "family", ci->family, "model", ci->model, "stepping",
                     ci->stepping, "display_family", ci->display_family, "display_model", ci->display_model, "cores",
                     ci->cores, "logical_cpus", ci->logical_cpus, "cache_kib", "l1d", ci->l1d_kib, "l2", ci->l2_kib,
                     "l3", ci->l3_kib, "cpuid_features", features, "os_avx_state", ci->os_avx_state, "os_avx512_state",
                     ci->os_avx512_state, "usable_features", usable);
}

static json_t *topology_json(void)
{
    const hj_topology_summary *t = hj_topology_get();
    if (!t->available)
        return json_pack("{s:b, s:s}", "available", 0, "error", t->error);
    return json_pack("{s:b, s:i, s:i, s:i, s:i, s:I, s:I, s:I, s:i}", "available", 1, "packages", t->packages,
                     "numa_nodes", t->numa_nodes, "cores", t->cores, "pus", t->pus, "l1d_bytes",
                     (json_int_t)t->l1d_bytes, "l2_bytes", (json_int_t)t->l2_bytes, "l3_bytes", (json_int_t)t->l3_bytes,
                     "l3_count", t->l3_count);
}

static json_t *opencl_json(void)
{
    hj_opencl_device_info *devs = NULL;
    size_t n = 0;
    hj_error err;
    char note[sizeof err.message] = "";
    json_t *list = json_array();
    if (hj_opencl_enumerate(&devs, &n, note, sizeof note, &err) != HJ_OK)
        snprintf(note, sizeof note, "%s", err.message);
    for (size_t i = 0; i < n; i++) {
        const hj_opencl_device_info *d = &devs[i];
        char id[32];
        snprintf(id, sizeof id, "%u:%u", d->platform_index, d->device_index);
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:I, s:I, s:I, s:i}", "id", id,
                            "platform", d->platform_name, "platform_version", d->platform_version, "name", d->name,
                            "vendor", d->vendor, "type", d->type, "device_version", d->device_version, "driver_version",
                            d->driver_version, "compute_units", (int)d->compute_units, "max_clock_mhz",
                            (int)d->max_clock_mhz, "global_mem_bytes", (json_int_t)d->global_mem_bytes,
                            "local_mem_bytes", (json_int_t)d->local_mem_bytes, "max_work_group_size",
                            (json_int_t)d->max_work_group_size, "native_vector_width_int", (int)d->native_int_width));
    }
    free(devs);
    return json_pack("{s:o, s:s?}", "devices", list, "note", note[0] ? note : NULL);
}

static json_t *kernels_json(void)
{
    json_t *list = json_array();
    size_t n = hj_kernel_count();
    for (size_t i = 0; i < n; i++) {
        const hj_kernel *k = hj_kernel_at(i);
        char why[256] = "";
        bool ok = hj_kernel_available(k, why, sizeof why);
        /* best_versions: what `bench` rolls by default (1: no version-rolling form) */
        json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:b, s:s?, s:s, s:i}", "name", k->name, "kind",
                                              k->kind == HJ_KERNEL_CPU ? "cpu" : "device", "lanes", (int)k->lanes,
                                              "available", ok, "unavailable_reason", ok ? NULL : why, "description",
                                              k->description, "best_versions", (int)hj_bench_best_versions(k)));
    }
    return list;
}

/* The scaling governor(s) and driver, from sysfs ($HJ_SYSFS_ROOT honoured). */
static json_t *cpufreq_json(void)
{
    const char *root = getenv("HJ_SYSFS_ROOT");
    if (!root || !*root)
        root = "/sys";
    char dir[512];
    snprintf(dir, sizeof dir, "%s/devices/system/cpu/cpufreq", root);
    DIR *d = opendir(dir);
    if (!d) {
        char why[700];
        snprintf(why, sizeof why,
                 "no cpufreq policies (%s: %s): the hypervisor or firmware controls the CPU "
                 "frequency",
                 dir, strerror(errno));
        return json_pack("{s:b, s:s}", "available", 0, "reason", why);
    }
    json_t *governors = json_array();
    char driver[64] = "";
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, "policy", 6) != 0)
            continue;
        char path[900], text[64] = "";
        snprintf(path, sizeof path, "%s/%s/scaling_governor", dir, de->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            if (fgets(text, sizeof text, f))
                text[strcspn(text, "\n")] = '\0';
            fclose(f);
        }
        bool seen = false;
        for (size_t i = 0; i < json_array_size(governors); i++)
            seen |= strcmp(json_string_value(json_array_get(governors, i)), text) == 0;
        if (text[0] && !seen)
            json_array_append_new(governors, json_string(text));
        snprintf(path, sizeof path, "%s/%s/scaling_driver", dir, de->d_name);
        if (!driver[0] && (f = fopen(path, "r"))) {
            if (fgets(driver, sizeof driver, f))
                driver[strcspn(driver, "\n")] = '\0';
            fclose(f);
        }
    }
    closedir(d);
    if (json_array_size(governors) == 0) {
        json_decref(governors);
        return json_pack("{s:b, s:s}", "available", 0, "reason",
                         "no readable scaling_governor in the cpufreq policies");
    }
    return json_pack("{s:b, s:o, s:s?}", "available", 1, "governors", governors, "driver", driver[0] ? driver : NULL);
}

json_t *hj_machine_info_json(void)
{
    struct utsname u;
    json_t *os = uname(&u) == 0
                     ? json_pack("{s:s, s:s, s:s}", "system", u.sysname, "release", u.release, "machine", u.machine)
                     : json_null();
    const hj_kernel *best = hj_kernel_auto();
    json_t *info =
        json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:s}", "hashjoule", "version", hj_version(),
                  "git_commit", hj_git_commit(), "compiler", hj_build_compiler(), "build_type", hj_build_type(),
                  "c_flags", hj_build_flags(), "os", os, "cpu", cpu_json(), "topology", topology_json(), "opencl",
                  opencl_json(), "kernels", kernels_json(), "auto_kernel", best->name);
    if (info) {
        json_object_set_new(info, "cpufreq", cpufreq_json());
        /* the machine's memory, so a report can describe it (sysinfo: RAM the kernel manages) */
        struct sysinfo si;
        json_object_set_new(info, "memory",
                            sysinfo(&si) == 0
                                ? json_pack("{s:I}", "total_bytes", (json_int_t)((double)si.totalram * si.mem_unit))
                                : json_null());
        /* The sensors found with no wall meter options (bench replaces this
         * with the set it actually used). */
        hj_energy_set set;
        if (hj_energy_discover(NULL, &set, NULL) == HJ_OK) {
            json_object_set_new(info, "energy", hj_energy_set_json(&set));
            hj_energy_set_free(&set);
        }
    }
    return info;
}
