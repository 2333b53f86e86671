/* `hashjoule fleet` text report: the assumptions, the table of options, the
 * headline, the security view and the scenarios asked for. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fleet_cli.h"
#include "hashjoule/format.h"

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

/* The kind as the table's 13-character column shows it: "gpu-mining-modeled"
 * is cut to "gpu-mining" (the row's name says "(modeled)"); JSON and CSV
 * carry the full name. */
static const char *short_kind(hj_fleet_kind k)
{
    return k == HJ_KIND_GPU_MINING_MODELED ? "gpu-mining" : hj_fleet_kind_name(k);
}

void fleet_print_unmeasured_note(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_local_energy *e = &r->local_energy;
    if (!e->n_unmeasured)
        return;
    fprintf(out, "\nthis machine: %zu of %zu row(s) from %s measured no energy, so they have no J/TH and no $/MWh.\n",
            e->n_unmeasured, e->n_rows, r->bench_path);
    if (!e->unmeasured_reasons_differ) {
        /* the bench file's reason, one clause a line */
        fprintf(out, "  why: ");
        for (const char *s = e->unmeasured_reason; *s;) {
            const char *sep = strstr(s, "; ");
            int len = sep ? (int)(sep - s) : (int)strlen(s);
            fprintf(out, "%.*s%s\n", len, s, sep ? ";" : "");
            s += len + (sep ? 2 : 0);
            if (*s)
                fprintf(out, "       ");
        }
    }
    fprintf(out,
            "  To estimate their J/TH, give the machine's power while hashing (at the wall, if you can):\n"
            "    hashjoule fleet --bench %s --local-power-watts W\n"
            "  or run `hashjoule bench` again where an energy sensor is readable (RAPL, NVML, amdgpu).\n",
            r->bench_path);
}

static void print_assumptions(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_market *m = &r->market;
    const hj_fleet_param *p = r->assumptions.p;
    fprintf(out, "hashjoule fleet: the value of a megawatt, per MWh of FACILITY power (IT load x PUE)\n\n");
    fprintf(out, "Network (%s)\n", r->network.origin);
    fprintf(out, "  difficulty         %.4g T                 [%s]\n", m->difficulty / 1e12, r->source_difficulty);
    fprintf(out, "  network hashrate   %.1f EH/s              implied: D x 2^32 / 600", r->network_hashrate_hs / 1e18);
    if (!isnan(r->network.hashrate_ehs_reported))
        fprintf(out, " (reported: %.0f EH/s)", r->network.hashrate_ehs_reported);
    fprintf(out, "\n  BTC price          $%.0f                [%s]\n", m->btc_price_usd, r->source_price);
    fprintf(out, "  fees per block     %.4g BTC               [%s]\n", m->fees_btc_per_block, r->source_fees);
    uint64_t next = r->next_halving_height;
    fprintf(out,
            "  height             %llu -> subsidy %.4g BTC; next halving at %llu (%llu blocks, ~%.0f days at 10 min) "
            "[%s]\n",
            (unsigned long long)m->height, m->subsidy_btc, (unsigned long long)next,
            (unsigned long long)(next - m->height), r->days_to_next_halving, r->source_height);
    fprintf(out, "  hashprice          $%.2f per PH/s per day  %s\n", m->hashprice_usd_per_ph_day, r->source_hashprice);
    fprintf(out, "\nEconomics (%s)\n", r->assumptions_origin);
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
    fprintf(out, "  data               %s; %s\n", r->asics_origin, r->gpus_origin);
    if (r->have_bench) {
        fprintf(out, "  this machine       %s (%s%s%s%s%s)\n", r->bench_path, r->bench.host,
                r->bench.date[0] ? ", " : "", r->bench.date, r->bench.machine[0] ? ", " : "", r->bench.machine);
        if (r->bench.max_versions > 1)
            fprintf(out,
                    "                     rates with version rolling (BIP 320, up to %u versions per job), as the\n"
                    "                     ASICs hash: like for like with their sheets%s\n",
                    r->bench.max_versions,
                    r->bench.n_single_version_left_out ? "; the same kernels' single-version rows left out" : "");
        const hj_fleet_local_energy *e = &r->local_energy;
        if (e->n_measured_partial)
            fprintf(
                out,
                "                     NOTE: local J/TH is measured at the scope shown (RAPL CPU package, GPU board),\n"
                "                     not at the wall like ASIC J/TH: the wall figure is higher.\n");
        if (e->n_assumed)
            fprintf(out,
                    "                     NOTE: local J/TH of %zu row(s) is an ESTIMATE from the stated wattage\n"
                    "                     (--local-power-watts %g W while hashing), not a measurement.\n",
                    e->n_assumed, r->local_power_w);
        if (e->n_stated)
            fprintf(out,
                    "                     NOTE: local J/TH of %zu row(s) is an ESTIMATE from a power stated to bench\n"
                    "                     (bench --power-watts), not a measurement.\n",
                    e->n_stated);
        if (e->n_unmeasured)
            fprintf(out,
                    "                     %zu row(s) measured no energy: no J/TH and no $/MWh (why: below the "
                    "table)\n",
                    e->n_unmeasured);
    } else {
        fprintf(
            out,
            "  this machine       local rows missing: no --bench FILE given. Run `hashjoule bench` here\n"
            "                     and pass its results file with --bench FILE to add this CPU's and GPU's kernels.\n");
    }
    fprintf(out, "  * = an input of the row is UNVERIFIED in its source, or an estimate\n\n");
}

