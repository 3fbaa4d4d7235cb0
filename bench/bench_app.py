"""Cold start and memory: the app in a fresh process over the generated database.

The clock starts in this process just before the child is spawned, so the interpreter
start, every import and the migrations check are counted. The baseline is a bare
PySide6 process that shows an empty QMainWindow: what no Qt app can start faster than.
Memory is the child's peak resident set after every page has loaded and the filings
list has fetched 5,000 rows; the baseline is the bare window's.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from beian_desktop.services.beian import Beian
from bench.bench_session import bench_session
from bench.copies import working_copy
from bench.generate import BENCH_KEYS, NOW, Prepared
from bench.measure import Figure

RUNS = 3
ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys, time, json
from bench.measure import peak_rss_mb
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
shown = time.time() - float(sys.argv[1])
mb = peak_rss_mb()
print(json.dumps({"window shown": shown, "peak memory MB": mb}))
"""


def _child(args: list[str]) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.time()
    done = subprocess.run(
        [sys.executable, *args, str(start)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _with_bench_user(url: str) -> None:
    """The administrator who signs in at each start, made on the copy beforehand as
    an office's first administrator is: a start signs in, it makes no one."""
    app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
    bench_session(app)
    app.close()


def run(made: Prepared) -> list[Figure]:
    with (
        tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp,
        working_copy(made, Path(tmp), "start") as url,
    ):
        _with_bench_user(url)
        ours = [_child(["-m", "bench.app_start", url]) for _ in range(RUNS + 1)][1:]
    bare = [_child(["-c", BARE]) for _ in range(RUNS + 1)][1:]

    def mid(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = int(ours[0]["rows loaded"])
    on = ", PostgreSQL" if made.kind == "postgresql" else ""
    spread = ", ".join(f"{r['window shown']:.2f}" for r in ours)
    return [
        Figure("cold start", f"process start to main window shown, signed in, {made.size:,}"
               f" requests{on} (runs: {spread} s)", mid(ours, "window shown"), "s",
               mid(bare, "window shown"), "empty QMainWindow", at_most=1.0),
        Figure("cold start", f"of which to signed in{on}", mid(ours, "signed in"), "s"),
        Figure("cold start", f"to every page loaded{on}", mid(ours, "every page loaded"), "s"),
        Figure("memory", f"peak RSS, every page open, {rows:,} rows of the list loaded{on}",
               max(r["peak memory MB"] for r in ours), "MB",
               max(r["peak memory MB"] for r in bare), "empty QMainWindow", at_most=200),
        Figure("memory", f"peak once signed in, before the window (the password hash){on}",
               max(r["peak memory MB at sign-in"] for r in ours), "MB"),
        Figure("memory", f"resident at the end (every page open, the rows loaded){on}",
               max(r["resident MB"] for r in ours), "MB",
               max(r["peak memory MB"] for r in bare), "empty QMainWindow"),
    ]  # fmt: skip
