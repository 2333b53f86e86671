/* `hashjoule fleet` output: the text report, --explain, --json and --csv. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "fleet_cli.h"
#include "hashjoule/format.h"
#include "hashjoule/version.h"

/* "%.*f" or "-" for numbers that do not apply. */
static const char *num(char *buf, size_t cap, double v, int prec)
{
    if (isnan(v))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.*f", prec, v);
    return buf;
}

/* Revenue of CPU/GPU rows is tiny: keep significant digits. */
static const char *money(char *buf, size_t cap, double v)
{
    if (isnan(v))
        return snprintf(buf, cap, "-"), buf;
    if (v != 0 && fabs(v) < 0.1)
        snprintf(buf, cap, "%.2g", v);
    else
        snprintf(buf, cap, "%.1f", v);
    return buf;
}

void fleet_headline_compute(const fleet_ctx *c, fleet_headline *h)
{
    memset(h, 0, sizeof *h);
    h->mining_it_min = h->mining_min = h->colo_it_min = h->colo_min = h->gpu_min = INFINITY;
    h->mining_it_max = h->mining_max = h->colo_it_max = h->colo_max = h->gpu_max = -INFINITY;
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        if (!o->available)
            continue;
        if (o->kind == HJ_KIND_ASIC && o->net_usd_per_mwh > 0) {
            /* the fleet that keeps running at this power price */
            h->n_mining++;
            if (o->revenue_usd_per_it_mwh < h->mining_it_min) {
                h->mining_it_min = o->revenue_usd_per_it_mwh;
                h->mining_min_name = o->name;
            }
            if (o->revenue_usd_per_it_mwh > h->mining_it_max) {
                h->mining_it_max = o->revenue_usd_per_it_mwh;
                h->mining_max_name = o->name;
            }
            h->mining_min = fmin(h->mining_min, o->revenue_usd_per_mwh);
            h->mining_max = fmax(h->mining_max, o->revenue_usd_per_mwh);
        } else if (o->kind == HJ_KIND_AI_COLOCATION) {
            h->n_colo++;
            h->colo_it_min = fmin(h->colo_it_min, o->revenue_usd_per_it_mwh);
            h->colo_it_max = fmax(h->colo_it_max, o->revenue_usd_per_it_mwh);
            h->colo_min = fmin(h->colo_min, o->revenue_usd_per_mwh);
            h->colo_max = fmax(h->colo_max, o->revenue_usd_per_mwh);
        } else if (o->kind == HJ_KIND_AI_GPU_CLOUD) {
            h->n_gpu++;
            h->gpu_min = fmin(h->gpu_min, o->revenue_usd_per_mwh);
            h->gpu_max = fmax(h->gpu_max, o->revenue_usd_per_mwh);
        }
    }
    double *all[] = {&h->mining_it_min, &h->mining_it_max, &h->mining_min, &h->mining_max, &h->colo_it_min,
                     &h->colo_it_max,   &h->colo_min,      &h->colo_max,   &h->gpu_min,    &h->gpu_max};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (isinf(*all[i]))
            *all[i] = NAN;
    h->ratio_colo_vs_mining_it = h->colo_it_max / h->mining_it_min;
    double best_mining_net = NAN, best_colo_net = NAN;
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        if (!o->available)
            continue;
        if (o->kind == HJ_KIND_ASIC && (isnan(best_mining_net) || o->net_usd_per_mwh > best_mining_net))
            best_mining_net = o->net_usd_per_mwh;
        if (o->kind == HJ_KIND_AI_COLOCATION && (isnan(best_colo_net) || o->net_usd_per_mwh > best_colo_net))
            best_colo_net = o->net_usd_per_mwh;
    }
    h->net_ratio_colo_vs_best_mining = best_mining_net > 0 ? best_colo_net / best_mining_net : NAN;
}

static const char *short_kind(hj_fleet_kind k) { return hj_fleet_kind_name(k); }

