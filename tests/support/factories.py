"""Valid, realistic filings for tests: real check characters, placeable phone numbers.

Numbers are built, never hard-coded, so a test that needs "another person" just asks
for another serial and gets a distinct, valid identity.
"""

from __future__ import annotations

from beian_desktop.rules.documents import credit_code_check_char, resident_id_check_char
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.terms import DocType, SubjectNature

# One prefix per carrier; with a 4-digit serial each gives a valid 11-digit number.
PHONE_PREFIXES = {"mobile": "1380013", "unicom": "1860571", "telecom": "1890571"}


def resident_id(serial: int, region: str = "330106", birth: str = "19850612") -> str:
    first17 = f"{region}{birth}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def credit_code(serial: int) -> str:
    first17 = f"91330106MA{serial:07d}"
    return first17 + credit_code_check_char(first17)


def phone(serial: int, carrier: str = "mobile") -> str:
    return f"{PHONE_PREFIXES[carrier]}{serial % 10000:04d}"


def principal(serial: int, *, mobile: str | None = None, name: str | None = None) -> PrincipalInput:
    return PrincipalInput(
        name=name or f"负责人{serial}",
        doc_type=DocType.RESIDENT_ID,
        doc_number=resident_id(serial),
        mobile=mobile or phone(serial),
        email=f"p{serial}@example.cn",
    )


def website(serial: int, *, principal_input: PrincipalInput | None = None) -> WebsiteInput:
    return WebsiteInput(
        name=f"测试网站{serial}",
        home_url=f"https://www.site{serial}.cn",
        domains=[f"site{serial}.cn", f"www.site{serial}.com"],
        service_content="综合门户",
        principal=principal_input or principal(serial),
        access=AccessInput(isp_name="浙江某云计算有限公司", method="专线", server_ips=["10.0.0.1"]),
    )


def filing(
    *,
    subject_phone: str | None = None,
    website_phones: list[str | None] | None = None,
    province: str = "33",
    serial: int = 1,
) -> FilingInput:
    """A first filing; website principals get their own phones unless given."""
    phones = website_phones if website_phones is not None else [None]
    sites = []
    for i, site_phone in enumerate(phones):
        n = serial * 100 + i + 1
        sites.append(website(n, principal_input=principal(n, mobile=site_phone)))
    return FilingInput(
        subject=SubjectInput(
            province_code=province,
            city="杭州市",
            nature=SubjectNature.ENTERPRISE,
            holder_name=f"杭州测试科技有限公司{serial}",
            doc_type=DocType.CREDIT_CODE,
            doc_number=credit_code(serial),
            document_address="浙江省杭州市西湖区文三路1号",
            mailing_address="浙江省杭州市西湖区文三路1号",
            principal=principal(serial * 100, mobile=subject_phone),
        ),
        websites=sites,
    )
