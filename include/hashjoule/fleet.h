/* hashjoule — fleet economics: the value of a megawatt.
 *
 * Network arithmetic (hashrate from difficulty, hashprice, subsidy by
 * height), Bitcoin Core's retarget rule, the data tables (ASICs, AI GPUs, a
 * network snapshot, scenario assumptions; embedded defaults or files), the
 * per-option model normalised to 1 MW of facility power, and the scenarios
 * (difficulty feedback, halving, sensitivity grid, security view).
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

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- consensus constants (Bitcoin Core src/kernel/chainparams.cpp) ---- */
#define HJ_BLOCK_SPACING_S 600.0       /* nPowTargetSpacing */
#define HJ_RETARGET_TIMESPAN_S 1209600 /* nPowTargetTimespan, two weeks */
#define HJ_RETARGET_INTERVAL 2016      /* blocks per difficulty epoch */
#define HJ_HALVING_INTERVAL 210000     /* nSubsidyHalvingInterval */
#define HJ_TWO_POW_32 4294967296.0

/* ---- network arithmetic ---- */
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

/* ---- data ---- */
#define HJ_FLEET_NAME_MAX 96
#define HJ_FLEET_TEXT_MAX 640

typedef struct hj_asic {
    char manufacturer[48];
    char model[HJ_FLEET_NAME_MAX];
    double hashrate_ths;
    double power_w;                  /* at the wall */
    double efficiency_jth;           /* power_w / hashrate_ths */
    char release[24];                /* "YYYY" or "YYYY-MM" */
    int release_year, release_month; /* month 1 when only the year is known */
    char cooling[16];                /* air, hydro, immersion */
    double price_usd;                /* indicative; NAN unknown */
    bool unverified;
    char sources[HJ_FLEET_TEXT_MAX];
    char notes[HJ_FLEET_TEXT_MAX];
} hj_asic;

typedef struct hj_gpu {
    char model[HJ_FLEET_NAME_MAX];
    char vendor[32];
    double board_power_w;
    double server_power_w_per_gpu;
    double rent_on_demand_usd_per_hour; /* NAN unknown */
    double rent_one_year_usd_per_hour;  /* NAN unknown */
    double capex_usd_per_gpu;           /* NAN unknown */
    char capex_scope[128];
    char unverified_fields[256]; /* comma-separated, "" when none */
    char sources[HJ_FLEET_TEXT_MAX];
    char notes[HJ_FLEET_TEXT_MAX];
} hj_gpu;

typedef struct hj_network {
    char date[24]; /* "YYYY-MM" or "YYYY-MM-DD" */
    int year, month;
    double difficulty;
    double btc_price_usd;      /* NAN when the file had none (bitcoin-cli) */
    double fees_btc_per_block; /* NAN when the file had none (bitcoin-cli) */
    uint64_t height;
    bool has_height;
    double subsidy_btc;
    double hashrate_ehs_reported;       /* NAN unknown */
    char origin[HJ_FLEET_TEXT_MAX];     /* where these numbers came from */
    char sources[5][HJ_FLEET_TEXT_MAX]; /* difficulty, price, fees, height, subsidy */
    char unverified[128];
} hj_network;

/* Which `sources` slot each network field uses. */
enum { HJ_NET_SRC_DIFFICULTY, HJ_NET_SRC_PRICE, HJ_NET_SRC_FEES, HJ_NET_SRC_HEIGHT, HJ_NET_SRC_SUBSIDY };

typedef struct hj_colocation_deal {
    char name[HJ_FLEET_NAME_MAX];
    double usd_per_kw_month; /* per kW of critical IT */
    char source[HJ_FLEET_TEXT_MAX];
} hj_colocation_deal;

/* Named scalar assumptions (data/assumptions.json "parameters"). */
typedef enum hj_fleet_param_id {
    HJ_P_ELECTRICITY_USD_PER_MWH,
    HJ_P_POOL_FEE_PCT,
    HJ_P_PUE_AIR,
    HJ_P_PUE_HYDRO,
    HJ_P_PUE_IMMERSION,
    HJ_P_PUE_AI,
    HJ_P_PUE_LOCAL,
    HJ_P_MINING_SITE_CAPEX_USD_PER_MW,
    HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT,
    HJ_P_AI_COLOCATION_OPEX_PCT,
    HJ_P_COLOCATION_POWER_PASSTHROUGH,
    HJ_P_GPU_UTILISATION_PCT,
    HJ_P_GPU_RATE_ONE_YEAR,
    HJ_P_ASIC_LIFE_YEARS,
    HJ_P_GPU_LIFE_YEARS,
    HJ_P_CBECI_ELECTRICITY_USD_PER_KWH,
    HJ_P_CBECI_MAX_AGE_YEARS,
    HJ_P_CBECI_PUE_LOWER,
    HJ_P_CBECI_PUE_BEST,
    HJ_P_CBECI_PUE_UPPER,
    HJ_P_ATTACK_SHARE_PCT,
    HJ_P_EXIT_PCT,
    HJ_P_EXIT_DAYS,
    HJ_P_HORIZON_DAYS,
    HJ_P_COUNT
} hj_fleet_param_id;

