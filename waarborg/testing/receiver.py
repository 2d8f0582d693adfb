"""A real HTTP server on localhost for tests that push a package to another organisation (art. 20(2)).

`with PushReceiver(status=503) as receiver:` listens at `receiver.url` and answers every POST
with `receiver.status` (change it between calls to let a retry succeed); `receiver.received`
holds (path, headers, body) of each POST. Pushing over http:// to this machine needs the
setting WAARBORG_ALLOW_HTTP_PUSH.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class PushReceiver:
    """A real local HTTP server that takes the pushed ZIP (or answers with an error)."""

    def __init__(self, status: int = 201):
        self.status = status
        self.received: list[tuple[str, dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's hook name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.received.append((self.path, dict(self.headers), body))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/ontvang/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
