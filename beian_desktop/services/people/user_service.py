"""Users, roles and signing in (the issue "Roles and login").

A new database has no users: the first start asks for an administrator
(`needs_first_admin`, `create_first_admin`), who then adds everyone else. Passwords are
kept only as argon2 hashes. Five wrong passwords in a row lock an account for fifteen
minutes, counted by conditional UPDATEs so that two workstations guessing at once get
no more tries between them. A failed sign-in says the same thing whether or not the
user exists (the reason goes to the audit trail only).

The views hold a `UserInfo`, never the hash. What a role may do is in
`permissions.py`; the services check the acting user again against the database, so
a deactivated account or a changed role takes effect at once. Every change, refusal,
sign-in, lock and reveal of a secret is an audit event (SPEC §7), never with a
password in it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, literal, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beian_desktop.models import (
    Principal,
    Request,
    RequestWebsite,
    Subject,
    User,
    UTCDateTime,
    VerificationRound,
    Verifier,
    Website,
)
from beian_desktop.rules.errors import (
    FieldError,
    FirstAdminExists,
    LoginFailed,
    NotFound,
    PermissionDenied,
    UserNotFound,
    ValidationFailed,
)

# Permission, PermissionDenied and can() are re-exported: the views import them from here.
from beian_desktop.rules.permissions import (
    REVEALABLE,
    ROLE_PERMISSIONS,
    Permission,
    RevealField,
    can,
    permissions_of,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.terms import UserRole

__all__ = [
    "LOCK_DURATION",
    "MAX_FAILED_LOGINS",
    "MIN_PASSWORD_LENGTH",
    "REVEALABLE",
    "ROLE_PERMISSIONS",
    "FirstAdminExists",
    "LoginFailed",
    "Permission",
    "PermissionDenied",
    "RevealField",
    "UserInfo",
    "UserNotFound",
    "UserService",
    "can",
    "normalise_username",
    "password_errors",
    "username_errors",
]

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
MAX_DISPLAY_NAME = 64
_USERNAME = re.compile(r"[a-z0-9._-]{3,32}")
_ANONYMOUS = "(unknown)"  # the audit actor when what was typed is not even a username


@dataclass(frozen=True)
class UserInfo:
    """Who is signed in, as the views hold it: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool = True
    locked_until: datetime | None = None  # set while five wrong passwords keep it locked


# -- the checks, usable by a dialog before it calls ------------------------------------
def normalise_username(username: str) -> str:
    """Usernames are case-insensitive: stored, and looked up, in lower case."""
    return username.strip().lower()


def username_errors(username: str) -> list[FieldError]:
    if _USERNAME.fullmatch(normalise_username(username)):
        return []
    return [
        FieldError(
            "username",
            "username_invalid",
            "用户名须为3至32个字符，只能包含小写字母、数字、点(.)、下划线(_)和连字符(-)",
            "must be 3 to 32 characters of a-z, 0-9, '.', '_' and '-'",
        )
    ]


def password_errors(password: str) -> list[FieldError]:
    errors = []
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.append(
            FieldError(
                "password",
                "password_too_short",
                f"密码至少需要{MIN_PASSWORD_LENGTH}个字符",
                f"must be at least {MIN_PASSWORD_LENGTH} characters long",
            )
        )
    if password.isdigit():
        errors.append(
            FieldError(
                "password",
                "password_all_digits",
                "密码不能全部是数字",
                "must not be digits only",
            )
        )
    return errors


def _display_name_errors(display_name: str) -> list[FieldError]:
    name = display_name.strip()
    if not name:
        return [FieldError("display_name", "display_name_required", "请填写姓名", "is required")]
    if len(name) > MAX_DISPLAY_NAME:
        return [
            FieldError(
                "display_name",
                "display_name_too_long",
                f"姓名不能超过{MAX_DISPLAY_NAME}个字符",
                f"must be at most {MAX_DISPLAY_NAME} characters",
            )
        ]
    return []


def _role_errors(role: str) -> list[FieldError]:
    if role in {r.value for r in UserRole}:
        return []
    return [FieldError("role", "role_unknown", "角色无效", "is not a known role")]


def _username_taken() -> FieldError:
    return FieldError("username", "username_taken", "用户名已被使用", "is already taken")


def _info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        locked_until=user.locked_until,
    )


def _codes(errors: list[FieldError]) -> list[str]:
    return [f"{e.field}:{e.code}" for e in errors]


