"""The fake gateway over raw sockets: what the product's tests and benchmark rely on.

One event loop serves every connection, so these check that nothing one connection
waits for (a slow answer) holds up another, and that answers on one kept-alive
connection stay in order. Nothing here measures time: a delayed answer is set far in
the future and the test ends before it is due.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

SLOW = 600  # seconds: the delayed answer is never awaited


def wait_for(condition, timeout=30.0):
    """Polls a condition; the bound is for a broken gateway, not a pace."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def post_bytes(path: str, body: dict, *, key: str, close: bool = False) -> bytes:
    raw = json.dumps(body).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: gateway\r\nidempotency-key: {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(raw)}\r\n"
        + ("Connection: close\r\n" if close else "")
        + "\r\n"
    )
    return head.encode() + raw


def read_answer(conn: socket.socket) -> tuple[int, dict]:
    """The next HTTP answer on the connection: its status and JSON body. Answers that
    arrived together stay buffered for the next call."""
    reader = READERS.setdefault(conn, conn.makefile("rb"))
    status = reader.readline()
    assert status, "closed with no answer"
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return int(status.split()[1]), json.loads(reader.read(length))


READERS: dict[socket.socket, object] = {}


@pytest.fixture
def connect(gateway):
    opened = []

    def open_connection() -> socket.socket:
        conn = socket.create_connection(gateway.server_address[:2], timeout=30)
        opened.append(conn)
        return conn

    yield open_connection
    for conn in opened:
        READERS.pop(conn, None)
        conn.close()


def test_a_slow_answer_does_not_hold_up_another_connection(gateway, connect):
    gateway.control(delay_seconds=SLOW)
    slow = connect()
    slow.sendall(post_bytes("/sms", {"phone": "1"}, key="slow"))
    assert wait_for(gateway.sends)  # read and recorded before the next one is sent
    gateway.control(delay_seconds=0)
    quick = connect()
    quick.sendall(post_bytes("/sms", {"phone": "2"}, key="quick"))
    assert read_answer(quick) == (200, {"code": "OK", "message_id": "fg-2", "status": "accepted"})
    slow.setblocking(False)
    with pytest.raises(BlockingIOError):  # still owed its answer
        slow.recv(1)
    assert [s["key"] for s in gateway.sends()] == ["slow", "quick"]


def test_answers_on_one_kept_alive_connection_come_in_order(gateway, connect):
    conn = connect()
    conn.sendall(
        post_bytes("/sms", {"n": 1}, key="a")
        + post_bytes("/sms", {"n": 2}, key="b")
        + post_bytes("/sms", {"n": 3}, key="a", close=True)
    )
    answers = [read_answer(conn) for _ in range(3)]
    assert [a[1]["message_id"] for a in answers] == ["fg-1", "fg-2", "fg-1"]
    assert conn.recv(1) == b""  # Connection: close was honoured
    sends = gateway.sends()
    assert [s["duplicate"] for s in sends] == [False, False, True]
    assert sends[0]["headers"]["idempotency-key"] == "a"  # names as the client spelt them


def test_a_dropped_request_closes_the_connection_without_an_answer(gateway, connect):
    gateway.control(drop_next=1)
    conn = connect()
    conn.sendall(post_bytes("/sms", {"phone": "1"}, key="k"))
    assert conn.recv(1) == b""
    assert [s["answer"] for s in gateway.sends()] == ["dropped"]


def test_control_reset_and_status_endpoints(gateway, connect):
    conn = connect()
    conn.sendall(post_bytes("/_control", {"reject_next": 1}, key=""))
    assert read_answer(conn)[1]["reject_next"] == 1
    conn.sendall(post_bytes("/sms", {"phone": "1"}, key="k"))
    assert read_answer(conn) == (400, {"code": "INVALID", "error": "number blocked"})
    conn.sendall(post_bytes("/sms", {"phone": "1"}, key="k"))
    assert read_answer(conn)[1]["message_id"] == "fg-1"
    conn.sendall(b"GET /status/fg-1 HTTP/1.1\r\nHost: gateway\r\n\r\n")
    assert read_answer(conn) == (200, {"message_id": "fg-1", "status": "delivered"})
    conn.sendall(b"GET /_requests HTTP/1.1\r\nHost: gateway\r\n\r\n")
    recorded = read_answer(conn)[1]
    assert [r["answer"] for r in recorded] == [400, 200]  # /_control is not a send
    conn.sendall(post_bytes("/_reset", {}, key=""))
    assert read_answer(conn) == (200, {"ok": True})
    assert gateway.sends() == [] and gateway.state.by_key == {}
    conn.sendall(b"GET /status/fg-1 HTTP/1.1\r\nHost: gateway\r\n\r\n")
    assert read_answer(conn)[0] == 404


def test_a_request_that_is_not_http_gets_400_and_a_closed_connection(gateway, connect):
    conn = connect()
    conn.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    assert read_answer(conn)[0] == 400
    assert conn.recv(1) == b""
