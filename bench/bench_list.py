"""The filings list: first screen, sorts, filters, searches; ours against QSqlQueryModel.

"First screen" is what the filings view does before the user sees rows: a page of
requests handed to the table model, and the visible cells read from it. The count in
the status line is read after the rows are shown, and measured as a figure of its
own. The baseline is what a Qt developer would write first: one `QSqlQueryModel`
over the same database with the same joins, filter and order (it fetches its first
255 rows), and a `SELECT COUNT(*)` for the status line. Each figure is the best of a
few runs after one warm-up (of one, for a side whose warm-up took over a second), and
both sides must put the same requests on screen and count the same.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Protocol

import psycopg
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url

from beian_desktop.rules.clock import day_start
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    SOONEST_DEADLINE_FIRST,
    FilingFilter,
    FilingSort,
    FilingSortColumn,
)
from beian_desktop.services.beian import Beian
from beian_desktop.services.reading.fragments import caseless
from beian_desktop.terms import RequestState
from beian_desktop.views.filing_table_model import FilingTableModel
from bench.bench_session import bench_session
from bench.copies import working_copy
from bench.generate import BENCH_KEYS, NOW, Prepared, stored_utc
from bench.measure import Figure, best_of, timed_ms

VISIBLE_ROWS = 30  # what a 1080p window shows
RUNS = 5
SLOW_MS = 1000

# The same rows as `QueryService.list_filings`, in the order of the case.
BASE_SQL = """
SELECT r.id, r.business_type, r.state, p.name_zh, s.holder_name, r.submitted_at, vr.deadline
FROM requests r
JOIN subjects s ON s.id = r.subject_id
JOIN provinces p ON p.code = r.province_code
LEFT JOIN verification_rounds vr ON vr.request_id = r.id AND vr.state = 'open'
{where}
ORDER BY {order}
"""
NEWEST = "r.id DESC"
# Requests without a value last, ties newest first (FilingSort).
SOONEST_DEADLINE = "vr.deadline IS NULL, vr.deadline, r.id DESC"
BY_NAME = "s.holder_name = '', s.holder_name, r.id DESC"
LATEST_SUBMITTED = "r.submitted_at IS NULL, r.submitted_at DESC, r.id DESC"
BY_STATE = (
    "CASE r.state "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(RequestState))
    + " END, r.id DESC"
)
# What a developer writes for "a fragment of the subject name, a website name or a
# domain": LIKE '%…%' over the three, which no index serves (ILIKE on PostgreSQL for
# a fragment with letters: its LIKE tells case apart, SQLite's and the search's do
# not; LIKE for one without, as the search does). A UNION of the three, as
# the phone search: written with OR, PostgreSQL runs the subquery once per request
# when its rows outgrow work_mem (over nine minutes at a million).
FRAGMENT_SEARCH = (
    "WHERE r.id IN (SELECT r2.id FROM requests r2 JOIN subjects s2 ON s2.id = r2.subject_id"
    " WHERE s2.holder_name {like} ?"
    " UNION SELECT rw.request_id FROM request_websites rw"
    " JOIN websites w ON w.id = rw.website_id WHERE w.name {like} ?"
    " UNION SELECT rw2.request_id FROM request_websites rw2"
    " JOIN domains d ON d.website_id = rw2.website_id WHERE d.name {like} ?)"
)
PHONE_SEARCH = (
    "WHERE r.id IN (SELECT vr2.request_id FROM verification_rounds vr2"
    " JOIN verifiers v ON v.round_id = vr2.id WHERE v.phone = ?"
    " UNION SELECT r2.id FROM requests r2 JOIN subjects s2 ON s2.id = r2.subject_id"
    " JOIN principals p2 ON p2.id = s2.principal_id WHERE p2.mobile = ?"
    " UNION SELECT rw.request_id FROM request_websites rw"
    " JOIN websites w ON w.id = rw.website_id"
    " JOIN principals p3 ON p3.id = w.principal_id WHERE p3.mobile = ?)"
)


class Screen(Protocol):
    """A side: the rows on screen (what the window shows first), then the count (the
    status line, read after the rows are shown)."""

    def screen(self, case: Case) -> list[str]: ...

    def count(self, case: Case) -> int: ...


class Baseline(Screen, Protocol):
    def close(self) -> None: ...


@dataclass(frozen=True)
class Case:
    """One screen of the list: our filter and sort, the baseline's WHERE and ORDER BY."""

    measure: str
    wanted: FilingFilter
    sort: FilingSort
    where: str
    values: list[object]
    order: str
    goal: float  # ms


