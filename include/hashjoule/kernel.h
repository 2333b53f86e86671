/* hashjoule — the kernel registry: every way this build can scan nonces.
 *
 * A CPU kernel scans a chunk of nonces on the calling thread; the scan driver
 * (hj_scan_range) splits work across threads. A device kernel (OpenCL) drives
 * its device itself. Both only *propose* candidates: nonces whose final H7
 * word passes the job's h7_limit. The driver re-hashes every candidate with
 * the reference before anything is reported. */
#ifndef HASHJOULE_KERNEL_H
#define HASHJOULE_KERNEL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/clock.h"
#include "hashjoule/error.h"
#include "hashjoule/job.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Scan nonces [first, first + count); first + count <= 2^32 (never wraps).
 * Writes every nonce whose bswap32(H7) <= job->h7_limit to `candidates` (room
 * for `count` entries), in increasing order, and returns how many. */
typedef uint32_t (*hj_cpu_scan_fn)(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates);

/* A candidate of a version-rolling scan: an index into the job's versions
 * and a nonce. */
typedef struct hj_vcandidate {
    uint32_t version; /* index into job->versions, not the 32-bit version */
    uint32_t nonce;
} hj_vcandidate;

/* The version-rolling form of a CPU kernel: scan versions [v_first, v_first +
 * v_count) of a rolled job (hj_job_init_versions) crossed with nonces [first,
 * first + count) (first + count <= 2^32, never wraps). Writes every pair whose
 * bswap32(H7) <= job->h7_limit to `candidates` (room for v_count * count), in
 * no particular order, and returns how many. The versions of one call share
 * block 2's message schedule, so the driver hands a kernel up to its
 * versions_per_pass of them at a time. */
typedef uint32_t (*hj_cpu_scan_versions_fn)(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first,
                                            uint32_t count, hj_vcandidate *candidates);

/* How a running scan is told to stop early. */
typedef struct hj_scan_control {
    const volatile sig_atomic_t *stop; /* set by a signal handler; may be NULL */
    double deadline;                   /* hj_monotonic_seconds() value; 0 = none */
} hj_scan_control;

/* A growable list of candidate nonces (device kernels append to it). */
typedef struct hj_candidates {
    uint32_t *nonces;
    size_t count, capacity;
} hj_candidates;
hj_status hj_candidates_push(hj_candidates *list, uint32_t nonce, hj_error *err);
void hj_candidates_free(hj_candidates *list);

/* A growable list of (version, nonce) candidates (device version-rolling forms). */
typedef struct hj_vcandidates {
    hj_vcandidate *items;
    size_t count, capacity;
} hj_vcandidates;
hj_status hj_vcandidates_push(hj_vcandidates *list, hj_vcandidate c, hj_error *err);
void hj_vcandidates_free(hj_vcandidates *list);

struct hj_kernel;
/* Device kernel: scan [first, first + count) (first + count <= 2^32), append
 * candidates, stop early when `control` says so. *hashes_done counts nonces
 * actually scanned, which form the prefix [first, first + *hashes_done). */
typedef hj_status (*hj_device_scan_fn)(const struct hj_kernel *kernel, const hj_job *job, uint32_t first,
                                       uint64_t count, const hj_scan_control *control, hj_candidates *out,
                                       uint64_t *hashes_done, hj_error *err);

/* A device kernel's version-rolling form: versions [v_first, v_first +
 * v_count) of a rolled job crossed with [first, first + count), appending
 * (version index, nonce) candidates; *nonces_done counts the nonces scanned
 * for every one of those versions, the prefix [first, first + *nonces_done). */
typedef hj_status (*hj_device_scan_versions_fn)(const struct hj_kernel *kernel, const hj_job *job, uint32_t v_first,
                                                uint32_t v_count, uint32_t first, uint64_t count,
                                                const hj_scan_control *control, hj_vcandidates *out,
                                                uint64_t *nonces_done, hj_error *err);