static void print_assumptions(FILE *out, const fleet_ctx *c)
{
    const hj_fleet_market *m = &c->m;
    const hj_fleet_param *p = c->a.p;
    fprintf(out, "hashjoule fleet: the value of a megawatt, per MWh of FACILITY power (IT load x PUE)\n\n");
    fprintf(out, "Network (%s)\n", c->net.origin);
    fprintf(out, "  difficulty         %.4g T                 [%s]\n", m->difficulty / 1e12, c->src_difficulty);
    fprintf(out, "  network hashrate   %.1f EH/s              implied: D x 2^32 / 600",
            hj_network_hashrate_hs(m->difficulty) / 1e18);
    if (!isnan(c->net.hashrate_ehs_reported))
        fprintf(out, " (reported: %.0f EH/s)", c->net.hashrate_ehs_reported);
    fprintf(out, "\n  BTC price          $%.0f                [%s]\n", m->btc_price_usd, c->src_price);
    fprintf(out, "  fees per block     %.4g BTC               [%s]\n", m->fees_btc_per_block, c->src_fees);
    uint64_t next = (m->height / HJ_HALVING_INTERVAL + 1) * HJ_HALVING_INTERVAL;
    fprintf(out,
            "  height             %llu -> subsidy %.4g BTC; next halving at %llu (%llu blocks, ~%.0f days at 10 min) "
            "[%s]\n",
            (unsigned long long)m->height, m->subsidy_btc, (unsigned long long)next,
            (unsigned long long)(next - m->height), (double)(next - m->height) * 600.0 / 86400.0, c->src_height);
    fprintf(out, "  hashprice          $%.2f per PH/s per day  %s\n", m->hashprice_usd_per_ph_day, c->src_hashprice);
    fprintf(out, "\nEconomics (%s)\n", c->assumptions_origin);
    fprintf(out, "  electricity        $%.2f/MWh  [%s]\n", m->electricity_usd_per_mwh,
            p[HJ_P_ELECTRICITY_USD_PER_MWH].source);
    fprintf(out, "  pool fee           %.2f%%%s  [%s]\n", m->pool_fee_pct,
            p[HJ_P_POOL_FEE_PCT].unverified ? " (UNVERIFIED)" : "", p[HJ_P_POOL_FEE_PCT].source);
    if (!isnan(m->pue_override))
        fprintf(out, "  PUE                %.3g for every option (flag --pue)\n", m->pue_override);
    else
        fprintf(out, "  PUE                air %.3g, hydro %.3g%s, immersion %.3g, AI %.3g%s, this machine %.3g\n",
                p[HJ_P_PUE_AIR].value, p[HJ_P_PUE_HYDRO].value, p[HJ_P_PUE_HYDRO].unverified ? " (UNVERIFIED)" : "",
                p[HJ_P_PUE_IMMERSION].value, p[HJ_P_PUE_AI].value, p[HJ_P_PUE_AI].unverified ? " (UNVERIFIED)" : "",
                p[HJ_P_PUE_LOCAL].value);
    fprintf(
        out,
        "  ASIC mining        site capex $%.3gM/MW; hardware at indicative list prices, depreciated over %g years\n",
        p[HJ_P_MINING_SITE_CAPEX_USD_PER_MW].value / 1e6, p[HJ_P_ASIC_LIFE_YEARS].value);
    fprintf(out,
            "  AI colocation      rent per kW of critical IT; electricity %s; opex %.3g%% of rent; site capex $%.3gM "
            "per MW of IT\n",
            p[HJ_P_COLOCATION_POWER_PASSTHROUGH].value >= 0.5 ? "passed through to the tenant" : "paid by the landlord",
            p[HJ_P_AI_COLOCATION_OPEX_PCT].value, p[HJ_P_AI_SITE_CAPEX_USD_PER_MW_IT].value / 1e6);
    fprintf(out,
            "  AI GPU cloud       %s rate x %.3g%% utilisation%s; power billed at the servers' maximum draw;\n"
            "                     GPU capex depreciated over %g years and shown APART from net (net is before capex)\n",
            p[HJ_P_GPU_RATE_ONE_YEAR].value >= 0.5 ? "1-year contract" : "on-demand", p[HJ_P_GPU_UTILISATION_PCT].value,
            p[HJ_P_GPU_UTILISATION_PCT].unverified ? " (UNVERIFIED)" : "", p[HJ_P_GPU_LIFE_YEARS].value);
    fprintf(out, "  data               %s; %s\n", c->asics_origin, c->gpus_origin);
    if (c->have_bench) {
        fprintf(out, "  this machine       %s (%s%s%s%s%s)\n", c->bench_path, c->bench.host,
                c->bench.date[0] ? ", " : "", c->bench.date, c->bench.machine[0] ? ", " : "", c->bench.machine);
        bool pkg = false;
        for (size_t i = 0; i < c->bench.n_results; i++)
            pkg |= strcmp(c->bench.results[i].scope, "wall") != 0 && !isnan(c->bench.results[i].joules_per_terahash);
        if (pkg)
            fprintf(
                out,
                "                     NOTE: local J/TH is measured at the scope shown (RAPL CPU package, GPU board),\n"
                "                     not at the wall like ASIC J/TH: the wall figure is higher.\n");
    } else {
        fprintf(
            out,
            "  this machine       local rows missing: no --bench FILE given. Run `hashjoule bench` here\n"
            "                     and pass its results file with --bench FILE to add this CPU's and GPU's kernels.\n");
    }
    fprintf(out, "  * = an input of the row is UNVERIFIED in the fact sheet, or an estimate\n\n");
}

