"""The supervisors' reads: what came back, and the returns per day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    select,
)
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AuditEvent,
    Province,
    Request,
    Subject,
    VerificationRound,
    Verifier,
)
from beian_desktop.rules.clock import day_start, shanghai_day
from beian_desktop.rules.read_models import DayStats, ReturnedRow, ReturnStats
from beian_desktop.rules.returns import named_verifiers
from beian_desktop.rules.validation import optional_day, whole_number
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.sql_helpers import check_limit
from beian_desktop.terms import RequestState, ReturnReason

MAX_STATS_DAYS = 366  # a year of days, one chart


def _shanghai_date_sql(session: Session, column: Any) -> ColumnElement[Any]:
    """The Asia/Shanghai calendar day of a stored UTC time, computed by the database.
    SQLite keeps naive UTC text; China has kept UTC+8 without daylight saving since
    1991, so the day is the date eight hours later."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column, "+8 hours")
    return func.date(func.timezone("Asia/Shanghai", column))


def names_in_returns(
    session: Session, reasons: Mapping[int, str | None]
) -> dict[int, tuple[str, ...]]:
    """Whom the return of each request names (request id -> the reason it came back
    for): the verifiers of its newest round left in the state that return gives them
    (rules/returns.py), in their order. Two indexed reads, whatever the number."""
    if not reasons:
        return {}
    newest = (
        select(func.max(VerificationRound.id))
        .where(VerificationRound.request_id.in_(list(reasons)))
        .group_by(VerificationRound.request_id)
    )
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for request_id, state, name in session.execute(
        select(VerificationRound.request_id, Verifier.state, Verifier.name)
        .join(Verifier, Verifier.round_id == VerificationRound.id)
        .where(VerificationRound.id.in_(newest))
        .order_by(Verifier.id)
    ):
        found[request_id].append((state, name))
    return {
        request_id: named_verifiers(reasons[request_id], verifiers)
        for request_id, verifiers in found.items()
    }


class ReturnQueries:
    """What came back to the ISP, and why."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> date:
        return shanghai_day(self.ctx.now())

    # -- supervisors -----------------------------------------------------------------------
    def returned_filings(
        self, *, session: str, since: date | None = None, limit: int = 500
    ) -> list[ReturnedRow]:
        """Requests now returned to the ISP, the latest returned first. `since` is an
        Asia/Shanghai day."""
        limit = check_limit(limit)
        query = (
            select(
                Request.id,
                Subject.holder_name,
                Request.business_type,
                Request.state_changed_at,
                Request.return_reason,
                Province.name_zh,
            )
            .join(Subject, Subject.id == Request.subject_id)
            .join(Province, Province.code == Request.province_code)
            .where(Request.state == RequestState.RETURNED)
            .order_by(Request.state_changed_at.desc(), Request.id.desc())
            .limit(limit)
        )
        since = optional_day("since", since)
        if since is not None:
            query = query.where(Request.state_changed_at >= day_start(since))
        with self.ctx.acting(session, "queries.returned_filings", read=True) as act:
            db = act.db
            rows = db.execute(query).all()
            named = names_in_returns(db, {r.id: r.return_reason for r in rows})
            return [
                ReturnedRow(
                    request_id=r.id,
                    subject_name=r.holder_name,
                    business_type=r.business_type,
                    returned_at=r.state_changed_at,
                    reason=r.return_reason,
                    verifier_names=named.get(r.id, ()),
                    province_name=r.name_zh,
                )
                for r in rows
            ]

    def return_stats(self, *, session: str, days: int = 30) -> ReturnStats:
        """Returns per reason and passed / ended rounds per Asia/Shanghai day, over the
        `days` days ending today. Read from the audit trail: a round ends exactly once,
        as `verification_passed` or `returned`."""
        days = whole_number("days", days, 1, MAX_STATS_DAYS)
        last_day = self._today()
        first_day = last_day - timedelta(days=days - 1)
        reasons = [r.value for r in ReturnReason]
        returns: dict[date, dict[str, int]] = {
            first_day + timedelta(days=i): dict.fromkeys(reasons, 0) for i in range(days)
        }
        passed: dict[date, int] = dict.fromkeys(returns, 0)
        with self.ctx.acting(session, "queries.return_stats", read=True) as act:
            db = act.db
            day = _shanghai_date_sql(db, AuditEvent.at)
            reason = AuditEvent.details["reason"].as_string()
            counted = db.execute(
                select(day, AuditEvent.action, reason, func.count())
                .where(
                    AuditEvent.action.in_(["returned", "verification_passed"]),
                    AuditEvent.at >= day_start(first_day),
                    AuditEvent.at < day_start(last_day + timedelta(days=1)),
                )
                .group_by(day, AuditEvent.action, reason)
            ).all()
        for when, action, why, n in counted:
            when = when if isinstance(when, date) else date.fromisoformat(str(when))
            if when not in returns:
                continue
            if action == "verification_passed":
                passed[when] += n
            else:
                returns[when][why or ""] = returns[when].get(why or "", 0) + n
        day_stats = tuple(
            DayStats(
                day=day,
                returns=counts,
                passed_rounds=passed[day],
                ended_rounds=passed[day] + sum(counts.values()),
            )
            for day, counts in returns.items()
        )
        totals: dict[str, int] = dict.fromkeys(reasons, 0)
        for d in day_stats:
            for reason, n in d.returns.items():
                totals[reason] = totals.get(reason, 0) + n
        return ReturnStats(first_day, last_day, day_stats, totals)
