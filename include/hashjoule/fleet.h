/* hashjoule — fleet economics: the value of a megawatt.
 *
 * The per-option model normalised to 1 MW of facility power, the scenarios
 * (difficulty feedback, halving, sensitivity grid, security view), and
 * hj_fleet_run, which goes from the inputs to a finished report. The
 * consensus arithmetic (consensus.h), the data tables (fleet_data.h), the
 * bench-file reader (bench_file.h) and the operator's own fleet
 * (operator_fleet.h) are included, so this one header is enough.
 *
 * Units are in the names. Every option is evaluated per MWh of *facility*
 * power (IT load x PUE); the per-MWh-of-IT figure is kept too because deals
 * and press figures are quoted that way. Numbers that do not apply are NAN
 * (printed as null / "-"). */
#ifndef HASHJOULE_FLEET_H
#define HASHJOULE_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/bench_file.h"
#include "hashjoule/consensus.h"
#include "hashjoule/error.h"
#include "hashjoule/fleet_data.h"
#include "hashjoule/operator_fleet.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_FLEET_OPTION_NAME_MAX (HJ_FLEET_NAME_MAX + 48)
#define HJ_FLEET_MAX_ASSUME 32

struct hj_projection; /* projection.h */

/* ---- the model ---- */
typedef enum hj_fleet_kind {
    HJ_KIND_ASIC,
    HJ_KIND_LOCAL_CPU,
    HJ_KIND_LOCAL_GPU,
    HJ_KIND_AI_COLOCATION,
    HJ_KIND_AI_GPU_CLOUD,
    HJ_KIND_OPERATOR_FLEET,     /* the operator's own fleet (--fleet FILE), as one option */
    HJ_KIND_GPU_MINING_MODELED, /* a GPU of the GPU table mining at its modeled bound */
} hj_fleet_kind;
#define HJ_FLEET_KIND_COUNT (HJ_KIND_GPU_MINING_MODELED + 1)
const char *hj_fleet_kind_name(hj_fleet_kind kind); /* "asic", "local-cpu", ... */

/* True when a bench result's device is this GPU of the table: every word of
 * the model's name appears in the device name (case-insensitive), "SXM"
 * matching any name without "PCIe" (drivers name SXM boards without it). */
bool hj_fleet_gpu_matches_device(const char *model, const char *device);

/* The network state the options are evaluated against. */
typedef struct hj_fleet_market {
    double difficulty;
    double btc_price_usd;
    double fees_btc_per_block;
    uint64_t height;
    double subsidy_btc;              /* from height */
    double hashprice_usd_per_ph_day; /* computed, or the override */
    bool hashprice_overridden;
    double electricity_usd_per_mwh;
    double pool_fee_pct;
    double pue_override; /* NAN: per option from the assumptions */
} hj_fleet_market;

/* Fill subsidy and (unless overridden) hashprice from the other fields. */
void hj_fleet_market_update(hj_fleet_market *m);

typedef struct hj_fleet_option {
    char name[HJ_FLEET_OPTION_NAME_MAX];
    hj_fleet_kind kind;
    bool available; /* false: no $/MWh (see reason) */
    char reason[HJ_FLEET_TEXT_MAX];
    bool unverified;                /* some input is UNVERIFIED / estimated */
    bool energy_unmeasured;         /* a local row without energy: no J/TH, no $/MWh (reason says why) */
    double hashes_per_second;       /* local rows: the rate the bench measured; NAN otherwise */
    char detail[HJ_FLEET_TEXT_MAX]; /* scope, rate used, cooling ... */
    size_t source_index;            /* row in the ASIC / GPU / colo / bench table */
    double pue;
    double unit_power_w;   /* one miner, one GPU's server share, one machine */
    double units_per_mw;   /* per MW of facility power */
    double efficiency_jth; /* mining options */
    double hashrate_ph_per_mw;
    double it_mw_per_mw;            /* 1 / PUE */
    double revenue_usd_per_mwh;     /* gross, per facility MWh */
    double revenue_usd_per_it_mwh;  /* gross, per MWh of IT load (as deals are quoted) */
    double electricity_usd_per_mwh; /* what the operator pays for the MWh */
    double pool_fee_usd_per_mwh;
    double other_opex_usd_per_mwh;
    double cost_usd_per_mwh; /* electricity + pool fee + other opex */
    double net_usd_per_mwh;  /* revenue - cost: before capex */
    double net_usd_per_mw_year;
    double breakeven_electricity_usd_per_mwh;
    double breakeven_btc_price_usd;
    double breakeven_hashprice_usd_per_ph_day;
    double capex_hardware_usd_per_mw;
    double capex_site_usd_per_mw;
    double capex_usd_per_mw;
    double depreciation_usd_per_mwh; /* hardware over its life: shown apart from net */
    double net_after_depreciation_usd_per_mwh;
    double payback_months; /* capex / monthly net; NAN if net <= 0 or no capex */
} hj_fleet_option;

