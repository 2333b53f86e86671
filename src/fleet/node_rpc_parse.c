/* The replies of a Bitcoin Core node (getblockchaininfo, getblockstats) read
 * as untrusted text: the JSON-RPC envelope, its error object, and each field
 * the fleet model uses, checked for type and range. No I/O. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "hashjoule/consensus.h"
#include "hashjoule/node_rpc.h"

/* Heights beyond this are not Bitcoin's (block 10,000,000 is two centuries away). */
#define MAX_HEIGHT 10000000.0
/* 21 million BTC in satoshis: no block's fees can exceed it. */
#define MAX_SAT 2100000000000000.0
/* Unix times from the genesis block to the year 5138. */
#define MIN_TIME 1231006505.0
#define MAX_TIME 1e11

/* src as one line of at most max_chars bytes: control characters become
 * '?', and a UTF-8 sequence cut at the end is dropped. */
static void clean_text(char *dst, size_t cap, const char *src, size_t max_chars)
{
    size_t n = 0;
    for (size_t i = 0; src[i] && n + 1 < cap && i < max_chars; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    /* never end inside a UTF-8 sequence: drop a cut one */
    size_t end = n;
    while (end > 0 && ((unsigned char)dst[end - 1] & 0xc0) == 0x80)
        end--;
    if (end > 0 && ((unsigned char)dst[end - 1] & 0x80)) {
        unsigned char lead = (unsigned char)dst[end - 1];
        size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        if (n - (end - 1) < need)
            n = end - 1;
    }
    dst[n] = '\0';
}

/* What a known JSON-RPC error code means for the user. */
static const char *code_hint(json_int_t code)
{
    switch (code) {
    case -28: return " (the node is still starting: wait until it has loaded, then try again)";
    case -32601: return " (the node does not know this method: a Bitcoin Core older than 0.17, or not Bitcoin Core)";
    case -8: return " (the block is not on the node's chain: it may have reorganised or rolled back; try again)";
    case -1: return " (a pruned node cannot give the fees of blocks it no longer stores)";
    default: return "";
    }
}

/* The "result" of a JSON-RPC reply (borrowed from *doc, which the caller
 * releases), or NULL with err set. */
static json_t *reply_result(const char *body, size_t len, long http_status, int64_t id, const char *url,
                            const char *method, json_t **doc, hj_error *err)
{
    *doc = NULL;
    json_error_t je;
    json_t *root = len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &je) : NULL;
    if (!json_is_object(root)) {
        char why[200];
        if (!len)
            snprintf(why, sizeof why, "an empty body");
        else if (!root)
            clean_text(why, sizeof why, je.text, 160);
        else
            snprintf(why, sizeof why, "JSON, but not an object");
        json_decref(root);
        if (http_status != 200)
            hj_fail(err, HJ_ERR_RUNTIME,
                    "%.300s: %s: HTTP %ld with %s, not a JSON-RPC reply (is this URL Bitcoin Core's RPC port?)", url,
                    method, http_status, len && !root ? "a body that is not JSON" : why);
        else
            hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply is not a JSON-RPC reply: %s", url, method, why);
        return NULL;
    }
    json_t *error = json_object_get(root, "error");
    if (error && !json_is_null(error)) {
        json_t *code = json_object_get(error, "code"), *message = json_object_get(error, "message");
        char text[256] = "(no message)";
        if (json_is_string(message))
            clean_text(text, sizeof text, json_string_value(message), 200);
        if (json_is_integer(code))
            hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s failed: JSON-RPC error %" JSON_INTEGER_FORMAT ": %s%s", url,
                    method, json_integer_value(code), text, code_hint(json_integer_value(code)));
        else
            hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s failed: a JSON-RPC error without a numeric code: %s", url, method,
                    text);
        json_decref(root);
        return NULL;
    }
    if (http_status != 200) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: HTTP %ld without a JSON-RPC error", url, method, http_status);
        json_decref(root);
        return NULL;
    }
    json_t *rid = json_object_get(root, "id");
    if (!json_is_integer(rid) || json_integer_value(rid) != id) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply's \"id\" is not the request's (%" PRId64 ")", url, method,
                id);
        json_decref(root);
        return NULL;
    }
    json_t *result = json_object_get(root, "result");
    if (!json_is_object(result)) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply has %s \"result\"; expected an object", url, method,
                result ? "a non-object" : "no");
        json_decref(root);
        return NULL;
    }
    *doc = root;
    return result;
}

/* What a JSON value is, for a message. */
static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING: return "a string";
    case JSON_REAL: return "a fraction";
    case JSON_INTEGER: return "an integer";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    case JSON_NULL: return "null";
    case JSON_ARRAY: return "an array";
    default: return "an object";
    }
}

/* A number field in [min, max]; `whole`: an integer. NAN when absent and
 * not required; HJ_ERR_RUNTIME naming the field otherwise. */
