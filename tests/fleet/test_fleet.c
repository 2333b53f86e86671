/* Fleet economics: hashprice, revenue per MWh, subsidy, Core's retarget rule,
 * CBECI bounds, the data loaders, the bench file and hj_fleet_run, against hand-computed
 * values (the formulas in src/fleet/model.c and consensus.c) and Bitcoin Core's pow_tests.cpp. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hashjoule/fleet.h"
#include "hashjoule/projection.h"

#define NEAR(a, b, tol) assert_true(fabs((a) - (b)) <= (tol))

static void load_defaults(hj_asic **asics, size_t *na, hj_gpu **gpus, size_t *ng, hj_fleet_assumptions *a)
{
    hj_error err;
    hj_fleet_blob b = hj_fleet_embedded("asics.json");
    assert_non_null(b.text);
    assert_int_equal(hj_fleet_parse_asics(b.text, b.len, b.name, asics, na, &err), HJ_OK);
    b = hj_fleet_embedded("gpus.json");
    assert_int_equal(hj_fleet_parse_gpus(b.text, b.len, b.name, gpus, ng, &err), HJ_OK);
    b = hj_fleet_embedded("assumptions.json");
    assert_int_equal(hj_fleet_parse_assumptions(b.text, b.len, b.name, a, &err), HJ_OK);
}

/* P = $91,000, D = 152T, no fees -> $37.6/PH/day (by hand: 1e15 x 86400 x 3.125 x 91000 / (152e12 x 2^32)). */
/* NPV and IRR on hand values: -100 then 110 a month later is 10 % a month,
 * (1.1^12 - 1) = 213.84 % a year; NPV at 10 % a month is 0. */
static void test_npv_irr_hand_values(void **state)
{
    (void)state;
    double a[] = {-100, 110};
    assert_true(fabs(hj_npv(a, 2, 0.10)) < 1e-12);
    assert_true(fabs(hj_npv(a, 2, 0.0) - 10.0) < 1e-12);
    assert_true(fabs(hj_irr_pct_per_year(a, 2) - (pow(1.1, 12) - 1) * 100) < 1e-6);
    /* an annuity: -1000 then 12 x 100; IRR where sum 100 / (1+r)^m = 1000 */
    double b[13] = {-1000};
    for (int i = 1; i <= 12; i++)
        b[i] = 100;
    double irr = hj_irr_pct_per_year(b, 13), r = pow(1 + irr / 100, 1.0 / 12) - 1;
    assert_true(fabs(hj_npv(b, 13, r)) < 1e-6);
    assert_true(r > 0.029 && r < 0.030); /* 2.92 % a month (annuity tables) */
    /* cash that never turns positive has no IRR */
    double c[] = {-100, -5, 0, -1};
    assert_true(isnan(hj_irr_pct_per_year(c, 4)));
    double z[] = {0, 0};
    assert_true(isnan(hj_irr_pct_per_year(z, 2)));
}

static void test_hashprice_hand_value(void **state)
{
    (void)state;
    double hp = hj_hashprice_usd_per_ph_day(152e12, 3.125, 0.0, 91000.0);
    NEAR(hp, 37.6358, 0.001);
    NEAR(hj_network_hashrate_hs(152e12) / 1e21, 1.0880, 0.0001); /* 152e12 x 2^32 / 600 = 1.088 ZH/s */
    NEAR(hj_network_hashrate_hs(121.5e12) / 1e21, 0.8698, 0.0001);
    /* BTC per TH per day x 1000 x price = hashprice */
    NEAR(hj_btc_per_th_day(152e12, 3.125, 0.0) * 1000 * 91000, hp, 1e-9);
    /* fees add linearly to the reward */
    NEAR(hj_hashprice_usd_per_ph_day(152e12, 3.125, 3.125, 91000.0), 2 * hp, 1e-9);
}

static const hj_fleet_option *find(const hj_fleet_option *o, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(o[i].name, name) == 0)
            return &o[i];
    fail_msg("option '%s' not found", name);
    return NULL;
}

/* S21 XP (13.5 J/TH) at $30/PH/day -> 30 x 1000/13.5 / 24 = $92.59/MWh gross. */
static void test_revenue_per_mwh_s21xp(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    hj_fleet_market m = {.difficulty = 152e12,
                         .btc_price_usd = 91000,
                         .fees_btc_per_block = 0,
                         .height = 922000,
                         .hashprice_usd_per_ph_day = 30.0,
                         .hashprice_overridden = true,
                         .electricity_usd_per_mwh = 50.0,
                         .pool_fee_pct = 2.0,
                         .pue_override = 1.0};
    hj_fleet_market_update(&m);
    NEAR(m.hashprice_usd_per_ph_day, 30.0, 0); /* the override is kept */
    hj_fleet_inputs in = {asics, na, gpus, ng, &a, NULL, 0};
    hj_fleet_option *o;
    size_t n;
    hj_error err;
    assert_int_equal(hj_fleet_evaluate(&in, &m, &o, &n, &err), HJ_OK);
    const hj_fleet_option *x = find(o, n, "Antminer S21 XP");
    assert_int_equal(x->kind, HJ_KIND_ASIC);
    NEAR(x->efficiency_jth, 13.5, 1e-9);
    NEAR(x->revenue_usd_per_mwh, 92.5926, 0.0001);
    NEAR(x->pool_fee_usd_per_mwh, 92.5926 * 0.02, 0.0001);
    NEAR(x->net_usd_per_mwh, 92.5926 * 0.98 - 50.0, 0.0001);
    NEAR(x->breakeven_electricity_usd_per_mwh, 92.5926 * 0.98, 0.0001);
    NEAR(x->net_usd_per_mw_year, (92.5926 * 0.98 - 50.0) * 8760, 1);
    /* b/e hashprice: where revenue x (1 - fee) = 50 -> 30 x 50 / 90.74 */
    NEAR(x->breakeven_hashprice_usd_per_ph_day, 30.0 * 50.0 / (92.5926 * 0.98), 0.0001);
    /* 1 MW / 3645 W = 274.35 miners, 74.07 PH/s */
    NEAR(x->units_per_mw, 1e6 / 3645.0, 1e-6);
    NEAR(x->hashrate_ph_per_mw, 1000.0 / 13.5, 1e-6);
    /* capex: 274.35 x $6,833 + site $325k; payback = capex / (net x 730) */
    NEAR(x->capex_hardware_usd_per_mw, 1e6 / 3645.0 * 6833, 0.01);
    NEAR(x->payback_months, x->capex_usd_per_mw / (x->net_usd_per_mwh * 730.0), 1e-6);

    /* with the PUE of air cooling (1.10) the facility MWh earns 1/1.1 of that */
    m.pue_override = NAN;
    free(o);
    assert_int_equal(hj_fleet_evaluate(&in, &m, &o, &n, &err), HJ_OK);
    x = find(o, n, "Antminer S21 XP");
    NEAR(x->revenue_usd_per_mwh, 92.5926 / 1.10, 0.0001);
    NEAR(x->revenue_usd_per_it_mwh, 92.5926, 0.0001);

    /* colocation: $154/kW-month = 154000 / 730 = $210.96 per IT MWh; no BTC break-even */
    const hj_fleet_option *c = find(o, n, "AI colocation: TeraWulf/Fluidstack");
    assert_int_equal(c->kind, HJ_KIND_AI_COLOCATION);
    NEAR(c->revenue_usd_per_it_mwh, 154000.0 / 730.0, 1e-6);
    NEAR(c->revenue_usd_per_mwh, 154000.0 / 730.0 / 1.3, 1e-6);
    assert_true(isnan(c->breakeven_btc_price_usd));
    assert_true(isnan(c->breakeven_electricity_usd_per_mwh)); /* power passed through */

    /* GPU cloud H100 SXM: 1e6 / (1.3 x 1275) GPUs x $2.35 x 0.70 per facility MWh */
    const hj_fleet_option *g = find(o, n, "AI GPU cloud: H100 SXM");
    double gpus_per_mw = 1e6 / (1.3 * 1275.0);
    NEAR(g->revenue_usd_per_mwh, gpus_per_mw * 2.35 * 0.70, 1e-6);
    NEAR(g->depreciation_usd_per_mwh, gpus_per_mw * 38750.0 / (6 * 8760.0), 1e-6);
    /* non-power opex: 33 % of revenue (data/assumptions.json gpu_cloud_opex_pct) */
    NEAR(g->other_opex_usd_per_mwh, g->revenue_usd_per_mwh * 0.33, 1e-9);
    NEAR(g->net_usd_per_mwh, g->revenue_usd_per_mwh * 0.67 - 50.0, 1e-9); /* net is before capex */
    free(o);
    free(asics);
    free(gpus);
}

