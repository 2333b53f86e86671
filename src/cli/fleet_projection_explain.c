/* `fleet --months N --explain`: the projection's formulas with the numbers
 * of the reference ASIC, the best colocation deal and the best GPU cloud
 * substituted, month by month where it matters. */
#include <math.h>
#include <string.h>

#include "fleet_cli.h"
#include "hashjoule/projection.h"

static const hj_projection_option *find(const hj_projection *p, const char *name)
{
    for (size_t i = 0; i < p->n_options; i++)
        if (strcmp(p->options[i].name, name) == 0 && p->options[i].available)
            return &p->options[i];
    return NULL;
}

static const hj_projection_option *best_of(const hj_projection *p, hj_fleet_kind kind)
{
    const hj_projection_option *b = NULL;
    for (size_t i = 0; i < p->n_options; i++) {
        const hj_projection_option *o = &p->options[i];
        if (o->kind == kind && o->available && !isnan(o->npv_usd_per_mw) &&
            (!b || o->npv_usd_per_mw > b->npv_usd_per_mw))
            b = o;
    }
    return b;
}

static const hj_fleet_option *today(const hj_fleet_report *r, const hj_projection_option *po)
{
    for (size_t i = 0; i < r->n_options; i++)
        if (strcmp(r->options[i].name, po->name) == 0)
            return &r->options[i];
    if (r->have_fleet && strcmp(r->fleet_option.name, po->name) == 0)
        return &r->fleet_option;
    return NULL;
}

static void explain_month(FILE *out, const hj_projection_month *x)
{
    fprintf(out, "    net %d = revenue %.6g - electricity %.6g - other %.6g - capex %.6g = %.6g; cumulative %.6g\n",
            x->month, x->revenue_usd_per_mw, x->electricity_usd_per_mw, x->other_cost_usd_per_mw, x->capex_usd_per_mw,
            x->net_usd_per_mw, x->cumulative_usd_per_mw);
    if (!isnan(x->uptime_pct) && x->month > 0)
        fprintf(out, "      (hashprice %.6g, ran %.4g%% of the month's hours)\n", x->hashprice_usd_per_ph_day,
                x->uptime_pct);
}

static void explain_returns(FILE *out, const hj_projection *p, const hj_projection_option *o)
{
    /* month 0, the first month with revenue, the last month */
    int first = 1;
    while (first < p->months && o->monthly[first].revenue_usd_per_mw == 0)
        first++;
    explain_month(out, &o->monthly[0]);
    explain_month(out, &o->monthly[first]);
    if (p->months > first)
        explain_month(out, &o->monthly[p->months]);
    if (!o->capex_known) {
        fprintf(out, "    no capex known: no NPV, IRR or payback (%s)\n", o->note);
        return;
    }
    fprintf(out, "    NPV     = sum of net m / (1 + %.6g)^m, m = 0..%d = %.6g USD per MW\n", p->monthly_discount_rate,
            p->months, o->npv_usd_per_mw);
    if (isnan(o->irr_pct_per_year))
        fprintf(out,
                "    IRR     = none: the cash does not change sign (never positive, or without a cost to earn back)\n");
    else
        fprintf(out, "    IRR     = (1 + r)^12 - 1 where the NPV at monthly r is 0 = %.4g%% a year\n",
                o->irr_pct_per_year);
    if (o->payback_month < 0)
        fprintf(out, "    payback = not within %d month%s\n", p->months, p->months == 1 ? "" : "s");
    else
        fprintf(out, "    payback = month %d, the first with cumulative cash >= 0\n", o->payback_month);
}

