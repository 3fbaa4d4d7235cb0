"""The filings list newest first: pages by keyset (`WHERE filters AND id < :last ORDER
BY id DESC LIMIT n`, never OFFSET), and its exact count (`SELECT count(*) WHERE
filters`; with no filter, request_total's). Deleted drafts are left out unless the
state filter names them.

Each filter is one predicate on `requests`; which index serves it is the database's
choice, made from the statistics both keep (models/statistics.py: ANALYZE by the
migrations, and on SQLite again at start once the requests have doubled or halved;
autovacuum's ANALYZE on PostgreSQL). The indexes are id-ordered per value
((state, province_code, id), (state, id), (business_type, id), (province_code, id),
(submitted_at, id)), so a filter on one value pages without sorting. One hint is
given: a date range's ids as bounds (`id_range`). A search for a fragment alone is
read from the search index itself (`matches`); on PostgreSQL a page of one that few
requests hold, from the index's newest spans of request ids first (`page`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from beian_desktop.models import Request, RequestTotal
from beian_desktop.rules.clock import day_start
from beian_desktop.rules.query_input import check_filter
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.fragments import (
    few_matches,
    fragment_ids,
    newest_ids,
    newest_width,
)
from beian_desktop.services.reading.search import Search
from beian_desktop.services.reading.sql_helpers import first_n
from beian_desktop.terms import RequestState


class FilingQuery:
    """One filter, read as predicates on `requests`."""

    def __init__(self, ctx: ServiceContext, filter: FilingFilter, today: date) -> None:
        filter = check_filter(filter)  # ValidationFailed before any SQL is built
        self.states = sorted(filter.states)
        self.types = sorted(filter.business_types)
        self.provinces = sorted(filter.province_codes)
        self.date_from = day_start(filter.submitted_from) if filter.submitted_from else None
        self.date_to = (
            day_start(filter.submitted_to + timedelta(days=1)) if filter.submitted_to else None
        )
        self.search = Search(ctx, filter.search, today)

    def where(self, *, but: str = "") -> list[ColumnElement[bool]]:
        """Every filter as a predicate on `requests` (`but`: one left out, as "state",
        "type", "province" or "search", for a list that reads it some other way)."""
        where: list[ColumnElement[bool]] = []
        if self.states and but != "state":
            where.append(Request.state.in_(self.states))
        elif not self.states and but not in ("state", "search"):
            # Deleted drafts only when the state filter asks for them. Left out with
            # "state" (the caller reads `shown_states`) and "search" (the search
            # index holds no deleted request).
            where.append(Request.state != RequestState.DELETED)
        if self.types and but != "type":
            where.append(Request.business_type.in_(self.types))
        if self.provinces and but != "province":
            where.append(Request.province_code.in_(self.provinces))
        where += self._dates()
        if self.search and but != "search":
            where.append(self.search.predicate())
        return where

    @property
    def shown_states(self) -> list[str]:
        """The states the list shows: those chosen, or every one but deleted."""
        return self.states or [s.value for s in RequestState if s is not RequestState.DELETED]

    def everything(self) -> bool:
        """No filter at all: every request that is not deleted."""
        return not (self.states or self.types or self.provinces or self._dates() or self.search)

    def _dates(self) -> list[ColumnElement[bool]]:
        dates = []
        if self.date_from is not None:
            dates.append(Request.submitted_at >= self.date_from)
        if self.date_to is not None:
            dates.append(Request.submitted_at < self.date_to)
        return dates

    def matches(self, session: Session, *, paged: bool = False) -> tuple[Any, Select[Any]]:
        """The request id to page by and the query of every match. A search for a
        fragment alone is read from its index, which yields ids in order (SQLite's
        FTS5, by rowid) and counts them without a look at each request, the other
        filters joined on; on PostgreSQL a page of a fragment the planner expects in
        few requests is read whole from the index and then sorted (`few_matches`; a
        count reads the index whole anyway).
        Anything else is one query on `requests`."""
        fragment = self.search.only_fragment()
        if fragment is None:
            return Request.id, select(Request.id).where(*self.where())
        dialect = session.get_bind().dialect.name
        ids = fragment_ids(dialect, fragment)
        if paged and dialect == "postgresql" and few_matches(session, fragment):
            found: Any = ids.cte("found").prefix_with("MATERIALIZED")  # read whole, then sorted
        else:
            found = ids.subquery("found")
        query = select(found.c.id)
        others = self.where(but="search")
        if others:
            query = query.join(Request, Request.id == found.c.id).where(*others)
        return found.c.id, query

    def id_range(self, session: Session) -> list[ColumnElement[bool]]:
        """The ids submitted in the date range, as bounds, from its index. Ids follow
        creation, so a range of days is a range of ids; PostgreSQL's planner, which
        takes matches to be spread evenly, would otherwise walk the newest ids down
        to the range (October, beneath all of November's requests). `id + 0` keeps it
        from reading max(id) off the primary key the same way."""
        dates = self._dates()
        if not dates:
            return []
        low, high = session.execute(
            select(func.min(Request.id + 0), func.max(Request.id + 0)).where(*dates)
        ).one()
        if high is None:
            return [Request.id < 0]  # nothing submitted then
        return [Request.id >= low, Request.id <= high]

    def page_query(
        self, session: Session, after: int | None, n: int
    ) -> Select[Any] | TextualSelect:
        """The query of the page's ids, newest first: at most n of them (as the
        subquery of the statement that reads their rows, `filings_list.page_rows`). A
        rare fragment alone on PostgreSQL is read from its newest spans first
        (`fragments.newest_ids`)."""
        fragment = self.search.only_fragment()
        if (
            fragment is not None
            and session.get_bind().dialect.name == "postgresql"
            and not self.where(but="search")
        ):
            width = newest_width(session, fragment, n)
            if width is not None:
                return newest_ids(fragment, after, width, n)
        request_id, query = self.matches(session, paged=True)
        query = query.where(*self.id_range(session))
        if after is not None:
            query = query.where(request_id < after)
        return first_n(query.order_by(request_id.desc()), n)

    def count(self, session: Session) -> int:
        if self.everything():  # the triggers' total (deleted left out), not a scan
            return session.scalar(select(RequestTotal.requests)) or 0
        _, query = self.matches(session)
        return session.scalar(select(func.count()).select_from(query.subquery())) or 0
