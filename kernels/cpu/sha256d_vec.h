/* The body of the SIMD kernels (sse41.c, avx2.c, avx512.c): LANES nonces side
 * by side, one per 32-bit lane, with the same per-job precomputation and
 * shortcuts as scalar.c (tricks 1-4 of include/hashjoule/job.h):
 *   - block 2 starts from job->state_r3 with W3 added to a and e;
 *   - rounds 4..15 of block 2 and 8..15 of the second hash use K+W constants;
 *   - the constant parts of block 2's schedule come from job->w, those of the
 *     second hash from hj_hash2_w;
 *   - round 0 of the second hash starts from the IV, so all of it except "+ W0"
 *     is a per-call constant;
 *   - the second hash stops after the e half of rounds 57..60, with IV7 folded
 *     into round 60's K+W, so the last value is H7 itself; H7 is byte-swapped
 *     and compared with h7_limit in the vector, and only a non-zero lane mask
 *     leaves the vector code.
 * The version-rolling form computes block 2's schedule once per vector of
 * nonces, as K+W, and runs block 2's rounds and the second hash for each
 * version of the call from that version's state_r3 and midstate.
 *
 * Private template, included once per ISA file after that file has defined:
 *   vec                      the vector type
 *   LANES                    32-bit lanes per vector
 *   V_ADD V_XOR V_AND        lane-wise a+b, a^b, a&b
 *   V_SET1(x)                broadcast a uint32_t
 *   V_ROR(x, n) V_SHR(x, n)  rotate / shift right each lane by a constant
 *   V_XOR3(a, b, c)          a^b^c
 *   V_CH(e, f, g)            (e&f)^(~e&g)
 *   V_MAJ(a, b, c)           Maj(a,b,c) where it is one instruction; without
 *                            it, Maj is b ^ ((a^b) & (b^c)) with a^b kept for
 *                            the next round, where it is b^c
 *   V_BSWAP(x)               byte-swap each lane
 * and may define BSIG0, BSIG1, SSIG0, SSIG1 (the sigma functions of FIPS
 * 180-4 section 4.1.2) itself.
 *   V_LANE_INDEX             vector {0, 1, ..., LANES-1}
 *   V_LE_MASK(x, lim)        bit i set when bswap32(x[i]) <= lim[i] (unsigned)
 *   SCAN_FN                  the name of the hj_cpu_scan_fn to define
 *   SCAN_VERSIONS_FN         the name of its version-rolling form
 *                            (hj_cpu_scan_versions_fn) to define
 * and may define V_SCHEDULE_IN_ROUNDS (below).
 * The ISA file is compiled with only its own instruction-set flags, so
 * everything here is static: no out-of-line copy compiled for one ISA can be
 * picked up by another file at link time. */
#include <stdint.h>

#include "hashjoule/job.h"
#include "hashjoule/sha256.h"

/* 1: each W of a schedule is computed just before its round (block 2's in
 * the single-version form, the second hash's in both; the rolling form's
 * block 2 reads the K+W computed once for all versions), so the schedule's
 * work, independent of the rounds' chains, fills their latency; 0: each
 * schedule is computed whole before its rounds (sse41: with two-operand
 * instructions the interleaved form needs more copies and was slower). The
 * ISA file picks by measurement. */
#ifndef V_SCHEDULE_IN_ROUNDS
#define V_SCHEDULE_IN_ROUNDS 0
#endif

/* The sigma functions, unless the ISA file has its own. */
#ifndef BSIG0
#define BSIG0(x) V_XOR3(V_ROR((x), 2), V_ROR((x), 13), V_ROR((x), 22))
#define BSIG1(x) V_XOR3(V_ROR((x), 6), V_ROR((x), 11), V_ROR((x), 25))
#define SSIG0(x) V_XOR3(V_ROR((x), 7), V_ROR((x), 18), V_SHR((x), 3))
#define SSIG1(x) V_XOR3(V_ROR((x), 17), V_ROR((x), 19), V_SHR((x), 10))
#endif

