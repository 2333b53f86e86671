/* The scan driver itself: input checks, refusal of broken kernels, the
 * re-verification of every candidate, early stops and the hit limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hashjoule/opencl.h"
#include "test_support.h"

static hj_job g_job;    /* a random header with an easy target */
static hj_job g_rolled; /* its header with BIP 9 top bits, 10 versions */

static int setup(void **state)
{
    (void)state;
    uint64_t seed = 42;
    uint8_t header[80];
    test_random_header(&seed, header);
    hj_target t;
    test_target_with_top(&seed, 0x0fffffff, &t);
    hj_job_init(&g_job, header, &t);
    hj_write_le32(header, (hj_read_le32(header) & ~HJ_VERSION_TOP_MASK) | HJ_VERSION_TOP_BITS);
    hj_error err;
    return hj_job_init_versions(&g_rolled, header, &t, 1000, 10, &err) == HJ_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hj_job_free(&g_rolled);
    return 0;
}

static uint32_t scalar_scan(const hj_job *job, uint32_t first, uint32_t count, uint32_t *out)
{
    return hj_kernel_find("scalar")->scan_cpu(job, first, count, out);
}
/* Misses the last candidate of every call: the self-test must catch it. */
static uint32_t lossy_scan(const hj_job *job, uint32_t first, uint32_t count, uint32_t *out)
{
    uint32_t n = scalar_scan(job, first, count, out);
    return n > 0 ? n - 1 : 0;
}
/* Proposes every nonce: a kernel that ignores the H7 filter. */
static uint32_t everything_scan(const hj_job *job, uint32_t first, uint32_t count, uint32_t *out)
{
    (void)job;
    for (uint32_t i = 0; i < count; i++)
        out[i] = first + i;
    return count;
}

static void test_bad_ranges(void **state)
{
    (void)state;
    hj_scan_result r;
    hj_error err;
    assert_int_equal(hj_scan_range(&g_job, 0, 0, NULL, &r, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_scan_range(&g_job, 0, HJ_NONCE_SPACE + 1, NULL, &r, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_scan_range(&g_job, 0xfffffff0u, 17, NULL, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "wrap"));
}

static void test_broken_kernels_refused(void **state)
{
    (void)state;
    hj_kernel lossy = {.name = "lossy", .kind = HJ_KERNEL_CPU, .lanes = 1, .scan_cpu = lossy_scan};
    hj_error err = {{0}};
    assert_int_equal(hj_kernel_self_test(&lossy, &err), HJ_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "self-test"));

    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = &lossy;
    hj_scan_result r;
    assert_int_equal(hj_scan_range(&g_job, 0, 1000, &opt, &r, &err), HJ_ERR_RUNTIME);

    hj_kernel liar = {.name = "liar", .kind = HJ_KERNEL_CPU, .lanes = 1, .scan_cpu = everything_scan};
    assert_int_equal(hj_kernel_self_test(&liar, &err), HJ_ERR_RUNTIME);
}

/* A kernel with a bug far from the self-test's vectors: it proposes every
 * nonce in [0x80000000, 0x80001000). The self-test passes; the driver's
 * re-check of each candidate against the H7 filter still refuses it. */
static uint32_t buggy_high_scan(const hj_job *job, uint32_t first, uint32_t count, uint32_t *out)
{
    if (first >= 0x80000000u && first < 0x80001000u)
        return everything_scan(job, first, count, out);
    return scalar_scan(job, first, count, out);
}

static void test_verification_catches_wrong_candidates(void **state)
{
    (void)state;
    hj_kernel buggy = {.name = "buggy", .kind = HJ_KERNEL_CPU, .lanes = 1, .scan_cpu = buggy_high_scan};
    hj_error err = {{0}};
    assert_int_equal(hj_kernel_self_test(&buggy, &err), HJ_OK);
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = &buggy;
    opt.threads = 2;
    hj_scan_result r;
    assert_int_equal(hj_scan_range(&g_job, 0x80000000u, 5000, &opt, &r, &err), HJ_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "H7 filter"));
    /* Elsewhere it is a correct kernel. */
    assert_int_equal(hj_scan_range(&g_job, 5000, 5000, &opt, &r, &err), HJ_OK);
    hj_scan_result_free(&r);
}

