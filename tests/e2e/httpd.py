#!/usr/bin/env python3
"""HTTP server for credconv's fetch tests, on 127.0.0.1 only.

Usage: httpd.py ASSETS_DIR CASES_DIR PORT_FILE [LOG_FILE]
Serves ASSETS_DIR (the validator's OB 2.0 assets) with their example.org / example.com
URLs rewritten to this server, and CASES_DIR under /cases/ with @BASE@ replaced, plus:
  /gone/...  410 Gone             /loop     a redirect to itself
  /big       a 10 MB body         /hang     no answer until the server stops
  /to-file   a redirect to file:///etc/passwd
  /to-ftp    a redirect to ftp://127.0.0.1/x
  /moved/X   a redirect to /cases/X
  /drip      200, then one byte every 0.2 s, forever (no Content-Length)
  /endless   200, then bytes as fast as they go, forever (no Content-Length)
  /redirect?to=URL        a 302 to URL (URL-encoded)
  /slow/NAME?ms=N         a one-term JSON-LD context, after N ms (default 1000)
  /http09    an answer without a status line (HTTP/0.9)
  /bigheader a 200 whose one header line is 1 MB
  /manyheaders  a 200 with 2,000 headers of 200 bytes (400 KB in all)
  /admin     200 "deleted": what a request steered at a local service would reach
With LOG_FILE, each request's path is appended to it, one a line, as it arrives, so a test
can count what was fetched.  It writes its port to PORT_FILE, and stops by itself after
300 s in any case.
"""
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ASSETS, CASES, PORT_FILE = sys.argv[1:4]
LOG = sys.argv[4] if len(sys.argv) > 4 else None
LOG_LOCK = threading.Lock()
STOP = threading.Event()


def log_request_path(path):
    if LOG:
        with LOG_LOCK, open(LOG, "a") as f:
            f.write(path + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="application/ld+json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what the size and time limits do

    def forever(self, pause):
        """A body that never ends, until the client hangs up or the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        chunk = b" " if pause else b" " * 65536
        try:
            self.wfile.write(b"{")
            while not STOP.is_set():
                self.wfile.write(chunk)
                self.wfile.flush()
                if pause:
                    STOP.wait(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def rewrite(self, data):
        base = "http://127.0.0.1:%d" % self.server.server_port
        text = data.decode("utf-8")
        text = re.sub(r"https?://example\.(org|com)", base, text).replace("@BASE@", base)
        return text.encode("utf-8")

    def serve_file(self, root, rel):
        path = os.path.normpath(os.path.join(root, rel))
        if not path.startswith(os.path.abspath(root)) or not os.path.isfile(path):
            return self.send(404, b"not found", "text/plain")
        data = open(path, "rb").read()
        if path.endswith(".png"):
            return self.send(200, data, "image/png")
        self.send(200, self.rewrite(data))

    def odd(self, p, query):
        """The answers of the fetch-guard and message tests; True when p was one."""
        if p == "/redirect":
            self.send(302, b"", headers=[("Location", query.get("to", ["/"])[0])])
        elif p.startswith("/slow/"):
            STOP.wait(int(query.get("ms", ["1000"])[0]) / 1000)
            name = re.sub(r"[^A-Za-z0-9]", "", p[len("/slow/"):])
            body = '{"@context": {"t%s": "https://e.example/t%s"}}' % (name, name)
            self.send(200, body.encode())
        elif p == "/http09":
            self.wfile.write(b'{"@context": {}}\n')
        elif p == "/bigheader":
            self.send(200, b"{}", headers=[("X-Big", "a" * (1 << 20))])
        elif p == "/manyheaders":
            self.send(200, b"{}", headers=[("X-H%d" % i, "b" * 200) for i in range(2000)])
        elif p == "/admin":
            self.send(200, b"deleted", "text/plain")
        else:
            return False
        return True

    def do_GET(self):
        log_request_path(self.path)
        p = self.path.split("?")[0]
        if self.odd(p, parse_qs(urlsplit(self.path).query)):
            return
        if p.startswith("/gone/"):
            return self.send(410, b"gone", "text/plain")
        if p.startswith("/moved/"):
            return self.send(302, b"", headers=[("Location", "/cases/" + p[len("/moved/"):])])
        if p == "/loop":
            return self.send(302, b"", headers=[("Location", "/loop")])
        if p == "/to-file":
            return self.send(302, b"", headers=[("Location", "file:///etc/passwd")])
        if p == "/to-ftp":
            return self.send(302, b"", headers=[("Location", "ftp://127.0.0.1/x")])
        if p in ("/drip", "/endless"):
            return self.forever(0.2 if p == "/drip" else 0)
        if p == "/big":
            return self.send(200, b"{" + b" " * (10 << 20) + b"}")
        if p == "/hang":
            STOP.wait(60)  # the client gives up first; the server's stop ends it
            return
        if p.startswith("/cases/"):
            return self.serve_file(os.path.abspath(CASES), p[len("/cases/"):])
        self.serve_file(os.path.abspath(ASSETS), p.lstrip("/"))


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(str(server.server_port))
    os.rename(PORT_FILE + ".tmp", PORT_FILE)
    threading.Timer(300, server.shutdown).start()
    try:
        server.serve_forever()
    finally:
        STOP.set()


if __name__ == "__main__":
    main()
