"""The basic data checks of SPEC §6, over a whole request at once.

Each field is checked by the one function that owns its format (identity documents,
phone numbers, domains); this module only walks the request, names the field, and
gathers every problem so the user sees them all in one pass. It returns normalised
copies: what is saved is what was checked.

Nothing that reaches it is trusted, not even its types: a value that is not a string
where text goes, a document type that is no DocType, a list where a string goes (or
a string where a list goes) are field errors like any other, and every text goes
through rules/text_input.py (control characters, lone surrogates, direction
overrides) and the length of its column (rules/field_limits.py) first.

Two modes: a draft may leave required fields empty but may not hold a malformed
value; a submission must be complete. The province is required in both: a subject
row cannot exist without one.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.domains import normalize_domain
from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.field_limits import LONG_TEXT, MAX_SERVER_IPS, limit
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.rules.text_input import clean_text, not_text, text_problem
from beian_desktop.terms import DocType, SubjectNature

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OTHER_PHONE = re.compile(r"^[0-9+\-() ]{5,32}$")
_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
MAX_WEBSITES = 50
MAX_DOMAINS = 20
MAX_ID = 2**31 - 1  # ids are Integer columns: the largest PostgreSQL's integer holds


def is_record_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID


def _not_an_id(field: str) -> FieldError:
    return FieldError(field, "not_an_id", "应为记录编号", "must be a record number")


def record_id(field: str, value: object) -> int:
    """A record's id as a caller passes it: a whole number (one that names no record is
    the service's NotFound), or ValidationFailed."""
    if not is_record_id(value):
        raise ValidationFailed([_not_an_id(field)])
    assert isinstance(value, int)
    return value


def whole_number(field: str, value: object, low: int, high: int) -> int:
    """A count a screen passes (how many rows, how many days): an int from low to high."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationFailed.one(
            field,
            "out_of_range",
            f"应为 {low} 到 {high} 之间的整数",
            f"must be a whole number from {low} to {high}",
        )
    return value


def optional_day(field: str, value: object) -> date | None:
    """A calendar day a screen passes (a date, not a datetime), or None."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise ValidationFailed.one(field, "not_a_date", "应为日期", "must be a date")


def optional_record_id(field: str, value: object) -> int | None:
    return None if value is None else record_id(field, value)


def flag(field: str, value: object) -> bool:
    """A yes or no: only a bool, since "false" and 0.0 would read as a yes or a no
    whatever was meant."""
    if not isinstance(value, bool):
        raise ValidationFailed.one(field, "not_a_flag", "应为是或否", "must be true or false")
    return value


class Mode(StrEnum):
    DRAFT = "draft"
    SUBMIT = "submit"


