/* `hashjoule fleet --explain`: every figure from its formula, with the
 * report's numbers substituted. */
#include <math.h>
#include <string.h>

#include "fleet_cli.h"
#include "hashjoule/format.h"

static void explain_option(FILE *out, const hj_fleet_report *r, const hj_fleet_option *o)
{
    const hj_fleet_market *m = &r->market;
    fprintf(out, "\n%s  (%s)\n", o->name, hj_fleet_kind_name(o->kind));
    if (o->energy_unmeasured) {
        char rate[32];
        hj_format_rate(o->hashes_per_second, HJ_RATE_SHORT, rate, sizeof rate);
        fprintf(out, "  %s measured; no energy measurement, so no J/TH and no $/MWh%s%s\n", rate,
                r->local_energy.unmeasured_reasons_differ ? ": " : " (why: below)",
                r->local_energy.unmeasured_reasons_differ ? o->reason : "");
        return;
    }
    if (!o->available) {
        fprintf(out, "  unavailable: %s\n", o->reason);
        return;
    }
    fprintf(out, "  %s\n", o->detail);
    if (hj_fleet_kind_is_mining(o->kind)) {
        double e = o->efficiency_jth, fee = m->pool_fee_pct / 100.0;
        if (o->kind == HJ_KIND_GPU_MINING_MODELED)
            fprintf(out, "  J/TH (model)        = W / (TH/s) = %.6g / %.6g = %.6g (a modeled bound, not measured)\n",
                    o->unit_power_w, o->hashes_per_second / 1e12, e);
        else if ((o->kind == HJ_KIND_LOCAL_CPU || o->kind == HJ_KIND_LOCAL_GPU) && o->unverified)
            fprintf(out, "  J/TH (estimate)     = W / (TH/s) = %.6g / %.6g = %.6g (a stated wattage, not measured)\n",
                    o->unit_power_w, o->hashes_per_second / 1e12, e);
        fprintf(out, "  units per MW        = 1e6 / (PUE x W) = 1e6 / (%.6g x %.6g) = %.6g\n", o->pue, o->unit_power_w,
                o->units_per_mw);
        fprintf(out, "  PH/s per MW         = 1000 / (J/TH x PUE) = 1000 / (%.6g x %.6g) = %.6g\n", e, o->pue,
                o->hashrate_ph_per_mw);
        fprintf(out,
                "  revenue per IT MWh  = hashprice x (1000 / J/TH) / 24 = %.4f x (1000 / %.6g) / 24 = %.6g $/MWh\n",
                m->hashprice_usd_per_ph_day, e, o->revenue_usd_per_it_mwh);
        fprintf(out, "  revenue             = %.6g / PUE %.6g = %.6g $/MWh (facility)\n", o->revenue_usd_per_it_mwh,
                o->pue, o->revenue_usd_per_mwh);
        fprintf(out, "  pool fee            = %.6g x %.4g = %.6g $/MWh\n", o->revenue_usd_per_mwh, fee,
                o->pool_fee_usd_per_mwh);
        fprintf(out, "  cost                = electricity %.4g + pool fee %.6g = %.6g $/MWh\n",
                o->electricity_usd_per_mwh, o->pool_fee_usd_per_mwh, o->cost_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - %.6g = %.6g $/MWh = %.6g $/MW-year (x 8760 h)\n",
                o->revenue_usd_per_mwh, o->cost_usd_per_mwh, o->net_usd_per_mwh, o->net_usd_per_mw_year);
        fprintf(out,
                "  b/e electricity     = revenue x (1 - fee) = %.6g x %.4g = %.6g $/MWh\n"
                "                      (= hashprice/1000 / (24 x J/TH/1000 x PUE) $/kWh x 1000)\n",
                o->revenue_usd_per_mwh, 1 - fee, o->breakeven_electricity_usd_per_mwh);
        fprintf(out,
                "  b/e hashprice       = hashprice x electricity / (revenue x (1 - fee)) = %.4f x %.4g / %.6g = %.6g "
                "$/PH/day\n",
                m->hashprice_usd_per_ph_day, o->electricity_usd_per_mwh, o->breakeven_electricity_usd_per_mwh,
                o->breakeven_hashprice_usd_per_ph_day);
        fprintf(
            out,
            "  b/e BTC price       = b/e hashprice / (1e15 x 86400 x (S + F) / (D x 2^32)) = %.6g / %.6g = %.6g $\n",
            o->breakeven_hashprice_usd_per_ph_day, r->hashprice_per_usd_of_btc, o->breakeven_btc_price_usd);
    } else if (o->kind == HJ_KIND_AI_COLOCATION) {
        const hj_colocation_deal *d = &r->assumptions.colo[o->source_index];
        fprintf(out, "  revenue per IT MWh  = $/kW-month x 1000 / 730 h = %.6g x 1000 / 730 = %.6g $/MWh\n",
                d->usd_per_kw_month, o->revenue_usd_per_it_mwh);
        fprintf(out, "  revenue             = %.6g / PUE %.3g = %.6g $/MWh (facility)\n", o->revenue_usd_per_it_mwh,
                o->pue, o->revenue_usd_per_mwh);
        fprintf(out, "  cost                = electricity %.4g + opex %.6g (%.3g%% of rent) = %.6g $/MWh\n",
                o->electricity_usd_per_mwh, o->other_opex_usd_per_mwh,
                r->assumptions.p[HJ_P_AI_COLOCATION_OPEX_PCT].value, o->cost_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - %.6g = %.6g $/MWh = %.6g $/MW-year\n", o->revenue_usd_per_mwh,
                o->cost_usd_per_mwh, o->net_usd_per_mwh, o->net_usd_per_mw_year);
    } else if (o->kind == HJ_KIND_AI_GPU_CLOUD) {
        double util = r->assumptions.p[HJ_P_GPU_UTILISATION_PCT].value / 100.0;
        fprintf(out, "  GPUs per MW         = 1e6 / (PUE x W per GPU in its server) = 1e6 / (%.3g x %.6g) = %.6g\n",
                o->pue, o->unit_power_w, o->units_per_mw);
        fprintf(out,
                "  revenue             = GPUs x $/GPU-h x utilisation = %.6g x %.4g x %.3g = %.6g $/MWh (facility)\n",
                o->units_per_mw, o->revenue_usd_per_mwh / (o->units_per_mw * util), util, o->revenue_usd_per_mwh);
        fprintf(out, "  other opex          = revenue x %.3g%% = %.6g $/MWh (staff, network, maintenance, sales)\n",
                r->assumptions.p[HJ_P_GPU_CLOUD_OPEX_PCT].value, o->other_opex_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - electricity %.4g - other opex %.6g = %.6g $/MWh (before capex)\n",
                o->revenue_usd_per_mwh, o->electricity_usd_per_mwh, o->other_opex_usd_per_mwh, o->net_usd_per_mwh);
        fprintf(out, "  depreciation        = hardware capex / (life x 8760) = %.6g / (%g x 8760) = %.6g $/MWh\n",
                o->capex_hardware_usd_per_mw, r->assumptions.p[HJ_P_GPU_LIFE_YEARS].value, o->depreciation_usd_per_mwh);
        fprintf(out, "  net after depr.     = %.6g $/MWh\n", o->net_after_depreciation_usd_per_mwh);
    }
    if (o->kind == HJ_KIND_OPERATOR_FLEET) {
        fprintf(out, "  capex per MW        = 0 $ (owned: hardware sunk, sites built); no depreciation, no payback\n");
        return;
    }
    if (isnan(o->capex_usd_per_mw))
        fprintf(out, "  capex per MW        = unknown (the hardware's price is not in the data)\n");
    else
        fprintf(out, "  capex per MW        = hardware %.6g + site %.6g = %.6g $\n", o->capex_hardware_usd_per_mw,
                o->capex_site_usd_per_mw, o->capex_usd_per_mw);
    if (isnan(o->payback_months))
        fprintf(out, "  payback             = none: no capex known, or net <= 0\n");
    else
        fprintf(out,
                "  payback             = capex / (net x 730 h) = %.6g months (at today's net, ignoring the halving)\n",
                o->payback_months);
}

