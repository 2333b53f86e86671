/* `hashjoule fleet --months N`: the projection as a text table, a JSON
 * object, CSV rows (one per option and month) and the worked formulas. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fleet_cli.h"
#include "hashjoule/format.h"
#include "hashjoule/projection.h"

static json_t *jnn(double v) { return isnan(v) || isinf(v) ? json_null() : json_real(v); }

/* The projection's parameters, in the order they are printed. */
static const hj_fleet_param_id projection_params[] = {
    HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH,
    HJ_P_BTC_PRICE_GROWTH_PCT_PER_YEAR,
    HJ_P_UPTIME_PCT,
    HJ_P_DISCOUNT_RATE_PCT_PER_YEAR,
    HJ_P_COLOCATION_ESCALATOR_PCT_PER_YEAR,
    HJ_P_COLOCATION_TERM_YEARS,
    HJ_P_AI_MONTHS_TO_REVENUE,
    HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT,
    HJ_P_GPU_PRICE_DECLINE_PCT_PER_YEAR,
    HJ_P_GPU_CLOUD_OPEX_PCT,
    HJ_P_GPU_UTILISATION_PCT,
    HJ_P_AI_COLOCATION_OPEX_PCT,
    HJ_P_POOL_FEE_PCT,
    HJ_P_ELECTRICITY_USD_PER_MWH,
};
#define N_PROJECTION_PARAMS (sizeof projection_params / sizeof projection_params[0])

/* Options by NPV, best first; those without an NPV after, in report order. */
static const hj_projection *sort_p;
static int by_npv(const void *pa, const void *pb)
{
    const hj_projection_option *a = &sort_p->options[*(const size_t *)pa], *b = &sort_p->options[*(const size_t *)pb];
    bool ha = a->available && !isnan(a->npv_usd_per_mw), hb = b->available && !isnan(b->npv_usd_per_mw);
    if (ha != hb)
        return ha ? -1 : 1;
    if (ha && a->npv_usd_per_mw != b->npv_usd_per_mw)
        return a->npv_usd_per_mw > b->npv_usd_per_mw ? -1 : 1;
    return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

static size_t *order_by_npv(const hj_projection *p)
{
    size_t *idx = malloc((p->n_options ? p->n_options : 1) * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < p->n_options; i++)
        idx[i] = i;
    sort_p = p;
    qsort(idx, p->n_options, sizeof *idx, by_npv);
    return idx;
}

/* USD per MW in thousands, "-" when unknown. */
static const char *kusd(char *buf, size_t cap, double v)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0fk", v / 1000.0);
    return buf;
}

static double cumulative_at(const hj_projection_option *o, int month, int months)
{
    return o->available && month <= months ? o->monthly[month].cumulative_usd_per_mw : NAN;
}

/* The first mining option by NPV and the reference ASIC: the crossovers
 * printed in the text report. */
static void print_crossovers(FILE *out, const hj_fleet_report *r, const hj_projection *p, const size_t *idx)
{
    size_t picks[2] = {SIZE_MAX, SIZE_MAX};
    for (size_t k = 0; k < p->n_options; k++) {
        const hj_projection_option *o = &p->options[idx[k]];
        /* the best that runs at all: an idle miner's NPV is only its capex */
        if (o->mining && o->available && o->capex_known && picks[0] == SIZE_MAX &&
            hj_projection_revenue_usd_per_mw(o) > 0)
            picks[0] = idx[k];
        if (strcmp(o->name, r->reference->model) == 0 && o->available && o->capex_known)
            picks[1] = idx[k];
    }
    if (picks[1] == picks[0])
        picks[1] = SIZE_MAX;
    for (int w = 0; w < 2; w++) {
        if (picks[w] == SIZE_MAX)
            continue;
        fprintf(out, "\n  AI against %s (%s): the month from which AI's cumulative cash stays ahead\n",
                p->options[picks[w]].name, w == 0 ? "best mining NPV" : "reference ASIC");
        for (size_t c = 0; c < p->n_crossovers; c++) {
            const hj_projection_crossover *x = &p->crossovers[c];
            if (x->mining != picks[w])
                continue;
            char when[32];
            if (x->month < 0)
                snprintf(when, sizeof when, "not within %d month%s", p->months, p->months == 1 ? "" : "s");
            else
                snprintf(when, sizeof when, "month %d", x->month);
            fprintf(out, "    %-48.48s %s\n", p->options[x->ai].name, when);
        }
    }
}

