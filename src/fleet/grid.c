/* The sensitivity grid: every option at each (BTC price, electricity price)
 * pair of the assumptions, and the best option of each kind per cell. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "run_internal.h"

void hj_fleet_grid_free(hj_fleet_grid *g)
{
    free(g->net_usd_per_mwh);
    free(g->names);
    free(g->kinds);
    free(g->cells);
    g->net_usd_per_mwh = NULL;
    g->names = NULL;
    g->kinds = NULL;
    g->cells = NULL;
}

/* Replace *slot by k when k's net is higher (strictly: ties keep the first). */
static void keep_best(const hj_fleet_grid *g, size_t ib, size_t ie, size_t k, size_t *slot)
{
    double v = g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, k)];
    if (*slot == SIZE_MAX || v > g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, *slot)])
        *slot = k;
}

static void find_best(hj_fleet_grid *g, size_t ib, size_t ie)
{
    hj_fleet_grid_cell *c = &g->cells[ib * g->n_electricity + ie];
    c->best = c->best_asic = c->best_colocation = c->best_ai = SIZE_MAX;
    for (size_t k = 0; k < g->n_options; k++) {
        if (isnan(g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, k)]))
            continue;
        keep_best(g, ib, ie, k, &c->best);
        if (g->kinds[k] == HJ_KIND_ASIC)
            keep_best(g, ib, ie, k, &c->best_asic);
        if (g->kinds[k] == HJ_KIND_AI_COLOCATION)
            keep_best(g, ib, ie, k, &c->best_colocation);
        if (g->kinds[k] == HJ_KIND_AI_COLOCATION || g->kinds[k] == HJ_KIND_AI_GPU_CLOUD)
            keep_best(g, ib, ie, k, &c->best_ai);
    }
}

hj_status hj_fleet_run_grid(const hj_fleet_inputs *in, hj_fleet_report *r, hj_error *err)
{
    hj_fleet_grid *g = &r->grid;
    g->n_btc = r->assumptions.n_grid_btc;
    g->n_electricity = r->assumptions.n_grid_electricity;
    g->n_options = r->n_options;
    g->net_usd_per_mwh = calloc(g->n_btc * g->n_electricity * g->n_options + 1, sizeof *g->net_usd_per_mwh);
    g->names = calloc(g->n_options + 1, sizeof *g->names);
    g->kinds = calloc(g->n_options + 1, sizeof *g->kinds);
    g->cells = calloc(g->n_btc * g->n_electricity + 1, sizeof *g->cells);
    if (!g->net_usd_per_mwh || !g->names || !g->kinds || !g->cells)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (size_t ib = 0; ib < g->n_btc; ib++)
        for (size_t ie = 0; ie < g->n_electricity; ie++) {
            hj_fleet_market m = r->market;
            m.btc_price_usd = r->assumptions.grid_btc_price_usd[ib];
            m.electricity_usd_per_mwh = r->assumptions.grid_electricity_usd_per_mwh[ie];
            hj_fleet_market_update(&m);
            hj_fleet_option *o;
            size_t n;
            hj_status st = hj_fleet_evaluate(in, &m, &o, &n, err);
            if (st)
                return st;
            for (size_t k = 0; k < n && k < g->n_options; k++) {
                g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, k)] = o[k].available ? o[k].net_usd_per_mwh : NAN;
                if (ib == 0 && ie == 0) {
                    snprintf(g->names[k], sizeof g->names[k], "%s", o[k].name);
                    g->kinds[k] = o[k].kind;
                }
            }
            free(o);
            find_best(g, ib, ie);
        }
    return HJ_OK;
}
