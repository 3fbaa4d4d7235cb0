"""The child process of the start-up benchmark: the app's own start, timed from inside.

It does what `beian-desktop` does: open the database, sign in (the dialog waits for
a person, so the bench user, made on the copy by the parent, signs in through the
service the dialog calls), build the main window, show it, and let every page
load. It prints one JSON line: seconds from the parent's clock at each step, and
the peak resident memory after the filings list has been scrolled through a few
thousand rows.

    python -m bench.app_start DATABASE_URL PARENT_START [SCROLL_PAGES]
"""

from __future__ import annotations

import json
import os
import sys
import time


def _since(start: float) -> float:
    return time.time() - start


async def _main(url: str, start: float, scroll_pages: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from beian_desktop.services.beian import Beian
    from beian_desktop.views.main_window import MainWindow
    from beian_desktop.views.operations import OperationRunner
    from beian_desktop.views.view_context import ViewContext
    from bench.bench_session import BENCH_USER
    from bench.generate import BENCH_KEYS, NOW
    from bench.measure import peak_rss_mb, resident_mb

    figures = {"imported": _since(start)}
    app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=lambda: NOW)
    ops = OperationRunner("zh_CN", interactive=False)
    username, _, password = BENCH_USER
    signed_in = app.sign_in.sign_in(username=username, password=password)
    figures["signed in"] = _since(start)
    figures["peak memory MB at sign-in"] = peak_rss_mb()
    # No scheduler: its first tick would sweep the file's overdue rounds meanwhile.
    window = MainWindow(ViewContext(app, ops, signed_in, "zh_CN"), run_scheduler=False)
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    figures["window shown"] = _since(start)
    await window.start()
    QApplication.processEvents()
    figures["every page loaded"] = _since(start)
    model = window.pages["filings"].model
    for _ in range(scroll_pages):
        model.fetchMore()
    figures["rows loaded"] = float(model.rowCount())
    figures["peak memory MB"] = peak_rss_mb()
    figures["resident MB"] = resident_mb()
    window.close()
    ops.shutdown()
    app.close()
    return figures


def main() -> None:
    url, start = sys.argv[1], float(sys.argv[2])
    scroll_pages = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from beian_desktop.views.app_main import run_on_qt_loop
    from beian_desktop.views.resources import install_translators

    qt_app = QApplication(sys.argv[:1])
    qt_app.setQuitOnLastWindowClosed(False)
    install_translators(qt_app, "zh_CN")  # as app_main.run, in Chinese
    figures = run_on_qt_loop(qt_app, _main(url, start, scroll_pages))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
