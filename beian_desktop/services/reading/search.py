"""The filings list's search box: what a typed text matches, as a predicate on
`requests`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select, union

from beian_desktop.models import (
    Domain,
    Principal,
    Request,
    RequestWebsite,
    Subject,
    VerificationRound,
    Verifier,
    Website,
)
from beian_desktop.rules.documents import normalize_document_number
from beian_desktop.rules.domains import normalize_domain
from beian_desktop.rules.errors import InvalidValue
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.fragments import HasFragment
from beian_desktop.terms import DocType

# Document types whose check character makes a typed number unmistakable; a number
# shaped like a passport or a permit may also be a name ("51job"), so those are
# searched as numbers AND as a name prefix.
STRONG_DOC_TYPES = (DocType.RESIDENT_ID, DocType.CREDIT_CODE, DocType.FOREIGN_PERMANENT_ID)


def _prefix_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with `prefix` (None: none)."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    following = last + 1 if last + 1 != 0xD800 else 0xE000  # skip the surrogates
    return prefix[:-1] + chr(following)


class Search:
    """What the search box matches, as a predicate on `requests`.

    A mobile number: a principal of the request's subject or websites, or a verifier
    of any of its rounds. An ID number (keyed hash, exact): principals and subjects. A
    domain (normalised, exact; Unicode or punycode typed). Any other text, and one
    that could also be a name (a passport-shaped "51JOB", a domain), is a fragment:
    two characters or more anywhere in the subject's holder name or the name or a
    domain of a website of the request, letters in any case (fragments.py). One
    character is no fragment (it would match most requests, and no index holds
    single characters): it is the beginning of the holder name, case-sensitive, an
    index range.
    """

    def __init__(self, ctx: ServiceContext, text: str, today: date) -> None:
        self.exact: list[Select[Any]] = []
        self.name: str | None = None  # a one-character prefix
        self.fragment: str | None = None
        text = text.strip()
        if not text:
            return
        name_too = True
        try:
            number = parse_mobile(text).number
        except InvalidValue:
            pass
        else:
            name_too = False
            self._via_principals(Principal.mobile == number)
            self.exact.append(
                select(VerificationRound.request_id.label("id"))
                .join(Verifier, Verifier.round_id == VerificationRound.id)
                .where(Verifier.phone == number)
            )
        if any(c.isdigit() for c in text):
            hashes: set[str] = set()
            for doc_type in DocType:
                try:
                    normal = normalize_document_number(doc_type, text, today=today)
                except InvalidValue:
                    continue
                hashes.add(ctx.keys.keyed_hash("doc", normal))
                if doc_type in STRONG_DOC_TYPES:
                    name_too = False
            if hashes:
                wanted = sorted(hashes)
                self._via_principals(Principal.doc_number_hash.in_(wanted))
                self.exact.append(
                    select(Request.id)
                    .join(Subject, Subject.id == Request.subject_id)
                    .where(Subject.doc_number_hash.in_(wanted))
                )
        if "." in text or "。" in text:
            try:
                domain = normalize_domain(text)
            except InvalidValue:
                pass
            else:
                self.exact.append(
                    select(RequestWebsite.request_id.label("id"))
                    .join(Domain, Domain.website_id == RequestWebsite.website_id)
                    .where(Domain.name == domain)
                )
        if name_too and len(text) == 1:
            self.name = text
        elif name_too:
            self.fragment = text

    def _via_principals(self, principal_matches: ColumnElement[bool]) -> None:
        self.exact.append(
            select(Request.id)
            .join(Subject, Subject.id == Request.subject_id)
            .join(Principal, Principal.id == Subject.principal_id)
            .where(principal_matches)
        )
        self.exact.append(
            select(RequestWebsite.request_id.label("id"))
            .join(Website, Website.id == RequestWebsite.website_id)
            .join(Principal, Principal.id == Website.principal_id)
            .where(principal_matches)
        )

    def __bool__(self) -> bool:
        return bool(self.exact) or self.name is not None or self.fragment is not None

    def only_fragment(self) -> str | None:
        """The fragment, when the text is nothing else (no number, no domain)."""
        return self.fragment if not self.exact else None

    def named(self) -> list[ColumnElement[bool]]:
        """The holder name is in the prefix's range (an index range of holder_name)."""
        assert self.name is not None
        where = [
            Subject.holder_name >= self.name,
            Subject.holder_name.startswith(self.name, autoescape=True),
        ]
        bound = _prefix_bound(self.name)
        if bound is not None:
            where.append(Subject.holder_name < bound)
        return where

    def predicate(self) -> ColumnElement[bool]:
        """The requests found, as a predicate on `requests`: exact matches as an id
        list (small), a prefix as the requests of the subjects in its range, a
        fragment as the ids its index finds."""
        parts: list[ColumnElement[bool]] = []
        if self.exact:
            parts.append(Request.id.in_(union(*self.exact)))
        if self.name is not None:
            parts.append(Request.subject_id.in_(select(Subject.id).where(*self.named())))
        if self.fragment is not None:
            parts.append(HasFragment(Request.id, self.fragment))
        return or_(*parts)
