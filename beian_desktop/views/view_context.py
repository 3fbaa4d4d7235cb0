"""What every view is handed: the services, the operation runner, who is signed in.

Views never reach for globals: a test builds one of these around a temporary
database and drives the real widgets with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.permissions import can
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.accounts import UserInfo
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.views.operations import OperationRunner

T = TypeVar("T")


@dataclass
class ViewContext:
    """`signed_in` is who this window works for; its token goes with every call
    (`run`, `read`), and the services check it against the database each time. The
    user in it is only for showing and hiding what a role does not use."""

    app: Beian
    ops: OperationRunner
    signed_in: SignedIn
    language: str = "zh_CN"
    config_file: Path | None = None  # where the SMS endpoint is saved

    @property
    def session(self) -> str:
        return self.signed_in.token

    @property
    def user(self) -> UserInfo:
        return self.signed_in.user

    def can(self, permission: str) -> bool:
        return can(self.user, permission)

    async def run(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`ops.run` with this window's session: every change a view asks for."""
        return await self.ops.run(call, *args, session=self.session, **kwargs)

    async def read(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`ops.read` with this window's session."""
        return await self.ops.read(call, *args, session=self.session, **kwargs)


def local_time(moment: datetime | None, with_seconds: bool = False) -> str:
    """Every time on screen is Asia/Shanghai; the database keeps UTC."""
    if moment is None:
        return ""
    return in_shanghai(moment).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


# How often a page with countdowns redraws them from the app's clock: often enough that
# a minute on screen is never late by more than a few seconds.
COUNTDOWN_TICK_MS = 10_000


def duration_text(seconds: int) -> str:
    """A duration in the installed language: '2d 3h', '5h 07m', '12m' (16小时52分).
    Up to a whole day it keeps its minutes: a 24-hour round counts down from '24h 00m'."""
    minutes = max(seconds, 0) // 60
    days, rest = divmod(minutes, 24 * 60) if minutes > 24 * 60 else (0, minutes)
    hours, minutes = divmod(rest, 60)
    if days:
        return (
            QCoreApplication.translate("Durations", "%1d %2h")
            .replace("%1", str(days))
            .replace("%2", str(hours))
        )
    if hours:
        return (
            QCoreApplication.translate("Durations", "%1h %2m")
            .replace("%1", str(hours))
            .replace("%2", f"{minutes:02d}")
        )
    return QCoreApplication.translate("Durations", "%1m").replace("%1", str(minutes))


def countdown(deadline: datetime | None, now: datetime) -> str:
    """'5h 12m' left, or '' when there is no deadline; overdue shows as nothing left."""
    if deadline is None:
        return ""
    return duration_text(int((deadline - now).total_seconds()))


def waited(since: datetime | None, now: datetime) -> str:
    """How long since `since` (a request's time in review), or ''."""
    if since is None:
        return ""
    return duration_text(int((now - since).total_seconds()))
