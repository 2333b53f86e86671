/* The per-option model: every option normalised to 1 MW of facility power
 * (IT load = 1 MW / PUE). Formulas: hashprice = 1e15 x 86400 x (S + F) x P /
 * (D x 2^32) per PH/s per day (Luxor's definition, docs.luxor.tech/hashrateindex/hashprice);
 * revenue per MWh of IT = hashprice x (1000 / J/TH) / 24; break-even power
 * price = hashprice per TH/day / (24 x J/TH / 1000 x PUE). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hashjoule/fleet.h"
#include "model_internal.h"

#define HOURS_PER_YEAR 8760.0
#define HOURS_PER_MONTH (HOURS_PER_YEAR / 12.0)

const char *hj_fleet_kind_name(hj_fleet_kind kind)
{
    switch (kind) {
    case HJ_KIND_ASIC: return "asic";
    case HJ_KIND_LOCAL_CPU: return "local-cpu";
    case HJ_KIND_LOCAL_GPU: return "local-gpu";
    case HJ_KIND_AI_COLOCATION: return "ai-colocation";
    case HJ_KIND_AI_GPU_CLOUD: return "ai-gpu-cloud";
    case HJ_KIND_OPERATOR_FLEET: return "operator-fleet";
    case HJ_KIND_GPU_MINING_MODELED: return "gpu-mining-modeled";
    }
    return "?";
}

void hj_fleet_market_update(hj_fleet_market *m)
{
    m->subsidy_btc = hj_subsidy_btc(m->height);
    if (!m->hashprice_overridden)
        m->hashprice_usd_per_ph_day =
            hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block, m->btc_price_usd);
}

double hj_fleet_pue_for(const hj_fleet_assumptions *a, const hj_fleet_market *m, hj_fleet_kind kind,
                        const char *cooling)
{
    if (!isnan(m->pue_override))
        return m->pue_override;
    switch (kind) {
    case HJ_KIND_ASIC:
    case HJ_KIND_OPERATOR_FLEET: /* per row: its ASIC's cooling */
        if (cooling && strcmp(cooling, "hydro") == 0)
            return a->p[HJ_P_PUE_HYDRO].value;
        if (cooling && strcmp(cooling, "immersion") == 0)
            return a->p[HJ_P_PUE_IMMERSION].value;
        return a->p[HJ_P_PUE_AIR].value;
    case HJ_KIND_LOCAL_CPU:
    case HJ_KIND_LOCAL_GPU: return a->p[HJ_P_PUE_LOCAL].value;
    case HJ_KIND_AI_COLOCATION:
    case HJ_KIND_AI_GPU_CLOUD:
    case HJ_KIND_GPU_MINING_MODELED: return a->p[HJ_P_PUE_AI].value;
    }
    return 1.0;
}

static void blank(hj_fleet_option *o)
{
    double *nums[] = {&o->pue,
                      &o->unit_power_w,
                      &o->units_per_mw,
                      &o->efficiency_jth,
                      &o->hashrate_ph_per_mw,
                      &o->it_mw_per_mw,
                      &o->revenue_usd_per_mwh,
                      &o->revenue_usd_per_it_mwh,
                      &o->electricity_usd_per_mwh,
                      &o->pool_fee_usd_per_mwh,
                      &o->other_opex_usd_per_mwh,
                      &o->cost_usd_per_mwh,
                      &o->net_usd_per_mwh,
                      &o->net_usd_per_mw_year,
                      &o->breakeven_electricity_usd_per_mwh,
                      &o->breakeven_btc_price_usd,
                      &o->breakeven_hashprice_usd_per_ph_day,
                      &o->capex_hardware_usd_per_mw,
                      &o->capex_site_usd_per_mw,
                      &o->capex_usd_per_mw,
                      &o->depreciation_usd_per_mwh,
                      &o->net_after_depreciation_usd_per_mwh,
                      &o->payback_months,
                      &o->hashes_per_second};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        *nums[i] = NAN;
}

/* Totals shared by every option once revenue and costs per MWh are set. */
static void finish(hj_fleet_option *o, double life_years)
{
    o->cost_usd_per_mwh = o->electricity_usd_per_mwh + o->pool_fee_usd_per_mwh + o->other_opex_usd_per_mwh;
    o->net_usd_per_mwh = o->revenue_usd_per_mwh - o->cost_usd_per_mwh;
    o->net_usd_per_mw_year = o->net_usd_per_mwh * HOURS_PER_YEAR;
    o->capex_usd_per_mw = o->capex_hardware_usd_per_mw + o->capex_site_usd_per_mw;
    if (!isnan(o->capex_hardware_usd_per_mw) && life_years > 0)
        o->depreciation_usd_per_mwh = o->capex_hardware_usd_per_mw / (life_years * HOURS_PER_YEAR);
    o->net_after_depreciation_usd_per_mwh = o->net_usd_per_mwh - o->depreciation_usd_per_mwh;
    if (!isnan(o->capex_usd_per_mw) && o->net_usd_per_mwh > 0)
        o->payback_months = o->capex_usd_per_mw / (o->net_usd_per_mwh * HOURS_PER_MONTH);
}

