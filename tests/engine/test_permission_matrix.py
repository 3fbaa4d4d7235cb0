"""Every public service method × every kind of caller: allowed exactly when the
permission table says so (rules/permissions.py), on SQLite and PostgreSQL.

The callers: a session of each of the five roles, and five that must get nowhere: a
deactivated user, a locked-out user, an expired session, a revoked session and a
forged token (plus a locked workstation's session). A refused call raises
PermissionDenied, writes its one audit event and changes nothing else: every table
is compared before and after. An allowed call may still fail for its own reasons
(a request in the wrong state, say), never with PermissionDenied.

The table of calls below must name every operation of OPERATIONS: a public method
added without an entry there, or without a call here, fails this module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from beian_desktop.models import AuditEvent, Base, SignInSession, User
from beian_desktop.rules.errors import BeianError, PermissionDenied
from beian_desktop.rules.inputs import AccessInput, ChangeInput
from beian_desktop.rules.permissions import (
    OPERATIONS,
    WITHOUT_SESSION,
    Needs,
    RevealField,
    may,
)
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.dispatch import Dispatcher
from beian_desktop.terms import BusinessType, UserRole

from factories import filing, phone, website
from journeys import latest_codes, send_first_sms, verifiers
from staff import ensure_user, session_for
from workbooks import cells, filled_template

ROLES = [r.value for r in UserRole]
BAD_ACTORS = [
    "deactivated",
    "locked_out",
    "expired",
    "revoked",
    "forged",
    "locked_workstation",
]
ACTORS = ROLES + BAD_ACTORS


@dataclass
class World:
    """One database's worth of things to act on."""

    draft: int
    deletable: int  # a draft of its own: deleting w.draft would leave submit nothing
    returned: int
    in_review: int
    verifying: int
    code: str
    code_phone: str
    code_last6: str
    verifier_id: int
    subject_id: int
    website_id: int
    principal_id: int
    target_user: int


def _world(app: Beian, clock) -> World:
    isp = session_for(app, "isp")
    bureau = session_for(app, "bureau")
    # an approved filing: a subject, a website and a principal to act on
    approved = app.filings.save_new_filing(session=isp, filing=filing(serial=1))
    app.submission.submit(session=isp, request_id=approved)
    send_first_sms(app, clock)
    desk = session_for(app, "desk")
    for v in verifiers(app, approved):
        code = latest_codes(app)[v.phone]
        doc = {p.mobile: p.doc_number for p in _principals(filing(serial=1))}[v.phone]
        app.verification.check_code(session=desk, code=code, phone=v.phone, id_last6=doc[-6:])
    app.review.approve(session=bureau, request_id=approved)
    detail = app.queries.request_detail(session=isp, request_id=approved)
    assert detail.websites and detail.subject_icp_number
    app.settings.set_province_start(
        session=session_for(app, "admin"), code="11", verification_from=None
    )
    beijing = app.filings.save_new_filing(session=isp, filing=filing(serial=3, province="11"))
    app.submission.submit(session=isp, request_id=beijing)  # straight to bureau review
    draft = app.filings.save_new_filing(session=isp, filing=filing(serial=4))
    deletable = app.filings.save_new_filing(session=isp, filing=filing(serial=7))
    returned = app.filings.save_new_filing(session=isp, filing=filing(serial=5))
    app.submission.submit(session=isp, request_id=returned)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()  # expired: returned to the ISP
    isp = session_for(app, "isp")  # a new working day, a new sign-in
    verifying = app.filings.save_new_filing(session=isp, filing=filing(serial=6))
    app.submission.submit(session=isp, request_id=verifying)
    send_first_sms(app, clock)
    target = verifiers(app, verifying)[0]
    docs = {p.mobile: p.doc_number for p in _principals(filing(serial=6))}
    return World(
        draft=draft,
        deletable=deletable,
        returned=returned,
        in_review=beijing,
        verifying=verifying,
        code=latest_codes(app)[target.phone],
        code_phone=target.phone,
        code_last6=docs[target.phone][-6:],
        verifier_id=target.id,
        subject_id=detail.subject_id,
        website_id=detail.websites[0].website_id,
        principal_id=detail.subject_principal.principal_id,
        target_user=ensure_user(app, "clerk"),
    )


def _principals(f):
    return [f.subject.principal] + [w.principal for w in f.websites]


Call = Callable[[Beian, World, Any], object]

