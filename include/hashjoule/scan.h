/* hashjoule — the scanning interface every caller uses. */
#ifndef HASHJOULE_SCAN_H
#define HASHJOULE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/clock.h" /* hj_monotonic_seconds, for the scan's users */
#include "hashjoule/error.h"
#include "hashjoule/job.h"
#include "hashjoule/kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_NONCE_SPACE (UINT64_C(1) << 32)
#define HJ_DEFAULT_MAX_HITS ((size_t)1 << 20)

typedef struct hj_hit {
    uint32_t nonce;
    uint8_t hash[32]; /* internal byte order; verified with the reference */
    uint32_t version; /* the header version hashed: the header's own unless the job rolls versions */
} hj_hit;

typedef struct hj_thread_report {
    int core; /* hwloc logical index of the core it ran on, -1 unpinned */
    int pu;   /* OS index of the processing unit, -1 unpinned */
    uint64_t hashes;
    double seconds; /* wall time of the worker */
} hj_thread_report;

typedef struct hj_scan_options {
    const hj_kernel *kernel; /* NULL: hj_kernel_auto() */
    unsigned threads;        /* CPU kernels; 0: one per physical core */
    bool allow_wrap;         /* let [start, start+count) run past 2^32-1 to 0 */
    bool pin_threads;        /* bind worker i to core i with hwloc (default on via hj_scan_options_default) */
    size_t max_hits;         /* 0: HJ_DEFAULT_MAX_HITS */
    hj_scan_control control;
} hj_scan_options;

typedef struct hj_scan_result {
    const hj_kernel *kernel;
    uint64_t hashes;     /* headers actually hashed: versions x nonces */
    double seconds;      /* wall time of the scan */
    bool complete;       /* every nonce of the range was hashed */
    bool interrupted;    /* stopped by control.stop */
    uint64_t candidates; /* proposed by the kernel, all re-checked */
    uint64_t hits_total; /* verified hits, including any not stored */
    size_t n_hits;       /* stored in `hits`, ordered by version, then by position in the range */
    hj_hit *hits;
    bool hits_truncated; /* more than max_hits: `hits` holds a subset */
    unsigned n_threads;
    hj_thread_report *threads;
} hj_scan_result;

void hj_scan_options_default(hj_scan_options *opt);

/* Scan `count` nonces from `start` (1 <= count <= 2^32): every nonce whose
 * SHA-256d meets job->target is returned, re-verified with the reference.
 * A range running past 2^32-1 is an input error unless opt->allow_wrap.
 * A rolled job (hj_job_init_versions) is scanned over all its versions, each
 * crossed with the same nonce range; a kernel without a version-rolling form
 * scans them one version at a time.
 * On success the caller frees the result with hj_scan_result_free. */
hj_status hj_scan_range(const hj_job *job, uint32_t start, uint64_t count, const hj_scan_options *opt,
                        hj_scan_result *result, hj_error *err);
void hj_scan_result_free(hj_scan_result *result);

/* The plain reference: hash every nonce with hj_header_hash. For tests and
 * self-tests; slow. Fills `hits` (room for `count`) in order; returns count.
 * A rolled job's version index 0 is the one hashed. */
size_t hj_reference_scan(const hj_job *job, uint32_t start, uint32_t count, hj_hit *hits);
/* The candidate set a kernel must produce (bswap32(H7) <= h7_limit). */
size_t hj_reference_candidates(const hj_job *job, uint32_t start, uint32_t count, uint32_t *candidates);
/* The same over versions [v_first, v_first + v_count) of a job (index 0 only,
 * the header's own version, for a job that does not roll) crossed with
 * [start, start + count), which may wrap past 2^32 - 1: hits (room for
 * v_count * count) in (version, position in the range) order, and candidates
 * in (version, nonce) order. */
size_t hj_reference_scan_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t start, uint32_t count,
                                  hj_hit *hits);
size_t hj_reference_candidates_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t start,
                                        uint32_t count, hj_vcandidate *candidates);

#ifdef __cplusplus
}
#endif
#endif
