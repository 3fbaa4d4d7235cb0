"""The people who sign in, with their role (terms.UserRole), and their sign-ins.

Usernames are stored lower-case (the database refuses anything else), so the unique
constraint makes them unique whatever case they are typed in. Only an argon2 hash of
the password is kept. `failed_logins` and `locked_until` are changed by conditional
UPDATEs (services/people/sign_in.py), never read-modify-write, so two workstations
guessing at once cannot get more than the allowed wrong passwords between them.

A sign-in is a row of `sign_in_sessions`: the caller holds an opaque random token,
the database only its keyed hash, so a copy of the database signs nobody in. Every
service call resolves the token here first (services/sessions.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from beian_desktop.models.base import Base, UTCDateTime


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("username = lower(username)", name="username_lower"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(24))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)  # since the last success
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An administrator asked for a new password at the next sign-in (or set this one).
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInSession(Base):
    __tablename__ = "sign_in_sessions"
    __table_args__ = (Index("ix_sign_in_sessions_user_open", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # idle lock, until unlocked
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_because: Mapped[str | None] = mapped_column(String(32))