static void print_table(FILE *out, const fleet_ctx *c)
{
    char b[12][48];
    fprintf(out, "%-3s %-44s %-13s %8s %5s %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", "#", "option", "kind", "J/TH", "PUE",
            "revenue", "cost", "net", "net", "b/e power", "b/e BTC", "capex", "depr.", "payback");
    fprintf(out, "%-3s %-44s %-13s %8s %5s %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", "", "", "", "", "", "$/MWh", "$/MWh",
            "$/MWh", "k$/MW-yr", "$/MWh", "$", "M$/MW", "$/MWh", "months");
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        char name[64];
        snprintf(name, sizeof name, "%.42s%s", o->name, o->unverified ? " *" : "");
        if (!o->available) {
            fprintf(out, "%-3zu %-44s %-13s  unavailable: %s\n", i + 1, name, short_kind(o->kind), o->reason);
            continue;
        }
        fprintf(out, "%-3zu %-44s %-13s %8s %5.2f %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", i + 1, name,
                short_kind(o->kind), num(b[0], 48, o->efficiency_jth, o->efficiency_jth < 1000 ? 1 : 0), o->pue,
                money(b[1], 48, o->revenue_usd_per_mwh), money(b[2], 48, o->cost_usd_per_mwh),
                money(b[3], 48, o->net_usd_per_mwh), num(b[4], 48, o->net_usd_per_mw_year / 1000.0, 0),
                num(b[5], 48, o->breakeven_electricity_usd_per_mwh, 1),
                num(b[6], 48, o->breakeven_btc_price_usd > 1e9 ? NAN : o->breakeven_btc_price_usd, 0),
                num(b[7], 48, o->capex_usd_per_mw / 1e6, 2), num(b[8], 48, o->depreciation_usd_per_mwh, 1),
                num(b[9], 48, o->payback_months, 0));
    }
    fprintf(
        out,
        "\nrevenue: gross, before pool fee. cost: electricity + pool fee + other opex (colocation: %.3g%% of rent).\n"
        "net: revenue - cost, BEFORE capex; depr. (hardware over its life) is shown apart, so a GPU cloud's net\n"
        "is not its profit. b/e power: the electricity price at which net = 0 (- where power is passed through).\n"
        "b/e BTC: the BTC price at which net = 0 at this difficulty. payback: capex (hardware + site) / monthly net.\n",
        c->a.p[HJ_P_AI_COLOCATION_OPEX_PCT].value);
}

static void print_headline(FILE *out, const fleet_ctx *c)
{
    fleet_headline h;
    fleet_headline_compute(c, &h);
    fprintf(out, "\nHeadline: the 2026 press figures, mining ~$57-129/MWh against AI ~$200-500/MWh (up to 8x)\n");
    if (h.n_mining)
        fprintf(out,
                "  mining, the %zu ASICs that run at a profit here: gross $%.0f-%.0f per MWh of IT (%s .. %s),\n"
                "    $%.0f-%.0f per facility MWh\n",
                h.n_mining, h.mining_it_min, h.mining_it_max, h.mining_min_name, h.mining_max_name, h.mining_min,
                h.mining_max);
    else
        fprintf(out, "  mining: no ASIC runs at a profit at these prices\n");
    if (h.n_colo)
        fprintf(out, "  AI colocation (%zu rates): $%.0f-%.0f per MWh of IT, $%.0f-%.0f per facility MWh (PUE %.3g)\n",
                h.n_colo, h.colo_it_min, h.colo_it_max, h.colo_min, h.colo_max,
                hj_fleet_pue_for(&c->a, &c->m, HJ_KIND_AI_COLOCATION, NULL));
    if (h.n_gpu)
        fprintf(out,
                "  AI GPU cloud (%zu GPUs priced): $%.0f-%.0f per facility MWh of revenue, before $M/MW of GPU capex\n",
                h.n_gpu, h.gpu_min, h.gpu_max);
    if (!isnan(h.ratio_colo_vs_mining_it))
        fprintf(out, "  best colocation rate / weakest running miner, per MWh of IT: %.1fx", h.ratio_colo_vs_mining_it);
    if (!isnan(h.net_ratio_colo_vs_best_mining))
        fprintf(out, "; on net (after power, pool fee, opex): best colocation / best ASIC = %.1fx",
                h.net_ratio_colo_vs_best_mining);
    fprintf(out,
            "\n  The press's mining range is gross revenue per MWh of miner load at a $30-38 hashprice; its AI\n"
            "  range starts at the colocation deals (per MWh of critical IT) and has no direct source. See README.\n");
}

static void print_security(FILE *out, const fleet_ctx *c)
{
    const hj_cbeci *k = &c->cbeci;
    const hj_attack_cost *a = &c->attack;
    fprintf(out, "\nSecurity view (as of %s)\n", c->as_of);
    fprintf(out,
            "  CBECI method at $%.3g/kWh: profitability threshold %.1f J/TH; %zu of %zu ASICs younger than %g years "
            "are profitable\n",
            k->electricity_usd_per_kwh, k->threshold_j_per_th, k->n_profitable, k->n_considered,
            c->a.p[HJ_P_CBECI_MAX_AGE_YEARS].value);
    if (k->n_profitable)
        fprintf(out,
                "  network power: lower %.2f GW (%.1f J/TH, %s), best guess %.2f GW (%.1f J/TH weighted), upper %.2f "
                "GW (%.1f J/TH, %s)\n"
                "                 = %.1f / %.1f / %.1f TWh per year\n",
                k->lower_gw, k->min_jth, k->min_model, k->best_gw, k->weighted_jth, k->upper_gw, k->max_jth,
                k->max_model, k->lower_twh_yr, k->best_twh_yr, k->upper_twh_yr);
    fprintf(
        out,
        "  %.0f%% of the current hashrate = %.0f EH/s: %.0f x %s (%.1f J/TH) drawing %.0f MW, $%.2fM of power per day",
        a->share_pct, a->hashrate_ehs, a->units, a->asic->model, a->asic->efficiency_jth, a->power_mw,
        a->energy_usd_per_day / 1e6);
    if (a->priced_asic)
        fprintf(out, ";\n  hardware %s$%.2fB at the list price of the %s (the most efficient with a price)\n",
                a->priced_asic == a->asic ? "" : "about ", a->hardware_usd / 1e9, a->priced_asic->model);
    else
        fprintf(out, "; no ASIC in the table has a price\n");
    fprintf(out, "  (an outsider needs %.0f EH/s to hold %.0f%% of the total once added)\n", a->hashrate_to_outpace_ehs,
            a->share_pct);
}

