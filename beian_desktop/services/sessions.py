"""Who is calling: every public service method resolves the caller's session here,
against the database, before it acts.

A session is an opaque random token handed out at sign-in; the database keeps only
its keyed hash. Nothing the caller says about who it is counts: not a username, not a
role, not a user id. The token is looked up, and the call goes on only if the session
is neither expired, revoked nor locked, its user exists, is active and not locked
out, and the user's role, as stored now, holds what the operation needs
(rules/permissions.py). So the same token can later cross a network unchanged.

A refusal raises PermissionDenied after writing one "permission_denied" audit event
(who, if known; what; why) in a transaction of its own: the call itself writes nothing.

The scheduler and the dispatcher act as SYSTEM, which no token resolves to: there is
no user of that name and none can be created (rules/accounts.py RESERVED_USERNAMES).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beian_desktop.models import Request, SignInSession, User
from beian_desktop.models.database import rowcount
from beian_desktop.rules.errors import PermissionDenied
from beian_desktop.rules.permissions import (
    BEFORE_PASSWORD_CHANGE,
    OPERATIONS,
    PERMISSION_NAMES,
    WHILE_LOCKED,
    Needs,
    Permission,
    may,
)
from beian_desktop.rules.validation import is_record_id
from beian_desktop.services import audit

if TYPE_CHECKING:
    from beian_desktop.services.context import ServiceContext

TOKEN_BYTES = 32
# last_seen_at is written at most this often: a read must not become a write each time.
SEEN_EVERY = timedelta(minutes=1)
UNKNOWN = "(unknown)"  # the audit's actor when no session could be resolved


@dataclass(frozen=True)
class Actor:
    """Who acts, as the database says: what the audit and every column naming a person
    record."""

    user_id: int | None
    username: str
    display_name: str
    role: str
    session_id: int | None = None
    seen_at: datetime | None = None  # the session's last_seen_at when it was resolved


SYSTEM = Actor(None, audit.SYSTEM, "系统", "system")


@dataclass(frozen=True)
class Acting:
    """A unit of work on behalf of a resolved actor: its database session and clock."""

    db: Session
    actor: Actor
    now: datetime

    @property
    def by(self) -> str:
        return self.actor.username


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(ctx: ServiceContext, token: str) -> str:
    return ctx.keys.keyed_hash("session", token)


_REASONS = {
    "no_session": ("请先登录。", "Please sign in first."),
    "unknown_session": (
        "登录已失效，请重新登录。",
        "Your sign-in is no longer valid: sign in again.",
    ),
    "expired": ("登录已过期，请重新登录。", "Your sign-in has expired: sign in again."),
    "revoked": (
        "登录已被撤销（账户或角色已变更，或已退出），请重新登录。",
        "Your sign-in was revoked (the account or role changed, or you signed out): sign in again.",
    ),
    "locked_session": (
        "工作站已锁定，请输入密码解锁。",
        "This workstation is locked: enter your password.",
    ),
    "inactive": ("账户已停用。", "The account is disabled."),
    "locked_out": ("账户已锁定，请稍后再试。", "The account is locked: try again later."),
    "must_change_password": ("请先修改密码。", "Change your password first."),
}


@dataclass(frozen=True)
class Refusal:
    operation: str
    reason: str
    actor: Actor | None = None
    permission: Permission | None = None
    request_id: int | None = None  # the refusal shows in that request's timeline
    details: tuple[tuple[str, object], ...] = ()  # what was asked for, for the audit

    def error(self) -> PermissionDenied:
        if self.reason == "role":
            zh, en = "您的角色无权执行此操作", "Your role is not allowed to do this"
            if self.permission is not None:
                name_zh, name_en = PERMISSION_NAMES[self.permission]
                zh, en = f"{zh}（需要“{name_zh}”权限）", f"{en} (it needs: {name_en})"
            return PermissionDenied(self.permission, zh=zh + "。", en=en + ".")
        zh, en = _REASONS[self.reason]
        return PermissionDenied(self.permission, zh=zh, en=en, reason=self.reason)


def resolve(
    ctx: ServiceContext,
    db: Session,
    token: object,
    operation: str,
    now: datetime,
    *,
    permission: Permission | None = None,
) -> tuple[Actor | None, Refusal | None]:
    """The actor behind `token` if it may do `operation` now, else the refusal."""
    needs = OPERATIONS[operation]  # KeyError: a method missing from the table
    wanted = permission if needs is Needs.THE_FIELDS_PERMISSION else None
    if needs not in (Needs.SIGNED_IN, Needs.THE_FIELDS_PERMISSION):
        wanted = Permission(needs)
    if not isinstance(token, str) or not token or len(token) > 256 or not token.isascii():
        return None, Refusal(operation, "no_session", permission=wanted)
    row = db.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == token_hash(ctx, token))
    ).first()
    if row is None:
        return None, Refusal(operation, "unknown_session", permission=wanted)
    sign_in, user = row
    actor = Actor(
        user.id, user.username, user.display_name, user.role, sign_in.id, sign_in.last_seen_at
    )

    def refuse(reason: str) -> tuple[None, Refusal]:
        return None, Refusal(operation, reason, actor, wanted)

    if sign_in.revoked_at is not None:
        return refuse("revoked")
    if sign_in.expires_at <= now:
        return refuse("expired")
    if not user.active:
        return refuse("inactive")
    if user.locked_until is not None and user.locked_until > now:
        return refuse("locked_out")
    if sign_in.locked_at is not None and operation not in WHILE_LOCKED:
        return refuse("locked_session")
    if user.must_change_password and operation not in BEFORE_PASSWORD_CHANGE:
        return refuse("must_change_password")
    if not may(user.role, operation, permission=permission):
        return refuse("role")
    return actor, None


def record_refusal(ctx: ServiceContext, refusal: Refusal, now: datetime) -> None:
    """The refusal's own audit event, in a transaction of its own."""
    actor = refusal.actor
    with ctx.unit_of_work() as db:
        asked = refusal.request_id
        # What a refused caller passed is kept only if it is an id: the refusal is
        # recorded before any of the call's own checks have looked at it.
        request_id = asked if is_record_id(asked) else None
        if request_id is not None and db.get(Request, request_id) is None:
            request_id = None  # a request that does not exist has no timeline
        audit.record(
            db,
            at=now,
            actor=actor.username if actor else UNKNOWN,
            action="permission_denied",
            request_id=request_id,
            operation=refusal.operation,
            asked_request_id=asked if asked is None or is_record_id(asked) else "(not an id)",
            reason=refusal.reason,
            permission=refusal.permission,
            session_id=actor.session_id if actor else None,
            **dict(refusal.details),
        )


