/* The Bitcoin Core node client's reply parsers (getblockchaininfo,
 * getblockstats) on replies as Core sends them and on malformed ones, its
 * configuration checks (no network needed), and hj_fleet_run with a network
 * read from a node. The end-to-end runs against a mock node are in
 * test_fleet_rpc.sh. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hashjoule/fleet.h"
#include "hashjoule/node_rpc.h"

#define URL "http://127.0.0.1:8332"

/* getblockchaininfo's result as Bitcoin Core prints it (the field names of its RPC help). */
#define INFO_FIELDS(chain, blocks, difficulty, ibd)                                                                 \
    "{\"chain\":\"" chain "\",\"blocks\":" blocks ",\"headers\":925000,"                                            \
    "\"bestblockhash\":\"00000000000000000001c3ab5e2a1fa9f9a2c6e4b5d8a7f1e0b9c8d7e6f5a4b3\",\"bits\":\"1701d935\"," \
    "\"target\":\"00000000000000000001d9350000000000000000000000000000000000000000\",\"difficulty\":" difficulty    \
    ",\"time\":1763700000,\"mediantime\":1763697600,\"verificationprogress\":0.31,\"initialblockdownload\":" ibd    \
    ",\"chainwork\":\"00000000000000000000000000000000000000000000b1f3a1c2d3e4f5a6b7c8d9e0\",\"size_on_disk\":"     \
    "748123456789,\"pruned\":false,\"warnings\":[]}"
#define ENVELOPE(result, id) "{\"result\":" result ",\"error\":null,\"id\":" id "}\n"
#define ERROR_ENVELOPE(code, message, id) \
    "{\"result\":null,\"error\":{\"code\":" code ",\"message\":\"" message "\"},\"id\":" id "}\n"

static hj_status info(const char *body, long status, hj_network *net, hj_error *err)
{
    memset(err, 0, sizeof *err);
    return hj_node_rpc_parse_blockchaininfo(body, strlen(body), status, 1, URL, net, err);
}

static void assert_refused(hj_status st, const hj_error *err, const char *needle)
{
    assert_int_equal(st, HJ_ERR_RUNTIME);
    if (!strstr(err->message, needle) || !strstr(err->message, URL)) {
        print_error("message '%s' lacks '%s' or the URL\n", err->message, needle);
        fail();
    }
}

static void test_blockchaininfo_ok(void **state)
{
    (void)state;
    hj_network net;
    hj_error err;
    assert_int_equal(info(ENVELOPE(INFO_FIELDS("main", "925000", "152271405447597.5", "false"), "1"), 200, &net, &err),
                     HJ_OK);
    assert_true(net.difficulty == 152271405447597.5);
    assert_true(net.has_height);
    assert_int_equal(net.height, 925000);
    assert_true(net.subsidy_btc == 3.125);
    assert_string_equal(net.date, "2025-11-21"); /* "time" 1763700000 */
    assert_int_equal(net.year, 2025);
    assert_int_equal(net.month, 11);
    assert_true(isnan(net.btc_price_usd) && isnan(net.fees_btc_per_block));
    assert_non_null(strstr(net.sources[HJ_NET_SRC_DIFFICULTY], "Bitcoin Core node at " URL));
    /* a difficulty written as an integer is a number too; no time: today */
    assert_int_equal(info(ENVELOPE("{\"chain\":\"main\",\"blocks\":0,\"difficulty\":1}", "1"), 200, &net, &err), HJ_OK);
    assert_true(net.difficulty == 1 && net.height == 0 && net.subsidy_btc == 50);
    assert_true(net.year >= 2025);
}

