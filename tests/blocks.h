/* Real Bitcoin mainnet block headers from different eras. The hashes of
 * genesis, 125552, 794143 and 839900 are the published block hashes (the
 * block explorers' and the cited pages'); those of the 2014 and 491133 headers
 * were computed with Python's hashlib, an independent implementation. Every
 * header also meets its own bits, which a mistyped header would not (odds
 * about 2^-60 and below). */
#ifndef HJ_TEST_BLOCKS_H
#define HJ_TEST_BLOCKS_H

#include <stdint.h>

typedef struct test_block {
    const char *name;
    const char *header_hex;
    const char *hash_hex; /* display order */
    uint32_t version, bits, nonce;
} test_block;

static const test_block test_blocks[] = {
    {"genesis (2009, v1)",
     "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e"
     "67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c",
     "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", 1, 0x1d00ffff, 2083236893u},
    {"block 125552 (2011, v1; en.bitcoin.it 'Block hashing algorithm')",
     "0100000081cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000e320b6c2fffc8d750423db8b"
     "1eb942ae710e951ed797f7affc8892b0f1fc122bc7f5d74df2b9441a42a14695",
     "00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d", 1, 0x1a44b9f2, 2504433986u},
    {"2014-11-06 block (v2; the developer.bitcoin.org header example)",
     "02000000b6ff0b1b1680a2862a30ca44d346d9e8910d334beb48ca0c00000000000000009d10aa52ee949386ca938569"
     "5f04ede270dda20810decd12bc9b048aaab3147124d95a5430c31b18fe9f0864",
     "000000000000000009a11b3972c8e532fe964de937c9e0096b43814e67af3728", 2, 0x181bc330, 1678286846u},
    {"block 491133 (2017, BIP9 version 0x20000000)",
     "00000020790dfd29a6eab5667c8bb42511b3c370d19b03fe9070c1000000000000000000ed32efbfafeb50a29fa29f78"
     "38cb3019af23d5623d6e310bce43d50b8b9623776e86ec5930eb001884adf6b3",
     "000000000000000000185aaf82c613176413c407c061ba254f7ef5713d82078d", 0x20000000, 0x1800eb30, 3019287940u},
    {"block 794143 (2023, BIP9 bits + version rolling 0x20800000)",
     "000080200e102b98a160f4416c8ff0198db9b177523525c9de8a000000000000000000003b9b941003024e1afa901997"
     "32fdb1366a122ab0a5cacd3f7bcb8cb8815a811b560e8864697e051767c0c9fd",
     "0000000000000000000293bf6e86820d867cc4ca13cd98326af85bb3bebab9ac", 0x20800000, 0x17057e69, 4257857639u},
    {"block 839900 (2024, BIP320 version rolling 0x2a966000)",
     "0060962aa39b4310863947efd282b30ff755d3ab247c76ee7e5d010000000000000000004c4577aff36cdfdb0613ee3d"
     "c73c46e349da802849ec4f4995f9de8df5838008df1b226619420317178560d2",
     "000000000000000000023dfafae2b6e6b5ecf9d1365fafa075dec49625721f37", 0x2a966000, 0x17034219, 3529540887u},
};
#define N_TEST_BLOCKS (sizeof test_blocks / sizeof test_blocks[0])

#endif
