/* Shared by the fleet fuzz targets: what a parsed table goes on to (the
 * model, the sort, CBECI and the attack cost), with the embedded defaults
 * for every table the target does not fuzz, so a value a loader accepts is
 * also one the model survives. */
#ifndef HJ_FUZZ_FLEET_H
#define HJ_FUZZ_FLEET_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hashjoule/fleet.h"

/* Text with a NUL after it (the loaders take a length, but the fuzzer's
 * buffer must not be read past its end by anything). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (t) {
        memcpy(t, data, size);
        t[size] = '\0';
    }
    return t;
}

/* A refusal must say why, and name the file. */
static inline void fuzz_check_refusal(hj_status st, const hj_error *err)
{
    if (st != HJ_ERR_INPUT && st != HJ_ERR_RUNTIME)
        abort();
    if (!err->message[0] || !strstr(err->message, "fuzz.json"))
        abort();
}

static void fuzz_embedded(const char *name, const char **text, size_t *len)
{
    hj_fleet_blob b = hj_fleet_embedded(name);
    if (!b.text)
        abort();
    *text = b.text;
    *len = b.len;
}

/* Any of the pointers may be NULL: the embedded table is used. (Unused in a
 * target that checks the fleet file, which has its own market.) */
__attribute__((unused)) static void fuzz_fleet_model(const hj_asic *asics, size_t n_asics, const hj_gpu *gpus,
                                                     size_t n_gpus, const hj_fleet_assumptions *a,
                                                     const hj_network *net, const hj_bench_file *bench)
{
    hj_error err;
    const char *t;
    size_t l;
    hj_asic *own_asics = NULL;
    hj_gpu *own_gpus = NULL;
    hj_fleet_assumptions own_a;
    hj_network own_net;
    bool node;
    if (!asics) {
        fuzz_embedded("asics.json", &t, &l);
        if (hj_fleet_parse_asics(t, l, "embedded", &own_asics, &n_asics, &err) != HJ_OK)
            abort();
        asics = own_asics;
    }
    if (!gpus) {
        fuzz_embedded("gpus.json", &t, &l);
        if (hj_fleet_parse_gpus(t, l, "embedded", &own_gpus, &n_gpus, &err) != HJ_OK)
            abort();
        gpus = own_gpus;
    }
    if (!a) {
        fuzz_embedded("assumptions.json", &t, &l);
        if (hj_fleet_parse_assumptions(t, l, "embedded", &own_a, &err) != HJ_OK)
            abort();
        a = &own_a;
    }
    fuzz_embedded("network.json", &t, &l);
    if (hj_fleet_parse_network(t, l, "embedded", &own_net, &node, &err) != HJ_OK)
        abort();
    if (!net)
        net = &own_net;
    hj_fleet_market m = {
        .difficulty = net->difficulty,
        .btc_price_usd = isnan(net->btc_price_usd) ? own_net.btc_price_usd : net->btc_price_usd,
        .fees_btc_per_block = isnan(net->fees_btc_per_block) ? own_net.fees_btc_per_block : net->fees_btc_per_block,
        .height = net->has_height ? net->height : own_net.height,
        .electricity_usd_per_mwh = a->p[HJ_P_ELECTRICITY_USD_PER_MWH].value,
        .pool_fee_pct = a->p[HJ_P_POOL_FEE_PCT].value,
        .pue_override = NAN,
    };
    hj_fleet_market_update(&m);
    hj_fleet_inputs in = {asics, n_asics, gpus, n_gpus, a, bench ? bench->results : NULL, bench ? bench->n_results : 0};
    hj_fleet_option *opt = NULL;
    size_t n_opt = 0;
    if (hj_fleet_evaluate(&in, &m, &opt, &n_opt, &err) == HJ_OK) {
        hj_fleet_sort_by_net(opt, n_opt);
        free(opt);
    }
    int year = net->year ? net->year : own_net.year, month = net->month ? net->month : own_net.month;
    hj_cbeci cb;
    (void)hj_fleet_cbeci(asics, n_asics, a, hj_network_hashrate_hs(m.difficulty) / 1e12,
                         m.hashprice_usd_per_ph_day / 1000, year, month, &cb, &err);
    hj_attack_cost ac;
    (void)hj_fleet_attack_cost(asics, n_asics, a, &m, year, month, &ac, &err);
    free(own_asics);
    free(own_gpus);
}

#endif