# One call per operation, with arguments that make sense on the World.
CALLS: dict[str, Call] = {
    "filings.save_new_filing": lambda a, w, s: a.filings.save_new_filing(
        session=s, filing=filing(serial=40)
    ),
    "filings.save_new_website": lambda a, w, s: a.filings.save_new_website(
        session=s, subject_id=w.subject_id, website=website(41)
    ),
    "filings.save_new_access": lambda a, w, s: a.filings.save_new_access(
        session=s, website_id=w.website_id, access=AccessInput(isp_name="某云", server_ips=[])
    ),
    "filings.save_change": lambda a, w, s: a.filings.save_change(
        session=s, subject_id=w.subject_id, change=ChangeInput(subject={"remarks": "新备注"})
    ),
    "filings.save_cancellation": lambda a, w, s: a.filings.save_cancellation(
        session=s, business_type=BusinessType.CANCEL_WEBSITE, website_id=w.website_id
    ),
    "filings.save_phone_change": lambda a, w, s: a.filings.save_phone_change(
        session=s, principal_id=w.principal_id, new_mobile=phone(77)
    ),
    "filings.delete_draft": lambda a, w, s: a.filings.delete_draft(
        session=s, request_id=w.deletable
    ),
    "filings.add_note": lambda a, w, s: a.filings.add_note(
        session=s, request_id=w.returned, text="请补充材料"
    ),
    "imports.write_template": lambda a, w, s: a.imports.write_template(
        session=s, path=w.config_path.parent / "template.xlsx"
    ),
    "imports.preview": lambda a, w, s: a.imports.preview(session=s, path=w.workbook),
    "imports.import_drafts": lambda a, w, s: a.imports.import_drafts(session=s, path=w.workbook),
    "filings.preview_verification": lambda a, w, s: a.filings.preview_verification(
        session=s, business_type=BusinessType.CANCEL_WEBSITE, website_id=w.website_id
    ),
    "submission.submit": lambda a, w, s: a.submission.submit(session=s, request_id=w.draft),
    "verification.check_code": lambda a, w, s: a.verification.check_code(
        session=s, code=w.code, phone=w.code_phone, id_last6=w.code_last6
    ),
    "verification.resend_code": lambda a, w, s: a.verification.resend_code(
        session=s, phone=w.code_phone, id_last6=w.code_last6
    ),
    "verification.resend_for_verifier": lambda a, w, s: a.verification.resend_for_verifier(
        session=s, verifier_id=w.verifier_id, id_last6=w.code_last6
    ),
    "review.approve": lambda a, w, s: a.review.approve(session=s, request_id=w.in_review),
    "review.reject": lambda a, w, s: a.review.reject(
        session=s, request_id=w.in_review, reason="材料不全"
    ),
    "queries.list_filings": lambda a, w, s: a.queries.list_filings(
        session=s, filter=FilingFilter()
    ),
    "queries.count_filings": lambda a, w, s: a.queries.count_filings(
        session=s, filter=FilingFilter()
    ),
    "queries.request_detail": lambda a, w, s: a.queries.request_detail(
        session=s, request_id=w.verifying
    ),
    "queries.pending_verifiers": lambda a, w, s: a.queries.pending_verifiers(session=s),
    "queries.bureau_queue": lambda a, w, s: a.queries.bureau_queue(session=s),
    "queries.caller_lookup": lambda a, w, s: a.queries.caller_lookup(session=s, phone=w.code_phone),
    "queries.caller_history": lambda a, w, s: a.queries.caller_history(
        session=s, phone=w.code_phone
    ),
    "queries.returned_filings": lambda a, w, s: a.queries.returned_filings(session=s),
    "queries.return_stats": lambda a, w, s: a.queries.return_stats(session=s),
    "queries.outbox": lambda a, w, s: a.queries.outbox(session=s),
    "queries.provinces": lambda a, w, s: a.queries.provinces(session=s),
    "queries.find_approved_subjects": lambda a, w, s: a.queries.find_approved_subjects(
        session=s, text="科技"
    ),
    "queries.find_approved_websites": lambda a, w, s: a.queries.find_approved_websites(
        session=s, text=""
    ),
    "queries.approved_filing": lambda a, w, s: a.queries.approved_filing(
        session=s, subject_id=w.subject_id
    ),
    "queries.request_for_editing": lambda a, w, s: a.queries.request_for_editing(
        session=s, request_id=w.draft
    ),
    "queries.navigation_counts": lambda a, w, s: a.queries.navigation_counts(session=s),
    "secrets.reveal[phone]": lambda a, w, s: a.secrets.reveal(
        session=s, field=RevealField.VERIFIER_PHONE, holder_id=w.verifier_id, request_id=w.verifying
    ),
    "secrets.reveal[id_number]": lambda a, w, s: a.secrets.reveal(
        session=s,
        field=RevealField.SUBJECT_ID_NUMBER,
        holder_id=w.subject_id,
        request_id=w.verifying,
    ),
    "settings.policy": lambda a, w, s: a.settings.policy(session=s),
    "settings.provinces": lambda a, w, s: a.settings.provinces(session=s),
    "settings.save_policy": lambda a, w, s: a.settings.save_policy(
        session=s, policy=Policy(max_wrong_tries=4)
    ),
    "settings.set_province_start": lambda a, w, s: a.settings.set_province_start(
        session=s, code="12", verification_from=date(2017, 1, 1)
    ),
    "settings.save_province_starts": lambda a, w, s: a.settings.save_province_starts(
        session=s, starts={"12": date(2017, 1, 2)}
    ),
    "settings.reject_reasons": lambda a, w, s: a.settings.reject_reasons(session=s),
    "settings.save_reject_reasons": lambda a, w, s: a.settings.save_reject_reasons(
        session=s, reasons=["材料不全"]
    ),
    "settings.sms_endpoint": lambda a, w, s: a.settings.sms_endpoint(
        session=s,
        path=w.config_path,  # type: ignore[attr-defined]
    ),
    "settings.save_sms_endpoint": lambda a, w, s: a.settings.save_sms_endpoint(
        session=s,
        path=w.config_path,  # type: ignore[attr-defined]
        kind="outbox",
        url="",
    ),
    "settings.send_test_sms": lambda a, w, s: a.settings.send_test_sms(session=s, phone=phone(88)),
    "settings.save_sms_config": lambda a, w, s: a.settings.save_sms_config(
        session=s,
        path=w.config_path,
        sms={"kind": "outbox"},  # type: ignore[attr-defined]
    ),
    "users.list_users": lambda a, w, s: a.users.list_users(session=s),
    "users.create_user": lambda a, w, s: a.users.create_user(
        session=s,
        username=f"new.{len(a.__dict__.setdefault('_made', []))}",
        display_name="新用户",
        role=UserRole.ISP_STAFF,
        password="Fresh-Pass-42",
    ),
    "users.update_user": lambda a, w, s: a.users.update_user(
        session=s, user_id=w.target_user, display_name="改名"
    ),
    "users.set_active": lambda a, w, s: a.users.set_active(
        session=s, user_id=w.target_user, active=True
    ),
    "users.reset_password": lambda a, w, s: a.users.reset_password(
        session=s, user_id=w.target_user, password="Reset-Pass-42"
    ),
    "sign_in.whoami": lambda a, w, s: a.sign_in.whoami(session=s),
    "sign_in.change_own_password": lambda a, w, s: a.sign_in.change_own_password(
        session=s, current_password="wrong-one", new_password="Brand-New-Pass-7"
    ),
    "sign_in.unlock": lambda a, w, s: a.sign_in.unlock(session=s, password="Test-Pass-2026"),
    "sign_in.lock": lambda a, w, s: a.sign_in.lock(session=s),
    "sign_in.sign_out": lambda a, w, s: a.sign_in.sign_out(session=s),
}


