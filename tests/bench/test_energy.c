/* Energy sensors against fake sysfs trees, a fake NVML library and meter
 * commands: discovery, counter wrap-around, integration of power, and the
 * reasons given for sources that cannot be used. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "hashjoule/energy.h"
#include "hashjoule/scan.h"
#include "hashjoule/stats.h"

static const char *g_fake_nvml; /* argv[1]: path of the fake libnvidia-ml.so.1 */

/* --- a fake sysfs tree ------------------------------------------------------- */
static void mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

static void put(const char *root, const char *rel, const char *text)
{
    char path[1024], dir[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = '\0';
    mkdirs(dir);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(rename(tmp, path), 0); /* readers never see half a file */
}

static char *new_root(void)
{
    char *root = strdup("/tmp/hj-energy-test-XXXXXX");
    assert_non_null(mkdtemp(root));
    return root;
}

static void rm_root(char *root)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    free(root);
}

static hj_energy_options opts_for(const char *root)
{
    hj_energy_options o = {0};
    o.sysfs_root = root;
    o.nvml_library = "/nonexistent/libnvidia-ml.so.1";
    return o;
}

static bool has_note(const hj_energy_set *set, const char *source, const char *needle)
{
    for (size_t i = 0; i < set->n_notes; i++)
        if (strcmp(set->notes[i].source, source) == 0 && strstr(set->notes[i].text, needle))
            return true;
    return false;
}

static void print_notes(const hj_energy_set *set)
{
    for (size_t i = 0; i < set->n_notes; i++)
        print_message("note %s: %s\n", set->notes[i].source, set->notes[i].text);
}

