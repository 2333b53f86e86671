/* NVIDIA GPUs through NVML, loaded at run time with dlopen so the build and
 * machines without the driver need nothing. Per GPU: the total energy
 * counter (nvmlDeviceGetTotalEnergyConsumption, millijoules since the driver
 * loaded, Volta and newer) where supported, else power samples
 * (nvmlDeviceGetPowerUsage, milliwatts) integrated by the meter
 * (NVML API reference; nvidia.github.io/cuda-python documents the same
 * calls as device_get_total_energy_consumption and device_get_power_usage). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "energy_internal.h"
#include "energy_sources.h"

/* The few NVML declarations used (nvml.h is not needed to build). */
typedef int nvml_return; /* nvmlReturn_t; 0 = NVML_SUCCESS */
typedef struct nvml_device_st *nvml_device;
#define NVML_SUCCESS 0
#define NVML_DEVICE_NAME_BUFFER_SIZE 96

typedef struct nvml_lib {
    void *handle;
    int refs;
    nvml_return (*init)(void);
    nvml_return (*shutdown)(void);
    const char *(*error_string)(nvml_return);
    nvml_return (*get_count)(unsigned *);
    nvml_return (*get_handle)(unsigned, nvml_device *);
    nvml_return (*get_name)(nvml_device, char *, unsigned);
    nvml_return (*get_energy_mj)(nvml_device, unsigned long long *);
    nvml_return (*get_power_mw)(nvml_device, unsigned *);
} nvml_lib;

typedef struct nvml_priv {
    nvml_lib *lib;
    nvml_device dev;
} nvml_priv;

static const char *nvml_err(nvml_lib *lib, nvml_return r)
{
    const char *s = lib->error_string ? lib->error_string(r) : NULL;
    return s ? s : "unknown NVML error";
}

static void lib_release(nvml_lib *lib)
{
    if (--lib->refs > 0)
        return;
    if (lib->shutdown)
        lib->shutdown();
    dlclose(lib->handle);
    free(lib);
}

static hj_status nvml_read_energy(hj_energy_sensor *s, uint64_t *count, hj_error *err)
{
    nvml_priv *p = s->priv;
    unsigned long long mj = 0;
    nvml_return r = p->lib->get_energy_mj(p->dev, &mj);
    if (r != NVML_SUCCESS)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: nvmlDeviceGetTotalEnergyConsumption failed: %s", s->name,
                       nvml_err(p->lib, r));
    *count = mj;
    return HJ_OK;
}

static hj_status nvml_read_power(hj_energy_sensor *s, double *watts, hj_error *err)
{
    nvml_priv *p = s->priv;
    unsigned mw = 0;
    nvml_return r = p->lib->get_power_mw(p->dev, &mw);
    if (r != NVML_SUCCESS)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: nvmlDeviceGetPowerUsage failed: %s", s->name, nvml_err(p->lib, r));
    *watts = mw * 1e-3;
    return HJ_OK;
}

static void nvml_close(hj_energy_sensor *s)
{
    nvml_priv *p = s->priv;
    if (p) {
        lib_release(p->lib);
        free(p);
    }
}

static void *sym(void *h, const char *a, const char *b)
{
    void *f = dlsym(h, a);
    return f || !b ? f : dlsym(h, b);
}

