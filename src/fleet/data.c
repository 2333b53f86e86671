/* Loaders for the fleet data tables: ASICs, AI GPUs and the network
 * snapshot (data/README.md describes the formats). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hashjoule/consensus.h"
#include "hashjoule/fleet_data.h"
#include "json_util.h"

/* The value of n decimal digits (already checked to be digits). */
static int digits_value(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY" or "YYYY-MM" (or "YYYY-MM-DD" when allow_day): year and month. */
static bool parse_date(const char *s, bool allow_day, int *year, int *month)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && !(allow_day && n == 10))
        return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    }
    int y = digits_value(s, 4), m = n >= 7 ? digits_value(s + 5, 2) : 1;
    if (y < 2009 || y > 2100 || m < 1 || m > 12)
        return false;
    if (n == 10) {
        int d = digits_value(s + 8, 2);
        if (d < 1 || d > 31)
            return false;
    }
    *year = y;
    *month = m;
    return true;
}

static json_t *top_array(json_t *root, const char *file, const char *schema, const char *key, hj_error *err)
{
    hj_jctx c = {.file = file, .row = "top level"};
    if (!json_is_object(root)) {
        hj_jfail(&c, NULL, err, "expected a JSON object with \"schema\": \"%s\" and \"%s\": [...]", schema, key);
        return NULL;
    }
    json_t *s = json_object_get(root, "schema");
    if (!json_is_string(s) || strcmp(json_string_value(s), schema) != 0) {
        hj_jfail(&c, "schema", err, "expected \"%s\"", schema);
        return NULL;
    }
    static const char *const allowed_top[] = {"schema", "description", "asics", "gpus", NULL};
    if (hj_jonly(&c, root, allowed_top, err) != HJ_OK)
        return NULL;
    json_t *arr = json_object_get(root, key);
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        hj_jfail(&c, key, err, "expected a non-empty array");
        return NULL;
    }
    return arr;
}

/* The context of row i of a table, named by its model when it has one
 * ("asics row 3 (Antminer S19)"); false (err set) when the row is not an object. */
static bool begin_row(hj_jctx *c, const char *file, const char *table, size_t i, json_t *o, hj_error *err)
{
    c->file = file;
    snprintf(c->row, sizeof c->row, "%s row %zu", table, i + 1);
    if (!json_is_object(o)) {
        hj_jfail(c, NULL, err, "expected an object");
        return false;
    }
    json_t *model = json_object_get(o, "model");
    if (json_is_string(model))
        snprintf(c->row, sizeof c->row, "%s row %zu (%.100s)", table, i + 1, json_string_value(model));
    return true;
}