typedef struct hj_fleet_inputs {
    const hj_asic *asics;
    size_t n_asics;
    const hj_gpu *gpus;
    size_t n_gpus;
    const hj_fleet_assumptions *a;
    const hj_local_result *local;
    size_t n_local;
} hj_fleet_inputs;

/* Evaluate every option (ASICs, local rows, colocation deals, GPU cloud, GPU
 * mining as modeled: one row per GPU of the table, left out for a GPU that
 * a local row measured, see hj_fleet_gpu_matches_device);
 * *out is allocated (free()); order: data order, not sorted. */
hj_status hj_fleet_evaluate(const hj_fleet_inputs *in, const hj_fleet_market *m, hj_fleet_option **out, size_t *n,
                            hj_error *err);
/* Sort by net $/MWh, best first; unavailable rows last. */
void hj_fleet_sort_by_net(hj_fleet_option *opt, size_t n);

/* PUE an option of this kind / cooling gets. */
double hj_fleet_pue_for(const hj_fleet_assumptions *a, const hj_fleet_market *m, hj_fleet_kind kind,
                        const char *cooling);

/* ---- scenarios ---- */
typedef struct hj_epoch_row {
    int epoch; /* 0 = the epoch in progress at the start */
    double start_day, end_day;
    uint64_t first_height, retarget_height;
    double hashrate_ehs_at_end;
    double mean_block_time_s;
    double difficulty_before, difficulty_after;
    double change_pct; /* of difficulty at the retarget */
    bool clamped;
    double hashprice_after_usd_per_ph_day;
    double btc_price_usd_at_end;
    double subsidy_btc_at_end;
} hj_epoch_row;

typedef struct hj_day_row {
    double day;
    double hashrate_ehs;
    double difficulty;
    double mean_block_time_s; /* over that day's blocks */
    double hashprice_usd_per_ph_day;
    double btc_price_usd;
    double reference_net_usd_per_mwh; /* the reference ASIC, for those who stay */
} hj_day_row;

typedef struct hj_exit_scenario {
    double exit_pct, exit_days, horizon_days;
    double btc_price_start_usd, btc_price_end_usd;
    double start_hashrate_ehs;
    hj_epoch_row *epochs;
    size_t n_epochs;
    hj_day_row *days;
    size_t n_days;
    double hashprice_start_usd_per_ph_day, hashprice_min_usd_per_ph_day, hashprice_end_usd_per_ph_day;
    double end_hashrate_ehs;
    double max_mean_block_time_s; /* the slowest day's mean block time */
    /* first day on which difficulty is within 1% of what the end hashrate
     * implies (D = H * 600 / 2^32): the retargets have caught up; NAN never */
    double days_to_equilibrium;
} hj_exit_scenario;

/* Deterministic block-by-block run: hashrate falls linearly by exit_pct over
 * exit_days, block times stretch, every 2016th block retargets by Core's rule
 * (the timespan spans 2015 intervals, as in Core), the subsidy halves at
 * 210,000-block boundaries and the BTC price moves linearly to
 * btc_price_end_usd over the horizon. The blocks of the epoch in progress
 * before the start are taken at 600 s. `ref` (may be NULL) is the reference
 * ASIC whose net $/MWh is reported per day. */