static void test_stop_and_deadline(void **state)
{
    (void)state;
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = hj_kernel_find("scalar");
    opt.threads = 2;
    volatile sig_atomic_t stop = 1; /* already set: nothing is scanned */
    opt.control.stop = &stop;
    hj_scan_result r;
    hj_error err;
    assert_int_equal(hj_scan_range(&g_job, 0, 1u << 24, &opt, &r, &err), HJ_OK);
    assert_false(r.complete);
    assert_true(r.interrupted);
    assert_int_equal(r.hashes, 0);
    hj_scan_result_free(&r);

    opt.control.stop = NULL;
    opt.control.deadline = hj_monotonic_seconds() + 0.05;
    assert_int_equal(hj_scan_range(&g_job, 0, HJ_NONCE_SPACE, &opt, &r, &err), HJ_OK);
    assert_false(r.complete);
    assert_false(r.interrupted);
    assert_true(r.hashes > 0 && r.hashes < HJ_NONCE_SPACE);
    /* Every hit found lies in a scanned chunk: hits ~ 1/16 of hashes. */
    assert_true(r.hits_total <= r.hashes);
    uint64_t per_thread = 0;
    for (unsigned i = 0; i < r.n_threads; i++)
        per_thread += r.threads[i].hashes;
    assert_int_equal(per_thread, r.hashes);
    hj_scan_result_free(&r);
}

static void test_hit_limit(void **state)
{
    (void)state;
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = hj_kernel_find("scalar");
    opt.max_hits = 5;
    hj_scan_result r;
    hj_error err;
    assert_int_equal(hj_scan_range(&g_job, 0, 4000, &opt, &r, &err), HJ_OK);
    assert_true(r.hits_truncated);
    assert_int_equal(r.n_hits, 5);
    assert_true(r.hits_total > 5);
    hj_scan_result_free(&r);
}

/* --- version rolling through the driver ----------------------------------------------------- */

static uint32_t scalar_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                hj_vcandidate *out)
{
    uint32_t n = 0, *nonces = malloc(count * sizeof *nonces);
    assert_non_null(nonces);
    for (uint32_t v = v_first; v < v_first + v_count; v++) {
        hj_job one;
        hj_job_for_version(job, v, &one);
        uint32_t m = scalar_scan(&one, first, count, nonces);
        for (uint32_t i = 0; i < m; i++)
            out[n++] = (hj_vcandidate){v, nonces[i]};
    }
    free(nonces);
    return n;
}
/* Gives every candidate the next version index: caught by the self-test. */
static uint32_t shifted_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                 hj_vcandidate *out)
{
    uint32_t n = scalar_versions(job, v_first, v_count, first, count, out);
    for (uint32_t i = 0; i < n; i++)
        out[i].version = (out[i].version + 1) % job->n_versions;
    return n;
}
/* Right everywhere but at nonces from 2^31 to 2^31 + 65535 (far from the
 * self-test's vectors), where it names a version the job
 * does not have: the driver refuses it. */
static uint32_t bad_index_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first,
                                   uint32_t count, hj_vcandidate *out)
{
    uint32_t n = scalar_versions(job, v_first, v_count, first, count, out);
    for (uint32_t i = 0; i < n && first >= 0x80000000u && first < 0x80010000u; i++)
        out[i].version = job->n_versions;
    return n;
}