/* Break-even BTC price: at that price the same model gives net = 0. */
static void test_breakeven_btc_price_roundtrip(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    hj_fleet_market m = {.difficulty = 152e12,
                         .btc_price_usd = 91000,
                         .fees_btc_per_block = 0.05,
                         .height = 922000,
                         .electricity_usd_per_mwh = 60.0,
                         .pool_fee_pct = 2.5,
                         .pue_override = NAN};
    hj_fleet_market_update(&m);
    hj_fleet_inputs in = {asics, na, gpus, ng, &a, NULL, 0};
    hj_fleet_option *o, *o2;
    size_t n, n2;
    hj_error err;
    assert_int_equal(hj_fleet_evaluate(&in, &m, &o, &n, &err), HJ_OK);
    const hj_fleet_option *x = find(o, n, "Antminer S19 XP");
    hj_fleet_market m2 = m;
    m2.btc_price_usd = x->breakeven_btc_price_usd;
    hj_fleet_market_update(&m2);
    assert_int_equal(hj_fleet_evaluate(&in, &m2, &o2, &n2, &err), HJ_OK);
    NEAR(find(o2, n2, "Antminer S19 XP")->net_usd_per_mwh, 0.0, 1e-6);
    NEAR(m2.hashprice_usd_per_ph_day, x->breakeven_hashprice_usd_per_ph_day, 1e-9);
    free(o);
    free(o2);
    free(asics);
    free(gpus);
}

static void test_subsidy_by_height(void **state)
{
    (void)state;
    assert_int_equal(hj_subsidy_sat(0), 5000000000ULL);
    assert_int_equal(hj_subsidy_sat(209999), 5000000000ULL);
    assert_int_equal(hj_subsidy_sat(210000), 2500000000ULL);
    assert_int_equal(hj_subsidy_sat(419999), 2500000000ULL);
    assert_int_equal(hj_subsidy_sat(420000), 1250000000ULL);
    assert_int_equal(hj_subsidy_sat(630000), 625000000ULL);
    assert_int_equal(hj_subsidy_sat(839999), 625000000ULL);
    assert_int_equal(hj_subsidy_sat(840000), 312500000ULL);
    assert_int_equal(hj_subsidy_sat(1049999), 312500000ULL);
    assert_int_equal(hj_subsidy_sat(1050000), 156250000ULL);
    NEAR(hj_subsidy_btc(1050000), 1.5625, 0);
    /* 50 BTC = 5e9 sat < 2^33: 32 halvings leave 1 sat, 33 leave none; Core returns 0 from 64 */
    assert_int_equal(hj_subsidy_sat(32ULL * 210000), 1);
    assert_int_equal(hj_subsidy_sat(33ULL * 210000), 0);
    assert_int_equal(hj_subsidy_sat(64ULL * 210000), 0);
    assert_int_equal(hj_subsidy_sat(1000ULL * 210000), 0);
}

/* Bitcoin Core src/test/pow_tests.cpp, CalculateNextWorkRequired on mainnet. */
static void test_retarget_core_vectors(void **state)
{
    (void)state;
    /* get_next_work: blocks 30240 .. 32255, no clamp */
    assert_int_equal(hj_next_work_required(0x1d00ffff, 1261130161, 1262152739), 0x1d00d86a);
    /* get_next_work_pow_limit: blocks 0 .. 2015, slower than two weeks: capped at powLimit */
    assert_int_equal(hj_next_work_required(0x1d00ffff, 1231006505, 1233061996), 0x1d00ffff);
    /* get_next_work_lower_limit_actual: blocks 66528 .. 68543, timespan below T/4 */
    assert_int_equal(hj_next_work_required(0x1c05a3f4, 1279008237, 1279297671), 0x1c0168fd);
    /* get_next_work_upper_limit_actual: timespan above 4T */
    assert_int_equal(hj_next_work_required(0x1c387f6f, 1263163443, 1269211443), 0x1d00e1fd);
    /* just inside each clamp the timespan counts in full (values from Python's
     * big integers with the same compact rules) */
    assert_int_equal(hj_next_work_required(0x1c05a3f4, 0, 1209600 / 4 + 86400), 0x1c01d020);
    assert_int_equal(hj_next_work_required(0x1c387f6f, 0, 1209600 * 4 - 86400), 0x1d00ddf4);
    /* exactly two weeks leaves the target alone */
    assert_int_equal(hj_next_work_required(0x17034219, 1700000000, 1700000000 + 1209600), 0x17034219);
}

static void test_retarget_difficulty_clamps(void **state)
{
    (void)state;
    NEAR(hj_retarget_difficulty(100e12, 1209600), 100e12, 1);
    NEAR(hj_retarget_difficulty(100e12, 1209600 / 2.0), 200e12, 1);
    NEAR(hj_retarget_difficulty(100e12, 1000), 400e12, 1); /* clamp at 4x */
    NEAR(hj_retarget_difficulty(100e12, 1209600 / 4.0 + 86400), 100e12 * 1209600 / (1209600 / 4.0 + 86400), 1);
    NEAR(hj_retarget_difficulty(100e12, 1209600 * 4.0 - 86400), 100e12 * 1209600 / (1209600 * 4.0 - 86400), 1);
    NEAR(hj_retarget_difficulty(100e12, 1209600 * 10.0), 25e12, 1); /* clamp at 1/4 */
    NEAR(hj_retarget_difficulty(100e12, 1209600 * 4.0), 25e12, 1);
    NEAR(hj_retarget_difficulty(2.0, 1209600 * 4.0), 1.0, 0); /* never below powLimit */
    /* the double rule agrees with Core's integer rule on the get_next_work vector */
    double d0 = 1.0, d1 = hj_retarget_difficulty(d0, 1262152739 - 1261130161);
    NEAR(d1, (double)0xffff / 0xd86a, 1e-4);
}

static hj_asic toy(const char *model, double jth, int year, int month, double price)
{
    hj_asic a;
    memset(&a, 0, sizeof a);
    snprintf(a.model, sizeof a.model, "%s", model);
    a.hashrate_ths = 100;
    a.power_w = 100 * jth;
    a.efficiency_jth = jth;
    a.release_year = year;
    a.release_month = month;
    snprintf(a.cooling, sizeof a.cooling, "air");
    a.price_usd = price;
    return a;
}

