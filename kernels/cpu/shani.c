/* SHA-NI kernel (compiled with -msha -msse4.1 only): SHA256RNDS2 does two
 * rounds on the state held as ABEF / CDGH (A in the top lane), SHA256MSG1/2
 * extend the schedule four words at a time. One nonce is 30 RNDS2 for
 * rounds 4..63 of block 2 and 31 for rounds 0..61 of the second hash (of
 * which only e after round 60 is used: H7 = e60 + IV7, with IV7 folded into
 * round 60's K+W).
 *
 * RNDS2's latency is a multiple of its throughput (Zen3: 4 and 2 cycles), so
 * one nonce alone leaves the unit idle; N independent nonces are interleaved.
 * The body is written once for any N; the variants for N = 2, 3, 4 are all
 * built and registered so they can be measured side by side
 * (bench/cpu_kernels.sh). On the Intel Xeon they ran within noise of each
 * other, and `shani` is N = 2: the fewest instructions per nonce (4 ways
 * need more than the 16 XMM registers SHA-NI can address) and, with Zen3's
 * RNDS2 (latency 4, one every 2 cycles), already enough to keep it busy.
 *
 * Version rolling: the ways are versions of one nonce. Block 2's schedule
 * and K+W are computed once per nonce for all of them, so their block 2 is
 * RNDS2 alone; the second hash is the same as above. 2 ways here too: 4 spill
 * (more instructions) and ran no faster.
 *
 * Per-job precomputation as in scalar.c: block 2 starts from job->state_r3 in
 * ABEF/CDGH layout with W3 = bswap32(nonce) added to A and E
 * (trick 2 in include/hashjoule/job.h); W16..W19 are job->w[16..19] plus the
 * nonce terms; rounds 4..15 of block 2 and 8..15 of the second hash take
 * constant K+W pairs; schedule terms made only of padding words are per-call
 * constants. */
#include <immintrin.h>

#include "cpu_kernels.h"
#include "hashjoule/sha256.h"

#define MAX_WAYS 4

typedef struct shani_consts {
    __m128i abef_r3, cdgh_r3;   /* block 2 after round 3 with W3 = 0 */
    __m128i mid_abef, mid_cdgh; /* the midstate, same layout */
    __m128i iv_abef, iv_cdgh;   /* the IV, same layout */
    __m128i b2_w16;             /* job->w[16..19]: W16..W19 without their nonce terms */
    __m128i b2_kw[6];           /* K+W of block 2 rounds 4..15, one pair per vector */
    __m128i b2_q3;              /* block 2 W12..W15 */
    __m128i b2_m5, b2_m6;       /* MSG1(Q1, Q2), MSG1(Q2, Q3) of block 2 */
    __m128i h2_kw[4];           /* K+W of the second hash, rounds 8..15, pairs */
    __m128i h2_q2, h2_q3;       /* second hash W8..W11 and W12..W15 */
    __m128i h2_m6;              /* MSG1(Q2, Q3) of the second hash */
    __m128i k[16];              /* K, four per vector; k15_iv7 replaces k[15] at the end */
    __m128i k15_iv7;            /* K60 + IV7, K61.. (H7 straight out of round 60) */
} shani_consts;

/* ABEF = (A, B, E, F) from the top lane down, CDGH likewise. */
static inline __m128i abef(const uint32_t s[8]) { return _mm_set_epi32((int)s[0], (int)s[1], (int)s[4], (int)s[5]); }
static inline __m128i cdgh(const uint32_t s[8]) { return _mm_set_epi32((int)s[2], (int)s[3], (int)s[6], (int)s[7]); }
static inline __m128i quad(const uint32_t *w) { return _mm_loadu_si128((const __m128i *)w); }
static inline __m128i pair(uint32_t lo, uint32_t hi) { return _mm_setr_epi32((int)lo, (int)hi, 0, 0); }