hj_status hj_fleet_parse_asics(const char *text, size_t len, const char *file, hj_asic **out, size_t *n, hj_error *err)
{
    *out = NULL;
    *n = 0;
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    json_t *arr = top_array(root, file, "hashjoule-asics/1", "asics", err);
    hj_asic *rows = NULL;
    if (!arr)
        goto done;
    size_t count = json_array_size(arr);
    rows = calloc(count, sizeof *rows);
    if (!rows) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        goto done;
    }
    static const char *const allowed[] = {"manufacturer",   "model",   "hashrate_ths", "power_w",
                                          "efficiency_jth", "release", "cooling",      "price_usd",
                                          "unverified",     "sources", "notes",        NULL};
    for (size_t i = 0; i < count; i++) {
        json_t *o = json_array_get(arr, i);
        hj_asic *a = &rows[i];
        hj_jctx c;
        if (!begin_row(&c, file, "asics", i, o, err))
            goto done;
        double stated;
        char cooling[32];
        if (hj_jonly(&c, o, allowed, err) || hj_jstr(&c, o, "model", true, a->model, sizeof a->model, err) ||
            hj_jstr(&c, o, "manufacturer", true, a->manufacturer, sizeof a->manufacturer, err) ||
            hj_jnum(&c, o, "hashrate_ths", true, false, 1e-6, 1e6, &a->hashrate_ths, err) ||
            hj_jnum(&c, o, "power_w", true, false, 1e-3, 1e7, &a->power_w, err) ||
            hj_jnum(&c, o, "efficiency_jth", false, true, 1e-3, 1e9, &stated, err) ||
            hj_jstr(&c, o, "release", true, a->release, sizeof a->release, err) ||
            hj_jstr(&c, o, "cooling", true, cooling, sizeof cooling, err) ||
            hj_jnum(&c, o, "price_usd", false, true, 0.01, 1e9, &a->price_usd, err) ||
            hj_jbool(&c, o, "unverified", false, &a->unverified, err) ||
            hj_jstr(&c, o, "sources", true, a->sources, sizeof a->sources, err) ||
            hj_jstr(&c, o, "notes", false, a->notes, sizeof a->notes, err))
            goto done;
        a->efficiency_jth = a->power_w / a->hashrate_ths;
        /* The stated J/TH is a check on the two numbers the model uses. */
        if (!isnan(stated) && fabs(stated - a->efficiency_jth) > 0.05 * stated) {
            hj_jfail(&c, "efficiency_jth", err,
                     "%g does not match power_w / hashrate_ths = %g / %g = %.2f J/TH (more than 5%% apart)", stated,
                     a->power_w, a->hashrate_ths, a->efficiency_jth);
            goto done;
        }
        if (!parse_date(a->release, false, &a->release_year, &a->release_month)) {
            hj_jfail(&c, "release", err, "'%s' is not a date; expected YYYY or YYYY-MM", a->release);
            goto done;
        }
        if (strcmp(cooling, "air") != 0 && strcmp(cooling, "hydro") != 0 && strcmp(cooling, "immersion") != 0) {
            hj_jfail(&c, "cooling", err, "'%s' is not one of air, hydro, immersion", cooling);
            goto done;
        }
        /* one of the three names above, so it fits */
        snprintf(a->cooling, sizeof a->cooling, "%.*s", (int)sizeof a->cooling - 1, cooling);
        for (size_t j = 0; j < i; j++)
            if (strcmp(rows[j].model, a->model) == 0) {
                hj_jfail(&c, "model", err, "'%s' appears twice (rows %zu and %zu); names must be unique", a->model,
                         j + 1, i + 1);
                goto done;
            }
    }
    *out = rows;
    *n = count;
    st = HJ_OK;
done:
    return hj_json_loader_end(root, rows, st);
}

static const char *const gpu_fields[] = {"model",
                                         "vendor",
                                         "board_power_w",
                                         "server_power_w_per_gpu",
                                         "rent_on_demand_usd_per_hour",
                                         "rent_one_year_usd_per_hour",
                                         "capex_usd_per_gpu",
                                         "capex_scope",
                                         "isa",
                                         "compute_units",
                                         "int32_lanes_per_unit_per_clock",
                                         "boost_clock_mhz",
                                         "sha256d_instructions_per_nonce",
                                         "sha256d_rolled_instructions_per_hash",
                                         "hashcat_1400_mhs",
                                         "compute_sources",
                                         "unverified_fields",
                                         "sources",
                                         "notes",
                                         NULL};