class UserService:
    def __init__(self, ctx: ServiceContext, *, hasher: PasswordHasher | None = None) -> None:
        self.ctx = ctx
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    # -- the first start ---------------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """True on a database without users: the app asks for an administrator."""
        with self.ctx.unit_of_work() as session:
            return session.scalar(select(User.id).limit(1)) is None

    def create_first_admin(self, *, username: str, display_name: str, password: str) -> UserInfo:
        """Only while there are no users at all; refused (FirstAdminExists) after."""
        name = normalise_username(username)
        errors = self._new_user_errors(name, display_name, UserRole.ADMINISTRATOR, password)
        password_hash = None if errors else self.hasher.hash(password)
        now = self.ctx.now()
        failure: Exception | None = None
        with self.ctx.unit_of_work() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Two workstations on a new database: the second waits, then sees the first.
                session.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))
            if session.scalar(select(User.id).limit(1)) is not None:
                failure = FirstAdminExists()
                reason = "users_exist"
            elif errors:
                failure = ValidationFailed(errors)
                reason = "invalid"
            if failure is not None:
                audit.record(
                    session,
                    at=now,
                    actor=self._actor_name(name),
                    action="user_create_failed",
                    first_admin=True,
                    reason=reason,
                    errors=_codes(errors),
                )
            else:
                assert password_hash is not None
                user = self._insert(
                    session, name, display_name, UserRole.ADMINISTRATOR, password_hash, now
                )
                assert user is not None  # nobody else can insert: the table was empty
                audit.record(
                    session,
                    at=now,
                    actor=name,
                    action="user_created",
                    user=name,
                    role=UserRole.ADMINISTRATOR.value,
                    first_admin=True,
                )
                created = _info(user)
        if failure is not None:
            raise failure
        return created

    # -- what an administrator does ----------------------------------------------------
    def create_user(
        self,
        *,
        username: str,
        display_name: str,
        role: UserRole | str,
        password: str,
        by: UserInfo,
    ) -> UserInfo:
        name = normalise_username(username)
        errors = self._new_user_errors(name, display_name, role, password)
        password_hash = None if errors else self.hasher.hash(password)
        now = self.ctx.now()
        failure: Exception | None = None
        with self.ctx.unit_of_work() as session:
            if not self._may(session, by, Permission.ADMINISTER):
                failure, reason = PermissionDenied(Permission.ADMINISTER), "permission_denied"
            elif errors:
                failure, reason = ValidationFailed(errors), "invalid"
            else:
                assert password_hash is not None
                user = self._insert(session, name, display_name, str(role), password_hash, now)
                if user is None:
                    errors = [_username_taken()]
                    failure, reason = ValidationFailed(errors), "invalid"
            if failure is not None:
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="user_create_failed",
                    user=self._actor_name(name),
                    role=str(role),
                    reason=reason,
                    errors=_codes(errors),
                )
            else:
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="user_created",
                    user=name,
                    role=str(role),
                )
                created = _info(user)
        if failure is not None:
            raise failure
        return created

    def set_active(self, *, user_id: int, active: bool, by: UserInfo) -> UserInfo:
        """Deactivating signs nobody out by itself, but every service call of that user
        is refused from then on. The last active administrator cannot be deactivated."""
        now = self.ctx.now()
        failure: Exception | None = None
        target: User | None = None
        with self.ctx.unit_of_work() as session:
            if not self._may(session, by, Permission.ADMINISTER):
                failure, reason = PermissionDenied(Permission.ADMINISTER), "permission_denied"
            elif (target := session.get(User, user_id, with_for_update=True)) is None:
                failure, reason = UserNotFound(user_id), "not_found"
            elif not active and self._last_active_admin(session, target):
                failure, reason = (
                    ValidationFailed(
                        [
                            FieldError(
                                "active",
                                "last_administrator",
                                "不能停用最后一个启用的管理员",
                                "the last active administrator cannot be deactivated",
                            )
                        ]
                    ),
                    "last_administrator",
                )
            if failure is not None:
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="user_change_failed",
                    user=target.username if target else None,
                    user_id=user_id,
                    active=active,
                    reason=reason,
                )
            else:
                assert target is not None
                before = target.active
                target.active = active
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="user_activated" if active else "user_deactivated",
                    user=target.username,
                    before=before,
                    after=active,
                )
                changed = _info(target)
        if failure is not None:
            raise failure
        return changed

    def reset_password(self, *, user_id: int, password: str, by: UserInfo) -> None:
        """Also lifts a lock and clears the wrong-password count."""
        errors = password_errors(password)
        password_hash = None if errors else self.hasher.hash(password)
        now = self.ctx.now()
        failure: Exception | None = None
        target: User | None = None
        with self.ctx.unit_of_work() as session:
            if not self._may(session, by, Permission.ADMINISTER):
                failure, reason = PermissionDenied(Permission.ADMINISTER), "permission_denied"
            elif (target := session.get(User, user_id, with_for_update=True)) is None:
                failure, reason = UserNotFound(user_id), "not_found"
            elif errors:
                failure, reason = ValidationFailed(errors), "invalid"
            if failure is not None:
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
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
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="password_reset",
                    user=target.username,
                )
        if failure is not None:
            raise failure

    def list_users(self, *, by: UserInfo) -> list[UserInfo]:
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            allowed = self._may(session, by, Permission.ADMINISTER)
            if allowed:
                users = [_info(u) for u in session.scalars(select(User).order_by(User.username))]
            else:
                audit.record(
                    session,
                    at=now,
                    actor=by.username,
                    action="user_list_failed",
                    reason="permission_denied",
                )
        if not allowed:
            raise PermissionDenied(Permission.ADMINISTER)
        return users

    # -- signing in --------------------------------------------------------------------
    def login(self, *, username: str, password: str) -> UserInfo:
        """Raises LoginFailed, with one message whatever went wrong.

        The password is checked outside any transaction (argon2 takes a tenth of a
        second; SQLite's write lock is not held meanwhile) and against a dummy hash
        when the user does not exist, so the time taken does not tell either.
        """
        name = normalise_username(username)
        with self.ctx.unit_of_work() as session:
            seen = (
                session.execute(
                    select(User.id, User.password_hash).where(User.username == name)
                ).first()
                if _USERNAME.fullmatch(name)
                else None
            )
        stored_hash = seen.password_hash if seen else self._dummy()
        correct = self._verify(stored_hash, password) and seen is not None
        new_hash = (
            self.hasher.hash(password) if correct and self._needs_rehash(stored_hash) else None
        )
        now = self.ctx.now()
        with self.ctx.unit_of_work() as session:
            user = session.get(User, seen.id) if seen else None
            if user is None:
                reason = "unknown_user"
            elif not user.active:
                reason = "inactive"
            elif user.locked_until is not None and user.locked_until > now:
                reason = "locked"
            elif not correct:
                reason = "wrong_password"
                self._count_wrong_password(session, user, now)
            elif self._succeed(session, user, stored_hash, new_hash, now):
                audit.record(
                    session,
                    at=now,
                    actor=user.username,
                    action="login",
                    role=user.role,
                    rehashed=new_hash is not None,
                )
                session.refresh(user)
                return _info(user)
            else:  # the password was reset (or the account locked) while we checked it
                reason = "changed_meanwhile"
            if reason != "wrong_password":
                audit.record(
                    session,
                    at=now,
                    actor=user.username if user else self._actor_name(name),
                    action="login_failed",
                    reason=reason,
                )
        raise LoginFailed()

    def _count_wrong_password(self, session: Session, user: User, now: datetime) -> None:
        """One conditional UPDATE: the fifth wrong password in a row locks the account
        and starts the count again; a guess while locked counts nothing."""
        until = now + LOCK_DURATION
        reaches_limit = User.failed_logins + 1 >= MAX_FAILED_LOGINS
        row = session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.locked_until.is_(None), User.locked_until <= now),
            )
            .values(
                failed_logins=case((reaches_limit, 0), else_=User.failed_logins + 1),
                locked_until=case(
                    (reaches_limit, literal(until, UTCDateTime())), else_=User.locked_until
                ),
            )
            .returning(User.failed_logins, User.locked_until)
        ).first()
        locked = row is not None and row.locked_until is not None and row.locked_until > now
        audit.record(
            session,
            at=now,
            actor=user.username,
            action="login_failed",
            reason="wrong_password" if row is not None else "locked",
            failed_logins=MAX_FAILED_LOGINS if locked else (row.failed_logins if row else None),
        )
        if locked:
            audit.record(
                session,
                at=now,
                actor=user.username,
                action="account_locked",
                until=until.isoformat(),
                failed_logins=MAX_FAILED_LOGINS,
            )

    def _succeed(
        self, session: Session, user: User, stored_hash: str, new_hash: str | None, now: datetime
    ) -> bool:
        result = session.execute(
            update(User)
            .where(
                User.id == user.id,
                User.active.is_(True),
                User.password_hash == stored_hash,
                or_(User.locked_until.is_(None), User.locked_until <= now),
            )
            .values(
                failed_logins=0,
                locked_until=None,
                last_login_at=now,
                password_hash=new_hash or stored_hash,
            )
            .returning(User.id)
        ).first()
        return result is not None

    # -- secrets shown in full ---------------------------------------------------------
    def reveal(
        self, *, user: UserInfo, field: RevealField | str, holder_id: int, request_id: int
    ) -> str:
        """The clear value of one secret a screen shows masked in request `request_id`:
        `field` names the record and the secret (`RevealField`), `holder_id` the
        record's id (a subject, principal or verifier of that request).

        One transaction: the acting user's permission is checked against the database,
        the attempt is written to the request's timeline ("revealed", or
        "reveal_failed" with the reason), and only then is the value read (an ID
        number decrypted). If the audit event cannot be written, nothing is returned.
        The event names the user, the field, the record and whose it is, never the
        value. Raises PermissionDenied for a role that may not see it, NotFound for a
        record that is not part of that request (both audited too)."""
        field = RevealField(field)  # ValueError: only ID numbers and phones are revealable
        now = self.ctx.now()
        failure: Exception | None = None
        with self.ctx.unit_of_work() as session:
            request = session.get(Request, request_id)
            holder = _revealable_holder(session, field, holder_id, request)
            details: dict[str, object] = {
                "what": field.what,
                "field": field.value,
                f"{field.holder}_id": holder_id,
            }
            if holder is not None:
                details["name"] = _holder_name(holder)  # whose it is, for the timeline
            if request is None:
                details["missing_request_id"] = request_id
            if not self._may(session, user, field.permission):
                failure = PermissionDenied(field.permission)
                details["reason"] = "permission_denied"
            elif holder is None:
                failure = NotFound(field.holder, holder_id, in_request=request_id)
                details["reason"] = "not_found"
            audit.record(
                session,
                at=now,
                actor=user.username,
                action="revealed" if failure is None else "reveal_failed",
                request_id=request.id if request is not None else None,
                **details,
            )
            if failure is None:
                value = _clear_value(self.ctx, field, holder)
        if failure is not None:
            raise failure
        return value

    # -- helpers -----------------------------------------------------------------------
    def _new_user_errors(
        self, name: str, display_name: str, role: str, password: str
    ) -> list[FieldError]:
        return (
            username_errors(name)
            + _display_name_errors(display_name)
            + _role_errors(str(role))
            + password_errors(password)
        )

    def _insert(
        self,
        session: Session,
        name: str,
        display_name: str,
        role: str,
        password_hash: str,
        now: datetime,
    ) -> User | None:
        """None when the username is taken (case-insensitively: both are lower case)."""
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            return None
        user = User(
            username=name,
            display_name=display_name.strip(),
            role=role,
            password_hash=password_hash,
            active=True,
            created_at=now,
            failed_logins=0,
        )
        try:
            with session.begin_nested():  # another workstation may have taken it meanwhile
                session.add(user)
                session.flush()
        except IntegrityError:
            return None
        return user

    @staticmethod
    def _may(session: Session, user: UserInfo, permission: Permission) -> bool:
        """From the database, not from what the view holds: the account must still be
        active and its current role must allow it."""
        row = session.get(User, user.id)
        return row is not None and row.active and permission in permissions_of(row.role)

    @staticmethod
    def _last_active_admin(session: Session, target: User) -> bool:
        if target.role != UserRole.ADMINISTRATOR or not target.active:
            return False
        admins = session.scalars(
            select(User.id)
            .where(User.role == UserRole.ADMINISTRATOR, User.active.is_(True))
            .with_for_update()
        ).all()
        return list(admins) == [target.id]

    @staticmethod
    def _actor_name(name: str) -> str:
        """What was typed, if it could be a username; never, say, a password typed
        into the wrong box."""
        return name if _USERNAME.fullmatch(name) else _ANONYMOUS

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


