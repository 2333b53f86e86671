#!/usr/bin/env bash
# hashjoule fleet --rpc against a mock Bitcoin Core node (mock_bitcoind.py):
# the figures read and their sources, a flag over a node's value, each error
# (exit status and message), and the credentials never in the output.
# Usage: test_fleet_rpc.sh HASHJOULE
set -u
HJ=${1:?usage: test_fleet_rpc.sh HASHJOULE}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/cli_checks.sh"

SECRET=Zq8vK2mW5xR9tY3uP7nL4hJ6
printf '__cookie__:%s' "$SECRET" >"$tmp/cookie"
AUTH=$(printf '__cookie__:%s' "$SECRET" | base64) # as sent in the Authorization header
printf '__cookie__:stale%s\n' "$SECRET" >"$tmp/stale"
mocks=()
trap 'for p in "${mocks[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT

# Every mode's mock node starts at once (Python's start-up is most of this
# test's time); mock MODE waits for that one's port and sets $url to it.
for mode in ok 401 ibd testnet warmup rpcerror notfound badtypes close slow; do
    python3 "$here/mock_bitcoind.py" "$mode" "$tmp/cookie" >"$tmp/port.$mode" &
    mocks+=($!)
done
mock() {
    local out="$tmp/port.$1"
    for _ in $(seq 200); do
        [ -s "$out" ] && break
        sleep 0.05
    done
    [ -s "$out" ] || fail "mock_bitcoind.py $1 did not start"
    url="http://127.0.0.1:$(head -n1 "$out")"
}

# rpc CODE PATTERN -- ARGS...: expect_exit, and the secret in neither stream
rpc() {
    expect_exit "$@"
    shift 3
    if grep -q -e "$SECRET" -e "$AUTH" "$tmp/out" "$tmp/err"; then
        fail "hashjoule $*: the password (or the Authorization header) appears in the output"
    fi
}

# --- a synced mainnet node: the figures used and where they came from ------------------
mock ok
rpc 0 '"difficulty"' -- fleet --json --rpc "$url" --rpc-cookie "$tmp/cookie"
python3 - "$tmp/out" "$url" <<'PY' || fail "fleet --rpc: figures or sources"
import json, sys
d = json.load(open(sys.argv[1]))
url = sys.argv[2]
i = d["inputs"]
assert i["difficulty"]["value"] == 152271405447597.5, i["difficulty"]
assert i["height"]["value"] == 925000, i["height"]
fees = sum(1_000_000 + (h % 10) * 50_000 for h in range(925000 - 143, 925001)) / 144 / 1e8
assert abs(i["fees_btc_per_block"]["value"] - fees) < 1e-12, (i["fees_btc_per_block"], fees)
node = f"Bitcoin Core node at {url}"
assert i["difficulty"]["source"].startswith(node + ', getblockchaininfo "difficulty", 20'), i["difficulty"]["source"]
assert i["height"]["source"].startswith(node + ', getblockchaininfo "blocks"'), i["height"]["source"]
assert i["fees_btc_per_block"]["source"].startswith(
    node + ', getblockstats "totalfee", mean of blocks 924857..925000 (144 blocks)'), i["fees_btc_per_block"]["source"]
# the price is not on the node: the embedded snapshot, saying so
assert i["btc_price_usd"]["source"].startswith("not in the node's replies: embedded snapshot"), i["btc_price_usd"]
assert i["network_origin"].startswith(node + ", getblockchaininfo and getblockstats, 20"), i["network_origin"]
assert d["network_hashrate_ehs"] > 1000
PY
# the text report names the node
rpc 0 "Network \\(Bitcoin Core node at $url" -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"

# every flag still overrides the node
rpc 0 '"difficulty"' -- fleet --json --rpc "$url" --rpc-cookie "$tmp/cookie" --difficulty 100e12 --height 1050000 \
    --fees-btc-per-block 0.5 --btc-price 70000
python3 - "$tmp/out" <<'PY' || fail "fleet --rpc: a flag does not override the node"
import json, sys
i = json.load(open(sys.argv[1]))["inputs"]
for k, v, flag in (("difficulty", 100e12, "--difficulty"), ("height", 1050000, "--height"),
                   ("fees_btc_per_block", 0.5, "--fees-btc-per-block"), ("btc_price_usd", 70000, "--btc-price")):
    assert i[k]["value"] == v and i[k]["source"] == "flag " + flag, (k, i[k])
