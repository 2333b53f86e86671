/* opencl:all: one range spread over every OpenCL device at once, each
 * device's pipeline taking slices from one shared counter, and the devices
 * first checked against the reference on a small range. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/scan.h"
#include "ocl_private.h"

typedef struct group_worker {
    ocl_device *device;
    const hj_opencl_options *opt;
    const hj_job *job;
    uint32_t first;
    hj_ocl_slice_source *src;
    const hj_scan_control *control;
    hj_candidates found;
    hj_status status;
    hj_error error;
    pthread_t thread;
} group_worker;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* One device of the group against the reference on an easy target (1 nonce
 * in 16 a candidate), mid-space and at its top; once per device and settings. */
static hj_status member_check(ocl_device *d, const hj_opencl_options *opt, hj_error *err)
{
    static const struct {
        uint32_t first, count;
    } ranges[] = {{1000003, 1531}, {0xffffffffu - 700, 701}};
    uint8_t header[HJ_HEADER_BYTES];
    for (int i = 0; i < HJ_HEADER_BYTES; i++)
        header[i] = (uint8_t)(i * 37 + 11);
    hj_target target;
    memset(&target, 0xff, sizeof target);
    target.le[31] = 0x0f;
    hj_job job;
    hj_job_init(&job, header, &target);
    hj_status st = HJ_OK;
    pthread_mutex_lock(&d->lock);
    if (d->checked && strcmp(d->checked_options, d->options) == 0 && d->ready) {
        pthread_mutex_unlock(&d->lock);
        return HJ_OK;
    }
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0] && st == HJ_OK; r++) {
        uint32_t want[1600];
        size_t n_want = hj_reference_candidates(&job, ranges[r].first, ranges[r].count, want);
        hj_candidates got = {0};
        hj_ocl_slice_source src = {.count = ranges[r].count};
        atomic_init(&src.next, 0);
        atomic_init(&src.stop, 0);
        hj_scan_control none = {0};
        st = hj_ocl_pipeline(d, opt, &job, 0, 0, ranges[r].first, &src, &none, &got, err);
        if (st == HJ_OK) {
            if (got.count)
                qsort(got.nonces, got.count, sizeof *got.nonces, cmp_u32);
            if (got.count != n_want || (n_want && memcmp(got.nonces, want, n_want * sizeof *want) != 0))
                st = hj_fail(err, HJ_ERR_RUNTIME,
                             "%s (%s) failed its check for opencl:all (nonces %u+%u): %zu candidates, the "
                             "reference has %zu",
                             d->kernel_name, d->name, ranges[r].first, ranges[r].count, got.count, n_want);
        }
        hj_candidates_free(&got);
    }
    if (st == HJ_OK) {
        d->checked = true;
        snprintf(d->checked_options, sizeof d->checked_options, "%s", d->options);
    }
    pthread_mutex_unlock(&d->lock);
    return st;
}

static void *group_main(void *arg)
{
    group_worker *w = arg;
    pthread_mutex_lock(&w->device->lock);
    w->status = hj_ocl_pipeline(w->device, w->opt, w->job, 0, 0, w->first, w->src, w->control, &w->found, &w->error);
    pthread_mutex_unlock(&w->device->lock);
    if (w->status != HJ_OK)
        atomic_store(&w->src->stop, 1);
    return NULL;
}

hj_status hj_ocl_scan_group(const hj_kernel *kernel, const hj_job *job, uint32_t first, uint64_t count,
                            const hj_scan_control *control, hj_candidates *out, uint64_t *hashes_done, hj_error *err)
{
    *hashes_done = 0;
    const ocl_group *g = kernel->device;
    hj_opencl_options opt;
    hj_status st = hj_ocl_current_options(&opt, err);
    if (st != HJ_OK)
        return st;
    /* Every device must prove itself before it shares a range: one faulty
     * device would spoil the whole result, and the registry's self-test of
     * opencl:all may happen to run on one device only. */
    for (size_t i = 0; i < g->count; i++)
        if ((st = member_check(g->devices[i], &opt, err)) != HJ_OK)
            return st;
    group_worker *w = calloc(g->count ? g->count : 1, sizeof *w); /* a group has >= 2 devices; never calloc(0) */
    if (!w)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    hj_ocl_slice_source src = {.count = count};
    atomic_init(&src.next, 0);
    atomic_init(&src.stop, 0);
    size_t started = 0;
    for (; started < g->count; started++) {
        group_worker *x = &w[started];
        x->device = g->devices[started];
        x->opt = &opt;
        x->job = job;
        x->first = first;
        x->src = &src;
        x->control = control;
        if (pthread_create(&x->thread, NULL, group_main, x) != 0) {
            atomic_store(&src.stop, 1);
            st = hj_fail(err, HJ_ERR_RUNTIME, "could not start a thread for %s", x->device->kernel_name);
            break;
        }
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(w[i].thread, NULL);
    for (size_t i = 0; i < started; i++) {
        if (w[i].status != HJ_OK && st == HJ_OK) {
            st = w[i].status;
            if (err)
                *err = w[i].error;
        }
        for (size_t j = 0; j < w[i].found.count && st == HJ_OK; j++)
            st = hj_candidates_push(out, w[i].found.nonces[j], err);
        hj_candidates_free(&w[i].found);
    }
    free(w);
    if (st == HJ_OK) {
        uint64_t next = atomic_load(&src.next);
        *hashes_done = next < count ? next : count;
    }
    return st;
}
