"""The demo data set: every state, type and reason, made by the rules, and repeatable."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from beian_desktop.demo.demo_data import DemoSummary, fill_demo_data
from beian_desktop.models import (
    Principal,
    Request,
    RequestChange,
    Resend,
    SmsIntent,
    Subject,
    Try,
    VerificationRound,
    Verifier,
    Website,
)
from beian_desktop.rules.clock import ManualClock
from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.services.beian import Beian
from beian_desktop.services.reading.returns import names_in_returns
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sending.senders import OutboxSender
from beian_desktop.terms import (
    BusinessType,
    CheckResult,
    DocType,
    RequestState,
    ReturnReason,
    SmsStatus,
    VerifierState,
)

from defaults import START
from factories import filing
from staff import FAST_HASHER, session_for

SIZE = 20
ICP_NUMBER = re.compile(r"^.ICP备2026\d{6}号$")


def _grouped(app: Beian, column) -> dict[str, int]:
    with app.ctx.unit_of_work() as session:
        rows = session.execute(select(column, func.count()).group_by(column)).all()
    return {value: n for value, n in rows if value is not None}


def test_every_state_business_type_and_return_reason_shows(app: Beian, clock: ManualClock):
    summary = fill_demo_data(app, clock, size=SIZE)

    assert summary.off_plan == ()
    # No demo story deletes a draft (a deleted one is out of every list the demo shows).
    assert set(summary.by_state) == set(RequestState) - {
        RequestState.SUBMITTED,
        RequestState.DELETED,
    }
    assert set(summary.by_business_type) == set(BusinessType)
    assert set(summary.by_return_reason) == set(ReturnReason)
    assert len(summary.by_province) >= 6
    assert summary.wrong_tries > 0 and summary.resends_on_behalf > 0 and summary.auto_resends > 0

    # The summary is what the database holds.
    assert summary.by_state == _grouped(app, Request.state)
    assert summary.by_business_type == _grouped(app, Request.business_type)
    assert summary.by_return_reason == _grouped(app, Request.return_reason)
    assert summary.by_province == _grouped(app, Request.province_code)
    assert summary.requests == sum(_grouped(app, Request.state).values())
    assert summary.by_business_type[BusinessType.NEW_FILING] == SIZE
    with app.ctx.unit_of_work() as session:
        assert summary.sms_sent == session.scalar(
            select(func.count()).where(SmsIntent.status == SmsStatus.SENT)
        )
        assert summary.wrong_tries == session.scalar(
            select(func.count()).where(Try.result == CheckResult.WRONG)
        )
        assert summary.manual_resends == session.scalar(
            select(func.count()).where(Resend.kind == "manual_resend")
        )

        # A remarks-only change went straight to the bureau: no round at all (SPEC §2.1).
        remarks_only = [
            r
            for r in session.scalars(
                select(Request).where(Request.business_type == BusinessType.CHANGE)
            )
            if r.changes and {c.field for c in r.changes} == {"remarks"}
        ]
        assert remarks_only
        for request in remarks_only:
            assert not session.scalar(
                select(func.count()).where(VerificationRound.request_id == request.id)
            )

    assert summary.ended_at == clock.now > START
    assert isinstance(app.ctx.sender, OutboxSender)  # the failing endpoint was put back


def test_every_row_obeys_the_rules(app: Beian, clock: ManualClock):
    fill_demo_data(app, clock, size=SIZE, seed=11)
    now = clock.now
    keys = app.ctx.keys
    with app.ctx.unit_of_work() as session:
        # Approved first filings carry their ICP numbers, websites "-n" after them.
        approved = session.scalars(
            select(Request).where(
                Request.business_type == BusinessType.NEW_FILING,
                Request.state == RequestState.APPROVED,
            )
        ).all()
        assert approved
        for request in approved:
            subject = session.get(Subject, request.subject_id)
            assert ICP_NUMBER.match(subject.icp_number), subject.icp_number
            for link in request.website_links:
                site = session.get(Website, link.website_id)
                assert re.fullmatch(re.escape(subject.icp_number) + r"-\d+", site.icp_number)
        assert not session.scalars(
            select(Request)
            .join(Subject, Subject.id == Request.subject_id)
            .where(Request.state != RequestState.APPROVED, Subject.icp_number.is_not(None))
            .where(Request.business_type == BusinessType.NEW_FILING)
        ).all()

        # Rejected ones say why; returned ones say why and who.
        for request in session.scalars(select(Request)):
            if request.state == RequestState.REJECTED:
                assert request.decision_reason
            if request.state == RequestState.RETURNED:
                assert request.return_reason
                assert names_in_returns(session, {request.id: request.return_reason})

        # Requests being verified are inside their 24 hours; some people are done.
        seen = Counter()
        for request in session.scalars(
            select(Request).where(Request.state == RequestState.VERIFYING)
        ):
            rnd = session.scalars(
                select(VerificationRound)
                .where(VerificationRound.request_id == request.id)
                .order_by(VerificationRound.number.desc())
            ).first()
            assert rnd.state == "open" and rnd.deadline is not None and rnd.deadline > now
            states = session.scalars(select(Verifier.state).where(Verifier.round_id == rnd.id))
            seen.update(states)
        assert seen[VerifierState.PENDING] and seen[VerifierState.VERIFIED]

        # Undeliverable: nothing of that round ever reached the endpoint.
        for request in session.scalars(
            select(Request).where(Request.return_reason == ReturnReason.UNDELIVERABLE)
        ):
            sent = session.scalar(
                select(func.count())
                .select_from(SmsIntent)
                .join(Verifier, Verifier.id == SmsIntent.verifier_id)
                .join(VerificationRound, VerificationRound.id == Verifier.round_id)
                .where(
                    VerificationRound.request_id == request.id,
                    SmsIntent.status == SmsStatus.SENT,
                )
            )
            assert sent == 0

        # Staff resent on behalf of callers.
        assert session.scalar(select(func.count()).where(Resend.on_behalf.is_(True)))

        # Identities: real check characters, and phones of every carrier plus a virtual one.
        for subject in session.scalars(select(Subject)):
            number = keys.decrypt(subject.doc_number_enc)
            assert normalize_document_number(DocType(subject.doc_type), number) == number
            if subject.doc_type == DocType.CREDIT_CODE:
                assert number[2:4] == subject.province_code
        carriers, virtual = set(), False
        for principal in session.scalars(select(Principal)):
            number = keys.decrypt(principal.doc_number_enc)
            assert normalize_document_number(DocType.RESIDENT_ID, number) == number
            if principal.mobile:
                mobile = parse_mobile(principal.mobile)
                carriers.add(mobile.carrier)
                virtual |= mobile.is_virtual
        for change in session.scalars(select(RequestChange).where(RequestChange.field == "mobile")):
            mobile = parse_mobile(change.value)
            carriers.add(mobile.carrier)
            virtual |= mobile.is_virtual
        assert {"mobile", "unicom", "telecom"} <= carriers and virtual


def _fresh_app(tmp_path: Path, template: Path, keys: SecretKeys, name: str):
    path = tmp_path / f"{name}.sqlite3"
    shutil.copy(template, path)
    clock = ManualClock(START)
    return Beian.open(
        database_url=f"sqlite:///{path}", keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
    ), clock


def _holders(app: Beian) -> list[str]:
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(Subject.holder_name).order_by(Subject.id)))


@pytest.mark.timeout(300)  # three demo databases: 49 s seen on a loaded machine
def test_the_same_seed_gives_the_same_data(tmp_path: Path, migrated_sqlite: Path, keys: SecretKeys):
    results: list[tuple[DemoSummary, list[str]]] = []
    for name in ("first", "second"):
        app, clock = _fresh_app(tmp_path, migrated_sqlite, keys, name)
        try:
            results.append((fill_demo_data(app, clock, seed=3, size=SIZE), _holders(app)))
        finally:
            app.close()
    (first, first_holders), (second, second_holders) = results
    assert first == second
    assert first_holders == second_holders


def test_it_needs_an_empty_database_and_enough_filings(app: Beian, clock: ManualClock):
    with pytest.raises(ValueError, match="at least"):
        fill_demo_data(app, clock, size=5)
    with app.ctx.unit_of_work() as session:
        assert not session.scalar(select(func.count()).select_from(Request))
    app.filings.save_new_filing(session=session_for(app, "isp"), filing=filing())
    with pytest.raises(ValueError, match="without requests"):
        fill_demo_data(app, clock, size=SIZE)
