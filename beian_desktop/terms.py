"""The domain's vocabulary, one English name per Chinese term (SPEC.md).

Kept outside models/services/views so every layer (the views included, which may
not import the models) speaks the same words. Values are what the database stores:
never rename a value without a migration.
"""

from __future__ import annotations

from enum import StrEnum


class BusinessType(StrEnum):
    NEW_FILING = "new_filing"  # 新增备案
    NEW_WEBSITE = "new_website"  # 新增网站
    NEW_ACCESS = "new_access"  # 新增接入
    CHANGE = "change"  # 变更备案
    CANCEL_SUBJECT = "cancel_subject"  # 注销主体
    CANCEL_WEBSITE = "cancel_website"  # 注销网站
    CANCEL_ACCESS = "cancel_access"  # 取消接入
    CHANGE_PHONE = "change_phone"  # 变更手机号码


CANCELLATIONS = frozenset(
    {BusinessType.CANCEL_SUBJECT, BusinessType.CANCEL_WEBSITE, BusinessType.CANCEL_ACCESS}
)


class RequestState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VERIFYING = "verifying"
    BUREAU_REVIEW = "bureau_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    # A draft the ISP deleted: kept with its timeline, out of the list, the search
    # and the counts; its pending records are withdrawn.
    DELETED = "deleted"


class Quorum(StrEnum):
    ALL = "all"
    ANY = "any"


class Role(StrEnum):
    SUBJECT_PRINCIPAL = "subject_principal"  # 主体负责人
    WEBSITE_PRINCIPAL = "website_principal"  # 网站负责人


class RoundState(StrEnum):
    OPEN = "open"
    PASSED = "passed"
    FAILED = "failed"


class VerifierState(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    FAILED = "failed"  # used up its tries
    EXPIRED = "expired"  # deadline passed, or the round ended for another verifier
    NOT_NEEDED = "not_needed"  # quorum "any one": another verifier passed the round


class ReturnReason(StrEnum):
    EXPIRED = "expired"  # not verified by the deadline
    TRIES_USED_UP = "tries_used_up"
    UNDELIVERABLE = "undeliverable"  # no SMS of the round could be handed over in time


class ReturnReview(StrEnum):
    """Where a supervisor stands with a request's current return (read from its
    timeline since that return, never stored)."""

    TO_REVIEW = "to_review"  # nothing done yet
    NOTED = "noted"  # a note added, not handed back
    HANDED_BACK = "handed_back"  # handed back to the ISP with a note


class SmsKind(StrEnum):
    INITIAL = "initial"
    AUTO_RESEND = "auto_resend"
    MANUAL_RESEND = "manual_resend"


class SmsStatus(StrEnum):
    PENDING = "pending"  # waiting for its due time or a sender
    SENDING = "sending"  # claimed by a dispatcher
    SENT = "sent"  # handed to the endpoint
    FAILED = "failed"  # the endpoint refused it for good
    CANCELLED = "cancelled"  # superseded, or the round ended before it went out


class CheckResult(StrEnum):
    VERIFIED_OTHERS_PENDING = "verified_others_pending"
    VERIFIED_REQUEST_COMPLETE = "verified_request_complete"
    ALREADY_VERIFIED = "already_verified"
    NO_RECORD = "no_record"
    WRONG = "wrong"
    # A pending verifier whose round's first SMS has not gone out: no code can be right
    # yet, so nothing is counted; the answer says when it will go.
    NOT_SENT_YET = "not_sent_yet"


class SmsHandOver(StrEnum):
    """What the endpoint did with an SMS handed to it at once (a manual resend)."""

    ACCEPTED = "accepted"  # it took the SMS
    QUEUED = "queued"  # it could not take it now: the SMS goes when it recovers
    REFUSED = "refused"  # it refused the SMS for good


class ResendRefusal(StrEnum):
    NOTHING_PENDING = "nothing_pending"
    WRONG_ID_DIGITS = "wrong_id_digits"
    TOO_SOON = "too_soon"
    TOO_MANY = "too_many"
    NOT_SENT_YET = "not_sent_yet"


class Carrier(StrEnum):
    TELECOM = "telecom"  # 中国电信
    UNICOM = "unicom"  # 中国联通
    MOBILE = "mobile"  # 中国移动
    BROADNET = "broadnet"  # 中国广电


class DocType(StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    CREDIT_CODE = "credit_code"  # 统一社会信用代码
    PASSPORT = "passport"  # 护照
    HK_MACAU_PERMIT = "hk_macau_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
    FOREIGN_PERMANENT_ID = "foreign_permanent_id"  # 外国人永久居留身份证


class SubjectNature(StrEnum):
    ENTERPRISE = "enterprise"  # 企业
    GOVERNMENT = "government"  # 政府机关
    INSTITUTION = "institution"  # 事业单位
    SOCIAL_GROUP = "social_group"  # 社会团体
    INDIVIDUAL = "individual"  # 个人
    OTHER = "other"


class UserRole(StrEnum):
    """Who uses the product (SPEC §1); what each may do is services/permissions.py."""

    ISP_STAFF = "isp_staff"  # ISP录入员
    HELP_DESK = "help_desk"  # 客服
    SUPERVISOR = "supervisor"  # 主管
    BUREAU_REVIEWER = "bureau_reviewer"  # 管局审核员
    ADMINISTRATOR = "administrator"  # 管理员
