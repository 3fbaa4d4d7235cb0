"""One request in full, as the request detail shows it: masked numbers, rounds,
verifiers, SMS and the timeline.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import cast

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from beian_desktop.models import (
    AuditEvent,
    Principal,
    Province,
    Request,
    SmsIntent,
    Subject,
    User,
    VerificationRound,
    Verifier,
    VerifierRole,
    Website,
)
from beian_desktop.rules.clock import shanghai_day
from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.domains import display_domain
from beian_desktop.rules.errors import NotFound
from beian_desktop.rules.masking import scrub, scrub_value
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.read_models import (
    PrincipalView,
    RequestDetail,
    RoundView,
    SmsView,
    TimelineEntry,
    VerifierView,
    WebsiteView,
)
from beian_desktop.rules.validation import record_id
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.reading.returns import names_in_returns
from beian_desktop.services.settings.policy_store import load_policy
from beian_desktop.terms import RequestState, ReturnReason, Role, VerifierState


class RequestDetailQueries:
    """One request in full."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _today(self) -> date:
        return shanghai_day(self.ctx.now())

    # -- one request -----------------------------------------------------------------------
    def request_detail(self, *, session: str, request_id: int) -> RequestDetail:
        with self.ctx.acting(session, "queries.request_detail", read=True) as act:
            db = act.db
            request_id = record_id("request_id", request_id)
            request = db.get(Request, request_id)
            if request is None:
                raise NotFound("request", request_id)
            policy = load_policy(db)
            subject = db.get(Subject, request.subject_id)
            province = db.get(Province, request.province_code)
            assert subject is not None and province is not None
            websites = [db.get(Website, link.website_id) for link in request.website_links]
            rounds = list(
                db.scalars(
                    select(VerificationRound)
                    .where(VerificationRound.request_id == request_id)
                    .order_by(VerificationRound.number)
                )
            )
            returned_names: tuple[str, ...] = ()
            if request.state == RequestState.RETURNED:
                returned_names = names_in_returns(db, {request.id: request.return_reason}).get(
                    request.id, ()
                )
            names = _display_names(db, {request.entered_by, request.decided_by})
            return RequestDetail(
                request_id=request.id,
                business_type=request.business_type,
                state=request.state,
                province_code=request.province_code,
                province_name=province.name_zh,
                entered_by=request.entered_by,
                entered_by_name=names.get(request.entered_by, request.entered_by),
                created_at=request.created_at,
                submitted_at=request.submitted_at,
                state_changed_at=request.state_changed_at,
                remarks=request.remarks,
                subject_id=subject.id,
                subject_name=subject.holder_name,
                subject_doc_type=subject.doc_type,
                subject_doc_masked=self._masked_doc(subject.doc_number_enc),
                subject_icp_number=subject.icp_number,
                subject_principal=self._principal(subject.principal),
                websites=tuple(
                    WebsiteView(
                        website_id=w.id,
                        name=w.name,
                        domains=tuple(display_domain(d.name) for d in w.domains),
                        icp_number=w.icp_number,
                        principal=self._principal(w.principal),
                    )
                    for w in websites
                    if w is not None
                ),
                rounds=self._rounds(db, rounds, policy),
                timeline=_timeline(db, request_id),
                return_reason=request.return_reason,
                returned_verifier_names=returned_names,
                decision_reason=request.decision_reason,
                decided_by=request.decided_by,
                decided_by_name=(
                    names.get(request.decided_by, request.decided_by)
                    if request.decided_by
                    else None
                ),
                decided_at=request.decided_at,
            )

    def _masked_doc(self, blob: bytes) -> str:
        return mask_document_number(self.ctx.keys.decrypt(blob))

    def _principal(self, p: Principal) -> PrincipalView:
        return PrincipalView(
            principal_id=p.id,
            name=p.name,
            doc_type=p.doc_type,
            doc_masked=self._masked_doc(p.doc_number_enc),
            phone_masked=mask_phone(p.mobile) if p.mobile else "",
            verified_at=p.verified_at,
        )

    def _rounds(
        self, session: Session, rounds: list[VerificationRound], policy: Policy
    ) -> tuple[RoundView, ...]:
        if not rounds:
            return ()
        by_round: dict[int, list[Verifier]] = defaultdict(list)
        for v in session.scalars(
            select(Verifier)
            .where(Verifier.round_id.in_([r.id for r in rounds]))
            .order_by(Verifier.id)
        ):
            by_round[v.round_id].append(v)
        verifier_ids = [v.id for vs in by_round.values() for v in vs]
        roles: dict[int, list[str]] = defaultdict(list)
        for verifier_id, role, site_name in session.execute(
            select(VerifierRole.verifier_id, VerifierRole.role, Website.name)
            .outerjoin(Website, Website.id == VerifierRole.website_id)
            .where(VerifierRole.verifier_id.in_(verifier_ids))
            .order_by(VerifierRole.id)
        ):
            label = role if role == Role.SUBJECT_PRINCIPAL else f"{role}:{site_name or ''}"
            if label not in roles[verifier_id]:
                roles[verifier_id].append(label)
        intents: dict[int, list[SmsIntent]] = defaultdict(list)
        for intent in session.scalars(
            select(SmsIntent).where(SmsIntent.verifier_id.in_(verifier_ids)).order_by(SmsIntent.id)
        ):
            intents[intent.verifier_id].append(intent)
        views = []
        for rnd in rounds:
            verifiers = by_round[rnd.id]
            sms = sorted((i for v in verifiers for i in intents[v.id]), key=lambda i: i.id)
            views.append(
                RoundView(
                    number=rnd.number,
                    state=rnd.state,
                    quorum=rnd.quorum,
                    created_at=rnd.created_at,
                    send_due_at=rnd.send_due_at,
                    first_sent_at=rnd.first_sent_at,
                    deadline=rnd.deadline,
                    ended_at=rnd.ended_at,
                    verifiers=tuple(
                        VerifierView(
                            verifier_id=v.id,
                            name=v.name,
                            roles=tuple(roles[v.id]),
                            phone_masked=mask_phone(v.phone),
                            carrier=v.carrier,
                            sender_number=(
                                intents[v.id][-1].sender_number
                                if intents[v.id]
                                else policy.sender_number(v.carrier)
                            ),
                            state=v.state,
                            tries_left=max(policy.max_wrong_tries - v.wrong_tries, 0),
                            manual_resends_left=max(policy.manual_resend_cap - v.manual_resends, 0),
                            deadline=rnd.deadline,
                            last_send_at=v.last_send_at,
                        )
                        for v in verifiers
                    ),
                    sms=tuple(
                        SmsView(
                            intent_id=i.id,
                            kind=i.kind,
                            phone_masked=mask_phone(i.phone),
                            sender_number=i.sender_number,
                            status=i.status,
                            delivery_status=i.delivery_status,
                            due_at=i.due_at,
                            sent_at=i.sent_at,
                            attempts=i.attempts,
                            last_error=scrub(i.last_error, codes=True) if i.last_error else None,
                            verifier_id=i.verifier_id,
                        )
                        for i in sms
                    ),
                )
            )
        return tuple(views)


