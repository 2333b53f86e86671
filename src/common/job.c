/* The per-job precomputation shared by every kernel (see hashjoule/job.h for
 * what each field means and which tricks it implements). */
#include <stdlib.h>
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

/* Tricks 1 and 2 for one block 1: the midstate, then rounds 0..3 of block 2
 * (nonce-free up to round 3, which adds W3 linearly). */
static void version_state(const uint8_t block1[64], const uint32_t block2[16], hj_version_state *out)
{
    memcpy(out->midstate, hj_sha256_iv, sizeof out->midstate);
    hj_sha256_compress(out->midstate, block1);
    uint32_t s[8];
    memcpy(s, out->midstate, sizeof s);
    for (int t = 0; t < 4; t++) {
        uint32_t t1 = s[7] + HJ_BSIG1(s[4]) + HJ_CH(s[4], s[5], s[6]) + hj_sha256_k[t] + block2[t];
        uint32_t t2 = HJ_BSIG0(s[0]) + HJ_MAJ(s[0], s[1], s[2]);
        memmove(s + 1, s, 7 * sizeof s[0]);
        s[4] += t1;
        s[0] = t1 + t2;
    }
    memcpy(out->state_r3, s, sizeof s);
}

void hj_job_init(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target)
{
    memset(job, 0, sizeof *job);
    memcpy(job->header, header, HJ_HEADER_BYTES);
    job->target = *target;
    job->h7_limit = hj_target_top32(target);
    job->n_versions = 1;

    uint32_t *w = job->block2;
    for (size_t t = 0; t < 3; t++)
        w[t] = hj_read_be32(header + 64 + 4 * t);
    w[3] = 0;
    w[4] = BLOCK2_PAD_W4;
    w[15] = BLOCK2_LEN_W15;

    hj_version_state vs;
    version_state(header, w, &vs);
    memcpy(job->midstate, vs.midstate, sizeof job->midstate);
    memcpy(job->state_r3, vs.state_r3, sizeof job->state_r3);

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

static uint32_t rolled_version(uint32_t version, uint32_t field)
{
    return (version & ~HJ_VERSION_ROLL_MASK) | (field << HJ_VERSION_ROLL_SHIFT);
}

hj_status hj_job_init_versions(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target,
                               uint32_t version_start, uint32_t n_versions, hj_error *err)
{
    hj_job_init(job, header, target);
    uint32_t version = hj_read_le32(header);
    if ((version & HJ_VERSION_TOP_MASK) != HJ_VERSION_TOP_BITS)
        return hj_fail(err, HJ_ERR_INPUT,
                       "version rolling needs a BIP 9 version (top three bits 001, e.g. 0x20000000); the "
                       "header's version is 0x%08x",
                       version);
    if (n_versions == 0 || version_start >= HJ_VERSION_ROLL_VALUES ||
        n_versions > HJ_VERSION_ROLL_VALUES - version_start)
        return hj_fail(err, HJ_ERR_INPUT,
                       "versions %u..%u (start %u, count %u) do not fit the 16 rolled version bits 13..28: "
                       "start + count must be at most 65536",
                       version_start, version_start + n_versions - 1, version_start, n_versions);
    hj_version_state *vs = malloc((size_t)n_versions * sizeof *vs);
    if (!vs)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory for %u version midstates", n_versions);
    uint8_t block1[64];
    memcpy(block1, header, sizeof block1);
    for (uint32_t i = 0; i < n_versions; i++) {
        hj_write_le32(block1, rolled_version(version, version_start + i));
        version_state(block1, job->block2, &vs[i]);
    }
    job->rolled = true;
    job->n_versions = n_versions;
    job->version_start = version_start;
    job->versions = vs;
    memcpy(job->midstate, vs[0].midstate, sizeof job->midstate);
    memcpy(job->state_r3, vs[0].state_r3, sizeof job->state_r3);
    return HJ_OK;
}

void hj_job_free(hj_job *job)
{
    free(job->versions);
    job->versions = NULL;
    job->rolled = false;
    job->n_versions = 1;
    job->version_start = 0;
}

uint32_t hj_job_version(const hj_job *job, uint32_t i)
{
    uint32_t version = hj_read_le32(job->header);
    return job->rolled ? rolled_version(version, job->version_start + i) : version;
}

void hj_job_for_version(const hj_job *job, uint32_t i, hj_job *out)
{
    *out = *job;
    out->rolled = false;
    out->n_versions = 1;
    out->version_start = 0;
    out->versions = NULL;
    if (!job->rolled)
        return;
    hj_write_le32(out->header, hj_job_version(job, i));
    memcpy(out->midstate, job->versions[i].midstate, sizeof out->midstate);
    memcpy(out->state_r3, job->versions[i].state_r3, sizeof out->state_r3);
}
