"""Showing a phone or ID number in full (issue #4, SPEC §7): only to a role that may see
it, named by the record that holds it, and every attempt in the request's timeline.

Each role against each revealable field, on SQLite and PostgreSQL: an allowed reveal
returns the clear value and leaves a "revealed" event; a refused one raises
PermissionDenied and leaves a "permission_denied" event (services/sessions.py), in the
request's timeline too; neither event holds the value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select

from beian_desktop.models import AuditEvent, Principal, Subject
from beian_desktop.rules.errors import NotFound, PermissionDenied, ValidationFailed
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.rules.permissions import RevealField
from beian_desktop.terms import RequestState, UserRole

from factories import filing
from journeys import last6, verifiers
from staff import session_for

# SPEC §1 / permissions.py: supervisors see phones; bureau reviewers and
# administrators see phones and ID numbers; ISP staff and the help desk see neither.
MAY_SEE = {
    UserRole.ISP_STAFF: set(),
    UserRole.HELP_DESK: set(),
    UserRole.SUPERVISOR: {"phone"},
    UserRole.BUREAU_REVIEWER: {"phone", "id_number"},
    UserRole.ADMINISTRATOR: {"phone", "id_number"},
}


@dataclass(frozen=True)
class Submitted:
    request_id: int
    filing: FilingInput
    holders: dict[RevealField, int]  # the record holding each field, by id
    clear: dict[RevealField, str]  # what each field is in full


@pytest.fixture
def admin(app) -> str:
    """An administrator's session."""
    return session_for(app, "admin")


def submit(app, serial: int = 1) -> Submitted:
    """A first filing in verification: its subject, the subject principal, and the
    verifier at the subject principal's phone."""
    f = filing(serial=serial)
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    assert app.submission.submit(session=isp, request_id=request_id) == RequestState.VERIFYING
    person = f.subject.principal
    with app.ctx.unit_of_work() as session:
        subject_id, principal_id = session.execute(
            select(Subject.id, Subject.principal_id)
            .join(Principal, Principal.id == Subject.principal_id)
            .where(Subject.holder_name == f.subject.holder_name)
        ).one()
    [verifier] = [v for v in verifiers(app, request_id) if v.phone == person.mobile]
    return Submitted(
        request_id,
        f,
        holders={
            RevealField.SUBJECT_ID_NUMBER: subject_id,
            RevealField.PRINCIPAL_ID_NUMBER: principal_id,
            RevealField.PRINCIPAL_PHONE: principal_id,
            RevealField.VERIFIER_PHONE: verifier.id,
        },
        clear={
            RevealField.SUBJECT_ID_NUMBER: f.subject.doc_number,
            RevealField.PRINCIPAL_ID_NUMBER: person.doc_number,
            RevealField.PRINCIPAL_PHONE: person.mobile,
            RevealField.VERIFIER_PHONE: person.mobile,
        },
    )


def events(app, *actions: str) -> list[AuditEvent]:
    with app.ctx.unit_of_work() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)
            )
        )


def audit_text(app) -> str:
    with app.ctx.unit_of_work() as session:
        rows = session.execute(select(AuditEvent.actor, AuditEvent.details)).all()
    return json.dumps([list(r) for r in rows], ensure_ascii=False)


def holder_name(s: Submitted, field: RevealField) -> str:
    if field == RevealField.SUBJECT_ID_NUMBER:
        return s.filing.subject.holder_name
    return s.filing.subject.principal.name


@pytest.mark.parametrize("field", list(RevealField))
@pytest.mark.parametrize("role", list(UserRole))
def test_each_role_sees_in_full_only_what_it_may_and_every_attempt_is_audited(app, role, field):
    s = submit(app)
    username = "someone"
    holder_key = f"{field.holder}_id"
    asked = {
        "session": session_for(app, username, role),
        "field": field,
        "holder_id": s.holders[field],
        "request_id": s.request_id,
    }
    expected = {
        "what": field.what,
        "field": field.value,
        holder_key: s.holders[field],
        "name": holder_name(s, field),
    }

    if field.what in MAY_SEE[role]:
        assert app.secrets.reveal(**asked) == s.clear[field]
        [shown] = events(app, "revealed", "reveal_failed", "permission_denied")
        assert (shown.action, shown.actor, shown.request_id) == (
            "revealed",
            username,
            s.request_id,
        )
        assert shown.details == expected
    else:
        with pytest.raises(PermissionDenied) as denied:
            app.secrets.reveal(**asked)
        assert denied.value.permission == field.permission
        assert denied.value.message("zh").startswith("您的角色无权")
        [refused] = events(app, "revealed", "reveal_failed", "permission_denied")
        assert (refused.action, refused.actor, refused.request_id) == (
            "permission_denied",
            username,
            s.request_id,
        )
        assert {k: refused.details[k] for k in ("operation", "reason", "permission")} == {
            "operation": "secrets.reveal",
            "reason": "role",
            "permission": field.permission,
        }

    # Neither event, nor any other, holds the value or (for an ID) its last six.
    text = audit_text(app)
    assert s.clear[field] not in text
    if field.what == "id_number":
        assert last6(s.clear[field]) not in text


