/* AVX2 kernel: 8 nonces per 256-bit vector (compiled with -mavx2 only).
 * AVX2 has no rotate, so each rotate is two shifts and an OR; Maj reuses a^b
 * from the previous round (sha256d_vec.h); H7 is byte-swapped with VPSHUFB and compared
 * unsigned with VPMINUD. */
#include <immintrin.h>

#include "cpu_kernels.h"

typedef __m256i vec;
#define LANES 8

#define V_ADD(a, b) _mm256_add_epi32((a), (b))
#define V_XOR(a, b) _mm256_xor_si256((a), (b))
#define V_AND(a, b) _mm256_and_si256((a), (b))
#define V_SET1(x) _mm256_set1_epi32((int)(x))
#define V_SHR(x, n) _mm256_srli_epi32((x), (n))
#define V_ROR(x, n) _mm256_or_si256(_mm256_srli_epi32((x), (n)), _mm256_slli_epi32((x), 32 - (n)))
#define V_XOR3(a, b, c) V_XOR(V_XOR((a), (b)), (c))
#define V_CH(e, f, g) V_XOR((g), V_AND((e), V_XOR((f), (g))))
#define V_LANE_INDEX _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)
/* Unformatted: one line per 128-bit lane. */
/* clang-format off */
#define V_BSWAP(x)                                                                                  \
    _mm256_shuffle_epi8((x), _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, \
                                              3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12))
/* clang-format on */
#define V_LE_MASK(x, lim) le_mask((x), (lim))
/* Each W of the schedules computed in its own round: the schedule's
 * independent work then fills the rounds' dependency chains (about 10 %
 * faster single-version, 3.5 % rolling: docs/kernels.md). */
#define V_SCHEDULE_IN_ROUNDS 1
#define SCAN_FN hj_scan_avx2
#define SCAN_VERSIONS_FN hj_scan_avx2_versions

/* Lanes where bswap32(x) <= lim, unsigned: min(y, lim) == y. */
static inline uint32_t le_mask(vec x, vec lim)
{
    vec y = V_BSWAP(x);
    return (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_min_epu32(y, lim), y)));
}

#include "sha256d_vec.h"
