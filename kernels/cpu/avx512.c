/* AVX-512 kernel: 16 nonces per 512-bit vector (compiled with -mavx512f
 * only, so it needs AVX-512F and nothing else). Rotates are VPRORD; Ch, Maj
 * and the three-way XORs of the sigma functions are one VPTERNLOGD each; H7
 * is compared unsigned straight into a mask register. */
#include <immintrin.h>

#include "cpu_kernels.h"

typedef __m512i vec;
#define LANES 16

/* VPTERNLOGD truth tables: bit (4a + 2b + c) of the immediate is f(a, b, c). */
#define TL_XOR3 0x96   /* a ^ b ^ c */
#define TL_SELECT 0xca /* a ? b : c, which is Ch(e, f, g) */
#define TL_MAJ 0xe8    /* at least two of a, b, c */

#define V_ADD(a, b) _mm512_add_epi32((a), (b))
#define V_XOR(a, b) _mm512_xor_si512((a), (b))
#define V_AND(a, b) _mm512_and_si512((a), (b))
#define V_SET1(x) _mm512_set1_epi32((int)(x))
#define V_SHR(x, n) _mm512_srli_epi32((x), (n))
#define V_ROR(x, n) _mm512_ror_epi32((x), (n))
#define V_XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), TL_XOR3)
#define V_CH(e, f, g) _mm512_ternarylogic_epi32((e), (f), (g), TL_SELECT)
#define V_MAJ(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), TL_MAJ)
#define V_LANE_INDEX _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
/* Byte swap without AVX-512BW's VPSHUFB: bytes 3 and 1 from ror 8, bytes 2
 * and 0 from ror 24. */
#define V_BSWAP(x) \
    _mm512_ternarylogic_epi32(V_SET1(0xff00ff00u), _mm512_ror_epi32((x), 8), _mm512_ror_epi32((x), 24), TL_SELECT)
#define V_LE_MASK(x, lim) ((uint32_t)_mm512_cmple_epu32_mask(V_BSWAP(x), (lim)))
#define V_SCHEDULE_IN_ROUNDS 1 /* as in avx2.c: about 10 % faster single-version, 3 % rolling */
#define SCAN_FN hj_scan_avx512
#define SCAN_VERSIONS_FN hj_scan_avx512_versions

#include "sha256d_vec.h"
