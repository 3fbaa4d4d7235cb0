"""Generated identities: credit codes, resident IDs, and the people and organisations
the demo invents.

Codes carry valid check characters (the rules' own), so they pass validation as real
ones would; `Person` and `Org` are what the generator remembers about who is who.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from beian_desktop.demo.places import City, DemoProvince, District
from beian_desktop.rules.documents import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    resident_id_check_char,
)
from beian_desktop.rules.inputs import PrincipalInput
from beian_desktop.terms import DocType, SubjectNature


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(6))
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    total = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: random.Random, region: str, prefix: str = "91") -> str:
    """A unified social credit code: registering authority and kind, region, org code."""
    first17 = f"{prefix}{region}{_org_code(rng)}"
    return first17 + credit_code_check_char(first17)


def resident_id(rng: random.Random, region: str, born: date, male: bool) -> str:
    serial = rng.randrange(500) * 2 + (1 if male else 0)  # odd for men, even for women
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


@dataclass
class Person:
    name: str
    pinyin: str
    doc_number: str
    mobile: str
    email: str
    phone2: str = ""

    def principal(self, mobile: str | None = None) -> PrincipalInput:
        return PrincipalInput(
            name=self.name,
            doc_type=DocType.RESIDENT_ID,
            doc_number=self.doc_number,
            mobile=self.mobile if mobile is None else mobile,
            phone2=self.phone2,
            email=self.email,
        )

    @property
    def last6(self) -> str:
        return self.doc_number[-6:]


@dataclass
class Org:
    """A subject as the generator knows it: who it is, where, and its names for sites."""

    province: DemoProvince
    city: City
    district: District
    nature: SubjectNature
    holder_name: str
    doc_number: str
    brand: str  # what its websites are called after
    brand_py: str  # and what their domains start with
    main_domain: str  # its own domain: the official site's, and the staff's mail
    contents: tuple[str, ...]  # what its websites do, in the order it files them
    owner: Person
    address: str
    mailing_address: str
    investor: str
    used_contents: set[str] = field(default_factory=set)
