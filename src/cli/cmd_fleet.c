/* `hashjoule fleet`: the value of a megawatt — ASIC mining, this machine's
 * kernels, AI colocation and GPU cloud on one table, with the scenarios. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fleet_cli.h"
#include "hashjoule/input_file.h"

static const char fleet_usage[] =
    "usage: hashjoule fleet [OPTIONS]\n"
    "\n"
    "What a megawatt earns: every ASIC in the data, this machine's kernels (from a\n"
    "bench results file), AI colocation and AI GPU cloud, each normalised to 1 MW\n"
    "of facility power, sorted by net USD per MWh. Defaults come from the data\n"
    "embedded at build time (data/*.json); every flag overrides them.\n"
    "\n"
    "Network and market (each overrides the snapshot):\n"
    "  --btc-price USD                BTC price\n"
    "  --difficulty D                 network difficulty (152e12 or 152000000000000)\n"
    "  --fees-btc-per-block F         mean fees per block, BTC\n"
    "  --height H                     block height (sets the subsidy)\n"
    "  --hashprice-usd-per-ph-day X   use this hashprice instead of computing it\n"
    "  --electricity-usd-per-mwh X    power price\n"
    "  --pool-fee PCT                 pool fee, percent of mining revenue\n"
    "  --pue X                        one PUE for every option (default: per cooling / AI)\n"
    "  --gpu-utilisation PCT          share of GPU-hours sold\n"
    "  --gpu-rate one-year|on-demand  which rental price the GPU cloud earns\n"
    "  --colocation-usd-per-kw-month X  one colocation rate instead of the deal list\n"
    "\n"
    "Data files (JSON, formats in data/README.md):\n"
    "  --network FILE     a snapshot, or the output of bitcoin-cli getmininginfo /\n"
    "                     getblockchaininfo (missing fields: flags, else the snapshot)\n"
    "  --asics FILE  --gpus FILE  --assumptions FILE\n"
    "  --bench FILE       results of `hashjoule bench`: this machine's rows\n"
    "  --local-power-watts W  assumed power for bench results without an energy\n"
    "                     measurement (their J/TH is then labelled an estimate)\n"
    "\n"
    "Scenarios:\n"
    "  --scenario LIST    comma-separated: exit, halving, grid, all\n"
    "     exit: X%% of hashrate leaves for AI over T days; the 2016-block retargets\n"
    "           (Core's 1/4..4x clamp), block times and hashprice for those who stay\n"
    "     halving: every option at the next halving height, all else equal\n"
    "     grid: BTC price x electricity price -> best option per MW and each margin\n"
    "  --exit-pct X  --exit-days T  --horizon-days N  --btc-price-end USD (price path)\n"
    "  --grid-btc-prices A,B,..  --grid-electricity A,B,..\n"
    "  --reference-asic NAME  the ASIC whose margin the exit scenario follows\n"
    "\n"
    "Output:\n"
    "  (default)     assumptions, then the table, the headline and the security view\n"
    "  --json        one JSON object with every input and output\n"
    "  --csv         one row per option, inputs repeated on every row\n"
    "  --svg DIR     charts: options, break-even by generation, sensitivity map,\n"
    "                difficulty scenario (refuses to replace files unless --overwrite)\n"
    "  --explain     the formulas with the numbers substituted\n"
    "\n"
    "Exit status: 0 done, 2 bad input or contradictory flags, 3 runtime failure.\n";

enum {
    O_BTC_PRICE = 256,
    O_DIFFICULTY,
    O_FEES,
    O_HEIGHT,
    O_ELECTRICITY,
    O_POOL_FEE,
    O_PUE,
    O_HASHPRICE,
    O_BENCH,
    O_NETWORK,
    O_ASICS,
    O_GPUS,
    O_ASSUMPTIONS,
    O_JSON,
    O_CSV,
    O_SVG,
    O_OVERWRITE,
    O_EXPLAIN,
    O_SCENARIO,
    O_EXIT_PCT,
    O_EXIT_DAYS,
    O_HORIZON,
    O_PRICE_END,
    O_GPU_UTIL,
    O_GPU_RATE,
    O_COLO_RATE,
    O_REF_ASIC,
    O_LOCAL_POWER,
    O_GRID_BTC,
    O_GRID_ELEC,
    O_HELP
};

static const struct option fleet_options[] = {
    {"btc-price", required_argument, NULL, O_BTC_PRICE},
    {"difficulty", required_argument, NULL, O_DIFFICULTY},
    {"fees-btc-per-block", required_argument, NULL, O_FEES},
    {"height", required_argument, NULL, O_HEIGHT},
    {"electricity-usd-per-mwh", required_argument, NULL, O_ELECTRICITY},
    {"pool-fee", required_argument, NULL, O_POOL_FEE},
    {"pue", required_argument, NULL, O_PUE},
    {"hashprice-usd-per-ph-day", required_argument, NULL, O_HASHPRICE},
    {"bench", required_argument, NULL, O_BENCH},
    {"network", required_argument, NULL, O_NETWORK},
    {"asics", required_argument, NULL, O_ASICS},
    {"gpus", required_argument, NULL, O_GPUS},
    {"assumptions", required_argument, NULL, O_ASSUMPTIONS},
    {"json", no_argument, NULL, O_JSON},
    {"csv", no_argument, NULL, O_CSV},
    {"svg", required_argument, NULL, O_SVG},
    {"overwrite", no_argument, NULL, O_OVERWRITE},
    {"explain", no_argument, NULL, O_EXPLAIN},
    {"scenario", required_argument, NULL, O_SCENARIO},
    {"exit-pct", required_argument, NULL, O_EXIT_PCT},
    {"exit-days", required_argument, NULL, O_EXIT_DAYS},
    {"horizon-days", required_argument, NULL, O_HORIZON},
    {"btc-price-end", required_argument, NULL, O_PRICE_END},
    {"gpu-utilisation", required_argument, NULL, O_GPU_UTIL},
    {"gpu-rate", required_argument, NULL, O_GPU_RATE},
    {"colocation-usd-per-kw-month", required_argument, NULL, O_COLO_RATE},
    {"reference-asic", required_argument, NULL, O_REF_ASIC},
    {"local-power-watts", required_argument, NULL, O_LOCAL_POWER},
    {"grid-btc-prices", required_argument, NULL, O_GRID_BTC},
    {"grid-electricity", required_argument, NULL, O_GRID_ELEC},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

#define FAIL(...) hj_cli_fail("fleet", HJ_ERR_INPUT, __VA_ARGS__)

/* A finite number in [min, max]; accepts 152e12. */
static int parse_num(const char *flag, const char *text, double min, double max, double *out)
{
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        return FAIL("%s: '%s' is not a number", flag, text);
    if (errno == ERANGE || !isfinite(v) || v < min || v > max)
        return FAIL("%s: %s is out of range; expected %g..%g", flag, text, min, max);
    *out = v;
    return 0;
}