#ifdef V_MAJ
#define MAJ(a, b, c) V_MAJ((a), (b), (c))
#define BC_DECLARE
#define BC_SET(x, y) ((void)0)
#else
/* Maj(a,b,c) = b ^ ((a^b) & (b^c)); a^b is the next round's b^c, kept in bc. */
static inline vec maj_reuse(vec a, vec b, vec *bc)
{
    vec ab = V_XOR(a, b);
    vec m = V_XOR(b, V_AND(ab, *bc));
    *bc = ab;
    return m;
}
#define MAJ(a, b, c) maj_reuse((a), (b), &bc)
#define BC_DECLARE vec bc;
#define BC_SET(x, y) (bc = V_XOR((x), (y)))
#endif

/* One round with the state named a..h (the caller rotates the names). The nonce-free
 * h + K + W is added first, off the critical path through e. */
#define RND(a, b, c, d, e, f, g, h, kw)                                          \
    do {                                                                         \
        vec t1_ = V_ADD(V_ADD((h), (kw)), V_ADD(BSIG1(e), V_CH((e), (f), (g)))); \
        (d) = V_ADD((d), t1_);                                                   \
        (h) = V_ADD(t1_, V_ADD(BSIG0(a), MAJ((a), (b), (c))));                   \
    } while (0)
/* Only the e half (rounds 57..60 of the second hash). */
#define RND_E(a, b, c, d, e, f, g, h, kw) \
    ((d) = V_ADD(V_ADD((d), V_ADD((h), (kw))), V_ADD(BSIG1(e), V_CH((e), (f), (g)))))

/* Eight rounds from round t, BEFORE(t) run before each round t: where each W
 * is computed in its round (V_SCHEDULE_IN_ROUNDS), or NO_W. */
#define RNDS8_BEFORE(t, KW, BEFORE)               \
    do {                                          \
        BEFORE((t) + 0);                          \
        RND(a, b, c, d, e, f, g, h, KW((t) + 0)); \
        BEFORE((t) + 1);                          \
        RND(h, a, b, c, d, e, f, g, KW((t) + 1)); \
        BEFORE((t) + 2);                          \
        RND(g, h, a, b, c, d, e, f, KW((t) + 2)); \
        BEFORE((t) + 3);                          \
        RND(f, g, h, a, b, c, d, e, KW((t) + 3)); \
        BEFORE((t) + 4);                          \
        RND(e, f, g, h, a, b, c, d, KW((t) + 4)); \
        BEFORE((t) + 5);                          \
        RND(d, e, f, g, h, a, b, c, KW((t) + 5)); \
        BEFORE((t) + 6);                          \
        RND(c, d, e, f, g, h, a, b, KW((t) + 6)); \
        BEFORE((t) + 7);                          \
        RND(b, c, d, e, f, g, h, a, KW((t) + 7)); \
    } while (0)
#define NO_W(t) ((void)0)
#define RNDS8(t, KW) RNDS8_BEFORE(t, KW, NO_W)

/* K+W, where W is a vector of the schedule and K a broadcast constant. */
#define KW_W(t) V_ADD(w[t], V_SET1(hj_sha256_k[t]))
#define KW_B2PAD(t) V_SET1(hj_block2_kw[t])
#define KW_H2PAD(t) V_SET1(hj_hash2_kw[t])

/* Per-call constants, broadcast once (locals, so the compiler knows the
 * candidate stores cannot change them). */
typedef struct vec_consts {
    vec state_r3[8];
    vec midstate[8];
    vec kw16, kw17;   /* K + W for rounds 16, 17 of block 2 (no nonce term) */
    vec cw[34];       /* job->w[18..33] broadcast (entries below 18 unused) */
    vec h2_a1, h2_e1; /* second hash after round 0: a and e, minus W0 */
    vec kw60_iv7;     /* K60 + IV7: round 60 then yields H7 itself */
    vec limit;        /* h7_limit */
} vec_consts;

