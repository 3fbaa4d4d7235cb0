"""The timeline's read model names people (queries.request_detail): the actor by display
name and role, the system as the system, the verifier an event is about by name and
masked number; so the whole timeline reads as sentences with no clear number in it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from beian_desktop.models import User
from beian_desktop.rules.timeline import fold, sentence

from factories import phone
from journeys import latest_codes, send_first_sms, submit_filing
from staff import ensure_user, session_for

CALLER = phone(42)


def test_the_timeline_names_people_and_masks_numbers(app, clock):
    ensure_user(app, "desk.li")
    with app.ctx.unit_of_work() as db:
        db.execute(update(User).where(User.username == "desk.li").values(display_name="李娜"))
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)
    send_first_sms(app, clock)
    code = latest_codes(app)[CALLER]
    app.verification.check_code(
        session=session_for(app, "desk.li"),
        code=f"{(int(code) + 1) % 1_000_000:06d}",
        phone=CALLER,
        id_last6="000000",
    )
    timeline = app.queries.request_detail(
        session=session_for(app, "isp"), request_id=request_id
    ).timeline

    wrong = next(e for e in timeline if e.action == "wrong_try")
    assert (wrong.actor, wrong.actor_name, wrong.actor_role) == ("desk.li", "李娜", "help_desk")
    assert (wrong.verifier_name, wrong.verifier_phone_masked) == ("负责人100", "138****0042")
    assert wrong.details["wrong_tries"] == 1  # the raw details stay
    sent = [e for e in timeline if e.action == "sms_sent"]
    assert {(e.actor_role, e.actor_name) for e in sent} == {("system", "")}

    lines = [ln.sentence("zh_CN") for ln in fold(timeline)]
    assert "客服 李娜 代 负责人100（138****0042）输入核验码，错误，剩余 2 次" in lines
    assert not any(CALLER in text for text in lines)
    assert sentence(sent[0], "en").startswith("The system sent the verification SMS to ")


def test_an_expiry_names_every_verifier_still_pending(app, clock):
    request_id = submit_filing(app, serial=1, subject_phone=CALLER)  # 负责人100, 负责人101
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=24, minutes=1))
    app.tick()  # nobody verified in time: the whole request comes back
    timeline = app.queries.request_detail(
        session=session_for(app, "isp"), request_id=request_id
    ).timeline
    returned = next(e for e in timeline if e.action == "returned")
    assert returned.verifier_name == "负责人100、负责人101"
    assert sentence(returned, "zh_CN") == (
        "第 1 轮短信核验未通过（负责人100、负责人101：未在期限内完成核验），申请退回接入商"
    )
