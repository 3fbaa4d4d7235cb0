"""The one table of lengths (rules/field_limits.py) is the schema's: every `String(n)`
column a person's text reaches is in it with the same n, and every other one is named
here with the reason no person's text reaches it unchecked."""

from __future__ import annotations

from sqlalchemy import String

from beian_desktop.models import Base
from beian_desktop.rules.accounts import MAX_USERNAME
from beian_desktop.rules.field_limits import LIMITS

# Columns whose values are our own words, hashes, codes or keys, or values already
# reduced to a fixed shape before they are stored (the reason after each group).
NOT_TYPED = frozenset(
    {
        # choices of terms.py, checked as choices
        "principals.doc_type",
        "subjects.doc_type",
        "subjects.nature",
        "subjects.status",
        "websites.status",
        "access_records.status",
        "requests.business_type",
        "requests.state",
        "requests.return_reason",
        "users.role",
        "verification_rounds.state",
        "verification_rounds.quorum",
        "verifiers.state",
        "verifiers.carrier",
        "verifier_roles.role",
        "tries.result",
        "sms_intents.kind",
        "sms_intents.carrier",
        "sms_intents.status",
        "sms_intents.delivery_status",
        "resends.kind",
        "request_changes.target",
        "request_changes.field",
        "sign_in_sessions.revoked_because",
        "audit_events.action",
        # keyed hashes, tokens and keys the app makes
        "principals.doc_number_hash",
        "subjects.doc_number_hash",
        "codes.code_hash",
        "verifier_roles.id_last6_hash",
        "users.password_hash",
        "sign_in_sessions.token_hash",
        "sms_intents.idempotency_key",
        "outbox_messages.idempotency_key",
        "sms_intents.lease_owner",
        "sms_intents.endpoint_message_id",
        "settings.key",
        # numbers the app assigns
        "subjects.icp_number",
        "websites.icp_number",
        # a province code is checked against the province table; the table is shipped
        "provinces.code",
        "provinces.name_zh",
        "provinces.name_en",
        "provinces.abbr",
        "subjects.province_code",
        "requests.province_code",
        "icp_sequences.province_code",
        # copies of a checked value: a mobile number's 11 digits, a principal's name
        "verifiers.phone",
        "verifiers.name",
        "tries.phone",
        "sms_intents.phone",
        "outbox_messages.phone",
        # who acted: a signed-in user's username (at most MAX_USERNAME) or a system name
        "audit_events.actor",
        "requests.entered_by",
        "requests.decided_by",
        "tries.actor",
        "resends.requested_by",
    }
)
ACTOR_COLUMNS = (
    "audit_events.actor",
    "requests.entered_by",
    "requests.decided_by",
    "tries.actor",
    "resends.requested_by",
)


def _string_columns() -> dict[str, int]:
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String) and column.type.length
    }


def test_every_limit_is_its_columns_length():
    columns = _string_columns()
    wrong = {k: (n, columns.get(k)) for k, n in LIMITS.items() if columns.get(k) != n}
    assert not wrong, f"limit, column length: {wrong}"


def test_every_bounded_column_is_either_limited_or_named_as_untyped():
    columns = set(_string_columns())
    unaccounted = columns - set(LIMITS) - NOT_TYPED
    assert not unaccounted, f"a String(n) column without a limit: {sorted(unaccounted)}"
    assert not (set(LIMITS) & NOT_TYPED)
    assert columns >= NOT_TYPED, f"gone from the models: {sorted(NOT_TYPED - columns)}"


def test_whoever_acts_fits_every_column_naming_who_acted():
    columns = _string_columns()
    assert all(columns[c] >= MAX_USERNAME for c in ACTOR_COLUMNS)
    assert columns["verifiers.name"] >= LIMITS["principals.name"]
