/* Kernel self-test: before a kernel's numbers are trusted (scan, bench), its
 * candidate set must match the reference exactly on fixed vectors. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/scan.h"

/* Mainnet block 125552 (2011-05-21; the worked example on en.bitcoin.it
 * "Block hashing algorithm"); nonce 2504433986 meets bits 0x1a44b9f2. */
static const char block_125552_hex[] = "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000"
                                       "e320b6c2fffc8d750423db8b1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74d"
                                       "f2b9441a42a14695";
#define BLOCK_125552_NONCE 2504433986u
/* Mainnet block 839900 (2024-04-19), mined with BIP 320 version rolling:
 * version 0x2a966000, whose rolled field (bits 13..28) is 0x54b3; nonce
 * 3529540887 meets bits 0x17034219. */
static const char block_839900_hex[] =
    "0060962aa39b4310863947efd282b30ff755d3ab247c76ee7e5d010000000000000000004c4577aff36cdfdb"
    "0613ee3dc73c46e349da802849ec4f4995f9de8df5838008df1b226619420317178560d2";
#define BLOCK_839900_FIELD 0x54b3u
#define BLOCK_839900_NONCE 3529540887u

typedef struct self_test_range {
    uint32_t first, count;
} self_test_range;

/* Odd starts and lengths so vector kernels start and end mid-vector, and the
 * very top of the nonce space. */
static const self_test_range easy_ranges[] = {
    {0, 1}, {5, 3}, {3, 37}, {1000003, 1531}, {0xffffffffu - 700, 701}, {0xffffffffu, 1},
};

static hj_status kernel_candidates(const hj_kernel *k, const hj_job *job, uint32_t first, uint32_t count, uint32_t *out,
                                   size_t *n_out, hj_error *err)
{
    if (k->kind == HJ_KERNEL_CPU) {
        *n_out = k->scan_cpu(job, first, count, out);
        return HJ_OK;
    }
    hj_candidates list = {0};
    uint64_t done = 0;
    hj_scan_control control = {0};
    hj_status st = k->scan_device(k, job, first, count, &control, &list, &done, err);
    if (st == HJ_OK && done != count)
        st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: kernel %s scanned %llu of %u nonces", k->name,
                     (unsigned long long)done, count);
    if (st == HJ_OK && list.count > count)
        st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: kernel %s reported %zu candidates for %u nonces", k->name,
                     list.count, count);
    if (st == HJ_OK) {
        if (list.count)
            memcpy(out, list.nonces, list.count * sizeof *out);
        *n_out = list.count;
        /* Devices may report in any order; the set is what must match. */
        for (size_t i = 1; i < *n_out; i++)
            for (size_t j = i; j > 0 && out[j - 1] > out[j]; j--) {
                uint32_t t = out[j];
                out[j] = out[j - 1];
                out[j - 1] = t;
            }
    }
    hj_candidates_free(&list);
    return st;
}

static hj_status check_range(const hj_kernel *k, const hj_job *job, uint32_t first, uint32_t count, const char *what,
                             hj_error *err)
{
    uint32_t *want = malloc(count * sizeof *want);
    uint32_t *got = malloc(count * sizeof *got);
    hj_status st = HJ_OK;
    if (!want || !got) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: out of memory");
        goto out;
    }
    size_t n_want = hj_reference_candidates(job, first, count, want);
    size_t n_got = 0;
    st = kernel_candidates(k, job, first, count, got, &n_got, err);
    if (st != HJ_OK)
        goto out;
    if (n_got != n_want || memcmp(want, got, n_want * sizeof *want) != 0) {
        size_t i = 0;
        while (i < n_got && i < n_want && got[i] == want[i])
            i++;
        st = hj_fail(err, HJ_ERR_RUNTIME,
                     "kernel %s failed its self-test (%s, nonces %u..%u): %zu candidates, the "
                     "reference has %zu; first difference at position %zu (kernel %s%u, reference %s%u)",
                     k->name, what, first, first + (count - 1), n_got, n_want, i, i < n_got ? "" : "none ",
                     i < n_got ? got[i] : 0, i < n_want ? "" : "none ", i < n_want ? want[i] : 0);
    }
out:
    free(want);
    free(got);
    return st;
}

static int cmp_vcandidate(const void *pa, const void *pb)
{
    const hj_vcandidate *a = pa, *b = pb;
    if (a->version != b->version)
        return (a->version > b->version) - (a->version < b->version);
    return (a->nonce > b->nonce) - (a->nonce < b->nonce);
}

