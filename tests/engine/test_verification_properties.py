"""Properties of SMS verification (SPEC §3-§5), over the real engine on SQLite.

Hypothesis draws filings (people sharing phones within and across requests) and
sequences of what people and staff do: wrong codes, right codes with someone else's
ID digits, stale codes, resends, the clock moving on, right checks, resubmissions.
Every example gets its own database, copied from the migrated template, so examples
never see each other's rows.

A small model of SPEC §5 runs beside the engine: for every check it predicts the
answer and which verifiers' counters and states change, so a try that is free, counted
twice or counted against the wrong verifier shows up at the step that did it.
"""

from __future__ import annotations

import copy
import itertools
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from beian_desktop.models import (
    AuditEvent,
    OutboxMessage,
    Request,
    SmsIntent,
    Try,
    VerificationRound,
    Verifier,
    VerifierRole,
)
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import (
    CheckResult,
    RequestState,
    ResendRefusal,
    RoundState,
    SmsKind,
    VerifierState,
)

from factories import filing, phone, principal
from journeys import (
    CODE_IN_TEXT,
    latest_codes,
    request_state,
    send_first_sms,
    submit_filing,
    verifiers,
)
from staff import FAST_HASHER, session_for

START = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)  # as in conftest
POOL = (phone(1), phone(2, "unicom"), phone(3, "telecom"))  # small: people collide
NOBODYS_LAST6 = "ZZZZZZ"  # well-formed, matches no ID in these filings

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Many examples, each on a database of its own: 115 s seen on a loaded 2-core machine,
# past the default timeout (120 s), which is there for hangs.
PROPERTY_TIMEOUT = pytest.mark.timeout(600)

_example_numbers = itertools.count()


@contextmanager
def fresh_beian(template: Path, directory: Path, keys) -> Iterator[tuple[Beian, ManualClock]]:
    """A Beian on its own copy of the migrated template, with its own manual clock."""
    path = directory / f"example-{next(_example_numbers)}.sqlite3"
    shutil.copy(template, path)
    clock = ManualClock(START)
    app = Beian.open(
        database_url=f"sqlite:///{path}", keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
    )
    try:
        yield app, clock
    finally:
        app.close()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


# -- what the database says ------------------------------------------------------------
@dataclass
class VerifierView:
    id: int
    round_id: int
    phone: str
    state: str
    wrong_tries: int
    manual_resends: int
    last_send_at: datetime | None


@dataclass
class RoundView:
    id: int
    request_id: int
    number: int
    state: str
    quorum: str
    deadline: datetime | None
    first_sent_at: datetime | None


@dataclass
class World:
    verifiers: dict[int, VerifierView]
    rounds: dict[int, RoundView]
    requests: dict[int, str]
    wrong_try_rows: Counter[int]  # verifier id -> Try rows with result 'wrong'
    returned: Counter[tuple[int, int]]  # (request id, round number) -> 'returned' events
    passed: Counter[tuple[int, int]]  # (request id, round number) -> 'verification_passed'
    codes: dict[int, list[str]] = field(default_factory=dict)  # received, oldest first

    def round_of(self, verifier_id: int) -> RoundView:
        return self.rounds[self.verifiers[verifier_id].round_id]

    def verifiers_of(self, round_id: int) -> list[VerifierView]:
        return [v for v in self.verifiers.values() if v.round_id == round_id]

    def live(self, phone_number: str, now: datetime) -> list[VerifierView]:
        """Pending verifiers at the number in an open round before its deadline."""
        return sorted(
            (
                v
                for v in self.verifiers.values()
                if v.phone == phone_number
                and v.state == VerifierState.PENDING
                and self.round_of(v.id).state == RoundState.OPEN
                and self.round_of(v.id).deadline is not None
                and self.round_of(v.id).deadline > now
            ),
            key=lambda v: v.id,
        )

    def last_rounds(self) -> dict[int, RoundView]:
        latest: dict[int, RoundView] = {}
        for rnd in self.rounds.values():
            if rnd.request_id not in latest or rnd.number > latest[rnd.request_id].number:
                latest[rnd.request_id] = rnd
        return latest


