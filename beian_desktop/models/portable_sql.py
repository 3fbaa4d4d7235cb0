"""SQL that SQLite and PostgreSQL spell differently, as constructs compiled for each.

`in_ids`: `column IN` a long list of ids, sent to the database as ONE parameter. A
sweep closes 100,000 rounds per transaction and names them in several statements.
SQLAlchemy's `in_()` renders one placeholder per id, and rendering and binding
100,000 of them costs more than the SQL does (about a second per 100,000 rounds).
Here the ids travel as one JSON array that the database unpacks itself: SQLite's
`json_each`, PostgreSQL's `jsonb_array_elements_text`. The statement's text stays
the same whatever the number of ids, so it is compiled once and cached.

`json_object`: a JSON object built by the database (`json_object` in SQLite,
`json_build_object` in PostgreSQL), so a sweep's audit events are written by one
INSERT ... SELECT instead of a Python dict and a JSON text per event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Boolean, Text, bindparam, literal_column
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
