/* A stand-in for libnvidia-ml.so.1 with just the calls hashjoule makes, so
 * the NVML loader is tested on machines without an NVIDIA driver.
 * FAKE_NVML_MODE: "energy" (default: a total-energy counter rising at
 * FAKE_NVML_WATTS, default 250), "power" (no energy counter; constant power
 * of FAKE_NVML_WATTS), "fail-init" (nvmlInit fails as with no driver). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct nvmlDevice_st {
    int index;
} * nvmlDevice_t;

static struct nvmlDevice_st g_dev;
static double g_t0;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static const char *mode(void)
{
    const char *m = getenv("FAKE_NVML_MODE");
    return m ? m : "energy";
}
static double watts(void)
{
    const char *w = getenv("FAKE_NVML_WATTS");
    return w ? atof(w) : 250.0;
}

int nvmlInit_v2(void)
{
    if (strcmp(mode(), "fail-init") == 0)
        return 9; /* NVML_ERROR_DRIVER_NOT_LOADED */
    g_t0 = now();
    return 0;
}
int nvmlShutdown(void) { return 0; }
const char *nvmlErrorString(int r)
{
    return r == 9 ? "Driver Not Loaded (fake)" : r == 3 ? "Not Supported (fake)" : "Unknown Error (fake)";
}
int nvmlDeviceGetCount_v2(unsigned *n)
{
    *n = 1;
    return 0;
}
int nvmlDeviceGetHandleByIndex_v2(unsigned i, nvmlDevice_t *d)
{
    if (i != 0)
        return 2; /* NVML_ERROR_INVALID_ARGUMENT */
    *d = &g_dev;
    return 0;
}
int nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned len)
{
    (void)d;
    snprintf(name, len, "Fake NVIDIA GPU");
    return 0;
}
int nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *mj)
{
    (void)d;
    if (strcmp(mode(), "power") == 0)
        return 3; /* NVML_ERROR_NOT_SUPPORTED, as before Volta */
    *mj = 123456789ull + (unsigned long long)((now() - g_t0) * watts() * 1000.0);
    return 0;
}
int nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned *mw)
{
    (void)d;
    *mw = (unsigned)(watts() * 1000.0);
    return 0;
}
