/* libFuzzer target: a Bitcoin Core node's replies as fleet --rpc reads them
 * (hj_node_rpc_parse_blockchaininfo, hj_node_rpc_parse_totalfee), then the
 * model on a network the parser accepts. The first byte picks the parser
 * (bit 0: getblockchaininfo or getblockstats) and the HTTP status (bits 1-2:
 * 200, 500, 404, 400); the rest is the reply's body, not NUL-terminated. */
#include <stdint.h>

#include "fuzz_fleet.h"
#include "hashjoule/node_rpc.h"

#define URL "http://127.0.0.1:8332"

/* A refusal says why, names the node, and carries none of the reply's control characters. */
static void check_refusal(hj_status st, const hj_error *err)
{
    if (st != HJ_ERR_RUNTIME || !err->message[0] || !strstr(err->message, URL))
        abort();
    for (const char *p = err->message; *p; p++)
        if ((unsigned char)*p < 0x20)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const long statuses[4] = {200, 500, 404, 400};
    long status = statuses[(data[0] >> 1) & 3];
    size_t len = size - 1;
    char *body = malloc(len ? len : 1); /* exactly the body: a read past it is caught */
    if (!body)
        return 0;
    memcpy(body, data + 1, len);
    hj_error err = {{0}};
    if (data[0] & 1) {
        uint64_t sat = 7;
        hj_status st = hj_node_rpc_parse_totalfee(body, len, status, 1, URL, 924999, &sat, &err);
        if (st == HJ_OK && (status != 200 || sat > UINT64_C(2100000000000000)))
            abort();
        if (st != HJ_OK && sat != 0)
            abort();
        if (st != HJ_OK)
            check_refusal(st, &err);
    } else {
        hj_network net;
        hj_status st = hj_node_rpc_parse_blockchaininfo(body, len, status, 1, URL, &net, &err);
        if (st == HJ_OK) {
            if (status != 200 || !(net.difficulty >= 1) || !isfinite(net.difficulty) || !net.has_height ||
                net.height > 10000000 || strnlen(net.date, sizeof net.date) != 10 ||
                net.subsidy_btc != hj_subsidy_btc(net.height) || !isnan(net.btc_price_usd))
                abort();
            net.fees_btc_per_block = 0.02;
            fuzz_fleet_model(NULL, 0, NULL, 0, NULL, &net, NULL);
        } else {
            check_refusal(st, &err);
        }
    }
    free(body);
    return 0;
}
