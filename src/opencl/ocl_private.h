/* The OpenCL backend's private state (src/opencl/). */
#ifndef HJ_OCL_PRIVATE_H
#define HJ_OCL_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <CL/cl.h>

#include "hashjoule/kernel.h"
#include "hashjoule/opencl.h"
#include "hashjoule/scan.h"

#define HJ_OCL_MAX_IN_FLIGHT 8
#define HJ_OCL_DEFAULT_IN_FLIGHT 3
#define HJ_OCL_DEFAULT_LAUNCH_MS 75.0
/* Versions of a rolled job one launch of the version-rolling kernel scans. */
#define HJ_OCL_VERSIONS_PER_LAUNCH 16
/* The kernel's nonce offsets are 32-bit and the range end is exclusive. */
#define HJ_OCL_MAX_LAUNCH_NONCES (UINT32_C(1) << 31)

/* A vector width the kernel can be built with (HJ_VECTOR: uint, uint2, uint4,
 * uint8, uint16). */
static inline bool hj_ocl_vector_ok(unsigned w) { return w == 1 || w == 2 || w == 4 || w == 8 || w == 16; }

/* One launch in flight: its slice of the range, its candidate buffer and the
 * events that say when the kernel ran and when its results arrived. */
typedef struct ocl_launch {
    uint64_t offset; /* from the start of the range being scanned */
    uint32_t count;
    cl_mem out;    /* [count, overflow flag, slots...] */
    cl_uint *host; /* where the results are read to */
    cl_event kernel_done, read_done;
    double enqueued_at; /* hj_monotonic_seconds() when queued */
} ocl_launch;

typedef struct ocl_device {
    pthread_mutex_t lock;
    char kernel_name[64]; /* "opencl:P:D" */
    unsigned platform_index, device_index;
    cl_platform_id platform;
    cl_device_id device;
    cl_device_type type;
    cl_uint compute_units;
    cl_uint native_int_width; /* CL_DEVICE_NATIVE_VECTOR_WIDTH_INT: 32-bit lanes of its SIMD registers */
    char name[256], vendor[128], version[128], driver[128];
    char platform_name[128], platform_version[128];
    bool runnable; /* passed the discovery checks */

    /* Built on first use (ocl_prepare). */
    bool ready;
    char options[640]; /* the build options the program was built with */
    cl_context context;
    cl_command_queue queue;
    cl_program program;
    cl_kernel kernel;
    /* Version rolling: the program's second kernel (hj_sha256d_scan_versions),
     * the block of versions' values it reads, and which kernel launches run:
     * `rolled` 0 is hj_sha256d_scan, else that many versions per nonce. */
    cl_kernel kernel_versions;
    size_t max_local_versions;
    cl_mem vstates;
    uint32_t vstates_cap; /* versions vstates has room for */
    unsigned rolled;
    unsigned vector, iters; /* HJ_VECTOR, HJ_ITERS of the program */
    size_t max_local;       /* CL_KERNEL_WORK_GROUP_SIZE */
    size_t local_multiple;  /* CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE */
    size_t local;           /* work-group size in use; 0 until chosen */
    bool local_given;       /* set by the options, not measured */
    double rate_nps;        /* measured hashes (nonces x versions) per second of device time; 0: unknown */
    double last_done_at;    /* when the last launch's results arrived (host clock) */
    uint32_t slots;         /* entries of each launch's candidate buffer (pairs when rolled) */
    ocl_launch launches[HJ_OCL_MAX_IN_FLIGHT];
    bool checked; /* passed opencl:all's check with these options */
    char checked_options[640];
} ocl_device;

/* The kernel "opencl:all": every runnable device on one range. */
typedef struct ocl_group {
    ocl_device **devices;
    size_t count;
} ocl_group;

/* cl_errors.c: "CL_OUT_OF_RESOURCES" for its code (a number for unknown ones). */
const char *hj_ocl_error_name(cl_int code);
/* The runtime error "<kernel> (<device>): <call> failed: <code name>". */
hj_status hj_ocl_fail(const ocl_device *d, const char *call, cl_int rc, hj_error *err);
/* settings.c: the settings currently in force (a copy); until
 * hj_opencl_set_options is called, the environment's. */
hj_status hj_ocl_current_options(hj_opencl_options *out, hj_error *err);

/* program.c: build (or load from the cache) the program and create the
 * context, queue and kernel object. */
hj_status hj_ocl_build(ocl_device *d, const hj_opencl_options *opt, hj_error *err);
void hj_ocl_release(ocl_device *d);
/* Cache files of this device's program ("bin", "tune"); see program.c. */
bool hj_ocl_cache_path(const ocl_device *d, const char *suffix, char *path, size_t len);
unsigned char *hj_ocl_cache_read(const char *path, size_t *len);
bool hj_ocl_cache_write(const char *path, const void *data, size_t len);

