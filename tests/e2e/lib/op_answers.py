#!/usr/bin/env python3
"""op_answers.py TOKEN: a loopback stand-in for OrderProtection that answers each create with
the error the contract maps, chosen by the order id, as the real service would when the order
changed between shipload's read and its write (store-sim's rules refuse such writes before
they are sent, so they cannot provoke these answers). Listens on 127.0.0.1, port 0, prints
"listening on PORT" first, runs until killed. Standard library only.

Every order reads as OPEN with one item (sourceItemId "1", SKU "SKU-A", quantity 2) and no
fulfillment; its fulfillments read back as []. A create for order id:
  "GONE 1"  404 order not found         "DUP 1"  409 fulfillment exists
  "ITEM 1"  422 unknown item 1          "QTY 1"  422 quantity exceeds remaining for item 1
  "CXL 1"   422 order cancelled         "BAD 1"  400 sourceItemIds is required
  any other 201 {"status":"ok"}
A request without "Authorization: Bearer TOKEN" gets 401. Errors are the contract's
{"status": "error", "message": ...}.
"""
import http.server
import json
import sys
import urllib.parse

TOKEN = sys.argv[1]
CREATE_ANSWERS = {
    "GONE 1": (404, "order not found"),
    "DUP 1": (409, "fulfillment exists"),
    "ITEM 1": (422, "unknown item 1"),
    "QTY 1": (422, "quantity exceeds remaining for item 1: 2 requested, 0 remaining"),
    "CXL 1": (422, "order cancelled"),
    "BAD 1": (400, "sourceItemIds is required (at least one item)"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def error(self, status, message):
        self.send(status, {"status": "error", "message": message})

    def route(self):
        """(order id, rest of the path) or None, after the auth check."""
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            self.error(401, "invalid token")
            return None
        parts = urllib.parse.urlsplit(self.path).path.split("/")
        if len(parts) < 4 or parts[1:3] != ["v1", "orders"]:
            self.error(404, "not found")
            return None
        return urllib.parse.unquote(parts[3]), parts[4:]

    def do_GET(self):
        routed = self.route()
        if routed is None:
            return
        order_id, rest = routed
        if rest == ["fulfillments"]:
            self.send(200, [])
            return
        self.send(200, {"sourceOrderId": order_id, "orderName": "#" + order_id,
                        "status": "OPEN", "fulfillments": [],
                        "orderItems": [{"sourceItemId": "1", "sku": "SKU-A", "quantity": 2,
                                        "refundedQuantity": 0}]})

    def do_POST(self):
        routed = self.route()
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if routed is None:
            return
        status, message = CREATE_ANSWERS.get(routed[0], (201, None))
        if message is None:
            self.send(201, {"status": "ok"})
        else:
            self.error(status, message)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
