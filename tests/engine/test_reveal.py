"""Showing a phone or ID number in full (issue #4, SPEC §7): only to a role that may see
it, named by the record that holds it, and every attempt in the request's timeline.

Each role against each revealable field, on SQLite and PostgreSQL: an allowed reveal
returns the clear value and leaves a "revealed" event; a refused one raises
PermissionDenied and leaves a "reveal_failed" event; neither event holds the value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, select

from beian_desktop.models import AuditEvent, Principal, Subject
from beian_desktop.rules.errors import NotFound, PermissionDenied
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.services.people.user_service import (
    RevealField,
    UserInfo,
    UserService,
)
from beian_desktop.terms import RequestState, UserRole

from factories import filing
from journeys import last6, verifiers

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse 42"

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
def users(app) -> UserService:
    return UserService(app.ctx, hasher=FAST)


@pytest.fixture
def admin(users) -> UserInfo:
    return users.create_first_admin(username="admin", display_name="管理员", password=PASSWORD)


def make_user(users: UserService, admin: UserInfo, role: UserRole, username: str) -> UserInfo:
    if role == UserRole.ADMINISTRATOR:
        return admin
    return users.create_user(
        username=username, display_name="某人", role=role, password=PASSWORD, by=admin
    )


def submit(app, serial: int = 1) -> Submitted:
    """A first filing in verification: its subject, the subject principal, and the
    verifier at the subject principal's phone."""
    f = filing(serial=serial)
    request_id = app.filings.save_new_filing(filing=f, by="isp")
    assert app.submission.submit(request_id=request_id, by="isp") == RequestState.VERIFYING
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
def test_each_role_sees_in_full_only_what_it_may_and_every_attempt_is_audited(
    app, users, admin, role, field
):
    s = submit(app)
    user = make_user(users, admin, role, "someone")
    holder_key = f"{field.holder}_id"
    asked = {
        "user": user,
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
        assert users.reveal(**asked) == s.clear[field]
        [shown] = events(app, "revealed", "reveal_failed")
        assert (shown.action, shown.actor, shown.request_id) == (
            "revealed",
            user.username,
            s.request_id,
        )
        assert shown.details == expected
    else:
        with pytest.raises(PermissionDenied) as denied:
            users.reveal(**asked)
        assert denied.value.permission == field.permission
        assert denied.value.message("zh").startswith("您的角色无权")
        [refused] = events(app, "revealed", "reveal_failed")
        assert (refused.action, refused.actor, refused.request_id) == (
            "reveal_failed",
            user.username,
            s.request_id,
        )
        assert refused.details == {**expected, "reason": "permission_denied"}

    # Neither event, nor any other, holds the value or (for an ID) its last six.
    text = audit_text(app)
    assert s.clear[field] not in text
    if field.what == "id_number":
        assert last6(s.clear[field]) not in text


def test_every_principal_and_verifier_of_the_request_can_be_revealed(app, users, admin):
    """The website principals too, and a verifier shared by two roles once."""
    f = filing(serial=3, website_phones=[None, None])
    request_id = app.filings.save_new_filing(filing=f, by="isp")
    app.submission.submit(request_id=request_id, by="isp")
    detail = app.queries.request_detail(request_id=request_id)
    people = [detail.subject_principal, *(w.principal for w in detail.websites)]
    inputs = [f.subject.principal, *(w.principal for w in f.websites)]
    for shown, typed in zip(people, inputs, strict=True):
        assert users.reveal(
            user=admin,
            field=RevealField.PRINCIPAL_ID_NUMBER,
            holder_id=shown.principal_id,
            request_id=request_id,
        ) == (typed.doc_number)
        assert users.reveal(
            user=admin,
            field="principal.phone",  # the stored string works as well
            holder_id=shown.principal_id,
            request_id=request_id,
        ) == (typed.mobile)
    phones = {
        users.reveal(
            user=admin,
            field=RevealField.VERIFIER_PHONE,
            holder_id=v.verifier_id,
            request_id=request_id,
        )
        for v in detail.rounds[-1].verifiers
    }
    assert phones == {p.mobile for p in inputs}
    assert len(events(app, "revealed")) == 2 * len(people) + len(phones)


def test_the_timeline_of_the_request_shows_who_revealed_what(app, users, admin):
    s = submit(app)
    bureau = make_user(users, admin, UserRole.BUREAU_REVIEWER, "bureau.zhao")
    desk = make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    field = RevealField.PRINCIPAL_ID_NUMBER
    users.reveal(user=bureau, field=field, holder_id=s.holders[field], request_id=s.request_id)
    with pytest.raises(PermissionDenied):
        users.reveal(user=desk, field=field, holder_id=s.holders[field], request_id=s.request_id)

    timeline = app.queries.request_detail(request_id=s.request_id).timeline
    shown = [(e.actor, e.action, e.details.get("reason")) for e in timeline if "reveal" in e.action]
    assert shown == [
        ("bureau.zhao", "revealed", None),
        ("desk.li", "reveal_failed", "permission_denied"),
    ]


def test_a_record_of_another_request_is_not_revealed_through_this_one(app, users, admin):
    """The request named is the one whose timeline records the reveal: it must be the
    request that shows the record, or the audit would point at the wrong filing."""
    first, second = submit(app, serial=1), submit(app, serial=2)
    for field in RevealField:
        with pytest.raises(NotFound):
            users.reveal(
                user=admin,
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


def test_a_request_that_does_not_exist_is_refused_and_audited(app, users, admin):
    s = submit(app)
    field = RevealField.PRINCIPAL_PHONE
    with pytest.raises(NotFound):
        users.reveal(user=admin, field=field, holder_id=s.holders[field], request_id=999_999)
    [refused] = events(app, "reveal_failed")
    assert refused.request_id is None
    assert refused.details == {
        "what": "phone",
        "field": "principal.phone",
        "principal_id": s.holders[field],
        "missing_request_id": 999_999,
        "reason": "not_found",
    }


def test_a_role_taken_away_or_an_account_disabled_takes_effect_at_once(app, users, admin):
    """The view's UserInfo still says bureau reviewer; the database decides."""
    s = submit(app)
    bureau = make_user(users, admin, UserRole.BUREAU_REVIEWER, "bureau.zhao")
    field = RevealField.SUBJECT_ID_NUMBER
    asked = {"field": field, "holder_id": s.holders[field], "request_id": s.request_id}
    assert users.reveal(user=bureau, **asked) == s.clear[field]
    users.set_active(user_id=bureau.id, active=False, by=admin)
    with pytest.raises(PermissionDenied):
        users.reveal(user=bureau, **asked)
    assert [e.action for e in events(app, "revealed", "reveal_failed")] == [
        "revealed",
        "reveal_failed",
    ]


def test_only_id_numbers_and_phones_are_revealed(app, users, admin):
    s = submit(app)
    for field in ("verifier.code", "principal.email", "id_number"):
        with pytest.raises(ValueError):
            users.reveal(user=admin, field=field, holder_id=1, request_id=s.request_id)
    assert events(app, "revealed", "reveal_failed") == []


def test_no_value_leaves_the_service_without_its_audit_event(app, users, admin):
    """The value is read in the transaction that writes the event: if that transaction
    cannot commit, the caller gets the error, not the value, and nothing is recorded."""
    s = submit(app)
    field = RevealField.PRINCIPAL_ID_NUMBER

    def refuse_commit(session):
        raise RuntimeError("the database went away")

    event.listen(app.ctx.sessions, "before_commit", refuse_commit)
    try:
        with pytest.raises(RuntimeError):
            users.reveal(
                user=admin, field=field, holder_id=s.holders[field], request_id=s.request_id
            )
    finally:
        event.remove(app.ctx.sessions, "before_commit", refuse_commit)
    assert events(app, "revealed", "reveal_failed") == []
