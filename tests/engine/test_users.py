"""Users, roles and signing in: the first administrator, the password rules, the lock
after five wrong passwords, and what a role may do checked against the database (the role
table of SPEC §1 itself: tests/unit/test_permissions.py; revealing secrets: test_reveal.py;
sessions themselves: test_sessions.py).

The `app` fixture hashes with cheap argon2 parameters (staff.FAST_HASHER); the test of
rehashing signs in through services wired with the app's default `PasswordHasher`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from beian_desktop.models import AuditEvent, User
from beian_desktop.rules.errors import (
    FirstAdminExists,
    LoginFailed,
    PermissionDenied,
    ValidationFailed,
)
from beian_desktop.rules.permissions import Permission, RevealField, can
from beian_desktop.services.people.accounts import UserInfo, UserService
from beian_desktop.services.people.sign_in import SignedIn, SignInService
from beian_desktop.terms import UserRole

from staff import FAST_HASHER

ADMIN_PASSWORD = "Guanli-Passw0rd"
PASSWORD = "Correct-Horse-42"


@pytest.fixture
def users(app) -> UserService:
    return app.users


@pytest.fixture
def sign_in(app) -> SignInService:
    return app.sign_in


@pytest.fixture
def admin(users, sign_in) -> SignedIn:
    """The first administrator, signed in."""
    users.create_first_admin(username="Admin", display_name="管理员", password=ADMIN_PASSWORD)
    return sign_in.sign_in(username="admin", password=ADMIN_PASSWORD)


def make_user(users, admin: SignedIn, role: UserRole, username: str | None = None) -> UserInfo:
    """A user who signs in with PASSWORD (no new password asked for first)."""
    return users.create_user(
        session=admin.token,
        username=username or role.value.replace("_", "."),
        display_name=f"{role.value} 用户",
        role=role,
        password=PASSWORD,
        must_change_password=False,
    )


def signed_in(sign_in, user: UserInfo) -> str:
    return sign_in.sign_in(username=user.username, password=PASSWORD).token


def events(app, action: str) -> list[AuditEvent]:
    with app.ctx.unit_of_work() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def stored(app, username: str) -> User:
    with app.ctx.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def all_audit_text(app) -> str:
    with app.ctx.unit_of_work() as session:
        return json.dumps(
            [(e.actor, e.action, e.details) for e in session.scalars(select(AuditEvent))],
            ensure_ascii=False,
        )


# -- the first start -------------------------------------------------------------------
def test_a_new_database_asks_for_the_first_administrator(app, clock):
    assert app.users.needs_first_admin() is True
    admin = app.users.create_first_admin(
        username=" Admin ", display_name="  管理员 ", password=ADMIN_PASSWORD
    )
    assert admin == UserInfo(
        id=admin.id, username="admin", display_name="管理员", role="administrator"
    )
    assert app.users.needs_first_admin() is False
    assert app.sign_in.sign_in(username="ADMIN", password=ADMIN_PASSWORD).user == admin
    row = stored(app, "admin")
    assert row.created_at == clock.now and row.active and row.failed_logins == 0

    [created] = events(app, "user_created")
    assert created.actor == "admin"
    assert created.details == {"user": "admin", "role": "administrator", "first_admin": True}


def test_the_first_administrator_is_created_once(app, users, admin):
    with pytest.raises(FirstAdminExists) as refused:
        users.create_first_admin(username="second", display_name="二", password=ADMIN_PASSWORD)
    assert refused.value.zh and refused.value.en
    assert [u.username for u in users.list_users(session=admin.token)] == ["admin"]
    [failed] = events(app, "user_create_failed")
    assert failed.details["reason"] == "users_exist"


def test_a_weak_first_administrator_is_refused_and_still_asked_for(users):
    with pytest.raises(ValidationFailed) as failed:
        users.create_first_admin(username="ad", display_name="", password="123456")
    assert failed.value.fields() == {"username", "display_name", "password"}
    assert users.needs_first_admin() is True


# -- usernames and passwords -----------------------------------------------------------
def test_usernames_are_unique_whatever_their_case(app, users, sign_in, admin):
    wang = users.create_user(
        session=admin.token,
        username="Wang.Li",
        display_name="王力",
        role=UserRole.ISP_STAFF,
        password=PASSWORD,
        must_change_password=False,
    )
    assert wang.username == "wang.li"
    assert stored(app, "wang.li").username == "wang.li"
    for taken in ("WANG.LI", "wang.li", " Wang.li "):
        with pytest.raises(ValidationFailed) as failed:
            users.create_user(
                session=admin.token,
                username=taken,
                display_name="另一个王力",
                role=UserRole.HELP_DESK,
                password=PASSWORD,
            )
        [error] = failed.value.errors
        assert (error.field, error.code) == ("username", "username_taken")
        assert error.zh and error.en
    assert sign_in.sign_in(username="WANG.LI", password=PASSWORD).user == wang
    assert [u.username for u in users.list_users(session=admin.token)] == ["admin", "wang.li"]


def test_the_database_itself_refuses_an_upper_case_username(app, clock):
    with pytest.raises(IntegrityError), app.ctx.unit_of_work() as session:
        session.add(
            User(
                username="Upper",
                display_name="x",
                role="isp_staff",
                password_hash="x",
                active=True,
                created_at=clock.now,
                failed_logins=0,
            )
        )


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("short-1", {"password_too_short"}),
        ("", {"password_too_short", "password_too_simple"}),
        ("12345678901234", {"password_too_simple"}),
        ("123456", {"password_too_short", "password_too_simple", "password_common"}),
        ("Zhang.San-2026", {"password_is_username"}),
    ],
)
def test_weak_passwords_are_named(users, admin, password, codes):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            session=admin.token,
            username="zhang.san",
            display_name="张三",
            role=UserRole.ISP_STAFF,
            password=password,
        )
    assert failed.value.fields() == {"password"}
    assert {e.code for e in failed.value.errors} == codes
    assert all(e.zh and e.en for e in failed.value.errors)
    assert [u.username for u in users.list_users(session=admin.token)] == ["admin"]


@pytest.mark.parametrize("username", ["ab", "a" * 33, "wang li", "王力", "a/b", "a@b.cn", ""])
def test_bad_usernames_are_named(users, admin, username):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            session=admin.token,
            username=username,
            display_name="张三",
            role=UserRole.ISP_STAFF,
            password=PASSWORD,
        )
    assert failed.value.fields() == {"username"}
    assert failed.value.errors[0].code == "username_invalid"


@pytest.mark.parametrize("username", ["abc", "a.b_c-1", "z" * 32, "ISP.Wang"])
def test_good_usernames_are_taken(users, admin, username):
    user = users.create_user(
        session=admin.token,
        username=username,
        display_name="张三",
        role="isp_staff",
        password=PASSWORD,
    )
    assert user.username == username.lower()


def test_an_unknown_role_is_named(users, admin):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            session=admin.token,
            username="x.user",
            display_name="X",
            role="superuser",
            password=PASSWORD,
        )
    assert failed.value.fields() == {"role"}


# -- the hash --------------------------------------------------------------------------
def test_only_an_argon2_hash_is_stored_and_no_password_reaches_the_audit(app):
    admin = app.users.create_first_admin(
        username="admin", display_name="管理员", password=ADMIN_PASSWORD
    )
    session = app.sign_in.sign_in(username="admin", password=ADMIN_PASSWORD).token
    app.users.create_user(
        session=session,
        username="isp.wang",
        display_name="王",
        role=UserRole.ISP_STAFF,
        password=PASSWORD,
    )
    app.users.reset_password(session=session, user_id=admin.id, password="New-Guanli-Passw0rd")
    with pytest.raises(LoginFailed):
        app.sign_in.sign_in(username="isp.wang", password="wrong-password-1")
    for username, password in (("admin", "New-Guanli-Passw0rd"), ("isp.wang", PASSWORD)):
        app.sign_in.sign_in(username=username, password=password)
        password_hash = stored(app, username).password_hash
        assert password_hash.startswith("$argon2")
        assert password_hash != password and password not in password_hash
    text = all_audit_text(app)
    for secret in (ADMIN_PASSWORD, PASSWORD, "New-Guanli-Passw0rd", "wrong-password-1", "$argon2"):
        assert secret not in text
    assert "password_hash" not in UserInfo.__dataclass_fields__


def test_a_hash_made_with_weaker_parameters_is_redone_at_the_next_login(app, users, admin):
    make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    old = stored(app, "isp.wang").password_hash
    assert f"m={FAST_HASHER.memory_cost}," in old

    wired = SignInService(replace(app.ctx, hasher=PasswordHasher()))  # the app's default
    wired.sign_in(username="isp.wang", password=PASSWORD)

    new = stored(app, "isp.wang").password_hash
    assert new != old and new.startswith("$argon2id$")
    assert f"m={FAST_HASHER.memory_cost}," not in new
    assert not wired.ctx.hasher.check_needs_rehash(new)
    assert events(app, "login")[-1].details["rehashed"] is True
    wired.sign_in(username="isp.wang", password=PASSWORD)
    assert events(app, "login")[-1].details["rehashed"] is False
    assert stored(app, "isp.wang").password_hash == new


# -- signing in ------------------------------------------------------------------------
def test_login_success_sets_last_login_and_is_audited(app, users, sign_in, admin, clock):
    wang = make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    assert stored(app, "isp.wang").last_login_at is None
    clock.advance(timedelta(hours=1))

    assert sign_in.sign_in(username="ISP.Wang", password=PASSWORD).user == wang

    row = stored(app, "isp.wang")
    assert row.last_login_at == clock.now and row.failed_logins == 0
    login = events(app, "login")[-1]
    assert (login.actor, login.at, login.details["role"]) == ("isp.wang", clock.now, "isp_staff")


def test_a_failed_login_does_not_tell_whether_the_user_exists(app, users, sign_in, admin):
    make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    with pytest.raises(LoginFailed) as wrong_password:
        sign_in.sign_in(username="isp.wang", password="not-the-password")
    with pytest.raises(LoginFailed) as unknown_user:
        sign_in.sign_in(username="nobody", password="not-the-password")
    with pytest.raises(LoginFailed) as not_a_username:
        sign_in.sign_in(username="my secret password", password="")
    assert str(wrong_password.value) == str(unknown_user.value) == str(not_a_username.value)
    assert wrong_password.value.zh == unknown_user.value.zh
    assert "用户名或密码错误" in unknown_user.value.zh
    assert "username or password" in unknown_user.value.en

    failed = events(app, "login_failed")
    assert [(e.actor, e.details["reason"]) for e in failed] == [
        ("isp.wang", "wrong_password"),
        ("nobody", "unknown_user"),
        ("(unknown)", "unknown_user"),
    ]
    assert failed[0].details["failed_logins"] == 1
    assert "my secret password" not in all_audit_text(app)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    app, users, sign_in, admin, clock
):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for n in range(1, 5):
        with pytest.raises(LoginFailed):
            sign_in.sign_in(username="desk.li", password=f"wrong-password-{n}")
        assert stored(app, "desk.li").failed_logins == n
        assert stored(app, "desk.li").locked_until is None
    locked_at = clock.now
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="desk.li", password="wrong-password-5")
    assert stored(app, "desk.li").locked_until == locked_at + timedelta(minutes=15)
    [lock] = events(app, "account_locked")
    assert lock.actor == "desk.li" and lock.details["failed_logins"] == 5

    # Locked: even the right password is refused, and more guesses do not move the lock.
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="desk.li", password=PASSWORD)
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="desk.li", password="wrong-password-6")
    assert stored(app, "desk.li").locked_until == locked_at + timedelta(minutes=15)
    assert [e.details["reason"] for e in events(app, "login_failed")][-2:] == ["locked", "locked"]
    assert len(events(app, "account_locked")) == 1

    clock.advance(timedelta(seconds=1))  # fifteen minutes after the fifth wrong password
    user = sign_in.sign_in(username="desk.li", password=PASSWORD).user
    assert user.locked_until is None
    row = stored(app, "desk.li")
    assert row.failed_logins == 0 and row.locked_until is None and row.last_login_at == clock.now


def test_after_the_lock_lapses_five_more_wrong_passwords_lock_again(
    app, users, sign_in, admin, clock
):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            sign_in.sign_in(username="desk.li", password="wrong-password")
    clock.advance(timedelta(minutes=15))
    for n in range(1, 5):
        with pytest.raises(LoginFailed):
            sign_in.sign_in(username="desk.li", password="wrong-password")
        assert stored(app, "desk.li").failed_logins == n
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="desk.li", password="wrong-password")
    assert stored(app, "desk.li").locked_until == clock.now + timedelta(minutes=15)
    assert len(events(app, "account_locked")) == 2


def test_a_success_starts_the_count_again(app, users, sign_in, admin):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(LoginFailed):
                sign_in.sign_in(username="desk.li", password="wrong-password")
        sign_in.sign_in(username="desk.li", password=PASSWORD)
        assert stored(app, "desk.li").failed_logins == 0
    assert events(app, "account_locked") == []


def test_an_administrator_lifts_a_lock_by_resetting_the_password(app, users, sign_in, admin):
    desk = make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            sign_in.sign_in(username="desk.li", password="wrong-password")
    users.reset_password(session=admin.token, user_id=desk.id, password="Brand-New-Pass-1")
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="desk.li", password=PASSWORD)
    # The reset password opens the account, which asks for a password of its own first.
    unlocked = sign_in.sign_in(username="desk.li", password="Brand-New-Pass-1")
    assert unlocked.user == replace(desk, must_change_password=True)
    [reset] = events(app, "password_reset")
    assert (reset.actor, reset.details) == ("admin", {"user": "desk.li", "must_change": True})

    with pytest.raises(ValidationFailed) as weak:
        users.reset_password(session=admin.token, user_id=desk.id, password="0123456789")
    assert weak.value.fields() == {"password"}
    sign_in.change_own_password(
        session=unlocked.token, current_password="Brand-New-Pass-1", new_password="Own-Desk-Pass-2"
    )
    with pytest.raises(PermissionDenied) as refused:
        users.reset_password(
            session=unlocked.token, user_id=admin.user.id, password="Taken-Over-Pass-3"
        )
    assert refused.value.permission == Permission.ADMINISTER
    assert sign_in.sign_in(username="admin", password=ADMIN_PASSWORD).user == admin.user


def test_a_deactivated_user_cannot_sign_in_or_act(app, users, sign_in, admin):
    bureau = make_user(users, admin, UserRole.BUREAU_REVIEWER, "bureau.zhao")
    held = signed_in(sign_in, bureau)
    off = users.set_active(session=admin.token, user_id=bureau.id, active=False)
    assert off.active is False and can(off, Permission.BUREAU_REVIEW) is False
    with pytest.raises(LoginFailed):
        sign_in.sign_in(username="bureau.zhao", password=PASSWORD)
    assert events(app, "login_failed")[-1].details["reason"] == "inactive"
    # The session it held before is refused by the services too.
    with pytest.raises(PermissionDenied):
        app.secrets.reveal(
            session=held, field=RevealField.SUBJECT_ID_NUMBER, holder_id=1, request_id=1
        )
    listed = users.list_users(session=admin.token)
    assert {u.username: u.active for u in listed}["bureau.zhao"] is False

    assert users.set_active(session=admin.token, user_id=bureau.id, active=True).active is True
    assert sign_in.sign_in(username="bureau.zhao", password=PASSWORD).user == bureau
    assert [e.action for e in events(app, "user_deactivated") + events(app, "user_activated")] == [
        "user_deactivated",
        "user_activated",
    ]


def test_the_last_active_administrator_cannot_be_deactivated(users, sign_in, admin):
    with pytest.raises(ValidationFailed) as failed:
        users.set_active(session=admin.token, user_id=admin.user.id, active=False)
    assert failed.value.fields() == {"active"}
    second = make_user(users, admin, UserRole.ADMINISTRATOR, "admin2")
    by_second = signed_in(sign_in, second)
    off = users.set_active(session=by_second, user_id=admin.user.id, active=False)
    assert off.active is False
    with pytest.raises(ValidationFailed):
        users.set_active(session=by_second, user_id=second.id, active=False)


# -- only administrators administer ----------------------------------------------------
@pytest.mark.parametrize(
    "role",
    [UserRole.ISP_STAFF, UserRole.HELP_DESK, UserRole.SUPERVISOR, UserRole.BUREAU_REVIEWER],
)
def test_only_an_administrator_creates_users(app, users, sign_in, admin, role):
    staff = make_user(users, admin, role)
    session = signed_in(sign_in, staff)
    with pytest.raises(PermissionDenied) as denied:
        users.create_user(
            session=session,
            username="intruder",
            display_name="X",
            role=UserRole.ADMINISTRATOR,
            password=PASSWORD,
        )
    assert denied.value.permission == Permission.ADMINISTER
    assert denied.value.zh and denied.value.en
    with pytest.raises(PermissionDenied):
        users.set_active(session=session, user_id=admin.user.id, active=False)
    with pytest.raises(PermissionDenied):
        users.list_users(session=session)
    assert "intruder" not in [u.username for u in users.list_users(session=admin.token)]
    # One permission_denied event per refused call, naming who and what.
    refusals = [
        (e.actor, e.details["operation"], e.details["reason"], e.details["permission"])
        for e in events(app, "permission_denied")
    ]
    assert refusals == [
        (staff.username, operation, "role", Permission.ADMINISTER)
        for operation in ("users.create_user", "users.set_active", "users.list_users")
    ]
    assert events(app, "user_create_failed") == events(app, "user_change_failed") == []


def test_the_role_a_view_holds_is_checked_against_the_database(app, users, sign_in, admin):
    staff = make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    with pytest.raises(PermissionDenied):
        users.create_user(
            session=signed_in(sign_in, staff),
            username="intruder",
            display_name="X",
            role="isp_staff",
            password=PASSWORD,
        )
    # A sign-in as an administrator, whose role the database no longer holds: the
    # screen's UserInfo still says administrator, the services go by the database.
    second = make_user(users, admin, UserRole.ADMINISTRATOR, "admin2")
    held = sign_in.sign_in(username="admin2", password=PASSWORD)
    assert held.user.role == "administrator"
    with app.ctx.unit_of_work() as session:
        session.execute(update(User).where(User.id == second.id).values(role="isp_staff"))
    with pytest.raises(PermissionDenied):
        users.list_users(session=held.token)
    # A token no sign-in handed out.
    with pytest.raises(PermissionDenied):
        users.list_users(session="ghost-" + admin.token[6:])


def test_user_changes_are_audited(app, users, admin):
    staff = make_user(users, admin, UserRole.SUPERVISOR, "sup.chen")
    users.set_active(session=admin.token, user_id=staff.id, active=False)
    created = events(app, "user_created")[-1]
    assert (created.actor, created.details) == ("admin", {"user": "sup.chen", "role": "supervisor"})
    [deactivated] = events(app, "user_deactivated")
    assert (deactivated.actor, deactivated.details["user"]) == ("admin", "sup.chen")
    assert all(e.request_id is None for e in events(app, "user_created"))
