/* The SHA-256 bit functions of FIPS 180-4 section 4.1.2, shared by the reference,
 * the per-job precomputation and the scalar kernel (private header). */
#ifndef HJ_SHA256_OPS_H
#define HJ_SHA256_OPS_H

#include <stdint.h>

static inline uint32_t hj_rotr32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

#define HJ_CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))          /* (e&f) ^ (~e&g) */
#define HJ_MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b)))) /* majority */
#define HJ_BSIG0(x) (hj_rotr32((x), 2) ^ hj_rotr32((x), 13) ^ hj_rotr32((x), 22))
#define HJ_BSIG1(x) (hj_rotr32((x), 6) ^ hj_rotr32((x), 11) ^ hj_rotr32((x), 25))
#define HJ_SSIG0(x) (hj_rotr32((x), 7) ^ hj_rotr32((x), 18) ^ ((x) >> 3))
#define HJ_SSIG1(x) (hj_rotr32((x), 17) ^ hj_rotr32((x), 19) ^ ((x) >> 10))

#endif
