"""The code check's baseline does the same work as the check: the statements a real
check sent, replayed on the bare driver on a copy made before it, leave that copy as
the check left its own (bench/replay.py). SQLite only: a PostgreSQL copy is a whole
database, which the benchmark makes itself (bench/copies.py)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from beian_desktop.services.beian import Beian
from bench.copies import bare_connection
from bench.generate import NOW, generate
from bench.replay import StatementRecorder, replay, summary

from staff import FAST_HASHER, session_for


def _state(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute(
                "SELECT id, state, wrong_tries, verified_at FROM verifiers ORDER BY id"
            ).fetchall()
            + conn.execute("SELECT action, details FROM audit_events ORDER BY id").fetchall()
        )
    finally:
        conn.close()


def test_a_replayed_check_changes_its_copy_as_the_check_changed_the_original(
    tmp_path, migrated_sqlite, keys
):
    original = tmp_path / "checked.sqlite3"
    shutil.copyfile(migrated_sqlite, original)
    summary_of_data = generate(f"sqlite:///{original}", keys, size=120, seed=4)
    live = [c for c in summary_of_data.live if not c.overdue]
    right, wrong = live[0], live[-1]
    app = Beian.open(database_url=f"sqlite:///{original}", keys=keys, clock=lambda: NOW,
                     upgrade=False, hasher=FAST_HASHER)  # fmt: skip
    desk = session_for(app, "desk")
    app.close()
    copy = tmp_path / "replayed.sqlite3"
    shutil.copyfile(original, copy)
    before = _state(copy)

    app = Beian.open(database_url=f"sqlite:///{original}", keys=keys, clock=lambda: NOW,
                     upgrade=False, hasher=FAST_HASHER)  # fmt: skip
    recorder = StatementRecorder(app.engine)
    outcome = app.verification.check_code(
        session=desk, code=right.code, phone=right.phone, id_last6=right.id_last6
    )
    right_steps = recorder.take()
    typo = f"{(int(wrong.code) + 1) % 10**6:06d}"
    app.verification.check_code(session=desk, code=typo, phone=wrong.phone, id_last6=wrong.id_last6)
    wrong_steps = recorder.take()
    recorder.close()
    app.close()
    assert outcome.result.startswith("verified")
    assert summary(right_steps)["commits"] == 1
    assert right_steps[0][1] == "BEGIN IMMEDIATE"  # the app's own transaction, replayed too

    conn = bare_connection(f"sqlite:///{copy}")
    replay(conn, right_steps)
    replay(conn, wrong_steps)
    conn.close()
    after = _state(copy)
    assert after != before
    assert after == _state(original)