/* A hand-checked fleet: threshold 33.33 J/TH at $0.04/TH/day and $0.05/kWh. */
static void test_cbeci_bounds(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    hj_asic fleet[] = {
        toy("A", 20, 2024, 1, 2000), /* 22 months old at 2025-11: weight 0.8 */
        toy("B", 30, 2022, 6, 1000), /* 41 months: weight 0.4 */
        toy("C", 25, 2019, 1, 500),  /* older than 5 years: not counted */
        toy("D", 100, 2025, 1, 100), /* not profitable */
        toy("E", 10, 2026, 1, 9000), /* not yet released */
    };
    hj_cbeci k;
    hj_error err;
    assert_int_equal(hj_fleet_cbeci(fleet, 5, &a, 1e9, 0.04, 2025, 11, &k, &err), HJ_OK);
    NEAR(k.threshold_j_per_th, 33.3333, 0.0001);
    assert_int_equal(k.n_considered, 3); /* A, B, D */
    assert_int_equal(k.n_profitable, 2); /* A, B */
    NEAR(k.min_jth, 20, 0);
    NEAR(k.max_jth, 30, 0);
    NEAR(k.weighted_jth, (0.8 * 20 + 0.4 * 30) / 1.2, 1e-9);
    NEAR(k.lower_gw, 20 * 1e9 * 1.01 / 1e9, 1e-9);
    NEAR(k.best_gw, 23.3333333 * 1.1, 1e-6);
    NEAR(k.upper_gw, 30 * 1.2, 1e-9);
    NEAR(k.upper_twh_yr, 36 * 8766 / 1000.0, 1e-6);

    /* A maximum age in fractional years: B (41 months = 3.42 years) is too
     * old for 3.25 years, though its whole years (3) are not. */
    hj_fleet_assumptions young = a;
    young.p[HJ_P_CBECI_MAX_AGE_YEARS].value = 3.25;
    assert_int_equal(hj_fleet_cbeci(fleet, 5, &young, 1e9, 0.04, 2025, 11, &k, &err), HJ_OK);
    assert_int_equal(k.n_considered, 2); /* A, D */
    assert_int_equal(k.n_profitable, 1); /* A */

    /* 51%: most efficient released ASIC is A (E is not out yet) */
    hj_fleet_market m = {.difficulty = 152e12,
                         .btc_price_usd = 91000,
                         .height = 922000,
                         .electricity_usd_per_mwh = 50,
                         .pue_override = 1.0};
    hj_fleet_market_update(&m);
    hj_attack_cost ac;
    assert_int_equal(hj_fleet_attack_cost(fleet, 5, &a, &m, 2025, 11, &ac, &err), HJ_OK);
    assert_string_equal(ac.asic->model, "A");
    double h_ths = 152e12 * 4294967296.0 / 600 / 1e12;
    NEAR(ac.units, 0.51 * h_ths / 100, 1e-3);
    NEAR(ac.power_mw, ac.units * 2000 / 1e6, 1e-6);
    NEAR(ac.hardware_usd, ac.units * 2000, 1);
    NEAR(ac.energy_usd_per_day, ac.power_mw * 24 * 50, 1e-3);
    assert_ptr_equal(ac.priced_asic, ac.asic);
    NEAR(ac.priced_units, ac.units, 1e-9);

    /* without a price for A, the priced line counts, powers and prices one
     * and the same ASIC: the most efficient with a price */
    hj_asic unpriced[5];
    memcpy(unpriced, fleet, sizeof unpriced);
    for (size_t i = 0; i < 5; i++)
        if (strcmp(unpriced[i].model, "A") == 0)
            unpriced[i].price_usd = NAN;
    assert_int_equal(hj_fleet_attack_cost(unpriced, 5, &a, &m, 2025, 11, &ac, &err), HJ_OK);
    assert_string_equal(ac.asic->model, "A");
    assert_non_null(ac.priced_asic);
    assert_true(ac.priced_asic != ac.asic);
    NEAR(ac.priced_units * ac.priced_asic->hashrate_ths, 0.51 * h_ths, 1e-3);
    NEAR(ac.priced_power_mw, ac.priced_units * ac.priced_asic->power_w / 1e6, 1e-6);
    NEAR(ac.hardware_usd, ac.priced_units * ac.priced_asic->price_usd, 1);
    NEAR(ac.priced_energy_usd_per_day, ac.priced_power_mw * 24 * 50, 1e-3);
    free(asics);
    free(gpus);
}

static void test_exit_scenario(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    hj_fleet_market m = {.difficulty = 100e12,
                         .btc_price_usd = 90000,
                         .fees_btc_per_block = 0,
                         .height = 2016 * 500,
                         .electricity_usd_per_mwh = 50,
                         .pool_fee_pct = 2,
                         .pue_override = NAN};
    hj_fleet_market_update(&m);
    hj_exit_scenario s;
    hj_error err;
    /* nobody leaves: 600 s blocks; Core's timespan covers 2015 intervals, so
     * the first retarget raises difficulty by 2016/2015 and the rest hold */
    assert_int_equal(hj_fleet_exit_scenario(&m, &a, NULL, 0, 0, 60, 90000, &s, &err), HJ_OK);
    assert_true(s.n_epochs >= 3);
    NEAR(s.epochs[0].change_pct, (2016.0 / 2015.0 - 1) * 100, 1e-9);
    NEAR(s.epochs[0].mean_block_time_s, 600, 1e-6);
    for (size_t i = 1; i < s.n_epochs; i++) {
        NEAR(s.epochs[i].change_pct, 0, 1e-6);
        NEAR(s.epochs[i].mean_block_time_s, 600 * 2016.0 / 2015.0, 1e-6);
    }
    hj_exit_scenario_free(&s);
    /* half leaves at once (the tip starts an epoch): 1200 s blocks, the first
     * retarget halves the difficulty; Core's 2015 intervals: span = 2015 x 1200 */
    assert_int_equal(hj_fleet_exit_scenario(&m, &a, NULL, 50, 0, 80, 90000, &s, &err), HJ_OK);
    NEAR(s.epochs[0].mean_block_time_s, 1200, 1e-6);
    NEAR(s.epochs[0].difficulty_after, 100e12 * 1209600.0 / (2015 * 1200.0), 1e3);
    assert_false(s.epochs[0].clamped);
    NEAR(s.epochs[1].mean_block_time_s, 600 * 2016.0 / 2015.0, 0.5);
    NEAR(s.hashprice_end_usd_per_ph_day / s.hashprice_start_usd_per_ph_day, 2.0, 0.01);
    NEAR(s.days[0].mean_block_time_s, 1200, 1e-6);
    hj_exit_scenario_free(&s);
    /* 90% leaves: blocks 100 min apart, the epoch takes longer than 8 weeks: clamped at 1/4 */
    assert_int_equal(hj_fleet_exit_scenario(&m, &a, NULL, 90, 0, 200, 90000, &s, &err), HJ_OK);
    assert_true(s.epochs[0].clamped);
    NEAR(s.epochs[0].change_pct, -75, 1e-9);
    hj_exit_scenario_free(&s);
    /* a hashprice override cannot run the scenario */
    m.hashprice_overridden = true;
    assert_int_equal(hj_fleet_exit_scenario(&m, &a, NULL, 10, 10, 30, 90000, &s, &err), HJ_ERR_INPUT);
    free(asics);
    free(gpus);
}

static void test_embedded_data(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    assert_true(na >= 25);
    assert_true(ng >= 9);
    bool y2017 = false, y2025 = false;
    for (size_t i = 0; i < na; i++) {
        assert_true(asics[i].sources[0] != '\0');
        y2017 |= asics[i].release_year == 2017;
        y2025 |= asics[i].release_year == 2025;
    }
    assert_true(y2017 && y2025);
    const char *want[] = {"H100 SXM", "H100 PCIe", "H200", "B200", "GB200", "MI300X", "A100", "L40S", "RTX 4090"};
    for (size_t i = 0; i < 9; i++) {
        bool found = false;
        for (size_t j = 0; j < ng; j++)
            found |= strcmp(gpus[j].model, want[i]) == 0;
        assert_true(found);
    }
    hj_network net;
    bool node;
    hj_error err;
    hj_fleet_blob b = hj_fleet_embedded("network.json");
    assert_int_equal(hj_fleet_parse_network(b.text, b.len, b.name, &net, &node, &err), HJ_OK);
    assert_false(node);
    NEAR(net.subsidy_btc, hj_subsidy_btc(net.height), 0);
    assert_null(hj_fleet_embedded("nope.json").text);
    free(asics);
    free(gpus);
}

