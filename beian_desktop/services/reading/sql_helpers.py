"""Small pieces of SQL the list queries share: LIMIT without OFFSET, an IN list that
stays one parameter on PostgreSQL, a column SQLite must not drive by its index.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    any_,
    bindparam,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.visitors import InternalTraversal

from beian_desktop.models import Request
from beian_desktop.rules.validation import whole_number

MAX_LIMIT = 5000


# -- keeping SQLite's planner on the index chosen here --------------------------------
class Unindexed(ColumnElement[Any]):
    """A column SQLite must not use an index for: rendered `+column` there."""

    inherit_cache = True
    # SQLAlchemy declares it an instance attribute (a ClassVar here contradicts that).
    _traverse_internals: list[tuple[str, InternalTraversal]] = [  # noqa: RUF012
        ("column", InternalTraversal.dp_clauseelement)
    ]

    def __init__(self, column: ColumnElement[Any] | QueryableAttribute[Any]) -> None:
        self.column = column
        self.type = column.type


@compiles(Unindexed)
def _compile_unindexed(element: Unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(Unindexed, "sqlite")
def _compile_unindexed_sqlite(element: Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def column_for(column: Any, indexed: bool) -> Any:
    return column if indexed else Unindexed(column)


_AnySelect = TypeVar("_AnySelect", bound=Select)


def first_n(query: _AnySelect, n: int) -> _AnySelect:
    """`LIMIT n` without the `OFFSET 0` SQLAlchemy's SQLite dialect adds to `.limit()`:
    the list's SQL says what it does, keyset paging and never an offset."""
    return query.suffix_with(f"LIMIT {int(n)}")


def among(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL one array parameter rather than thousands."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("among", ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


def check_limit(limit: object) -> int:
    return whole_number("limit", limit, 1, MAX_LIMIT)


def count_requests(session: Session, *where: ColumnElement[bool], cap: int | None = None) -> int:
    query = select(literal(1)).select_from(Request).where(*where)
    if cap is not None:
        query = first_n(query, cap)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