hj_status hj_fleet_exit_scenario(const hj_fleet_market *m, const hj_fleet_assumptions *a, const hj_asic *ref,
                                 double exit_pct, double exit_days, double horizon_days, double btc_price_end_usd,
                                 hj_exit_scenario *out, hj_error *err);
void hj_exit_scenario_free(hj_exit_scenario *s);

/* CBECI's network-power bounds (Cambridge CBECI method, github.com/CambridgeAltFin/ccaf_cbeci_api)
 * over the ASIC table. */
typedef struct hj_cbeci {
    double electricity_usd_per_kwh;
    double threshold_j_per_th; /* profitability threshold */
    size_t n_profitable;
    size_t n_considered; /* released and younger than max age */
    double min_jth, max_jth, weighted_jth;
    double lower_gw, best_gw, upper_gw;
    double lower_twh_yr, best_twh_yr, upper_twh_yr;
    const char *min_model, *max_model;
} hj_cbeci;

/* `as_of_year/month`: the snapshot date (release must be <= it; age in
 * years = floor(months / 12)). revenue_usd_per_th_day = hashprice / 1000
 * (CBECI uses miners' revenue / hashrate, the same quantity). */
hj_status hj_fleet_cbeci(const hj_asic *asics, size_t n, const hj_fleet_assumptions *a, double network_hashrate_ths,
                         double revenue_usd_per_th_day, int as_of_year, int as_of_month, hj_cbeci *out, hj_error *err);

typedef struct hj_attack_cost {
    double share_pct;
    double hashrate_ehs;        /* share of the current network hashrate */
    const hj_asic *asic;        /* most efficient released ASIC */
    const hj_asic *priced_asic; /* most efficient with a price (may differ) */
    double units;
    /* the same share with priced_asic, counted, powered and priced with that
     * one ASIC (equal to the above when asic has a price); NAN if none priced */
    double priced_units, priced_power_mw, priced_energy_usd_per_day;
    double hardware_usd; /* priced_units x priced_asic's list price */
    double power_mw;     /* at the facility (PUE of the ASIC's cooling) */
    double energy_usd_per_day;
    double hashrate_to_outpace_ehs; /* to exceed the remaining honest hashrate */
} hj_attack_cost;

hj_status hj_fleet_attack_cost(const hj_asic *asics, size_t n, const hj_fleet_assumptions *a, const hj_fleet_market *m,
                               int as_of_year, int as_of_month, hj_attack_cost *out, hj_error *err);

/* ---- the whole run: from the inputs to a finished report ---- */
#define HJ_FLEET_ORIGIN_MAX 512

typedef enum hj_fleet_gpu_rate {
    HJ_GPU_RATE_DEFAULT,   /* the assumptions' gpu_rate_one_year */
    HJ_GPU_RATE_ONE_YEAR,  /* --gpu-rate one-year */
    HJ_GPU_RATE_ON_DEMAND, /* --gpu-rate on-demand */
} hj_fleet_gpu_rate;

/* What to run. Paths are NULL for the data embedded at build time (no
 * bench_path: no local rows). Every override is NAN (has_height false, NULL,
 * n_... 0, HJ_GPU_RATE_DEFAULT) when not given; a given one replaces the
 * data's value and is named as its source ("flag --difficulty"). Start from
 * hj_fleet_request_init. */
