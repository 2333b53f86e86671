/* Scanning on an OpenCL device: launch sizing, the work-group size
 * measurement, and a pipeline that keeps several launches queued so the
 * device never waits for the host.
 *
 * Each launch scans a slice of the range and writes its candidates to its own
 * small buffer [count, overflow flag, nonces...] (the version-rolling kernel:
 * [count, flag, (version, nonce) pairs...]), read back asynchronously. A
 * buffer that overflows is never trusted: that slice is scanned again in
 * pieces no larger than the buffer, which cannot overflow. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/clock.h"
#include "hashjoule/scan.h"
#include "hashjoule/sha256.h"
#include "ocl_private.h"

/* The arguments after the job's (kernels/opencl/sha256d.cl): the plain
 * kernel's, and the version-rolling kernel's. */
enum { ARG_BASE = 34, VARG_BASE = 16 };
enum { OFF_BASE = 0, OFF_COUNT, OFF_SLOTS, OFF_OUT };

#define MIN_SLOTS 256u
#define MAX_AUTO_SLOTS (1u << 20)

static hj_status cl_fail(const ocl_device *d, const char *call, cl_int rc, hj_error *err)
{
    return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): %s failed: %s", d->kernel_name, d->name, call, hj_ocl_error_name(rc));
}

/* Hashes per nonce of the launches now: the versions of the block, or 1. */
static unsigned per_nonce(const ocl_device *d) { return d->rolled ? d->rolled : 1; }
/* Words per candidate in the buffer: a nonce, or a (version, nonce) pair. */
static unsigned words_per_candidate(const ocl_device *d) { return d->rolled ? 2 : 1; }

/* Candidate buffers of `slots` entries for every launch slot. */
static hj_status ensure_buffers(ocl_device *d, uint32_t slots, hj_error *err)
{
    if (d->slots == slots)
        return HJ_OK;
    for (int i = 0; i < HJ_OCL_MAX_IN_FLIGHT; i++) {
        ocl_launch *l = &d->launches[i];
        if (l->out)
            clReleaseMemObject(l->out);
        free(l->host);
        l->out = NULL;
        l->host = NULL;
    }
    d->slots = 0;
    size_t bytes = (2 + 2 * (size_t)slots) * sizeof(cl_uint); /* room for pairs */
    for (int i = 0; i < HJ_OCL_MAX_IN_FLIGHT; i++) {
        ocl_launch *l = &d->launches[i];
        cl_int rc;
        l->out = clCreateBuffer(d->context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
        if (rc != CL_SUCCESS)
            return cl_fail(d, "clCreateBuffer", rc, err);
        l->host = malloc(bytes);
        if (!l->host)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for candidate buffers");
    }
    d->slots = slots;
    return HJ_OK;
}

static size_t per_item(const ocl_device *d) { return (size_t)d->vector * d->iters; }

/* Queue one launch over nonces first + [offset, offset + n), with its reset
 * and its read-back; nothing waits here. */
static hj_status enqueue(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n, hj_error *err)
{
    static const cl_uint zeros[2] = {0, 0};
    l->offset = offset;
    l->count = n;
    l->enqueued_at = hj_monotonic_seconds();
    cl_uint base = (cl_uint)(first + offset), count = n, slots = d->slots;
    cl_kernel kernel = d->rolled ? d->kernel_versions : d->kernel;
    cl_uint arg = d->rolled ? VARG_BASE : ARG_BASE;
    size_t local = hj_ocl_local(d);
    size_t items = (n + per_item(d) - 1) / per_item(d);
    size_t global = (items + local - 1) / local * local;
    cl_int rc;
    if ((rc = clEnqueueWriteBuffer(d->queue, l->out, CL_FALSE, 0, sizeof zeros, zeros, 0, NULL, NULL)) != CL_SUCCESS)
        return cl_fail(d, "clEnqueueWriteBuffer", rc, err);
    if ((rc = clSetKernelArg(kernel, arg + OFF_BASE, sizeof base, &base)) != CL_SUCCESS ||
        (rc = clSetKernelArg(kernel, arg + OFF_COUNT, sizeof count, &count)) != CL_SUCCESS ||
        (rc = clSetKernelArg(kernel, arg + OFF_SLOTS, sizeof slots, &slots)) != CL_SUCCESS ||
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): the argument is the cl_mem handle itself */
        (rc = clSetKernelArg(kernel, arg + OFF_OUT, sizeof l->out, &l->out)) != CL_SUCCESS)
        return cl_fail(d, "clSetKernelArg", rc, err);
    if ((rc = clEnqueueNDRangeKernel(d->queue, kernel, 1, NULL, &global, &local, 0, NULL, &l->kernel_done)) !=
        CL_SUCCESS)
        return cl_fail(d, "clEnqueueNDRangeKernel", rc, err);
    if ((rc = clEnqueueReadBuffer(d->queue, l->out, CL_FALSE, 0,
                                  (2 + (size_t)slots * words_per_candidate(d)) * sizeof(cl_uint), l->host, 0, NULL,
                                  &l->read_done)) != CL_SUCCESS) {
        clReleaseEvent(l->kernel_done);
        l->kernel_done = NULL;
        return cl_fail(d, "clEnqueueReadBuffer", rc, err);
    }
    return HJ_OK;
}