static void print_exit(FILE *out, const fleet_ctx *c)
{
    const hj_exit_scenario *s = &c->exit;
    fprintf(out,
            "\nScenario: %.3g%% of hashrate leaves for AI over %.3g days (horizon %.3g days; BTC $%.0f -> $%.0f)\n",
            s->exit_pct, s->exit_days, s->horizon_days, s->btc_price_start_usd, s->btc_price_end_usd);
    fprintf(out,
            "  hashrate %.0f -> %.0f EH/s; hashprice for those who stay $%.2f -> $%.2f per PH/day (min $%.2f);\n"
            "  slowest day: %.1f min per block; ",
            s->start_hashrate_ehs, s->end_hashrate_ehs, s->hashprice_start_usd_per_ph_day,
            s->hashprice_end_usd_per_ph_day, s->hashprice_min_usd_per_ph_day, s->max_mean_block_time_s / 60.0);
    if (isnan(s->days_to_equilibrium))
        fprintf(out, "difficulty not within 1%% of the new equilibrium inside the horizon\n");
    else
        fprintf(out, "difficulty within 1%% of the new equilibrium from day %.0f\n", s->days_to_equilibrium);
    fprintf(out, "  %-5s %8s %8s %9s %9s %8s %9s %8s %9s %s\n", "epoch", "start d", "end d", "retarget", "EH/s end",
            "min/blk", "diff T", "change", "hashprice", "");
    for (size_t i = 0; i < s->n_epochs; i++) {
        const hj_epoch_row *e = &s->epochs[i];
        fprintf(out, "  %-5d %8.1f %8.1f %9llu %9.0f %8.2f %9.2f %+7.2f%% %9.2f %s\n", e->epoch, e->start_day,
                e->end_day, (unsigned long long)e->retarget_height, e->hashrate_ehs_at_end, e->mean_block_time_s / 60.0,
                e->difficulty_after / 1e12, e->change_pct, e->hashprice_after_usd_per_ph_day,
                e->clamped ? "clamped (1/4..4x)" : "");
    }
    if (s->n_days && c->ref)
        fprintf(out, "  %s (reference): net $%.1f/MWh on day 0, $%.1f/MWh on day %.0f\n", c->ref->model,
                s->days[0].reference_net_usd_per_mwh, s->days[s->n_days - 1].reference_net_usd_per_mwh,
                s->days[s->n_days - 1].day);
}

static const hj_fleet_option *find_by_name(const hj_fleet_option *o, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(o[i].name, name) == 0)
            return &o[i];
    return NULL;
}

static void print_halving(FILE *out, const fleet_ctx *c)
{
    const hj_fleet_market *h = &c->m_halving;
    fprintf(
        out,
        "\nScenario: the next halving (height %llu, subsidy %.4g -> %.4g BTC), difficulty, price and fees unchanged\n",
        (unsigned long long)h->height, c->m.subsidy_btc, h->subsidy_btc);
    fprintf(out, "  hashprice $%.2f -> $%.2f per PH/day\n", c->m.hashprice_usd_per_ph_day, h->hashprice_usd_per_ph_day);
    fprintf(out, "  %-42s %10s %10s %12s %12s\n", "ASIC", "net now", "net after", "b/e power", "b/e BTC");
    fprintf(out, "  %-42s %10s %10s %12s %12s\n", "", "$/MWh", "$/MWh", "after $/MWh", "after $");
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        const hj_fleet_option *a = find_by_name(c->halving_opt, c->n_halving, o->name);
        if (!a)
            continue;
        fprintf(out, "  %-42.42s %10.1f %10.1f %12.1f %12.0f%s\n", o->name, o->net_usd_per_mwh, a->net_usd_per_mwh,
                a->breakeven_electricity_usd_per_mwh, a->breakeven_btc_price_usd,
                o->net_usd_per_mwh > 0 && a->net_usd_per_mwh <= 0 ? "  switches off" : "");
    }
}

static const char *short_model(const char *name)
{
    const char *sp = strchr(name, ' ');
    return sp && strncmp(name, "AI ", 3) != 0 ? sp + 1 : name;
}

