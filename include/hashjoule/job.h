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
 *
 * Version rolling (BIP 320) crosses the nonces with several versions of the
 * header: the 16 bits 13..28 of the version are replaced by S, S+1, ..., S+N-1.
 * The version sits in block 1, so each version has its own midstate and
 * state_r3 (hj_version_state, one per version, computed by
 * hj_job_init_versions); block 2 (merkle-root tail, time, bits, nonce) is the
 * same for all of them, and so is its whole message schedule: w[] and the
 * nonce terms a kernel adds to it. That shared schedule is what a
 * version-rolling kernel computes once per nonce for several versions.
 */
#ifndef HASHJOULE_JOB_H
#define HASHJOULE_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "hashjoule/error.h"
#include "hashjoule/header.h"
#include "hashjoule/target.h"

#ifdef __cplusplus
extern "C" {
#endif

/* BIP 320: the version bits a miner may roll (13..28), as Stratum's
 * version-rolling extension hands them out. */
#define HJ_VERSION_ROLL_MASK 0x1fffe000u
#define HJ_VERSION_ROLL_SHIFT 13
#define HJ_VERSION_ROLL_VALUES 65536u /* values of the 16-bit field: 0..65535 */
/* BIP 9 (and so BIP 320): a version that signals with bits has its top three
 * bits set to 001; only such a version may have bits 13..28 rolled. */
#define HJ_VERSION_TOP_MASK 0xe0000000u
#define HJ_VERSION_TOP_BITS 0x20000000u

/* What block 1 (which holds the version) determines, for one version. */
typedef struct hj_version_state {
    uint32_t midstate[8];
    uint32_t state_r3[8];
} hj_version_state;

typedef struct hj_job {
    uint8_t header[HJ_HEADER_BYTES]; /* as given; its nonce bytes are ignored */
    hj_target target;
    uint32_t h7_limit;

    uint32_t midstate[8];
    uint32_t block2[16];  /* W0..W15 of block 2, W3 (the nonce word) = 0 */
    uint32_t state_r3[8]; /* a..h after round 3 with W3 = 0 */
    uint32_t w[64];       /* constant parts of W16..W33, see above; other entries 0 */

    /* Version rolling. hj_job_init: rolled false, n_versions 1 (the header's
     * own version), versions NULL. hj_job_init_versions: rolled true; version
     * index i (0 <= i < n_versions) is hj_job_version(job, i), versions[i]
     * its precomputation, and midstate/state_r3 above are those of index 0. */
    bool rolled;
    uint32_t n_versions;
    uint32_t version_start; /* the rolled field's value at index 0 */
    hj_version_state *versions;
} hj_job;

void hj_job_init(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target);

/* A job over versions x nonces: the header's version with bits 13..28
 * replaced by version_start .. version_start + n_versions - 1. HJ_ERR_INPUT
 * when the header's version does not have the BIP 9 top bits 001, when
 * n_versions is 0 or version_start + n_versions exceeds the 65,536 values of
 * the field; HJ_ERR_RUNTIME when memory runs out. Free it with hj_job_free. */
hj_status hj_job_init_versions(hj_job *job, const uint8_t header[HJ_HEADER_BYTES], const hj_target *target,
                               uint32_t version_start, uint32_t n_versions, hj_error *err);
/* Releases what hj_job_init_versions allocated (nothing for hj_job_init's
 * jobs); the job is then a plain single-version job of version index 0. */
void hj_job_free(hj_job *job);
/* The 32-bit header version of version index i (the header's own for a job
 * that does not roll). */
uint32_t hj_job_version(const hj_job *job, uint32_t i);
/* A plain job (rolled false) for version index i of `job`: the header with
 * that version, its midstate and state_r3, and nothing to free. What a kernel
 * without a version-rolling form scans, one version at a time. */
void hj_job_for_version(const hj_job *job, uint32_t i, hj_job *out);

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
