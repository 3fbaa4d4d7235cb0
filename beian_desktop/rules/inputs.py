"""What staff type in: plain dataclasses the views fill and the services validate.

Nothing here is trusted: every value goes through `rules/validation.py` before a row
is written. On an edit, `None` for an ID number (`doc_number`) or a principal's phone
(`mobile`, `phone2`, `emergency_phone`) means "keep the stored value": the screen only
ever held the masked form (SPEC §7), so what was not retyped is not sent back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from beian_desktop.terms import DocType, SubjectNature


@dataclass
class PrincipalInput:
    name: str = ""
    doc_type: DocType = DocType.RESIDENT_ID
    doc_number: str | None = ""
    mobile: str | None = ""
    phone2: str | None = ""
    emergency_phone: str | None = ""
    email: str = ""


@dataclass
class AccessInput:
    isp_name: str = ""
    method: str = "专线"
    server_ips: list[str] = field(default_factory=list)


@dataclass
class WebsiteInput:
    name: str = ""
    home_url: str = ""
    domains: list[str] = field(default_factory=list)
    service_content: str = ""
    language: str = "zh_CN"
    preapproval_type: str = ""
    preapproval_number: str = ""
    remarks: str = ""
    principal: PrincipalInput = field(default_factory=PrincipalInput)
    access: AccessInput = field(default_factory=AccessInput)
    id: int | None = None  # set when editing a website already in the request


@dataclass
class SubjectInput:
    province_code: str = ""
    city: str = ""
    nature: SubjectNature = SubjectNature.ENTERPRISE
    holder_name: str = ""
    doc_type: DocType = DocType.CREDIT_CODE
    doc_number: str | None = ""
    document_address: str = ""
    mailing_address: str = ""
    investor: str = ""
    remarks: str = ""
    principal: PrincipalInput = field(default_factory=PrincipalInput)


@dataclass
class FilingInput:
    """A first filing (新增备案): a subject and one or more websites."""

    subject: SubjectInput = field(default_factory=SubjectInput)
    websites: list[WebsiteInput] = field(default_factory=list)


@dataclass
class ChangeInput:
    """A change (变更备案): only the fields given are changed; the rest stays.

    `subject` and `websites[id]` map field names of SubjectInput/WebsiteInput to new
    values ("domains" takes a list); `subject_principal` and `website_principals[id]`
    map PrincipalInput field names. A principal's new "mobile" is verified at the new
    number only (SPEC §2.1).

    When a saved change is edited again, `None` for an ID number or a phone means
    "keep the new value this change already holds" (the screen shows it only masked).
    """

    subject: dict[str, str | None] = field(default_factory=dict)
    subject_principal: dict[str, str | None] = field(default_factory=dict)
    websites: dict[int, dict[str, object]] = field(default_factory=dict)
    website_principals: dict[int, dict[str, str | None]] = field(default_factory=dict)