/* Every loader error names the file, the row and the field. */
static void expect_error(hj_status st, const hj_error *err, const char *a, const char *b, const char *c)
{
    assert_int_equal(st, HJ_ERR_INPUT);
    if (a && !strstr(err->message, a))
        fail_msg("'%s' lacks '%s'", err->message, a);
    if (b && !strstr(err->message, b))
        fail_msg("'%s' lacks '%s'", err->message, b);
    if (c && !strstr(err->message, c))
        fail_msg("'%s' lacks '%s'", err->message, c);
}

static void test_malformed_data(void **state)
{
    (void)state;
    hj_error err;
    hj_asic *asics;
    size_t na;
    const char *bad_type = "{\"schema\":\"hashjoule-asics/1\",\"asics\":["
                           "{\"manufacturer\":\"M\",\"model\":\"Good\",\"hashrate_ths\":100,\"power_w\":2000,"
                           "\"release\":\"2024\",\"cooling\":\"air\",\"sources\":\"s\"},"
                           "{\"manufacturer\":\"M\",\"model\":\"Bad\",\"hashrate_ths\":\"100\",\"power_w\":2000,"
                           "\"release\":\"2024\",\"cooling\":\"air\",\"sources\":\"s\"}]}";
    expect_error(hj_fleet_parse_asics(bad_type, strlen(bad_type), "mine.json", &asics, &na, &err), &err, "mine.json",
                 "row 2 (Bad)", "\"hashrate_ths\"");
    const char *missing = "{\"schema\":\"hashjoule-asics/1\",\"asics\":[{\"manufacturer\":\"M\",\"model\":\"X\","
                          "\"power_w\":2000,\"release\":\"2024\",\"cooling\":\"air\",\"sources\":\"s\"}]}";
    expect_error(hj_fleet_parse_asics(missing, strlen(missing), "f", &asics, &na, &err), &err, "row 1", "hashrate_ths",
                 "missing");
    const char *cooling =
        "{\"schema\":\"hashjoule-asics/1\",\"asics\":[{\"manufacturer\":\"M\",\"model\":\"X\","
        "\"hashrate_ths\":1,\"power_w\":20,\"release\":\"2024-13\",\"cooling\":\"air\",\"sources\":\"s\"}]}";
    expect_error(hj_fleet_parse_asics(cooling, strlen(cooling), "f", &asics, &na, &err), &err, "release", "2024-13",
                 NULL);
    const char *dup = "{\"schema\":\"hashjoule-asics/1\",\"asics\":["
                      "{\"manufacturer\":\"M\",\"model\":\"X\",\"hashrate_ths\":1,\"power_w\":20,\"release\":\"2024\","
                      "\"cooling\":\"air\",\"sources\":\"s\"},"
                      "{\"manufacturer\":\"M\",\"model\":\"X\",\"hashrate_ths\":1,\"power_w\":20,\"release\":\"2024\","
                      "\"cooling\":\"water\",\"sources\":\"s\"}]}";
    expect_error(hj_fleet_parse_asics(dup, strlen(dup), "f", &asics, &na, &err), &err, "row 2", "cooling", "water");
    const char *nojson = "{\"schema\": ";
    expect_error(hj_fleet_parse_asics(nojson, strlen(nojson), "f.json", &asics, &na, &err), &err, "f.json",
                 "not valid JSON", "line 1");

    hj_network net;
    bool node;
    const char *sub = "{\"schema\":\"hashjoule-network/1\",\"date\":\"2025-11\",\"difficulty\":152e12,"
                      "\"btc_price_usd\":91000,\"fees_btc_per_block\":0,\"height\":922000,\"subsidy_btc\":6.25}";
    expect_error(hj_fleet_parse_network(sub, strlen(sub), "n.json", &net, &node, &err), &err, "n.json", "subsidy_btc",
                 "contradicts height");
    const char *testnet = "{\"chain\":\"test\",\"blocks\":10,\"difficulty\":1}";
    expect_error(hj_fleet_parse_network(testnet, strlen(testnet), "t.json", &net, &node, &err), &err, "chain",
                 "not mainnet", NULL);
    const char *mining = "{\"blocks\":930000,\"difficulty\":129435235580344.8,\"networkhashps\":9.3e20,"
                         "\"chain\":\"main\",\"warnings\":\"\"}";
    assert_int_equal(hj_fleet_parse_network(mining, strlen(mining), "m.json", &net, &node, &err), HJ_OK);
    assert_true(node);
    assert_true(net.has_height);
    assert_int_equal(net.height, 930000);
    NEAR(net.difficulty, 129435235580344.8, 1);
    assert_true(isnan(net.btc_price_usd)); /* a node does not know the price */
    NEAR(net.hashrate_ehs_reported, 930, 1e-6);

    hj_fleet_assumptions a;
    const char *params = "{\"schema\":\"hashjoule-assumptions/1\",\"parameters\":{\"electricty_usd_per_mwh\":"
                         "{\"value\":1,\"source\":\"x\"}}}";
    expect_error(hj_fleet_parse_assumptions(params, strlen(params), "a.json", &a, &err), &err, "a.json",
                 "electricty_usd_per_mwh", "unknown parameter");
}

/* Every option on the embedded tables plus a bench file's local rows, at
 * BTC 91k, difficulty 152 T and 50 USD/MWh; *m is the market used. */
static hj_fleet_option *evaluate_with_bench(const hj_bench_file *b, hj_fleet_market *m, size_t *n)
{
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    *m = (hj_fleet_market){.difficulty = 152e12,
                           .btc_price_usd = 91000,
                           .height = 922000,
                           .electricity_usd_per_mwh = 50,
                           .pool_fee_pct = 2,
                           .pue_override = NAN};
    hj_fleet_market_update(m);
    hj_fleet_inputs in = {asics, na, gpus, ng, &a, b->results, b->n_results};
    hj_fleet_option *o;
    hj_error err;
    assert_int_equal(hj_fleet_evaluate(&in, m, &o, n, &err), HJ_OK);
    free(asics);
    free(gpus);
    return o;
}

static void test_bench_local_rows(void **state)
{
    (void)state;
    const char *bench =
        "{\"schema_version\":1,\"tool\":{\"name\":\"hashjoule\"},\"host\":\"h\",\"date\":\"d\",\"machine\":{},"
        "\"results\":["
        "{\"kernel\":\"avx2\",\"kind\":\"cpu\",\"device\":\"CPU\",\"threads\":2,\"status\":\"ok\","
        "\"hashes_per_second\":{\"median\":2e7,\"min\":2e7,\"max\":2e7,\"samples\":[2e7]},"
        "\"repetitions\":[{\"hashes\":20000000,\"seconds\":1}],"
        "\"energy\":{\"joules_per_terahash\":2e6,\"hashes_per_joule\":5e5,\"scope\":\"cpu-package\",\"source\":"
        "\"rapl\"},"
        "\"energy_unavailable_reason\":null},"
        "{\"kernel\":\"opencl\",\"kind\":\"device\",\"device\":\"GPU\",\"threads\":1,\"status\":\"ok\","
        "\"hashes_per_second\":{\"median\":1e9,\"min\":1e9,\"max\":1e9,\"samples\":[1e9]},"
        "\"repetitions\":[{\"hashes\":1000000000,\"seconds\":1}],"
        "\"energy\":null,\"energy_unavailable_reason\":\"no NVML\"}]}";
    hj_bench_file b;
    hj_error err;
    assert_int_equal(hj_fleet_parse_bench(bench, strlen(bench), "b.json", &b, &err), HJ_OK);
    assert_int_equal(b.n_results, 2);
    hj_fleet_market m;
    size_t n;
    hj_fleet_option *o = evaluate_with_bench(&b, &m, &n);
    const hj_fleet_option *cpu = find(o, n, "this machine: avx2, 2 threads (CPU)");
    assert_int_equal(cpu->kind, HJ_KIND_LOCAL_CPU);
    assert_true(cpu->available);
    NEAR(cpu->efficiency_jth, 2e6, 0);
    NEAR(cpu->revenue_usd_per_mwh, m.hashprice_usd_per_ph_day * (1000.0 / 2e6) / 24.0, 1e-12);
    NEAR(cpu->unit_power_w, 2e6 * 2e7 / 1e12, 1e-9); /* J/TH x TH/s = 40 W */
    assert_non_null(strstr(cpu->detail, "not wall"));
    const hj_fleet_option *gpu = find(o, n, "this machine: opencl, 1 thread (GPU)");
    assert_int_equal(gpu->kind, HJ_KIND_LOCAL_GPU);
    assert_false(gpu->available);
    assert_non_null(strstr(gpu->reason, "no NVML"));
    hj_fleet_sort_by_net(o, n);
    assert_false(o[n - 1].available); /* unavailable rows sort last */
    for (size_t i = 1; i < n; i++)
        if (o[i].available)
            assert_true(o[i - 1].net_usd_per_mwh >= o[i].net_usd_per_mwh);
    free(o);
    hj_bench_file_free(&b);

    const char *v2 = "{\"schema_version\":2,\"results\":[]}";
    expect_error(hj_fleet_parse_bench(v2, strlen(v2), "b2.json", &b, &err), &err, "b2.json", "schema_version", NULL);
    const char *kind = "{\"schema_version\":1,\"results\":[{\"kernel\":\"k\",\"kind\":\"gpu\","
                       "\"hashes_per_second\":{\"median\":1}}]}";
    expect_error(hj_fleet_parse_bench(kind, strlen(kind), "b3.json", &b, &err), &err, "results[0]", "kind", "gpu");
}

