"""User accounts: the first administrator of a new database, then what an
administrator does to the others (create, rename, change the role, deactivate, reset a
password, ask for a new password at the next sign-in).

A change that takes someone's rights away takes effect at once on every workstation:
deactivating a user, changing their role or resetting their password revokes their
sessions, so their next call is refused (services/sessions.py). Every change and every
refused change is an audit event (SPEC §7), never with a password in it. Passwords are
hashed (argon2) before any transaction opens: hashing takes a tenth of a second and
SQLite's write lock must not wait for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beian_desktop.models import User
from beian_desktop.rules.accounts import (
    display_name_errors,
    normalise_username,
    password_errors,
    role_errors,
    username_errors,
)
from beian_desktop.rules.errors import FieldError, FirstAdminExists, UserNotFound, ValidationFailed
from beian_desktop.rules.validation import flag, record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.sessions import UNKNOWN, revoke_sessions
from beian_desktop.terms import UserRole


@dataclass(frozen=True)
class UserInfo:
    """A user as a screen shows them: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool = True
    locked_until: datetime | None = None  # set while five wrong passwords keep it locked
    must_change_password: bool = False


def user_info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        locked_until=user.locked_until,
        must_change_password=user.must_change_password,
    )


def _taken() -> FieldError:
    return FieldError("username", "username_taken", "用户名已被使用", "is already taken")


def _codes(errors: list[FieldError]) -> list[str]:
    return [f"{e.field}:{e.code}" for e in errors]


