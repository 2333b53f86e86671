/* One kernel (named on the command line) against the plain reference:
 * random headers and easy targets with many hits, ranges that start and end
 * mid-vector, the top of the nonce space, wrap-around, real-block windows,
 * at 1 thread and several; the same over versions x nonces (version rolling),
 * with version counts that are multiples of no vector width and real blocks
 * found by rolling. Exits 77 (ctest: skipped) with the reason when this
 * machine cannot run the kernel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "blocks.h"
#include "hashjoule/opencl.h"
#include "test_support.h"

static const hj_kernel *g_kernel;

/* hj_scan_range's hits must equal hj_reference_scan's over [start, start+count). */
static void expect_same_hits(const hj_job *job, uint32_t start, uint32_t count, unsigned threads)
{
    hj_hit *want = malloc((count ? count : 1) * sizeof *want);
    assert_non_null(want);
    size_t n_want = hj_reference_scan(job, start, count, want);

    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = g_kernel;
    opt.threads = threads;
    hj_scan_result r;
    hj_error err = {{0}};
    hj_status st = hj_scan_range(job, start, count, &opt, &r, &err);
    if (st != HJ_OK)
        fail_msg("scan failed: %s", err.message);
    assert_true(r.complete);
    assert_int_equal(r.hashes, count);
    if (r.n_hits != n_want)
        fail_msg("kernel %s, %u threads, nonces %u+%u: %zu hits, reference %zu", g_kernel->name, threads, start, count,
                 r.n_hits, n_want);
    for (size_t i = 0; i < n_want; i++) {
        assert_int_equal(r.hits[i].nonce, want[i].nonce);
        assert_memory_equal(r.hits[i].hash, want[i].hash, 32);
    }
    assert_int_equal(r.hits_total, n_want);
    hj_scan_result_free(&r);
    free(want);
}

