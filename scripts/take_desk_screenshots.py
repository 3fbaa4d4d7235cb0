"""Screenshots of the help desk and the verification desk at a given window size, on
the demo data, through the real window (take_screenshots.py builds the database and
signs in; this walks the desk). Needs an X display (Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/take_desk_screenshots.py \
        --language zh_CN --window 1366x768 --out /tmp/desk-shots

Saves help_desk.png (a caller with their history, after a resend), verification_desk.png
(a wrong code: the answer in red with the tries left), verification_desk_returned.png
(the try that returned the request: what to tell the caller) and timeline.png (the
request's 处理记录).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # this checkout's package, then the script beside

import take_screenshots as shots  # noqa: E402


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--language", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument("--window", default="1366x768", help="WIDTHxHEIGHT of the main window")
    return parser.parse_args(argv)


class DeskPhotographer(shots.Photographer):
    async def main_window(self, ops, signed_in) -> None:
        from beian_desktop.views.main_window import MainWindow
        from beian_desktop.views.view_context import ViewContext

        ctx = ViewContext(self.app, ops, signed_in, self.language)
        window = MainWindow(ctx, run_scheduler=False)
        window.resize(*shots.WINDOW_SIZE)
        window.move(0, 0)
        window.show()
        await window.start()
        await self.settle()
        try:
            await self.desk(window)
        finally:
            window.close()
            window.deleteLater()

    async def _busiest_caller(self, window):
        """The pending verifier whose number has the longest history."""
        rows = await window.ctx.read(self.app.queries.pending_verifiers)
        best, best_len = None, -1
        for row in rows[:80]:
            if row.deadline is None or row.manual_resends_left == 0:
                continue
            phone, last6 = await window.ctx.ops.read(self.clear_phone_and_last6, row.verifier_id)
            history = await window.ctx.read(self.app.queries.caller_history, phone=phone)
            if len(history.requests) > best_len:
                best, best_len = (row, phone, last6), len(history.requests)
        if best is None:
            raise RuntimeError("no pending verifier may be resent to")
        return best

    async def desk(self, window) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        row, phone, last6 = await self._busiest_caller(window)
        view = window.show_page("help_desk")
        view.phone.setText(phone)
        view.last6.setText(last6)
        await view.look_up()
        await view.resend()
        await self.settle()
        self.save(window, "help_desk")

        # The desk, for this caller: a wrong code, then the rest of the tries.
        finished = shots.asyncio.ensure_future(view.open_desk())
        await shots._until(lambda: view.desk_dialog is not None, "the verification desk")
        dialog = view.desk_dialog
        await self.settle(0.3, tasks=False)
        wrong = "000000"
        dialog.code.setText(wrong)
        QTest.keyClick(dialog.code, Qt.Key.Key_Return)
        await shots._until(lambda: dialog.tone is not None, "the desk's answer")
        await self.settle(0.3, tasks=False)
        dialog.adjustSize()
        await self.settle(0.2, tasks=False)
        self.save(dialog, "verification_desk")
        while dialog.last_outcome is not None and not dialog.last_outcome.returned_request_ids:
            if dialog.last_outcome.tries_left in (None, 0):
                break
            dialog.code.setText(wrong)
            await dialog.check()
        await self.settle(0.3, tasks=False)
        dialog.adjustSize()
        await self.settle(0.2, tasks=False)
        self.save(dialog, "verification_desk_returned")
        dialog.reject()
        await finished
        await self.settle()
        self.save(window, "help_desk_after_return")

        from beian_desktop.views.request_detail_dialog import RequestDetailDialog

        detail = RequestDetailDialog(window.ctx, row.request_id, view)
        await detail.load()
        detail.resize(min(1180, shots.WINDOW_SIZE[0] - 40), min(700, shots.WINDOW_SIZE[1] - 40))
        detail.tabs.setCurrentIndex(2)  # 处理记录
        detail.show()
        await self.settle()
        self.save(detail, "timeline")
        detail.close()
        detail.deleteLater()


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    width, height = (int(n) for n in args.window.lower().split("x"))
    shots.WINDOW_SIZE = (width, height)
    shots.Photographer = DeskPhotographer  # the walk above, after the same sign-in
    return shots.main(["--out", str(args.out), "--language", args.language])


if __name__ == "__main__":
    sys.exit(main())