def _last_administrator() -> ValidationFailed:
    return ValidationFailed.one(
        "active",
        "last_administrator",
        "不能停用最后一个启用的管理员，也不能改变其角色",
        "the last active administrator can be neither deactivated nor given another role",
    )


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- the first start ---------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """True on a database without users: the app asks for an administrator."""
        with self.ctx.read_only() as db:
            return db.scalar(select(User.id).limit(1)) is None

    def create_first_admin(self, *, username: str, display_name: str, password: str) -> UserInfo:
        """Only while there are no users at all (FirstAdminExists after). The app signs
        the new administrator in next, with sign_in.sign_in."""
        name = normalise_username(username) if isinstance(username, str) else ""
        errors = self._new_user_errors(username, display_name, UserRole.ADMINISTRATOR, password)
        password_hash = None if errors else self.ctx.hasher.hash(password)
        now = self.ctx.now()
        failure: Exception | None = None
        with self.ctx.unit_of_work() as db:
            if db.get_bind().dialect.name == "postgresql":
                # Two workstations on a new database: the second waits, then sees the first.
                db.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
            if db.scalar(select(User.id).limit(1)) is not None:
                failure, reason = FirstAdminExists(), "users_exist"
            elif errors:
                failure, reason = ValidationFailed(errors), "invalid"
            if failure is not None:
                audit.record(
                    db,
                    at=now,
                    actor=typed_username(name),
                    action="user_create_failed",
                    first_admin=True,
                    reason=reason,
                    errors=_codes(errors),
                )
            else:
                assert password_hash is not None
                user = _insert(db, name, display_name, UserRole.ADMINISTRATOR, password_hash, now)
                assert user is not None  # nobody else can insert: the table was empty
                audit.record(
                    db,
                    at=now,
                    actor=name,
                    action="user_created",
                    user=name,
                    role=UserRole.ADMINISTRATOR.value,
                    first_admin=True,
                )
                created = user_info(user)
        if failure is not None:
            raise failure
        return created

    # -- what an administrator does ----------------------------------------------------
    def list_users(self, *, session: str) -> list[UserInfo]:
        with self.ctx.acting(session, "users.list_users", read=True) as act:
            return [user_info(u) for u in act.db.scalars(select(User).order_by(User.username))]

    def create_user(
        self,
        *,
        session: str,
        username: str,
        display_name: str,
        role: UserRole | str,
        password: str,
        must_change_password: bool = True,
    ) -> UserInfo:
        """The new user chooses their own password at the first sign-in unless
        `must_change_password` is False."""
        with self.ctx.acting(session, "users.create_user", read=True):
            # refused (or its flag refused) before the password is hashed
            must_change_password = flag("must_change_password", must_change_password)
        name = normalise_username(username) if isinstance(username, str) else ""
        errors = self._new_user_errors(username, display_name, role, password)
        password_hash = None if errors else self.ctx.hasher.hash(password)
        failure: Exception | None = None
        with self.ctx.acting(session, "users.create_user") as act:
            if not errors:
                assert password_hash is not None
                user = _insert(act.db, name, display_name, str(role), password_hash, act.now)
                if user is None:
                    errors = [_taken()]
                else:
                    user.must_change_password = bool(must_change_password)
            if errors:
                failure = ValidationFailed(errors)
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="user_create_failed",
                    user=typed_username(name),
                    role=str(role) if not role_errors(role) else "(unknown)",
                    reason="invalid",
                    errors=_codes(errors),
                )
            else:
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="user_created",
                    user=name,
                    role=str(role),
                )
                assert user is not None  # a name already taken is one of the errors
                created = user_info(user)
        if failure is not None:
            raise failure
        return created

    def update_user(
        self,
        *,
        session: str,
        user_id: int,
        display_name: str | None = None,
        role: str | None = None,
    ) -> UserInfo:
        """A new display name or role. A new role revokes the user's sessions: their
        next call is refused, they sign in again under the new role."""
        errors = (display_name_errors(display_name) if display_name is not None else []) + (
            role_errors(role) if role is not None else []
        )
        failure: Exception | None = None
        with self.ctx.acting(session, "users.update_user") as act:
            target = act.db.get(User, record_id("user_id", user_id), with_for_update=True)
            if target is None:
                failure = UserNotFound(user_id)
            elif errors:
                failure = ValidationFailed(errors)
            elif role is not None and role != target.role and _last_active_admin(act.db, target):
                failure = _last_administrator()
            if failure is not None:
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="user_change_failed",
                    user_id=user_id,
                    user=target.username if target else None,
                    reason=getattr(failure, "code", "error"),
                    errors=_codes(errors),
                )
            else:
                assert target is not None
                before = {"display_name": target.display_name, "role": target.role}
                if display_name is not None:
                    target.display_name = display_name.strip()
                if role is not None and role != target.role:
                    target.role = role
                    revoke_sessions(act.db, target.id, act.now, "role_changed")
                after = {"display_name": target.display_name, "role": target.role}
                changed = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
                if changed:
                    audit.record(
                        act.db,
                        at=act.now,
                        actor=act.by,
                        action="user_changed",
                        user=target.username,
                        changed=changed,
                    )
                result = user_info(target)
        if failure is not None:
            raise failure
        return result

    def set_active(self, *, session: str, user_id: int, active: bool) -> UserInfo:
        """Deactivating revokes every session of the user at once. The last active
        administrator cannot be deactivated."""
        failure: Exception | None = None
        with self.ctx.acting(session, "users.set_active") as act:
            active = flag("active", active)
            target = act.db.get(User, record_id("user_id", user_id), with_for_update=True)
            if target is None:
                failure, reason = UserNotFound(user_id), "not_found"
            elif not active and _last_active_admin(act.db, target):
                failure, reason = _last_administrator(), "last_administrator"
            if failure is not None:
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="user_change_failed",
                    user=target.username if target else None,
                    user_id=user_id,
                    active=active,
                    reason=reason,
                )
            else:
                assert target is not None
                before = target.active
                target.active = bool(active)
                if not active:
                    revoke_sessions(act.db, target.id, act.now, "deactivated")
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="user_activated" if active else "user_deactivated",
                    user=target.username,
                    before=before,
                    after=bool(active),
                )
                changed = user_info(target)
        if failure is not None:
            raise failure
        return changed

    def reset_password(
        self, *, session: str, user_id: int, password: str, must_change: bool = True
    ) -> None:
        """Also lifts a lock, clears the wrong-password count and revokes the user's
        sessions; with `must_change` (the default) the user picks a new password at
        the next sign-in, so the administrator never knows the one in use."""
        with self.ctx.acting(session, "users.reset_password", read=True) as act:
            user_id = record_id("user_id", user_id)
            must_change = flag("must_change", must_change)
            target = act.db.get(User, user_id)
            username = target.username if target is not None else ""
        errors = password_errors(password, username)
        password_hash = None if errors else self.ctx.hasher.hash(password)
        failure: Exception | None = None
        with self.ctx.acting(session, "users.reset_password") as act:
            target = act.db.get(User, user_id, with_for_update=True)
            if target is None:
                failure, reason = UserNotFound(user_id), "not_found"
            elif errors:
                failure, reason = ValidationFailed(errors), "invalid"
            if failure is not None:
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="password_reset_failed",
                    user=target.username if target else None,
                    user_id=user_id,
                    reason=reason,
                    errors=_codes(errors),
                )
            else:
                assert target is not None and password_hash is not None
                target.password_hash = password_hash
                target.failed_logins = 0
                target.locked_until = None
                target.must_change_password = bool(must_change)
                target.password_changed_at = act.now
                revoke_sessions(act.db, target.id, act.now, "password_reset")
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="password_reset",
                    user=target.username,
                    must_change=bool(must_change),
                )
        if failure is not None:
            raise failure

    # -- helpers -----------------------------------------------------------------------
    @staticmethod
    def _new_user_errors(
        username: object, display_name: object, role: object, password: object
    ) -> list[FieldError]:
        if not isinstance(username, str):
            username = ""
        if not isinstance(display_name, str):
            display_name = ""
        return (
            username_errors(username)
            + display_name_errors(display_name)
            + role_errors(str(role) if isinstance(role, str) else role)
            + password_errors(password if isinstance(password, str) else "", username)
        )


def typed_username(name: str) -> str:
    """What was typed, for the audit, if it could be a username; never, say, a password
    typed into the wrong box."""
    return name if not username_errors(name) else UNKNOWN


def _insert(
    db: Session, name: str, display_name: str, role: str, password_hash: str, now: datetime
) -> User | None:
    """None when the username is taken (case-insensitively: both are lower case)."""
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        return None
    user = User(
        username=name,
        display_name=display_name.strip(),
        role=role,
        password_hash=password_hash,
        active=True,
        created_at=now,
        failed_logins=0,
        must_change_password=False,
        password_changed_at=now,
    )
    try:
        with db.begin_nested():  # another workstation may have taken it meanwhile
            db.add(user)
            db.flush()
    except IntegrityError:
        return None
    return user


def _last_active_admin(db: Session, target: User) -> bool:
    if target.role != UserRole.ADMINISTRATOR or not target.active:
        return False
    admins = db.scalars(
        select(User.id)
        .where(User.role == UserRole.ADMINISTRATOR, User.active.is_(True))
        .with_for_update()
    ).all()
    return list(admins) == [target.id]


__all__ = ["UserInfo", "UserService", "user_info"]
