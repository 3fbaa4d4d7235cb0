"""The random data makers: phone numbers, people, organisations, domains, websites and
whole filings, each drawn from the seeded rng.

They remember what they handed out (numbers, IDs, domains, holders) so nothing repeats,
and who holds each phone, which is how the people in the story read their codes later.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from beian_desktop.demo.identities import Org, Person, credit_code, resident_id
from beian_desktop.demo.places import (
    ACCESS_METHODS,
    ASSOCIATIONS,
    BLOGS,
    BRANDS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    GOVERNMENT,
    INDUSTRIES,
    ISP_NAME,
    MAIL_HOSTS,
    PHONE_SEGMENTS,
    PHONE_WEIGHTS,
    PROVINCES,
    SCHOOLS,
    SITE_KINDS,
    SURNAMES,
    City,
    DemoProvince,
    District,
)
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.terms import DocType, SubjectNature


class DemoMakers:
    """Makes up people, organisations and their filings; never touches the database."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: dict[str, Person] = {}  # phone -> the person who holds it
        self.used_phones: set[str] = set()
        self.used_ids: set[str] = set()
        self.used_domains: set[str] = set()
        self.used_holders: set[str] = set()
        # The first people and subjects go round every carrier and province once.
        self.carrier_cycle = ["virtual", "telecom", "unicom", "mobile"]
        self.province_cycle = list(reversed(PROVINCES))

    def province(self) -> DemoProvince:
        if self.province_cycle:
            return self.province_cycle.pop()
        return self.rng.choices(PROVINCES, weights=[p.weight for p in PROVINCES])[0]

    # -- people ----------------------------------------------------------------------------
    def mobile(self) -> str:
        carrier = (
            self.carrier_cycle.pop()
            if self.carrier_cycle
            else self.rng.choices(list(PHONE_WEIGHTS), weights=list(PHONE_WEIGHTS.values()))[0]
        )
        while True:
            segment = self.rng.choice(PHONE_SEGMENTS[carrier])
            number = segment + "".join(
                str(self.rng.randrange(10)) for _ in range(11 - len(segment))
            )
            if number in self.used_phones:
                continue
            try:
                parse_mobile(number)
            except ValueError:
                continue
            self.used_phones.add(number)
            return number

    def person(self, region: str, *, mail_host: str | None = None) -> Person:
        male = self.rng.random() < 0.55
        surname, surname_py = self.rng.choice(SURNAMES)
        given, given_py = self.rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
        if self.rng.random() < 0.2:  # born elsewhere
            region = self.rng.choice(
                [d.code for p in PROVINCES for c in p.cities for d in c.districts]
            )
        while True:
            born = date(1962, 1, 1) + timedelta(days=self.rng.randrange(39 * 365))
            number = resident_id(self.rng, region, born, male)
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        pinyin = surname_py + given_py
        if mail_host:
            email = f"{pinyin}@{mail_host}"
        elif self.rng.random() < 0.4:
            email = f"{self.rng.randrange(10_000_000, 2_999_999_999)}@qq.com"
        else:
            email = f"{pinyin}{born:%y}@{self.rng.choice(MAIL_HOSTS)}"
        p = Person(surname + given, pinyin, number, self.mobile(), email)
        self.people[p.mobile] = p
        return p

    def new_number_for(self, person: Person) -> str:
        number = self.mobile()
        self.people[number] = person
        return number

    # -- organisations and websites -----------------------------------------------------------
    def domain(self, *stems: str, tlds: tuple[str, ...] = ("cn", "com", "com.cn", "net")) -> str:
        weights = (35, 35, 15, 10, 5)[: len(tlds)]
        for stem in stems:
            for _ in range(3):
                name = f"{stem}.{self.rng.choices(tlds, weights=weights)[0]}"
                if name not in self.used_domains:
                    self.used_domains.add(name)
                    return name
        while True:
            name = f"{stems[0]}{self.rng.randrange(10, 100)}.{tlds[0]}"
            if name not in self.used_domains:
                self.used_domains.add(name)
                return name

    def address(self, province: DemoProvince, city: City, district: District) -> str:
        head = city.name if province.municipality else province.name + city.name
        street = self.rng.choice(district.streets)
        number = self.rng.randrange(1, 600)
        tail = self.rng.choice(
            [
                "",
                f"{self.rng.randrange(1, 12)}幢{self.rng.randrange(2, 25)}"
                f"0{self.rng.randrange(1, 9)}室",
                f"{self.rng.choice('ABC')}座{self.rng.randrange(3, 30)}层",
            ]
        )
        return f"{head}{district.name}{street}{number}号{tail}"

    def org(self, province: DemoProvince, nature: SubjectNature | None = None) -> Org:
        rng = self.rng
        city = rng.choice(province.cities)
        district = rng.choice(city.districts)
        if nature is None:
            natures = [
                SubjectNature.ENTERPRISE,
                SubjectNature.INDIVIDUAL,
                SubjectNature.INSTITUTION,
                SubjectNature.SOCIAL_GROUP,
                SubjectNature.GOVERNMENT,
            ]
            nature = rng.choices(natures, weights=[70, 15, 6, 5, 4])[0]
        address = self.address(province, city, district)
        mailing = address if rng.random() < 0.7 else self.address(province, city, district)
        if nature is SubjectNature.ENTERPRISE:
            while True:
                brand, brand_py = rng.choice(BRANDS)
                industry, industry_py, contents = rng.choice(INDUSTRIES)
                kind = "股份有限公司" if rng.random() < 0.1 else "有限公司"
                holder = f"{city.name.removesuffix('市')}{brand}{industry}{kind}"
                if holder not in self.used_holders:
                    break
            stem = f"{brand_py}{industry_py}" if rng.random() < 0.35 else brand_py
            main = self.domain(stem, f"{city.short}{brand_py}", f"{brand_py}{industry_py}")
            owner = self.person(district.code)
            investor = owner.name if rng.random() < 0.6 else f"{brand}控股集团有限公司"
            doc = credit_code(rng, district.code, "91")
            others = tuple(c for c in contents if c != "企业官网")
            # Most companies file their official site first; some start with a shop.
            kinds = ("企业官网", *others) if rng.random() < 0.75 else (*others, "企业官网")
            return Org(
                province, city, district, nature, holder, doc, brand, brand_py, main, kinds,
                owner, address, mailing, investor,
            )  # fmt: skip
        if nature is SubjectNature.INDIVIDUAL:
            owner = self.person(district.code)
            tlds = ("com", "cn", "top")
            main = self.domain(owner.pinyin, f"{owner.pinyin}blog", tlds=tlds)
            return Org(
                province, city, district, nature, owner.name, owner.doc_number, owner.name,
                owner.pinyin, main, ("个人博客",), owner, address, mailing, owner.name,
            )  # fmt: skip
        if nature is SubjectNature.INSTITUTION:
            school, py = rng.choice(SCHOOLS)
            holder, doc = f"{city.name}{school}", credit_code(rng, district.code, "12")
            investor, stem, tld = f"{city.name}教育局", f"{city.short}{py}", "edu.cn"
            content = "学校门户"
        elif nature is SubjectNature.SOCIAL_GROUP:
            name, py, supervisor = rng.choice(ASSOCIATIONS)
            holder, doc = f"{city.name}{name}", credit_code(rng, district.code, "51")
            investor, stem, tld = f"{city.name}{supervisor}", f"{city.short}{py}", "org.cn"
            content = "协会门户"
        else:
            dept, py = rng.choice(GOVERNMENT)
            holder, doc = f"{city.name}{district.name}{dept}", credit_code(rng, district.code, "11")
            investor, tld = f"{city.name}{district.name}人民政府", "gov.cn"
            stem, content = f"{district.pinyin}{py}", "政务信息公开"
        if holder in self.used_holders or f"{stem}.{tld}" in self.used_domains:
            return self.org(province, SubjectNature.ENTERPRISE)
        owner = self.person(district.code)
        main = self.domain(stem, tlds=(tld,))
        return Org(
            province, city, district, nature, holder, doc, holder, stem, main, (content,),
            owner, address, mailing, investor,
        )  # fmt: skip

    def access(self) -> AccessInput:
        methods = [m for m, _ in ACCESS_METHODS]
        method = self.rng.choices(methods, weights=[w for _, w in ACCESS_METHODS])[0]
        net = self.rng.choice(("203.0.113", "198.51.100", "192.0.2"))
        count = 1 if self.rng.random() < 0.7 else 2
        ips = [f"{net}.{self.rng.randrange(2, 250)}" for _ in range(count)]
        return AccessInput(isp_name=ISP_NAME, method=method, server_ips=list(dict.fromkeys(ips)))

    def next_content(self, org: Org) -> str:
        """What the organisation's next website does: its own kinds first, then others."""
        for content in org.contents:
            if content not in org.used_contents:
                return content
        others = [c for c in SITE_KINDS if c not in org.used_contents]
        return self.rng.choice(others or list(org.contents))

    def website(self, org: Org, principal: PrincipalInput) -> WebsiteInput:
        rng = self.rng
        content = self.next_content(org)
        org.used_contents.add(content)
        preapproval = ("", "")
        if org.nature is SubjectNature.INDIVIDUAL:
            suffix, content = rng.choice(BLOGS)
            name, domains = f"{org.owner.name}{suffix}", [org.main_domain]
        elif org.nature is not SubjectNature.ENTERPRISE:
            name = org.holder_name
            if org.nature is SubjectNature.GOVERNMENT:
                name += "门户网站"
            domains = [org.main_domain, f"www.{org.main_domain}"]
        elif content == "企业官网":
            name = f"{org.brand}官网"
            domains = [org.main_domain, f"www.{org.main_domain}"]
        else:
            label, word, idn_word = SITE_KINDS[content]
            name = f"{org.brand}{label}"
            idn = f"{org.brand}{idn_word}.{rng.choice(('中国', 'cn', '公司'))}"
            if rng.random() < 0.25 and idn not in self.used_domains:  # a Chinese domain
                self.used_domains.add(idn)
                domains = [idn]
            else:
                stem = f"{org.brand_py}{word}"
                domains = [self.domain(stem, f"{org.city.short}{stem}")]
            if content == "药品信息展示":
                year = rng.randrange(2020, 2026)
                preapproval = (
                    "药品和医疗器械",
                    f"({org.province.abbr})-非经营性-{year}-{rng.randrange(1, 300):04d}",
                )
        main = domains[-1] if domains[-1].startswith("www.") else domains[0]
        return WebsiteInput(
            name=name,
            home_url=f"https://{main}",
            domains=domains,
            service_content=content,
            language="zh_CN" if rng.random() < 0.85 else "zh_CN,en_US",
            preapproval_type=preapproval[0],
            preapproval_number=preapproval[1],
            principal=principal,
            access=self.access(),
        )

    def staff_member(self, org: Org) -> Person:
        host = None
        if org.nature is not SubjectNature.INDIVIDUAL and self.rng.random() < 0.5:
            host = org.main_domain
        return self.person(org.district.code, mail_host=host)

    def filing(self, org: Org, websites: int) -> FilingInput:
        owner = org.owner
        owner.phone2 = (
            f"{org.city.area_code}-{self.rng.randrange(5, 9)}{self.rng.randrange(10**6, 10**7)}"
            if org.nature is not SubjectNature.INDIVIDUAL and self.rng.random() < 0.6
            else ""
        )
        sites = []
        for i in range(websites):
            same = i == 0 and (org.nature is SubjectNature.INDIVIDUAL or self.rng.random() < 0.4)
            keeper = owner if same else self.staff_member(org)
            sites.append(self.website(org, keeper.principal()))
        doc_type = (
            DocType.RESIDENT_ID if org.nature is SubjectNature.INDIVIDUAL else DocType.CREDIT_CODE
        )
        return FilingInput(
            subject=SubjectInput(
                province_code=org.province.code,
                city=org.city.name,
                nature=org.nature,
                holder_name=org.holder_name,
                doc_type=doc_type,
                doc_number=org.doc_number,
                document_address=org.address,
                mailing_address=org.mailing_address,
                investor=org.investor,
                principal=owner.principal(),
            ),
            websites=sites,
        )
