/* hashjoule — OpenCL platforms and devices as this machine sees them. */
#ifndef HASHJOULE_OPENCL_H
#define HASHJOULE_OPENCL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"
#include "hashjoule/kernel.h"

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
    unsigned native_int_width; /* CL_DEVICE_NATIVE_VECTOR_WIDTH_INT; a CPU device's default HJ_VECTOR */
} hj_opencl_device_info;

/* Every device of every platform. With no OpenCL platform installed this is
 * not an error: *count is 0 and `note` (may be NULL) says why. */
hj_status hj_opencl_enumerate(hj_opencl_device_info **devices, size_t *count, char *note, size_t note_len,
                              hj_error *err);

/* ---- the OpenCL SHA-256d backend (src/opencl/, kernels/opencl/sha256d.cl) ----
 *
 * Once installed in the kernel registry (hj_opencl_register_backend below),
 * every device becomes a registry kernel named "opencl:P:D" (platform index
 * P, device index D, in the order `hashjoule info` lists them). Two more names
 * are found by hj_kernel_find but not listed by hj_kernel_at, so that walking
 * the registry meets each device once: "opencl", the first device that can
 * run (GPUs first), and "opencl:all" (when two or more devices can run),
 * which splits a range over all of them. With no device at all, one
 * unavailable kernel "opencl" is listed and says why. */

/* Settings; 0 / false / "" everywhere means automatic. Each has an
 * environment variable (HJ_OPENCL_<NAME>) that hj_opencl_options_from_env
 * reads, so scripts and tests can set them without flags. */
typedef struct hj_opencl_options {
    double launch_ms;        /* device time one launch should take; 0: 75 ms */
    unsigned local_size;     /* work-items per group; 0: measured at first use */
    uint64_t launch_nonces;  /* fixed nonces per launch (tests); 0: sized to launch_ms */
    unsigned hit_slots;      /* candidate buffer entries; 0: sized from the target */
    unsigned vector;         /* nonces per vector, 1/2/4/8/16; 0: per device type */
    unsigned iters;          /* vectors per work-item, 1..64; 0: per device type */
    unsigned in_flight;      /* launches queued at once, 2..8; 0: 3 */
    char build_options[256]; /* appended to the program's build options */
    bool no_cache;           /* neither read nor write the program binary cache */
    bool verbose;            /* notes on stderr: build, cache, tuning */
} hj_opencl_options;

/* Environment defaults: HJ_OPENCL_LAUNCH_MS, _LOCAL_SIZE, _LAUNCH_NONCES,
 * _HIT_SLOTS, _VECTOR, _ITERS, _IN_FLIGHT, _BUILD_OPTIONS, _NO_CACHE, _VERBOSE.
 * Unset variables leave `opt` as it is; a malformed one is an input error
 * naming the variable. */
hj_status hj_opencl_options_from_env(hj_opencl_options *opt, hj_error *err);
/* Check and install the settings used by every later OpenCL scan. Until it is
 * called, the environment's settings apply. */
hj_status hj_opencl_set_options(const hj_opencl_options *opt, hj_error *err);

/* Install the OpenCL backend in the kernel registry (hj_kernel_add_backend),
 * so that hj_kernel_count/hj_kernel_at/hj_kernel_find include the devices and
 * hj_kernel_find resolves "opencl" and "opencl:all". The registry (the scan
 * layer) does not know OpenCL by itself: a program that wants OpenCL kernels
 * calls this once, before it first lists or looks up kernels; the hashjoule
 * program does so at the start of main. Cheap (devices are discovered on the
 * registry's first need of them, as before) and idempotent. The three
 * look-ups below install it themselves. */
void hj_opencl_register_backend(void);

/* The kernel for a --device argument: "P:D" or "all". A device that does not
 * exist is an input error that lists the devices there are. */
hj_status hj_opencl_kernel_for_device(const char *spec, const hj_kernel **kernel, hj_error *err);
/* The kernel "opencl" stands for (see above); never NULL after discovery. */
const hj_kernel *hj_opencl_default_kernel(void);
/* "opencl" and "opencl:all" (NULL for any other name, or no such group). */
const hj_kernel *hj_opencl_alias(const char *name);

/* Where built programs are cached ("" when there is no usable location):
 * $XDG_CACHE_HOME/hashjoule, else $HOME/.cache/hashjoule. */
void hj_opencl_cache_dir(char *out, size_t out_len);

#ifdef __cplusplus
}
#endif
#endif