void fleet_print_projection_text(FILE *out, const hj_fleet_report *r)
{
    const hj_projection *p = r->projection;
    const hj_fleet_assumptions *a = &r->assumptions;
    fprintf(out, "\nProjection over %d months, per MW of facility power (a month = 730 h; month 0 = capex)\n",
            p->months);
    for (size_t i = 0; i < N_PROJECTION_PARAMS; i++) {
        const hj_fleet_param *x = &a->p[projection_params[i]];
        fprintf(out, "  %-36s %-10.6g %s%s\n", hj_fleet_param_key(projection_params[i]), x->value,
                x->unverified ? "UNVERIFIED: " : "", x->source);
    }
    if (r->btc_price_path[0])
        fprintf(out, "  BTC price path: %s (linear between its months, held after the last)%s\n", r->btc_price_path,
                r->btc_price_path_has_fees ? "; fees per block from the path" : "");
    if (r->power_prices_path[0])
        fprintf(out, "  hourly power prices: %s (%zu hours, cycled); miners run only below their break-even\n",
                r->power_prices_path, r->n_power_prices);
    if (p->n_halving_months) {
        fprintf(out, "  halving in month");
        for (size_t i = 0; i < p->n_halving_months; i++)
            fprintf(out, "%s %d", i ? "," : "", p->halving_months[i]);
        fprintf(out, "\n");
    } else {
        fprintf(out, "  no halving within the horizon\n");
    }
    const hj_projection_market_month *last = &p->market[p->months];
    fprintf(out, "  month %d: hashprice %.2f USD/PH/day, difficulty %.4g T, BTC %.0f USD (month 0: %.2f, %.4g T)\n",
            p->months, last->hashprice_usd_per_ph_day, last->difficulty / 1e12, last->btc_price_usd,
            p->market[0].hashprice_usd_per_ph_day, p->market[0].difficulty / 1e12);

    size_t *idx = order_by_npv(p);
    if (!idx)
        return;
    /* cumulative cash at 12, 24 and 36 months where they fall before N, then at N */
    int cols[4], n_cols = 0;
    for (int c = 12; c <= 36; c += 12)
        if (c < p->months)
            cols[n_cols++] = c;
    cols[n_cols++] = p->months;
    fprintf(out, "\n  %-40s %-13s %9s %9s %8s %7s", "option (USD per MW)", "kind", "capex", "NPV", "IRR %/y",
            "payback");
    for (int c = 0; c < n_cols; c++) {
        char head[16];
        snprintf(head, sizeof head, "cum %d", cols[c]);
        fprintf(out, " %9s", head);
    }
    fprintf(out, "\n");
    for (size_t k = 0; k < p->n_options; k++) {
        const hj_projection_option *o = &p->options[idx[k]];
        if (!o->available)
            continue;
        char irr[24], pay[24], b[2][32];
        snprintf(irr, sizeof irr, isnan(o->irr_pct_per_year) ? "-" : "%.1f", o->irr_pct_per_year);
        snprintf(pay, sizeof pay, o->payback_month < 0 ? "-" : "%d", o->payback_month);
        /* as in the snapshot table: "gpu-mining" (the name says "modeled"); a
         * kind longer than its column ("operator-fleet") takes room from the name */
        const char *kind = o->kind == HJ_KIND_GPU_MINING_MODELED ? "gpu-mining" : hj_fleet_kind_name(o->kind);
        int kind_len = (int)strlen(kind), name_w = kind_len > 13 ? 53 - kind_len : 40;
        fprintf(out, "  %-*.*s %-13s %9s %9s %8s %7s", name_w, name_w, o->name, kind,
                kusd(b[0], 32, o->capex_usd_per_mw), kusd(b[1], 32, o->npv_usd_per_mw), irr, pay);
        for (int c = 0; c < n_cols; c++)
            fprintf(out, " %9s", kusd(b[1], 32, cumulative_at(o, cols[c], p->months)));
        fprintf(out, "\n");
    }
    fprintf(out,
            "  NPV at %.4g%%/year (monthly (1+R)^(1/12)-1), month 0 undiscounted; IRR per year; payback: the first "
            "month\n  with cumulative cash >= 0; cum M: cumulative cash at month M. \"-\": no capex known (no list "
            "price),\n  no sign change in the cash, or not within the horizon. Per option: --json projection.options\n",
            p->discount_rate_pct_per_year);
    print_crossovers(out, r, p, idx);
    free(idx);
}

