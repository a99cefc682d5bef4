"""A local HTTP server on 127.0.0.1 serving Kolada fixtures for the pytest suite.

Routes map a request target (path + query) to a fixture file in tests/data/kolada
(``{base}`` inside is replaced by the server's ``/v3`` base) or to a callable
``(target, nth) -> (status, headers, body)``. Every target is recorded.

Two pseudo-headers script faults and are not sent: ``X-Mock-Stall: <seconds>``
waits after the headers before the body (a stalled read), and ``X-Mock-Cut: <n>``
sends only the first ``n`` body bytes and then resets the connection (RST).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Union

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "kolada"

Reply = tuple[int, dict[str, str], str]
Route = Union[str, Callable[[str, int], Reply]]


class MockKolada:
    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.requests: list[str] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, headers, body = mock._answer(self.path)
                headers = dict(headers)
                stall = float(headers.pop("X-Mock-Stall", 0))
                cut = headers.pop("X-Mock-Cut", None)
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.flush()
                if stall:
                    time.sleep(stall)
                if cut is None:
                    self.wfile.write(data)
                    return
                self.wfile.write(data[: int(cut)])
                self.wfile.flush()
                # SO_LINGER with a zero timeout: close() sends RST, a reset mid-body.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def _answer(self, target: str) -> Reply:
        with self._lock:
            self.requests.append(target)
            nth = self._counts.get(target, 0)
            self._counts[target] = nth + 1
        route = self.routes.get(target)
        if route is None:
            return 404, {}, '{"error": "not found"}'
        if callable(route):
            return route(target, nth)
        return 200, {}, fixture(route).replace("{base}", self.base)

    def __enter__(self) -> MockKolada:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


GEOGRAPHY_ROUTES: dict[str, Route] = {
    "/v3/municipality": "v3_municipality_page1.json",
    "/v3/municipality?page=2": "v3_municipality_page2.json",
    "/v3/municipality_groups": "v3_municipality_groups_page1.json",
    "/v3/municipality_groups?page=2": "v3_municipality_groups_page2.json",
}
