"""What is kept of an endpoint's answer, and a manual resend sent at once (SPEC §4-§5, §7).

The fake gateway runs on loopback in this process and is taught to echo the request in
its error answers, as some gateways do: the SMS text, the code and the phone come back
in the words the product stores (`sms_intents.last_error`) and audits (`sms_failed`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

from beian_desktop.models import AuditEvent, SmsIntent

from factories import phone, principal
from journeys import submit_filing
from staff import session_for

PHONE, OTHER = phone(1), phone(2, "telecom")
LAST6 = principal(100).doc_number[-6:]


def intents(app):
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(SmsIntent).order_by(SmsIntent.id)))


def stored_bytes(app, database_url):
    """Everything the database holds, as bytes: the SQLite file (and its write-ahead
    log) as it lies on disk; on PostgreSQL the text of every row of the tables that
    keep what endpoints answered and the timeline."""
    if database_url.startswith("sqlite"):
        app.engine.dispose()
        path = Path(database_url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    with app.ctx.unit_of_work() as session:
        rows = session.execute(
            text(
                "SELECT (SELECT coalesce(string_agg(i::text, ''), '') FROM sms_intents i)"
                " || (SELECT coalesce(string_agg(e::text, ''), '') FROM audit_events e)"
            )
        ).scalar_one()
    return rows.encode()


def alone(number: str) -> re.Pattern[bytes]:
    """The digits as a value of their own, not inside a longer number."""
    return re.compile(rb"(?<![0-9])" + number.encode() + rb"(?![0-9])")


def test_an_endpoint_echoing_the_request_leaves_no_code_text_or_phone_in_the_database(
    http_app, clock, gateway, database_url
):
    request_id = submit_filing(http_app, subject_phone=PHONE, website_phones=[OTHER])
    clock.advance(timedelta(minutes=5))
    gateway.control(echo_errors=True, fail_next=2, fail_status=503)
    assert http_app.tick().dispatch.retry_later == 2  # the busy answer, echoing, stored
    clock.advance(timedelta(minutes=1))
    gateway.control(reject_next=2)
    assert http_app.tick().dispatch.failed == 2  # the refusal, echoing, stored and audited
    sends = gateway.sends()
    assert len(sends) == 4 and all(s["answer"] in (503, 400) for s in sends)
    codes = {s["body"]["params"]["code"] for s in sends}
    texts = {s["body"]["text"] for s in sends}
    assert len(codes) == 2
    rows = intents(http_app)
    assert all(r.status == "failed" and "number blocked" in r.last_error for r in rows)
    with http_app.ctx.unit_of_work() as session:
        audited = session.scalars(
            select(AuditEvent.details).where(
                AuditEvent.request_id == request_id, AuditEvent.action == "sms_failed"
            )
        ).all()
    assert len(audited) == 2 and all("number blocked" in d["error"] for d in audited)
    stored = stored_bytes(http_app, database_url)
    for code in codes:
        assert not alone(code).search(stored), code
    for sms_text in texts:
        assert sms_text.encode() not in stored
        assert sms_text.encode("unicode_escape") not in stored
    for row in rows:  # the phone is kept where it belongs (the intent), not in the answer
        assert row.phone not in row.last_error


def pending_and_sent_once(app, clock):
    submit_filing(app, subject_phone=PHONE, website_phones=[PHONE])
    clock.advance(timedelta(minutes=5))
    assert app.tick().dispatch.sent == 1
    clock.advance(timedelta(seconds=61))


def resend(app):
    return app.verification.resend_code(
        session=session_for(app, "caller"), phone=PHONE, id_last6=LAST6, on_behalf=False
    )


def test_a_manual_resend_is_sent_at_once_and_says_so(http_app, clock, gateway):
    pending_and_sent_once(http_app, clock)
    outcome = resend(http_app)  # no tick after it
    assert outcome.sent and outcome.message == "您的短信已发送成功"
    assert outcome.in_language("en") == "Your SMS has been sent."
    first, again = (s["body"]["params"]["code"] for s in gateway.sends())
    assert again != first
    resent = intents(http_app)[-1]
    assert resent.status == "sent" and resent.sent_at == clock()
    rows = http_app.queries.caller_lookup(session=session_for(http_app, "desk"), phone=PHONE)
    assert [r.last_sent_at for r in rows] == [clock()]  # the help desk sees when it went


def test_a_manual_resend_while_the_endpoint_fails_is_queued_and_says_so(http_app, clock, gateway):
    pending_and_sent_once(http_app, clock)
    first_sent = clock()
    gateway.control(fail_next=100, fail_status=503)
    outcome = resend(http_app)
    assert outcome.sent and outcome.message != "您的短信已发送成功"
    assert "排队" in outcome.message and "恢复" in outcome.message
    assert "queued" in outcome.in_language("en")
    assert len(gateway.sends()) == 2  # tried at once
    queued = intents(http_app)[-1]
    assert queued.status == "pending" and queued.sent_at is None
    desk = session_for(http_app, "desk")
    rows = http_app.queries.caller_lookup(session=desk, phone=PHONE)
    assert [r.last_sent_at for r in rows] == [first_sent - timedelta(seconds=61)]

    gateway.control(fail_next=0)
    clock.advance(timedelta(minutes=1))
    assert http_app.tick().dispatch.sent == 1  # the endpoint recovered: it goes
    assert intents(http_app)[-1].sent_at == clock()
    rows = http_app.queries.caller_lookup(session=desk, phone=PHONE)
    assert [r.last_sent_at for r in rows] == [clock()]
