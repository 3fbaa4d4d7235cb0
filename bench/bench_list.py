"""The filings list: first screen, a filter, searches; ours against QSqlQueryModel.

"First screen" is what the filings view does before the user sees rows: a page of
requests and the total count, handed to the table model, and the visible cells
read from it. The baseline is what a Qt developer would write first: one
`QSqlQueryModel` over the same SQLite file with the same joins, filter and order
(it fetches its first 255 rows), plus a `SELECT COUNT(*)` for the status line.
Each figure is the best of a few runs after one warm-up, the same for both sides.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
from PySide6.QtWidgets import QApplication

from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    SOONEST_DEADLINE_FIRST,
    FilingFilter,
    FilingSort,
)
from beian_desktop.services.beian import Beian
from beian_desktop.views.filing_table_model import FilingTableModel
from bench.generate import BENCH_KEYS, NOW, Prepared
from bench.measure import Figure, best_of

VISIBLE_ROWS = 30  # what a 1080p window shows
RUNS = 5

# The same rows as `QueryService.list_filings`, newest first.
BASE_SQL = """
SELECT r.id, r.business_type, r.state, p.name_zh, s.holder_name, r.submitted_at, vr.deadline
FROM requests r
JOIN subjects s ON s.id = r.subject_id
JOIN provinces p ON p.code = r.province_code
LEFT JOIN verification_rounds vr ON vr.request_id = r.id AND vr.state = 'open'
{where}
ORDER BY {order}
"""


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

    def screen(self, wanted: FilingFilter, sort: FilingSort = NEWEST_FIRST) -> list[str]:
        page = self.queries.list_filings(filter=wanted, after=None, limit=100, sort=sort)
        self.queries.count_filings(filter=wanted)
        self.model.reload(wanted, first=page, sort=sort)
        return _read_screen(self.model)


class _QtSql:
    def __init__(self, path: str) -> None:
        self.db = QSqlDatabase.addDatabase("QSQLITE", "bench")
        self.db.setDatabaseName(path)
        if not self.db.open():
            raise RuntimeError(self.db.lastError().text())
        self.model = QSqlQueryModel()

    def screen(self, where: str, values: list[object], order: str = "r.id DESC") -> list[str]:
        query = QSqlQuery(self.db)
        query.prepare(BASE_SQL.format(where=where, order=order))
        for value in values:
            query.addBindValue(value)
        query.exec()
        self.model.setQuery(query)  # fetches the first 255 rows, as Qt does
        count = QSqlQuery(self.db)
        count.prepare(_count_sql(where))
        for value in values:
            count.addBindValue(value)
        count.exec()
        count.next()
        return _read_screen(self.model)

    def close(self) -> None:
        self.model.clear()
        self.db.close()
        del self.db
        QSqlDatabase.removeDatabase("bench")


def _busiest(app: Beian) -> tuple[str, str]:
    """The newest request's province and the commonest state: a broad filter."""
    page = app.queries.list_filings(filter=FilingFilter(), limit=1)
    return page.rows[0].province_code, "approved"


def _a_name(app: Beian) -> str:
    """The beginning of a real holder name: city, brand and industry (many matches)."""
    row = app.queries.list_filings(filter=FilingFilter(), limit=1).rows[0]
    return row.subject_name.split("有限公司")[0]


def _a_phone(made: Prepared) -> str:
    return made.live[len(made.live) // 2].phone


def run(made: Prepared) -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qapp = QApplication.instance() or QApplication([])
    app = Beian.open(database_url=made.url, keys=BENCH_KEYS, clock=lambda: NOW.astimezone())
    ours, theirs = _Ours(app), _QtSql(str(made.path))
    province, state = _busiest(app)
    name, phone = _a_name(app), _a_phone(made)
    label = f"{made.size:,} requests"
    cases: list[tuple[str, FilingFilter, str, list[object], float]] = [
        ("first screen", FilingFilter(), "", [], 150),
        ("sorted by time left, soonest first", FilingFilter(), "", [], 100),
        (
            f"filter state={state} + province={province}",
            FilingFilter(states=frozenset({state}), province_codes=frozenset({province})),
            "WHERE r.state = ? AND r.province_code = ?",
            [state, province],
            100,
        ),
        (
            "search subject name prefix",
            FilingFilter(search=name),
            "WHERE s.holder_name >= ? AND s.holder_name < ?",
            [name, name[:-1] + chr(ord(name[-1]) + 1)],
            100,
        ),
        (
            "search mobile number",
            FilingFilter(search=phone),
            "WHERE r.id IN (SELECT vr2.request_id FROM verification_rounds vr2"
            " JOIN verifiers v ON v.round_id = vr2.id WHERE v.phone = ?"
            " UNION SELECT r2.id FROM requests r2 JOIN subjects s2 ON s2.id = r2.subject_id"
            " JOIN principals p2 ON p2.id = s2.principal_id WHERE p2.mobile = ?"
            " UNION SELECT rw.request_id FROM request_websites rw"
            " JOIN websites w ON w.id = rw.website_id"
            " JOIN principals p3 ON p3.id = w.principal_id WHERE p3.mobile = ?)",
            [phone, phone, phone],
            100,
        ),
    ]
    figures = []
    try:
        for measure, wanted, where, values, goal in cases:
            rows: list[list[str]] = []

            sorted_ = measure.startswith("sorted")
            sort = SOONEST_DEADLINE_FIRST if sorted_ else NEWEST_FIRST
            # Requests without a running deadline last, ties newest first (FilingSort).
            order = "vr.deadline IS NULL, vr.deadline, r.id DESC" if sorted_ else "r.id DESC"

            def mine(wanted: FilingFilter = wanted, sort=sort, rows=rows) -> None:
                rows.append(ours.screen(wanted, sort))

            def qt(where: str = where, values: list[object] = values, order=order, rows=rows):
                rows.append(theirs.screen(where, values, order))

            both: list[Callable[[], None]] = [mine, qt]
            for action in both:  # warm-up: the first read of a file pays the disk
                action()
            mine_ms, qt_ms = best_of(RUNS, mine), best_of(RUNS, qt)
            if rows[0] != rows[1]:
                raise RuntimeError(f"{measure}: different rows on screen: {rows[0]} vs {rows[1]}")
            figures.append(
                Figure(
                    "filings list",
                    f"{measure}, {label}",
                    mine_ms,
                    "ms",
                    baseline=qt_ms,
                    baseline_name="QSqlQueryModel",
                    at_most=goal,
                    ratio_at_most=1.0 if measure == "first screen" else None,
                )
            )
    finally:
        theirs.close()
        app.close()
        del qapp
    return figures