static void print_table_header(FILE *out)
{
    fprintf(out, "%-3s %-44s %-13s %8s %5s %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", "#", "option", "kind", "J/TH", "PUE",
            "revenue", "cost", "net", "net", "b/e power", "b/e BTC", "capex", "depr.", "payback");
    fprintf(out, "%-3s %-44s %-13s %8s %5s %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", "", "", "", "", "", "$/MWh", "$/MWh",
            "$/MWh", "k$/MW-yr", "$/MWh", "$", "M$/MW", "$/MWh", "months");
}

/* One option of the table; `rank` is its place ("12") or "-" outside it. */
static void print_row(FILE *out, const hj_fleet_report *r, const char *rank, const hj_fleet_option *o)
{
    char b[12][48];
    char name[64];
    snprintf(name, sizeof name, "%.42s%s", o->name, o->unverified ? " *" : "");
    /* a kind name longer than its column ("operator-fleet") takes its room from the name's */
    size_t kind_len = strlen(short_kind(o->kind));
    int name_w = kind_len > 13 ? 44 - (int)(kind_len - 13) : 44;
    if (o->energy_unmeasured) {
        /* the reason is printed once, below the table, unless rows differ */
        char rate[32];
        hj_format_rate(o->hashes_per_second, HJ_RATE_SHORT, rate, sizeof rate);
        fprintf(out, "%-3s %-44s %-13s  %s measured; no energy measurement, so no J/TH or $/MWh%s%s\n", rank, name,
                short_kind(o->kind), rate, r->local_energy.unmeasured_reasons_differ ? ": " : " (see below)",
                r->local_energy.unmeasured_reasons_differ ? o->reason : "");
        return;
    }
    if (!o->available) {
        fprintf(out, "%-3s %-44s %-13s  unavailable: %s\n", rank, name, short_kind(o->kind), o->reason);
        return;
    }
    fprintf(out, "%-3s %-*s %-13s %8s %5.2f %9s %8s %9s %8s %9s %9s %8s %8s %7s\n", rank, name_w, name,
            short_kind(o->kind), num(b[0], 48, o->efficiency_jth, o->efficiency_jth < 1000 ? 1 : 0), o->pue,
            money(b[1], 48, o->revenue_usd_per_mwh), money(b[2], 48, o->cost_usd_per_mwh),
            money(b[3], 48, o->net_usd_per_mwh), num(b[4], 48, o->net_usd_per_mw_year / 1000.0, 0),
            num(b[5], 48, o->breakeven_electricity_usd_per_mwh, 1),
            num(b[6], 48, o->breakeven_btc_price_usd > 1e9 ? NAN : o->breakeven_btc_price_usd, 0),
            num(b[7], 48, o->capex_usd_per_mw / 1e6, 2), num(b[8], 48, o->depreciation_usd_per_mwh, 1),
            num(b[9], 48, o->payback_months, 0));
}

static void print_table(FILE *out, const hj_fleet_report *r)
{
    print_table_header(out);
    for (size_t i = 0; i < r->n_options; i++) {
        char rank[24];
        snprintf(rank, sizeof rank, "%zu", i + 1);
        print_row(out, r, rank, &r->options[i]);
    }
    fprintf(
        out,
        "\nrevenue: gross, before pool fee. cost: electricity + pool fee + other opex (colocation: %.3g%% of rent;\n"
        "GPU cloud: %.3g%% of revenue). net: revenue - cost, BEFORE capex; depr. (hardware over its life) is shown\n"
        "apart, so a GPU cloud's net is not its profit. b/e power: the electricity price at which net = 0 (- where\n"
        "power is passed through). b/e BTC: the BTC price at which net = 0 at this difficulty. payback: months of\n"
        "capex (hardware + site) / monthly net AT TODAY'S NET, ignoring the halving and difficulty growth\n"
        "(fleet --months N projects them month by month).\n",
        r->assumptions.p[HJ_P_AI_COLOCATION_OPEX_PCT].value, r->assumptions.p[HJ_P_GPU_CLOUD_OPEX_PCT].value);
    fleet_print_unmeasured_note(out, r);
}