static void print_grid(FILE *out, const fleet_ctx *c)
{
    fprintf(out, "\nScenario: sensitivity grid: the best ASIC per MW and its net $/MWh ('>' where it beats the best "
                 "colocation rate)\n");
    fprintf(out, "  %-12s", "BTC \\ $/MWh");
    for (size_t ie = 0; ie < c->grid_ne; ie++)
        fprintf(out, " %-24.0f", c->a.grid_electricity_usd_per_mwh[ie]);
    fprintf(out, "\n");
    for (size_t ib = 0; ib < c->grid_nb; ib++) {
        fprintf(out, "  %-12.0f", c->a.grid_btc_price_usd[ib]);
        for (size_t ie = 0; ie < c->grid_ne; ie++) {
            size_t best_asic = SIZE_MAX, best_colo = SIZE_MAX;
            for (size_t k = 0; k < c->grid_nopt; k++) {
                double v = c->grid_net[fleet_grid_at(c, ib, ie, k)];
                if (isnan(v))
                    continue;
                size_t *slot = c->grid_kinds[k] == HJ_KIND_ASIC            ? &best_asic
                               : c->grid_kinds[k] == HJ_KIND_AI_COLOCATION ? &best_colo
                                                                           : NULL;
                if (slot && (*slot == SIZE_MAX || v > c->grid_net[fleet_grid_at(c, ib, ie, *slot)]))
                    *slot = k;
            }
            char cell[128] = "-";
            if (best_asic != SIZE_MAX) {
                double v = c->grid_net[fleet_grid_at(c, ib, ie, best_asic)];
                bool beats = best_colo == SIZE_MAX || v > c->grid_net[fleet_grid_at(c, ib, ie, best_colo)];
                snprintf(cell, sizeof cell, "%s%.15s %+.0f", beats ? ">" : "", short_model(c->grid_names[best_asic]),
                         v);
            }
            fprintf(out, " %-24s", cell);
        }
        fprintf(out, "\n");
    }
    /* AI options do not depend on the BTC price: one line per power price */
    fprintf(out, "  best AI option by power price (BTC price does not enter):");
    for (size_t ie = 0; ie < c->grid_ne; ie++) {
        size_t best = SIZE_MAX;
        for (size_t k = 0; k < c->grid_nopt; k++) {
            double v = c->grid_net[fleet_grid_at(c, 0, ie, k)];
            if (!isnan(v) && c->grid_kinds[k] != HJ_KIND_ASIC && c->grid_kinds[k] != HJ_KIND_LOCAL_CPU &&
                c->grid_kinds[k] != HJ_KIND_LOCAL_GPU &&
                (best == SIZE_MAX || v > c->grid_net[fleet_grid_at(c, 0, ie, best)]))
                best = k;
        }
        if (best != SIZE_MAX)
            fprintf(out, "%s $%.0f: %s %+.0f", ie ? ";" : "", c->a.grid_electricity_usd_per_mwh[ie],
                    c->grid_names[best], c->grid_net[fleet_grid_at(c, 0, ie, best)]);
    }
    fprintf(out, "\n  (every option's margin in every cell: --json, scenarios.grid)\n");
}

void fleet_print_text(FILE *out, const fleet_ctx *c)
{
    print_assumptions(out, c);
    print_table(out, c);
    print_headline(out, c);
    print_security(out, c);
    if (c->run_exit)
        print_exit(out, c);
    if (c->run_halving)
        print_halving(out, c);
    if (c->run_grid)
        print_grid(out, c);
}

