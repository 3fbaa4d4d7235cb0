"""What the entry dialogs read: approved subjects and websites found by a fragment (the
pickers of 新增网站, 新增接入, the cancellations and 变更手机号码), and an approved
filing handed back as the inputs a change form edits.

The pickers search a fragment of the holder name, a website name, a domain or an ICP
number with `LIKE '%…%'` over the approved records only: a few thousand rows an ISP
hosts, not the million requests the filings list pages over (services/reading/
search.py serves that). Every ID number and phone leaves here masked (SPEC §7).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from beian_desktop.models import Domain, Principal, Province, Subject, Website
from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.domains import display_domain
from beian_desktop.rules.entry_forms import (
    ApprovedFiling,
    PrincipalChoice,
    SubjectChoice,
    WebsiteChoice,
)
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import mask_phone
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.records import active_subject
from beian_desktop.services.reading.sql_helpers import check_limit
from beian_desktop.terms import DocType, Role, SubjectNature

ACTIVE = "active"


def _pattern(fragment: str) -> str:
    escaped = fragment.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _active_sites(subject: Subject) -> list[Website]:
    return [w for w in subject.websites if w.status == ACTIVE]


class EntryPickerQueries:
    """The entry dialogs' reads (rules/entry_forms.py)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- the pickers -------------------------------------------------------------------------
    def find_approved_subjects(
        self, *, session: str, text: str = "", limit: int = 50
    ) -> list[SubjectChoice]:
        """Approved subjects whose holder name, ICP number, or one of whose approved
        websites' names or domains hold `text`; newest approved first."""
        limit = check_limit(limit)
        with self.ctx.acting(session, "queries.find_approved_subjects", read=True) as act:
            db = act.db
            query = select(Subject).where(Subject.status == ACTIVE)
            if text.strip():
                like = _pattern(text)
                sites = (
                    select(Website.subject_id)
                    .outerjoin(Domain, Domain.website_id == Website.id)
                    .where(Website.status == ACTIVE)
                    .where(
                        or_(
                            Website.name.like(like, escape="\\"),
                            Domain.name.like(like, escape="\\"),
                            Website.icp_number.like(like, escape="\\"),
                        )
                    )
                )
                query = query.where(
                    or_(
                        Subject.holder_name.like(like, escape="\\"),
                        Subject.icp_number.like(like, escape="\\"),
                        Subject.id.in_(sites),
                    )
                )
            subjects = db.scalars(query.order_by(Subject.id.desc()).limit(limit)).all()
            return [self._subject_choice(db, s) for s in subjects]

    def find_approved_websites(
        self, *, session: str, text: str = "", subject_id: int | None = None, limit: int = 50
    ) -> list[WebsiteChoice]:
        """Approved websites whose name, domain, ICP number or subject's holder name
        holds `text` (of one subject, with `subject_id`); newest first."""
        limit = check_limit(limit)
        with self.ctx.acting(session, "queries.find_approved_websites", read=True) as act:
            db = act.db
            query = (
                select(Website)
                .join(Subject, Subject.id == Website.subject_id)
                .where(Website.status == ACTIVE, Subject.status == ACTIVE)
            )
            if subject_id is not None:
                query = query.where(Website.subject_id == subject_id)
            if text.strip():
                like = _pattern(text)
                domains = select(Domain.website_id).where(Domain.name.like(like, escape="\\"))
                query = query.where(
                    or_(
                        Website.name.like(like, escape="\\"),
                        Website.icp_number.like(like, escape="\\"),
                        Subject.holder_name.like(like, escape="\\"),
                        Website.id.in_(domains),
                    )
                )
            sites = db.scalars(query.order_by(Website.id.desc()).limit(limit)).all()
            return [self._website_choice(w) for w in sites]

    # -- an approved filing, as a change form edits it ---------------------------------------
    def approved_filing(self, *, session: str, subject_id: int) -> ApprovedFiling:
        """The subject and its approved websites as inputs, each website with its `id`.
        ID numbers and phones are None ("keep", rules/inputs.py); their masked text is
        in `masked` under the form's path for the field."""
        with self.ctx.acting(session, "queries.approved_filing", read=True) as act:
            return self._approved(act.db, active_subject(act.db, subject_id))

    def _approved(self, db: Session, subject: Subject) -> ApprovedFiling:
        """An approved subject's filing as a change form starts from it."""
        masked: dict[str, str] = {}
        sites = _active_sites(subject)
        filing = FilingInput(
            subject=self._subject_input(subject, masked),
            websites=[
                self._website_input(w, f"websites[{i}]", masked) for i, w in enumerate(sites)
            ],
        )
        province = db.get_one(Province, subject.province_code)
        return ApprovedFiling(
            subject_id=subject.id,
            icp_number=subject.icp_number or "",
            province_name=province.name_zh,
            filing=filing,
            website_icp_numbers=tuple(w.icp_number or "" for w in sites),
            principals=self._principals(subject),
            masked=masked,
        )

    # -- pieces ------------------------------------------------------------------------------
    def _subject_choice(self, db: Session, s: Subject) -> SubjectChoice:
        province = db.get_one(Province, s.province_code)
        return SubjectChoice(
            subject_id=s.id,
            holder_name=s.holder_name,
            icp_number=s.icp_number or "",
            province_name=province.name_zh,
            nature=s.nature,
            principal_name=s.principal.name,
            websites=len(_active_sites(s)),
        )

    def _website_choice(self, w: Website) -> WebsiteChoice:
        return WebsiteChoice(
            website_id=w.id,
            subject_id=w.subject_id,
            name=w.name,
            domains=tuple(display_domain(d.name) for d in w.domains),
            icp_number=w.icp_number or "",
            subject_name=w.subject.holder_name,
            principal_name=w.principal.name,
            isp_names=tuple(a.isp_name for a in w.access_records if a.status == ACTIVE),
        )

    def _subject_input(self, subject: Subject, masked: dict[str, str]) -> SubjectInput:
        masked["subject.doc_number"] = mask_document_number(
            self.ctx.keys.decrypt(subject.doc_number_enc)
        )
        return SubjectInput(
            province_code=subject.province_code,
            city=subject.city,
            nature=SubjectNature(subject.nature),
            holder_name=subject.holder_name,
            doc_type=DocType(subject.doc_type),
            doc_number=None,
            document_address=subject.document_address,
            mailing_address=subject.mailing_address,
            investor=subject.investor,
            remarks=subject.remarks,
            principal=self._principal_input(subject.principal, "subject.principal", masked),
        )

    def _principal_input(self, p: Principal, path: str, masked: dict[str, str]) -> PrincipalInput:
        masked[f"{path}.doc_number"] = mask_document_number(self.ctx.keys.decrypt(p.doc_number_enc))
        for name in ("mobile", "phone2", "emergency_phone"):
            value = getattr(p, name)
            masked[f"{path}.{name}"] = mask_phone(value) if value else ""
        return PrincipalInput(
            name=p.name,
            doc_type=DocType(p.doc_type),
            doc_number=None,
            mobile=None,
            phone2=None,
            emergency_phone=None,
            email=p.email,
        )

    def _website_input(
        self, w: Website, path: str, masked: dict[str, str], access_id: int | None = None
    ) -> WebsiteInput:
        """With `access_id`, that access record (a request's); else the active one."""
        records = [a for a in w.access_records if a.id == access_id] or [
            a for a in w.access_records if a.status == ACTIVE
        ]
        access = records[0] if records else None
        return WebsiteInput(
            id=w.id,
            name=w.name,
            home_url=w.home_url,
            domains=[display_domain(d.name) for d in w.domains],
            service_content=w.service_content,
            language=w.language,
            preapproval_type=w.preapproval_type,
            preapproval_number=w.preapproval_number,
            remarks=w.remarks,
            principal=self._principal_input(w.principal, f"{path}.principal", masked),
            access=AccessInput(
                isp_name=access.isp_name if access else "",
                method=access.method if access else "",
                server_ips=[ip for ip in (access.server_ips if access else "").split(",") if ip],
            ),
        )

    def _principals(self, subject: Subject) -> tuple[PrincipalChoice, ...]:
        """The subject principal first, then each website's, each person once."""
        roles: dict[int, list[str]] = {subject.principal_id: [Role.SUBJECT_PRINCIPAL.value]}
        people = {subject.principal_id: subject.principal}
        for w in _active_sites(subject):
            roles.setdefault(w.principal_id, []).append(f"{Role.WEBSITE_PRINCIPAL.value}:{w.name}")
            people[w.principal_id] = w.principal
        return tuple(
            PrincipalChoice(
                principal_id=pid,
                name=people[pid].name,
                doc_masked=mask_document_number(self.ctx.keys.decrypt(people[pid].doc_number_enc)),
                phone_masked=mask_phone(people[pid].mobile) if people[pid].mobile else "",
                roles=tuple(role_list),
            )
            for pid, role_list in roles.items()
        )
