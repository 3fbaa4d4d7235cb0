"""What the views show, read in one short transaction each and handed out as the frozen
dataclasses of services/read_models.py: no ORM object, no clear phone or ID number.

The filings list pages by keyset (`id < :last ORDER BY id DESC LIMIT n`, never OFFSET)
and stays fast at a million requests without trusting a query planner that has no
statistics (SQLite's, as the app ships it). Each filter dimension (states, business
types, provinces, submission dates, the search box) is first probed for at most PROBE
matching ids, on its own index. Then:

- if one dimension matches at most PROBE requests, those ids are the candidates: the
  page is the newest n of them that pass the other filters (primary-key look-ups of a
  few thousand rows at most);
- otherwise every dimension is broad, so matches are dense, and the page walks an
  id-ordered index newest first, one branch per filter value ((state, province, id),
  (province_code, id), (business_type, id), (state, id), or the primary key),
  checking the other filters on the way and stopping after n rows.

On SQLite the filters that must not drive are written `+column` (the documented way to
keep SQLite off an index), so the plan is the one chosen here; PostgreSQL, which keeps
statistics, reads the plain column.

Sorted by a column (`FilingSort`: number, type, state, province, subject name,
submission time, deadline), the list pages by keyset on (value, id): ties newest
first, requests without a value last in either direction. Newest first is the plan
above, unchanged; any other sort is `_SortedQuery`'s: the smallest filter's own index
range when it holds fewer than SIZE_CAP requests (the database sorts those), else a
walk of the sort's own index, so an unfiltered first page reads 100 index entries in
order whatever the size of the table. A filtered walk that reads WALK_BUDGET entries
without filling its page hands over to the filter's index (a province's subjects are
named after its cities: sorted by name, its matches sit late in the order).

`count_filings` is exact. It counts the small candidate set when there is one;
otherwise it counts each broad filter alone up to SIZE_CAP rows (index-only) and
counts over the smallest one's index range, checking the rest: at a million requests
tens of milliseconds on SQLite, a few hundred at worst (a common name prefix).

Measured on a million generated requests (SQLite, one laptop core): a page of 100
takes 1-30 ms under any filter or search; a count 1-60 ms. Sorted by any column, an
unfiltered page takes 2-12 ms on SQLite and PostgreSQL; under a filter mostly 5-90 ms,
at worst 0.4 s (SQLite) / 0.7 s (PostgreSQL) for a first page whose broad filter's
matches sit late in the sort's order, the pages after it again tens of ms.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.visitors import InternalTraversal

from beian_desktop.models import (
    AuditEvent,
    Domain,
    Principal,
    Province,
    Request,
    RequestWebsite,
    SmsIntent,
    Subject,
    VerificationRound,
    Verifier,
    VerifierRole,
    Website,
)
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.rules.documents import (
    mask_document_number,
    normalize_document_number,
)
from beian_desktop.rules.domains import (
    display_domain,
    normalize_domain,
)
from beian_desktop.rules.errors import (
    FieldError,
    InvalidValue,
    ValidationFailed,
)
from beian_desktop.rules.phones import (
    mask_phone,
    parse_mobile,
)
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    DayStats,
    FilingCursor,
    FilingFilter,
    FilingPage,
    FilingRow,
    FilingSort,
    FilingSortColumn,
    OutboxRow,
    PendingVerifierRow,
    PrincipalView,
    ProvinceRow,
    RequestDetail,
    ReturnedRow,
    ReturnStats,
    RoundView,
    SmsView,
    TimelineEntry,
    VerifierView,
    WebsiteView,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.entry import NotFound
from beian_desktop.services.sending.senders import read_outbox
from beian_desktop.services.settings.policy_store import (
    Policy,
    load_policy,
)
from beian_desktop.terms import (
    BusinessType,
    DocType,
    RequestState,
    ReturnReason,
    Role,
    RoundState,
    VerifierState,
)

PROBE = 2000  # a filter matching at most this many requests is read as an id list
MAX_PAIR_BRANCHES = 64  # (state, province) pairs walked on ix_requests_state_province
MAX_LIMIT = 5000
SIZE_CAP = 50_000  # how far count_filings counts a filter alone to pick a driver
# How many entries of a sort's index a filtered walk reads for one page before the
# filter's own index takes over (a broad filter whose matches sit late in the order).
# A chunk of the walk is checked as an IN list: keep it under SQLite's 32766 variables.
WALK_BUDGET = 20_000
# Document types whose check character makes a typed number unmistakable; a number
# shaped like a passport or a permit may also be a name ("51job"), so those are
# searched as numbers AND as a name prefix.
STRONG_DOC_TYPES = (DocType.RESIDENT_ID, DocType.CREDIT_CODE, DocType.FOREIGN_PERMANENT_ID)

_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1\d{10}(?!\d)")
_CODE_IN_TEXT = re.compile(r"(?<!\d)\d{6}(?!\d)")
_DOC_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?=[0-9A-Z]*\d)[0-9A-Z]{15,18}(?![0-9A-Za-z])")
CODE_MASK = "******"


# -- keeping SQLite's planner on the index chosen here --------------------------------
class _Unindexed(ColumnElement[Any]):
    """A column SQLite must not use an index for: rendered `+column` there."""

    inherit_cache = True
    _traverse_internals: ClassVar[Any] = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(_Unindexed)
def _compile_unindexed(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_Unindexed, "sqlite")
def _compile_unindexed_sqlite(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def _column(column: Any, indexed: bool) -> Any:
    return column if indexed else _Unindexed(column)


# -- masking ---------------------------------------------------------------------------
def scrub(text: str, *, codes: bool = False) -> str:
    """Mobile and ID numbers in free text masked; with `codes`, 6-digit runs too."""
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    text = _DOC_IN_TEXT.sub(lambda m: mask_document_number(m.group()), text)
    return _CODE_IN_TEXT.sub(CODE_MASK, text) if codes else text


def _scrub_value(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


# -- time ------------------------------------------------------------------------------
def day_start(day: date) -> datetime:
    """00:00 Asia/Shanghai of the day, in UTC."""
    return datetime.combine(day, time(0), SHANGHAI).astimezone(UTC)


def _shanghai_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def _shanghai_date_sql(session: Session, column: Any) -> ColumnElement[Any]:
    """The Asia/Shanghai calendar day of a stored UTC time, computed by the database.
    SQLite keeps naive UTC text; China has kept UTC+8 without daylight saving since
    1991, so the day is the date eight hours later."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column, "+8 hours")
    return func.date(func.timezone("Asia/Shanghai", column))


