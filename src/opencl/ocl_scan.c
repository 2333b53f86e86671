/* Scanning on an OpenCL device: a pipeline that keeps several launches
 * queued so the device never waits for the host, and the device's scan of a
 * range, plain or version-rolling. */
#include <stdatomic.h>
#include <stdio.h>

#include "hashjoule/clock.h"
#include "hashjoule/scan.h"
#include "ocl_private.h"

static void update_rate(ocl_device *d, uint32_t n, double kernel_s)
{
    if (kernel_s <= 0)
        return;
    double r = (double)n * hj_ocl_per_nonce(d) / kernel_s;
    d->rate_nps = d->rate_nps > 0 ? 0.5 * d->rate_nps + 0.5 * r : r;
}

static bool should_stop(const hj_scan_control *c)
{
    return (c->stop && *c->stop) || (c->deadline > 0 && hj_monotonic_seconds() >= c->deadline);
}

hj_status hj_ocl_pipeline(ocl_device *d, const hj_opencl_options *opt, const hj_job *job, uint32_t v_first,
                          uint32_t v_count, uint32_t first, hj_ocl_slice_source *src, const hj_scan_control *control,
                          hj_candidates *out, hj_error *err)
{
    hj_status st = hj_ocl_prepare(d, opt, err);
    if (st == HJ_OK)
        st = hj_ocl_set_job(d, job, v_first, v_count, err);
    if (st == HJ_OK)
        st = hj_ocl_ensure_buffers(d, hj_ocl_slots_for(job, opt, hj_ocl_per_nonce(d)), err);
    if (st != HJ_OK)
        return st;
    unsigned depth = opt->in_flight ? opt->in_flight : HJ_OCL_DEFAULT_IN_FLIGHT;
    unsigned head = 0, queued = 0; /* ring of launches: oldest at head */
    unsigned overflows = 0;
    uint64_t overflow_max = 0;
    double queued_s = 0; /* device time of the launches queued, by the current rate */

    for (;;) {
        /* Fill the queue, unless told to stop. */
        while (st == HJ_OK && queued < depth && !atomic_load(&src->stop)) {
            if (should_stop(control)) {
                atomic_store(&src->stop, 1);
                break;
            }
            uint32_t n = hj_ocl_launch_size(d, opt, job);
            /* Near a deadline, do not queue work that would finish well after it. */
            if (control->deadline > 0 && d->rate_nps > 0) {
                double left = control->deadline - hj_monotonic_seconds() - queued_s;
                if (left <= 0) {
                    if (queued > 0)
                        break;
                    left = 0; /* nothing queued: one smallest launch, so the run still ends */
                }
                uint64_t fit = (uint64_t)(left * d->rate_nps / hj_ocl_per_nonce(d));
                if (fit < n)
                    n = hj_ocl_round_to(fit, hj_ocl_local(d) * hj_ocl_per_item(d));
            }
            uint64_t off = atomic_fetch_add(&src->next, n);
            if (off >= src->count)
                break;
            if (n > src->count - off)
                n = (uint32_t)(src->count - off);
            ocl_launch *l = &d->launches[(head + queued) % depth];
            st = hj_ocl_enqueue(d, l, first, off, n, err);
            if (st != HJ_OK)
                break;
            queued++;
            queued_s += d->rate_nps > 0 ? (double)n * hj_ocl_per_nonce(d) / d->rate_nps : 0;
            clFlush(d->queue);
        }
        if (queued == 0)
            break;
        /* Collect the oldest while the others run. */
        ocl_launch *l = &d->launches[head];
        double t = 0;
        hj_status wst = hj_ocl_wait_launch(d, l, &t, st == HJ_OK ? err : NULL);
        if (st == HJ_OK)
            st = wst;
        head = (head + 1) % depth;
        queued--;
        queued_s -= d->rate_nps > 0 ? (double)l->count * hj_ocl_per_nonce(d) / d->rate_nps : 0;
        if (queued_s < 0 || queued == 0)
            queued_s = 0;
        if (st != HJ_OK) {
            atomic_store(&src->stop, 1);
            continue; /* drain the rest, keep the first error */
        }
        update_rate(d, l->count, t);
        if (hj_ocl_overflowed(d, l)) {
            overflows++;
            if (l->host[0] > overflow_max)
                overflow_max = l->host[0];
            /* Everything queued after it still runs; the rescan queues behind. */
            st = hj_ocl_rescan(d, l, first, out, err);
        } else {
            st = hj_ocl_take_candidates(d, l, first, out, err);
        }
        if (st != HJ_OK)
            atomic_store(&src->stop, 1);
    }
    if (overflows && st == HJ_OK)
        fprintf(stderr,
                "hashjoule: %s: the candidate buffer (%u entries) overflowed in %u launch(es), up to %llu "
                "candidates; those slices were scanned again in pieces of %u nonces, so no candidate was lost\n",
                d->kernel_name, d->slots, overflows, (unsigned long long)overflow_max, hj_ocl_rescan_piece(d));
    return st;
}

/* One device's pipeline over nonces first + [0, count) on a slice counter of
 * its own; *done: the nonces finished (a prefix of the range). */
static hj_status scan_range(ocl_device *d, const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first,
                            uint64_t count, const hj_scan_control *control, hj_candidates *out, uint64_t *done,
                            hj_error *err)
{
    hj_opencl_options opt;
    hj_status st = hj_ocl_current_options(&opt, err);
    if (st != HJ_OK)
        return st;
    hj_ocl_slice_source src = {.count = count};
    atomic_init(&src.next, 0);
    atomic_init(&src.stop, 0);
    pthread_mutex_lock(&d->lock);
    st = hj_ocl_pipeline(d, &opt, job, v_first, v_count, first, &src, control, out, err);
    pthread_mutex_unlock(&d->lock);
    if (st == HJ_OK) {
        uint64_t next = atomic_load(&src.next);
        *done = next < count ? next : count;
    }
    return st;
}

hj_status hj_ocl_scan_device(const hj_kernel *kernel, const hj_job *job, uint32_t first, uint64_t count,
                             const hj_scan_control *control, hj_candidates *out, uint64_t *hashes_done, hj_error *err)
{
    *hashes_done = 0;
    ocl_device *d = kernel->device;
    if (!d)
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s cannot run: %s", kernel->name, kernel->unavailable_reason);
    return scan_range(d, job, 0, 0, first, count, control, out, hashes_done, err);
}

hj_status hj_ocl_scan_device_versions(const hj_kernel *kernel, const hj_job *job, uint32_t v_first, uint32_t v_count,
                                      uint32_t first, uint64_t count, const hj_scan_control *control,
                                      hj_vcandidates *out, uint64_t *nonces_done, hj_error *err)
{
    *nonces_done = 0;
    ocl_device *d = kernel->device;
    if (!d)
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s cannot run: %s", kernel->name, kernel->unavailable_reason);
    if (!job->rolled || v_count == 0 || v_first + v_count > job->n_versions || v_first + v_count < v_first)
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s: versions %u+%u are not versions of the job", kernel->name,
                       v_first, v_count);
    hj_candidates pairs = {0};
    uint64_t done = 0;
    hj_status st = scan_range(d, job, v_first, v_count, first, count, control, &pairs, &done, err);
    for (size_t i = 0; st == HJ_OK && i + 1 < pairs.count; i += 2)
        st = hj_vcandidates_push(out, (hj_vcandidate){v_first + pairs.nonces[i], pairs.nonces[i + 1]}, err);
    hj_candidates_free(&pairs);
    if (st == HJ_OK)
        *nonces_done = done;
    return st;
}