static inline void vec_consts_init(vec_consts *C, const hj_job *job)
{
    for (int i = 0; i < 8; i++) {
        C->state_r3[i] = V_SET1(job->state_r3[i]);
        C->midstate[i] = V_SET1(job->midstate[i]);
    }
    C->kw16 = V_SET1(job->w[16] + hj_sha256_k[16]);
    C->kw17 = V_SET1(job->w[17] + hj_sha256_k[17]);
    for (int t = 0; t < 34; t++)
        C->cw[t] = V_SET1(job->w[t]);
    C->h2_a1 = V_SET1(hj_hash2_round1[0]);
    C->h2_e1 = V_SET1(hj_hash2_round1[1]);
    C->kw60_iv7 = V_SET1(hj_sha256_k[60] + hj_sha256_iv[7]);
    C->limit = V_SET1(job->h7_limit);
}

/* W[t] (18 <= t <= 63) of block 2's schedule of LANES nonces: job
 * constants plus the nonce terms (hashjoule/job.h). W16 and W17 have no
 * nonce term. One t at a time, so that it can go in its round. */
static inline __attribute__((always_inline)) void block2_w(const vec_consts *C, vec w3, vec *w, int t)
{
    if (t == 18)
        w[18] = V_ADD(C->cw[18], SSIG0(w3));
    else if (t == 19)
        w[19] = V_ADD(C->cw[19], w3);
    else if (t == 20)
        w[20] = V_ADD(C->cw[20], SSIG1(w[18]));
    else if (t == 21)
        w[21] = SSIG1(w[19]);
    else if (t <= 24)
        w[t] = V_ADD(C->cw[t], SSIG1(w[t - 2]));
    else if (t <= 29)
        w[t] = V_ADD(SSIG1(w[t - 2]), w[t - 7]);
    else if (t <= 32)
        w[t] = V_ADD(V_ADD(C->cw[t], SSIG1(w[t - 2])), w[t - 7]);
    else if (t == 33)
        w[33] = V_ADD(V_ADD(V_ADD(C->cw[33], SSIG1(w[31])), w[26]), SSIG0(w[18]));
    else
        w[t] = V_ADD(V_ADD(SSIG1(w[t - 2]), w[t - 7]), V_ADD(SSIG0(w[t - 15]), w[t - 16]));
}

/* The whole schedule W18..W63 at once: the rolling form's shared K+W, and
 * the single-version form where V_SCHEDULE_IN_ROUNDS is 0. */
static inline __attribute__((always_inline)) void vec_block2_schedule(const vec_consts *C, vec w3, vec *w)
{
    _Pragma("GCC unroll 7") for (int t = 18; t < 25; t++) block2_w(C, w3, w, t);
    for (int t = 25; t < 30; t++)
        block2_w(C, w3, w, t);
    _Pragma("GCC unroll 4") for (int t = 30; t < 34; t++) block2_w(C, w3, w, t);
    for (int t = 34; t < 64; t++)
        block2_w(C, w3, w, t);
}

/* Block 2 from round 4: the state after round 3 (state_r3, W3 added to a and
 * e), rounds 4..15 with padding constants. */
#define BLOCK2_ROUNDS_4_15(r3, w3)                 \
    do {                                           \
        a = V_ADD((r3)[0], (w3));                  \
        b = (r3)[1];                               \
        c = (r3)[2];                               \
        d = (r3)[3];                               \
        e = V_ADD((r3)[4], (w3));                  \
        f = (r3)[5];                               \
        g = (r3)[6];                               \
        h = (r3)[7];                               \
        BC_SET(b, c);                              \
        RND(a, b, c, d, e, f, g, h, KW_B2PAD(4));  \
        RND(h, a, b, c, d, e, f, g, KW_B2PAD(5));  \
        RND(g, h, a, b, c, d, e, f, KW_B2PAD(6));  \
        RND(f, g, h, a, b, c, d, e, KW_B2PAD(7));  \
        RND(e, f, g, h, a, b, c, d, KW_B2PAD(8));  \
        RND(d, e, f, g, h, a, b, c, KW_B2PAD(9));  \
        RND(c, d, e, f, g, h, a, b, KW_B2PAD(10)); \
        RND(b, c, d, e, f, g, h, a, KW_B2PAD(11)); \
        RND(a, b, c, d, e, f, g, h, KW_B2PAD(12)); \
        RND(h, a, b, c, d, e, f, g, KW_B2PAD(13)); \
        RND(g, h, a, b, c, d, e, f, KW_B2PAD(14)); \
        RND(f, g, h, a, b, c, d, e, KW_B2PAD(15)); \
    } while (0)

