/* The network state from a Bitcoin Core node: JSON-RPC 1.0 over HTTP with
 * libcurl (POST, basic authentication, one connection kept alive for every
 * request), getblockchaininfo and then getblockstats for each of the last
 * blocks. The replies are read by node_rpc_parse.c. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "hashjoule/input_file.h"
#include "hashjoule/node_rpc.h"

#define MAX_URL 512
#define MAX_FEE_BLOCKS 1000 /* keeps the satoshi sum within 64 bits */
#define MAX_COOKIE 4096

void hj_node_rpc_config_init(hj_node_rpc_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->timeout_s = HJ_NODE_RPC_TIMEOUT_S;
    cfg->fee_blocks = HJ_NODE_RPC_FEE_BLOCKS;
}

/* The credentials, and the words that name where they came from. */
typedef struct {
    char *cookie; /* the cookie file's text (user:password), or NULL */
    const char *user, *password;
    char source[700];
} credentials;

static void credentials_free(credentials *c)
{
    if (c->cookie) {
        explicit_bzero(c->cookie, strlen(c->cookie));
        free(c->cookie);
        c->cookie = NULL;
    }
}

/* The URL: http(s), a host, no user:password in it (credentials never go
 * on a command line), not too long for the messages that name it. */
static hj_status check_url(const char *url, hj_error *err)
{
    if (!url || !*url)
        return hj_fail(err, HJ_ERR_INPUT, "no node URL given (expected http://HOST:PORT, e.g. http://127.0.0.1:8332)");
    if (strlen(url) > MAX_URL)
        return hj_fail(err, HJ_ERR_INPUT, "the node URL is longer than %d characters", MAX_URL);
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return hj_fail(err, HJ_ERR_INPUT, "%s: not an http:// or https:// URL (Bitcoin Core's RPC is http://HOST:PORT)",
                       url);
    CURLU *u = curl_url();
    if (!u)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    hj_status st = HJ_OK;
    char *user = NULL, *password = NULL, *host = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        !host || !*host)
        st = hj_fail(err, HJ_ERR_INPUT, "'%s' is not a URL this program can use (expected http://HOST:PORT)", url);
    else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
             curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK)
        /* the URL itself is not repeated: it holds a credential */
        st = hj_fail(err, HJ_ERR_INPUT,
                     "the node URL holds a user name or password (USER:PASSWORD@); give the credentials in Bitcoin "
                     "Core's cookie file or the environment instead, never on the command line");
    curl_free(user);
    curl_free(password);
    curl_free(host);
    curl_url_cleanup(u);
    return st;
}

static hj_status load_credentials(const hj_node_rpc_config *cfg, credentials *c, hj_error *err)
{
    memset(c, 0, sizeof *c);
    if (cfg->cookie_path) {
        char what[600];
        snprintf(what, sizeof what, "cookie file %.500s", cfg->cookie_path);
        size_t len;
        hj_status st = hj_read_input_file(cfg->cookie_path, MAX_COOKIE, what, &c->cookie, &len, err);
        if (st) {
            if (err) {
                size_t used = strlen(err->message);
                snprintf(err->message + used, sizeof err->message - used,
                         " (bitcoind writes its .cookie when it starts and deletes it when it stops: is the node "
                         "running, and is this its data directory?)");
            }
            return st;
        }
        while (len && (c->cookie[len - 1] == '\n' || c->cookie[len - 1] == '\r' || c->cookie[len - 1] == ' '))
            c->cookie[--len] = '\0';
        char *colon = strchr(c->cookie, ':');
        if (!colon || colon == c->cookie || !colon[1] || strlen(c->cookie) != len || strpbrk(c->cookie, "\r\n")) {
            credentials_free(c);
            return hj_fail(err, HJ_ERR_INPUT,
                           "cookie file %.500s does not hold one line USER:PASSWORD (Bitcoin Core writes "
                           "__cookie__:PASSWORD into .cookie in its data directory)",
                           cfg->cookie_path);
        }
        *colon = '\0';
        c->user = c->cookie;
        c->password = colon + 1;
        snprintf(c->source, sizeof c->source, "the cookie file %.500s", cfg->cookie_path);
        return HJ_OK;
    }
    if (!cfg->user || !*cfg->user || !cfg->password || !*cfg->password)
        return hj_fail(err, HJ_ERR_INPUT,
                       "no credentials for the node at %s: give Bitcoin Core's cookie file, or a user and a password",
                       cfg->url);
    if (strchr(cfg->user, ':'))
        return hj_fail(err, HJ_ERR_INPUT,
                       "the RPC user name (from %.300s) holds a ':', which basic authentication "
                       "cannot carry",
                       cfg->credentials_source ? cfg->credentials_source : "the caller");
    c->user = cfg->user;
    c->password = cfg->password;
    snprintf(c->source, sizeof c->source, "%.600s", cfg->credentials_source ? cfg->credentials_source : "the caller");
    return HJ_OK;
}