typedef struct hj_fleet_request {
    const char *asics_path, *gpus_path, *network_path, *assumptions_path, *bench_path;

    double btc_price_usd, difficulty, fees_btc_per_block;
    uint64_t height;
    bool has_height;
    double hashprice_usd_per_ph_day; /* given instead of computed: excludes price, difficulty, fees */
    double electricity_usd_per_mwh, pool_fee_pct;
    double pue; /* one PUE for every option */
    double gpu_utilisation_pct;
    hj_fleet_gpu_rate gpu_rate;
    double colocation_usd_per_kw_month; /* one rate instead of the deal list */
    double local_power_w;               /* assumed power of bench results without energy (needs bench_path) */
    const char *reference_asic;         /* the ASIC the exit scenario follows (a "model" of the table) */

    bool run_exit, run_halving, run_grid;
    double exit_pct, exit_days, horizon_days, btc_price_end_usd;
    double grid_btc_price_usd[HJ_FLEET_MAX_GRID];
    size_t n_grid_btc;
    double grid_electricity_usd_per_mwh[HJ_FLEET_MAX_GRID];
    size_t n_grid_electricity;

    /* the projection (projection.h); months 0: none */
    int months;
    double hashrate_growth_pct_per_month, btc_price_growth_pct_per_year, uptime_pct, discount_rate_pct_per_year;
    const char *btc_price_path;    /* CSV month,usd[,fees_btc_per_block] */
    const char *power_prices_path; /* CSV, one hourly USD/MWh a line */
    /* any parameter of the assumptions by its key (--assume KEY=VALUE),
     * applied before the flags above */
    struct {
        const char *key;
        double value;
    } assume[HJ_FLEET_MAX_ASSUME];
    size_t n_assume;

    /* A network read elsewhere (hj_node_rpc_read), used instead of a file:
     * NULL, or network_path NULL. Fields it lacks (NAN, has_height false,
     * no date) come from the embedded snapshot, as for a node's file. */
    const hj_network *network;

    const char *fleet_path; /* the operator's own fleet (operator_fleet.h); NULL: none */
} hj_fleet_request;

/* Every field "not given". */
void hj_fleet_request_init(hj_fleet_request *req);

/* The headline comparison (press: mining 57-129 vs AI 200-500 USD/MWh). */
typedef struct hj_fleet_headline {
    size_t n_mining; /* ASICs with a positive net: the fleet that keeps running */
    double mining_it_min, mining_it_max, mining_min, mining_max;
    const char *mining_min_name, *mining_max_name; /* point into the options */
    size_t n_colo;
    double colo_it_min, colo_it_max, colo_min, colo_max;
    double colo_pue;
    size_t n_gpu;
    double gpu_min, gpu_max;
    double ratio_colo_vs_mining_it;       /* best colocation / weakest running miner, per IT MWh */
    double net_ratio_colo_vs_best_mining; /* best colocation net / best ASIC net; NAN if that is <= 0 */
} hj_fleet_headline;

/* The headline over `opt` (in the order given: ties go to the first). */
void hj_fleet_headline_compute(const hj_fleet_option *opt, size_t n, double colo_pue, hj_fleet_headline *h);

/* The best options of one grid cell: indices into the grid's options,
 * SIZE_MAX when none is available. Ties go to the first option. */
typedef struct hj_fleet_grid_cell {
    size_t best;            /* of any kind */
    size_t best_asic;       /* HJ_KIND_ASIC */
    size_t best_colocation; /* HJ_KIND_AI_COLOCATION */
    size_t best_ai;         /* AI colocation or AI GPU cloud */
} hj_fleet_grid_cell;

/* Every option at each (BTC price, electricity price) of the assumptions. */
typedef struct hj_fleet_grid {
    size_t n_btc, n_electricity, n_options;
    double *net_usd_per_mwh; /* [ib][ie][k]: NAN where the option is unavailable */
    char (*names)[HJ_FLEET_OPTION_NAME_MAX];
    hj_fleet_kind *kinds;
    hj_fleet_grid_cell *cells; /* [ib][ie] */
} hj_fleet_grid;

/* Index of option k's net in cell (ib, ie). */
static inline size_t hj_fleet_grid_at(const hj_fleet_grid *g, size_t ib, size_t ie, size_t k)
{
    return (ib * g->n_electricity + ie) * g->n_options + k;
}

/* How the local rows' J/TH was obtained, counted over the bench file's rows. */
typedef struct hj_fleet_local_energy {
    size_t n_rows;
    size_t n_measured;         /* by a sensor */
    size_t n_measured_partial; /* of those, at a scope short of the wall (RAPL CPU package, GPU board) */
    size_t n_assumed;          /* estimated from --local-power-watts (local_power_w) */
    size_t n_stated;           /* estimated from a power stated to bench (bench --power-watts) */
    size_t n_unmeasured;       /* no energy and no --local-power-watts: no J/TH, no $/MWh */
    /* why: the first unmeasured row's reason from the bench file (without
     * bench's advice on its own flags); reasons_differ when another row
     * gives another reason (each option's reason then has its own) */
    char unmeasured_reason[HJ_FLEET_TEXT_MAX];
    bool unmeasured_reasons_differ;
} hj_fleet_local_energy;