hj_status hj_fleet_parse_gpus(const char *text, size_t len, const char *file, hj_gpu **out, size_t *n, hj_error *err)
{
    *out = NULL;
    *n = 0;
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    hj_gpu *rows = NULL;
    json_t *arr = top_array(root, file, "hashjoule-gpus/1", "gpus", err);
    if (!arr)
        goto done;
    size_t count = json_array_size(arr);
    rows = calloc(count, sizeof *rows);
    if (!rows) {
        st = hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        json_t *o = json_array_get(arr, i);
        hj_gpu *g = &rows[i];
        hj_jctx c;
        if (!begin_row(&c, file, "gpus", i, o, err))
            goto done;
        if (hj_jonly(&c, o, gpu_fields, err) || hj_jstr(&c, o, "model", true, g->model, sizeof g->model, err) ||
            hj_jstr(&c, o, "vendor", true, g->vendor, sizeof g->vendor, err) ||
            hj_jnum(&c, o, "board_power_w", true, false, 1, 1e5, &g->board_power_w, err) ||
            hj_jnum(&c, o, "server_power_w_per_gpu", true, false, 1, 1e5, &g->server_power_w_per_gpu, err) ||
            hj_jnum(&c, o, "rent_on_demand_usd_per_hour", true, true, 0.001, 1000, &g->rent_on_demand_usd_per_hour,
                    err) ||
            hj_jnum(&c, o, "rent_one_year_usd_per_hour", true, true, 0.001, 1000, &g->rent_one_year_usd_per_hour,
                    err) ||
            hj_jnum(&c, o, "capex_usd_per_gpu", true, true, 1, 1e8, &g->capex_usd_per_gpu, err) ||
            hj_jstr(&c, o, "capex_scope", false, g->capex_scope, sizeof g->capex_scope, err) ||
            hj_jstr(&c, o, "isa", false, g->isa, sizeof g->isa, err) ||
            hj_jnum(&c, o, "compute_units", false, true, 1, 10000, &g->compute_units, err) ||
            hj_jnum(&c, o, "int32_lanes_per_unit_per_clock", false, true, 1, 4096, &g->int32_lanes_per_unit_per_clock,
                    err) ||
            hj_jnum(&c, o, "boost_clock_mhz", false, true, 100, 10000, &g->boost_clock_mhz, err) ||
            hj_jnum(&c, o, "sha256d_instructions_per_nonce", false, true, 100, 1e6, &g->sha256d_instructions_per_nonce,
                    err) ||
            hj_jnum(&c, o, "sha256d_rolled_instructions_per_hash", false, true, 100, 1e6,
                    &g->sha256d_rolled_instructions_per_hash, err) ||
            hj_jnum(&c, o, "hashcat_1400_mhs", false, true, 0.001, 1e9, &g->hashcat_1400_mhs, err) ||
            hj_jstr(&c, o, "compute_sources", false, g->compute_sources, sizeof g->compute_sources, err) ||
            hj_jstr(&c, o, "sources", true, g->sources, sizeof g->sources, err) ||
            hj_jstr(&c, o, "notes", false, g->notes, sizeof g->notes, err))
            goto done;
        if (g->server_power_w_per_gpu < g->board_power_w) {
            hj_jfail(&c, "server_power_w_per_gpu", err,
                     "%g W is below the board power %g W; a server draws at least its GPU", g->server_power_w_per_gpu,
                     g->board_power_w);
            goto done;
        }
        if ((!isnan(g->sha256d_instructions_per_nonce) || !isnan(g->sha256d_rolled_instructions_per_hash)) &&
            !g->isa[0]) {
            hj_jfail(&c, "isa", err, "missing; an instruction count is for one compiler target (\"sm_90\", ...)");
            goto done;
        }
        json_t *uf = json_object_get(o, "unverified_fields");
        if (uf && !json_is_array(uf)) {
            hj_jfail(&c, "unverified_fields", err, "expected an array of field names");
            goto done;
        }
        size_t k;
        json_t *f;
        json_array_foreach(uf, k, f) {
            bool known = false;
            for (const char *const *a = gpu_fields; *a && json_is_string(f) && !known; a++)
                known = strcmp(*a, json_string_value(f)) == 0;
            if (!known) {
                hj_jfail(&c, "unverified_fields", err, "item %zu is not a field name of this table", k + 1);
                goto done;
            }
            size_t used = strlen(g->unverified_fields);
            snprintf(g->unverified_fields + used, sizeof g->unverified_fields - used, "%s%s", used ? "," : "",
                     json_string_value(f));
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(rows[j].model, g->model) == 0) {
                hj_jfail(&c, "model", err, "'%s' appears twice; names must be unique", g->model);
                goto done;
            }
    }
    *out = rows;
    *n = count;
    st = HJ_OK;
done:
    return hj_json_loader_end(root, rows, st);
}

