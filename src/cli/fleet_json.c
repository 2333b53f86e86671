/* `hashjoule fleet --json`: one object with every input (and its source)
 * and every output of the report. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "fleet_cli.h"
#include "hashjoule/version.h"

static json_t *jnn(double v) { return isnan(v) || isinf(v) ? json_null() : json_real(v); }

static json_t *option_json(const hj_fleet_option *o)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(o->name));
    json_object_set_new(j, "kind", json_string(hj_fleet_kind_name(o->kind)));
    json_object_set_new(j, "available", json_boolean(o->available));
    json_object_set_new(j, "unavailable_reason", o->available ? json_null() : json_string(o->reason));
    json_object_set_new(j, "unverified_inputs", json_boolean(o->unverified));
    json_object_set_new(j, "detail", json_string(o->detail));
    json_object_set_new(j, "energy_unmeasured", json_boolean(o->energy_unmeasured));
    json_object_set_new(j, "hashes_per_second", jnn(o->hashes_per_second));
    struct {
        const char *k;
        double v;
    } f[] = {
        {"revenue_usd_per_mwh", o->revenue_usd_per_mwh},
        {"cost_usd_per_mwh", o->cost_usd_per_mwh},
        {"net_usd_per_mwh", o->net_usd_per_mwh},
        {"breakeven_electricity_usd_per_mwh", o->breakeven_electricity_usd_per_mwh},
        {"revenue_usd_per_it_mwh", o->revenue_usd_per_it_mwh},
        {"electricity_usd_per_mwh", o->electricity_usd_per_mwh},
        {"pool_fee_usd_per_mwh", o->pool_fee_usd_per_mwh},
        {"other_opex_usd_per_mwh", o->other_opex_usd_per_mwh},
        {"net_usd_per_mw_year", o->net_usd_per_mw_year},
        {"breakeven_btc_price_usd", o->breakeven_btc_price_usd},
        {"breakeven_hashprice_usd_per_ph_day", o->breakeven_hashprice_usd_per_ph_day},
        {"pue", o->pue},
        {"it_mw_per_mw", o->it_mw_per_mw},
        {"unit_power_w", o->unit_power_w},
        {"units_per_mw", o->units_per_mw},
        {"efficiency_jth", o->efficiency_jth},
        {"hashrate_ph_per_mw", o->hashrate_ph_per_mw},
        {"capex_hardware_usd_per_mw", o->capex_hardware_usd_per_mw},
        {"capex_site_usd_per_mw", o->capex_site_usd_per_mw},
        {"capex_usd_per_mw", o->capex_usd_per_mw},
        {"depreciation_usd_per_mwh", o->depreciation_usd_per_mwh},
        {"net_after_depreciation_usd_per_mwh", o->net_after_depreciation_usd_per_mwh},
        {"payback_months", o->payback_months},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        json_object_set_new(j, f[i].k, o->available || strcmp(f[i].k, "pue") == 0 ? jnn(f[i].v) : json_null());
    return j;
}

static json_t *options_json(const hj_fleet_option *o, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, option_json(&o[i]));
    return a;
}

static json_t *sourced(double v, const char *src) { return json_pack("{s:o, s:s}", "value", jnn(v), "source", src); }

/* The sums of a site or of the whole operator's fleet. */
static json_t *fleet_totals_json(json_t *j, const hj_operator_fleet_totals *t)
{
    json_object_set_new(j, "units", json_integer((json_int_t)t->units));
    json_object_set_new(j, "rows", json_integer((json_int_t)t->n_rows));
    struct {
        const char *k;
        double v;
    } f[] = {
        {"hashrate_ths", t->hashrate_ths},
        {"hashrate_ehs", t->hashrate_ehs},
        {"it_mw", t->it_mw},
        {"facility_mw", t->facility_mw},
        {"pue", t->pue},
        {"efficiency_jth", t->efficiency_jth},
        {"electricity_usd_per_mwh", t->electricity_usd_per_mwh},
        {"revenue_usd_per_year", t->revenue_usd_per_year},
        {"electricity_usd_per_year", t->electricity_usd_per_year},
        {"pool_fee_usd_per_year", t->pool_fee_usd_per_year},
        {"net_usd_per_year", t->net_usd_per_year},
        {"revenue_usd_per_mwh", t->revenue_usd_per_mwh},
        {"revenue_usd_per_it_mwh", t->revenue_usd_per_it_mwh},
        {"cost_usd_per_mwh", t->cost_usd_per_mwh},
        {"net_usd_per_mwh", t->net_usd_per_mwh},
        {"breakeven_electricity_usd_per_mwh", t->breakeven_electricity_usd_per_mwh},
        {"breakeven_hashprice_usd_per_ph_day", t->breakeven_hashprice_usd_per_ph_day},
        {"breakeven_btc_price_usd", t->breakeven_btc_price_usd},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        json_object_set_new(j, f[i].k, jnn(f[i].v));
    return j;
}

/* --fleet FILE: the file, its rows, each site and the total, and the fleet as one option. */
static json_t *operator_fleet_json(const hj_fleet_report *r)
{
    const hj_operator_fleet *f = &r->fleet;
    json_t *rows = json_array(), *sites = json_array();
    for (size_t i = 0; i < f->n_rows; i++) {
        const hj_operator_fleet_row *w = &f->rows[i];
        const hj_operator_fleet_site *s = &f->sites[w->site];
        json_t *j = json_object();
        json_object_set_new(j, "row", json_integer((json_int_t)w->row));
        json_object_set_new(j, "model", w->custom ? json_null() : json_string(w->name));
        json_object_set_new(j, "name", w->custom ? json_string(w->name) : json_null());
        json_object_set_new(j, "units", json_integer((json_int_t)w->units));
        json_object_set_new(j, "hashrate_ths", jnn(w->hashrate_ths));
        json_object_set_new(j, "power_w", jnn(w->power_w));
        json_object_set_new(j, "hashrate_from_file", json_boolean(w->hashrate_from_file));
        json_object_set_new(j, "power_from_file", json_boolean(w->power_from_file));
        json_object_set_new(j, "efficiency_jth", jnn(w->power_w / w->hashrate_ths));
        json_object_set_new(j, "cooling", json_string(w->cooling));
        json_object_set_new(j, "site", s->name[0] ? json_string(s->name) : json_null());
        json_object_set_new(j, "pue", jnn(w->pue));
        json_object_set_new(j, "electricity_usd_per_mwh", jnn(w->electricity_usd_per_mwh));
        json_object_set_new(j, "hashrate_ths_total", jnn(w->hashrate_ths_total));
        json_object_set_new(j, "it_mw", jnn(w->it_w / 1e6));
        json_object_set_new(j, "facility_mw", jnn(w->facility_w / 1e6));
        json_array_append_new(rows, j);
    }
    for (size_t i = 0; i < f->n_sites; i++) {
        const hj_operator_fleet_site *s = &f->sites[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", s->name[0] ? json_string(s->name) : json_null());
        json_object_set_new(j, "site_pue", jnn(s->pue));
        json_object_set_new(j, "site_electricity_usd_per_mwh", jnn(s->electricity_usd_per_mwh));
        json_object_set_new(j, "site_capacity_mw", jnn(s->capacity_mw));
        json_array_append_new(sites, fleet_totals_json(j, &s->totals));
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "file", json_string(f->path));
    json_object_set_new(doc, "format", json_string(f->json ? "json" : "csv"));
    json_object_set_new(doc, "rows", rows);
    json_object_set_new(doc, "sites", sites);
    json_object_set_new(doc, "total", fleet_totals_json(json_object(), &f->total));
    json_object_set_new(doc, "option", option_json(&r->fleet_option));
    return doc;
}

int fleet_print_json(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_market *m = &r->market;
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("hashjoule-fleet/1"));
    json_object_set_new(doc, "hashjoule_version", json_string(hj_version()));
    json_object_set_new(doc, "hashprice_usd_per_ph_day", jnn(m->hashprice_usd_per_ph_day));
    json_object_set_new(doc, "hashprice_overridden", json_boolean(m->hashprice_overridden));
    json_object_set_new(doc, "network_hashrate_ehs", jnn(r->network_hashrate_hs / 1e18));
    json_object_set_new(doc, "btc_per_th_day", jnn(r->btc_per_th_day));

    json_t *in = json_object();
    json_object_set_new(in, "btc_price_usd", sourced(m->btc_price_usd, r->source_price));
    json_object_set_new(in, "difficulty", sourced(m->difficulty, r->source_difficulty));
    json_object_set_new(in, "fees_btc_per_block", sourced(m->fees_btc_per_block, r->source_fees));
    json_object_set_new(in, "height",
                        json_pack("{s:I, s:s}", "value", (json_int_t)m->height, "source", r->source_height));
    json_object_set_new(in, "subsidy_btc", sourced(m->subsidy_btc, "from height: 50 BTC >> floor(height / 210000)"));
    json_object_set_new(in, "hashprice_usd_per_ph_day", sourced(m->hashprice_usd_per_ph_day, r->source_hashprice));
    json_object_set_new(in, "pue_override", jnn(m->pue_override));
    json_object_set_new(in, "as_of", json_string(r->as_of));
    json_object_set_new(in, "network_origin", json_string(r->network.origin));
    json_object_set_new(in, "network_unverified_fields", json_string(r->network.unverified));
    json_object_set_new(in, "hashrate_ehs_reported", jnn(r->network.hashrate_ehs_reported));
    json_object_set_new(in, "asics_file", json_string(r->asics_origin));
    json_object_set_new(in, "gpus_file", json_string(r->gpus_origin));
    json_object_set_new(in, "assumptions_file", json_string(r->assumptions_origin));
    json_object_set_new(in, "bench_file", r->have_bench ? json_string(r->bench_path) : json_null());
    json_object_set_new(in, "local_power_watts_assumed", jnn(r->local_power_w));
    json_t *params = json_object();
    for (int i = 0; i < HJ_P_COUNT; i++)
        json_object_set_new(params, hj_fleet_param_key(i),
                            json_pack("{s:o, s:s, s:b}", "value", jnn(r->assumptions.p[i].value), "source",
                                      r->assumptions.p[i].source, "unverified", r->assumptions.p[i].unverified));
    json_object_set_new(in, "assumptions", params);
    json_t *colo = json_array();
    for (size_t i = 0; i < r->assumptions.n_colo; i++)
        json_array_append_new(colo, json_pack("{s:s, s:o, s:o, s:s}", "name", r->assumptions.colo[i].name,
                                              "usd_per_kw_month", jnn(r->assumptions.colo[i].usd_per_kw_month),
                                              "term_years", jnn(r->assumptions.colo[i].term_years), "source",
                                              r->assumptions.colo[i].source));
    json_object_set_new(in, "colocation_rates", colo);
    json_object_set_new(in, "reference_asic", json_string(r->assumptions.reference_asic));
    json_object_set_new(doc, "inputs", in);

    json_object_set_new(doc, "options", options_json(r->options, r->n_options));
    if (r->have_fleet)
        json_object_set_new(doc, "fleet", operator_fleet_json(r));
    json_object_set_new(doc, "local_rows",
                        r->have_bench
                            ? json_string("from the bench file")
                            : json_string("missing: no --bench FILE given; run `hashjoule bench` and pass its "
                                          "results file with --bench FILE"));
    if (r->have_bench) {
        const hj_fleet_local_energy *e = &r->local_energy;
        json_object_set_new(
            doc, "local_energy",
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:b, s:o}", "rows", (json_int_t)e->n_rows, "measured",
                      (json_int_t)e->n_measured, "measured_short_of_wall", (json_int_t)e->n_measured_partial,
                      "estimated_from_local_power_watts", (json_int_t)e->n_assumed, "estimated_from_bench_power_watts",
                      (json_int_t)e->n_stated, "unmeasured", (json_int_t)e->n_unmeasured, "unmeasured_reason",
                      e->n_unmeasured ? json_string(e->unmeasured_reason) : json_null(), "unmeasured_reasons_differ",
                      e->unmeasured_reasons_differ, "hint",
                      e->n_unmeasured ? json_string("give fleet --local-power-watts W (the machine's power while "
                                                    "hashing) to estimate the J/TH of the rows without energy")
                                      : json_null()));
    }

    const hj_fleet_headline h = r->headline;
    json_object_set_new(
        doc, "headline",
        json_pack("{s:{s:i, s:o, s:o, s:o, s:o}, s:{s:i, s:o, s:o, s:o, s:o}, s:{s:i, s:o, s:o}, s:o, s:o, s:{s:[i,i], "
                  "s:[i,i]}}",
                  "mining_running_asics", "count", (int)h.n_mining, "gross_usd_per_it_mwh_min", jnn(h.mining_it_min),
                  "gross_usd_per_it_mwh_max", jnn(h.mining_it_max), "gross_usd_per_mwh_min", jnn(h.mining_min),
                  "gross_usd_per_mwh_max", jnn(h.mining_max), "ai_colocation", "count", (int)h.n_colo,
                  "usd_per_it_mwh_min", jnn(h.colo_it_min), "usd_per_it_mwh_max", jnn(h.colo_it_max), "usd_per_mwh_min",
                  jnn(h.colo_min), "usd_per_mwh_max", jnn(h.colo_max), "ai_gpu_cloud", "count", (int)h.n_gpu,
                  "revenue_usd_per_mwh_min", jnn(h.gpu_min), "revenue_usd_per_mwh_max", jnn(h.gpu_max),
                  "ratio_best_colocation_to_weakest_running_miner_it", jnn(h.ratio_colo_vs_mining_it),
                  "net_ratio_best_colocation_to_best_asic", jnn(h.net_ratio_colo_vs_best_mining), "press",
                  "mining_usd_per_mwh", 57, 129, "ai_usd_per_mwh", 200, 500));

    const hj_cbeci *k = &r->cbeci;
    const hj_attack_cost *a = &r->attack;
    json_t *sec = json_object();
    json_object_set_new(sec, "cbeci",
                        json_pack("{s:o, s:o, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                                  "electricity_usd_per_kwh", jnn(k->electricity_usd_per_kwh), "threshold_j_per_th",
                                  jnn(k->threshold_j_per_th), "profitable_models", (int)k->n_profitable,
                                  "considered_models", (int)k->n_considered, "min_jth", jnn(k->min_jth), "weighted_jth",
                                  jnn(k->weighted_jth), "max_jth", jnn(k->max_jth), "lower_gw", jnn(k->lower_gw),
                                  "best_guess_gw", jnn(k->best_gw), "upper_gw", jnn(k->upper_gw), "lower_twh_per_year",
                                  jnn(k->lower_twh_yr), "best_guess_twh_per_year", jnn(k->best_twh_yr),
                                  "upper_twh_per_year", jnn(k->upper_twh_yr)));
    json_object_set_new(sec, "attack",
                        json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "share_pct", jnn(a->share_pct),
                                  "hashrate_ehs", jnn(a->hashrate_ehs), "asic", a->asic->model, "units", jnn(a->units),
                                  "power_mw", jnn(a->power_mw), "energy_usd_per_day", jnn(a->energy_usd_per_day),
                                  "priced_asic", a->priced_asic ? json_string(a->priced_asic->model) : json_null(),
                                  "hardware_usd", jnn(a->hardware_usd), "hashrate_to_hold_share_when_added_ehs",
                                  jnn(a->hashrate_to_outpace_ehs)));
    json_object_update_new(json_object_get(sec, "attack"),
                           json_pack("{s:o, s:o, s:o}", "priced_units", jnn(a->priced_units), "priced_power_mw",
                                     jnn(a->priced_power_mw), "priced_energy_usd_per_day",
                                     jnn(a->priced_energy_usd_per_day)));
    json_object_set_new(doc, "security", sec);

    json_t *sc = json_object();
    if (r->run_exit) {
        const hj_exit_scenario *s = &r->exit;
        json_t *ep = json_array(), *days = json_array();
        for (size_t i = 0; i < s->n_epochs; i++) {
            const hj_epoch_row *e = &s->epochs[i];
            json_array_append_new(
                ep,
                json_pack("{s:i, s:o, s:o, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o}", "epoch", e->epoch,
                          "start_day", jnn(e->start_day), "end_day", jnn(e->end_day), "first_height",
                          (json_int_t)e->first_height, "retarget_height", (json_int_t)e->retarget_height,
                          "hashrate_ehs_at_end", jnn(e->hashrate_ehs_at_end), "mean_block_time_s",
                          jnn(e->mean_block_time_s), "difficulty_before", jnn(e->difficulty_before), "difficulty_after",
                          jnn(e->difficulty_after), "change_pct", jnn(e->change_pct), "clamped", e->clamped,
                          "hashprice_after_usd_per_ph_day", jnn(e->hashprice_after_usd_per_ph_day), "btc_price_usd",
                          jnn(e->btc_price_usd_at_end), "subsidy_btc", jnn(e->subsidy_btc_at_end)));
        }
        for (size_t i = 0; i < s->n_days; i++) {
            const hj_day_row *d = &s->days[i];
            json_array_append_new(days,
                                  json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "day", jnn(d->day), "hashrate_ehs",
                                            jnn(d->hashrate_ehs), "difficulty", jnn(d->difficulty), "mean_block_time_s",
                                            jnn(d->mean_block_time_s), "hashprice_usd_per_ph_day",
                                            jnn(d->hashprice_usd_per_ph_day), "btc_price_usd", jnn(d->btc_price_usd),
                                            "reference_net_usd_per_mwh", jnn(d->reference_net_usd_per_mwh)));
        }
        json_object_set_new(sc, "exit",
                            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o}",
                                      "exit_pct", jnn(s->exit_pct), "exit_days", jnn(s->exit_days), "horizon_days",
                                      jnn(s->horizon_days), "btc_price_start_usd", jnn(s->btc_price_start_usd),
                                      "btc_price_end_usd", jnn(s->btc_price_end_usd), "start_hashrate_ehs",
                                      jnn(s->start_hashrate_ehs), "end_hashrate_ehs", jnn(s->end_hashrate_ehs),
                                      "hashprice_start_usd_per_ph_day", jnn(s->hashprice_start_usd_per_ph_day),
                                      "hashprice_min_usd_per_ph_day", jnn(s->hashprice_min_usd_per_ph_day),
                                      "hashprice_end_usd_per_ph_day", jnn(s->hashprice_end_usd_per_ph_day),
                                      "max_mean_block_time_s", jnn(s->max_mean_block_time_s), "days_to_equilibrium",
                                      jnn(s->days_to_equilibrium), "reference_asic", r->reference->model, "epochs", ep,
                                      "days", days));
    }
    if (r->run_halving)
        json_object_set_new(sc, "halving",
                            json_pack("{s:I, s:o, s:o, s:o}", "height", (json_int_t)r->halving_market.height,
                                      "subsidy_btc", jnn(r->halving_market.subsidy_btc), "hashprice_usd_per_ph_day",
                                      jnn(r->halving_market.hashprice_usd_per_ph_day), "options",
                                      options_json(r->halving_options, r->n_halving)));
    if (r->run_grid) {
        const hj_fleet_grid *g = &r->grid;
        json_t *cells = json_array();
        for (size_t ib = 0; ib < g->n_btc; ib++)
            for (size_t ie = 0; ie < g->n_electricity; ie++) {
                json_t *nets = json_object();
                for (size_t opt = 0; opt < g->n_options; opt++)
                    json_object_set_new(nets, g->names[opt], jnn(g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, opt)]));
                size_t best = g->cells[ib * g->n_electricity + ie].best;
                json_array_append_new(
                    cells,
                    json_pack(
                        "{s:o, s:o, s:o, s:o, s:o}", "btc_price_usd", jnn(r->assumptions.grid_btc_price_usd[ib]),
                        "electricity_usd_per_mwh", jnn(r->assumptions.grid_electricity_usd_per_mwh[ie]), "best_option",
                        best == SIZE_MAX ? json_null() : json_string(g->names[best]), "best_net_usd_per_mwh",
                        best == SIZE_MAX ? json_null() : jnn(g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, best)]),
                        "net_usd_per_mwh", nets));
            }
        json_object_set_new(sc, "grid", cells);
    }
    json_object_set_new(doc, "scenarios", sc);
    if (r->projection)
        json_object_set_new(doc, "projection", fleet_projection_json(r));

    int rc = hj_cli_print_json(out, "fleet", doc);
    json_decref(doc);
    return rc;
}