void fleet_print_projection_csv(FILE *out, const hj_fleet_report *r)
{
    const hj_projection *p = r->projection;
    fprintf(out, "option,kind,month,revenue_usd_per_mw,electricity_usd_per_mw,other_cost_usd_per_mw,capex_usd_per_mw,"
                 "net_usd_per_mw,cumulative_usd_per_mw,hashprice_usd_per_ph_day,difficulty,uptime_pct,"
                 "mean_price_paid_usd_per_mwh,btc_price_usd,npv_usd_per_mw,irr_pct_per_year,payback_month\n");
    for (size_t i = 0; i < p->n_options; i++) {
        const hj_projection_option *o = &p->options[i];
        if (!o->available)
            continue;
        for (int m = 0; m <= p->months; m++) {
            const hj_projection_month *x = &o->monthly[m];
            hj_csv_write_field(out, o->name, true);
            fprintf(out, ",%s,%d", hj_fleet_kind_name(o->kind), m);
            double v[] = {
                x->revenue_usd_per_mw, x->electricity_usd_per_mw,      x->other_cost_usd_per_mw,    x->capex_usd_per_mw,
                x->net_usd_per_mw,     x->cumulative_usd_per_mw,       x->hashprice_usd_per_ph_day, x->difficulty,
                x->uptime_pct,         x->mean_price_paid_usd_per_mwh, p->market[m].btc_price_usd,  o->npv_usd_per_mw,
                o->irr_pct_per_year};
            for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
                fprintf(out, isnan(v[k]) ? "," : ",%.10g", v[k]);
            fprintf(out, o->payback_month < 0 ? ",\n" : ",%d\n", o->payback_month);
        }
    }
}

static json_t *option_json(const hj_projection_option *o, int months)
{
    json_t *j = json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "name", o->name, "kind",
                          hj_fleet_kind_name(o->kind), "available", o->available, "unavailable_reason",
                          o->available ? json_null() : json_string(o->reason), "capex_usd_per_mw",
                          jnn(o->capex_known ? o->capex_usd_per_mw : NAN), "npv_usd_per_mw", jnn(o->npv_usd_per_mw),
                          "irr_pct_per_year", jnn(o->irr_pct_per_year), "payback_month",
                          o->payback_month < 0 ? json_null() : json_integer(o->payback_month), "capex_known",
                          json_boolean(o->capex_known), "note", o->note);
    json_t *monthly = json_array();
    for (int m = 0; o->available && m <= months; m++) {
        const hj_projection_month *x = &o->monthly[m];
        json_t *row = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "month", m, "revenue_usd_per_mw",
                                jnn(x->revenue_usd_per_mw), "electricity_usd_per_mw", jnn(x->electricity_usd_per_mw),
                                "other_cost_usd_per_mw", jnn(x->other_cost_usd_per_mw), "capex_usd_per_mw",
                                jnn(x->capex_usd_per_mw), "net_usd_per_mw", jnn(x->net_usd_per_mw),
                                "cumulative_usd_per_mw", jnn(x->cumulative_usd_per_mw));
        if (o->mining)
            json_object_update_new(row, json_pack("{s:o, s:o, s:o, s:o}", "hashprice_usd_per_ph_day",
                                                  jnn(x->hashprice_usd_per_ph_day), "difficulty", jnn(x->difficulty),
                                                  "uptime_pct", jnn(x->uptime_pct), "mean_price_paid_usd_per_mwh",
                                                  jnn(x->mean_price_paid_usd_per_mwh)));
        json_array_append_new(monthly, row);
    }
    json_object_set_new(j, "monthly", monthly);
    return j;
}