/* The version-rolling form over versions [v_first, v_first + v_count) of a
 * rolled job x [first, first + count): the same set as the reference. */
static hj_status check_versions(const hj_kernel *k, const hj_job *job, uint32_t v_first, uint32_t v_count,
                                uint32_t first, uint32_t count, const char *what, hj_error *err)
{
    size_t room = (size_t)v_count * count;
    hj_vcandidate *want = malloc(room * sizeof *want), *got = malloc(room * sizeof *got);
    hj_status st = HJ_OK;
    if (!want || !got) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: out of memory");
        goto out;
    }
    size_t n_want = hj_reference_candidates_versions(job, v_first, v_count, first, count, want);
    size_t n_got = 0;
    if (k->kind == HJ_KERNEL_CPU) {
        n_got = k->scan_cpu_versions(job, v_first, v_count, first, count, got);
    } else {
        hj_vcandidates list = {0};
        uint64_t done = 0;
        hj_scan_control control = {0};
        st = k->scan_device_versions(k, job, v_first, v_count, first, count, &control, &list, &done, err);
        if (st == HJ_OK && done != count)
            st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: kernel %s scanned %llu of %u nonces", k->name,
                         (unsigned long long)done, count);
        n_got = list.count;
        if (st == HJ_OK && n_got <= room && n_got)
            memcpy(got, list.items, n_got * sizeof *got);
        hj_vcandidates_free(&list);
        if (st != HJ_OK)
            goto out;
    }
    if (n_got > room) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "self-test: kernel %s reported %zu candidates for %zu hashes", k->name, n_got,
                     room);
        goto out;
    }
    if (n_got > 1)
        qsort(got, n_got, sizeof *got, cmp_vcandidate);
    size_t i = 0;
    while (i < n_got && i < n_want && cmp_vcandidate(&got[i], &want[i]) == 0)
        i++;
    if (n_got != n_want || i != n_want)
        st = hj_fail(err, HJ_ERR_RUNTIME,
                     "kernel %s failed its version-rolling self-test (%s, versions %u..%u of %u, nonces %u..%u): %zu "
                     "candidates, the reference has %zu; first difference at position %zu",
                     k->name, what, v_first, v_first + v_count - 1, job->n_versions, first, first + (count - 1), n_got,
                     n_want, i);
out:
    free(want);
    free(got);
    return st;
}

/* Version rolling: block 839900 at its real target over 13 versions around
 * its own (exactly its own version and nonce), then an easy target over
 * version counts that are multiples of no vector width, ranges that start
 * and end mid-vector and the top of the nonce space. */
static hj_status self_test_versions(const hj_kernel *k, hj_error *err)
{
    uint8_t header[HJ_HEADER_BYTES];
    hj_status st = hj_header_from_hex(block_839900_hex, header, "self-test header", err);
    hj_target target;
    hj_block_header fields;
    hj_header_deserialize(header, &fields);
    if (st == HJ_OK)
        st = hj_target_from_compact(fields.bits, &target, "self-test bits", err);
    hj_job job;
    if (st == HJ_OK)
        st = hj_job_init_versions(&job, header, &target, BLOCK_839900_FIELD - 6, 13, err);
    if (st != HJ_OK)
        return st;
    st = check_versions(k, &job, 0, 13, BLOCK_839900_NONCE - 150, 301, "block 839900", err);
    hj_job_free(&job);
    if (st != HJ_OK)
        return st;

    static const struct {
        uint32_t v_first, v_count, first, count;
    } cases[] = {
        {0, 11, 5, 3},           {0, 11, 3, 37},      {0, 11, 0xffffffffu - 40, 41},
        {0, 11, 0xffffffffu, 1}, {3, 5, 1000003, 29}, {10, 1, 7, 19},
    };
    memset(target.le, 0xff, sizeof target.le);
    target.le[31] = 0x0f; /* 1 in 16 a candidate */
    header[40] ^= 0x5a;
    if ((st = hj_job_init_versions(&job, header, &target, 100, 11, err)) != HJ_OK)
        return st;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && st == HJ_OK; i++)
        st = check_versions(k, &job, cases[i].v_first, cases[i].v_count, cases[i].first, cases[i].count, "easy target",
                            err);
    hj_job_free(&job);
    return st;
}