static const char *site_label(const hj_operator_fleet_site *s) { return s->name[0] ? s->name : "(no site)"; }

/* The sums explain_operator_fleet writes out term by term. */
enum fleet_sum { SUM_THS, SUM_IT_MW, SUM_FACILITY_MW, SUM_ELECTRICITY };

static double sum_term(const hj_operator_fleet_totals *t, enum fleet_sum which)
{
    switch (which) {
    case SUM_THS: return t->hashrate_ths;
    case SUM_IT_MW: return t->it_mw;
    case SUM_FACILITY_MW: return t->facility_mw;
    case SUM_ELECTRICITY: return t->electricity_usd_per_year;
    }
    return NAN;
}

/* One sum over the sites, its terms written out: "a + b = c". */
static void explain_site_sum(FILE *out, const hj_operator_fleet *f, enum fleet_sum which)
{
    for (size_t i = 0; i < f->n_sites; i++)
        fprintf(out, "%s%.6g", i ? " + " : "", sum_term(&f->sites[i].totals, which));
    fprintf(out, " = %.6g", sum_term(&f->total, which));
}

/* --fleet FILE: each row, each site and the total, from the file's numbers. */
static void explain_operator_fleet(FILE *out, const hj_fleet_report *r)
{
    const hj_operator_fleet *f = &r->fleet;
    const hj_operator_fleet_totals *t = &f->total;
    const hj_fleet_market *m = &r->market;
    double fee = m->pool_fee_pct / 100.0;
    fprintf(out, "\nYour fleet: %s\n", f->path);
    for (size_t i = 0; i < f->n_rows; i++) {
        const hj_operator_fleet_row *w = &f->rows[i];
        const hj_operator_fleet_site *s = &f->sites[w->site];
        fprintf(out,
                "  row %zu, %s x %llu at %s:\n"
                "    TH/s = %llu x %.6g = %.6g; IT W = %llu x %.6g = %.6g; facility W = IT W x PUE %.4g (%s) = %.6g;\n"
                "    power $%.4g/MWh (%s)\n",
                w->row, w->name, (unsigned long long)w->units, site_label(s), (unsigned long long)w->units,
                w->hashrate_ths, w->hashrate_ths_total, (unsigned long long)w->units, w->power_w, w->it_w, w->pue,
                isnan(s->pue) ? "its cooling's" : "the site's", w->facility_w, w->electricity_usd_per_mwh,
                isnan(s->electricity_usd_per_mwh) ? "the run's" : "the site's");
    }
    for (size_t i = 0; i < f->n_sites; i++) {
        const hj_operator_fleet_site *s = &f->sites[i];
        const hj_operator_fleet_totals *u = &s->totals;
        fprintf(out, "  site %s: %.6g TH/s, IT %.6g MW, facility %.6g MW (PUE %.6g)", site_label(s), u->hashrate_ths,
                u->it_mw, u->facility_mw, u->pue);
        if (!isnan(s->capacity_mw))
            fprintf(out, ", within its capacity of %.6g MW", s->capacity_mw);
        fprintf(out, "; net $%.0f per year, $%.6g per MWh\n", u->net_usd_per_year, u->net_usd_per_mwh);
    }
    fprintf(out, "  TH/s                 = ");
    explain_site_sum(out, f, SUM_THS);
    fprintf(out, " TH/s = %.6g EH/s\n  IT MW                = ", t->hashrate_ehs);
    explain_site_sum(out, f, SUM_IT_MW);
    fprintf(out, "\n  facility MW          = ");
    explain_site_sum(out, f, SUM_FACILITY_MW);
    fprintf(out,
            "\n  blended J/TH         = IT W / TH/s = %.0f / %.6g = %.6g\n"
            "  PUE                  = facility MW / IT MW = %.6g / %.6g = %.6g\n",
            t->it_mw * 1e6, t->hashrate_ths, t->efficiency_jth, t->facility_mw, t->it_mw, t->pue);
    fprintf(out, "  electricity per year = sum of facility MW x $/MWh x 8760 h = ");
    explain_site_sum(out, f, SUM_ELECTRICITY);
    fprintf(out,
            " $\n"
            "  power price          = electricity / (facility MW x 8760 h) = %.0f / (%.6g x 8760) = %.6g $/MWh\n",
            t->electricity_usd_per_year, t->facility_mw, t->electricity_usd_per_mwh);
    fprintf(out,
            "  revenue per year     = hashprice x PH/s / 24 x 8760 h = %.4f x %.6g / 24 x 8760 = %.0f $\n"
            "  pool fee per year    = revenue x fee = %.0f x %.4g = %.0f $\n"
            "  net per year         = %.0f - %.0f - %.0f = %.0f $\n",
            m->hashprice_usd_per_ph_day, t->hashrate_ths / 1000.0, t->revenue_usd_per_year, t->revenue_usd_per_year,
            fee, t->pool_fee_usd_per_year, t->revenue_usd_per_year, t->electricity_usd_per_year,
            t->pool_fee_usd_per_year, t->net_usd_per_year);
    fprintf(out,
            "  per facility MWh     = per year / (%.6g MW x 8760 h): revenue %.6g, cost %.6g, net %.6g $/MWh\n"
            "  b/e power            = revenue per MWh x (1 - fee) = %.6g x %.4g = %.6g $/MWh\n"
            "  b/e BTC price        = hashprice x power price / b/e power / (hashprice per USD of BTC)\n"
            "                       = %.4f x %.6g / %.6g / %.6g = %.6g $\n",
            t->facility_mw, t->revenue_usd_per_mwh, t->cost_usd_per_mwh, t->net_usd_per_mwh, t->revenue_usd_per_mwh,
            1 - fee, t->breakeven_electricity_usd_per_mwh, m->hashprice_usd_per_ph_day, t->electricity_usd_per_mwh,
            t->breakeven_electricity_usd_per_mwh, r->hashprice_per_usd_of_btc, t->breakeven_btc_price_usd);
    fprintf(out, "  as one option per MW of facility power: the ASIC formulas at the blended J/TH, PUE and power "
                 "price; capex 0 (owned)\n");
    explain_option(out, r, &r->fleet_option);
}

