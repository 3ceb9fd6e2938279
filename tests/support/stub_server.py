"""A real HTTP server on 127.0.0.1 that plays an external service (WeChat, payment, platform).

    with StubServer() as stub:
        stub.route("GET", "/sns/jscode2session", lambda req: (200, {"openid": "o1"}))
        ...  # point the client at stub.url
        assert stub.requests[0].query["js_code"] == ["abc"]

A handler gets a `StubRequest` and returns (status, json_body) or (status, body, headers);
it may sleep to simulate a slow upstream.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class StubRequest:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    json: object = field(default=None)


class StubServer:
    def __init__(self):
        self.routes = {}
        self.requests: list[StubRequest] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed = json.loads(body) if body else None
                except ValueError:
                    parsed = None
                request = StubRequest(
                    self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body, parsed
                )
                stub.requests.append(request)
                handler = stub.routes.get((self.command, parts.path))
                result = (404, {"error": "no stub route"}) if handler is None else handler(request)
                status, payload, headers = (*result, {}) if len(result) == 2 else result
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, handler):
        self.routes[(method, path)] = handler

    def __enter__(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
