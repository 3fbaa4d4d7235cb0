"""What a change request (变更备案) changes: each new value is checked as the entry form
would check it, then only real changes are kept, as change rows (an ID number
encrypted). Remarks count as changes but never call for an SMS (SPEC §2.1, decided
in rules/who_verifies.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TypeVar, cast

from sqlalchemy.orm import Session

from beian_desktop.models import Principal, RequestChange, Subject, Website
from beian_desktop.rules.errors import FieldError, ValidationFailed
from beian_desktop.rules.inputs import (
    AccessInput,
    ChangeInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.validation import (
    Checker,
    Mode,
    check_domains,
    check_principal,
    check_subject,
    check_website,
)
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.records import check_domains_free, doc_hash, province_codes
from beian_desktop.terms import DocType, SubjectNature

SECRET_FIELDS = frozenset({"doc_number"})


class ChangeRows:
    """The change rows of one ChangeInput against the approved records."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def rows(self, session: Session, subject: Subject, change: ChangeInput) -> list[RequestChange]:
        """Checks each new value as the entry form would, then keeps only real changes."""
        c = Checker(Mode.SUBMIT)
        rows: list[RequestChange] = []
        sites = {w.id: w for w in subject.websites if w.status == "active"}
        for website_id in set(change.websites) | set(change.website_principals):
            if website_id not in sites:
                c.add(
                    f"websites[#{website_id}]",
                    "not_in_subject",
                    "网站不属于该主体",
                    "is not an approved website of this subject",
                )
        if change.subject:
            base = SubjectInput(
                province_code=subject.province_code,
                nature=SubjectNature(subject.nature),
                doc_type=DocType(subject.doc_type),
                holder_name=subject.holder_name,
                doc_number=None,
                principal=self._principal_input(subject.principal),
            )
            merged = _merge(c, "subject", base, change.subject)
            clean = check_subject(c, merged, province_codes(session))
            rows += self._diff("subject", subject.id, subject, clean, change.subject)
        if change.subject_principal:
            rows += self._principal_change(
                c, "subject.principal", subject.principal, change.subject_principal
            )
        for website_id, fields in change.websites.items():
            site = sites.get(website_id)
            if site is None:
                continue
            site_base = WebsiteInput(
                name=site.name,
                domains=[d.name for d in site.domains],
                principal=self._principal_input(site.principal),
                access=AccessInput(isp_name="-"),
            )
            site_merged = _merge(c, f"websites[#{website_id}]", site_base, fields)
            if "domains" in fields:
                domains = cast(Iterable[str], fields["domains"])  # "domains" takes a list
                site_merged.domains = check_domains(
                    c, f"websites[#{website_id}].domains", list(domains)
                )
            site_clean = check_website(c, f"websites[#{website_id}]", site_merged)
            if "domains" in fields:
                check_domains_free(
                    session, c, f"websites[#{website_id}].domains", site_clean.domains, website_id
                )
            rows += self._diff("website", website_id, site, site_clean, fields)
        for website_id, principal_fields in change.website_principals.items():
            site = sites.get(website_id)
            if site is not None:
                rows += self._principal_change(
                    c, f"websites[#{website_id}].principal", site.principal, principal_fields
                )
        c.raise_if_any()
        if not rows:
            raise ValidationFailed(
                [FieldError("change", "nothing_changed", "没有任何变更", "changes nothing")]
            )
        return rows

    def _principal_input(self, p: Principal) -> PrincipalInput:
        return PrincipalInput(
            name=p.name,
            doc_type=DocType(p.doc_type),
            doc_number=None,
            mobile=p.mobile,
            phone2=p.phone2,
            emergency_phone=p.emergency_phone,
            email=p.email,
        )

    def _principal_change(
        self, c: Checker, path: str, principal: Principal, fields: dict[str, str]
    ) -> list[RequestChange]:
        merged = _merge(c, path, self._principal_input(principal), fields)
        if "doc_number" in fields:
            merged.doc_number = fields["doc_number"]
        clean = check_principal(c, path, merged)
        return self._diff("principal", principal.id, principal, clean, fields)

    def _diff(
        self,
        target: str,
        target_id: int,
        row: Subject | Website | Principal,
        clean: object,
        fields: Mapping[str, object],
    ) -> list[RequestChange]:
        rows = []
        for name in fields:
            new = getattr(clean, name)
            if name == "domains":
                assert isinstance(row, Website)  # only a website has domains
                old: object = [d.name for d in row.domains]
                if new != old:
                    rows.append(
                        RequestChange(
                            target=target, target_id=target_id, field=name, value=json.dumps(new)
                        )
                    )
                continue
            if name in SECRET_FIELDS:
                assert isinstance(row, Subject | Principal)  # a website has no document
                if new is not None and doc_hash(self.ctx, new) != row.doc_number_hash:
                    rows.append(
                        RequestChange(
                            target=target,
                            target_id=target_id,
                            field=name,
                            value_enc=self.ctx.keys.encrypt(new),
                        )
                    )
                continue
            if str(new) != str(getattr(row, name)):
                rows.append(
                    RequestChange(target=target, target_id=target_id, field=name, value=str(new))
                )
        return rows


_Input = TypeVar("_Input", SubjectInput, WebsiteInput, PrincipalInput)


def _merge(c: Checker, path: str, base: _Input, fields: Mapping[str, object]) -> _Input:
    """The record as it would be after the change, for the same checks as the entry form."""
    for name, value in fields.items():
        if not hasattr(base, name) or name in {"principal", "access", "id"}:
            c.add(
                f"{path}.{name}",
                "unknown_field",
                "不可变更的字段",
                "is not a field that can change",
            )
            continue
        if name != "domains":
            setattr(base, name, value)
    return base