void fleet_print_explain(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_market *m = &r->market;
    double h = r->network_hashrate_hs;
    fprintf(out, "hashjoule fleet --explain: every figure from its formula\n\n");
    fprintf(out, "network hashrate  H = D x 2^32 / 600 = %.6g x 4294967296 / 600 = %.6g H/s = %.6g EH/s\n",
            m->difficulty, h, h / 1e18);
    fprintf(out, "subsidy           S = 50 BTC >> floor(%llu / 210000) = 50 >> %llu = %.8g BTC\n",
            (unsigned long long)m->height, (unsigned long long)(m->height / HJ_HALVING_INTERVAL), m->subsidy_btc);
    fprintf(out,
            "BTC per TH/s/day    = 1e12 x 86400 x (S + F) / (D x 2^32) = 1e12 x 86400 x (%.8g + %.6g) / (%.6g x 2^32) "
            "= %.6g\n",
            m->subsidy_btc, m->fees_btc_per_block, m->difficulty, r->btc_per_th_day);
    if (m->hashprice_overridden)
        fprintf(out, "hashprice           = %.6g $/PH/day, given with --hashprice-usd-per-ph-day (not computed)\n",
                m->hashprice_usd_per_ph_day);
    else
        fprintf(out,
                "hashprice           = 1e15 x 86400 x (S + F) x P / (D x 2^32) = 1e15 x 86400 x %.8g x %.6g / (%.6g x "
                "2^32) = %.6g $/PH/day\n",
                m->subsidy_btc + m->fees_btc_per_block, m->btc_price_usd, m->difficulty, m->hashprice_usd_per_ph_day);
    /* one option of each kind: the reference ASIC, the first of the others */
    const hj_fleet_option *shown[HJ_FLEET_KIND_COUNT] = {0};
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind == HJ_KIND_ASIC && strcmp(o->name, r->reference->model) != 0)
            continue;
        if (!shown[o->kind] || (!shown[o->kind]->available && o->available))
            shown[o->kind] = o;
    }
    for (int k = 0; k < HJ_FLEET_KIND_COUNT; k++)
        if (shown[k])
            explain_option(out, r, shown[k]);
    if (r->have_fleet)
        explain_operator_fleet(out, r);
    fleet_print_unmeasured_note(out, r);
    if (!r->have_bench)
        fprintf(out, "\nthis machine: no --bench FILE, so no local rows (run `hashjoule bench`, then --bench FILE)\n");
    const hj_cbeci *k = &r->cbeci;
    fprintf(out,
            "\nCBECI threshold     PT = (hashprice/1000 / 86400) / (price per kWh / 3.6e6) = (%.6g / 86400) / (%.4g / "
            "3.6e6) = %.6g J/TH\n",
            m->hashprice_usd_per_ph_day / 1000.0, k->electricity_usd_per_kwh, k->threshold_j_per_th);
    if (k->n_profitable)
        fprintf(out,
                "network power       lower = %.4g J/TH x %.6g TH/s x %.3g = %.4g GW; best = %.4g x H x %.3g = %.4g GW; "
                "upper = %.4g x H x %.3g = %.4g GW\n",
                k->min_jth, h / 1e12, r->assumptions.p[HJ_P_CBECI_PUE_LOWER].value, k->lower_gw, k->weighted_jth,
                r->assumptions.p[HJ_P_CBECI_PUE_BEST].value, k->best_gw, k->max_jth,
                r->assumptions.p[HJ_P_CBECI_PUE_UPPER].value, k->upper_gw);
    const hj_attack_cost *a = &r->attack;
    fprintf(
        out,
        "51%% attack          units = %.3g x %.6g TH/s / %.6g TH/s = %.6g %s; power = units x %.6g W x PUE = %.6g MW;\n"
        "                    energy = %.6g MW x 24 h x $%.4g = $%.6g per day\n",
        a->share_pct / 100.0, h / 1e12, a->asic->hashrate_ths, a->units, a->asic->model, a->asic->power_w, a->power_mw,
        a->power_mw, m->electricity_usd_per_mwh, a->energy_usd_per_day);
}