def observe(app: Beian) -> World:
    with app.ctx.unit_of_work() as session:
        verifiers = {
            v.id: VerifierView(
                v.id, v.round_id, v.phone, v.state, v.wrong_tries, v.manual_resends, v.last_send_at
            )
            for v in session.scalars(select(Verifier))
        }
        rounds = {
            r.id: RoundView(
                r.id, r.request_id, r.number, r.state, r.quorum, r.deadline, r.first_sent_at
            )
            for r in session.scalars(select(VerificationRound))
        }
        requests = {r.id: r.state for r in session.scalars(select(Request))}
        wrong_try_rows = Counter(
            session.scalars(
                select(Try.verifier_id).where(
                    Try.result == CheckResult.WRONG, Try.verifier_id.is_not(None)
                )
            )
        )
        returned: Counter[tuple[int, int]] = Counter()
        passed: Counter[tuple[int, int]] = Counter()
        events = session.execute(
            select(AuditEvent.action, AuditEvent.request_id, AuditEvent.details).where(
                AuditEvent.action.in_(("returned", "verification_passed"))
            )
        )
        for action, request_id, details in events:
            target = returned if action == "returned" else passed
            target[(request_id, int(details["round"]))] += 1
        codes: dict[int, list[str]] = {}
        received = session.execute(
            select(SmsIntent.verifier_id, OutboxMessage.text_enc)
            .join(OutboxMessage, OutboxMessage.idempotency_key == SmsIntent.idempotency_key)
            .order_by(OutboxMessage.id)
        )
        for verifier_id, text_enc in received:
            match = CODE_IN_TEXT.search(app.ctx.keys.decrypt(text_enc))
            assert match
            codes.setdefault(verifier_id, []).append(match.group(1))
    return World(verifiers, rounds, requests, wrong_try_rows, returned, passed, codes)


def max_wrong_tries(app: Beian) -> int:
    with app.ctx.unit_of_work() as session:
        return load_policy(session).max_wrong_tries


# -- the people ------------------------------------------------------------------------
@dataclass
class Filed:
    """Who is in the filings: (request id, phone) -> the ID last-sixes at that phone."""

    last6: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    all_last6: set[str] = field(default_factory=set)
    phones_in_play: list[str] = field(default_factory=list)

    def valid_last6(self, world: World, verifier: VerifierView) -> list[str]:
        request_id = world.round_of(verifier.id).request_id
        return sorted(self.last6[(request_id, verifier.phone)])


def file_requests(app: Beian, clock: ManualClock, layout: list[tuple[int, list[int]]]) -> Filed:
    """Saves and submits one first filing per (subject phone, website phones) entry."""
    filed = Filed()
    for serial, (subject_phone, site_phones) in enumerate(layout, start=1):
        draft = filing(
            subject_phone=POOL[subject_phone],
            website_phones=[POOL[i] for i in site_phones],
            serial=serial,
        )
        request_id = app.filings.save_new_filing(session=session_for(app, "isp"), filing=draft)
        app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
        people = [draft.subject.principal] + [w.principal for w in draft.websites]
        for person in people:
            filed.last6.setdefault((request_id, person.mobile), set()).add(person.doc_number[-6:])
            filed.all_last6.add(person.doc_number[-6:])
            if person.mobile not in filed.phones_in_play:
                filed.phones_in_play.append(person.mobile)
    clock.advance(timedelta(minutes=5))
    app.tick()
    return filed


# -- the model of SPEC §3/§5 -----------------------------------------------------------
@dataclass
class Expected:
    result: CheckResult | None = None
    tries_left: int | None = None


def model_return(world: World, rnd: RoundView) -> None:
    if rnd.state != RoundState.OPEN:
        return
    rnd.state = RoundState.FAILED
    for v in world.verifiers_of(rnd.id):
        if v.state == VerifierState.PENDING:
            v.state = VerifierState.EXPIRED
    if world.requests[rnd.request_id] == RequestState.VERIFYING:
        world.requests[rnd.request_id] = RequestState.RETURNED
    world.returned[(rnd.request_id, rnd.number)] += 1


