"""The filings list sorted by a column (`FilingSort`: number, type, state, province,
subject name, submission time, deadline): pages by keyset on (value, id), ties
newest first, the requests without a value last in either direction.

A page is plain keyset queries with every filter in their WHERE: the requests with
a value after the cursor in the sort's order, then, while the page is not full,
those without one, newest first. State, business type and province sort by a short
list of values in an order of their own (a request's life, SPEC §2's table, the
province codes), which is no index's: one newest-first query per value, in that
order. The indexes each order needs: (submitted_at, id), subjects.holder_name with
requests.subject_id, the open rounds' (state, deadline, request_id), and the
id-ordered ranges per state, type and province; which one serves a query is the
database's choice (see filing_query), but for one case.

Sorted by submission or by name under a filter, SQLite (whose planner does not
weigh a LIMIT) reads the filter's index and sorts all its matches, which is right
for a few thousand and takes seconds for half a million (the approved requests by
name). So the plan is chosen here: a filter matching fewer than SIZE_CAP
requests has its matches sorted by the database (on PostgreSQL MATERIALIZED: its
planner, sure the matches are spread evenly, would walk the sort's order and find
them late, Guangdong's subjects named 广州... by name); a broader one walks the
sort's index, its entries checked against the filters in chunks, for at most
WALK_BUDGET entries a page before the matches are sorted after all (the broad
filter whose matches sit late in the order).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, String, literal, or_, select
from sqlalchemy.orm import Session

from beian_desktop.models import Province, Request, Subject, VerificationRound
from beian_desktop.models.portable_sql import in_ids
from beian_desktop.rules.read_models import FilingCursor, FilingSort, FilingSortColumn
from beian_desktop.services.reading.filing_query import FilingQuery
from beian_desktop.services.reading.sql_helpers import Unindexed, count_requests, first_n
from beian_desktop.terms import BusinessType, RequestState, RoundState

SIZE_CAP = 10_000  # a filter matching fewer requests has its matches sorted by the database
# Sort-index entries a filtered page walks before the filter's matches are sorted instead.
WALK_BUDGET = 20_000

_RANKED = {  # sorted by a short list of values: one id-ordered range per value
    FilingSortColumn.STATE: ("state", Request.state),
    FilingSortColumn.BUSINESS_TYPE: ("type", Request.business_type),
    FilingSortColumn.PROVINCE: ("province", Request.province_code),
}


# A request's running deadline: its open round's, once the first SMS went out.
# The sorts whose key no deleted request has (it was never submitted, had no round).
_NEVER_DELETED = frozenset({FilingSortColumn.SUBMITTED_AT, FilingSortColumn.DEADLINE})
_LIVE = (VerificationRound.state == RoundState.OPEN, VerificationRound.deadline.is_not(None))


class SortedQuery:
    """One filter and one sort other than newest first, read as pages in the order
    (value in the sort's direction, request id descending), the requests without a
    value last. Text compares as the database compares it (code points on SQLite and
    under PostgreSQL's C collation)."""

    def __init__(self, query: FilingQuery, sort: FilingSort) -> None:
        self.query = query
        self.sort = sort
        self.column = sort.column
        self.descending = sort.descending

    def page(self, session: Session, cursor: FilingCursor | None, n: int) -> list[tuple[int, Any]]:
        """(request id, sort value) of at most n rows after the cursor."""
        if self.column == FilingSortColumn.REQUEST_ID:
            return [(i, None) for i in self.by_number(session, cursor, n)]
        if self.column in _RANKED:
            return self.ranked(session, cursor, n)
        found: list[tuple[int, Any]] = []
        if cursor is None or cursor.value is not None:
            found = self.valued(session, cursor, n)
        if len(found) < n:
            after = cursor.request_id if cursor is not None and cursor.value is None else None
            found += [(i, None) for i in self.valueless(session, after, n - len(found))]
        return found

    def by_number(self, session: Session, cursor: FilingCursor | None, n: int) -> list[int]:
        query = select(Request.id).where(*self.query.where())
        if cursor is not None:
            last = cursor.request_id
            query = query.where(Request.id < last if self.descending else Request.id > last)
        order = Request.id.desc() if self.descending else Request.id.asc()
        return list(session.scalars(first_n(query.order_by(order), n)))

    # -- a column with a value per request ------------------------------------------------
    def valued(
        self, session: Session, cursor: FilingCursor | None, n: int
    ) -> list[tuple[int, Any]]:
        """The requests with a value, after the cursor, in the sort's order."""
        start = None if cursor is None else (cursor.value, cursor.request_id)
        filters = self.query.where()
        if self.query.everything() and self.column in _NEVER_DELETED:
            filters = []  # a deleted request was a draft: no submission, no round
        if self.query.everything() or self.column == FilingSortColumn.DEADLINE:
            # No filter but "not deleted", which nearly every row passes: the walk.
            # Open rounds are the requests being verified, a day's submissions or so:
            # their walk, the filters checked on the way, is short whatever they are.
            return [(i, v) for i, v in session.execute(self.walk(start, n, filters))]
        if count_requests(session, *filters, cap=SIZE_CAP) < SIZE_CAP:
            return self.bounded(session, start, n)
        found, complete = self.within_budget(session, start, n, filters)
        if not complete:
            last = start if not found else (found[-1][1], found[-1][0])
            found += self.bounded(session, last, n - len(found))
        return found

    def walk(
        self, start: tuple[Any, int] | None, n: int, filters: list[ColumnElement[bool]]
    ) -> Select[Any]:
        """The first n requests with a value after `start` (value, id) that pass the
        filters, walking the sort's index."""
        key: Any
        request_id: Any
        query: Select[Any]
        if self.column == FilingSortColumn.SUBMITTED_AT:
            key, request_id = Request.submitted_at, Request.id
            query = select(request_id, key).where(key.is_not(None), *filters)
        elif self.column == FilingSortColumn.SUBJECT_NAME:
            key, request_id = Subject.holder_name, Request.id
            query = (
                select(request_id, key)
                .join(Subject, Subject.id == Request.subject_id)
                .where(key > "", *filters)
            )
        else:  # the open round's deadline; its index holds the request id
            key, request_id = VerificationRound.deadline, VerificationRound.request_id
            query = select(request_id, key).where(*_LIVE)
            if filters:
                query = query.join(Request, Request.id == request_id).where(*filters)
        return first_n(self.ordered(query, key, request_id, start), n)

    def ordered(
        self, query: Select[Any], key: Any, request_id: Any, start: tuple[Any, int] | None
    ) -> Select[Any]:
        """The query after `start` (value, id), in (value in the sort's direction, id
        descending)."""
        if start is not None:
            at, last = start
            # The first half bounds the index range; the second drops the ties read.
            beyond = key < at if self.descending else key > at
            query = query.where(
                key <= at if self.descending else key >= at,
                or_(beyond, request_id < last),
            )
        order = key.desc() if self.descending else key.asc()
        return query.order_by(order, request_id.desc())

    def within_budget(
        self,
        session: Session,
        start: tuple[Any, int] | None,
        n: int,
        filters: list[ColumnElement[bool]],
    ) -> tuple[list[tuple[int, Any]], bool]:
        """The first n rows of the sort's walk that pass the filters, and whether that
        is all there is to read before the n-th (False: the budget ran out first).
        The walk is read in growing chunks whose ids are checked against the filters
        by primary key: a dense filter costs a chunk, a sparse one the budget."""
        found: list[tuple[int, Any]] = []
        budget = WALK_BUDGET
        chunk = min(4 * n, budget)
        while True:
            rows: list[tuple[int, Any]] = [
                (row[0], row[1]) for row in session.execute(self.walk(start, chunk, []))
            ]
            budget -= len(rows)
            if rows:
                walked = select(Request.id).where(in_ids(Request.id, "walked"), *filters)
                passed = set(session.scalars(walked, {"walked": [i for i, _ in rows]}))
                found += [row for row in rows if row[0] in passed][: n - len(found)]
            if len(found) == n or len(rows) < chunk:
                return found, True
            if budget == 0:
                return found, False
            start = rows[-1][1], rows[-1][0]
            chunk = min(2 * chunk, budget)

    def bounded(
        self, session: Session, start: tuple[Any, int] | None, n: int
    ) -> list[tuple[int, Any]]:
        """The requests with a value after `start` among the filter's matches, sorted
        by the database: the filter's index drives (the sort's column is kept off its
        index on SQLite, the matches MATERIALIZED on PostgreSQL)."""
        matches = select(Request.id, Request.subject_id, Request.submitted_at).where(
            *self.query.where()
        )
        bound = matches.cte("matches")
        if session.get_bind().dialect.name == "postgresql":
            bound = bound.prefix_with("MATERIALIZED")
        found = bound.c
        if self.column == FilingSortColumn.SUBMITTED_AT:
            key = Unindexed(found.submitted_at)
            query = select(found.id, found.submitted_at).where(key.is_not(None))
        else:
            key = Unindexed(Subject.holder_name)
            query = (
                select(found.id, Subject.holder_name)
                .join(Subject, Subject.id == found.subject_id)
                .where(key > "")
            )
        query = self.ordered(query.select_from(bound), key, Unindexed(found.id), start)
        return [(row[0], row[1]) for row in session.execute(first_n(query, n))]

    def valueless(self, session: Session, after: int | None, n: int) -> list[int]:
        """The requests without a value, newest first."""
        if self.column == FilingSortColumn.SUBMITTED_AT:
            none: ColumnElement[bool] = Request.submitted_at.is_(None)
        elif self.column == FilingSortColumn.SUBJECT_NAME:
            # Few: drafts saved before the name was typed, found by their subjects.
            none = Request.subject_id.in_(select(Subject.id).where(Subject.holder_name == ""))
        else:
            live = select(VerificationRound.id).where(
                VerificationRound.request_id == Request.id, *_LIVE
            )
            none = ~live.exists()
        query = select(Request.id).where(none, *self.query.where())
        if after is not None:
            query = query.where(Request.id < after)
        return list(session.scalars(first_n(query.order_by(Request.id.desc()), n)))

    # -- a column of a few values in an order of their own --------------------------------
    def values(self, session: Session) -> list[str]:
        """The column's values in ascending order."""
        if self.column == FilingSortColumn.PROVINCE:
            return list(session.scalars(select(Province.code).order_by(Province.code)))
        if self.column == FilingSortColumn.STATE:
            return [s.value for s in RequestState]
        return [t.value for t in BusinessType]

    def ranked(
        self, session: Session, cursor: FilingCursor | None, n: int
    ) -> list[tuple[int, Any]]:
        """One newest-first query per value, the values in the sort's order."""
        dimension, column = _RANKED[self.column]
        chosen = {
            "state": self.query.shown_states,  # deleted ones only when chosen
            "type": self.query.types,
            "province": self.query.provinces,
        }[dimension]
        every = self.values(session)
        values = [v for v in every if not chosen or v in chosen]
        if self.descending:
            values.reverse()
        after = None
        if cursor is not None:
            if cursor.value not in every:
                raise ValueError(f"not a cursor of this list: {cursor.value!r}")
            at = str(cursor.value)
            values = values[values.index(at) :] if at in values else []
            after = cursor.request_id
        filters = self.query.where(but=dimension)
        found: list[tuple[int, Any]] = []
        for value in values:
            query: Select[Any] = select(  # type: ignore[assignment]
                Request.id, literal(value, String)
            ).where(column == value, *filters)
            if after is not None:
                query = query.where(Request.id < after)
            query = first_n(query.order_by(Request.id.desc()), n - len(found))
            found += [(i, v) for i, v in session.execute(query)]
            if len(found) >= n:
                break
            after = None
        return found