def _operation(case: str) -> str:
    return case.split("[")[0]


def _permission(case: str):
    if case.endswith("[phone]"):
        return RevealField.VERIFIER_PHONE.permission
    if case.endswith("[id_number]"):
        return RevealField.SUBJECT_ID_NUMBER.permission
    return None


# The cases that end or lock the caller's own session get callers of their own.
OWN_CALLERS = {"sign_in.sign_out", "sign_in.lock", "sign_in.unlock", "sign_in.change_own_password"}


def _actor(app: Beian, kind: str, case: str, n: int) -> object:
    """A session of that kind. The same callers serve every case, but those that end
    or lock their session: they are made new for that case."""
    if kind == "forged":
        return "x" * 43
    name = f"m{n if _operation(case) in OWN_CALLERS else ''}.{kind.replace('_', '')}"[:32]
    username = name
    if kind in ROLES:
        return session_for(app, username, kind)
    cached = app.__dict__.setdefault("_bad_actors", {})
    if username in cached:
        return cached[username]
    token = session_for(app, username, UserRole.ADMINISTRATOR)
    with app.ctx.unit_of_work() as db:
        user_id = db.scalar(select(User.id).where(User.username == username))
        if kind == "deactivated":
            db.execute(update(User).where(User.id == user_id).values(active=False))
        elif kind == "locked_out":
            db.execute(
                update(User)
                .where(User.id == user_id)
                .values(locked_until=app.now() + timedelta(hours=1))
            )
        else:
            values = {
                "expired": {"expires_at": app.now() - timedelta(seconds=1)},
                "revoked": {"revoked_at": app.now(), "revoked_because": "signed_out"},
                "locked_workstation": {"locked_at": app.now()},
            }[kind]
            db.execute(
                update(SignInSession).where(SignInSession.user_id == user_id).values(**values)
            )
    return token