static hj_status run_self_test(const hj_kernel *k, hj_error *err)
{
    uint8_t header[HJ_HEADER_BYTES];
    hj_status st = hj_header_from_hex(block_125552_hex, header, "self-test header", err);
    if (st != HJ_OK)
        return st;

    /* The real block at its real target: exactly its own nonce. */
    hj_job job;
    hj_target target;
    hj_block_header fields;
    hj_header_deserialize(header, &fields);
    if ((st = hj_target_from_compact(fields.bits, &target, "self-test bits", err)) != HJ_OK)
        return st;
    hj_job_init(&job, header, &target);
    if ((st = check_range(k, &job, BLOCK_125552_NONCE - 300, 601, "block 125552", err)) != HJ_OK)
        return st;

    /* An easy target (1 nonce in 16 a candidate), other header bytes. */
    memset(target.le, 0xff, sizeof target.le);
    target.le[31] = 0x0f;
    header[40] ^= 0x5a; /* a different merkle root: a different job */
    hj_job_init(&job, header, &target);
    for (size_t i = 0; i < sizeof easy_ranges / sizeof easy_ranges[0]; i++)
        if ((st = check_range(k, &job, easy_ranges[i].first, easy_ranges[i].count, "easy target", err)) != HJ_OK)
            return st;
    if ((k->kind == HJ_KERNEL_CPU && k->scan_cpu_versions) || (k->kind == HJ_KERNEL_DEVICE && k->scan_device_versions))
        return self_test_versions(k, err);
    return HJ_OK;
}

/* Results cached per kernel: registry entries never move, but a caller's own
 * hj_kernel (tests) may reuse an address, so the entry points and the name
 * are part of the key. */
#define CACHE_SLOTS 128
static struct {
    const hj_kernel *kernel;
    hj_cpu_scan_fn scan_cpu;
    hj_device_scan_fn scan_device;
    hj_cpu_scan_versions_fn scan_cpu_versions;
    hj_device_scan_versions_fn scan_device_versions;
    char name[sizeof(((hj_kernel *)0)->name)];
    hj_status status;
    char message[sizeof(((hj_error *)0)->message)];
} g_cache[CACHE_SLOTS];
static size_t g_cached;
static pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;

hj_status hj_kernel_self_test(const hj_kernel *kernel, hj_error *err)
{
    /* A kernel built for an instruction set this CPU lacks must never be
     * called, not even to test it: it would die of SIGILL. */
    char why[256];
    if (!hj_kernel_available(kernel, why, sizeof why))
        return hj_fail(err, HJ_ERR_INPUT, "kernel %s cannot run on this machine: %s", kernel->name, why);
    pthread_mutex_lock(&g_cache_lock);
    for (size_t i = 0; i < g_cached; i++) {
        if (g_cache[i].kernel == kernel && g_cache[i].scan_cpu == kernel->scan_cpu &&
            g_cache[i].scan_device == kernel->scan_device &&
            g_cache[i].scan_cpu_versions == kernel->scan_cpu_versions &&
            g_cache[i].scan_device_versions == kernel->scan_device_versions &&
            strcmp(g_cache[i].name, kernel->name) == 0) {
            hj_status st = g_cache[i].status;
            if (st != HJ_OK && err)
                snprintf(err->message, sizeof err->message, "%s", g_cache[i].message);
            pthread_mutex_unlock(&g_cache_lock);
            return st;
        }
    }
    hj_error local = {{0}};
    hj_status st = run_self_test(kernel, &local);
    if (g_cached < CACHE_SLOTS) {
        g_cache[g_cached].kernel = kernel;
        g_cache[g_cached].scan_cpu = kernel->scan_cpu;
        g_cache[g_cached].scan_device = kernel->scan_device;
        g_cache[g_cached].scan_cpu_versions = kernel->scan_cpu_versions;
        g_cache[g_cached].scan_device_versions = kernel->scan_device_versions;
        snprintf(g_cache[g_cached].name, sizeof g_cache[g_cached].name, "%s", kernel->name);
        g_cache[g_cached].status = st;
        snprintf(g_cache[g_cached].message, sizeof g_cache[g_cached].message, "%s", local.message);
        g_cached++;
    }
    pthread_mutex_unlock(&g_cache_lock);
    if (st != HJ_OK && err)
        *err = local;
    return st;
}
