/* Block headers, compact bits and targets against Bitcoin Core's behaviour and
 * real mainnet blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "blocks.h"
#include "hashjoule/hashjoule.h"

static void test_real_blocks_hash(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_TEST_BLOCKS; i++) {
        const test_block *b = &test_blocks[i];
        uint8_t header[80], hash[32];
        hj_error err;
        assert_int_equal(hj_header_from_hex(b->header_hex, header, "test", &err), HJ_OK);
        hj_header_hash(header, hash);
        char hex[65];
        hj_hash_to_display_hex(hash, hex);
        assert_string_equal(hex, b->hash_hex);

        hj_block_header f;
        hj_header_deserialize(header, &f);
        assert_int_equal(f.version, b->version);
        assert_int_equal(f.bits, b->bits);
        assert_int_equal(f.nonce, b->nonce);
        uint8_t again[80];
        hj_header_serialize(&f, again);
        assert_memory_equal(again, header, 80);

        /* Each block meets its own target, and fails a target 2^32 times harder. */
        hj_target t;
        assert_int_equal(hj_target_from_compact(f.bits, &t, "bits", &err), HJ_OK);
        assert_true(hj_hash_meets_target(hash, &t));
        hj_target harder = {{0}};
        memcpy(harder.le, t.le + 4, 28);
        assert_false(hj_hash_meets_target(hash, &harder));
    }
}

/* Bitcoin Core src/test/arith_uint256_tests.cpp, bignum_SetCompact. */
typedef struct compact_case {
    uint32_t bits;
    const char *target_hex; /* most significant first */
    bool negative, overflow;
    uint32_t compact_back; /* GetCompact(negative) */
} compact_case;

#define Z64 "0000000000000000000000000000000000000000000000000000000000000000"
static const compact_case compact_cases[] = {
    {0x00000000, Z64, false, false, 0},
    {0x00123456, Z64, false, false, 0},
    {0x01003456, Z64, false, false, 0},
    {0x02000056, Z64, false, false, 0},
    {0x03000000, Z64, false, false, 0},
    {0x04000000, Z64, false, false, 0},
    {0x00923456, Z64, false, false, 0},
    {0x01803456, Z64, false, false, 0},
    {0x02800056, Z64, false, false, 0},
    {0x03800000, Z64, false, false, 0},
    {0x04800000, Z64, false, false, 0},
    {0x01123456, "0000000000000000000000000000000000000000000000000000000000000012", false, false, 0x01120000},
    {0x01fedcba, "000000000000000000000000000000000000000000000000000000000000007e", true, false, 0x01fe0000},
    {0x02123456, "0000000000000000000000000000000000000000000000000000000000001234", false, false, 0x02123400},
    {0x03123456, "0000000000000000000000000000000000000000000000000000000000123456", false, false, 0x03123456},
    {0x04123456, "0000000000000000000000000000000000000000000000000000000012345600", false, false, 0x04123456},
    {0x04923456, "0000000000000000000000000000000000000000000000000000000012345600", true, false, 0x04923456},
    {0x05009234, "0000000000000000000000000000000000000000000000000000000092340000", false, false, 0x05009234},
    {0x20123456, "1234560000000000000000000000000000000000000000000000000000000000", false, false, 0x20123456},
    {0x1d00ffff, "00000000ffff0000000000000000000000000000000000000000000000000000", false, false, 0x1d00ffff},
};

static void test_compact_core_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof compact_cases / sizeof compact_cases[0]; i++) {
        const compact_case *c = &compact_cases[i];
        hj_target t;
        bool neg = !c->negative, ovf = !c->overflow;
        hj_target_from_compact_raw(c->bits, &t, &neg, &ovf);
        char hex[65];
        hj_target_to_hex(&t, hex);
        assert_string_equal(hex, c->target_hex);
        assert_int_equal(neg, c->negative);
        assert_int_equal(ovf, c->overflow);
        assert_int_equal(hj_target_to_compact(&t, c->negative), c->compact_back);
    }
    /* Core: "Make sure that we don't generate compacts with the 0x00800000 bit set". */
    hj_target t = {{0}};
    t.le[0] = 0x80;
    assert_int_equal(hj_target_to_compact(&t, false), 0x02008000);
    /* Overflow flag. */
    bool neg, ovf;
    hj_target_from_compact_raw(0xff123456, &t, &neg, &ovf);
    assert_true(ovf);
    hj_target_from_compact_raw(0x22000001, &t, &neg, &ovf); /* size 34, word 1: fits */
    assert_false(ovf);
    hj_target_from_compact_raw(0x22000100, &t, &neg, &ovf); /* word > 0xff at size 34 */
    assert_true(ovf);
    hj_target_from_compact_raw(0x21010000, &t, &neg, &ovf); /* word > 0xffff at size 33 */
    assert_true(ovf);
}

