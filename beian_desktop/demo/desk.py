"""The simulation's machinery: an event queue on the manual clock, office-hours time,
the reads it makes of the database, and the basic acts of the people in the story.

Everything goes through the public services (submit, check a code, resend, approve,
reject), so every row obeys the rules; the reads never write. Each act is done through
the sign-in of the demo account whose role does it (accounts.py): ISP staff enter and
submit, the help desk checks the codes callers read out and resends for them, the
bureau reviewers decide. The stories built from these acts are in stories.py.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.demo.accounts import BUREAU_DESKS, DemoSessions, usernames
from beian_desktop.demo.makers import DemoMakers
from beian_desktop.demo.places import REJECT_REASONS
from beian_desktop.models import Request, Subject, VerificationRound, Verifier
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.rules.policy import Policy
from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.senders import (
    SendFailed,
    SendReceipt,
    SmsMessage,
    SmsSender,
    read_outbox,
)
from beian_desktop.services.verification.verification_service import CheckOutcome
from beian_desktop.terms import CheckResult, RequestState, ReturnReason, UserRole, VerifierState

_T = TypeVar("_T")

DAYS = 9  # working days after the first; the last one is "today" when it ends
DAY_START, DAY_END = 9.0, 17.5  # office hours, Asia/Shanghai
END_HOUR = 18.0  # when the clock is left, on the last day
TICK_EVERY = timedelta(minutes=10)  # the worker also ticks this often while things happen
CODE_IN_TEXT = re.compile(r"核验码为(\d{6})")  # how a person reads the code off their SMS

# Who plays the story. The rng draws a clerk from three and a help desk from two, as it
# always has: another account of those roles would change every seed's data.
ISP_STAFF = usernames(UserRole.ISP_STAFF)
HELP_DESK = usernames(UserRole.HELP_DESK)
SUPERVISOR = usernames(UserRole.SUPERVISOR)[0]
BUREAU_REVIEWERS = usernames(UserRole.BUREAU_REVIEWER)
SHIFT_CHANGE = 13.0  # the help desk's first agent works the mornings, the second after


@dataclass
class Expect:
    """What a request's story means it to end as; the summary names those that did not."""

    label: str
    state: RequestState
    reason: ReturnReason | None = None


class _UnreachableNumbers:
    """An endpoint that cannot deliver to some numbers (and says try again later)."""

    def __init__(self, inner: SmsSender, phones: set[str]) -> None:
        self.inner = inner
        self.phones = phones

    def send(self, message: SmsMessage) -> SendReceipt:
        if message.phone in self.phones:
            raise SendFailed("网关返回：用户暂时无法接收短信（关机或停机）", retryable=True)
        receipt = self.inner.send(message)
        assert isinstance(receipt, SendReceipt)
        return receipt


def _tick() -> None:
    """An event that only lets the worker run."""