/* Mining at `jth` J/TH and `unit_w` W per unit: revenue, pool fee and the
 * three break-evens. */
static void mining(hj_fleet_option *o, const hj_fleet_market *m, double jth, double unit_w)
{
    o->efficiency_jth = jth;
    o->unit_power_w = unit_w;
    o->it_mw_per_mw = 1.0 / o->pue;
    o->units_per_mw = 1e6 / (o->pue * unit_w);
    o->hashrate_ph_per_mw = 1e6 / (o->pue * jth) / 1000.0; /* TH/s per MW of facility / 1000 */
    /* PH per MW of IT = 1000 / J/TH; revenue/MWh = hashprice * PH / 24 */
    o->revenue_usd_per_it_mwh = m->hashprice_usd_per_ph_day * (1000.0 / jth) / 24.0;
    o->revenue_usd_per_mwh = o->revenue_usd_per_it_mwh / o->pue;
    o->electricity_usd_per_mwh = m->electricity_usd_per_mwh;
    o->pool_fee_usd_per_mwh = o->revenue_usd_per_mwh * m->pool_fee_pct / 100.0;
    o->other_opex_usd_per_mwh = 0;
    double kept = o->revenue_usd_per_mwh * (1.0 - m->pool_fee_pct / 100.0);
    o->breakeven_electricity_usd_per_mwh = kept;
    if (kept > 0) {
        /* revenue is proportional to hashprice, and hashprice to the BTC price */
        o->breakeven_hashprice_usd_per_ph_day = m->hashprice_usd_per_ph_day * m->electricity_usd_per_mwh / kept;
        double hp_per_usd = hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block, 1.0);
        o->breakeven_btc_price_usd = o->breakeven_hashprice_usd_per_ph_day / hp_per_usd;
    }
}

static void eval_asic(hj_fleet_option *o, const hj_asic *a, const hj_fleet_assumptions *as, const hj_fleet_market *m)
{
    o->kind = HJ_KIND_ASIC;
    snprintf(o->name, sizeof o->name, "%s", a->model);
    o->available = true;
    o->unverified = a->unverified;
    o->pue = hj_fleet_pue_for(as, m, HJ_KIND_ASIC, a->cooling);
    snprintf(o->detail, sizeof o->detail, "%s %s, %s, %.4g TH/s at %.4g W (wall)", a->manufacturer, a->release,
             a->cooling, a->hashrate_ths, a->power_w);
    mining(o, m, a->efficiency_jth, a->power_w);
    o->capex_hardware_usd_per_mw = a->price_usd * o->units_per_mw; /* NAN when no price */
    o->capex_site_usd_per_mw = as->p[HJ_P_MINING_SITE_CAPEX_USD_PER_MW].value;
    finish(o, as->p[HJ_P_ASIC_LIFE_YEARS].value);
}

static const char *scope_note(const char *scope)
{
    if (strcmp(scope, "cpu-package") == 0)
        return "RAPL CPU package energy: not wall power (PSU, board, fans and memory excluded)";
    if (strcmp(scope, "gpu-board") == 0)
        return "GPU board energy: not wall power (host, PSU and fans excluded)";
    if (strcmp(scope, "wall") == 0)
        return "wall power, comparable with ASIC J/TH";
    return "scope as reported by the bench file";
}

/* A rate measured rolling versions (BIP 320) says so: it is the ASICs' way
 * of hashing, and the like-for-like rate beside their sheets. */
static void append_versions(hj_fleet_option *o, const hj_local_result *r)
{
    size_t n = strlen(o->detail);
    if (r->versions > 1 && n < sizeof o->detail)
        snprintf(o->detail + n, sizeof o->detail - n, "; rolling %u versions, as ASICs do", r->versions);
}