def model_wrong(world: World, targets: list[VerifierView], limit: int) -> Expected:
    left = []
    for target in targets:
        v = world.verifiers[target.id]
        v.wrong_tries += 1
        world.wrong_try_rows[v.id] += 1
        if v.wrong_tries >= limit:
            v.state = VerifierState.FAILED
            model_return(world, world.round_of(v.id))  # quorum all: the whole request
        left.append(max(limit - v.wrong_tries, 0))
    return Expected(CheckResult.WRONG, min(left))


def model_verify(world: World, verifier: VerifierView) -> Expected:
    v = world.verifiers[verifier.id]
    v.state = VerifierState.VERIFIED
    rnd = world.round_of(v.id)
    if all(o.state == VerifierState.VERIFIED for o in world.verifiers_of(rnd.id)):
        rnd.state = RoundState.PASSED
        world.requests[rnd.request_id] = RequestState.BUREAU_REVIEW
        world.passed[(rnd.request_id, rnd.number)] += 1
        return Expected(CheckResult.VERIFIED_REQUEST_COMPLETE)
    return Expected(CheckResult.VERIFIED_OTHERS_PENDING)


def model_check(
    world: World, filed: Filed, now: datetime, limit: int, number: str, code: str, last6: str
) -> Expected:
    """SPEC §5 as this implementation reads it, on a copy of the world."""
    for v in world.verifiers.values():
        if v.phone != number or code not in world.codes.get(v.id, []):
            continue
        rnd = world.round_of(v.id)
        current = world.codes[v.id][-1] == code and rnd.state == RoundState.OPEN
        if v.state == VerifierState.VERIFIED and rnd.state == RoundState.FAILED:
            continue  # a verified person's code from a returned round is just dead
        if v.state == VerifierState.VERIFIED:
            return Expected(CheckResult.ALREADY_VERIFIED)
        if current and v in world.live(number, now):
            if last6 in filed.valid_last6(world, v):
                return model_verify(world, v)
            return model_wrong(world, [v], limit)  # right code, wrong ID digits
    targets = world.live(number, now)
    if not targets:
        return Expected(CheckResult.NO_RECORD)
    return model_wrong(world, targets, limit)


def model_tick(world: World, now: datetime) -> None:
    for rnd in sorted(world.rounds.values(), key=lambda r: r.id):
        if rnd.state == RoundState.OPEN and rnd.deadline is not None and rnd.deadline <= now:
            model_return(world, rnd)


def projection(world: World) -> dict[str, object]:
    """What the model predicts: states and counters, not timestamps."""
    return {
        "verifiers": {i: (v.state, v.wrong_tries) for i, v in world.verifiers.items()},
        "rounds": {i: r.state for i, r in world.rounds.items()},
        "requests": dict(world.requests),
        "wrong_try_rows": +world.wrong_try_rows,
        "returned": +world.returned,
        "passed": +world.passed,
    }


# -- the actions -----------------------------------------------------------------------
KINDS = ("wrong", "wrong_id", "stale", "resend", "advance", "right", "resubmit")
action = st.tuples(
    st.sampled_from(KINDS), st.integers(0, 50), st.integers(0, 999_999), st.booleans()
)


def weighted_action(*extra: str) -> st.SearchStrategy[tuple[str, int, int, bool]]:
    return st.tuples(
        st.sampled_from((*KINDS, *extra)),
        st.integers(0, 50),
        st.integers(0, 999_999),
        st.booleans(),
    )


wrong_heavy_action = weighted_action("wrong", "wrong", "wrong_id", "stale", "resend")
right_heavy_action = weighted_action("right", "right", "right")
layouts = st.lists(
    st.tuples(st.integers(0, 2), st.lists(st.integers(0, 2), min_size=1, max_size=2)),
    min_size=1,
    max_size=2,
)