typedef enum hj_kernel_kind { HJ_KERNEL_CPU, HJ_KERNEL_DEVICE } hj_kernel_kind;

typedef struct hj_kernel {
    char name[64];         /* "scalar", "avx2", "opencl:0:0" */
    char description[160]; /* one line for `info` */
    hj_kernel_kind kind;
    uint32_t required_features; /* HJ_CPU_* bits (CPU kernels) */
    unsigned lanes;             /* nonces computed side by side */
    int rank;                   /* `auto` prefers the highest available rank */
    hj_cpu_scan_fn scan_cpu;
    hj_device_scan_fn scan_device;
    /* Version rolling: NULL where the kernel has no such form (the driver then
     * scans a rolled job one version at a time with scan_cpu or scan_device). */
    hj_cpu_scan_versions_fn scan_cpu_versions;
    hj_device_scan_versions_fn scan_device_versions;
    /* How many versions one call shares the schedule over (measured best; the
     * number of versions `bench` rolls by default). 0 or 1: no sharing. */
    unsigned versions_per_pass;
    void *device;                 /* backend-private state (device kernels) */
    char unavailable_reason[256]; /* device kernels: why it cannot run, "" if it can */
} hj_kernel;

/* All kernels of this build, CPU ones first, then device kernels: those
 * registered directly (hj_kernel_register) and those the installed backends
 * discover (hj_kernel_add_backend). Backends are discovered on first use of
 * hj_kernel_count()/hj_kernel_at()/hj_kernel_find() with a device name, so
 * `scan --kernel scalar` never pays for device discovery. */
size_t hj_kernel_count(void);
const hj_kernel *hj_kernel_at(size_t index);
/* NULL when no kernel has that name. */
const hj_kernel *hj_kernel_find(const char *name);
/* The best available CPU kernel (by rank; see kernels/cpu/registry.c). */
const hj_kernel *hj_kernel_auto(void);
/* True when this machine can run it; otherwise `why` (may be NULL) says why. */
bool hj_kernel_available(const hj_kernel *kernel, char *why, size_t why_len);
/* Register a device kernel (backends call this during discovery). */
hj_status hj_kernel_register(const hj_kernel *kernel, hj_error *err);

/* A device backend: a family of device kernels found at run time. The
 * registry itself knows no backend; the layer that provides one hands it over
 * with hj_kernel_add_backend, so the registry never depends on a device API.
 * The library's OpenCL backend is installed by hj_opencl_register_backend()
 * (hashjoule/opencl.h): a program that wants OpenCL devices among the kernels
 * calls that once, before it first lists or looks up kernels. */
typedef struct hj_kernel_backend {
    /* Registers the backend's kernels with hj_kernel_register. Called once,
     * by the first registry call that needs device kernels after the backend
     * was added, never by two threads at once. Registry calls it makes itself
     * see the kernels registered so far and discover nothing. */
    void (*discover)(void);
    /* Names hj_kernel_find resolves that are not listed by hj_kernel_at (a
     * group or a default device): the kernel, or NULL for any other name.
     * Asked after the listed kernels, in the order backends were added. May
     * be NULL. */
    const hj_kernel *(*find_alias)(const char *name);
} hj_kernel_backend;

/* Install a backend (the struct must outlive every registry use; a static
 * constant). Adding the same one again does nothing. A backend added after
 * device discovery has run is discovered by the next registry call that
 * needs device kernels. At most 8 backends; not from inside a discovery. */
hj_status hj_kernel_add_backend(const hj_kernel_backend *backend, hj_error *err);

/* Check a kernel against the reference on fixed vectors: its candidate set
 * must equal the reference's exactly, over ranges that start and end
 * mid-vector, at the top of the nonce space and around a real block's nonce;
 * a version-rolling form likewise over versions x nonces (around a real
 * block mined with version rolling, and version counts that are multiples of
 * no vector width).
 * The result is cached per kernel for the life of the process. */
hj_status hj_kernel_self_test(const hj_kernel *kernel, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