static void test_blockchaininfo_node_states(void **state)
{
    (void)state;
    hj_network net;
    hj_error err;
    assert_refused(info(ENVELOPE(INFO_FIELDS("main", "512345", "6071846049920.75", "true"), "1"), 200, &net, &err),
                   &err, "initial block download (at block 512345 of 925000 headers, verification progress 31.0%)");
    assert_refused(info(ENVELOPE(INFO_FIELDS("test", "4550123", "1", "false"), "1"), 200, &net, &err), &err,
                   "chain 'test', not 'main'");
    assert_refused(info(ENVELOPE(INFO_FIELDS("signet", "4550123", "1", "false"), "1"), 200, &net, &err), &err,
                   "chain 'signet'");
    /* the node's words are shown cleaned: no control characters, a bounded length */
    assert_refused(
        info(ENVELOPE("{\"chain\":\"ma\\nin\\u001b[31m\",\"blocks\":1,\"difficulty\":1}", "1"), 200, &net, &err), &err,
        "chain 'ma?in?[31m'");
}

static void test_blockchaininfo_errors(void **state)
{
    (void)state;
    hj_network net;
    hj_error err;
    /* Core: HTTP 500 with the error envelope; 404 for an unknown method */
    assert_refused(info(ERROR_ENVELOPE("-28", "Loading block index\xe2\x80\xa6", "1"), 500, &net, &err), &err,
                   "getblockchaininfo failed: JSON-RPC error -28: Loading block index\xe2\x80\xa6 (the node is still "
                   "starting");
    assert_refused(info(ERROR_ENVELOPE("-32601", "Method not found", "1"), 404, &net, &err), &err,
                   "JSON-RPC error -32601: Method not found");
    assert_refused(info("{\"result\":null,\"error\":{\"code\":\"x\"},\"id\":1}", 500, &net, &err), &err,
                   "without a numeric code: (no message)");
    /* not JSON-RPC at all */
    assert_refused(info("", 404, &net, &err), &err, "HTTP 404 with an empty body, not a JSON-RPC reply");
    assert_refused(info("<html>Not Found</html>", 404, &net, &err), &err, "HTTP 404 with a body that is not JSON");
    assert_refused(info("<html>", 200, &net, &err), &err, "the reply is not a JSON-RPC reply");
    assert_refused(info("[1,2]", 200, &net, &err), &err, "JSON, but not an object");
    assert_refused(info("{\"result\":{},\"error\":null,\"id\":1}", 502, &net, &err), &err,
                   "HTTP 502 without a JSON-RPC error");
    /* the envelope: id echoed, a result object */
    assert_refused(info(ENVELOPE(INFO_FIELDS("main", "925000", "1", "false"), "2"), 200, &net, &err), &err,
                   "the reply's \"id\" is not the request's (1)");
    assert_refused(info(ENVELOPE(INFO_FIELDS("main", "925000", "1", "false"), "\"1\""), 200, &net, &err), &err,
                   "\"id\"");
    assert_refused(info("{\"result\":null,\"error\":null,\"id\":1}", 200, &net, &err), &err, "a non-object \"result\"");
    assert_refused(info("{\"error\":null,\"id\":1}", 200, &net, &err), &err, "no \"result\"");
    assert_refused(info("{\"result\":{},\"result\":{},\"id\":1}", 200, &net, &err), &err,
                   "not a JSON-RPC reply"); /* duplicate keys */
}

