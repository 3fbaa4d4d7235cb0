"""Dispatch: SMS per second to the fake gateway over loopback, ours against raw loops.

The gateway runs in a process of its own (`beian_desktop.tools.fake_gateway`), as a
real endpoint would. Ours is `Dispatcher.run_once` with the `http` endpoint kind:
claim a batch with leases, render and send concurrently, record every outcome and
the round's first-send time, with its audit events. The baselines post the same
bodies at the same concurrency and record nothing: a bare httpx loop with one shared
client (the issue's baseline) and with a client per connection (see `_raw`), and a
bare aiohttp loop, the client ours sends with (`_raw_aiohttp`): what sending alone
costs us, the strongest baseline.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from functools import partial
from pathlib import Path

import aiohttp
import httpx

from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.sms_config import HttpEndpoint, SmsConfig
from bench.copies import bare_connection, bare_sql, stored_time, working_copy
from bench.generate import BENCH_KEYS, NOW, Prepared
from bench.measure import Figure

CONCURRENCY = 8  # the http endpoint's default max_concurrency; the gateway peaks near it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Gateway:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "beian_desktop.tools.fake_gateway", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                self.reset()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the fake gateway did not start")

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/_reset", data=b"{}", method="POST")
        urllib.request.urlopen(request, timeout=2).read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _due_now(url: str) -> int:
    """The open rounds' first SMS become due and unsent: what a busy morning queues."""
    conn = bare_connection(url)
    cursor = conn.cursor()
    rounds = "SELECT id FROM verification_rounds WHERE state = 'open'"
    cursor.execute(
        f"UPDATE verification_rounds SET first_sent_at = NULL, deadline = NULL WHERE id IN"
        f" ({rounds})"
    )
    cursor.execute(
        bare_sql(
            url,
            "UPDATE sms_intents SET status = 'pending', sent_at = NULL, delivery_status = NULL,"
            " attempts = 0, due_at = ? WHERE verifier_id IN"
            f" (SELECT id FROM verifiers WHERE round_id IN ({rounds}))",
        ),
        (stored_time(url, NOW - timedelta(minutes=5)),),
    )
    due = int(cursor.rowcount)
    conn.commit()
    conn.close()
    return due


async def _ours(app: Beian) -> tuple[int, float]:
    started = time.perf_counter()
    report = await app.dispatcher.run_once(NOW)
    seconds = time.perf_counter() - started
    await app.aclose_sender()
    return report.sent, seconds


async def _raw(url: str, bodies: list[tuple[str, bytes]], *, shared: bool) -> tuple[int, float]:
    """CONCURRENCY coroutines, each posting the next body as soon as its last is
    answered, to a URL parsed once (a gather of every post behind a semaphore is
    slower: its waiters are woken one by one).

    `shared`: one `AsyncClient` for all of them, as httpx's documentation and most code
    use it; the issue's baseline. Otherwise each coroutine has a client and connection
    of its own: the strongest raw httpx loop we found
    (httpcore's shared pool checks every connection on each request)."""
    target = httpx.URL(url)
    work = iter(bodies)
    sent = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent
        for key, body in work:
            response = await client.post(
                target,
                content=body,
                headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key},
            )
            sent += response.status_code == 200

    async with contextlib.AsyncExitStack() as stack:
        if shared:
            limits = httpx.Limits(max_connections=CONCURRENCY)
            client = await stack.enter_async_context(httpx.AsyncClient(limits=limits, timeout=10))
            clients = [client] * CONCURRENCY
        else:
            limits = httpx.Limits(max_connections=1)
            clients = [
                await stack.enter_async_context(httpx.AsyncClient(limits=limits, timeout=10))
                for _ in range(CONCURRENCY)
            ]
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for client in clients))
        return sent, time.perf_counter() - started


async def _raw_aiohttp(url: str, bodies: list[tuple[str, bytes]]) -> tuple[int, float]:
    """The same loop on one aiohttp session of CONCURRENCY connections, as ours sends."""
    work = iter(bodies)
    sent = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal sent
        for key, body in work:
            headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key}
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                sent += response.status == 200

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(CONCURRENCY)))
        return sent, time.perf_counter() - started


def _bodies(gateway_url: str) -> list[tuple[str, bytes]]:
    """What ours sent, as the gateway recorded it: the raw loop sends the same."""
    with urllib.request.urlopen(f"{gateway_url}/_requests", timeout=30) as answer:
        recorded = json.loads(answer.read())
    return [
        (r["key"] + "-raw", json.dumps(r["body"], ensure_ascii=False).encode())
        for r in recorded
        if r.get("path") == "/sms"
    ]


def run(made: Prepared) -> list[Figure]:
    # The suite's own objects (the live codes: 200,000 of them on the full run) are
    # put out of the collector's sight, so neither side pays to walk them again and
    # again: the dispatcher would in a worker that holds no such list.
    gc.collect()
    gc.freeze()
    gateway = _Gateway()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp,
            working_copy(made, Path(tmp), "dispatch") as url,
        ):
            due = _due_now(url)
            endpoint = HttpEndpoint(url=f"{gateway.url}/sms", max_concurrency=CONCURRENCY)
            app = Beian.open(
                database_url=url,
                keys=BENCH_KEYS,
                clock=lambda: NOW,
                sms=SmsConfig(kind="http", http=endpoint),
            )
            sent, seconds = asyncio.run(_ours(app))
            app.close()
        if sent != due:
            raise RuntimeError(f"{due} SMS were due, {sent} were sent")
        bodies = _bodies(gateway.url)
        raw = {}
        loops = {
            "httpx, one client": partial(_raw, shared=True),
            "httpx, a client per connection": partial(_raw, shared=False),
            "aiohttp": _raw_aiohttp,
        }
        for name, loop in loops.items():
            gateway.reset()
            raw_sent, raw_seconds = asyncio.run(loop(f"{gateway.url}/sms", bodies))
            if raw_sent != len(bodies):
                raise RuntimeError(f"the raw {name} loop sent {raw_sent} of {len(bodies)}")
            raw[name] = raw_sent / raw_seconds
    finally:
        gateway.stop()
        gc.unfreeze()
    on = ", PostgreSQL" if made.kind == "postgresql" else ""
    label = f"{sent:,} SMS, concurrency {CONCURRENCY}{on}"
    return [
        Figure("dispatch", label, sent / seconds, "SMS/s", raw["httpx, one client"],
               "raw httpx loop, one client", at_least=1000, ratio_at_least=0.8),
        Figure("dispatch", f"{label}, against httpx a client per connection", sent / seconds,
               "SMS/s", raw["httpx, a client per connection"],
               "raw httpx loop, a client per connection"),
        Figure("dispatch", f"{label}, against the raw loop of our own client", sent / seconds,
               "SMS/s", raw["aiohttp"], "raw aiohttp loop, one session"),
    ]  # fmt: skip
