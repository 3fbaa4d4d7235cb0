"""SQL that SQLite and PostgreSQL spell differently, as constructs compiled for each.

`in_ids`: `column IN` a long list of ids, sent to the database as ONE parameter. A
sweep closes 100,000 rounds per transaction and names them in several statements.
SQLAlchemy's `in_()` renders one placeholder per id, and rendering and binding
100,000 of them costs more than the SQL does (about a second per 100,000 rounds).
Here the ids travel as one JSON array that the database unpacks itself: SQLite's
`json_each`, PostgreSQL's `jsonb_array_elements_text`. The statement's text stays
the same whatever the number of ids, so it is compiled once and cached.

`next_ids`: ids handed out before the INSERTs, for rows inserted many at a time that
refer to each other (the batch import).

`json_object`: a JSON object built by the database (`json_object` in SQLite,
`json_build_object` in PostgreSQL), so a sweep's audit events are written by one
INSERT ... SELECT instead of a Python dict and a JSON text per event.

`json_array_of`: the values of a one-column SELECT as a JSON array, in its order (a
correlated subquery: every verifier a return names, in its event). SQLite aggregates
an ordered subquery with `json_group_array` (the idiom that keeps the order: an
aggregate over a subquery with ORDER BY is never flattened); PostgreSQL makes an
ARRAY of the subquery, which keeps its order, and `to_json` of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Select,
    Table,
    Text,
    bindparam,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator


class IdList(TypeDecorator[list[int]]):
    """A list of integer ids, bound as the text of a JSON array."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Iterable[int] | None, dialect: Dialect) -> str | None:
        return None if value is None else json.dumps([int(i) for i in value])


class InIds(ColumnElement[bool]):
    """`column IN (the ids bound to parameter `name`)`."""

    type = Boolean()
    # A predicate already: without this, SQLite (no native boolean) would get
    # `... IN (...) = 1`, which no index can serve.
    _is_implicitly_boolean = True
    inherit_cache = True
    # SQLAlchemy declares it an instance attribute (a ClassVar here contradicts that).
    _traverse_internals: list[tuple[str, InternalTraversal]] = [  # noqa: RUF012
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any] | InstrumentedAttribute[Any], name: str) -> None:
        self.column: ColumnElement[Any] = (
            column.__clause_element__() if isinstance(column, InstrumentedAttribute) else column
        )
        self.ids = bindparam(name, type_=IdList())


def in_ids(column: ColumnElement[Any] | InstrumentedAttribute[Any], name: str) -> InIds:
    return InIds(column, name)


@compiles(InIds, "sqlite")
def _in_json_each(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


@compiles(InIds, "postgresql")
def _in_jsonb_elements(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = compiler.process(element.column, **kw), compiler.process(element.ids, **kw)
    return (
        f"{column} IN (SELECT CAST(value AS BIGINT)"
        f" FROM jsonb_array_elements_text(CAST({ids} AS JSONB)))"
    )


@compiles(InIds)
def _unsupported(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    raise NotImplementedError(f"in_ids has no form for {compiler.dialect.name}")


class JsonObject(FunctionElement[Any]):
    """json_object(key, value, ...); built by `json_object`."""

    type = JSON()
    inherit_cache = True
    name = "json_object"


def json_object(**fields: ColumnElement[Any]) -> JsonObject:
    """A JSON object of named columns. The names are our code's keyword arguments,
    never input, so they go into the SQL as string literals (a bound key would have
    no type on PostgreSQL)."""
    pairs: list[ColumnElement[Any]] = []
    for key, value in fields.items():
        pairs += [literal_column(f"'{key}'"), value]
    return JsonObject(*pairs)


@compiles(JsonObject, "sqlite")
def _json_object(element: JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(JsonObject, "postgresql")
def _json_build_object(element: JsonObject, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


class JsonArrayOf(ColumnElement[Any]):
    """The values of a one-column SELECT as a JSON array; built by `json_array_of`."""

    type = JSON()
    inherit_cache = True
    _traverse_internals: list[tuple[str, InternalTraversal]] = [  # noqa: RUF012
        ("values", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, values: Select[Any]) -> None:
        (column,) = values.selected_columns
        self.values = values.with_only_columns(column.label("value")).scalar_subquery()


def json_array_of(values: Select[Any]) -> JsonArrayOf:
    """`values` selects one column (ORDER BY says the order); [] when it selects none."""
    return JsonArrayOf(values)


@compiles(JsonArrayOf, "sqlite")
def _json_group_array(element: JsonArrayOf, compiler: SQLCompiler, **kw: Any) -> str:
    inner = compiler.process(element.values, **kw)
    return f"json((SELECT json_group_array(value) FROM {inner}))"


@compiles(JsonArrayOf, "postgresql")
def _to_json_array(element: JsonArrayOf, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_json(ARRAY{compiler.process(element.values, **kw)})"


def next_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` new ids for `table`'s integer primary key `id`, so that rows that refer
    to each other can be inserted many at a time (SQLite cannot return the ids of a
    batched INSERT in order). PostgreSQL: the column's own sequence, which other
    transactions share safely. SQLite: after the largest id, which is safe because a
    writing transaction holds the database's one write lock from its BEGIN IMMEDIATE
    (models/database.py) and SQLite gives a new row the same id itself."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        )
        return [int(r[0]) for r in rows]
    last = conn.execute(select(func.max(table.c.id))).scalar()
    first = int(last or 0) + 1
    return list(range(first, first + count))
