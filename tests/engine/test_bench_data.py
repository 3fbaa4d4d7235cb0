"""The benchmarks' generated filings are data the services accept as their own.

A benchmark over rows the app would never write measures nothing, so a small
generated database is driven through the real services here: every number checks
out, the live codes verify, the overdue rounds are swept, every request opens.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from beian_desktop.models import Code, Principal, Request, Subject, VerificationRound
from beian_desktop.models.database import make_engine
from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.beian import Beian
from beian_desktop.services.verification import scheduler
from beian_desktop.terms import DocType
from bench.generate import NOW, generate

from staff import FAST_HASHER, session_for

SIZE = 400


@pytest.fixture
def generated(database_url, keys):
    summary = generate(database_url, keys, size=SIZE, seed=3, overdue=20)
    app = Beian.open(
        database_url=database_url, keys=keys, clock=lambda: NOW, upgrade=False, hasher=FAST_HASHER
    )
    yield app, summary
    app.close()


def test_every_state_is_there_and_counted(generated):
    app, summary = generated
    test = session_for(app, "test")
    assert (
        app.queries.count_filings(session=test, filter=FilingFilter()) == SIZE == summary.requests
    )
    states = {"draft", "verifying", "bureau_review", "approved", "rejected", "returned"}
    assert set(summary.by_state) == states
    for state in states:
        wanted = FilingFilter(states=frozenset({state}))
        assert app.queries.count_filings(session=test, filter=wanted) == summary.by_state[state]


def test_numbers_are_valid_and_secret(generated):
    app, _ = generated
    today = NOW.date()
    with app.ctx.read_only() as session:
        for p in session.scalars(select(Principal)):
            number = app.ctx.keys.decrypt(p.doc_number_enc)
            assert normalize_document_number(DocType.RESIDENT_ID, number, today=today) == number
            assert p.doc_number_hash == app.ctx.keys.keyed_hash("doc", number)
            assert parse_mobile(p.mobile).number == p.mobile
        for s in session.scalars(select(Subject)):
            number = app.ctx.keys.decrypt(s.doc_number_enc)
            assert normalize_document_number(DocType.CREDIT_CODE, number) == number


def test_the_live_codes_verify_and_a_wrong_one_counts_a_try(generated):
    app, summary = generated
    live = [c for c in summary.live if not c.overdue]
    right, wrong = live[0], live[-1]
    test = session_for(app, "test")
    outcome = app.verification.check_code(
        session=test, code=right.code, phone=right.phone, id_last6=right.id_last6
    )
    assert outcome.result in {"verified_others_pending", "verified_request_complete"}
    bad = f"{(int(wrong.code) + 1) % 10**6:06d}"
    outcome = app.verification.check_code(
        session=test, code=bad, phone=wrong.phone, id_last6=wrong.id_last6
    )
    assert outcome.result == "wrong"


def test_the_overdue_rounds_are_swept_and_the_others_are_not(generated):
    app, summary = generated
    overdue_rounds = len({c.verifier_id for c in summary.live if c.overdue})
    assert overdue_rounds >= 1
    test = session_for(app, "test")
    returned_filter = FilingFilter(states=frozenset({"returned"}))
    returned_before = app.queries.count_filings(session=test, filter=returned_filter)
    swept = scheduler.expire_rounds(app.ctx, NOW)
    assert 1 <= swept <= overdue_rounds
    returned = app.queries.count_filings(session=test, filter=returned_filter)
    assert returned == returned_before + swept
    with app.ctx.read_only() as session:
        still_open = session.scalar(select(func.count()).where(VerificationRound.state == "open"))
    assert still_open == summary.by_state["verifying"] - swept
    assert scheduler.expire_rounds(app.ctx, NOW + timedelta(hours=1)) == 0


def test_every_request_opens_in_the_detail_view(generated, database_url):
    app, _ = generated
    engine = make_engine(database_url)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Request.id)))
    engine.dispose()
    test = session_for(app, "test")
    for request_id in ids[:: max(1, len(ids) // 60)]:
        detail = app.queries.request_detail(session=test, request_id=request_id)
        assert detail.request_id == request_id
        assert ("*" in detail.subject_doc_masked) and len(detail.subject_doc_masked) == 18


def test_new_rows_after_generation_get_fresh_ids(generated):
    """On PostgreSQL the generator gives ids itself: the sequences must move past them."""
    app, summary = generated
    verifier_id = summary.live[0].verifier_id
    with app.ctx.unit_of_work() as session:
        highest = session.scalar(select(func.max(Code.id)))
        code = Code(verifier_id=verifier_id, code_hash="0" * 64, issued_at=NOW)
        session.add(code)
        session.flush()
        assert code.id > highest
