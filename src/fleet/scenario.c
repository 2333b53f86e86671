/* Scenarios: the difficulty feedback when hashrate leaves for AI, CBECI's
 * network-power bounds, and the cost of a 51% share. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "hashjoule/fleet.h"

void hj_exit_scenario_free(hj_exit_scenario *s)
{
    if (s) {
        free(s->epochs);
        free(s->days);
        s->epochs = NULL;
        s->days = NULL;
        s->n_epochs = s->n_days = 0;
    }
}

/* Net $/MWh of one ASIC at hashprice `hp` (the model's formula, kept here so
 * a day row needs no full evaluation). */
static double asic_net(const hj_asic *a, const hj_fleet_assumptions *as, const hj_fleet_market *m, double hp)
{
    double pue = hj_fleet_pue_for(as, m, HJ_KIND_ASIC, a->cooling);
    double rev = hp * (1000.0 / a->efficiency_jth) / 24.0 / pue;
    return rev * (1.0 - m->pool_fee_pct / 100.0) - m->electricity_usd_per_mwh;
}

hj_status hj_fleet_exit_scenario(const hj_fleet_market *m, const hj_fleet_assumptions *a, const hj_asic *ref,
                                 double exit_pct, double exit_days, double horizon_days, double btc_price_end_usd,
                                 hj_exit_scenario *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
    if (m->hashprice_overridden)
        return hj_fail(err, HJ_ERR_INPUT,
                       "the difficulty scenario computes hashprice from difficulty; it cannot run with "
                       "--hashprice-usd-per-ph-day");
    if (!(exit_pct >= 0 && exit_pct < 100) || !(exit_days >= 0) || !(horizon_days >= 1 && horizon_days <= 3650))
        return hj_fail(err, HJ_ERR_INPUT,
                       "scenario: exit %% must be in [0, 100), exit days >= 0, horizon 1..3650 days");
    out->exit_pct = exit_pct;
    out->exit_days = exit_days;
    out->horizon_days = horizon_days;
    out->btc_price_start_usd = m->btc_price_usd;
    out->btc_price_end_usd = btc_price_end_usd;

    double h0 = hj_network_hashrate_hs(m->difficulty); /* the hashrate the difficulty implies */
    double h_end = h0 * (1.0 - exit_pct / 100.0);
    out->start_hashrate_ehs = h0 / 1e18;
    out->end_hashrate_ehs = h_end / 1e18;
    double horizon_s = horizon_days * 86400.0, exit_s = exit_days * 86400.0;

    size_t n_days = (size_t)ceil(horizon_days);
    size_t max_epochs = (size_t)(horizon_days * 86400.0 / (HJ_RETARGET_TIMESPAN_S / 4.0 / HJ_RETARGET_INTERVAL) /
                                 HJ_RETARGET_INTERVAL) +
                        4;
    out->days = calloc(n_days, sizeof *out->days);
    out->epochs = calloc(max_epochs, sizeof *out->epochs);
    if (!out->days || !out->epochs) {
        hj_exit_scenario_free(out);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }

    hj_chain chain;
    hj_chain_init(&chain, m->difficulty, m->height);
    double price_slope = (btc_price_end_usd - m->btc_price_usd) / horizon_s;
    size_t day = 0;
    double *bin_sum = calloc(n_days, sizeof *bin_sum);
    size_t *bin_count = calloc(n_days, sizeof *bin_count);
    if (!bin_sum || !bin_count) {
        free(bin_sum);
        free(bin_count);
        hj_exit_scenario_free(out);
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    }
    double hp_min = INFINITY, slowest = 0;
    double d_eq = h_end * HJ_BLOCK_SPACING_S / HJ_TWO_POW_32;
    out->days_to_equilibrium = NAN;

    hj_fleet_market mm = *m;
    mm.hashprice_overridden = false;
    for (;;) {
        double t = chain.t_s;
        uint64_t k = chain.tip + 1; /* the block about to be mined */
        double hashrate = t >= exit_s ? h_end : h0 - (h0 - h_end) * (exit_s > 0 ? t / exit_s : 1.0);
        hj_chain_retarget rt;
        if (hj_chain_retarget_due(&chain, &rt) && out->n_epochs < max_epochs) {
            hj_epoch_row *e = &out->epochs[out->n_epochs++];
            e->epoch = (int)out->n_epochs - 1;
            e->start_day = rt.epoch_start_s / 86400.0;
            e->end_day = t / 86400.0;
            e->first_height = rt.epoch_first_height;
            e->retarget_height = k;
            e->hashrate_ehs_at_end = hashrate / 1e18;
            e->mean_block_time_s = rt.span_s / (HJ_RETARGET_INTERVAL - 1);
            e->difficulty_before = rt.difficulty_before;
            e->difficulty_after = rt.difficulty_after;
            e->change_pct = (rt.difficulty_after / rt.difficulty_before - 1.0) * 100.0;
            e->clamped = rt.span_s < HJ_RETARGET_TIMESPAN_S / 4.0 || rt.span_s > HJ_RETARGET_TIMESPAN_S * 4.0;
            e->btc_price_usd_at_end = m->btc_price_usd + price_slope * t;
            e->subsidy_btc_at_end = hj_subsidy_btc(k);
            e->hashprice_after_usd_per_ph_day = hj_hashprice_usd_per_ph_day(
                rt.difficulty_after, e->subsidy_btc_at_end, m->fees_btc_per_block, e->btc_price_usd_at_end);
        }
        double d = chain.difficulty;
        /* day rows: the state in force at the start of each day */
        while (day < n_days && t >= (double)day * 86400.0) {
            hj_day_row *r = &out->days[day];
            r->day = (double)day;
            r->hashrate_ehs = hashrate / 1e18;
            r->difficulty = d;
            r->btc_price_usd = m->btc_price_usd + price_slope * (double)day * 86400.0;
            r->hashprice_usd_per_ph_day =
                hj_hashprice_usd_per_ph_day(d, hj_subsidy_btc(k), m->fees_btc_per_block, r->btc_price_usd);
            r->reference_net_usd_per_mwh = ref ? asic_net(ref, a, &mm, r->hashprice_usd_per_ph_day) : NAN;
            r->mean_block_time_s = NAN;
            if (r->hashprice_usd_per_ph_day < hp_min)
                hp_min = r->hashprice_usd_per_ph_day;
            if (isnan(out->days_to_equilibrium) && fabs(d / d_eq - 1.0) <= 0.01)
                out->days_to_equilibrium = (double)day;
            day++;
        }
        if (t >= horizon_s)
            break;
        double dt = hj_chain_mine(&chain, hashrate);
        /* a block's interval counts for the day in which the block is found */
        size_t bin = (size_t)(chain.t_s / 86400.0);
        if (bin < n_days) {
            bin_sum[bin] += dt;
            bin_count[bin]++;
        }
    }
    out->n_days = day;
    for (size_t i = 0; i < out->n_days; i++) {
        out->days[i].mean_block_time_s = bin_count[i] ? bin_sum[i] / (double)bin_count[i] : NAN;
        if (bin_count[i] && out->days[i].mean_block_time_s > slowest)
            slowest = out->days[i].mean_block_time_s;
    }
    free(bin_sum);
    free(bin_count);
    out->max_mean_block_time_s = slowest;
    out->hashprice_start_usd_per_ph_day = out->n_days ? out->days[0].hashprice_usd_per_ph_day : NAN;
    out->hashprice_end_usd_per_ph_day = out->n_days ? out->days[out->n_days - 1].hashprice_usd_per_ph_day : NAN;
    out->hashprice_min_usd_per_ph_day = hp_min;
    return HJ_OK;
}

