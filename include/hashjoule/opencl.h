/* hashjoule — OpenCL platforms and devices as this machine sees them. */
#ifndef HASHJOULE_OPENCL_H
#define HASHJOULE_OPENCL_H

#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_opencl_device_info {
    unsigned platform_index, device_index; /* as in --device PLATFORM:DEVICE */
    char platform_name[128];
    char platform_vendor[128];
    char platform_version[128];
    char name[256];
    char vendor[128];
    char type[16];            /* "gpu", "cpu", "accelerator", "other" */
    char device_version[128]; /* "OpenCL 3.0 ..." */
    char driver_version[128];
    unsigned compute_units;
    unsigned max_clock_mhz;
    uint64_t global_mem_bytes;
    uint64_t local_mem_bytes;
    size_t max_work_group_size;
} hj_opencl_device_info;

/* Every device of every platform. With no OpenCL platform installed this is
 * not an error: *count is 0 and `note` (may be NULL) says why. */
hj_status hj_opencl_enumerate(hj_opencl_device_info **devices, size_t *count, char *note,
                              size_t note_len, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