json_t *fleet_projection_json(const hj_fleet_report *r)
{
    const hj_projection *p = r->projection;
    const hj_fleet_assumptions *a = &r->assumptions;
    json_t *j = json_object();
    json_object_set_new(j, "months", json_integer(p->months));
    json_object_set_new(j, "conventions",
                        json_string("per MW of facility power; a month is 730 h (8,760 / 12); month 0 holds the "
                                    "capex, months 1..N the operating cash; net = revenue - electricity - other "
                                    "cost - capex"));
    json_t *as = json_object();
    for (size_t i = 0; i < N_PROJECTION_PARAMS; i++) {
        const hj_fleet_param *x = &a->p[projection_params[i]];
        json_object_set_new(
            as, hj_fleet_param_key(projection_params[i]),
            json_pack("{s:o, s:s, s:b}", "value", jnn(x->value), "source", x->source, "unverified", x->unverified));
    }
    /* the files, in the same {value, source} shape */
    json_object_set_new(
        as, "btc_price_path",
        json_pack("{s:o, s:s}", "value", r->btc_price_path[0] ? json_string(r->btc_price_path) : json_null(), "source",
                  r->btc_price_path[0] ? "flag --btc-price-path" : "none: btc_price_growth_pct_per_year"));
    json_object_set_new(
        as, "power_prices",
        json_pack("{s:o, s:o, s:s}", "value", r->power_prices_path[0] ? json_string(r->power_prices_path) : json_null(),
                  "hours", r->power_prices_path[0] ? json_integer((json_int_t)r->n_power_prices) : json_null(),
                  "source", r->power_prices_path[0] ? "flag --power-prices" : "none: each option's flat price"));
    json_object_set_new(j, "assumptions", as);
    json_t *hm = json_array();
    for (size_t i = 0; i < p->n_halving_months; i++)
        json_array_append_new(hm, json_integer(p->halving_months[i]));
    json_object_set_new(j, "halving_months", hm);
    json_t *market = json_array();
    for (int m = 0; m <= p->months; m++) {
        const hj_projection_market_month *x = &p->market[m];
        json_array_append_new(
            market, json_pack("{s:i, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:b}", "month", m, "btc_price_usd",
                              jnn(x->btc_price_usd), "fees_btc_per_block", jnn(x->fees_btc_per_block), "difficulty",
                              jnn(x->difficulty), "difficulty_at_end", jnn(x->difficulty_at_end), "height_at_end",
                              (json_int_t)x->height_at_end, "subsidy_btc_at_end", jnn(x->subsidy_btc_at_end),
                              "network_hashrate_ehs_at_end", jnn(x->network_hashrate_ehs), "hashprice_usd_per_ph_day",
                              jnn(x->hashprice_usd_per_ph_day), "power_price_mean_usd_per_mwh",
                              jnn(x->power_price_mean_usd_per_mwh), "halving", x->halving));
    }
    json_object_set_new(j, "market", market);
    json_t *opts = json_array();
    for (size_t i = 0; i < p->n_options; i++)
        json_array_append_new(opts, option_json(&p->options[i], p->months));
    json_object_set_new(j, "options", opts);
    json_t *cross = json_array();
    for (size_t i = 0; i < p->n_crossovers; i++) {
        const hj_projection_crossover *x = &p->crossovers[i];
        json_array_append_new(cross, json_pack("{s:s, s:s, s:o}", "mining", p->options[x->mining].name, "ai",
                                               p->options[x->ai].name, "month",
                                               x->month < 0 ? json_null() : json_integer(x->month)));
    }
    json_object_set_new(j, "crossovers", cross);
    return j;
}
