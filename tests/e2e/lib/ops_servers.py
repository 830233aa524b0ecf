#!/usr/bin/env python3
"""ops_servers.py: small loopback servers for the nightly-operations e2e tests (issue 15).
Each listens on 127.0.0.1, port 0, prints "listening on PORT" as its first line, and runs until
killed. Standard library only (the tests must not need more than Debian's python3).

  redirect TARGET_URL     answers every request 301 Location: TARGET_URL (+ the request path)
  record FILE             answers 200 {} and appends each request's Authorization header (or
                          "-" when absent) to FILE, one line per request
  hang                    accepts connections, reads, never answers
  smtp FILE               a minimal SMTP sink (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA,
                          RSET, NOOP, QUIT; no AUTH, no STARTTLS): writes each message to
                          FILE.N (N = 1, 2, ...)
  webhook KEYFILE FILE    answers 200 to a POST and writes to FILE "valid" or "invalid" (the
                          X-Shipload-Signature checked with HMAC-SHA256 under the key in
                          KEYFILE), then the body, to FILE.body
"""
import hashlib
import hmac
import http.server
import socket
import socketserver
import sys
import threading


def announce(port):
    print(f"listening on {port}", flush=True)


class Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_http(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    announce(server.server_address[1])
    server.serve_forever()


def redirect(target):
    class Handler(Quiet):
        def answer(self):
            self.send_response(301)
            self.send_header("Location", target + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        do_GET = do_POST = do_PUT = answer
    serve_http(Handler)


def record(path):
    class Handler(Quiet):
        def answer(self):
            with open(path, "a") as out:
                out.write((self.headers.get("Authorization") or "-") + "\n")
            body = b'{"success": true, "orders": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        do_GET = do_POST = do_PUT = answer
    serve_http(Handler)


def hang():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    announce(listener.getsockname()[1])
    held = []
    while True:
        conn, _ = listener.accept()
        held.append(conn)   # read nothing more, answer nothing, never close


def smtp(path):
    counter = [0]
    lock = threading.Lock()

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line):
            self.wfile.write((line + "\r\n").encode())

        def handle(self):
            self.reply("220 sink ESMTP")
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                verb = line.decode("utf-8", "replace").strip().split(" ")[0].upper()
                if verb == "EHLO":
                    self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SIZE 10000000\r\n")
                elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    data = []
                    while True:
                        chunk = self.rfile.readline()
                        if not chunk or chunk in (b".\r\n", b".\n"):
                            break
                        data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    with lock:
                        counter[0] += 1
                        number = counter[0]
                    with open(f"{path}.{number}", "wb") as out:
                        out.write(b"".join(data))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("502 not implemented")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    announce(server.server_address[1])
    server.serve_forever()


def webhook(key_path, path):
    key = open(key_path, "rb").read().strip()

    class Handler(Quiet):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
            given = self.headers.get("X-Shipload-Signature", "")
            verdict = "valid" if hmac.compare_digest(expected, given) else "invalid"
            with open(path + ".body", "wb") as out:
                out.write(body)
            with open(path, "w") as out:
                out.write(verdict + "\n")
            self.send_response(204)
            self.end_headers()
    serve_http(Handler)


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    {"redirect": redirect, "record": record, "hang": hang, "smtp": smtp,
     "webhook": webhook}[kind](*args)
