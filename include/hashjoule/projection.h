/* hashjoule — the forward projection (fleet --months): every option month by
 * month, per MW of facility power, with the network moving under the miners.
 *
 * Conventions: a month is 730 hours (8,760 / 12); month 0 holds the capex
 * (negative cash) and months 1..N the operating cash. Mining follows a
 * block-by-block chain: network hashrate grows by a fixed share per month,
 * difficulty follows Bitcoin Core's 2016-block retarget, the subsidy halves
 * at 210,000-block heights as the blocks arrive. AI options follow their
 * contracts: a colocation lease with its escalator and term, GPU rentals
 * whose price falls by a yearly rate. NPV, IRR, payback and the month where
 * an AI option's cumulative cash passes a mining option's are computed from
 * the monthly series. */
#ifndef HASHJOULE_PROJECTION_H
#define HASHJOULE_PROJECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"
#include "hashjoule/fleet.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_PROJECTION_MAX_MONTHS 120
#define HJ_HOURS_PER_MONTH 730.0 /* 8,760 h / 12 */
#define HJ_PROJECTION_NOTE_MAX 256
/* below this the network is not much larger than a few MW of miners */
#define HJ_PROJECTION_MIN_NETWORK_EHS 10.0

/* What to project beyond the assumptions (which hold the growth rates,
 * uptime, discount rate, lease and GPU-cloud terms). */
typedef struct hj_projection_request {
    int months; /* 1..HJ_PROJECTION_MAX_MONTHS */
    /* BTC price and fees per block of months 0..months (months + 1 values);
     * NULL: the snapshot price grown by btc_price_growth_pct_per_year (month
     * 1 at the snapshot price), the snapshot's fees */
    const double *btc_price_usd_by_month;
    const double *fees_btc_per_block_by_month;
    /* hourly power prices, cycled over the horizon; NULL: the flat price of
     * each option. Miners run only in the hours priced below their
     * break-even of the month; AI options run every hour. */
    const double *power_prices_usd_per_mwh;
    size_t n_power_prices;
} hj_projection_request;

/* The network and market in a month (month 0: the snapshot). */
typedef struct hj_projection_market_month {
    int month;
    double btc_price_usd;
    double fees_btc_per_block;
    /* time-weighted over the month: the difficulty D_eff with which
     * revenue per hash = (S + F) / (D_eff x 2^32) while the subsidy is fixed */
    double difficulty;
    double difficulty_at_end;
    uint64_t height_at_end;
    double subsidy_btc_at_end;
    double network_hashrate_ehs; /* at the month's end */
    double hashprice_usd_per_ph_day;
    double power_price_mean_usd_per_mwh; /* over all hours of the month */
    bool halving;                        /* a halving falls in this month */
} hj_projection_market_month;

typedef struct hj_projection_month {
    int month;
    double revenue_usd_per_mw;
    double electricity_usd_per_mw;
    double other_cost_usd_per_mw; /* pool fee, or the AI options' non-power opex */
    double capex_usd_per_mw;      /* month 0 only */
    double net_usd_per_mw;        /* revenue - electricity - other - capex */
    double cumulative_usd_per_mw;
    /* mining only (NAN otherwise) */
    double hashprice_usd_per_ph_day;
    double difficulty;
    double uptime_pct;                  /* share of the month's hours it ran */
    double mean_price_paid_usd_per_mwh; /* over the hours it ran; NAN if none */
} hj_projection_month;

typedef struct hj_projection_option {
    char name[HJ_FLEET_OPTION_NAME_MAX];
    hj_fleet_kind kind;
    bool mining;
    bool available; /* false: no series (reason) */
    char reason[HJ_FLEET_TEXT_MAX];
    bool capex_known;                  /* false: NPV, IRR and payback are null (note) */
    char note[HJ_PROJECTION_NOTE_MAX]; /* what the series assumes beyond the conventions */
    double capex_usd_per_mw;           /* NAN when unknown */
    double npv_usd_per_mw;             /* NAN when capex unknown */
    double irr_pct_per_year;           /* NAN: no sign change in the cash flows, or capex unknown */
    int payback_month;                 /* -1: not within the horizon (or capex unknown) */
    hj_projection_month *monthly;      /* [months + 1] */
    int n_months;                      /* the horizon: monthly has n_months + 1 rows */
} hj_projection_option;

/* The first month from which AI's cumulative cash stays at or above
 * mining's through the horizon (0 if it never falls below); -1 if AI ends
 * below. Indices into hj_projection.options. */
typedef struct hj_projection_crossover {
    size_t mining, ai;
    int month;
} hj_projection_crossover;

typedef struct hj_projection {
    int months;
    double discount_rate_pct_per_year, monthly_discount_rate;
    hj_projection_market_month *market; /* [months + 1] */
    int halving_months[8];              /* months in which a halving falls */
    size_t n_halving_months;
    hj_projection_option *options;
    size_t n_options;
    hj_projection_crossover *crossovers; /* every (mining, AI) pair of available options */
    size_t n_crossovers;
} hj_projection;

/* Is this a mining option (hashprice revenue, curtailed above break-even)? */
bool hj_fleet_kind_is_mining(hj_fleet_kind kind);

/* Project `opt` (today's evaluated options, in their order) over
 * req->months. The market gives the snapshot (difficulty, height, price,
 * fees, pool fee); the assumptions the rates. Errors: HJ_ERR_INPUT (months
 * out of range, a hashprice given instead of computed, a price path shorter
 * than the horizon). Free with hj_projection_free. */
hj_status hj_fleet_project(const hj_projection_request *req, const hj_fleet_market *m, const hj_fleet_assumptions *a,
                           const hj_fleet_option *opt, size_t n, hj_projection *p, hj_error *err);
void hj_projection_free(hj_projection *p);

/* A BTC price path, CSV lines "month,usd" or "month,usd,fees_btc_per_block"
 * (months 0..120, increasing; a header line allowed): filled into
 * price_usd[0..months] (and fees_btc when the path has fees, *has_fees) by
 * linear interpolation between the given months, held after the last; month
 * 0 is the snapshot unless given. HJ_ERR_INPUT names the file and line. */
hj_status hj_projection_parse_price_path(const char *text, size_t len, const char *file, int months,
                                         double snapshot_price_usd, double snapshot_fees_btc, double *price_usd,
                                         double *fees_btc, bool *has_fees, hj_error *err);
/* Hourly power prices in USD/MWh, one a line (the last column of each line:
 * a timestamp may come first; a header line allowed); *prices is allocated
 * (free()). */
hj_status hj_projection_parse_power_prices(const char *text, size_t len, const char *file, double **prices, size_t *n,
                                           hj_error *err);

/* An option's revenue over the horizon (0 when unavailable). */
double hj_projection_revenue_usd_per_mw(const hj_projection_option *o);

/* NPV of cash[0..n-1] (month 0 undiscounted) at a monthly rate. */
double hj_npv(const double *cash, size_t n, double monthly_rate);
/* IRR per year, (1 + r_month)^12 - 1, in percent; NAN when the NPV does not
 * change sign between -100 % and +1000 % a month (the cash never turns
 * positive, or never negative). With more than one change of sign in the
 * cash, the rate found is one of several. */
double hj_irr_pct_per_year(const double *cash, size_t n);

#ifdef __cplusplus
}
#endif
#endif