/* ---- --explain ---- */
static void explain_option(FILE *out, const fleet_ctx *c, const hj_fleet_option *o)
{
    const hj_fleet_market *m = &c->m;
    fprintf(out, "\n%s  (%s)\n", o->name, hj_fleet_kind_name(o->kind));
    if (!o->available) {
        fprintf(out, "  unavailable: %s\n", o->reason);
        return;
    }
    fprintf(out, "  %s\n", o->detail);
    if (o->kind == HJ_KIND_ASIC || o->kind == HJ_KIND_LOCAL_CPU || o->kind == HJ_KIND_LOCAL_GPU) {
        double e = o->efficiency_jth, fee = m->pool_fee_pct / 100.0;
        fprintf(out, "  units per MW        = 1e6 / (PUE x W) = 1e6 / (%.3g x %.6g) = %.6g\n", o->pue, o->unit_power_w,
                o->units_per_mw);
        fprintf(out, "  PH/s per MW         = 1000 / (J/TH x PUE) = 1000 / (%.6g x %.3g) = %.6g\n", e, o->pue,
                o->hashrate_ph_per_mw);
        fprintf(out,
                "  revenue per IT MWh  = hashprice x (1000 / J/TH) / 24 = %.4f x (1000 / %.6g) / 24 = %.6g $/MWh\n",
                m->hashprice_usd_per_ph_day, e, o->revenue_usd_per_it_mwh);
        fprintf(out, "  revenue             = %.6g / PUE %.3g = %.6g $/MWh (facility)\n", o->revenue_usd_per_it_mwh,
                o->pue, o->revenue_usd_per_mwh);
        fprintf(out, "  pool fee            = %.6g x %.4g = %.6g $/MWh\n", o->revenue_usd_per_mwh, fee,
                o->pool_fee_usd_per_mwh);
        fprintf(out, "  cost                = electricity %.4g + pool fee %.6g = %.6g $/MWh\n",
                o->electricity_usd_per_mwh, o->pool_fee_usd_per_mwh, o->cost_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - %.6g = %.6g $/MWh = %.6g $/MW-year (x 8760 h)\n",
                o->revenue_usd_per_mwh, o->cost_usd_per_mwh, o->net_usd_per_mwh, o->net_usd_per_mw_year);
        fprintf(out,
                "  b/e electricity     = revenue x (1 - fee) = %.6g x %.4g = %.6g $/MWh\n"
                "                      (= hashprice/1000 / (24 x J/TH/1000 x PUE) $/kWh x 1000)\n",
                o->revenue_usd_per_mwh, 1 - fee, o->breakeven_electricity_usd_per_mwh);
        fprintf(out,
                "  b/e hashprice       = hashprice x electricity / (revenue x (1 - fee)) = %.4f x %.4g / %.6g = %.6g "
                "$/PH/day\n",
                m->hashprice_usd_per_ph_day, m->electricity_usd_per_mwh, o->breakeven_electricity_usd_per_mwh,
                o->breakeven_hashprice_usd_per_ph_day);
        fprintf(
            out,
            "  b/e BTC price       = b/e hashprice / (1e15 x 86400 x (S + F) / (D x 2^32)) = %.6g / %.6g = %.6g $\n",
            o->breakeven_hashprice_usd_per_ph_day,
            hj_hashprice_usd_per_ph_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block, 1.0),
            o->breakeven_btc_price_usd);
    } else if (o->kind == HJ_KIND_AI_COLOCATION) {
        const hj_colocation_deal *d = &c->a.colo[o->source_index];
        fprintf(out, "  revenue per IT MWh  = $/kW-month x 1000 / 730 h = %.6g x 1000 / 730 = %.6g $/MWh\n",
                d->usd_per_kw_month, o->revenue_usd_per_it_mwh);
        fprintf(out, "  revenue             = %.6g / PUE %.3g = %.6g $/MWh (facility)\n", o->revenue_usd_per_it_mwh,
                o->pue, o->revenue_usd_per_mwh);
        fprintf(out, "  cost                = electricity %.4g + opex %.6g (%.3g%% of rent) = %.6g $/MWh\n",
                o->electricity_usd_per_mwh, o->other_opex_usd_per_mwh, c->a.p[HJ_P_AI_COLOCATION_OPEX_PCT].value,
                o->cost_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - %.6g = %.6g $/MWh = %.6g $/MW-year\n", o->revenue_usd_per_mwh,
                o->cost_usd_per_mwh, o->net_usd_per_mwh, o->net_usd_per_mw_year);
    } else if (o->kind == HJ_KIND_AI_GPU_CLOUD) {
        double util = c->a.p[HJ_P_GPU_UTILISATION_PCT].value / 100.0;
        fprintf(out, "  GPUs per MW         = 1e6 / (PUE x W per GPU in its server) = 1e6 / (%.3g x %.6g) = %.6g\n",
                o->pue, o->unit_power_w, o->units_per_mw);
        fprintf(out,
                "  revenue             = GPUs x $/GPU-h x utilisation = %.6g x %.4g x %.3g = %.6g $/MWh (facility)\n",
                o->units_per_mw, o->revenue_usd_per_mwh / (o->units_per_mw * util), util, o->revenue_usd_per_mwh);
        fprintf(out, "  net                 = %.6g - electricity %.4g = %.6g $/MWh (before capex)\n",
                o->revenue_usd_per_mwh, o->cost_usd_per_mwh, o->net_usd_per_mwh);
        fprintf(out, "  depreciation        = hardware capex / (life x 8760) = %.6g / (%g x 8760) = %.6g $/MWh\n",
                o->capex_hardware_usd_per_mw, c->a.p[HJ_P_GPU_LIFE_YEARS].value, o->depreciation_usd_per_mwh);
        fprintf(out, "  net after depr.     = %.6g $/MWh\n", o->net_after_depreciation_usd_per_mwh);
    }
    fprintf(out, "  capex per MW        = hardware %.6g + site %.6g = %.6g $\n", o->capex_hardware_usd_per_mw,
            o->capex_site_usd_per_mw, o->capex_usd_per_mw);
    fprintf(out, "  payback             = capex / (net x 730 h) = %.6g months\n", o->payback_months);
}

