/* The fleet run's data: each table from the user's file or the embedded
 * default, and the network snapshot, where a node's getmininginfo /
 * getblockchaininfo output, or a network read from a node over RPC, is
 * completed from the embedded snapshot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hashjoule/input_file.h"
#include "run_internal.h"

/* One table's parser behind a common signature. */
typedef hj_status (*loader_fn)(const char *text, size_t len, const char *file, void *out, hj_error *err);

/* Load one table: the user's file (`flag` names it in messages and in
 * `origin`) or, with path NULL, the embedded `basename`. */
static hj_status load(const char *path, const char *flag, const char *basename, char *origin, size_t origin_cap,
                      loader_fn fn, void *out, hj_error *err)
{
    if (path) {
        char label[4200];
        snprintf(label, sizeof label, "%s %s", flag, path);
        char *text;
        size_t len;
        if (hj_read_input_file(path, HJ_INPUT_MAX_BYTES, label, &text, &len, err) != HJ_OK)
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

/* A field the node's output lacks comes from the snapshot, and says so
 * (`what`: the file's path, or what else the network was read from). */
static void from_snapshot(hj_network *net, int slot, const char *what, const hj_network *snap)
{
    snprintf(net->sources[slot], HJ_FLEET_TEXT_MAX, "not in %.150s: embedded snapshot %.20s: %.400s", what, snap->date,
             snap->sources[slot]);
}

/* Complete a node's output (no price, maybe no fees, height or time). */
static void complete_node(hj_network *net, const char *path, const hj_network *snap)
{
    if (isnan(net->btc_price_usd)) {
        net->btc_price_usd = snap->btc_price_usd;
        from_snapshot(net, HJ_NET_SRC_PRICE, path, snap);
    }
    if (isnan(net->fees_btc_per_block)) {
        net->fees_btc_per_block = snap->fees_btc_per_block;
        from_snapshot(net, HJ_NET_SRC_FEES, path, snap);
    }
    if (!net->has_height) {
        net->height = snap->height;
        net->has_height = true;
        from_snapshot(net, HJ_NET_SRC_HEIGHT, path, snap);
    }
    if (!net->date[0]) {
        /* getmininginfo carries no time: the data is as of now */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(net->date, sizeof net->date, "%Y-%m-%d", &tm);
        net->year = tm.tm_year + 1900;
        net->month = tm.tm_mon + 1;
        size_t used = strlen(net->origin);
        snprintf(net->origin + used, sizeof net->origin - used, "; dated today (the file has no time)");
    }
    net->unverified[0] = '\0';
}

hj_status hj_fleet_load_inputs(const hj_fleet_request *req, hj_fleet_report *r, hj_error *err)
{
    hj_status st;
    asic_out ao = {&r->asics, &r->n_asics};
    gpu_out go = {&r->gpus, &r->n_gpus};
    if ((st = load(req->asics_path, "--asics", "asics.json", r->asics_origin, sizeof r->asics_origin, load_asics, &ao,
                   err)) ||
        (st =
             load(req->gpus_path, "--gpus", "gpus.json", r->gpus_origin, sizeof r->gpus_origin, load_gpus, &go, err)) ||
        (st = load(req->assumptions_path, "--assumptions", "assumptions.json", r->assumptions_origin,
                   sizeof r->assumptions_origin, load_assumptions, &r->assumptions, err)))
        return st;
    /* The embedded snapshot always loads: it fills what a node's output lacks. */
    hj_network snap;
    memset(&snap, 0, sizeof snap); /* the parser fills it; zero for the analyzer's paths */
    bool snap_node = false;
    char snap_origin[HJ_FLEET_ORIGIN_MAX];
    net_out so = {&snap, &snap_node};
    if ((st = load(NULL, "--network", "network.json", snap_origin, sizeof snap_origin, load_net, &so, err)))
        return st;
    r->network = snap;
    if (req->network) {
        r->network = *req->network;
        complete_node(&r->network, "the node's replies", &snap);
        return HJ_OK;
    }
    if (!req->network_path)
        return HJ_OK;
    bool is_node = false;
    char origin[HJ_FLEET_ORIGIN_MAX];
    net_out no = {&r->network, &is_node};
    if ((st = load(req->network_path, "--network", NULL, origin, sizeof origin, load_net, &no, err)))
        return st;
    if (is_node)
        complete_node(&r->network, req->network_path, &snap);
    return HJ_OK;
}
