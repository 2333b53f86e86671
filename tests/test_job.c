/* The per-job precomputation: every constant recomputed from first
 * principles, and the split of block 2 into job constants plus nonce terms
 * checked against a plain schedule for many nonces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "blocks.h"
#include "hashjoule/hashjoule.h"

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static uint32_t s0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
static uint32_t s1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

static void test_padding_constants(void **state)
{
    (void)state;
    uint32_t w2[16] = {[4] = 0x80000000, [15] = 640};
    for (int t = 4; t < 16; t++)
        assert_int_equal(hj_block2_kw[t], (uint32_t)(hj_sha256_k[t] + w2[t]));
    uint32_t w3[16] = {[8] = 0x80000000, [15] = 256};
    for (int t = 8; t < 16; t++)
        assert_int_equal(hj_hash2_kw[t], (uint32_t)(hj_sha256_k[t] + w3[t]));
}

static void test_hash2_round1_constants(void **state)
{
    (void)state;
    const uint32_t *iv = hj_sha256_iv;
    uint32_t ch = (iv[4] & iv[5]) ^ (~iv[4] & iv[6]);
    uint32_t maj = (iv[0] & iv[1]) ^ (iv[0] & iv[2]) ^ (iv[1] & iv[2]);
    uint32_t t1 = iv[7] + (rotr(iv[4], 6) ^ rotr(iv[4], 11) ^ rotr(iv[4], 25)) + ch + hj_sha256_k[0];
    uint32_t t2 = (rotr(iv[0], 2) ^ rotr(iv[0], 13) ^ rotr(iv[0], 22)) + maj;
    assert_int_equal(hj_hash2_round1[0], (uint32_t)(t1 + t2));
    assert_int_equal(hj_hash2_round1[1], (uint32_t)(iv[3] + t1));
}

/* Plain schedule of the second hash from its 8 data words. */
static void schedule(uint32_t w[64])
{
    for (int t = 16; t < 64; t++)
        w[t] = s1(w[t - 2]) + w[t - 7] + s0(w[t - 15]) + w[t - 16];
}

static void test_hash2_schedule_constants(void **state)
{
    (void)state;
    const uint32_t *c = hj_hash2_w;
    for (uint32_t seed = 1; seed < 200; seed++) {
        uint32_t w[64] = {0};
        for (int i = 0; i < 8; i++)
            w[i] = seed * 0x9e3779b9u + (uint32_t)i * 0x85ebca6bu;
        w[8] = 0x80000000;
        w[15] = 256;
        schedule(w);
        assert_int_equal(w[16], s0(w[1]) + w[0]);
        assert_int_equal(w[17], c[17] + s0(w[2]) + w[1]);
        assert_int_equal(w[22], c[22] + s1(w[20]) + s0(w[7]) + w[6]);
        assert_int_equal(w[23], c[23] + s1(w[21]) + w[16] + w[7]);
        assert_int_equal(w[24], c[24] + s1(w[22]) + w[17]);
        for (int t = 25; t < 30; t++)
            assert_int_equal(w[t], s1(w[t - 2]) + w[t - 7]);
        assert_int_equal(w[30], c[30] + s1(w[28]) + w[23]);
        assert_int_equal(w[31], c[31] + s1(w[29]) + w[24] + s0(w[16]));
    }
}