assert i["subsidy_btc"]["value"] == 1.5625
PY

# user and password from the environment
HASHJOULE_RPC_USER=__cookie__ HASHJOULE_RPC_PASSWORD=$SECRET rpc 0 '"height"' -- fleet --json --rpc "$url"
# --- credentials refused or missing ------------------------------------------------------------
rpc 3 "$url: HTTP 401: the node refused the credentials from the cookie file $tmp/stale" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/stale"
HASHJOULE_RPC_USER=__cookie__ HASHJOULE_RPC_PASSWORD=wrong rpc 3 \
    "HTTP 401: the node refused the credentials from the environment \(HASHJOULE_RPC_USER and HASHJOULE_RPC_PASSWORD\)" \
    -- fleet --rpc "$url"
rpc 2 'no credentials: give --rpc-cookie FILE .* or set HASHJOULE_RPC_USER and HASHJOULE_RPC_PASSWORD' \
    -- fleet --rpc "$url"
HASHJOULE_RPC_USER=alice rpc 2 'HASHJOULE_RPC_USER is set but HASHJOULE_RPC_PASSWORD is not' -- fleet --rpc "$url"
rpc 2 "cookie file $tmp/none: cannot open.*is the node running" -- fleet --rpc "$url" --rpc-cookie "$tmp/none"
printf 'no colon here' >"$tmp/badcookie"
rpc 2 "cookie file $tmp/badcookie does not hold one line USER:PASSWORD" -- fleet --rpc "$url" --rpc-cookie "$tmp/badcookie"
cp "$tmp/cookie" "$tmp/cookie.ro" && chmod 000 "$tmp/cookie.ro"
if [ "$(id -u)" != 0 ]; then # root reads it anyway
    rpc 2 "cookie file $tmp/cookie.ro: cannot open" -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie.ro"
fi

# --- bad flags: exit 2, before any request -------------------------------------------------------
rpc 2 'USER:PASSWORD@.*never on the command line' -- fleet --rpc "http://__cookie__:$SECRET@127.0.0.1:1" \
    --rpc-cookie "$tmp/cookie"
rpc 2 'not an http:// or https:// URL' -- fleet --rpc "ftp://127.0.0.1:8332" --rpc-cookie "$tmp/cookie"
rpc 2 '--rpc and --network both given' -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie" --network "$tmp/cookie"
rpc 2 '--rpc-cookie applies to --rpc URL' -- fleet --rpc-cookie "$tmp/cookie"
rpc 2 '--rpc-timeout applies to --rpc URL' -- fleet --rpc-timeout 5
rpc 2 'rpc-timeout' -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie" --rpc-timeout 0

# --- what the node says: exit 3, the URL and the cause ---------------------------------------
mock 401
rpc 3 "$url: HTTP 401: the node refused the credentials from the cookie file $tmp/cookie: a stale cookie" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock ibd
rpc 3 "$url: the node is in initial block download \(at block 512345 of 925000 headers, verification progress 31.0%\)" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock testnet
rpc 3 "$url: the node is on chain 'test', not 'main'" -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock warmup
rpc 3 "$url: getblockchaininfo failed: JSON-RPC error -28: Loading block index.*still starting" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock rpcerror
rpc 3 "$url: getblockstats 925000 failed: JSON-RPC error -8: Target block height 925000 after current tip 924999" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock notfound
rpc 3 "$url: getblockstats 924857 failed: JSON-RPC error -32601: Method not found" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock badtypes
rpc 3 "$url: getblockchaininfo: \"difficulty\" is a string; expected a number" -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock close
rpc 3 "$url: getblockchaininfo: the node closed the connection without a reply" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie"
mock slow
start=$SECONDS
rpc 3 "$url: getblockchaininfo: timed out: no reply within 0.5 s" \
    -- fleet --rpc "$url" --rpc-cookie "$tmp/cookie" --rpc-timeout 0.5
[ $((SECONDS - start)) -le 3 ] || fail "--rpc-timeout 0.5 took $((SECONDS - start)) s"

# a closed port: connection refused
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
rpc 3 "http://127.0.0.1:$closed: connection refused" -- fleet --rpc "http://127.0.0.1:$closed" --rpc-cookie "$tmp/cookie"


finish fleet_rpc
