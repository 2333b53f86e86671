/* The OpenCL backend on a real device (PoCL in CI): exact candidate sets
 * against the reference across launch boundaries, partial launches and the
 * top of the nonce space, for several kernel shapes; candidate-buffer
 * overflow; early stop; bad --device; an injected build failure; the program
 * cache. Exits 77 (skipped) with the reason when there is no OpenCL device.
 *
 * Launch sizes are forced small (HJ_OPENCL_LAUNCH_NONCES semantics, through
 * hj_opencl_set_options) so a few thousand nonces cross many launches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "blocks.h"
#include "hashjoule/opencl.h"
#include "test_support.h"

static const hj_kernel *g_kernel;

static hj_opencl_options base_options(void)
{
    hj_opencl_options o;
    memset(&o, 0, sizeof o);
    hj_error err;
    if (hj_opencl_options_from_env(&o, &err) != HJ_OK)
        fail_msg("%s", err.message);
    o.local_size = 8; /* skip the work-group measurement: it is timed, not tested */
    return o;
}

static void set_options(const hj_opencl_options *o)
{
    hj_error err;
    if (hj_opencl_set_options(o, &err) != HJ_OK)
        fail_msg("%s", err.message);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The device's candidates over [first, first+count) must be exactly the
 * reference's (the device reports them in any order). */
static void expect_candidates(const hj_job *job, uint32_t first, uint32_t count)
{
    uint32_t *want = malloc(count * sizeof *want);
    assert_non_null(want);
    size_t n_want = hj_reference_candidates(job, first, count, want);
    hj_candidates got = {0};
    uint64_t done = 0;
    hj_scan_control control = {0};
    hj_error err = {{0}};
    if (g_kernel->scan_device(g_kernel, job, first, count, &control, &got, &done, &err) != HJ_OK)
        fail_msg("scan %u+%u: %s", first, count, err.message);
    assert_int_equal(done, count);
    if (got.count)
        qsort(got.nonces, got.count, sizeof *got.nonces, cmp_u32);
    if (got.count != n_want || (n_want && memcmp(got.nonces, want, n_want * sizeof *want) != 0))
        fail_msg("nonces %u+%u: %zu candidates, the reference has %zu", first, count, got.count, n_want);
    hj_candidates_free(&got);
    free(want);
}

static void random_job(uint64_t *seed, uint32_t top, hj_job *job)
{
    uint8_t header[80];
    test_random_header(seed, header);
    hj_target target;
    test_target_with_top(seed, top, &target);
    hj_job_init(job, header, &target);
}

/* One kernel shape (nonces per vector, vectors per work-item) over random
 * headers, easy targets and odd launch sizes. */
static void check_shape(unsigned vector, unsigned iters, const char *build_options)
{
    hj_opencl_options o = base_options();
    o.vector = vector;
    o.iters = iters;
    snprintf(o.build_options, sizeof o.build_options, "%s", build_options);
    uint64_t seed = 0x0c1000 + vector * 64 + iters;
    static const uint32_t tops[] = {0xffffffff, 0x0fffffff, 0x00ffffff};
    /* Launches that are and are not multiples of a work-group's nonces. */
    static const uint32_t launches[] = {1000, 8 * 16 * 2, 77};
    for (int round = 0; round < 6; round++) {
        hj_job job;
        random_job(&seed, tops[round % 3], &job);
        o.launch_nonces = launches[round % 3];
        set_options(&o);
        uint32_t first = (uint32_t)test_rand(&seed);
        uint32_t count = 1 + (uint32_t)(test_rand(&seed) % 2500);
        if ((uint64_t)first + count > HJ_NONCE_SPACE)
            first = (uint32_t)(HJ_NONCE_SPACE - count);
        expect_candidates(&job, first, count);
    }
    /* The top of the nonce space, with a partial last launch ending at 2^32. */
    hj_job job;
    random_job(&seed, 0x3fffffff, &job);
    o.launch_nonces = 500;
    set_options(&o);
    expect_candidates(&job, 0xffffffffu - 1233, 1234);
    expect_candidates(&job, 0xffffffffu, 1);
    expect_candidates(&job, 0, 3);
}

static void test_shape_default(void **state)
{
    (void)state;
    check_shape(0, 0, ""); /* what the device gets by default */
}

static void test_shape_scalar_loop(void **state)
{
    (void)state;
    /* The GPU shape: one nonce per lane, a loop per work-item, Ch as bitselect. */
    check_shape(1, 3, "-DHJ_CH_XOR=0");
}

static void test_shape_vector_loop(void **state)
{
    (void)state;
    check_shape(4, 2, "-DHJ_CH_XOR=1");
}

/* Through hj_scan_range: the self-test, re-verification, real blocks. */
static void test_real_block_windows(void **state)
{
    (void)state;
    hj_opencl_options o = base_options();
    o.launch_nonces = 1024;
    set_options(&o);
    for (size_t b = 0; b < N_TEST_BLOCKS; b++) {
        uint8_t header[80];
        hj_error err;
        assert_int_equal(hj_header_from_hex(test_blocks[b].header_hex, header, "t", &err), HJ_OK);
        hj_target target;
        assert_int_equal(hj_target_from_compact(test_blocks[b].bits, &target, "bits", &err), HJ_OK);
        hj_job job;
        hj_job_init(&job, header, &target);
        hj_scan_options opt;
        hj_scan_options_default(&opt);
        opt.kernel = g_kernel;
        hj_scan_result r;
        if (hj_scan_range(&job, test_blocks[b].nonce - 3000, 6001, &opt, &r, &err) != HJ_OK)
            fail_msg("%s: %s", test_blocks[b].name, err.message);
        assert_true(r.complete);
        if (r.n_hits != 1 || r.hits[0].nonce != test_blocks[b].nonce)
            fail_msg("%s: expected exactly nonce %u, got %zu hits", test_blocks[b].name, test_blocks[b].nonce,
                     r.n_hits);
        char hex[65];
        hj_hash_to_display_hex(r.hits[0].hash, hex);
        assert_string_equal(hex, test_blocks[b].hash_hex);
        hj_scan_result_free(&r);
    }
}

/* A candidate buffer far too small: every launch overflows, the slices are
 * rescanned, and the set is still exact. */
static void test_overflow_loses_nothing(void **state)
{
    (void)state;
    hj_opencl_options o = base_options();
    o.hit_slots = 3;
    o.launch_nonces = 400;
    set_options(&o);
    uint64_t seed = 0x0f10;
    hj_job job;
    random_job(&seed, 0x1fffffff, &job); /* 1 in 8: ~50 candidates per launch */
    expect_candidates(&job, 123456, 2000);
    random_job(&seed, 0xffffffff, &job); /* every nonce */
    expect_candidates(&job, 0xffffffffu - 998, 999);
}

static volatile sig_atomic_t g_stop;

/* Stopped early, the scanned nonces are a prefix and its candidates exact. */
static void test_stop_reports_a_prefix(void **state)
{
    (void)state;
    hj_opencl_options o = base_options();
    o.launch_nonces = 512;
    set_options(&o);
    uint64_t seed = 0x5709;
    hj_job job;
    random_job(&seed, 0x0fffffff, &job);
    g_stop = 1; /* already set: at most nothing is scanned */
    hj_scan_control control = {.stop = &g_stop};
    hj_candidates got = {0};
    uint64_t done = 99;
    hj_error err;
    assert_int_equal(g_kernel->scan_device(g_kernel, &job, 1000, 100000, &control, &got, &done, &err), HJ_OK);
    assert_int_equal(done, 0);
    assert_int_equal(got.count, 0);
    /* A deadline in the past behaves the same. */
    control.stop = NULL;
    control.deadline = hj_monotonic_seconds() - 1;
    assert_int_equal(g_kernel->scan_device(g_kernel, &job, 1000, 100000, &control, &got, &done, &err), HJ_OK);
    assert_int_equal(done, 0);
    /* A near deadline: whatever was done is a prefix with exact candidates. */
    control.deadline = hj_monotonic_seconds() + 0.02;
    assert_int_equal(g_kernel->scan_device(g_kernel, &job, 1000, 50000000, &control, &got, &done, &err), HJ_OK);
    assert_true(done <= 50000000);
    uint32_t *want = malloc((done ? done : 1) * sizeof *want);
    size_t n_want = hj_reference_candidates(&job, 1000, (uint32_t)done, want);
    if (got.count)
        qsort(got.nonces, got.count, sizeof *got.nonces, cmp_u32);
    assert_int_equal(got.count, n_want);
    if (n_want)
        assert_memory_equal(got.nonces, want, n_want * sizeof *want);
    free(want);
    hj_candidates_free(&got);
}

static void test_bad_device(void **state)
{
    (void)state;
    const hj_kernel *k = NULL;
    hj_error err = {{0}};
    assert_int_equal(hj_opencl_kernel_for_device("7:3", &k, &err), HJ_ERR_INPUT);
    assert_null(k);
    assert_non_null(strstr(err.message, "no such OpenCL device"));
    assert_non_null(strstr(err.message, "0:0")); /* the devices there are */
    assert_int_equal(hj_opencl_kernel_for_device("0", &k, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "expected PLATFORM:DEVICE"));
    assert_int_equal(hj_opencl_kernel_for_device("0:0x", &k, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_opencl_kernel_for_device("-1:0", &k, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_opencl_kernel_for_device("0:0", &k, &err), HJ_OK);
    assert_string_equal(k->name, "opencl:0:0");
    assert_int_equal(hj_opencl_kernel_for_device("all", &k, &err), HJ_OK);
    assert_non_null(k);
    assert_ptr_equal(hj_kernel_find("opencl"), hj_opencl_default_kernel());
}

static void test_bad_options(void **state)
{
    (void)state;
    hj_opencl_options o = base_options();
    hj_error err;
    o.vector = 3;
    assert_int_equal(hj_opencl_set_options(&o, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "vector width 3"));
    o = base_options();
    o.in_flight = 1;
    assert_int_equal(hj_opencl_set_options(&o, &err), HJ_ERR_INPUT);
    /* A local size the kernel does not allow: a clear error, not a crash. */
    o = base_options();
    o.local_size = 65536;
    set_options(&o);
    hj_job job;
    uint64_t seed = 1;
    random_job(&seed, 0xffffffff, &job);
    hj_candidates got = {0};
    uint64_t done;
    hj_scan_control control = {0};
    assert_int_equal(g_kernel->scan_device(g_kernel, &job, 0, 100, &control, &got, &done, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "local size 65536"));
    hj_candidates_free(&got);
}

/* A build failure (a bad define injected into the build options) is an error
 * that carries the build log, and the device works again once it is gone. */
static void test_build_failure(void **state)
{
    (void)state;
    hj_opencl_options o = base_options();
    snprintf(o.build_options, sizeof o.build_options, "-DHJ_ITERS=bogus_injected_by_test");
    set_options(&o);
    uint64_t seed = 2;
    hj_job job;
    random_job(&seed, 0x0fffffff, &job);
    hj_candidates got = {0};
    uint64_t done = 5;
    hj_scan_control control = {0};
    hj_error err = {{0}};
    assert_int_equal(g_kernel->scan_device(g_kernel, &job, 0, 1000, &control, &got, &done, &err), HJ_ERR_RUNTIME);
    assert_int_equal(done, 0);
    assert_int_equal(got.count, 0);
    assert_non_null(strstr(err.message, "failed to build"));
    assert_non_null(strstr(err.message, "build log"));
    assert_non_null(strstr(err.message, "bogus_injected_by_test"));
    o.build_options[0] = '\0';
    set_options(&o);
    expect_candidates(&job, 0, 1000);
    hj_candidates_free(&got);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int main(void)
{
    hj_opencl_register_backend();
    hj_error err;
    hj_opencl_options env;
    memset(&env, 0, sizeof env);
    if (hj_opencl_options_from_env(&env, &err) != HJ_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    g_kernel = hj_opencl_default_kernel();
    char why[256] = "no OpenCL kernel registered";
    if (!g_kernel || !hj_kernel_available(g_kernel, why, sizeof why)) {
        printf("SKIPPED: no OpenCL device to test: %s\n", why);
        return 77;
    }
    printf("testing %s: %s\n", g_kernel->name, g_kernel->description);
    (void)file_exists;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_device),
        cmocka_unit_test(test_shape_default),
        cmocka_unit_test(test_shape_scalar_loop),
        cmocka_unit_test(test_shape_vector_loop),
        cmocka_unit_test(test_real_block_windows),
        cmocka_unit_test(test_overflow_loses_nothing),
        cmocka_unit_test(test_stop_reports_a_prefix),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_build_failure),
    };
    return cmocka_run_group_tests_name("opencl", tests, NULL, NULL);
}
