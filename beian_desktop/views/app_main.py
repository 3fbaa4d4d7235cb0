"""Starting the desktop application: config, database, sign-in, the main window.

`beian-desktop` opens on the embedded default (SQLite in the data directory, the local
SMS outbox, the scheduler in-process). `--demo` fills a living data set first;
`--self-test` starts offscreen on a temporary database, opens every view once and
exits 0, which is how CI checks the built bundle.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import tempfile
from collections.abc import Coroutine
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from qasync import QEventLoop

from beian_desktop.demo.accounts import (
    DEMO_NEEDS_A_NEW_DATABASE,
    QUICK_HASHER,
    SIGN_IN_WITH,
    DemoAccount,
    demo_accounts_text,
)
from beian_desktop.demo.demo_data import DAYS, END_HOUR, fill_demo_data
from beian_desktop.rules.clock import SHANGHAI, ManualClock, in_shanghai, system_clock
from beian_desktop.services.app_config import AppConfig, load_config
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.terms import UserRole
from beian_desktop.views.async_dialogs import run_dialog
from beian_desktop.views.garbage_collector import GuiThreadGarbageCollector
from beian_desktop.views.login_dialog import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from beian_desktop.views.main_window import Ending, MainWindow
from beian_desktop.views.operations import OperationFailed, OperationRunner
from beian_desktop.views.resources import install_translators
from beian_desktop.views.view_context import ViewContext

log = logging.getLogger(__name__)
T = TypeVar("T")


def _language(asked: str | None) -> str:
    """--language, then BEIAN_LANGUAGE, then the choice saved in Settings, then Chinese."""
    saved = QSettings().value("language")
    return asked or os.environ.get("BEIAN_LANGUAGE") or (str(saved) if saved else "zh_CN")


async def _sign_in(
    app: Beian, ops: OperationRunner, *, title: str | None = None, notice: str | None = None
) -> SignedIn | None:
    """A session for the person at the screen, or None if they cancel. A new database
    first asks for its administrator; a password an administrator set (or reset) is
    changed before anything else."""
    if await ops.read(app.users.needs_first_admin):
        first = FirstAdminDialog(app, ops)
        signed_in = first.signed_in if await run_dialog(first) else None
    else:
        login = LoginDialog(app, ops, title=title, notice=notice)
        signed_in = login.signed_in if await run_dialog(login) else None
    while signed_in is not None and signed_in.must_change_password:
        change = ChangePasswordDialog(app, ops, signed_in.token, forced=True)
        if await run_dialog(change):
            user = await ops.read(app.sign_in.whoami, session=signed_in.token)
            signed_in = replace(signed_in, user=user)
        else:  # "Sign out" instead: the session ends, the sign-in dialog comes back
            await ops.run(app.sign_in.sign_out, session=signed_in.token, changes_data=False)
            login = LoginDialog(app, ops, title=title)
            signed_in = login.signed_in if await run_dialog(login) else None
    return signed_in


def _demo_start(now: datetime) -> datetime:
    """The demo plays ten days and stops at 18:00 on the last; start it so that the last
    18:00 is the latest one already past, so nothing in it lies in the future."""
    local = in_shanghai(now)
    last_day = local.date() if local.hour >= END_HOUR else local.date() - timedelta(days=1)
    first = last_day - timedelta(days=DAYS)
    return datetime(first.year, first.month, first.day, 10, tzinfo=SHANGHAI)


async def _fill_demo(app: Beian) -> tuple[DemoAccount, ...]:
    """The demo's ten days on a new database, and one account per role to try it with."""
    clock = ManualClock(_demo_start(system_clock()))
    demo_app = Beian(replace(app.ctx, clock=clock, hasher=QUICK_HASHER))
    summary = await asyncio.to_thread(fill_demo_data, demo_app, clock)
    log.info("demo data filled: %s", summary.describe())
    return SIGN_IN_WITH


async def _self_test(qt_app: QApplication, language: str) -> int:
    """Every view opens once on a fresh database with the demo data, signed in as its
    administrator; any exception fails the run."""
    workdir = Path(tempfile.mkdtemp(prefix="beian-self-test-"))
    app = Beian.open(
        database_url=f"sqlite:///{workdir / 'self-test.sqlite3'}",
        keys=SecretKeys.load_or_create(workdir / "secret.key"),
    )
    ops = OperationRunner(language, interactive=False)
    try:
        accounts = await _fill_demo(app)
        admin = next(a for a in accounts if a.role == UserRole.ADMINISTRATOR)
        signed_in = await ops.run(
            app.sign_in.sign_in, username=admin.username, password=admin.password
        )
        window = MainWindow(ViewContext(app, ops, signed_in, language), run_scheduler=False)
        window.show()
        await window.start()
        for key in window.pages:
            window.show_page(key)
            await asyncio.sleep(0.05)  # the loop paints; no re-entrant processEvents()
        await app.tick_async()
        await window.sign_out()
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
        if demo:
            if await ops.read(app.users.needs_first_admin):
                print(demo_accounts_text(await _fill_demo(app)), flush=True)
            else:
                print(DEMO_NEEDS_A_NEW_DATABASE, file=sys.stderr, flush=True)
        signed_in = await _sign_in(app, ops)
        while signed_in is not None:
            policy = await ops.read(app.settings.policy, session=signed_in.token)
            window = MainWindow(
                ViewContext(app, ops, signed_in, language, config.config_file),
                idle_lock=timedelta(minutes=policy.idle_lock_minutes),
            )
            window.show()
            await window.start()
            closed = asyncio.get_running_loop().create_future()
            window.closed.connect(lambda done=closed: done.done() or done.set_result(None))
            await closed
            window.deleteLater()
            if window.ended_with == Ending.SWITCHED:
                signed_in = window.next_sign_in
            elif window.ended_with == Ending.SIGNED_OUT:
                signed_in = await _sign_in(app, ops, notice=window.sign_in_notice)
            else:  # the window was closed: the application quits, signed out
                with contextlib.suppress(OperationFailed):
                    await ops.run(app.sign_in.sign_out, session=signed_in.token, error_box=False)
                signed_in = None
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


def run(args: argparse.Namespace) -> int:
    if args.self_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # instance() is typed QCoreApplication; the one this process makes is a QApplication.
    qt_app = cast("QApplication | None", QApplication.instance()) or QApplication(sys.argv[:1])
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
