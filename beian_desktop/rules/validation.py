"""The basic data checks of SPEC §6, over a whole request at once.

Each field is checked by the one function that owns its format (identity documents,
phone numbers, domains); this module only walks the request, names the field, and
gathers every problem so the user sees them all in one pass. It returns normalised
copies: what is saved is what was checked.

Two modes: a draft may leave required fields empty but may not hold a malformed
value; a submission must be complete.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from enum import StrEnum
from typing import TypeVar

from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.domains import normalize_domain
from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.terms import DocType, SubjectNature

T = TypeVar("T")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OTHER_PHONE = re.compile(r"^[0-9+\-() ]{5,32}$")
MAX_WEBSITES = 50
MAX_DOMAINS = 20


class Mode(StrEnum):
    DRAFT = "draft"
    SUBMIT = "submit"


class Checker:
    """Collects FieldErrors; `check` returns the normalised value or None on error."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, zh: str, en: str) -> None:
        self.errors.append(FieldError(field, code, zh, en))

    def check(self, field: str, fn: Callable[[str], T], value: str) -> T | None:
        try:
            return fn(value)
        except InvalidValue as problem:
            self.errors.append(FieldError(field, problem.code, problem.zh, problem.en))
            return None

    def present(self, field: str, value: str | None) -> bool:
        """False for an empty value; at submission an empty required field is an error."""
        if value is not None and value.strip():
            return True
        if self.mode is Mode.SUBMIT:
            self.add(field, "required", "必填项不能为空", "is required")
        return False

    def text(self, field: str, value: str, max_len: int, *, required: bool = False) -> str:
        value = value.strip()
        if required:
            self.present(field, value)
        if len(value) > max_len:
            self.add(
                field, "too_long", f"不能超过 {max_len} 个字符", f"at most {max_len} characters"
            )
        return value

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def _enum(field: str, c: Checker, enum: type[StrEnum], value: object) -> None:
    if value not in {m.value for m in enum}:
        c.add(field, "unknown_choice", "不是可选的值", "is not one of the allowed choices")


def check_mobile(c: Checker, field: str, value: str) -> str:
    if not c.present(field, value):
        return value.strip()
    mobile = c.check(field, parse_mobile, value)
    return mobile.number if mobile else value


def check_other_phone(c: Checker, field: str, value: str | None) -> str | None:
    """A second or emergency phone: any fixed-line or mobile shape, optional. None
    (an edit keeping the stored number) stays None."""
    if value is None:
        return None
    value = value.strip()
    if value and not _OTHER_PHONE.match(value):
        c.add(field, "bad_phone", "电话号码格式不正确", "is not a phone number")
    return value


def check_principal(c: Checker, path: str, p: PrincipalInput) -> PrincipalInput:
    _enum(f"{path}.doc_type", c, DocType, p.doc_type)
    doc_number = p.doc_number
    if p.doc_number is not None and c.present(f"{path}.doc_number", p.doc_number):
        doc_number = c.check(
            f"{path}.doc_number",
            lambda v: normalize_document_number(DocType(p.doc_type), v),
            p.doc_number,
        )
    if p.doc_type == DocType.CREDIT_CODE:
        c.add(f"{path}.doc_type", "not_personal", "负责人应使用个人证件", "must be a personal ID")
    if p.email.strip() and not _EMAIL.match(p.email.strip()):
        c.add(f"{path}.email", "bad_email", "电子邮件地址格式不正确", "is not an email address")
    return replace(
        p,
        name=c.text(f"{path}.name", p.name, 64, required=True),
        doc_number=doc_number if doc_number is not None else p.doc_number,
        mobile=None if p.mobile is None else check_mobile(c, f"{path}.mobile", p.mobile),
        phone2=check_other_phone(c, f"{path}.phone2", p.phone2),
        emergency_phone=check_other_phone(c, f"{path}.emergency_phone", p.emergency_phone),
        email=p.email.strip().lower(),
    )


def check_subject(c: Checker, s: SubjectInput, provinces: Collection[str]) -> SubjectInput:
    if c.present("subject.province_code", s.province_code) and s.province_code not in provinces:
        c.add("subject.province_code", "unknown_province", "省份不存在", "is not a known province")
    _enum("subject.nature", c, SubjectNature, s.nature)
    _enum("subject.doc_type", c, DocType, s.doc_type)
    individual = s.nature == SubjectNature.INDIVIDUAL
    if individual == (s.doc_type == DocType.CREDIT_CODE):
        c.add(
            "subject.doc_type",
            "doc_type_mismatch",
            "个人主体应使用个人证件，单位主体应使用统一社会信用代码",
            "an individual uses a personal ID, an organisation its unified social credit code",
        )
    doc_number = s.doc_number
    if s.doc_number is not None and c.present("subject.doc_number", s.doc_number):
        doc_number = c.check(
            "subject.doc_number",
            lambda v: normalize_document_number(DocType(s.doc_type), v),
            s.doc_number,
        )
    return replace(
        s,
        city=c.text("subject.city", s.city, 64),
        holder_name=c.text("subject.holder_name", s.holder_name, 128, required=True),
        doc_number=doc_number if doc_number is not None else s.doc_number,
        document_address=c.text("subject.document_address", s.document_address, 256),
        mailing_address=c.text("subject.mailing_address", s.mailing_address, 256),
        investor=c.text("subject.investor", s.investor, 128),
        remarks=c.text("subject.remarks", s.remarks, 2000),
        principal=check_principal(c, "subject.principal", s.principal),
    )


