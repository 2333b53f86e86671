/* libFuzzer target: the network loader (--network FILE: hashjoule's own snapshot format, data/network.json, or a
 * node's bitcoin-cli getmininginfo / getblockchaininfo output), then the model. Built twice: as fuzz_network, seeded
 * with snapshots, and as fuzz_bitcoin_cli, seeded with a node's JSON (tests/fuzz/CMakeLists.txt). */
#include <stdint.h>

#include "fuzz_fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (!text)
        return 0;
    hj_network net;
    bool is_node;
    hj_error err = {{0}};
    hj_status st = hj_fleet_parse_network(text, size, "fuzz.json", &net, &is_node, &err);
    if (st == HJ_OK) {
        if (!(net.difficulty >= 1) || !isfinite(net.difficulty) ||
            strnlen(net.date, sizeof net.date) == sizeof net.date)
            abort();
        if (!is_node && (!net.has_height || isnan(net.btc_price_usd) || isnan(net.fees_btc_per_block)))
            abort(); /* the snapshot format has every field */
        fuzz_fleet_model(NULL, 0, NULL, 0, NULL, &net, NULL);
    } else {
        fuzz_check_refusal(st, &err);
    }
    free(text);
    return 0;
}
