/* Portable scalar SHA-256d nonce scanner: one nonce at a time, with the
 * per-job precomputation (midstate, rounds 0..3, constant schedule parts),
 * padding folded into K+W and an early exit on H7 (tricks 1-4, listed in
 * include/hashjoule/job.h). It is the fallback on every CPU and the template the vector
 * kernels follow. */
#include "cpu_kernels.h"
#include "hashjoule/sha256.h"
#include "sha256_ops.h"

/* The sigma functions of FIPS 180-4 section 4.1.2 with the rotations nested,
 * e.g. ROTR6(x ^ ROTR5(x ^ ROTR14(x))) = ROTR6 ^ ROTR11 ^ ROTR25: x86-64's ROR
 * overwrites its operand, so the flat form needs a register copy per rotation
 * and this one needs one in all. With these and MAJ_REUSE a nonce takes 15%
 * fewer instructions (callgrind: 4,737, not 5,547) and ran 11% faster on
 * Zen3 (median of 7 alternating runs), the longer dependency chain
 * notwithstanding. */
#define BSIG0(x) hj_rotr32(hj_rotr32(hj_rotr32((x), 9) ^ (x), 11) ^ (x), 2)
#define BSIG1(x) hj_rotr32(hj_rotr32(hj_rotr32((x), 14) ^ (x), 5) ^ (x), 6)
#define S0(x) (hj_rotr32(hj_rotr32((x), 11) ^ (x), 7) ^ ((x) >> 3))
#define S1(x) (hj_rotr32(hj_rotr32((x), 2) ^ (x), 17) ^ ((x) >> 10))
#define K hj_sha256_k

/* Maj(a,b,c) = b ^ ((a^b) & (b^c)); a^b is the next round's b^c, kept in ab_
 * (set ab_ = b ^ c before the first round of a block). */
#define MAJ_REUSE(a, b) (bc_ = ab_, ab_ = (a) ^ (b), (b) ^ (ab_ & bc_))

/* One round with the state named a..h; the caller rotates the names instead of
 * moving values. */
#define ROUND(a, b, c, d, e, f, g, h, kw)                      \
    do {                                                       \
        uint32_t t1_ = (h) + (kw) + BSIG1(e) + HJ_CH(e, f, g); \
        (d) += t1_;                                            \
        (h) = t1_ + BSIG0(a) + MAJ_REUSE(a, b);                \
    } while (0)
/* Only the e half of a round: enough for the last rounds feeding H7. */
#define ROUND_E(a, b, c, d, e, f, g, h, kw) ((d) += (h) + (kw) + BSIG1(e) + HJ_CH(e, f, g))

#define ROUNDS8(i, KW)                              \
    do {                                            \
        ROUND(a, b, c, d, e, f, g, h, KW((i) + 0)); \
        ROUND(h, a, b, c, d, e, f, g, KW((i) + 1)); \
        ROUND(g, h, a, b, c, d, e, f, KW((i) + 2)); \
        ROUND(f, g, h, a, b, c, d, e, KW((i) + 3)); \
        ROUND(e, f, g, h, a, b, c, d, KW((i) + 4)); \
        ROUND(d, e, f, g, h, a, b, c, KW((i) + 5)); \
        ROUND(c, d, e, f, g, h, a, b, KW((i) + 6)); \
        ROUND(b, c, d, e, f, g, h, a, KW((i) + 7)); \
    } while (0)

/* K+W for each phase: padding folded into constants where W is constant. */
#define KW_BLOCK2_PAD(t) hj_block2_kw[t]
#define KW_W(t) (K[t] + w[t])
#define KW_HASH2_PAD(t) hj_hash2_kw[(t)]

