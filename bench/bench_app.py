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

from bench.generate import Prepared
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


def run(made: Prepared) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="beian-bench-") as tmp:
        path = Path(tmp) / "start.sqlite3"
        made.copy_to(path)  # the first start adds a user; the file stays as made
        ours = [_child(["-m", "bench.app_start", str(path)]) for _ in range(RUNS + 1)][1:]
    bare = [_child(["-c", BARE]) for _ in range(RUNS + 1)][1:]

    def mid(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    rows = int(ours[0]["rows loaded"])
    return [
        Figure("cold start", f"process start to main window shown, {made.size:,} requests",
               mid(ours, "window shown"), "s", mid(bare, "window shown"), "empty QMainWindow",
               at_most=1.5),
        Figure("cold start", "to every page loaded", mid(ours, "every page loaded"), "s"),
        Figure("memory", f"peak RSS, every page open, {rows:,} rows of the list loaded",
               max(r["peak memory MB"] for r in ours), "MB",
               max(r["peak memory MB"] for r in bare), "empty QMainWindow", at_most=250),
    ]  # fmt: skip
