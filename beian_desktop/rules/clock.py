"""Time is injected: the services never call `datetime.now()` themselves.

Tests and the scheduler pass a clock; everything stored is UTC and only the views
turn it into Asia/Shanghai, the time every rule of SPEC §4 is stated in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: how tests walk through 24-hour rounds."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment.astimezone(UTC)
        return self.now


def in_shanghai(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def day_start(day: date) -> datetime:
    """00:00 Asia/Shanghai of the day, in UTC."""
    return datetime.combine(day, time(0), SHANGHAI).astimezone(UTC)


def shanghai_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()