def _allowed(kind: str, case: str) -> bool:
    if kind not in ROLES:
        # a locked workstation may still unlock and sign out
        return kind == "locked_workstation" and _operation(case) in {
            "sign_in.unlock",
            "sign_in.sign_out",
            "sign_in.whoami",
        }
    return may(kind, _operation(case), permission=_permission(case))


def _snapshot(app: Beian) -> dict[str, list[tuple]]:
    """Every row of every table but the audit trail (and the sessions' last-seen time)."""
    rows = {}
    with app.ctx.unit_of_work() as db:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_events":
                continue
            columns = [c for c in table.columns if c.name != "last_seen_at"]
            rows[table.name] = [
                tuple(r) for r in db.execute(select(*columns).order_by(*table.primary_key.columns))
            ]
    return rows


def _denials(app: Beian) -> int:
    with app.ctx.unit_of_work() as db:
        return len(
            db.scalars(select(AuditEvent.id).where(AuditEvent.action == "permission_denied")).all()
        )


def services_of(app: Beian) -> dict[str, object]:
    """The facade's services: what a caller reaches through `app.<name>`. The
    dispatcher is not one: it acts as the system, never for a caller."""
    return {
        name: service
        for name, service in vars(app).items()
        if type(service).__module__.startswith("beian_desktop.services.")
        and hasattr(service, "ctx")
        and not isinstance(service, Dispatcher)
    }


def test_every_public_method_has_an_entry_in_the_table_and_a_call_here(app):
    public = {
        f"{name}.{method}"
        for name, service in services_of(app).items()
        for method, _ in inspect.getmembers(type(service), inspect.isfunction)
        if not method.startswith("_")
    }
    assert public == set(OPERATIONS) | WITHOUT_SESSION
    assert {_operation(c) for c in CALLS} == set(OPERATIONS)
    for case in CALLS:
        if OPERATIONS[_operation(case)] is Needs.THE_FIELDS_PERMISSION:
            assert _permission(case) is not None


def test_each_caller_is_allowed_exactly_when_the_table_says(app, clock, tmp_path):
    """One world for every case; each call is checked where it stands."""
    world = _world(app, clock)
    world.config_path = tmp_path / "config.toml"  # type: ignore[attr-defined]
    world.workbook = filled_template(  # type: ignore[attr-defined]
        app, session_for(app, "admin"), tmp_path / "import.xlsx", [cells(70)]
    )
    wrong: list[str] = []
    calls = refusals = 0
    for n, case in enumerate(sorted(CALLS)):
        call = CALLS[case]
        allowed = [k for k in ACTORS if _allowed(k, case)]
        assert allowed, f"nobody may call {case}"
        refused = {k: _actor(app, k, case, n) for k in ACTORS if k not in allowed}
        before = _snapshot(app)  # refused calls change nothing, so one snapshot serves all
        for kind, session in refused.items():
            denials = _denials(app)
            try:
                call(app, world, session)
                wrong.append(f"{case} by {kind}: allowed, the table refuses it")
            except PermissionDenied as error:
                if not (error.zh and error.en):
                    wrong.append(f"{case} by {kind}: the refusal has no text")
            if _snapshot(app) != before:
                wrong.append(f"{case} by {kind}: refused, but something changed")
            if _denials(app) != denials + 1:
                wrong.append(f"{case} by {kind}: refused without its audit record")
            calls, refusals = calls + 1, refusals + 1
        for kind in allowed:
            session = _actor(app, kind, case, n)
            try:
                call(app, world, session)
            except PermissionDenied as error:
                wrong.append(f"{case} by {kind}: refused ({error.en}), the table allows it")
            except BeianError:
                pass  # allowed, then refused for its own reasons (wrong state, taken...)
            calls += 1
    assert not wrong, "\n".join(wrong)
    assert calls == len(CALLS) * len(ACTORS)
    print(f"permission matrix: {len(CALLS)} x {len(ACTORS)} = {calls} calls, {refusals} refused")