static void shani_consts_init(shani_consts *c, const hj_job *job)
{
    c->abef_r3 = abef(job->state_r3);
    c->cdgh_r3 = cdgh(job->state_r3);
    c->mid_abef = abef(job->midstate);
    c->mid_cdgh = cdgh(job->midstate);
    c->iv_abef = abef(hj_sha256_iv);
    c->iv_cdgh = cdgh(hj_sha256_iv);
    c->b2_w16 = quad(job->w + 16);
    for (int p = 0; p < 6; p++)
        c->b2_kw[p] = pair(hj_block2_kw[4 + 2 * p], hj_block2_kw[5 + 2 * p]);
    __m128i b2_q1 = quad(job->block2 + 4), b2_q2 = quad(job->block2 + 8);
    c->b2_q3 = quad(job->block2 + 12);
    c->b2_m5 = _mm_sha256msg1_epu32(b2_q1, b2_q2);
    c->b2_m6 = _mm_sha256msg1_epu32(b2_q2, c->b2_q3);
    /* The second hash's padding: W8 = 0x80000000, W15 = 256 (FIPS 180-4 section 5.1.1). */
    static const uint32_t h2_pad[8] = {0x80000000u, 0, 0, 0, 0, 0, 0, 256};
    c->h2_q2 = quad(h2_pad);
    c->h2_q3 = quad(h2_pad + 4);
    c->h2_m6 = _mm_sha256msg1_epu32(c->h2_q2, c->h2_q3);
    for (int p = 0; p < 4; p++)
        c->h2_kw[p] = pair(hj_hash2_kw[8 + 2 * p], hj_hash2_kw[9 + 2 * p]);
    for (size_t q = 0; q < 16; q++)
        c->k[q] = quad(hj_sha256_k + 4 * q);
    c->k15_iv7 = _mm_add_epi32(c->k[15], _mm_setr_epi32((int)hj_sha256_iv[7], 0, 0, 0));
}

/* For every way j: two rounds with the K+W pair in the low half of `wk`. The
 * state's roles alternate: after RNDS2(CDGH, ABEF), the old ABEF is the new
 * CDGH. ROUNDS4 keeps s0 = ABEF, s1 = CDGH. */
#define FOR_WAYS _Pragma("GCC unroll 4") for (int j = 0; j < N; j++)
#define ROUNDS2_CONST(kw)                                       \
    FOR_WAYS {                                                  \
        __m128i t_ = _mm_sha256rnds2_epu32(s1[j], s0[j], (kw)); \
        s1[j] = s0[j];                                          \
        s0[j] = t_;                                             \
        PIN(s0[j]);                                             \
    }
#define ROUNDS4(msg, kq)                                  \
    FOR_WAYS {                                            \
        __m128i wk_ = _mm_add_epi32((msg), (kq));         \
        s1[j] = _mm_sha256rnds2_epu32(s1[j], s0[j], wk_); \
        wk_ = _mm_shuffle_epi32(wk_, 0x0e);               \
        s0[j] = _mm_sha256rnds2_epu32(s0[j], s1[j], wk_); \
        PIN(s0[j]);                                       \
    }
/* GCC otherwise schedules the ways one after another (a whole block of way
 * 0, then of way 1), leaving the interleaving to the out-of-order window,
 * which is too small for it. An empty volatile asm per way and step pins
 * each way's state in program order: volatile asms keep their order, so
 * step k of every way is emitted before step k + 1 of any. */
#define PIN(x) __asm__ volatile("" : "+x"(x))
/* W[4i..4i+3] from the four previous quads. */
#define SCHEDULE(q0, q1, q2, q3) \
    _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((q0), (q1)), _mm_alignr_epi8((q3), (q2), 4)), (q3))

/* The second hash of each way, from its state after block 2 (s0 = ABEF,
 * s1 = CDGH) plus the midstate of its version (MID_ABEF, MID_CDGH, which may
 * name way j): h7[j] is H7 before the byte swap. */