class Driver:
    """Runs actions; with `oracle`, checks every step against the model."""

    def __init__(self, app: Beian, clock: ManualClock, filed: Filed, *, oracle: bool) -> None:
        self.app, self.clock, self.filed, self.oracle = app, clock, filed, oracle
        self.limit = max_wrong_tries(app)
        self.steps: list[str] = []

    def check(self, number: str, code: str, last6: str) -> None:
        before = observe(self.app)
        model = copy.deepcopy(before)
        expected = model_check(model, self.filed, self.clock(), self.limit, number, code, last6)
        outcome = self.app.verification.check_code(
            session=session_for(self.app, "web"), code=code, phone=number, id_last6=last6
        )
        self.steps.append(f"check {number} {code} {last6} -> {outcome.result}")
        event(f"check: {outcome.result}")
        if self.oracle:
            after = observe(self.app)
            assert outcome.result == expected.result, self.steps
            if expected.tries_left is not None:
                assert outcome.tries_left == expected.tries_left, self.steps
            assert projection(after) == projection(model), self.steps

    def tick(self) -> None:
        model = copy.deepcopy(observe(self.app))
        model_tick(model, self.clock())
        self.app.tick()
        self.steps.append(f"tick at {self.clock()}")
        if self.oracle:
            assert projection(observe(self.app)) == projection(model), self.steps

    def resend(self, verifier: VerifierView, wrong_digits: bool) -> None:
        before = observe(self.app)
        now = self.clock()
        last6 = NOBODYS_LAST6 if wrong_digits else self.filed.valid_last6(before, verifier)[0]
        outcome = self.app.verification.resend_code(
            session=session_for(self.app, "web"), phone=verifier.phone, id_last6=last6
        )
        self.steps.append(f"resend {verifier.phone} {last6} -> {outcome.refusal}")
        event(f"resend: {outcome.refusal or 'sent'}")
        self.app.tick()  # the resent code goes out
        after = observe(self.app)
        cap = 2
        for vid, was in before.verifiers.items():
            now_v = after.verifiers[vid]
            assert (now_v.state, now_v.wrong_tries) == (was.state, was.wrong_tries), self.steps
            assert now_v.manual_resends <= cap, self.steps
        bumped = {
            vid
            for vid, was in before.verifiers.items()
            if after.verifiers[vid].manual_resends == was.manual_resends + 1
        }
        if not self.oracle:
            return
        # SPEC §4 as this implementation reads it
        rows = [
            v
            for v in before.verifiers.values()
            if v.phone == verifier.phone
            and v.state == VerifierState.PENDING
            and before.round_of(v.id).state == RoundState.OPEN
            and (before.round_of(v.id).deadline is None or before.round_of(v.id).deadline > now)
        ]
        mine = [v for v in rows if last6 in self.filed.valid_last6(before, v)]
        last = max((v.last_send_at for v in rows if v.last_send_at), default=None)
        allowed = {v.id for v in mine if v.manual_resends < cap}
        if not rows:
            expected = ResendRefusal.NOTHING_PENDING
        elif not mine:
            expected = ResendRefusal.WRONG_ID_DIGITS
        elif any(before.round_of(v.id).first_sent_at is None for v in mine):
            expected = ResendRefusal.NOT_SENT_YET
        elif last is not None and last + timedelta(seconds=60) > now:
            expected = ResendRefusal.TOO_SOON
        elif not allowed:
            expected = ResendRefusal.TOO_MANY
        else:
            expected = None
        assert outcome.refusal == expected, self.steps
        assert outcome.sent == (expected is None), self.steps
        assert bumped == (allowed if expected is None else set()), self.steps
        for vid in bumped:  # a new code reached the phone; the old one is now stale
            assert len(after.codes[vid]) == len(before.codes.get(vid, [])) + 1, self.steps

    def run(self, kind: str, index: int, number: int, flag: bool) -> None:
        world = observe(self.app)
        every = sorted(world.verifiers.values(), key=lambda v: v.id)
        verifier = every[index % len(every)]
        received = world.codes.get(verifier.id, [])
        if kind == "wrong":
            target = POOL[index % len(POOL)]
            sent = {c for v in every if v.phone == target for c in world.codes.get(v.id, [])}
            guess = next(
                f"{(number + k) % 1_000_000:06d}"
                for k in itertools.count()
                if f"{(number + k) % 1_000_000:06d}" not in sent
            )
            self.check(target, guess, self.filed.valid_last6(world, verifier)[0])
        elif kind == "wrong_id" and received:
            mine = set(self.filed.valid_last6(world, verifier))
            others = sorted(self.filed.all_last6 - mine)
            last6 = others[number % len(others)] if others and flag else NOBODYS_LAST6
            self.check(verifier.phone, received[-1], last6)
        elif kind == "stale" and len(received) > 1:
            code = received[number % (len(received) - 1)]
            self.check(verifier.phone, code, self.filed.valid_last6(world, verifier)[0])
        elif kind == "resend":
            # one to three requests in a row, so the cap is reached; 61 s apart, except
            # now and then a caller who asks again too early (30 s)
            for _ in range(1 + number % 3):
                too_early = flag and number % 4 == 1
                self.clock.advance(timedelta(seconds=30 if too_early else 61))
                self.tick()
                self.resend(verifier, wrong_digits=flag and number % 4 == 0)
        elif kind == "advance":
            self.clock.advance(timedelta(minutes=1 + number % 360))
            self.tick()
        elif kind == "right" and received:
            valid = self.filed.valid_last6(world, verifier)
            self.check(verifier.phone, received[-1], valid[number % len(valid)])
        elif kind == "resubmit":
            requests = sorted(world.requests)
            request_id = requests[index % len(requests)]
            if world.requests[request_id] == RequestState.RETURNED:
                self.app.submission.submit(
                    session=session_for(self.app, "isp"), request_id=request_id
                )
                self.steps.append(f"resubmit {request_id}")
                self.clock.advance(timedelta(minutes=5))
                self.tick()


