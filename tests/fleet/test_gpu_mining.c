/* GPU mining as modeled (kind gpu-mining-modeled): the bound from the GPU
 * table's fields, the row beside its GPU-cloud row, a measured GPU replacing
 * the model, device-name matching, and the loader's checks on the new fields. */
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

static void load(hj_gpu **gpus, size_t *ng, hj_fleet_assumptions *a)
{
    hj_error err;
    hj_fleet_blob b = hj_fleet_embedded("gpus.json");
    assert_int_equal(hj_fleet_parse_gpus(b.text, b.len, b.name, gpus, ng, &err), HJ_OK);
    b = hj_fleet_embedded("assumptions.json");
    assert_int_equal(hj_fleet_parse_assumptions(b.text, b.len, b.name, a, &err), HJ_OK);
}

static hj_fleet_option *evaluate(const hj_gpu *gpus, size_t ng, const hj_fleet_assumptions *a,
                                 const hj_local_result *local, size_t nl, hj_fleet_market *m, size_t *n)
{
    *m = (hj_fleet_market){.difficulty = 152e12,
                           .btc_price_usd = 91000,
                           .height = 922000,
                           .electricity_usd_per_mwh = 50,
                           .pool_fee_pct = 2,
                           .pue_override = NAN};
    hj_fleet_market_update(m);
    hj_fleet_inputs in = {NULL, 0, gpus, ng, a, local, nl};
    hj_fleet_option *o;
    hj_error err;
    assert_int_equal(hj_fleet_evaluate(&in, m, &o, n, &err), HJ_OK);
    return o;
}

static const hj_fleet_option *find(const hj_fleet_option *o, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(o[i].name, name) == 0)
            return &o[i];
    return NULL;
}

/* Every GPU of the table has a modeled row beside its GPU-cloud row; the
 * H100 SXM's hashrate is the bound by hand. */
static void test_modeled_rows(void **state)
{
    (void)state;
    hj_gpu *g;
    size_t ng, n;
    hj_fleet_assumptions a;
    hj_fleet_market m;
    load(&g, &ng, &a);
    hj_fleet_option *o = evaluate(g, ng, &a, NULL, 0, &m, &n);
    assert_int_equal(n, 2 * ng + a.n_colo);
    for (size_t i = 0; i < ng; i++) {
        char name[HJ_FLEET_OPTION_NAME_MAX];
        snprintf(name, sizeof name, "GPU mining (modeled): %s", g[i].model);
        const hj_fleet_option *r = find(o, n, name);
        assert_non_null(r);
        assert_int_equal(r->kind, HJ_KIND_GPU_MINING_MODELED);
        assert_true(hj_fleet_kind_is_mining(r->kind));
        assert_true(r->available);
        assert_non_null(strstr(r->detail, "MODEL, not a measurement"));
        /* the same power per GPU as the GPU-cloud row: the same GPUs per MW */
        snprintf(name, sizeof name, "AI GPU cloud: %s", g[i].model);
        const hj_fleet_option *cloud = find(o, n, name);
        assert_non_null(cloud);
        NEAR(r->unit_power_w, g[i].server_power_w_per_gpu, 0);
        NEAR(r->pue, cloud->pue, 0);
        if (cloud->available)
            NEAR(r->units_per_mw, cloud->units_per_mw, 1e-9);
        /* J/TH x TH/s = W */
        NEAR(r->efficiency_jth * r->hashes_per_second / 1e12, g[i].server_power_w_per_gpu, 1e-6);
        assert_true(r->net_usd_per_mwh < 0); /* a GPU cannot pay for its power by mining */
    }
    const hj_gpu *h100 = NULL;
    for (size_t i = 0; i < ng; i++)
        if (strcmp(g[i].model, "H100 SXM") == 0)
            h100 = &g[i];
    assert_non_null(h100);
    assert_string_equal(h100->isa, "sm_90");
    const hj_fleet_option *r = find(o, n, "GPU mining (modeled): H100 SXM");
    /* per hash rolling versions, as the ASIC rows are; the count is gpu_isa's for sm_90 */
    NEAR(h100->sha256d_rolled_instructions_per_hash, 1525.2, 0);
    NEAR(r->hashes_per_second, 132.0 * 64 * 1980e6 / 1525.2, 1);
    assert_non_null(strstr(r->detail, "/ 1525.2 instructions per hash, rolling versions"));
    /* without the rolling count, the per-nonce one of a single header */
    hj_gpu plain = *h100;
    plain.sha256d_rolled_instructions_per_hash = NAN;
    NEAR(hj_gpu_mining_bound_hs(&plain), 132.0 * 64 * 1980e6 / h100->sha256d_instructions_per_nonce, 1);
    assert_string_equal(hj_fleet_kind_name(HJ_KIND_GPU_MINING_MODELED), "gpu-mining-modeled");
    free(o);
    free(g);
}