# -- what a reveal reads -------------------------------------------------------------------
_Holder = Subject | Principal | Verifier


def _revealable_holder(
    session: Session, field: RevealField, holder_id: int, request: Request | None
) -> _Holder | None:
    """The record holding the secret, if it is one that request shows: its subject, the
    principals of its subject and websites, the verifiers of its rounds."""
    if request is None:
        return None
    if field.holder == "subject":
        return session.get(Subject, holder_id) if holder_id == request.subject_id else None
    if field.holder == "principal":
        subject_principal = select(Subject.principal_id).where(Subject.id == request.subject_id)
        website_principals = (
            select(Website.principal_id)
            .join(RequestWebsite, RequestWebsite.website_id == Website.id)
            .where(RequestWebsite.request_id == request.id)
        )
        return session.scalar(
            select(Principal).where(
                Principal.id == holder_id,
                or_(
                    Principal.id.in_(subject_principal),
                    Principal.id.in_(website_principals),
                ),
            )
        )
    return session.scalar(
        select(Verifier)
        .join(VerificationRound, VerificationRound.id == Verifier.round_id)
        .where(Verifier.id == holder_id, VerificationRound.request_id == request.id)
    )


def _holder_name(holder: _Holder) -> str:
    return holder.holder_name if isinstance(holder, Subject) else holder.name


def _clear_value(ctx: ServiceContext, field: RevealField, holder: _Holder) -> str:
    if isinstance(holder, Verifier):
        return holder.phone
    if isinstance(holder, Principal) and field.what == "phone":
        return holder.mobile
    return ctx.keys.decrypt(holder.doc_number_enc)  # stored AES-GCM encrypted