/* hj_fleet_run on the embedded data with every scenario: a complete report. */
static void test_run_embedded(void **state)
{
    (void)state;
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    req.run_exit = req.run_halving = req.run_grid = true;
    hj_fleet_report r;
    hj_error err;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    assert_non_null(strstr(r.asics_origin, "embedded"));
    assert_non_null(strstr(r.assumptions_origin, "embedded"));
    assert_false(r.have_bench);
    assert_true(r.n_options > r.n_asics);
    assert_non_null(r.reference);
    assert_string_equal(r.reference->model, r.assumptions.reference_asic);
    /* the market is the snapshot's, and the derived figures follow from it */
    NEAR(r.market.difficulty, r.network.difficulty, 0);
    NEAR(r.network_hashrate_hs, hj_network_hashrate_hs(r.market.difficulty), 0);
    assert_true(r.next_halving_height > r.market.height);
    assert_int_equal(r.next_halving_height % HJ_HALVING_INTERVAL, 0);
    assert_string_equal(r.as_of, r.network.date);
    /* sorted by net, unavailable rows last */
    for (size_t i = 1; i < r.n_options; i++)
        if (r.options[i].available)
            assert_true(r.options[i - 1].available && r.options[i - 1].net_usd_per_mwh >= r.options[i].net_usd_per_mwh);
    /* the headline is the one computed over the sorted options */
    hj_fleet_headline h;
    hj_fleet_headline_compute(r.options, r.n_options, r.headline.colo_pue, &h);
    assert_memory_equal(&h, &r.headline, sizeof h);
    assert_true(r.headline.n_colo > 0);
    assert_true(r.headline.n_gpu > 0);
    /* scenarios */
    assert_true(r.exit.n_days > 0 && r.exit.n_epochs > 0);
    assert_true(r.halving_market.height == r.next_halving_height);
    assert_non_null(r.halving_match);
    for (size_t i = 0; i < r.n_options; i++)
        if (r.options[i].kind == HJ_KIND_ASIC)
            assert_string_equal(r.halving_options[r.halving_match[i]].name, r.options[i].name);
    assert_int_equal(r.grid.n_btc, r.assumptions.n_grid_btc);
    assert_int_equal(r.grid.n_electricity, r.assumptions.n_grid_electricity);
    assert_int_equal(r.grid.n_options, r.n_options);
    for (size_t c = 0; c < r.grid.n_btc * r.grid.n_electricity; c++) {
        const hj_fleet_grid_cell *cell = &r.grid.cells[c];
        if (cell->best_asic != SIZE_MAX)
            assert_int_equal(r.grid.kinds[cell->best_asic], HJ_KIND_ASIC);
        assert_true(cell->best != SIZE_MAX);
    }
    hj_fleet_report_free(&r);
    hj_fleet_report_free(&r); /* twice is harmless */
}

/* Overrides replace the data and say so; a missing file is named. */
static void test_run_overrides_and_errors(void **state)
{
    (void)state;
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    req.btc_price_usd = 50000;
    req.electricity_usd_per_mwh = 42;
    req.colocation_usd_per_kw_month = 150;
    hj_fleet_report r;
    hj_error err;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    NEAR(r.market.btc_price_usd, 50000, 0);
    assert_string_equal(r.source_price, "flag --btc-price");
    assert_string_equal(r.assumptions.p[HJ_P_ELECTRICITY_USD_PER_MWH].source, "flag --electricity-usd-per-mwh");
    assert_int_equal(r.assumptions.n_colo, 1);
    assert_int_equal(r.headline.n_colo, 1);
    assert_false(r.run_grid);
    assert_null(r.grid.cells);
    hj_fleet_report_free(&r);

    hj_fleet_request_init(&req);
    req.asics_path = "/nonexistent/hashjoule-asics.json";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "/nonexistent/hashjoule-asics.json"));
    hj_fleet_report_free(&r);

    hj_fleet_request_init(&req);
    req.reference_asic = "no such miner";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "no such miner"));
    hj_fleet_report_free(&r);

    hj_fleet_request_init(&req);
    req.local_power_w = 100; /* without a bench file */
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "--local-power-watts"));
    hj_fleet_report_free(&r);
}

/* --local-power-watts: rows without energy get an estimated J/TH, labelled. */
static void test_run_local_power_estimate(void **state)
{
    (void)state;
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    req.bench_path = HJ_FLEET_FIXTURES "/bench_sample.json";
    req.local_power_w = 200;
    hj_fleet_report r;
    hj_error err;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    assert_true(r.have_bench);
    assert_string_equal(r.bench_path, req.bench_path);
    size_t estimated = 0;
    for (size_t i = 0; i < r.bench.n_results; i++) {
        const hj_local_result *row = &r.bench.results[i];
        if (strcmp(row->scope, "assumed") != 0)
            continue;
        estimated++;
        assert_true(row->energy_estimated);
        assert_non_null(strstr(row->energy_source, "--local-power-watts 200, not measured"));
        NEAR(row->joules_per_terahash, 200 / (row->hashes_per_second / 1e12), 1e-9);
    }
    assert_int_equal(estimated, 1);
    size_t local = 0;
    for (size_t i = 0; i < r.n_options; i++)
        if (r.options[i].kind == HJ_KIND_LOCAL_CPU || r.options[i].kind == HJ_KIND_LOCAL_GPU) {
            local++;
            assert_true(r.options[i].available);
        }
    assert_int_equal(local, r.bench.n_results);
    hj_fleet_report_free(&r);
}

/* An OpenCL device's kind comes from the document's machine.opencl.devices[]:
 * a PoCL device (type cpu) is local-cpu, a GPU stays local-gpu. */