# -- the search box --------------------------------------------------------------------
def _first(query: Select[Any], n: int) -> Select[Any]:
    """`LIMIT n` without the `OFFSET 0` SQLAlchemy's SQLite dialect adds to `.limit()`:
    the list's SQL says what it does, keyset paging and never an offset."""
    return query.suffix_with(f"LIMIT {int(n)}")


def _prefix_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (None: none)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    following = last + 1 if last + 1 != 0xD800 else 0xE000  # skip the surrogates
    return prefix[:-1] + chr(following)


class Search:
    """What the search box matches, as id streams (each driven by its own index, so a
    LIMIT stops it early) and as a predicate on `requests` for a walk that checks it.

    A mobile number: a principal of the request's subject or websites, or a verifier
    of any of its rounds. An ID number (keyed hash, exact): principals and subjects. A
    domain (normalised, exact; Unicode or punycode typed). Otherwise, or when the text
    could also be a name (a passport-shaped "51JOB"), the beginning of the subject's
    holder name: case-sensitive, `LIKE 'text%'` read as an index range.
    """

    def __init__(self, ctx: ServiceContext, text: str, today: date) -> None:
        self.exact: list[Select[Any]] = []
        self.name: str | None = None
        text = text.strip()
        if not text:
            return
        name_too = True
        try:
            number = parse_mobile(text).number
        except InvalidValue:
            pass
        else:
            name_too = False
            self._via_principals(Principal.mobile == number)
            self.exact.append(
                select(VerificationRound.request_id.label("id"))
                .join(Verifier, Verifier.round_id == VerificationRound.id)
                .where(Verifier.phone == number)
            )
        if any(c.isdigit() for c in text):
            hashes: set[str] = set()
            for doc_type in DocType:
                try:
                    normal = normalize_document_number(doc_type, text, today=today)
                except InvalidValue:
                    continue
                hashes.add(ctx.keys.keyed_hash("doc", normal))
                if doc_type in STRONG_DOC_TYPES:
                    name_too = False
            if hashes:
                wanted = sorted(hashes)
                self._via_principals(Principal.doc_number_hash.in_(wanted))
                self.exact.append(
                    select(Request.id)
                    .join(Subject, Subject.id == Request.subject_id)
                    .where(Subject.doc_number_hash.in_(wanted))
                )
        if "." in text or "。" in text:
            try:
                domain = normalize_domain(text)
            except InvalidValue:
                pass
            else:
                name_too = False
                self.exact.append(
                    select(RequestWebsite.request_id.label("id"))
                    .join(Domain, Domain.website_id == RequestWebsite.website_id)
                    .where(Domain.name == domain)
                )
        if name_too:
            self.name = text

    def _via_principals(self, principal_matches: ColumnElement[bool]) -> None:
        self.exact.append(
            select(Request.id)
            .join(Subject, Subject.id == Request.subject_id)
            .join(Principal, Principal.id == Subject.principal_id)
            .where(principal_matches)
        )
        self.exact.append(
            select(RequestWebsite.request_id.label("id"))
            .join(Website, Website.id == RequestWebsite.website_id)
            .join(Principal, Principal.id == Website.principal_id)
            .where(principal_matches)
        )

    def __bool__(self) -> bool:
        return bool(self.exact) or self.name is not None

    def named(self, subject_id: Any, subject: Any = Subject) -> list[ColumnElement[bool]]:
        """The subject is that one, and its name is in the range (`subject`: the
        subjects table or an alias of it)."""
        assert self.name is not None
        where = [
            subject.id == subject_id,
            subject.holder_name >= self.name,
            subject.holder_name.startswith(self.name, autoescape=True),
        ]
        bound = _prefix_bound(self.name)
        if bound is not None:
            where.append(subject.holder_name < bound)
        return where

    def streams(self) -> list[Select[Any]]:
        streams = list(self.exact)
        if self.name is not None:
            named = self.named(Request.subject_id)
            streams.append(select(Request.id).join(Subject, named[0]).where(*named[1:]))
        return streams

    def predicate(self, indexed: bool) -> ColumnElement[bool]:
        """Exact matches as an id list (small). A name, indexed: the requests of the
        subjects in its range; checked on a walk: a look-up of each row's subject."""
        parts: list[ColumnElement[bool]] = []
        if self.exact:
            parts.append(_column(Request.id, indexed).in_(union(*self.exact)))
        if self.name is not None:
            if indexed:
                named = self.named(Subject.id)[1:]
                parts.append(Request.subject_id.in_(select(Subject.id).where(*named)))
            else:
                named = self.named(_Unindexed(Request.subject_id))
                parts.append(select(Subject.id).where(*named).exists())
        return or_(*parts)


