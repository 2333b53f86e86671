/* hashjoule — Bitcoin's consensus arithmetic: subsidy by height, network
 * hashrate and hashprice from difficulty, and Bitcoin Core's retarget rule. */
#ifndef HASHJOULE_CONSENSUS_H
#define HASHJOULE_CONSENSUS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- consensus constants (Bitcoin Core src/kernel/chainparams.cpp) ---- */
#define HJ_BLOCK_SPACING_S 600.0       /* nPowTargetSpacing */
#define HJ_RETARGET_TIMESPAN_S 1209600 /* nPowTargetTimespan, two weeks */
#define HJ_RETARGET_INTERVAL 2016      /* blocks per difficulty epoch */
#define HJ_HALVING_INTERVAL 210000     /* nSubsidyHalvingInterval */
#define HJ_TWO_POW_32 4294967296.0

/* Block subsidy in BTC at `height`: 50 BTC >> floor(height / 210000), computed
 * in satoshis as Core's GetBlockSubsidy does (0 after 64 halvings). */
double hj_subsidy_btc(uint64_t height);
uint64_t hj_subsidy_sat(uint64_t height);
/* Implied network hashrate in H/s: D * 2^32 / 600. */
double hj_network_hashrate_hs(double difficulty);
/* Expected BTC per TH/s per day: 1e12 * 86400 * (S + F) / (D * 2^32). */
double hj_btc_per_th_day(double difficulty, double subsidy_btc, double fees_btc_per_block);
/* Hashprice in USD per PH/s per day: 1e15 * 86400 * (S + F) * P / (D * 2^32). */
double hj_hashprice_usd_per_ph_day(double difficulty, double subsidy_btc, double fees_btc_per_block,
                                   double btc_price_usd);

/* Bitcoin Core's CalculateNextWorkRequired (src/pow.cpp) on mainnet: the
 * timespan last_block_time - first_block_time is clamped to [T/4, 4T], the
 * target scaled by timespan/T in 256-bit arithmetic and capped at powLimit
 * (0x00000000ffff...ff). Returns the new compact bits. */
uint32_t hj_next_work_required(uint32_t last_bits, int64_t first_block_time, int64_t last_block_time);
/* The same rule on a difficulty (a double): D * T / clamp(timespan). */
double hj_retarget_difficulty(double difficulty, double actual_timespan_s);

#ifdef __cplusplus
}
#endif
#endif