static void test_bench_opencl_device_type(void **state)
{
    (void)state;
#define RESULT(K, D)                                                                                  \
    "{\"kernel\":\"" K "\",\"kind\":\"device\",\"device\":\"" D "\",\"threads\":1,\"status\":\"ok\"," \
    "\"hashes_per_second\":{\"median\":1e7,\"min\":1e7,\"max\":1e7,\"samples\":[1e7]},"               \
    "\"repetitions\":[{\"hashes\":10000000,\"seconds\":1}],\"energy\":null,\"energy_unavailable_reason\":\"none\"}"
    const char *bench =
        "{\"schema_version\":1,\"tool\":{\"name\":\"hashjoule\"},\"host\":\"h\",\"date\":\"d\",\"machine\":{\"opencl\":"
        "{\"devices\":["
        "{\"id\":\"0:0\",\"name\":\"pthread-haswell\",\"type\":\"cpu\"},"
        "{\"id\":\"1:0\",\"name\":\"Radeon\",\"type\":\"gpu\"}]}},\"results\":[" RESULT(
            "opencl:0:0", "pthread-haswell") "," RESULT("opencl:1:0", "Radeon") "," RESULT("opencl", "Radeon") "]}";
#undef RESULT
    hj_bench_file b;
    hj_error err;
    assert_int_equal(hj_fleet_parse_bench(bench, strlen(bench), "b.json", &b, &err), HJ_OK);
    assert_int_equal(b.n_results, 3);
    assert_string_equal(b.results[0].device_type, "cpu");
    assert_string_equal(b.results[1].device_type, "gpu");
    assert_string_equal(b.results[2].device_type, "gpu"); /* by name when the kernel has no id */
    hj_fleet_market m;
    size_t n;
    hj_fleet_option *o = evaluate_with_bench(&b, &m, &n);
    assert_int_equal(find(o, n, "this machine: opencl:0:0, 1 thread (pthread-haswell)")->kind, HJ_KIND_LOCAL_CPU);
    assert_int_equal(find(o, n, "this machine: opencl:1:0, 1 thread (Radeon)")->kind, HJ_KIND_LOCAL_GPU);
    free(o);
    hj_bench_file_free(&b);
}

/* ---- the operator's own fleet (--fleet FILE) ---- */

/* Two sites: Texas states PUE 1.10, $40/MWh and 1.2 MW; Quebec states
 * $30/MWh only, so its rows take their cooling's PUE (hydro 1.05, a custom
 * row air 1.10). Row 2 runs tuned at 2800 W; row 4 is a miner of the
 * operator's own. */
static const char fleet_csv[] =
    "model,name,units,hashrate_ths,power_w,site,site_pue,site_electricity_usd_per_mwh,site_capacity_mw\n"
    "Antminer S21 XP,,200,,,Texas,1.10,40,1.2\n"
    "Antminer S19 XP,,100,,2800,Texas,,,\n"
    "Antminer S21 XP Hyd,,50,,,Quebec,,30,\n"
    ",Home-built rig,10,100,2000,Quebec,,30,\n";