/* Rounds 16..63 of block 2, K+W from KW(t) (t = 18..63), BEFORE(t) before
 * each of rounds 18..63 (16 and 17 have constant K+W); round 16 starts
 * with a in slot e (the names are shifted by 4), and so does the result:
 * state = (e, f, g, h, a, b, c, d). */
#define BLOCK2_ROUNDS_16_63(KW, BEFORE)       \
    do {                                      \
        RND(e, f, g, h, a, b, c, d, C->kw16); \
        RND(d, e, f, g, h, a, b, c, C->kw17); \
        BEFORE(18);                           \
        RND(c, d, e, f, g, h, a, b, KW(18));  \
        BEFORE(19);                           \
        RND(b, c, d, e, f, g, h, a, KW(19));  \
        RNDS8_BEFORE(20, KW, BEFORE);         \
        RNDS8_BEFORE(28, KW, BEFORE);         \
        RNDS8_BEFORE(36, KW, BEFORE);         \
        RNDS8_BEFORE(44, KW, BEFORE);         \
        RNDS8_BEFORE(52, KW, BEFORE);         \
        BEFORE(60);                           \
        RND(a, b, c, d, e, f, g, h, KW(60));  \
        BEFORE(61);                           \
        RND(h, a, b, c, d, e, f, g, KW(61));  \
        BEFORE(62);                           \
        RND(g, h, a, b, c, d, e, f, KW(62));  \
        BEFORE(63);                           \
        RND(f, g, h, a, b, c, d, e, KW(63));  \
    } while (0)

/* The first digest (midstate + block 2's state) becomes the second hash's
 * W0..W7. */
#define DIGEST_TO_W(mid, w)          \
    do {                             \
        (w)[0] = V_ADD((mid)[0], e); \
        (w)[1] = V_ADD((mid)[1], f); \
        (w)[2] = V_ADD((mid)[2], g); \
        (w)[3] = V_ADD((mid)[3], h); \
        (w)[4] = V_ADD((mid)[4], a); \
        (w)[5] = V_ADD((mid)[5], b); \
        (w)[6] = V_ADD((mid)[6], c); \
        (w)[7] = V_ADD((mid)[7], d); \
    } while (0)

/* W[t] of the second hash (16 <= t <= 60), one t at a time so that it can
 * go in its round (V_SCHEDULE_IN_ROUNDS): W0..W7 are the first digest,
 * W8..W15 padding (their terms folded into the constants of hj_hash2_w). */
static inline __attribute__((always_inline)) void hash2_w(vec *w, int t)
{
    const uint32_t *c2 = hj_hash2_w;
    if (t == 16)
        w[16] = V_ADD(SSIG0(w[1]), w[0]);
    else if (t == 17)
        w[17] = V_ADD(V_ADD(V_SET1(c2[17]), SSIG0(w[2])), w[1]);
    else if (t <= 21)
        w[t] = V_ADD(V_ADD(SSIG1(w[t - 2]), SSIG0(w[t - 15])), w[t - 16]);
    else if (t == 22)
        w[22] = V_ADD(V_ADD(V_SET1(c2[22]), SSIG1(w[20])), V_ADD(SSIG0(w[7]), w[6]));
    else if (t == 23)
        w[23] = V_ADD(V_ADD(V_SET1(c2[23]), SSIG1(w[21])), V_ADD(w[16], w[7]));
    else if (t == 24)
        w[24] = V_ADD(V_ADD(V_SET1(c2[24]), SSIG1(w[22])), w[17]);
    else if (t <= 29)
        w[t] = V_ADD(SSIG1(w[t - 2]), w[t - 7]);
    else if (t == 30)
        w[30] = V_ADD(V_ADD(V_SET1(c2[30]), SSIG1(w[28])), w[23]);
    else if (t == 31)
        w[31] = V_ADD(V_ADD(V_SET1(c2[31]), SSIG1(w[29])), V_ADD(w[24], SSIG0(w[16])));
    else
        w[t] = V_ADD(V_ADD(SSIG1(w[t - 2]), w[t - 7]), V_ADD(SSIG0(w[t - 15]), w[t - 16]));
}

