/* hj_fleet_run: from a request (files, overrides, scenarios) to a finished
 * report; the order of the steps is the order in which errors are found. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/input_file.h"
#include "hashjoule/projection.h"
#include "run_internal.h"

void hj_fleet_request_init(hj_fleet_request *req)
{
    memset(req, 0, sizeof *req);
    double *nan_fields[] = {&req->btc_price_usd,
                            &req->difficulty,
                            &req->fees_btc_per_block,
                            &req->hashprice_usd_per_ph_day,
                            &req->electricity_usd_per_mwh,
                            &req->pool_fee_pct,
                            &req->pue,
                            &req->gpu_utilisation_pct,
                            &req->colocation_usd_per_kw_month,
                            &req->local_power_w,
                            &req->exit_pct,
                            &req->exit_days,
                            &req->horizon_days,
                            &req->btc_price_end_usd,
                            &req->hashrate_growth_pct_per_month,
                            &req->btc_price_growth_pct_per_year,
                            &req->uptime_pct,
                            &req->discount_rate_pct_per_year};
    for (size_t i = 0; i < sizeof nan_fields / sizeof nan_fields[0]; i++)
        *nan_fields[i] = NAN;
    req->gpu_rate = HJ_GPU_RATE_DEFAULT;
}

void hj_fleet_report_free(hj_fleet_report *r)
{
    if (!r)
        return;
    free(r->asics);
    free(r->gpus);
    hj_bench_file_free(&r->bench);
    free(r->options);
    free(r->halving_options);
    free(r->halving_match);
    hj_exit_scenario_free(&r->exit);
    hj_fleet_grid_free(&r->grid);
    hj_projection_free(r->projection);
    free(r->projection);
    free(r->btc_price_usd_by_month);
    free(r->fees_btc_per_block_by_month);
    free(r->power_prices_usd_per_mwh);
    r->projection = NULL;
    r->btc_price_usd_by_month = r->fees_btc_per_block_by_month = r->power_prices_usd_per_mwh = NULL;
    hj_operator_fleet_free(&r->fleet);
    r->asics = NULL;
    r->gpus = NULL;
    r->options = NULL;
    r->halving_options = NULL;
    r->halving_match = NULL;
    r->n_asics = r->n_gpus = r->n_options = r->n_halving = 0;
}

/* Requests the model cannot answer, whatever the data. */
static hj_status check_request(const hj_fleet_request *req, hj_error *err)
{
    if (!isnan(req->hashprice_usd_per_ph_day) &&
        (!isnan(req->btc_price_usd) || !isnan(req->difficulty) || !isnan(req->fees_btc_per_block)))
        return hj_fail(err, HJ_ERR_INPUT,
                       "--hashprice-usd-per-ph-day contradicts --btc-price/--difficulty/--fees-btc-per-block, from "
                       "which hashprice is computed; give one or the other");
    if ((req->btc_price_path || req->power_prices_path) && !req->months)
        return hj_fail(err, HJ_ERR_INPUT,
                       "--btc-price-path and --power-prices apply to the projection; no --months given");
    if (req->btc_price_path && !isnan(req->btc_price_growth_pct_per_year))
        return hj_fail(err, HJ_ERR_INPUT,
                       "--btc-price-path and --btc-price-growth-pct-per-year both set the BTC price path; give one");
    if (req->network && req->network_path)
        return hj_fail(err, HJ_ERR_INPUT,
                       "a network read from a node (--rpc) and --network FILE both given; choose one source");
    if (!isnan(req->local_power_w) && !req->bench_path)
        return hj_fail(err, HJ_ERR_INPUT,
                       "--local-power-watts applies to the results of --bench FILE; no --bench given");
    return HJ_OK;
}

static void set_param(hj_fleet_assumptions *a, hj_fleet_param_id id, double v, const char *flag)
{
    a->p[id].value = v;
    a->p[id].unverified = false;
    snprintf(a->p[id].source, sizeof a->p[id].source, "flag %s", flag);
}