static int parse_list(const char *flag, const char *text, double min, double *out, size_t *n)
{
    char buf[1024];
    size_t len = strlen(text);
    if (len >= sizeof buf)
        return FAIL("%s: list too long", flag);
    memcpy(buf, text, len + 1);
    *n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= HJ_FLEET_MAX_GRID)
            return FAIL("%s: at most %d values", flag, HJ_FLEET_MAX_GRID);
        if (parse_num(flag, tok, min, 1e12, &out[*n]))
            return HJ_ERR_INPUT;
        (*n)++;
    }
    if (*n == 0)
        return FAIL("%s: expected a comma-separated list of numbers", flag);
    return 0;
}

/* Whole file into memory, bounded; `what` names the flag in messages. */
static char *read_file(const char *path, const char *what, size_t *len, hj_error *err)
{
    char label[4200];
    snprintf(label, sizeof label, "%s %s", what, path);
    char *text;
    if (hj_read_input_file(path, HJ_INPUT_MAX_BYTES, label, &text, len, err) != HJ_OK)
        return NULL;
    return text;
}

/* Load one table: the user's file or the embedded default. */
typedef hj_status (*loader_fn)(const char *text, size_t len, const char *file, void *out, hj_error *err);

static hj_status load(const char *path, const char *flag, const char *basename, char *origin, size_t origin_cap,
                      loader_fn fn, void *out, hj_error *err)
{
    if (path) {
        size_t len;
        char *text = read_file(path, flag, &len, err);
        if (!text)
            return HJ_ERR_INPUT;
        hj_status st = fn(text, len, path, out, err);
        free(text);
        snprintf(origin, origin_cap, "%s (%s)", path, flag);
        return st;
    }
    hj_fleet_blob b = hj_fleet_embedded(basename);
    if (!b.text)
        return hj_fail(err, HJ_ERR_RUNTIME, "embedded data %s is missing from this build", basename);
    char name[128];
    snprintf(name, sizeof name, "%s (embedded)", b.name);
    snprintf(origin, origin_cap, "%s", name);
    return fn(b.text, b.len, name, out, err);
}