static inline uint32_t scan_one(const hj_job *job, uint32_t nonce)
{
    const uint32_t *cw = job->w;
    uint32_t w[64];
    uint32_t ab_, bc_; /* MAJ_REUSE's a^b and b^c */

    /* ---- first hash, block 2: rounds 4..63 ---- */
    uint32_t w3 = hj_nonce_to_w3(nonce);
    uint32_t a = job->state_r3[0] + w3, b = job->state_r3[1], c = job->state_r3[2], d = job->state_r3[3],
             e = job->state_r3[4] + w3, f = job->state_r3[5], g = job->state_r3[6], h = job->state_r3[7];
    ab_ = b ^ c;
    /* Rounds 4..11 and 12..15: the message words are padding constants. */
    ROUND(a, b, c, d, e, f, g, h, KW_BLOCK2_PAD(4));
    ROUND(h, a, b, c, d, e, f, g, KW_BLOCK2_PAD(5));
    ROUND(g, h, a, b, c, d, e, f, KW_BLOCK2_PAD(6));
    ROUND(f, g, h, a, b, c, d, e, KW_BLOCK2_PAD(7));
    ROUND(e, f, g, h, a, b, c, d, KW_BLOCK2_PAD(8));
    ROUND(d, e, f, g, h, a, b, c, KW_BLOCK2_PAD(9));
    ROUND(c, d, e, f, g, h, a, b, KW_BLOCK2_PAD(10));
    ROUND(b, c, d, e, f, g, h, a, KW_BLOCK2_PAD(11));
    ROUND(a, b, c, d, e, f, g, h, KW_BLOCK2_PAD(12));
    ROUND(h, a, b, c, d, e, f, g, KW_BLOCK2_PAD(13));
    ROUND(g, h, a, b, c, d, e, f, KW_BLOCK2_PAD(14));
    ROUND(f, g, h, a, b, c, d, e, KW_BLOCK2_PAD(15));

    /* Schedule: constant parts from the job, nonce terms here (see job.h). */
    w[16] = cw[16];
    w[17] = cw[17];
    w[18] = cw[18] + S0(w3);
    w[19] = cw[19] + w3;
    w[20] = cw[20] + S1(w[18]);
    w[21] = S1(w[19]);
    w[22] = cw[22] + S1(w[20]);
    w[23] = cw[23] + S1(w[21]);
    w[24] = cw[24] + S1(w[22]);
    for (int t = 25; t < 30; t++)
        w[t] = S1(w[t - 2]) + w[t - 7];
    w[30] = cw[30] + S1(w[28]) + w[23];
    w[31] = cw[31] + S1(w[29]) + w[24];
    w[32] = cw[32] + S1(w[30]) + w[25];
    w[33] = cw[33] + S1(w[31]) + w[26] + S0(w[18]);
    for (int t = 34; t < 64; t++)
        w[t] = S1(w[t - 2]) + w[t - 7] + S0(w[t - 15]) + w[t - 16];

    /* Names are now shifted by 4 (round 16 starts with a in slot e). */
    ROUND(e, f, g, h, a, b, c, d, KW_W(16));
    ROUND(d, e, f, g, h, a, b, c, KW_W(17));
    ROUND(c, d, e, f, g, h, a, b, KW_W(18));
    ROUND(b, c, d, e, f, g, h, a, KW_W(19));
    ROUNDS8(20, KW_W);
    ROUNDS8(28, KW_W);
    ROUNDS8(36, KW_W);
    ROUNDS8(44, KW_W);
    ROUNDS8(52, KW_W);
    ROUND(a, b, c, d, e, f, g, h, KW_W(60));
    ROUND(h, a, b, c, d, e, f, g, KW_W(61));
    ROUND(g, h, a, b, c, d, e, f, KW_W(62));
    ROUND(f, g, h, a, b, c, d, e, KW_W(63));
    /* After 64 rounds the names are shifted by 4: state = (e,f,g,h,a,b,c,d). */
    w[0] = job->midstate[0] + e;
    w[1] = job->midstate[1] + f;
    w[2] = job->midstate[2] + g;
    w[3] = job->midstate[3] + h;
    w[4] = job->midstate[4] + a;
    w[5] = job->midstate[5] + b;
    w[6] = job->midstate[6] + c;
    w[7] = job->midstate[7] + d;

    /* ---- second hash: the 32-byte digest, padded ---- */
    /* Round 0 from the IV is a constant plus W0 (hashjoule/job.h); the new a
     * and e go to slots h and d, as the name rotation expects. */
    a = hj_sha256_iv[0];
    b = hj_sha256_iv[1];
    c = hj_sha256_iv[2];
    h = hj_hash2_round1[0] + w[0];
    e = hj_sha256_iv[4];
    f = hj_sha256_iv[5];
    g = hj_sha256_iv[6];
    d = hj_hash2_round1[1] + w[0];
    ab_ = a ^ b;
    ROUND(h, a, b, c, d, e, f, g, KW_W(1));
    ROUND(g, h, a, b, c, d, e, f, KW_W(2));
    ROUND(f, g, h, a, b, c, d, e, KW_W(3));
    ROUND(e, f, g, h, a, b, c, d, KW_W(4));
    ROUND(d, e, f, g, h, a, b, c, KW_W(5));
    ROUND(c, d, e, f, g, h, a, b, KW_W(6));
    ROUND(b, c, d, e, f, g, h, a, KW_W(7));
    ROUNDS8(8, KW_HASH2_PAD);

    const uint32_t *c2 = hj_hash2_w;
    w[16] = S0(w[1]) + w[0];
    w[17] = c2[17] + S0(w[2]) + w[1];
    w[18] = S1(w[16]) + S0(w[3]) + w[2];
    w[19] = S1(w[17]) + S0(w[4]) + w[3];
    w[20] = S1(w[18]) + S0(w[5]) + w[4];
    w[21] = S1(w[19]) + S0(w[6]) + w[5];
    w[22] = c2[22] + S1(w[20]) + S0(w[7]) + w[6];
    w[23] = c2[23] + S1(w[21]) + w[16] + w[7];
    w[24] = c2[24] + S1(w[22]) + w[17];
    for (int t = 25; t < 30; t++)
        w[t] = S1(w[t - 2]) + w[t - 7];
    w[30] = c2[30] + S1(w[28]) + w[23];
    w[31] = c2[31] + S1(w[29]) + w[24] + S0(w[16]);
    for (int t = 32; t <= 60; t++)
        w[t] = S1(w[t - 2]) + w[t - 7] + S0(w[t - 15]) + w[t - 16];

    ROUNDS8(16, KW_W);
    ROUNDS8(24, KW_W);
    ROUNDS8(32, KW_W);
    ROUNDS8(40, KW_W);
    ROUNDS8(48, KW_W);
    ROUND(a, b, c, d, e, f, g, h, KW_W(56));
    /* Trick 4: H7 = IV7 + e after round 60; rounds 57..60 need only e. */
    ROUND_E(h, a, b, c, d, e, f, g, KW_W(57));
    ROUND_E(g, h, a, b, c, d, e, f, KW_W(58));
    ROUND_E(f, g, h, a, b, c, d, e, KW_W(59));
    ROUND_E(e, f, g, h, a, b, c, d, KW_W(60));
    return h + hj_sha256_iv[7];
}

uint32_t hj_scan_scalar(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    uint32_t found = 0;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nonce = first + i;
        uint32_t h7 = scan_one(job, nonce);
        if (__builtin_bswap32(h7) <= job->h7_limit)
            candidates[found++] = nonce;
    }
    return found;
}
