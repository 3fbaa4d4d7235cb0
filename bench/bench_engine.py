"""The engine at scale: checking a code, and the sweep that returns overdue requests.

Both change data, so they run on copies of the generated file: one copy for ours,
one for the baseline, so each side starts from the same state.

- Code check: `VerificationService.check_code` with the right code and ID digits (it
  verifies, and may pass the round), and with a wrong code (it counts a try). The
  baseline is the least any implementation must do: the keyed hash, one indexed
  SELECT of the live code's verifier, one conditional UPDATE, one commit, on a bare
  sqlite3 connection with the app's pragmas.
- Sweep: `scheduler.expire_rounds` at a moment when ~100,000 pending verifiers are
  past their deadline. The baseline is the same state change done set-based, three
  UPDATEs in one transaction (rounds failed, verifiers expired, requests returned),
  without what the product adds (codes retired, intents cancelled, the returned
  verifier named, an audit event per request).
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from beian_desktop.services.beian import Beian
from beian_desktop.services.verification import scheduler
from bench.bench_session import bench_session
from bench.generate import BENCH_KEYS, NOW, LiveCode, Prepared, stored_utc
from bench.measure import Figure, median, ms_since, percentile

CHECKS = 1000
SAMPLE_SEED = 5


def _bare(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _timings(items: list[LiveCode], check: Callable[[LiveCode], object]) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter()
        check(item)
        out.append(ms_since(started))
    return out


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _one_per_round(made: Prepared, live: list[LiveCode], n: int) -> list[LiveCode]:
    """A random sample, one verifier per round: once one verifier of an 'any' round
    has verified, the others' codes rightly stop working."""
    rounds = dict(sqlite3.connect(made.path).execute("SELECT id, round_id FROM verifiers"))
    shuffled = random.Random(SAMPLE_SEED).sample(live, len(live))
    chosen: dict[int, LiveCode] = {}
    for c in shuffled:
        chosen.setdefault(rounds[c.verifier_id], c)
        if len(chosen) == n:
            break
    return list(chosen.values())


def code_check(made: Prepared, folder: Path) -> list[Figure]:
    sample = _one_per_round(made, [c for c in made.live if not c.overdue], 3 * CHECKS)
    k = len(sample) // 3  # fewer on a smoke run's small file
    right, wrong, bare = sample[:k], sample[k : 2 * k], sample[2 * k :]

    app = Beian.open(database_url=f"sqlite:///{made.copy_to(folder / 'check.sqlite3')}",
                     keys=BENCH_KEYS, clock=lambda: NOW)  # fmt: skip
    desk = bench_session(app)
    check = partial(app.verification.check_code, session=desk)
    results: set[str] = set()

    def ours_right(c: LiveCode) -> None:
        results.add(check(code=c.code, phone=c.phone, id_last6=c.id_last6).result)

    def ours_wrong(c: LiveCode) -> None:
        check(code=_wrong(c.code), phone=c.phone, id_last6=c.id_last6)

    ours_right(right[0])  # warm-up: statement caches, the first pages of each index
    right_ms = _timings(right[1:], ours_right)
    wrong_ms = _timings(wrong, ours_wrong)
    app.close()
    if not results <= {"verified_others_pending", "verified_request_complete"}:
        raise RuntimeError(f"right codes were not accepted: {results}")

    conn = _bare(folder / "check.sqlite3")  # the same file, after our checks
    verified = 0

    def baseline(c: LiveCode) -> None:
        nonlocal verified
        digest = BENCH_KEYS.keyed_hash("code", f"{c.phone}:{c.code}")
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute(
            "SELECT v.id FROM codes c JOIN verifiers v ON v.id = c.verifier_id"
            " WHERE c.code_hash = ? AND c.superseded_at IS NULL AND v.phone = ?",
            (digest, c.phone),
        ).fetchone()
        if row is not None:
            verified += conn.execute(
                "UPDATE verifiers SET state = 'verified', verified_at = ?"
                " WHERE id = ? AND state = 'pending'",
                (stored_utc(NOW), row[0]),
            ).rowcount
        conn.execute("COMMIT")

    baseline(bare[0])
    bare_ms = _timings(bare[1:], baseline)
    conn.close()
    if verified != len(bare):
        raise RuntimeError(f"the baseline verified {verified} of {len(bare)}")
    bare_median = median(bare_ms)
    label = f"{made.size:,} requests ({len(made.live):,} live codes)"
    return [
        Figure("code check", f"right code, median, {label}", median(right_ms), "ms",
               bare_median, "bare SELECT+UPDATE", at_most=2.0, ratio_at_most=3.0),
        Figure("code check", "right code, p99", percentile(right_ms, 99), "ms",
               percentile(bare_ms, 99), "bare SELECT+UPDATE"),
        Figure("code check", "wrong code, median", median(wrong_ms), "ms", bare_median,
               "bare SELECT+UPDATE", at_most=2.0, ratio_at_most=3.0),
        Figure("code check", "wrong code, p99", percentile(wrong_ms, 99), "ms",
               percentile(bare_ms, 99), "bare SELECT+UPDATE"),
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
    path = made.copy_to(folder / "sweep.sqlite3")
    app = Beian.open(database_url=f"sqlite:///{path}", keys=BENCH_KEYS, clock=lambda: NOW)
    started = time.perf_counter()
    returned = scheduler.expire_rounds(app.ctx, NOW)
    ours = ms_since(started)
    app.close()

    path = made.copy_to(folder / "sweep-baseline.sqlite3")
    conn = _bare(path)
    when = stored_utc(NOW)
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    changed = [conn.execute(sql, {"now": when}).rowcount for sql in SET_BASED]
    conn.execute("COMMIT")
    baseline = ms_since(started)
    conn.close()
    if changed[2] != returned:
        raise RuntimeError(f"ours returned {returned} requests, the baseline {changed[2]}")
    return [
        Figure("expiry sweep", f"{overdue:,} overdue verifiers, {returned:,} requests returned",
               ours / 1000, "s", baseline / 1000, "3 set-based UPDATEs", at_most=3.0,
               ratio_at_most=2.0),
    ]  # fmt: skip


def run(made: Prepared) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp:
        return code_check(made, Path(tmp)) + sweep(made, Path(tmp))