static void test_block2_precompute(void **state)
{
    (void)state;
    for (size_t b = 0; b < N_TEST_BLOCKS; b++) {
        uint8_t header[80];
        hj_error err;
        assert_int_equal(hj_header_from_hex(test_blocks[b].header_hex, header, "t", &err), HJ_OK);
        hj_target target = {{0}};
        target.le[31] = 0x12;
        target.le[30] = 0x34;
        target.le[29] = 0x56;
        target.le[28] = 0x78;
        hj_job job;
        hj_job_init(&job, header, &target);
        assert_int_equal(job.h7_limit, 0x12345678);

        uint32_t mid[8];
        memcpy(mid, hj_sha256_iv, sizeof mid);
        hj_sha256_compress(mid, header);
        assert_memory_equal(mid, job.midstate, sizeof mid);

        static const uint32_t nonces[] = {0, 1, 0x7fffffff, 0xffffffff, 2504433986u, 0x01020304};
        for (size_t n = 0; n < sizeof nonces / sizeof nonces[0]; n++) {
            uint32_t w3 = hj_nonce_to_w3(nonces[n]);
            uint32_t w[64] = {0};
            memcpy(w, job.block2, sizeof job.block2);
            w[3] = w3;
            schedule(w);
            const uint32_t *c = job.w;
            assert_int_equal(w[16], c[16]);
            assert_int_equal(w[17], c[17]);
            assert_int_equal(w[18], c[18] + s0(w3));
            assert_int_equal(w[19], c[19] + w3);
            assert_int_equal(w[20], c[20] + s1(w[18]));
            assert_int_equal(w[21], c[21] + s1(w[19]));
            assert_int_equal(w[22], c[22] + s1(w[20]));
            assert_int_equal(w[23], c[23] + s1(w[21]));
            assert_int_equal(w[24], c[24] + s1(w[22]));
            for (int t = 25; t < 30; t++)
                assert_int_equal(w[t], s1(w[t - 2]) + w[t - 7]);
            assert_int_equal(w[30], c[30] + s1(w[28]) + w[23]);
            assert_int_equal(w[31], c[31] + s1(w[29]) + w[24]);
            assert_int_equal(w[32], c[32] + s1(w[30]) + w[25]);
            assert_int_equal(w[33], c[33] + s1(w[31]) + w[26] + s0(w[18]));

            /* Block 2 from state_r3 (+W3 in a and e) equals the full compression. */
            uint8_t block[64] = {0};
            memcpy(block, header + 64, 16);
            hj_write_le32(block + 12, nonces[n]);
            block[16] = 0x80;
            block[62] = 0x02; /* 640 bits, big-endian */
            block[63] = 0x80;
            uint32_t full[8];
            memcpy(full, mid, sizeof full);
            hj_sha256_compress(full, block);

            uint32_t s[8];
            memcpy(s, job.state_r3, sizeof s);
            s[0] += w3;
            s[4] += w3;
            for (int t = 4; t < 64; t++) {
                uint32_t e = s[4], a = s[0];
                uint32_t t1 = s[7] + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & s[5]) ^ (~e & s[6])) +
                              hj_sha256_k[t] + w[t];
                uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));
                memmove(s + 1, s, 7 * sizeof s[0]);
                s[4] += t1;
                s[0] = t1 + t2;
            }
            for (int i = 0; i < 8; i++)
                assert_int_equal(full[i], mid[i] + s[i]);
        }
    }
}

/* Each version of a rolled job is the plain job of the header with that
 * version: the same midstate and state_r3, and hj_job_for_version gives it. */
static void test_versions_precompute(void **state)
{
    (void)state;
    uint8_t header[80];
    hj_error err;
    assert_int_equal(hj_header_from_hex(test_blocks[5].header_hex, header, "t", &err), HJ_OK); /* 0x2a966000 */
    hj_target target = {{0}};
    target.le[31] = 0x01;
    hj_job job;
    assert_int_equal(hj_job_init_versions(&job, header, &target, 65530, 6, &err), HJ_OK);
    assert_true(job.rolled);
    assert_int_equal(job.n_versions, 6);
    for (uint32_t i = 0; i < 6; i++) {
        uint32_t version = (0x2a966000u & ~HJ_VERSION_ROLL_MASK) | ((65530 + i) << 13);
        assert_int_equal(hj_job_version(&job, i), version);
        uint8_t h[80];
        memcpy(h, header, sizeof h);
        hj_write_le32(h, version);
        hj_job plain, one;
        hj_job_init(&plain, h, &target);
        assert_memory_equal(job.versions[i].midstate, plain.midstate, sizeof plain.midstate);
        assert_memory_equal(job.versions[i].state_r3, plain.state_r3, sizeof plain.state_r3);
        hj_job_for_version(&job, i, &one);
        assert_false(one.rolled);
        assert_null(one.versions);
        assert_memory_equal(one.header, plain.header, sizeof plain.header);
        assert_memory_equal(one.midstate, plain.midstate, sizeof plain.midstate);
        assert_memory_equal(one.state_r3, plain.state_r3, sizeof plain.state_r3);
        assert_memory_equal(one.w, plain.w, sizeof plain.w);
    }
    assert_int_equal(hj_job_version(&job, 5), 0x3fffe000u); /* the field's last value */
    hj_job_free(&job);
    assert_false(job.rolled);
    assert_int_equal(hj_job_version(&job, 0), 0x2a966000u); /* back to the header's own */

    /* Refused: no BIP 9 top bits, no versions, past the field's end. */
    assert_int_equal(hj_job_init_versions(&job, header, &target, 0, 0, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_job_init_versions(&job, header, &target, 65535, 2, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "65536"));
    assert_int_equal(hj_job_init_versions(&job, header, &target, 65536, 1, &err), HJ_ERR_INPUT);
    assert_int_equal(hj_job_init_versions(&job, header, &target, 0, 65536, &err), HJ_OK);
    hj_job_free(&job);
    hj_write_le32(header, 0x60000000u); /* top bits 011 */
    assert_int_equal(hj_job_init_versions(&job, header, &target, 0, 2, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "BIP 9"));
    assert_false(job.rolled);
    hj_job_free(&job); /* harmless on a plain job */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions_precompute),    cmocka_unit_test(test_padding_constants),
        cmocka_unit_test(test_hash2_round1_constants), cmocka_unit_test(test_hash2_schedule_constants),
        cmocka_unit_test(test_block2_precompute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
