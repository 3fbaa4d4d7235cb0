"""The migrations are the schema: what `alembic upgrade head` makes is what the ORM maps.

Also the province table SPEC §2.3 ships, re-running the upgrade at every start, and a
first start on an empty file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text, update

from beian_desktop.models import Base, Province, Subject
from beian_desktop.models.database import (
    alembic_config,
    make_engine,
    make_session_factory,
    upgrade_to_head,
)
from beian_desktop.models.search_tables import outside_metadata
from beian_desktop.services.beian import Beian

from factories import filing
from staff import FAST_HASHER, session_for

FIRST_PILOT = {"12", "62", "54", "64", "46", "65", "63"}  # 2017
GROUP_2018_09_10 = {"33", "35", "45", "50", "51", "61", "53"}
GROUP_2018_09_24 = {"14", "15", "23", "34", "37", "41", "42", "43"}
NATIONWIDE = date(2020, 8, 17)
ALL_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65",
}  # fmt: skip
ABBREVIATIONS = {"11": "京", "12": "津", "14": "晋", "31": "沪", "33": "浙", "44": "粤", "51": "蜀"}


@pytest.fixture
def engine(fresh_database_url: str):
    engine = make_engine(fresh_database_url)
    upgrade_to_head(engine)  # a copy of the migrated template, or a fresh PostgreSQL schema
    yield engine
    engine.dispose()


def schema_differences(engine: Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                # The search index's own tables and indexes (models/search_tables.py).
                "include_name": lambda name, type_, parents: (
                    not outside_metadata(name, type_, parents)
                ),
            },
        )
        return compare_metadata(context, Base.metadata)


def head_revision(engine: Engine) -> str:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def provinces(engine: Engine) -> dict[str, tuple[str, str, str, date | None]]:
    with make_session_factory(engine)() as session:
        return {
            p.code: (p.name_zh, p.name_en, p.abbr, p.verification_from)
            for p in session.scalars(select(Province))
        }


def snapshot(engine: Engine) -> dict[str, object]:
    """Tables, columns, indexes, constraints and the rows that migrations write."""
    with engine.connect() as conn:
        inspector = inspect(conn)
        tables = {}
        for name in sorted(inspector.get_table_names()):
            tables[name] = (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
                sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(name)),
                sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(name)
                ),
                sorted(
                    (f["name"], tuple(f["constrained_columns"]), f["referred_table"])
                    for f in inspector.get_foreign_keys(name)
                ),
                inspector.get_pk_constraint(name)["constrained_columns"],
            )
        versions = list(conn.execute(text("SELECT version_num FROM alembic_version")))
    return {"tables": tables, "versions": versions, "provinces": provinces(engine)}


# -- the schema is the metadata --------------------------------------------------------
def test_the_migrated_schema_matches_the_orm_metadata(engine):
    assert current_revision(engine) == head_revision(engine)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        tables = {t for t in inspect(conn).get_table_names() if not outside_metadata(t)}
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_the_template_the_tests_copy_is_at_head(migrated_sqlite: Path):
    engine = make_engine(f"sqlite:///{migrated_sqlite}")
    try:
        assert current_revision(engine) == head_revision(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_the_revisions_form_one_line(engine):
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert [r.down_revision for r in revisions][-1] is None
    assert all(r.is_branch_point is False for r in revisions)


# -- the province table ----------------------------------------------------------------
def test_the_province_table_ships_the_spec_dates(engine):
    rows = provinces(engine)
    assert len(rows) == 31
    assert set(rows) == ALL_CODES
    starts = {code: row[3] for code, row in rows.items()}
    for code in FIRST_PILOT:
        assert starts[code] is not None and starts[code].year == 2017, code
    for code in GROUP_2018_09_10:
        assert starts[code] == date(2018, 9, 10), code
    for code in GROUP_2018_09_24:
        assert starts[code] == date(2018, 9, 24), code
    for code in ALL_CODES - FIRST_PILOT - GROUP_2018_09_10 - GROUP_2018_09_24:
        assert starts[code] == NATIONWIDE, code
    # The ones the SPEC names.
    assert rows["12"][1] == "Tianjin" and starts["12"].year == 2017
    assert rows["33"][1] == "Zhejiang" and starts["33"] == date(2018, 9, 10)
    assert rows["14"][1] == "Shanxi" and starts["14"] == date(2018, 9, 24)
    assert rows["44"][1] == "Guangdong" and starts["44"] == date(2020, 8, 17)
    for code, abbr in ABBREVIATIONS.items():
        assert rows[code][2] == abbr, code
    # Every abbreviation is one character and tells the provinces apart.
    assert {len(row[2]) for row in rows.values()} == {1}
    assert len({row[2] for row in rows.values()}) == 31
    assert all(row[0] and row[1] for row in rows.values())


# -- every start upgrades: that must be harmless ---------------------------------------
def test_upgrading_an_upgraded_database_changes_nothing(engine):
    # An administrator's edit of the province table must survive the next start.
    with make_session_factory(engine).begin() as session:
        session.execute(
            update(Province).where(Province.code == "44").values(verification_from=None)
        )
    before = snapshot(engine)
    assert before["provinces"]["44"][3] is None

    upgrade_to_head(engine)
    upgrade_to_head(engine)

    assert snapshot(engine) == before
    assert schema_differences(engine) == []


def test_opening_twice_keeps_the_data(tmp_path: Path, keys, clock):
    url = f"sqlite:///{tmp_path / 'twice.sqlite3'}"
    first = Beian.open(database_url=url, keys=keys, clock=clock, hasher=FAST_HASHER)
    request_id = first.filings.save_new_filing(
        session=session_for(first, "isp"), filing=filing(serial=1)
    )
    first.close()
    second = Beian.open(database_url=url, keys=keys, clock=clock, hasher=FAST_HASHER)
    try:
        with second.ctx.unit_of_work() as session:
            assert session.scalar(select(func.count()).select_from(Subject)) == 1
            assert session.scalar(select(func.count()).select_from(Province)) == 31
        isp = session_for(second, "isp")
        assert second.submission.submit(session=isp, request_id=request_id) == "verifying"
    finally:
        second.close()


# -- a first start ---------------------------------------------------------------------
def test_beian_open_on_a_new_empty_file_creates_the_schema(tmp_path: Path, keys, clock):
    path = tmp_path / "first" / "start.sqlite3"
    path.parent.mkdir()
    assert not path.exists()
    app = Beian.open(database_url=f"sqlite:///{path}", keys=keys, clock=clock, hasher=FAST_HASHER)
    try:
        assert path.exists()
        assert app.engine is not None
        assert current_revision(app.engine) == head_revision(app.engine)
        assert schema_differences(app.engine) == []
        assert len(provinces(app.engine)) == 31
        isp = session_for(app, "isp")
        request_id = app.filings.save_new_filing(session=isp, filing=filing(serial=1))
        assert app.submission.submit(session=isp, request_id=request_id) == "verifying"
    finally:
        app.close()


def test_an_empty_file_has_no_schema_until_upgraded(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
        assert current_revision(engine) is None
        upgrade_to_head(engine)
        assert current_revision(engine) == head_revision(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back_up(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'round_trip.sqlite3'}")
    try:
        upgrade_to_head(engine)
        command.downgrade(alembic_config(engine), "base")
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        assert current_revision(engine) is None
        upgrade_to_head(engine)
        assert schema_differences(engine) == []
        assert len(provinces(engine)) == 31
    finally:
        engine.dispose()
