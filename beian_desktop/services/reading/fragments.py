"""A fragment of the names the filings search looks in, read from its index.

`filing_search.names` holds each request's subject holder name and the names and
domains of its websites, one a line (models/search_tables.py; migration
0009_filing_search builds it and the triggers that keep it in step, 0015 PostgreSQL's
indexes of it). A
fragment of three characters or more is looked up by its trigrams, one of two by
the pair itself:

- SQLite: a phrase MATCH on the FTS5 trigram table; a pair is one token of the
  pairs table (the hex of its lower-cased UTF-8, as the triggers write them).
- PostgreSQL: `names ILIKE '%fragment%'` on pg_trgm's GIN index (`LIKE` for a
  fragment without letters of two cases, as Chinese is: ILIKE lower-cases every
  candidate's names to test it, a third of a rare fragment's page); a pair,
  `pairs @> ARRAY[lower(pair)]` on the GIN index of the generated column of pairs.
  Both indexes also hold each row's span of request ids (migration 0015), so that
  a page of a rare fragment reads only the matches in the newest spans
  (`newest_ids`): a GIN index yields no order, only the rows to read.

Letters match in any case (FTS5 folds case; SQLite's lower() and so a pair's token,
ASCII letters only; PostgreSQL lower-cases them all). `fragment_ids` is the ids as
a subquery, for a page or a count to be read from the index itself (newest first
by rowid on SQLite); `HasFragment` the same as a predicate on a request id.
"""

from __future__ import annotations

import math
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, Text, bindparam, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

# The ids of the requests whose names hold the fragment, by database and by the
# fragment's kind (`_kind`); `{fragment}` is the bound fragment, as _Fragment binds it.
_IDS = {
    ("sqlite", "pair"): "SELECT rowid AS id FROM filing_search_pairs"
    " WHERE filing_search_pairs MATCH '\"' || hex(lower({fragment})) || '\"'",
    ("sqlite", "cased"): "SELECT rowid AS id FROM filing_search_trigram"
    " WHERE filing_search_trigram MATCH {fragment}",
    ("postgresql", "pair"): "SELECT request_id AS id FROM filing_search"
    " WHERE pairs @> ARRAY[lower({fragment})]",
    ("postgresql", "caseless"): "SELECT request_id AS id FROM filing_search"
    " WHERE names LIKE {fragment}",
    ("postgresql", "cased"): "SELECT request_id AS id FROM filing_search"
    " WHERE names ILIKE {fragment}",
}


def caseless(text: str) -> bool:
    """No character of `text` has another case, so LIKE finds what ILIKE would. A
    combining mark or a character Python's Unicode tables do not know counts as
    cased: the database's tables may be newer, or fold a letter into a mark."""
    for character in text:
        category = unicodedata.category(character)
        if category[0] == "M" or category == "Cn":
            return False
    return text.lower() == text.upper()


def _kind(fragment: str) -> str:
    """How the fragment is looked up: as a pair (two characters), caseless or cased."""
    if len(fragment) == 2:
        return "pair"
    return "caseless" if caseless(fragment) else "cased"


def _ids_sql(dialect: str, kind: str) -> str:
    """The ids' SQL; SQLite's FTS5 folds case itself, so there LIKE is never asked."""
    if dialect == "sqlite" and kind == "caseless":
        kind = "cased"
    return _IDS[dialect, kind]


