"""Steps that many tests take: submit a filing, let the SMS go out, read the codes.

Codes are read back from the local outbox exactly as a person reads their phone:
the tests never reach into the code table, which only holds keyed hashes.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from beian_desktop.models import Request, VerificationRound, Verifier
from beian_desktop.rules.clock import ManualClock
from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.senders import read_outbox

from factories import filing
from staff import session_for

CODE_IN_TEXT = re.compile(r"核验码为(\d{6})")


def submit_filing(app: Beian, *, by: str = "isp", **kwargs: object) -> int:
    """A first filing entered and submitted by the ISP staff user `by`."""
    session = session_for(app, by)
    request_id = app.filings.save_new_filing(session=session, filing=filing(**kwargs))  # type: ignore[arg-type]
    app.submission.submit(session=session, request_id=request_id)
    return request_id


def send_first_sms(app: Beian, clock: ManualClock) -> None:
    """The SMS goes out about 5 minutes after submission (SPEC §3)."""
    clock.advance(timedelta(minutes=5))
    app.tick()


def latest_codes(app: Beian) -> dict[str, str]:
    """The newest code each phone received."""
    with app.ctx.unit_of_work() as session:
        messages = read_outbox(session, app.ctx.keys, limit=10_000)
    codes: dict[str, str] = {}
    for message in messages:  # newest first
        match = CODE_IN_TEXT.search(message.text)
        assert match, message.text
        codes.setdefault(message.phone, match.group(1))
    return codes


def outbox_count(app: Beian, phone: str | None = None) -> int:
    with app.ctx.unit_of_work() as session:
        return len(read_outbox(session, app.ctx.keys, phone=phone, limit=10_000))


def request_state(app: Beian, request_id: int) -> str:
    with app.ctx.unit_of_work() as session:
        return session.get(Request, request_id).state


def request_row(app: Beian, request_id: int) -> Request:
    with app.ctx.unit_of_work() as session:
        return session.get(Request, request_id)


def verifiers(app: Beian, request_id: int, round_number: int | None = None) -> list[Verifier]:
    """The verifiers of the request's latest round (or of the round asked for)."""
    with app.ctx.unit_of_work() as session:
        query = select(VerificationRound).where(VerificationRound.request_id == request_id)
        rounds = list(session.scalars(query.order_by(VerificationRound.number)))
        rnd = rounds[-1] if round_number is None else rounds[round_number - 1]
        return list(
            session.scalars(
                select(Verifier).where(Verifier.round_id == rnd.id).order_by(Verifier.id)
            )
        )


def latest_round(app: Beian, request_id: int) -> VerificationRound:
    with app.ctx.unit_of_work() as session:
        return session.scalars(
            select(VerificationRound)
            .where(VerificationRound.request_id == request_id)
            .order_by(VerificationRound.number.desc())
        ).first()


def returned_names(app: Beian, request_id: int) -> tuple[str, ...]:
    """Whom the request's return names, as a supervisor reads it in the request detail."""
    detail = app.queries.request_detail(session=session_for(app, "sup"), request_id=request_id)
    return detail.returned_verifier_names


def approved_subject(app: Beian, clock: ManualClock, **kwargs: object) -> tuple[int, int]:
    """A first filing entered, verified by everyone and approved: its subject's id and
    its first website's."""
    f = filing(**kwargs)  # type: ignore[arg-type]
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    codes = latest_codes(app)
    desk = session_for(app, "desk")
    for p in [f.subject.principal, *(w.principal for w in f.websites)]:
        app.verification.check_code(
            session=desk, code=codes[p.mobile], phone=p.mobile, id_last6=last6(str(p.doc_number))
        )
    app.review.approve(session=session_for(app, "bureau"), request_id=request_id)
    detail = app.queries.request_detail(session=isp, request_id=request_id)
    assert detail.state == "approved", detail.state
    return detail.subject_id, detail.websites[0].website_id


def last6(doc_number: str) -> str:
    return doc_number[-6:]


def approve_filing(app: Beian, clock: ManualClock, serial: int = 1, **kwargs: object) -> int:
    """A first filing entered, verified by everyone it names and approved by the
    bureau; returns its subject's id."""
    f = filing(serial=serial, **kwargs)  # type: ignore[arg-type]
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    docs = {
        p.mobile: p.doc_number for p in [f.subject.principal] + [w.principal for w in f.websites]
    }
    desk = session_for(app, "desk")
    for v in verifiers(app, request_id):
        code = latest_codes(app)[v.phone]
        app.verification.check_code(
            session=desk, code=code, phone=v.phone, id_last6=last6(docs[v.phone] or "")
        )
    app.review.approve(session=session_for(app, "bureau"), request_id=request_id)
    return request_row(app, request_id).subject_id
