"""The request detail's timeline (处理记录) as people read it (pytest-qt, offscreen): one
sentence per thing that happened, in the screen's language, at its Beijing time, people
by display name, numbers masked; the events as recorded in the tooltip and the export."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import update

from beian_desktop.models import User
from beian_desktop.terms import UserRole
from beian_desktop.views.request_detail_dialog import RequestDetailDialog
from beian_desktop.views.view_context import ViewContext

import qt_support
from factories import phone
from journeys import latest_codes, send_first_sms, submit_filing
from qt_support import drain, view_context
from staff import ensure_user, session_for

qt_loop = qt_support.qt_loop
pytestmark = pytest.mark.gui

CALLER = phone(42)
MASKED = "138****0042"


def column(model, col: int, role=Qt.ItemDataRole.DisplayRole) -> list[str]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


@pytest.fixture
def request_with_a_wrong_try(app, clock) -> int:
    """Submitted by 王芳 at 10:00, sent at 10:05, a wrong try by 李娜 at the help desk."""
    for username, name in (("isp.wang", "王芳"), ("desk.li", "李娜")):
        ensure_user(app, username)
        with app.ctx.unit_of_work() as db:
            db.execute(update(User).where(User.username == username).values(display_name=name))
    request_id = submit_filing(app, by="isp.wang", serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]
    app.verification.check_code(
        session=session_for(app, "desk.li"),
        code=f"{(int(code) + 1) % 1_000_000:06d}",
        phone=CALLER,
        id_last6="000000",
    )
    return request_id


@pytest.fixture
def contexts(app, qt_loop) -> Iterator[dict[str, ViewContext]]:
    made = {
        language: view_context(app, role=UserRole.ISP_STAFF, username="isp", language=language)
        for language in ("zh_CN", "en")
    }
    yield made
    drain(qt_loop)
    for ctx in made.values():
        ctx.ops.shutdown()


def opened(qt_loop, qtbot, ctx: ViewContext, request_id: int) -> RequestDetailDialog:
    dialog = RequestDetailDialog(ctx, request_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qt_loop.run_until_complete(dialog.load())
    return dialog


def test_the_timeline_reads_as_sentences_in_chinese_and_english(
    qt_loop, qtbot, contexts, request_with_a_wrong_try
):
    lines = {}
    for language, ctx in contexts.items():
        dialog = opened(qt_loop, qtbot, ctx, request_with_a_wrong_try)
        model = dialog.timeline
        lines[language] = list(zip(column(model, 0), column(model, 1), strict=True))
        dialog.close()
    zh, en = lines["zh_CN"], lines["en"]
    assert ("2026-11-23 10:00:00", "接入商 王芳 提交申请") in zh
    assert (
        "2026-11-23 10:05:00",  # Beijing time, as every time on the screen
        "客服 李娜 代 负责人100（138****0042）输入核验码，错误，剩余 2 次",
    ) in zh
    assert (
        "2026-11-23 10:05:00",
        "Help desk 李娜 entered a code for 负责人100 (138****0042): wrong, 2 tries left",
    ) in en
    assert ("2026-11-23 10:00:00", "ISP staff 王芳 submitted the request") in en
    # The check's own event is folded into the try it made: one line, not two.
    assert sum("输入核验码" in text for _, text in zh) == 1
    shown = "\n".join(text for _, text in zh + en)
    assert CALLER not in shown and "verifier_id" not in shown and "T02:" not in shown
    assert not any(re.search("[A-Za-z_]", text) for _, text in zh)  # no English, no keys


def test_the_events_as_recorded_stay_in_the_tooltip_and_the_export(
    qt_loop, qtbot, contexts, request_with_a_wrong_try, tmp_path
):
    dialog = opened(qt_loop, qtbot, contexts["zh_CN"], request_with_a_wrong_try)
    model = dialog.timeline
    said = column(model, 1)
    row = next(n for n, text in enumerate(said) if "输入核验码" in text)
    raw = column(model, 1, Qt.ItemDataRole.ToolTipRole)[row]
    assert raw.splitlines()[0].startswith("wrong_try {")
    assert '"wrong_tries": 1' in raw and '"limit": 3' in raw
    assert raw.splitlines()[1].startswith('code_checked {"phone": "138****0042"')
    assert CALLER not in raw

    path = tmp_path / "处理记录.xlsx"
    assert dialog.export_timeline_to(str(path))
    assert dialog.timeline_result.text() == f"Saved to {path}"
    dialog.close()
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间（北京时间）", "处理情况", "记录账号", "原始记录") or rows[0] == (
        "Time (Beijing time)",  # the tests run without the compiled translation
        "What happened",
        "Recorded by",
        "Events as recorded",
    )
    exported = {r[1]: r for r in rows[1:]}
    wrong = exported["客服 李娜 代 负责人100（138****0042）输入核验码，错误，剩余 2 次"]
    assert wrong[0].strftime("%Y-%m-%d %H:%M") == "2026-11-23 10:05"
    assert wrong[2] == "desk.li" and wrong[3] == raw
    assert all(CALLER not in str(cell) for r in rows for cell in r)
