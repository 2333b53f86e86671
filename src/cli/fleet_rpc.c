/* `hashjoule fleet --rpc URL`: the network read live from a Bitcoin Core
 * node, with the credentials from --rpc-cookie FILE or the environment
 * (never the command line). The reading itself is the library's
 * (hj_node_rpc_read); this file checks the flags and says where the
 * credentials came from. */
#include <math.h>
#include <stdlib.h>

#include "cli.h"
#include "fleet_cli.h"

#define ENV_USER "HASHJOULE_RPC_USER"
#define ENV_PASSWORD "HASHJOULE_RPC_PASSWORD"

int fleet_read_node(const fleet_rpc_flags *f, hj_fleet_request *req, hj_network *net)
{
    if (!f->url) {
        if (f->cookie_path || !isnan(f->timeout_s))
            return hj_cli_fail("fleet", HJ_ERR_INPUT, "--%s applies to --rpc URL; no --rpc given",
                               f->cookie_path ? "rpc-cookie" : "rpc-timeout");
        return 0;
    }
    if (req->network_path)
        return hj_cli_fail("fleet", HJ_ERR_INPUT,
                           "--rpc and --network both given: the network comes from the node or from a file; "
                           "choose one");
    hj_node_rpc_config cfg;
    hj_node_rpc_config_init(&cfg);
    cfg.url = f->url;
    if (!isnan(f->timeout_s))
        cfg.timeout_s = f->timeout_s;
    const char *user = getenv(ENV_USER), *password = getenv(ENV_PASSWORD);
    if (f->cookie_path) {
        cfg.cookie_path = f->cookie_path;
    } else if (user && *user && password && *password) {
        cfg.user = user;
        cfg.password = password;
        cfg.credentials_source = "the environment (" ENV_USER " and " ENV_PASSWORD ")";
    } else if ((user && *user) || (password && *password)) {
        return hj_cli_fail("fleet", HJ_ERR_INPUT, "--rpc %s: %s is set but %s is not; set both, or give --rpc-cookie",
                           f->url, user && *user ? ENV_USER : ENV_PASSWORD, user && *user ? ENV_PASSWORD : ENV_USER);
    } else {
        return hj_cli_fail("fleet", HJ_ERR_INPUT,
                           "--rpc %s: no credentials: give --rpc-cookie FILE (the .cookie Bitcoin Core writes in its "
                           "data directory) or set " ENV_USER " and " ENV_PASSWORD " (never on the command line)",
                           f->url);
    }
    hj_error err;
    hj_status st = hj_node_rpc_read(&cfg, net, &err);
    if (st)
        return hj_cli_fail_err("fleet", st, &err);
    req->network = net;
    return 0;
}
