"""A realistic, living data set for the demo, screenshots and manual testing.

`fill_demo_data(app, clock)` plays about ten working days of an ISP's filing desk on
a new database, through the public services only (save, submit, tick, check a code
read back from the local outbox, resend, approve, reject), so every row obeys the
rules exactly as if people had entered it. It makes the demo accounts first
(accounts.py) and acts through their sign-ins, each act by a role that may do it, so
the timelines name real users. The reads it does (which subject a request made, which
numbers a round is waiting for) never write.

What it leaves, in six provinces and every business type: drafts, requests being
verified (some people done, some pending, all inside their 24 hours when it ends),
requests in bureau review, approved filings with ICP numbers, rejected ones with a
reason, and returned ones for each reason (expired, tries used up, undeliverable);
with wrong tries, help-desk resends on behalf of callers, the 12:00 automatic resends
and resubmissions along the way.

Time: the clock starts where it is and only moves forward; people work in office
hours (Asia/Shanghai), the bureau answers within a day or two, and the worker ticks
as it would. The first working day is the clock's day (the next one if it starts
after 15:00); the clock is left at 18:00 on the ninth day after it, where the
requests still being verified are inside their 24 hours. A caller that wants the data
to end near a given moment starts its ManualClock about nine and a half days before.

Only `random.Random(seed)` decides anything, so the same seed and size give the same
data (codes, message keys and sign-in tokens are random, as in the product, but
nothing depends on them; making the accounts draws nothing from the seed's stream).

This module is the entry point: the plan (how many of each outcome, starting on
which days), the run, and the summary. The reference data is in places.py, the
invented people and organisations in identities.py and makers.py, the clock, queue
and basic acts in desk.py, and what each request goes through in stories.py.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beian_desktop.demo.accounts import (
    DEMO_ACCOUNTS,
    DemoAccount,
    DemoSessions,
    create_demo_accounts,
)
from beian_desktop.demo.desk import DAYS, END_HOUR, DemoDesk
from beian_desktop.demo.stories import DemoStories, Host
from beian_desktop.models import Request, Resend, SmsIntent, Subject, Try, Website
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.senders import OutboxSender
from beian_desktop.terms import CheckResult, SmsKind, SmsStatus, SubjectNature

__all__ = ["DAYS", "END_HOUR", "DemoSummary", "fill_demo_data"]


# -- the summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """What the database holds afterwards (counted there, not remembered)."""

    seed: int
    size: int
    started_at: datetime
    ended_at: datetime
    requests: int
    by_state: dict[str, int]
    by_business_type: dict[str, int]
    by_return_reason: dict[str, int]
    by_province: dict[str, int]
    subjects_with_icp_number: int
    websites_with_icp_number: int
    sms_sent: int
    wrong_tries: int
    manual_resends: int
    resends_on_behalf: int
    auto_resends: int
    accounts: tuple[DemoAccount, ...]  # the accounts made, passwords and all
    # Requests that did not end where their story meant them to (policy changed from
    # the defaults, say); empty on a fresh database.
    off_plan: tuple[str, ...] = ()

    def describe(self) -> str:
        def counts(d: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))

        lines = [
            f"demo data (seed {self.seed}, size {self.size}): {self.requests} requests, "
            f"{self.started_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} to "
            f"{self.ended_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} Asia/Shanghai",
            f"  by state:         {counts(self.by_state)}",
            f"  by business type: {counts(self.by_business_type)}",
            f"  returned because: {counts(self.by_return_reason)}",
            f"  by province:      {counts(self.by_province)}",
            f"  ICP numbers:      {self.subjects_with_icp_number} subjects, "
            f"{self.websites_with_icp_number} websites",
            f"  SMS sent {self.sms_sent}, wrong tries {self.wrong_tries}, manual resends "
            f"{self.manual_resends} ({self.resends_on_behalf} by staff for callers), "
            f"12:00 resends {self.auto_resends}",
            f"  accounts:         {', '.join(a.username for a in self.accounts)}",
        ]
        if self.off_plan:
            lines.append(f"  off plan: {'; '.join(self.off_plan)}")
        return "\n".join(lines)


def _summarize(desk: DemoDesk, seed: int, size: int, started_at: datetime) -> DemoSummary:
    """Counts what the database holds, and which requests ended off their plan."""

    def q(session: Session) -> DemoSummary:
        rows = session.execute(
            select(Request.id, Request.state, Request.business_type, Request.return_reason,
                   Request.province_code)
        ).all()  # fmt: skip
        off_plan = []
        for rid, state, _, reason, _ in rows:
            want = desk.expect.get(rid)
            if want is None:
                off_plan.append(f"#{rid} was not planned")
            elif want.state != state or (want.reason and want.reason != reason):
                got = f"{state}/{reason}" if reason else state
                off_plan.append(f"#{rid} {want.label} ended {got}")

        def count(model, *where) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        return DemoSummary(
            seed=seed,
            size=size,
            started_at=started_at,
            ended_at=desk.clock.now,
            requests=len(rows),
            by_state=dict(Counter(r.state for r in rows)),
            by_business_type=dict(Counter(r.business_type for r in rows)),
            by_return_reason=dict(Counter(r.return_reason for r in rows if r.return_reason)),
            by_province=dict(Counter(r.province_code for r in rows)),
            subjects_with_icp_number=count(Subject, Subject.icp_number.is_not(None)),
            websites_with_icp_number=count(Website, Website.icp_number.is_not(None)),
            sms_sent=count(SmsIntent, SmsIntent.status == SmsStatus.SENT),
            wrong_tries=count(Try, Try.result == CheckResult.WRONG),
            manual_resends=count(Resend, Resend.kind == SmsKind.MANUAL_RESEND),
            resends_on_behalf=count(Resend, Resend.on_behalf.is_(True)),
            auto_resends=count(Resend, Resend.kind == SmsKind.AUTO_RESEND),
            accounts=DEMO_ACCOUNTS,
            off_plan=tuple(off_plan),
        )

    return desk.read(q)


# -- the plan --------------------------------------------------------------------------------

FIRST_WEIGHTS = {
    "approved": 34,
    "review": 12,
    "verifying_some": 7,
    "verifying_none": 8,
    "expired": 6,
    "tries": 4,
    "undeliverable": 2,
    "rejected": 6,
    "resubmitted": 5,
    "draft": 10,
}
# (earliest day, latest day) each outcome may start on
FIRST_DAYS = {
    "host": (0, 2),
    "approved": (0, DAYS - 3),
    "rejected": (0, DAYS - 3),
    "review": (DAYS - 3, DAYS),
    "verifying_some": (DAYS, DAYS),
    "verifying_none": (DAYS, DAYS),
    "expired": (0, DAYS - 2),
    "tries": (0, DAYS - 1),
    "undeliverable": (0, DAYS - 2),
    "resubmitted": (0, DAYS - 5),
    "draft": (0, DAYS),
}
EARLY_BASE = [
    ("new_website", "approved"),
    ("change_subject", "approved"),
    ("change_phone", "approved"),
    ("cancel_website", "approved"),
]
LATE_BASE = [
    ("new_access", "verifying"),
    ("change_remarks", "review"),
    ("cancel_access", "verifying"),
    ("cancel_subject", "verifying"),
]
EARLY_KINDS = ("new_website", "new_access", "change_subject", "change_website", "change_phone",
               "cancel_website", "cancel_access", "change_remarks")  # fmt: skip
LATE_KINDS = (*EARLY_KINDS, "cancel_subject")
EARLY_OUTCOMES = {"approved": 65, "rejected": 15, "expired": 20}
LATE_OUTCOMES = {"verifying": 40, "review": 30, "draft": 15, "approved": 15}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _base(size: int) -> list[str]:
    """The outcomes every data set shows; ValueError if `size` leaves no room for them."""
    hosts = max(len(EARLY_BASE), round(size * 0.2))
    base = ["host"] * hosts + [
        "approved", "rejected", "review", "review", "verifying_some", "verifying_none",
        "verifying_none", "expired", "tries", "undeliverable", "resubmitted", "draft", "draft",
    ]  # fmt: skip
    if size < len(base):
        raise ValueError(f"size must be at least {len(base)} to show every state")
    return base


def _plan(desk: DemoStories, size: int) -> None:
    rng = desk.rng
    base = _base(size)
    outcomes = base + [_pick(rng, FIRST_WEIGHTS) for _ in range(size - len(base))]
    host_index = 0
    for outcome in outcomes:
        lo, hi = FIRST_DAYS[outcome]
        day = rng.randint(lo, hi)
        host = None
        if outcome == "host":
            host = Host(desk.org(desk.province(), SubjectNature.ENTERPRISE))
            if host_index < len(EARLY_BASE):
                host.early, host.late = EARLY_BASE[host_index], LATE_BASE[host_index]
            else:
                host.early = (rng.choice(EARLY_KINDS), _pick(rng, EARLY_OUTCOMES))
                host.late = (rng.choice(LATE_KINDS), _pick(rng, LATE_OUTCOMES))
            host.early_day = rng.randint(day + 3, DAYS - 3)
            host_index += 1
        desk.first_filing(outcome, day, host)


def fill_demo_data(app: Beian, clock: ManualClock, *, seed: int = 7, size: int = 60) -> DemoSummary:
    """Plays about ten days of filings on a new database; returns what it left.

    `size` is the number of first filings (at least 17, so every state shows); about
    half as many follow-up requests on the approved subjects come on top. The SMS
    must go to the local outbox (the default sender): that is where the people in
    the story read their codes. The database must have no users either: the demo
    accounts (DEMO_ACCOUNTS, in the summary) start with its first administrator.
    """
    if not isinstance(app.ctx.sender, OutboxSender):
        raise ValueError("fill_demo_data reads codes from the local outbox: use its sender")
    with app.ctx.unit_of_work() as session:
        if session.scalar(select(func.count()).select_from(Request)):
            raise ValueError("fill_demo_data needs a database without requests")
    if not app.users.needs_first_admin():
        raise ValueError("fill_demo_data needs a new database: this one has users")
    _base(size)  # refused before any account is made
    started_at = clock.now
    staff = DemoSessions(app, create_demo_accounts(app))
    admin = DEMO_ACCOUNTS[0].username
    rng = random.Random(seed)
    desk = DemoStories(app, clock, rng, app.settings.policy(session=staff.token(admin)), staff)
    try:
        _plan(desk, size)
        desk.run()
    finally:
        desk.restore_sender()
    return _summarize(desk, seed, size, started_at)