def note_ending(world: World) -> None:
    """For --hypothesis-show-statistics: how far the examples got."""
    for state in sorted(set(world.requests.values())):
        event(f"ends with a request {state}")
    if any(r.number > 1 for r in world.rounds.values()):
        event("a request was resubmitted")


def assert_tries_within_limit(world: World, limit: int) -> None:
    for v in world.verifiers.values():
        assert 0 <= v.wrong_tries <= limit
        if v.wrong_tries == limit:
            assert v.state == VerifierState.FAILED
        assert world.wrong_try_rows[v.id] == v.wrong_tries


def assert_returned_at_most_once(world: World) -> None:
    for rnd in world.rounds.values():
        count = world.returned[(rnd.request_id, rnd.number)]
        assert count <= 1
        assert count == (1 if rnd.state == RoundState.FAILED else 0)


def assert_review_means_all_verified(world: World) -> None:
    for request_id, rnd in world.last_rounds().items():
        everyone = world.verifiers_of(rnd.id)
        all_verified = all(v.state == VerifierState.VERIFIED for v in everyone)
        if world.requests[request_id] == RequestState.BUREAU_REVIEW:
            assert rnd.quorum == "all"
            assert all_verified, [(v.phone, v.state) for v in everyone]
            assert rnd.state == RoundState.PASSED
            assert world.passed[(request_id, rnd.number)] == 1
        if all_verified:  # and the converse: nobody is left waiting once all verified
            assert world.requests[request_id] == RequestState.BUREAU_REVIEW
    for rnd in world.rounds.values():
        assert world.passed[(rnd.request_id, rnd.number)] == (
            1 if rnd.state == RoundState.PASSED else 0
        )


