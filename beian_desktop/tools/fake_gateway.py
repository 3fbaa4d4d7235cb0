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

It runs on one asyncio event loop with h11 parsing HTTP/1.1, not a thread per
connection: the dispatch benchmark measures the dispatcher against it, so it must
answer faster than a dispatcher can send (threads taking turns under the GIL could
not). A slow answer is a timer, so it never holds up other connections.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import h11


class GatewayState:
    """What the gateway has seen and been told; `lock` guards it, because tests read it
    from their own thread while the server's loop runs in another."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # Called with each SMS request as it arrives, before it is answered, under the
        # lock (a crash test kills its dispatcher there: that SMS is on the wire).
        self.on_send: Callable[[dict[str, Any]], None] | None = None
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
            "echo_errors": False,
        }


_REASONS = {status.value: status.phrase.encode() for status in HTTPStatus}

# What a handler decides: an answer (status, JSON payload, extra headers), or None to
# drop the connection without answering; and how many seconds to wait first.
_Answer = tuple[int, Any, dict[str, str]] | None


def _answer_get(state: GatewayState, path: str) -> _Answer:
    if path == "/_requests":
        with state.lock:
            return 200, list(state.requests), {}
    if path.startswith("/status/"):
        message_id = path.removeprefix("/status/")
        with state.lock:
            status = state.delivery.get(message_id)
        return 200 if status else 404, {"message_id": message_id, "status": status}, {}
    return 404, {"error": "not found"}, {}


def _answer_post(
    state: GatewayState, path: str, headers: list[tuple[bytes, bytes]], raw: bytes, peer: str
) -> tuple[_Answer, float]:
    if path == "/_control":
        with state.lock:
            state.controls.update(json.loads(raw or b"{}"))
            return (200, dict(state.controls), {}), 0.0
    if path == "/_reset":
        with state.lock:
            state.reset()
        return (200, {"ok": True}, {}), 0.0
    return _answer_send(state, path, headers, raw, peer)


def _answer_send(
    state: GatewayState, path: str, headers: list[tuple[bytes, bytes]], raw: bytes, peer: str
) -> tuple[_Answer, float]:
    """Any other POST is an SMS: recorded first, then answered as the controls say."""
    # Header names keep the sender's spelling, as tests look them up ("X-Signature").
    named = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}
    key = named.get("Idempotency-Key")
    if key is None:  # header names are case-insensitive; the usual spelling is tried first
        key = next((v for n, v in named.items() if n.lower() == "idempotency-key"), "")
    try:
        body: Any = json.loads(raw)
    except ValueError:
        body = raw.decode("utf-8", "replace")
    with state.lock:
        c = state.controls
        record: dict[str, Any] = {
            "path": path,
            "key": key,
            "body": body,
            "at": time.time(),
            "headers": named,
            "peer": peer,  # the client's address: which connection it came on
            "answer": None,
        }
        state.requests.append(record)
        if state.on_send is not None:
            state.on_send(record)
        delay = float(c["delay_seconds"])
        echoed = {"request": body} if c["echo_errors"] else {}
        if c["drop_next"] > 0:
            c["drop_next"] -= 1
            record["answer"] = "dropped"
            return None, delay
        if c["fail_next"] > 0:
            c["fail_next"] -= 1
            status = int(c["fail_status"])
            record["answer"] = status
            extra = {"Retry-After": str(c["retry_after"])} if c["retry_after"] else {}
            return (status, {"code": "BUSY", **echoed}, extra), delay
        if c["reject_next"] > 0:
            c["reject_next"] -= 1
            record["answer"] = 400
            return (400, {"code": "INVALID", "error": "number blocked", **echoed}, {}), delay
        duplicate = key in state.by_key
        message_id = state.by_key.setdefault(key, f"fg-{len(state.by_key) + 1}")
        state.delivery.setdefault(message_id, c["delivery_status"])
        record["answer"] = 200
        record["duplicate"] = duplicate
        return (200, {"code": "OK", "message_id": message_id, "status": "accepted"}, {}), delay


class _Connection(asyncio.Protocol):
    """One client connection: h11 turns bytes into requests, one answered at a time
    (HTTP/1.1 answers in order; a delayed answer holds back only this connection)."""

    def __init__(self, server: FakeGatewayServer) -> None:
        self.server = server
        self.http = h11.Connection(h11.SERVER)
        self.transport: asyncio.Transport | None = None
        self.request: h11.Request | None = None
        self.body: list[bytes] = []
        self.answering = False  # a delayed answer is pending; later requests wait
        self.peer = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        host, port = transport.get_extra_info("peername")[:2]
        self.peer = f"{host}:{port}"
        self.server._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server._connections.discard(self)

    def data_received(self, data: bytes) -> None:
        self.http.receive_data(data)
        self._next()

    def eof_received(self) -> bool:
        self.http.receive_data(b"")
        self._next()
        return False  # the transport closes itself

    def _next(self) -> None:
        while not self.answering and self.transport is not None:
            if self.transport.is_closing():
                return
            try:
                event = self.http.next_event()
            except h11.RemoteProtocolError:
                self._fail(400)
                return
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self.request = event
                self.body = []
            elif isinstance(event, h11.Data):
                self.body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                self._handle()
            elif isinstance(event, h11.ConnectionClosed):
                self.transport.close()
                return

    def _handle(self) -> None:
        request = self.request
        assert request is not None
        path = request.target.decode("latin-1")
        state = self.server.state
        delay = 0.0
        if request.method == b"GET":
            answer: _Answer = _answer_get(state, path)
        elif request.method == b"POST":
            raw = b"".join(self.body)
            headers = list(request.headers.raw_items())
            answer, delay = _answer_post(state, path, headers, raw, self.peer)
        else:
            answer = 501, {"error": "unsupported method"}, {}
        if delay > 0:
            self.answering = True
            asyncio.get_running_loop().call_later(delay, self._answer_late, answer)
        else:
            self._answer(answer)

    def _answer_late(self, answer: _Answer) -> None:
        self.answering = False
        if self.transport is None or self.transport.is_closing():
            return  # the client gave up waiting
        self._answer(answer)
        self._next()

    def _answer(self, answer: _Answer) -> None:
        assert self.transport is not None
        if answer is None:  # dropped: the connection closes with no answer at all
            self.transport.close()
            return
        status, payload, extra = answer
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *extra.items(),
        ]
        http = self.http
        self.transport.write(
            http.send(
                h11.Response(status_code=status, headers=headers, reason=_REASONS.get(status, b""))
            )
            + http.send(h11.Data(data=body))
            + http.send(h11.EndOfMessage())
        )
        if http.our_state is h11.MUST_CLOSE:
            self.transport.close()
        else:
            http.start_next_cycle()

    def _fail(self, status: int) -> None:
        """A request h11 could not read: answer it if HTTP still allows, then close."""
        assert self.transport is not None
        with contextlib.suppress(h11.LocalProtocolError):
            body = b'{"error": "bad request"}'
            headers = [("Content-Length", str(len(body))), ("Connection", "close")]
            self.transport.write(
                self.http.send(h11.Response(status_code=status, headers=headers))
                + self.http.send(h11.Data(data=body))
                + self.http.send(h11.EndOfMessage())
            )
        self.transport.close()


class FakeGatewayServer:
    """Bound and listening once constructed (so `url` holds the real port even for port
    0); `start()` serves from a thread for tests in this process, `serve_forever()`
    serves on the calling thread (the command)."""

    # The default backlog of 5 resets connections when a dispatcher opens 32 at once.
    request_queue_size = 128

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = GatewayState()
        self._socket = socket.create_server((host, port), backlog=self.request_queue_size)
        self._socket.setblocking(False)
        self.server_address = self._socket.getsockname()
        self._connections: set[_Connection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    async def _serve(self, ready: threading.Event | None = None) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._stopping = asyncio.Event()
        server = await loop.create_server(lambda: _Connection(self), sock=self._socket)
        if ready is not None:
            ready.set()
        try:
            await self._stopping.wait()
        finally:
            server.close()
            for connection in list(self._connections):
                if connection.transport is not None:
                    connection.transport.abort()
            await server.wait_closed()

    def serve_forever(self) -> None:
        """Serves on this thread until `shutdown()`, SIGTERM or Ctrl-C."""

        async def serve() -> None:
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, self.shutdown)
            await self._serve()

        asyncio.run(serve())

    def start(self) -> FakeGatewayServer:
        """Serves from a background thread with its own event loop (for tests in this
        process); returns once it is accepting."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve(ready),), name="fake-gateway", daemon=True
        )
        self._thread.start()
        ready.wait(10)
        return self

    def shutdown(self) -> None:
        """Stops serving; safe from any thread and from a signal handler."""
        loop, stopping = self._loop, self._stopping
        if loop is None or stopping is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop is already gone
            loop.call_soon_threadsafe(stopping.set)

    def stop(self) -> None:
        self.shutdown()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self.server_close()

    def server_close(self) -> None:
        self._socket.close()

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
    print(f"fake SMS gateway listening on {server.url}", flush=True)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