typedef struct hj_fleet_param {
    double value;
    bool unverified;
    char source[HJ_FLEET_TEXT_MAX]; /* "flag --x" once a flag has overridden it */
} hj_fleet_param;

#define HJ_FLEET_MAX_COLO 16
#define HJ_FLEET_MAX_GRID 16

typedef struct hj_fleet_assumptions {
    hj_fleet_param p[HJ_P_COUNT];
    double cbeci_age_weights[5];
    char reference_asic[HJ_FLEET_NAME_MAX];
    double grid_btc_price_usd[HJ_FLEET_MAX_GRID];
    size_t n_grid_btc;
    double grid_electricity_usd_per_mwh[HJ_FLEET_MAX_GRID];
    size_t n_grid_electricity;
    hj_colocation_deal colo[HJ_FLEET_MAX_COLO];
    size_t n_colo;
} hj_fleet_assumptions;

/* The key of a parameter in assumptions.json ("electricity_usd_per_mwh", ...). */
const char *hj_fleet_param_key(hj_fleet_param_id id);

/* Loaders. `text` is the file's contents, `file` names it in messages
 * ("data/asics.json (embedded)" or the user's path). Every problem is
 * HJ_ERR_INPUT with a message naming the file, the row and the field. The
 * ASIC and GPU loaders allocate *out (free with free()). */
hj_status hj_fleet_parse_asics(const char *text, size_t len, const char *file, hj_asic **out, size_t *n, hj_error *err);
hj_status hj_fleet_parse_gpus(const char *text, size_t len, const char *file, hj_gpu **out, size_t *n, hj_error *err);
/* Accepts hashjoule's own snapshot format (all fields required) or the JSON
 * printed by `bitcoin-cli getmininginfo` / `getblockchaininfo` (mainnet
 * only); fields the latter lacks are NAN / has_height=false and must be
 * filled by the caller from flags or the snapshot. */
hj_status hj_fleet_parse_network(const char *text, size_t len, const char *file, hj_network *out, bool *is_node,
                                 hj_error *err);
hj_status hj_fleet_parse_assumptions(const char *text, size_t len, const char *file, hj_fleet_assumptions *out,
                                     hj_error *err);

/* The data embedded at build time (generated from data/ by CMake). */
typedef struct hj_fleet_blob {
    const char *name; /* "data/asics.json" */
    const char *text;
    size_t len;
} hj_fleet_blob;
hj_fleet_blob hj_fleet_embedded(const char *basename); /* "asics.json"; text NULL if unknown */

/* ---- bench results (hashjoule bench, schema_version 1) ---- */
typedef struct hj_local_result {
    char kernel[48];
    char kind[16]; /* "cpu" or "device" */
    char device[HJ_FLEET_NAME_MAX];
    int threads;
    double hashes_per_second;   /* median */
    double joules_per_terahash; /* NAN when energy is null */
    char scope[32];             /* "cpu-package", "gpu-board", "wall", ... */
    char energy_source[128];
    char unavailable_reason[HJ_FLEET_TEXT_MAX];
    bool energy_estimated; /* J/TH from --local-power-watts, not measured */
} hj_local_result;

typedef struct hj_bench_file {
    char host[128], date[48], machine[HJ_FLEET_TEXT_MAX];
    hj_local_result *results;
    size_t n_results;
    size_t n_failed; /* results with status "failed": left out of `results` */
} hj_bench_file;

hj_status hj_fleet_parse_bench(const char *text, size_t len, const char *file, hj_bench_file *out, hj_error *err);
void hj_bench_file_free(hj_bench_file *b);

/* ---- the model ---- */
typedef enum hj_fleet_kind {
    HJ_KIND_ASIC,
    HJ_KIND_LOCAL_CPU,
    HJ_KIND_LOCAL_GPU,
    HJ_KIND_AI_COLOCATION,
    HJ_KIND_AI_GPU_CLOUD,
} hj_fleet_kind;
const char *hj_fleet_kind_name(hj_fleet_kind kind); /* "asic", "local-cpu", ... */

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
    char name[HJ_FLEET_NAME_MAX + 48];
    hj_fleet_kind kind;
    bool available; /* false: no $/MWh (see reason) */
    char reason[HJ_FLEET_TEXT_MAX];
    bool unverified;                /* some input is UNVERIFIED / estimated */
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

/* Evaluate every option (ASICs, local rows, colocation deals, GPU cloud);
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

/* CBECI's network-power bounds (fleet-facts §2.3) over the ASIC table. */
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
    double hardware_usd; /* units of priced_asic; NAN if none priced */
    double power_mw;     /* at the facility (PUE of the ASIC's cooling) */
    double energy_usd_per_day;
    double hashrate_to_outpace_ehs; /* to exceed the remaining honest hashrate */
} hj_attack_cost;

hj_status hj_fleet_attack_cost(const hj_asic *asics, size_t n, const hj_fleet_assumptions *a, const hj_fleet_market *m,
                               int as_of_year, int as_of_month, hj_attack_cost *out, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
