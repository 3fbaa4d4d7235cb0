"""SQLAlchemy tables, the engine/session factory and the Alembic migrations."""

from beian_desktop.models.admin_tables import AuditEvent, IcpSequence, Setting
from beian_desktop.models.base import Base, UTCDateTime
from beian_desktop.models.filing_tables import (
    AccessRecord,
    Domain,
    Principal,
    Province,
    Subject,
    Website,
)
from beian_desktop.models.request_tables import (
    Request,
    RequestChange,
    RequestTotal,
    RequestWebsite,
)
from beian_desktop.models.search_tables import FilingSearch
from beian_desktop.models.sms_tables import OutboxMessage, SmsIntent
from beian_desktop.models.user_tables import SignInSession, User
from beian_desktop.models.verification_tables import (
    Code,
    Resend,
    Try,
    VerificationRound,
    Verifier,
    VerifierRole,
)

__all__ = [
    "AccessRecord",
    "AuditEvent",
    "Base",
    "Code",
    "Domain",
    "FilingSearch",
    "IcpSequence",
    "OutboxMessage",
    "Principal",
    "Province",
    "Request",
    "RequestChange",
    "RequestTotal",
    "RequestWebsite",
    "Resend",
    "Setting",
    "SignInSession",
    "SmsIntent",
    "Subject",
    "Try",
    "UTCDateTime",
    "User",
    "VerificationRound",
    "Verifier",
    "VerifierRole",
    "Website",
]