double hj_gpu_mining_instructions_per_hash(const hj_gpu *g)
{
    return isnan(g->sha256d_rolled_instructions_per_hash) ? g->sha256d_instructions_per_nonce
                                                          : g->sha256d_rolled_instructions_per_hash;
}

double hj_gpu_mining_bound_hs(const hj_gpu *g)
{
    /* NAN in any factor gives NAN */
    return g->compute_units * g->int32_lanes_per_unit_per_clock * g->boost_clock_mhz * 1e6 /
           hj_gpu_mining_instructions_per_hash(g);
}

/* ---- network ---- */
static hj_status parse_node_json(json_t *root, const char *file, hj_network *out, hj_error *err)
{
    hj_jctx c = {.file = file, .row = "bitcoin-cli output"};
    json_t *chain = json_object_get(root, "chain");
    if (chain && (!json_is_string(chain) || strcmp(json_string_value(chain), "main") != 0))
        return hj_jfail(&c, "chain", err, "'%s' is not mainnet; the model is for Bitcoin mainnet only",
                        json_is_string(chain) ? json_string_value(chain) : "?");
    if (hj_jnum(&c, root, "difficulty", true, false, 1, 1e30, &out->difficulty, err))
        return HJ_ERR_INPUT;
    double blocks;
    if (hj_jnum(&c, root, "blocks", false, false, 0, 1e9, &blocks, err))
        return HJ_ERR_INPUT;
    if (!isnan(blocks)) {
        if (blocks != floor(blocks))
            return hj_jfail(&c, "blocks", err, "%g is not a whole number", blocks);
        out->height = (uint64_t)blocks;
        out->has_height = true;
    }
    double hps;
    if (hj_jnum(&c, root, "networkhashps", false, true, 0, 1e40, &hps, err))
        return HJ_ERR_INPUT;
    out->hashrate_ehs_reported = isnan(hps) ? NAN : hps / 1e18;
    out->btc_price_usd = NAN;
    out->fees_btc_per_block = NAN;
    /* The tip's time dates the data (getblockchaininfo has it; getmininginfo does not). */
    double t;
    if (hj_jnum(&c, root, "mediantime", false, false, 1231006505, 1e11, &t, err))
        return HJ_ERR_INPUT;
    if (isnan(t) && hj_jnum(&c, root, "time", false, false, 1231006505, 1e11, &t, err))
        return HJ_ERR_INPUT;
    if (!isnan(t)) {
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm);
        out->year = tm.tm_year + 1900;
        out->month = tm.tm_mon + 1;
    }
    snprintf(out->origin, sizeof out->origin, "%s (bitcoin-cli %s)", file,
             json_object_get(root, "bestblockhash") ? "getblockchaininfo" : "getmininginfo");
    snprintf(out->sources[HJ_NET_SRC_DIFFICULTY], HJ_FLEET_TEXT_MAX, "%s: difficulty", file);
    if (out->has_height)
        snprintf(out->sources[HJ_NET_SRC_HEIGHT], HJ_FLEET_TEXT_MAX, "%s: blocks", file);
    return HJ_OK;
}