def _count_sql(where: str) -> str:
    join = " JOIN subjects s ON s.id = r.subject_id" if "s." in where else ""
    return f"SELECT COUNT(*) FROM requests r{join} {where}"


def _read_screen(model: QAbstractItemModel) -> list[str]:
    """Reads every visible cell, as the view's paint would; says which requests."""
    shown = []
    for row in range(min(VISIBLE_ROWS, model.rowCount())):
        for column in range(model.columnCount()):
            model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
        shown.append(str(model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)))
    return shown


class _Ours:
    def __init__(self, app: Beian, session: str) -> None:
        self.list_filings = partial(app.queries.list_filings, session=session)
        self.count_filings = partial(app.queries.count_filings, session=session)
        self.model = FilingTableModel(self.list_filings, lambda: NOW)

    def screen(self, case: Case) -> list[str]:
        page = self.list_filings(filter=case.wanted, after=None, limit=100, sort=case.sort)
        self.model.reload(case.wanted, first=page, sort=case.sort)
        return _read_screen(self.model)

    def count(self, case: Case) -> int:
        return self.count_filings(filter=case.wanted)


class _QtSql:
    """QSqlQueryModel over Qt's own driver for the database (QSQLITE, QPSQL)."""

    def __init__(self, made: Prepared) -> None:
        if made.kind == "sqlite":
            self.db = QSqlDatabase.addDatabase("QSQLITE", "bench")
            self.db.setDatabaseName(str(made.path))
        else:
            url = make_url(made.url)
            self.db = QSqlDatabase.addDatabase("QPSQL", "bench")
            self.db.setHostName(url.host or "127.0.0.1")
            self.db.setPort(url.port or 5432)
            self.db.setDatabaseName(url.database or "")
            self.db.setUserName(url.username or "")
            self.db.setPassword(url.password or "")
        self.kind = made.kind
        if not self.db.open():
            error = self.db.lastError().text()
            self.close()
            raise RuntimeError(error)
        self.model = QSqlQueryModel()

    def bound(self, value: object) -> object:
        if isinstance(value, datetime):  # as each stores a time: SQLite's text, or ISO
            return stored_utc(value) if self.kind == "sqlite" else value.isoformat()
        return value

    def screen(self, case: Case) -> list[str]:
        query = QSqlQuery(self.db)
        query.prepare(BASE_SQL.format(where=case.where, order=case.order))
        for value in case.values:
            query.addBindValue(self.bound(value))
        query.exec()
        self.model.setQuery(query)  # fetches the first 255 rows, as Qt does
        return _read_screen(self.model)

    def count(self, case: Case) -> int:
        count = QSqlQuery(self.db)
        count.prepare(_count_sql(case.where))
        for value in case.values:
            count.addBindValue(self.bound(value))
        count.exec()
        count.next()
        return int(count.value(0))

    def close(self) -> None:
        if hasattr(self, "model"):
            self.model.clear()
        self.db.close()
        del self.db
        QSqlDatabase.removeDatabase("bench")


class _Psycopg:
    """The statements at their barest: the same joins, filter and order with LIMIT of
    a page, and the count, on one psycopg connection; the rows read as tuples."""

    def __init__(self, made: Prepared) -> None:
        url = make_url(made.url).set(drivername="postgresql")
        self.conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)

    def screen(self, case: Case) -> list[str]:
        sql = BASE_SQL.format(where=case.where, order=case.order) + " LIMIT 100"
        with self.conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), case.values)
            rows = cursor.fetchall()
        return [str(row[0]) for row in rows[:VISIBLE_ROWS]]

    def count(self, case: Case) -> int:
        with self.conn.cursor() as cursor:
            cursor.execute(_count_sql(case.where).replace("?", "%s"), case.values)
            found = cursor.fetchone()
        return int(found[0]) if found else 0

    def close(self) -> None:
        self.conn.close()


def _busiest(app: Beian, session: str) -> str:
    """The newest request's province: a broad filter."""
    page = app.queries.list_filings(session=session, filter=FilingFilter(), limit=1)
    return page.rows[0].province_code


