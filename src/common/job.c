/* The per-job precomputation shared by every kernel (see hashjoule/job.h for
 * what each field means and which tricks it implements). */
#include <string.h>

#include "hashjoule/bytes.h"
#include "hashjoule/job.h"
#include "hashjoule/sha256.h"
#include "sha256_ops.h"

#define S0 HJ_SSIG0
#define S1 HJ_SSIG1

/* Block 2 padding: 0x80000000 right after the 16 header bytes, the length in
 * bits (80 * 8 = 640) in W15. Second hash: 32-byte message, so W8 = 0x80000000
 * and W15 = 256 (FIPS 180-4 section 5.1.1). */
#define BLOCK2_PAD_W4 0x80000000u
#define BLOCK2_LEN_W15 640u
#define HASH2_PAD_W8 0x80000000u
#define HASH2_LEN_W15 256u

/* Written out (not computed at start-up) so kernels can use them as compile-time
 * constants; tests/test_job.c recomputes every entry from hj_sha256_k. */
/* Unformatted: the rows follow the padding (zeros, then each folded constant with its comment). */
/* clang-format off */
const uint32_t hj_block2_kw[16] = {
    0, 0, 0, 0,
    0xb956c25b, /* K4 + 0x80000000 */
    0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
    0xc19bf3f4, /* K15 + 640 */
};

const uint32_t hj_hash2_kw[16] = {
    0, 0, 0, 0, 0, 0, 0, 0,
    0x5807aa98, /* K8 + 0x80000000 */
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
    0xc19bf274, /* K15 + 256 */
};
/* clang-format on */

/* Round 0 of the second hash from the IV: T1 = IV7 + S1(IV4) + Ch(IV4, IV5, IV6)
 * + K0, T2 = S0(IV0) + Maj(IV0, IV1, IV2); a = T1 + T2 and e = IV3 + T1, each
 * still without W0. */
const uint32_t hj_hash2_round1[2] = {0xfc08884d, 0x98c7e2a2};

const uint32_t hj_hash2_w[64] = {
    [17] = 0x00a00000, /* s1(256) */
    [22] = 0x00000100, /* W15 = 256 */
    [23] = 0x11002000, /* s0(0x80000000) */
    [24] = 0x80000000, /* W8 */
    [30] = 0x00400022, /* s0(256) */
    [31] = 0x00000100, /* W15 */
};

void hj_job_init(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target)
{
    memset(job, 0, sizeof *job);
    memcpy(job->header, header, HJ_HEADER_BYTES);
    job->target = *target;
    job->h7_limit = hj_target_top32(target);

    /* Trick 1: the midstate. */
    memcpy(job->midstate, hj_sha256_iv, sizeof job->midstate);
    hj_sha256_compress(job->midstate, header);

    uint32_t *w = job->block2;
    for (size_t t = 0; t < 3; t++)
        w[t] = hj_read_be32(header + 64 + 4 * t);
    w[3] = 0;
    w[4] = BLOCK2_PAD_W4;
    w[15] = BLOCK2_LEN_W15;

    /* Trick 2: rounds 0..2 are nonce-free, and round 3 adds W3 linearly. */
    uint32_t s[8];
    memcpy(s, job->midstate, sizeof s);
    for (int t = 0; t < 4; t++) {
        uint32_t t1 = s[7] + HJ_BSIG1(s[4]) + HJ_CH(s[4], s[5], s[6]) + hj_sha256_k[t] + w[t];
        uint32_t t2 = HJ_BSIG0(s[0]) + HJ_MAJ(s[0], s[1], s[2]);
        memmove(s + 1, s, 7 * sizeof s[0]);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    memcpy(job->state_r3, s, sizeof s);

    uint32_t *c = job->w;
    c[16] = S1(w[14]) + w[9] + S0(w[1]) + w[0];
    c[17] = S1(w[15]) + w[10] + S0(w[2]) + w[1];
    c[18] = S1(c[16]) + w[2];
    c[19] = S1(c[17]) + S0(w[4]);
    c[20] = w[4];
    c[21] = 0;
    c[22] = w[15];
    c[23] = c[16];
    c[24] = c[17];
    c[30] = S0(w[15]);
    c[31] = S0(c[16]) + w[15];
    c[32] = S0(c[17]) + c[16];
    c[33] = c[17];
}
