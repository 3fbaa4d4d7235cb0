"""The request detail names the people who entered and decided a request as the window
shows people elsewhere (their display names), not by the username the audit keeps."""

from __future__ import annotations

from sqlalchemy import update

from beian_desktop.models import Request, User

from factories import filing
from journeys import approved_subject
from staff import ensure_user, session_for


def _rename(app, username: str, display_name: str) -> None:
    ensure_user(app, username)
    with app.ctx.unit_of_work() as db:
        db.execute(update(User).where(User.username == username).values(display_name=display_name))


def test_the_detail_names_who_entered_and_who_decided(app, clock):
    _rename(app, "isp", "王芳")
    _rename(app, "bureau", "管局 张伟")
    subject_id, _ = approved_subject(app, clock, serial=3)
    with app.ctx.unit_of_work() as db:
        request_id = db.query(Request.id).filter(Request.subject_id == subject_id).scalar()
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=request_id)
    assert (detail.entered_by, detail.entered_by_name) == ("isp", "王芳")
    assert (detail.decided_by, detail.decided_by_name) == ("bureau", "管局 张伟")


def test_a_draft_has_no_decider_and_an_unknown_name_stays_as_stored(app, clock):
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=filing(serial=4))
    with app.ctx.unit_of_work() as db:  # an account since renamed away
        db.execute(update(Request).where(Request.id == request_id).values(entered_by="old.li"))
    detail = app.queries.request_detail(session=isp, request_id=request_id)
    assert detail.entered_by_name == "old.li"
    assert detail.decided_by is None and detail.decided_by_name is None
