"""The engine at scale: checking a code, and the sweep that returns overdue requests.

Both change data, so they run on working copies of the data set (bench/copies.py: a
file on SQLite, a database on PostgreSQL), one for ours and one for each baseline,
so each side starts from the same state.

- Code check: `VerificationService.check_code` with the right code and ID digits (it
  verifies, and may pass the round), and with a wrong code (it counts a try). The
  baseline is a replay (bench/replay.py): the very statements each of our checks sent
  to the driver, captured from SQLAlchemy's events, run on the bare driver on a second
  copy in the same transaction with the same commit. It does the same work, so the
  ratio is what our code costs on top of the database's work. The old baseline, the
  least any check must do (the keyed hash, one indexed SELECT, one conditional UPDATE,
  a commit), is kept beside it for continuity.
- Sweep: `scheduler.expire_rounds` at a moment when ~100,000 pending verifiers are
  past their deadline. The baseline is the same state change done set-based, three
  UPDATEs in one transaction (rounds failed, verifiers expired, requests returned),
  without what the product adds (codes retired, intents cancelled, the returned
  verifier named, an audit event per request).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from beian_desktop.services.beian import Beian
from beian_desktop.services.verification import scheduler
from bench.bench_session import bench_session
from bench.copies import bare_connection, bare_sql, copy_of, drop_copy, stored_time, working_copy
from bench.generate import BENCH_KEYS, NOW, LiveCode, Prepared
from bench.measure import Figure, median, ms_since, percentile
from bench.replay import StatementRecorder, Step, replay, summary

CHECKS = 1000
SAMPLE_SEED = 5
# What must come out the same on the copy our checks ran on and on the replay's.
FINGERPRINT = (
    "SELECT (SELECT COUNT(*) FROM audit_events), (SELECT COUNT(*) FROM verifiers"
    " WHERE state = 'verified'), (SELECT COUNT(*) FROM verification_rounds WHERE state = 'open'),"
    " (SELECT COALESCE(SUM(wrong_tries), 0) FROM verifiers)"
)
OLD_BASELINE = "bare SELECT+UPDATE"


def _timings(
    items: list[LiveCode], check: Callable[[LiveCode], object], cpu: list[float] | None = None
) -> list[float]:
    """Wall-clock ms of each check; with `cpu`, this process's CPU ms of each too (on
    a busy machine the wall clock also counts the waits for a core)."""
    out = []
    for item in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        check(item)
        out.append(ms_since(started))
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
    return out


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _one_per_round(made: Prepared, live: list[LiveCode], n: int) -> list[LiveCode]:
    """A random sample, one verifier per round: once one verifier of an 'any' round
    has verified, the others' codes rightly stop working."""
    engine = create_engine(made.url)
    with engine.connect() as conn:
        rounds = dict(conn.execute(text("SELECT id, round_id FROM verifiers")).tuples().all())
    engine.dispose()
    shuffled = random.Random(SAMPLE_SEED).sample(live, len(live))
    chosen: dict[int, LiveCode] = {}
    for c in shuffled:
        chosen.setdefault(rounds[c.verifier_id], c)
        if len(chosen) == n:
            break
    return list(chosen.values())


def _fingerprint(url: str) -> tuple[Any, ...]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = tuple(conn.execute(text(FINGERPRINT)).one())
    engine.dispose()
    return found


def _old_baseline(url: str, items: list[LiveCode]) -> list[float]:
    """The keyed hash, one indexed SELECT, one conditional UPDATE, a commit."""
    conn = bare_connection(url)
    select_sql = bare_sql(
        url,
        "SELECT v.id FROM codes c JOIN verifiers v ON v.id = c.verifier_id"
        " WHERE c.code_hash = ? AND c.superseded_at IS NULL AND v.phone = ?",
    )
    update_sql = bare_sql(
        url,
        "UPDATE verifiers SET state = 'verified', verified_at = ?"
        " WHERE id = ? AND state = 'pending'",
    )
    begin = "BEGIN IMMEDIATE" if url.startswith("sqlite") else None
    when = stored_time(url, NOW)
    verified = 0

    def check(c: LiveCode) -> None:
        nonlocal verified
        digest = BENCH_KEYS.keyed_hash("code", f"{c.phone}:{c.code}")
        cursor = conn.cursor()
        if begin:
            cursor.execute(begin)
        row = cursor.execute(select_sql, (digest, c.phone)).fetchone()
        if row is not None:
            verified += cursor.execute(update_sql, (when, row[0])).rowcount
        conn.commit()
        cursor.close()

    check(items[0])
    timings = _timings(items[1:], check)
    conn.close()
    if verified != len(items):
        raise RuntimeError(f"the old baseline verified {verified} of {len(items)}")
    return timings