/* Candidate level (CPU kernels): the exact H7-filter set, not just the hits. */
static void expect_same_candidates(const hj_job *job, uint32_t start, uint32_t count)
{
    if (g_kernel->kind != HJ_KERNEL_CPU)
        return;
    uint32_t *want = malloc(count * sizeof *want), *got = malloc(count * sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    size_t n_want = hj_reference_candidates(job, start, count, want);
    size_t n_got = g_kernel->scan_cpu(job, start, count, got);
    if (n_got != n_want || memcmp(got, want, n_want * sizeof *want) != 0)
        fail_msg("kernel %s, nonces %u+%u: %zu candidates, reference %zu", g_kernel->name, start, count, n_got, n_want);
    free(want);
    free(got);
}

static void test_self_test(void **state)
{
    (void)state;
    hj_error err = {{0}};
    if (hj_kernel_self_test(g_kernel, &err) != HJ_OK)
        fail_msg("%s", err.message);
}

static void test_random_headers_easy_targets(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0001;
    /* 1 in 1, 1 in 16 and 1 in 256 nonces are candidates. */
    static const uint32_t tops[] = {0xffffffff, 0x0fffffff, 0x00ffffff};
    for (int round = 0; round < 12; round++) {
        uint8_t header[80];
        test_random_header(&seed, header);
        hj_target target;
        test_target_with_top(&seed, tops[round % 3], &target);
        hj_job job;
        hj_job_init(&job, header, &target);
        /* lengths that are multiples of nothing convenient, and odd starts */
        uint32_t start = (uint32_t)test_rand(&seed);
        uint32_t count = 1 + (uint32_t)(test_rand(&seed) % 3001);
        expect_same_candidates(&job, start, count);
        expect_same_hits(&job, start, count, 1);
        expect_same_hits(&job, start, count, 2);
        expect_same_hits(&job, start, count, 3);
    }
}

static void test_partial_vectors(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0002;
    uint8_t header[80];
    test_random_header(&seed, header);
    hj_target target;
    test_target_with_top(&seed, 0x3fffffff, &target);
    hj_job job;
    hj_job_init(&job, header, &target);
    /* Every start offset within a 16-lane vector, every short length. */
    for (uint32_t start = 1000; start < 1017; start++)
        for (uint32_t count = 1; count <= 40; count++)
            expect_same_candidates(&job, start, count);
    expect_same_hits(&job, 1001, 33, 1);
    expect_same_hits(&job, 7, 1, 2);
}

static void test_top_of_nonce_space(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0003;
    uint8_t header[80];
    test_random_header(&seed, header);
    hj_target target;
    test_target_with_top(&seed, 0x1fffffff, &target);
    hj_job job;
    hj_job_init(&job, header, &target);
    for (uint32_t count = 1; count <= 37; count += 3)
        expect_same_candidates(&job, (uint32_t)(0x100000000ull - count), count);
    expect_same_hits(&job, 0xffffffffu - 4096, 4097, 1);
    expect_same_hits(&job, 0xffffffffu - 4096, 4097, 2);
    expect_same_hits(&job, 0xffffffffu, 1, 1);
}

static void test_wrap_around(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0004;
    uint8_t header[80];
    test_random_header(&seed, header);
    hj_target target;
    test_target_with_top(&seed, 0x0fffffff, &target);
    hj_job job;
    hj_job_init(&job, header, &target);

    uint32_t start = 0xffffffffu - 300; /* 301 nonces before the wrap, 700 after */
    hj_hit want[1001];
    size_t n1 = hj_reference_scan(&job, start, 301, want);
    size_t n2 = hj_reference_scan(&job, 0, 700, want + n1);

    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = g_kernel;
    opt.threads = 2;
    hj_scan_result r;
    hj_error err;
    assert_int_equal(hj_scan_range(&job, start, 1001, &opt, &r, &err), HJ_ERR_INPUT); /* not asked to wrap */
    opt.allow_wrap = true;
    if (hj_scan_range(&job, start, 1001, &opt, &r, &err) != HJ_OK)
        fail_msg("%s", err.message);
    assert_int_equal(r.hashes, 1001);
    assert_int_equal(r.n_hits, n1 + n2);
    for (size_t i = 0; i < n1 + n2; i++) /* in range order: pre-wrap nonces first */
        assert_int_equal(r.hits[i].nonce, want[i].nonce);
    hj_scan_result_free(&r);
}

static void test_real_block_windows(void **state)
{
    (void)state;
    for (size_t b = 0; b < N_TEST_BLOCKS; b++) {
        uint8_t header[80];
        hj_error err;
        assert_int_equal(hj_header_from_hex(test_blocks[b].header_hex, header, "t", &err), HJ_OK);
        hj_target target;
        assert_int_equal(hj_target_from_compact(test_blocks[b].bits, &target, "bits", &err), HJ_OK);
        hj_job job;
        hj_job_init(&job, header, &target);
        uint32_t nonce = test_blocks[b].nonce;
        uint32_t start = nonce - 2000, count = 4001;
        for (unsigned threads = 1; threads <= 2; threads++) {
            hj_scan_options opt;
            hj_scan_options_default(&opt);
            opt.kernel = g_kernel;
            opt.threads = threads;
            hj_scan_result r;
            if (hj_scan_range(&job, start, count, &opt, &r, &err) != HJ_OK)
                fail_msg("%s: %s", test_blocks[b].name, err.message);
            if (r.n_hits != 1 || r.hits[0].nonce != nonce)
                fail_msg("%s: expected exactly nonce %u, got %zu hits", test_blocks[b].name, nonce, r.n_hits);
            char hex[65];
            hj_hash_to_display_hex(r.hits[0].hash, hex);
            assert_string_equal(hex, test_blocks[b].hash_hex);
            hj_scan_result_free(&r);
        }
    }
}

/* --- version rolling ------------------------------------------------------------------------- */

/* hj_scan_range over a rolled job: the reference's hits over every version x
 * [start, start+count), in (version, position in the range) order. */
static void expect_same_hits_versions(const hj_job *job, uint32_t start, uint32_t count, unsigned threads)
{
    size_t room = (size_t)job->n_versions * count;
    hj_hit *want = malloc(room * sizeof *want);
    assert_non_null(want);
    size_t n_want = hj_reference_scan_versions(job, 0, job->n_versions, start, count, want);

    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = g_kernel;
    opt.threads = threads;
    opt.allow_wrap = true;
    hj_scan_result r;
    hj_error err = {{0}};
    if (hj_scan_range(job, start, count, &opt, &r, &err) != HJ_OK)
        fail_msg("scan failed: %s", err.message);
    assert_true(r.complete);
    assert_int_equal(r.hashes, (uint64_t)count * job->n_versions);
    if (r.n_hits != n_want)
        fail_msg("kernel %s, %u threads, %u versions from %u, nonces %u+%u: %zu hits, reference %zu", g_kernel->name,
                 threads, job->n_versions, job->version_start, start, count, r.n_hits, n_want);
    for (size_t i = 0; i < n_want; i++) {
        if (r.hits[i].version != want[i].version || r.hits[i].nonce != want[i].nonce)
            fail_msg("kernel %s, hit %zu: version 0x%08x nonce %u, reference version 0x%08x nonce %u", g_kernel->name,
                     i, r.hits[i].version, r.hits[i].nonce, want[i].version, want[i].nonce);
        assert_memory_equal(r.hits[i].hash, want[i].hash, 32);
    }
    hj_scan_result_free(&r);
    free(want);
}

static int cmp_vcand(const void *pa, const void *pb)
{
    const hj_vcandidate *a = pa, *b = pb;
    if (a->version != b->version)
        return (a->version > b->version) - (a->version < b->version);
    return (a->nonce > b->nonce) - (a->nonce < b->nonce);
}

/* The version-rolling form itself (CPU kernels that have one): the exact
 * candidate set over versions [v_first, v_first+v_count) x [start, start+count). */
static void expect_same_vcandidates(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t start,
                                    uint32_t count)
{
    if (g_kernel->kind != HJ_KERNEL_CPU || !g_kernel->scan_cpu_versions)
        return;
    size_t room = (size_t)v_count * count;
    hj_vcandidate *want = malloc(room * sizeof *want), *got = malloc(room * sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    size_t n_want = hj_reference_candidates_versions(job, v_first, v_count, start, count, want);
    size_t n_got = g_kernel->scan_cpu_versions(job, v_first, v_count, start, count, got);
    assert_true(n_got <= room);
    if (n_got > 1)
        qsort(got, n_got, sizeof *got, cmp_vcand);
    if (n_got != n_want || memcmp(got, want, n_want * sizeof *want) != 0)
        fail_msg("kernel %s, versions %u+%u, nonces %u+%u: %zu candidates, reference %zu", g_kernel->name, v_first,
                 v_count, start, count, n_got, n_want);
    free(want);
    free(got);
}

/* A random header whose version may be rolled (BIP 9 top bits 001). */
static void rolled_job(uint64_t *seed, uint32_t top, uint32_t v_start, uint32_t n_versions, hj_job *job)
{
    uint8_t header[80];
    test_random_header(seed, header);
    hj_write_le32(header, (hj_read_le32(header) & ~HJ_VERSION_TOP_MASK) | HJ_VERSION_TOP_BITS);
    hj_target target;
    test_target_with_top(seed, top, &target);
    hj_error err;
    if (hj_job_init_versions(job, header, &target, v_start, n_versions, &err) != HJ_OK)
        fail_msg("%s", err.message);
}

static void test_versions_random(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0101;
    /* Version counts that are multiples of no vector width, and some that are. */
    static const uint32_t counts[] = {1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 31, 33};
    static const uint32_t tops[] = {0x0fffffff, 0x00ffffff, 0x3fffffff};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        uint32_t n = counts[i];
        uint32_t v_start = (uint32_t)(test_rand(&seed) % (HJ_VERSION_ROLL_VALUES - n + 1));
        hj_job job;
        rolled_job(&seed, tops[i % 3], v_start, n, &job);
        uint32_t start = (uint32_t)test_rand(&seed);
        uint32_t count = 1 + (uint32_t)(test_rand(&seed) % 700);
        expect_same_vcandidates(&job, 0, n, start, count);
        expect_same_vcandidates(&job, n / 3, n - n / 3, start + 1, count);
        for (unsigned threads = 1; threads <= 3; threads++)
            expect_same_hits_versions(&job, start, count, threads);
        hj_job_free(&job);
    }
}

static void test_versions_partial_vectors(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0102;
    hj_job job;
    rolled_job(&seed, 0x3fffffff, 4000, 19, &job);
    /* Every start offset within a 16-lane vector, short lengths, several
     * version sub-ranges. */
    for (uint32_t start = 1000; start < 1017; start++)
        for (uint32_t count = 1; count <= 35; count += 2)
            expect_same_vcandidates(&job, start % 5, 1 + (start + count) % 14, start, count);
    expect_same_hits_versions(&job, 1001, 33, 1);
    expect_same_hits_versions(&job, 7, 5, 2);
    hj_job_free(&job);
}

static void test_versions_top_of_nonce_space(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed0103;
    hj_job job;
    rolled_job(&seed, 0x1fffffff, 65536 - 11, 11, &job); /* the field's last values too */
    for (uint32_t count = 1; count <= 37; count += 4)
        expect_same_vcandidates(&job, 0, 11, (uint32_t)(0x100000000ull - count), count);
    expect_same_hits_versions(&job, 0xffffffffu, 1, 1); /* the last nonce alone */
    expect_same_hits_versions(&job, 0xffffffffu - 1000, 1001, 2);
    expect_same_hits_versions(&job, 0xffffffffu - 300, 1001, 3); /* wraps to 0 */
    hj_job_free(&job);
}

/* Real blocks whose version may be rolled: each is found at its own version
 * and nonce when the scan rolls versions around its own. */
static void test_versions_real_blocks(void **state)
{
    (void)state;
    size_t tested = 0;
    for (size_t b = 0; b < N_TEST_BLOCKS; b++) {
        if ((test_blocks[b].version & HJ_VERSION_TOP_MASK) != HJ_VERSION_TOP_BITS)
            continue;
        uint8_t header[80];
        hj_error err;
        assert_int_equal(hj_header_from_hex(test_blocks[b].header_hex, header, "t", &err), HJ_OK);
        hj_target target;
        assert_int_equal(hj_target_from_compact(test_blocks[b].bits, &target, "bits", &err), HJ_OK);
        uint32_t field = (test_blocks[b].version & HJ_VERSION_ROLL_MASK) >> HJ_VERSION_ROLL_SHIFT;
        uint32_t v_start = field >= 4 ? field - 4 : 0;
        hj_job job;
        assert_int_equal(hj_job_init_versions(&job, header, &target, v_start, 11, &err), HJ_OK);
        for (unsigned threads = 1; threads <= 2; threads++) {
            hj_scan_options opt;
            hj_scan_options_default(&opt);
            opt.kernel = g_kernel;
            opt.threads = threads;
            hj_scan_result r;
            if (hj_scan_range(&job, test_blocks[b].nonce - 1500, 3001, &opt, &r, &err) != HJ_OK)
                fail_msg("%s: %s", test_blocks[b].name, err.message);
            if (r.n_hits != 1 || r.hits[0].nonce != test_blocks[b].nonce || r.hits[0].version != test_blocks[b].version)
                fail_msg("%s: expected exactly version 0x%08x nonce %u, got %zu hits", test_blocks[b].name,
                         test_blocks[b].version, test_blocks[b].nonce, r.n_hits);
            char hex[65];
            hj_hash_to_display_hex(r.hits[0].hash, hex);
            assert_string_equal(hex, test_blocks[b].hash_hex);
            assert_int_equal(r.hashes, 11u * 3001u);
            hj_scan_result_free(&r);
        }
        hj_job_free(&job);
        tested++;
    }
    assert_true(tested >= 3); /* 491133, 794143 and 839900 (rolled bits 0x54b3) */
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s KERNEL\n", argv[0]);
        return 2;
    }
    hj_opencl_register_backend(); /* the opencl:P:D kernels */
    g_kernel = hj_kernel_find(argv[1]);
    if (!g_kernel && strncmp(argv[1], "opencl", 6) == 0) { /* a device this machine does not have */
        printf("SKIPPED: no OpenCL device %s on this machine (see hashjoule info)\n", argv[1]);
        return 77;
    }
    if (!g_kernel) {
        fprintf(stderr, "no kernel named %s in this build\n", argv[1]);
        return 1;
    }
    char why[256];
    if (!hj_kernel_available(g_kernel, why, sizeof why)) {
        /* Even its self-test must refuse to call it (it could die of SIGILL). */
        hj_error err = {{0}};
        if (hj_kernel_self_test(g_kernel, &err) != HJ_ERR_INPUT || !strstr(err.message, why)) {
            fprintf(stderr, "kernel %s is unavailable (%s) but its self-test did not refuse it: %s\n", argv[1], why,
                    err.message);
            return 1;
        }
        printf("SKIPPED: kernel %s cannot run on this machine: %s\n", argv[1], why);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_self_test),
        cmocka_unit_test(test_random_headers_easy_targets),
        cmocka_unit_test(test_partial_vectors),
        cmocka_unit_test(test_top_of_nonce_space),
        cmocka_unit_test(test_wrap_around),
        cmocka_unit_test(test_real_block_windows),
        cmocka_unit_test(test_versions_random),
        cmocka_unit_test(test_versions_partial_vectors),
        cmocka_unit_test(test_versions_top_of_nonce_space),
        cmocka_unit_test(test_versions_real_blocks),
    };
    return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
}