void fleet_print_projection_explain(FILE *out, const hj_fleet_report *r)
{
    const hj_projection *p = r->projection;
    const hj_fleet_assumptions *a = &r->assumptions;
    const hj_projection_market_month *m0 = &p->market[0], *m1 = &p->market[1];
    double g = a->p[HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH].value;
    fprintf(out, "\nProjection over %d months (per MW of facility power; a month = 730 h)\n", p->months);
    fprintf(out, "  network hashrate H(t) = H0 x (1 + %.4g%%)^(t / 730 h), H0 = D0 x 2^32 / 600 = %.6g EH/s\n", g,
            m0->network_hashrate_ehs);
    fprintf(out,
            "  each block arrives after D x 2^32 / H s, H at its start; every 2016th block retargets by Core's rule\n"
            "  (D x 1,209,600 / timespan, the timespan over 2015 intervals, clamped to 1/4..4x); the subsidy\n"
            "  halves at heights that are multiples of 210,000, as the blocks arrive\n");
    fprintf(out,
            "  hashprice of a month = 1e15 x 86400 x P x (integral of (S + F) / (D x 2^32) dt) / 2,628,000 s\n"
            "    month 1: P %.6g, F %.6g, effective D %.6g -> %.6g USD/PH/day (month 0: %.6g)\n",
            m1->btc_price_usd, m1->fees_btc_per_block, m1->difficulty, m1->hashprice_usd_per_ph_day,
            m0->hashprice_usd_per_ph_day);
    fprintf(out, "  month %d: effective D %.6g, height %llu at its end, hashprice %.6g\n", p->months,
            p->market[p->months].difficulty, (unsigned long long)p->market[p->months].height_at_end,
            p->market[p->months].hashprice_usd_per_ph_day);

    const hj_projection_option *ref = find(p, r->reference->model);
    const hj_fleet_option *o;
    if (ref && (o = today(r, ref)) != NULL) {
        const hj_projection_month *x = &ref->monthly[1];
        fprintf(out, "\n  %s (reference ASIC)\n", ref->name);
        fprintf(out,
                "    revenue m = hashprice m x PH/s per MW / 24 x hours run x availability\n"
                "    month 1: %.6g x %.6g / 24 x %.4g h x %.4g = %.6g\n",
                x->hashprice_usd_per_ph_day, o->hashrate_ph_per_mw,
                a->p[HJ_P_UPTIME_PCT].value > 0 ? x->uptime_pct / a->p[HJ_P_UPTIME_PCT].value * HJ_HOURS_PER_MONTH
                                                : 0.0,
                a->p[HJ_P_UPTIME_PCT].value / 100.0, x->revenue_usd_per_mw);
        fprintf(out,
                "    it runs in an hour when the hour's price < break-even = hashprice x PH/s per MW / 24 x (1 - pool "
                "fee)\n    pool fee (other) = %.4g%% of revenue; electricity = price paid x hours run x availability\n",
                r->market.pool_fee_pct);
        for (size_t i = 0; i < p->n_halving_months; i++) {
            int hm = p->halving_months[i];
            if (hm < 2 || hm >= p->months)
                continue;
            const hj_projection_market_month *b = &p->market[hm - 1], *c = &p->market[hm + 1];
            fprintf(out,
                    "    halving in month %d: hashprice x D, month %d -> %d: %.6g -> %.6g (x %.6g; (S/2 + F) / (S + F) "
                    "at equal P = %.6g)\n",
                    hm, hm - 1, hm + 1, b->hashprice_usd_per_ph_day * b->difficulty / b->btc_price_usd,
                    c->hashprice_usd_per_ph_day * c->difficulty / c->btc_price_usd,
                    (c->hashprice_usd_per_ph_day * c->difficulty / c->btc_price_usd) /
                        (b->hashprice_usd_per_ph_day * b->difficulty / b->btc_price_usd),
                    (b->subsidy_btc_at_end / 2 + c->fees_btc_per_block) /
                        (b->subsidy_btc_at_end + b->fees_btc_per_block));
        }
        explain_returns(out, p, ref);
    }
    const hj_projection_option *own = r->have_fleet ? find(p, r->fleet_option.name) : NULL;
    if (own && (o = today(r, own)) != NULL) {
        const hj_projection_month *x = &own->monthly[1];
        fprintf(out, "\n  %s (your fleet, as one option per MW)\n", own->name);
        fprintf(out,
                "    revenue m = hashprice m x PH/s per MW / 24 x hours run x availability\n"
                "    month 1: %.6g x %.6g / 24 x %.4g h x %.4g = %.6g\n"
                "    it runs, or stops, as one: at its facility-MWh-weighted power price %.6g (or the hour's price\n"
                "    with --power-prices) against its break-even; capex 0 (owned)\n",
                x->hashprice_usd_per_ph_day, o->hashrate_ph_per_mw,
                x->uptime_pct / a->p[HJ_P_UPTIME_PCT].value * HJ_HOURS_PER_MONTH, a->p[HJ_P_UPTIME_PCT].value / 100.0,
                x->revenue_usd_per_mw, o->electricity_usd_per_mwh);
        explain_returns(out, p, own);
    }
    const hj_projection_option *colo = best_of(p, HJ_KIND_AI_COLOCATION);
    if (colo && (o = today(r, colo)) != NULL) {
        int start = (int)lround(a->p[HJ_P_AI_MONTHS_TO_REVENUE].value);
        fprintf(out, "\n  %s (best colocation NPV)\n", colo->name);
        fprintf(out,
                "    capex (month 0) = AI site conversion %.6g per MW of IT / PUE %.3g = %.6g\n"
                "    rent from month %d: %.6g USD per facility MWh x 730 h x (1 + %.4g%%)^(lease year - 1); "
                "other = %.4g%% of rent\n    %s\n",
                a->p[HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT].value, o->pue, colo->capex_usd_per_mw, start + 1,
                o->revenue_usd_per_mwh, a->p[HJ_P_COLOCATION_ESCALATOR_PCT_PER_YEAR].value,
                a->p[HJ_P_AI_COLOCATION_OPEX_PCT].value, colo->note);
        explain_returns(out, p, colo);
    }
    const hj_projection_option *gpu = best_of(p, HJ_KIND_AI_GPU_CLOUD);
    if (gpu && (o = today(r, gpu)) != NULL) {
        fprintf(out, "\n  %s (best GPU cloud NPV)\n", gpu->name);
        fprintf(out,
                "    capex (month 0) = GPUs %.6g + site %.6g = %.6g\n"
                "    revenue m = %.6g USD per facility MWh x 730 h x (1 - %.4g%%)^((m - 1) / 12); other = %.4g%% of "
                "revenue\n",
                o->capex_hardware_usd_per_mw, o->capex_site_usd_per_mw, gpu->capex_usd_per_mw, o->revenue_usd_per_mwh,
                a->p[HJ_P_GPU_PRICE_DECLINE_PCT_PER_YEAR].value, a->p[HJ_P_GPU_CLOUD_OPEX_PCT].value);
        explain_returns(out, p, gpu);
    }
}
