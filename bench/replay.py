"""The statements a real call issues, captured from SQLAlchemy, replayed on the bare driver.

A baseline that does less work than the product says little (a bare SELECT and UPDATE
did a seventh of a code check's). This one does the same work: every statement the
product sent to the driver for one call, with the very parameters it bound, in the
same transactions with the same commits, on a second copy that started in the same
state, through `sqlite3` or `psycopg` and nothing else. What it leaves out is exactly
what is ours alone: building statements, the ORM, the session and the service code.

Captured from the engine's events: `before_cursor_execute` (the app's `BEGIN
IMMEDIATE` on SQLite included), `commit`, `rollback`, and each pool checkout where an
engine pings every connection first (`pool_pre_ping`), which costs a round trip too.
The app's PostgreSQL pool pings only a connection that stood idle 30 s
(models/database.py), which a benchmark's, in steady use, never does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

# (kind, sql, params): kind is execute, executemany, commit, rollback or ping.
Step = tuple[str, str, Any]


@dataclass
class StatementRecorder:
    """Records what `engine` sends to its driver until `close()`; `take()` hands over
    the steps since the last take."""

    engine: Engine
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        event.listen(self.engine, "before_cursor_execute", self._execute)
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)
        self._pings = bool(getattr(self.engine.pool, "_pre_ping", False))
        event.listen(self.engine.pool, "checkout", self._checkout)

    def _execute(
        self, _conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool
    ) -> None:
        self.steps.append(("executemany" if many else "execute", sql, params))

    def _commit(self, _conn: Any) -> None:
        self.steps.append(("commit", "", None))

    def _rollback(self, _conn: Any) -> None:
        self.steps.append(("rollback", "", None))

    def _checkout(self, *_args: Any) -> None:
        if self._pings:
            self.steps.append(("ping", "SELECT 1", None))

    def take(self) -> list[Step]:
        taken, self.steps = self.steps, []
        return taken

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._execute)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)
        event.remove(self.engine.pool, "checkout", self._checkout)


def replay(conn: Any, steps: list[Step]) -> None:
    """The steps on a bare DB-API connection; every row of a result is fetched, as
    SQLAlchemy fetches them (sqlite3 does a SELECT's work as its rows are read)."""
    cursor = conn.cursor()
    for kind, sql, params in steps:
        if kind == "commit":
            conn.commit()
        elif kind == "rollback":
            conn.rollback()
        else:
            if kind == "executemany":
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params if params is not None else ())
            if cursor.description is not None:
                cursor.fetchall()
    cursor.close()


def summary(steps: list[Step]) -> dict[str, int]:
    """How many statements and commits one call issued (for the report)."""
    statements = sum(1 for kind, _, _ in steps if kind in ("execute", "executemany"))
    return {"statements": statements, "commits": sum(1 for k, _, _ in steps if k == "commit")}