void fleet_print_explain(FILE *out, const fleet_ctx *c)
{
    const hj_fleet_market *m = &c->m;
    double h = hj_network_hashrate_hs(m->difficulty);
    fprintf(out, "hashjoule fleet --explain: every figure from its formula (shared/README.md, fleet-facts §2.2)\n\n");
    fprintf(out, "network hashrate  H = D x 2^32 / 600 = %.6g x 4294967296 / 600 = %.6g H/s = %.6g EH/s\n",
            m->difficulty, h, h / 1e18);
    fprintf(out, "subsidy           S = 50 BTC >> floor(%llu / 210000) = 50 >> %llu = %.8g BTC\n",
            (unsigned long long)m->height, (unsigned long long)(m->height / HJ_HALVING_INTERVAL), m->subsidy_btc);
    fprintf(out,
            "BTC per TH/s/day    = 1e12 x 86400 x (S + F) / (D x 2^32) = 1e12 x 86400 x (%.8g + %.6g) / (%.6g x 2^32) "
            "= %.6g\n",
            m->subsidy_btc, m->fees_btc_per_block, m->difficulty,
            hj_btc_per_th_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block));
    if (m->hashprice_overridden)
        fprintf(out, "hashprice           = %.6g $/PH/day, given with --hashprice-usd-per-ph-day (not computed)\n",
                m->hashprice_usd_per_ph_day);
    else
        fprintf(out,
                "hashprice           = 1e15 x 86400 x (S + F) x P / (D x 2^32) = 1e15 x 86400 x %.8g x %.6g / (%.6g x "
                "2^32) = %.6g $/PH/day\n",
                m->subsidy_btc + m->fees_btc_per_block, m->btc_price_usd, m->difficulty, m->hashprice_usd_per_ph_day);
    /* one option of each kind: the reference ASIC, the first of the others */
    const hj_fleet_option *shown[5] = {0};
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        if (o->kind == HJ_KIND_ASIC && strcmp(o->name, c->ref->model) != 0)
            continue;
        if (!shown[o->kind] || (!shown[o->kind]->available && o->available))
            shown[o->kind] = o;
    }
    for (int k = 0; k < 5; k++)
        if (shown[k])
            explain_option(out, c, shown[k]);
    if (!c->have_bench)
        fprintf(out, "\nthis machine: no --bench FILE, so no local rows (run `hashjoule bench`, then --bench FILE)\n");
    const hj_cbeci *k = &c->cbeci;
    fprintf(out,
            "\nCBECI threshold     PT = (hashprice/1000 / 86400) / (price per kWh / 3.6e6) = (%.6g / 86400) / (%.4g / "
            "3.6e6) = %.6g J/TH\n",
            m->hashprice_usd_per_ph_day / 1000.0, k->electricity_usd_per_kwh, k->threshold_j_per_th);
    if (k->n_profitable)
        fprintf(out,
                "network power       lower = %.4g J/TH x %.6g TH/s x %.3g = %.4g GW; best = %.4g x H x %.3g = %.4g GW; "
                "upper = %.4g x H x %.3g = %.4g GW\n",
                k->min_jth, h / 1e12, c->a.p[HJ_P_CBECI_PUE_LOWER].value, k->lower_gw, k->weighted_jth,
                c->a.p[HJ_P_CBECI_PUE_BEST].value, k->best_gw, k->max_jth, c->a.p[HJ_P_CBECI_PUE_UPPER].value,
                k->upper_gw);
    const hj_attack_cost *a = &c->attack;
    fprintf(
        out,
        "51%% attack          units = %.3g x %.6g TH/s / %.6g TH/s = %.6g %s; power = units x %.6g W x PUE = %.6g MW;\n"
        "                    energy = %.6g MW x 24 h x $%.4g = $%.6g per day\n",
        a->share_pct / 100.0, h / 1e12, a->asic->hashrate_ths, a->units, a->asic->model, a->asic->power_w, a->power_mw,
        a->power_mw, m->electricity_usd_per_mwh, a->energy_usd_per_day);
}

/* ---- --json ---- */
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

