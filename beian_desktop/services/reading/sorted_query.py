"""The filings list sorted by a column (`FilingSort`: number, type, state, province,
subject name, submission time, deadline): pages by keyset on (value, id), ties
newest first, the requests without a value last in either direction.

The smallest filter's own index range is read when it holds fewer than SIZE_CAP
requests (the database sorts those); otherwise the page walks the sort's own index,
so an unfiltered first page reads 100 index entries in order whatever the size of the
table. A filtered walk that reads WALK_BUDGET entries without filling its page hands
over to the filter's index (a province's subjects are named after its cities: sorted
by name, its matches sit late in the order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from beian_desktop.models import Province, Request, Subject, VerificationRound
from beian_desktop.rules.read_models import FilingCursor, FilingSort, FilingSortColumn
from beian_desktop.services.reading import filing_query
from beian_desktop.services.reading.filing_query import FilingQuery
from beian_desktop.services.reading.sql_helpers import Unindexed, among, first_n
from beian_desktop.terms import BusinessType, RequestState, RoundState

# How many entries of a sort's index a filtered walk reads for one page before the
# filter's own index takes over (a broad filter whose matches sit late in the order).
# A chunk of the walk is checked as an IN list: keep it under SQLite's 32766 variables.
WALK_BUDGET = 20_000


# -- the filings list, sorted by a column ----------------------------------------------
_RANKED = {  # sorted by a short list of values: one id-ordered index range per value
    FilingSortColumn.STATE: ("state", Request.state),
    FilingSortColumn.BUSINESS_TYPE: ("type", Request.business_type),
    FilingSortColumn.PROVINCE: ("province", Request.province_code),
}
_OPEN_ROUND = aliased(VerificationRound, name="open_round")


class SortedQuery:
    """One filter and one sort other than newest first, read as pages in the order
    (value in the sort's direction, request id descending), the requests without a
    value last.

    - When a filter matches fewer than SIZE_CAP requests on its own index, that index
      bounds the read: its matches (MATERIALIZED on PostgreSQL, whose planner would
      otherwise bet on finding them early in the sort's order) are sorted by the
      database after the cursor, top n.
    - Otherwise (no filter, or only broad ones) the page walks the sort's own index:
      (submitted_at, id); the open rounds' (state, deadline, request_id); the subjects'
      holder_name, each subject's requests by ix_requests_subject_id; for a state,
      type or province, one id-ordered range per value, in the sort's order. The
      requests without a value follow as a newest-first walk like the default list's.
      With filters, a walk reads at most WALK_BUDGET index entries for a page: when
      the matches sit late in the order (Guangdong's subjects named 广州..., sorted by
      name), the smallest filter's index bounds the rest of the page instead.
    Every plan gives the same order, so a cursor stays good when the plan changes from
    one page to the next. Text compares as the database compares it (code points on
    SQLite and under PostgreSQL's C collation)."""

    def __init__(self, query: FilingQuery, sort: FilingSort) -> None:
        self.query = query
        self.sort = sort
        self.column = sort.column
        self.descending = sort.descending
        self.values: list[str] = []  # a ranked column's values, smallest first

    def page(self, session: Session, cursor: FilingCursor | None, n: int) -> list[tuple[int, Any]]:
        """(request id, sort value) of at most n rows after the cursor."""
        if self.column == FilingSortColumn.PROVINCE:
            self.values = list(session.scalars(select(Province.code).order_by(Province.code)))
        elif self.column == FilingSortColumn.STATE:
            self.values = [s.value for s in RequestState]
        elif self.column == FilingSortColumn.BUSINESS_TYPE:
            self.values = [t.value for t in BusinessType]
        drivers = self.query.drivers()
        driver = None
        if drivers:
            sizes = {d: self.query.size(session, d) for d in drivers}
            driver = min(drivers, key=sizes.__getitem__)
            if sizes[driver] < filing_query.SIZE_CAP:
                return self.bounded(session, driver, cursor, n)
        if self.column == FilingSortColumn.REQUEST_ID:
            after = cursor.request_id if cursor is not None else None
            return [(i, None) for i in self.walk_ids(session, after, n)]
        if self.column in _RANKED:
            found, gave_up = self.walk_ranked(session, cursor, n)
        else:
            found, gave_up = self.walk_valued(session, cursor, n)
        if gave_up:
            assert driver is not None  # only a filtered walk has a budget
            last = cursor
            if found:
                request_id, value = found[-1]
                last = FilingCursor(self.sort, value, request_id)
            found += self.bounded(session, driver, last, n - len(found))
        return found

    # -- a bounded set, sorted by the database ---------------------------------------------
    def key(self, request: Any) -> tuple[Any, Any, ColumnElement[bool] | None]:
        """(the value read, the expression sorted on, what makes a row valueless) for
        the columns of `request` (the matches). The sort's columns are kept off the
        indexes on SQLite: the filter's index drives."""
        column = self.column
        if column == FilingSortColumn.REQUEST_ID:
            return request.id, Unindexed(request.id), None
        if column in _RANKED:
            value = getattr(request, _RANKED[column][1].key)
            ranks = {v: i for i, v in enumerate(self.values)}
            return value, case(ranks, value=Unindexed(value), else_=len(ranks)), None
        if column == FilingSortColumn.SUBMITTED_AT:
            key = Unindexed(request.submitted_at)
            return request.submitted_at, key, key.is_(None)
        if column == FilingSortColumn.SUBJECT_NAME:
            key = Unindexed(Subject.holder_name)
            return Subject.holder_name, key, key == ""
        key = Unindexed(_OPEN_ROUND.deadline)
        return _OPEN_ROUND.deadline, key, key.is_(None)

    def joined(self, query: Select[Any], request: Any) -> Select[Any]:
        if self.column == FilingSortColumn.SUBJECT_NAME:
            return query.join(Subject, Subject.id == request.subject_id)
        if self.column == FilingSortColumn.DEADLINE:
            live = and_(
                _OPEN_ROUND.request_id == request.id,
                Unindexed(_OPEN_ROUND.state) == RoundState.OPEN,
                Unindexed(_OPEN_ROUND.deadline).is_not(None),
            )
            return query.outerjoin(_OPEN_ROUND, live)
        return query

    def bounded(
        self, session: Session, driver: tuple[str, ...], cursor: FilingCursor | None, n: int
    ) -> list[tuple[int, Any]]:
        """The rows after the cursor among the driver's matches, sorted by the database.
        On PostgreSQL the matches (with the columns the sort reads) are MATERIALIZED:
        its planner, sure the matches are spread evenly, would otherwise walk the
        sort's order and find them late (Guangdong's subjects named 广州..., by name)."""
        columns = [
            Request.id,
            Request.subject_id,
            Request.submitted_at,
            Request.state,
            Request.business_type,
            Request.province_code,
        ]
        matches = select(*columns).where(
            *self.query.indexed(driver), *self.query.residuals(*driver)
        )
        bound = matches.cte("matches")
        if session.get_bind().dialect.name == "postgresql":
            bound = bound.prefix_with("MATERIALIZED")
        request = bound.c
        value, key, valueless = self.key(request)
        query = self.joined(select(request.id, value).select_from(bound), request)
        if cursor is not None:
            query = query.where(self.after(key, valueless, Unindexed(request.id), cursor))
        order: list[ColumnElement[Any]] = (
            [] if valueless is None else [case((valueless, 1), else_=0)]
        )
        order.append(key.desc() if self.descending else key.asc())
        if self.column != FilingSortColumn.REQUEST_ID:
            order.append(request.id.desc())
        found = session.execute(first_n(query.order_by(*order), n))
        if self.column == FilingSortColumn.SUBJECT_NAME:  # a blank name is no value
            return [(i, v or None) for i, v in found]
        return [(i, None if self.column == FilingSortColumn.REQUEST_ID else v) for i, v in found]

    def after(
        self,
        key: Any,
        valueless: ColumnElement[bool] | None,
        request_id: Any,
        cursor: FilingCursor,
    ) -> ColumnElement[bool]:
        """The rows that come after the cursor in this order."""
        last = cursor.request_id
        if self.column == FilingSortColumn.REQUEST_ID:
            return key < last if self.descending else key > last
        if valueless is not None and cursor.value is None:
            return and_(valueless, request_id < last)
        at: object = cursor.value
        if self.column in _RANKED:
            at = self.values.index(self.ranked(cursor.value))
        beyond = key < at if self.descending else key > at
        later = or_(beyond, and_(key == at, request_id < last))
        return later if valueless is None else or_(valueless, and_(~valueless, later))

    def ranked(self, value: object) -> str:
        if value not in self.values:
            raise ValueError(f"not a cursor of this list: {value!r}")
        return str(value)

    # -- the sort's own index ----------------------------------------------------------------
    def within_budget(
        self,
        session: Session,
        walk: Callable[[tuple[Any, int] | None, int], Select[Any]],
        covered: tuple[str, ...],
        n: int,
        budget: int,
    ) -> tuple[list[tuple[int, Any]], int]:
        """The first n rows of a walk that pass the filters it does not apply itself,
        and what is left of the budget (index entries): 0 when it ran out before n
        passed (the rest of the order is then still to be read). `walk(position, k)`:
        the next k (id, value) after a position, (value, id), in the sort's order.
        Unfiltered, that is the page; filtered, the walk is read in growing chunks
        whose ids are checked against the filters by primary key, until the page is
        full: a dense filter costs a chunk, a sparse one at most the budget."""
        filters = self.query.filters(*covered)
        if not filters:
            return [(i, v) for i, v in session.execute(walk(None, n))], budget
        found: list[tuple[int, Any]] = []
        position = None
        chunk = min(4 * n, budget)
        while True:
            rows = [(i, v) for i, v in session.execute(walk(position, chunk))]
            budget -= len(rows)
            if rows:
                chunk_ids = among(session, Request.id, [i for i, _ in rows])
                passed = set(session.scalars(select(Request.id).where(chunk_ids, *filters)))
                found += [row for row in rows if row[0] in passed][: n - len(found)]
            if len(found) == n or len(rows) < chunk or budget == 0:
                return found, budget
            position = rows[-1][1], rows[-1][0]
            chunk = min(2 * chunk, budget)

    def walk_values(self, start: tuple[Any, int] | None) -> Select:
        """The requests with a value after `start` (value, id), walking the sort's
        index."""
        query = self.query
        column = self.column
        key: InstrumentedAttribute[Any]
        walk: Select
        if column == FilingSortColumn.SUBMITTED_AT:
            key, request_id = Request.submitted_at, Request.id
            walk = select(request_id, key).where(key.is_not(None))
            if query.date_from is not None:  # the same index: the date filter is a range
                walk = walk.where(key >= query.date_from)
            if query.date_to is not None:
                walk = walk.where(key < query.date_to)
        elif column == FilingSortColumn.SUBJECT_NAME:
            key, request_id = Subject.holder_name, Request.id
            walk = (
                select(request_id, key)
                .select_from(Subject)
                .join(Request, Request.subject_id == Subject.id)
                .where(key > "")
            )
            if self.name_range():
                walk = walk.where(*query.search.named(Subject.id)[1:])
        else:
            key, request_id = VerificationRound.deadline, VerificationRound.request_id
            walk = select(request_id, key).where(
                VerificationRound.state == RoundState.OPEN, key.is_not(None)
            )
        if start is not None:
            at, last = start
            beyond = Unindexed(key) < at if self.descending else Unindexed(key) > at
            walk = walk.where(
                key <= at if self.descending else key >= at,
                or_(beyond, Unindexed(request_id) < last),
            )
        order = key.desc() if self.descending else key.asc()
        return walk.order_by(order, request_id.desc())

    def name_range(self) -> bool:
        """A search that is only a name prefix is a range of the name sort's own index."""
        search = self.query.search
        return self.column == FilingSortColumn.SUBJECT_NAME and bool(
            search.name is not None and not search.exact
        )

    def walk_valued(
        self, session: Session, cursor: FilingCursor | None, n: int
    ) -> tuple[list[tuple[int, Any]], bool]:
        found: list[tuple[int, Any]] = []
        if cursor is None or cursor.value is not None:
            start = None if cursor is None else (cursor.value, cursor.request_id)
            if self.column == FilingSortColumn.DEADLINE:
                # Open rounds are the requests being verified, a day's submissions or
                # so: their walk, the filters checked on the way, is read to the end.
                walk = self.walk_values(start)
                filters = self.query.filters()
                if filters:
                    walk = walk.join(Request, Request.id == VerificationRound.request_id)
                found = [(i, v) for i, v in session.execute(first_n(walk.where(*filters), n))]
            else:

                def walk_from(position: tuple[Any, int] | None, k: int) -> Select[Any]:
                    return first_n(self.walk_values(position or start), k)

                covered = ("dates",) if self.column == FilingSortColumn.SUBMITTED_AT else ()
                if self.name_range():
                    covered = ("search",)
                found, left = self.within_budget(session, walk_from, covered, n, WALK_BUDGET)
                if len(found) < n and left == 0:
                    return found, True
        if len(found) < n:
            after = cursor.request_id if cursor is not None and cursor.value is None else None
            ids = self.walk_ids(session, after, n - len(found), self.valueless())
            found += [(i, None) for i in ids]
        return found, False

    def valueless(self) -> tuple[ColumnElement[bool], ...]:
        """The requests without a value, as a predicate for a newest-first walk."""
        if self.column == FilingSortColumn.SUBMITTED_AT:
            return (Request.submitted_at.is_(None),)  # a range of ix_requests_submitted_at
        if self.column == FilingSortColumn.SUBJECT_NAME:
            # Few: drafts saved before the name was typed. Read from the blank subjects
            # by ix_requests_subject_id and sorted, not found by walking every request.
            blank = select(Subject.id).where(Subject.holder_name == "")
            return (Request.subject_id.in_(blank),)
        live = select(VerificationRound.id).where(
            VerificationRound.request_id == Request.id,
            VerificationRound.state == RoundState.OPEN,
            VerificationRound.deadline.is_not(None),
        )
        return (~live.exists(),)

    def walk_ids(
        self,
        session: Session,
        after: int | None,
        n: int,
        where: tuple[ColumnElement[bool], ...] = (),
    ) -> list[int]:
        """Newest first (whatever the sort's direction) or, by number, in its direction."""
        descending = self.descending or self.column != FilingSortColumn.REQUEST_ID
        if "dates" in self.query.dimensions():
            self.query.bound_dates(session)
        branches = self.query.branches(after, n, where=where, descending=descending)
        return self.query.run(session, branches, n, descending)

    def walk_ranked(
        self, session: Session, cursor: FilingCursor | None, n: int
    ) -> tuple[list[tuple[int, Any]], bool]:
        """One newest-first walk per value, the values in the sort's order."""
        dimension, column = _RANKED[self.column]
        chosen = {
            "state": self.query.states,
            "type": self.query.types,
            "province": self.query.provinces,
        }[dimension]
        values = [v for v in self.values if not chosen or v in chosen]
        if self.descending:
            values.reverse()
        after = None
        if cursor is not None:
            value = self.ranked(cursor.value)
            values = values[values.index(value) :] if value in values else []
            after = cursor.request_id
        found: list[tuple[int, Any]] = []
        budget = WALK_BUDGET  # for the whole page, across the values
        for value in values:

            def walk(
                position: tuple[Any, int] | None,
                k: int,
                value: str = value,
                start: int | None = after,
            ) -> Select:
                last = position[1] if position is not None else start
                query = select(Request.id, literal(value, String)).where(column == value)
                if last is not None:
                    query = query.where(Request.id < last)
                return first_n(query.order_by(Request.id.desc()), k)

            more, budget = self.within_budget(session, walk, (dimension,), n - len(found), budget)
            found += more
            if len(found) >= n:
                break
            if budget == 0:
                return found, True
            after = None
        return found, False
