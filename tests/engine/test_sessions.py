"""Sign-in sessions: what a session is, how long it lasts, and everything that ends it
at once on every workstation (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from beian_desktop.models import AuditEvent, SignInSession
from beian_desktop.rules.errors import LoginFailed, PermissionDenied, ValidationFailed
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.sessions import token_hash
from beian_desktop.terms import UserRole

from staff import PASSWORD, ensure_user, session_for


def _count(app, session: str) -> int:
    return app.queries.count_filings(session=session, filter=FilingFilter())


def _refused(app, session: str) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as refused:
        _count(app, session)
    return refused.value


def _sessions(app, username_id: int) -> list[SignInSession]:
    with app.ctx.unit_of_work() as db:
        return list(db.scalars(select(SignInSession).where(SignInSession.user_id == username_id)))


def _admin(app) -> str:
    return session_for(app, "admin")


def test_a_sign_in_hands_out_a_random_token_the_database_keeps_only_hashed(app, database_url):
    user_id = ensure_user(app, "isp")
    first = app.sign_in.sign_in(username="isp", password=PASSWORD)
    second = app.sign_in.sign_in(username="ISP ", password=PASSWORD)  # usernames fold case
    assert first.token != second.token and len(first.token) >= 40
    assert first.user.username == "isp" and first.user.role == UserRole.ISP_STAFF
    rows = _sessions(app, user_id)
    assert {r.token_hash for r in rows} == {
        token_hash(app.ctx, first.token),
        token_hash(app.ctx, second.token),
    }
    assert all(first.token not in r.token_hash for r in rows)
    if database_url.startswith("sqlite"):
        app.close()  # the file as it lies on disk, WAL checkpointed
        data = Path(database_url.removeprefix("sqlite:///")).read_bytes()
        assert first.token.encode() not in data and second.token.encode() not in data


def test_a_session_lasts_a_working_day(app, clock):
    session = session_for(app, "isp")
    clock.advance(timedelta(hours=9, minutes=59))
    assert _count(app, session) == 0
    clock.advance(timedelta(minutes=1))
    refusal = _refused(app, session)
    assert "expired" in refusal.en and refusal.ends_sign_in  # a window goes back to sign-in


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(app):
    ensure_user(app, "isp")
    with pytest.raises(LoginFailed) as wrong:
        app.sign_in.sign_in(username="isp", password="Not-The-Pass-1")
    with pytest.raises(LoginFailed) as unknown:
        app.sign_in.sign_in(username="nobody", password=PASSWORD)
    assert wrong.value.message("zh_CN") == unknown.value.message("zh_CN")


@pytest.mark.parametrize(
    "change",
    ["deactivate", "new_role", "password_reset"],
)
def test_an_administrators_change_ends_the_users_sessions_at_once(app, change):
    admin = _admin(app)
    user_id = ensure_user(app, "isp")
    on_one = session_for(app, "isp")
    on_another = app.sign_in.sign_in(username="isp", password=PASSWORD).token
    assert _count(app, on_one) == 0 and _count(app, on_another) == 0
    if change == "deactivate":
        app.users.set_active(session=admin, user_id=user_id, active=False)
    elif change == "new_role":
        app.users.update_user(session=admin, user_id=user_id, role=UserRole.HELP_DESK)
    else:
        app.users.reset_password(session=admin, user_id=user_id, password="Reset-Pass-31")
    for session in (on_one, on_another):
        refusal = _refused(app, session)
        assert "revoked" in refusal.en and refusal.ends_sign_in
    assert all(r.revoked_at is not None for r in _sessions(app, user_id))


def test_a_changed_role_acts_under_the_new_role_after_signing_in_again(app):
    user_id = ensure_user(app, "isp")
    app.users.update_user(session=_admin(app), user_id=user_id, role=UserRole.HELP_DESK)
    again = app.sign_in.sign_in(username="isp", password=PASSWORD)
    assert again.user.role == UserRole.HELP_DESK
    with pytest.raises(PermissionDenied):
        app.submission.submit(session=again.token, request_id=1)


def test_five_wrong_passwords_lock_the_account_and_end_its_sessions(app, clock):
    session = session_for(app, "isp")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            app.sign_in.sign_in(username="isp", password="Wrong-Pass-11")
    assert "revoked" in _refused(app, session).en
    with pytest.raises(LoginFailed):
        app.sign_in.sign_in(username="isp", password=PASSWORD)  # locked, even the right one
    clock.advance(timedelta(minutes=15))
    assert app.sign_in.sign_in(username="isp", password=PASSWORD).token


def test_a_reset_password_must_be_changed_before_anything_else(app):
    user_id = ensure_user(app, "isp")
    app.users.reset_password(session=_admin(app), user_id=user_id, password="Temp-Pass-2026")
    signed_in = app.sign_in.sign_in(username="isp", password="Temp-Pass-2026")
    assert signed_in.must_change_password
    assert "Change your password" in _refused(app, signed_in.token).en
    with pytest.raises(ValidationFailed) as weak:
        app.sign_in.change_own_password(
            session=signed_in.token, current_password="Temp-Pass-2026", new_password="password12"
        )
    assert weak.value.fields() == {"password"}
    app.sign_in.change_own_password(
        session=signed_in.token, current_password="Temp-Pass-2026", new_password="Mine-Own-Pass-9"
    )
    assert _count(app, signed_in.token) == 0  # this session goes on
    assert app.sign_in.whoami(session=signed_in.token).must_change_password is False
    with pytest.raises(LoginFailed):
        app.sign_in.sign_in(username="isp", password="Temp-Pass-2026")


def test_changing_ones_password_ends_ones_other_sessions(app):
    ensure_user(app, "isp")
    here = app.sign_in.sign_in(username="isp", password=PASSWORD).token
    elsewhere = app.sign_in.sign_in(username="isp", password=PASSWORD).token
    app.sign_in.change_own_password(
        session=here, current_password=PASSWORD, new_password="Fresh-Pass-2027"
    )
    assert _count(app, here) == 0
    assert "revoked" in _refused(app, elsewhere).en


def test_a_wrong_current_password_is_a_field_error_and_counts_as_a_wrong_try(app):
    session = session_for(app, "isp")
    with pytest.raises(ValidationFailed) as refused:
        app.sign_in.change_own_password(
            session=session, current_password="Not-Mine-123", new_password="Fresh-Pass-2027"
        )
    assert refused.value.fields() == {"current_password"}
    with app.ctx.unit_of_work() as db:
        events = db.scalars(select(AuditEvent.action).where(AuditEvent.actor == "isp")).all()
    assert "login_failed" in events and "password_change_failed" in events


def test_a_locked_workstation_does_nothing_until_its_user_unlocks_it(app):
    session = session_for(app, "isp")
    app.sign_in.lock(session=session)
    assert "locked" in _refused(app, session).en
    with pytest.raises(LoginFailed):
        app.sign_in.unlock(session=session, password="Someone-Elses-1")
    assert "locked" in _refused(app, session).en
    app.sign_in.unlock(session=session, password=PASSWORD)
    assert _count(app, session) == 0


def test_signing_out_ends_the_session_everywhere(app):
    session = session_for(app, "isp")
    app.sign_in.sign_out(session=session)
    assert "revoked" in _refused(app, session).en
    with app.ctx.unit_of_work() as db:
        assert "logout" in db.scalars(select(AuditEvent.action)).all()


def test_a_call_is_seen_but_a_read_does_not_write_more_than_once_a_minute(app, clock):
    session = session_for(app, "isp")
    user_id = ensure_user(app, "isp")
    clock.advance(timedelta(minutes=5))
    _count(app, session)
    seen = {r.last_seen_at for r in _sessions(app, user_id)}
    assert app.now() in seen
    clock.advance(timedelta(seconds=30))
    _count(app, session)
    assert {r.last_seen_at for r in _sessions(app, user_id)} == seen


@pytest.mark.parametrize("token", [None, "", 12, b"bytes", "x" * 1000, "' OR 1=1 --", "\x00"])
def test_a_malformed_token_is_refused_never_a_crash(app, token):
    with pytest.raises(PermissionDenied):
        app.queries.count_filings(session=token, filter=FilingFilter())


@pytest.mark.parametrize("name", ["system", "System", "unknown"])
def test_no_user_can_take_the_name_the_system_acts_as(app, name):
    with pytest.raises(ValidationFailed) as refused:
        app.users.create_user(
            session=_admin(app),
            username=name,
            display_name="冒充",
            role=UserRole.ADMINISTRATOR,
            password="Imposter-Pass-1",
        )
    assert refused.value.fields() == {"username"}


def test_a_role_refusal_leaves_the_sign_in_as_it_was(app):
    """Refused for the role: the person stays signed in (the window carries on)."""
    desk = session_for(app, "desk")
    with pytest.raises(PermissionDenied) as refused:
        app.review.approve(session=desk, request_id=1)
    assert refused.value.reason == "role" and not refused.value.ends_sign_in
    assert _count(app, desk) == 0
