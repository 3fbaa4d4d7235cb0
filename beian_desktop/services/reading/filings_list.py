"""The filings list and the bureau's queue, as pages of FilingRow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from beian_desktop.models import Province, Request, Subject, VerificationRound
from beian_desktop.rules.clock import shanghai_day
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    FilingCursor,
    FilingFilter,
    FilingPage,
    FilingRow,
    FilingSort,
)
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.filing_query import FilingQuery
from beian_desktop.services.reading.sorted_query import SortedQuery
from beian_desktop.services.reading.sql_helpers import check_limit
from beian_desktop.terms import RequestState, RoundState


def _cursor(after: object | None) -> int | None:
    if after is None:
        return None
    if isinstance(after, bool) or not isinstance(after, int):
        raise ValueError(f"not a cursor of this list: {after!r}")
    return after


def _sorted_cursor(after: object | None, sort: FilingSort) -> FilingCursor | None:
    if after is None:
        return None
    if (
        not isinstance(after, FilingCursor)
        or after.sort != sort
        or isinstance(after.request_id, bool)
        or not isinstance(after.request_id, int)
    ):
        raise ValueError(f"not a cursor of this list: {after!r}")
    return after


# The columns of a FilingRow, with the open round's deadline: built once (a statement
# is immutable, and building one was a tenth of a fast page).
_ROWS = (
    select(
        Request.id,
        Request.business_type,
        Request.state,
        Request.province_code,
        Province.name_zh,
        Subject.holder_name,
        Request.submitted_at,
        Request.created_at,
        Request.state_changed_at,
        VerificationRound.deadline,
    )
    .join(Subject, Subject.id == Request.subject_id)
    .join(Province, Province.code == Request.province_code)
    .outerjoin(
        VerificationRound,
        and_(
            VerificationRound.request_id == Request.id,
            VerificationRound.state == RoundState.OPEN,
        ),
    )
)


def _filing_row(r: Row[*tuple[Any, ...]]) -> FilingRow:
    return FilingRow(
        request_id=r.id,
        business_type=r.business_type,
        state=r.state,
        province_code=r.province_code,
        province_name=r.name_zh,
        subject_name=r.holder_name,
        submitted_at=r.submitted_at,
        deadline=r.deadline,
        created_at=r.created_at,
        state_changed_at=r.state_changed_at,
    )


def filing_rows(session: Session, ids: Sequence[int]) -> list[FilingRow]:
    """The rows of these requests in this order."""
    if not ids:
        return []
    found = {row.id: row for row in session.execute(_ROWS.where(Request.id.in_(ids)))}
    return [_filing_row(found[i]) for i in ids if i in found]


def page_rows(session: Session, page: Select[Any] | TextualSelect) -> list[FilingRow]:
    """The rows of a page of ids newest first (`FilingQuery.page_query`), read in the same
    statement as the ids: one round trip, and no list of a hundred ids bound back.
    The page's own rows are put in order here, not by an ORDER BY (which SQLite would
    answer with a sort of its own after the page's)."""
    ids = page.subquery("page")
    # One row a request, as filing_rows keeps (nothing but the services keeps a
    # request to one open round).
    rows = {row.id: row for row in session.execute(_ROWS.join(ids, ids.c.id == Request.id))}
    return [_filing_row(rows[i]) for i in sorted(rows, reverse=True)]


class FilingListQueries:
    """The filings list (keyset pages, any filter and sort) and the bureau's queue."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> date:
        return shanghai_day(self.ctx.now())

    # -- the filings list ----------------------------------------------------------------
    def list_filings(
        self,
        *,
        session: str,
        filter: FilingFilter,
        after: object | None = None,
        limit: int = 100,
        sort: FilingSort = NEWEST_FIRST,
    ) -> FilingPage:
        """Newest first, or in the order `sort` says (see FilingSort). `after` is the
        `next_cursor` of the page before: the last id newest first, else a FilingCursor
        of the same sort."""
        with self.ctx.acting(session, "queries.list_filings", read=True) as act:
            db = act.db
            limit = check_limit(limit)
            query = FilingQuery(self.ctx, filter, self._today())
            if sort == NEWEST_FIRST:
                rows = page_rows(db, query.page_query(db, _cursor(after), limit + 1))
                more = len(rows) > limit
                rows = rows[:limit]
                return FilingPage(tuple(rows), rows[-1].request_id if more else None)
            found = SortedQuery(query, sort).page(db, _sorted_cursor(after, sort), limit + 1)
            more = len(found) > limit
            found = found[:limit]
            rows = filing_rows(db, [request_id for request_id, _ in found])
        if not more:
            return FilingPage(tuple(rows), None)
        request_id, value = found[-1]
        return FilingPage(tuple(rows), FilingCursor(sort, value, request_id))

    def count_filings(self, *, session: str, filter: FilingFilter) -> int:
        """Exact (see filing_query.py for what it costs)."""
        with self.ctx.acting(session, "queries.count_filings", read=True) as act:
            return FilingQuery(self.ctx, filter, self._today()).count(act.db)

    def bureau_queue(self, *, session: str, limit: int = 500) -> list[FilingRow]:
        """Requests waiting for the bureau, the longest in review first (by the time
        they entered it, `state_changed_at`, not their submission)."""
        with self.ctx.acting(session, "queries.bureau_queue", read=True) as act:
            ids = list(
                act.db.scalars(
                    select(Request.id)
                    .where(Request.state == RequestState.BUREAU_REVIEW)
                    .order_by(Request.state_changed_at, Request.id)
                    .limit(check_limit(limit))
                )
            )
            return filing_rows(act.db, ids)
