/* `hashjoule info`: describe the machine the way a reviewer needs it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hashjoule/bench.h"

static const char info_usage[] = "usage: hashjoule info [--json]\n"
                                 "\n"
                                 "Describe this machine: CPU (libcpuid) and the instruction sets the kernels\n"
                                 "use, whether the OS enables AVX/AVX-512 state, topology (hwloc), OpenCL\n"
                                 "platforms and devices, which kernels can run here, the CPU frequency\n"
                                 "governor, and the energy sensors `bench` can use (with the reason for each\n"
                                 "source that is unavailable).\n";

static const char *str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "?";
}
static long long num(json_t *obj, const char *key) { return json_integer_value(json_object_get(obj, key)); }

static void print_text(json_t *info)
{
    json_t *hj = json_object_get(info, "hashjoule"), *os = json_object_get(info, "os");
    printf("hashjoule %s (git %s), %s build, %s\n", str(hj, "version"), str(hj, "git_commit"), str(hj, "build_type"),
           str(hj, "compiler"));
    if (json_is_object(os))
        printf("OS:        %s %s %s\n", str(os, "system"), str(os, "release"), str(os, "machine"));

    json_t *cpu = json_object_get(info, "cpu");
    if (json_is_true(json_object_get(cpu, "detected"))) {
        printf("CPU:       %s (%s", str(cpu, "brand"), str(cpu, "vendor"));
        if (strcmp(str(cpu, "codename"), "") != 0)
            printf(", %s", str(cpu, "codename"));
        printf(")\n           family %lld model %lld stepping %lld (display family 0x%llx model 0x%llx)\n",
               num(cpu, "family"), num(cpu, "model"), num(cpu, "stepping"), num(cpu, "display_family"),
               num(cpu, "display_model"));
    } else {
        printf("CPU:       not identified: %s\n", str(cpu, "error"));
    }
    printf("ISA:      ");
    const char *name;
    json_t *has;
    json_object_foreach(json_object_get(cpu, "cpuid_features"), name, has)
        printf(" %s%s", json_is_true(has) ? "+" : "-", name);
    printf("\n           OS-enabled state: AVX %s, AVX-512 %s (XCR0)\n",
           json_is_true(json_object_get(cpu, "os_avx_state")) ? "yes" : "no",
           json_is_true(json_object_get(cpu, "os_avx512_state")) ? "yes" : "no");

    json_t *topo = json_object_get(info, "topology");
    if (json_is_true(json_object_get(topo, "available")))
        printf("Topology:  %lld package(s), %lld NUMA node(s), %lld core(s), %lld PU(s); "
               "L1d %lld KiB, L2 %lld KiB, L3 %lld KiB x %lld\n",
               num(topo, "packages"), num(topo, "numa_nodes"), num(topo, "cores"), num(topo, "pus"),
               num(topo, "l1d_bytes") / 1024, num(topo, "l2_bytes") / 1024, num(topo, "l3_bytes") / 1024,
               num(topo, "l3_count"));
    else
        printf("Topology:  unavailable: %s\n", str(topo, "error"));

    json_t *ocl = json_object_get(info, "opencl"), *devs = json_object_get(ocl, "devices");
    if (json_array_size(devs) == 0)
        printf("OpenCL:    %s\n", str(ocl, "note"));
    size_t i;
    json_t *d;
    json_array_foreach(devs, i, d) {
        printf("OpenCL %s: %s [%s] on %s; %lld compute units, %lld MHz, %lld MiB, int vectors of %lld; driver %s; %s\n",
               str(d, "id"), str(d, "name"), str(d, "type"), str(d, "platform"), num(d, "compute_units"),
               num(d, "max_clock_mhz"), num(d, "global_mem_bytes") >> 20, num(d, "native_vector_width_int"),
               str(d, "driver_version"), str(d, "device_version"));
    }

    json_t *freq = json_object_get(info, "cpufreq");
    if (json_is_true(json_object_get(freq, "available"))) {
        printf("Governor: ");
        json_t *g;
        json_array_foreach(json_object_get(freq, "governors"), i, g)
            printf(" %s", json_string_value(g));
        printf("\n");
    } else {
        printf("Governor:  unknown: %s\n", str(freq, "reason"));
    }

    json_t *energy = json_object_get(info, "energy"), *sensors = json_object_get(energy, "sensors");
    if (json_array_size(sensors) == 0)
        printf("Energy:    no sensor usable here\n");
    json_array_foreach(sensors, i, d)
        printf("Energy:    %-18s %-12s %-14s %s (%s)\n", str(d, "name"), str(d, "scope"), str(d, "source"),
               str(d, "device"), str(d, "reads"));
    json_array_foreach(json_object_get(energy, "unavailable"), i, d)
        printf("           %s: %s\n", str(d, "source"), str(d, "reason"));

    printf("Kernels (auto = %s):\n", str(info, "auto_kernel"));
    json_t *k;
    json_array_foreach(json_object_get(info, "kernels"), i, k) {
        bool ok = json_is_true(json_object_get(k, "available"));
        printf("  %-12s %-10s %s\n", str(k, "name"), ok ? "available" : "no",
               ok ? str(k, "description") : str(k, "unavailable_reason"));
    }
}

int hj_cmd_info(int argc, char **argv)
{
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(info_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0)
            return hj_cli_print_version();
        else
            return hj_cli_fail("info", HJ_ERR_INPUT, "unknown argument '%s' (expected --json)", argv[i]);
    }
    json_t *info = hj_machine_info_json();
    if (!info)
        return hj_cli_fail("info", HJ_ERR_RUNTIME, "could not build the machine description");
    if (json) {
        char *text = json_dumps(info, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text)
            puts(text);
        free(text);
    } else {
        print_text(info);
    }
    json_decref(info);
    return 0;
}
