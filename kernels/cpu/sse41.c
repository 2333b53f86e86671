/* SSE4.1 kernel: 4 nonces per 128-bit vector (compiled with -msse4.1 only).
 * SSE has no rotate, so each rotate is two shifts and an OR; Maj reuses a^b
 * from the previous round (sha256d_vec.h); the H7 test is a PSHUFB byte swap and an unsigned
 * PMINUD compare (the reason this kernel needs SSE4.1, not just SSE2). */
#include <smmintrin.h>

#include "cpu_kernels.h"

typedef __m128i vec;
#define LANES 4

#define V_ADD(a, b) _mm_add_epi32((a), (b))
#define V_XOR(a, b) _mm_xor_si128((a), (b))
#define V_AND(a, b) _mm_and_si128((a), (b))
#define V_SET1(x) _mm_set1_epi32((int)(x))
#define V_SHR(x, n) _mm_srli_epi32((x), (n))
#define V_ROR(x, n) _mm_or_si128(_mm_srli_epi32((x), (n)), _mm_slli_epi32((x), 32 - (n)))
#define V_XOR3(a, b, c) V_XOR(V_XOR((a), (b)), (c))
#define V_CH(e, f, g) V_XOR((g), V_AND((e), V_XOR((f), (g))))
#define V_LANE_INDEX _mm_setr_epi32(0, 1, 2, 3)
#define V_BSWAP(x) _mm_shuffle_epi8((x), _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12))
#define V_LE_MASK(x, lim) le_mask((x), (lim))
#define SCAN_FN hj_scan_sse41
#define SCAN_VERSIONS_FN hj_scan_sse41_versions

/* The sigma functions with the right and left shifts of the three rotates
 * chained: x>>2 ^ x>>13 ^ x>>22 = ((x>>9 ^ x)>>11 ^ x)>>2, and likewise on the
 * left. Same shift count as three rotates, but SSE's two-operand forms need
 * one register copy per chain instead of one per shift pair: 18 % fewer
 * instructions per nonce (callgrind: 1,860 against 2,274). */
#define SHL(x, n) _mm_slli_epi32((x), (n))
#define SHR(x, n) _mm_srli_epi32((x), (n))
#define BSIG0(x) \
    V_XOR(SHR(V_XOR(SHR(V_XOR(SHR((x), 9), (x)), 11), (x)), 2), SHL(V_XOR(SHL(V_XOR(SHL((x), 11), (x)), 9), (x)), 10))
#define BSIG1(x) \
    V_XOR(SHR(V_XOR(SHR(V_XOR(SHR((x), 14), (x)), 5), (x)), 6), SHL(V_XOR(SHL(V_XOR(SHL((x), 5), (x)), 14), (x)), 7))
#define SSIG0(x) V_XOR(SHR(V_XOR(SHR(V_XOR(SHR((x), 11), (x)), 4), (x)), 3), SHL(V_XOR(SHL((x), 11), (x)), 14))
#define SSIG1(x) V_XOR(SHR(V_XOR(SHR(V_XOR(SHR((x), 2), (x)), 7), (x)), 10), SHL(V_XOR(SHL((x), 2), (x)), 13))

/* Lanes where bswap32(x) <= lim, unsigned: min(y, lim) == y. */
static inline uint32_t le_mask(vec x, vec lim)
{
    vec y = V_BSWAP(x);
    return (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_min_epu32(y, lim), y)));
}

#include "sha256d_vec.h"
