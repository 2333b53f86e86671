/* `hashjoule fleet --csv`: one row per option, the inputs repeated on
 * every row so each row stands alone in a spreadsheet. */
#include <math.h>

#include "fleet_cli.h"
#include "hashjoule/format.h"

static void csv_num(FILE *out, double v)
{
    if (!isnan(v) && !isinf(v))
        fprintf(out, "%.10g", v);
}

/* One option's row; rank 0 leaves the rank empty (an option outside the ranking). */
static void print_row(FILE *out, const hj_fleet_report *r, size_t rank, const hj_fleet_option *o)
{
    const hj_fleet_market *m = &r->market;
    if (rank)
        fprintf(out, "%zu", rank);
    fputc(',', out);
    hj_csv_write_field(out, o->name, true);
    fprintf(out, ",%s,%s,", hj_fleet_kind_name(o->kind), o->available ? "true" : "false");
    hj_csv_write_field(out, o->available ? "" : o->reason, true);
    fprintf(out, ",%s", o->unverified ? "true" : "false");
    double v[] = {o->revenue_usd_per_mwh,
                  o->cost_usd_per_mwh,
                  o->net_usd_per_mwh,
                  o->breakeven_electricity_usd_per_mwh,
                  o->revenue_usd_per_it_mwh,
                  o->electricity_usd_per_mwh,
                  o->pool_fee_usd_per_mwh,
                  o->other_opex_usd_per_mwh,
                  o->net_usd_per_mw_year,
                  o->breakeven_btc_price_usd,
                  o->breakeven_hashprice_usd_per_ph_day,
                  o->pue,
                  o->units_per_mw,
                  o->efficiency_jth,
                  o->hashrate_ph_per_mw,
                  o->capex_hardware_usd_per_mw,
                  o->capex_site_usd_per_mw,
                  o->capex_usd_per_mw,
                  o->depreciation_usd_per_mwh,
                  o->net_after_depreciation_usd_per_mwh,
                  o->payback_months};
    for (size_t j = 0; j < sizeof v / sizeof v[0]; j++) {
        fputc(',', out);
        if (o->available || j == 11)
            csv_num(out, v[j]);
    }
    double in[] = {m->btc_price_usd,  m->difficulty,  m->fees_btc_per_block,
                   (double)m->height, m->subsidy_btc, m->hashprice_usd_per_ph_day};
    for (size_t j = 0; j < sizeof in / sizeof in[0]; j++) {
        fputc(',', out);
        csv_num(out, in[j]);
    }
    fprintf(out, ",%s,", m->hashprice_overridden ? "true" : "false");
    csv_num(out, m->electricity_usd_per_mwh);
    fputc(',', out);
    csv_num(out, m->pool_fee_pct);
    fputc(',', out);
    csv_num(out, m->pue_override);
    fputc(',', out);
    csv_num(out, r->assumptions.p[HJ_P_GPU_UTILISATION_PCT].value);
    fprintf(out, ",%s,%s,", r->assumptions.p[HJ_P_GPU_RATE_ONE_YEAR].value >= 0.5 ? "true" : "false", r->as_of);
    csv_num(out, o->hashes_per_second);
    fputc('\n', out);
}

void fleet_print_csv(FILE *out, const hj_fleet_report *r)
{
    fprintf(out, "rank,name,kind,available,unavailable_reason,unverified_inputs,revenue_usd_per_mwh,cost_usd_per_mwh,"
                 "net_usd_per_mwh,breakeven_electricity_usd_per_mwh,revenue_usd_per_it_mwh,electricity_usd_per_mwh,"
                 "pool_fee_usd_per_mwh,other_opex_usd_per_mwh,net_usd_per_mw_year,breakeven_btc_price_usd,"
                 "breakeven_hashprice_usd_per_ph_day,pue,units_per_mw,efficiency_jth,hashrate_ph_per_mw,"
                 "capex_hardware_usd_per_mw,capex_site_usd_per_mw,capex_usd_per_mw,depreciation_usd_per_mwh,"
                 "net_after_depreciation_usd_per_mwh,payback_months,"
                 "in_btc_price_usd,in_difficulty,in_fees_btc_per_block,in_height,in_subsidy_btc,"
                 "in_hashprice_usd_per_ph_day,in_hashprice_overridden,in_electricity_usd_per_mwh,in_pool_fee_pct,"
                 "in_pue_override,in_gpu_utilisation_pct,in_gpu_rate_one_year,in_as_of,hashes_per_second\n");
    for (size_t i = 0; i < r->n_options; i++)
        print_row(out, r, i + 1, &r->options[i]);
    if (r->have_fleet) /* the operator's own fleet (--fleet FILE): after the ranking, unranked */
        print_row(out, r, 0, &r->fleet_option);
}
