/* The OpenCL backend: device discovery and registration in the kernel
 * registry, and the --device lookup. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocl_private.h"

/* ---- discovery ------------------------------------------------------------ */

static ocl_device **g_devices; /* every device, runnable or not */
static size_t g_n_devices;
/* What "opencl" stands for, by name: discovery runs while the registry is
 * being filled, so it cannot look registry entries up itself. */
static char g_default_name[64];
static hj_kernel g_all_kernel; /* opencl:all, when two or more devices can run */
static bool g_have_all;

static void info_string(cl_device_id dev, cl_device_info what, char *out, size_t len)
{
    if (clGetDeviceInfo(dev, what, len, out, NULL) != CL_SUCCESS)
        snprintf(out, len, "?");
    out[len - 1] = '\0';
}

/* An unsigned decimal number (digits only: no sign, no space) at *s; *s moves past it. */
static bool parse_small_decimal(const char **s, unsigned *out)
{
    const char *p = *s;
    if (!isdigit((unsigned char)*p))
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(p, &end, 10);
    if (errno != 0 || v > UINT_MAX)
        return false;
    *out = (unsigned)v;
    *s = end;
    return true;
}

/* "OpenCL C 1.2 ..." (CL_DEVICE_OPENCL_C_VERSION): major and minor. */
static bool parse_c_version(const char *text, unsigned *major, unsigned *minor)
{
    static const char prefix[] = "OpenCL C ";
    if (strncmp(text, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *p = text + sizeof prefix - 1;
    return parse_small_decimal(&p, major) && *p++ == '.' && parse_small_decimal(&p, minor);
}

/* "PLATFORM:DEVICE", both decimal, nothing around them. */
static bool parse_device_id(const char *spec, unsigned *platform, unsigned *device)
{
    const char *p = spec;
    return parse_small_decimal(&p, platform) && *p++ == ':' && parse_small_decimal(&p, device) && *p == '\0';
}

/* Why this device cannot run the kernel, or "" when it can. */
static void check_device(ocl_device *d, char *why, size_t len)
{
    cl_bool available = CL_FALSE, compiler = CL_FALSE;
    char c_version[128] = "";
    clGetDeviceInfo(d->device, CL_DEVICE_AVAILABLE, sizeof available, &available, NULL);
    clGetDeviceInfo(d->device, CL_DEVICE_COMPILER_AVAILABLE, sizeof compiler, &compiler, NULL);
    info_string(d->device, CL_DEVICE_OPENCL_C_VERSION, c_version, sizeof c_version);
    unsigned major = 0, minor = 0;
    why[0] = '\0';
    if (!available)
        snprintf(why, len, "the driver reports device %.100s as not available", d->name);
    else if (!compiler)
        snprintf(why, len, "the driver has no OpenCL C compiler for %.100s", d->name);
    else if (!parse_c_version(c_version, &major, &minor) || major < 1 || (major == 1 && minor < 2))
        snprintf(why, len, "needs OpenCL C 1.2; %.100s supports '%.60s'", d->name, c_version);
}

static void register_unavailable(const char *why)
{
    hj_kernel k;
    memset(&k, 0, sizeof k);
    snprintf(k.name, sizeof k.name, "opencl");
    snprintf(k.description, sizeof k.description, "SHA-256d on an OpenCL device");
    k.kind = HJ_KERNEL_DEVICE;
    k.lanes = 1;
    k.scan_device = hj_ocl_scan_device;
    snprintf(k.unavailable_reason, sizeof k.unavailable_reason, "%s", why);
    hj_kernel_register(&k, NULL);
    snprintf(g_default_name, sizeof g_default_name, "opencl");
}

/* The backend's discovery: every device of every platform becomes a kernel. */
static void discover(void)
{
    cl_uint n_platforms = 0;
    cl_int rc = clGetPlatformIDs(0, NULL, &n_platforms);
    if (rc != CL_SUCCESS || n_platforms == 0) {
        /* -1001 is cl_khr_icd's "no platform": the ICD loader found no driver. */
        register_unavailable(rc == -1001 || (rc == CL_SUCCESS && n_platforms == 0)
                                 ? "no OpenCL platform found (no driver listed in /etc/OpenCL/vendors or "
                                   "$OCL_ICD_VENDORS); install one, e.g. pocl-opencl-icd for CPUs"
                                 : "clGetPlatformIDs failed; the OpenCL ICD loader is not working");
        return;
    }
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): cl_platform_id is a handle: the array holds pointers */
    cl_platform_id *platforms = calloc(n_platforms, sizeof *platforms);
    if (!platforms || clGetPlatformIDs(n_platforms, platforms, NULL) != CL_SUCCESS) {
        free(platforms);
        register_unavailable("could not list the OpenCL platforms");
        return;
    }
    size_t runnable = 0;
    const ocl_device *first_gpu = NULL, *first_any = NULL;
    for (cl_uint p = 0; p < n_platforms; p++) {
        cl_uint n_dev = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n_dev) != CL_SUCCESS || n_dev == 0)
            continue;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): cl_device_id is a handle: the array holds pointers */
        cl_device_id *ids = calloc(n_dev, sizeof *ids);
        if (!ids || clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, n_dev, ids, NULL) != CL_SUCCESS) {
            free(ids);
            continue;
        }
        for (cl_uint i = 0; i < n_dev; i++) {
            ocl_device *d = calloc(1, sizeof *d);
            /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
            ocl_device **grown = d ? realloc(g_devices, (g_n_devices + 1) * sizeof *grown) : NULL;
            if (!grown) {
                free(d);
                break;
            }
            g_devices = grown;
            g_devices[g_n_devices++] = d;
            pthread_mutex_init(&d->lock, NULL);
            d->platform_index = p;
            d->device_index = i;
            d->platform = platforms[p];
            d->device = ids[i];
            snprintf(d->kernel_name, sizeof d->kernel_name, "opencl:%u:%u", p, i);
            clGetDeviceInfo(d->device, CL_DEVICE_TYPE, sizeof d->type, &d->type, NULL);
            clGetDeviceInfo(d->device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof d->compute_units, &d->compute_units, NULL);
            if (clGetDeviceInfo(d->device, CL_DEVICE_NATIVE_VECTOR_WIDTH_INT, sizeof d->native_int_width,
                                &d->native_int_width, NULL) != CL_SUCCESS)
                d->native_int_width = 0;
            info_string(d->device, CL_DEVICE_NAME, d->name, sizeof d->name);
            info_string(d->device, CL_DEVICE_VENDOR, d->vendor, sizeof d->vendor);
            info_string(d->device, CL_DEVICE_VERSION, d->version, sizeof d->version);
            info_string(d->device, CL_DRIVER_VERSION, d->driver, sizeof d->driver);
            if (clGetPlatformInfo(platforms[p], CL_PLATFORM_NAME, sizeof d->platform_name, d->platform_name, NULL))
                snprintf(d->platform_name, sizeof d->platform_name, "?");
            if (clGetPlatformInfo(platforms[p], CL_PLATFORM_VERSION, sizeof d->platform_version, d->platform_version,
                                  NULL))
                snprintf(d->platform_version, sizeof d->platform_version, "?");
            d->platform_name[sizeof d->platform_name - 1] = '\0';
            d->platform_version[sizeof d->platform_version - 1] = '\0';

            hj_kernel k;
            memset(&k, 0, sizeof k);
            snprintf(k.name, sizeof k.name, "%s", d->kernel_name);
            snprintf(k.description, sizeof k.description, "SHA-256d on %.100s (%.40s)", d->name, d->platform_name);
            k.kind = HJ_KERNEL_DEVICE;
            k.lanes = 1;
            k.scan_device = hj_ocl_scan_device;
            /* version rolling: block 2's schedule once per nonce for a block of versions */
            k.scan_device_versions = hj_ocl_scan_device_versions;
            k.versions_per_pass = HJ_OCL_VERSIONS_PER_LAUNCH;
            k.device = d;
            check_device(d, k.unavailable_reason, sizeof k.unavailable_reason);
            if (hj_kernel_register(&k, NULL) != HJ_OK)
                continue;
            if (!k.unavailable_reason[0]) {
                d->runnable = true;
                runnable++;
                if (!first_any)
                    first_any = d;
                if (!first_gpu && (d->type & CL_DEVICE_TYPE_GPU))
                    first_gpu = d;
            }
        }
        free(ids);
    }
    free(platforms);

    if (g_n_devices == 0) {
        register_unavailable("OpenCL platforms are installed, but none has a device");
        return;
    }
    /* GPUs first; with no runnable device, the first one (with its reason). */
    const ocl_device *def = first_gpu ? first_gpu : first_any ? first_any : g_devices[0];
    snprintf(g_default_name, sizeof g_default_name, "%s", def->kernel_name);

    /* opencl:all is found by name (hj_opencl_alias) but not listed with the
     * devices: callers that take every registry entry (bench) measure each
     * device once, not again as part of a group. */
    if (runnable >= 2) {
        ocl_group *group = calloc(1, sizeof *group);
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        if (group && (group->devices = calloc(runnable, sizeof *group->devices)) != NULL) {
            for (size_t i = 0; i < g_n_devices; i++)
                if (g_devices[i]->runnable)
                    group->devices[group->count++] = g_devices[i];
            hj_kernel *k = &g_all_kernel;
            memset(k, 0, sizeof *k);
            snprintf(k->name, sizeof k->name, "opencl:all");
            snprintf(k->description, sizeof k->description, "SHA-256d on all %zu OpenCL devices together",
                     group->count);
            k->kind = HJ_KERNEL_DEVICE;
            k->lanes = 1;
            k->scan_device = hj_ocl_scan_group;
            k->device = group;
            g_have_all = true;
        } else {
            free(group);
        }
    }
}

