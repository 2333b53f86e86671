/* hashjoule — the network state read live from a Bitcoin Core node over its
 * JSON-RPC interface (HTTP, JSON-RPC 1.0, basic authentication): chain,
 * height and difficulty from getblockchaininfo, and the mean fees per block
 * from getblockstats over the last blocks. The BTC price is not on the node:
 * the result leaves it NAN for the caller (hj_fleet_request.network is
 * completed from the embedded snapshot, as a node's --network file is).
 *
 * Every reply is untrusted: types and ranges are checked, and every refusal
 * names the URL and the cause. Credentials never appear in a message. */
#ifndef HASHJOULE_NODE_RPC_H
#define HASHJOULE_NODE_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "hashjoule/error.h"
#include "hashjoule/fleet_data.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HJ_NODE_RPC_FEE_BLOCKS 144       /* one day of blocks */
#define HJ_NODE_RPC_TIMEOUT_S 10.0       /* per request */
#define HJ_NODE_RPC_MAX_REPLY (1u << 20) /* bytes; a longer reply is refused */

/* Where the node is and how to log in. Start from hj_node_rpc_config_init. */
typedef struct hj_node_rpc_config {
    const char *url; /* http://HOST:PORT[/PATH] (or https://); no user:password@ in it */
    /* Bitcoin Core's .cookie file ("__cookie__:PASSWORD"); when set, it is
     * the credentials and user/password are not used */
    const char *cookie_path;
    const char *user, *password; /* when no cookie_path */
    /* how the caller obtained user/password, named when the node refuses
     * them (e.g. "HASHJOULE_RPC_USER and HASHJOULE_RPC_PASSWORD") */
    const char *credentials_source;
    double timeout_s;    /* each request, connecting included; HJ_NODE_RPC_TIMEOUT_S */
    unsigned fee_blocks; /* blocks the mean fee is taken over; HJ_NODE_RPC_FEE_BLOCKS */
} hj_node_rpc_config;

void hj_node_rpc_config_init(hj_node_rpc_config *cfg);

/* Read the node into *out: date (the tip's block time, UTC), difficulty,
 * height, subsidy, the mean fees per block over the last fee_blocks blocks
 * (getblockstats "totalfee", satoshis -> BTC); btc_price_usd is NAN; origin
 * and sources name the node, the methods and the time of reading.
 * HJ_ERR_INPUT: the configuration (URL, no credentials, a cookie file that
 * cannot be read). HJ_ERR_RUNTIME: the node or the network (refused,
 * timeout, HTTP 401/403, a JSON-RPC error, initial block download, a chain
 * other than "main", a malformed reply). Prints nothing. */
hj_status hj_node_rpc_read(const hj_node_rpc_config *cfg, hj_network *out, hj_error *err);

/* ---- the replies, as pure functions on a reply's body (for tests and fuzzing) ----
 * `body` is the HTTP reply body (len bytes, need not be NUL-terminated),
 * `http_status` its status, `id` the request's id (the reply must echo it),
 * `url` names the node in messages. A JSON-RPC error object in the body
 * (Core sends it with HTTP 500, 404 for an unknown method) is reported with
 * its code and message; every refusal is HJ_ERR_RUNTIME. */

/* getblockchaininfo: chain "main", not in initial block download, blocks
 * and difficulty in range. Fills date/year/month (from "time", else
 * "mediantime", else today), difficulty, height, subsidy; the rest as
 * hj_node_rpc_read leaves it before the fees (fees and price NAN). */
hj_status hj_node_rpc_parse_blockchaininfo(const char *body, size_t len, long http_status, int64_t id, const char *url,
                                           hj_network *out, hj_error *err);

/* getblockstats HEIGHT ["totalfee"]: the block's total fee in satoshis (a
 * whole number, at most 21 million BTC). */
hj_status hj_node_rpc_parse_totalfee(const char *body, size_t len, long http_status, int64_t id, const char *url,
                                     uint64_t height, uint64_t *fee_sat, hj_error *err);

#ifdef __cplusplus
}
#endif
#endif