static void eval_local(hj_fleet_option *o, const hj_local_result *r, const hj_fleet_assumptions *as,
                       const hj_fleet_market *m)
{
    /* an OpenCL device of type CPU (PoCL) hashes on the CPU: local-cpu */
    o->kind = strcmp(r->kind, "cpu") == 0 || strcmp(r->device_type, "cpu") == 0 ? HJ_KIND_LOCAL_CPU : HJ_KIND_LOCAL_GPU;
    /* threads before the device: the text table cuts long names, and two
     * thread counts of one kernel must still read apart there */
    if (r->threads > 0)
        snprintf(o->name, sizeof o->name, "this machine: %.40s, %d thread%s (%.60s)", r->kernel, r->threads,
                 r->threads == 1 ? "" : "s", r->device[0] ? r->device : r->kind);
    else
        snprintf(o->name, sizeof o->name, "this machine: %.40s (%.60s)", r->kernel, r->device[0] ? r->device : r->kind);
    o->pue = hj_fleet_pue_for(as, m, o->kind, NULL);
    o->hashes_per_second = r->hashes_per_second;
    if (isnan(r->joules_per_terahash)) {
        o->available = false;
        o->energy_unmeasured = true;
        snprintf(o->reason, sizeof o->reason, "no energy measurement: %.580s", r->unavailable_reason);
        snprintf(o->detail, sizeof o->detail, "%.4g H/s measured", r->hashes_per_second);
        append_versions(o, r);
        return;
    }
    o->available = true;
    o->unverified = r->energy_estimated;
    if (r->energy_estimated)
        snprintf(o->detail, sizeof o->detail, "%.4g H/s measured; J/TH is an ESTIMATE from an assumed power (%s)",
                 r->hashes_per_second, r->energy_source);
    else
        snprintf(o->detail, sizeof o->detail, "%.4g H/s, %.4g J/TH measured, scope %s: %s", r->hashes_per_second,
                 r->joules_per_terahash, r->scope, scope_note(r->scope));
    append_versions(o, r);
    double unit_w = r->joules_per_terahash * r->hashes_per_second / 1e12;
    mining(o, m, r->joules_per_terahash, unit_w);
    o->capex_hardware_usd_per_mw = NAN; /* the machine's price is not known */
    o->capex_site_usd_per_mw = NAN;
    finish(o, as->p[HJ_P_ASIC_LIFE_YEARS].value);
}

static void eval_colocation(hj_fleet_option *o, const hj_colocation_deal *d, const hj_fleet_assumptions *as,
                            const hj_fleet_market *m)
{
    o->kind = HJ_KIND_AI_COLOCATION;
    snprintf(o->name, sizeof o->name, "%s", d->name);
    o->available = true;
    o->unverified = as->p[HJ_P_PUE_AI].unverified && isnan(m->pue_override);
    o->pue = hj_fleet_pue_for(as, m, o->kind, NULL);
    bool passthrough = as->p[HJ_P_COLOCATION_POWER_PASSTHROUGH].value >= 0.5;
    snprintf(o->detail, sizeof o->detail, "%.5g USD/kW-month of critical IT; electricity %s", d->usd_per_kw_month,
             passthrough ? "passed through to the tenant" : "paid by the landlord");
    o->it_mw_per_mw = 1.0 / o->pue;
    /* $/kW-month x 1000 kW per MW / 730 h per month = $/MWh of IT */
    o->revenue_usd_per_it_mwh = d->usd_per_kw_month * 1000.0 / HOURS_PER_MONTH;
    o->revenue_usd_per_mwh = o->revenue_usd_per_it_mwh / o->pue;
    o->electricity_usd_per_mwh = passthrough ? 0.0 : m->electricity_usd_per_mwh;
    o->pool_fee_usd_per_mwh = 0;
    o->other_opex_usd_per_mwh = o->revenue_usd_per_mwh * as->p[HJ_P_AI_COLOCATION_OPEX_PCT].value / 100.0;
    if (!passthrough)
        o->breakeven_electricity_usd_per_mwh = o->revenue_usd_per_mwh - o->other_opex_usd_per_mwh;
    o->capex_hardware_usd_per_mw = 0; /* the tenant owns the GPUs */
    o->capex_site_usd_per_mw = as->p[HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT].value / o->pue;
    finish(o, as->p[HJ_P_GPU_LIFE_YEARS].value);
    /* no hardware of the landlord's to depreciate (the site is not depreciated here) */
    o->depreciation_usd_per_mwh = NAN;
    o->net_after_depreciation_usd_per_mwh = o->net_usd_per_mwh;
}

