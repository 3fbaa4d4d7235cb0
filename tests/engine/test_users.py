"""Users, roles and signing in: the first administrator, the password rules, the lock
after five wrong passwords, and what a role may do checked against the database (the role
table of SPEC §1 itself: tests/unit/test_permissions.py; revealing secrets: test_reveal.py).

Most tests hash with cheap argon2 parameters (`users`); the ones about the hash itself
go through `app.users`, the service as the app wires it.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from beian_desktop.models import AuditEvent, User
from beian_desktop.rules.errors import (
    FirstAdminExists,
    LoginFailed,
    PermissionDenied,
    ValidationFailed,
)
from beian_desktop.services.people.user_service import (
    Permission,
    RevealField,
    UserInfo,
    UserService,
    can,
)
from beian_desktop.terms import UserRole

ADMIN_PASSWORD = "admin-Passw0rd"
PASSWORD = "correct horse 42"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def users(app) -> UserService:
    return UserService(app.ctx, hasher=FAST)


@pytest.fixture
def admin(users) -> UserInfo:
    return users.create_first_admin(
        username="Admin", display_name="管理员", password=ADMIN_PASSWORD
    )


def make_user(users, admin, role: UserRole, username: str | None = None) -> UserInfo:
    return users.create_user(
        username=username or role.value.replace("_", "."),
        display_name=f"{role.value} 用户",
        role=role,
        password=PASSWORD,
        by=admin,
    )


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
    assert app.users.login(username="ADMIN", password=ADMIN_PASSWORD) == admin
    row = stored(app, "admin")
    assert row.created_at == clock.now and row.active and row.failed_logins == 0

    [created] = events(app, "user_created")
    assert created.actor == "admin"
    assert created.details == {"user": "admin", "role": "administrator", "first_admin": True}


def test_the_first_administrator_is_created_once(app, users, admin):
    with pytest.raises(FirstAdminExists) as refused:
        users.create_first_admin(username="second", display_name="二", password=ADMIN_PASSWORD)
    assert refused.value.zh and refused.value.en
    assert [u.username for u in users.list_users(by=admin)] == ["admin"]
    [failed] = events(app, "user_create_failed")
    assert failed.details["reason"] == "users_exist"


def test_a_weak_first_administrator_is_refused_and_still_asked_for(users):
    with pytest.raises(ValidationFailed) as failed:
        users.create_first_admin(username="ad", display_name="", password="123456")
    assert failed.value.fields() == {"username", "display_name", "password"}
    assert users.needs_first_admin() is True


# -- usernames and passwords -----------------------------------------------------------
def test_usernames_are_unique_whatever_their_case(app, users, admin):
    wang = users.create_user(
        username="Wang.Li",
        display_name="王力",
        role=UserRole.ISP_STAFF,
        password=PASSWORD,
        by=admin,
    )
    assert wang.username == "wang.li"
    assert stored(app, "wang.li").username == "wang.li"
    for taken in ("WANG.LI", "wang.li", " Wang.li "):
        with pytest.raises(ValidationFailed) as failed:
            users.create_user(
                username=taken,
                display_name="另一个王力",
                role=UserRole.HELP_DESK,
                password=PASSWORD,
                by=admin,
            )
        [error] = failed.value.errors
        assert (error.field, error.code) == ("username", "username_taken")
        assert error.zh and error.en
    assert users.login(username="WANG.LI", password=PASSWORD) == wang
    assert [u.username for u in users.list_users(by=admin)] == ["admin", "wang.li"]


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
        ("", {"password_too_short"}),
        ("12345678901234", {"password_all_digits"}),
        ("123456", {"password_too_short", "password_all_digits"}),
    ],
)
def test_weak_passwords_are_named(users, admin, password, codes):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            username="zhang.san",
            display_name="张三",
            role=UserRole.ISP_STAFF,
            password=password,
            by=admin,
        )
    assert failed.value.fields() == {"password"}
    assert {e.code for e in failed.value.errors} == codes
    assert all(e.zh and e.en for e in failed.value.errors)
    assert [u.username for u in users.list_users(by=admin)] == ["admin"]


@pytest.mark.parametrize("username", ["ab", "a" * 33, "wang li", "王力", "a/b", "a@b.cn", ""])
def test_bad_usernames_are_named(users, admin, username):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            username=username,
            display_name="张三",
            role=UserRole.ISP_STAFF,
            password=PASSWORD,
            by=admin,
        )
    assert failed.value.fields() == {"username"}
    assert failed.value.errors[0].code == "username_invalid"


@pytest.mark.parametrize("username", ["abc", "a.b_c-1", "z" * 32, "ISP.Wang"])
def test_good_usernames_are_taken(users, admin, username):
    user = users.create_user(
        username=username, display_name="张三", role="isp_staff", password=PASSWORD, by=admin
    )
    assert user.username == username.lower()


def test_an_unknown_role_is_named(users, admin):
    with pytest.raises(ValidationFailed) as failed:
        users.create_user(
            username="x.user", display_name="X", role="superuser", password=PASSWORD, by=admin
        )
    assert failed.value.fields() == {"role"}


# -- the hash --------------------------------------------------------------------------
def test_only_an_argon2_hash_is_stored_and_no_password_reaches_the_audit(app):
    admin = app.users.create_first_admin(
        username="admin", display_name="管理员", password=ADMIN_PASSWORD
    )
    app.users.create_user(
        username="isp.wang", display_name="王", role=UserRole.ISP_STAFF, password=PASSWORD, by=admin
    )
    app.users.reset_password(user_id=admin.id, password="new-admin-Passw0rd", by=admin)
    with pytest.raises(LoginFailed):
        app.users.login(username="isp.wang", password="wrong-password-1")
    for username, password in (("admin", "new-admin-Passw0rd"), ("isp.wang", PASSWORD)):
        app.users.login(username=username, password=password)
        password_hash = stored(app, username).password_hash
        assert password_hash.startswith("$argon2")
        assert password_hash != password and password not in password_hash
    text = all_audit_text(app)
    for secret in (ADMIN_PASSWORD, PASSWORD, "new-admin-Passw0rd", "wrong-password-1", "$argon2"):
        assert secret not in text
    assert "password_hash" not in UserInfo.__dataclass_fields__


def test_a_hash_made_with_weaker_parameters_is_redone_at_the_next_login(app, users, admin):
    make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    old = stored(app, "isp.wang").password_hash
    assert "m=1024" in old

    app.users.login(username="isp.wang", password=PASSWORD)  # the app's default parameters

    new = stored(app, "isp.wang").password_hash
    assert new != old and new.startswith("$argon2id$") and "m=1024" not in new
    assert not app.users.hasher.check_needs_rehash(new)
    assert events(app, "login")[-1].details["rehashed"] is True
    app.users.login(username="isp.wang", password=PASSWORD)
    assert events(app, "login")[-1].details["rehashed"] is False
    assert stored(app, "isp.wang").password_hash == new


# -- signing in ------------------------------------------------------------------------
def test_login_success_sets_last_login_and_is_audited(app, users, admin, clock):
    wang = make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    assert stored(app, "isp.wang").last_login_at is None
    clock.advance(timedelta(hours=1))

    assert users.login(username="ISP.Wang", password=PASSWORD) == wang

    row = stored(app, "isp.wang")
    assert row.last_login_at == clock.now and row.failed_logins == 0
    login = events(app, "login")[-1]
    assert (login.actor, login.at, login.details["role"]) == ("isp.wang", clock.now, "isp_staff")


def test_a_failed_login_does_not_tell_whether_the_user_exists(app, users, admin):
    make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    with pytest.raises(LoginFailed) as wrong_password:
        users.login(username="isp.wang", password="not-the-password")
    with pytest.raises(LoginFailed) as unknown_user:
        users.login(username="nobody", password="not-the-password")
    with pytest.raises(LoginFailed) as not_a_username:
        users.login(username="my secret password", password="")
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


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(app, users, admin, clock):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for n in range(1, 5):
        with pytest.raises(LoginFailed):
            users.login(username="desk.li", password=f"wrong-password-{n}")
        assert stored(app, "desk.li").failed_logins == n
        assert stored(app, "desk.li").locked_until is None
    locked_at = clock.now
    with pytest.raises(LoginFailed):
        users.login(username="desk.li", password="wrong-password-5")
    assert stored(app, "desk.li").locked_until == locked_at + timedelta(minutes=15)
    [lock] = events(app, "account_locked")
    assert lock.actor == "desk.li" and lock.details["failed_logins"] == 5

    # Locked: even the right password is refused, and more guesses do not move the lock.
    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(LoginFailed):
        users.login(username="desk.li", password=PASSWORD)
    with pytest.raises(LoginFailed):
        users.login(username="desk.li", password="wrong-password-6")
    assert stored(app, "desk.li").locked_until == locked_at + timedelta(minutes=15)
    assert [e.details["reason"] for e in events(app, "login_failed")][-2:] == ["locked", "locked"]
    assert len(events(app, "account_locked")) == 1

    clock.advance(timedelta(seconds=1))  # fifteen minutes after the fifth wrong password
    user = users.login(username="desk.li", password=PASSWORD)
    assert user.locked_until is None
    row = stored(app, "desk.li")
    assert row.failed_logins == 0 and row.locked_until is None and row.last_login_at == clock.now


def test_after_the_lock_lapses_five_more_wrong_passwords_lock_again(app, users, admin, clock):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            users.login(username="desk.li", password="wrong-password")
    clock.advance(timedelta(minutes=15))
    for n in range(1, 5):
        with pytest.raises(LoginFailed):
            users.login(username="desk.li", password="wrong-password")
        assert stored(app, "desk.li").failed_logins == n
    with pytest.raises(LoginFailed):
        users.login(username="desk.li", password="wrong-password")
    assert stored(app, "desk.li").locked_until == clock.now + timedelta(minutes=15)
    assert len(events(app, "account_locked")) == 2


def test_a_success_starts_the_count_again(app, users, admin):
    make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(2):
        for _ in range(4):
            with pytest.raises(LoginFailed):
                users.login(username="desk.li", password="wrong-password")
        users.login(username="desk.li", password=PASSWORD)
        assert stored(app, "desk.li").failed_logins == 0
    assert events(app, "account_locked") == []


def test_an_administrator_lifts_a_lock_by_resetting_the_password(app, users, admin):
    desk = make_user(users, admin, UserRole.HELP_DESK, "desk.li")
    for _ in range(5):
        with pytest.raises(LoginFailed):
            users.login(username="desk.li", password="wrong-password")
    users.reset_password(user_id=desk.id, password="brand-new-password", by=admin)
    with pytest.raises(LoginFailed):
        users.login(username="desk.li", password=PASSWORD)
    assert users.login(username="desk.li", password="brand-new-password") == desk
    [reset] = events(app, "password_reset")
    assert (reset.actor, reset.details) == ("admin", {"user": "desk.li"})

    with pytest.raises(ValidationFailed) as weak:
        users.reset_password(user_id=desk.id, password="0123456789", by=admin)
    assert weak.value.fields() == {"password"}
    with pytest.raises(PermissionDenied):
        users.reset_password(user_id=admin.id, password="taken-over-password", by=desk)
    assert users.login(username="admin", password=ADMIN_PASSWORD) == admin


def test_a_deactivated_user_cannot_sign_in_or_act(app, users, admin):
    bureau = make_user(users, admin, UserRole.BUREAU_REVIEWER, "bureau.zhao")
    off = users.set_active(user_id=bureau.id, active=False, by=admin)
    assert off.active is False and can(off, Permission.BUREAU_REVIEW) is False
    with pytest.raises(LoginFailed):
        users.login(username="bureau.zhao", password=PASSWORD)
    assert events(app, "login_failed")[-1].details["reason"] == "inactive"
    # The session it held before is refused by the services too.
    with pytest.raises(PermissionDenied):
        users.reveal(user=bureau, field=RevealField.SUBJECT_ID_NUMBER, holder_id=1, request_id=1)
    assert {u.username: u.active for u in users.list_users(by=admin)}["bureau.zhao"] is False

    assert users.set_active(user_id=bureau.id, active=True, by=admin).active is True
    assert users.login(username="bureau.zhao", password=PASSWORD) == bureau
    assert [e.action for e in events(app, "user_deactivated") + events(app, "user_activated")] == [
        "user_deactivated",
        "user_activated",
    ]


def test_the_last_active_administrator_cannot_be_deactivated(users, admin):
    with pytest.raises(ValidationFailed) as failed:
        users.set_active(user_id=admin.id, active=False, by=admin)
    assert failed.value.fields() == {"active"}
    second = make_user(users, admin, UserRole.ADMINISTRATOR, "admin2")
    assert users.set_active(user_id=admin.id, active=False, by=second).active is False
    with pytest.raises(ValidationFailed):
        users.set_active(user_id=second.id, active=False, by=second)


# -- only administrators administer ----------------------------------------------------
@pytest.mark.parametrize(
    "role",
    [UserRole.ISP_STAFF, UserRole.HELP_DESK, UserRole.SUPERVISOR, UserRole.BUREAU_REVIEWER],
)
def test_only_an_administrator_creates_users(app, users, admin, role):
    staff = make_user(users, admin, role)
    with pytest.raises(PermissionDenied) as denied:
        users.create_user(
            username="intruder",
            display_name="X",
            role=UserRole.ADMINISTRATOR,
            password=PASSWORD,
            by=staff,
        )
    assert denied.value.permission == Permission.ADMINISTER
    assert denied.value.zh and denied.value.en
    with pytest.raises(PermissionDenied):
        users.set_active(user_id=admin.id, active=False, by=staff)
    with pytest.raises(PermissionDenied):
        users.list_users(by=staff)
    assert "intruder" not in [u.username for u in users.list_users(by=admin)]
    failed = events(app, "user_create_failed")[-1]
    assert (failed.actor, failed.details["reason"]) == (staff.username, "permission_denied")
    assert events(app, "user_change_failed")[-1].details["reason"] == "permission_denied"


def test_the_role_a_view_holds_is_checked_against_the_database(users, admin):
    staff = make_user(users, admin, UserRole.ISP_STAFF, "isp.wang")
    forged = UserInfo(id=staff.id, username="isp.wang", display_name="王", role="administrator")
    with pytest.raises(PermissionDenied):
        users.create_user(
            username="intruder", display_name="X", role="isp_staff", password=PASSWORD, by=forged
        )
    ghost = UserInfo(id=9999, username="ghost", display_name="?", role="administrator")
    with pytest.raises(PermissionDenied):
        users.list_users(by=ghost)


def test_user_changes_are_audited(app, users, admin):
    staff = make_user(users, admin, UserRole.SUPERVISOR, "sup.chen")
    users.set_active(user_id=staff.id, active=False, by=admin)
    created = events(app, "user_created")[-1]
    assert (created.actor, created.details) == ("admin", {"user": "sup.chen", "role": "supervisor"})
    [deactivated] = events(app, "user_deactivated")
    assert (deactivated.actor, deactivated.details["user"]) == ("admin", "sup.chen")
    assert all(e.request_id is None for e in events(app, "user_created"))
