/* One kernel (named on the command line) against the plain reference:
 * random headers and easy targets with many hits, ranges that start and end
 * mid-vector, the top of the nonce space, wrap-around, real-block windows,
 * at 1 thread and several. Exits 77 (ctest: skipped) with the reason when
 * this machine cannot run the kernel. */
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
        cmocka_unit_test(test_self_test),       cmocka_unit_test(test_random_headers_easy_targets),
        cmocka_unit_test(test_partial_vectors), cmocka_unit_test(test_top_of_nonce_space),
        cmocka_unit_test(test_wrap_around),     cmocka_unit_test(test_real_block_windows),
    };
    return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
}