/* One reply's body, at most HJ_NODE_RPC_MAX_REPLY bytes. */
typedef struct {
    char *data;
    size_t len, cap;
    bool too_long;
} reply_buf;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    reply_buf *b = userdata;
    size_t n = size * nmemb;
    if (n > HJ_NODE_RPC_MAX_REPLY - b->len) {
        b->too_long = true;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

/* A session: the handle (one kept-alive connection) and the request counter. */
typedef struct {
    CURL *h;
    struct curl_slist *headers;
    char errbuf[CURL_ERROR_SIZE];
    reply_buf reply;
    int64_t next_id;
    const hj_node_rpc_config *cfg;
    const credentials *cred;
    bool curl_started; /* curl_global_init succeeded: curl_global_cleanup is owed */
} session;

/* Why the transfer failed, in the user's terms. */
static hj_status transport_fail(session *s, CURLcode rc, const char *method, hj_error *err)
{
    const char *url = s->cfg->url;
    long os_errno = 0;
    curl_easy_getinfo(s->h, CURLINFO_OS_ERRNO, &os_errno);
    const char *detail = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return hj_fail(err, HJ_ERR_RUNTIME,
                       "%s: %s: timed out: no reply within %g s (the node is busy or unreachable; --rpc-timeout sets "
                       "the limit)",
                       url, method, s->cfg->timeout_s);
    case CURLE_COULDNT_CONNECT:
        if (os_errno == ECONNREFUSED)
            return hj_fail(err, HJ_ERR_RUNTIME,
                           "%s: connection refused: nothing listens there (is bitcoind running with server=1, and is "
                           "this its rpcport?)",
                           url);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: cannot connect: %s", url, detail);
    case CURLE_COULDNT_RESOLVE_HOST:
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: cannot resolve the host: %s", url, detail);
    case CURLE_GOT_NOTHING:
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s: the node closed the connection without a reply", url, method);
    case CURLE_WRITE_ERROR:
        if (s->reply.too_long)
            return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s: the reply is longer than %u bytes; refused", url, method,
                           HJ_NODE_RPC_MAX_REPLY);
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s: out of memory for the reply", url, method);
    default: return hj_fail(err, HJ_ERR_RUNTIME, "%s: %s: the request failed: %s", url, method, detail);
    }
}

/* POST one request; on HJ_OK s->reply holds the body and *status the HTTP
 * status. 401 and 403 are answered here: their bodies are empty. */
static hj_status call(session *s, const char *method, const char *params, int64_t *id, long *status, hj_error *err)
{
    char body[256];
    *id = s->next_id++;
    snprintf(body, sizeof body, "{\"jsonrpc\":\"1.0\",\"id\":%" PRId64 ",\"method\":\"%s\",\"params\":%s}", *id, method,
             params);
    s->reply.len = 0;
    s->reply.too_long = false;
    s->errbuf[0] = '\0';
    curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, body);
    CURLcode rc = curl_easy_perform(s->h);
    if (rc != CURLE_OK)
        return transport_fail(s, rc, method, err);
    curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, status);
    if (*status == 401)
        return hj_fail(err, HJ_ERR_RUNTIME, "%s: HTTP 401: the node refused the credentials from %s: %s", s->cfg->url,
                       s->cred->source,
                       s->cfg->cookie_path ? "a stale cookie? bitcoind writes a new one each time it starts; is it "
                                             "the cookie of the node at this URL?"
                                           : "check them against the node's rpcauth or rpcuser/rpcpassword");
    if (*status == 403)
        return hj_fail(err, HJ_ERR_RUNTIME,
                       "%s: HTTP 403: the node does not accept RPC from this address (see its rpcallowip)",
                       s->cfg->url);
    return HJ_OK;
}

static hj_status session_open(session *s, const hj_node_rpc_config *cfg, const credentials *cred, hj_error *err)
{
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->cred = cred;
    s->next_id = 1;
    s->curl_started = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!s->curl_started || !(s->h = curl_easy_init()))
        return hj_fail(err, HJ_ERR_RUNTIME, "cannot start libcurl");
    s->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!s->headers)
        return hj_fail(err, HJ_ERR_RUNTIME, "out of memory");
    long timeout_ms = (long)ceil(cfg->timeout_s * 1000);
    CURL *h = s->h;
    curl_easy_setopt(h, CURLOPT_URL, cfg->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_PROXY, ""); /* a local node: never through an http_proxy from the environment */
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, cred->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, cred->password);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s->reply);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "hashjoule");
    return HJ_OK;
}

