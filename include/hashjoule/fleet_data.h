/* hashjoule — the fleet data tables (ASICs, AI GPUs, a network snapshot,
 * scenario assumptions): their rows, their loaders, and the defaults embedded
 * at build time. Numbers that are unknown are NAN. */
#ifndef HASHJOULE_FLEET_DATA_H
#define HASHJOULE_FLEET_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    /* SHA-256d mining as modeled from the kernel's instruction count (every
     * field optional: NAN / "" unknown, and then no model) */
    char isa[16];                          /* compiler target: "sm_90", "gfx942" */
    double compute_units;                  /* SMs (NVIDIA) or CUs (AMD) */
    double int32_lanes_per_unit_per_clock; /* on the pipe the kernel's bound uses */
    double boost_clock_mhz;
    double sha256d_instructions_per_nonce; /* on that pipe, bench/gpu_isa.sh --record */
    /* the same with version rolling (BIP 320), per hash: what the model uses
     * when known, as the ASICs it is set beside roll versions too */
    double sha256d_rolled_instructions_per_hash;
    double hashcat_1400_mhs; /* public hashcat -m 1400 benchmark, MH/s */
    char compute_sources[HJ_FLEET_TEXT_MAX];
    char unverified_fields[256]; /* comma-separated, "" when none */
    char sources[HJ_FLEET_TEXT_MAX];
    char notes[HJ_FLEET_TEXT_MAX];
} hj_gpu;

/* The instructions per hash the model divides by: the version-rolling count
 * when known, else the per-nonce count of one header; NAN when neither is. */
double hj_gpu_mining_instructions_per_hash(const hj_gpu *g);

/* The modeled SHA-256d bound of one GPU in H/s: compute units x lanes x
 * clock / instructions per hash on the binding pipe (version rolling when its
 * count is known, else per nonce of one header); NAN when a field is
 * missing. A throughput bound, not a measurement. */
double hj_gpu_mining_bound_hs(const hj_gpu *g);

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
    double term_years;       /* the lease term; NAN: the assumptions' colocation_term_years */
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
    /* the projection (fleet --months) */
    HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH,
    HJ_P_BTC_PRICE_GROWTH_PCT_PER_YEAR,
    HJ_P_UPTIME_PCT,
    HJ_P_DISCOUNT_RATE_PCT_PER_YEAR,
    HJ_P_COLOCATION_ESCALATOR_PCT_PER_YEAR,
    HJ_P_COLOCATION_TERM_YEARS,
    HJ_P_AI_MONTHS_TO_REVENUE,
    HJ_P_GPU_PRICE_DECLINE_PCT_PER_YEAR,
    HJ_P_GPU_CLOUD_OPEX_PCT,
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
/* The range a parameter's value must lie in (the same for the file and for
 * --assume). */
void hj_fleet_param_range(hj_fleet_param_id id, double *min, double *max);

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

#ifdef __cplusplus
}
#endif
#endif