static const char fleet_json[] =
    "{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": ["
    "{\"model\": \"Antminer S21 XP\", \"units\": 200, \"site\": \"Texas\", \"site_pue\": 1.1,"
    " \"site_electricity_usd_per_mwh\": 40, \"site_capacity_mw\": 1.2},"
    "{\"model\": \"Antminer S19 XP\", \"units\": 100, \"power_w\": 2800, \"site\": \"Texas\"},"
    "{\"model\": \"Antminer S21 XP Hyd\", \"units\": 50, \"site\": \"Quebec\", \"site_electricity_usd_per_mwh\": 30},"
    "{\"name\": \"Home-built rig\", \"units\": 10, \"hashrate_ths\": 100, \"power_w\": 2000, \"site\": \"Quebec\","
    " \"site_electricity_usd_per_mwh\": 30}]}";

/* Hashprice $40/PH/day (given), difficulty 152 T, subsidy 3.125, no fees,
 * $50/MWh for rows without a site price, pool fee 2 %. */
static hj_fleet_market fleet_market(void)
{
    hj_fleet_market m = {.difficulty = 152e12,
                         .btc_price_usd = 91000,
                         .fees_btc_per_block = 0,
                         .height = 922000,
                         .hashprice_usd_per_ph_day = 40.0,
                         .hashprice_overridden = true,
                         .electricity_usd_per_mwh = 50.0,
                         .pool_fee_pct = 2.0,
                         .pue_override = NAN};
    hj_fleet_market_update(&m);
    return m;
}

static void parse_fleet_text(const char *text, const char *file, hj_asic *asics, size_t na, hj_operator_fleet *f)
{
    hj_error err;
    hj_status st = hj_operator_fleet_parse(text, strlen(text), file, asics, na, f, &err);
    if (st != HJ_OK)
        fail_msg("%s", err.message);
}

static void test_operator_fleet_two_sites(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    hj_fleet_market m = fleet_market();
    hj_operator_fleet f;
    hj_error err;
    parse_fleet_text(fleet_csv, "some/dir/fleet.csv", asics, na, &f);
    assert_false(f.json);
    assert_string_equal(f.basename, "fleet.csv");
    assert_int_equal(f.n_rows, 4);
    assert_int_equal(f.n_sites, 2);
    assert_true(f.rows[3].custom);
    assert_true(f.rows[1].power_from_file && !f.rows[1].hashrate_from_file);
    NEAR(f.rows[1].hashrate_ths, 140, 0); /* the table's, with the file's 2800 W */
    assert_int_equal(hj_operator_fleet_evaluate(&f, &a, &m, &err), HJ_OK);

    /* by hand: Texas 200 x 270 + 100 x 140 TH/s, 200 x 3645 + 100 x 2800 W, x 1.10 */
    const hj_operator_fleet_totals *tx = &f.sites[0].totals, *qc = &f.sites[1].totals, *t = &f.total;
    assert_string_equal(f.sites[0].name, "Texas");
    assert_int_equal(tx->units, 300);
    NEAR(tx->hashrate_ths, 68000, 1e-9);
    NEAR(tx->it_mw, 1.009, 1e-12);
    NEAR(tx->facility_mw, 1.1099, 1e-12);
    /* Quebec: 50 x 473 + 10 x 100 TH/s; 50 x 5676 W x 1.05 (hydro) + 10 x 2000 W x 1.10 (air) */
    NEAR(qc->hashrate_ths, 24650, 1e-9);
    NEAR(qc->it_mw, 0.3038, 1e-12);
    NEAR(qc->facility_mw, 0.29799 + 0.022, 1e-12);
    NEAR(f.rows[2].pue, 1.05, 0);
    NEAR(f.rows[3].pue, 1.10, 0);
    /* the fleet: 92,650 TH/s = 0.09265 EH/s; 1.3128 MW of IT, 1.42989 MW at the facility */
    assert_int_equal(t->units, 360);
    NEAR(t->hashrate_ehs, 0.09265, 1e-12);
    NEAR(t->it_mw, 1.3128, 1e-12);
    NEAR(t->facility_mw, 1.42989, 1e-12);
    NEAR(t->efficiency_jth, 1312800.0 / 92650.0, 1e-12); /* 14.17 J/TH */
    NEAR(t->pue, 1.42989 / 1.3128, 1e-12);
    double elec_year = (1.1099 * 40 + 0.31999 * 30) * 8760; /* $473,002 */
    NEAR(t->electricity_usd_per_year, elec_year, 1e-6);
    NEAR(t->electricity_usd_per_mwh, (1.1099 * 40 + 0.31999 * 30) / 1.42989, 1e-9);
    double revenue_year = 40 * 92.65 * 365; /* $40 per PH/s per day x 92.65 PH/s x 365 days = $1,352,690 */
    NEAR(t->revenue_usd_per_year, revenue_year, 1e-6);
    NEAR(t->pool_fee_usd_per_year, revenue_year * 0.02, 1e-6);
    NEAR(t->net_usd_per_year, revenue_year * 0.98 - elec_year, 1e-6);
    NEAR(t->net_usd_per_mwh, (revenue_year * 0.98 - elec_year) / (1.42989 * 8760), 1e-9);
    /* break-even power: revenue per facility MWh x (1 - fee) = 40 x 92.65 / 24 / 1.42989 x 0.98 = $105.83 */
    double be_power = 40 * 92.65 / 24 / 1.42989 * 0.98;
    NEAR(t->breakeven_electricity_usd_per_mwh, be_power, 1e-9);
    /* break-even BTC: the price at which hashprice x be_power / 40 = the mean power price */
    double hp_per_usd = 1e15 * 86400 * 3.125 / (152e12 * 4294967296.0);
    NEAR(t->breakeven_btc_price_usd, 40 * t->electricity_usd_per_mwh / be_power / hp_per_usd, 1e-6);
    NEAR(t->breakeven_btc_price_usd, 34510, 1); /* $34,510 */
    /* the sites add up to the fleet */
    NEAR(tx->net_usd_per_year + qc->net_usd_per_year, t->net_usd_per_year, 1e-6);

    /* the fleet as one option per MW: the ASIC formulas at the blended figures */
    hj_fleet_option o;
    hj_operator_fleet_option(&f, &m, &o);
    assert_int_equal(o.kind, HJ_KIND_OPERATOR_FLEET);
    assert_string_equal(hj_fleet_kind_name(o.kind), "operator-fleet");
    assert_string_equal(o.name, "operator fleet: fleet.csv");
    assert_true(o.available);
    NEAR(o.pue, t->pue, 1e-12);
    NEAR(o.efficiency_jth, t->efficiency_jth, 1e-12);
    NEAR(o.hashrate_ph_per_mw, 92.65 / 1.42989, 1e-9);
    NEAR(o.units_per_mw, 360 / 1.42989, 1e-9);
    NEAR(o.electricity_usd_per_mwh, t->electricity_usd_per_mwh, 1e-12);
    NEAR(o.revenue_usd_per_mwh, t->revenue_usd_per_mwh, 1e-9);
    NEAR(o.net_usd_per_mwh, t->net_usd_per_mwh, 1e-9);
    NEAR(o.net_usd_per_mw_year, t->net_usd_per_year / 1.42989, 1e-6);
    NEAR(o.breakeven_electricity_usd_per_mwh, be_power, 1e-9);
    NEAR(o.breakeven_btc_price_usd, t->breakeven_btc_price_usd, 1e-6);
    NEAR(o.capex_usd_per_mw, 0, 0); /* owned */
    assert_true(isnan(o.payback_months));
    assert_true(isnan(o.depreciation_usd_per_mwh));
    NEAR(o.net_after_depreciation_usd_per_mwh, o.net_usd_per_mwh, 0);

    /* --pue: the rows without a site PUE take it; Texas keeps its own */
    m.pue_override = 1.2;
    assert_int_equal(hj_operator_fleet_evaluate(&f, &a, &m, &err), HJ_OK);
    NEAR(f.rows[0].pue, 1.10, 0);
    NEAR(f.rows[2].pue, 1.2, 0);
    NEAR(f.sites[1].totals.facility_mw, 0.3038 * 1.2, 1e-12);

    /* the same fleet in JSON: the same totals, to the bit */
    hj_operator_fleet g;
    m.pue_override = NAN;
    assert_int_equal(hj_operator_fleet_evaluate(&f, &a, &m, &err), HJ_OK);
    parse_fleet_text(fleet_json, "fleet.json", asics, na, &g);
    assert_true(g.json);
    assert_int_equal(hj_operator_fleet_evaluate(&g, &a, &m, &err), HJ_OK);
    assert_memory_equal(&g.total, &f.total, sizeof f.total);
    assert_memory_equal(&g.sites[1].totals, &f.sites[1].totals, sizeof f.sites[1].totals);
    hj_operator_fleet_free(&g);
    hj_operator_fleet_free(&f);
    hj_operator_fleet_free(&f); /* twice is harmless */
    free(asics);
    free(gpus);
}

/* Parse `text` and expect a refusal naming a, b and c. */
static void expect_fleet_error(const char *text, const hj_asic *asics, size_t na, const char *a, const char *b,
                               const char *c)
{
    hj_operator_fleet f;
    hj_error err;
    expect_error(hj_operator_fleet_parse(text, strlen(text), "f.csv", asics, na, &f, &err), &err, a, b, c);
    assert_null(f.rows);
    assert_int_equal(f.n_rows, 0);
}

static void test_operator_fleet_refusals(void **state)
{
    (void)state;
    hj_asic *asics;
    hj_gpu *gpus;
    size_t na, ng;
    hj_fleet_assumptions a;
    load_defaults(&asics, &na, &gpus, &ng, &a);
    /* an unknown model: the row, the field and the closest names */
    expect_fleet_error("model,units\nAntminer S21 XP,1\nAntminer S21XP,5\n", asics, na, "f.csv: row 2 (line 3",
                       "\"model\"", "closest: 'Antminer S21 XP'");
    expect_fleet_error("model,units\nS21 XP Hyd,5\n", asics, na, "row 1", "not a model", "'Antminer S21 XP Hyd'");
    /* units: zero, negative, not whole, missing, text */
    expect_fleet_error("model,units\nAntminer S21,0\n", asics, na, "row 1 (line 2, Antminer S21)", "\"units\"",
                       "out of range");
    expect_fleet_error("model,units\nAntminer S21,-4\n", asics, na, "row 1", "\"units\"", "-4");
    expect_fleet_error("model,units\nAntminer S21,2.5\n", asics, na, "row 1", "\"units\"", "not a whole number");
    expect_fleet_error("model,units\nAntminer S21,\n", asics, na, "row 1", "\"units\"", "missing");
    expect_fleet_error("model,units\nAntminer S21,ten\n", asics, na, "row 1", "\"units\"", "'ten' is not a number");
    /* a custom row needs its hashrate and power, positive */
    expect_fleet_error("name,units,hashrate_ths\nRig,4,100\n", asics, na, "row 1 (line 2, Rig)", "\"power_w\"",
                       "missing");
    expect_fleet_error("name,units,power_w\nRig,4,3000\n", asics, na, "row 1", "\"hashrate_ths\"", "missing");
    expect_fleet_error("name,units,hashrate_ths,power_w\nRig,4,100,-3000\n", asics, na, "row 1", "\"power_w\"",
                       "not a positive number");
    expect_fleet_error("model,units,hashrate_ths\nAntminer S21,4,0\n", asics, na, "row 1", "\"hashrate_ths\"",
                       "not a positive number");
    /* neither or both of model and name */
    expect_fleet_error("model,name,units\n,,4\n", asics, na, "row 1", "\"model\"", "missing");
    expect_fleet_error("model,name,units\nAntminer S21,Rig,4\n", asics, na, "row 1", "\"name\"", "not both");
    /* unknown or repeated columns and keys */
    expect_fleet_error("model,units,powr_w\nAntminer S21,4,3000\n", asics, na, "f.csv: line 1", "'powr_w'",
                       "unknown column");
    expect_fleet_error("model,units,units\nAntminer S21,4,4\n", asics, na, "line 1", "'units'", "twice");
    expect_fleet_error("model\nAntminer S21\n", asics, na, "line 1", "no 'units' column", NULL);
    expect_fleet_error("{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": [{\"model\": \"Antminer S21\", "
                       "\"units\": 4, \"colour\": \"red\"}]}",
                       asics, na, "row 1 (Antminer S21)", "\"colour\"", "unknown field");
    expect_fleet_error("{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": [], \"extra\": 1}", asics, na,
                       "top level", "\"extra\"", "unknown field");
    expect_fleet_error("{\"schema\": \"hashjoule-fleet/1\", \"rows\": []}", asics, na, "\"schema\"",
                       "hashjoule-operator-fleet/1", NULL);
    expect_fleet_error("{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": [{\"model\": \"Antminer S21\", "
                       "\"units\": \"4\"}]}",
                       asics, na, "row 1", "\"units\"", "a string");
    expect_fleet_error("{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": [{\"model\": \"Antminer S21\", "
                       "\"units\": 4.5}]}",
                       asics, na, "row 1", "\"units\"", "not a whole number");
    /* site fields that disagree between rows of a site */
    expect_fleet_error("model,units,site,site_pue\nAntminer S21,1,A,1.1\nAntminer S21,1,B,1.3\n"
                       "Antminer S21,1,A,1.2\n",
                       asics, na, "row 3 (line 4", "\"site_pue\"", "disagrees with 1.1 given for site 'A' on row 1");
    expect_fleet_error("model,units,site,site_electricity_usd_per_mwh\nAntminer S21,1,A,40\nAntminer S21,1,A,45\n",
                       asics, na, "row 2", "\"site_electricity_usd_per_mwh\"", "disagrees");
    expect_fleet_error("model,units,site,site_capacity_mw\nAntminer S21,1,A,2\nAntminer S21,1,A,3\n", asics, na,
                       "row 2", "\"site_capacity_mw\"", "disagrees");
    expect_fleet_error("model,units,site_pue\nAntminer S21,1,0.5\n", asics, na, "row 1", "\"site_pue\"",
                       "out of range");
    /* the shape of the file */
    expect_fleet_error("model,units\n", asics, na, "f.csv", "no rows", NULL);
    expect_fleet_error("{\"schema\": \"hashjoule-operator-fleet/1\", \"rows\": []}", asics, na, "f.csv", "no rows",
                       NULL);
    expect_fleet_error(" \n\t\n", asics, na, "f.csv", "empty", NULL);
    expect_fleet_error("model,units\nAntminer S21,1,extra\n", asics, na, "row 1 (line 2", "3 fields, the header has 2",
                       NULL);
    expect_fleet_error("model,units\n\"Antminer S21,1\n", asics, na, "line 2", "not closed", NULL);
    expect_fleet_error("{\"schema\": ", asics, na, "f.csv", "not valid JSON", NULL);
    expect_fleet_error("model,units\nAntminer S21,1\n\xe9,2\n", asics, na, "f.csv: line 3", "0xe9 is not UTF-8", NULL);

    /* what a spreadsheet writes is read: a byte-order mark, CRLF, quotes, blanks, comments */
    hj_operator_fleet f;
    parse_fleet_text(
        "\xEF\xBB\xBF# my miners\r\nmodel , units,site\r\n\r\n\"Antminer S21\", 4 ,\"Site, \"\"North\"\"\"\r\n,,\r\n",
        "f.csv", asics, na, &f);
    assert_int_equal(f.n_rows, 1);
    assert_int_equal(f.rows[0].units, 4);
    assert_string_equal(f.sites[0].name, "Site, \"North\"");
    hj_operator_fleet_free(&f);

    /* more facility power than a site's capacity: the site, its total and its capacity */
    const char *over = "model,units,site,site_capacity_mw\nAntminer S21 XP,200,Texas,0.5\nAntminer S19 XP,100,Texas,\n";
    parse_fleet_text(over, "f.csv", asics, na, &f);
    hj_fleet_market m = fleet_market();
    hj_error err;
    /* 200 x 3645 W + 100 x 3010 W = 1.03 MW of IT x 1.10 = 1.133 MW */
    expect_error(hj_operator_fleet_evaluate(&f, &a, &m, &err), &err, "site 'Texas'", "1.133 MW of facility power",
                 "site_capacity_mw of 0.5 MW");
    hj_operator_fleet_free(&f);
    free(asics);
    free(gpus);
}

/* hj_fleet_run with a fleet file: the report holds it apart from the table. */
static void test_run_operator_fleet(void **state)
{
    (void)state;
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    hj_fleet_report plain, r;
    hj_error err;
    assert_int_equal(hj_fleet_run(&req, &plain, &err), HJ_OK);
    assert_false(plain.have_fleet);
    req.fleet_path = HJ_FLEET_FIXTURES "/fleet_good.csv";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    assert_true(r.have_fleet);
    assert_int_equal(r.fleet.n_rows, 4);
    assert_int_equal(r.fleet_option.kind, HJ_KIND_OPERATOR_FLEET);
    assert_string_equal(r.fleet_option.name, "operator fleet: fleet_good.csv");
    NEAR(r.fleet_option.net_usd_per_mwh, r.fleet.total.net_usd_per_mwh, 1e-9);
    /* the options, the headline and the market are those of a run without it */
    assert_int_equal(r.n_options, plain.n_options);
    for (size_t i = 0; i < r.n_options; i++)
        assert_int_not_equal(r.options[i].kind, HJ_KIND_OPERATOR_FLEET);
    assert_memory_equal(&r.headline.mining_it_min, &plain.headline.mining_it_min, sizeof(double));
    NEAR(r.fleet.total.electricity_usd_per_mwh, (1.1099 * 40 + 0.31999 * 30) / 1.42989, 1e-9);
    hj_fleet_report_free(&r);
    hj_fleet_report_free(&plain);

    req.fleet_path = HJ_FLEET_FIXTURES "/fleet_over_capacity.csv";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "fleet_over_capacity.csv: site 'Texas'"));
    hj_fleet_report_free(&r);
    req.fleet_path = "/nonexistent/fleet.csv";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "--fleet /nonexistent/fleet.csv"));
    hj_fleet_report_free(&r);
}

/* --months with --fleet: the fleet is projected as one mining option, after
 * the table's options, with capex 0. */
static void test_run_operator_fleet_projected(void **state)
{
    (void)state;
    assert_true(hj_fleet_kind_is_mining(HJ_KIND_OPERATOR_FLEET));
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    req.fleet_path = HJ_FLEET_FIXTURES "/fleet_good.csv";
    req.months = 24;
    hj_fleet_report r;
    hj_error err;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    const hj_projection *p = r.projection;
    assert_non_null(p);
    assert_int_equal(p->n_options, r.n_options + 1);
    for (size_t i = 0; i < r.n_options; i++)
        assert_string_equal(p->options[i].name, r.options[i].name);
    const hj_projection_option *f = &p->options[r.n_options];
    assert_string_equal(f->name, r.fleet_option.name);
    assert_int_equal(f->kind, HJ_KIND_OPERATOR_FLEET);
    assert_true(f->mining && f->available && f->capex_known);
    NEAR(f->capex_usd_per_mw, 0, 0);
    NEAR(f->monthly[0].net_usd_per_mw, 0, 0);
    assert_int_equal(f->payback_month, 0); /* nothing to pay back */
    /* month 1: the month's hashprice x the fleet's PH/s per MW / 24 x 730 h x availability, at its mean price */
    double avail = r.assumptions.p[HJ_P_UPTIME_PCT].value / 100.0;
    NEAR(f->monthly[1].revenue_usd_per_mw,
         f->monthly[1].hashprice_usd_per_ph_day * r.fleet_option.hashrate_ph_per_mw / 24 * 730 * avail, 1e-6);
    NEAR(f->monthly[1].electricity_usd_per_mw, r.fleet_option.electricity_usd_per_mwh * 730 * avail, 1e-6);
    assert_true(f->npv_usd_per_mw > 0);
    /* paired with every AI option for the crossover month */
    size_t pairs = 0;
    for (size_t c = 0; c < p->n_crossovers; c++)
        pairs += p->crossovers[c].mining == r.n_options;
    assert_true(pairs > 0);
    hj_fleet_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashprice_hand_value),
        cmocka_unit_test(test_revenue_per_mwh_s21xp),
        cmocka_unit_test(test_breakeven_btc_price_roundtrip),
        cmocka_unit_test(test_subsidy_by_height),
        cmocka_unit_test(test_retarget_core_vectors),
        cmocka_unit_test(test_retarget_difficulty_clamps),
        cmocka_unit_test(test_cbeci_bounds),
        cmocka_unit_test(test_exit_scenario),
        cmocka_unit_test(test_embedded_data),
        cmocka_unit_test(test_malformed_data),
        cmocka_unit_test(test_bench_local_rows),
        cmocka_unit_test(test_bench_opencl_device_type),
        cmocka_unit_test(test_npv_irr_hand_values),
        cmocka_unit_test(test_run_embedded),
        cmocka_unit_test(test_run_overrides_and_errors),
        cmocka_unit_test(test_run_local_power_estimate),
        cmocka_unit_test(test_operator_fleet_two_sites),
        cmocka_unit_test(test_operator_fleet_refusals),
        cmocka_unit_test(test_run_operator_fleet),
        cmocka_unit_test(test_run_operator_fleet_projected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