typedef struct {
    hj_asic **rows;
    size_t *n;
} asic_out;
typedef struct {
    hj_gpu **rows;
    size_t *n;
} gpu_out;
typedef struct {
    hj_network *net;
    bool *is_node;
} net_out;

static hj_status load_asics(const char *t, size_t l, const char *f, void *o, hj_error *e)
{
    asic_out *a = o;
    return hj_fleet_parse_asics(t, l, f, a->rows, a->n, e);
}
static hj_status load_gpus(const char *t, size_t l, const char *f, void *o, hj_error *e)
{
    gpu_out *g = o;
    return hj_fleet_parse_gpus(t, l, f, g->rows, g->n, e);
}
static hj_status load_net(const char *t, size_t l, const char *f, void *o, hj_error *e)
{
    net_out *n = o;
    return hj_fleet_parse_network(t, l, f, n->net, n->is_node, e);
}
static hj_status load_assumptions(const char *t, size_t l, const char *f, void *o, hj_error *e)
{
    return hj_fleet_parse_assumptions(t, l, f, o, e);
}
static hj_status load_bench(const char *t, size_t l, const char *f, void *o, hj_error *e)
{
    return hj_fleet_parse_bench(t, l, f, o, e);
}

static void set_param(fleet_ctx *c, hj_fleet_param_id id, double v, const char *flag)
{
    c->a.p[id].value = v;
    c->a.p[id].unverified = false;
    snprintf(c->a.p[id].source, sizeof c->a.p[id].source, "flag %s", flag);
}

static void ctx_free(fleet_ctx *c)
{
    free(c->asics);
    free(c->gpus);
    hj_bench_file_free(&c->bench);
    free(c->opt);
    free(c->halving_opt);
    hj_exit_scenario_free(&c->exit);
    free(c->grid_net);
    free(c->grid_names);
    free(c->grid_kinds);
}