/* A bench result of the same GPU replaces the model; a CPU device does not. */
static void test_measured_replaces_model(void **state)
{
    (void)state;
    hj_gpu *g;
    size_t ng, n;
    hj_fleet_assumptions a;
    hj_fleet_market m;
    load(&g, &ng, &a);
    hj_local_result l[2];
    memset(l, 0, sizeof l);
    snprintf(l[0].kernel, sizeof l[0].kernel, "opencl:0:0");
    snprintf(l[0].kind, sizeof l[0].kind, "device");
    snprintf(l[0].device_type, sizeof l[0].device_type, "gpu");
    snprintf(l[0].device, sizeof l[0].device, "NVIDIA GeForce RTX 4090");
    l[0].threads = 1;
    l[0].hashes_per_second = 5e9;
    l[0].joules_per_terahash = 9e4;
    snprintf(l[0].scope, sizeof l[0].scope, "gpu-board");
    l[1] = l[0];
    snprintf(l[1].device_type, sizeof l[1].device_type, "cpu");
    snprintf(l[1].device, sizeof l[1].device, "NVIDIA H100 80GB HBM3 (not a GPU device)");
    hj_fleet_option *o = evaluate(g, ng, &a, l, 2, &m, &n);
    assert_null(find(o, n, "GPU mining (modeled): RTX 4090"));
    assert_non_null(find(o, n, "GPU mining (modeled): H100 SXM"));
    assert_non_null(find(o, n, "AI GPU cloud: RTX 4090"));
    assert_int_equal(n, 2 * ng + a.n_colo + 2 - 1);
    free(o);
    free(g);
}

static void test_device_matching(void **state)
{
    (void)state;
    assert_true(hj_fleet_gpu_matches_device("RTX 4090", "NVIDIA GeForce RTX 4090"));
    assert_true(hj_fleet_gpu_matches_device("H100 SXM", "NVIDIA H100 80GB HBM3"));
    assert_false(hj_fleet_gpu_matches_device("H100 SXM", "NVIDIA H100 PCIe"));
    assert_true(hj_fleet_gpu_matches_device("H100 PCIe", "NVIDIA H100 PCIe"));
    assert_false(hj_fleet_gpu_matches_device("H100 PCIe", "NVIDIA H100 80GB HBM3"));
    assert_true(hj_fleet_gpu_matches_device("MI300X", "AMD Instinct MI300X"));
    assert_false(hj_fleet_gpu_matches_device("A100", "NVIDIA A1000")); /* whole words */
    assert_false(hj_fleet_gpu_matches_device("H200", "NVIDIA H100 80GB HBM3"));
    assert_false(hj_fleet_gpu_matches_device("", "anything"));
}

/* The new fields are optional and range-checked; a count needs its target. */
static void test_bad_fields(void **state)
{
    (void)state;
    const char *head = "{\"schema\":\"hashjoule-gpus/1\",\"gpus\":[{\"model\":\"X\",\"vendor\":\"V\","
                       "\"board_power_w\":300,\"server_power_w_per_gpu\":500,\"rent_on_demand_usd_per_hour\":null,"
                       "\"rent_one_year_usd_per_hour\":null,\"capex_usd_per_gpu\":null,\"sources\":\"s\"";
    struct {
        const char *fields, *want;
    } cases[] = {
        {",\"compute_units\":0", "\"compute_units\": 0 is out of range"},
        {",\"boost_clock_mhz\":\"1980\"", "\"boost_clock_mhz\": expected a number"},
        {",\"sha256d_instructions_per_nonce\":2000", "\"isa\": missing"},
        {",\"sha256d_rolled_instructions_per_hash\":1600", "\"isa\": missing"},
        {",\"isa\":\"sm_90\",\"sha256d_rolled_instructions_per_hash\":50", "out of range"},
        {",\"int32_lanes_per_unit_per_clock\":-64", "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s}]}", head, cases[i].fields);
        hj_gpu *g = NULL;
        size_t ng;
        hj_error err;
        assert_int_equal(hj_fleet_parse_gpus(text, strlen(text), "g.json", &g, &ng, &err), HJ_ERR_INPUT);
        if (!strstr(err.message, cases[i].want))
            fail_msg("'%s' lacks '%s'", err.message, cases[i].want);
    }
    /* none of them given: loads, and the modeled row is unavailable with the reason */
    char text[1024];
    snprintf(text, sizeof text, "%s}]}", head);
    hj_gpu *g;
    size_t ng, n;
    hj_error err;
    assert_int_equal(hj_fleet_parse_gpus(text, strlen(text), "g.json", &g, &ng, &err), HJ_OK);
    assert_true(isnan(hj_gpu_mining_bound_hs(&g[0])));
    hj_fleet_assumptions a;
    hj_gpu *unused;
    load(&unused, &n, &a);
    free(unused);
    hj_fleet_market m;
    hj_fleet_option *o = evaluate(g, ng, &a, NULL, 0, &m, &n);
    const hj_fleet_option *r = find(o, n, "GPU mining (modeled): X");
    assert_non_null(r);
    assert_false(r->available);
    assert_non_null(strstr(r->reason, "instruction count"));
    free(o);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modeled_rows),
        cmocka_unit_test(test_measured_replaces_model),
        cmocka_unit_test(test_device_matching),
        cmocka_unit_test(test_bad_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