def test_every_principal_and_verifier_of_the_request_can_be_revealed(app, admin):
    """The website principals too, and a verifier shared by two roles once."""
    f = filing(serial=3, website_phones=[None, None])
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    app.submission.submit(session=isp, request_id=request_id)
    detail = app.queries.request_detail(session=admin, request_id=request_id)
    people = [detail.subject_principal, *(w.principal for w in detail.websites)]
    inputs = [f.subject.principal, *(w.principal for w in f.websites)]
    for shown, typed in zip(people, inputs, strict=True):
        assert app.secrets.reveal(
            session=admin,
            field=RevealField.PRINCIPAL_ID_NUMBER,
            holder_id=shown.principal_id,
            request_id=request_id,
        ) == (typed.doc_number)
        assert app.secrets.reveal(
            session=admin,
            field="principal.phone",  # the stored string works as well
            holder_id=shown.principal_id,
            request_id=request_id,
        ) == (typed.mobile)
    phones = {
        app.secrets.reveal(
            session=admin,
            field=RevealField.VERIFIER_PHONE,
            holder_id=v.verifier_id,
            request_id=request_id,
        )
        for v in detail.rounds[-1].verifiers
    }
    assert phones == {p.mobile for p in inputs}
    assert len(events(app, "revealed")) == 2 * len(people) + len(phones)


def test_the_timeline_of_the_request_shows_who_revealed_what(app, admin):
    s = submit(app)
    bureau = session_for(app, "bureau.zhao")
    desk = session_for(app, "desk.li")
    field = RevealField.PRINCIPAL_ID_NUMBER
    asked = {"field": field, "holder_id": s.holders[field], "request_id": s.request_id}
    app.secrets.reveal(session=bureau, **asked)
    with pytest.raises(PermissionDenied):
        app.secrets.reveal(session=desk, **asked)

    timeline = app.queries.request_detail(session=admin, request_id=s.request_id).timeline
    shown = [
        (e.actor, e.action, e.details.get("operation"), e.details.get("reason"))
        for e in timeline
        if "reveal" in e.action or e.action == "permission_denied"
    ]
    assert shown == [
        ("bureau.zhao", "revealed", None, None),
        ("desk.li", "permission_denied", "secrets.reveal", "role"),
    ]


def test_a_record_of_another_request_is_not_revealed_through_this_one(app, admin):
    """The request named is the one whose timeline records the reveal: it must be the
    request that shows the record, or the audit would point at the wrong filing."""
    first, second = submit(app, serial=1), submit(app, serial=2)
    for field in RevealField:
        with pytest.raises(NotFound):
            app.secrets.reveal(
                session=admin,
                field=field,
                holder_id=second.holders[field],
                request_id=first.request_id,
            )
    refused = events(app, "reveal_failed")
    assert [e.details["reason"] for e in refused] == ["not_found"] * len(RevealField)
    assert {e.request_id for e in refused} == {first.request_id}
    assert events(app, "revealed") == []
    for field in RevealField:
        assert second.clear[field] not in audit_text(app)


def test_a_request_that_does_not_exist_is_refused_and_audited(app, admin):
    s = submit(app)
    field = RevealField.PRINCIPAL_PHONE
    with pytest.raises(NotFound):
        app.secrets.reveal(
            session=admin, field=field, holder_id=s.holders[field], request_id=999_999
        )
    [refused] = events(app, "reveal_failed")
    assert refused.request_id is None
    assert refused.details == {
        "what": "phone",
        "field": "principal.phone",
        "principal_id": s.holders[field],
        "missing_request_id": 999_999,
        "reason": "not_found",
    }


def test_a_role_taken_away_or_an_account_disabled_takes_effect_at_once(app, admin):
    """The window still holds the bureau reviewer's session; the database decides."""
    s = submit(app)
    bureau = session_for(app, "bureau.zhao")
    field = RevealField.SUBJECT_ID_NUMBER
    asked = {"field": field, "holder_id": s.holders[field], "request_id": s.request_id}
    assert app.secrets.reveal(session=bureau, **asked) == s.clear[field]
    bureau_id = app.sign_in.whoami(session=bureau).id
    app.users.set_active(session=admin, user_id=bureau_id, active=False)
    with pytest.raises(PermissionDenied):
        app.secrets.reveal(session=bureau, **asked)
    shown = events(app, "revealed", "reveal_failed", "permission_denied")
    assert [(e.action, e.request_id) for e in shown] == [
        ("revealed", s.request_id),
        ("permission_denied", s.request_id),
    ]


def test_only_id_numbers_and_phones_are_revealed(app, admin):
    s = submit(app)
    for field in ("verifier.code", "principal.email", "id_number", None):
        with pytest.raises(ValidationFailed) as refused:
            app.secrets.reveal(session=admin, field=field, holder_id=1, request_id=s.request_id)
        assert refused.value.fields() == {"field"}
    assert events(app, "revealed", "reveal_failed", "permission_denied") == []


def test_no_value_leaves_the_service_without_its_audit_event(app, admin):
    """The value is read in the transaction that writes the event: if that transaction
    cannot commit, the caller gets the error, not the value, and nothing is recorded."""
    s = submit(app)
    field = RevealField.PRINCIPAL_ID_NUMBER

    def refuse_commit(session):
        raise RuntimeError("the database went away")

    event.listen(app.ctx.sessions, "before_commit", refuse_commit)
    try:
        with pytest.raises(RuntimeError):
            app.secrets.reveal(
                session=admin, field=field, holder_id=s.holders[field], request_id=s.request_id
            )
    finally:
        event.remove(app.ctx.sessions, "before_commit", refuse_commit)
    assert events(app, "revealed", "reveal_failed") == []