static void test_versions_driver(void **state)
{
    (void)state;
    hj_kernel good = {.name = "versions-good",
                      .kind = HJ_KERNEL_CPU,
                      .lanes = 1,
                      .scan_cpu = scalar_scan,
                      .scan_cpu_versions = scalar_versions,
                      .versions_per_pass = 4};
    hj_scan_options opt;
    hj_scan_options_default(&opt);
    opt.kernel = &good;
    opt.threads = 3;
    opt.allow_wrap = true;
    hj_scan_result r;
    hj_error err = {{0}};
    /* 10 versions in blocks of 4, 4 and 2, a range that wraps: every hit,
     * in (version, position in the range) order. */
    uint32_t start = 0xffffffffu - 99, count = 300;
    hj_hit *want = malloc(10 * count * sizeof *want);
    assert_non_null(want);
    size_t n_want = hj_reference_scan_versions(&g_rolled, 0, 10, start, count, want);
    assert_true(n_want > 100);
    if (hj_scan_range(&g_rolled, start, count, &opt, &r, &err) != HJ_OK)
        fail_msg("%s", err.message);
    assert_int_equal(r.hashes, 10 * count);
    assert_int_equal(r.n_hits, n_want);
    for (size_t i = 0; i < n_want; i++) {
        assert_int_equal(r.hits[i].version, want[i].version);
        assert_int_equal(r.hits[i].nonce, want[i].nonce);
    }
    assert_int_equal(r.hits[0].version, hj_job_version(&g_rolled, 0));
    assert_true(r.hits[0].nonce >= start); /* the nonces before the wrap first */
    hj_scan_result_free(&r);
    free(want);

    hj_kernel shifted = good;
    snprintf(shifted.name, sizeof shifted.name, "versions-shifted");
    shifted.scan_cpu_versions = shifted_versions;
    assert_int_equal(hj_kernel_self_test(&shifted, &err), HJ_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "version-rolling self-test"));

    hj_kernel bad = good;
    snprintf(bad.name, sizeof bad.name, "versions-bad-index");
    bad.scan_cpu_versions = bad_index_versions;
    assert_int_equal(hj_kernel_self_test(&bad, &err), HJ_OK);
    opt.kernel = &bad;
    assert_int_equal(hj_scan_range(&g_rolled, 0x80000000u, 3000, &opt, &r, &err), HJ_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "version index 10"));

    /* A deadline: whatever was scanned is versions x nonces of whole tiles. */
    opt.kernel = hj_kernel_find("scalar");
    opt.control.deadline = hj_monotonic_seconds() + 0.05;
    assert_int_equal(hj_scan_range(&g_rolled, 0, HJ_NONCE_SPACE, &opt, &r, &err), HJ_OK);
    assert_false(r.complete);
    assert_true(r.hashes > 0 && r.hashes < 10 * HJ_NONCE_SPACE);
    hj_scan_result_free(&r);
}

static void test_registry(void **state)
{
    (void)state;
    assert_non_null(hj_kernel_find("scalar"));
    assert_null(hj_kernel_find("no-such-kernel"));
    const hj_kernel *best = hj_kernel_auto();
    assert_non_null(best);
    assert_true(hj_kernel_available(best, NULL, 0));
    size_t n = hj_kernel_count();
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++) {
        const hj_kernel *k = hj_kernel_at(i);
        char why[256] = "";
        if (!hj_kernel_available(k, why, sizeof why))
            assert_true(strlen(why) > 0); /* an unavailable kernel always says why */
    }
}

/* A backend added after device discovery has run: the next registry call
 * discovers it, its alias resolves, and adding it again changes nothing. */
static int g_fake_discoveries;
static void fake_discover(void)
{
    g_fake_discoveries++;
    hj_kernel k;
    memset(&k, 0, sizeof k);
    snprintf(k.name, sizeof k.name, "fake:0");
    k.kind = HJ_KERNEL_DEVICE;
    snprintf(k.unavailable_reason, sizeof k.unavailable_reason, "a test backend");
    assert_int_equal(hj_kernel_register(&k, NULL), HJ_OK);
    assert_null(hj_kernel_find("fake")); /* the registry is being filled: no discovery from inside */
}
static const hj_kernel *fake_alias(const char *name)
{
    return strcmp(name, "fake") == 0 ? hj_kernel_find("fake:0") : NULL;
}

static void test_backend(void **state)
{
    (void)state;
    static const hj_kernel_backend fake = {.discover = fake_discover, .find_alias = fake_alias};
    static const hj_kernel_backend no_discover = {.discover = NULL};
    hj_error err;
    size_t before = hj_kernel_count();
    assert_null(hj_kernel_find("fake:0"));
    assert_int_equal(hj_kernel_add_backend(&fake, &err), HJ_OK);
    assert_int_equal(hj_kernel_add_backend(&fake, &err), HJ_OK);
    assert_int_equal(hj_kernel_add_backend(&no_discover, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_kernel_count(), before + 1);
    assert_int_equal(g_fake_discoveries, 1);
    const hj_kernel *k = hj_kernel_find("fake:0");
    assert_non_null(k);
    assert_ptr_equal(hj_kernel_find("fake"), k);
    assert_false(hj_kernel_available(k, NULL, 0));
    assert_int_equal(hj_kernel_count(), before + 1);
    assert_int_equal(g_fake_discoveries, 1);
}

int main(void)
{
    hj_opencl_register_backend(); /* the registry as the hashjoule program sees it */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_ranges),
        cmocka_unit_test(test_broken_kernels_refused),
        cmocka_unit_test(test_verification_catches_wrong_candidates),
        cmocka_unit_test(test_stop_and_deadline),
        cmocka_unit_test(test_hit_limit),
        cmocka_unit_test(test_versions_driver),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_backend),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
