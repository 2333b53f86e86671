/* `hashjoule fleet`: the value of a megawatt — ASIC mining, this machine's
 * kernels, AI colocation and GPU cloud on one table, with the scenarios. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fleet_cli.h"

static const char fleet_usage[] =
    "usage: hashjoule fleet [OPTIONS]\n"
    "\n"
    "What a megawatt earns: every ASIC in the data, this machine's kernels (from a\n"
    "bench results file), each GPU of the data mining (a modeled bound, labelled),\n"
    "AI colocation and AI GPU cloud, each normalised to 1 MW of facility power,\n"
    "sorted by net USD per MWh. Defaults come from the data\n"
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
    "  --bench FILE       results of `hashjoule bench`: this machine's rows; a row\n"
    "                     the bench measured no energy for shows its hash rate, and\n"
    "                     why there is no energy is said once, below the table\n"
    "  --local-power-watts W  assumed power (W while hashing) for bench results\n"
    "                     without an energy measurement: their J/TH is then an\n"
    "                     estimate from that wattage, labelled as such\n"
    "  --fleet FILE       your own fleet, CSV or JSON (docs/fleet.md): a row per kind\n"
    "                     of miner: model (an ASIC of the table) or name (your own,\n"
    "                     with hashrate_ths and power_w), units; optional per-unit\n"
    "                     hashrate_ths / power_w (tuned firmware), site, site_pue,\n"
    "                     site_electricity_usd_per_mwh, site_capacity_mw. Adds \"Your\n"
    "                     fleet\": totals per site and in all, and the fleet per MW\n"
    "                     beside the table's options (already owned: capex 0)\n"
    "\n"
    "Live network data from a Bitcoin Core node (instead of --network):\n"
    "  --rpc URL          the node's JSON-RPC, e.g. http://127.0.0.1:8332: height and\n"
    "                     difficulty (getblockchaininfo), mean fees per block over\n"
    "                     the last 144 blocks (getblockstats); the BTC price comes\n"
    "                     from --btc-price, else the snapshot; flags still override\n"
    "  --rpc-cookie FILE  the node's .cookie file (in its data directory); without it,\n"
    "                     HASHJOULE_RPC_USER and HASHJOULE_RPC_PASSWORD from the\n"
    "                     environment (never on the command line)\n"
    "  --rpc-timeout S    seconds to wait for each reply (default 10)\n"
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
    "Projection (month by month, per MW; a month is 730 h, month 0 the capex):\n"
    "  --months N                     project every option over N months (1..120):\n"
    "                                 NPV, IRR, payback, cumulative cash, AI-vs-mining\n"
    "                                 crossover; the halvings fall as blocks arrive\n"
    "  --hashrate-growth-pct-per-month G  network hashrate growth (negative: an exit)\n"
    "  --btc-price-growth-pct-per-year P  BTC price growth (default from the data: 0)\n"
    "  --btc-price-path FILE          CSV month,usd[,fees_btc_per_block] instead\n"
    "  --uptime-pct U                 planned availability of the miners\n"
    "  --power-prices FILE            hourly USD/MWh, one a line, cycled: miners run\n"
    "                                 only in hours below their break-even\n"
    "  --discount-rate-pct-per-year R for the NPV\n"
    "  --assume KEY=VALUE             any parameter of the assumptions (repeatable),\n"
    "                                 e.g. --assume ai_months_to_revenue=12\n"
    "\n"
    "Output:\n"
    "  (default)     assumptions, then the table, the headline and the security view\n"
    "  --json        one JSON object with every input and output\n"
    "  --csv         one row per option, inputs repeated on every row; with\n"
    "                --months, one row per option and month instead\n"
    "  --svg DIR     charts: options, break-even by generation, sensitivity map,\n"
    "                difficulty scenario, with --months the cumulative cash (refuses to replace files unless "
    "--overwrite);\n"
    "                the paths written follow, one a line: on stdout after the report,\n"
    "                or on stderr with --json or --csv (stdout is then the document)\n"
    "  --explain     the formulas with the numbers substituted\n"
    "\n"
    "Exit status: 0 done, 2 bad input or contradictory flags, 3 runtime failure\n"
    "(with --rpc: the node unreachable, refusing the credentials, in an error, not\n"
    "synced or not on mainnet).\n";

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
    O_HELP,
    O_VERSION,
    O_MONTHS,
    O_HASHRATE_GROWTH,
    O_PRICE_GROWTH,
    O_PRICE_PATH,
    O_UPTIME,
    O_POWER_PRICES,
    O_DISCOUNT,
    O_ASSUME,
    O_RPC,
    O_RPC_COOKIE,
    O_RPC_TIMEOUT,
    O_FLEET
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
    {"version", no_argument, NULL, O_VERSION},
    {"months", required_argument, NULL, O_MONTHS},
    {"hashrate-growth-pct-per-month", required_argument, NULL, O_HASHRATE_GROWTH},
    {"btc-price-growth-pct-per-year", required_argument, NULL, O_PRICE_GROWTH},
    {"btc-price-path", required_argument, NULL, O_PRICE_PATH},
    {"uptime-pct", required_argument, NULL, O_UPTIME},
    {"power-prices", required_argument, NULL, O_POWER_PRICES},
    {"discount-rate-pct-per-year", required_argument, NULL, O_DISCOUNT},
    {"assume", required_argument, NULL, O_ASSUME},
    {"rpc", required_argument, NULL, O_RPC},
    {"rpc-cookie", required_argument, NULL, O_RPC_COOKIE},
    {"rpc-timeout", required_argument, NULL, O_RPC_TIMEOUT},
    {"fleet", required_argument, NULL, O_FLEET},
    {NULL, 0, NULL, 0},
};

#define FAIL(...) hj_cli_fail("fleet", HJ_ERR_INPUT, __VA_ARGS__)

/* A finite number in [min, max]; accepts 152e12. */
/* A number flag; 0, or the exit status of the message printed. */
static int parse_num(const char *flag, const char *text, double min, double max, double *out)
{
    hj_error err;
    return hj_parse_double(text, flag, min, max, out, &err) == HJ_OK ? 0 : hj_cli_fail_err("fleet", HJ_ERR_INPUT, &err);
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

/* The projection's flags; 0, or the exit status after the message. */
static int parse_projection_flag(int o, const char *arg, hj_fleet_request *req)
{
    switch (o) {
    case O_MONTHS: {
        hj_error err;
        uint64_t v;
        if (hj_parse_u64(arg, "--months", 1, 120, &v, &err))
            return hj_cli_fail_err("fleet", HJ_ERR_INPUT, &err);
        req->months = (int)v;
        return 0;
    }
    case O_HASHRATE_GROWTH:
        return parse_num("--hashrate-growth-pct-per-month", arg, -50, 50, &req->hashrate_growth_pct_per_month);
    case O_PRICE_GROWTH:
        return parse_num("--btc-price-growth-pct-per-year", arg, -99, 1000, &req->btc_price_growth_pct_per_year);
    case O_PRICE_PATH: req->btc_price_path = arg; return 0;
    case O_UPTIME: return parse_num("--uptime-pct", arg, 0, 100, &req->uptime_pct);
    case O_POWER_PRICES: req->power_prices_path = arg; return 0;
    case O_DISCOUNT: return parse_num("--discount-rate-pct-per-year", arg, -99, 1000, &req->discount_rate_pct_per_year);
    case O_ASSUME: {
        const char *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return FAIL("--assume '%s': expected KEY=VALUE, e.g. --assume uptime_pct=97", arg);
        if (req->n_assume >= HJ_FLEET_MAX_ASSUME)
            return FAIL("--assume: at most %d of them", HJ_FLEET_MAX_ASSUME);
        static char keys[HJ_FLEET_MAX_ASSUME][64];
        size_t len = (size_t)(eq - arg);
        if (len >= sizeof keys[0])
            return FAIL("--assume '%s': the key is too long", arg);
        memcpy(keys[req->n_assume], arg, len);
        keys[req->n_assume][len] = '\0';
        char flag[96];
        snprintf(flag, sizeof flag, "--assume %s", keys[req->n_assume]);
        if (parse_num(flag, eq + 1, -1e12, 1e12, &req->assume[req->n_assume].value))
            return HJ_ERR_INPUT;
        req->assume[req->n_assume].key = keys[req->n_assume];
        req->n_assume++;
        return 0;
    }
    }
    return 0;
}

/* --scenario LIST into the request; 0 or the exit status after the message. */
static int parse_scenarios(const char *list, hj_fleet_request *req)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "exit") == 0)
            req->run_exit = true;
        else if (strcmp(t, "halving") == 0)
            req->run_halving = true;
        else if (strcmp(t, "grid") == 0)
            req->run_grid = true;
        else if (strcmp(t, "all") == 0)
            req->run_exit = req->run_halving = req->run_grid = true;
        else
            return FAIL("--scenario: '%s' is not one of exit, halving, grid, all", t);
    }
    if (!req->run_exit && !req->run_halving && !req->run_grid)
        return FAIL("--scenario: expected exit, halving, grid or all");
    return 0;
}