int fleet_print_json(FILE *out, const fleet_ctx *c)
{
    const hj_fleet_market *m = &c->m;
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("hashjoule-fleet/1"));
    json_object_set_new(doc, "hashjoule_version", json_string(hj_version()));
    json_object_set_new(doc, "hashprice_usd_per_ph_day", jnn(m->hashprice_usd_per_ph_day));
    json_object_set_new(doc, "hashprice_overridden", json_boolean(m->hashprice_overridden));
    json_object_set_new(doc, "network_hashrate_ehs", jnn(hj_network_hashrate_hs(m->difficulty) / 1e18));
    json_object_set_new(doc, "btc_per_th_day",
                        jnn(hj_btc_per_th_day(m->difficulty, m->subsidy_btc, m->fees_btc_per_block)));

    json_t *in = json_object();
    json_object_set_new(in, "btc_price_usd", sourced(m->btc_price_usd, c->src_price));
    json_object_set_new(in, "difficulty", sourced(m->difficulty, c->src_difficulty));
    json_object_set_new(in, "fees_btc_per_block", sourced(m->fees_btc_per_block, c->src_fees));
    json_object_set_new(in, "height", json_pack("{s:I, s:s}", "value", (json_int_t)m->height, "source", c->src_height));
    json_object_set_new(in, "subsidy_btc", sourced(m->subsidy_btc, "from height: 50 BTC >> floor(height / 210000)"));
    json_object_set_new(in, "hashprice_usd_per_ph_day", sourced(m->hashprice_usd_per_ph_day, c->src_hashprice));
    json_object_set_new(in, "pue_override", jnn(m->pue_override));
    json_object_set_new(in, "as_of", json_string(c->as_of));
    json_object_set_new(in, "network_origin", json_string(c->net.origin));
    json_object_set_new(in, "network_unverified_fields", json_string(c->net.unverified));
    json_object_set_new(in, "hashrate_ehs_reported", jnn(c->net.hashrate_ehs_reported));
    json_object_set_new(in, "asics_file", json_string(c->asics_origin));
    json_object_set_new(in, "gpus_file", json_string(c->gpus_origin));
    json_object_set_new(in, "assumptions_file", json_string(c->assumptions_origin));
    json_object_set_new(in, "bench_file", c->have_bench ? json_string(c->bench_path) : json_null());
    json_object_set_new(in, "local_power_watts_assumed", jnn(c->local_power_w));
    json_t *params = json_object();
    for (int i = 0; i < HJ_P_COUNT; i++)
        json_object_set_new(params, hj_fleet_param_key(i),
                            json_pack("{s:o, s:s, s:b}", "value", jnn(c->a.p[i].value), "source", c->a.p[i].source,
                                      "unverified", c->a.p[i].unverified));
    json_object_set_new(in, "assumptions", params);
    json_t *colo = json_array();
    for (size_t i = 0; i < c->a.n_colo; i++)
        json_array_append_new(colo, json_pack("{s:s, s:o, s:s}", "name", c->a.colo[i].name, "usd_per_kw_month",
                                              jnn(c->a.colo[i].usd_per_kw_month), "source", c->a.colo[i].source));
    json_object_set_new(in, "colocation_rates", colo);
    json_object_set_new(in, "reference_asic", json_string(c->a.reference_asic));
    json_object_set_new(doc, "inputs", in);

    json_object_set_new(doc, "options", options_json(c->opt, c->n_opt));
    json_object_set_new(doc, "local_rows",
                        c->have_bench
                            ? json_string("from the bench file")
                            : json_string("missing: no --bench FILE given; run `hashjoule bench` and pass its "
                                          "results file with --bench FILE"));

    fleet_headline h;
    fleet_headline_compute(c, &h);
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

    const hj_cbeci *k = &c->cbeci;
    const hj_attack_cost *a = &c->attack;
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
    json_object_set_new(doc, "security", sec);

    json_t *sc = json_object();
    if (c->run_exit) {
        const hj_exit_scenario *s = &c->exit;
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
                                      jnn(s->days_to_equilibrium), "reference_asic", c->ref->model, "epochs", ep,
                                      "days", days));
    }
    if (c->run_halving)
        json_object_set_new(sc, "halving",
                            json_pack("{s:I, s:o, s:o, s:o}", "height", (json_int_t)c->m_halving.height, "subsidy_btc",
                                      jnn(c->m_halving.subsidy_btc), "hashprice_usd_per_ph_day",
                                      jnn(c->m_halving.hashprice_usd_per_ph_day), "options",
                                      options_json(c->halving_opt, c->n_halving)));
    if (c->run_grid) {
        json_t *cells = json_array();
        for (size_t ib = 0; ib < c->grid_nb; ib++)
            for (size_t ie = 0; ie < c->grid_ne; ie++) {
                json_t *nets = json_object();
                size_t best = SIZE_MAX;
                for (size_t k2 = 0; k2 < c->grid_nopt; k2++) {
                    double v = c->grid_net[fleet_grid_at(c, ib, ie, k2)];
                    json_object_set_new(nets, c->grid_names[k2], jnn(v));
                    if (!isnan(v) && (best == SIZE_MAX || v > c->grid_net[fleet_grid_at(c, ib, ie, best)]))
                        best = k2;
                }
                json_array_append_new(
                    cells,
                    json_pack("{s:o, s:o, s:o, s:o, s:o}", "btc_price_usd", jnn(c->a.grid_btc_price_usd[ib]),
                              "electricity_usd_per_mwh", jnn(c->a.grid_electricity_usd_per_mwh[ie]), "best_option",
                              best == SIZE_MAX ? json_null() : json_string(c->grid_names[best]), "best_net_usd_per_mwh",
                              best == SIZE_MAX ? json_null() : jnn(c->grid_net[fleet_grid_at(c, ib, ie, best)]),
                              "net_usd_per_mwh", nets));
            }
        json_object_set_new(sc, "grid", cells);
    }
    json_object_set_new(doc, "scenarios", sc);

    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return hj_cli_fail("fleet", HJ_ERR_RUNTIME, "could not serialize the JSON output");
    fputs(text, out);
    fputc('\n', out);
    free(text);
    return 0;
}

/* ---- --csv ---- */
static void csv_num(FILE *out, double v)
{
    if (!isnan(v) && !isinf(v))
        fprintf(out, "%.10g", v);
}

void fleet_print_csv(FILE *out, const fleet_ctx *c)
{
    const hj_fleet_market *m = &c->m;
    fprintf(out, "rank,name,kind,available,unavailable_reason,unverified_inputs,revenue_usd_per_mwh,cost_usd_per_mwh,"
                 "net_usd_per_mwh,breakeven_electricity_usd_per_mwh,revenue_usd_per_it_mwh,electricity_usd_per_mwh,"
                 "pool_fee_usd_per_mwh,other_opex_usd_per_mwh,net_usd_per_mw_year,breakeven_btc_price_usd,"
                 "breakeven_hashprice_usd_per_ph_day,pue,units_per_mw,efficiency_jth,hashrate_ph_per_mw,"
                 "capex_hardware_usd_per_mw,capex_site_usd_per_mw,capex_usd_per_mw,depreciation_usd_per_mwh,"
                 "net_after_depreciation_usd_per_mwh,payback_months,"
                 "in_btc_price_usd,in_difficulty,in_fees_btc_per_block,in_height,in_subsidy_btc,"
                 "in_hashprice_usd_per_ph_day,in_hashprice_overridden,in_electricity_usd_per_mwh,in_pool_fee_pct,"
                 "in_pue_override,in_gpu_utilisation_pct,in_gpu_rate_one_year,in_as_of\n");
    for (size_t i = 0; i < c->n_opt; i++) {
        const hj_fleet_option *o = &c->opt[i];
        fprintf(out, "%zu,", i + 1);
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
        csv_num(out, c->a.p[HJ_P_GPU_UTILISATION_PCT].value);
        fprintf(out, ",%s,%s\n", c->a.p[HJ_P_GPU_RATE_ONE_YEAR].value >= 0.5 ? "true" : "false", c->as_of);
    }
}