/* The grid: every option at each (BTC price, electricity price). */
static hj_status run_grid(fleet_ctx *c, const hj_fleet_inputs *in, hj_error *err)
{
    c->grid_nb = c->a.n_grid_btc;
    c->grid_ne = c->a.n_grid_electricity;
    c->grid_nopt = c->n_opt;
    c->grid_net = calloc(c->grid_nb * c->grid_ne * c->grid_nopt + 1, sizeof *c->grid_net);
    c->grid_names = calloc(c->grid_nopt + 1, sizeof *c->grid_names);
    c->grid_kinds = calloc(c->grid_nopt + 1, sizeof *c->grid_kinds);
    if (!c->grid_net || !c->grid_names || !c->grid_kinds)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    for (size_t ib = 0; ib < c->grid_nb; ib++)
        for (size_t ie = 0; ie < c->grid_ne; ie++) {
            hj_fleet_market g = c->m;
            g.btc_price_usd = c->a.grid_btc_price_usd[ib];
            g.electricity_usd_per_mwh = c->a.grid_electricity_usd_per_mwh[ie];
            hj_fleet_market_update(&g);
            hj_fleet_option *o;
            size_t n;
            hj_status st = hj_fleet_evaluate(in, &g, &o, &n, err);
            if (st)
                return st;
            for (size_t k = 0; k < n && k < c->grid_nopt; k++) {
                c->grid_net[fleet_grid_at(c, ib, ie, k)] = o[k].available ? o[k].net_usd_per_mwh : NAN;
                if (ib == 0 && ie == 0) {
                    snprintf(c->grid_names[k], sizeof c->grid_names[k], "%s", o[k].name);
                    c->grid_kinds[k] = o[k].kind;
                }
            }
            free(o);
        }
    return HJ_OK;
}

