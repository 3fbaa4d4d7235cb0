"""Never lose, never double: real dispatcher processes, killed with SIGKILL.

Each pass runs as `beian-desktop tick --at T` in a child process against the fake
gateway over loopback. BEIAN_FAULT makes the child kill itself at a named point, the
way a power cut would, and a later pass (after the lease lapses) must finish the job
with the same idempotency key and the same code.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent, SmsIntent, VerificationRound, Verifier
from beian_desktop.rules.clock import ManualClock
from beian_desktop.services.beian import Beian

from defaults import START
from factories import phone
from journeys import submit_filing
from staff import FAST_HASHER

pytestmark = pytest.mark.timeout(400)  # up to three children, each bounded at 120 s

DUE = START + timedelta(minutes=5)
LEASE = timedelta(minutes=2)


@pytest.fixture
def filings_due(database_url, keys):
    """Three requests, five distinct phones, all SMS due at START + 5 min."""
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(START),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    submit_filing(app, subject_phone=phone(1), website_phones=[phone(2)])
    submit_filing(app, subject_phone=phone(3), website_phones=[phone(4)], serial=2)
    submit_filing(app, subject_phone=phone(5), website_phones=[phone(5)], serial=3)
    yield app
    app.close()


def tick_in_child(env, at, fault=None):
    child_env = dict(env, **({"BEIAN_FAULT": fault} if fault else {}))
    return subprocess.run(
        [sys.executable, "-m", "beian_desktop", "tick", "--at", at.isoformat()],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def intents(app):
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(SmsIntent).order_by(SmsIntent.id)))


def codes_by_key(gateway):
    seen = defaultdict(list)
    for send in gateway.sends():
        seen[send["key"]].append(send["body"]["params"]["code"])
    return seen


def test_killed_between_claim_and_send_the_intents_go_out_after_the_lease(
    filings_due, child_env, gateway
):
    died = tick_in_child(child_env, DUE, fault="after_claim")
    assert died.returncode == -9, died.stderr
    assert gateway.sends() == []
    assert {i.status for i in intents(filings_due)} == {"sending"}

    early = tick_in_child(child_env, DUE + LEASE - timedelta(seconds=1))
    assert early.returncode == 0, early.stderr
    assert gateway.sends() == []  # the lease is still held: nobody takes it over yet

    done = tick_in_child(child_env, DUE + LEASE)
    assert done.returncode == 0, done.stderr
    rows = intents(filings_due)
    assert {i.status for i in rows} == {"sent"}
    assert sorted(codes_by_key(gateway)) == sorted(i.idempotency_key for i in rows)
    assert all(len(codes) == 1 for codes in codes_by_key(gateway).values())


def test_killed_between_send_and_record_the_retry_has_the_same_key_and_code(
    filings_due, child_env, gateway
):
    """Killed as the first answer comes back: only what was on the wire then (received
    by the gateway, not recorded) goes again, with its key and its code."""
    died = tick_in_child(child_env, DUE, fault="after_send")
    assert died.returncode == -9, died.stderr
    on_the_wire = {s["key"] for s in gateway.sends()}
    rows = intents(filings_due)
    assert on_the_wire and {i.status for i in rows} == {"sending"}  # nothing recorded

    done = tick_in_child(child_env, DUE + LEASE)
    assert done.returncode == 0, done.stderr
    rows = intents(filings_due)
    assert {i.status for i in rows} == {"sent"}
    by_key = codes_by_key(gateway)
    assert set(by_key) == {i.idempotency_key for i in rows}
    for key, codes in by_key.items():
        assert len(codes) == (2 if key in on_the_wire else 1) and len(set(codes)) == 1
    duplicates = [s for s in gateway.sends() if s["duplicate"]]
    assert len(duplicates) == len(on_the_wire)  # the gateway recognised every repeat


def test_killed_between_record_and_bookkeeping_the_next_pass_books_each_send_once(
    filings_due, child_env, gateway
):
    """Killed once the first outcomes are committed and before what the sends mean
    (the verifier's last send, the round's start, the timeline) is written: the next
    pass sends nothing again and books every send once, at the time it was sent."""
    died = tick_in_child(child_env, DUE, fault="after_record")
    assert died.returncode == -9, died.stderr
    sent = [i for i in intents(filings_due) if i.status == "sent"]
    assert sent and {i.bookkeeping_due for i in sent} == {True}
    assert all(i.sent_at == DUE for i in sent)

    later = DUE + LEASE + timedelta(minutes=1)
    done = tick_in_child(child_env, later)
    assert done.returncode == 0, done.stderr
    rows = intents(filings_due)
    assert {i.status for i in rows} == {"sent"} and {i.bookkeeping_due for i in rows} == {None}
    by_key = codes_by_key(gateway)
    assert all(len(by_key[i.idempotency_key]) == 1 for i in sent)  # recorded: never again
    with filings_due.ctx.unit_of_work() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "sms_sent")))
        verifiers = {v.id: v for v in session.scalars(select(Verifier))}
        rounds = list(session.scalars(select(VerificationRound)))
    by_intent = {e.details["intent_id"]: e for e in events}
    assert len(events) == len(by_intent) == len(rows)  # each send once in the timeline
    for intent in rows:
        assert by_intent[intent.id].at == intent.sent_at  # booked at its send, not later
        assert verifiers[intent.verifier_id].last_send_at == intent.sent_at
    sent_at = {i.id: i.sent_at for i in rows}
    for one in rounds:
        first = min(sent_at[i.id] for i in rows if verifiers[i.verifier_id].round_id == one.id)
        assert one.first_sent_at == first and one.deadline == first + timedelta(hours=24)


def test_two_dispatcher_processes_at_once_never_send_one_intent_twice(
    database_url, keys, child_env, gateway
):
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(START),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        for n in range(12):
            submit_filing(
                app,
                subject_phone=phone(100 + 2 * n),
                website_phones=[phone(101 + 2 * n)],
                serial=10 + n,
            )
        gateway.control(delay_seconds=0.02)  # keep both busy at the same time
        results = []
        threads = [
            threading.Thread(target=lambda: results.append(tick_in_child(child_env, DUE)))
            for _ in range(2)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        rows = intents(app)
        assert len(rows) == 24 and {i.status for i in rows} == {"sent"}
        keys_sent = [s["key"] for s in gateway.sends()]
        assert sorted(keys_sent) == sorted(i.idempotency_key for i in rows)  # each once
    finally:
        app.close()