hj_status hj_fleet_parse_network(const char *text, size_t len, const char *file, hj_network *out, bool *is_node,
                                 hj_error *err)
{
    memset(out, 0, sizeof *out);
    out->hashrate_ehs_reported = NAN;
    *is_node = false;
    json_t *root = hj_json_load(text, len, file, err);
    if (!root)
        return HJ_ERR_INPUT;
    hj_status st = HJ_ERR_INPUT;
    hj_jctx c = {.file = file, .row = "network snapshot"};
    if (!json_is_object(root)) {
        hj_jfail(&c, NULL, err, "expected a JSON object");
        goto done;
    }
    json_t *schema = json_object_get(root, "schema");
    if (!schema) {
        if (!json_object_get(root, "difficulty") ||
            !(json_object_get(root, "blocks") || json_object_get(root, "chain"))) {
            hj_jfail(&c, "schema", err,
                     "missing; expected \"hashjoule-network/1\" or the output of bitcoin-cli getmininginfo / "
                     "getblockchaininfo (with \"difficulty\" and \"blocks\")");
            goto done;
        }
        *is_node = true;
        st = parse_node_json(root, file, out, err);
        goto done;
    }
    if (!json_is_string(schema) || strcmp(json_string_value(schema), "hashjoule-network/1") != 0) {
        hj_jfail(&c, "schema", err, "expected \"hashjoule-network/1\"");
        goto done;
    }
    static const char *const allowed[] = {"schema",     "description",   "date",
                                          "difficulty", "btc_price_usd", "fees_btc_per_block",
                                          "height",     "subsidy_btc",   "hashrate_ehs_reported",
                                          "sources",    "unverified",    NULL};
    double height;
    if (hj_jonly(&c, root, allowed, err) || hj_jstr(&c, root, "date", true, out->date, sizeof out->date, err) ||
        hj_jnum(&c, root, "difficulty", true, false, 1, 1e30, &out->difficulty, err) ||
        hj_jnum(&c, root, "btc_price_usd", true, false, 0.01, 1e9, &out->btc_price_usd, err) ||
        hj_jnum(&c, root, "fees_btc_per_block", true, false, 0, 21e6, &out->fees_btc_per_block, err) ||
        hj_jnum(&c, root, "height", true, false, 0, 1e9, &height, err) ||
        hj_jnum(&c, root, "subsidy_btc", true, false, 0, 50, &out->subsidy_btc, err) ||
        hj_jnum(&c, root, "hashrate_ehs_reported", false, true, 0, 1e12, &out->hashrate_ehs_reported, err))
        goto done;
    if (!parse_date(out->date, true, &out->year, &out->month)) {
        hj_jfail(&c, "date", err, "'%s' is not a date; expected YYYY-MM or YYYY-MM-DD", out->date);
        goto done;
    }
    if (height != floor(height)) {
        hj_jfail(&c, "height", err, "%g is not a whole number", height);
        goto done;
    }
    out->height = (uint64_t)height;
    out->has_height = true;
    if (fabs(out->subsidy_btc - hj_subsidy_btc(out->height)) > 1e-9) {
        hj_jfail(&c, "subsidy_btc", err, "%g contradicts height %llu, whose subsidy is %g BTC", out->subsidy_btc,
                 (unsigned long long)out->height, hj_subsidy_btc(out->height));
        goto done;
    }
    static const char *const src_keys[5] = {"difficulty", "btc_price_usd", "fees_btc_per_block", "height",
                                            "subsidy_btc"};
    json_t *src = json_object_get(root, "sources");
    if (src && !json_is_object(src)) {
        hj_jfail(&c, "sources", err, "expected an object mapping field names to sources");
        goto done;
    }
    for (int i = 0; i < 5; i++) {
        hj_jctx sc = {.file = file, .row = "network snapshot \"sources\""};
        if (src && hj_jstr(&sc, src, src_keys[i], false, out->sources[i], HJ_FLEET_TEXT_MAX, err))
            goto done;
        if (!out->sources[i][0])
            snprintf(out->sources[i], HJ_FLEET_TEXT_MAX, "%s", file);
    }
    json_t *unv = json_object_get(root, "unverified");
    size_t k;
    json_t *f;
    if (unv && !json_is_array(unv)) {
        hj_jfail(&c, "unverified", err, "expected an array of field names");
        goto done;
    }
    json_array_foreach(unv, k, f) {
        if (!json_is_string(f)) {
            hj_jfail(&c, "unverified", err, "item %zu is not a string", k + 1);
            goto done;
        }
        size_t used = strlen(out->unverified);
        snprintf(out->unverified + used, sizeof out->unverified - used, "%s%s", used ? "," : "", json_string_value(f));
    }
    snprintf(out->origin, sizeof out->origin, "%s (snapshot %s)", file, out->date);
    st = HJ_OK;
done:
    return hj_json_loader_end(root, NULL, st);
}