def check_domains(c: Checker, path: str, domains: list[str]) -> list[str]:
    result: list[str] = []
    cleaned = [d for d in domains if d.strip()]
    if not cleaned and c.mode is Mode.SUBMIT:
        c.add(path, "required", "至少填写一个域名", "needs at least one domain")
    if len(cleaned) > MAX_DOMAINS:
        c.add(path, "too_many", f"最多 {MAX_DOMAINS} 个域名", f"at most {MAX_DOMAINS} domains")
    for i, domain in enumerate(cleaned):
        normal = c.check(f"{path}[{i}]", normalize_domain, domain)
        if normal is None:
            continue
        if normal in result:
            c.add(f"{path}[{i}]", "duplicate", "域名重复", "is listed twice")
        result.append(normal)
    return result


def check_access(c: Checker, path: str, a: AccessInput) -> AccessInput:
    ips = []
    for i, raw in enumerate(ip for ip in a.server_ips if ip.strip()):
        try:
            ips.append(str(ipaddress.ip_address(raw.strip())))
        except ValueError:
            c.add(f"{path}.server_ips[{i}]", "bad_ip", "IP 地址格式不正确", "is not an IP address")
    return replace(
        a,
        isp_name=c.text(f"{path}.isp_name", a.isp_name, 128, required=True),
        method=c.text(f"{path}.method", a.method, 32),
        server_ips=ips,
    )


def check_website(c: Checker, path: str, w: WebsiteInput) -> WebsiteInput:
    home_url = w.home_url.strip()
    if home_url and not re.match(r"^https?://[^\s/]+", home_url, re.IGNORECASE):
        c.add(
            f"{path}.home_url",
            "bad_url",
            "首页地址应以 http:// 或 https:// 开头",
            "must start with http:// or https://",
        )
    return replace(
        w,
        name=c.text(f"{path}.name", w.name, 128, required=True),
        home_url=home_url,
        domains=check_domains(c, f"{path}.domains", w.domains),
        service_content=c.text(f"{path}.service_content", w.service_content, 128),
        language=c.text(f"{path}.language", w.language, 32),
        preapproval_type=c.text(f"{path}.preapproval_type", w.preapproval_type, 64),
        preapproval_number=c.text(f"{path}.preapproval_number", w.preapproval_number, 64),
        remarks=c.text(f"{path}.remarks", w.remarks, 2000),
        principal=check_principal(c, f"{path}.principal", w.principal),
        access=check_access(c, f"{path}.access", w.access),
    )


def validate_filing(filing: FilingInput, mode: Mode, provinces: Collection[str]) -> FilingInput:
    """Raises ValidationFailed naming every bad field; returns the normalised filing."""
    c = Checker(mode)
    subject = check_subject(c, filing.subject, provinces)
    if not filing.websites and mode is Mode.SUBMIT:
        c.add("websites", "required", "至少填写一个网站", "needs at least one website")
    if len(filing.websites) > MAX_WEBSITES:
        c.add("websites", "too_many", f"最多 {MAX_WEBSITES} 个网站", f"at most {MAX_WEBSITES}")
    websites = [check_website(c, f"websites[{i}]", w) for i, w in enumerate(filing.websites)]
    seen: dict[str, str] = {}
    for i, w in enumerate(websites):
        for j, domain in enumerate(w.domains):
            if domain in seen and seen[domain] != f"websites[{i}]":
                c.add(
                    f"websites[{i}].domains[{j}]",
                    "duplicate",
                    "域名已用于另一个网站",
                    "is already used by another website",
                )
            seen.setdefault(domain, f"websites[{i}]")
    c.raise_if_any()
    return FilingInput(subject=subject, websites=websites)


def validate_website(website: WebsiteInput, mode: Mode) -> WebsiteInput:
    c = Checker(mode)
    result = check_website(c, "website", website)
    c.raise_if_any()
    return result


def validate_access(access: AccessInput, mode: Mode) -> AccessInput:
    c = Checker(mode)
    result = check_access(c, "access", access)
    c.raise_if_any()
    return result
