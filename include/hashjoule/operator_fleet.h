/* hashjoule — the operator's own fleet (fleet --fleet FILE): the miners a
 * site already runs, read from a CSV or JSON file, summed per site and in
 * total, and turned into one option of kind HJ_KIND_OPERATOR_FLEET per MW of
 * facility power, evaluated with the same formulas as an ASIC option.
 *
 * The file (docs/fleet.md): one row per kind of miner, with `model` (a
 * "model" of the ASIC table) or `name` (a miner of the operator's own, with
 * hashrate_ths and power_w), `units`, optional per-unit `hashrate_ths` /
 * `power_w` overriding the table's, and optional `site`, `site_pue`,
 * `site_electricity_usd_per_mwh`, `site_capacity_mw`. CSV with a header row,
 * or JSON {"schema": "hashjoule-operator-fleet/1", "rows": [...]}: the first
 * character that is not blank decides ('{' is JSON). Numbers that do not
 * apply are NAN. */
#ifndef HASHJOULE_OPERATOR_FLEET_H
#define HASHJOULE_OPERATOR_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"
#include "hashjoule/fleet_data.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_OPERATOR_FLEET_SCHEMA "hashjoule-operator-fleet/1"
#define HJ_OPERATOR_FLEET_SITE_MAX 64
#define HJ_OPERATOR_FLEET_PATH_MAX 512
#define HJ_OPERATOR_FLEET_MAX_UNITS 1000000000ULL /* per row */

/* fleet.h's market and option; declared here so the two headers need not
 * include each other (fleet.h includes this one). */
struct hj_fleet_market;
struct hj_fleet_option;

/* One row of the file: a kind of miner at a site. */
typedef struct hj_operator_fleet_row {
    size_t row;                   /* 1-based, as messages name it */
    char name[HJ_FLEET_NAME_MAX]; /* the table's model, or the custom name */
    bool custom;                  /* a `name` row: not from the ASIC table */
    size_t asic_index;            /* row of the ASIC table; SIZE_MAX when custom */
    uint64_t units;
    double hashrate_ths, power_w;             /* per unit, as used (the file's or the table's) */
    bool hashrate_from_file, power_from_file; /* given in the file (a custom row: always) */
    char cooling[16];                         /* the table's; "air" for a custom row */
    size_t site;                              /* index into hj_operator_fleet.sites */
    /* set by hj_operator_fleet_evaluate */
    double pue;                     /* the site's, or the PUE of the cooling (or --pue) */
    double electricity_usd_per_mwh; /* the site's, or the run's */
    double hashrate_ths_total;      /* units x hashrate_ths */
    double it_w;                    /* units x power_w */
    double facility_w;              /* it_w x pue */
} hj_operator_fleet_row;

/* Sums over a set of rows (one site, or the whole fleet), and what they earn
 * at the market's hashprice: revenue = hashprice x PH/s / 24 per hour;
 * electricity = facility MW x the site's price; pool fee = a share of revenue;
 * per MWh means per MWh of facility power. */
typedef struct hj_operator_fleet_totals {
    uint64_t units;
    size_t n_rows;
    double hashrate_ths, hashrate_ehs;
    double it_mw, facility_mw;
    double pue;                     /* facility MW / IT MW */
    double efficiency_jth;          /* IT W / TH/s: blended J/TH at the miners */
    double electricity_usd_per_mwh; /* facility-MWh-weighted mean price */
    double revenue_usd_per_year, electricity_usd_per_year, pool_fee_usd_per_year, net_usd_per_year;
    double revenue_usd_per_mwh, revenue_usd_per_it_mwh, cost_usd_per_mwh, net_usd_per_mwh;
    double breakeven_electricity_usd_per_mwh; /* one flat price for every site at which net = 0 */
    double breakeven_hashprice_usd_per_ph_day;
    double breakeven_btc_price_usd; /* at this difficulty, subsidy and fees */
} hj_operator_fleet_totals;

typedef struct hj_operator_fleet_site {
    char name[HJ_OPERATOR_FLEET_SITE_MAX];         /* "" for the rows without a site */
    double pue;                                    /* site_pue; NAN when not stated (per row from the cooling) */
    double electricity_usd_per_mwh;                /* site_electricity_usd_per_mwh; NAN: the run's */
    double capacity_mw;                            /* site_capacity_mw; NAN when not stated */
    size_t first_row;                              /* 1-based row where the site first appears */
    size_t pue_row, electricity_row, capacity_row; /* the row that states each field; 0: none */
    hj_operator_fleet_totals totals;               /* set by hj_operator_fleet_evaluate */
} hj_operator_fleet_site;

typedef struct hj_operator_fleet {
    char path[HJ_OPERATOR_FLEET_PATH_MAX];     /* as given */
    char basename[HJ_OPERATOR_FLEET_PATH_MAX]; /* the file's name without its folder */
    bool json;                                 /* false: CSV */
    hj_operator_fleet_row *rows;
    size_t n_rows;
    hj_operator_fleet_site *sites; /* in order of first appearance */
    size_t n_sites;
    hj_operator_fleet_totals total;
    bool unverified; /* a row takes its numbers from an ASIC marked unverified */
} hj_operator_fleet;

/* Parse a fleet file against the ASIC table (`file` names it in messages).
 * Every refusal is HJ_ERR_INPUT with a message naming the file, the row (and
 * for CSV its line) and the field: an unknown model (with the closest names
 * of the table), units that are not a whole number > 0, a custom row without
 * a positive hashrate_ths and power_w, an unknown column or key, site fields
 * that disagree between rows of a site, no rows. On failure *out is empty.
 * Free with hj_operator_fleet_free. */
hj_status hj_operator_fleet_parse(const char *text, size_t len, const char *file, const hj_asic *asics, size_t n_asics,
                                  hj_operator_fleet *out, hj_error *err);

/* Each row's PUE (the site's, else hj_fleet_pue_for the ASIC's cooling, which
 * honours --pue) and power price (the site's, else the market's), the totals
 * per site and of the fleet at the market's hashprice, difficulty, subsidy,
 * fees and pool fee. HJ_ERR_INPUT when a site draws more facility power
 * (units x power_w x PUE over its rows) than its site_capacity_mw: the
 * message names the file, the site, its total and its capacity. */
hj_status hj_operator_fleet_evaluate(hj_operator_fleet *f, const hj_fleet_assumptions *a,
                                     const struct hj_fleet_market *m, hj_error *err);

/* The evaluated fleet as one option per MW of facility power, kind
 * HJ_KIND_OPERATOR_FLEET, named "operator fleet: <basename>": the blended
 * J/TH and PUE, the facility-MWh-weighted power price, revenue, cost and net
 * per MWh, the break-evens; capex 0 (the fleet is owned: its hardware is
 * sunk, its sites built), so no depreciation and no payback. */
void hj_operator_fleet_option(const hj_operator_fleet *f, const struct hj_fleet_market *m, struct hj_fleet_option *out);

void hj_operator_fleet_free(hj_operator_fleet *f);

#ifdef __cplusplus
}
#endif
#endif