def bound_fragment(fragment: str, dialect: str) -> str:
    """What the query binds: a pair as typed (the SQL lower-cases it), else SQLite's
    FTS5 phrase (quotes doubled) or PostgreSQL's LIKE or ILIKE pattern (wildcards
    escaped)."""
    if len(fragment) == 2:
        return fragment
    if dialect == "sqlite":
        return '"' + fragment.replace('"', '""') + '"'
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Matches below this are read from the search index (its newest spans first, then its
# bitmap whole and sorted); above it, the primary key walked newest first finds a
# page sooner (PostgreSQL).
FEW_MATCHES = 20_000
STATISTICS_KEPT = 600.0  # seconds a connection keeps the pairs' statistics it read

# The share of the search table's rows holding each of the commonest pairs, as
# PostgreSQL's ANALYZE last counted them; the last three frequencies are the least,
# the greatest and the share of NULL elements (pg_stats).
_PAIR_STATISTICS = text(
    "SELECT c.reltuples::float8 AS rows, s.most_common_elems::text::text[] AS pairs,"
    " s.most_common_elem_freqs AS shares"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname"
    " AND s.attname = 'pairs'"
    " WHERE c.oid = to_regclass('filing_search')"
)


@dataclass(frozen=True)
class PairStatistics:
    """How many requests hold at most a fragment, from how many hold each of its
    pairs: a request holding the fragment holds every pair of it, so the rarest pair
    bounds it from above. A pair among none of the commonest is taken at the least
    share among them."""

    rows: float
    shares: dict[str, float]
    least: float

    def at_most(self, fragment: str) -> float:
        folded = fragment.lower()
        pairs = [folded[n : n + 2] for n in range(len(folded) - 1)]
        return self.rows * min(self.shares.get(pair, self.least) for pair in pairs)

    def few(self, fragment: str) -> bool:
        return self.at_most(fragment) < FEW_MATCHES


def pair_statistics(session: Session, now: float | None = None) -> PairStatistics | None:
    """The statistics of the column of pairs, read once per connection every
    STATISTICS_KEPT seconds (they change as ANALYZE runs, not per search); None
    before the table was first analysed with rows enough to count."""
    connection = session.connection()
    now = time.monotonic() if now is None else now
    kept = connection.info.get("beian.pair_statistics")
    if kept is not None and now - kept[0] < STATISTICS_KEPT:
        return kept[1]
    row = connection.execute(_PAIR_STATISTICS).first()
    statistics = None
    if row is not None and row.pairs and row.shares and row.rows > 0:
        shares = dict(zip(row.pairs, row.shares[:-3], strict=True))
        statistics = PairStatistics(row.rows, shares, float(row.shares[-3]))
    connection.info["beian.pair_statistics"] = (now, statistics)
    return statistics


def few_matches(session: Session, fragment: str) -> bool:
    """Whether few requests hold the fragment (PostgreSQL). PostgreSQL's planner
    costs the test of a row's pairs or names as one cheap operator, so for a rare
    fragment it would walk the newest ids testing each one; and pg_trgm's estimate
    of a longer fragment follows its pattern, not its trigrams. The bound of its
    pairs (`PairStatistics`) needs no round trip; only a table never analysed asks
    the planner."""
    statistics = pair_statistics(session)
    if statistics is not None:
        return statistics.few(fragment)
    sql = "EXPLAIN (FORMAT JSON) " + _ids_sql("postgresql", _kind(fragment)).format(
        fragment=":fragment"
    )
    value = bound_fragment(fragment, "postgresql")
    plan: Any = session.execute(
        text(sql).bindparams(bindparam("fragment", value, type_=Text()))
    ).scalar()
    return float(plan[0]["Plan"]["Plan Rows"]) < FEW_MATCHES


# Migration 0015 indexes each row's span of request ids (`request_id / SPAN`) beside
# its names and its pairs, so that a page of a rare fragment reads the rows of the
# matches in the newest spans only.
SPAN = 10_000
NEWEST_HOLD = 2.0  # the newest spans asked for hold, by the estimate, twice a page

# The newest n matches (below :below, if bound) of a rare fragment (PostgreSQL): those
# in the spans from {floor} up first, the others only if these are fewer than n. A
# CTE runs when first read, so `older` is never read when `newer` fills the page;
# its bound is on request_id itself, not on the span, so that the GIN index is not
# asked for every older span.
_NEWEST = (
    "WITH newer AS MATERIALIZED ({ids} AND request_id / {span} >= {floor}{below}),"
    " older AS MATERIALIZED ({ids} AND request_id < {floor} * {span}{below})"
    " SELECT id FROM ((SELECT id FROM newer ORDER BY id DESC LIMIT {n})"
    " UNION ALL (SELECT id FROM older ORDER BY id DESC LIMIT {n})) AS newest LIMIT {n}"
)
_FLOOR = "((coalesce(:below, (SELECT max(request_id) FROM filing_search)) - :width) / {span})"


def newest_width(session: Session, fragment: str, n: int) -> int | None:
    """How many of the newest request ids hold, by the statistics, NEWEST_HOLD pages
    of n matches of a fragment few requests hold (PostgreSQL); None when it is not
    few, when the statistics are not there yet, or when that is every request."""
    statistics = pair_statistics(session)
    if statistics is None or not statistics.few(fragment):
        return None
    at_most = statistics.at_most(fragment)
    width = math.ceil(NEWEST_HOLD * n * statistics.rows / max(at_most, 1.0))
    return width if width < statistics.rows else None


def newest_ids(fragment: str, below: int | None, width: int, n: int) -> TextualSelect:
    """`SELECT id` of the newest n requests (below `below`) whose names hold the
    fragment, those of the newest `width` ids read first (PostgreSQL; see _NEWEST)."""
    ids = _ids_sql("postgresql", _kind(fragment)).format(fragment=":fragment")
    sql = _NEWEST.format(
        ids=ids,
        span=SPAN,
        floor=_FLOOR.format(span=SPAN),
        below="" if below is None else " AND request_id < :below",
        n=int(n),
    )
    return (
        text(sql)
        .bindparams(
            bindparam("fragment", bound_fragment(fragment, "postgresql"), type_=Text()),
            bindparam("below", below, type_=Integer()),
            bindparam("width", width, type_=Integer()),
        )
        .columns(id=Integer)
    )


def fragment_ids(dialect: str, fragment: str) -> TextualSelect:
    """`SELECT id` of the requests whose names hold the fragment (two characters or
    more), for `dialect` ("sqlite" or "postgresql")."""
    sql: TextClause = text(_ids_sql(dialect, _kind(fragment)).format(fragment=":fragment"))
    value = bound_fragment(fragment, dialect)
    return sql.bindparams(bindparam("fragment", value, type_=Text())).columns(id=Integer)


class _Fragment(TypeDecorator[str]):
    """The typed fragment, bound as the database's index reads it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else bound_fragment(value, dialect.name)


class HasFragment(ColumnElement[bool]):
    """`request_id IN (the requests whose names hold the fragment)`: two characters
    or more."""

    type = Boolean()
    _is_implicitly_boolean = True  # a predicate already, no `= 1` on SQLite
    inherit_cache = True
    _traverse_internals: list[tuple[str, InternalTraversal]] = [  # noqa: RUF012
        ("request_id", InternalTraversal.dp_clauseelement),
        ("fragment", InternalTraversal.dp_clauseelement),
        ("kind", InternalTraversal.dp_string),
    ]

    def __init__(
        self, request_id: ColumnElement[Any] | InstrumentedAttribute[Any], fragment: str
    ) -> None:
        if len(fragment) < 2:
            raise ValueError("a fragment has two characters or more")
        self.request_id: ColumnElement[Any] = (
            request_id.__clause_element__()
            if isinstance(request_id, InstrumentedAttribute)
            else request_id
        )
        self.fragment = bindparam(None, fragment, type_=_Fragment())
        self.kind = _kind(fragment)


@compiles(HasFragment)
def _has_fragment(element: HasFragment, compiler: SQLCompiler, **kw: Any) -> str:
    ids = _ids_sql(compiler.dialect.name, element.kind)
    fragment = compiler.process(element.fragment, **kw)
    return f"{compiler.process(element.request_id, **kw)} IN ({ids.format(fragment=fragment)})"