#define SHANI_HASH2(MID_ABEF, MID_CDGH)                                                                             \
    do {                                                                                                            \
        /* ---- the digest becomes the second hash's W0..W7 ---- */                                                 \
        FOR_WAYS {                                                                                                  \
            __m128i x = _mm_shuffle_epi32(_mm_add_epi32(s0[j], (MID_ABEF)), 0x1b); /* A B E F, lane 0 up */         \
            __m128i y = _mm_shuffle_epi32(_mm_add_epi32(s1[j], (MID_CDGH)), 0x1b); /* C D G H */                    \
            m[j][0] = _mm_unpacklo_epi64(x, y);                                                                     \
            m[j][1] = _mm_unpackhi_epi64(x, y);                                                                     \
            s0[j] = C->iv_abef;                                                                                     \
            s1[j] = C->iv_cdgh;                                                                                     \
        }                                                                                                           \
        ROUNDS4(m[j][0], C->k[0]);                                                                                  \
        ROUNDS4(m[j][1], C->k[1]);                                                                                  \
        for (int p = 0; p < 4; p++) {                                                                               \
            ROUNDS2_CONST(C->h2_kw[p]);                                                                             \
        }                                                                                                           \
        /* W9..W12 = 0 here too. */                                                                                 \
        FOR_WAYS {                                                                                                  \
            m[j][4] = _mm_sha256msg2_epu32(_mm_sha256msg1_epu32(m[j][0], m[j][1]), C->h2_q3);                       \
            m[j][5] = SCHEDULE(m[j][1], C->h2_q2, C->h2_q3, m[j][4]);                                               \
        }                                                                                                           \
        ROUNDS4(m[j][4], C->k[4]);                                                                                  \
        ROUNDS4(m[j][5], C->k[5]);                                                                                  \
        FOR_WAYS {                                                                                                  \
            m[j][6] = _mm_sha256msg2_epu32(_mm_add_epi32(C->h2_m6, _mm_alignr_epi8(m[j][5], m[j][4], 4)), m[j][5]); \
            m[j][7] = SCHEDULE(C->h2_q3, m[j][4], m[j][5], m[j][6]);                                                \
        }                                                                                                           \
        ROUNDS4(m[j][6], C->k[6]);                                                                                  \
        ROUNDS4(m[j][7], C->k[7]);                                                                                  \
        _Pragma("GCC unroll 8") for (int i = 8; i < 15; i++)                                                        \
        {                                                                                                           \
            FOR_WAYS                                                                                                \
                m[j][i] = SCHEDULE(m[j][i - 4], m[j][i - 3], m[j][i - 2], m[j][i - 1]);                             \
            ROUNDS4(m[j][i], C->k[i]);                                                                              \
        }                                                                                                           \
        /* Rounds 60 and 61: lane 0 (F) of the new ABEF is e after round 60. */                                     \
        FOR_WAYS {                                                                                                  \
            m[j][15] = SCHEDULE(m[j][11], m[j][12], m[j][13], m[j][14]);                                            \
            __m128i abef_ = _mm_sha256rnds2_epu32(s1[j], s0[j], _mm_add_epi32(m[j][15], C->k15_iv7));               \
            h7[j] = (uint32_t)_mm_cvtsi128_si32(abef_);                                                             \
        }                                                                                                           \
    } while (0)

/* H7 (before the byte swap) of nonces n0, n0+1, ..., n0+N-1. */
static inline __attribute__((always_inline)) void shani_h7(const shani_consts *C, uint32_t n0, const int N,
                                                           uint32_t h7[MAX_WAYS])
{
    __m128i s0[MAX_WAYS], s1[MAX_WAYS], m[MAX_WAYS][16];

    /* ---- block 2 from round 4: W3 = bswap32(nonce) joins A and E ---- */
    FOR_WAYS {
        uint32_t w3s = __builtin_bswap32(n0 + (uint32_t)j);
        __m128i w3 = _mm_cvtsi32_si128((int)w3s);
        s0[j] = _mm_add_epi32(C->abef_r3, _mm_shuffle_epi32(w3, 0x11)); /* lanes 3 (A), 1 (E) */
        s1[j] = C->cdgh_r3;
        /* W16..W19 = job->w[16..19] + (0, 0, s0(W3), W3) (hashjoule/job.h):
         * two SHA-unit instructions fewer than MSG1/MSG2 over W0..W15, which
         * measured 1-3 % faster here. */
        uint32_t s0w3 = ((w3s >> 7) | (w3s << 25)) ^ ((w3s >> 18) | (w3s << 14)) ^ (w3s >> 3);
        m[j][4] = _mm_add_epi32(C->b2_w16, _mm_slli_si128(_mm_unpacklo_epi32(_mm_cvtsi32_si128((int)s0w3), w3), 8));
    }
    for (int p = 0; p < 6; p++) {
        ROUNDS2_CONST(C->b2_kw[p]);
    }
    FOR_WAYS {
        m[j][5] = _mm_sha256msg2_epu32(_mm_add_epi32(C->b2_m5, _mm_alignr_epi8(m[j][4], C->b2_q3, 4)), m[j][4]);
    }
    ROUNDS4(m[j][4], C->k[4]);
    ROUNDS4(m[j][5], C->k[5]);
    FOR_WAYS {
        m[j][6] = _mm_sha256msg2_epu32(_mm_add_epi32(C->b2_m6, _mm_alignr_epi8(m[j][5], m[j][4], 4)), m[j][5]);
        m[j][7] = SCHEDULE(C->b2_q3, m[j][4], m[j][5], m[j][6]);
    }
    ROUNDS4(m[j][6], C->k[6]);
    ROUNDS4(m[j][7], C->k[7]);
#pragma GCC unroll 8
    for (int i = 8; i < 16; i++) {
        FOR_WAYS
            m[j][i] = SCHEDULE(m[j][i - 4], m[j][i - 3], m[j][i - 2], m[j][i - 1]);
        ROUNDS4(m[j][i], C->k[i]);
    }

    SHANI_HASH2(C->mid_abef, C->mid_cdgh);
}