def code_check(made: Prepared, folder: Path) -> list[Figure]:
    sample = _one_per_round(made, [c for c in made.live if not c.overdue], 3 * CHECKS)
    k = len(sample) // 3  # fewer on a smoke run's small file
    right, wrong, bare = sample[:k], sample[k : 2 * k], sample[2 * k :]

    with working_copy(made, folder, "check") as url:
        app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
        desk = bench_session(app)  # the user and the session are on both copies
        app.close()
        replay_url = copy_of(url, folder, "check_replay")
        try:
            app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
            check = partial(app.verification.check_code, session=desk)
            results: set[str] = set()
            recorder = StatementRecorder(app.engine)
            captured: list[list[Step]] = []

            def ours_right(c: LiveCode) -> None:
                results.add(check(code=c.code, phone=c.phone, id_last6=c.id_last6).result)
                captured.append(recorder.take())

            def ours_wrong(c: LiveCode) -> None:
                check(code=_wrong(c.code), phone=c.phone, id_last6=c.id_last6)
                captured.append(recorder.take())

            ours_right(right[0])  # warm-up: statement caches, the first pages of each index
            right_cpu: list[float] = []
            wrong_cpu: list[float] = []
            right_ms = _timings(right[1:], ours_right, right_cpu)
            wrong_ms = _timings(wrong, ours_wrong, wrong_cpu)
            recorder.close()
            app.close()
            if not results <= {"verified_others_pending", "verified_request_complete"}:
                raise RuntimeError(f"right codes were not accepted: {results}")

            conn = bare_connection(replay_url)
            replayed = iter(captured)
            replay(conn, next(replayed))  # the same warm-up
            replay_cpu: list[float] = []
            replay_ms = _timings(
                right[1:] + wrong, lambda _c: replay(conn, next(replayed)), replay_cpu
            )
            conn.close()
            if _fingerprint(url) != _fingerprint(replay_url):
                raise RuntimeError("the replay did not leave its copy as our checks left theirs")
            old_ms = _old_baseline(replay_url, bare)
        finally:
            drop_copy(replay_url)

    split = len(right) - 1
    replay_right, replay_wrong = replay_ms[:split], replay_ms[split:]
    right_shape, wrong_shape = summary(captured[1]), summary(captured[-1])
    on = ", PostgreSQL" if made.kind == "postgresql" else ""
    goal = 3.0 if made.kind == "postgresql" else 2.0
    label = f"{made.size:,} requests{on} ({len(made.live):,} live codes)"
    replay_name = "replay of its statements, bare driver"
    return [
        Figure("code check", f"right code, median, {label}", median(right_ms), "ms",
               median(replay_right), replay_name, at_most=goal, ratio_at_most=2.0),
        Figure("code check", f"right code, median{on}, against the old baseline",
               median(right_ms), "ms", median(old_ms), OLD_BASELINE),
        Figure("code check", f"right code, p99{on}", percentile(right_ms, 99), "ms",
               percentile(replay_right, 99), replay_name),
        Figure("code check", f"wrong code, median{on}", median(wrong_ms), "ms",
               median(replay_wrong), replay_name, at_most=goal, ratio_at_most=2.0),
        Figure("code check", f"wrong code, median{on}, against the old baseline",
               median(wrong_ms), "ms", median(old_ms), OLD_BASELINE),
        Figure("code check", f"wrong code, p99{on}", percentile(wrong_ms, 99), "ms",
               percentile(replay_wrong, 99), replay_name),
        *_cpu_figures(made, right_cpu, wrong_cpu, replay_cpu[:split], replay_cpu[split:]),
        Figure("code check", f"statements sent by one right-code check{on} "
               f"({right_shape['commits']} commit)", right_shape["statements"], "statements"),
        Figure("code check", f"statements sent by one wrong-code check{on} "
               f"({wrong_shape['commits']} commit)", wrong_shape["statements"], "statements"),
    ]  # fmt: skip


def _cpu_figures(made: Prepared, right: list[float], wrong: list[float],
                 replay_right: list[float], replay_wrong: list[float]) -> list[Figure]:  # fmt: skip
    """This process's CPU time: on SQLite the database works in this process, so both
    sides' whole work, without the waits for a core a busy machine adds to the wall
    clock. On PostgreSQL the server's share is not in it, so it is not shown."""
    if made.kind != "sqlite":
        return []
    name = "replay, CPU time"
    return [
        Figure("code check", "right code, median CPU time", median(right), "ms",
               median(replay_right), name),
        Figure("code check", "wrong code, median CPU time", median(wrong), "ms",
               median(replay_wrong), name),
    ]  # fmt: skip


SET_BASED = (
    "UPDATE verifiers SET state = 'expired', ended_at = :now WHERE state = 'pending'"
    " AND round_id IN (SELECT id FROM verification_rounds WHERE state = 'open'"
    " AND deadline <= :now)",
    "UPDATE requests SET state = 'returned', state_changed_at = :now, return_reason = 'expired'"
    " WHERE state = 'verifying' AND id IN (SELECT request_id FROM verification_rounds"
    " WHERE state = 'open' AND deadline <= :now)",
    "UPDATE verification_rounds SET state = 'failed', ended_at = :now"
    " WHERE state = 'open' AND deadline <= :now",
)


def sweep(made: Prepared, folder: Path) -> list[Figure]:
    overdue = sum(1 for c in made.live if c.overdue)
    with working_copy(made, folder, "sweep") as url:
        app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
        started = time.perf_counter()
        returned = scheduler.expire_rounds(app.ctx, NOW)
        ours = ms_since(started)
        app.close()

    with working_copy(made, folder, "sweep_baseline") as url:
        conn = bare_connection(url)
        cursor = conn.cursor()
        started = time.perf_counter()
        if url.startswith("sqlite"):
            cursor.execute("BEGIN IMMEDIATE")
        changed = []
        for sql in SET_BASED:
            cursor.execute(bare_sql(url, sql), {"now": stored_time(url, NOW)})
            changed.append(cursor.rowcount)
        conn.commit()
        baseline = ms_since(started)
        conn.close()
    if changed[2] != returned:
        raise RuntimeError(f"ours returned {returned} requests, the baseline {changed[2]}")
    on = ", PostgreSQL" if made.kind == "postgresql" else ""
    goal = 5.0 if made.kind == "postgresql" else 3.0
    return [
        Figure("expiry sweep", f"{overdue:,} overdue verifiers, {returned:,} requests returned{on}",
               ours / 1000, "s", baseline / 1000, "3 set-based UPDATEs", at_most=goal,
               ratio_at_most=2.0),
    ]  # fmt: skip


def run(made: Prepared) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp:
        return code_check(made, Path(tmp)) + sweep(made, Path(tmp))
