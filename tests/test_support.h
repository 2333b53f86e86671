/* Helpers shared by the scan and kernel tests. */
#ifndef HJ_TEST_SUPPORT_H
#define HJ_TEST_SUPPORT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/hashjoule.h"

/* xorshift64*: deterministic "random" headers, reproducible from the seed. */
static inline uint64_t test_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dULL;
}

static inline void test_random_header(uint64_t *seed, uint8_t header[80])
{
    for (int i = 0; i < 80; i++)
        header[i] = (uint8_t)test_rand(seed);
}

/* A target whose top 32 bits are `top` and whose remaining bits are random,
 * so candidates (H7 only) and hits (all 256 bits) differ. */
static inline void test_target_with_top(uint64_t *seed, uint32_t top, hj_target *t)
{
    for (int i = 0; i < 28; i++)
        t->le[i] = (uint8_t)test_rand(seed);
    hj_write_le32(t->le + 28, top);
}

#endif