static const hj_kernel_backend g_backend = {.discover = discover, .find_alias = hj_opencl_alias};

void hj_opencl_register_backend(void)
{
    /* Cannot fail: the backend is a constant, and adding it again does
     * nothing; the registry has room for more backends than the library has. */
    hj_kernel_add_backend(&g_backend, NULL);
}

const hj_kernel *hj_opencl_default_kernel(void)
{
    hj_opencl_register_backend(); /* asking for an OpenCL kernel implies wanting them */
    hj_kernel_count();            /* runs discovery once */
    return g_default_name[0] ? hj_kernel_find(g_default_name) : NULL;
}

const hj_kernel *hj_opencl_alias(const char *name)
{
    if (strcmp(name, "opencl") == 0)
        return hj_opencl_default_kernel();
    if (strcmp(name, "opencl:all") == 0) {
        hj_opencl_register_backend();
        hj_kernel_count();
        return g_have_all ? &g_all_kernel : NULL;
    }
    return NULL;
}

hj_status hj_opencl_kernel_for_device(const char *spec, const hj_kernel **kernel, hj_error *err)
{
    *kernel = NULL;
    const hj_kernel *def = hj_opencl_default_kernel();
    if (g_n_devices == 0)
        return hj_fail(err, HJ_ERR_INPUT, "--device %s: no OpenCL device: %s", spec,
                       def ? def->unavailable_reason : "none found");
    char list[640] = "";
    size_t used = 0;
    for (size_t i = 0; i < g_n_devices && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%u:%u (%.60s)", i ? ", " : "",
                                 g_devices[i]->platform_index, g_devices[i]->device_index, g_devices[i]->name);
    if (strcmp(spec, "all") == 0) {
        *kernel = g_have_all ? &g_all_kernel : def; /* one runnable device: "all" is that device */
        return HJ_OK;
    }
    unsigned p, d;
    if (!parse_device_id(spec, &p, &d))
        return hj_fail(err, HJ_ERR_INPUT, "--device '%s': expected PLATFORM:DEVICE (e.g. 0:0) or all; devices: %s",
                       spec, list);
    char name[64];
    snprintf(name, sizeof name, "opencl:%u:%u", p, d);
    *kernel = hj_kernel_find(name);
    if (!*kernel)
        return hj_fail(err, HJ_ERR_INPUT, "--device %s: no such OpenCL device; devices: %s", spec, list);
    return HJ_OK;
}
