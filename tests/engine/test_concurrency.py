"""Several workstations at once (SPEC §5, §7): real threads, each with its own engine.

Every racer opens its own Beian on the same database (separate engines, separate
connection pools: separate workstations), warms its connection up, then waits at a
barrier so they all fire together. SQLite queues the writers (BEGIN IMMEDIATE and a
busy timeout); PostgreSQL runs them side by side. Either way the counters, the
returns and the sends must come out exactly as if the racers had taken turns.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import func, select, text

from beian_desktop.models import (
    AuditEvent,
    OutboxMessage,
    Request,
    SmsIntent,
    Try,
    VerificationRound,
    Verifier,
)
from beian_desktop.rules.clock import ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.terms import (
    CheckResult,
    RequestState,
    ResendRefusal,
    ReturnReason,
    RoundState,
    SmsKind,
    SmsStatus,
    VerifierState,
)

from factories import phone, principal
from journeys import (
    latest_codes,
    latest_round,
    returned_names,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import FAST_HASHER, session_for

RACERS = 8
T = TypeVar("T")


def race(
    database_url: str,
    keys: SecretKeys,
    clock: ManualClock,
    work: Callable[[Beian, int], T],
    racers: int = RACERS,
) -> list[T]:
    """Runs work(app_i, i) in `racers` threads at once; re-raises anything that failed."""
    apps = [
        Beian.open(
            database_url=database_url, keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
        )
        for _ in range(racers)
    ]
    for app in apps:  # connect before the start line, so the race is the work itself
        with app.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    barrier = threading.Barrier(racers)
    results: list[T | None] = [None] * racers
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(apps[i], i)
        except BaseException as problem:
            errors.append(problem)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "a racer hung"
    finally:
        for app in apps:
            app.close()
    if errors:  # e.g. "database is locked", a deadlock, a serialization failure
        raise errors[0]
    return results  # type: ignore[return-value]


def desks(app: Beian, racers: int = RACERS) -> list[str]:
    """One help desk session per racer, signed in before the start line: separate
    workstations, separate people."""
    return [session_for(app, f"desk-{i}") for i in range(racers)]


def count(app: Beian, query) -> int:
    with app.ctx.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(query.subquery()))


def audit_actions(app: Beian, request_id: int) -> Counter[str]:
    with app.ctx.unit_of_work() as session:
        return Counter(
            session.scalars(select(AuditEvent.action).where(AuditEvent.request_id == request_id))
        )


def last6(serial: int) -> str:
    return principal(serial).doc_number[-6:]


def wrong_codes(right: str, how_many: int) -> list[str]:
    return [f"{(int(right) + k) % 1_000_000:06d}" for k in range(1, how_many + 1)]


# -- wrong tries -------------------------------------------------------------------------
def test_racing_wrong_codes_never_get_more_than_three_tries(app, clock, database_url, keys):
    sessions = desks(app)
    # three requests in turn, so a race that only sometimes goes wrong has three chances
    for attempt in range(3):
        subject_phone = phone(10 + attempt)
        request_id = submit_filing(
            app,
            subject_phone=subject_phone,
            website_phones=[phone(20 + attempt, "telecom")],
            serial=attempt + 1,
        )
        send_first_sms(app, clock)
        guesses = wrong_codes(latest_codes(app)[subject_phone], RACERS)
        subject_last6 = last6((attempt + 1) * 100)

        results = race(
            database_url,
            keys,
            clock,
            lambda racer, i, guesses=guesses, number=subject_phone, digits=subject_last6: (
                racer.verification.check_code(
                    code=guesses[i], phone=number, id_last6=digits, session=sessions[i]
                )
            ),
        )

        subject_verifier, site_verifier = verifiers(app, request_id)
        assert subject_verifier.wrong_tries == 3
        assert subject_verifier.state == VerifierState.FAILED
        assert site_verifier.state == VerifierState.EXPIRED
        wrong_rows = count(
            app,
            select(Try.id).where(
                Try.verifier_id == subject_verifier.id, Try.result == CheckResult.WRONG
            ),
        )
        assert wrong_rows == 3, "every 'wrong' try recorded against it must have counted"
        assert Counter(r.result for r in results) == {
            CheckResult.WRONG: 3,
            CheckResult.NO_RECORD: RACERS - 3,  # the later ones find no live verifier
        }
        assert sorted(r.tries_left for r in results if r.result == CheckResult.WRONG) == [0, 1, 2]
        actions = audit_actions(app, request_id)
        assert actions["returned"] == 1
        assert actions["wrong_try"] == 3
        # every try is recorded, the late ones as finding nothing
        assert count(app, select(Try.id).where(Try.phone == subject_phone)) == RACERS
        with app.ctx.unit_of_work() as session:
            request = session.get(Request, request_id)
            assert request.state == RequestState.RETURNED
            assert request.return_reason == ReturnReason.TRIES_USED_UP
        assert returned_names(app, request_id) == (subject_verifier.name,)


def test_right_and_wrong_codes_racing_on_the_last_try_end_one_way(app, clock, database_url, keys):
    """Two tries used: the right code and wrong ones race; exactly one of them decides."""
    subject_phone, site_phone = phone(30), phone(31, "unicom")
    request_id = submit_filing(app, subject_phone=subject_phone, website_phones=[site_phone])
    send_first_sms(app, clock)
    codes = latest_codes(app)
    guesses = wrong_codes(codes[subject_phone], 2 + RACERS)
    for guess in guesses[:2]:
        app.verification.check_code(
            code=guess, phone=subject_phone, id_last6=last6(100), session=session_for(app, "web")
        )
    assert verifiers(app, request_id)[0].wrong_tries == 2
    sessions = desks(app)

    def work(racer: Beian, i: int):
        code = codes[subject_phone] if i % 2 == 0 else guesses[2 + i]
        return racer.verification.check_code(
            code=code, phone=subject_phone, id_last6=last6(100), session=sessions[i]
        )

    results = Counter(r.result for r in race(database_url, keys, clock, work))

    subject_verifier = verifiers(app, request_id)[0]
    wrong_rows = count(
        app,
        select(Try.id).where(
            Try.verifier_id == subject_verifier.id, Try.result == CheckResult.WRONG
        ),
    )
    assert wrong_rows == subject_verifier.wrong_tries
    actions = audit_actions(app, request_id)
    if subject_verifier.state == VerifierState.VERIFIED:
        assert subject_verifier.wrong_tries == 2
        assert results[CheckResult.VERIFIED_OTHERS_PENDING] == 1
        assert results[CheckResult.WRONG] == 0
        assert results[CheckResult.ALREADY_VERIFIED] == RACERS // 2 - 1
        assert actions["returned"] == 0
        assert verifiers(app, request_id)[1].state == VerifierState.PENDING
    else:
        assert subject_verifier.state == VerifierState.FAILED
        assert subject_verifier.wrong_tries == 3
        assert results[CheckResult.WRONG] == 1
        assert results[CheckResult.NO_RECORD] == RACERS - 1
        assert actions["returned"] == 1
        assert actions["verified"] == 0


# -- the deadline ------------------------------------------------------------------------
def test_racing_ticks_past_the_deadline_return_the_request_once(app, clock, database_url, keys):
    request_id = submit_filing(app, subject_phone=phone(40), website_phones=[phone(41)])
    send_first_sms(app, clock)
    deadline = latest_round(app, request_id).deadline
    clock.set(deadline + timedelta(seconds=1))

    reports = race(database_url, keys, clock, lambda racer, i: racer.tick())

    assert sum(report.expired for report in reports) == 1
    assert sum(report.undeliverable for report in reports) == 0
    assert audit_actions(app, request_id)["returned"] == 1
    rnd = latest_round(app, request_id)
    assert rnd.state == RoundState.FAILED
    assert rnd.ended_at == deadline + timedelta(seconds=1)
    assert {v.state for v in verifiers(app, request_id)} == {VerifierState.EXPIRED}
    with app.ctx.unit_of_work() as session:
        request = session.get(Request, request_id)
        assert request.state == RequestState.RETURNED
        assert request.return_reason == ReturnReason.EXPIRED
    # and nothing is left for a later tick to do twice
    report = app.tick()
    assert (report.expired, report.dispatch.sent) == (0, 0)
    assert audit_actions(app, request_id)["returned"] == 1


# -- the last two verifiers --------------------------------------------------------------
def test_racing_the_last_two_verifiers_sends_the_request_to_review_once(
    app, clock, database_url, keys
):
    subject_phone, first_site, second_site = phone(50), phone(51, "unicom"), phone(52, "telecom")
    request_id = submit_filing(
        app, subject_phone=subject_phone, website_phones=[first_site, second_site]
    )
    send_first_sms(app, clock)
    codes = latest_codes(app)
    outcome = app.verification.check_code(
        code=codes[subject_phone],
        phone=subject_phone,
        id_last6=last6(100),
        session=session_for(app, "web"),
    )
    assert outcome.result == CheckResult.VERIFIED_OTHERS_PENDING
    people = [(first_site, last6(101)), (second_site, last6(102))]
    sessions = desks(app)

    def work(racer: Beian, i: int):
        number, digits = people[i % 2]
        return racer.verification.check_code(
            code=codes[number], phone=number, id_last6=digits, session=sessions[i]
        )

    results = Counter(r.result for r in race(database_url, keys, clock, work))

    assert results == {
        CheckResult.VERIFIED_REQUEST_COMPLETE: 1,
        CheckResult.VERIFIED_OTHERS_PENDING: 1,
        CheckResult.ALREADY_VERIFIED: RACERS - 2,
    }
    actions = audit_actions(app, request_id)
    assert actions["verification_passed"] == 1
    assert actions["verified"] == 3
    assert actions["returned"] == 0
    assert latest_round(app, request_id).state == RoundState.PASSED
    assert {v.state for v in verifiers(app, request_id)} == {VerifierState.VERIFIED}
    with app.ctx.unit_of_work() as session:
        assert session.get(Request, request_id).state == RequestState.BUREAU_REVIEW


# -- sending -----------------------------------------------------------------------------
def test_racing_dispatchers_store_each_message_once(app, clock, database_url, keys):
    numbers = [phone(60), *(phone(61 + i, "unicom") for i in range(5))]
    request_id = submit_filing(app, subject_phone=numbers[0], website_phones=numbers[1:])
    clock.advance(timedelta(minutes=5))  # due now; nobody has dispatched yet
    intents = count(app, select(SmsIntent.id))
    assert intents == len(numbers)

    reports = race(database_url, keys, clock, lambda racer, i: racer.dispatch(), racers=2)

    assert sum(report.sent for report in reports) == intents
    assert count(app, select(OutboxMessage.id)) == intents
    with app.ctx.unit_of_work() as session:
        keys_sent = Counter(session.scalars(select(OutboxMessage.idempotency_key)))
        rows = list(session.scalars(select(SmsIntent)))
        assert keys_sent == {row.idempotency_key: 1 for row in rows}
        assert {(row.status, row.attempts) for row in rows} == {(SmsStatus.SENT, 1)}
        rnd = session.scalar(
            select(VerificationRound).where(VerificationRound.request_id == request_id)
        )
        assert rnd.deadline == rnd.first_sent_at + timedelta(hours=24)
    assert audit_actions(app, request_id)["sms_sent"] == intents
    assert sorted(latest_codes(app)) == sorted(numbers)
    assert app.dispatch().sent == 0


# -- resends -----------------------------------------------------------------------------
def test_racing_manual_resends_to_one_number_send_once(app, clock, database_url, keys):
    number = phone(70)
    request_id = submit_filing(app, subject_phone=number, website_phones=[phone(71, "unicom")])
    send_first_sms(app, clock)
    first_code = latest_codes(app)[number]
    clock.advance(timedelta(seconds=61))
    sessions = desks(app)

    outcomes = race(
        database_url,
        keys,
        clock,
        lambda racer, i: racer.verification.resend_code(
            phone=number, id_last6=last6(100), session=sessions[i], on_behalf=True
        ),
    )

    assert sum(o.sent for o in outcomes) == 1
    assert Counter(o.refusal for o in outcomes if not o.sent) == {
        ResendRefusal.TOO_SOON: RACERS - 1  # 60 s between two sends to one number
    }
    subject_verifier = verifiers(app, request_id)[0]
    assert subject_verifier.manual_resends == 1
    assert count(app, select(SmsIntent.id).where(SmsIntent.kind == SmsKind.MANUAL_RESEND)) == 1
    app.tick()
    new_code = latest_codes(app)[number]
    assert new_code != first_code
    stale = app.verification.check_code(
        code=first_code, phone=number, id_last6=last6(100), session=session_for(app, "web")
    )
    assert stale.result == CheckResult.WRONG  # the old code stopped working
    fresh = app.verification.check_code(
        code=new_code, phone=number, id_last6=last6(100), session=session_for(app, "web")
    )
    assert fresh.result == CheckResult.VERIFIED_OTHERS_PENDING
    with app.ctx.unit_of_work() as session:
        assert session.get(Verifier, subject_verifier.id).wrong_tries == 1