int hj_cmd_fleet(int argc, char **argv)
{
    fleet_ctx c;
    memset(&c, 0, sizeof c);
    c.local_power_w = NAN;
    const char *bench_path = NULL, *network_path = NULL, *asics_path = NULL, *gpus_path = NULL,
               *assumptions_path = NULL, *svg_dir = NULL, *scenario = NULL, *gpu_rate = NULL, *ref_name = NULL;
    const char *grid_btc = NULL, *grid_elec = NULL;
    bool json = false, csv = false, explain = false, overwrite = false;
    double btc = NAN, diff = NAN, fees = NAN, elec = NAN, pool = NAN, pue = NAN, hashprice = NAN, util = NAN,
           colo_rate = NAN;
    double exit_pct = NAN, exit_days = NAN, horizon = NAN, price_end = NAN;
    uint64_t height = 0;
    bool have_height = false;
    int rc = 0;
    hj_error err;

    opterr = 0;
    optind = 1;
    int o;
    while ((o = getopt_long(argc, argv, "", fleet_options, NULL)) != -1) {
        switch (o) {
        case O_BTC_PRICE: rc = parse_num("--btc-price", optarg, 0.01, 1e9, &btc); break;
        case O_DIFFICULTY: rc = parse_num("--difficulty", optarg, 1, 1e30, &diff); break;
        case O_FEES: rc = parse_num("--fees-btc-per-block", optarg, 0, 1000, &fees); break;
        case O_HEIGHT:
            if (hj_parse_u64(optarg, "--height", 0, 100000000, &height, &err)) {
                rc = hj_cli_fail_err("fleet", HJ_ERR_INPUT, &err);
                break;
            }
            have_height = true;
            break;
        case O_ELECTRICITY: rc = parse_num("--electricity-usd-per-mwh", optarg, 0, 10000, &elec); break;
        case O_POOL_FEE: rc = parse_num("--pool-fee", optarg, 0, 99, &pool); break;
        case O_PUE: rc = parse_num("--pue", optarg, 1, 5, &pue); break;
        case O_HASHPRICE: rc = parse_num("--hashprice-usd-per-ph-day", optarg, 1e-6, 1e9, &hashprice); break;
        case O_BENCH: bench_path = optarg; break;
        case O_NETWORK: network_path = optarg; break;
        case O_ASICS: asics_path = optarg; break;
        case O_GPUS: gpus_path = optarg; break;
        case O_ASSUMPTIONS: assumptions_path = optarg; break;
        case O_JSON: json = true; break;
        case O_CSV: csv = true; break;
        case O_SVG: svg_dir = optarg; break;
        case O_OVERWRITE: overwrite = true; break;
        case O_EXPLAIN: explain = true; break;
        case O_SCENARIO: scenario = optarg; break;
        case O_EXIT_PCT: rc = parse_num("--exit-pct", optarg, 0, 99, &exit_pct); break;
        case O_EXIT_DAYS: rc = parse_num("--exit-days", optarg, 0, 3650, &exit_days); break;
        case O_HORIZON: rc = parse_num("--horizon-days", optarg, 1, 3650, &horizon); break;
        case O_PRICE_END: rc = parse_num("--btc-price-end", optarg, 0.01, 1e9, &price_end); break;
        case O_GPU_UTIL: rc = parse_num("--gpu-utilisation", optarg, 0, 100, &util); break;
        case O_GPU_RATE: gpu_rate = optarg; break;
        case O_COLO_RATE: rc = parse_num("--colocation-usd-per-kw-month", optarg, 0.01, 1e5, &colo_rate); break;
        case O_REF_ASIC: ref_name = optarg; break;
        case O_LOCAL_POWER: rc = parse_num("--local-power-watts", optarg, 1e-3, 1e7, &c.local_power_w); break;
        case O_GRID_BTC: grid_btc = optarg; break;
        case O_GRID_ELEC: grid_elec = optarg; break;
        case O_HELP: printf(fleet_usage); return 0;
        default: return hj_cli_bad_option("fleet", optopt, argv[optind - 1], "see hashjoule fleet --help");
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return FAIL("unexpected argument '%s' (see hashjoule fleet --help)", argv[optind]);

    /* ---- contradictory flags ---- */
    if (json && csv)
        return FAIL("--json and --csv both given; choose one output format");
    if ((json || csv) && explain)
        return FAIL("--explain prints text; it cannot be combined with --%s", json ? "json" : "csv");
    if (!isnan(hashprice) && (!isnan(btc) || !isnan(diff) || !isnan(fees)))
        return FAIL("--hashprice-usd-per-ph-day contradicts --btc-price/--difficulty/--fees-btc-per-block, from which "
                    "hashprice is computed; give one or the other");
    if (!isnan(hashprice) && (scenario || svg_dir))
        return FAIL("--hashprice-usd-per-ph-day cannot be used with --scenario or --svg: the scenarios move the BTC "
                    "price and difficulty from which hashprice is computed");
    if (!isnan(c.local_power_w) && !bench_path)
        return FAIL("--local-power-watts applies to the results of --bench FILE; no --bench given");
    if (overwrite && !svg_dir)
        return FAIL("--overwrite applies to --svg DIR; no --svg given");
    if (gpu_rate && strcmp(gpu_rate, "one-year") != 0 && strcmp(gpu_rate, "on-demand") != 0)
        return FAIL("--gpu-rate: '%s' is not one-year or on-demand", gpu_rate);
    if (scenario) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", scenario);
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (strcmp(t, "exit") == 0)
                c.run_exit = true;
            else if (strcmp(t, "halving") == 0)
                c.run_halving = true;
            else if (strcmp(t, "grid") == 0)
                c.run_grid = true;
            else if (strcmp(t, "all") == 0)
                c.run_exit = c.run_halving = c.run_grid = true;
            else
                return FAIL("--scenario: '%s' is not one of exit, halving, grid, all", t);
        }
        if (!c.run_exit && !c.run_halving && !c.run_grid)
            return FAIL("--scenario: expected exit, halving, grid or all");
    }
    bool exit_flags = !isnan(exit_pct) || !isnan(exit_days) || !isnan(horizon) || !isnan(price_end);
    if (exit_flags && !c.run_exit && !svg_dir)
        return FAIL("--exit-pct/--exit-days/--horizon-days/--btc-price-end apply to --scenario exit (or --svg)");
    if ((grid_btc || grid_elec) && !c.run_grid && !svg_dir)
        return FAIL("--grid-btc-prices/--grid-electricity apply to --scenario grid (or --svg)");
    if (svg_dir)
        c.run_exit = c.run_grid = true; /* the charts need both */

    /* ---- data ---- */
    hj_status st;
    asic_out ao = {&c.asics, &c.n_asics};
    gpu_out go = {&c.gpus, &c.n_gpus};
    if ((st =
             load(asics_path, "--asics", "asics.json", c.asics_origin, sizeof c.asics_origin, load_asics, &ao, &err)) ||
        (st = load(gpus_path, "--gpus", "gpus.json", c.gpus_origin, sizeof c.gpus_origin, load_gpus, &go, &err)) ||
        (st = load(assumptions_path, "--assumptions", "assumptions.json", c.assumptions_origin,
                   sizeof c.assumptions_origin, load_assumptions, &c.a, &err))) {
        ctx_free(&c);
        return hj_cli_fail_err("fleet", st, &err);
    }
    /* The embedded snapshot always loads: it fills what a node's output lacks. */
    hj_network snap;
    bool snap_node = false;
    char snap_origin[512];
    net_out so = {&snap, &snap_node};
    if ((st = load(NULL, "--network", "network.json", snap_origin, sizeof snap_origin, load_net, &so, &err))) {
        ctx_free(&c);
        return hj_cli_fail_err("fleet", st, &err);
    }
    c.net = snap;
    if (network_path) {
        bool is_node = false;
        char origin[512];
        net_out no = {&c.net, &is_node};
        if ((st = load(network_path, "--network", NULL, origin, sizeof origin, load_net, &no, &err))) {
            ctx_free(&c);
            return hj_cli_fail_err("fleet", st, &err);
        }
        if (is_node) {
            /* fields a node does not know come from the snapshot, and say so */
            if (isnan(c.net.btc_price_usd)) {
                c.net.btc_price_usd = snap.btc_price_usd;
                snprintf(c.net.sources[HJ_NET_SRC_PRICE], HJ_FLEET_TEXT_MAX,
                         "not in %.150s: embedded snapshot %.20s: %.400s", network_path, snap.date,
                         snap.sources[HJ_NET_SRC_PRICE]);
            }
            if (isnan(c.net.fees_btc_per_block)) {
                c.net.fees_btc_per_block = snap.fees_btc_per_block;
                snprintf(c.net.sources[HJ_NET_SRC_FEES], HJ_FLEET_TEXT_MAX,
                         "not in %.150s: embedded snapshot %.20s: %.400s", network_path, snap.date,
                         snap.sources[HJ_NET_SRC_FEES]);
            }
            if (!c.net.has_height) {
                c.net.height = snap.height;
                c.net.has_height = true;
                snprintf(c.net.sources[HJ_NET_SRC_HEIGHT], HJ_FLEET_TEXT_MAX,
                         "not in %.150s: embedded snapshot %.20s: %.400s", network_path, snap.date,
                         snap.sources[HJ_NET_SRC_HEIGHT]);
            }
            if (!c.net.date[0]) {
                /* getmininginfo carries no time: the data is as of now */
                time_t now = time(NULL);
                struct tm tm;
                gmtime_r(&now, &tm);
                strftime(c.net.date, sizeof c.net.date, "%Y-%m-%d", &tm);
                c.net.year = tm.tm_year + 1900;
                c.net.month = tm.tm_mon + 1;
                size_t used = strlen(c.net.origin);
                snprintf(c.net.origin + used, sizeof c.net.origin - used, "; dated today (the file has no time)");
            }
            c.net.unverified[0] = '\0';
        }
    }
    if (bench_path) {
        if ((st = load(bench_path, "--bench", NULL, c.bench_path, sizeof c.bench_path, load_bench, &c.bench, &err))) {
            ctx_free(&c);
            return hj_cli_fail_err("fleet", st, &err);
        }
        snprintf(c.bench_path, sizeof c.bench_path, "%s", bench_path);
        c.have_bench = true;
        if (c.bench.n_failed)
            fprintf(stderr, "hashjoule fleet: note: %zu result(s) in %s failed in the bench and are left out\n",
                    c.bench.n_failed, bench_path);
        if (!isnan(c.local_power_w))
            for (size_t i = 0; i < c.bench.n_results; i++) {
                hj_local_result *r = &c.bench.results[i];
                if (isnan(r->joules_per_terahash)) {
                    /* W / (TH/s) = J/TH */
                    r->joules_per_terahash = c.local_power_w / (r->hashes_per_second / 1e12);
                    r->energy_estimated = true;
                    snprintf(r->scope, sizeof r->scope, "assumed");
                    snprintf(r->energy_source, sizeof r->energy_source, "--local-power-watts %g, not measured",
                             c.local_power_w);
                }
            }
    }

    /* ---- flags over the data ---- */
    if (!isnan(elec))
        set_param(&c, HJ_P_ELECTRICITY_USD_PER_MWH, elec, "--electricity-usd-per-mwh");
    if (!isnan(pool))
        set_param(&c, HJ_P_POOL_FEE_PCT, pool, "--pool-fee");
    if (!isnan(util))
        set_param(&c, HJ_P_GPU_UTILISATION_PCT, util, "--gpu-utilisation");
    if (gpu_rate)
        set_param(&c, HJ_P_GPU_RATE_ONE_YEAR, strcmp(gpu_rate, "one-year") == 0 ? 1 : 0, "--gpu-rate");
    if (!isnan(exit_pct))
        set_param(&c, HJ_P_EXIT_PCT, exit_pct, "--exit-pct");
    if (!isnan(exit_days))
        set_param(&c, HJ_P_EXIT_DAYS, exit_days, "--exit-days");
    if (!isnan(horizon))
        set_param(&c, HJ_P_HORIZON_DAYS, horizon, "--horizon-days");
    if (c.a.p[HJ_P_EXIT_DAYS].value > c.a.p[HJ_P_HORIZON_DAYS].value) {
        ctx_free(&c);
        return FAIL("the exit takes %g days but the horizon is %g days; raise --horizon-days or lower --exit-days",
                    c.a.p[HJ_P_EXIT_DAYS].value, c.a.p[HJ_P_HORIZON_DAYS].value);
    }
    if (!isnan(colo_rate)) {
        c.a.n_colo = 1;
        snprintf(c.a.colo[0].name, sizeof c.a.colo[0].name, "AI colocation: %g USD/kW-month", colo_rate);
        c.a.colo[0].usd_per_kw_month = colo_rate;
        snprintf(c.a.colo[0].source, sizeof c.a.colo[0].source, "flag --colocation-usd-per-kw-month");
    }
    if (ref_name)
        snprintf(c.a.reference_asic, sizeof c.a.reference_asic, "%s", ref_name);
    if ((grid_btc && parse_list("--grid-btc-prices", grid_btc, 0.01, c.a.grid_btc_price_usd, &c.a.n_grid_btc)) ||
        (grid_elec &&
         parse_list("--grid-electricity", grid_elec, 0, c.a.grid_electricity_usd_per_mwh, &c.a.n_grid_electricity))) {
        ctx_free(&c);
        return HJ_ERR_INPUT;
    }
    for (size_t i = 0; i < c.n_asics; i++)
        if (strcmp(c.asics[i].model, c.a.reference_asic) == 0)
            c.ref = &c.asics[i];
    if (!c.ref) {
        ctx_free(&c);
        return FAIL("reference ASIC '%s' is not in %s (names are the \"model\" field)", c.a.reference_asic,
                    c.asics_origin);
    }

    hj_fleet_market *m = &c.m;
    m->difficulty = isnan(diff) ? c.net.difficulty : diff;
    m->btc_price_usd = isnan(btc) ? c.net.btc_price_usd : btc;
    m->fees_btc_per_block = isnan(fees) ? c.net.fees_btc_per_block : fees;
    m->height = have_height ? height : c.net.height;
    m->electricity_usd_per_mwh = c.a.p[HJ_P_ELECTRICITY_USD_PER_MWH].value;
    m->pool_fee_pct = c.a.p[HJ_P_POOL_FEE_PCT].value;
    m->pue_override = pue;
    m->hashprice_overridden = !isnan(hashprice);
    m->hashprice_usd_per_ph_day = hashprice;
    hj_fleet_market_update(m);
    snprintf(c.src_difficulty, sizeof c.src_difficulty, "%s",
             isnan(diff) ? c.net.sources[HJ_NET_SRC_DIFFICULTY] : "flag --difficulty");
    snprintf(c.src_price, sizeof c.src_price, "%s", isnan(btc) ? c.net.sources[HJ_NET_SRC_PRICE] : "flag --btc-price");
    snprintf(c.src_fees, sizeof c.src_fees, "%s",
             isnan(fees) ? c.net.sources[HJ_NET_SRC_FEES] : "flag --fees-btc-per-block");
    snprintf(c.src_height, sizeof c.src_height, "%s", have_height ? "flag --height" : c.net.sources[HJ_NET_SRC_HEIGHT]);
    snprintf(c.src_hashprice, sizeof c.src_hashprice, "%s",
             m->hashprice_overridden ? "flag --hashprice-usd-per-ph-day (not computed)"
                                     : "computed: 1e15 x 86400 x (S + F) x P / (D x 2^32)");
    c.as_of_year = c.net.year;
    c.as_of_month = c.net.month;
    snprintf(c.as_of, sizeof c.as_of, "%s", c.net.date);
    c.btc_price_end = isnan(price_end) ? m->btc_price_usd : price_end;
    c.exit_pct = c.a.p[HJ_P_EXIT_PCT].value;
    c.exit_days = c.a.p[HJ_P_EXIT_DAYS].value;
    c.horizon_days = c.a.p[HJ_P_HORIZON_DAYS].value;

    /* ---- the model ---- */
    hj_fleet_inputs in = {c.asics, c.n_asics, c.gpus, c.n_gpus, &c.a, c.bench.results, c.bench.n_results};
    if ((st = hj_fleet_evaluate(&in, m, &c.opt, &c.n_opt, &err)) ||
        (st = hj_fleet_cbeci(c.asics, c.n_asics, &c.a, hj_network_hashrate_hs(m->difficulty) / 1e12,
                             m->hashprice_usd_per_ph_day / 1000.0, c.as_of_year, c.as_of_month, &c.cbeci, &err)) ||
        (st = hj_fleet_attack_cost(c.asics, c.n_asics, &c.a, m, c.as_of_year, c.as_of_month, &c.attack, &err)))
        goto fail;
    if (c.run_grid && (st = run_grid(&c, &in, &err)))
        goto fail;
    if (c.run_exit && (st = hj_fleet_exit_scenario(m, &c.a, c.ref, c.exit_pct, c.exit_days, c.horizon_days,
                                                   c.btc_price_end, &c.exit, &err)))
        goto fail;
    if (c.run_halving) {
        c.m_halving = *m;
        uint64_t next = (m->height / HJ_HALVING_INTERVAL + 1) * HJ_HALVING_INTERVAL;
        c.m_halving.height = next;
        hj_fleet_market_update(&c.m_halving);
        if ((st = hj_fleet_evaluate(&in, &c.m_halving, &c.halving_opt, &c.n_halving, &err)))
            goto fail;
    }
    hj_fleet_sort_by_net(c.opt, c.n_opt);

    /* ---- output ---- */
    if (svg_dir && (st = fleet_write_svgs(svg_dir, overwrite, &c, &err)))
        goto fail;
    if (json)
        rc = fleet_print_json(stdout, &c);
    else if (csv)
        fleet_print_csv(stdout, &c);
    else if (explain)
        fleet_print_explain(stdout, &c);
    else
        fleet_print_text(stdout, &c);
    if (fflush(stdout) != 0 && !rc)
        rc = hj_cli_fail("fleet", HJ_ERR_RUNTIME, "could not write the output: %s", strerror(errno));
    ctx_free(&c);
    return rc;
fail:
    ctx_free(&c);
    return hj_cli_fail_err("fleet", st, &err);
}