static void print_headline(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_headline *hl = &r->headline;
    fprintf(out, "\nHeadline: the 2026 press figures, mining ~$57-129/MWh against AI ~$200-500/MWh (up to 8x)\n");
    if (hl->n_mining)
        fprintf(out,
                "  mining, the %zu ASICs that run at a profit here: gross $%.0f-%.0f per MWh of IT (%s .. %s),\n"
                "    $%.0f-%.0f per facility MWh\n",
                hl->n_mining, hl->mining_it_min, hl->mining_it_max, hl->mining_min_name, hl->mining_max_name,
                hl->mining_min, hl->mining_max);
    else
        fprintf(out, "  mining: no ASIC runs at a profit at these prices\n");
    if (hl->n_colo)
        fprintf(out, "  AI colocation (%zu rates): $%.0f-%.0f per MWh of IT, $%.0f-%.0f per facility MWh (PUE %.3g)\n",
                hl->n_colo, hl->colo_it_min, hl->colo_it_max, hl->colo_min, hl->colo_max, hl->colo_pue);
    if (hl->n_gpu)
        fprintf(out,
                "  AI GPU cloud (%zu GPUs priced): $%.0f-%.0f per facility MWh of revenue, before $M/MW of GPU capex\n",
                hl->n_gpu, hl->gpu_min, hl->gpu_max);
    if (!isnan(hl->ratio_colo_vs_mining_it))
        fprintf(out, "  best colocation rate / weakest running miner, per MWh of IT: %.1fx",
                hl->ratio_colo_vs_mining_it);
    if (!isnan(hl->net_ratio_colo_vs_best_mining))
        fprintf(out, "; on net (after power, pool fee, opex): best colocation / best ASIC = %.1fx",
                hl->net_ratio_colo_vs_best_mining);
    fprintf(out, "\n  The press's mining range is gross revenue per MWh of miner load at a $30-38 hashprice; its AI\n"
                 "  range starts at the colocation deals (per MWh of critical IT) and has no direct source; "
                 "docs/fleet.md reproduces it.\n");
}

static void print_security(FILE *out, const hj_fleet_report *r)
{
    const hj_cbeci *k = &r->cbeci;
    const hj_attack_cost *a = &r->attack;
    fprintf(out, "\nSecurity view (as of %s)\n", r->as_of);
    fprintf(out,
            "  CBECI method at $%.3g/kWh: profitability threshold %.1f J/TH; %zu of %zu ASICs younger than %g years "
            "are profitable\n",
            k->electricity_usd_per_kwh, k->threshold_j_per_th, k->n_profitable, k->n_considered,
            r->assumptions.p[HJ_P_CBECI_MAX_AGE_YEARS].value);
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
    if (a->priced_asic == a->asic)
        fprintf(out, ";\n  hardware $%.2fB at its list price\n", a->hardware_usd / 1e9);
    else if (a->priced_asic)
        fprintf(out,
                "; it has no list price.\n  With the %s (the most efficient with one, %.1f J/TH): %.0f units drawing "
                "%.0f MW,\n  $%.2fM of power per day, hardware $%.2fB at its list price\n",
                a->priced_asic->model, a->priced_asic->efficiency_jth, a->priced_units, a->priced_power_mw,
                a->priced_energy_usd_per_day / 1e6, a->hardware_usd / 1e9);
    else
        fprintf(out, "; no ASIC in the table has a price\n");
    fprintf(out, "  (an outsider needs %.0f EH/s to hold %.0f%% of the total once added)\n", a->hashrate_to_outpace_ehs,
            a->share_pct);
}

static void print_exit(FILE *out, const hj_fleet_report *r)
{
    const hj_exit_scenario *s = &r->exit;
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
    if (s->n_days && r->reference)
        fprintf(out, "  %s (reference): net $%.1f/MWh on day 0, $%.1f/MWh on day %.0f\n", r->reference->model,
                s->days[0].reference_net_usd_per_mwh, s->days[s->n_days - 1].reference_net_usd_per_mwh,
                s->days[s->n_days - 1].day);
}

