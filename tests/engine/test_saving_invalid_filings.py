"""A filing the rules refuse is refused by the service too, and nothing of it is saved
(the rules themselves: tests/unit/test_filing_validation.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from beian_desktop.models import Principal, Request, Subject, Website
from beian_desktop.rules.errors import ValidationFailed

from factories import filing
from staff import session_for


def count(app, model):
    with app.ctx.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_rejected_save_writes_nothing_at_all(app):
    draft = filing(website_phones=[None, None])
    draft.websites[1].domains = ["bad domain.cn"]
    with pytest.raises(ValidationFailed):
        app.filings.save_new_filing(filing=draft, session=session_for(app, "isp"))
    assert [count(app, m) for m in (Request, Subject, Principal, Website)] == [0, 0, 0, 0]


def test_a_rejected_edit_leaves_the_stored_draft_as_it_was(app):
    request_id = app.filings.save_new_filing(filing=filing(), session=session_for(app, "isp"))
    edited = filing()
    edited.subject.holder_name = "改过的名称"
    edited.websites[0].domains = ["-bad-.cn"]
    with pytest.raises(ValidationFailed):
        app.filings.save_new_filing(
            filing=edited, session=session_for(app, "isp"), request_id=request_id
        )
    with app.ctx.unit_of_work() as session:
        subject = session.get(Subject, session.get(Request, request_id).subject_id)
        assert subject.holder_name == filing().subject.holder_name


def test_a_number_nobody_can_place_is_refused_at_submission(app):
    draft = filing()
    draft.websites[0].principal.mobile = "13491234567"  # satellite: valid, no carrier
    with pytest.raises(ValidationFailed) as failure:
        app.filings.save_new_filing(filing=draft, session=session_for(app, "isp"))
    error = failure.value.errors[0]
    assert error.field == "websites[0].principal.mobile"
    assert "运营商" in error.zh and "carrier" in error.en