static void release_events(ocl_launch *l)
{
    if (l->kernel_done)
        clReleaseEvent(l->kernel_done);
    if (l->read_done)
        clReleaseEvent(l->read_done);
    l->kernel_done = l->read_done = NULL;
}

/* Wait for a launch's results; *kernel_s is its device time (0 if unknown). */
static hj_status wait_launch(ocl_device *d, ocl_launch *l, double *kernel_s, hj_error *err)
{
    cl_int rc = clWaitForEvents(1, &l->read_done);
    cl_int status = CL_COMPLETE;
    if (rc == CL_SUCCESS)
        clGetEventInfo(l->kernel_done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
    if (rc != CL_SUCCESS || status < 0) {
        release_events(l);
        return cl_fail(d, "running the kernel (clWaitForEvents)", rc != CL_SUCCESS ? rc : status, err);
    }
    cl_ulong t0 = 0, t1 = 0;
    double now = hj_monotonic_seconds();
    if (clGetEventProfilingInfo(l->kernel_done, CL_PROFILING_COMMAND_START, sizeof t0, &t0, NULL) == CL_SUCCESS &&
        clGetEventProfilingInfo(l->kernel_done, CL_PROFILING_COMMAND_END, sizeof t1, &t1, NULL) == CL_SUCCESS &&
        t1 > t0) {
        *kernel_s = (double)(t1 - t0) * 1e-9;
    } else {
        /* No profiling: the host time since it could start (its enqueue, or
         * the end of the launch before it, whichever is later). */
        double start = l->enqueued_at > d->last_done_at ? l->enqueued_at : d->last_done_at;
        *kernel_s = now - start;
    }
    d->last_done_at = now;
    release_events(l);
    return HJ_OK;
}

/* One launch, start to finish (tuning and overflow rescans). */
static hj_status run_blocking(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n,
                              double *kernel_s, hj_error *err)
{
    hj_status st = enqueue(d, l, first, offset, n, err);
    if (st == HJ_OK) {
        clFlush(d->queue);
        st = wait_launch(d, l, kernel_s, err);
    }
    return st;
}

static void update_rate(ocl_device *d, uint32_t n, double kernel_s)
{
    if (kernel_s <= 0)
        return;
    double r = (double)n * per_nonce(d) / kernel_s;
    d->rate_nps = d->rate_nps > 0 ? 0.5 * d->rate_nps + 0.5 * r : r;
}

/* Candidates of a finished launch, each checked to lie in its slice (and,
 * rolling, in its block of versions); a pair is pushed as two entries. */
static hj_status take_candidates(ocl_device *d, const ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err)
{
    cl_uint n = l->host[0];
    unsigned w = words_per_candidate(d);
    for (cl_uint i = 0; i < n; i++) {
        uint32_t nonce = l->host[2 + w * i + (w - 1)], version = w == 2 ? l->host[2 + 2 * i] : 0;
        uint64_t off = (uint32_t)(nonce - first);
        if (off < l->offset || off >= l->offset + l->count || version >= per_nonce(d))
            return hj_fail(err, HJ_ERR_RUNTIME,
                           "%s (%s): the kernel reported nonce %u (version %u of %u) outside the slice %llu+%u it "
                           "was given: the device or its compiler is faulty; results discarded",
                           d->kernel_name, d->name, nonce, version, per_nonce(d), (unsigned long long)first + l->offset,
                           l->count);
        hj_status st = w == 2 ? hj_candidates_push(out, version, err) : HJ_OK;
        if (st == HJ_OK)
            st = hj_candidates_push(out, nonce, err);
        if (st != HJ_OK)
            return st;
    }
    return HJ_OK;
}

static bool overflowed(const ocl_device *d, const ocl_launch *l) { return l->host[1] != 0 || l->host[0] > d->slots; }

/* Nonces of a rescanned piece: its hashes at most the buffer's slots. */
static uint32_t rescan_piece(const ocl_device *d)
{
    uint32_t piece = d->slots / per_nonce(d);
    return piece > 0 ? piece : 1;
}

/* The slice of an overflowed launch again, in pieces of at most `slots`
 * hashes: a piece cannot have more candidates than hashes. */
static hj_status rescan(ocl_device *d, ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err)
{
    uint64_t offset = l->offset, end = l->offset + l->count;
    uint32_t piece = rescan_piece(d);
    while (offset < end) {
        uint32_t n = end - offset < piece ? (uint32_t)(end - offset) : piece;
        double t;
        hj_status st = run_blocking(d, l, first, offset, n, &t, err);
        if (st != HJ_OK)
            return st;
        if (overflowed(d, l))
            return hj_fail(err, HJ_ERR_RUNTIME,
                           "%s (%s): %u candidates reported for %u nonces x %u versions: the kernel is faulty; "
                           "results discarded",
                           d->kernel_name, d->name, l->host[0], n, per_nonce(d));
        if ((st = take_candidates(d, l, first, out, err)) != HJ_OK)
            return st;
        offset += n;
    }
    return HJ_OK;
}

/* ---- choosing sizes --------------------------------------------------------- */

/* A job whose candidates are rare, for measurements. */
static void tuning_job(hj_job *job)
{
    uint8_t header[HJ_HEADER_BYTES] = {0};
    hj_target target;
    memset(&target, 0, sizeof target);
    target.le[0] = 1;
    hj_job_init(job, header, &target);
}

static uint32_t round_to(uint64_t n, uint64_t granule)
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
        st = ensure_buffers(d, d->slots ? d->slots : MIN_SLOTS, err);
    if (st != HJ_OK)
        return st;

    /* Size the work on the largest candidate so each timing is ~1/8 of a
     * launch, long enough to swamp the launch overhead. */
    double target_s = (opt->launch_ms > 0 ? opt->launch_ms : HJ_OCL_DEFAULT_LAUNCH_MS) * 1e-3 / 8;
    d->local = cand[n_cand - 1];
    uint64_t granule = d->local * per_item(d);
    uint32_t n = round_to(granule * (d->compute_units ? d->compute_units : 1), granule);
    double t = 0;
    for (;;) {
        if ((st = run_blocking(d, &d->launches[0], 0, 0, n, &t, err)) != HJ_OK)
            return st;
        if (t >= target_s || n >= HJ_OCL_MAX_LAUNCH_NONCES / 2)
            break;
        double grow = t > 0 ? target_s / t * 1.2 : 8;
        n = round_to((uint64_t)(n * (grow > 8 ? 8 : grow < 2 ? 2 : grow)), granule);
    }
    double best_rate = 0;
    size_t best = cand[0];
    for (int i = 0; i < n_cand; i++) {
        d->local = cand[i];
        uint32_t ni = round_to(n, d->local * per_item(d));
        double best_t = 0;
        for (int rep = 0; rep < 3; rep++) { /* the first run may include a compile (PoCL) */
            if ((st = run_blocking(d, &d->launches[0], 0, 0, ni, &t, err)) != HJ_OK)
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
static hj_status prepare(ocl_device *d, const hj_opencl_options *opt, hj_error *err)
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
 * never needed; easy targets instead get shorter launches (see launch_size). */
static uint32_t slots_for(const hj_job *job, const hj_opencl_options *opt, unsigned versions)
{
    if (opt->hit_slots)
        return opt->hit_slots;
    double need = 4.0 * HJ_OCL_MAX_LAUNCH_NONCES * candidate_share(job) * versions + MIN_SLOTS;
    uint32_t s = MIN_SLOTS;
    while (s < need && s < MAX_AUTO_SLOTS)
        s *= 2;
    return s;
}

static uint32_t launch_size(const ocl_device *d, const hj_opencl_options *opt, const hj_job *job)
{
    if (opt->launch_nonces)
        return (uint32_t)opt->launch_nonces;
    uint64_t granule = hj_ocl_local(d) * per_item(d);
    uint64_t n;
    if (d->rate_nps > 0)
        n = (uint64_t)(d->rate_nps / per_nonce(d) * (opt->launch_ms > 0 ? opt->launch_ms : HJ_OCL_DEFAULT_LAUNCH_MS) *
                       1e-3);
    else
        n = granule * (d->compute_units ? d->compute_units : 1) * 4;
    if (!opt->hit_slots && d->slots > MIN_SLOTS) {
        double cap = (d->slots - MIN_SLOTS) / (4.0 * candidate_share(job) * per_nonce(d));
        if (n > cap)
            n = (uint64_t)cap;
    }
    return round_to(n, granule);
}

/* ---- the pipeline ----------------------------------------------------------- */

static bool should_stop(const hj_scan_control *c)
{
    return (c->stop && *c->stop) || (c->deadline > 0 && hj_monotonic_seconds() >= c->deadline);
}

hj_status hj_ocl_pipeline(ocl_device *d, const hj_opencl_options *opt, const hj_job *job, uint32_t v_first,
                          uint32_t v_count, uint32_t first, hj_ocl_slice_source *src, const hj_scan_control *control,
                          hj_candidates *out, hj_error *err)
{
    hj_status st = prepare(d, opt, err);
    if (st == HJ_OK)
        st = hj_ocl_set_job(d, job, v_first, v_count, err);
    if (st == HJ_OK)
        st = ensure_buffers(d, slots_for(job, opt, per_nonce(d)), err);
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
            uint32_t n = launch_size(d, opt, job);
            /* Near a deadline, do not queue work that would finish well after it. */
            if (control->deadline > 0 && d->rate_nps > 0) {
                double left = control->deadline - hj_monotonic_seconds() - queued_s;
                if (left <= 0) {
                    if (queued > 0)
                        break;
                    left = 0; /* nothing queued: one smallest launch, so the run still ends */
                }
                uint64_t fit = (uint64_t)(left * d->rate_nps / per_nonce(d));
                if (fit < n)
                    n = round_to(fit, hj_ocl_local(d) * per_item(d));
            }
            uint64_t off = atomic_fetch_add(&src->next, n);
            if (off >= src->count)
                break;
            if (n > src->count - off)
                n = (uint32_t)(src->count - off);
            ocl_launch *l = &d->launches[(head + queued) % depth];
            st = enqueue(d, l, first, off, n, err);
            if (st != HJ_OK)
                break;
            queued++;
            queued_s += d->rate_nps > 0 ? (double)n * per_nonce(d) / d->rate_nps : 0;
            clFlush(d->queue);
        }
        if (queued == 0)
            break;
        /* Collect the oldest while the others run. */
        ocl_launch *l = &d->launches[head];
        double t = 0;
        hj_status wst = wait_launch(d, l, &t, st == HJ_OK ? err : NULL);
        if (st == HJ_OK)
            st = wst;
        head = (head + 1) % depth;
        queued--;
        queued_s -= d->rate_nps > 0 ? (double)l->count * per_nonce(d) / d->rate_nps : 0;
        if (queued_s < 0 || queued == 0)
            queued_s = 0;
        if (st != HJ_OK) {
            atomic_store(&src->stop, 1);
            continue; /* drain the rest, keep the first error */
        }
        update_rate(d, l->count, t);
        if (overflowed(d, l)) {
            overflows++;
            if (l->host[0] > overflow_max)
                overflow_max = l->host[0];
            /* Everything queued after it still runs; the rescan queues behind. */
            st = rescan(d, l, first, out, err);
        } else {
            st = take_candidates(d, l, first, out, err);
        }
        if (st != HJ_OK)
            atomic_store(&src->stop, 1);
    }
    if (overflows && st == HJ_OK)
        fprintf(stderr,
                "hashjoule: %s: the candidate buffer (%u entries) overflowed in %u launch(es), up to %llu "
                "candidates; those slices were scanned again in pieces of %u nonces, so no candidate was lost\n",
                d->kernel_name, d->slots, overflows, (unsigned long long)overflow_max, rescan_piece(d));
    return st;
}

hj_status hj_ocl_scan_device(const hj_kernel *kernel, const hj_job *job, uint32_t first, uint64_t count,
                             const hj_scan_control *control, hj_candidates *out, uint64_t *hashes_done, hj_error *err)
{
    *hashes_done = 0;
    ocl_device *d = kernel->device;
    if (!d)
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s cannot run: %s", kernel->name, kernel->unavailable_reason);
    hj_opencl_options opt;
    hj_status st = hj_ocl_current_options(&opt, err);
    if (st != HJ_OK)
        return st;
    hj_ocl_slice_source src = {.count = count};
    atomic_init(&src.next, 0);
    atomic_init(&src.stop, 0);
    pthread_mutex_lock(&d->lock);
    st = hj_ocl_pipeline(d, &opt, job, 0, 0, first, &src, control, out, err);
    pthread_mutex_unlock(&d->lock);
    if (st == HJ_OK) {
        uint64_t next = atomic_load(&src.next);
        *hashes_done = next < count ? next : count;
    }
    return st;
}