static void print_halving(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_market *h = &r->halving_market;
    fprintf(
        out,
        "\nScenario: the next halving (height %llu, subsidy %.4g -> %.4g BTC), difficulty, price and fees unchanged\n",
        (unsigned long long)h->height, r->market.subsidy_btc, h->subsidy_btc);
    fprintf(out, "  hashprice $%.2f -> $%.2f per PH/day\n", r->market.hashprice_usd_per_ph_day,
            h->hashprice_usd_per_ph_day);
    fprintf(out, "  %-42s %10s %10s %12s %12s\n", "ASIC", "net now", "net after", "b/e power", "b/e BTC");
    fprintf(out, "  %-42s %10s %10s %12s %12s\n", "", "$/MWh", "$/MWh", "after $/MWh", "after $");
    for (size_t i = 0; i < r->n_options; i++) {
        const hj_fleet_option *o = &r->options[i];
        if (o->kind != HJ_KIND_ASIC)
            continue;
        if (r->halving_match[i] == SIZE_MAX)
            continue;
        const hj_fleet_option *a = &r->halving_options[r->halving_match[i]];
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

static void print_grid(FILE *out, const hj_fleet_report *r)
{
    const hj_fleet_grid *g = &r->grid;
    fprintf(out, "\nScenario: sensitivity grid: the best ASIC per MW and its net $/MWh ('>' where it beats the best "
                 "colocation rate)\n");
    fprintf(out, "  %-12s", "BTC \\ $/MWh");
    for (size_t ie = 0; ie < g->n_electricity; ie++)
        fprintf(out, " %-24.0f", r->assumptions.grid_electricity_usd_per_mwh[ie]);
    fprintf(out, "\n");
    for (size_t ib = 0; ib < g->n_btc; ib++) {
        fprintf(out, "  %-12.0f", r->assumptions.grid_btc_price_usd[ib]);
        for (size_t ie = 0; ie < g->n_electricity; ie++) {
            const hj_fleet_grid_cell *cell = &g->cells[ib * g->n_electricity + ie];
            char text[128] = "-";
            if (cell->best_asic != SIZE_MAX) {
                double v = g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, cell->best_asic)];
                bool beats = cell->best_colocation == SIZE_MAX ||
                             v > g->net_usd_per_mwh[hj_fleet_grid_at(g, ib, ie, cell->best_colocation)];
                snprintf(text, sizeof text, "%s%.15s %+.0f", beats ? ">" : "", short_model(g->names[cell->best_asic]),
                         v);
            }
            fprintf(out, " %-24s", text);
        }
        fprintf(out, "\n");
    }
    /* AI options do not depend on the BTC price: one line per power price */
    fprintf(out, "  best AI option by power price (BTC price does not enter):");
    for (size_t ie = 0; ie < g->n_electricity; ie++) {
        size_t best = g->cells[ie].best_ai;
        if (best != SIZE_MAX)
            fprintf(out, "%s $%.0f: %s %+.0f", ie ? ";" : "", r->assumptions.grid_electricity_usd_per_mwh[ie],
                    g->names[best], g->net_usd_per_mwh[hj_fleet_grid_at(g, 0, ie, best)]);
    }
    fprintf(out, "\n  (every option's margin in every cell: --json, scenarios.grid)\n");
}

static void print_fleet_sums(FILE *out, const char *site, const hj_operator_fleet_totals *t, double capacity_mw)
{
    char cap[24];
    fprintf(out, "  %-20.20s %9llu %11.0f %9.4g %9.4f %9.4f %5.2f %6.1f %9.2f %9s\n", site,
            (unsigned long long)t->units, t->hashrate_ths, t->hashrate_ehs, t->it_mw, t->facility_mw, t->pue,
            t->efficiency_jth, t->electricity_usd_per_mwh, num(cap, sizeof cap, capacity_mw, 3));
}

static void print_fleet_money(FILE *out, const char *site, const hj_operator_fleet_totals *t)
{
    char b[4][48];
    fprintf(out, "  %-20.20s %9s %9s %13.0f %13.0f %11.0f %13.0f %9s %9s\n", site,
            money(b[0], 48, t->revenue_usd_per_mwh), money(b[1], 48, t->net_usd_per_mwh), t->revenue_usd_per_year,
            t->electricity_usd_per_year, t->pool_fee_usd_per_year, t->net_usd_per_year,
            num(b[2], 48, t->breakeven_electricity_usd_per_mwh, 1),
            num(b[3], 48, t->breakeven_btc_price_usd > 1e9 ? NAN : t->breakeven_btc_price_usd, 0));
}

static const char *site_label(const hj_operator_fleet_site *s) { return s->name[0] ? s->name : "(no site)"; }

