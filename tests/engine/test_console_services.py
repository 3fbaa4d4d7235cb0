"""The services behind the console (issue 14): what supervisors did with a return, the
reject-reason presets, the saved SMS endpoint, the province table saved at once, the
navigation's counts. On SQLite and, with BEIAN_TEST_PG_URL, PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from test_queries import returned_pair

from beian_desktop.models import User
from beian_desktop.terms import ReturnReview

from staff import session_for


def test_a_returned_row_says_what_supervisors_did_since_it_came_back(app, clock):
    expired, tries, _ = returned_pair(app, clock)
    sup = session_for(app, "sup.chen")
    with app.ctx.unit_of_work() as db:
        db.execute(update(User).where(User.username == "sup.chen").values(display_name="陈主管"))
    rows = {r.request_id: r for r in app.queries.returned_filings(session=sup)}
    assert rows[tries].review == ReturnReview.TO_REVIEW and rows[tries].last_note is None

    app.filings.add_note(session=sup, request_id=tries, text="请核对手机号")
    clock.advance(timedelta(minutes=5))
    app.filings.add_note(session=sup, request_id=tries, text="已联系，交回", hand_back=True)
    clock.advance(timedelta(minutes=5))
    app.filings.add_note(session=sup, request_id=expired, text="等待客户回电")
    rows = {r.request_id: r for r in app.queries.returned_filings(session=sup)}
    handed = rows[tries]
    assert handed.review == ReturnReview.HANDED_BACK
    assert (handed.last_note, handed.last_note_by) == ("已联系，交回", "陈主管")
    assert handed.handed_back_at == handed.last_note_at
    assert rows[expired].review == ReturnReview.NOTED
    assert rows[expired].last_note == "等待客户回电"
    # the fields others read are as before
    assert [r.request_id for r in app.queries.returned_filings(session=sup)] == [tries, expired]


def test_notes_of_an_earlier_return_do_not_count_once_it_came_back_again(app, clock):
    expired, _, _ = returned_pair(app, clock)
    sup = session_for(app, "sup")
    app.filings.add_note(session=sup, request_id=expired, text="第一次", hand_back=True)
    clock.advance(timedelta(minutes=1))
    app.submission.submit(request_id=expired, session=session_for(app, "isp"))
    clock.advance(timedelta(days=2))
    app.tick()  # the new round expires: returned again
    rows = app.queries.returned_filings(session=session_for(app, "sup"))
    row = next(r for r in rows if r.request_id == expired)
    assert row.review == ReturnReview.TO_REVIEW and row.last_note is None