/* Hashes per nonce of the launches now: the versions of the block, or 1. */
static inline unsigned hj_ocl_per_nonce(const ocl_device *d) { return d->rolled ? d->rolled : 1; }
/* Nonces per work-item. */
static inline size_t hj_ocl_per_item(const ocl_device *d) { return (size_t)d->vector * d->iters; }

/* ocl_launch.c: one launch of the current kernel (d->rolled) over nonces
 * first + [offset, offset + n) in a slot of d->launches. */
/* Candidate buffers of `slots` entries for every launch slot. */
hj_status hj_ocl_ensure_buffers(ocl_device *d, uint32_t slots, hj_error *err);
/* Queue a launch with its reset and its read-back; nothing waits. */
hj_status hj_ocl_enqueue(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n, hj_error *err);
/* Wait for a launch's results; *kernel_s is its device time (0 if unknown). */
hj_status hj_ocl_wait_launch(ocl_device *d, ocl_launch *l, double *kernel_s, hj_error *err);
/* One launch, start to finish (tuning and overflow rescans). */
hj_status hj_ocl_run_blocking(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n,
                              double *kernel_s, hj_error *err);
/* A finished launch's candidate buffer overflowed: its contents are not to be used. */
bool hj_ocl_overflowed(const ocl_device *d, const ocl_launch *l);
/* Candidates of a finished launch, checked to lie in its slice (a pair is
 * pushed as two entries). */
hj_status hj_ocl_take_candidates(ocl_device *d, const ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err);
/* An overflowed launch's slice again, in pieces of hj_ocl_rescan_piece()
 * nonces that cannot overflow. */
hj_status hj_ocl_rescan(ocl_device *d, ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err);
uint32_t hj_ocl_rescan_piece(const ocl_device *d);

/* ocl_sizes.c: build if needed and settle the work-group size (given, saved
 * by an earlier run, or measured). */
hj_status hj_ocl_prepare(ocl_device *d, const hj_opencl_options *opt, hj_error *err);
/* Entries per candidate buffer for a job of `versions` hashes per nonce. */
uint32_t hj_ocl_slots_for(const hj_job *job, const hj_opencl_options *opt, unsigned versions);
/* Nonces of the next launch, by the measured rate and the buffer size. */
uint32_t hj_ocl_launch_size(const ocl_device *d, const hj_opencl_options *opt, const hj_job *job);
/* n down to a multiple of granule, within [granule, the largest launch]. */
uint32_t hj_ocl_round_to(uint64_t n, uint64_t granule);

/* ocl_scan.c: where launches get their slices: a private counter for one
 * device, a shared one for opencl:all. Slices are handed out in range order,
 * and every slice handed out is finished, so the finished nonces are always a
 * prefix. */
typedef struct hj_ocl_slice_source {
    _Atomic uint64_t next;
    uint64_t count;
    _Atomic int stop;
} hj_ocl_slice_source;

/* One device's launch pipeline over the slices of `src` (ocl_scan.c): the
 * job's plain kernel when v_count is 0; else versions [v_first, v_first +
 * v_count) of a rolled job with the version-rolling kernel, each candidate
 * then two entries of `out`: its index in the block, then its nonce. */
hj_status hj_ocl_pipeline(ocl_device *d, const hj_opencl_options *opt, const hj_job *job, uint32_t v_first,
                          uint32_t v_count, uint32_t first, hj_ocl_slice_source *src, const hj_scan_control *control,
                          hj_candidates *out, hj_error *err);

/* ocl_job.c: the kernel arguments of a job, and the selection of the kernel
 * launches run (d->rolled): the plain kernel for v_count 0, else the
 * version-rolling one over that block of a rolled job's versions. */
hj_status hj_ocl_set_job(ocl_device *d, const hj_job *job, uint32_t v_first, uint32_t v_count, hj_error *err);
/* The work-group size launches of the current kernel use. */
size_t hj_ocl_local(const ocl_device *d);

/* ocl_scan.c: the hj_device_scan_fn of one device, plain and
 * version-rolling; ocl_group.c: the group's. */
hj_status hj_ocl_scan_device(const hj_kernel *kernel, const hj_job *job, uint32_t first, uint64_t count,
                             const hj_scan_control *control, hj_candidates *out, uint64_t *hashes_done, hj_error *err);
hj_status hj_ocl_scan_device_versions(const hj_kernel *kernel, const hj_job *job, uint32_t v_first, uint32_t v_count,
                                      uint32_t first, uint64_t count, const hj_scan_control *control,
                                      hj_vcandidates *out, uint64_t *nonces_done, hj_error *err);
hj_status hj_ocl_scan_group(const hj_kernel *kernel, const hj_job *job, uint32_t first, uint64_t count,
                            const hj_scan_control *control, hj_candidates *out, uint64_t *hashes_done, hj_error *err);

/* The embedded kernel source (generated from kernels/opencl/sha256d.cl). */
extern const char hj_opencl_sha256d_source[];
extern const unsigned long hj_opencl_sha256d_source_len;

#endif
