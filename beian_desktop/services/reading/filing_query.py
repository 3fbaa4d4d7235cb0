"""The filings list newest first: pages by keyset (`id < :last ORDER BY id DESC LIMIT
n`, never OFFSET), and its exact count.

SQLite, as the app ships it, keeps no statistics, so its planner cannot be trusted
to pick an index; the plan is chosen here. Each filter dimension (states, business
types, provinces, submission dates, the search box) is first probed for at most
PROBE matching ids, on its own index. Then:

- if one dimension matches at most PROBE requests, those ids are the candidates: the
  page is the newest n of them that pass the other filters (primary-key look-ups of a
  few thousand rows at most);
- otherwise every dimension is broad, so matches are dense, and the page walks an
  id-ordered index newest first, one branch per filter value ((state, province, id),
  (province_code, id), (business_type, id), (state, id), or the primary key),
  checking the other filters on the way and stopping after n rows.

The filters that must not drive are written `+column` on SQLite (the documented way
to keep it off an index); PostgreSQL, which keeps statistics, reads the plain column.

The count is exact: the small candidate set when there is one; otherwise each broad
filter is counted alone up to SIZE_CAP rows (index-only) and the smallest one's
index range is counted, the rest checked on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from beian_desktop.models import Request
from beian_desktop.rules.clock import day_start
from beian_desktop.rules.query_input import check_filter
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.search import Search
from beian_desktop.services.reading.sql_helpers import (
    Unindexed,
    column_for,
    count_requests,
    first_n,
)

PROBE = 2000  # a filter matching at most this many requests is read as an id list
MAX_PAIR_BRANCHES = 64  # (state, province) pairs walked on ix_requests_state_province
SIZE_CAP = 50_000  # how far count_filings counts a filter alone to pick a driver


# -- the filings list --------------------------------------------------------------------
class FilingQuery:
    """One filter, read as predicates on `requests`, id probes and page plans."""

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
        self.id_bounds: list[ColumnElement[bool]] = []  # from a broad date range

    def dimensions(self) -> list[str]:
        names = []
        if self.search:
            names.append("search")
        if self.states:
            names.append("state")
        if self.types:
            names.append("type")
        if self.provinces:
            names.append("province")
        if self.date_from is not None or self.date_to is not None:
            names.append("dates")
        return names

    def predicate(self, name: str, indexed: bool) -> ColumnElement[bool]:
        if name == "state":
            return column_for(Request.state, indexed).in_(self.states)
        if name == "type":
            return column_for(Request.business_type, indexed).in_(self.types)
        if name == "province":
            return column_for(Request.province_code, indexed).in_(self.provinces)
        if name == "dates":
            column = column_for(Request.submitted_at, indexed)
            parts = []
            if self.date_from is not None:
                parts.append(column >= self.date_from)
            if self.date_to is not None:
                parts.append(column < self.date_to)
            return and_(*parts)
        if name == "search":
            return self.search.predicate(indexed)
        raise ValueError(name)  # pragma: no cover

    def filters(self, *drivers: str) -> list[ColumnElement[bool]]:
        """Every filter but the driving ones, kept off the indexes on SQLite."""
        return [self.predicate(name, False) for name in self.dimensions() if name not in drivers]

    def residuals(self, *drivers: str) -> list[ColumnElement[bool]]:
        """The filters but the driving ones, and the id bounds of a broad date range."""
        return self.filters(*drivers) + self.id_bounds

    # probing ----------------------------------------------------------------------------
    def probe(self, session: Session, name: str, after: int | None) -> list[int] | None:
        """Every matching id below `after` if there are at most PROBE of them, else None."""
        if name == "search":
            streams = self.search.streams()
            # Duplicates (one request found by its subject and its website) count too:
            # a stream stopped by the LIMIT may have more, so only a short read is whole.
            cap = PROBE * len(streams) + 1
            matched = union_all(*streams).subquery()
            query = first_n(select(matched.c.id), cap)
            found = list(session.scalars(query))
            if len(found) >= cap:
                return None
            ids = {i for i in found if after is None or i < after}
        else:
            query = select(Request.id).where(self.predicate(name, True))
            if after is not None:
                query = query.where(Unindexed(Request.id) < after)
            ids = set(session.scalars(first_n(query, PROBE + 1)))
        return sorted(ids) if len(ids) <= PROBE else None

    def smallest(self, session: Session, after: int | None) -> tuple[str, list[int]] | None:
        """The filter with the fewest matches, if one has at most PROBE."""
        best: tuple[str, list[int]] | None = None
        for name in self.dimensions():
            ids = self.probe(session, name, after)
            if ids is not None and (best is None or len(ids) < len(best[1])):
                best = (name, ids)
                if not ids:
                    break
        return best

    def bound_dates(self, session: Session) -> None:
        """A broad date range still bounds the ids (those submitted in it), so a walk
        starts at the newest of them instead of at the top of the table. The ids come
        from ix_requests_submitted_at alone; `id + 0` keeps PostgreSQL from answering
        max(id) by walking the primary key down from the newest request."""
        low, high = session.execute(
            select(func.min(Request.id + 0), func.max(Request.id + 0)).where(
                self.predicate("dates", True)
            )
        ).one()
        if high is None:
            self.id_bounds = [Request.id < 0]  # nothing submitted then: an empty walk
        else:
            self.id_bounds = [Request.id >= low, Request.id <= high]

    # the page ---------------------------------------------------------------------------
    def page_ids(self, session: Session, after: int | None, n: int) -> list[int]:
        """The ids of the page, newest first: at most n of them."""
        small = self.smallest(session, after)
        if small is not None:
            name, candidates = small
            if not candidates:
                return []
            query = (
                select(Request.id)
                .where(Request.id.in_(candidates), *self.residuals(name))
                .order_by(Request.id.desc())
            )
            return list(session.scalars(first_n(query, n)))
        if "dates" in self.dimensions():
            self.bound_dates(session)
        return self.run(session, self.branches(after, n), n)

    @staticmethod
    def run(
        session: Session, branches: list[Select[Any]], n: int, descending: bool = True
    ) -> list[int]:
        """The first n ids of the branches merged, in id order."""
        if len(branches) == 1:
            return list(session.scalars(branches[0]))
        merged = union_all(*[select(b.subquery().c.id) for b in branches]).subquery()
        return sorted(set(session.scalars(select(merged.c.id))), reverse=descending)[:n]

    def branches(
        self,
        after: int | None,
        n: int,
        *,
        where: Sequence[ColumnElement[bool]] = (),
        descending: bool = True,
    ) -> list[Select[Any]]:
        """Walks of one id-ordered index each, newest first (or oldest first), the other
        filters and `where` checked."""

        def walk(*match: ColumnElement[bool], drivers: tuple[str, ...] = ()) -> Select[Any]:
            query = select(Request.id).where(*match, *where, *self.residuals(*drivers))
            if after is not None:
                query = query.where(Request.id < after if descending else Request.id > after)
            order = Request.id.desc() if descending else Request.id.asc()
            return first_n(query.order_by(order), n)

        pairs = len(self.states) * len(self.provinces)
        if 0 < pairs <= MAX_PAIR_BRANCHES:  # ix_requests_state_province
            return [
                walk(Request.state == s, Request.province_code == p, drivers=("state", "province"))
                for s in self.states
                for p in self.provinces
            ]
        if self.provinces:  # ix_requests_province_code_id
            return [walk(Request.province_code == p, drivers=("province",)) for p in self.provinces]
        if self.types:  # ix_requests_business_type_id
            return [walk(Request.business_type == t, drivers=("type",)) for t in self.types]
        if self.states:  # ix_requests_state_id
            return [walk(Request.state == s, drivers=("state",)) for s in self.states]
        return [walk()]  # the primary key

    def drivers(self) -> list[tuple[str, ...]]:
        """The filters that can each drive a read on an index range of their own."""
        drivers: list[tuple[str, ...]] = []
        if self.states and self.provinces:  # one range of ix_requests_state_province
            drivers.append(("state", "province"))
        drivers += [(d,) for d in self.dimensions() if not any(d in both for both in drivers)]
        drivers.sort(key=lambda d: d == ("search",))  # of equal sizes, an index range first
        return drivers

    def indexed(self, driver: tuple[str, ...]) -> list[ColumnElement[bool]]:
        return [self.predicate(d, True) for d in driver]

    def size(self, session: Session, driver: tuple[str, ...]) -> int:
        """How many requests the driver matches alone, counted up to SIZE_CAP."""
        if driver != ("search",):
            return count_requests(session, *self.indexed(driver), cap=SIZE_CAP)
        # Its streams stop at the cap; the IN list of a broad name would not.
        streams = union_all(*self.search.streams()).subquery()
        capped = first_n(select(streams.c.id), SIZE_CAP).subquery()
        return session.scalar(select(func.count()).select_from(capped)) or 0

    def count(self, session: Session) -> int:
        """Exact: the small candidate set, or one index range with the rest checked on
        it. With several broad filters, each is counted alone first, up to SIZE_CAP
        (index-only), and the smallest range is the one walked."""
        small = self.smallest(session, None)
        if small is not None:
            name, candidates = small
            if not candidates:
                return 0
            return count_requests(session, Request.id.in_(candidates), *self.residuals(name))
        dimensions = self.dimensions()
        drivers = self.drivers()
        if len(drivers) <= 1:
            return count_requests(session, *[self.predicate(d, True) for d in dimensions])
        sizes = {d: self.size(session, d) for d in drivers}
        driver = min(drivers, key=sizes.__getitem__)
        if "dates" in dimensions and "dates" not in driver:
            self.bound_dates(session)
        return count_requests(session, *self.indexed(driver), *self.residuals(*driver))
