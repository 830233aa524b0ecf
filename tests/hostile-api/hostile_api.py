#!/usr/bin/env python3
"""hostile_api.py: an API server that misbehaves on purpose, for shipload's e2e tests (issue 19).

Listens on 127.0.0.1 (port 0: any free port) and prints its URL as the first line of output,
like store-sim. Every request is answered according to --mode:

  rate-limit  429 with Retry-After: 3600, forever
  malformed   200 with a body that is not JSON
  wrong-types 200 with JSON whose members have the wrong types
  huge        200 with a 64 MB body, sent as fast as the client takes it
  slow        200 whose body trickles out one byte every half second
  redirect    302 to --redirect-to (another host) for every request
  success-false  200 {"success": false, ...} to everything
  endless     GET /api/v2/orders: pages that always say there is a next one

--log FILE appends one line per request: "METHOD PATH AUTHORIZATION-PRESENT(yes|no) TOKEN-SEEN"
(the Authorization header's value is compared with --token and only "token" or "other" is
written, never the value itself). Stops on SIGTERM. Standard library only.
"""
import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def note(self):
        if not ARGS.log:
            return
        auth = self.headers.get("Authorization")
        seen = "none" if auth is None else ("token" if ARGS.token and ARGS.token in auth else "other")
        with open(ARGS.log, "a") as log:
            log.write(f"{self.command} {self.path} {seen}\n")

    def body_in(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def answer(self):
        self.note()
        self.body_in()
        mode = ARGS.mode
        if mode == "rate-limit":
            self.send(429, b'{"success":false,"error":{"code":"rateLimited","message":"slow down"}}',
                      [("Retry-After", "3600")])
        elif mode == "malformed":
            self.send(200, b'{"success":true,"orders":[{"id":')
        elif mode == "wrong-types":
            self.send(200, json.dumps({"success": "yes", "orders": {"id": 7},
                                       "page": {"current": "one", "next": []}}).encode())
        elif mode == "huge":
            size = 64 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"x" * (1024 * 1024)
            try:
                self.wfile.write(b'{"success":true,"pad":"')
                sent = 23
                while sent + len(chunk) <= size - 2:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                self.wfile.write(b"x" * (size - 2 - sent) + b'"}')
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif mode == "slow":
            body = b'{"success":true,"orders":[],"page":{"current":1,"next":null}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", ARGS.redirect_to + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "success-false":
            self.send(200, b'{"success":false,"error":{"code":"notAllowed","message":"refused"}}')
        elif mode == "endless":
            page = 1
            if "page=" in self.path:
                page = int(self.path.split("page=")[1].split("&")[0] or 1)
            orders = [] if page > 1 else [{"id": "1", "name": "#1001"}]
            self.send(200, json.dumps({"success": True, "orders": orders,
                                       "page": {"current": page, "next": page + 1}}).encode())
        else:
            self.send(500, b'{"success":false}')

    do_GET = do_POST = do_PUT = do_DELETE = answer


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--redirect-to", default="http://127.0.0.2:9")
    parser.add_argument("--token", default="")
    parser.add_argument("--log", default="")
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer((ARGS.host, ARGS.port), Handler)
    server.daemon_threads = True
    print(f"http://{ARGS.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
