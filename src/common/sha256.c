/* Reference SHA-256 and SHA-256d, FIPS 180-4 section 6.2. Clarity first: this is the
 * oracle the fast kernels are checked against, so it stays boring. */
#include <string.h>

#include "hashjoule/bytes.h"
#include "hashjoule/sha256.h"
#include "sha256_ops.h"

/* FIPS 180-4 section 4.2.2: first 32 bits of the fractional parts of the cube roots
 * of the first 64 primes. */
const uint32_t hj_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 section 5.3.3: fractional parts of the square roots of the first 8 primes. */
const uint32_t hj_sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

void hj_sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64];
    for (size_t t = 0; t < 16; t++)
        w[t] = hj_read_be32(block + 4 * t);
    for (int t = 16; t < 64; t++)
        w[t] = HJ_SSIG1(w[t - 2]) + w[t - 7] + HJ_SSIG0(w[t - 15]) + w[t - 16];

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = h + HJ_BSIG1(e) + HJ_CH(e, f, g) + hj_sha256_k[t] + w[t];
        uint32_t t2 = HJ_BSIG0(a) + HJ_MAJ(a, b, c);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void hj_sha256_init(hj_sha256_ctx *ctx)
{
    memcpy(ctx->state, hj_sha256_iv, sizeof ctx->state);
    ctx->total_bytes = 0;
    ctx->pending_bytes = 0;
}

void hj_sha256_update(hj_sha256_ctx *ctx, const void *data, size_t len)
{
    const uint8_t *p = data;
    ctx->total_bytes += len;
    if (ctx->pending_bytes > 0) {
        size_t take = HJ_SHA256_BLOCK_BYTES - ctx->pending_bytes;
        if (take > len)
            take = len;
        memcpy(ctx->pending + ctx->pending_bytes, p, take);
        ctx->pending_bytes += take;
        p += take;
        len -= take;
        if (ctx->pending_bytes < HJ_SHA256_BLOCK_BYTES)
            return;
        hj_sha256_compress(ctx->state, ctx->pending);
        ctx->pending_bytes = 0;
    }
    for (; len >= HJ_SHA256_BLOCK_BYTES; p += HJ_SHA256_BLOCK_BYTES, len -= HJ_SHA256_BLOCK_BYTES)
        hj_sha256_compress(ctx->state, p);
    memcpy(ctx->pending, p, len);
    ctx->pending_bytes = len;
}

void hj_sha256_final(hj_sha256_ctx *ctx, uint8_t digest[32])
{
    /* section 5.1.1: a 1 bit, zeros, then the message length in bits as 64-bit big-endian. */
    uint64_t total_bits = ctx->total_bytes * 8;
    uint8_t pad[HJ_SHA256_BLOCK_BYTES * 2] = {0x80};
    size_t pad_len = (ctx->pending_bytes < 56 ? 56 : 120) - ctx->pending_bytes;
    for (int i = 0; i < 8; i++)
        pad[pad_len + i] = (uint8_t)(total_bits >> (56 - 8 * i));
    uint64_t total_bytes = ctx->total_bytes;
    hj_sha256_update(ctx, pad, pad_len + 8);
    ctx->total_bytes = total_bytes;
    for (size_t i = 0; i < 8; i++)
        hj_write_be32(digest + 4 * i, ctx->state[i]);
}

void hj_sha256(const void *data, size_t len, uint8_t digest[32])
{
    hj_sha256_ctx ctx;
    hj_sha256_init(&ctx);
    hj_sha256_update(&ctx, data, len);
    hj_sha256_final(&ctx, digest);
}

void hj_sha256d(const void *data, size_t len, uint8_t digest[32])
{
    uint8_t first[32];
    hj_sha256(data, len, first);
    hj_sha256(first, sizeof first, digest);
}