class DemoDesk(DemoMakers):
    """The simulation: an event queue on the manual clock, and the people in it."""

    def __init__(
        self,
        app: Beian,
        clock: ManualClock,
        rng: random.Random,
        policy: Policy,
        staff: DemoSessions,
    ) -> None:
        super().__init__(rng)
        self.app = app
        self.clock = clock
        self.policy = policy
        self.staff = staff
        self.queue: list[tuple[datetime, int, Callable[[], object]]] = []
        self.seq = itertools.count()
        self.expect: dict[int, Expect] = {}
        self.unreachable: set[str] = set()
        self.original_sender: SmsSender | None = None
        local = clock.now.astimezone(SHANGHAI)
        self.day0 = local.date() if local.hour < 15 else local.date() + timedelta(days=1)
        self.end = self.local(DAYS, END_HOUR)

    # -- time ------------------------------------------------------------------------------
    def local(self, day: int, hour: float) -> datetime:
        midnight = datetime.combine(self.day0 + timedelta(days=day), time(0), tzinfo=SHANGHAI)
        return midnight + timedelta(hours=hour)

    def office(self, day: int, lo: float = DAY_START, hi: float = DAY_END - 1) -> datetime:
        minutes = self.rng.randrange(int(lo * 60), int(hi * 60))
        return self.local(day, 0) + timedelta(minutes=minutes, seconds=self.rng.randrange(60))

    def day_of(self, moment: datetime) -> int:
        return (moment.astimezone(SHANGHAI).date() - self.day0).days

    def later(self, lo_minutes: float, hi_minutes: float) -> datetime:
        seconds = self.rng.randrange(int(lo_minutes * 60), int(hi_minutes * 60) + 1)
        return self.clock.now + timedelta(seconds=seconds)

    def next_office_time(self, *, min_hours: float = 0.5) -> datetime:
        """When the bureau gets to it: a while later, in office hours."""
        earliest = self.clock.now + timedelta(hours=min_hours)
        local = earliest.astimezone(SHANGHAI)
        day, hour = self.day_of(earliest), local.hour + local.minute / 60
        if hour >= DAY_END - 0.5:
            day, hour = day + 1, DAY_START
        hour = max(hour, DAY_START)
        return max(earliest, self.office(day, hour, min(hour + 3, DAY_END)))

    def at(self, when: datetime, action: Callable[[], object]) -> None:
        heapq.heappush(self.queue, (max(when, self.clock.now), next(self.seq), action))

    def run(self) -> None:
        """Like the worker: a tick whenever something is due (the sends after a submit
        or a resend, 12:00), and every few minutes of activity besides (expiries)."""
        for day in range(DAYS + 1):
            self.at(self.local(day, 12.0) + timedelta(seconds=30), _tick)
        last_tick = self.clock.now
        while self.queue and self.queue[0][0] <= self.end:
            when, _, action = heapq.heappop(self.queue)
            if when > self.clock.now:
                self.clock.set(when)
            if action is _tick or self.clock.now - last_tick >= TICK_EVERY:
                self.app.tick()
                last_tick = self.clock.now
            action()
        self.clock.set(max(self.end, self.clock.now))
        self.app.tick()

    def tick_soon(self, after: timedelta) -> None:
        self.at(self.clock.now + after, _tick)

    # -- reads (never writes) ---------------------------------------------------------------
    def read(self, fn: Callable[[Session], _T]) -> _T:
        with self.app.ctx.unit_of_work() as session:
            return fn(session)

    def state(self, rid: int) -> str:
        return self.read(lambda s: s.get_one(Request, rid).state)

    def verifiers(self, rid: int) -> list[tuple[int, str, str]]:
        """(id, phone, state) of the request's latest round, in order."""

        def q(session: Session) -> list[tuple[int, str, str]]:
            round_id = session.scalar(
                select(VerificationRound.id)
                .where(VerificationRound.request_id == rid)
                .order_by(VerificationRound.number.desc())
                .limit(1)
            )
            return [
                (v.id, v.phone, v.state)
                for v in session.scalars(
                    select(Verifier).where(Verifier.round_id == round_id).order_by(Verifier.id)
                )
            ]

        return self.read(q)

    def code_for(self, phone: str) -> str | None:
        """What the phone shows: the newest code it received."""

        def q(session: Session) -> str | None:
            entries = read_outbox(session, self.app.ctx.keys, phone=phone, limit=1)
            match = CODE_IN_TEXT.search(entries[0].text) if entries else None
            return match.group(1) if match else None

        return self.read(q)

    def subject_of(self, rid: int) -> int:
        return self.read(lambda s: s.get_one(Request, rid).subject_id)

    def sites(self, subject_id: int) -> list[tuple[int, int, str, bool, str]]:
        """(website id, principal id, principal mobile, has active access, service
        content) of the subject's active websites."""

        def q(session: Session) -> list[tuple[int, int, str, bool, str]]:
            subject = session.get_one(Subject, subject_id)
            return [
                (
                    w.id,
                    w.principal_id,
                    w.principal.mobile,
                    any(a.status == "active" for a in w.access_records),
                    w.service_content,
                )
                for w in subject.websites
                if w.status == "active"
            ]

        return self.read(q)

    def subject_principal(self, subject_id: int) -> tuple[int, str]:
        def q(session: Session) -> tuple[int, str]:
            subject = session.get_one(Subject, subject_id)
            return subject.principal_id, subject.principal.mobile

        return self.read(q)

    def request_website_ids(self, rid: int) -> list[int]:
        return self.read(
            lambda s: [link.website_id for link in s.get_one(Request, rid).website_links]
        )

    # -- who acts -----------------------------------------------------------------------------
    def clerk(self) -> str:
        """The session of whichever ISP clerk takes it."""
        return self.staff.token(self.rng.choice(ISP_STAFF))

    def agent_on_duty(self) -> str:
        """The help desk agent who answers a caller now: by shift, so that who takes a
        call draws nothing from the rng."""
        local = self.clock.now.astimezone(SHANGHAI)
        return HELP_DESK[0] if local.hour + local.minute / 60 < SHIFT_CHANGE else HELP_DESK[-1]

    def reviewer(self, province: str) -> str:
        """The session of the bureau reviewer who decides that province's requests."""
        return self.staff.token(BUREAU_DESKS.get(province, BUREAU_REVIEWERS[0]))

    # -- acts -------------------------------------------------------------------------------
    def submit(self, rid: int) -> RequestState:
        state = self.app.submission.submit(session=self.clerk(), request_id=rid)
        if state is RequestState.VERIFYING:
            self.tick_soon(self.policy.send_delay + timedelta(seconds=30))
        return state

    def check(
        self, rid: int, phone: str, *, code: str | None = None, last6: str | None = None
    ) -> CheckOutcome | None:
        """The person calls the help desk and reads out their code (this app has no web
        form: the verification desk types it in)."""
        person = self.people.get(phone)
        code = code or self.code_for(phone)
        if person is None or code is None or self.state(rid) != RequestState.VERIFYING:
            return None
        return self.app.verification.check_code(
            session=self.staff.token(self.agent_on_duty()),
            code=code,
            phone=phone,
            id_last6=last6 or person.last6,
        )

    def wrong_code(self, phone: str) -> str:
        real = self.code_for(phone) or "000000"
        return f"{(int(real) + self.rng.randrange(1, 999_999)) % 1_000_000:06d}"

    def wrong_last6(self, phone: str) -> str:
        real = self.people[phone].last6
        i = self.rng.randrange(6)
        digit = str((int(real[i]) + self.rng.randrange(1, 10)) % 10) if real[i].isdigit() else "0"
        return real[:i] + digit + real[i + 1 :]

    def helpdesk_resend(self, phone: str) -> str | None:
        """A caller says the SMS never came: staff resend on their behalf. The agent
        who sent it, or None if it was refused."""
        person = self.people[phone]
        agent = self.rng.choice(HELP_DESK)  # whoever picks up the phone
        outcome = self.app.verification.resend_code(
            session=self.staff.token(agent), phone=phone, id_last6=person.last6, on_behalf=True
        )
        if outcome.sent:
            self.tick_soon(timedelta(seconds=15))
        return agent if outcome.sent else None

    # -- verification behaviours ---------------------------------------------------------------
    def after_send(self, rid: int, then: Callable[[], None]) -> None:
        """Runs `then` once the round's first SMS went out (the send tick is queued)."""
        self.at(self.later(6, 9), then)

    def everyone_verifies(
        self, rid: int, on_done: Callable[[], None], *, late_ok: bool = True
    ) -> None:
        def start() -> None:
            for _, phone, state in self.verifiers(rid):
                if state == VerifierState.PENDING:
                    self.one_verifies(rid, phone, on_done, late_ok=late_ok)

        self.after_send(rid, start)

    def one_verifies(
        self, rid: int, phone: str, on_done: Callable[[], None], *, late_ok: bool
    ) -> None:
        def verify(**kwargs: str) -> Callable[[], None]:
            def act() -> None:
                outcome = self.check(rid, phone, **kwargs)
                if outcome and outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE:
                    on_done()

            return act

        style = self.rng.choices(
            ("prompt", "typo", "helpdesk", "late"), weights=(68, 14, 8, 10 if late_ok else 0)
        )[0]
        if style == "prompt":
            self.at(self.later(3, 180), verify())
        elif style == "typo":
            when = self.later(3, 120)
            if self.rng.random() < 0.5:
                self.at(when, lambda: self.check(rid, phone, code=self.wrong_code(phone)))
            else:
                self.at(when, lambda: self.check(rid, phone, last6=self.wrong_last6(phone)))
            self.at(when + timedelta(seconds=self.rng.randrange(40, 300)), verify())
        elif style == "helpdesk":
            when = self.later(60, 200)

            def call() -> None:
                if self.state(rid) != RequestState.VERIFYING:
                    return
                agent = self.helpdesk_resend(phone)
                if agent is not None:
                    self.at(self.later(2, 20), verify())
                    if self.rng.random() < 0.3:  # asks again at once: too soon, refused
                        self.at(self.later(0.2, 0.5), lambda: self.resend_again(phone, agent))

            self.at(when, call)
        else:  # the next day: after 12:00 with the automatic resend's code if there was one
            self.at(self.later(16 * 60, 22 * 60), verify())

    def resend_again(self, phone: str, agent: str) -> None:
        """The caller, still on the line, asks the same agent for another code."""
        self.app.verification.resend_code(
            session=self.staff.token(agent),
            phone=phone,
            id_last6=self.people[phone].last6,
            on_behalf=True,
        )

    def some_verify(
        self, rid: int, *, wrong_try: bool = False, resend: bool = False, first: bool = True
    ) -> None:
        """The first verifier does (unless `first` is false: with quorum "any" that
        would be enough), the others have not yet, or never will."""

        def start() -> None:
            pending = [p for _, p, s in self.verifiers(rid) if s == VerifierState.PENDING]
            if first and len(pending) > 1:
                self.at(self.later(3, 90), lambda: self.check(rid, pending[0]))
            rest = pending[1:] if len(pending) > 1 else pending
            if wrong_try and rest:
                self.at(
                    self.later(20, 100),
                    lambda: self.check(rid, rest[0], code=self.wrong_code(rest[0])),
                )
            if resend and rest:
                self.at(self.later(30, 120), lambda: self.helpdesk_resend(rest[-1]))

        self.after_send(rid, start)

    def tries_run_out(self, rid: int) -> None:
        """The last verifier keeps getting it wrong until the tries are used up."""

        def start() -> None:
            pending = [p for _, p, s in self.verifiers(rid) if s == VerifierState.PENDING]
            when = self.later(5, 60)
            for phone in pending[:-1]:
                self.at(when, functools.partial(self.check, rid, phone))
            loser = pending[-1]
            for _ in range(self.policy.max_wrong_tries):
                when += timedelta(seconds=self.rng.randrange(45, 600))
                if self.rng.random() < 0.5:
                    self.at(when, lambda: self.check(rid, loser, code=self.wrong_code(loser)))
                else:
                    self.at(when, lambda: self.check(rid, loser, last6=self.wrong_last6(loser)))

        self.after_send(rid, start)

    # -- the bureau -------------------------------------------------------------------------
    def bureau(
        self, rid: int, province: str, decision: str, then: Callable[[], None] | None = None
    ) -> Callable[[], None]:
        """Schedules the bureau's decision for when it gets to the request."""

        def scheduled() -> None:
            def decide() -> None:
                session = self.reviewer(province)
                if decision == "approve":
                    self.app.review.approve(session=session, request_id=rid)
                    if self.state(rid) == RequestState.VERIFYING:  # a change_phone's round
                        self.tick_soon(self.policy.send_delay + timedelta(seconds=30))
                else:
                    self.app.review.reject(
                        session=session, request_id=rid, reason=self.rng.choice(REJECT_REASONS)
                    )
                if then is not None:
                    then()

            self.at(self.next_office_time(), decide)

        return scheduled

    # -- undeliverable numbers ------------------------------------------------------------------
    def make_unreachable(self, phones: set[str]) -> None:
        if self.original_sender is None:
            self.original_sender = self.app.ctx.sender
            self.app.ctx.sender = _UnreachableNumbers(self.original_sender, self.unreachable)
        self.unreachable |= phones

    def check_unreachable(self, rid: int) -> None:
        """The round has ended as undeliverable by now: those numbers are done with."""
        self.app.tick()
        if self.state(rid) != RequestState.VERIFYING:
            for _, phone, _ in self.verifiers(rid):
                self.unreachable.discard(phone)
        if not self.unreachable:
            self.restore_sender()

    def restore_sender(self) -> None:
        if self.original_sender is not None:
            self.app.ctx.sender = self.original_sender
            self.original_sender = None