/* The second hash of the digest in w[0..7] (w has room for W0..W60): H7. */
static inline __attribute__((always_inline)) vec vec_hash2_h7(const vec_consts *C, vec *w)
{
    vec a, b, c, d, e, f, g, h;
    BC_DECLARE

    /* Round 0 from the IV, as constants plus W0. */
    a = V_SET1(hj_sha256_iv[0]);
    b = V_SET1(hj_sha256_iv[1]);
    c = V_SET1(hj_sha256_iv[2]);
    h = V_ADD(C->h2_a1, w[0]); /* new a, in slot h */
    e = V_SET1(hj_sha256_iv[4]);
    f = V_SET1(hj_sha256_iv[5]);
    g = V_SET1(hj_sha256_iv[6]);
    d = V_ADD(C->h2_e1, w[0]); /* new e, in slot d */
    BC_SET(a, b);
    RND(h, a, b, c, d, e, f, g, KW_W(1));
    RND(g, h, a, b, c, d, e, f, KW_W(2));
    RND(f, g, h, a, b, c, d, e, KW_W(3));
    RND(e, f, g, h, a, b, c, d, KW_W(4));
    RND(d, e, f, g, h, a, b, c, KW_W(5));
    RND(c, d, e, f, g, h, a, b, KW_W(6));
    RND(b, c, d, e, f, g, h, a, KW_W(7));
    RNDS8(8, KW_H2PAD);

#if V_SCHEDULE_IN_ROUNDS
#define H2_W(t) hash2_w(w, (t))
#else
    _Pragma("GCC unroll 9") for (int t = 16; t < 25; t++) hash2_w(w, t);
    for (int t = 25; t < 30; t++)
        hash2_w(w, t);
    hash2_w(w, 30);
    hash2_w(w, 31);
    for (int t = 32; t <= 60; t++)
        hash2_w(w, t);
#define H2_W NO_W
#endif
    RNDS8_BEFORE(16, KW_W, H2_W);
    RNDS8_BEFORE(24, KW_W, H2_W);
    RNDS8_BEFORE(32, KW_W, H2_W);
    RNDS8_BEFORE(40, KW_W, H2_W);
    RNDS8_BEFORE(48, KW_W, H2_W);
    H2_W(56);
    RND(a, b, c, d, e, f, g, h, KW_W(56));
    /* H7 = IV7 + e after round 60; rounds 57..60 need only e. */
    H2_W(57);
    RND_E(h, a, b, c, d, e, f, g, KW_W(57));
    H2_W(58);
    RND_E(g, h, a, b, c, d, e, f, KW_W(58));
    H2_W(59);
    RND_E(f, g, h, a, b, c, d, e, KW_W(59));
    H2_W(60);
    RND_E(e, f, g, h, a, b, c, d, V_ADD(w[60], C->kw60_iv7));
#undef H2_W
    return h;
}

/* H7 (the last word of SHA-256d) of LANES nonces whose W3 = bswap32(nonce)
 * are the lanes of `w3`. */
static inline __attribute__((always_inline)) vec vec_sha256d_h7(const vec_consts *C, vec w3)
{
    vec w[64];
    vec a, b, c, d, e, f, g, h;
    BC_DECLARE

    BLOCK2_ROUNDS_4_15(C->state_r3, w3);
#if V_SCHEDULE_IN_ROUNDS
#define B2_W(t) block2_w(C, w3, w, (t))
#else
    vec_block2_schedule(C, w3, w);
#define B2_W NO_W
#endif
    BLOCK2_ROUNDS_16_63(KW_W, B2_W);
#undef B2_W
    /* w[16..63] of block 2 are done with: the second hash reuses w. */
    DIGEST_TO_W(C->midstate, w);
    return vec_hash2_h7(C, w);
}

/* The hj_cpu_scan_fn: vectors of LANES consecutive nonces from `first`; the
 * lanes of the last vector past `count` are computed (their nonces may wrap
 * past 2^32 - 1) but never reported. */