static void test_blockchaininfo_types_and_ranges(void **state)
{
    (void)state;
    hj_network net;
    hj_error err;
    static const struct {
        const char *result, *needle;
    } bad[] = {
        {"{\"blocks\":1,\"difficulty\":1}", "no \"chain\" string"},
        {"{\"chain\":7,\"blocks\":1,\"difficulty\":1}", "no \"chain\" string"},
        {"{\"chain\":\"main\",\"difficulty\":1}", "no \"blocks\""},
        {"{\"chain\":\"main\",\"blocks\":\"925000\",\"difficulty\":1}",
         "\"blocks\" is a string; expected a whole number"},
        {"{\"chain\":\"main\",\"blocks\":925000.5,\"difficulty\":1}", "\"blocks\" is a fraction"},
        {"{\"chain\":\"main\",\"blocks\":-1,\"difficulty\":1}", "\"blocks\" is -1, out of range"},
        {"{\"chain\":\"main\",\"blocks\":99999999999,\"difficulty\":1}", "\"blocks\" is 1e+11, out of range"},
        {"{\"chain\":\"main\",\"blocks\":1}", "no \"difficulty\""},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":\"152e12\"}", "\"difficulty\" is a string"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":0}", "\"difficulty\" is 0, out of range"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":-5.5}", "\"difficulty\" is -5.5, out of range"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":1e31}", "out of range"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":null}", "\"difficulty\" is null"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":1,\"time\":5}", "\"time\" is 5, out of range"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":1,\"time\":1.5e9}", "\"time\" is a fraction"},
        {"{\"chain\":\"main\",\"blocks\":1,\"difficulty\":1,\"initialblockdownload\":\"no\"}",
         "\"initialblockdownload\" is not true or false"},
        {"{\"chain\":\"main\",\"blocks\":1,\"headers\":[],\"difficulty\":1}", "\"headers\" is an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[512];
        snprintf(body, sizeof body, "{\"result\":%s,\"error\":null,\"id\":1}", bad[i].result);
        assert_refused(info(body, 200, &net, &err), &err, bad[i].needle);
    }
}

static hj_status fee(const char *body, long status, uint64_t height, uint64_t *sat, hj_error *err)
{
    memset(err, 0, sizeof *err);
    return hj_node_rpc_parse_totalfee(body, strlen(body), status, 3, URL, height, sat, err);
}

static void test_totalfee(void **state)
{
    (void)state;
    uint64_t sat = 1;
    hj_error err;
    assert_int_equal(fee(ENVELOPE("{\"totalfee\":1234567}", "3"), 200, 924999, &sat, &err), HJ_OK);
    assert_int_equal(sat, 1234567);
    /* every statistic (no selection), the height agreeing */
    assert_int_equal(fee(ENVELOPE("{\"avgfee\":411,\"height\":924999,\"subsidy\":312500000,\"totalfee\":0}", "3"), 200,
                         924999, &sat, &err),
                     HJ_OK);
    assert_int_equal(sat, 0);
    assert_refused(fee(ENVELOPE("{\"totalfee\":5,\"height\":7}", "3"), 200, 924999, &sat, &err), &err,
                   "getblockstats 924999: the reply is for height 7");
    assert_refused(
        fee(ERROR_ENVELOPE("-8", "Target block height 925001 after current tip 925000", "3"), 500, 925001, &sat, &err),
        &err, "getblockstats 925001 failed: JSON-RPC error -8: Target block height 925001 after current tip");
    assert_refused(fee(ERROR_ENVELOPE("-1", "Block not available (pruned data)", "3"), 500, 1, &sat, &err), &err,
                   "pruned");
    assert_refused(fee(ENVELOPE("{\"avgfee\":1}", "3"), 200, 1, &sat, &err), &err, "no \"totalfee\"");
    assert_refused(fee(ENVELOPE("{\"totalfee\":-1}", "3"), 200, 1, &sat, &err), &err,
                   "\"totalfee\" is -1, out of range");
    assert_refused(fee(ENVELOPE("{\"totalfee\":12.5}", "3"), 200, 1, &sat, &err), &err, "\"totalfee\" is a fraction");
    assert_refused(fee(ENVELOPE("{\"totalfee\":\"1\"}", "3"), 200, 1, &sat, &err), &err, "\"totalfee\" is a string");
    assert_refused(fee(ENVELOPE("{\"totalfee\":2100000000000001}", "3"), 200, 1, &sat, &err), &err, "out of range");
    assert_refused(fee(ENVELOPE("{\"totalfee\":99999999999999999999999}", "3"), 200, 1, &sat, &err), &err,
                   "not a JSON-RPC reply"); /* beyond 64 bits: jansson refuses the integer */
    assert_refused(fee(ENVELOPE("{\"totalfee\":1}", "4"), 200, 1, &sat, &err), &err, "\"id\"");
    assert_int_equal(sat, 0);
}