/* The request's overrides over the assumptions, and the reference ASIC. */
static hj_status apply_overrides(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    hj_fleet_assumptions *a = &r->assumptions;
    for (size_t i = 0; i < req->n_assume; i++) {
        int id = 0;
        while (id < HJ_P_COUNT && strcmp(hj_fleet_param_key((hj_fleet_param_id)id), req->assume[i].key) != 0)
            id++;
        if (id == HJ_P_COUNT)
            return hj_fail(err, HJ_ERR_INPUT,
                           "--assume %s: no such parameter in the assumptions (the keys of \"parameters\" in "
                           "data/assumptions.json)",
                           req->assume[i].key);
        double min, max;
        hj_fleet_param_range((hj_fleet_param_id)id, &min, &max);
        if (!(req->assume[i].value >= min && req->assume[i].value <= max))
            return hj_fail(err, HJ_ERR_INPUT, "--assume %s=%g is out of range; expected %g..%g", req->assume[i].key,
                           req->assume[i].value, min, max);
        char flag[128];
        snprintf(flag, sizeof flag, "--assume %.100s", req->assume[i].key);
        set_param(a, (hj_fleet_param_id)id, req->assume[i].value, flag);
    }
    if (!isnan(req->electricity_usd_per_mwh))
        set_param(a, HJ_P_ELECTRICITY_USD_PER_MWH, req->electricity_usd_per_mwh, "--electricity-usd-per-mwh");
    if (!isnan(req->pool_fee_pct))
        set_param(a, HJ_P_POOL_FEE_PCT, req->pool_fee_pct, "--pool-fee");
    if (!isnan(req->gpu_utilisation_pct))
        set_param(a, HJ_P_GPU_UTILISATION_PCT, req->gpu_utilisation_pct, "--gpu-utilisation");
    if (req->gpu_rate != HJ_GPU_RATE_DEFAULT)
        set_param(a, HJ_P_GPU_RATE_ONE_YEAR, req->gpu_rate == HJ_GPU_RATE_ONE_YEAR ? 1 : 0, "--gpu-rate");
    if (!isnan(req->exit_pct))
        set_param(a, HJ_P_EXIT_PCT, req->exit_pct, "--exit-pct");
    if (!isnan(req->exit_days))
        set_param(a, HJ_P_EXIT_DAYS, req->exit_days, "--exit-days");
    if (!isnan(req->horizon_days))
        set_param(a, HJ_P_HORIZON_DAYS, req->horizon_days, "--horizon-days");
    if (!isnan(req->hashrate_growth_pct_per_month))
        set_param(a, HJ_P_HASHRATE_GROWTH_PCT_PER_MONTH, req->hashrate_growth_pct_per_month,
                  "--hashrate-growth-pct-per-month");
    if (!isnan(req->btc_price_growth_pct_per_year))
        set_param(a, HJ_P_BTC_PRICE_GROWTH_PCT_PER_YEAR, req->btc_price_growth_pct_per_year,
                  "--btc-price-growth-pct-per-year");
    if (!isnan(req->uptime_pct))
        set_param(a, HJ_P_UPTIME_PCT, req->uptime_pct, "--uptime-pct");
    if (!isnan(req->discount_rate_pct_per_year))
        set_param(a, HJ_P_DISCOUNT_RATE_PCT_PER_YEAR, req->discount_rate_pct_per_year, "--discount-rate-pct-per-year");
    if (a->p[HJ_P_EXIT_DAYS].value > a->p[HJ_P_HORIZON_DAYS].value)
        return hj_fail(err, HJ_ERR_INPUT,
                       "the exit takes %g days but the horizon is %g days; raise --horizon-days or lower --exit-days",
                       a->p[HJ_P_EXIT_DAYS].value, a->p[HJ_P_HORIZON_DAYS].value);
    if (!isnan(req->colocation_usd_per_kw_month)) {
        a->n_colo = 1;
        snprintf(a->colo[0].name, sizeof a->colo[0].name, "AI colocation: %g USD/kW-month",
                 req->colocation_usd_per_kw_month);
        a->colo[0].usd_per_kw_month = req->colocation_usd_per_kw_month;
        a->colo[0].term_years = NAN; /* the assumptions' colocation_term_years */
        snprintf(a->colo[0].source, sizeof a->colo[0].source, "flag --colocation-usd-per-kw-month");
    }
    if (req->reference_asic)
        snprintf(a->reference_asic, sizeof a->reference_asic, "%s", req->reference_asic);
    if (req->n_grid_btc) {
        memcpy(a->grid_btc_price_usd, req->grid_btc_price_usd, req->n_grid_btc * sizeof req->grid_btc_price_usd[0]);
        a->n_grid_btc = req->n_grid_btc;
    }
    if (req->n_grid_electricity) {
        memcpy(a->grid_electricity_usd_per_mwh, req->grid_electricity_usd_per_mwh,
               req->n_grid_electricity * sizeof req->grid_electricity_usd_per_mwh[0]);
        a->n_grid_electricity = req->n_grid_electricity;
    }
    for (size_t i = 0; i < r->n_asics; i++)
        if (strcmp(r->asics[i].model, a->reference_asic) == 0)
            r->reference = &r->asics[i];
    if (!r->reference)
        return hj_fail(err, HJ_ERR_INPUT, "reference ASIC '%s' is not in %s (names are the \"model\" field)",
                       a->reference_asic, r->asics_origin);
    return HJ_OK;
}

