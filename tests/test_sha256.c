/* Reference SHA-256 against FIPS 180-4 / NIST CAVP known answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hashjoule/hashjoule.h"

static void expect_digest(const uint8_t digest[32], const char *want_hex)
{
    char hex[65];
    hj_hex_encode(digest, 32, hex);
    assert_string_equal(hex, want_hex);
}

/* FIPS 180-4 examples (csrc.nist.gov SHA256.pdf, SHA2_Additional.pdf). */
static void test_known_answers(void **state)
{
    (void)state;
    uint8_t d[32];
    hj_sha256("", 0, d);
    expect_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hj_sha256("abc", 3, d);
    expect_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    hj_sha256(m448, strlen(m448), d);
    expect_digest(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    hj_sha256(m896, strlen(m896), d);
    expect_digest(d, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
    (void)state;
    char *a = malloc(1000000);
    assert_non_null(a);
    memset(a, 'a', 1000000);
    uint8_t d[32];
    hj_sha256(a, 1000000, d);
    expect_digest(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* CAVP SHA256ShortMsg.rsp: Len = 8, Msg = d3. */
static void test_cavp_short(void **state)
{
    (void)state;
    uint8_t msg[] = {0xd3}, d[32];
    hj_sha256(msg, 1, d);
    expect_digest(d, "28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1");
    uint8_t msg2[] = {0x11, 0xaf}; /* Len = 16 */
    hj_sha256(msg2, 2, d);
    expect_digest(d, "5ca7133fa735326081558ac312c620eeca9970d1e70a4b95533d956f072d1f98");
}

/* The same message in odd chunk sizes, crossing block boundaries anywhere. */
static void test_incremental(void **state)
{
    (void)state;
    uint8_t msg[1000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 131 + 7);
    uint8_t whole[32];
    hj_sha256(msg, sizeof msg, whole);
    static const size_t chunks[] = {1, 3, 7, 13, 55, 56, 63, 64, 65, 127, 333};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        hj_sha256_ctx ctx;
        hj_sha256_init(&ctx);
        for (size_t off = 0; off < sizeof msg; off += chunks[c]) {
            size_t n = sizeof msg - off < chunks[c] ? sizeof msg - off : chunks[c];
            hj_sha256_update(&ctx, msg + off, n);
        }
        uint8_t d[32];
        hj_sha256_final(&ctx, d);
        assert_memory_equal(d, whole, 32);
    }
    /* Lengths around the padding boundary (55/56/64 bytes) agree between the
     * one-shot and a byte-at-a-time update. */
    for (size_t len = 50; len <= 130; len++) {
        hj_sha256_ctx ctx;
        hj_sha256_init(&ctx);
        for (size_t i = 0; i < len; i++)
            hj_sha256_update(&ctx, msg + i, 1);
        uint8_t a[32], b[32];
        hj_sha256_final(&ctx, a);
        hj_sha256(msg, len, b);
        assert_memory_equal(a, b, 32);
    }
}

static void test_sha256d(void **state)
{
    (void)state;
    uint8_t d[32];
    /* SHA-256d("hello"): 9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50 */
    hj_sha256d("hello", 5, d);
    expect_digest(d, "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers), cmocka_unit_test(test_million_a), cmocka_unit_test(test_cavp_short),
        cmocka_unit_test(test_incremental),   cmocka_unit_test(test_sha256d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
