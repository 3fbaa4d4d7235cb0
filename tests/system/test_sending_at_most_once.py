"""At most once per intent (SPEC §4): real dispatcher processes killed with SIGKILL at
random points, two dispatchers against a slow endpoint, and a worker told to stop.

Each dispatcher is the `beian-desktop tick` or `worker` command (its `main`, forked from
a process that imported the app once: forked_commands.py). The fake gateway on loopback
counts what it received per intent, by idempotency key, whatever the database says:
like Aliyun's and Tencent's APIs, a repeat is a second SMS to a person. An intent may
reach it twice only if it was on the wire when its dispatcher was killed: received by
the gateway and not recorded as sent when the process died; a kill leaves at most the
endpoint's concurrency so.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent, SmsIntent
from beian_desktop.rules.clock import ManualClock, system_clock
from beian_desktop.services.beian import Beian

from defaults import START
from factories import phone
from forked_commands import ForkedCommands
from journeys import submit_filing
from staff import FAST_HASHER

CONCURRENCY = 4
LEASE = timedelta(minutes=2)  # the default lease; the pinned clocks step over it
KILLS = 25  # per database: 50 on SQLite and PostgreSQL together
SEED = 20261201


@pytest.fixture(scope="module")
def commands():
    forked = ForkedCommands()
    yield forked
    forked.close()


def endpoint_config(tmp_path, database_url, gateway, *, lease_seconds=120, timeout=10):
    config = tmp_path / "dispatch.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n\n'
        f'[sms]\nkind = "http"\nlease_seconds = {lease_seconds}\n\n'
        f'[sms.http]\nurl = "{gateway.url}/sms"\ntimeout_seconds = {timeout}\n'
        f'max_concurrency = {CONCURRENCY}\nsignature_header = "X-Signature"\n'
        f'signature_secret = "s3cret"\n',
        encoding="utf-8",
    )
    return config


@pytest.fixture
def env(child_env, tmp_path, database_url, gateway):
    return dict(child_env, BEIAN_CONFIG=str(endpoint_config(tmp_path, database_url, gateway)))


@pytest.fixture
def filings(database_url, keys):
    """Adds requests of two distinct phones each, all due at START + 5 min."""
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(START),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    made = [0]

    def add(count):
        for _ in range(count):
            n = made[0] = made[0] + 1
            submit_filing(
                app,
                subject_phone=phone(2 * n),
                website_phones=[phone(2 * n + 1)],
                serial=1000 + n,
            )

    add.app = app
    yield add
    app.close()


def intents(app):
    with app.ctx.unit_of_work() as session:
        return {i.idempotency_key: i.status for i in session.scalars(select(SmsIntent))}


def bookings(app):
    """Per intent: its `sms_sent` events, and whether its bookkeeping is still due."""
    with app.ctx.unit_of_work() as session:
        events = Counter(
            e.details["intent_id"]
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "sms_sent"))
        )
        marked = set(session.scalars(select(SmsIntent.id).where(SmsIntent.bookkeeping_due)))
        return events, marked


def deliveries(gateway):
    return Counter(send["key"] for send in gateway.sends())


class KillAt:
    """The gateway's hook: kills the dispatcher as its k-th SMS of this run arrives."""

    def __init__(self, k):
        self.k, self.seen, self.pid = k, 0, None

    def __call__(self, record):
        self.seen += 1
        if self.seen == self.k and self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)


