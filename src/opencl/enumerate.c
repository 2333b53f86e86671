/* OpenCL platform and device enumeration (OpenCL 1.2 API, clGetPlatformIDs /
 * clGetDeviceIDs / clGetDeviceInfo). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl.h>

#include "hashjoule/opencl.h"

/* cl_khr_icd: the ICD loader's answer when no vendor driver is installed. */
#define HJ_CL_PLATFORM_NOT_FOUND_KHR (-1001)

static void platform_string(cl_platform_id p, cl_platform_info what, char *out, size_t len)
{
    if (clGetPlatformInfo(p, what, len, out, NULL) != CL_SUCCESS)
        snprintf(out, len, "?");
    out[len - 1] = '\0';
}

static void device_string(cl_device_id d, cl_device_info what, char *out, size_t len)
{
    if (clGetDeviceInfo(d, what, len, out, NULL) != CL_SUCCESS)
        snprintf(out, len, "?");
    out[len - 1] = '\0';
}

static const char *device_type_name(cl_device_type t)
{
    if (t & CL_DEVICE_TYPE_GPU)
        return "gpu";
    if (t & CL_DEVICE_TYPE_CPU)
        return "cpu";
    if (t & CL_DEVICE_TYPE_ACCELERATOR)
        return "accelerator";
    return "other";
}

hj_status hj_opencl_enumerate(hj_opencl_device_info **devices, size_t *count, char *note, size_t note_len,
                              hj_error *err)
{
    *devices = NULL;
    *count = 0;
    cl_uint n_platforms = 0;
    cl_int rc = clGetPlatformIDs(0, NULL, &n_platforms);
    if (rc == HJ_CL_PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && n_platforms == 0)) {
        if (note)
            snprintf(note, note_len, "no OpenCL platform found (no ICD in /etc/OpenCL/vendors)");
        return HJ_OK;
    }
    if (rc != CL_SUCCESS)
        return hj_fail(err, HJ_ERR_RUNTIME, "clGetPlatformIDs failed with error %d", rc);

    /* NOLINTNEXTLINE(bugprone-sizeof-expression): cl_platform_id is a handle: the array holds pointers */
    cl_platform_id *platforms = calloc(n_platforms, sizeof *platforms);
    if (!platforms)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    clGetPlatformIDs(n_platforms, platforms, NULL);

    hj_opencl_device_info *list = NULL;
    size_t n = 0;
    for (cl_uint p = 0; p < n_platforms; p++) {
        cl_uint n_dev = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n_dev) != CL_SUCCESS || n_dev == 0)
            continue;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): cl_device_id is a handle: the array holds pointers */
        cl_device_id *ids = calloc(n_dev, sizeof *ids);
        hj_opencl_device_info *grown = realloc(list, (n + n_dev) * sizeof *list);
        if (!ids || !grown) {
            free(ids);
            free(grown ? grown : list);
            free(platforms);
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        }
        list = grown;
        clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, n_dev, ids, NULL);
        for (cl_uint d = 0; d < n_dev; d++) {
            hj_opencl_device_info *info = &list[n++];
            memset(info, 0, sizeof *info);
            info->platform_index = p;
            info->device_index = d;
            platform_string(platforms[p], CL_PLATFORM_NAME, info->platform_name, sizeof info->platform_name);
            platform_string(platforms[p], CL_PLATFORM_VENDOR, info->platform_vendor, sizeof info->platform_vendor);
            platform_string(platforms[p], CL_PLATFORM_VERSION, info->platform_version, sizeof info->platform_version);
            device_string(ids[d], CL_DEVICE_NAME, info->name, sizeof info->name);
            device_string(ids[d], CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
            device_string(ids[d], CL_DEVICE_VERSION, info->device_version, sizeof info->device_version);
            device_string(ids[d], CL_DRIVER_VERSION, info->driver_version, sizeof info->driver_version);
            cl_device_type type = 0;
            cl_uint cu = 0, mhz = 0, width = 0;
            cl_ulong gmem = 0, lmem = 0;
            size_t wg = 0;
            clGetDeviceInfo(ids[d], CL_DEVICE_TYPE, sizeof type, &type, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cu, &cu, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_MAX_CLOCK_FREQUENCY, sizeof mhz, &mhz, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_GLOBAL_MEM_SIZE, sizeof gmem, &gmem, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_LOCAL_MEM_SIZE, sizeof lmem, &lmem, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
            clGetDeviceInfo(ids[d], CL_DEVICE_NATIVE_VECTOR_WIDTH_INT, sizeof width, &width, NULL);
            snprintf(info->type, sizeof info->type, "%s", device_type_name(type));
            info->compute_units = cu;
            info->max_clock_mhz = mhz;
            info->global_mem_bytes = gmem;
            info->local_mem_bytes = lmem;
            info->max_work_group_size = wg;
            info->native_int_width = width;
        }
        free(ids);
    }
    free(platforms);
    *devices = list;
    *count = n;
    if (n == 0 && note)
        snprintf(note, note_len, "OpenCL platforms found, but no devices");
    return HJ_OK;
}
