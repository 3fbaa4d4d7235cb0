"""Signing in and out, and what a signed-in person does to their own sign-in: lock the
workstation while away, unlock it, change their password.

`sign_in` hands out a session: an opaque random token, of which the database keeps
only a keyed hash, valid for a working day (Policy.session_hours) unless it is revoked
first. Every other service method takes that token (services/sessions.py).

Five wrong passwords in a row lock an account for fifteen minutes, counted by
conditional UPDATEs so two workstations guessing at once get no more tries between
them; the lock revokes the account's sessions. A failed sign-in says the same thing
whether or not the user exists (the reason goes to the audit trail only), and takes
as long: the password is checked against a dummy hash when there is no such user.
Passwords are checked outside any transaction: argon2 takes a tenth of a second and
SQLite's write lock must not wait for it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.orm import Session

from beian_desktop.models import SignInSession, User, UTCDateTime
from beian_desktop.rules.accounts import (
    LOCK_DURATION,
    MAX_FAILED_LOGINS,
    USERNAME,
    normalise_username,
    password_errors,
)
from beian_desktop.rules.errors import FieldError, LoginFailed, ValidationFailed
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.people.accounts import UserInfo, typed_username, user_info
from beian_desktop.services.sessions import (
    Acting,
    new_token,
    revoke_sessions,
    token_hash,
)
from beian_desktop.services.settings.policy_store import load_policy


@dataclass(frozen=True)
class SignedIn:
    """What a sign-in hands out. `token` is the only thing later calls carry; `user`
    is for the screen (who, which role), never trusted by a service."""

    token: str
    user: UserInfo
    expires_at: datetime

    @property
    def must_change_password(self) -> bool:
        return self.user.must_change_password


class SignInService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._dummy_hash: str | None = None

    # -- in and out ----------------------------------------------------------------------
    def sign_in(self, *, username: str, password: str) -> SignedIn:
        """Raises LoginFailed, with one message whatever went wrong. A user whose
        password must change first gets a session that can do only that."""
        name = normalise_username(username) if isinstance(username, str) else ""
        password = password if isinstance(password, str) else ""
        with self.ctx.read_only() as db:
            seen = (
                db.execute(select(User.id, User.password_hash).where(User.username == name)).first()
                if USERNAME.fullmatch(name)
                else None
            )
        stored_hash = seen.password_hash if seen else self._dummy()
        correct = self._verify(stored_hash, password) and seen is not None
        new_hash = (
            self.ctx.hasher.hash(password) if correct and self._needs_rehash(stored_hash) else None
        )
        now = self.ctx.now()
        token = new_token()
        with self.ctx.unit_of_work() as db:
            user = db.get(User, seen.id) if seen else None
            if user is None:
                reason = "unknown_user"
            elif not user.active:
                reason = "inactive"
            elif user.locked_until is not None and user.locked_until > now:
                reason = "locked"
            elif not correct:
                reason = "wrong_password"
                count_wrong_password(db, user, now)
            elif _succeed(db, user, stored_hash, new_hash, now):
                hours = load_policy(db).session_hours
                expires = now + timedelta(hours=hours)
                db.add(
                    SignInSession(
                        token_hash=token_hash(self.ctx, token),
                        user_id=user.id,
                        created_at=now,
                        last_seen_at=now,
                        expires_at=expires,
                    )
                )
                audit.record(
                    db,
                    at=now,
                    actor=user.username,
                    action="login",
                    role=user.role,
                    rehashed=new_hash is not None,
                )
                db.flush()
                db.refresh(user)
                return SignedIn(token, user_info(user), expires)
            else:  # the password was reset (or the account locked) while we checked it
                reason = "changed_meanwhile"
            if reason != "wrong_password":
                audit.record(
                    db,
                    at=now,
                    actor=user.username if user else typed_username(name),
                    action="login_failed",
                    reason=reason,
                )
        raise LoginFailed()

    def sign_out(self, *, session: str) -> None:
        with self.ctx.acting(session, "sign_in.sign_out") as act:
            _end(act, "signed_out")
            audit.record(act.db, at=act.now, actor=act.by, action="logout")

    def whoami(self, *, session: str) -> UserInfo:
        """The signed-in user as the database has them now (name and role may have
        changed since the sign-in)."""
        with self.ctx.acting(session, "sign_in.whoami", read=True) as act:
            user = act.db.get_one(User, act.actor.user_id)
            return user_info(user)

    # -- a shared workstation ------------------------------------------------------------
    def lock(self, *, session: str) -> None:
        """The idle lock: until `unlock`, the session does nothing but unlock or sign
        out, on this workstation or any other that holds the token."""
        with self.ctx.acting(session, "sign_in.lock") as act:
            act.db.execute(
                update(SignInSession)
                .where(SignInSession.id == act.actor.session_id, SignInSession.locked_at.is_(None))
                .values(locked_at=act.now)
            )
            audit.record(act.db, at=act.now, actor=act.by, action="workstation_locked")

    def unlock(self, *, session: str, password: str) -> UserInfo:
        """The session's own user's password, counted like a sign-in: five wrong in a
        row lock the account and end the session."""
        with self.ctx.acting(session, "sign_in.unlock", read=True) as act:
            user_id = act.actor.user_id
            stored_hash = act.db.scalar(select(User.password_hash).where(User.id == user_id))
        assert stored_hash is not None
        correct = self._verify(stored_hash, password if isinstance(password, str) else "")
        with self.ctx.acting(session, "sign_in.unlock") as act:
            user = act.db.get_one(User, act.actor.user_id)
            if correct and user.password_hash == stored_hash:
                act.db.execute(
                    update(SignInSession)
                    .where(SignInSession.id == act.actor.session_id)
                    .values(locked_at=None)
                )
                act.db.execute(update(User).where(User.id == user.id).values(failed_logins=0))
                audit.record(act.db, at=act.now, actor=act.by, action="workstation_unlocked")
                return user_info(user)
            count_wrong_password(act.db, user, act.now)
        raise LoginFailed()

    def change_own_password(
        self, *, session: str, current_password: str, new_password: str
    ) -> None:
        """The current password first; the new one by the rules of rules/accounts.py.
        Every other session of the user ends; this one goes on."""
        with self.ctx.acting(session, "sign_in.change_own_password", read=True) as act:
            user = act.db.get_one(User, act.actor.user_id)
            stored_hash, username = user.password_hash, user.username
        errors = password_errors(new_password, username)
        if not errors and new_password == current_password:
            errors.append(
                FieldError(
                    "password",
                    "password_unchanged",
                    "新密码不能与原密码相同",
                    "must differ from the current password",
                )
            )
        correct = self._verify(
            stored_hash, current_password if isinstance(current_password, str) else ""
        )
        new_hash = None if errors or not correct else self.ctx.hasher.hash(new_password)
        failure: Exception | None = None
        with self.ctx.acting(session, "sign_in.change_own_password") as act:
            user = act.db.get_one(User, act.actor.user_id, with_for_update=True)
            if not correct or user.password_hash != stored_hash:
                failure = ValidationFailed.one(
                    "current_password",
                    "wrong_password",
                    "当前密码不正确",
                    "is not your current password",
                )
                count_wrong_password(act.db, user, act.now)
            elif errors:
                failure = ValidationFailed(errors)
            if failure is not None:
                audit.record(
                    act.db,
                    at=act.now,
                    actor=act.by,
                    action="password_change_failed",
                    reason=getattr(failure, "code", "error"),
                )
            else:
                assert new_hash is not None
                user.password_hash = new_hash
                user.must_change_password = False
                user.password_changed_at = act.now
                revoke_sessions(
                    act.db, user.id, act.now, "password_changed", keep=act.actor.session_id
                )
                audit.record(act.db, at=act.now, actor=act.by, action="password_changed")
        if failure is not None:
            raise failure

    # -- helpers -------------------------------------------------------------------------
    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.ctx.hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self.ctx.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self.ctx.hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


def _end(act: Acting, because: str) -> None:
    act.db.execute(
        update(SignInSession)
        .where(SignInSession.id == act.actor.session_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=act.now, revoked_because=because)
    )


def count_wrong_password(db: Session, user: User, now: datetime) -> None:
    """One conditional UPDATE: the fifth wrong password in a row locks the account
    (and ends its sessions) and starts the count again; a guess while locked counts
    nothing."""
    until = now + LOCK_DURATION
    reaches_limit = User.failed_logins + 1 >= MAX_FAILED_LOGINS
    row = db.execute(
        update(User)
        .where(User.id == user.id, or_(User.locked_until.is_(None), User.locked_until <= now))
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
        db,
        at=now,
        actor=user.username,
        action="login_failed",
        reason="wrong_password" if row is not None else "locked",
        failed_logins=MAX_FAILED_LOGINS if locked else (row.failed_logins if row else None),
    )
    if locked:
        revoke_sessions(db, user.id, now, "locked_out")
        audit.record(
            db,
            at=now,
            actor=user.username,
            action="account_locked",
            until=until.isoformat(),
            failed_logins=MAX_FAILED_LOGINS,
        )


def _succeed(
    db: Session, user: User, stored_hash: str, new_hash: str | None, now: datetime
) -> bool:
    result = db.execute(
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