/* Months between a release and the snapshot; negative = not yet released. */
static int age_months(const hj_asic *x, int year, int month)
{
    return (year * 12 + month) - (x->release_year * 12 + x->release_month);
}

hj_status hj_fleet_cbeci(const hj_asic *asics, size_t n, const hj_fleet_assumptions *a, double network_hashrate_ths,
                         double revenue_usd_per_th_day, int as_of_year, int as_of_month, hj_cbeci *out, hj_error *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    double price = a->p[HJ_P_CBECI_ELECTRICITY_USD_PER_KWH].value;
    out->electricity_usd_per_kwh = price;
    /* PT in J/TH: revenue per TH-second over the price of a joule */
    out->threshold_j_per_th = (revenue_usd_per_th_day / 86400.0) / (price / 3.6e6);
    double max_age = a->p[HJ_P_CBECI_MAX_AGE_YEARS].value;
    double wsum = 0, wesum = 0;
    out->min_jth = INFINITY;
    out->max_jth = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        int months = age_months(&asics[i], as_of_year, as_of_month);
        if (months < 0 || months / 12.0 >= max_age) /* the age in years, fractions kept: max_age may be 4.5 */
            continue;
        out->n_considered++;
        if (!(out->threshold_j_per_th > asics[i].efficiency_jth))
            continue;
        out->n_profitable++;
        double e = asics[i].efficiency_jth;
        if (e < out->min_jth) {
            out->min_jth = e;
            out->min_model = asics[i].model;
        }
        if (e > out->max_jth) {
            out->max_jth = e;
            out->max_model = asics[i].model;
        }
        double w = a->cbeci_age_weights[months / 12 < 5 ? months / 12 : 4];
        wsum += w;
        wesum += w * e;
    }
    if (out->n_profitable == 0 || wsum <= 0) {
        out->min_jth = out->max_jth = out->weighted_jth = NAN;
        out->lower_gw = out->best_gw = out->upper_gw = NAN;
        out->lower_twh_yr = out->best_twh_yr = out->upper_twh_yr = NAN;
        return HJ_OK;
    }
    out->weighted_jth = wesum / wsum;
    /* J/TH x TH/s = W; / 1e9 = GW */
    out->lower_gw = out->min_jth * network_hashrate_ths * a->p[HJ_P_CBECI_PUE_LOWER].value / 1e9;
    out->best_gw = out->weighted_jth * network_hashrate_ths * a->p[HJ_P_CBECI_PUE_BEST].value / 1e9;
    out->upper_gw = out->max_jth * network_hashrate_ths * a->p[HJ_P_CBECI_PUE_UPPER].value / 1e9;
    /* GW x 365.25 x 24 h / 1000 = TWh per year */
    out->lower_twh_yr = out->lower_gw * 365.25 * 24.0 / 1000.0;
    out->best_twh_yr = out->best_gw * 365.25 * 24.0 / 1000.0;
    out->upper_twh_yr = out->upper_gw * 365.25 * 24.0 / 1000.0;
    return HJ_OK;
}

