#!/usr/bin/env python3
"""A stand-in for Bitcoin Core's JSON-RPC server, for the fleet --rpc tests.

Usage: mock_bitcoind.py MODE COOKIE_FILE

Listens on 127.0.0.1 on a free port, prints the port on one line of stdout,
then serves until it is killed. Credentials are checked against COOKIE_FILE
(USER:PASSWORD, as bitcoind writes its .cookie).

It answers as Bitcoin Core does for a JSON-RPC 1.0 request: POST only (405
otherwise); 401 with an empty body and `WWW-Authenticate: Basic
realm="jsonrpc"` for missing or wrong credentials (after a short pause, as
Core deters guessing); a reply envelope {"result": ..., "error": null,
"id": ...}; an error envelope {"result": null, "error": {"code", "message"},
"id": ...} with HTTP 500, or 404 for an unknown method and 400 for an invalid
request. The results use the field names of Core's RPC help
(getblockchaininfo; getblockstats, which returns only the statistics asked
for), and getblockstats refuses a height beyond the tip with Core's -8
message.

MODE:
  ok        a synced mainnet node at height 925000
  ibd       a mainnet node in initial block download
  testnet   a synced node on chain "test"
  401       refuses every credential
  warmup    every method fails with -28 (the node is still loading)
  rpcerror  getblockstats of the last block fails with -8: the tip moved back
            between getblockchaininfo and getblockstats
  notfound  getblockstats is not a method (-32601, HTTP 404)
  badtypes  getblockchaininfo's difficulty is a string
  slow      getblockchaininfo answers after 5 s
  close     every connection is closed without a reply
"""
import base64
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
with open(sys.argv[2], encoding="ascii") as f:
    EXPECTED_AUTH = "Basic " + base64.b64encode(f.read().strip().encode()).decode()

TIP = 925000
DIFFICULTY = 152271405447597.5
TIP_TIME = 1763700000  # 2025-11-21T04:40:00Z


def fee_sat(height):
    """Each block's total fee, in satoshis (the test computes the same mean)."""
    return 1_000_000 + (height % 10) * 50_000


def compact_of_difficulty(difficulty):
    """nBits of the target the difficulty implies (difficulty 1 = 0x1d00ffff)."""
    target = (0xFFFF << 208) * 10**6 // int(difficulty * 10**6)
    size = (target.bit_length() + 7) // 8
    mantissa = target >> (8 * (size - 3)) if size > 3 else target << (8 * (3 - size))
    if mantissa & 0x800000:
        mantissa >>= 8
        size += 1
    return size << 24 | mantissa, mantissa << (8 * (size - 3))


class RpcError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def blockchaininfo():
    chain, blocks, headers, difficulty, ibd, progress = "main", TIP, TIP, DIFFICULTY, False, 0.9999987
    if MODE == "ibd":
        blocks, difficulty, ibd, progress = 512345, 6071846049920.75, True, 0.3102
    elif MODE == "testnet":
        chain, blocks, headers, difficulty = "test", 4550123, 4550123, 1.0
    bits, target = compact_of_difficulty(difficulty)
    info = {
        "chain": chain,
        "blocks": blocks,
        "headers": headers,
        "bestblockhash": "00000000000000000001c3ab5e2a1fa9f9a2c6e4b5d8a7f1e0b9c8d7e6f5a4b3",
        "bits": f"{bits:08x}",
        "target": f"{target:064x}",
        "difficulty": difficulty if MODE != "badtypes" else str(difficulty),
        "time": TIP_TIME,
        "mediantime": TIP_TIME - 2400,
        "verificationprogress": progress,
        "initialblockdownload": ibd,
        "chainwork": "0000000000000000000000000000000000000000b1f3a1c2d3e4f5a6b7c8d9e0",
        "size_on_disk": 748123456789,
        "pruned": False,
        "warnings": [],
    }
    return info


