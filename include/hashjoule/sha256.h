/* hashjoule — portable reference SHA-256 (FIPS 180-4) and SHA-256d.
 *
 * This is the yardstick every fast kernel is tested against: written for
 * clarity, not speed. */
#ifndef HASHJOULE_SHA256_H
#define HASHJOULE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_SHA256_BLOCK_BYTES 64
#define HJ_SHA256_DIGEST_BYTES 32

/* FIPS 180-4 section 4.2.2 round constants and section 5.3.3 initial hash value. */
extern const uint32_t hj_sha256_k[64];
extern const uint32_t hj_sha256_iv[8];

typedef struct hj_sha256_ctx {
    uint32_t state[8];
    uint64_t total_bytes;                   /* message length so far */
    uint8_t pending[HJ_SHA256_BLOCK_BYTES]; /* bytes not yet compressed */
    size_t pending_bytes;
} hj_sha256_ctx;

void hj_sha256_init(hj_sha256_ctx *ctx);
void hj_sha256_update(hj_sha256_ctx *ctx, const void *data, size_t len);
void hj_sha256_final(hj_sha256_ctx *ctx, uint8_t digest[HJ_SHA256_DIGEST_BYTES]);

/* One compression of a 64-byte block (big-endian words) into state. */
void hj_sha256_compress(uint32_t state[8], const uint8_t block[HJ_SHA256_BLOCK_BYTES]);

void hj_sha256(const void *data, size_t len, uint8_t digest[HJ_SHA256_DIGEST_BYTES]);
/* SHA-256(SHA-256(data)): Bitcoin's block and transaction hash. */
void hj_sha256d(const void *data, size_t len, uint8_t digest[HJ_SHA256_DIGEST_BYTES]);

#ifdef __cplusplus
}
#endif
#endif