hj_status hj_fleet_attack_cost(const hj_asic *asics, size_t n, const hj_fleet_assumptions *a, const hj_fleet_market *m,
                               int as_of_year, int as_of_month, hj_attack_cost *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        if (age_months(&asics[i], as_of_year, as_of_month) < 0)
            continue;
        if (!out->asic || asics[i].efficiency_jth < out->asic->efficiency_jth)
            out->asic = &asics[i];
        if (!isnan(asics[i].price_usd) &&
            (!out->priced_asic || asics[i].efficiency_jth < out->priced_asic->efficiency_jth))
            out->priced_asic = &asics[i];
    }
    if (!out->asic)
        return hj_fail(err, HJ_ERR_INPUT, "no ASIC in the table was released by %04d-%02d", as_of_year, as_of_month);
    double share = a->p[HJ_P_ATTACK_SHARE_PCT].value / 100.0;
    double h_ths = hj_network_hashrate_hs(m->difficulty) / 1e12;
    out->share_pct = share * 100.0;
    out->hashrate_ehs = share * h_ths / 1e6;
    out->hashrate_to_outpace_ehs = h_ths * share / (1.0 - share) / 1e6;
    out->units = share * h_ths / out->asic->hashrate_ths;
    double pue = hj_fleet_pue_for(a, m, HJ_KIND_ASIC, out->asic->cooling);
    out->power_mw = out->units * out->asic->power_w * pue / 1e6;
    out->energy_usd_per_day = out->power_mw * 24.0 * m->electricity_usd_per_mwh;
    out->priced_units = out->priced_power_mw = out->priced_energy_usd_per_day = out->hardware_usd = NAN;
    if (out->priced_asic) {
        /* counted, powered and priced with the one ASIC that has a price */
        const hj_asic *p = out->priced_asic;
        out->priced_units = share * h_ths / p->hashrate_ths;
        out->priced_power_mw = out->priced_units * p->power_w * hj_fleet_pue_for(a, m, HJ_KIND_ASIC, p->cooling) / 1e6;
        out->priced_energy_usd_per_day = out->priced_power_mw * 24.0 * m->electricity_usd_per_mwh;
        out->hardware_usd = out->priced_units * p->price_usd;
    }
    return HJ_OK;
}