BLOCKSTATS = ("avgfee", "avgfeerate", "avgtxsize", "blockhash", "feerate_percentiles", "height", "ins", "maxfee",
              "maxfeerate", "maxtxsize", "medianfee", "mediantime", "mediantxsize", "minfee", "minfeerate",
              "mintxsize", "outs", "subsidy", "swtotal_size", "swtotal_weight", "swtxs", "time", "total_out",
              "total_size", "total_weight", "totalfee", "txs", "utxo_increase", "utxo_size_inc",
              "utxo_increase_actual", "utxo_size_inc_actual")


def blockstats(params):
    if not params or not isinstance(params[0], int):
        raise RpcError(-3, "JSON value of type string is not of expected type number")
    height = params[0]
    tip = TIP - 1 if MODE == "rpcerror" else TIP
    if height < 0:
        raise RpcError(-8, f"Target block height {height} is negative")
    if height > tip:
        raise RpcError(-8, f"Target block height {height} after current tip {tip}")
    stats = params[1] if len(params) > 1 else None
    txs = 3000 + height % 500
    every = {"avgfee": fee_sat(height) // (txs - 1), "avgfeerate": 4, "avgtxsize": 530,
             "blockhash": f"{height:064x}", "feerate_percentiles": [1, 2, 3, 5, 9], "height": height,
             "ins": txs * 2, "maxfee": 250000, "maxfeerate": 300, "maxtxsize": 98000, "medianfee": 300,
             "mediantime": TIP_TIME - (TIP - height) * 600 - 2400, "mediantxsize": 225, "minfee": 110,
             "minfeerate": 1, "mintxsize": 150, "outs": txs * 3, "subsidy": 312500000, "swtotal_size": 1500000,
             "swtotal_weight": 3800000, "swtxs": txs - 200, "time": TIP_TIME - (TIP - height) * 600,
             "total_out": 512345678900, "total_size": 1600000, "total_weight": 3990000,
             "totalfee": fee_sat(height), "txs": txs, "utxo_increase": txs, "utxo_size_inc": txs * 80,
             "utxo_increase_actual": txs - 10, "utxo_size_inc_actual": txs * 78}
    if stats is None:
        return every
    for s in stats:
        if s not in BLOCKSTATS:
            raise RpcError(-8, f"Invalid selected statistic '{s}'")
    return {s: every[s] for s in stats}


def execute(method, params):
    if MODE == "warmup":
        raise RpcError(-28, "Loading block index\u2026")
    if method == "getblockchaininfo":
        if MODE == "slow":
            time.sleep(5)
        return blockchaininfo()
    if method == "getblockstats" and MODE != "notfound":
        return blockstats(params)
    raise RpcError(-32601, "Method not found")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as bitcoind's libevent server
    wbufsize = 65536  # one write per reply (flushed after each request), not headers and body apart

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.reply(405, b"JSONRPC server handles only POST requests")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if MODE == "close":
            self.close_connection = True
            return
        if MODE == "401" or self.headers.get("Authorization") != EXPECTED_AUTH:
            time.sleep(0.25)
            self.reply(401, headers=[("WWW-Authenticate", 'Basic realm="jsonrpc"')])
            return
        req_id = None
        try:
            try:
                req = json.loads(body)
            except ValueError:
                raise RpcError(-32700, "Parse error")
            if not isinstance(req, dict):
                raise RpcError(-32700, "Top-level object parse error")
            req_id = req.get("id")
            method = req.get("method")
            if not isinstance(method, str):
                raise RpcError(-32600, "Method must be a string")
            params = req.get("params", [])
            if not isinstance(params, list):
                raise RpcError(-32600, "Params must be an array or object")
            status, envelope = 200, {"result": execute(method, params), "error": None, "id": req_id}
        except RpcError as e:
            status = 404 if e.code == -32601 else 400 if e.code == -32600 else 500
            envelope = {"result": None, "error": {"code": e.code, "message": e.message}, "id": req_id}
        self.reply(status, (json.dumps(envelope, separators=(",", ":")) + "\n").encode(),
                   [("Content-Type", "application/json")])


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout test) is not an error here


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
