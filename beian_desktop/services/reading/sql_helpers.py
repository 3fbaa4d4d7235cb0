"""Small pieces of SQL the list queries share: LIMIT without OFFSET, a capped count,
a column SQLite must not drive by its index (the help desk's queries).
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Select,
    func,
    literal,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.visitors import InternalTraversal

from beian_desktop.models import Request

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


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    return limit


def count_requests(session: Session, *where: ColumnElement[bool], cap: int | None = None) -> int:
    query = select(literal(1)).select_from(Request).where(*where)
    if cap is not None:
        query = first_n(query, cap)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
