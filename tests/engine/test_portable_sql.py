"""The SQL constructs spelled per database give the same answers on both."""

from __future__ import annotations

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
    update,
)

from beian_desktop.models.portable_sql import in_ids, json_object

metadata = MetaData()
items = Table(
    "portable_sql_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(16)),
)


@pytest.fixture
def conn(database_url):
    engine = create_engine(database_url)
    with engine.begin() as connection:
        items.create(connection)
        connection.execute(items.insert(), [{"id": i, "label": f"n{i}"} for i in range(1, 40_001)])
        yield connection
        items.drop(connection)
    engine.dispose()


def test_in_ids_finds_exactly_the_ids_given(conn):
    picked = select(items.c.id).where(in_ids(items.c.id, "ids")).order_by(items.c.id)
    assert conn.execute(picked, {"ids": [7, 3, 39_999, 99_999]}).scalars().all() == [3, 7, 39_999]
    assert conn.execute(picked, {"ids": []}).scalars().all() == []


def test_in_ids_takes_more_ids_than_sqlite_takes_parameters(conn):
    """A sweep's chunk of 50,000 rounds is past SQLite's 32,766 bound parameters."""
    relabel = update(items).where(in_ids(items.c.id, "ids")).values(label="x")
    assert conn.execute(relabel, {"ids": range(1, 40_001)}).rowcount == 40_000


def test_json_object_builds_the_object_in_the_database(conn):
    built = select(json_object(id=items.c.id, label=items.c.label)).where(items.c.id == 12)
    assert conn.execute(built).scalar_one() == {"id": 12, "label": "n12"}
