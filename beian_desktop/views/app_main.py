"""Starting the desktop application: config, database, sign-in, the main window.

`beian-desktop` opens on the embedded default (SQLite in the data directory, the local
SMS outbox, the scheduler in-process). `--demo` fills a living data set first;
`--self-test` starts offscreen on a temporary database, opens every view once and
exits 0, which is how CI checks the built bundle.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Coroutine
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from qasync import QEventLoop

from beian_desktop.demo.demo_data import DAYS, END_HOUR, fill_demo_data
from beian_desktop.rules.clock import SHANGHAI, ManualClock, in_shanghai, system_clock
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.app_config import AppConfig, load_config
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.garbage_collector import GuiThreadGarbageCollector
from beian_desktop.views.login_dialog import FirstAdminDialog, LoginDialog
from beian_desktop.views.main_window import MainWindow
from beian_desktop.views.operations import OperationRunner
from beian_desktop.views.resources import install_translators
from beian_desktop.views.view_context import ViewContext

log = logging.getLogger(__name__)
SELF_TEST_PASSWORD = "self-test-Passw0rd"
T = TypeVar("T")


def _language(asked: str | None) -> str:
    """--language, then BEIAN_LANGUAGE, then the choice saved in Settings, then Chinese."""
    saved = QSettings().value("language")
    return asked or os.environ.get("BEIAN_LANGUAGE") or (str(saved) if saved else "zh_CN")


async def _sign_in(app: Beian, ops: OperationRunner):
    if await ops.read(app.users.needs_first_admin):
        dialog = FirstAdminDialog(app.users, ops)
        if await run_dialog(dialog) and dialog.user is not None:
            return dialog.user
        return None
    dialog = LoginDialog(app.users, ops)
    if await run_dialog(dialog):
        return dialog.user
    return None


def _demo_start(now: datetime) -> datetime:
    """The demo plays ten days and stops at 18:00 on the last; start it so that the last
    18:00 is the latest one already past, so nothing in it lies in the future."""
    local = in_shanghai(now)
    last_day = local.date() if local.hour >= END_HOUR else local.date() - timedelta(days=1)
    first = last_day - timedelta(days=DAYS)
    return datetime(first.year, first.month, first.day, 10, tzinfo=SHANGHAI)


async def _fill_demo(app: Beian) -> None:
    clock = ManualClock(_demo_start(system_clock()))
    demo_app = Beian(replace(app.ctx, clock=clock))
    summary = await asyncio.to_thread(fill_demo_data, demo_app, clock)
    log.info("demo data filled: %s", summary.describe())


async def _self_test(qt_app: QApplication, language: str) -> int:
    """Every view opens once on a fresh database; any exception fails the run."""
    workdir = Path(tempfile.mkdtemp(prefix="beian-self-test-"))
    app = Beian.open(
        database_url=f"sqlite:///{workdir / 'self-test.sqlite3'}",
        keys=SecretKeys.load_or_create(workdir / "secret.key"),
    )
    ops = OperationRunner(language)
    ops.interactive = False
    try:
        admin = await ops.run(
            app.users.create_first_admin,
            username="selftest",
            display_name="Self test",
            password=SELF_TEST_PASSWORD,
        )
        await _fill_demo(app)
        window = MainWindow(ViewContext(app, ops, admin, language), run_scheduler=False)
        window.show()
        await window.start()
        for key in window.pages:
            window.show_page(key)
            await asyncio.sleep(0.05)  # the loop paints; no re-entrant processEvents()
        await app.tick_async()
        window.close()
        print(f"self-test passed: {len(window.pages)} views opened", flush=True)
        return 0
    finally:
        await app.aclose_sender()
        ops.shutdown()
        app.close()


async def _run(qt_app: QApplication, config: AppConfig, language: str, demo: bool) -> int:
    app = Beian.open(database_url=config.database_url, keys=config.load_keys(), sms=config.sms)
    ops = OperationRunner(language)
    try:
        if demo and await ops.read(app.queries.count_filings, filter=FilingFilter()) == 0:
            await _fill_demo(app)
        user = await _sign_in(app, ops)
        if user is None:
            return 0
        window = MainWindow(ViewContext(app, ops, user, language, config.config_file))
        window.show()
        await window.start()
        closed = asyncio.get_running_loop().create_future()
        window.closed.connect(lambda: closed.done() or closed.set_result(None))
        await closed
        return 0
    finally:
        await app.aclose_sender()
        ops.shutdown()
        app.close()


def run_on_qt_loop(qt_app: QApplication, main: Coroutine[Any, Any, T]) -> T:
    """Runs `main` on a qasync loop over Qt's, with cycles holding Qt objects collected
    on the GUI thread only, never on the database thread."""
    collector = GuiThreadGarbageCollector()
    collector.start()
    loop = QEventLoop(qt_app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(main)
    finally:
        collector.stop()


def run(args) -> int:
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("beian-desktop")
    # The loop ends when the main window closes, not when a progress dialog does.
    qt_app.setQuitOnLastWindowClosed(False)
    qt_app.setOrganizationName("beian-desktop")
    config = load_config(config_file=args.config)
    language = _language(args.language)
    install_translators(qt_app, language)
    if args.self_test:
        return run_on_qt_loop(qt_app, _self_test(qt_app, language))
    return run_on_qt_loop(qt_app, _run(qt_app, config, language, args.demo))