static void eval_gpu(hj_fleet_option *o, const hj_gpu *g, const hj_fleet_assumptions *as, const hj_fleet_market *m)
{
    o->kind = HJ_KIND_AI_GPU_CLOUD;
    bool one_year = as->p[HJ_P_GPU_RATE_ONE_YEAR].value >= 0.5;
    double rate = one_year ? g->rent_one_year_usd_per_hour : g->rent_on_demand_usd_per_hour;
    double util = as->p[HJ_P_GPU_UTILISATION_PCT].value / 100.0;
    snprintf(o->name, sizeof o->name, "AI GPU cloud: %s", g->model);
    o->pue = hj_fleet_pue_for(as, m, o->kind, NULL);
    o->unverified = g->unverified_fields[0] != '\0' || as->p[HJ_P_GPU_UTILISATION_PCT].unverified;
    if (isnan(rate)) {
        o->available = false;
        snprintf(o->reason, sizeof o->reason,
                 "no %s rental price for the %s in the GPU table (give one with --gpus FILE)",
                 one_year ? "1-year" : "on-demand", g->model);
        return;
    }
    o->available = true;
    snprintf(o->detail, sizeof o->detail,
             "%.3g USD/GPU-h (%s) x %.0f%% utilisation, %.5g W per GPU in its server; non-power opex %.3g%% of revenue",
             rate, one_year ? "1-year contract" : "on-demand", util * 100, g->server_power_w_per_gpu,
             as->p[HJ_P_GPU_CLOUD_OPEX_PCT].value);
    o->unit_power_w = g->server_power_w_per_gpu;
    o->it_mw_per_mw = 1.0 / o->pue;
    o->units_per_mw = 1e6 / (o->pue * g->server_power_w_per_gpu);
    /* GPUs per facility MW x $/GPU-h x utilisation = $ per facility MWh */
    o->revenue_usd_per_mwh = o->units_per_mw * rate * util;
    o->revenue_usd_per_it_mwh = o->revenue_usd_per_mwh * o->pue;
    /* The facility is provisioned for the servers' maximum draw and billed for it
     * in full: an upper bound on the power bill (typical draw is lower). */
    o->electricity_usd_per_mwh = m->electricity_usd_per_mwh;
    o->pool_fee_usd_per_mwh = 0;
    /* staff, network, maintenance, sales: a share of revenue (listed GPU
     * clouds' margins, data/assumptions.json) */
    o->other_opex_usd_per_mwh = o->revenue_usd_per_mwh * as->p[HJ_P_GPU_CLOUD_OPEX_PCT].value / 100.0;
    o->breakeven_electricity_usd_per_mwh = o->revenue_usd_per_mwh - o->other_opex_usd_per_mwh;
    o->capex_hardware_usd_per_mw = o->units_per_mw * g->capex_usd_per_gpu; /* NAN when unknown */
    o->capex_site_usd_per_mw = as->p[HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT].value / o->pue;
    finish(o, as->p[HJ_P_GPU_LIFE_YEARS].value);
}

/* The same GPU mining at the bound its instruction count allows (data/gpus.json,
 * bench/gpu_isa.sh): a model, never a measurement. Power is the GPU's share
 * of its server, as in its GPU-cloud row: the host, fans and power supply run
 * for a mining GPU too, and the two rows of one GPU then fill a megawatt with
 * the same number of GPUs. */
static void eval_gpu_mining(hj_fleet_option *o, const hj_gpu *g, const hj_fleet_assumptions *as,
                            const hj_fleet_market *m)
{
    o->kind = HJ_KIND_GPU_MINING_MODELED;
    snprintf(o->name, sizeof o->name, "GPU mining (modeled): %s", g->model);
    o->pue = hj_fleet_pue_for(as, m, o->kind, NULL);
    double hs = hj_gpu_mining_bound_hs(g);
    if (isnan(hs)) {
        o->available = false;
        snprintf(o->reason, sizeof o->reason, "no mining model for the %s: the GPU table lacks its %s", g->model,
                 isnan(hj_gpu_mining_instructions_per_hash(g))
                     ? "kernel instruction count (isa, bench/gpu_isa.sh --record)"
                     : "compute units, lanes or clock");
        return;
    }
    o->available = true;
    o->unverified = strstr(g->unverified_fields, "compute_units") || strstr(g->unverified_fields, "boost_clock") ||
                    strstr(g->unverified_fields, "int32_lanes") || strstr(g->unverified_fields, "server_power");
    o->hashes_per_second = hs;
    bool rolled = !isnan(g->sha256d_rolled_instructions_per_hash);
    snprintf(o->detail, sizeof o->detail,
             "MODEL, not a measurement: %.3g GH/s bound = %.0f units x %.0f lanes x %.0f MHz / %.5g instructions per "
             "%s (%s); %.5g W per GPU in its server (board %.5g W)",
             hs / 1e9, g->compute_units, g->int32_lanes_per_unit_per_clock, g->boost_clock_mhz,
             hj_gpu_mining_instructions_per_hash(g), rolled ? "hash, rolling versions as the ASICs do" : "nonce",
             g->isa, g->server_power_w_per_gpu, g->board_power_w);
    mining(o, m, g->server_power_w_per_gpu / (hs / 1e12), g->server_power_w_per_gpu);
    o->capex_hardware_usd_per_mw = o->units_per_mw * g->capex_usd_per_gpu; /* NAN when unknown */
    o->capex_site_usd_per_mw = as->p[HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT].value / o->pue;
    finish(o, as->p[HJ_P_GPU_LIFE_YEARS].value);
}

