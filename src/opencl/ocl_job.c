/* A job's kernel arguments (kernels/opencl/sha256d.cl), for the plain kernel
 * or, over a block of a rolled job's versions, for the version-rolling one. */
#include <stdlib.h>
#include <string.h>

#include "hashjoule/sha256.h"
#include "ocl_private.h"

/* Argument order of the two kernels. */
enum { N_VERSION_WORDS = 20, N_SHARED = 13 };
enum { ARG_PLAIN_H7_LIMIT = 33 };
enum { VARG_STATES = 0, VARG_NVERSIONS = 1, VARG_SHARED = 2, VARG_H7_LIMIT = 15 };

/* What one version contributes: block 2 after round 3 (a, b, c, e, f, g);
 * rounds 4..6's d + h + KW and h + KW, where h and d are still per-version
 * constants; the midstate. */
static void version_words(const uint32_t s[8], const uint32_t mid[8], cl_uint v[N_VERSION_WORDS])
{
    const uint32_t *kw = hj_block2_kw;
    /* Unformatted: grouped as the kernel's parameters are. */
    /* clang-format off */
    const cl_uint words[N_VERSION_WORDS] = {
        s[0], s[1], s[2], s[4], s[5], s[6],
        s[3] + s[7] + kw[4], s[7] + kw[4], s[2] + s[6] + kw[5], s[6] + kw[5], s[1] + s[5] + kw[6], s[5] + kw[6],
        mid[0], mid[1], mid[2], mid[3], mid[4], mid[5], mid[6], mid[7],
    };
    /* clang-format on */
    memcpy(v, words, sizeof words);
}

/* What every version shares: block 2's schedule constants (job.h w[16..33]),
 * K folded into W16 and W17. */
static void shared_words(const hj_job *job, cl_uint c[N_SHARED])
{
    const uint32_t *w = job->w, *K = hj_sha256_k;
    const cl_uint words[N_SHARED] = {K[16] + w[16], K[17] + w[17], w[18], w[19], w[20], w[21], w[22],
                                     w[23],         w[24],         w[30], w[31], w[32], w[33]};
    memcpy(c, words, sizeof words);
}

static hj_status set_arg(ocl_device *d, cl_kernel k, cl_uint index, size_t size, const void *value, hj_error *err)
{
    cl_int rc = clSetKernelArg(k, index, size, value);
    return rc == CL_SUCCESS ? HJ_OK : hj_ocl_fail(d, "clSetKernelArg", rc, err);
}

/* The plain kernel: s0..s6 and rounds 4..6 (12), the shared words (13), the
 * midstate (8), h7_limit. */
static hj_status set_plain(ocl_device *d, const hj_job *job, hj_error *err)
{
    cl_uint v[N_VERSION_WORDS], c[N_SHARED], a[ARG_PLAIN_H7_LIMIT + 1];
    version_words(job->state_r3, job->midstate, v);
    shared_words(job, c);
    memcpy(a, v, 12 * sizeof *a);
    memcpy(a + 12, c, sizeof c);
    memcpy(a + 12 + N_SHARED, v + 12, 8 * sizeof *a);
    a[ARG_PLAIN_H7_LIMIT] = job->h7_limit;
    hj_status st = HJ_OK;
    for (cl_uint i = 0; i <= ARG_PLAIN_H7_LIMIT && st == HJ_OK; i++)
        st = set_arg(d, d->kernel, i, sizeof a[i], &a[i], err);
    return st;
}

/* The version-rolling kernel: the block's versions in a buffer (20 words
 * each), their count, the shared words, h7_limit. */
static hj_status set_versions(ocl_device *d, const hj_job *job, uint32_t v_first, uint32_t v_count, hj_error *err)
{
    if (!d->kernel_versions)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s (%s): the program has no version-rolling kernel", d->kernel_name,
                       d->name);
    cl_int rc;
    if (d->vstates_cap < v_count) {
        if (d->vstates)
            clReleaseMemObject(d->vstates);
        d->vstates_cap = 0;
        d->vstates = clCreateBuffer(d->context, CL_MEM_READ_ONLY, (size_t)v_count * N_VERSION_WORDS * sizeof(cl_uint),
                                    NULL, &rc);
        if (rc != CL_SUCCESS)
            return hj_ocl_fail(d, "clCreateBuffer", rc, err);
        d->vstates_cap = v_count;
    }
    cl_uint *words = malloc((size_t)v_count * N_VERSION_WORDS * sizeof *words);
    if (!words)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for %u versions' values", v_count);
    for (uint32_t i = 0; i < v_count; i++)
        version_words(job->versions[v_first + i].state_r3, job->versions[v_first + i].midstate,
                      words + (size_t)i * N_VERSION_WORDS);
    rc = clEnqueueWriteBuffer(d->queue, d->vstates, CL_TRUE, 0, (size_t)v_count * N_VERSION_WORDS * sizeof *words,
                              words, 0, NULL, NULL);
    free(words);
    if (rc != CL_SUCCESS)
        return hj_ocl_fail(d, "clEnqueueWriteBuffer", rc, err);
    cl_uint c[N_SHARED], n = v_count, limit = job->h7_limit;
    shared_words(job, c);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): the argument is the cl_mem handle itself */
    hj_status st = set_arg(d, d->kernel_versions, VARG_STATES, sizeof d->vstates, &d->vstates, err);
    if (st == HJ_OK)
        st = set_arg(d, d->kernel_versions, VARG_NVERSIONS, sizeof n, &n, err);
    for (cl_uint i = 0; i < N_SHARED && st == HJ_OK; i++)
        st = set_arg(d, d->kernel_versions, VARG_SHARED + i, sizeof c[i], &c[i], err);
    if (st == HJ_OK)
        st = set_arg(d, d->kernel_versions, VARG_H7_LIMIT, sizeof limit, &limit, err);
    return st;
}

hj_status hj_ocl_set_job(ocl_device *d, const hj_job *job, uint32_t v_first, uint32_t v_count, hj_error *err)
{
    d->rolled = 0;
    if (v_count == 0)
        return set_plain(d, job, err);
    hj_status st = set_versions(d, job, v_first, v_count, err);
    if (st == HJ_OK)
        d->rolled = v_count;
    return st;
}

size_t hj_ocl_local(const ocl_device *d)
{
    if (!d->rolled || d->local <= d->max_local_versions)
        return d->local;
    /* the version-rolling kernel allows less: the largest power of two it takes */
    size_t l = 1;
    while (l * 2 <= d->max_local_versions)
        l *= 2;
    return l;
}
