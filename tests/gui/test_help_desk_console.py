"""The help desk's day (pytest-qt, offscreen): the verification desk checks on Enter and
answers in SPEC §5's words, in the outcome's colour, with the tries left and, when a try
returned the request, what to tell the caller; the help desk is a live console (it reads
the caller again on every data change, its countdowns move with the app's clock, "next
caller" clears it) with the caller's history; ten callers answered in a row each see
only their own screen. The qasync rules of qt_support apply: `app.tick()` runs between
`qt_loop.run_until_complete` calls, never inside one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import update

from beian_desktop.models import SmsIntent
from beian_desktop.rules.read_models import CallerRequest
from beian_desktop.terms import RequestState, UserRole
from beian_desktop.views.help_desk_view import HelpDeskView
from beian_desktop.views.palette import Tone
from beian_desktop.views.verification_desk_dialog import VerificationDeskDialog
from beian_desktop.views.view_context import ViewContext

import qt_support
from factories import phone, principal
from journeys import latest_codes, request_state, send_first_sms, submit_filing, verifiers
from qt_support import drain, idle, until, view_context
from staff import session_for

qt_loop = qt_support.qt_loop
pytestmark = pytest.mark.gui

CALLER = phone(42)
MASKED = f"{CALLER[:3]}****{CALLER[-4:]}"
LAST6 = principal(100).doc_number[-6:]  # serial 1's subject principal, 负责人100
NAME = "负责人100"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def desk_ctx(app, qt_loop) -> Iterator[ViewContext]:
    ctx = view_context(app, role=UserRole.HELP_DESK, username="kefu.li", display_name="李娜")
    yield ctx
    drain(qt_loop)
    ctx.ops.shutdown()


@pytest.fixture
def desk(desk_ctx, qtbot) -> VerificationDeskDialog:
    dialog = VerificationDeskDialog(desk_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def console(desk_ctx, qtbot) -> HelpDeskView:
    view = HelpDeskView(desk_ctx)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    return view


def fill(desk: VerificationDeskDialog, code: str, number: str = CALLER, last6: str = LAST6):
    desk.code.setText(code)
    desk.phone.setText(number)
    desk.last6.setText(last6)


async def press_enter(qtbot, desk: VerificationDeskDialog) -> str:
    desk.code.setFocus()
    qtbot.keyClick(desk.code, Qt.Key.Key_Return)
    await idle()
    return desk.answer.text()


def column(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def header(model, title: str) -> int:
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return titles.index(title)


def colour_of(model, row: int, col: int) -> str:
    return model.index(row, col).data(Qt.ItemDataRole.ForegroundRole).color().name()


def tries(app, request_id: int) -> list[int]:
    return [v.wrong_tries for v in verifiers(app, request_id)]


def verified_returned_and_waiting(app, clock) -> tuple[int, int, int]:
    """The caller verified in a first request (its SMS reported delivered), used up the
    tries of a second, and is named in a third whose SMS has not gone out."""
    session = session_for(app, "desk")
    first = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)  # 10:05
    app.verification.check_code(
        session=session, code=latest_codes(app)[CALLER], phone=CALLER, id_last6=LAST6
    )
    with app.ctx.unit_of_work() as db:
        db.execute(update(SmsIntent).values(delivery_status="delivered"))
    second = submit_filing(app, serial=2, subject_phone=CALLER)
    send_first_sms(app, clock)  # 10:10
    for _ in range(3):
        app.verification.check_code(
            session=session, code=wrong(latest_codes(app)[CALLER]), phone=CALLER, id_last6=LAST6
        )
    clock.advance(timedelta(minutes=1))
    third = submit_filing(app, serial=3, subject_phone=CALLER)  # its SMS goes at 10:16
    return first, second, third


# -- 1. the verification desk -----------------------------------------------------------------
def test_enter_checks_and_a_wrong_code_says_so_in_red_with_the_tries_left(
    app, clock, qt_loop, desk, qtbot
):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]

    async def body() -> None:
        fill(desk, wrong(code))
        assert await press_enter(qtbot, desk) == f"{NAME}的短信核验失败，请输入正确的信息。"
        assert desk.isVisible()  # Enter checked; it did not close the dialog
        assert desk.tone == Tone.FAILURE and Tone.FAILURE.value in desk.answer.styleSheet()
        assert desk.advice.text() == "Tries left in this round: 2"
        assert desk.code.text() == "" and desk.phone.text() == CALLER  # the next try is quick

        desk.code.setText(wrong(code))
        await press_enter(qtbot, desk)
        assert desk.advice.text() == "Tries left in this round: 1"

    qt_loop.run_until_complete(body())
    assert tries(app, request_id) == [2, 0]  # each Enter was one try, recorded


def test_each_outcome_in_its_words_and_colour(app, clock, qt_loop, desk, qtbot):
    submit_filing(app, serial=1, subject_phone=CALLER)  # 负责人100 and 负责人101 verify
    clock.advance(timedelta(minutes=2))
    other = phone(101)
    other_last6 = principal(101).doc_number[-6:]
    seen: list[tuple[str, Tone | None]] = []

    async def check(code: str, number: str = CALLER, last6: str = LAST6) -> None:
        fill(desk, code, number, last6)
        seen.append((await press_enter(qtbot, desk), desk.tone))

    qt_loop.run_until_complete(check("123456"))  # 10:02: the first SMS goes at 10:05
    send_first_sms(app, clock)
    codes = latest_codes(app)

    async def the_rest() -> None:
        await check(codes[CALLER])
        await check(codes[CALLER])
        await check(codes[other], other, other_last6)
        await check("123456", phone(9999))

    qt_loop.run_until_complete(the_rest())
    assert seen == [
        ("核验短信尚未发出，将于2026-11-23 10:05:00左右发送，请稍候。", Tone.WAITING),
        (f"{NAME}的短信核验完成。请等待其他待核验人进行短信核验。", Tone.SUCCESS),
        (f"{NAME}的短信核验已经完成，无需重复提交", Tone.SUCCESS),
        (
            "负责人101的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。",
            Tone.SUCCESS,
        ),
        ("该条验证库里找不到记录。", Tone.NEUTRAL),
    ]
    assert desk.advice.text() == "This number verifies in no request."


def test_the_try_that_returns_the_request_says_so_and_what_to_tell_the_caller(
    app, clock, qt_loop, desk, qtbot
):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]

    async def body() -> None:
        for _ in range(3):
            fill(desk, wrong(code))
            await press_enter(qtbot, desk)
        assert desk.answer.text() == f"{NAME}的短信核验失败，请输入正确的信息。"
        assert desk.tone == Tone.WARNING and Tone.WARNING.value in desk.answer.styleSheet()
        assert desk.advice.text() == (
            f"No. {request_id}: 整个申请已退回接入商（核验码输错次数已用完）。"
            "请告知来电人：接入商更正并重新提交申请后，会收到新的核验短信，届时再核验；"
            "在此之前无需再输入验证码。"
        )
        # The caller tries the right code now: nothing is pending, and the desk says why.
        fill(desk, code)
        assert await press_enter(qtbot, desk) == "该条验证库里找不到记录。"
        assert desk.advice.text().startswith(f"No. {request_id} (2026-11-23 10:05): ")
        assert "整个申请已退回接入商（核验码输错次数已用完）" in desk.advice.text()

    qt_loop.run_until_complete(body())
    assert request_state(app, request_id) == RequestState.RETURNED


def test_the_desk_takes_what_people_type_and_the_service_normalises_it(
    app, clock, qt_loop, desk, qtbot
):
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]
    spaced = f"{CALLER[:3]} {CALLER[3:7]} {CALLER[7:]}".translate(FULL_WIDTH)  # from an IME

    async def body() -> None:
        fill(desk, f"  {code} ", f" {spaced} ", f" {LAST6.lower()} ")
        assert desk.phone.text() == f" {spaced} "  # nothing refused or cut before the service
        assert await press_enter(qtbot, desk) == (
            f"{NAME}的短信核验完成。请等待其他待核验人进行短信核验。"
        )

    qt_loop.run_until_complete(body())


def test_an_input_error_is_not_a_try(app, clock, qt_loop, desk, qtbot):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)

    async def body() -> None:
        fill(desk, "12345")
        answer = await press_enter(qtbot, desk)
        assert desk.tone == Tone.FAILURE and "验证码为6位数字" in answer

    qt_loop.run_until_complete(body())
    assert tries(app, request_id) == [0, 0]


def test_the_english_desk_shows_the_answer_in_english_and_the_official_words_on_hover(
    app, clock, qt_loop, qtbot
):
    ctx = view_context(app, role=UserRole.HELP_DESK, username="kefu.en", language="en")
    desk = VerificationDeskDialog(ctx)
    qtbot.addWidget(desk)
    desk.show()
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]

    async def body() -> None:
        fill(desk, code)
        assert await press_enter(qtbot, desk) == (
            f"{NAME} is verified. The other people named in the request still have to verify."
        )
        assert desk.answer.toolTip() == f"{NAME}的短信核验完成。请等待其他待核验人进行短信核验。"

    qt_loop.run_until_complete(body())
    drain(qt_loop)
    ctx.ops.shutdown()


# -- 2. the help desk as a live console --------------------------------------------------------
async def look_up(qtbot, console: HelpDeskView, number: str, last6: str = "") -> None:
    console.phone.setText(number)
    console.last6.setText(last6)
    qtbot.keyClick(console.phone, Qt.Key.Key_Return)
    await idle()


def test_it_reads_the_caller_again_on_every_data_change(
    app, clock, qt_loop, console, desk_ctx, qtbot
):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    model = console.model

    async def before_the_sms() -> None:
        await look_up(qtbot, console, CALLER)
        assert column(model, 0) == [str(request_id)]
        assert column(model, header(model, "Deadline")) == [""]
        assert column(model, header(model, "Request")) == ["First SMS at about 2026-11-23 10:05"]
        assert console.summary.text() == (
            f"{MASKED}: verifications waiting: 1\n"
            f"No. {request_id}: 核验短信尚未发出，将于2026-11-23 10:05:00左右发送，请稍候。"
        )
        assert console.summary_tone == Tone.WAITING

    qt_loop.run_until_complete(before_the_sms())
    send_first_sms(app, clock)  # the scheduler sent it, and says the data changed

    async def after_the_sms() -> None:
        desk_ctx.ops.data_changed.emit()
        await idle()
        assert column(model, header(model, "Deadline")) == ["2026-11-24 10:05"]
        assert column(model, header(model, "Time left")) == ["24h 00m"]
        assert column(console.sms_model, header(console.sms_model, "Sent")) == [
            "2026-11-23 10:05:00"
        ]
        # A wrong try at the desk of this window: the console shows it without a click.
        desk = VerificationDeskDialog(desk_ctx)
        qtbot.addWidget(desk)
        fill(desk, wrong(latest_codes(app)[CALLER]))
        await desk.check()
        await idle()
        assert column(model, header(model, "Tries left")) == ["2"]
        desk.close()

    qt_loop.run_until_complete(after_the_sms())


def test_its_countdown_moves_with_the_clock_without_a_click(
    app, clock, qt_loop, console, desk_ctx, qtbot
):
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    model = console.model
    left = header(model, "Time left")
    assert console.timer.isActive()  # the tick runs on its own in the app

    async def body() -> None:
        await look_up(qtbot, console, CALLER)
        assert column(model, left) == ["24h 00m"]
        clock.advance(timedelta(minutes=1))
        assert console.tick() is False  # nothing due: only the countdowns move
        assert column(model, left) == ["23h 59m"]
        clock.advance(timedelta(hours=3, minutes=30))
        console.tick()
        assert column(model, left) == ["20h 29m"]

    qt_loop.run_until_complete(body())


def test_when_the_first_sms_is_due_the_tick_reads_the_caller_again(
    app, clock, qt_loop, console, qtbot
):
    submit_filing(app, serial=1, subject_phone=CALLER)

    async def body() -> None:
        await look_up(qtbot, console, CALLER)
        clock.advance(timedelta(minutes=4))
        assert console.tick() is False
        clock.advance(timedelta(minutes=1))
        assert console.tick() is True  # 10:05: the SMS should be out, so read again
        await idle()

    qt_loop.run_until_complete(body())


def test_next_caller_clears_the_screen_with_esc(app, clock, qt_loop, console, qtbot):
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    clock.advance(timedelta(minutes=2))

    async def body() -> None:
        await look_up(qtbot, console, CALLER, LAST6)
        qtbot.mouseClick(console.resend_button, Qt.MouseButton.LeftButton)
        await idle()
        assert console.answer.text() == "您的短信已发送成功"
        assert console.answer_tone == Tone.SUCCESS
        assert console.model.rowCount() == 1 and console.sms_model.rowCount() == 2

        console.phone.setFocus()
        qtbot.keyClick(console.phone, Qt.Key.Key_Escape)
        await idle()
        assert (console.phone.text(), console.last6.text()) == ("", "")
        assert console.model.rowCount() == console.sms_model.rowCount() == 0
        assert not console.answer.isVisible() and console.answer.text() == ""
        assert not console.summary.isVisible() and console.summary.text() == ""
        assert console.findChild(QPushButton, "nextCaller").text() == "Next caller (Esc)"

    qt_loop.run_until_complete(body())


def test_after_the_desk_the_console_shows_what_the_caller_was_told_last(
    app, clock, qt_loop, console, qtbot
):
    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    clock.advance(timedelta(minutes=2))
    code = latest_codes(app)[CALLER]

    async def body() -> None:
        await look_up(qtbot, console, CALLER, LAST6)
        await console.resend()
        assert console.answer.text() == "您的短信已发送成功"
        opened = asyncio.ensure_future(console.open_desk())
        await until(lambda: console.desk_dialog is not None, "the verification desk")
        desk = console.desk_dialog
        assert (desk.phone.text(), desk.last6.text()) == (CALLER, LAST6)  # the caller's
        desk.code.setText(wrong(code))  # the old code: the resend replaced it
        await desk.check()  # not idle(): the console's task awaits the open dialog
        desk.reject()
        await opened
        await idle()
        assert console.answer.text() == f"{NAME}的短信核验失败，请输入正确的信息。"
        assert console.answer_tone == Tone.FAILURE
        assert column(console.model, header(console.model, "Tries left")) == ["2"]

    qt_loop.run_until_complete(body())


def test_the_history_shows_every_request_each_sms_and_why_one_came_back(
    app, clock, qt_loop, console, qtbot
):
    first, second, third = verified_returned_and_waiting(app, clock)
    model, sms = console.model, console.sms_model

    async def body() -> None:
        await look_up(qtbot, console, CALLER)
        assert column(model, 0) == [str(third), str(second), str(first)]
        state = header(model, "State")
        assert column(model, state) == ["Pending", "Failed", "Verified"]
        assert [colour_of(model, r, state) for r in range(3)] == [
            Tone.WAITING.value,
            Tone.FAILURE.value,
            Tone.SUCCESS.value,
        ]
        assert column(model, header(model, "Round")) == ["1", "1", "1"]
        assert column(model, header(model, "Tries left")) == ["3", "", ""]  # while live
        assert column(model, header(model, "Resends left")) == ["2", "", ""]
        notes = column(model, header(model, "Request"))
        assert notes[0] == "First SMS at about 2026-11-23 10:16"
        assert notes[1] == "Returned: Tries used up"
        assert column(sms, header(sms, "No.")) == [str(third), str(second), str(first)]
        assert column(sms, header(sms, "Sender number")) == ["106575000130"] * 3
        assert column(sms, header(sms, "Delivery"))[2] == "Delivered"
        assert MASKED in console.summary.text()
        cells = [text for c in range(model.columnCount()) for text in column(model, c)]
        assert not any(CALLER in text for text in cells)

    qt_loop.run_until_complete(body())


def test_a_number_whose_request_came_back_is_told_why_and_what_next(app, clock, qt_loop, qtbot):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24, minutes=1))
    app.tick()  # nobody verified in time
    ctx = view_context(app, role=UserRole.HELP_DESK, username="kefu.next")  # the next day's
    console = HelpDeskView(ctx)
    qtbot.addWidget(console)
    console.show()

    async def body() -> None:
        await look_up(qtbot, console, CALLER)
        assert console.summary_tone == Tone.WARNING
        assert console.summary.text() == (
            f"{MASKED}: nothing waiting. No. {request_id} (2026-11-24 10:06): "
            "整个申请已退回接入商（未在期限内完成核验）。"
            "请告知来电人：接入商更正并重新提交申请后，会收到新的核验短信，届时再核验；"
            "在此之前无需再输入验证码。"
        )

    qt_loop.run_until_complete(body())
    drain(qt_loop)
    ctx.ops.shutdown()


# -- ten callers in a row -----------------------------------------------------------------------
def test_ten_callers_in_a_row_each_see_only_their_own(app, clock, qt_loop, console, qtbot):
    """Ten numbers: pending, returned, verified, not sent yet, one with nothing, one in two
    requests; answered one after the other with next caller between."""
    session = session_for(app, "desk")
    numbers = [phone(7000 + n) for n in range(10)]  # no principal of theirs has these
    requests: dict[str, list[int]] = {n: [] for n in numbers}
    for serial, number in enumerate([*numbers[:7], numbers[9]], start=1):
        requests[number].append(submit_filing(app, serial=serial, subject_phone=number))
    requests[numbers[9]].append(submit_filing(app, serial=20, subject_phone=numbers[9]))
    send_first_sms(app, clock)
    codes = latest_codes(app)
    for number in numbers[4:6]:  # their three wrong tries returned the request
        for _ in range(3):
            app.verification.check_code(
                session=session,
                code=wrong(codes[number]),
                phone=number,
                id_last6="000000",
            )
    serial_of = {number: n + 1 for n, number in enumerate(numbers[:7])}
    verified = numbers[6]
    assert (
        app.verification.check_code(
            session=session,
            code=codes[verified],
            phone=verified,
            id_last6=principal(serial_of[verified] * 100).doc_number[-6:],
        ).result
        == "verified_others_pending"
    )
    clock.advance(timedelta(minutes=1))
    late = numbers[7]
    requests[late] = [submit_filing(app, serial=30, subject_phone=late)]  # not sent yet
    expected_tone = {
        **dict.fromkeys(numbers[:4], Tone.WAITING),
        numbers[4]: Tone.WARNING,
        numbers[5]: Tone.WARNING,
        verified: Tone.SUCCESS,
        late: Tone.WAITING,
        numbers[8]: Tone.NEUTRAL,
        numbers[9]: Tone.WAITING,
    }
    shown: list[tuple[str, list[str], str]] = []

    def rows() -> list[CallerRequest]:
        return list(console.model.rows)

    async def body() -> None:
        for number in numbers:
            masked = f"{number[:3]}****{number[-4:]}"
            await look_up(qtbot, console, number)
            assert console.summary.text().startswith(
                masked if requests[number] else "No request verifies with"
            ), number
            assert masked in console.summary.text()
            others = [f"{n[:3]}****{n[-4:]}" for n in numbers if n != number]
            assert not any(o in console.summary.text() for o in others)
            assert console.summary_tone == expected_tone[number], number
            ids = sorted(r.request_id for r in rows())
            assert ids == sorted(requests[number]), number
            for sms_row in console.sms_model.rows:
                assert sms_row[0] in requests[number]
            shown.append((number, column(console.model, 0), console.summary.text()))
            console.next_caller()
            assert console.model.rowCount() == 0 and console.summary.text() == ""

    qt_loop.run_until_complete(body())
    assert [len(ids) for _, ids, _ in shown] == [1, 1, 1, 1, 1, 1, 1, 1, 0, 2]


def test_the_pending_page_moves_its_countdowns_with_the_clock_and_colours_states(
    app, clock, qt_loop, desk_ctx, qtbot
):
    from beian_desktop.views.pending_view import PendingView

    submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    page = PendingView(desk_ctx)
    qtbot.addWidget(page)
    left, state = header(page.model, "Time left"), header(page.model, "State")
    assert page.timer.isActive()

    async def body() -> None:
        await page.refresh()
        assert column(page.model, left) == ["24h 00m"] * 2
        assert colour_of(page.model, 0, state) == Tone.WAITING.value
        clock.advance(timedelta(minutes=1))
        assert page.tick() is False
        assert column(page.model, left) == ["23h 59m"] * 2
        clock.advance(timedelta(hours=24))
        assert page.tick() is True  # past the deadline: read again
        await idle()

    qt_loop.run_until_complete(body())
