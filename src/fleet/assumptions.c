/* Loader for the fleet scenario assumptions (data/assumptions.json): named
 * parameters with their sources, CBECI's age weights, the reference ASIC, the
 * sensitivity grid and the colocation deals. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hashjoule/fleet_data.h"
#include "json_util.h"

static const struct {
    const char *key;
    double min, max;
} param_spec[HJ_P_COUNT] = {
    [HJ_P_ELECTRICITY_USD_PER_MWH] = {"electricity_usd_per_mwh", 0, 10000},
    [HJ_P_POOL_FEE_PCT] = {"pool_fee_pct", 0, 99},
    [HJ_P_PUE_AIR] = {"pue_air", 1, 5},
    [HJ_P_PUE_HYDRO] = {"pue_hydro", 1, 5},
    [HJ_P_PUE_IMMERSION] = {"pue_immersion", 1, 5},
    [HJ_P_PUE_AI] = {"pue_ai", 1, 5},
    [HJ_P_PUE_LOCAL] = {"pue_local", 1, 5},
    [HJ_P_MINING_SITE_CAPEX_USD_PER_MW] = {"mining_site_capex_usd_per_mw", 0, 1e9},
    [HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT] = {"ai_site_capex_usd_per_mw_it", 0, 1e9},
    [HJ_P_AI_COLOCATION_OPEX_PCT] = {"ai_colocation_opex_pct", 0, 100},
    [HJ_P_COLOCATION_POWER_PASSTHROUGH] = {"colocation_power_passthrough", 0, 1},
    [HJ_P_GPU_UTILISATION_PCT] = {"gpu_utilisation_pct", 0, 100},
    [HJ_P_GPU_RATE_ONE_YEAR] = {"gpu_rate_one_year", 0, 1},
    [HJ_P_ASIC_LIFE_YEARS] = {"asic_life_years", 0.1, 50},
    [HJ_P_GPU_LIFE_YEARS] = {"gpu_life_years", 0.1, 50},
    [HJ_P_CBECI_ELECTRICITY_USD_PER_KWH] = {"cbeci_electricity_usd_per_kwh", 0.0001, 10},
    [HJ_P_CBECI_MAX_AGE_YEARS] = {"cbeci_max_age_years", 1, 5},
    [HJ_P_CBECI_PUE_LOWER] = {"cbeci_pue_lower", 1, 5},
    [HJ_P_CBECI_PUE_BEST] = {"cbeci_pue_best", 1, 5},
    [HJ_P_CBECI_PUE_UPPER] = {"cbeci_pue_upper", 1, 5},
    [HJ_P_ATTACK_SHARE_PCT] = {"attack_share_pct", 1, 99},
    [HJ_P_EXIT_PCT] = {"exit_pct", 0, 99},
    [HJ_P_EXIT_DAYS] = {"exit_days", 0, 3650},
    [HJ_P_HORIZON_DAYS] = {"horizon_days", 1, 3650},
    [HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH] = {"hashrate_growth_pct_per_month", -50, 50},
    [HJ_P_BTC_PRICE_GROWTH_PCT_PER_YEAR] = {"btc_price_growth_pct_per_year", -99, 1000},
    [HJ_P_UPTIME_PCT] = {"uptime_pct", 0, 100},
    [HJ_P_DISCOUNT_RATE_PCT_PER_YEAR] = {"discount_rate_pct_per_year", -99, 1000},
    [HJ_P_COLOCATION_ESCALATOR_PCT_PER_YEAR] = {"colocation_escalator_pct_per_year", -50, 100},
    [HJ_P_COLOCATION_TERM_YEARS] = {"colocation_term_years", 0.1, 100},
    [HJ_P_AI_MONTHS_TO_REVENUE] = {"ai_months_to_revenue", 0, 120},
    [HJ_P_GPU_PRICE_DECLINE_PCT_PER_YEAR] = {"gpu_price_decline_pct_per_year", -100, 99},
    [HJ_P_GPU_CLOUD_OPEX_PCT] = {"gpu_cloud_opex_pct", 0, 100},
};

const char *hj_fleet_param_key(hj_fleet_param_id id) { return (unsigned)id < HJ_P_COUNT ? param_spec[id].key : "?"; }

void hj_fleet_param_range(hj_fleet_param_id id, double *min, double *max)
{
    *min = (unsigned)id < HJ_P_COUNT ? param_spec[id].min : NAN;
    *max = (unsigned)id < HJ_P_COUNT ? param_spec[id].max : NAN;
}

static hj_status parse_number_list(const hj_jctx *c, json_t *obj, const char *key, double min, double *out, size_t *n,
                                   hj_error *err)
{
    json_t *arr = json_object_get(obj, key);
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > HJ_FLEET_MAX_GRID)
        return hj_jfail(c, key, err, "expected an array of 1 to %d numbers", HJ_FLEET_MAX_GRID);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (!json_is_number(v) || json_number_value(v) < min)
            return hj_jfail(c, key, err, "item %zu is not a number >= %g", i + 1, min);
        out[i] = json_number_value(v);
    }
    *n = json_array_size(arr);
    return HJ_OK;
}

hj_status hj_fleet_parse_assumptions(const char *text, size_t len, const char *file, hj_fleet_assumptions *out,
                                     hj_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    hj_jctx c = {.file = file, .row = "top level"};
    static const char *const allowed[] = {"schema",         "description", "parameters", "cbeci_age_weights",
                                          "reference_asic", "grid",        "colocation", NULL};
    json_t *schema = json_object_get(root, "schema");
    if (!json_is_object(root) || !json_is_string(schema) ||
        strcmp(json_string_value(schema), "hashjoule-assumptions/1") != 0) {
        hj_jfail(&c, "schema", err, "expected an object with \"schema\": \"hashjoule-assumptions/1\"");
        goto done;
    }
    if (hj_jonly(&c, root, allowed, err))
        goto done;
    json_t *params = json_object_get(root, "parameters");
    if (!json_is_object(params)) {
        hj_jfail(&c, "parameters", err, "expected an object of {\"value\", \"source\"} entries");
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(params, key, v) {
        bool known = false;
        for (int i = 0; i < HJ_P_COUNT && !known; i++)
            known = strcmp(param_spec[i].key, key) == 0;
        if (!known) {
            hj_jctx pc = {.file = file, .row = "parameters"};
            hj_jfail(&pc, key, err, "unknown parameter (misspelt?)");
            goto done;
        }
    }
    static const char *const pallowed[] = {"value", "source", "unverified", NULL};
    for (int i = 0; i < HJ_P_COUNT; i++) {
        hj_jctx pc = {.file = file};
        snprintf(pc.row, sizeof pc.row, "parameter %s", param_spec[i].key);
        json_t *p = json_object_get(params, param_spec[i].key);
        if (!json_is_object(p)) {
            hj_jfail(&pc, NULL, err, "missing, or not an object {\"value\": ..., \"source\": \"...\"}");
            goto done;
        }
        if (hj_jonly(&pc, p, pallowed, err) ||
            hj_jnum(&pc, p, "value", true, false, param_spec[i].min, param_spec[i].max, &out->p[i].value, err) ||
            hj_jstr(&pc, p, "source", true, out->p[i].source, sizeof out->p[i].source, err) ||
            hj_jbool(&pc, p, "unverified", false, &out->p[i].unverified, err))
            goto done;
    }
    json_t *w = json_object_get(root, "cbeci_age_weights");
    hj_jctx wc = {.file = file, .row = "cbeci_age_weights"};
    json_t *wv = json_object_get(w, "value");
    if (!json_is_array(wv) || json_array_size(wv) != 5) {
        hj_jfail(&wc, "value", err, "expected an array of 5 weights (years 0-4 after release)");
        goto done;
    }
    for (size_t i = 0; i < 5; i++) {
        json_t *x = json_array_get(wv, i);
        if (!json_is_number(x) || json_number_value(x) < 0 || json_number_value(x) > 1) {
            hj_jfail(&wc, "value", err, "item %zu is not a number in 0..1", i + 1);
            goto done;
        }
        out->cbeci_age_weights[i] = json_number_value(x);
    }
    hj_jctx rc = {.file = file, .row = "reference_asic"};
    if (hj_jstr(&rc, json_object_get(root, "reference_asic"), "value", true, out->reference_asic,
                sizeof out->reference_asic, err))
        goto done;
    json_t *grid = json_object_get(root, "grid");
    hj_jctx gc = {.file = file, .row = "grid"};
    if (!json_is_object(grid)) {
        hj_jfail(&gc, NULL, err, "missing or not an object");
        goto done;
    }
    if (parse_number_list(&gc, grid, "btc_price_usd", 0.01, out->grid_btc_price_usd, &out->n_grid_btc, err) ||
        parse_number_list(&gc, grid, "electricity_usd_per_mwh", 0, out->grid_electricity_usd_per_mwh,
                          &out->n_grid_electricity, err))
        goto done;
    json_t *colo = json_object_get(root, "colocation");
    if (!json_is_array(colo) || json_array_size(colo) > HJ_FLEET_MAX_COLO) {
        hj_jfail(&c, "colocation", err, "expected an array of at most %d deals", HJ_FLEET_MAX_COLO);
        goto done;
    }
    static const char *const callowed[] = {"name", "usd_per_kw_month", "term_years", "source", NULL};
    size_t i;
    json_array_foreach(colo, i, v) {
        hj_jctx cc = {.file = file};
        snprintf(cc.row, sizeof cc.row, "colocation row %zu", i + 1);
        hj_colocation_deal *d = &out->colo[i];
        if (!json_is_object(v)) {
            hj_jfail(&cc, NULL, err, "expected an object");
            goto done;
        }
        if (hj_jonly(&cc, v, callowed, err) || hj_jstr(&cc, v, "name", true, d->name, sizeof d->name, err) ||
            hj_jnum(&cc, v, "usd_per_kw_month", true, false, 0.01, 1e5, &d->usd_per_kw_month, err) ||
            hj_jnum(&cc, v, "term_years", false, false, 0.1, 100, &d->term_years, err) ||
            hj_jstr(&cc, v, "source", true, d->source, sizeof d->source, err))
            goto done;
    }
    out->n_colo = json_array_size(colo);
    st = HJ_OK;
done:
    return hj_json_loader_end(root, NULL, st);
}