static int find_sensor(const hj_energy_set *set, const char *name)
{
    for (size_t i = 0; i < set->n_sensors; i++)
        if (strcmp(set->sensors[i]->name, name) == 0)
            return (int)i;
    return -1;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* --- powercap ------------------------------------------------------------------ */
static void rapl_tree(const char *root, const char *max, const char *energy)
{
    put(root, "class/powercap/intel-rapl/enabled", "1\n");
    put(root, "class/powercap/intel-rapl:0/name", "package-0\n");
    put(root, "class/powercap/intel-rapl:0/max_energy_range_uj", max);
    put(root, "class/powercap/intel-rapl:0/energy_uj", energy);
    put(root, "class/powercap/intel-rapl:0:0/name", "core\n");
    put(root, "class/powercap/intel-rapl:0:0/max_energy_range_uj", max);
    put(root, "class/powercap/intel-rapl:0:0/energy_uj", "0\n");
    put(root, "class/powercap/intel-rapl:0:1/name", "dram\n");
    put(root, "class/powercap/intel-rapl:0:1/max_energy_range_uj", max);
    put(root, "class/powercap/intel-rapl:0:1/energy_uj", "5\n");
}

static void test_powercap_discovery(void **state)
{
    (void)state;
    char *root = new_root();
    rapl_tree(root, "262143328850\n", "1000\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    int pkg = find_sensor(&set, "rapl:0:package-0"), core = find_sensor(&set, "rapl:0:0:core"),
        dram = find_sensor(&set, "rapl:0:1:dram");
    assert_true(pkg >= 0 && core >= 0 && dram >= 0);
    assert_string_equal(set.sensors[pkg]->scope, HJ_SCOPE_CPU_PACKAGE);
    assert_string_equal(set.sensors[core]->scope, HJ_SCOPE_CPU_CORES);
    assert_string_equal(set.sensors[dram]->scope, HJ_SCOPE_DRAM);
    assert_true(set.sensors[pkg]->cumulative);
    assert_true(set.sensors[pkg]->count_modulus == 262143328851ull);
    /* Read at least once a second: never two wraps between reads even at 2 kW. */
    assert_true(set.sensors[pkg]->sample_period_s <= 1.0);
    /* powercap worked, so perf is not also opened for the same package. */
    assert_false(has_note(&set, "perf-power", ""));
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_powercap_wrap(void **state)
{
    (void)state;
    char *root = new_root();
    /* A counter that wraps after 1,000,000 µJ (max_energy_range_uj 999999). */
    rapl_tree(root, "999999\n", "999000\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    int pkg = find_sensor(&set, "rapl:0:package-0");
    assert_true(pkg >= 0);
    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    double j[8], t;
    /* 999000 -> 999900 -> (wrap) 200 -> 100000 -> (wrap) 50: the meter's own
     * thread samples in between too; every step is less than one wrap. */
    static const char *steps[] = {"999900\n", "200\n", "100000\n", "50\n"};
    for (size_t i = 0; i < 4; i++) {
        put(root, "class/powercap/intel-rapl:0/energy_uj", steps[i]);
        sleep_s(0.03);
        hj_energy_meter_snapshot(m, j, &t);
    }
    double want_uj = (999900 - 999000) + (1000000 - 999900 + 200) + (100000 - 200) + (1000000 - 100000 + 50);
    assert_true(fabs(j[pkg] - want_uj * 1e-6) < 1e-12);
    assert_null(hj_energy_meter_failure(m, (size_t)pkg));
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_powercap_bad_files(void **state)
{
    (void)state;
    char *root = new_root();
    rapl_tree(root, "999999\n", "not a number\n");
    put(root, "class/powercap/intel-rapl:0:0/energy_uj", "2000000\n"); /* beyond the range */
    put(root, "class/powercap/intel-rapl:0:1/max_energy_range_uj", "12abc\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    assert_int_equal(set.n_sensors, 0);
    assert_true(has_note(&set, "powercap-rapl", "intel-rapl:0/energy_uj: 'not a number' is not an energy counter"));
    assert_true(has_note(&set, "powercap-rapl", "beyond max_energy_range_uj"));
    assert_true(has_note(&set, "powercap-rapl", "'12abc' is not a counter range"));
    /* With powercap unusable, the perf PMU is tried and its absence explained. */
    assert_true(has_note(&set, "perf-power", "no perf power PMU"));
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_powercap_reading_fails_later(void **state)
{
    (void)state;
    char *root = new_root();
    rapl_tree(root, "999999\n", "100\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    int pkg = find_sensor(&set, "rapl:0:package-0");
    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    put(root, "class/powercap/intel-rapl:0/energy_uj", "garbage\n");
    double j[8];
    hj_energy_meter_snapshot(m, j, NULL);
    assert_true(isnan(j[pkg])); /* never a made-up number */
    const char *why = hj_energy_meter_failure(m, (size_t)pkg);
    assert_non_null(why);
    assert_non_null(strstr(why, "'garbage' is not an energy counter"));
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_no_powercap(void **state)
{
    (void)state;
    char *root = new_root();
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    assert_int_equal(set.n_sensors, 0);
    assert_true(has_note(&set, "powercap-rapl", "no powercap in this system"));
    assert_true(has_note(&set, "nvml", "NVML not loaded"));
    assert_true(has_note(&set, "amdgpu-hwmon", "class/drm"));
    assert_true(has_note(&set, "wall", "--power-watts"));
    hj_energy_set_free(&set);
    /* powercap present but empty */
    put(root, "class/powercap/.keep", "");
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    assert_true(has_note(&set, "powercap-rapl", "has no RAPL zones"));
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_perf_pmu_unusable(void **state)
{
    (void)state;
    char *root = new_root();
    /* A PMU type that does not exist: perf_event_open fails and says so. */
    put(root, "bus/event_source/devices/power/type", "987654\n");
    put(root, "bus/event_source/devices/power/cpumask", "0\n");
    put(root, "bus/event_source/devices/power/events/energy-pkg", "event=0x02\n");
    put(root, "bus/event_source/devices/power/events/energy-pkg.scale", "2.3283064365386962890625e-10\n");
    put(root, "bus/event_source/devices/power/events/energy-pkg.unit", "Joules\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    assert_int_equal(set.n_sensors, 0);
    assert_true(has_note(&set, "perf-power", "perf_event_open(power/energy-pkg/ on CPU 0) failed"));
    hj_energy_set_free(&set);
    put(root, "bus/event_source/devices/power/events/energy-pkg.scale", "bogus\n");
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    assert_true(has_note(&set, "perf-power", "malformed scale"));
    hj_energy_set_free(&set);
    rm_root(root);
}

/* --- amdgpu hwmon ----------------------------------------------------------------- */
static void test_hwmon(void **state)
{
    (void)state;
    char *root = new_root();
    put(root, "class/drm/card0/device/hwmon/hwmon4/name", "amdgpu\n");
    put(root, "class/drm/card0/device/hwmon/hwmon4/power1_average", "50000000\n"); /* 50 W in µW */
    put(root, "class/drm/card0/device/product_name", "Radeon Test\n");
    put(root, "class/drm/card0-DP-1/status", "connected\n");
    put(root, "class/drm/card1/device/hwmon/hwmon5/name", "amdgpu\n");
    put(root, "class/drm/card1/device/hwmon/hwmon5/energy1_input", "1000000\n");
    put(root, "class/drm/card1/device/hwmon/hwmon5/power1_average", "1\n");
    put(root, "class/drm/card2/device/hwmon/hwmon6/name", "nouveau\n");
    hj_energy_options o = opts_for(root);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    int c0 = find_sensor(&set, "amdgpu:card0"), c1 = find_sensor(&set, "amdgpu:card1");
    assert_true(c0 >= 0 && c1 >= 0);
    assert_int_equal(find_sensor(&set, "amdgpu:card2"), -1);
    assert_false(set.sensors[c0]->cumulative); /* power1_average */
    assert_true(set.sensors[c1]->cumulative);  /* energy1_input preferred */
    assert_string_equal(set.sensors[c0]->scope, HJ_SCOPE_GPU_BOARD);
    assert_string_equal(set.sensors[c0]->device, "Radeon Test");

    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    double a[8], b[8], ta, tb;
    hj_energy_meter_snapshot(m, a, &ta);
    put(root, "class/drm/card1/device/hwmon/hwmon5/energy1_input", "3500000\n");
    sleep_s(0.3);
    hj_energy_meter_snapshot(m, b, &tb);
    /* Constant power integrates exactly to watts x seconds. */
    assert_true(fabs((b[c0] - a[c0]) - 50.0 * (tb - ta)) < 1e-9 * 50.0 * (tb - ta) + 1e-9);
    assert_true(fabs((b[c1] - a[c1]) - 2.5) < 1e-12);
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);

    put(root, "class/drm/card0/device/hwmon/hwmon4/power1_average", "-5\n");
    put(root, "class/drm/card1/device/hwmon/hwmon5/energy1_input", "x\n");
    put(root, "class/drm/card1/device/hwmon/hwmon5/power1_average", "\n");
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    assert_int_equal(find_sensor(&set, "amdgpu:card0"), -1);
    assert_int_equal(find_sensor(&set, "amdgpu:card1"), -1);
    assert_true(has_note(&set, "amdgpu-hwmon", "power1_average: '-5' is not a power reading"));
    assert_true(has_note(&set, "amdgpu-hwmon", "energy1_input: 'x' is not an energy counter"));
    hj_energy_set_free(&set);
    rm_root(root);
}

/* --- NVML through the fake library ---------------------------------------------- */
static void test_nvml_energy_counter(void **state)
{
    (void)state;
    char *root = new_root();
    setenv("FAKE_NVML_MODE", "energy", 1);
    setenv("FAKE_NVML_WATTS", "250", 1);
    hj_energy_options o = opts_for(root);
    o.nvml_library = g_fake_nvml;
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    print_notes(&set);
    int g = find_sensor(&set, "nvml:0");
    assert_true(g >= 0);
    assert_true(set.sensors[g]->cumulative);
    assert_string_equal(set.sensors[g]->scope, HJ_SCOPE_GPU_BOARD);
    assert_string_equal(set.sensors[g]->device, "Fake NVIDIA GPU");
    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    double a[8], b[8], ta, tb;
    hj_energy_meter_snapshot(m, a, &ta);
    sleep_s(0.3);
    hj_energy_meter_snapshot(m, b, &tb);
    double j = b[g] - a[g], want = 250.0 * (tb - ta);
    print_message("nvml energy: %.4f J, expected %.4f J\n", j, want);
    assert_true(fabs(j - want) < 0.01 * want + 0.01); /* millijoule counter, read a moment apart */
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);
    rm_root(root);
}

static void test_nvml_power_and_failure(void **state)
{
    (void)state;
    char *root = new_root();
    hj_energy_options o = opts_for(root);
    o.nvml_library = g_fake_nvml;
    setenv("FAKE_NVML_MODE", "power", 1);
    setenv("FAKE_NVML_WATTS", "75", 1);
    hj_energy_set set;
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    int g = find_sensor(&set, "nvml:0");
    assert_true(g >= 0);
    assert_false(set.sensors[g]->cumulative); /* no energy counter: power samples */
    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    double a[8], b[8], ta, tb;
    hj_energy_meter_snapshot(m, a, &ta);
    sleep_s(0.25);
    hj_energy_meter_snapshot(m, b, &tb);
    assert_true(fabs((b[g] - a[g]) - 75.0 * (tb - ta)) < 1e-6);
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);

    setenv("FAKE_NVML_MODE", "fail-init", 1);
    assert_int_equal(hj_energy_discover(&o, &set, NULL), HJ_OK);
    assert_int_equal(find_sensor(&set, "nvml:0"), -1);
    assert_true(has_note(&set, "nvml", "nvmlInit failed: Driver Not Loaded (fake)"));
    hj_energy_set_free(&set);
    unsetenv("FAKE_NVML_MODE");
    unsetenv("FAKE_NVML_WATTS");
    rm_root(root);
}

/* --- wall meter -------------------------------------------------------------------------- */
static void test_parse_watts(void **state)
{
    (void)state;
    static const char ipmi[] = "    Instantaneous power reading:                   220 Watts\n"
                               "    Minimum during sampling period:                 60 Watts\n"
                               "    Maximum during sampling period:                336 Watts\n"
                               "    Average power reading over sample period:      216 Watts\n"
                               "    IPMI timestamp:                           Thu Jun 20 15:01:00 2024\n"
                               "    Sampling period:                          00000001 Seconds.\n"
                               "    Power reading state is:                   activated\n";
    static const struct {
        const char *text;
        double watts;
    } good[] = {
        {ipmi, 220},
        {"1.2 kW\n", 1200},
        {"850mW", 0.85},
        {"  42\n", 42},
        {"PDU outlet 3: 512.5W", 512.5},
        {"power=0.25 kilowatts", 250},
        {"1.5 MW", 1.5e6},
        {"310 watt", 310},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double w = -1;
        hj_error err = {{0}};
        assert_int_equal(hj_energy_parse_watts(good[i].text, &w, &err), HJ_OK);
        assert_true(fabs(w - good[i].watts) < 1e-9 * good[i].watts);
    }
    static const char *bad[] = {"", "no reading", "12 V 3 A", "-5 W", "Sampling period: 1 s, 2 s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double w;
        hj_error err = {{0}};
        assert_int_equal(hj_energy_parse_watts(bad[i], &w, &err), HJ_ERR_INPUT);
        assert_true(strlen(err.message) > 0);
    }
}

static void test_wall_command(void **state)
{
    (void)state;
    char *root = new_root();
    char script[1100], count[1100];
    snprintf(script, sizeof script, "%s/meter.sh", root);
    snprintf(count, sizeof count, "%s/count", root);
    /* Prints 100 W until the flag file appears, then fails. */
    FILE *f = fopen(script, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n[ -e '%s' ] && { echo 'meter offline' >&2; exit 4; }\necho 'Power: 100 W'\n", count);
    fclose(f);
    chmod(script, 0755);
    hj_energy_options o = opts_for(root);
    o.wall_command = script;
    o.command_period_s = 0.05;
    hj_energy_set set;
    hj_error err = {{0}};
    assert_int_equal(hj_energy_discover(&o, &set, &err), HJ_OK);
    int w = find_sensor(&set, "wall:command");
    assert_true(w >= 0);
    assert_string_equal(set.sensors[w]->scope, HJ_SCOPE_WALL);
    hj_energy_meter *m;
    assert_int_equal(hj_energy_meter_start(&set, &m, NULL), HJ_OK);
    double a[8], b[8], ta, tb;
    hj_energy_meter_snapshot(m, a, &ta);
    sleep_s(0.3);
    hj_energy_meter_snapshot(m, b, &tb);
    assert_true(fabs((b[w] - a[w]) - 100.0 * (tb - ta)) < 1e-6);
    put(root, "count", "x");
    sleep_s(0.3);
    hj_energy_meter_snapshot(m, b, &tb);
    assert_true(isnan(b[w]));
    const char *why = hj_energy_meter_failure(m, (size_t)w);
    assert_non_null(why);
    assert_non_null(strstr(why, "exited with status 4: meter offline"));
    hj_energy_meter_stop(m);
    hj_energy_set_free(&set);

    /* A command that fails from the start is the user's input error. */
    assert_int_equal(hj_energy_discover(&o, &set, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "--power-cmd"));
    o.wall_command = "echo 'no number here'";
    assert_int_equal(hj_energy_discover(&o, &set, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "no power reading"));
    o.wall_command = NULL;
    o.wall_watts = 300;
    assert_int_equal(hj_energy_discover(&o, &set, &err), HJ_OK);
    assert_true(find_sensor(&set, "wall:constant") >= 0);
    hj_energy_set_free(&set);
    rm_root(root);
}

/* --- statistics ---------------------------------------------------------------------------- */
static void test_stats(void **state)
{
    (void)state;
    double v[] = {5, 1, 4, 2, 3};
    assert_true(hj_median(v, 5) == 3);
    assert_true(hj_median(v, 4) == 3); /* 5 1 4 2 -> (2 + 4) / 2 */
    assert_true(hj_mad(v, 5) == 1);
    assert_true(fabs(hj_cv(v, 5) - sqrt(2.5) / 3) < 1e-12);
    double le, ge;
    /* Binomial(20, 1/2): P(X <= 10) = P(X >= 10) = 616666 / 2^20 */
    hj_binomial_tails(10, 20, 0.5, &le, &ge);
    assert_true(fabs(le - 616666.0 / 1048576) < 1e-12 && fabs(ge - 616666.0 / 1048576) < 1e-12);
    /* Small p, the usual bench case: Binomial(10^4, 1/1000), mean 10;
     * the references are summed exactly with Python's fractions. */
    hj_binomial_tails(3, 10000, 1e-3, &le, &ge);
    assert_true(fabs(le - 0.010309581702815474) < 1e-9 && fabs(ge - 0.9972396759092509) < 1e-9);
    hj_binomial_tails(20, 10000, 1e-3, &le, &ge);
    assert_true(fabs(le - 0.9984210545039696) < 1e-9 && fabs(ge - 0.0034375668157023663) < 1e-9);
    /* An easy target (p = 1/2): 1100 of 2000 is 4.5 standard deviations
     * out, P(X >= 1100) = 4.2285e-6; a Poisson law with the same mean would
     * call it 9.6e-4, and 450 hits of 1000 expected 500 is P = 8.7e-4, not
     * the Poisson 0.013. */
    hj_binomial_tails(1100, 2000, 0.5, &le, &ge);
    assert_true(fabs(ge - 4.228544767751963e-06) < 1e-12 && le > 0.99999);
    hj_binomial_tails(450, 1000, 0.5, &le, &ge);
    assert_true(fabs(le - 0.0008652680424881588) < 1e-12);
    /* No hit of a mean 5: (1 - p)^n */
    hj_binomial_tails(0, 5000000, 1e-6, &le, &ge);
    assert_true(fabs(le - exp(5000000 * log1p(-1e-6))) < 1e-15 && ge == 1);
    /* A kernel that did an eighth of 1000 expected hits' work is far beyond chance. */
    hj_binomial_tails(125, 1000000000, 1e-6, &le, &ge);
    assert_true(le < 1e-100 && ge > 0.999999);
    /* Long runs at the default target (p = 2^-16): 10^12 hashes, +-4 standard
     * deviations out, and 10^10 near the mean; references summed with
     * mpmath at 40 digits. lgamma differences would lose 5+ digits here. */
    hj_binomial_tails(15243000, 1000000000000ull, ldexp(1, -16), &le, &ge);
    assert_true(fabs(le / 2.643567147154418e-5 - 1) < 1e-9 && fabs(ge - 0.99997359319537486) < 1e-12);
    hj_binomial_tails(15275000, 1000000000000ull, ldexp(1, -16), &le, &ge);
    assert_true(fabs(ge / 1.6681096191158807e-5 - 1) < 1e-9 && fabs(le - 0.99998333754059572) < 1e-12);
    hj_binomial_tails(152400, 10000000000ull, ldexp(1, -16), &le, &ge);
    assert_true(fabs(le - 0.31582877005125871) < 1e-11 && fabs(ge - 0.68508147819556966) < 1e-11);
    /* Degenerate laws and impossible counts. */
    hj_binomial_tails(7, 7, 1.0, &le, &ge);
    assert_true(le == 1 && ge == 1);
    hj_binomial_tails(6, 7, 1.0, &le, &ge);
    assert_true(le == 0 && ge == 1);
    hj_binomial_tails(8, 7, 0.5, &le, &ge);
    assert_true(le == 1 && ge == 0);
    hj_binomial_tails(0, 0, 0.5, &le, &ge);
    assert_true(le == 1 && ge == 1);
    uint8_t t[32];
    memset(t, 0xff, sizeof t);
    t[31] = 0;
    t[30] = 0; /* 0000ffff...: 2^-16 */
    assert_true(fabs(hj_target_probability(t) - ldexp(1, -16)) < 1e-25);
}

int main(int argc, char **argv)
{
    g_fake_nvml = argc > 1 ? argv[1] : "libnvidia-ml.so.1";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_powercap_discovery),
        cmocka_unit_test(test_powercap_wrap),
        cmocka_unit_test(test_powercap_bad_files),
        cmocka_unit_test(test_powercap_reading_fails_later),
        cmocka_unit_test(test_no_powercap),
        cmocka_unit_test(test_perf_pmu_unusable),
        cmocka_unit_test(test_hwmon),
        cmocka_unit_test(test_nvml_energy_counter),
        cmocka_unit_test(test_nvml_power_and_failure),
        cmocka_unit_test(test_parse_watts),
        cmocka_unit_test(test_wall_command),
        cmocka_unit_test(test_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
