"""The filings list: first screen, sorts, filters, searches; ours against QSqlQueryModel.

"First screen" is what the filings view does before the user sees rows: a page of
requests and the total count, handed to the table model, and the visible cells
read from it. The baseline is what a Qt developer would write first: one
`QSqlQueryModel` over the same database with the same joins, filter and order
(it fetches its first 255 rows), plus a `SELECT COUNT(*)` for the status line.
Each figure is the best of a few runs after one warm-up, the same for both sides,
and both sides must put the same requests on screen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
from PySide6.QtWidgets import QApplication

from beian_desktop.rules.clock import day_start
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    SOONEST_DEADLINE_FIRST,
    FilingFilter,
    FilingSort,
    FilingSortColumn,
)
from beian_desktop.services.beian import Beian
from beian_desktop.terms import RequestState
from beian_desktop.views.filing_table_model import FilingTableModel
from bench.generate import BENCH_KEYS, NOW, Prepared, stored_utc
from bench.measure import Figure, best_of

VISIBLE_ROWS = 30  # what a 1080p window shows
RUNS = 5

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
PHONE_SEARCH = (
    "WHERE r.id IN (SELECT vr2.request_id FROM verification_rounds vr2"
    " JOIN verifiers v ON v.round_id = vr2.id WHERE v.phone = ?"
    " UNION SELECT r2.id FROM requests r2 JOIN subjects s2 ON s2.id = r2.subject_id"
    " JOIN principals p2 ON p2.id = s2.principal_id WHERE p2.mobile = ?"
    " UNION SELECT rw.request_id FROM request_websites rw"
    " JOIN websites w ON w.id = rw.website_id"
    " JOIN principals p3 ON p3.id = w.principal_id WHERE p3.mobile = ?)"
)


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
    def __init__(self, app: Beian) -> None:
        self.queries = app.queries
        self.model = FilingTableModel(app.queries.list_filings, lambda: NOW)

    def screen(self, case: Case) -> list[str]:
        page = self.queries.list_filings(filter=case.wanted, after=None, limit=100, sort=case.sort)
        self.queries.count_filings(filter=case.wanted)
        self.model.reload(case.wanted, first=page, sort=case.sort)
        return _read_screen(self.model)


class _QtSql:
    def __init__(self, path: str) -> None:
        self.db = QSqlDatabase.addDatabase("QSQLITE", "bench")
        self.db.setDatabaseName(path)
        if not self.db.open():
            raise RuntimeError(self.db.lastError().text())
        self.model = QSqlQueryModel()

    def screen(self, case: Case) -> list[str]:
        query = QSqlQuery(self.db)
        query.prepare(BASE_SQL.format(where=case.where, order=case.order))
        for value in case.values:
            query.addBindValue(value)
        query.exec()
        self.model.setQuery(query)  # fetches the first 255 rows, as Qt does
        count = QSqlQuery(self.db)
        count.prepare(_count_sql(case.where))
        for value in case.values:
            count.addBindValue(value)
        count.exec()
        count.next()
        return _read_screen(self.model)

    def close(self) -> None:
        self.model.clear()
        self.db.close()
        del self.db
        QSqlDatabase.removeDatabase("bench")


def _busiest(app: Beian) -> str:
    """The newest request's province: a broad filter."""
    page = app.queries.list_filings(filter=FilingFilter(), limit=1)
    return page.rows[0].province_code


def _a_name(app: Beian) -> str:
    """The beginning of a real holder name: city, brand and industry (many matches)."""
    row = app.queries.list_filings(filter=FilingFilter(), limit=1).rows[0]
    return row.subject_name.split("有限公司")[0]


def _a_phone(made: Prepared) -> str:
    return made.live[len(made.live) // 2].phone


def cases(app: Beian, made: Prepared) -> list[Case]:
    """Every screen measured: the list's own order and each kind of sort, one filter
    of each kind alone and two together, a filter with a sort, and the searches."""
    province = _busiest(app)
    name, phone = _a_name(app), _a_phone(made)
    month_from = NOW.date().replace(day=1) - timedelta(days=1)
    month_from = month_from.replace(day=1)  # the month before NOW's
    month_to = NOW.date().replace(day=1) - timedelta(days=1)

    def moment(day: date) -> str:
        return stored_utc(day_start(day))

    by_name = FilingSort(FilingSortColumn.SUBJECT_NAME, descending=False)
    latest = FilingSort(FilingSortColumn.SUBMITTED_AT, descending=True)
    by_state = FilingSort(FilingSortColumn.STATE, descending=False)
    approved = frozenset({"approved"})
    in_province = frozenset({province})
    return [
        Case("first screen", FilingFilter(), NEWEST_FIRST, "", [], NEWEST, 150),
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
            [moment(month_from), moment(month_to + timedelta(days=1))],
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
            "filter state=verifying, sorted by time left",
            FilingFilter(states=frozenset({"verifying"})),
            SOONEST_DEADLINE_FIRST,
            "WHERE r.state = ?",
            ["verifying"],
            SOONEST_DEADLINE,
            100,
        ),
        Case(
            "search subject name prefix",
            FilingFilter(search=name),
            NEWEST_FIRST,
            "WHERE s.holder_name >= ? AND s.holder_name < ?",
            [name, name[:-1] + chr(ord(name[-1]) + 1)],
            NEWEST,
            100,
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


def measure_cases(
    ours: _Ours, theirs: _QtSql, chosen: list[Case], label: str, baseline_name: str
) -> list[Figure]:
    figures = []
    for case in chosen:
        rows: list[list[str]] = []

        def mine(case: Case = case, rows: list[list[str]] = rows) -> None:
            rows.append(ours.screen(case))

        def qt(case: Case = case, rows: list[list[str]] = rows) -> None:
            rows.append(theirs.screen(case))

        both: list[Callable[[], None]] = [mine, qt]
        for action in both:  # warm-up: the first read of a file pays the disk
            action()
        mine_ms, qt_ms = best_of(RUNS, mine), best_of(RUNS, qt)
        if rows[0] != rows[1]:
            raise RuntimeError(f"{case.measure}: different rows on screen: {rows[0]} vs {rows[1]}")
        print(f"   {case.measure}: {mine_ms:.2f} ms against {qt_ms:.2f} ms", flush=True)
        figures.append(
            Figure(
                "filings list",
                f"{case.measure}, {label}",
                mine_ms,
                "ms",
                baseline=qt_ms,
                baseline_name=baseline_name,
                at_most=case.goal,
                ratio_at_most=1.0 if case.measure == "first screen" else None,
            )
        )
    return figures


def run(made: Prepared) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qapp = QApplication.instance() or QApplication([])
    app = Beian.open(database_url=made.url, keys=BENCH_KEYS, clock=lambda: NOW.astimezone())
    ours, theirs = _Ours(app), _QtSql(str(made.path))
    try:
        chosen = cases(app, made)
        return measure_cases(ours, theirs, chosen, f"{made.size:,} requests", "QSqlQueryModel")
    finally:
        theirs.close()
        app.close()
        del qapp
