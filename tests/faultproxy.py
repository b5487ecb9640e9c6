"""A small HTTP proxy for the tests, in front of the real Label Studio, that injects faults
a real server cannot be made to produce on cue: dropped connections, delays past the client's
timeout, and 500/502/429 answers, at chosen requests. Loopback only."""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
}


class FaultProxy:
    """``faults`` maps the n-th matching request (1-based) to a fault:

    * ``"drop"``: close the connection without forwarding or answering;
    * ``"drop-after"``: forward (the server does the work), then close without answering;
    * ``"delay-after:S"``: forward, then wait S seconds before answering (past the client's timeout);
    * ``"500"``, ``"502"``, ``"429"``: answer that status without forwarding.

    ``match(method, path)`` selects which requests are counted (default: all).
    """

    def __init__(self, upstream: str, faults: dict[int, str], match=lambda method, path: True):
        self.upstream = urlsplit(upstream)
        self.faults = dict(faults)
        self.match = match
        self.count = 0
        self.seen: list[tuple[str, str, str]] = []  # (method, path, what happened)
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fault = None
                if proxy.match(self.command, self.path):
                    with proxy.lock:
                        proxy.count += 1
                        fault = proxy.faults.get(proxy.count)
                proxy.seen.append((self.command, self.path, fault or "ok"))
                if fault == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault in ("500", "502", "429"):
                    payload = b'{"detail": "injected fault"}'
                    self.send_response(int(fault))
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    if fault == "429":
                        self.send_header("Retry-After", "1")
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                status, headers, data = proxy._forward(self.command, self.path, self.headers, body)
                if fault == "drop-after":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault and fault.startswith("delay-after:"):
                    time.sleep(float(fault.split(":", 1)[1]))
                self.send_response(status)
                for key, value in headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _forward(self, method, path, headers, body):
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            out = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
            out["Host"] = self.upstream.netloc
            conn.request(method, path, body=body or None, headers=out)
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