# -- a. wrong tries never exceed the limit ---------------------------------------------
@PROPERTY_TIMEOUT
@PROPERTY_SETTINGS
@given(layout=layouts, actions=st.lists(wrong_heavy_action, max_size=14))
def test_wrong_tries_never_exceed_the_limit_and_every_one_is_recorded(
    migrated_sqlite, tmp_path, keys, layout, actions
):
    with fresh_beian(migrated_sqlite, tmp_path, keys) as (app, clock):
        filed = file_requests(app, clock, layout)
        driver = Driver(app, clock, filed, oracle=True)
        limit = driver.limit
        assert limit == 3
        for step in actions:
            driver.run(*step)
            assert_tries_within_limit(observe(app), limit)
        note_ending(observe(app))


# -- b. a round returns at most once ---------------------------------------------------
def table_counts(app: Beian) -> dict[str, int]:
    with app.ctx.unit_of_work() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table))
            for table in (AuditEvent, OutboxMessage, SmsIntent, Try, VerificationRound, Verifier)
        } | {
            "intents_pending": session.scalar(
                select(func.count()).select_from(SmsIntent).where(SmsIntent.status == "pending")
            )
        }


@PROPERTY_TIMEOUT
@PROPERTY_SETTINGS
@given(
    layout=layouts,
    actions=st.lists(action, max_size=12),
    later=st.lists(st.integers(1, 30 * 60), min_size=1, max_size=3),
)
def test_a_round_returns_at_most_once_and_ticking_again_changes_nothing(
    migrated_sqlite, tmp_path, keys, layout, actions, later
):
    with fresh_beian(migrated_sqlite, tmp_path, keys) as (app, clock):
        filed = file_requests(app, clock, layout)
        driver = Driver(app, clock, filed, oracle=False)
        for step in actions:
            driver.run(*step)
            assert_returned_at_most_once(observe(app))
        note_ending(observe(app))
        # several ticks, in minutes, then past every deadline there can be
        for minutes in [*later, 25 * 60, 25 * 60]:
            clock.advance(timedelta(minutes=minutes))
            app.tick()
            app.tick()
            assert_returned_at_most_once(observe(app))
        settled = observe(app)
        assert all(r.state != RoundState.OPEN for r in settled.rounds.values())
        assert set(settled.requests.values()) <= {
            RequestState.RETURNED,
            RequestState.BUREAU_REVIEW,
        }
        counts = table_counts(app)
        report = app.tick()
        clock.advance(timedelta(days=3))
        later_report = app.tick()
        assert (report.expired, report.auto_resends, report.dispatch.sent) == (0, 0, 0)
        assert (later_report.expired, later_report.undeliverable) == (0, 0)
        assert table_counts(app) == counts
        assert projection(observe(app)) == projection(settled)


# -- c. a completed quorum-all request has every verifier verified ---------------------
@PROPERTY_TIMEOUT
@PROPERTY_SETTINGS
@given(layout=layouts, actions=st.lists(right_heavy_action, max_size=14))
def test_bureau_review_means_every_verifier_of_the_last_round_verified(
    migrated_sqlite, tmp_path, keys, layout, actions
):
    with fresh_beian(migrated_sqlite, tmp_path, keys) as (app, clock):
        filed = file_requests(app, clock, layout)
        driver = Driver(app, clock, filed, oracle=False)
        for step in actions:
            driver.run(*step)
            assert_review_means_all_verified(observe(app))
        note_ending(observe(app))
        # and the straight road: everyone still pending enters the right code
        world = observe(app)
        for rnd in world.last_rounds().values():
            for v in world.verifiers_of(rnd.id):
                if v.state == VerifierState.PENDING and world.codes.get(v.id):
                    driver.check(v.phone, world.codes[v.id][-1], filed.valid_last6(world, v)[0])
            assert_review_means_all_verified(observe(app))