static void session_close(session *s)
{
    if (s->h)
        curl_easy_cleanup(s->h);
    curl_slist_free_all(s->headers);
    free(s->reply.data);
    if (s->curl_started)
        curl_global_cleanup();
}

/* The mean fee per block over the `n` blocks ending at `tip`, in BTC. */
static hj_status read_fees(session *s, uint64_t tip, uint64_t n, double *fees_btc, hj_error *err)
{
    uint64_t sum = 0;
    for (uint64_t height = tip + 1 - n; height <= tip; height++) {
        char params[64];
        snprintf(params, sizeof params, "[%" PRIu64 ",[\"totalfee\"]]", height);
        int64_t id;
        long status = 0;
        uint64_t fee;
        hj_status st;
        if ((st = call(s, "getblockstats", params, &id, &status, err)) ||
            (st = hj_node_rpc_parse_totalfee(s->reply.data, s->reply.len, status, id, s->cfg->url, height, &fee, err)))
            return st;
        sum += fee;
    }
    *fees_btc = (double)sum / (double)n / 1e8;
    return HJ_OK;
}

hj_status hj_node_rpc_read(const hj_node_rpc_config *cfg, hj_network *out, hj_error *err)
{
    memset(out, 0, sizeof *out);
    out->difficulty = out->btc_price_usd = out->fees_btc_per_block = out->hashrate_ehs_reported = NAN;
    hj_status st;
    if ((st = check_url(cfg->url, err)))
        return st;
    if (!(cfg->timeout_s > 0 && cfg->timeout_s <= 3600))
        return hj_fail(err, HJ_ERR_INPUT, "the RPC timeout %g s is out of range; expected 0..3600 s", cfg->timeout_s);
    if (cfg->fee_blocks < 1 || cfg->fee_blocks > MAX_FEE_BLOCKS)
        return hj_fail(err, HJ_ERR_INPUT, "the fee window of %u blocks is out of range; expected 1..%d",
                       cfg->fee_blocks, MAX_FEE_BLOCKS);
    credentials cred;
    if ((st = load_credentials(cfg, &cred, err)))
        return st;

    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char read_at[32];
    strftime(read_at, sizeof read_at, "%Y-%m-%dT%H:%M:%SZ", &tm);

    session s;
    int64_t id;
    long status = 0;
    if ((st = session_open(&s, cfg, &cred, err)) || (st = call(&s, "getblockchaininfo", "[]", &id, &status, err)) ||
        (st = hj_node_rpc_parse_blockchaininfo(s.reply.data, s.reply.len, status, id, cfg->url, out, err)))
        goto done;
    uint64_t n = out->height + 1 < cfg->fee_blocks ? out->height + 1 : cfg->fee_blocks;
    if ((st = read_fees(&s, out->height, n, &out->fees_btc_per_block, err)))
        goto done;

    snprintf(out->origin, sizeof out->origin, "Bitcoin Core node at %.300s, getblockchaininfo and getblockstats, %s",
             cfg->url, read_at);
    snprintf(out->sources[HJ_NET_SRC_DIFFICULTY], HJ_FLEET_TEXT_MAX,
             "Bitcoin Core node at %.300s, getblockchaininfo \"difficulty\", %s", cfg->url, read_at);
    snprintf(out->sources[HJ_NET_SRC_HEIGHT], HJ_FLEET_TEXT_MAX,
             "Bitcoin Core node at %.300s, getblockchaininfo \"blocks\", %s", cfg->url, read_at);
    snprintf(out->sources[HJ_NET_SRC_FEES], HJ_FLEET_TEXT_MAX,
             "Bitcoin Core node at %.300s, getblockstats \"totalfee\", mean of blocks %" PRIu64 "..%" PRIu64
             " (%" PRIu64 " blocks), %s",
             cfg->url, out->height + 1 - n, out->height, n, read_at);
    snprintf(out->sources[HJ_NET_SRC_SUBSIDY], HJ_FLEET_TEXT_MAX, "computed from the node's height");
    st = HJ_OK;
done:
    if (st) {
        /* nothing half-read is left for a caller that ignores the status */
        hj_network empty = {
            .difficulty = NAN, .btc_price_usd = NAN, .fees_btc_per_block = NAN, .hashrate_ehs_reported = NAN};
        *out = empty;
    }
    session_close(&s);
    credentials_free(&cred);
    return st;
}