/* The market the options are evaluated against, and where each input came from. */
static void build_market(const hj_fleet_request *req, hj_fleet_report *r)
{
    const hj_network *net = &r->network;
    hj_fleet_market *m = &r->market;
    m->difficulty = isnan(req->difficulty) ? net->difficulty : req->difficulty;
    m->btc_price_usd = isnan(req->btc_price_usd) ? net->btc_price_usd : req->btc_price_usd;
    m->fees_btc_per_block = isnan(req->fees_btc_per_block) ? net->fees_btc_per_block : req->fees_btc_per_block;
    m->height = req->has_height ? req->height : net->height;
    m->electricity_usd_per_mwh = r->assumptions.p[HJ_P_ELECTRICITY_USD_PER_MWH].value;
    m->pool_fee_pct = r->assumptions.p[HJ_P_POOL_FEE_PCT].value;
    m->pue_override = req->pue;
    m->hashprice_overridden = !isnan(req->hashprice_usd_per_ph_day);
    m->hashprice_usd_per_ph_day = req->hashprice_usd_per_ph_day;
    hj_fleet_market_update(m);
    snprintf(r->source_difficulty, sizeof r->source_difficulty, "%s",
             isnan(req->difficulty) ? net->sources[HJ_NET_SRC_DIFFICULTY] : "flag --difficulty");
    snprintf(r->source_price, sizeof r->source_price, "%s",
             isnan(req->btc_price_usd) ? net->sources[HJ_NET_SRC_PRICE] : "flag --btc-price");
    snprintf(r->source_fees, sizeof r->source_fees, "%s",
             isnan(req->fees_btc_per_block) ? net->sources[HJ_NET_SRC_FEES] : "flag --fees-btc-per-block");
    snprintf(r->source_height, sizeof r->source_height, "%s",
             req->has_height ? "flag --height" : net->sources[HJ_NET_SRC_HEIGHT]);
    snprintf(r->source_hashprice, sizeof r->source_hashprice, "%s",
             m->hashprice_overridden ? "flag --hashprice-usd-per-ph-day (not computed)"
                                     : "computed: 1e15 x 86400 x (S + F) x P / (D x 2^32)");
    r->as_of_year = net->year;
    r->as_of_month = net->month;
    snprintf(r->as_of, sizeof r->as_of, "%s", net->date);
    r->network_hashrate_hs = hj_network_hashrate_hs(m->difficulty);
    r->btc_per_th_day = hj_btc_per_th_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block);
    r->hashprice_per_usd_of_btc =
        hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block, 1.0);
    r->next_halving_height = (m->height / HJ_HALVING_INTERVAL + 1) * HJ_HALVING_INTERVAL;
    r->days_to_next_halving = (double)(r->next_halving_height - m->height) * 600.0 / 86400.0;
}

/* Read one of the projection's files. */
static hj_status read_file(const char *path, const char *flag, char **text, size_t *len, hj_error *err)
{
    char label[4200];
    snprintf(label, sizeof label, "%s %s", flag, path);
    return hj_read_input_file(path, HJ_INPUT_MAX_BYTES, label, text, len, err) == HJ_OK ? HJ_OK : HJ_ERR_INPUT;
}

/* The projection's inputs (price path, power prices) and the projection of
 * the sorted options. */
static hj_status run_projection(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    hj_projection_request pr = {.months = req->months};
    if (req->months < 1 || req->months > HJ_PROJECTION_MAX_MONTHS)
        return hj_fail(err, HJ_ERR_INPUT, "--months %d is out of range; expected 1..%d", req->months,
                       HJ_PROJECTION_MAX_MONTHS);
    char *text = NULL;
    size_t len = 0;
    hj_status st;
    if (req->btc_price_path) {
        size_t n = (size_t)req->months + 1;
        r->btc_price_usd_by_month = calloc(n, sizeof *r->btc_price_usd_by_month);
        r->fees_btc_per_block_by_month = calloc(n, sizeof *r->fees_btc_per_block_by_month);
        if (!r->btc_price_usd_by_month || !r->fees_btc_per_block_by_month)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        if ((st = read_file(req->btc_price_path, "--btc-price-path", &text, &len, err)))
            return st;
        st = hj_projection_parse_price_path(text, len, req->btc_price_path, req->months, r->market.btc_price_usd,
                                            r->market.fees_btc_per_block, r->btc_price_usd_by_month,
                                            r->fees_btc_per_block_by_month, &r->btc_price_path_has_fees, err);
        free(text);
        if (st)
            return st;
        snprintf(r->btc_price_path, sizeof r->btc_price_path, "%s", req->btc_price_path);
        pr.btc_price_usd_by_month = r->btc_price_usd_by_month;
        pr.fees_btc_per_block_by_month = r->btc_price_path_has_fees ? r->fees_btc_per_block_by_month : NULL;
    }
    if (req->power_prices_path) {
        if ((st = read_file(req->power_prices_path, "--power-prices", &text, &len, err)))
            return st;
        st = hj_projection_parse_power_prices(text, len, req->power_prices_path, &r->power_prices_usd_per_mwh,
                                              &r->n_power_prices, err);
        free(text);
        if (st)
            return st;
        snprintf(r->power_prices_path, sizeof r->power_prices_path, "%s", req->power_prices_path);
        pr.power_prices_usd_per_mwh = r->power_prices_usd_per_mwh;
        pr.n_power_prices = r->n_power_prices;
    }
    r->projection = calloc(1, sizeof *r->projection);
    if (!r->projection)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    /* the operator's own fleet (--fleet) is projected too, after the options */
    const hj_fleet_option *opt = r->options;
    size_t n = r->n_options;
    hj_fleet_option *with_fleet = NULL;
    if (r->have_fleet) {
        with_fleet = malloc((n + 1) * sizeof *with_fleet);
        if (!with_fleet)
            return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        memcpy(with_fleet, r->options, n * sizeof *with_fleet);
        with_fleet[n++] = r->fleet_option;
        opt = with_fleet;
    }
    hj_status projected = hj_fleet_project(&pr, &r->market, &r->assumptions, opt, n, r->projection, err);
    free(with_fleet);
    return projected;
}

