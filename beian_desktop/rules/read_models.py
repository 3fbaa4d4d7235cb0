"""What the views display: plain frozen dataclasses, filled by services/reading/.

No ORM object leaves the read services, so a view can neither lazy-load nor write.
Times are aware UTC datetimes (the views show them in Asia/Shanghai); phone and ID
numbers are masked here already (`138****8000`, `330**************X`), never clear;
states, types and reasons are the `terms` values, which the views translate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


# -- the filings list ------------------------------------------------------------------
@dataclass(frozen=True)
class FilingFilter:
    """Empty sets and None mean "any". Dates are Asia/Shanghai calendar days, inclusive.

    `search` is one box: a mobile number (any principal of the request, or a verifier),
    an ID document number (exact), a domain (exact, Unicode or punycode), and any text
    of two characters or more found anywhere in the subject's holder name or the name
    or a domain of one of the request's websites; one character, the beginning of the
    holder name.
    """

    states: frozenset[str] = frozenset()
    business_types: frozenset[str] = frozenset()
    province_codes: frozenset[str] = frozenset()
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


class FilingSortColumn(StrEnum):
    """What the filings list can be sorted by: one per column of the list."""

    REQUEST_ID = "request_id"  # No.: the order the requests were made in
    BUSINESS_TYPE = "business_type"  # the order of SPEC §2's table (terms.BusinessType)
    STATE = "state"  # the life of a request (terms.RequestState)
    PROVINCE = "province"  # by code (GB/T 2260): 北京, 天津, 河北... as every official list
    SUBJECT_NAME = "subject_name"
    SUBMITTED_AT = "submitted_at"
    DEADLINE = "deadline"  # of the open round, as FilingRow.deadline


@dataclass(frozen=True)
class FilingSort:
    """A column and a direction. Ties, and the requests without a value (never
    submitted, no live deadline, no subject name yet), keep the list's own order,
    newest first; the requests without a value come last in either direction.

    Ascending is the smallest first: the oldest submission, the soonest deadline,
    A before Z (by code point: the database's own order of text), the first
    state of a request's life, the first business type, the lowest province code."""

    column: FilingSortColumn = FilingSortColumn.REQUEST_ID
    descending: bool = True


NEWEST_FIRST = FilingSort()  # the list's own order, and its fastest
SOONEST_DEADLINE_FIRST = FilingSort(FilingSortColumn.DEADLINE, descending=False)


@dataclass(frozen=True)
class FilingCursor:
    """Where a page of a sorted list ended: the sort, the last row's sort value
    (None: the row had none) and its request id. Newest first, the cursor is the id."""

    sort: FilingSort
    value: str | datetime | None
    request_id: int


@dataclass(frozen=True)
class FilingRow:
    request_id: int
    business_type: str
    state: str
    province_code: str
    province_name: str  # Chinese, as the filing shows it
    subject_name: str
    submitted_at: datetime | None
    deadline: datetime | None  # the open round's deadline (None: no round, or not sent)
    created_at: datetime
    state_changed_at: datetime | None = None  # since when it is in its state (the bureau queue)


@dataclass(frozen=True)
class FilingPage:
    """`next_cursor` goes back as `after=` for the next page; None: this is the last."""

    rows: tuple[FilingRow, ...]
    next_cursor: object | None


# -- one request in full -----------------------------------------------------------------
@dataclass(frozen=True)
class PrincipalView:
    principal_id: int
    name: str
    doc_type: str
    doc_masked: str
    phone_masked: str
    verified_at: datetime | None  # "verified contacts are marked" (SPEC §3)


@dataclass(frozen=True)
class WebsiteView:
    website_id: int
    name: str
    domains: tuple[str, ...]  # Unicode, as people read them (IDN decoded)
    icp_number: str | None
    principal: PrincipalView


@dataclass(frozen=True)
class VerifierView:
    verifier_id: int
    name: str
    roles: tuple[str, ...]  # "subject_principal", "website_principal:<website name>"
    phone_masked: str
    carrier: str
    sender_number: str  # of its latest SMS, or the one the operator's SMS would use
    state: str
    tries_left: int
    manual_resends_left: int
    deadline: datetime | None
    last_send_at: datetime | None


@dataclass(frozen=True)
class SmsView:
    intent_id: int
    kind: str
    phone_masked: str
    sender_number: str
    status: str
    delivery_status: str | None
    due_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None  # numbers and codes in the endpoint's answer are masked
    verifier_id: int = 0


@dataclass(frozen=True)
class RoundView:
    number: int
    state: str
    quorum: str
    created_at: datetime
    send_due_at: datetime
    first_sent_at: datetime | None
    deadline: datetime | None
    ended_at: datetime | None
    verifiers: tuple[VerifierView, ...]
    sms: tuple[SmsView, ...]  # oldest first


@dataclass(frozen=True)
class TimelineEntry:
    """One audit event of the request. `actor` is the username as stored and `details`
    the raw details (scrubbed of numbers and codes); the rest is looked up for people
    to read: the actor's display name and role ("system" for the scheduler, the
    dispatcher and anyone no user matches), and the verifier the event names (its
    `verifier_id`), with the number masked."""

    at: datetime
    actor: str
    action: str
    details: dict[str, object] = field(default_factory=dict)
    actor_name: str = ""
    actor_role: str = "system"
    verifier_name: str | None = None
    verifier_phone_masked: str | None = None


@dataclass(frozen=True)
class RequestDetail:
    request_id: int
    business_type: str
    state: str
    province_code: str
    province_name: str
    entered_by: str  # the username; entered_by_name the person (their display name)
    entered_by_name: str
    created_at: datetime
    submitted_at: datetime | None
    state_changed_at: datetime
    remarks: str
    subject_id: int
    subject_name: str
    subject_doc_type: str
    subject_doc_masked: str
    subject_icp_number: str | None
    subject_principal: PrincipalView
    websites: tuple[WebsiteView, ...]
    rounds: tuple[RoundView, ...]  # first round first
    timeline: tuple[TimelineEntry, ...]  # in the order it happened
    return_reason: str | None
    returned_verifier_names: tuple[str, ...]  # whom the return names (rules/returns.py)
    decision_reason: str
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None


# -- the help desk -----------------------------------------------------------------------
@dataclass(frozen=True)
class PendingVerifierRow:
    """`next_resend_at`: the earliest a manual resend passes the spacing rule (per
    number), None if it would now. It says nothing of the cap: with
    `manual_resends_left == 0` no manual resend is possible at all. `last_sent_at`: when
    the endpoint last took an SMS for this verifier (a resend still queued is not yet)."""

    verifier_id: int
    request_id: int
    name: str
    phone_masked: str
    state: str
    deadline: datetime | None  # None: the round's first SMS has not gone out yet
    tries_left: int
    manual_resends_left: int
    next_resend_at: datetime | None
    subject_name: str
    last_sent_at: datetime | None = None


@dataclass(frozen=True)
class CallerSms:
    """One SMS to the caller's number: `sent_at` None while it waits (due, or retrying);
    `delivery_status` as the endpoint reported it, None before any report."""

    kind: str  # terms.SmsKind
    sender_number: str
    status: str  # terms.SmsStatus
    delivery_status: str | None
    due_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class CallerRequest:
    """One request in which the caller's number verifies, in one round: what the help
    desk tells the caller. `live`: a code can still be checked or resent (pending, in an
    open round before its deadline or before its first SMS); `first_sms_at`: when a
    round not sent yet sends; `return_reason` and `returned_verifier_name`: why this
    round sent the request back, if it did."""

    verifier_id: int
    request_id: int
    business_type: str
    subject_name: str
    request_state: str
    round_number: int
    round_state: str
    name: str  # the verifier's (the caller's) name in this request
    verifier_state: str  # terms.VerifierState
    live: bool
    first_sms_at: datetime | None
    deadline: datetime | None
    tries_left: int
    manual_resends_left: int
    next_resend_at: datetime | None  # as PendingVerifierRow's, for a live one
    ended_at: datetime | None  # when the verifier or its round ended
    return_reason: str | None
    returned_verifier_name: str | None
    sms: tuple[CallerSms, ...]  # oldest first


@dataclass(frozen=True)
class CallerHistory:
    """Everything the help desk needs for a caller's number: the live verifications
    first (soonest deadline first, those still to be sent after), then the rest, newest
    first, `limit` in all."""

    phone_masked: str
    requests: tuple[CallerRequest, ...]

    @property
    def live(self) -> tuple[CallerRequest, ...]:
        return tuple(r for r in self.requests if r.live)


# -- supervisors -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnedRow:
    request_id: int
    subject_name: str
    business_type: str
    returned_at: datetime
    reason: str | None  # terms.ReturnReason
    verifier_names: tuple[str, ...]  # every verifier it names (rules/returns.py)
    province_name: str
    # What supervisors did with this return (their notes since it came back):
    review: str = "to_review"  # terms.ReturnReview
    last_note: str | None = None
    last_note_by: str | None = None  # the writer's display name
    last_note_at: datetime | None = None
    handed_back_at: datetime | None = None


@dataclass(frozen=True)
class DayStats:
    day: date  # Asia/Shanghai
    returns: dict[str, int]  # every terms.ReturnReason, 0 included
    passed_rounds: int
    ended_rounds: int  # passed + returned

    @property
    def pass_rate(self) -> float | None:
        """Passed rounds / ended rounds; None on a day no round ended."""
        return self.passed_rounds / self.ended_rounds if self.ended_rounds else None


@dataclass(frozen=True)
class ReturnStats:
    first_day: date
    last_day: date  # today, Asia/Shanghai
    days: tuple[DayStats, ...]  # every day of the range, oldest first
    totals: dict[str, int]  # returns per reason over the range

    @property
    def passed_rounds(self) -> int:
        return sum(d.passed_rounds for d in self.days)

    @property
    def ended_rounds(self) -> int:
        return sum(d.ended_rounds for d in self.days)

    @property
    def pass_rate(self) -> float | None:
        return self.passed_rounds / self.ended_rounds if self.ended_rounds else None


# -- the navigation ----------------------------------------------------------------------
@dataclass(frozen=True)
class NavigationCounts:
    """The numbers beside the pages: what waits for someone now."""

    returned: int  # requests returned to the ISP now
    returned_to_review: int  # of those, not yet handed back since they came back
    bureau_review: int  # requests waiting for the bureau
    pending_verifiers: int  # verifiers still to verify in a live round


# -- bits and pieces -------------------------------------------------------------------
@dataclass(frozen=True)
class OutboxRow:
    """The local outbox (embedded default); the code in the text shows as ******."""

    id: int
    phone_masked: str
    sender_number: str
    text: str
    stored_at: datetime


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name_zh: str
    name_en: str
    verification_from: date | None  # None: SMS verification is off there