def _fragments(app: Beian, session: str) -> list[tuple[str, str]]:
    """From the newest holder name ("HZ云栖网络科技有限公司…"): its brand (two
    characters, one subject in 32), the brand's last and the industry's first (two,
    about one in 350), the brand and the industry's first two (four, one in 350), the
    industry alone (four, one in 11), and city, brand and industry (what the name
    begins with)."""
    first = app.queries.list_filings(session=session, filter=FilingFilter(), limit=1)
    holder = first.rows[0].subject_name
    rest = holder.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return [
        ("a brand", rest[:2]),
        ("where a brand meets an industry", rest[1:3]),
        ("a brand and an industry", rest[:4]),
        ("an industry", rest[2:6]),
        ("a name's beginning", holder.split("有限公司")[0]),
    ]


def _like(kind: str, text: str) -> str:
    return "ILIKE" if kind == "postgresql" and not caseless(text) else "LIKE"


def _a_phone(made: Prepared) -> str:
    return made.live[len(made.live) // 2].phone


def cases(app: Beian, session: str, made: Prepared) -> list[Case]:
    """Every screen measured: the list's own order and each kind of sort, one filter
    of each kind alone and two together, a filter with a sort, and the searches."""
    province = _busiest(app, session)
    phone = _a_phone(made)
    first_screen = 50 if made.kind == "postgresql" else 150  # ms: a shared server is near
    month_from = NOW.date().replace(day=1) - timedelta(days=1)
    month_from = month_from.replace(day=1)  # the month before NOW's
    month_to = NOW.date().replace(day=1) - timedelta(days=1)

    by_name = FilingSort(FilingSortColumn.SUBJECT_NAME, descending=False)
    latest = FilingSort(FilingSortColumn.SUBMITTED_AT, descending=True)
    by_state = FilingSort(FilingSortColumn.STATE, descending=False)
    approved = frozenset({"approved"})
    in_province = frozenset({province})
    return [
        Case("first screen", FilingFilter(), NEWEST_FIRST, "", [], NEWEST, first_screen),
        Case(
            "sorted by time left, soonest first",
            FilingFilter(),
            SOONEST_DEADLINE_FIRST,
            "",
            [],
            SOONEST_DEADLINE,
            100,
        ),
        Case("sorted by subject name", FilingFilter(), by_name, "", [], BY_NAME, 100),
        Case(
            "sorted by submission, latest first",
            FilingFilter(),
            latest,
            "",
            [],
            LATEST_SUBMITTED,
            100,
        ),
        Case("sorted by state", FilingFilter(), by_state, "", [], BY_STATE, 100),
        Case(
            f"filter state=approved + province={province}",
            FilingFilter(states=approved, province_codes=in_province),
            NEWEST_FIRST,
            "WHERE r.state = ? AND r.province_code = ?",
            ["approved", province],
            NEWEST,
            100,
        ),
        Case(
            f"filter province={province}",
            FilingFilter(province_codes=in_province),
            NEWEST_FIRST,
            "WHERE r.province_code = ?",
            [province],
            NEWEST,
            100,
        ),
        Case(
            "filter type=change_phone",
            FilingFilter(business_types=frozenset({"change_phone"})),
            NEWEST_FIRST,
            "WHERE r.business_type = ?",
            ["change_phone"],
            NEWEST,
            100,
        ),
        Case(
            f"filter submitted {month_from:%Y-%m}",
            FilingFilter(submitted_from=month_from, submitted_to=month_to),
            NEWEST_FIRST,
            "WHERE r.submitted_at >= ? AND r.submitted_at < ?",
            [day_start(month_from), day_start(month_to + timedelta(days=1))],
            NEWEST,
            100,
        ),
        Case(
            f"filter province={province}, sorted by subject name",
            FilingFilter(province_codes=in_province),
            by_name,
            "WHERE r.province_code = ?",
            [province],
            BY_NAME,
            100,
        ),
        Case(
            "filter state=approved, sorted by subject name",
            FilingFilter(states=approved),
            by_name,
            "WHERE r.state = ?",
            ["approved"],
            BY_NAME,
            100,
        ),
        Case(
            "filter state=verifying, sorted by time left",
            FilingFilter(states=frozenset({"verifying"})),
            SOONEST_DEADLINE_FIRST,
            "WHERE r.state = ?",
            ["verifying"],
            SOONEST_DEADLINE,
            100,
        ),
        *(
            Case(
                f"search {what} ({len(text)} characters)",
                FilingFilter(search=text),
                NEWEST_FIRST,
                FRAGMENT_SEARCH.format(like=_like(made.kind, text)),
                [f"%{text}%"] * 3,
                NEWEST,
                20,
            )
            for what, text in _fragments(app, session)
        ),
        Case(
            "search mobile number",
            FilingFilter(search=phone),
            NEWEST_FIRST,
            PHONE_SEARCH,
            [phone, phone, phone],
            NEWEST,
            100,
        ),
    ]


def _showing(
    side: Screen, case: Case, shown: dict[str, list[str]], name: str
) -> Callable[[], None]:
    """One side's screen as a timed action; what it showed is kept under `name`."""

    def action() -> None:
        shown[name] = side.screen(case)

    return action


def _counting(side: Screen, case: Case, counted: dict[str, int], name: str) -> Callable[[], None]:
    def action() -> None:
        counted[name] = side.count(case)

    return action


def _timed(sides: list[tuple[str, Callable[[], None]]]) -> dict[str, float]:
    """Best of RUNS after a warm-up (the first read of a file pays the disk); a side
    that takes seconds (a sort or a LIKE scan of the whole table) once more, not RUNS
    times."""
    warm = {name: timed_ms(action) for name, action in sides}
    return {name: best_of(1 if warm[name] > SLOW_MS else RUNS, action) for name, action in sides}


def measure_cases(
    ours: _Ours, baselines: list[tuple[str, Baseline]], chosen: list[Case], label: str
) -> list[Figure]:
    figures = []
    for case in chosen:
        shown: dict[str, list[str]] = {}
        counted: dict[str, int] = {}
        every = [("ours", ours), *baselines]
        times = _timed([(name, _showing(side, case, shown, name)) for name, side in every])
        counts = _timed([(name, _counting(side, case, counted, name)) for name, side in every])
        for name, _ in baselines:
            if shown[name] != shown["ours"] or counted[name] != counted["ours"]:
                raise RuntimeError(
                    f"{case.measure}: different rows on screen or counts: {shown['ours']}"
                    f" ({counted['ours']}) vs {name}'s {shown[name]} ({counted[name]})"
                )
        print(
            f"   {case.measure}: {times['ours']:.2f} ms, then its count {counts['ours']:.2f}"
            " ms; " + ", ".join(f"{n} {times[n]:.2f} + {counts[n]:.2f} ms" for n, _ in baselines),
            flush=True,
        )
        name = baselines[0][0]
        figures.append(
            Figure(
                "filings list",
                f"{case.measure}, the count shown after the rows ({counted['ours']:,}), {label}",
                counts["ours"],
                "ms",
                baseline=counts[name],
                baseline_name=f"{name}'s SELECT COUNT(*)",
            )
        )
        for n, (name, _) in enumerate(baselines):
            figures.append(
                Figure(
                    "filings list",
                    f"{case.measure}, {label}" + (f", against {name}" if n else ""),
                    times["ours"],
                    "ms",
                    baseline=times[name],
                    baseline_name=name,
                    at_most=case.goal if n == 0 else None,
                    ratio_at_most=1.0 if case.measure == "first screen" and n == 0 else None,
                )
            )
    return figures


def _baselines(made: Prepared) -> list[tuple[str, Baseline]]:
    """SQLite: QSqlQueryModel. PostgreSQL: QSqlQueryModel over QPSQL where Qt's
    driver loads (it needs libpq), and the bare psycopg statements."""
    if made.kind == "sqlite":
        return [("QSqlQueryModel", _QtSql(made))]
    found: list[tuple[str, Baseline]] = []
    if QSqlDatabase.isDriverAvailable("QPSQL"):
        try:
            found.append(("QSqlQueryModel (QPSQL)", _QtSql(made)))
        except RuntimeError as error:
            print(f"   QPSQL does not open ({error}): bare statements only", flush=True)
    found.append(("bare psycopg", _Psycopg(made)))
    return found


def run(made: Prepared) -> list[Figure]:
    """On a working copy: the bench user who signs in is made there, not in the data set."""
    with (
        tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp,
        working_copy(made, Path(tmp), "list") as url,
    ):
        path = Path(make_url(url).database or "") if made.kind == "sqlite" else None
        return _run(replace(made, url=url, path=path))


def _run(made: Prepared) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qapp = QApplication.instance() or QApplication([])
    app = Beian.open(database_url=made.url, keys=BENCH_KEYS, clock=lambda: NOW.astimezone())
    session = bench_session(app)
    ours = _Ours(app, session)
    baselines = _baselines(made)
    label = f"{made.size:,} requests" + (", PostgreSQL" if made.kind == "postgresql" else "")
    try:
        return measure_cases(ours, baselines, cases(app, session, made), label)
    finally:
        for _, side in baselines:
            side.close()
        app.close()
        del qapp
