/* hashjoule — the per-job precomputation every fast kernel shares.
 *
 * A "job" is a header (whose nonce is replaced) and a target. SHA-256d of an
 * 80-byte header is three compressions: block 1 (bytes 0..63), block 2
 * (bytes 64..79 + padding) and the second hash. Only block 2 and the second
 * hash depend on the nonce, and only from message word W3 of block 2 on; the
 * rest is computed once here. The four fields below are the four shortcuts
 * ("tricks 1-4" in the kernels' comments), in order:
 *
 *   midstate       state after block 1
 *   state_r3       state after rounds 0..3 of block 2 with W3 = 0. Round 3 adds
 *                  W3 once to T1, so the real state is state_r3 with W3 added to
 *                  a (index 0) and e (index 4).
 *   w[16..33]      block 2's message schedule split into the nonce-independent
 *                  part (here) and the nonce-dependent terms (the kernel's):
 *                    W16, W17          complete (no nonce term)
 *                    W18 = w[18] + s0(W3)        W19 = w[19] + W3
 *                    W20 = w[20] + s1(W18)       W21 = w[21] + s1(W19)
 *                    W22 = w[22] + s1(W20)       W23 = w[23] + s1(W21)
 *                    W24 = w[24] + s1(W22)
 *                    W25..W29 = s1(W[t-2]) + W[t-7]          (w[t] = 0)
 *                    W30 = w[30] + s1(W28) + W23
 *                    W31 = w[31] + s1(W29) + W24
 *                    W32 = w[32] + s1(W30) + W25
 *                    W33 = w[33] + s1(W31) + W26 + s0(W18)
 *                    W34..W63: the plain recurrence (no constant part)
 *   h7_limit       a nonce is a *candidate* when bswap32(H7) <= h7_limit,
 *                  where H7 is the last state word of the final hash; only
 *                  candidates are hashed again in full and compared with the
 *                  256-bit target.
 */
#ifndef HASHJOULE_JOB_H
#define HASHJOULE_JOB_H

#include <stdint.h>

#include "hashjoule/header.h"
#include "hashjoule/target.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hj_job {
    uint8_t header[HJ_HEADER_BYTES]; /* as given; its nonce bytes are ignored */
    hj_target target;
    uint32_t h7_limit;

    uint32_t midstate[8];
    uint32_t block2[16];  /* W0..W15 of block 2, W3 (the nonce word) = 0 */
    uint32_t state_r3[8]; /* a..h after round 3 with W3 = 0 */
    uint32_t w[64];       /* constant parts of W16..W33, see above; other entries 0 */
} hj_job;

void hj_job_init(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target);

/* The message word a nonce becomes: the header stores the nonce little-endian
 * and SHA-256 reads big-endian words, so W3 = bswap32(nonce). */
static inline uint32_t hj_nonce_to_w3(uint32_t nonce) { return __builtin_bswap32(nonce); }

/* Job-independent constants of SHA-256d over an 80-byte header. */
/* K[t] + W[t] for the padding words of block 2: W4 = 0x80000000 (the 1 bit
 * after 640 message bits), W5..W14 = 0, W15 = 640 (the bit length).
 * Entries 4..15 are meaningful. */
extern const uint32_t hj_block2_kw[16];
/* K[t] + W[t] for the padding of the second hash: W8 = 0x80000000,
 * W9..W14 = 0, W15 = 256. Entries 8..15 are meaningful. */
extern const uint32_t hj_hash2_kw[16];
/* The second hash starts from the IV, so its round 0 is a constant plus W0:
 * after it, a = hj_hash2_round1[0] + W0 and e = hj_hash2_round1[1] + W0
 * (b, c, d, f, g, h are IV0, IV1, IV2, IV4, IV5, IV6). */
extern const uint32_t hj_hash2_round1[2];
/* Constant parts of the second hash's schedule (W0..W7 = first digest):
 *   W16 = s0(W1) + W0              W17 = w[17] + s0(W2) + W1
 *   W18 = s1(W16) + s0(W3) + W2    W19 = s1(W17) + s0(W4) + W3
 *   W20 = s1(W18) + s0(W5) + W4    W21 = s1(W19) + s0(W6) + W5
 *   W22 = w[22] + s1(W20) + s0(W7) + W6
 *   W23 = w[23] + s1(W21) + W16 + W7     W24 = w[24] + s1(W22) + W17
 *   W25..W29 = s1(W[t-2]) + W[t-7]
 *   W30 = w[30] + s1(W28) + W23          W31 = w[31] + s1(W29) + W24 + s0(W16)
 *   W32..: the plain recurrence. Other entries are 0. */
extern const uint32_t hj_hash2_w[64];

#ifdef __cplusplus
}
#endif
#endif
