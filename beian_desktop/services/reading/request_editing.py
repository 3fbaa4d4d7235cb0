"""A draft or a returned request of any business type, handed back as its entry dialog
edits it (rules/entry_forms.EditableRequest): a first filing's or a new website's
inputs as stored, a new access's website and access, a change as the approved filing
with the stored change applied, a phone change's principal and new number, a
cancellation's record. Every ID number and phone leaves masked (SPEC §7).
"""

from __future__ import annotations

import copy
import json
from typing import TypedDict

from sqlalchemy.orm import Session

from beian_desktop.models import AccessRecord, Request, RequestChange, Subject, Website
from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.domains import display_domain
from beian_desktop.rules.entry_forms import (
    AccessEditing,
    CancellationEditing,
    ChangeEditing,
    EditableRequest,
    PhoneChangeEditing,
    RequestForEditing,
    WebsiteEditing,
)
from beian_desktop.rules.errors import NotFound, RequestNotEditable
from beian_desktop.rules.inputs import AccessInput, FilingInput
from beian_desktop.rules.phones import mask_phone
from beian_desktop.services.filing.records import EDITABLE_STATES
from beian_desktop.services.reading.entry_pickers import EntryPickerQueries
from beian_desktop.terms import BusinessType, DocType, SubjectNature

_PHONES = frozenset({"mobile", "phone2", "emergency_phone"})


class _Head(TypedDict):
    """The fields every shape of an EditableRequest starts with."""

    request_id: int
    business_type: str
    state: str
    return_reason: str | None


class RequestEditingQueries(EntryPickerQueries):
    """`queries.request_for_editing`, beside the pickers whose pieces it uses."""

    def request_for_editing(self, *, session: str, request_id: int) -> EditableRequest:
        """A draft or returned request as its entry dialog edits it; a request in any
        other state is refused (RequestNotEditable)."""
        with self.ctx.acting(
            session, "queries.request_for_editing", read=True, request_id=request_id
        ) as act:
            db = act.db
            request = db.get(Request, request_id)
            if request is None:
                raise NotFound("request", request_id)
            if request.state not in EDITABLE_STATES:
                raise RequestNotEditable(request_id, request.state)
            kind = BusinessType(request.business_type)
            head: _Head = {
                "request_id": request.id,
                "business_type": request.business_type,
                "state": request.state,
                "return_reason": request.return_reason,
            }
            subject = db.get_one(Subject, request.subject_id)
            if kind is BusinessType.NEW_FILING:
                return self._new_filing(db, request, subject, head)
            if kind is BusinessType.NEW_WEBSITE:
                masked: dict[str, str] = {}
                link = request.website_links[0]
                website = self._website_input(
                    db.get_one(Website, link.website_id), "website", masked, link.access_id
                )
                return WebsiteEditing(
                    **head,
                    subject=self._subject_choice(db, subject),
                    website=website,
                    masked=masked,
                )
            if kind is BusinessType.NEW_ACCESS:
                link = request.website_links[0]
                access = db.get_one(AccessRecord, link.access_id)
                return AccessEditing(
                    **head,
                    website=self._website_choice(db.get_one(Website, link.website_id)),
                    access=AccessInput(
                        isp_name=access.isp_name,
                        method=access.method,
                        server_ips=[ip for ip in access.server_ips.split(",") if ip],
                    ),
                )
            if kind is BusinessType.CHANGE:
                return self._change(db, request, subject, head)
            if kind is BusinessType.CHANGE_PHONE:
                change = request.changes[0]
                return PhoneChangeEditing(
                    **head,
                    subject=self._subject_choice(db, subject),
                    principal_id=change.target_id,
                    new_mobile_masked=mask_phone(change.value or ""),
                )
            if kind is BusinessType.CANCEL_SUBJECT:
                return CancellationEditing(**head, subject=self._subject_choice(db, subject))
            website_row = db.get_one(Website, request.website_links[0].website_id)
            return CancellationEditing(**head, website=self._website_choice(website_row))

    def _new_filing(
        self, db: Session, request: Request, subject: Subject, head: _Head
    ) -> RequestForEditing:
        masked: dict[str, str] = {}
        filing = FilingInput(
            subject=self._subject_input(subject, masked),
            websites=[
                self._website_input(
                    db.get_one(Website, link.website_id), f"websites[{i}]", masked, link.access_id
                )
                for i, link in enumerate(request.website_links)
            ],
        )
        return RequestForEditing(
            request_id=request.id,
            business_type=request.business_type,
            state=request.state,
            filing=filing,
            return_reason=request.return_reason,
            masked=masked,
        )

    def _change(
        self, db: Session, request: Request, subject: Subject, head: _Head
    ) -> ChangeEditing:
        """The approved filing, and a copy of it with each stored change row applied
        where the form shows that field (a principal in every place the person is)."""
        approved = self._approved(db, subject)
        edited = copy.deepcopy(approved.filing)
        masked = dict(approved.masked)
        kept: dict[str, str] = {}
        sites = [w for w in subject.websites if w.status == "active"]
        for row in request.changes:
            if row.target == "subject" and row.target_id == subject.id:
                self._apply(edited.subject, "subject", row, masked, kept)
            elif row.target == "website":
                for i, site in enumerate(sites):
                    if site.id == row.target_id:
                        self._apply(edited.websites[i], f"websites[{i}]", row, masked, kept)
            elif row.target == "principal":
                if subject.principal_id == row.target_id:
                    principal = edited.subject.principal
                    self._apply(principal, "subject.principal", row, masked, kept)
                for i, site in enumerate(sites):
                    if site.principal_id == row.target_id:
                        path = f"websites[{i}].principal"
                        self._apply(edited.websites[i].principal, path, row, masked, kept)
        return ChangeEditing(**head, approved=approved, edited=edited, masked=masked, kept=kept)

    def _apply(
        self,
        part: object,
        path: str,
        row: RequestChange,
        masked: dict[str, str],
        kept: dict[str, str],
    ) -> None:
        """One change row on the form's copy; a secret stays None, its new value masked."""
        name = row.field
        if name == "doc_number":
            shown = mask_document_number(self.ctx.keys.decrypt(row.value_enc or b""))
            masked[f"{path}.{name}"] = kept[f"{path}.{name}"] = shown
            return
        if name in _PHONES:
            shown = mask_phone(row.value) if row.value else ""
            masked[f"{path}.{name}"] = kept[f"{path}.{name}"] = shown
            return
        value: object = row.value or ""
        if name == "domains":
            value = [display_domain(d) for d in json.loads(row.value or "[]")]
        elif name == "nature":
            value = SubjectNature(row.value or "")
        elif name == "doc_type":
            value = DocType(row.value or "")
        setattr(part, name, value)