/* Every option at the next halving height, all else equal. */
static hj_status run_halving(const hj_fleet_inputs *in, hj_fleet_report *r, hj_error *err)
{
    r->halving_market = r->market;
    r->halving_market.height = r->next_halving_height;
    hj_fleet_market_update(&r->halving_market);
    return hj_fleet_evaluate(in, &r->halving_market, &r->halving_options, &r->n_halving, err);
}

/* Pair each sorted option with its halving row, by name (the first that matches). */
static hj_status match_halving(hj_fleet_report *r, hj_error *err)
{
    r->halving_match = malloc((r->n_options ? r->n_options : 1) * sizeof *r->halving_match);
    if (!r->halving_match)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (size_t i = 0; i < r->n_options; i++) {
        r->halving_match[i] = SIZE_MAX;
        for (size_t j = 0; j < r->n_halving && r->halving_match[i] == SIZE_MAX; j++)
            if (strcmp(r->halving_options[j].name, r->options[i].name) == 0)
                r->halving_match[i] = j;
    }
    return HJ_OK;
}

hj_status hj_fleet_run(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    memset(r, 0, sizeof *r);
    r->local_power_w = NAN;
    r->run_exit = req->run_exit;
    r->run_halving = req->run_halving;
    r->run_grid = req->run_grid;
    hj_status st;
    if ((st = check_request(req, err)) || (st = hj_fleet_load_inputs(req, r, err)) ||
        (st = hj_fleet_load_local(req, r, err)) || (st = apply_overrides(req, r, err)))
        return st;
    build_market(req, r);
    if (req->fleet_path && (st = hj_fleet_load_operator(req, r, err)))
        return st;

    const hj_fleet_market *m = &r->market;
    const hj_fleet_assumptions *a = &r->assumptions;
    hj_fleet_inputs in = {r->asics, r->n_asics, r->gpus, r->n_gpus, a, r->bench.results, r->bench.n_results};
    if ((st = hj_fleet_evaluate(&in, m, &r->options, &r->n_options, err)) ||
        (st = hj_fleet_cbeci(r->asics, r->n_asics, a, r->network_hashrate_hs / 1e12,
                             m->hashprice_usd_per_ph_day / 1000.0, r->as_of_year, r->as_of_month, &r->cbeci, err)) ||
        (st = hj_fleet_attack_cost(r->asics, r->n_asics, a, m, r->as_of_year, r->as_of_month, &r->attack, err)))
        return st;
    if (r->run_grid && (st = hj_fleet_run_grid(&in, r, err)))
        return st;
    double price_end = isnan(req->btc_price_end_usd) ? m->btc_price_usd : req->btc_price_end_usd;
    if (r->run_exit &&
        (st = hj_fleet_exit_scenario(m, a, r->reference, a->p[HJ_P_EXIT_PCT].value, a->p[HJ_P_EXIT_DAYS].value,
                                     a->p[HJ_P_HORIZON_DAYS].value, price_end, &r->exit, err)))
        return st;
    if (r->run_halving && (st = run_halving(&in, r, err)))
        return st;
    hj_fleet_sort_by_net(r->options, r->n_options);
    if (r->run_halving && (st = match_halving(r, err)))
        return st;
    if (req->months && (st = run_projection(req, r, err)))
        return st;
    hj_fleet_headline_compute(r->options, r->n_options, hj_fleet_pue_for(a, m, HJ_KIND_AI_COLOCATION, NULL),
                              &r->headline);
    return HJ_OK;
}
