"""The policy in the database, one row per key in `settings`, so an administrator's
change to one value never overwrites another's change to a different one.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.models import Setting
from beian_desktop.rules.policy import DEFAULT_SENDER_NUMBERS, Policy, validate_policy
from beian_desktop.services import audit


def load_policy(session: Session) -> Policy:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    # JSON as save_policy wrote it: each value of its field's type.
    known: dict[str, Any] = {k: v for k, v in stored.items() if k in Policy.__dataclass_fields__}
    if "sender_numbers" in known:
        known["sender_numbers"] = {**DEFAULT_SENDER_NUMBERS, **known["sender_numbers"]}
    return replace(Policy(), **known)


def save_policy(session: Session, policy: Policy, *, by: str, at: datetime) -> None:
    """Writes only the values that differ from what is stored, and audits them."""
    validate_policy(policy)
    current = asdict(load_policy(session))
    changed = {k: v for k, v in asdict(policy).items() if current[k] != v}
    for key, value in changed.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    if changed:
        audit.record(session, at=at, actor=by, action="settings_changed", changed=changed)