static bool has_word(const char *hay, const char *word, size_t n)
{
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, word, n) == 0 && (p == hay || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[n]))
            return true;
    return false;
}

bool hj_fleet_gpu_matches_device(const char *model, const char *device)
{
    const char *w = model;
    while (*w) {
        while (*w == ' ')
            w++;
        size_t n = strcspn(w, " ");
        if (n == 0)
            break;
        bool sxm = n == 3 && strncasecmp(w, "SXM", 3) == 0;
        if (sxm ? has_word(device, "PCIe", 4) : !has_word(device, w, n))
            return false;
        w += n;
    }
    return model[0] != '\0';
}

/* A local GPU row measured this GPU of the table. */
static bool measured_locally(const hj_gpu *g, const hj_fleet_inputs *in)
{
    for (size_t i = 0; i < in->n_local; i++)
        if (strcmp(in->local[i].kind, "cpu") != 0 && strcmp(in->local[i].device_type, "cpu") != 0 &&
            hj_fleet_gpu_matches_device(g->model, in->local[i].device))
            return true;
    return false;
}

hj_status hj_fleet_evaluate(const hj_fleet_inputs *in, const hj_fleet_market *m, hj_fleet_option **out, size_t *n,
                            hj_error *err)
{
    size_t total = in->n_asics + in->n_local + in->a->n_colo + 2 * in->n_gpus;
    hj_fleet_option *opt = calloc(total ? total : 1, sizeof *opt);
    if (!opt)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < in->n_asics; i++, k++) {
        blank(&opt[k]);
        opt[k].source_index = i;
        eval_asic(&opt[k], &in->asics[i], in->a, m);
    }
    for (size_t i = 0; i < in->n_local; i++, k++) {
        blank(&opt[k]);
        opt[k].source_index = i;
        eval_local(&opt[k], &in->local[i], in->a, m);
    }
    for (size_t i = 0; i < in->a->n_colo; i++, k++) {
        blank(&opt[k]);
        opt[k].source_index = i;
        eval_colocation(&opt[k], &in->a->colo[i], in->a, m);
    }
    for (size_t i = 0; i < in->n_gpus; i++, k++) {
        blank(&opt[k]);
        opt[k].source_index = i;
        eval_gpu(&opt[k], &in->gpus[i], in->a, m);
    }
    for (size_t i = 0; i < in->n_gpus; i++) {
        if (measured_locally(&in->gpus[i], in))
            continue; /* the measurement replaces the model */
        blank(&opt[k]);
        opt[k].source_index = i;
        eval_gpu_mining(&opt[k], &in->gpus[i], in->a, m);
        k++;
    }
    *out = opt;
    *n = k;
    return HJ_OK;
}

static int by_net(const void *pa, const void *pb)
{
    const hj_fleet_option *a = pa, *b = pb;
    if (a->available != b->available)
        return a->available ? -1 : 1;
    if (!a->available)
        return strcmp(a->name, b->name);
    if (a->net_usd_per_mwh != b->net_usd_per_mwh)
        return a->net_usd_per_mwh > b->net_usd_per_mwh ? -1 : 1;
    return strcmp(a->name, b->name);
}

void hj_fleet_sort_by_net(hj_fleet_option *opt, size_t n)
{
    /* qsort is not stable: ties fall back to the name so the order is reproducible */
    qsort(opt, n, sizeof *opt, by_net);
}

void hj_fleet_owned_mining(hj_fleet_option *o, const hj_fleet_market *m, double pue, double jth, double unit_w)
{
    blank(o);
    o->available = true;
    o->pue = pue;
    mining(o, m, jth, unit_w);
    o->capex_hardware_usd_per_mw = 0; /* owned: the hardware is sunk */
    o->capex_site_usd_per_mw = 0;     /* and the site built */
    finish(o, 0);
    o->depreciation_usd_per_mwh = NAN;
    o->net_after_depreciation_usd_per_mwh = o->net_usd_per_mwh;
    o->payback_months = NAN; /* nothing to pay back */
}
