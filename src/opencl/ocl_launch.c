/* One launch of the scanning kernel on a device (the plain or the
 * version-rolling one, as d->rolled says): its candidate buffer, queueing it,
 * waiting for it, and taking its candidates.
 *
 * Each launch scans a slice of the range and writes its candidates to its own
 * small buffer [count, overflow flag, nonces...] (the version-rolling kernel:
 * [count, flag, (version, nonce) pairs...]), read back asynchronously. A
 * buffer that overflows is never trusted: that slice is scanned again in
 * pieces no larger than the buffer, which cannot overflow. */
#include <stdlib.h>

#include "hashjoule/clock.h"
#include "hashjoule/scan.h"
#include "ocl_private.h"

/* The arguments after the job's (kernels/opencl/sha256d.cl): the plain
 * kernel's, and the version-rolling kernel's. */
enum { ARG_BASE = 34, VARG_BASE = 16 };
enum { OFF_BASE = 0, OFF_COUNT, OFF_SLOTS, OFF_OUT };

/* Words per candidate in the buffer: a nonce, or a (version, nonce) pair. */
static unsigned words_per_candidate(const ocl_device *d) { return d->rolled ? 2 : 1; }

/* Candidate buffers of `slots` entries for every launch slot. */
hj_status hj_ocl_ensure_buffers(ocl_device *d, uint32_t slots, hj_error *err)
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
            return hj_ocl_fail(d, "clCreateBuffer", rc, err);
        l->host = malloc(bytes);
        if (!l->host)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for candidate buffers");
    }
    d->slots = slots;
    return HJ_OK;
}

/* Queue one launch over nonces first + [offset, offset + n), with its reset
 * and its read-back; nothing waits here. */