@pytest.mark.timeout(600)
def test_dispatchers_killed_at_random_points_lose_nothing_and_double_only_what_was_on_the_wire(
    filings, env, gateway, commands, tmp_path, database_url
):
    rng = random.Random(f"{SEED}:{database_url.split(':')[0]}")  # other points on each
    gateway.control(delay_seconds=0.005)  # a few SMS on the wire at any moment
    at = START + timedelta(minutes=5)
    on_the_wire = Counter()  # per intent: kills that left it on the wire
    kills, runs, ways = 0, 0, Counter()
    while kills < KILLS:
        if sum(s == "pending" for s in intents(filings.app).values()) < 3 * CONCURRENCY:
            filings(10)
        runs += 1
        way = rng.choices(["kth_sms", "after_a_while", "after_claim"], [6, 3, 1])[0]
        run_env = dict(env, BEIAN_FAULT="after_claim") if way == "after_claim" else env
        hook = gateway.state.on_send = KillAt(rng.randint(1, 3 * CONCURRENCY))
        received_before = len(gateway.sends())
        pid = hook.pid = commands.start(["tick", "--at", at.isoformat()], run_env, tmp_path / "log")
        if way == "after_a_while":
            time.sleep(rng.uniform(0.0, 1.5))  # anywhere: starting, claiming, sending, recording
            os.kill(pid, signal.SIGKILL)
        status = commands.wait(pid)
        gateway.state.on_send = None
        at += LEASE  # the next run takes over what this one held
        if status == 0:
            continue  # it finished before its kill: a run, not a kill
        assert status == -signal.SIGKILL, (tmp_path / "log").read_text()
        kills += 1
        ways[way] += 1
        received = {s["key"] for s in gateway.sends()[received_before:]}
        status_now = intents(filings.app)
        wire = {key for key in received if status_now[key] != "sent"}
        assert len(wire) <= CONCURRENCY, f"kill {kills} ({way}) left {len(wire)} on the wire"
        on_the_wire.update(wire)

    last = commands.start(["tick", "--at", at.isoformat()], env, tmp_path / "log")
    assert commands.wait(last) == 0, (tmp_path / "log").read_text()
    status_now = intents(filings.app)
    delivered = deliveries(gateway)
    assert set(status_now.values()) == {"sent"}
    assert {key for key in status_now if delivered[key] == 0} == set()  # none lost
    doubled = {key: n for key, n in delivered.items() if n > 1}
    assert {k: n for k, n in doubled.items() if n - 1 > on_the_wire[k]} == {}
    bodies = defaultdict(set)
    for send in gateway.sends():
        bodies[send["key"]].add((repr(send["body"]), send["headers"].get("X-Signature")))
    assert all(len(tries) == 1 for tries in bodies.values())  # every try the same bytes
    events, marked = bookings(filings.app)
    assert marked == set() and set(events.values()) == {1}  # each send booked once
    assert sum(events.values()) == len(status_now)
    print(
        f"\n{runs + 1} runs, {kills} killed ({dict(ways)}), {len(status_now)} intents,"
        f" deliveries per intent {dict(sorted(Counter(delivered.values()).items()))},"
        f" {sum(on_the_wire.values())} on the wire at a kill"
    )


@pytest.mark.timeout(300)
def test_two_dispatchers_and_a_slow_endpoint_never_send_one_intent_twice(
    database_url, keys, child_env, gateway, commands, tmp_path
):
    """Each answer takes longer than the lease: only its renewal keeps the other
    dispatcher from taking the SMS over and sending them again."""
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(system_clock() - timedelta(minutes=10)),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        for n in range(6):
            submit_filing(app, subject_phone=phone(300 + 2 * n),
                          website_phones=[phone(301 + 2 * n)], serial=300 + n)  # fmt: skip
        expected = intents(app)
        gateway.control(delay_seconds=1.5)
        config = endpoint_config(tmp_path, database_url, gateway, lease_seconds=1, timeout=30)
        env = dict(child_env, BEIAN_CONFIG=str(config))
        workers = [
            commands.start(["worker", "--interval", "0.1"], env, tmp_path / f"worker{n}.log")
            for n in range(2)
        ]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and set(intents(app).values()) != {"sent"}:
                time.sleep(0.2)  # bounds the wait, does not pace it
        finally:  # a stopped worker finishes what is on the wire: a second try shows up
            for pid in workers:
                os.kill(pid, signal.SIGTERM)
        assert [commands.wait(pid, timeout=30) for pid in workers] == [0, 0]
        assert set(intents(app).values()) == {"sent"}
        delivered = deliveries(gateway)
        assert set(delivered) == set(expected)
        assert {key: n for key, n in delivered.items() if n > 1} == {}
        print(f"\n2 workers, {len(expected)} intents, deliveries per intent "
              f"{dict(Counter(delivered.values()))}")  # fmt: skip
    finally:
        app.close()


@pytest.mark.timeout(120)
def test_a_worker_told_to_stop_gives_back_what_is_in_flight_and_exits_within_10_s(
    database_url, keys, child_env, gateway, commands, tmp_path
):
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(system_clock() - timedelta(minutes=10)),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        for n in range(4):
            submit_filing(app, subject_phone=phone(500 + 2 * n),
                          website_phones=[phone(501 + 2 * n)], serial=500 + n)  # fmt: skip
        gateway.control(delay_seconds=60)  # nothing is answered before the stop
        config = endpoint_config(tmp_path, database_url, gateway, timeout=120)
        env = dict(child_env, BEIAN_CONFIG=str(config))
        arrived = threading.Event()
        gateway.state.on_send = lambda record: arrived.set()
        pid = commands.start(["worker", "--interval", "0.1"], env, tmp_path / "worker.log")
        assert arrived.wait(60), (tmp_path / "worker.log").read_text()
        told = time.monotonic()
        os.kill(pid, signal.SIGTERM)
        status = commands.wait(pid, timeout=10)
        took = time.monotonic() - told
        assert status == 0 and took < 10, ((tmp_path / "worker.log").read_text(), took)
        # Given back for the next dispatcher, not left under a lease nobody renews.
        assert set(intents(app).values()) == {"pending"}
    finally:
        gateway.state.on_send = None
        app.close()
