/* A small OpenCL scan for oclgrind_check.sh to run under oclgrind: one
 * random header, an easy target (many candidates, so the atomic counter, the
 * candidate writes and the overflow path all run), compared with the
 * reference. Usage: test_opencl_oclgrind FIRST COUNT H7_TOP [VERSIONS]; with
 * VERSIONS, the version-rolling kernel over that many versions. Shapes and
 * sizes come from HJ_OPENCL_* in the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/opencl.h"
#include "test_support.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_vc(const void *pa, const void *pb)
{
    const hj_vcandidate *a = pa, *b = pb;
    if (a->version != b->version)
        return (a->version > b->version) - (a->version < b->version);
    return (a->nonce > b->nonce) - (a->nonce < b->nonce);
}

/* The version-rolling kernel over every version of a rolled job. */
static int check_versions(const hj_kernel *k, hj_job *job, uint32_t first, uint32_t count)
{
    size_t room = (size_t)job->n_versions * count;
    hj_vcandidate *want = malloc(room * sizeof *want);
    size_t n_want = hj_reference_candidates_versions(job, 0, job->n_versions, first, count, want);
    hj_vcandidates got = {0};
    uint64_t done = 0;
    hj_scan_control control = {0};
    hj_error err = {{0}};
    int rc = 0;
    if (k->scan_device_versions(k, job, 0, job->n_versions, first, count, &control, &got, &done, &err) != HJ_OK) {
        fprintf(stderr, "%s: %s\n", k->name, err.message);
        rc = 1;
    } else {
        if (got.count)
            qsort(got.items, got.count, sizeof *got.items, cmp_vc);
        if (done != count || got.count != n_want || (n_want && memcmp(got.items, want, n_want * sizeof *want))) {
            fprintf(stderr, "%s: scanned %llu of %u; %zu candidates, the reference has %zu\n", k->name,
                    (unsigned long long)done, count, got.count, n_want);
            rc = 1;
        } else {
            printf("%s: %zu candidates in %u versions x %u nonces, as the reference\n", k->name, got.count,
                   job->n_versions, count);
        }
    }
    hj_vcandidates_free(&got);
    hj_job_free(job);
    free(want);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s FIRST COUNT H7_TOP [VERSIONS]\n", argv[0]);
        return 2;
    }
    uint32_t versions = argc == 5 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0;
    uint32_t first = (uint32_t)strtoul(argv[1], NULL, 0), count = (uint32_t)strtoul(argv[2], NULL, 0);
    uint32_t top = (uint32_t)strtoul(argv[3], NULL, 0);
    hj_opencl_register_backend();
    const hj_kernel *k = hj_opencl_default_kernel();
    char why[256] = "none registered";
    if (!k || !hj_kernel_available(k, why, sizeof why)) {
        printf("SKIPPED: no OpenCL device: %s\n", why);
        return 77;
    }
    uint64_t seed = 0x0c1 + first;
    uint8_t header[80];
    test_random_header(&seed, header);
    hj_target target;
    test_target_with_top(&seed, top, &target);
    hj_job job;
    hj_job_init(&job, header, &target);
    if (versions) {
        hj_error verr;
        hj_write_le32(header, 0x20000000u);
        if (hj_job_init_versions(&job, header, &target, 7, versions, &verr) != HJ_OK) {
            fprintf(stderr, "%s\n", verr.message);
            return 1;
        }
        return check_versions(k, &job, first, count);
    }

    uint32_t *want = malloc(count * sizeof *want);
    size_t n_want = hj_reference_candidates(&job, first, count, want);
    hj_candidates got = {0};
    uint64_t done = 0;
    hj_scan_control control = {0};
    hj_error err = {{0}};
    if (k->scan_device(k, &job, first, count, &control, &got, &done, &err) != HJ_OK) {
        fprintf(stderr, "%s: %s\n", k->name, err.message);
        return 1;
    }
    if (got.count)
        qsort(got.nonces, got.count, sizeof *got.nonces, cmp_u32);
    int rc = 0;
    if (done != count || got.count != n_want || (n_want && memcmp(got.nonces, want, n_want * sizeof *want))) {
        fprintf(stderr, "%s: scanned %llu of %u; %zu candidates, the reference has %zu\n", k->name,
                (unsigned long long)done, count, got.count, n_want);
        rc = 1;
    } else {
        printf("%s (%s): %zu candidates in %u nonces, as the reference\n", k->name, k->description, got.count, count);
    }
    hj_candidates_free(&got);
    free(want);
    return rc;
}
