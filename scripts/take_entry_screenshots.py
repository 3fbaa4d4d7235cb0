"""Screenshots of the entry dialogs (the filings page's New… menu), for docs/screenshots:
each dialog as it fits the screen it is on. Run it under an X server of the size to
show, as scripts/take_screenshots.py is run (the demo data, signed in as the demo's
administrator):

    unset QT_QPA_PLATFORM
    xvfb-run -a -s "-screen 0 1024x700x24" .venv/bin/python scripts/take_entry_screenshots.py
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python \
        scripts/take_entry_screenshots.py --language en

Files are named entry_<dialog>_<screen width>_<zh|en>.png. `--only` takes a comma list
of dialog names to shoot fewer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

# This tree's package (not an installed one) and take_screenshots beside this file.
sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]
from take_screenshots import ROOT, START, WINDOW_FRAME, Photographer, _idle, _until  # noqa: E402

DIALOGS = (
    "new_filing",
    "new_website",
    "new_access",
    "change",
    "change_confirm",
    "cancel_website",
    "change_phone",
    "edit_website_draft",
    "edit_change_returned",
)


def requests_to_edit(app, clock, username: str, password: str) -> dict[str, int]:
    """A 新增网站 draft and a returned 变更备案 (its new number never verified), for the
    two reopened dialogs; the clock moves a day on, as the return does."""
    from dataclasses import replace
    from datetime import timedelta

    from beian_desktop.rules.documents import resident_id_check_char
    from beian_desktop.rules.entry_forms import change_between
    from beian_desktop.rules.inputs import AccessInput, PrincipalInput, WebsiteInput
    from beian_desktop.terms import DocType

    session = app.sign_in.sign_in(username=username, password=password).token
    subjects = app.queries.find_approved_subjects(session=session)
    first17 = "33010619900101123"
    website = WebsiteInput(
        name="青禾商城",
        home_url="https://shop-qinghe.cn",
        domains=["shop-qinghe.cn"],
        service_content="网上商城",
        principal=PrincipalInput(
            name="李青禾",
            doc_type=DocType.RESIDENT_ID,
            doc_number=first17 + resident_id_check_char(first17),
            mobile="13900139002",
            email="li@shop-qinghe.cn",
        ),
        access=AccessInput(isp_name="浙江某云计算有限公司", server_ips=["203.0.113.9"]),
    )
    draft = app.filings.save_new_website(
        session=session, subject_id=subjects[0].subject_id, website=website
    )
    approved = app.queries.approved_filing(session=session, subject_id=subjects[1].subject_id)
    edited = replace(approved.filing)
    site = replace(edited.websites[0], name=edited.websites[0].name + "（新）")
    site.principal = replace(site.principal, mobile="13900139003")
    edited.websites = [site, *edited.websites[1:]]
    change, _ = change_between(approved, edited)
    returned = app.filings.save_change(
        session=session, subject_id=approved.subject_id, change=change
    )
    app.submission.submit(session=session, request_id=returned)
    clock.advance(timedelta(minutes=5))
    app.tick()
    clock.advance(timedelta(hours=25))
    app.tick()  # the session has expired meanwhile: nothing to sign out
    return {"edit_website_draft": draft, "edit_change_returned": returned}


class EntryPhotographer(Photographer):
    def __init__(
        self, app, out, language, account, window_size, only: set[str], to_edit: dict[str, int]
    ) -> None:
        super().__init__(app, out, language, account, window_size)
        self.only = only
        self.to_edit = to_edit

    async def main_window(self, ops, signed_in) -> None:
        from PySide6.QtGui import QGuiApplication

        from beian_desktop.views.main_window import MainWindow
        from beian_desktop.views.view_context import ViewContext

        ctx = ViewContext(self.app, ops, signed_in, self.language)
        window = MainWindow(ctx, run_scheduler=False)
        area = QGuiApplication.primaryScreen().availableGeometry()
        self.width = area.width()
        window.resize(area.width(), area.height())
        window.move(0, 0)
        window.show()
        await window.start()
        await self.settle()
        try:
            self.view = window.show_page("filings")
            await _until(lambda: self.view.model.rowCount() > 0, "the filings list")
            for name in DIALOGS:
                if not self.only or name in self.only:
                    print(f"shooting {name}", flush=True)
                    await getattr(self, f"shoot_{name}")()
        finally:
            window.close()
            window.deleteLater()

    def name(self, dialog: str) -> str:
        return f"entry_{dialog}_{self.width}_{'zh' if self.language.startswith('zh') else 'en'}"

    async def open(self, business_type: str):
        self.view.open_entry(business_type)
        await _until(lambda: self.view.entry_dialog is not None, f"the {business_type} dialog")
        await self.settle(0.5, tasks=False)
        return self.view.entry_dialog

    async def close(self, dialog) -> None:
        from PySide6.QtWidgets import QDialog

        dialog.done(QDialog.DialogCode.Rejected)  # not reject(): that asks about the changes
        await _until(lambda: self.view.entry_dialog is None, "the dialog closed")
        await _idle()

    async def search(self, dialog, text: str) -> None:
        dialog.picker.search.setText(text)
        await dialog.picker.refresh()
        await self.settle(0.3, tasks=False)

    # -- each dialog ---------------------------------------------------------------------------
    async def shoot_new_filing(self) -> None:
        dialog = await self.open("new_filing")
        await _until(lambda: dialog.province.count() > 0, "the provinces")
        dialog.province.setCurrentIndex(dialog.province.findData("33"))
        dialog.holder.setText("杭州青禾网络科技有限公司")
        dialog.investor.setText("杭州青禾控股有限公司")
        dialog.principal.name.setText("王建国")
        dialog.principal.mobile.setText("1380013")
        dialog.principal.mobile.editingFinished.emit()  # leaving the field checks it
        dialog.add_website()
        dialog.submit_button.click()  # refused: the errors listed, the tabs marked
        await _until(lambda: dialog.error_summary.isVisible(), "the error summary")
        await self.settle(0.5, tasks=False)
        self.save(dialog, self.name("new_filing"))
        await self.close(dialog)

    async def shoot_new_website(self) -> None:
        dialog = await self.open("new_website")
        await self.settle(0.3, tasks=False)
        dialog.website.name.setText("青禾商城")
        dialog.website.domains.setPlainText("shop-qinghe.cn")
        await self.settle(0.3, tasks=False)
        self.save(dialog, self.name("new_website"))
        await self.close(dialog)

    async def shoot_new_access(self) -> None:
        dialog = await self.open("new_access")
        dialog.access.isp.setText("上海某云计算有限公司")
        dialog.access.server_ips.setText("203.0.113.7, 203.0.113.8")
        await self.settle(0.3, tasks=False)
        self.save(dialog, self.name("new_access"))
        await self.close(dialog)

    async def _change_form(self):
        from PySide6.QtWidgets import QDialog

        self.view.open_entry("change")
        await _until(
            lambda: self.view.findChild(QDialog, "chooseSubjectDialog") is not None, "chooser"
        )
        chooser = self.view.findChild(QDialog, "chooseSubjectDialog")
        await _until(lambda: chooser.picker.chosen is not None, "an approved subject")
        await self.settle(0.3, tasks=False)
        if "change" in self.only or not self.only:
            self.save(chooser, self.name("change_choose"))
        chooser.open_button.click()
        await _until(lambda: self.view.entry_dialog is not None, "the change form")
        await self.settle(0.5, tasks=False)
        return self.view.entry_dialog

    async def shoot_change(self) -> None:
        dialog = await self._change_form()
        dialog.mailing.setText(dialog.mailing.text() + "（新址）")
        self.save(dialog, self.name("change"))
        await self.close(dialog)

    async def shoot_change_confirm(self) -> None:
        dialog = await self._change_form()
        dialog.mailing.setText(dialog.mailing.text() + "（新址）")
        tab = dialog.website_tabs[0]
        tab.name.setText(tab.name.text() + "（新）")
        tab.principal.mobile.setText("13900139000")
        dialog.submit_button.click()
        await _until(lambda: dialog.confirm_dialog is not None, "the confirmation")
        await self.settle(0.5, tasks=False)
        self.save(dialog.confirm_dialog, self.name("change_confirm"))
        dialog.confirm_dialog.reject()
        await self.settle(0.3, tasks=False)
        await self.close(dialog)

    async def shoot_cancel_website(self) -> None:
        dialog = await self.open("cancel_website")
        self.save(dialog, self.name("cancel_website"))
        dialog.submit_button.click()
        await _until(lambda: dialog.confirm_dialog is not None, "the confirmation")
        await self.settle(0.5, tasks=False)
        self.save(dialog.confirm_dialog, self.name("cancel_website_confirm"))
        dialog.confirm_dialog.reject()
        await self.settle(0.3, tasks=False)
        await self.close(dialog)

    async def shoot_change_phone(self) -> None:
        dialog = await self.open("change_phone")
        await _until(lambda: dialog.people.rowCount() > 0, "the principals")
        dialog.new_mobile.setText("13900139001")
        await self.settle(0.3, tasks=False)
        self.save(dialog, self.name("change_phone"))
        await self.close(dialog)

    async def _reopened(self, name: str):
        request_id = self.to_edit[name]
        showing = asyncio.ensure_future(self.view.open_for_editing(request_id))
        await _until(lambda: self.view.entry_dialog is not None, f"request {request_id}")
        await self.settle(0.8, tasks=False)
        dialog = self.view.entry_dialog
        self.save(dialog, self.name(name))
        await self.close(dialog)
        await showing

    async def shoot_edit_website_draft(self) -> None:
        await self._reopened("edit_website_draft")

    async def shoot_edit_change_returned(self) -> None:
        await self._reopened("edit_change_returned")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument("--only", default="", help="comma-separated dialog names")
    parser.add_argument("--screen", default="1366x768", help="the screen, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="beian-entry-shots-"))
    os.environ["BEIAN_DATA_DIR"] = str(work)
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")

    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication
    from qasync import QEventLoop

    from beian_desktop.demo.accounts import DEMO_ACCOUNTS, QUICK_HASHER
    from beian_desktop.demo.demo_data import fill_demo_data
    from beian_desktop.rules.clock import ManualClock
    from beian_desktop.services.beian import Beian
    from beian_desktop.services.secret_keys import SecretKeys
    from beian_desktop.views.resources import install_translators

    clock = ManualClock(START)
    app = Beian.open(
        database_url=f"sqlite:///{work / 'beian.sqlite3'}",
        keys=SecretKeys.load_or_create(work / "secret.key"),
        clock=clock,
        hasher=QUICK_HASHER,
    )
    try:
        fill_demo_data(app, clock, size=40)
        admin = next(a for a in DEMO_ACCOUNTS if a.username == "admin")
        to_edit = requests_to_edit(app, clock, admin.username, admin.password)
        qt_app = QApplication.instance() or QApplication([sys.argv[0]])
        qt_app.setQuitOnLastWindowClosed(False)
        QLocale.setDefault(QLocale(args.language))
        install_translators(qt_app, args.language)
        args.out.mkdir(parents=True, exist_ok=True)
        loop = QEventLoop(qt_app)
        asyncio.set_event_loop(loop)
        only = {n for n in args.only.split(",") if n}
        width, height = (int(n) for n in args.screen.lower().split("x"))
        shooter = EntryPhotographer(
            app,
            args.out,
            args.language,
            (admin.username, admin.password),
            (width, height - WINDOW_FRAME),
            only,
            to_edit,
        )
        with loop:
            saved = loop.run_until_complete(shooter.run())
        for path in saved:
            print(f"saved {path}")
    finally:
        app.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
