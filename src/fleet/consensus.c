/* Bitcoin consensus arithmetic: subsidy by height, hashrate and hashprice from
 * difficulty (H = D x 2^32 / 600; Luxor's hashprice definition,
 * docs.luxor.tech/hashrateindex/hashprice), and Bitcoin Core's retarget rule
 * (src/pow.cpp CalculateNextWorkRequired). */
#include <math.h>
#include <string.h>

#include "hashjoule/consensus.h"
#include "hashjoule/target.h"

uint64_t hj_subsidy_sat(uint64_t height)
{
    /* Core's GetBlockSubsidy: 50 BTC, shifted right once per 210,000 blocks;
     * a shift by 64 or more would be undefined in C++, so Core returns 0. */
    uint64_t halvings = height / HJ_HALVING_INTERVAL;
    if (halvings >= 64)
        return 0;
    return (50ULL * 100000000ULL) >> halvings;
}

double hj_subsidy_btc(uint64_t height) { return (double)hj_subsidy_sat(height) / 1e8; }

double hj_network_hashrate_hs(double difficulty) { return difficulty * HJ_TWO_POW_32 / HJ_BLOCK_SPACING_S; }

double hj_btc_per_th_day(double difficulty, double subsidy_btc, double fees_btc_per_block)
{
    return 1e12 * 86400.0 * (subsidy_btc + fees_btc_per_block) / (difficulty * HJ_TWO_POW_32);
}

double hj_hashprice_usd_per_ph_day(double difficulty, double subsidy_btc, double fees_btc_per_block,
                                   double btc_price_usd)
{
    return 1e15 * 86400.0 * (subsidy_btc + fees_btc_per_block) * btc_price_usd / (difficulty * HJ_TWO_POW_32);
}

/* ---- 256-bit arithmetic for the retarget, on eight 32-bit limbs (little-endian),
 * wrapping mod 2^256 exactly as Core's arith_uint256 does. ---- */
typedef struct {
    uint32_t w[8];
} u256;

static u256 u256_from_target(const hj_target *t)
{
    u256 r;
    for (size_t i = 0; i < 8; i++)
        r.w[i] = (uint32_t)t->le[4 * i] | (uint32_t)t->le[4 * i + 1] << 8 | (uint32_t)t->le[4 * i + 2] << 16 |
                 (uint32_t)t->le[4 * i + 3] << 24;
    return r;
}

static void u256_to_target(const u256 *a, hj_target *t)
{
    for (int i = 0; i < 8; i++)
        for (int b = 0; b < 4; b++)
            t->le[4 * i + b] = (uint8_t)(a->w[i] >> (8 * b));
}

static void u256_mul32(u256 *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t v = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)v;
        carry = v >> 32;
    }
}

static void u256_div32(u256 *a, uint32_t d)
{
    uint64_t rem = 0;
    for (int i = 7; i >= 0; i--) {
        uint64_t cur = rem << 32 | a->w[i];
        a->w[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
}

static int u256_cmp(const u256 *a, const u256 *b)
{
    for (int i = 7; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

uint32_t hj_next_work_required(uint32_t last_bits, int64_t first_block_time, int64_t last_block_time)
{
    int64_t span = last_block_time - first_block_time;
    if (span < HJ_RETARGET_TIMESPAN_S / 4)
        span = HJ_RETARGET_TIMESPAN_S / 4;
    if (span > (int64_t)HJ_RETARGET_TIMESPAN_S * 4)
        span = (int64_t)HJ_RETARGET_TIMESPAN_S * 4;

    hj_target t;
    hj_target_from_compact_raw(last_bits, &t, NULL, NULL);
    u256 v = u256_from_target(&t);
    u256_mul32(&v, (uint32_t)span);
    u256_div32(&v, HJ_RETARGET_TIMESPAN_S);

    /* mainnet powLimit: 0x00000000ffff...ff (chainparams.cpp) */
    u256 limit;
    for (int i = 0; i < 7; i++)
        limit.w[i] = 0xffffffffu;
    limit.w[7] = 0;
    if (u256_cmp(&v, &limit) > 0)
        v = limit;
    u256_to_target(&v, &t);
    return hj_target_to_compact(&t, false);
}

double hj_retarget_difficulty(double difficulty, double actual_timespan_s)
{
    double span = actual_timespan_s;
    if (span < HJ_RETARGET_TIMESPAN_S / 4.0)
        span = HJ_RETARGET_TIMESPAN_S / 4.0;
    if (span > HJ_RETARGET_TIMESPAN_S * 4.0)
        span = HJ_RETARGET_TIMESPAN_S * 4.0;
    double d = difficulty * HJ_RETARGET_TIMESPAN_S / span;
    /* difficulty 1 is the powLimit (to the precision of a double) */
    return d < 1.0 ? 1.0 : d;
}
