"""What a change request (变更备案) changes: each new value is checked as the entry form
would check it, then only real changes are kept, as change rows (an ID number
encrypted). Remarks count as changes but never call for an SMS (SPEC §2.1, decided
in rules/who_verifies.py).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import fields as dataclass_fields
from typing import TypeVar

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
_PHONES = frozenset({"mobile", "phone2", "emergency_phone"})


class ChangeRows:
    """The change rows of one ChangeInput against the approved records."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def rows(
        self,
        session: Session,
        subject: Subject,
        change: object,
        stored: Sequence[RequestChange] = (),
    ) -> list[RequestChange]:
        """Checks each new value as the entry form would, then keeps only real changes.
        `stored` are the rows of the change being edited again: a secret field given as
        None keeps the value they hold (ChangeInput), or stays as approved without one."""
        c = Checker(Mode.SUBMIT)
        if not isinstance(change, ChangeInput):
            c.wrong_type("change")
            c.raise_if_any()
        assert isinstance(change, ChangeInput)  # or raise_if_any raised
        sites = {w.id: w for w in subject.websites if w.status == "active"}
        kept = self._stored_secrets(stored)
        subject_fields = _kept(_fields(c, "subject", change.subject), kept, "subject", subject.id)
        subject_principal = _kept(
            _fields(c, "subject.principal", change.subject_principal),
            kept,
            "principal",
            subject.principal_id,
        )
        websites = _per_website(c, change.websites)
        website_principals = {
            website_id: _kept(
                fields,
                kept,
                "principal",
                sites[website_id].principal_id if website_id in sites else None,
            )
            for website_id, fields in _per_website(
                c, change.website_principals, ".principal"
            ).items()
        }
        rows: list[RequestChange] = []
        for website_id in sorted(set(websites) | set(website_principals)):
            if website_id not in sites:
                c.add(
                    f"websites[#{website_id}]",
                    "not_in_subject",
                    "网站不属于该主体",
                    "is not an approved website of this subject",
                )
        if subject_fields:
            base = SubjectInput(
                province_code=subject.province_code,
                nature=SubjectNature(subject.nature),
                doc_type=DocType(subject.doc_type),
                holder_name=subject.holder_name,
                doc_number=None,
                principal=self._principal_input(subject.principal),
            )
            merged, known = _merge(c, "subject", base, subject_fields, _SUBJECT_FIELDS)
            clean = check_subject(c, merged, province_codes(session))
            rows += self._diff("subject", subject.id, subject, clean, known)
        if subject_principal:
            rows += self._principal_change(
                c, "subject.principal", subject.principal, subject_principal
            )
        for website_id, fields in websites.items():
            site = sites.get(website_id)
            if site is None:
                continue
            path = f"websites[#{website_id}]"
            site_base = WebsiteInput(
                name=site.name,
                domains=[d.name for d in site.domains],
                principal=self._principal_input(site.principal),
                access=AccessInput(isp_name="-"),
            )
            site_merged, site_known = _merge(c, path, site_base, fields, _WEBSITE_FIELDS)
            if "domains" in site_known:
                site_merged.domains = check_domains(c, f"{path}.domains", fields["domains"])
            site_clean = check_website(c, path, site_merged)
            if "domains" in site_known:
                check_domains_free(session, c, f"{path}.domains", site_clean.domains, website_id)
            rows += self._diff("website", website_id, site, site_clean, site_known)
        for website_id, principal_fields in website_principals.items():
            site = sites.get(website_id)
            if site is not None:
                rows += self._principal_change(
                    c, f"websites[#{website_id}].principal", site.principal, principal_fields
                )
        c.raise_if_any()
        # One person can be the subject's and a website's principal: one row per field.
        unique = {(r.target, r.target_id, r.field): r for r in rows}
        if not unique:
            raise ValidationFailed(
                [FieldError("change", "nothing_changed", "没有任何变更", "changes nothing")]
            )
        return list(unique.values())

    def _stored_secrets(self, stored: Sequence[RequestChange]) -> dict[tuple[str, int, str], str]:
        """The secret new values of a saved change, in clear, by (target, id, field)."""
        kept: dict[tuple[str, int, str], str] = {}
        for row in stored:
            if row.field in SECRET_FIELDS and row.value_enc is not None:
                kept[(row.target, row.target_id, row.field)] = self.ctx.keys.decrypt(row.value_enc)
            elif row.field in _PHONES and row.value is not None:
                kept[(row.target, row.target_id, row.field)] = row.value
        return kept

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
        self, c: Checker, path: str, principal: Principal, fields: Mapping[object, object]
    ) -> list[RequestChange]:
        base = self._principal_input(principal)
        merged, known = _merge(c, path, base, fields, _PRINCIPAL_FIELDS)
        clean = check_principal(c, path, merged)
        return self._diff("principal", principal.id, principal, clean, known)

    def _diff(
        self,
        target: str,
        target_id: int,
        row: Subject | Website | Principal,
        clean: object,
        fields: Collection[str],
    ) -> list[RequestChange]:
        """The change rows of the fields named (each one a field the input may change)."""
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

# What a change may name: the fields of the entry form's parts, not the parts within.
_SUBJECT_FIELDS = frozenset(f.name for f in dataclass_fields(SubjectInput)) - {"principal"}
_WEBSITE_FIELDS = frozenset(f.name for f in dataclass_fields(WebsiteInput)) - {
    "principal",
    "access",
    "id",
}
_PRINCIPAL_FIELDS = frozenset(f.name for f in dataclass_fields(PrincipalInput))


def _fields(c: Checker, path: str, value: object) -> dict[object, object]:
    """One part's new values: a mapping of field names (checked by `_merge`)."""
    if not isinstance(value, Mapping):
        c.wrong_type(path)
        return {}
    return dict(value)


def _kept(
    fields: dict[object, object],
    kept: Mapping[tuple[str, int, str], str],
    target: str,
    target_id: int | None,
) -> dict[object, object]:
    """A part's new values with each None ("keep", a secret shown masked) replaced by
    the value the saved change holds, or dropped when it holds none."""
    resolved: dict[object, object] = {}
    for name, value in fields.items():
        if value is None and isinstance(name, str) and name in SECRET_FIELDS | _PHONES:
            stored = kept.get((target, target_id or 0, name))
            if stored is not None:
                resolved[name] = stored
            continue
        resolved[name] = value
    return resolved


def _per_website(c: Checker, value: object, part: str = "") -> dict[int, dict[object, object]]:
    """New values per website, keyed by the website's id."""
    if not isinstance(value, Mapping):
        c.wrong_type(f"websites{part}")
        return {}
    found: dict[int, dict[object, object]] = {}
    for website_id, fields in value.items():
        if isinstance(website_id, bool) or not isinstance(website_id, int):
            c.add("websites", "not_an_id", "应为网站编号", "must be keyed by website number")
            continue
        found[website_id] = _fields(c, f"websites[#{website_id}]{part}", fields)
    return found


def _merge(
    c: Checker,
    path: str,
    base: _Input,
    fields: Mapping[object, object],
    changeable: frozenset[str],
) -> tuple[_Input, list[str]]:
    """The record as it would be after the change, for the same checks as the entry
    form, and the names of the fields changed. An unknown name is a field error."""
    known: list[str] = []
    for name, value in fields.items():
        if not isinstance(name, str) or name not in changeable:
            shown = name if isinstance(name, str) and name.isidentifier() else "?"
            c.add(
                f"{path}.{shown}",
                "unknown_field",
                "不可变更的字段",
                "is not a field that can change",
            )
            continue
        known.append(name)
        if name != "domains":
            setattr(base, name, value)
    return base, known