static hj_status field_num(json_t *obj, const char *key, bool required, bool whole, double min, double max,
                           const char *url, const char *method, double *out, hj_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NAN;
    if (!v) {
        if (!required)
            return HJ_OK;
        return hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply has no \"%s\"", url, method, key);
    }
    if (whole ? !json_is_integer(v) : !json_is_number(v))
        return hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: \"%s\" is %s; expected %s", url, method, key, json_kind(v),
                       whole ? "a whole number" : "a number");
    double d = json_number_value(v);
    if (!isfinite(d) || d < min || d > max)
        return hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: \"%s\" is %g, out of range; expected %g..%g", url, method, key,
                       d, min, max);
    *out = d;
    return HJ_OK;
}

hj_status hj_node_rpc_parse_blockchaininfo(const char *body, size_t len, long http_status, int64_t id, const char *url,
                                           hj_network *out, hj_error *err)
{
    static const char method[] = "getblockchaininfo";
    memset(out, 0, sizeof *out);
    out->difficulty = out->btc_price_usd = out->fees_btc_per_block = out->hashrate_ehs_reported = NAN;
    json_t *doc;
    json_t *r = reply_result(body, len, http_status, id, url, method, &doc, err);
    if (!r)
        return HJ_ERR_RUNTIME;
    hj_status st = HJ_ERR_RUNTIME;
    json_t *chain = json_object_get(r, "chain"), *ibd = json_object_get(r, "initialblockdownload");
    double blocks, headers, difficulty, progress, t;
    if (!json_is_string(chain)) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply has no \"chain\" string", url, method);
        goto done;
    }
    if (strcmp(json_string_value(chain), "main") != 0) {
        char name[64];
        clean_text(name, sizeof name, json_string_value(chain), 40);
        hj_fail(err, HJ_ERR_RUNTIME,
                "%.300s: the node is on chain '%s', not 'main': the model is for Bitcoin mainnet only (point --rpc "
                "at a mainnet node)",
                url, name);
        goto done;
    }
    if (ibd && !json_is_boolean(ibd)) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: \"initialblockdownload\" is not true or false", url, method);
        goto done;
    }
    if (field_num(r, "blocks", true, true, 0, MAX_HEIGHT, url, method, &blocks, err) ||
        field_num(r, "headers", false, true, -1, MAX_HEIGHT, url, method, &headers, err) ||
        field_num(r, "verificationprogress", false, false, 0, 1.5, url, method, &progress, err))
        goto done;
    if (json_is_true(ibd)) {
        char of_headers[48] = "", progress_pct[48] = "";
        if (!isnan(headers))
            snprintf(of_headers, sizeof of_headers, " of %.0f headers", headers);
        if (!isnan(progress))
            snprintf(progress_pct, sizeof progress_pct, ", verification progress %.1f%%", progress * 100);
        hj_fail(err, HJ_ERR_RUNTIME,
                "%.300s: the node is in initial block download (at block %.0f%s%s): its difficulty and fees are not "
                "current; wait until it has synced",
                url, blocks, of_headers, progress_pct);
        goto done;
    }
    if (field_num(r, "difficulty", true, false, 1, 1e30, url, method, &difficulty, err) ||
        field_num(r, "time", false, true, MIN_TIME, MAX_TIME, url, method, &t, err) ||
        (isnan(t) && field_num(r, "mediantime", false, true, MIN_TIME, MAX_TIME, url, method, &t, err)))
        goto done;
    out->difficulty = difficulty;
    out->height = (uint64_t)blocks;
    out->has_height = true;
    out->subsidy_btc = hj_subsidy_btc(out->height);
    time_t tt = isnan(t) ? time(NULL) : (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm);
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    snprintf(out->origin, sizeof out->origin, "Bitcoin Core node at %.300s (%s)", url, method);
    snprintf(out->sources[HJ_NET_SRC_DIFFICULTY], HJ_FLEET_TEXT_MAX, "Bitcoin Core node at %.300s, %s \"difficulty\"",
             url, method);
    snprintf(out->sources[HJ_NET_SRC_HEIGHT], HJ_FLEET_TEXT_MAX, "Bitcoin Core node at %.300s, %s \"blocks\"", url,
             method);
    snprintf(out->sources[HJ_NET_SRC_SUBSIDY], HJ_FLEET_TEXT_MAX, "computed from the height");
    st = HJ_OK;
done:
    json_decref(doc);
    return st;
}

hj_status hj_node_rpc_parse_totalfee(const char *body, size_t len, long http_status, int64_t id, const char *url,
                                     uint64_t height, uint64_t *fee_sat, hj_error *err)
{
    *fee_sat = 0;
    char method[64];
    snprintf(method, sizeof method, "getblockstats %" PRIu64, height);
    json_t *doc;
    json_t *r = reply_result(body, len, http_status, id, url, method, &doc, err);
    if (!r)
        return HJ_ERR_RUNTIME;
    double fee, h;
    hj_status st = HJ_ERR_RUNTIME;
    if (field_num(r, "totalfee", true, true, 0, MAX_SAT, url, method, &fee, err) ||
        field_num(r, "height", false, true, 0, MAX_HEIGHT, url, method, &h, err))
        goto done;
    if (!isnan(h) && (uint64_t)h != height) {
        hj_fail(err, HJ_ERR_RUNTIME, "%.300s: %s: the reply is for height %.0f", url, method, h);
        goto done;
    }
    *fee_sat = (uint64_t)fee;
    st = HJ_OK;
done:
    json_decref(doc);
    return st;
}
