"""Screenshots of every main view with demo data, in Chinese, under Xvfb.

Run by scripts/screenshots: `xvfb-run` gives a real X server, so the windows are
real top-level windows with a CJK font; each is grabbed to docs/screenshots/.
"""

import asyncio
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from qasync import QEventLoop

from beian_desktop.services.beian import Beian
from beian_desktop.services.clock import ManualClock, system_clock
from beian_desktop.services.demo_data import fill_demo_data
from beian_desktop.services.read_models import FilingFilter
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.views.app_main import _demo_start
from beian_desktop.views.main_window import MainWindow
from beian_desktop.views.operations import OperationRunner
from beian_desktop.views.resources import install_translators
from beian_desktop.views.view_context import ViewContext

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)


async def settle(qt, n=20):
    for _ in range(n):
        await asyncio.sleep(0.03)
        qt.processEvents()


def shot(widget, name):
    pix = widget.grab()
    pix.save(str(OUT / f"{name}.png"))
    print("saved", name, pix.width(), pix.height())


async def main(qt):
    work = Path(tempfile.mkdtemp())
    clock = ManualClock(_demo_start(system_clock()))
    app = Beian.open(
        database_url=f"sqlite:///{work / 'd.sqlite3'}",
        keys=SecretKeys.load_or_create(work / "k"),
        clock=clock,
    )
    await asyncio.to_thread(fill_demo_data, app, clock)
    ops = OperationRunner("zh_CN")
    admin = await ops.run(
        app.users.create_first_admin,
        username="admin",
        display_name="王管理",
        password="Demo-Passw0rd!",
    )
    window = MainWindow(ViewContext(app, ops, admin, "zh_CN"), run_scheduler=False)
    window.resize(1280, 800)
    window.show()
    await window.start()
    await settle(qt)
    for key in ["filings", "pending", "returned", "bureau", "outbox", "settings"]:
        window.show_page(key)
        await settle(qt, 10)
        shot(window, key)
    # help desk with a looked-up caller and an answer
    hd = window.show_page("help_desk")
    pending = await ops.read(app.queries.pending_verifiers)
    with app.ctx.unit_of_work() as s:
        from beian_desktop.models import Verifier

        phone = s.get(Verifier, pending[0].verifier_id).phone
    hd.phone.setText(phone)
    hd.last6.setText("000000")
    await hd.look_up()
    await hd.resend()
    await settle(qt, 10)
    shot(window, "help_desk")
    # request detail of a verifying request
    page = await ops.read(
        app.queries.list_filings,
        filter=FilingFilter(states=frozenset({"verifying"})),
        after=None,
        limit=5,
    )
    from beian_desktop.views.request_detail_dialog import RequestDetailDialog

    d = RequestDetailDialog(window.ctx, page.rows[0].request_id, window)
    await d.load()
    d.show()
    await settle(qt, 10)
    shot(d, "request_detail")
    d.close()
    # entry dialog with a field error
    from beian_desktop.views.filing_entry_dialog import FilingEntryDialog

    e = FilingEntryDialog(window.ctx, window)
    await e.load()
    e.show()
    await settle(qt, 5)
    e.holder.setText("杭州示例科技有限公司")
    e.principal.name.setText("张伟")
    e.principal.mobile.setText("1380013800")
    e.principal.mobile.editingFinished.emit()
    await settle(qt, 5)
    shot(e, "filing_entry")
    e.close()
    window.close()
    await app.aclose_sender()
    ops.shutdown()
    return 0


qt = QApplication(sys.argv[:1])
qt.setQuitOnLastWindowClosed(False)
install_translators(qt, "zh_CN")
loop = QEventLoop(qt)
asyncio.set_event_loop(loop)
with loop:
    sys.exit(loop.run_until_complete(main(qt)))