/* Groups of N consecutive nonces; the last group's nonces past `count` are
 * hashed (they may wrap past 2^32 - 1) but never reported. */
static inline __attribute__((always_inline)) uint32_t shani_scan(const hj_job *job, uint32_t first, uint32_t count,
                                                                 uint32_t *candidates, const int N)
{
    shani_consts C;
    shani_consts_init(&C, job);
    const uint32_t limit = job->h7_limit;
    uint32_t found = 0;
    for (uint64_t done = 0; done < count; done += (uint64_t)N) {
        uint32_t h7[MAX_WAYS];
        uint32_t n0 = first + (uint32_t)done;
        shani_h7(&C, n0, N, h7);
        uint64_t valid = count - done < (uint64_t)N ? count - done : (uint64_t)N;
        for (uint32_t j = 0; j < valid; j++)
            if (__builtin_expect(__builtin_bswap32(h7[j]) <= limit, 0))
                candidates[found++] = n0 + j;
    }
    return found;
}

/* ---- version rolling: ways are versions of one nonce ---- */

/* Versions whose states one call sets up at a time. */
#define VERSION_GROUP 16

/* One version's state after round 3 and midstate, in ABEF/CDGH layout. */
typedef struct shani_version {
    __m128i abef_r3, cdgh_r3, mid_abef, mid_cdgh;
} shani_version;

/* Block 2's K+W of rounds 16..63 for one nonce, as RNDS2 takes them: lo[i]
 * holds rounds 4i, 4i+1 in its low half, hi[i] rounds 4i+2, 4i+3 (i = 4..15).
 * Computed once per nonce for every version. */
static inline __attribute__((always_inline)) void shani_block2_kw(const shani_consts *C, uint32_t w3s, __m128i lo[16],
                                                                  __m128i hi[16])
{
    __m128i m[16];
    __m128i w3 = _mm_cvtsi32_si128((int)w3s);
    uint32_t s0w3 = ((w3s >> 7) | (w3s << 25)) ^ ((w3s >> 18) | (w3s << 14)) ^ (w3s >> 3);
    m[4] = _mm_add_epi32(C->b2_w16, _mm_slli_si128(_mm_unpacklo_epi32(_mm_cvtsi32_si128((int)s0w3), w3), 8));
    m[5] = _mm_sha256msg2_epu32(_mm_add_epi32(C->b2_m5, _mm_alignr_epi8(m[4], C->b2_q3, 4)), m[4]);
    m[6] = _mm_sha256msg2_epu32(_mm_add_epi32(C->b2_m6, _mm_alignr_epi8(m[5], m[4], 4)), m[5]);
    m[7] = SCHEDULE(C->b2_q3, m[4], m[5], m[6]);
    for (int i = 8; i < 16; i++)
        m[i] = SCHEDULE(m[i - 4], m[i - 3], m[i - 2], m[i - 1]);
    for (int i = 4; i < 16; i++) {
        lo[i] = _mm_add_epi32(m[i], C->k[i]);
        hi[i] = _mm_shuffle_epi32(lo[i], 0x0e);
    }
}

