/* Choosing sizes for a device's launches: the work-group size (measured
 * once and cached, or given), the nonces per launch, and the entries of the
 * candidate buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/scan.h"
#include "ocl_private.h"

#define MIN_SLOTS 256u
#define MAX_AUTO_SLOTS (1u << 20)

/* A job whose candidates are rare, for measurements. */
static void tuning_job(hj_job *job)
{
    uint8_t header[HJ_HEADER_BYTES] = {0};
    hj_target target;
    memset(&target, 0, sizeof target);
    target.le[0] = 1;
    hj_job_init(job, header, &target);
}

uint32_t hj_ocl_round_to(uint64_t n, uint64_t granule)
{
    n = n / granule * granule;
    if (n < granule)
        n = granule;
    uint64_t max = HJ_OCL_MAX_LAUNCH_NONCES / granule * granule;
    return (uint32_t)(n > max ? max : n);
}

/* What the work-group measurement saves for the next run. */
typedef struct hj_ocl_tuning {
    uint64_t local;
    double rate_nps;
} hj_ocl_tuning;

/* Try the work-group sizes the kernel allows (powers of two from its preferred
 * multiple) on the same amount of work and keep the fastest. */
static hj_status tune_local(ocl_device *d, const hj_opencl_options *opt, hj_error *err)
{
    size_t cap = d->max_local < 1024 ? d->max_local : 1024;
    size_t cand[16];
    int n_cand = 0;
    for (size_t l = d->local_multiple; l <= cap && n_cand < 16; l *= 2)
        cand[n_cand++] = l;
    if (n_cand == 0)
        cand[n_cand++] = cap;
    if (n_cand == 1) {
        d->local = cand[0];
        return HJ_OK;
    }
    /* A measurement saved by an earlier run with this very program. */
    char path[4200];
    bool cacheable = !opt->no_cache && hj_ocl_cache_path(d, "tune", path, sizeof path);
    if (cacheable) {
        size_t len = 0;
        unsigned char *data = hj_ocl_cache_read(path, &len);
        hj_ocl_tuning saved;
        if (data && len == sizeof saved) {
            memcpy(&saved, data, sizeof saved);
            if (saved.local >= 1 && saved.local <= d->max_local && saved.rate_nps > 0) {
                d->local = saved.local;
                d->rate_nps = saved.rate_nps;
                if (opt->verbose)
                    fprintf(stderr, "hashjoule: %s: local size %zu from the earlier measurement in %s\n",
                            d->kernel_name, d->local, path);
                free(data);
                return HJ_OK;
            }
        }
        free(data);
    }
    hj_job job;
    tuning_job(&job);
    hj_status st = hj_ocl_set_job(d, &job, 0, 0, err);
    if (st == HJ_OK)
        st = hj_ocl_ensure_buffers(d, d->slots ? d->slots : MIN_SLOTS, err);
    if (st != HJ_OK)
        return st;

    /* Size the work on the largest candidate so each timing is ~1/8 of a
     * launch, long enough to swamp the launch overhead. */
    double target_s = (opt->launch_ms > 0 ? opt->launch_ms : HJ_OCL_DEFAULT_LAUNCH_MS) * 1e-3 / 8;
    d->local = cand[n_cand - 1];
    uint64_t granule = d->local * hj_ocl_per_item(d);
    uint32_t n = hj_ocl_round_to(granule * (d->compute_units ? d->compute_units : 1), granule);
    double t = 0;
    for (;;) {
        if ((st = hj_ocl_run_blocking(d, &d->launches[0], 0, 0, n, &t, err)) != HJ_OK)
            return st;
        if (t >= target_s || n >= HJ_OCL_MAX_LAUNCH_NONCES / 2)
            break;
        double grow = t > 0 ? target_s / t * 1.2 : 8;
        n = hj_ocl_round_to((uint64_t)(n * (grow > 8 ? 8 : grow < 2 ? 2 : grow)), granule);
    }
    double best_rate = 0;
    size_t best = cand[0];
    for (int i = 0; i < n_cand; i++) {
        d->local = cand[i];
        uint32_t ni = hj_ocl_round_to(n, d->local * hj_ocl_per_item(d));
        double best_t = 0;
        for (int rep = 0; rep < 3; rep++) { /* the first run may include a compile (PoCL) */
            if ((st = hj_ocl_run_blocking(d, &d->launches[0], 0, 0, ni, &t, err)) != HJ_OK)
                return st;
            if (t > 0 && (best_t == 0 || t < best_t))
                best_t = t;
        }
        double rate = best_t > 0 ? ni / best_t : 0;
        if (opt->verbose)
            fprintf(stderr, "hashjoule: %s: local size %zu: %.0f nonces/s\n", d->kernel_name, cand[i], rate);
        if (rate > best_rate) {
            best_rate = rate;
            best = cand[i];
        }
    }
    d->local = best;
    d->rate_nps = best_rate;
    if (opt->verbose)
        fprintf(stderr, "hashjoule: %s: chose local size %zu\n", d->kernel_name, best);
    if (cacheable && best_rate > 0) {
        hj_ocl_tuning saved = {.local = best, .rate_nps = best_rate};
        if (!hj_ocl_cache_write(path, &saved, sizeof saved) && opt->verbose)
            fprintf(stderr, "hashjoule: %s: could not save the measurement to %s (not fatal)\n", d->kernel_name, path);
    }
    return HJ_OK;
}