# -- the filings list --------------------------------------------------------------------
class _FilingQuery:
    """One filter, read as predicates on `requests`, id probes and page plans."""

    def __init__(self, ctx: ServiceContext, filter: FilingFilter, today: date) -> None:
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
            return _column(Request.state, indexed).in_(self.states)
        if name == "type":
            return _column(Request.business_type, indexed).in_(self.types)
        if name == "province":
            return _column(Request.province_code, indexed).in_(self.provinces)
        if name == "dates":
            column = _column(Request.submitted_at, indexed)
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
            query = _first(select(matched.c.id), cap)
            found = list(session.scalars(query))
            if len(found) >= cap:
                return None
            ids = {i for i in found if after is None or i < after}
        else:
            query = select(Request.id).where(self.predicate(name, True))
            if after is not None:
                query = query.where(_Unindexed(Request.id) < after)
            ids = set(session.scalars(_first(query, PROBE + 1)))
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
            return list(session.scalars(_first(query, n)))
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
            return _first(query.order_by(order), n)

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
            return _count(session, *self.indexed(driver), cap=SIZE_CAP)
        # Its streams stop at the cap; the IN list of a broad name would not.
        streams = union_all(*self.search.streams()).subquery()
        capped = _first(select(streams.c.id), SIZE_CAP).subquery()
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
            return _count(session, Request.id.in_(candidates), *self.residuals(name))
        dimensions = self.dimensions()
        drivers = self.drivers()
        if len(drivers) <= 1:
            return _count(session, *[self.predicate(d, True) for d in dimensions])
        sizes = {d: self.size(session, d) for d in drivers}
        driver = min(drivers, key=sizes.__getitem__)
        if "dates" in dimensions and "dates" not in driver:
            self.bound_dates(session)
        return _count(session, *self.indexed(driver), *self.residuals(*driver))