hj_status hj_ocl_enqueue(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n, hj_error *err)
{
    static const cl_uint zeros[2] = {0, 0};
    l->offset = offset;
    l->count = n;
    l->enqueued_at = hj_monotonic_seconds();
    cl_uint base = (cl_uint)(first + offset), count = n, slots = d->slots;
    cl_kernel kernel = d->rolled ? d->kernel_versions : d->kernel;
    cl_uint arg = d->rolled ? VARG_BASE : ARG_BASE;
    size_t local = hj_ocl_local(d);
    size_t items = (n + hj_ocl_per_item(d) - 1) / hj_ocl_per_item(d);
    size_t global = (items + local - 1) / local * local;
    cl_int rc;
    if ((rc = clEnqueueWriteBuffer(d->queue, l->out, CL_FALSE, 0, sizeof zeros, zeros, 0, NULL, NULL)) != CL_SUCCESS)
        return hj_ocl_fail(d, "clEnqueueWriteBuffer", rc, err);
    if ((rc = clSetKernelArg(kernel, arg + OFF_BASE, sizeof base, &base)) != CL_SUCCESS ||
        (rc = clSetKernelArg(kernel, arg + OFF_COUNT, sizeof count, &count)) != CL_SUCCESS ||
        (rc = clSetKernelArg(kernel, arg + OFF_SLOTS, sizeof slots, &slots)) != CL_SUCCESS ||
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): the argument is the cl_mem handle itself */
        (rc = clSetKernelArg(kernel, arg + OFF_OUT, sizeof l->out, &l->out)) != CL_SUCCESS)
        return hj_ocl_fail(d, "clSetKernelArg", rc, err);
    if ((rc = clEnqueueNDRangeKernel(d->queue, kernel, 1, NULL, &global, &local, 0, NULL, &l->kernel_done)) !=
        CL_SUCCESS)
        return hj_ocl_fail(d, "clEnqueueNDRangeKernel", rc, err);
    if ((rc = clEnqueueReadBuffer(d->queue, l->out, CL_FALSE, 0,
                                  (2 + (size_t)slots * words_per_candidate(d)) * sizeof(cl_uint), l->host, 0, NULL,
                                  &l->read_done)) != CL_SUCCESS) {
        clReleaseEvent(l->kernel_done);
        l->kernel_done = NULL;
        return hj_ocl_fail(d, "clEnqueueReadBuffer", rc, err);
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
hj_status hj_ocl_wait_launch(ocl_device *d, ocl_launch *l, double *kernel_s, hj_error *err)
{
    cl_int rc = clWaitForEvents(1, &l->read_done);
    cl_int status = CL_COMPLETE;
    if (rc == CL_SUCCESS)
        clGetEventInfo(l->kernel_done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL);
    if (rc != CL_SUCCESS || status < 0) {
        release_events(l);
        return hj_ocl_fail(d, "running the kernel (clWaitForEvents)", rc != CL_SUCCESS ? rc : status, err);
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
hj_status hj_ocl_run_blocking(ocl_device *d, ocl_launch *l, uint32_t first, uint64_t offset, uint32_t n,
                              double *kernel_s, hj_error *err)
{
    hj_status st = hj_ocl_enqueue(d, l, first, offset, n, err);
    if (st == HJ_OK) {
        clFlush(d->queue);
        st = hj_ocl_wait_launch(d, l, kernel_s, err);
    }
    return st;
}

/* Candidates of a finished launch, each checked to lie in its slice (and,
 * rolling, in its block of versions); a pair is pushed as two entries. */
hj_status hj_ocl_take_candidates(ocl_device *d, const ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err)
{
    cl_uint n = l->host[0];
    unsigned w = words_per_candidate(d);
    for (cl_uint i = 0; i < n; i++) {
        uint32_t nonce = l->host[2 + w * i + (w - 1)], version = w == 2 ? l->host[2 + 2 * i] : 0;
        uint64_t off = (uint32_t)(nonce - first);
        if (off < l->offset || off >= l->offset + l->count || version >= hj_ocl_per_nonce(d))
            return hj_fail(err, HJ_ERR_RUNTIME,
                           "%s (%s): the kernel reported nonce %u (version %u of %u) outside the slice %llu+%u it "
                           "was given: the device or its compiler is faulty; results discarded",
                           d->kernel_name, d->name, nonce, version, hj_ocl_per_nonce(d),
                           (unsigned long long)first + l->offset, l->count);
        hj_status st = w == 2 ? hj_candidates_push(out, version, err) : HJ_OK;
        if (st == HJ_OK)
            st = hj_candidates_push(out, nonce, err);
        if (st != HJ_OK)
            return st;
    }
    return HJ_OK;
}

bool hj_ocl_overflowed(const ocl_device *d, const ocl_launch *l) { return l->host[1] != 0 || l->host[0] > d->slots; }

/* Nonces of a rescanned piece: its hashes at most the buffer's slots. */
uint32_t hj_ocl_rescan_piece(const ocl_device *d)
{
    uint32_t piece = d->slots / hj_ocl_per_nonce(d);
    return piece > 0 ? piece : 1;
}

/* The slice of an overflowed launch again, in pieces of at most `slots`
 * hashes: a piece cannot have more candidates than hashes. */
hj_status hj_ocl_rescan(ocl_device *d, ocl_launch *l, uint32_t first, hj_candidates *out, hj_error *err)
{
    uint64_t offset = l->offset, end = l->offset + l->count;
    uint32_t piece = hj_ocl_rescan_piece(d);
    while (offset < end) {
        uint32_t n = end - offset < piece ? (uint32_t)(end - offset) : piece;
        double t;
        hj_status st = hj_ocl_run_blocking(d, l, first, offset, n, &t, err);
        if (st != HJ_OK)
            return st;
        if (hj_ocl_overflowed(d, l))
            return hj_fail(err, HJ_ERR_RUNTIME,
                           "%s (%s): %u candidates reported for %u nonces x %u versions: the kernel is faulty; "
                           "results discarded",
                           d->kernel_name, d->name, l->host[0], n, hj_ocl_per_nonce(d));
        if ((st = hj_ocl_take_candidates(d, l, first, out, err)) != HJ_OK)
            return st;
        offset += n;
    }
    return HJ_OK;
}