static void test_compact_checked(void **state)
{
    (void)state;
    hj_target t;
    hj_error err;
    assert_int_equal(hj_target_from_compact(0x04923456, &t, "--bits", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "negative"));
    assert_int_equal(hj_target_from_compact(0xff123456, &t, "--bits", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "overflow"));
    assert_int_equal(hj_target_from_compact(0x01003456, &t, "--bits", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "zero"));
    assert_int_equal(hj_target_from_compact(0x207fffff, &t, "--bits", &err), HJ_OK); /* regtest powLimit */
}

static void test_target_hex_and_compare(void **state)
{
    (void)state;
    hj_target t;
    hj_error err;
    assert_int_equal(
        hj_target_from_hex("00000000ffff0000000000000000000000000000000000000000000000000000", &t, "--target", &err),
        HJ_OK);
    assert_int_equal(hj_target_to_compact(&t, false), 0x1d00ffff);
    assert_int_equal(hj_target_top32(&t), 0);
    assert_int_equal(hj_target_from_hex("00ff", &t, "--target", &err), HJ_ERR_INPUT);
    assert_int_equal(
        hj_target_from_hex("zz000000ffff0000000000000000000000000000000000000000000000000000", &t, "--target", &err),
        HJ_ERR_INPUT);

    /* Comparison: equal meets; one more in the lowest byte does not. */
    hj_target_from_hex("0000000000000000000000000000000000000000000000000000000000001234", &t, "t", &err);
    uint8_t hash[32] = {0x34, 0x12};
    assert_true(hj_hash_meets_target(hash, &t));
    hash[0] = 0x35;
    assert_false(hj_hash_meets_target(hash, &t));
    hash[0] = 0xff;
    hash[1] = 0x11;
    assert_true(hj_hash_meets_target(hash, &t));
}

static void test_difficulty(void **state)
{
    (void)state;
    assert_true(hj_difficulty_from_bits(0x1d00ffff) == 1.0);
    /* Values from Bitcoin Core's GetDifficulty formula (getblock "difficulty"). */
    assert_float_equal(hj_difficulty_from_bits(0x1a44b9f2), 244112.48777433642, 1e-6);
    assert_float_equal(hj_difficulty_from_bits(0x17034219) / 86388558925171.02, 1.0, 1e-12);
}

static void test_hex_errors(void **state)
{
    (void)state;
    uint8_t header[80];
    hj_error err;
    char buf[200];
    memset(buf, '0', 160);
    buf[160] = 0;
    assert_int_equal(hj_header_from_hex(buf, header, "--header", &err), HJ_OK);
    buf[159] = 0; /* odd */
    assert_int_equal(hj_header_from_hex(buf, header, "--header", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "odd"));
    buf[158] = 0; /* 79 bytes */
    assert_int_equal(hj_header_from_hex(buf, header, "--header", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "79 bytes"));
    memset(buf, '0', 162);
    buf[162] = 0; /* 81 bytes */
    assert_int_equal(hj_header_from_hex(buf, header, "--header", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "81 bytes"));
    buf[160] = 0;
    buf[7] = 'g';
    assert_int_equal(hj_header_from_hex(buf, header, "--header", &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "character 8"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_blocks_hash), cmocka_unit_test(test_compact_core_vectors),
        cmocka_unit_test(test_compact_checked),  cmocka_unit_test(test_target_hex_and_compare),
        cmocka_unit_test(test_difficulty),       cmocka_unit_test(test_hex_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