def _count(session: Session, *where: ColumnElement[bool], cap: int | None = None) -> int:
    query = select(literal(1)).select_from(Request).where(*where)
    if cap is not None:
        query = _first(query, cap)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# -- the filings list, sorted by a column ----------------------------------------------
_RANKED = {  # sorted by a short list of values: one id-ordered index range per value
    FilingSortColumn.STATE: ("state", Request.state),
    FilingSortColumn.BUSINESS_TYPE: ("type", Request.business_type),
    FilingSortColumn.PROVINCE: ("province", Request.province_code),
}
_OPEN_ROUND = aliased(VerificationRound, name="open_round")


class _SortedQuery:
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

    def __init__(self, query: _FilingQuery, sort: FilingSort) -> None:
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
            if sizes[driver] < SIZE_CAP:
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
            return request.id, _Unindexed(request.id), None
        if column in _RANKED:
            value = getattr(request, _RANKED[column][1].key)
            ranks = {v: i for i, v in enumerate(self.values)}
            return value, case(ranks, value=_Unindexed(value), else_=len(ranks)), None
        if column == FilingSortColumn.SUBMITTED_AT:
            key = _Unindexed(request.submitted_at)
            return request.submitted_at, key, key.is_(None)
        if column == FilingSortColumn.SUBJECT_NAME:
            key = _Unindexed(Subject.holder_name)
            return Subject.holder_name, key, key == ""
        key = _Unindexed(_OPEN_ROUND.deadline)
        return _OPEN_ROUND.deadline, key, key.is_(None)

    def joined(self, query: Select[Any], request: Any) -> Select[Any]:
        if self.column == FilingSortColumn.SUBJECT_NAME:
            return query.join(Subject, Subject.id == request.subject_id)
        if self.column == FilingSortColumn.DEADLINE:
            live = and_(
                _OPEN_ROUND.request_id == request.id,
                _Unindexed(_OPEN_ROUND.state) == RoundState.OPEN,
                _Unindexed(_OPEN_ROUND.deadline).is_not(None),
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
            query = query.where(self.after(key, valueless, _Unindexed(request.id), cursor))
        order = [] if valueless is None else [case((valueless, 1), else_=0)]
        order.append(key.desc() if self.descending else key.asc())
        if self.column != FilingSortColumn.REQUEST_ID:
            order.append(request.id.desc())
        found = session.execute(_first(query.order_by(*order), n))
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
                among = _among(session, Request.id, [i for i, _ in rows])
                passed = set(session.scalars(select(Request.id).where(among, *filters)))
                found += [row for row in rows if row[0] in passed][: n - len(found)]
            if len(found) == n or len(rows) < chunk or budget == 0:
                return found, budget
            position = rows[-1][1], rows[-1][0]
            chunk = min(2 * chunk, budget)

    def walk_values(self, start: tuple[Any, int] | None) -> Select[Any]:
        """The requests with a value after `start` (value, id), walking the sort's
        index."""
        query = self.query
        column = self.column
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
            beyond = _Unindexed(key) < at if self.descending else _Unindexed(key) > at
            walk = walk.where(
                key <= at if self.descending else key >= at,
                or_(beyond, _Unindexed(request_id) < last),
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
                found = [(i, v) for i, v in session.execute(_first(walk.where(*filters), n))]
            else:

                def walk_from(position: tuple[Any, int] | None, k: int) -> Select[Any]:
                    return _first(self.walk_values(position or start), k)

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
            ) -> Select[Any]:
                last = position[1] if position is not None else start
                query = select(Request.id, literal(value, String)).where(column == value)
                if last is not None:
                    query = query.where(Request.id < last)
                return _first(query.order_by(Request.id.desc()), k)

            more, budget = self.within_budget(session, walk, (dimension,), n - len(found), budget)
            found += more
            if len(found) >= n:
                break
            if budget == 0:
                return found, True
            after = None
        return found, False


def _cursor(after: object | None) -> int | None:
    if after is None:
        return None
    if isinstance(after, bool) or not isinstance(after, int):
        raise ValueError(f"not a cursor of this list: {after!r}")
    return after


def _among(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL one array parameter rather than thousands."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("among", ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


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


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


def _filing_rows(session: Session, ids: Sequence[int]) -> list[FilingRow]:
    """The rows of these requests in this order, with the open round's deadline."""
    if not ids:
        return []
    found = {
        row.id: row
        for row in session.execute(
            select(
                Request.id,
                Request.business_type,
                Request.state,
                Request.province_code,
                Province.name_zh,
                Subject.holder_name,
                Request.submitted_at,
                Request.created_at,
            )
            .join(Subject, Subject.id == Request.subject_id)
            .join(Province, Province.code == Request.province_code)
            .where(Request.id.in_(ids))
        )
    }
    deadlines = dict(
        session.execute(
            select(VerificationRound.request_id, VerificationRound.deadline).where(
                VerificationRound.request_id.in_(ids),
                _Unindexed(VerificationRound.state) == RoundState.OPEN,
            )
        ).all()
    )
    return [
        FilingRow(
            request_id=r.id,
            business_type=r.business_type,
            state=r.state,
            province_code=r.province_code,
            province_name=r.name_zh,
            subject_name=r.holder_name,
            submitted_at=r.submitted_at,
            deadline=deadlines.get(r.id),
            created_at=r.created_at,
        )
        for r in (found[i] for i in ids if i in found)
    ]


# -- pending verifiers -----------------------------------------------------------------
def _pending_select() -> Select[Any]:
    return (
        select(
            Verifier.id,
            Verifier.name,
            Verifier.phone,
            Verifier.state,
            Verifier.wrong_tries,
            Verifier.manual_resends,
            VerificationRound.request_id,
            VerificationRound.deadline,
            VerificationRound.send_due_at,
            Subject.holder_name,
        )
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .join(Request, Request.id == VerificationRound.request_id)
        .join(Subject, Subject.id == Request.subject_id)
        .where(Verifier.state == VerifierState.PENDING, VerificationRound.state == RoundState.OPEN)
    )


def _live_round(now: datetime, *, indexed: bool = True) -> ColumnElement[bool]:
    """Still resendable: not sent yet, or before its deadline (as resend_code decides)."""
    deadline = _column(VerificationRound.deadline, indexed)
    return deadline.is_(None) | (deadline > now)


def _pending_rows(
    session: Session, rows: Sequence[Any], policy: Policy, now: datetime
) -> list[PendingVerifierRow]:
    """The 60 s spacing is per number: the latest send to any of its live verifiers."""
    phones = sorted({r.phone for r in rows})
    last_sends: dict[str, datetime | None] = {}
    if phones:
        last_sends = dict(
            session.execute(
                select(Verifier.phone, func.max(Verifier.last_send_at))
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(
                    Verifier.phone.in_(phones),  # ix_verifiers_phone_state, not the rounds
                    Verifier.state == VerifierState.PENDING,
                    _Unindexed(VerificationRound.state) == RoundState.OPEN,
                    _live_round(now, indexed=False),
                )
                .group_by(Verifier.phone)
            ).all()
        )
    spacing = policy.manual_resend_spacing
    result = []
    for r in rows:
        if r.deadline is None:  # refused until it has gone out, then the spacing runs
            next_at: datetime | None = max(r.send_due_at, now) + spacing
        else:
            last = last_sends.get(r.phone)
            next_at = last + spacing if last is not None and last + spacing > now else None
        result.append(
            PendingVerifierRow(
                verifier_id=r.id,
                request_id=r.request_id,
                name=r.name,
                phone_masked=mask_phone(r.phone),
                state=r.state,
                deadline=r.deadline,
                tries_left=max(policy.max_wrong_tries - r.wrong_tries, 0),
                manual_resends_left=max(policy.manual_resend_cap - r.manual_resends, 0),
                next_resend_at=next_at,
                subject_name=r.holder_name,
            )
        )
    return result


# -- the service -----------------------------------------------------------------------
class QueryService:
    """Every view's reads. Keyword-only; each call is one short transaction."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> date:
        return _shanghai_day(self.ctx.now())

    # -- the filings list ----------------------------------------------------------------
    def list_filings(
        self,
        *,
        filter: FilingFilter,
        after: object | None = None,
        limit: int = 100,
        sort: FilingSort = NEWEST_FIRST,
    ) -> FilingPage:
        """Newest first, or in the order `sort` says (see FilingSort). `after` is the
        `next_cursor` of the page before: the last id newest first, else a FilingCursor
        of the same sort."""
        limit = _check_limit(limit)
        query = _FilingQuery(self.ctx, filter, self._today())
        if sort == NEWEST_FIRST:
            last = _cursor(after)
            with self.ctx.read_only() as session:
                ids = query.page_ids(session, last, limit + 1)
                more = len(ids) > limit
                ids = ids[:limit]
                rows = _filing_rows(session, ids)
            return FilingPage(tuple(rows), ids[-1] if more else None)
        cursor = _sorted_cursor(after, sort)
        with self.ctx.read_only() as session:
            found = _SortedQuery(query, sort).page(session, cursor, limit + 1)
            more = len(found) > limit
            found = found[:limit]
            rows = _filing_rows(session, [request_id for request_id, _ in found])
        if not more:
            return FilingPage(tuple(rows), None)
        request_id, value = found[-1]
        return FilingPage(tuple(rows), FilingCursor(sort, value, request_id))

    def count_filings(self, *, filter: FilingFilter) -> int:
        """Exact (see the module's docstring for what it costs)."""
        query = _FilingQuery(self.ctx, filter, self._today())
        with self.ctx.read_only() as session:
            return query.count(session)

    def bureau_queue(self, *, limit: int = 500) -> list[FilingRow]:
        """Requests waiting for the bureau, the longest waiting first."""
        limit = _check_limit(limit)
        with self.ctx.read_only() as session:
            ids = list(
                session.scalars(
                    select(Request.id)
                    .where(Request.state == RequestState.BUREAU_REVIEW)
                    .order_by(Request.state_changed_at, Request.id)
                    .limit(limit)
                )
            )
            return _filing_rows(session, ids)

    # -- one request -----------------------------------------------------------------------
    def request_detail(self, *, request_id: int) -> RequestDetail:
        with self.ctx.read_only() as session:
            request = session.get(Request, request_id)
            if request is None:
                raise NotFound(f"request {request_id} does not exist")
            policy = load_policy(session)
            subject = session.get(Subject, request.subject_id)
            province = session.get(Province, request.province_code)
            assert subject is not None and province is not None
            websites = [session.get(Website, link.website_id) for link in request.website_links]
            rounds = list(
                session.scalars(
                    select(VerificationRound)
                    .where(VerificationRound.request_id == request_id)
                    .order_by(VerificationRound.number)
                )
            )
            returned_name = None
            if request.returned_verifier_id is not None:
                returned_name = session.scalar(
                    select(Verifier.name).where(Verifier.id == request.returned_verifier_id)
                )
            return RequestDetail(
                request_id=request.id,
                business_type=request.business_type,
                state=request.state,
                province_code=request.province_code,
                province_name=province.name_zh,
                entered_by=request.entered_by,
                created_at=request.created_at,
                submitted_at=request.submitted_at,
                state_changed_at=request.state_changed_at,
                remarks=request.remarks,
                subject_id=subject.id,
                subject_name=subject.holder_name,
                subject_doc_type=subject.doc_type,
                subject_doc_masked=self._masked_doc(subject.doc_number_enc),
                subject_icp_number=subject.icp_number,
                subject_principal=self._principal(subject.principal),
                websites=tuple(
                    WebsiteView(
                        website_id=w.id,
                        name=w.name,
                        domains=tuple(display_domain(d.name) for d in w.domains),
                        icp_number=w.icp_number,
                        principal=self._principal(w.principal),
                    )
                    for w in websites
                    if w is not None
                ),
                rounds=self._rounds(session, rounds, policy),
                timeline=tuple(
                    TimelineEntry(
                        at=e.at,
                        actor=e.actor,
                        action=e.action,
                        details=_scrub_value(dict(e.details or {})),  # type: ignore[arg-type]
                    )
                    for e in audit.timeline(session, request_id)
                ),
                return_reason=request.return_reason,
                returned_verifier_name=returned_name,
                decision_reason=request.decision_reason,
                decided_by=request.decided_by,
                decided_at=request.decided_at,
            )

    def _masked_doc(self, blob: bytes) -> str:
        return mask_document_number(self.ctx.keys.decrypt(blob))

    def _principal(self, p: Principal) -> PrincipalView:
        return PrincipalView(
            principal_id=p.id,
            name=p.name,
            doc_type=p.doc_type,
            doc_masked=self._masked_doc(p.doc_number_enc),
            phone_masked=mask_phone(p.mobile) if p.mobile else "",
            verified_at=p.verified_at,
        )

    def _rounds(
        self, session: Session, rounds: list[VerificationRound], policy: Policy
    ) -> tuple[RoundView, ...]:
        if not rounds:
            return ()
        by_round: dict[int, list[Verifier]] = defaultdict(list)
        for v in session.scalars(
            select(Verifier)
            .where(Verifier.round_id.in_([r.id for r in rounds]))
            .order_by(Verifier.id)
        ):
            by_round[v.round_id].append(v)
        verifier_ids = [v.id for vs in by_round.values() for v in vs]
        roles: dict[int, list[str]] = defaultdict(list)
        for verifier_id, role, site_name in session.execute(
            select(VerifierRole.verifier_id, VerifierRole.role, Website.name)
            .outerjoin(Website, Website.id == VerifierRole.website_id)
            .where(VerifierRole.verifier_id.in_(verifier_ids))
            .order_by(VerifierRole.id)
        ):
            label = role if role == Role.SUBJECT_PRINCIPAL else f"{role}:{site_name or ''}"
            if label not in roles[verifier_id]:
                roles[verifier_id].append(label)
        intents: dict[int, list[SmsIntent]] = defaultdict(list)
        for intent in session.scalars(
            select(SmsIntent).where(SmsIntent.verifier_id.in_(verifier_ids)).order_by(SmsIntent.id)
        ):
            intents[intent.verifier_id].append(intent)
        views = []
        for rnd in rounds:
            verifiers = by_round[rnd.id]
            sms = sorted((i for v in verifiers for i in intents[v.id]), key=lambda i: i.id)
            views.append(
                RoundView(
                    number=rnd.number,
                    state=rnd.state,
                    quorum=rnd.quorum,
                    created_at=rnd.created_at,
                    send_due_at=rnd.send_due_at,
                    first_sent_at=rnd.first_sent_at,
                    deadline=rnd.deadline,
                    ended_at=rnd.ended_at,
                    verifiers=tuple(
                        VerifierView(
                            verifier_id=v.id,
                            name=v.name,
                            roles=tuple(roles[v.id]),
                            phone_masked=mask_phone(v.phone),
                            carrier=v.carrier,
                            sender_number=(
                                intents[v.id][-1].sender_number
                                if intents[v.id]
                                else policy.sender_number(v.carrier)
                            ),
                            state=v.state,
                            tries_left=max(policy.max_wrong_tries - v.wrong_tries, 0),
                            manual_resends_left=max(policy.manual_resend_cap - v.manual_resends, 0),
                            deadline=rnd.deadline,
                            last_send_at=v.last_send_at,
                        )
                        for v in verifiers
                    ),
                    sms=tuple(
                        SmsView(
                            intent_id=i.id,
                            kind=i.kind,
                            phone_masked=mask_phone(i.phone),
                            sender_number=i.sender_number,
                            status=i.status,
                            delivery_status=i.delivery_status,
                            due_at=i.due_at,
                            sent_at=i.sent_at,
                            attempts=i.attempts,
                            last_error=scrub(i.last_error, codes=True) if i.last_error else None,
                            verifier_id=i.verifier_id,
                        )
                        for i in sms
                    ),
                )
            )
        return tuple(views)

    # -- the help desk ---------------------------------------------------------------------
    def pending_verifiers(self, *, limit: int = 500) -> list[PendingVerifierRow]:
        """Soonest deadline first; then those whose round's first SMS has not gone out,
        soonest due first."""
        limit = _check_limit(limit)
        now = self.ctx.now()
        with self.ctx.read_only() as session:
            policy = load_policy(session)
            rows = list(
                session.execute(
                    _pending_select()
                    .where(VerificationRound.deadline > now)
                    .order_by(VerificationRound.deadline, Verifier.id)
                    .limit(limit)
                )
            )
            if len(rows) < limit:
                rows += session.execute(
                    _pending_select()
                    .where(VerificationRound.deadline.is_(None))
                    .order_by(VerificationRound.send_due_at, Verifier.id)
                    .limit(limit - len(rows))
                )
            return _pending_rows(session, rows, policy, now)

    def caller_lookup(self, *, phone: str) -> list[PendingVerifierRow]:
        """The pending verifiers of one number, soonest deadline first."""
        try:
            number = parse_mobile(phone).number
        except InvalidValue as problem:
            raise ValidationFailed(
                [FieldError("phone", problem.code, problem.zh, problem.en)]
            ) from None
        now = self.ctx.now()
        with self.ctx.read_only() as session:
            policy = load_policy(session)
            rows = list(
                session.execute(_pending_select().where(Verifier.phone == number, _live_round(now)))
            )
            far = datetime.max.replace(tzinfo=UTC)
            rows.sort(key=lambda r: (r.deadline is None, r.deadline or far, r.send_due_at, r.id))
            return _pending_rows(session, rows, policy, now)

    # -- supervisors -----------------------------------------------------------------------
    def returned_filings(self, *, since: date | None = None, limit: int = 500) -> list[ReturnedRow]:
        """Requests now returned to the ISP, the latest returned first. `since` is an
        Asia/Shanghai day."""
        limit = _check_limit(limit)
        query = (
            select(
                Request.id,
                Subject.holder_name,
                Request.business_type,
                Request.state_changed_at,
                Request.return_reason,
                Verifier.name,
                Province.name_zh,
            )
            .join(Subject, Subject.id == Request.subject_id)
            .join(Province, Province.code == Request.province_code)
            .outerjoin(Verifier, Verifier.id == Request.returned_verifier_id)
            .where(Request.state == RequestState.RETURNED)
            .order_by(Request.state_changed_at.desc(), Request.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(Request.state_changed_at >= day_start(since))
        with self.ctx.read_only() as session:
            return [
                ReturnedRow(
                    request_id=r.id,
                    subject_name=r.holder_name,
                    business_type=r.business_type,
                    returned_at=r.state_changed_at,
                    reason=r.return_reason,
                    verifier_name=r.name,
                    province_name=r.name_zh,
                )
                for r in session.execute(query)
            ]

    def return_stats(self, *, days: int = 30) -> ReturnStats:
        """Returns per reason and passed / ended rounds per Asia/Shanghai day, over the
        `days` days ending today. Read from the audit trail: a round ends exactly once,
        as `verification_passed` or `returned`."""
        if days < 1:
            raise ValueError(f"days must be at least 1, not {days}")
        last_day = self._today()
        first_day = last_day - timedelta(days=days - 1)
        reasons = [r.value for r in ReturnReason]
        returns: dict[date, dict[str, int]] = {
            first_day + timedelta(days=i): dict.fromkeys(reasons, 0) for i in range(days)
        }
        passed: dict[date, int] = dict.fromkeys(returns, 0)
        with self.ctx.read_only() as session:
            day = _shanghai_date_sql(session, AuditEvent.at)
            reason = AuditEvent.details["reason"].as_string()
            counted = session.execute(
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

    # -- bits and pieces -------------------------------------------------------------------
    def outbox(self, *, limit: int = 200) -> list[OutboxRow]:
        """The local outbox, newest first; codes masked, staff must not read them."""
        limit = _check_limit(limit)
        with self.ctx.read_only() as session:
            entries = read_outbox(session, self.ctx.keys, limit=limit)
        return [
            OutboxRow(
                id=e.id,
                phone_masked=mask_phone(e.phone),
                sender_number=e.sender_number,
                text=scrub(e.text, codes=True),
                stored_at=e.stored_at,
            )
            for e in entries
        ]

    def provinces(self) -> list[ProvinceRow]:
        with self.ctx.read_only() as session:
            return [
                ProvinceRow(p.code, p.name_zh, p.name_en, p.verification_from)
                for p in session.scalars(select(Province).order_by(Province.code))
            ]


__all__ = ["QueryService", "Search", "day_start", "scrub"]