uint32_t SCAN_FN(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    vec_consts C;
    vec_consts_init(&C, job);
    const vec lane = V_LANE_INDEX, step = V_SET1(LANES);
    vec nonces = V_ADD(V_SET1(first), lane);
    uint32_t found = 0;
    /* 64-bit: done + LANES must not wrap when count is close to 2^32. */
    for (uint64_t done = 0; done < count; done += LANES) {
        vec h7 = vec_sha256d_h7(&C, V_BSWAP(nonces));
        uint32_t mask = V_LE_MASK(h7, C.limit);
        nonces = V_ADD(nonces, step);
        if (__builtin_expect(mask != 0, 0)) {
            uint64_t left = count - done;
            if (left < LANES)
                mask &= (1u << left) - 1;
            while (mask) {
                candidates[found++] = first + (uint32_t)done + (uint32_t)__builtin_ctz(mask);
                mask &= mask - 1;
            }
        }
    }
    return found;
}

/* ---- version rolling ---- */

/* Versions whose precomputation one call of the rolled form broadcasts at a
 * time; the driver hands a kernel fewer (its versions_per_pass). */
#define VERSION_GROUP 16

/* One version's state_r3 and midstate, broadcast. */
typedef struct vec_version {
    vec state_r3[8];
    vec midstate[8];
} vec_version;

/* K+W of block 2's rounds 18..63, shared by every version. */
#define KW_SHARED(t) kw[t]

/* H7 of one version for the LANES nonces of `w3`, with block 2's K+W (kw,
 * rounds 18..63) computed once for all versions. */
static inline __attribute__((always_inline)) vec vec_sha256d_h7_version(const vec_consts *C, const vec_version *v,
                                                                        vec w3, const vec *kw)
{
    vec w[61];
    vec a, b, c, d, e, f, g, h;
    BC_DECLARE

    BLOCK2_ROUNDS_4_15(v->state_r3, w3);
    BLOCK2_ROUNDS_16_63(KW_SHARED, NO_W);
    DIGEST_TO_W(v->midstate, w);
    return vec_hash2_h7(C, w);
}

/* The hj_cpu_scan_versions_fn: for each vector of LANES nonces, block 2's
 * schedule once, then every version of the call; lanes past `count` are
 * computed but never reported. */
uint32_t SCAN_VERSIONS_FN(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                          hj_vcandidate *candidates)
{
    vec_consts C;
    vec_consts_init(&C, job);
    const vec lane = V_LANE_INDEX, step = V_SET1(LANES);
    uint32_t found = 0;
    for (uint32_t v_done = 0; v_done < v_count; v_done += VERSION_GROUP) {
        const uint32_t g0 = v_first + v_done;
        uint32_t gn = v_count - v_done;
        if (gn > VERSION_GROUP)
            gn = VERSION_GROUP;
        vec_version vs[VERSION_GROUP];
        for (uint32_t i = 0; i < gn; i++)
            for (int k = 0; k < 8; k++) {
                vs[i].state_r3[k] = V_SET1(job->versions[g0 + i].state_r3[k]);
                vs[i].midstate[k] = V_SET1(job->versions[g0 + i].midstate[k]);
            }
        vec nonces = V_ADD(V_SET1(first), lane);
        for (uint64_t done = 0; done < count; done += LANES) {
            vec w3 = V_BSWAP(nonces), kw[64];
            vec_block2_schedule(&C, w3, kw);
            for (int t = 18; t < 64; t++)
                kw[t] = V_ADD(kw[t], V_SET1(hj_sha256_k[t]));
            uint64_t left = count - done;
            uint32_t valid = left < LANES ? (1u << left) - 1 : (uint32_t)((1ull << LANES) - 1);
            for (uint32_t i = 0; i < gn; i++) {
                vec h7 = vec_sha256d_h7_version(&C, &vs[i], w3, kw);
                uint32_t mask = V_LE_MASK(h7, C.limit) & valid;
                while (__builtin_expect(mask != 0, 0)) {
                    candidates[found++] =
                        (hj_vcandidate){g0 + i, first + (uint32_t)done + (uint32_t)__builtin_ctz(mask)};
                    mask &= mask - 1;
                }
            }
            nonces = V_ADD(nonces, step);
        }
    }
    return found;
}