def _touch(db: Session, actor: Actor, now: datetime) -> None:
    db.execute(
        update(SignInSession)
        .where(SignInSession.id == actor.session_id, SignInSession.last_seen_at < now - SEEN_EVERY)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


@contextmanager
def acting(
    ctx: ServiceContext,
    token: object,
    operation: str,
    *,
    read: bool = False,
    permission: Permission | None = None,
    request_id: int | None = None,
    asked: dict[str, object] | None = None,
) -> Iterator[Acting]:
    """One unit of work (a read, `ctx.read_only`, with `read`) for the resolved actor; a
    refusal is audited (in `request_id`'s timeline, if given, with what was `asked`)
    and raised before the body runs."""
    now = ctx.now()
    refusal: Refusal | None = None
    stale = False
    with ctx.read_only() if read else ctx.unit_of_work() as db:
        actor, refusal = resolve(ctx, db, token, operation, now, permission=permission)
        if actor is not None:
            stale = actor.seen_at is None or actor.seen_at < now - SEEN_EVERY
            if stale and not read:
                _touch(db, actor, now)
                stale = False
            yield Acting(db, actor, now)
    if refusal is not None:
        refusal = replace(refusal, request_id=request_id, details=tuple((asked or {}).items()))
        record_refusal(ctx, refusal, now)
        raise refusal.error()
    if stale and actor is not None:
        with ctx.unit_of_work() as db:  # a read's last_seen_at, once a minute at most
            _touch(db, actor, now)


def revoke_sessions(
    db: Session, user_id: int, now: datetime, because: str, *, keep: int | None = None
) -> int:
    """Every open session of the user ends now (`keep`: the caller's own)."""
    query = (
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_because=because)
        .execution_options(synchronize_session=False)
    )
    if keep is not None:
        query = query.where(SignInSession.id != keep)
    return rowcount(db.execute(query))