class Checker:
    """Collects FieldErrors; each check returns the normalised value (or, on error, a
    harmless stand-in of the right type, so the walk goes on and names every field)."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, zh: str, en: str) -> None:
        self.errors.append(FieldError(field, code, zh, en))

    def invalid(self, field: str, problem: InvalidValue) -> None:
        self.errors.append(FieldError(field, problem.code, problem.zh, problem.en))

    def check(self, field: str, fn: Callable[[str], T], value: object) -> T | None:
        """`fn` (a format's own check) on a string free of what no text may hold."""
        if not isinstance(value, str):
            self.invalid(field, not_text())
            return None
        unfit = text_problem(value)
        if unfit is not None:
            self.invalid(field, unfit)
            return None
        try:
            return fn(value)
        except InvalidValue as problem:
            self.invalid(field, problem)
            return None

    def present(self, field: str, value: object) -> bool:
        """False for an empty value; at submission an empty required field is an error."""
        if isinstance(value, str) and value.strip():
            return True
        if value is not None and not isinstance(value, str):
            self.invalid(field, not_text())
            return False
        if self.mode is Mode.SUBMIT:
            self.add(field, "required", "必填项不能为空", "is required")
        return False

    def text(
        self,
        field: str,
        value: object,
        max_len: int,
        *,
        required: bool = False,
        multiline: bool = False,
    ) -> str:
        try:
            clean = clean_text(value, max_len, multiline=multiline)
        except InvalidValue as problem:
            self.invalid(field, problem)
            return ""
        if required:
            self.present(field, clean)
        return clean

    def choice(self, field: str, enum: type[E], value: object) -> E | None:
        """A member of `enum`, given as one or as its stored value."""
        if isinstance(value, str) and value in enum._value2member_map_:
            return enum(value)
        self.add(field, "unknown_choice", "不是可选的值", "is not one of the allowed choices")
        return None

    def texts(self, field: str, value: object, max_items: int) -> list[str]:
        """A list of strings (domains, server addresses); empty ones left out."""
        if not isinstance(value, list | tuple):
            self.add(field, "not_a_list", "应为一组值", "must be a list")
            return []
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.invalid(f"{field}[{i}]", not_text())
            elif item.strip():
                items.append(item)
        if len(items) > max_items:
            self.add(field, "too_many", f"最多 {max_items} 项", f"at most {max_items}")
            return items[:max_items]
        return items

    def record_id(self, field: str, value: object) -> int | None:
        """A record's id as a person's screen passes it: a whole number, or None."""
        if value is None:
            return None
        if not is_record_id(value):
            self.errors.append(_not_an_id(field))
            return None
        assert isinstance(value, int)
        return value

    def wrong_type(self, field: str) -> None:
        """A part of the input is not what it should be (a website, a principal)."""
        self.add(field, "wrong_type", "内容格式不正确", "is not in the expected form")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def check_mobile(c: Checker, field: str, value: object) -> str:
    if value is None:  # where None keeps the stored number, the caller does not ask
        c.invalid(field, not_text())
        return ""
    if not c.present(field, value):
        return value.strip() if isinstance(value, str) else ""
    mobile = c.check(field, parse_mobile, value)
    return mobile.number if mobile else ""


def _document(c: Checker, field: str, doc_type: DocType | None, value: object) -> str | None:
    """The canonical number, None to keep the stored one (an edit), "" when wrong."""
    if value is None:
        return None
    if not c.present(field, value):
        return ""
    if doc_type is None:  # already named: the type it would be checked against is unknown
        return ""
    number = c.check(field, lambda v: normalize_document_number(doc_type, v), value)
    return number if number is not None else ""


def _other_phone(c: Checker, field: str, value: object) -> str | None:
    """A second or emergency phone, optional; None (an edit) keeps the stored one."""
    if value is None:
        return None
    phone = c.text(field, value, limit("principals.phone2"))
    if phone and not _OTHER_PHONE.match(phone):
        c.add(field, "bad_phone", "电话号码格式不正确", "is not a phone number")
    return phone


def check_principal(c: Checker, path: str, p: object) -> PrincipalInput:
    if not isinstance(p, PrincipalInput):
        c.wrong_type(path)
        return PrincipalInput()
    doc_type = c.choice(f"{path}.doc_type", DocType, p.doc_type)
    if doc_type is DocType.CREDIT_CODE:
        c.add(f"{path}.doc_type", "not_personal", "负责人应使用个人证件", "must be a personal ID")
    email = c.text(f"{path}.email", p.email, limit("principals.email")).lower()
    if email and not _EMAIL.match(email):
        c.add(f"{path}.email", "bad_email", "电子邮件地址格式不正确", "is not an email address")
    return replace(
        p,
        name=c.text(f"{path}.name", p.name, limit("principals.name"), required=True),
        doc_type=doc_type or DocType.RESIDENT_ID,
        doc_number=_document(c, f"{path}.doc_number", doc_type, p.doc_number),
        mobile=None if p.mobile is None else check_mobile(c, f"{path}.mobile", p.mobile),
        phone2=_other_phone(c, f"{path}.phone2", p.phone2),
        emergency_phone=_other_phone(c, f"{path}.emergency_phone", p.emergency_phone),
        email=email,
    )


def check_subject(c: Checker, s: object, provinces: Collection[str]) -> SubjectInput:
    if not isinstance(s, SubjectInput):
        c.wrong_type("subject")
        return SubjectInput()
    province = s.province_code
    if not isinstance(province, str) or not province.strip():
        c.add("subject.province_code", "required", "请选择省份", "is required")
    elif province not in provinces:
        c.add("subject.province_code", "unknown_province", "省份不存在", "is not a known province")
    nature = c.choice("subject.nature", SubjectNature, s.nature)
    doc_type = c.choice("subject.doc_type", DocType, s.doc_type)
    if nature is not None and doc_type is not None:
        individual = nature is SubjectNature.INDIVIDUAL
        if individual == (doc_type is DocType.CREDIT_CODE):
            c.add(
                "subject.doc_type",
                "doc_type_mismatch",
                "个人主体应使用个人证件，单位主体应使用统一社会信用代码",
                "an individual uses a personal ID, an organisation its unified social credit code",
            )
    return replace(
        s,
        province_code=province if isinstance(province, str) else "",
        nature=nature or SubjectNature.ENTERPRISE,
        doc_type=doc_type or DocType.CREDIT_CODE,
        city=c.text("subject.city", s.city, limit("subjects.city")),
        holder_name=c.text(
            "subject.holder_name", s.holder_name, limit("subjects.holder_name"), required=True
        ),
        doc_number=_document(c, "subject.doc_number", doc_type, s.doc_number),
        document_address=c.text(
            "subject.document_address", s.document_address, limit("subjects.document_address")
        ),
        mailing_address=c.text(
            "subject.mailing_address", s.mailing_address, limit("subjects.mailing_address")
        ),
        investor=c.text("subject.investor", s.investor, limit("subjects.investor")),
        remarks=c.text("subject.remarks", s.remarks, LONG_TEXT, multiline=True),
        principal=check_principal(c, "subject.principal", s.principal),
    )


def check_domains(c: Checker, path: str, domains: object) -> list[str]:
    result: list[str] = []
    cleaned = c.texts(path, domains, MAX_DOMAINS)
    if not cleaned and c.mode is Mode.SUBMIT:
        c.add(path, "required", "至少填写一个域名", "needs at least one domain")
    for i, domain in enumerate(cleaned):
        normal = c.check(f"{path}[{i}]", normalize_domain, domain)
        if normal is None:
            continue
        if normal in result:
            c.add(f"{path}[{i}]", "duplicate", "域名重复", "is listed twice")
        result.append(normal)
    return result


def _ip_address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        raise InvalidValue("bad_ip", "IP 地址格式不正确", "is not an IP address") from None


def check_access(c: Checker, path: str, a: object) -> AccessInput:
    if not isinstance(a, AccessInput):
        c.wrong_type(path)
        return AccessInput()
    ips = []
    for i, raw in enumerate(c.texts(f"{path}.server_ips", a.server_ips, MAX_SERVER_IPS)):
        ip = c.check(f"{path}.server_ips[{i}]", _ip_address, raw)
        if ip is not None:
            ips.append(ip)
    return replace(
        a,
        isp_name=c.text(
            f"{path}.isp_name", a.isp_name, limit("access_records.isp_name"), required=True
        ),
        method=c.text(f"{path}.method", a.method, limit("access_records.method")),
        server_ips=ips,
    )


def check_website(c: Checker, path: str, w: object) -> WebsiteInput:
    if not isinstance(w, WebsiteInput):
        c.wrong_type(path)
        return WebsiteInput()
    home_url = c.text(f"{path}.home_url", w.home_url, limit("websites.home_url"))
    if home_url and not _URL.match(home_url):
        c.add(
            f"{path}.home_url",
            "bad_url",
            "首页地址应以 http:// 或 https:// 开头",
            "must start with http:// or https://",
        )
    return replace(
        w,
        id=c.record_id(f"{path}.id", w.id),
        name=c.text(f"{path}.name", w.name, limit("websites.name"), required=True),
        home_url=home_url,
        domains=check_domains(c, f"{path}.domains", w.domains),
        service_content=c.text(
            f"{path}.service_content", w.service_content, limit("websites.service_content")
        ),
        language=c.text(f"{path}.language", w.language, limit("websites.language")),
        preapproval_type=c.text(
            f"{path}.preapproval_type", w.preapproval_type, limit("websites.preapproval_type")
        ),
        preapproval_number=c.text(
            f"{path}.preapproval_number",
            w.preapproval_number,
            limit("websites.preapproval_number"),
        ),
        remarks=c.text(f"{path}.remarks", w.remarks, LONG_TEXT, multiline=True),
        principal=check_principal(c, f"{path}.principal", w.principal),
        access=check_access(c, f"{path}.access", w.access),
    )


def validate_filing(filing: object, mode: Mode, provinces: Collection[str]) -> FilingInput:
    """Raises ValidationFailed naming every bad field; returns the normalised filing."""
    c = Checker(mode)
    if not isinstance(filing, FilingInput):
        c.wrong_type("filing")
        c.raise_if_any()
    assert isinstance(filing, FilingInput)  # or raise_if_any raised
    subject = check_subject(c, filing.subject, provinces)
    sites: list[object] = []
    if not isinstance(filing.websites, list | tuple):
        c.add("websites", "not_a_list", "应为一组网站", "must be a list of websites")
    else:
        sites = list(filing.websites)
    if not sites and mode is Mode.SUBMIT:
        c.add("websites", "required", "至少填写一个网站", "needs at least one website")
    if len(sites) > MAX_WEBSITES:
        c.add("websites", "too_many", f"最多 {MAX_WEBSITES} 个网站", f"at most {MAX_WEBSITES}")
        sites = sites[:MAX_WEBSITES]
    websites = [check_website(c, f"websites[{i}]", w) for i, w in enumerate(sites)]
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


def validate_website(website: object, mode: Mode) -> WebsiteInput:
    c = Checker(mode)
    result = check_website(c, "website", website)
    c.raise_if_any()
    return result


def validate_access(access: object, mode: Mode) -> AccessInput:
    c = Checker(mode)
    result = check_access(c, "access", access)
    c.raise_if_any()
    return result