def _display_names(db: Session, usernames: set[str | None]) -> dict[str, str]:
    """The people behind usernames, as the window names them (a username no account
    holds any more, or the system actor, stays as it is)."""
    wanted = sorted(u for u in usernames if u)
    rows = db.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
    return {username: display_name for username, display_name in rows}


def _timeline(db: Session, request_id: int) -> tuple[TimelineEntry, ...]:
    """The request's audit events with the people in them named: the actor by display
    name and role, the verifier an event is about by name and masked number."""
    events: list[AuditEvent] = audit.timeline(db, request_id)
    usernames = sorted({e.actor for e in events})
    people = {
        username: (display_name, role)
        for username, display_name, role in db.execute(
            select(User.username, User.display_name, User.role).where(User.username.in_(usernames))
        )
    }
    verifier_ids = sorted(
        {v for e in events if isinstance(v := (e.details or {}).get("verifier_id"), int)}
    )
    named: dict[int, tuple[str, str]] = {}
    if verifier_ids:
        named = {
            verifier_id: (name, mask_phone(phone))
            for verifier_id, name, phone in db.execute(
                select(Verifier.id, Verifier.name, Verifier.phone).where(
                    Verifier.id.in_(verifier_ids)
                )
            )
        }
    expired = _expired_by_round(db, request_id)
    entries = []
    for e in events:
        details = cast("dict[str, object]", scrub_value(dict(e.details or {})))  # a dict stays one
        actor_name, actor_role = people.get(e.actor, ("", "system"))
        verifier_id = (e.details or {}).get("verifier_id")
        verifier = named.get(verifier_id) if isinstance(verifier_id, int) else None
        round_number = details.get("round")
        if e.action == "returned" and details.get("reason") != ReturnReason.TRIES_USED_UP:
            # An expiry is everyone still pending then (SPEC §3), not one of them.
            still_pending = expired.get(round_number) if isinstance(round_number, int) else None
            if still_pending:
                verifier = ("、".join(still_pending), "")
        entries.append(
            TimelineEntry(
                at=e.at,
                actor=e.actor,
                action=e.action,
                details=details,
                actor_name=actor_name,
                actor_role=actor_role,
                verifier_name=verifier[0] if verifier else None,
                verifier_phone_masked=(verifier[1] or None) if verifier else None,
            )
        )
    return tuple(entries)


def _expired_by_round(db: Session, request_id: int) -> dict[int, list[str]]:
    """The names of each round's verifiers that a return found still pending."""
    names: dict[int, list[str]] = defaultdict(list)
    for number, name in db.execute(
        select(VerificationRound.number, Verifier.name)
        .join(Verifier, Verifier.round_id == VerificationRound.id)
        .where(
            VerificationRound.request_id == request_id,
            Verifier.state == VerifierState.EXPIRED,
        )
        .order_by(VerificationRound.number, Verifier.id)
    ):
        names[number].append(name)
    return names