/* H7 (before the byte swap) of versions V[0..N-1] for the nonce whose W3 is
 * w3s, from block 2's shared K+W: block 2 is RNDS2 alone. */
static inline __attribute__((always_inline)) void shani_h7_versions(const shani_consts *C, const shani_version *V,
                                                                    uint32_t w3s, const __m128i lo[16],
                                                                    const __m128i hi[16], const int N,
                                                                    uint32_t h7[MAX_WAYS])
{
    __m128i s0[MAX_WAYS], s1[MAX_WAYS], m[MAX_WAYS][16];
    __m128i w3ae = _mm_shuffle_epi32(_mm_cvtsi32_si128((int)w3s), 0x11); /* lanes 3 (A), 1 (E) */
    FOR_WAYS {
        s0[j] = _mm_add_epi32(V[j].abef_r3, w3ae);
        s1[j] = V[j].cdgh_r3;
    }
    for (int p = 0; p < 6; p++) {
        ROUNDS2_CONST(C->b2_kw[p]);
    }
#pragma GCC unroll 12
    for (int i = 4; i < 16; i++) {
        FOR_WAYS {
            s1[j] = _mm_sha256rnds2_epu32(s1[j], s0[j], lo[i]);
            s0[j] = _mm_sha256rnds2_epu32(s0[j], s1[j], hi[i]);
            PIN(s0[j]);
        }
    }
    SHANI_HASH2(V[j].mid_abef, V[j].mid_cdgh);
}

/* hj_cpu_scan_versions_fn: for each nonce, block 2's K+W once, then the
 * versions two at a time (an odd one last, alone). */
uint32_t hj_scan_shani_versions(const hj_job *job, uint32_t v_first, uint32_t v_count, uint32_t first, uint32_t count,
                                hj_vcandidate *candidates)
{
    shani_consts C;
    shani_consts_init(&C, job);
    const uint32_t limit = job->h7_limit;
    uint32_t found = 0;
    for (uint32_t v_done = 0; v_done < v_count; v_done += VERSION_GROUP) {
        const uint32_t g0 = v_first + v_done;
        uint32_t gn = v_count - v_done;
        if (gn > VERSION_GROUP)
            gn = VERSION_GROUP;
        shani_version vs[VERSION_GROUP];
        for (uint32_t i = 0; i < gn; i++) {
            const hj_version_state *v = &job->versions[g0 + i];
            vs[i] = (shani_version){abef(v->state_r3), cdgh(v->state_r3), abef(v->midstate), cdgh(v->midstate)};
        }
        for (uint64_t done = 0; done < count; done++) {
            uint32_t nonce = first + (uint32_t)done;
            __m128i lo[16], hi[16];
            shani_block2_kw(&C, __builtin_bswap32(nonce), lo, hi);
            uint32_t h7[MAX_WAYS];
            uint32_t i = 0;
            for (; i + 2 <= gn; i += 2) {
                shani_h7_versions(&C, &vs[i], __builtin_bswap32(nonce), lo, hi, 2, h7);
                for (uint32_t j = 0; j < 2; j++)
                    if (__builtin_expect(__builtin_bswap32(h7[j]) <= limit, 0))
                        candidates[found++] = (hj_vcandidate){g0 + i + j, nonce};
            }
            if (i < gn) {
                shani_h7_versions(&C, &vs[i], __builtin_bswap32(nonce), lo, hi, 1, h7);
                if (__builtin_expect(__builtin_bswap32(h7[0]) <= limit, 0))
                    candidates[found++] = (hj_vcandidate){g0 + i, nonce};
            }
        }
    }
    return found;
}

uint32_t hj_scan_shani_x2(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    return shani_scan(job, first, count, candidates, 2);
}

uint32_t hj_scan_shani_x3(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    return shani_scan(job, first, count, candidates, 3);
}

uint32_t hj_scan_shani_x4(const hj_job *job, uint32_t first, uint32_t count, uint32_t *candidates)
{
    return shani_scan(job, first, count, candidates, 4);
}
