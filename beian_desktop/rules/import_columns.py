"""The batch-import template's columns: what each one holds, how its cell becomes a
field of a first filing (新增备案), and how a field error finds its cell again.

ISPs keep their customers' filings as one spreadsheet line per website, the subject's
columns repeated on every line of that subject (so the sheet sorts and filters like
any list). The template follows that: one row a website; a subject key column
(主体编号) ties the rows of one filing together; the subject's columns are read from
the first row of the key and may be repeated (identically) or left empty below it.

The column table is pure data so the template writer, the reader, the error mapping
and the tests read the same one; openpyxl stays in services/filing/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from beian_desktop.terms import DocType, SubjectNature

TEMPLATE_NAME = "beian-desktop new_filing import"
TEMPLATE_VERSION = 1
DATA_SHEET = "备案数据"
EXAMPLE_KEY = "示例"  # a row whose subject key is this is the template's example: skipped
MAX_ROWS = 5000
LIST_SEPARATORS = re.compile(r"[;；,，、\n\r]+")

# (stored value, Chinese as the dropdown shows it, English)
SUBJECT_NATURES: tuple[tuple[str, str, str], ...] = (
    (SubjectNature.ENTERPRISE, "企业", "Enterprise"),
    (SubjectNature.GOVERNMENT, "政府机关", "Government body"),
    (SubjectNature.INSTITUTION, "事业单位", "Public institution"),
    (SubjectNature.SOCIAL_GROUP, "社会团体", "Social group"),
    (SubjectNature.INDIVIDUAL, "个人", "Individual"),
    (SubjectNature.OTHER, "其他", "Other"),
)
DOC_TYPES: tuple[tuple[str, str, str], ...] = (
    (DocType.CREDIT_CODE, "统一社会信用代码", "Unified social credit code"),
    (DocType.RESIDENT_ID, "居民身份证", "Resident ID card"),
    (DocType.PASSPORT, "护照", "Passport"),
    (DocType.HK_MACAU_PERMIT, "港澳居民来往内地通行证", "Hong Kong/Macau permit"),
    (DocType.TAIWAN_PERMIT, "台湾居民来往大陆通行证", "Taiwan permit"),
    (DocType.FOREIGN_PERMANENT_ID, "外国人永久居留身份证", "Foreign permanent residence ID"),
)
PERSONAL_DOC_TYPES = tuple(d for d in DOC_TYPES if d[0] != DocType.CREDIT_CODE)
WEBSITE_LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("zh_CN", "简体中文", "Simplified Chinese"),
    ("zh_CN,en_US", "简体中文、英语", "Simplified Chinese, English"),
    ("zh_TW", "繁体中文", "Traditional Chinese"),
    ("en_US", "英语", "English"),
)
ACCESS_METHODS: tuple[tuple[str, str, str], ...] = tuple(
    (m, m, en)
    for m, en in (
        ("云服务器", "Cloud server"),
        ("专线", "Leased line"),
        ("主机托管", "Colocation"),
        ("虚拟主机", "Virtual hosting"),
    )
)
CHOICES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "nature": SUBJECT_NATURES,
    "subject_doc_type": DOC_TYPES,
    "personal_doc_type": PERSONAL_DOC_TYPES,
    "language": WEBSITE_LANGUAGES,
    "method": ACCESS_METHODS,
}
PROVINCE = "province"  # the choice list the database's province table fills


@dataclass(frozen=True)
class Column:
    """One column of the data sheet. `field` is the input's path with `website` for
    the row's website (`websites[i]` in a FilingInput); `choices` names a dropdown
    list; `listed` cells hold several values (domains, IP addresses)."""

    key: str
    header: str
    field: str
    width: int = 16
    required: bool = False
    choices: str | None = None
    listed: bool = False
    secret: bool = False  # an ID number or a mobile: masked in the preview

    @property
    def subject_level(self) -> bool:
        return self.field == "subject_key" or self.field.startswith("subject.")


def _principal(prefix: str, who: str, field: str) -> list[Column]:
    return [
        Column(f"{prefix}_name", f"{who}姓名", f"{field}.name", 12, True),
        Column(
            f"{prefix}_doc_type", f"{who}证件类型", f"{field}.doc_type", 14, True,
            "personal_doc_type",
        ),
        Column(f"{prefix}_doc_number", f"{who}证件号码", f"{field}.doc_number", 22, True,
               secret=True),
        Column(f"{prefix}_mobile", f"{who}手机号码", f"{field}.mobile", 14, True, secret=True),
        Column(f"{prefix}_phone2", f"{who}备用电话", f"{field}.phone2", 14),
        Column(f"{prefix}_emergency_phone", f"{who}应急电话", f"{field}.emergency_phone", 14),
        Column(f"{prefix}_email", f"{who}电子邮件", f"{field}.email", 20),
    ]  # fmt: skip


COLUMNS: tuple[Column, ...] = (
    Column("subject_key", "主体编号", "subject_key", 10),
    Column("province", "省份", "subject.province_code", 10, True, PROVINCE),
    Column("city", "市/县", "subject.city", 10),
    Column("nature", "主体性质", "subject.nature", 10, True, "nature"),
    Column("holder_name", "主办单位名称", "subject.holder_name", 24, True),
    Column("subject_doc_type", "主体证件类型", "subject.doc_type", 16, True, "subject_doc_type"),
    Column("subject_doc_number", "主体证件号码", "subject.doc_number", 22, True, secret=True),
    Column("document_address", "证件住所", "subject.document_address", 24),
    Column("mailing_address", "通信地址", "subject.mailing_address", 24),
    Column("investor", "投资人或主管单位", "subject.investor", 18),
    Column("subject_remarks", "主体备注", "subject.remarks", 16),
    *_principal("sp", "主体负责人", "subject.principal"),
    Column("website_name", "网站名称", "website.name", 16, True),
    Column("home_url", "首页地址", "website.home_url", 24),
    Column("domains", "网站域名", "website.domains", 24, True, listed=True),
    Column("service_content", "服务内容", "website.service_content", 14),
    Column("language", "网站语言", "website.language", 12, False, "language"),
    Column("preapproval_type", "前置审批类型", "website.preapproval_type", 14),
    Column("preapproval_number", "前置审批文号", "website.preapproval_number", 16),
    Column("website_remarks", "网站备注", "website.remarks", 16),
    *_principal("wp", "网站负责人", "website.principal"),
    Column("isp_name", "接入服务商", "website.access.isp_name", 20, True),
    Column("method", "接入方式", "website.access.method", 10, False, "method"),
    Column("server_ips", "服务器 IP", "website.access.server_ips", 18, listed=True),
)
BY_KEY = {c.key: c for c in COLUMNS}
BY_HEADER = {c.header: c for c in COLUMNS}
_BY_FIELD = {c.field: c for c in COLUMNS}

_WEBSITE_INDEX = re.compile(r"^websites\[(\d+)\]")
_TRAILING_INDEX = re.compile(r"\[\d+\]$")


def column_of(path: str) -> tuple[int | None, Column]:
    """The column a field error's path belongs to, and for a website's field which
    website of the filing (its index). `websites[1].domains[0]` is (1, 网站域名); a
    path no column holds (the filing's website count) falls on the subject key."""
    website: int | None = None
    match = _WEBSITE_INDEX.match(path)
    if match:
        website = int(match.group(1))
        path = "website" + path[match.end() :]
    path = _TRAILING_INDEX.sub("", path)
    return website, _BY_FIELD.get(path, BY_KEY["subject_key"])


def column_letter(index: int) -> str:
    """A for the first column, AA for the 27th: how a spreadsheet names them."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def split_list(text: str) -> list[str]:
    """Several domains or IP addresses in one cell: separated by semicolons, commas,
    顿号 or new lines, full-width or not."""
    return [part.strip() for part in LIST_SEPARATORS.split(text) if part.strip()]
