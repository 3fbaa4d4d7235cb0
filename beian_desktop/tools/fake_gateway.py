"""A fake SMS gateway on loopback, for development, the demo and the tests.

It speaks what the `http` endpoint kind sends (JSON POST with an Idempotency-Key),
records every request, and can be told to misbehave: fail the next N requests with a
status, answer 429 with Retry-After, answer slowly, reject for good (400), or drop
connections without answering. A real HTTP server, so tests exercise real sockets.

    python -m beian_desktop.tools.fake_gateway --port 8025
    curl -X POST localhost:8025/_control -d '{"fail_next": 3, "fail_status": 503}'
    curl localhost:8025/_requests

Like a good gateway it is idempotent: a repeated Idempotency-Key gets the first
answer's message id back (and is recorded as a duplicate).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class GatewayState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.by_key: dict[str, str] = {}
        self.delivery: dict[str, str] = {}
        self.controls: dict[str, Any] = {
            "fail_next": 0,
            "fail_status": 503,
            "retry_after": None,
            "delay_seconds": 0.0,
            "reject_next": 0,
            "drop_next": 0,
            "delivery_status": "delivered",
        }


class _Handler(BaseHTTPRequestHandler):
    server: FakeGatewayServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the second
    # waits for the client's delayed ACK (40 ms) on every kept-alive request.
    disable_nagle_algorithm = True

    def log_message(self, *_args: object) -> None:  # quiet: tests read /_requests
        pass

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        state = self.server.state
        if self.path == "/_requests":
            with state.lock:
                self._json(200, state.requests)
        elif self.path.startswith("/status/"):
            message_id = self.path.removeprefix("/status/")
            with state.lock:
                status = state.delivery.get(message_id)
            self._json(200 if status else 404, {"message_id": message_id, "status": status})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        state = self.server.state
        raw = self._body()
        if self.path == "/_control":
            with state.lock:
                state.controls.update(json.loads(raw or b"{}"))
            self._json(200, state.controls)
            return
        if self.path == "/_reset":
            with state.lock:
                state.reset()
            self._json(200, {"ok": True})
            return
        self._send(state, raw)

    def _send(self, state: GatewayState, raw: bytes) -> None:
        key = self.headers.get("Idempotency-Key", "")
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        with state.lock:
            c = state.controls
            record = {
                "path": self.path,
                "key": key,
                "body": body,
                "at": time.time(),
                "headers": dict(self.headers.items()),
                "answer": None,
            }
            state.requests.append(record)
            delay = float(c["delay_seconds"])
            if c["drop_next"] > 0:
                c["drop_next"] -= 1
                record["answer"] = "dropped"
                action: tuple[Any, ...] = ("drop",)
            elif c["fail_next"] > 0:
                c["fail_next"] -= 1
                status = int(c["fail_status"])
                record["answer"] = status
                extra = {"Retry-After": str(c["retry_after"])} if c["retry_after"] else {}
                action = ("answer", status, {"code": "BUSY"}, extra)
            elif c["reject_next"] > 0:
                c["reject_next"] -= 1
                record["answer"] = 400
                action = ("answer", 400, {"code": "INVALID", "error": "number blocked"}, {})
            else:
                duplicate = key in state.by_key
                message_id = state.by_key.setdefault(key, f"fg-{len(state.by_key) + 1}")
                state.delivery.setdefault(message_id, c["delivery_status"])
                record["answer"] = 200
                record["duplicate"] = duplicate
                action = (
                    "answer",
                    200,
                    {"code": "OK", "message_id": message_id, "status": "accepted"},
                    {},
                )
        if delay:
            time.sleep(delay)
        if action[0] == "drop":
            self.close_connection = True
            self.connection.close()
            return
        _, status, payload, extra = action
        self._json(status, payload, extra)


class FakeGatewayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 resets connections when a dispatcher opens 32 at once.
    request_queue_size = 128

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.state = GatewayState()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGatewayServer:
        """Serves from a background thread (for tests in this process)."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def sends(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return [r for r in self.state.requests if not r["path"].startswith("/_")]

    def control(self, **controls: Any) -> None:
        with self.state.lock:
            self.state.controls.update(controls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake SMS gateway on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    server = FakeGatewayServer(args.host, args.port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"fake SMS gateway listening on {server.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