int hj_cmd_fleet(int argc, char **argv)
{
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    const char *svg_dir = NULL, *scenario = NULL, *gpu_rate = NULL;
    const char *grid_btc = NULL, *grid_elec = NULL;
    bool json = false, csv = false, explain = false, overwrite = false;
    fleet_rpc_flags rpc = {NULL, NULL, NAN};
    hj_network node;
    int rc = 0;
    hj_error err;

    opterr = 0;
    optind = 1;
    int o;
    while ((o = getopt_long(argc, argv, "hV", fleet_options, NULL)) != -1) {
        switch (o) {
        case O_BTC_PRICE: rc = parse_num("--btc-price", optarg, 0.01, 1e9, &req.btc_price_usd); break;
        case O_DIFFICULTY: rc = parse_num("--difficulty", optarg, 1, 1e30, &req.difficulty); break;
        case O_FEES: rc = parse_num("--fees-btc-per-block", optarg, 0, 1000, &req.fees_btc_per_block); break;
        case O_HEIGHT:
            if (hj_parse_u64(optarg, "--height", 0, 100000000, &req.height, &err)) {
                rc = hj_cli_fail_err("fleet", HJ_ERR_INPUT, &err);
                break;
            }
            req.has_height = true;
            break;
        case O_ELECTRICITY:
            rc = parse_num("--electricity-usd-per-mwh", optarg, 0, 10000, &req.electricity_usd_per_mwh);
            break;
        case O_POOL_FEE: rc = parse_num("--pool-fee", optarg, 0, 99, &req.pool_fee_pct); break;
        case O_PUE: rc = parse_num("--pue", optarg, 1, 5, &req.pue); break;
        case O_HASHPRICE:
            rc = parse_num("--hashprice-usd-per-ph-day", optarg, 1e-6, 1e9, &req.hashprice_usd_per_ph_day);
            break;
        case O_BENCH: req.bench_path = optarg; break;
        case O_NETWORK: req.network_path = optarg; break;
        case O_ASICS: req.asics_path = optarg; break;
        case O_GPUS: req.gpus_path = optarg; break;
        case O_ASSUMPTIONS: req.assumptions_path = optarg; break;
        case O_JSON: json = true; break;
        case O_CSV: csv = true; break;
        case O_SVG: svg_dir = optarg; break;
        case O_OVERWRITE: overwrite = true; break;
        case O_EXPLAIN: explain = true; break;
        case O_SCENARIO: scenario = optarg; break;
        case O_EXIT_PCT: rc = parse_num("--exit-pct", optarg, 0, 99, &req.exit_pct); break;
        case O_EXIT_DAYS: rc = parse_num("--exit-days", optarg, 0, 3650, &req.exit_days); break;
        case O_HORIZON: rc = parse_num("--horizon-days", optarg, 1, 3650, &req.horizon_days); break;
        case O_PRICE_END: rc = parse_num("--btc-price-end", optarg, 0.01, 1e9, &req.btc_price_end_usd); break;
        case O_GPU_UTIL: rc = parse_num("--gpu-utilisation", optarg, 0, 100, &req.gpu_utilisation_pct); break;
        case O_GPU_RATE: gpu_rate = optarg; break;
        case O_COLO_RATE:
            rc = parse_num("--colocation-usd-per-kw-month", optarg, 0.01, 1e5, &req.colocation_usd_per_kw_month);
            break;
        case O_REF_ASIC: req.reference_asic = optarg; break;
        case O_LOCAL_POWER: rc = parse_num("--local-power-watts", optarg, 1e-3, 1e7, &req.local_power_w); break;
        case O_GRID_BTC: grid_btc = optarg; break;
        case O_GRID_ELEC: grid_elec = optarg; break;
        case O_MONTHS:
        case O_HASHRATE_GROWTH:
        case O_PRICE_GROWTH:
        case O_PRICE_PATH:
        case O_UPTIME:
        case O_POWER_PRICES:
        case O_DISCOUNT:
        case O_ASSUME: rc = parse_projection_flag(o, optarg, &req); break;
        case O_FLEET: req.fleet_path = optarg; break;
        case 'h':
        case O_HELP: printf(fleet_usage); return 0;
        case 'V':
        case O_VERSION: return hj_cli_print_version();
        case O_RPC: rpc.url = optarg; break;
        case O_RPC_COOKIE: rpc.cookie_path = optarg; break;
        case O_RPC_TIMEOUT: rc = parse_num("--rpc-timeout", optarg, 0.001, 3600, &rpc.timeout_s); break;
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
    if (!isnan(req.hashprice_usd_per_ph_day) &&
        (!isnan(req.btc_price_usd) || !isnan(req.difficulty) || !isnan(req.fees_btc_per_block)))
        return FAIL("--hashprice-usd-per-ph-day contradicts --btc-price/--difficulty/--fees-btc-per-block, from which "
                    "hashprice is computed; give one or the other");
    if (!isnan(req.hashprice_usd_per_ph_day) && (scenario || svg_dir))
        return FAIL("--hashprice-usd-per-ph-day cannot be used with --scenario or --svg: the scenarios move the BTC "
                    "price and difficulty from which hashprice is computed");
    if (!isnan(req.local_power_w) && !req.bench_path)
        return FAIL("--local-power-watts applies to the results of --bench FILE; no --bench given");
    bool projection_flags = !isnan(req.hashrate_growth_pct_per_month) || !isnan(req.btc_price_growth_pct_per_year) ||
                            req.btc_price_path || !isnan(req.uptime_pct) || req.power_prices_path ||
                            !isnan(req.discount_rate_pct_per_year);
    if (projection_flags && !req.months)
        return FAIL("--hashrate-growth-pct-per-month/--btc-price-growth-pct-per-year/--btc-price-path/--uptime-pct/"
                    "--power-prices/--discount-rate-pct-per-year apply to the projection; give --months N");
    if (req.months && !isnan(req.hashprice_usd_per_ph_day))
        return FAIL("--hashprice-usd-per-ph-day cannot be used with --months: the projection computes hashprice "
                    "from difficulty month by month");
    if (overwrite && !svg_dir)
        return FAIL("--overwrite applies to --svg DIR; no --svg given");
    if (gpu_rate && strcmp(gpu_rate, "one-year") != 0 && strcmp(gpu_rate, "on-demand") != 0)
        return FAIL("--gpu-rate: '%s' is not one-year or on-demand", gpu_rate);
    if (gpu_rate)
        req.gpu_rate = strcmp(gpu_rate, "one-year") == 0 ? HJ_GPU_RATE_ONE_YEAR : HJ_GPU_RATE_ON_DEMAND;
    if (scenario && (rc = parse_scenarios(scenario, &req)))
        return rc;
    bool exit_flags =
        !isnan(req.exit_pct) || !isnan(req.exit_days) || !isnan(req.horizon_days) || !isnan(req.btc_price_end_usd);
    if (exit_flags && !req.run_exit && !svg_dir)
        return FAIL("--exit-pct/--exit-days/--horizon-days/--btc-price-end apply to --scenario exit (or --svg)");
    if ((grid_btc || grid_elec) && !req.run_grid && !svg_dir)
        return FAIL("--grid-btc-prices/--grid-electricity apply to --scenario grid (or --svg)");
    if (svg_dir)
        req.run_exit = req.run_grid = true; /* the charts need both */
    if ((grid_btc && parse_list("--grid-btc-prices", grid_btc, 0.01, req.grid_btc_price_usd, &req.n_grid_btc)) ||
        (grid_elec &&
         parse_list("--grid-electricity", grid_elec, 0, req.grid_electricity_usd_per_mwh, &req.n_grid_electricity)))
        return HJ_ERR_INPUT;
    if ((rc = fleet_read_node(&rpc, &req, &node)))
        return rc;

    /* ---- the run ---- */
    hj_fleet_report report;
    hj_status st = hj_fleet_run(&req, &report, &err);
    if (report.have_bench && report.bench.n_failed)
        fprintf(stderr, "hashjoule fleet: note: %zu result(s) in %s failed in the bench and are left out\n",
                report.bench.n_failed, report.bench_path);
    if (st)
        goto fail;

    /* ---- output ---- */
    if (svg_dir && (st = fleet_write_svgs(svg_dir, overwrite, &report, &err)))
        goto fail;
    if (json) {
        rc = fleet_print_json(stdout, &report);
    } else if (csv) {
        if (report.projection)
            fleet_print_projection_csv(stdout, &report);
        else
            fleet_print_csv(stdout, &report);
    } else if (explain) {
        fleet_print_explain(stdout, &report);
        if (report.projection)
            fleet_print_projection_explain(stdout, &report);
    } else {
        fleet_print_text(stdout, &report);
        if (report.projection)
            fleet_print_projection_text(stdout, &report);
    }
    if (svg_dir) {
        /* the charts written, under a heading, one path a line: after the
         * report, or on stderr when stdout is a JSON or CSV document */
        FILE *list = json || csv ? stderr : stdout;
        size_t len = strlen(svg_dir);
        fprintf(list, "%scharts written:\n", list == stdout ? "\n" : "hashjoule fleet: ");
        for (int i = 0; i < fleet_svg_count(&report); i++)
            fprintf(list, "%s%s%s\n", svg_dir, len && svg_dir[len - 1] == '/' ? "" : "/", fleet_svg_name(i));
    }
    if (fflush(stdout) != 0 && !rc)
        rc = hj_cli_fail("fleet", HJ_ERR_RUNTIME, "could not write the output: %s", strerror(errno));
    hj_fleet_report_free(&report);
    return rc;
fail:
    hj_fleet_report_free(&report);
    return hj_cli_fail_err("fleet", st, &err);
}