/* Everything the fleet command shows: the inputs with their origins, the
 * options sorted by net, the security view and the scenarios requested. */
typedef struct hj_fleet_report {
    /* the data and where each table came from */
    hj_asic *asics;
    size_t n_asics;
    char asics_origin[HJ_FLEET_ORIGIN_MAX];
    hj_gpu *gpus;
    size_t n_gpus;
    char gpus_origin[HJ_FLEET_ORIGIN_MAX];
    hj_network network; /* the effective snapshot (after the file, before the overrides) */
    hj_fleet_assumptions assumptions;
    char assumptions_origin[HJ_FLEET_ORIGIN_MAX];
    hj_bench_file bench;
    bool have_bench;
    char bench_path[HJ_FLEET_ORIGIN_MAX];
    double local_power_w; /* NAN if not given */
    hj_fleet_local_energy local_energy;

    /* the market and the source of each input */
    hj_fleet_market market;
    char source_difficulty[700], source_price[700], source_fees[700], source_height[700], source_hashprice[256];
    int as_of_year, as_of_month;
    char as_of[32];
    double network_hashrate_hs;      /* D x 2^32 / 600 */
    double btc_per_th_day;           /* at the market's difficulty, subsidy and fees */
    double hashprice_per_usd_of_btc; /* hashprice at a BTC price of 1 USD: break-even BTC = b/e hashprice / this */
    uint64_t next_halving_height;
    double days_to_next_halving; /* at 10 minutes a block */

    /* results */
    hj_fleet_option *options; /* sorted by net, best first */
    size_t n_options;
    const hj_asic *reference; /* the reference ASIC */
    hj_fleet_headline headline;
    hj_cbeci cbeci;
    hj_attack_cost attack;

    bool run_exit, run_halving, run_grid;
    hj_exit_scenario exit;
    hj_fleet_market halving_market;
    hj_fleet_option *halving_options; /* evaluation order, not sorted */
    size_t n_halving;
    size_t *halving_match; /* [n_options]: the same option in halving_options, SIZE_MAX if none */
    hj_fleet_grid grid;

    /* the projection over req->months, of the options in their sorted order
     * and then fleet_option when have_fleet; NULL without --months */
    struct hj_projection *projection;
    char btc_price_path[HJ_FLEET_ORIGIN_MAX]; /* "" when none */
    bool btc_price_path_has_fees;
    char power_prices_path[HJ_FLEET_ORIGIN_MAX]; /* "" when none */
    size_t n_power_prices;
    double *btc_price_usd_by_month, *fees_btc_per_block_by_month, *power_prices_usd_per_mwh;

    /* the operator's own fleet (request fleet_path): its rows, sites and
     * totals, and the fleet as one option, kept apart from `options` (the
     * table, the headline and the grid are the market's, not the fleet's) */
    bool have_fleet;
    hj_operator_fleet fleet;
    hj_fleet_option fleet_option;
} hj_fleet_report;

/* Load the inputs (files or embedded data; a node's getmininginfo /
 * getblockchaininfo output, or req->network, is completed from the embedded
 * snapshot), apply
 * the overrides, evaluate every option, the security view and the requested
 * scenarios, and sort. Errors are HJ_ERR_INPUT (a file, a value or a
 * combination the caller can fix; the message names the file or flag) or
 * HJ_ERR_RUNTIME. On failure too, *report holds what was loaded so far (e.g.
 * the bench file's n_failed) and must be freed with hj_fleet_report_free.
 * Prints nothing. */
hj_status hj_fleet_run(const hj_fleet_request *req, hj_fleet_report *report, hj_error *err);
void hj_fleet_report_free(hj_fleet_report *report);

#ifdef __cplusplus
}
#endif
#endif