/* Build if needed and settle the work-group size. */
hj_status hj_ocl_prepare(ocl_device *d, const hj_opencl_options *opt, hj_error *err)
{
    hj_status st = hj_ocl_build(d, opt, err);
    if (st != HJ_OK)
        return st;
    if (opt->local_size) {
        if (opt->local_size > d->max_local)
            return hj_fail(err, HJ_ERR_INPUT, "%s (%s): local size %u is more than this kernel allows here (%zu)",
                           d->kernel_name, d->name, opt->local_size, d->max_local);
        if (d->local != opt->local_size)
            d->rate_nps = 0;
        d->local = opt->local_size;
        d->local_given = true;
        return HJ_OK;
    }
    if (d->local && !d->local_given)
        return HJ_OK;
    d->local_given = false;
    d->local = 0;
    return tune_local(d, opt, err);
}

/* The share of nonces that are candidates. */
static double candidate_share(const hj_job *job) { return ((double)job->h7_limit + 1.0) / 4294967296.0; }

/* Entries per candidate buffer: room for four times the expected candidates
 * of the largest launch, so an overflow (and its rescan) is practically
 * never needed; easy targets instead get shorter launches (see hj_ocl_launch_size). */
uint32_t hj_ocl_slots_for(const hj_job *job, const hj_opencl_options *opt, unsigned versions)
{
    if (opt->hit_slots)
        return opt->hit_slots;
    double need = 4.0 * HJ_OCL_MAX_LAUNCH_NONCES * candidate_share(job) * versions + MIN_SLOTS;
    uint32_t s = MIN_SLOTS;
    while (s < need && s < MAX_AUTO_SLOTS)
        s *= 2;
    return s;
}

uint32_t hj_ocl_launch_size(const ocl_device *d, const hj_opencl_options *opt, const hj_job *job)
{
    if (opt->launch_nonces)
        return (uint32_t)opt->launch_nonces;
    uint64_t granule = hj_ocl_local(d) * hj_ocl_per_item(d);
    uint64_t n;
    if (d->rate_nps > 0)
        n = (uint64_t)(d->rate_nps / hj_ocl_per_nonce(d) *
                       (opt->launch_ms > 0 ? opt->launch_ms : HJ_OCL_DEFAULT_LAUNCH_MS) * 1e-3);
    else
        n = granule * (d->compute_units ? d->compute_units : 1) * 4;
    if (!opt->hit_slots && d->slots > MIN_SLOTS) {
        double cap = (d->slots - MIN_SLOTS) / (4.0 * candidate_share(job) * hj_ocl_per_nonce(d));
        if (n > cap)
            n = (uint64_t)cap;
    }
    return hj_ocl_round_to(n, granule);
}
