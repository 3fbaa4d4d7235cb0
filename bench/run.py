"""Runs the benchmark suite and prints one table of figures, baselines and goals.

    .venv/bin/python -m bench.run            # the full suite: 1,000,000 requests
    .venv/bin/python -m bench.run --smoke    # seconds: keeps the code working (CI)
    .venv/bin/python -m bench.run --size 20000 --only engine   # a size between
    .venv/bin/python -m bench.run --db postgresql [--pg-url URL]   # the same on PostgreSQL
    .venv/bin/python -m bench.run --only import   # the Excel import of 1,000 rows

Generated files are kept in $BEIAN_BENCH_DIR (default /tmp/beian-bench) and reused
while the schema stays the same; the million takes about 15 minutes to write once.
On PostgreSQL the data set lives in a cluster the run starts in that directory (see
bench/pg_data.py), or in the database `--pg-url` names.
`--markdown FILE` writes the table with the machine and date (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import bench_app, bench_dispatch, bench_engine, bench_import, bench_list
from bench.generate import DEFAULT_DIR, Prepared, prepared
from bench.measure import Figure, table
from bench.pg_data import prepared_pg

FULL = {"size": 1_000_000, "overdue": 100_000, "dispatch_size": 100_000, "import_rows": 1_000}
SMOKE = {"size": 2_000, "overdue": 200, "dispatch_size": 2_000, "import_rows": 50}
SUITES: dict[str, Callable[[Prepared], list[Figure]]] = {
    "list": bench_list.run,
    "engine": bench_engine.run,
    "dispatch": bench_dispatch.run,
    "app": bench_app.run,
}
# The suites that make their own data (a number of rows) instead of the data set's.
OWN_DATA: dict[str, Callable[[int], list[Figure]]] = {"import": bench_import.run_rows}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a small N, for CI")
    parser.add_argument("--size", type=int, help="N requests (a tenth of them overdue)")
    parser.add_argument("--only", choices=sorted([*SUITES, *OWN_DATA]), action="append")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--markdown", type=Path, help="write the table (bench/RESULTS.md)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", help="a PostgreSQL database to load and use (--db postgresql)")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    if args.size:
        sizes = {**sizes, "size": args.size, "overdue": args.size // 10, "dispatch_size": args.size}
    chosen = args.only or [*SUITES, *OWN_DATA]
    started = time.perf_counter()
    figures: list[Figure] = []

    def run_suites(made: Callable[[], Prepared], small: Callable[[], Prepared]) -> None:
        """`made` and `small` make (or reuse) a data set only when a suite asks for it:
        `--only dispatch` needs no million."""
        for name in chosen:
            if name in OWN_DATA:
                continue
            print(f"-- {name}", flush=True)
            found = SUITES[name](small() if name == "dispatch" else made())
            print(table(found), flush=True)
            figures.extend(found)

    if not any(name in SUITES for name in chosen):
        pass  # only suites that make their own data: no data set to generate
    elif args.db == "postgresql":
        with prepared_pg(
            args.dir, size=sizes["size"], overdue=sizes["overdue"], url=args.pg_url
        ) as loaded:
            run_suites(lambda: loaded, lambda: loaded)
    else:
        files: dict[int, Prepared] = {}

        def sqlite_file(size: int, overdue: int = 0) -> Prepared:
            if size not in files:
                files[size] = prepared(args.dir, size=size, overdue=overdue)
            return files[size]

        run_suites(
            lambda: sqlite_file(sizes["size"], sizes["overdue"]),
            lambda: sqlite_file(sizes["dispatch_size"]),
        )
    for name in chosen:
        if name in OWN_DATA and args.db == "sqlite":
            print(f"-- {name}", flush=True)
            found = OWN_DATA[name](sizes["import_rows"])
            print(table(found), flush=True)
            figures.extend(found)
        elif name in OWN_DATA:
            print(f"-- {name}: on the embedded default (SQLite) only", flush=True)
    seconds = time.perf_counter() - started
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{machine()}, {args.db}, {when}, {seconds:.0f} s\n\n{table(figures)}")
    if args.smoke:
        print("\nA smoke run: the goals are for the full suite's million requests.")
    if args.json:
        args.json.write_text(json.dumps([f.as_dict() for f in figures], indent=2))
    if args.markdown:
        args.markdown.write_text(
            f"# Benchmark results\n\n`{' '.join(['bench.run', *(argv or sys.argv[1:])])}` on "
            f"{machine()}, {when} ({seconds:.0f} s).\n\n{table(figures)}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