/* Everything hj_node_rpc_read refuses before it sends a request: HJ_ERR_INPUT. */
static void test_read_config_errors(void **state)
{
    (void)state;
    hj_node_rpc_config cfg;
    hj_network net;
    hj_error err;
    hj_node_rpc_config_init(&cfg);
    assert_true(cfg.timeout_s == HJ_NODE_RPC_TIMEOUT_S && cfg.fee_blocks == HJ_NODE_RPC_FEE_BLOCKS);
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "no node URL"));
    cfg.url = "127.0.0.1:8332";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "not an http:// or https:// URL"));
    cfg.url = "http://alice:hunter2@127.0.0.1:8332";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_null(strstr(err.message, "hunter2"));
    assert_non_null(strstr(err.message, "USER:PASSWORD@"));
    cfg.url = "http://:hunter2@127.0.0.1:8332";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_null(strstr(err.message, "hunter2"));
    cfg.url = "http://";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    cfg.url = URL;
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "no credentials for the node at " URL));
    cfg.user = "alice";
    cfg.password = "";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    cfg.user = "al:ice";
    cfg.password = "hunter2";
    cfg.credentials_source = "a test";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "from a test"));
    assert_null(strstr(err.message, "hunter2"));
    cfg.user = "alice";
    cfg.timeout_s = 0;
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    cfg.timeout_s = NAN;
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    cfg.timeout_s = 1;
    cfg.fee_blocks = 0;
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    cfg.fee_blocks = 144;
    cfg.cookie_path = "/nonexistent/.cookie";
    assert_int_equal(hj_node_rpc_read(&cfg, &net, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "cookie file /nonexistent/.cookie: cannot open"));
    assert_true(isnan(net.difficulty));
}

/* hj_fleet_run with a network read from a node: its figures used, the price
 * from the snapshot, flags still first; --network FILE with it refused. */
static void test_run_with_node_network(void **state)
{
    (void)state;
    hj_network net;
    hj_error err;
    assert_int_equal(info(ENVELOPE(INFO_FIELDS("main", "925000", "152271405447597.5", "false"), "1"), 200, &net, &err),
                     HJ_OK);
    net.fees_btc_per_block = 0.0123;
    hj_fleet_request req;
    hj_fleet_request_init(&req);
    req.network = &net;
    hj_fleet_report r;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    assert_true(r.market.difficulty == 152271405447597.5);
    assert_int_equal(r.market.height, 925000);
    assert_true(r.market.fees_btc_per_block == 0.0123);
    assert_true(r.market.btc_price_usd > 0);
    assert_non_null(strstr(r.source_difficulty, "Bitcoin Core node at " URL));
    assert_non_null(strstr(r.source_price, "not in the node's replies: embedded snapshot"));
    assert_string_equal(r.as_of, "2025-11-21");
    hj_fleet_report_free(&r);

    req.difficulty = 100e12;
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_OK);
    assert_true(r.market.difficulty == 100e12);
    assert_string_equal(r.source_difficulty, "flag --difficulty");
    hj_fleet_report_free(&r);

    req.network_path = "network.json";
    assert_int_equal(hj_fleet_run(&req, &r, &err), HJ_ERR_INPUT);
    assert_non_null(strstr(err.message, "--network FILE both given"));
    hj_fleet_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blockchaininfo_ok),
        cmocka_unit_test(test_blockchaininfo_node_states),
        cmocka_unit_test(test_blockchaininfo_errors),
        cmocka_unit_test(test_blockchaininfo_types_and_ranges),
        cmocka_unit_test(test_totalfee),
        cmocka_unit_test(test_read_config_errors),
        cmocka_unit_test(test_run_with_node_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
