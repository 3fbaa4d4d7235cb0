"""Several desks at once: N workstation processes and a worker on one database.

    .venv/bin/python -m bench.load --db postgresql --desks 8 --seconds 60
    .venv/bin/python -m bench.load --db sqlite --desks 8 --seconds 60 --ladder
    .venv/bin/python -m bench.load --smoke          # seconds, on 2,000 requests

Each desk is a process of its own (bench/load_desk.py) that signs in as its own
help-desk user (made on the working copy, one per desk) and does a help desk's mix
through the public services: open the list, page, open a detail, check codes right
and wrong (the generator keeps the live codes), resend, search, with a person's
pause between. A worker process runs the product's loop beside them. Every desk has
codes of its own to check right, so no two desks answer the same verifier right.

The baseline is the same mix by one desk (with the worker) on a fresh copy in the
same run; each operation's p50/p95/p99 with N desks is printed beside the one-desk
figure, with the errors. Goal (on PostgreSQL): p95 at most 3x the one-desk figure,
no errors. `--ladder` also runs 2, 4, ... desks up to N, to show where it stops
scaling (SQLite: one writer at a time).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import astuple
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from beian_desktop.services.beian import Beian
from beian_desktop.terms import UserRole
from bench.bench_session import bench_session
from bench.copies import working_copy
from bench.generate import BENCH_KEYS, DEFAULT_DIR, NOW, Prepared, prepared
from bench.load_desk import MIX
from bench.measure import Figure, percentile, table
from bench.pg_data import prepared_pg

ROOT = Path(__file__).resolve().parent.parent
DESK_PASSWORD = "Kx7-Helpdesk-2026"
RIGHT_PER_DESK = 400  # more than a desk checks in a minute at a person's pace
OTHER_PER_DESK = 200
SEARCHES = 40
P95_RATIO = 3.0


def _searches(url: str, made: Prepared, rng: random.Random) -> list[str]:
    """What callers give: a mobile number, or two or three characters of a name."""
    engine = create_engine(url)
    with engine.connect() as conn:
        top = conn.scalar(text("SELECT MAX(id) FROM subjects")) or 1
        ids = [rng.randint(1, top) for _ in range(SEARCHES)]
        names = conn.execute(
            text(
                "SELECT holder_name FROM subjects WHERE id IN ({})".format(",".join(map(str, ids)))
            )
        ).scalars()
        fragments = [name[: rng.choice((2, 3))] for name in names if len(name) >= 3]
    engine.dispose()
    phones = [c.phone for c in rng.sample(made.live, min(SEARCHES, len(made.live)))]
    return fragments + phones


def _plans(made: Prepared, desks: int, folder: Path, url: str) -> list[Path]:
    """Each desk's codes to check right, others to check wrong and resend, its searches."""
    rng = random.Random(15)
    live = [c for c in made.live if not c.overdue]
    rng.shuffle(live)
    per = min(RIGHT_PER_DESK + OTHER_PER_DESK, len(live) // desks)
    searches = _searches(url, made, rng)
    files = []
    for i in range(desks):
        mine = live[i * per : (i + 1) * per]
        split = per * RIGHT_PER_DESK // (RIGHT_PER_DESK + OTHER_PER_DESK)
        plan = {"right": [astuple(c) for c in mine[:split]],
                "other": [astuple(c) for c in mine[split:]], "searches": searches}  # fmt: skip
        path = folder / f"desk-{i + 1}.json"
        path.write_text(json.dumps(plan))
        files.append(path)
    return files


def _desk_users(url: str, desks: int) -> list[str]:
    app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
    admin = bench_session(app)
    names = []
    for i in range(desks):
        name = f"desk{i + 1}"
        app.users.create_user(session=admin, username=name, display_name=f"客服{i + 1}",
                              role=UserRole.HELP_DESK, password=DESK_PASSWORD,
                              must_change_password=False)  # fmt: skip
        names.append(name)
    app.close()
    return names


def _spawn(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.load_desk", *args], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip


def one_run(made: Prepared, desks: int, seconds: float, think: float, folder: Path
            ) -> dict[str, Any]:  # fmt: skip
    """`desks` desks and a worker for `seconds` on a fresh copy: every timing and error."""
    with working_copy(made, folder, f"load{desks}") as url:
        users = _desk_users(url, desks)
        plans = _plans(made, desks, folder, url)
        children = [_spawn(["worker", url, str(seconds)])]
        children += [
            _spawn(["desk", url, user, DESK_PASSWORD, str(plan), str(seconds), str(think), str(i)])
            for i, (user, plan) in enumerate(zip(users, plans, strict=True))
        ]
        try:
            for child in children:  # every desk signed in, the worker's first pass done
                assert child.stdout is not None
                if child.stdout.readline().strip() != "ready":
                    raise RuntimeError("a load-test process did not start")
            for child in children:
                assert child.stdin is not None
                child.stdin.write("go\n")
                child.stdin.flush()
            found: dict[str, Any] = {"times": defaultdict(list), "errors": defaultdict(list)}
            for child in children:
                out, _ = child.communicate(timeout=seconds + 600)
                if child.returncode != 0:
                    raise RuntimeError(f"a load-test process failed ({child.returncode})")
                result = json.loads(out.strip().splitlines()[-1])
                for key in ("times", "errors"):
                    for op, values in result[key].items():
                        found[key][op].extend(values)
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
    return found


def figures(made: Prepared, runs: dict[int, dict[str, Any]], seconds: float) -> list[Figure]:
    one, desks = runs[1], max(runs)
    on = "PostgreSQL" if made.kind == "postgresql" else "SQLite"
    pg = made.kind == "postgresql"
    out: list[Figure] = []
    for op in [*MIX, "worker pass"]:
        base = one["times"].get(op)
        for n in sorted(runs):
            times = runs[n]["times"].get(op)
            if (n == 1 and desks > 1) or not times or not base:
                continue  # none in a short run is no figure
            label = (
                f"{op}, {n} desks, {on}, {len(times):,} (1 desk: {len(base):,}) in {seconds:.0f} s"
            )
            for p in (50, 95, 99):
                goal = (
                    {"ratio_at_most": P95_RATIO} if pg and p == 95 and op != "worker pass" else {}
                )
                out.append(Figure("desks at once", f"{label}, p{p}" if p == 50 else f"p{p}",
                                  percentile(times, p), "ms", percentile(base, p), "1 desk",
                                  **goal))  # fmt: skip
    for n in sorted(runs):
        errors = sum(len(v) for v in runs[n]["errors"].values())
        out.append(Figure("desks at once", f"errors, {n} desk{'s' if n > 1 else ''}, {on}",
                          errors, "", at_most=0 if pg else None))  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", help="a PostgreSQL database to load and use")
    parser.add_argument("--desks", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--baseline-seconds", type=float, help="the one-desk run's (default --seconds)"
    )
    parser.add_argument("--think", type=float, default=1.0,
                        help="a person's mean pause between operations, seconds")  # fmt: skip
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=100_000)
    parser.add_argument("--ladder", action="store_true", help="also 2, 4, ... desks up to --desks")
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 requests, 2 desks, 5 s, short pauses"
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", type=Path, help="also write every timing and error as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size, args.overdue, args.desks, args.seconds, args.think = 2_000, 200, 2, 5.0, 0.1
    counts = [1, args.desks]
    if args.ladder:
        counts = sorted({1, args.desks, *(2**i for i in range(1, 8) if 2**i < args.desks)})

    def measure(made: Prepared) -> dict[int, dict[str, Any]]:
        with tempfile.TemporaryDirectory(prefix="beian-load-") as tmp:
            runs = {}
            for n in counts:
                seconds = args.seconds if n > 1 else args.baseline_seconds or args.seconds
                print(f"-- {n} desk(s) for {seconds:.0f} s", flush=True)
                runs[n] = one_run(made, n, seconds, args.think, Path(tmp))
            return runs

    if args.db == "postgresql":
        with prepared_pg(args.dir, size=args.size, overdue=args.overdue, url=args.pg_url) as made:
            runs = measure(made)
    else:
        made = prepared(args.dir, size=args.size, overdue=args.overdue)
        runs = measure(made)
    found = figures(made, runs, args.seconds)
    print(table(found))
    for n, run in sorted(runs.items()):
        for op, messages in run["errors"].items():
            for message in sorted(set(messages))[:5]:
                print(f"{n} desks, {op}: {messages.count(message)} x {message}")
    if args.json:
        args.json.write_text(json.dumps({str(n): r for n, r in runs.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
