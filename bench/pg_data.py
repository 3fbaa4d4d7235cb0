"""The benchmarks' data set on PostgreSQL: the same generator (bench/generate.py),
loaded with COPY, in a cluster of the benchmark's own or on a server named by URL.

- Own cluster (the default): `initdb` in $BEIAN_BENCH_DIR/postgresql the first
  time, as .ci/run makes its throwaway one (trust, UTF-8, C.UTF-8, fsync off:
  nothing here needs to survive a crash), started for the run on a free port and
  stopped after it. Each data set is a database named after it; the directory is
  kept so the million is loaded once (`rm -rf` it to start over).
- `--pg-url`: a database on a server someone runs; it must be empty (the data set
  is loaded into it) or hold the same data set from an earlier run.

Either way the database says which data set it holds (table `bench_data_set`, with
the live codes the code-check benchmark answers), so a stale one is never reused.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from beian_desktop.models.database import make_engine, upgrade_to_head
from bench.generate import BENCH_KEYS, GENERATION, LiveCode, Prepared, generate

# A server for a million requests on a desktop-sized machine, not the 128 MB default.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "shared_buffers": "1GB",
    "max_wal_size": "4GB",
}


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not found:
        raise SystemExit(
            "no PostgreSQL binaries under /usr/lib/postgresql: apt-get install postgresql"
        )
    return found[-1]


def _as_postgres(*command: str | Path) -> list[str]:
    """initdb and pg_ctl refuse root: run them as the postgres user then."""
    args = [str(c) for c in command]
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def own_cluster(folder: Path) -> Iterator[str]:
    """A running cluster of the benchmark's own in `folder` (made the first time);
    yields the URL of its maintenance database, and stops it after."""
    bin_dir = _pg_bin()
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if os.geteuid() == 0:
            os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
        subprocess.run(
            _as_postgres(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale=C.UTF-8"),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    port = _free_port()
    options = " ".join(
        [f"-p {port}", f"-k {folder}", *(f"-c {k}={v}" for k, v in SETTINGS.items())]
    )
    pg_ctl = bin_dir / "pg_ctl"
    subprocess.run(
        _as_postgres(pg_ctl, "-D", data, "-w", "-l", folder / "log", "-o", options, "start"),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres(pg_ctl, "-D", data, "-m", "fast", "stop"),
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip


def _create_database(maintenance_url: str, name: str) -> str:
    engine = create_engine(maintenance_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return make_url(maintenance_url).set(database=name).render_as_string(hide_password=False)


def _name(size: int, overdue: int, seed: int) -> str:
    return f"g{GENERATION}_{size}_{overdue}_{seed}"


def load(url: str, *, size: int, overdue: int, seed: int) -> Prepared:
    """The data set in the database at `url`: generated into it if it is empty,
    reused if it holds this very data set, refused otherwise."""
    name = _name(size, overdue, seed)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS bench_data_set (name text PRIMARY KEY, live text NOT NULL)"
        )
        row = conn.execute(text("SELECT name, live FROM bench_data_set")).first()
    engine.dispose()
    if row is not None and row.name != name:
        raise SystemExit(f"{make_url(url).database} holds data set {row.name}, not {name}")
    if row is None:
        summary = generate(url, BENCH_KEYS, size=size, seed=seed, overdue=overdue)
        live_json = json.dumps([astuple(c) for c in summary.live])
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO bench_data_set (name, live) VALUES (:n, :l)"),
                {"n": name, "l": live_json},
            )
        engine.dispose()
        print(f"generated {name} on PostgreSQL: {summary.requests} requests, "
              f"{summary.verifiers} verifiers in {summary.seconds:.0f} s", flush=True)  # fmt: skip
    else:
        live_json = row.live
    # A newer schema is reached by the migrations, as a shared deployment's is.
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    live = [LiveCode(*r) for r in json.loads(live_json)]
    return Prepared(size, live, url)


@contextmanager
def prepared_pg(
    folder: Path, *, size: int, overdue: int = 0, seed: int = 1, url: str | None = None
) -> Iterator[Prepared]:
    """The data set on the server at `url`, or in the benchmark's own cluster."""
    if url is not None:
        yield load(url, size=size, overdue=overdue, seed=seed)
        return
    with own_cluster(folder / "postgresql") as maintenance:
        database = _create_database(maintenance, f"beian_bench_{_name(size, overdue, seed)}")
        yield load(database, size=size, overdue=overdue, seed=seed)