/* The operator's own fleet (--fleet FILE): its rows, per site and in total,
 * and the fleet per MW beside the options of the table. */
static void print_fleet(FILE *out, const hj_fleet_report *r)
{
    const hj_operator_fleet *f = &r->fleet;
    const hj_fleet_market *m = &r->market;
    fprintf(out, "\nYour fleet: %s (%s: %zu row(s), %zu site(s), %llu miners)\n", f->path, f->json ? "JSON" : "CSV",
            f->n_rows, f->n_sites, (unsigned long long)f->total.units);
    fprintf(out, "  %-3s %-40s %9s %10s %9s %6s  %-20s %5s %9s\n", "#", "miner", "units", "TH/s each", "W each", "J/TH",
            "site", "PUE", "$/MWh");
    bool from_file = false;
    for (size_t i = 0; i < f->n_rows; i++) {
        const hj_operator_fleet_row *w = &f->rows[i];
        const hj_operator_fleet_site *s = &f->sites[w->site];
        char name[64], ths[32], watts[32];
        const char *mark = "";
        if (w->custom)
            mark = " (own)";
        else if (r->asics[w->asic_index].unverified)
            mark = " *";
        snprintf(name, sizeof name, "%.*s%s", 40 - (int)strlen(mark), w->name, mark);
        snprintf(ths, sizeof ths, "%.6g%s", w->hashrate_ths, w->hashrate_from_file ? "+" : "");
        snprintf(watts, sizeof watts, "%.6g%s", w->power_w, w->power_from_file ? "+" : "");
        from_file |= w->hashrate_from_file || w->power_from_file;
        fprintf(out, "  %-3zu %-40s %9llu %10s %9s %6.1f  %-20.20s %5.2f %9.2f\n", w->row, name,
                (unsigned long long)w->units, ths, watts, w->power_w / w->hashrate_ths, site_label(s), w->pue,
                w->electricity_usd_per_mwh);
    }
    if (from_file)
        fprintf(out, "  + = per unit from the file (tuned firmware, or a miner of your own); the rest from the ASIC "
                     "table\n");
    char pue[48] = "the PUE of the miner's cooling";
    if (!isnan(m->pue_override))
        snprintf(pue, sizeof pue, "--pue %.3g", m->pue_override);
    fprintf(out, "  PUE and $/MWh: the site's where the file states them, else %s and the run's $%.2f/MWh\n", pue,
            m->electricity_usd_per_mwh);

    fprintf(out, "\n  %-20s %9s %11s %9s %9s %9s %5s %6s %9s %9s\n", "site", "units", "TH/s", "EH/s", "IT MW",
            "fac. MW", "PUE", "J/TH", "$/MWh", "cap. MW");
    for (size_t i = 0; i < f->n_sites; i++)
        print_fleet_sums(out, site_label(&f->sites[i]), &f->sites[i].totals, f->sites[i].capacity_mw);
    print_fleet_sums(out, "total", &f->total, NAN);

    fprintf(out, "\n  %-20s %9s %9s %13s %13s %11s %13s %9s %9s\n", "site", "revenue", "net", "revenue", "electricity",
            "pool fee", "net", "b/e power", "b/e BTC");
    fprintf(out, "  %-20s %9s %9s %13s %13s %11s %13s %9s %9s\n", "", "$/MWh", "$/MWh", "$/year", "$/year", "$/year",
            "$/year", "$/MWh", "$");
    for (size_t i = 0; i < f->n_sites; i++)
        print_fleet_money(out, site_label(&f->sites[i]), &f->sites[i].totals);
    print_fleet_money(out, "total", &f->total);
    fprintf(out,
            "  at hashprice $%.2f per PH/s per day, pool fee %.2f%%; $/MWh per MWh of facility power; b/e power: one "
            "price for\n  every site at which net = 0; b/e BTC: the BTC price at which net = 0 at this difficulty\n",
            m->hashprice_usd_per_ph_day, m->pool_fee_pct);

    fprintf(out, "\n  The fleet per MW of facility power, to read beside the table above (owned: capex 0, its hardware "
                 "sunk, its sites built):\n");
    print_table_header(out);
    print_row(out, r, "-", &r->fleet_option);
}

void fleet_print_text(FILE *out, const hj_fleet_report *r)
{
    print_assumptions(out, r);
    print_table(out, r);
    if (r->have_fleet)
        print_fleet(out, r);
    print_headline(out, r);
    print_security(out, r);
    if (r->run_exit)
        print_exit(out, r);
    if (r->run_halving)
        print_halving(out, r);
    if (r->run_grid)
        print_grid(out, r);
}