# -- d. one SMS per distinct phone per round -------------------------------------------
@PROPERTY_TIMEOUT
@PROPERTY_SETTINGS
@given(
    subject_phone=st.integers(0, 2),
    site_phones=st.lists(st.integers(0, 2), min_size=1, max_size=5),
)
def test_one_sms_per_distinct_phone_in_a_request(
    migrated_sqlite, tmp_path, keys, subject_phone, site_phones
):
    with fresh_beian(migrated_sqlite, tmp_path, keys) as (app, clock):
        draft = filing(
            subject_phone=POOL[subject_phone], website_phones=[POOL[i] for i in site_phones]
        )
        request_id = app.filings.save_new_filing(session=session_for(app, "isp"), filing=draft)
        app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
        with app.ctx.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        clock.advance(timedelta(minutes=5))
        app.tick()
        people = [draft.subject.principal] + [w.principal for w in draft.websites]
        distinct = Counter(p.mobile for p in people)
        with app.ctx.unit_of_work() as session:
            verifiers = list(session.scalars(select(Verifier)))
            initial = Counter(
                session.scalars(select(SmsIntent.phone).where(SmsIntent.kind == SmsKind.INITIAL))
            )
            outbox = Counter(session.scalars(select(OutboxMessage.phone)))
            roles = Counter(
                session.scalars(
                    select(Verifier.phone).join(
                        VerifierRole, VerifierRole.verifier_id == Verifier.id
                    )
                )
            )
            other_intents = session.scalar(
                select(func.count()).select_from(SmsIntent).where(SmsIntent.kind != SmsKind.INITIAL)
            )
        assert len(verifiers) == len(distinct)
        assert sorted(v.phone for v in verifiers) == sorted(distinct)
        assert initial == dict.fromkeys(distinct, 1)
        assert outbox == dict.fromkeys(distinct, 1)
        assert other_intents == 0
        assert roles == distinct  # one verifier answers for every role at its phone
        # one code covers every role: the shared phone's code verifies them all at once
        world = observe(app)
        for v in world.verifiers.values():
            assert len(world.codes[v.id]) == 1
        by_phone = {p.mobile: p.doc_number[-6:] for p in people}
        outcomes = [
            app.verification.check_code(
                code=world.codes[v.id][0],
                phone=v.phone,
                id_last6=by_phone[v.phone],
                session=session_for(app, "web"),
            ).result
            for v in sorted(world.verifiers.values(), key=lambda v: v.id)
        ]
        assert outcomes[-1] == CheckResult.VERIFIED_REQUEST_COMPLETE
        assert all(r == CheckResult.VERIFIED_OTHERS_PENDING for r in outcomes[:-1])
        with app.ctx.unit_of_work() as session:
            assert session.get(Request, request_id).state == RequestState.BUREAU_REVIEW


# -- found while writing the properties above ----------------------------------------
def test_a_code_from_a_returned_round_does_not_answer_already_verified(app, clock):
    subject_phone, site_phone = phone(1), phone(2, "telecom")
    subject_last6 = principal(100).doc_number[-6:]
    request_id = submit_filing(app, subject_phone=subject_phone, website_phones=[site_phone])
    send_first_sms(app, clock)
    round_one_code = latest_codes(app)[subject_phone]
    first = app.verification.check_code(
        code=round_one_code,
        phone=subject_phone,
        id_last6=subject_last6,
        session=session_for(app, "web"),
    )
    assert first.result == CheckResult.VERIFIED_OTHERS_PENDING
    clock.advance(timedelta(hours=24))  # the website principal never verifies
    app.tick()
    assert request_state(app, request_id) == RequestState.RETURNED
    # a fresh round, new codes
    app.submission.submit(session=session_for(app, "isp"), request_id=request_id)
    send_first_sms(app, clock)
    assert latest_codes(app)[subject_phone] != round_one_code

    outcome = app.verification.check_code(
        code=round_one_code,
        phone=subject_phone,
        id_last6=subject_last6,
        session=session_for(app, "web"),
    )

    # round 2 still needs this person: "已经完成，无需重复提交" would send them away
    assert outcome.result != CheckResult.ALREADY_VERIFIED, outcome.message
    # the old code stopped working with its round, so it is a wrong try like any other
    assert outcome.result == CheckResult.WRONG
    subject_verifier, _ = verifiers(app, request_id)
    assert (subject_verifier.state, subject_verifier.wrong_tries) == (VerifierState.PENDING, 1)
