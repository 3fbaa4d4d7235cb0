"""Signed-in staff for tests: real users, real sessions.

`session_for(app, "isp")` is the session token of a user named "isp" (ISP staff),
created on the test's database the first time it is asked for and signed in through
the real `sign_in` service. The name says the role (`ROLE_OF`); the audit and every
column naming a person record that username. Passwords are hashed with a cheap argon2
(the `app` fixtures hand the same hasher to the services), so a test pays
milliseconds, not a tenth of a second, per user.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from beian_desktop.models import User
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.terms import UserRole

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "Test-Pass-2026"

ROLE_OF: dict[str, UserRole] = {
    "isp": UserRole.ISP_STAFF,
    "isp.wang": UserRole.ISP_STAFF,
    "clerk": UserRole.ISP_STAFF,
    "desk": UserRole.HELP_DESK,
    "desk.li": UserRole.HELP_DESK,
    "kefu": UserRole.HELP_DESK,
    "web": UserRole.HELP_DESK,  # a person's code read out to the help desk
    "person": UserRole.HELP_DESK,
    "caller": UserRole.HELP_DESK,
    "sup": UserRole.SUPERVISOR,
    "sup.chen": UserRole.SUPERVISOR,
    "bureau": UserRole.BUREAU_REVIEWER,
    "bureau.zhao": UserRole.BUREAU_REVIEWER,
    "admin": UserRole.ADMINISTRATOR,
    "test": UserRole.ADMINISTRATOR,
}


def _role(username: str) -> UserRole:
    if username in ROLE_OF:
        return ROLE_OF[username]
    prefix = username.split(".")[0].split("-")[0]
    return ROLE_OF[prefix]


def ensure_user(app: Beian, username: str, role: UserRole | str | None = None) -> int:
    """The user's id, inserted directly (no session needed) if missing."""
    role = UserRole(role) if role is not None else _role(username)
    with app.ctx.unit_of_work() as db:
        found = db.scalar(select(User.id).where(User.username == username))
        if found is not None:
            return found
        user = User(
            username=username,
            display_name=username,
            role=role.value,
            password_hash=FAST_HASHER.hash(PASSWORD),
            active=True,
            created_at=app.now(),
            failed_logins=0,
            must_change_password=False,
            password_changed_at=app.now(),
        )
        db.add(user)
        db.flush()
        return user.id


def session_for(app: Beian, username: str, role: UserRole | str | None = None) -> str:
    """A session of `username` on this app's database, signed in once and kept until
    the test's clock passes its expiry (a working day), then signed in again."""
    cache: dict[str, SignedIn] = app.__dict__.setdefault("_test_sessions", {})
    signed_in = cache.get(username)
    if signed_in is None or signed_in.expires_at <= app.now():
        ensure_user(app, username, role)
        signed_in = app.sign_in.sign_in(username=username, password=PASSWORD)
        cache[username] = signed_in
    return signed_in.token
