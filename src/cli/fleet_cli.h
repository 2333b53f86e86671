/* The `hashjoule fleet` command's shared state (private to src/cli). */
#ifndef HJ_FLEET_CLI_H
#define HJ_FLEET_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "hashjoule/fleet.h"

typedef struct fleet_ctx {
    /* data and where it came from */
    hj_asic *asics;
    size_t n_asics;
    char asics_origin[512];
    hj_gpu *gpus;
    size_t n_gpus;
    char gpus_origin[512];
    hj_network net; /* the effective snapshot (after the file, before flags) */
    hj_fleet_assumptions a;
    char assumptions_origin[512];
    hj_bench_file bench;
    bool have_bench;
    char bench_path[512];
    double local_power_w; /* --local-power-watts, NAN if not given */

    /* inputs and the source of each */
    hj_fleet_market m;
    char src_difficulty[700], src_price[700], src_fees[700], src_height[700], src_hashprice[256];
    int as_of_year, as_of_month;
    char as_of[32];

    /* results */
    hj_fleet_option *opt;
    size_t n_opt;
    const hj_asic *ref;
    hj_cbeci cbeci;
    hj_attack_cost attack;

    bool run_exit, run_halving, run_grid;
    double exit_pct, exit_days, horizon_days, btc_price_end;
    hj_exit_scenario exit;
    hj_fleet_market m_halving;
    hj_fleet_option *halving_opt; /* same order as opt before sorting: matched by name */
    size_t n_halving;
    /* grid: [ib][ie] best option index into grid_opt names, nets per option */
    size_t grid_nb, grid_ne, grid_nopt;
    double *grid_net; /* [ib][ie][k] */
    char (*grid_names)[HJ_FLEET_NAME_MAX + 48];
    hj_fleet_kind *grid_kinds;
} fleet_ctx;

/* Index of the grid cell value. */
static inline size_t fleet_grid_at(const fleet_ctx *c, size_t ib, size_t ie, size_t k)
{
    return (ib * c->grid_ne + ie) * c->grid_nopt + k;
}

void fleet_print_text(FILE *out, const fleet_ctx *c);
void fleet_print_explain(FILE *out, const fleet_ctx *c);
int fleet_print_json(FILE *out, const fleet_ctx *c);
void fleet_print_csv(FILE *out, const fleet_ctx *c);
/* Writes the four charts into dir (created if missing). Refuses to replace an
 * existing file unless overwrite; each file is written to a temporary name
 * and renamed, so a reader never sees half a chart. */
int fleet_write_svgs(const char *dir, bool overwrite, const fleet_ctx *c, hj_error *err);

/* The headline comparison (press: mining 57-129 vs AI 200-500 USD/MWh). */
typedef struct fleet_headline {
    size_t n_mining;
    double mining_it_min, mining_it_max, mining_min, mining_max;
    const char *mining_min_name, *mining_max_name;
    size_t n_colo;
    double colo_it_min, colo_it_max, colo_min, colo_max;
    size_t n_gpu;
    double gpu_min, gpu_max;
    double ratio_colo_vs_mining_it; /* best colocation / weakest running miner, per IT MWh */
    double net_ratio_colo_vs_best_mining;
} fleet_headline;
void fleet_headline_compute(const fleet_ctx *c, fleet_headline *h);

#endif
