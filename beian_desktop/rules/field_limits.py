"""How long each stored text may be: the one table every check of a length reads.

The keys are the columns a value typed by a person ends up in ("table.column"), the
values the `String(n)` of that column in models/. The checks refuse a longer value
with a field error before anything reaches the database, so both databases behave
alike: PostgreSQL would raise half-way through a unit of work, SQLite would store it.
tests/unit/test_field_limits.py holds this table to the models: every `String(n)`
column is either here with the same n, or named there as one no person types.

The long texts (remarks, notes, a rejection's reason) are `Text` columns without a
length; `LONG_TEXT` is the rules' own limit for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from beian_desktop.rules.domains import MAX_DOMAIN

LIMITS: Mapping[str, int] = MappingProxyType(
    {
        # principals
        "principals.name": 64,
        "principals.mobile": 11,  # parse_mobile leaves the 11 national digits
        "principals.phone2": 32,
        "principals.emergency_phone": 32,
        "principals.email": 128,
        # subjects
        "subjects.city": 64,
        "subjects.holder_name": 128,
        "subjects.document_address": 256,
        "subjects.mailing_address": 256,
        "subjects.investor": 128,
        # websites, their domains and access
        "websites.name": 128,
        "websites.home_url": 256,
        "websites.service_content": 128,
        "websites.language": 32,
        "websites.preapproval_type": 64,
        "websites.preapproval_number": 64,
        "domains.name": MAX_DOMAIN,
        "access_records.isp_name": 128,
        "access_records.method": 32,
        # accounts
        "users.username": 32,
        "users.display_name": 64,
        # the settings: a sender number goes into every SMS intent and outbox row
        "sms_intents.sender_number": 20,
        "outbox_messages.sender_number": 20,
    }
)

LONG_TEXT = 2000  # remarks, a supervisor's note, a rejection's reason
MAX_SERVER_IPS = 64  # per access record (a Text column, comma-separated)


def limit(column: str) -> int:
    """The longest value `column` ("table.column") takes; KeyError for one not listed."""
    return LIMITS[column]