void hj_energy_discover_nvml(const char *library, hj_energy_set *set)
{
    void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        hj_energy_add_note(set, "nvml", "NVML not loaded (%s): no NVIDIA driver on this machine", why ? why : library);
        return;
    }
    nvml_lib *lib = calloc(1, sizeof *lib);
    if (!lib) {
        dlclose(h);
        return;
    }
    lib->handle = h;
    lib->refs = 1;
    *(void **)&lib->init = sym(h, "nvmlInit_v2", "nvmlInit");
    *(void **)&lib->shutdown = sym(h, "nvmlShutdown", NULL);
    *(void **)&lib->error_string = sym(h, "nvmlErrorString", NULL);
    *(void **)&lib->get_count = sym(h, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
    *(void **)&lib->get_handle = sym(h, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
    *(void **)&lib->get_name = sym(h, "nvmlDeviceGetName", NULL);
    *(void **)&lib->get_energy_mj = sym(h, "nvmlDeviceGetTotalEnergyConsumption", NULL);
    *(void **)&lib->get_power_mw = sym(h, "nvmlDeviceGetPowerUsage", NULL);
    if (!lib->init || !lib->get_count || !lib->get_handle || (!lib->get_energy_mj && !lib->get_power_mw)) {
        hj_energy_add_note(set, "nvml",
                           "%s lacks the NVML functions needed (nvmlInit, nvmlDeviceGetCount, "
                           "nvmlDeviceGetHandleByIndex, an energy or power query)",
                           library);
        lib->shutdown = NULL;
        lib_release(lib);
        return;
    }
    nvml_return r = lib->init();
    if (r != NVML_SUCCESS) {
        hj_energy_add_note(set, "nvml", "nvmlInit failed: %s", nvml_err(lib, r));
        lib->shutdown = NULL;
        lib_release(lib);
        return;
    }
    unsigned n = 0;
    if ((r = lib->get_count(&n)) != NVML_SUCCESS)
        hj_energy_add_note(set, "nvml", "nvmlDeviceGetCount failed: %s", nvml_err(lib, r));
    else if (n == 0)
        hj_energy_add_note(set, "nvml", "NVML reports no GPU");
    for (unsigned i = 0; i < n; i++) {
        nvml_device dev;
        if ((r = lib->get_handle(i, &dev)) != NVML_SUCCESS) {
            hj_energy_add_note(set, "nvml", "GPU %u: no handle: %s", i, nvml_err(lib, r));
            continue;
        }
        char name[NVML_DEVICE_NAME_BUFFER_SIZE] = "";
        if (!lib->get_name || lib->get_name(dev, name, sizeof name) != NVML_SUCCESS)
            snprintf(name, sizeof name, "NVIDIA GPU %u", i);
        name[sizeof name - 1] = '\0';
        unsigned long long mj;
        unsigned mw;
        bool energy = lib->get_energy_mj && lib->get_energy_mj(dev, &mj) == NVML_SUCCESS;
        nvml_return pr = -1;
        bool power = !energy && lib->get_power_mw && (pr = lib->get_power_mw(dev, &mw)) == NVML_SUCCESS;
        if (!energy && !power) {
            hj_energy_add_note(set, "nvml",
                               "GPU %u (%s): neither the energy counter nor power readings are "
                               "supported (%s)",
                               i, name, pr == -1 ? "no power query" : nvml_err(lib, pr));
            continue;
        }
        nvml_priv *p = malloc(sizeof *p);
        hj_energy_sensor *s = p ? hj_energy_add_sensor(set) : NULL;
        if (!s) {
            free(p);
            break;
        }
        p->lib = lib;
        p->dev = dev;
        lib->refs++;
        snprintf(s->name, sizeof s->name, "nvml:%u", i);
        snprintf(s->source, sizeof s->source, "nvml");
        snprintf(s->scope, sizeof s->scope, HJ_SCOPE_GPU_BOARD);
        snprintf(s->device, sizeof s->device, "%s", name);
        snprintf(s->origin, sizeof s->origin, "%s: %s", library,
                 energy ? "nvmlDeviceGetTotalEnergyConsumption" : "nvmlDeviceGetPowerUsage");
        s->cumulative = energy;
        s->joules_per_count = 1e-3;
        s->count_modulus = 0;
        /* Power is an average over about a second on Ampere and newer,
         * instantaneous before: sample it well within that. */
        s->sample_period_s = energy ? 1.0 : 0.1;
        s->sample_on_snapshot = true;
        s->read_count = energy ? nvml_read_energy : NULL;
        s->read_watts = energy ? NULL : nvml_read_power;
        s->close = nvml_close;
        s->priv = p;
    }
    lib_release(lib); /* the sensors keep their own references */
}
