"""What every view is handed: the services, the operation runner, who is signed in.

Views never reach for globals: a test builds one of these around a temporary
database and drives the real widgets with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.user_service import UserInfo, can
from beian_desktop.views.operations import OperationRunner


@dataclass
class ViewContext:
    app: Beian
    ops: OperationRunner
    user: UserInfo
    language: str = "zh_CN"
    config_file: Path | None = None  # where the SMS endpoint is saved

    def can(self, permission: str) -> bool:
        return can(self.user, permission)


def local_time(moment: datetime | None, with_seconds: bool = False) -> str:
    """Every time on screen is Asia/Shanghai; the database keeps UTC."""
    if moment is None:
        return ""
    return in_shanghai(moment).strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def countdown(deadline: datetime | None, now: datetime) -> str:
    """'5h 12m' left, or '' when there is no deadline; negative shows as overdue."""
    if deadline is None:
        return ""
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return "0m"
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h {rest // 60:02d}m" if hours else f"{rest // 60}m"
