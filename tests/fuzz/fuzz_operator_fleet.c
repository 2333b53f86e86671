/* libFuzzer target: the operator's fleet file (`fleet --fleet FILE`, CSV or JSON) against the embedded ASIC table,
 * then its sums and its option at the embedded market. */
#include <stdint.h>

#include "fuzz_fleet.h"

/* The embedded tables, parsed once (they stay reachable until the end). */
static hj_asic *asics;
static size_t n_asics;
static hj_fleet_assumptions a;
static hj_fleet_market m;

static void load_tables(void)
{
    hj_error err;
    const char *t;
    size_t l;
    hj_network net;
    bool node;
    fuzz_embedded("asics.json", &t, &l);
    if (hj_fleet_parse_asics(t, l, "embedded", &asics, &n_asics, &err) != HJ_OK)
        abort();
    fuzz_embedded("assumptions.json", &t, &l);
    if (hj_fleet_parse_assumptions(t, l, "embedded", &a, &err) != HJ_OK)
        abort();
    fuzz_embedded("network.json", &t, &l);
    if (hj_fleet_parse_network(t, l, "embedded", &net, &node, &err) != HJ_OK)
        abort();
    m = (hj_fleet_market){.difficulty = net.difficulty,
                          .btc_price_usd = net.btc_price_usd,
                          .fees_btc_per_block = net.fees_btc_per_block,
                          .height = net.height,
                          .electricity_usd_per_mwh = a.p[HJ_P_ELECTRICITY_USD_PER_MWH].value,
                          .pool_fee_pct = a.p[HJ_P_POOL_FEE_PCT].value,
                          .pue_override = NAN};
    hj_fleet_market_update(&m);
}

/* Everything a parsed fleet goes on to: its sums and its option. */
static void fuzz_fleet_sums(hj_operator_fleet *f)
{
    hj_error err;
    hj_status st = hj_operator_fleet_evaluate(f, &a, &m, &err);
    if (st != HJ_OK) {
        fuzz_check_refusal(st, &err); /* over a site's capacity */
        return;
    }
    const hj_operator_fleet_totals *tot = &f->total;
    if (tot->units == 0 || !(tot->hashrate_ths > 0) || !(tot->facility_mw >= tot->it_mw) || !(tot->it_mw > 0) ||
        !isfinite(tot->net_usd_per_mwh) || !isfinite(tot->efficiency_jth))
        abort();
    hj_fleet_option o;
    hj_operator_fleet_option(f, &m, &o);
    if (o.kind != HJ_KIND_OPERATOR_FLEET || !o.available || !isfinite(o.net_usd_per_mwh) || o.capex_usd_per_mw != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!asics)
        load_tables();
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_error err = {{0}};
    hj_operator_fleet f;
    hj_status st = hj_operator_fleet_parse(text, size, "fuzz.json", asics, n_asics, &f, &err);
    if (st == HJ_OK) {
        if (f.n_rows == 0 || f.n_sites == 0 || f.n_sites > f.n_rows)
            abort();
        for (size_t i = 0; i < f.n_rows; i++)
            if (f.rows[i].units == 0 || !(f.rows[i].hashrate_ths > 0) || !(f.rows[i].power_w > 0) ||
                f.rows[i].site >= f.n_sites)
                abort();
        fuzz_fleet_sums(&f);
        hj_operator_fleet_free(&f);
    } else {
        fuzz_check_refusal(st, &err);
        if (f.rows || f.sites)
            abort(); /* freed on failure */
    }
    free(text);
    return 0;
}
