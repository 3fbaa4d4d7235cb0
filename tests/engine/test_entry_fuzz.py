"""Hostile input at every entry point that takes input, on SQLite and PostgreSQL.

Hypothesis draws an entry point and, for it, arguments that are valid but for one
hostile value: control characters, NUL, lone surrogates, direction overrides,
full-width digits, texts longer than any column, values that are not strings, lists
where text goes, mappings of unknown fields, ids that are no ids. Whatever comes in,
only a BeianError comes out (ValidationFailed or a documented refusal such as
NotFound or NotInReview), never IntegrityError, DataError, UnicodeEncodeError,
AttributeError or TypeError; and a refused call writes nothing (every table but the
audit trail compared before and after, as tests/engine/test_permission_matrix.py
does). A call that succeeds may write: it was given something valid.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from beian_desktop.models import Base
from beian_desktop.rules.errors import BeianError
from beian_desktop.rules.inputs import (
    AccessInput,
    ChangeInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.permissions import RevealField
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.beian import Beian
from beian_desktop.terms import BusinessType, UserRole

from factories import filing, phone, website
from journeys import last6, latest_codes, send_first_sms, verifiers
from staff import ensure_user, session_for

FUZZ_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run and both databases
)

UNFIT = "\x00\x01\x08\x1b\x7f\x85\u202a\u202d\u202e\u2066\u2069\ud800\udfff"
TYPED = "\uff10\uff11\uff15\u3000 -+()aZx中@./"
hostile_text = st.one_of(
    st.text(max_size=24),
    st.text(alphabet=st.sampled_from(UNFIT + TYPED + "0123456789"), max_size=24),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["a", "中", "\U0001f600", "1"]), st.integers(0, 2100)
    ),
    st.sampled_from(
        ["", " ", "\u3000", "13800130001", "１３８００１３０００１", "33", "new_filing"]
    ),
)
hostile = st.one_of(
    hostile_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.binary(max_size=4),
    st.lists(hostile_text, max_size=3),
    st.dictionaries(hostile_text, hostile_text, max_size=2),
)

# What can be a key of a mapping (a field name, a website id): the hashable ones.
hostile_key = st.one_of(
    hostile_text, st.none(), st.booleans(), st.integers(), st.binary(max_size=4)
)


@dataclass
class World:
    draft: int
    returned: int
    in_review: int
    subject_id: int
    website_id: int
    principal_id: int
    verifier_id: int
    verifying_phone: str
    verifying_last6: str
    target_user: int
    config_path: Path


def _last6_of(f: FilingInput) -> dict[str, str]:
    people = [f.subject.principal, *(w.principal for w in f.websites)]
    return {p.mobile: last6(str(p.doc_number)) for p in people}


def _world(app: Beian, clock, tmp_path: Path) -> World:
    isp, desk = session_for(app, "isp"), session_for(app, "desk")
    approved = app.filings.save_new_filing(session=isp, filing=filing(serial=1))
    app.submission.submit(session=isp, request_id=approved)
    send_first_sms(app, clock)
    digits = _last6_of(filing(serial=1))
    for v in verifiers(app, approved):
        code = latest_codes(app)[v.phone]
        app.verification.check_code(
            session=desk, code=code, phone=v.phone, id_last6=digits[v.phone]
        )
    app.review.approve(session=session_for(app, "bureau"), request_id=approved)
    detail = app.queries.request_detail(session=isp, request_id=approved)
    returned = app.filings.save_new_filing(session=isp, filing=filing(serial=5))
    app.submission.submit(session=isp, request_id=returned)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()
    isp = session_for(app, "isp")
    app.settings.set_province_start(
        session=session_for(app, "admin"), code="11", verification_from=None
    )
    in_review = app.filings.save_new_filing(session=isp, filing=filing(serial=3, province="11"))
    app.submission.submit(session=isp, request_id=in_review)
    verifying = app.filings.save_new_filing(session=isp, filing=filing(serial=6))
    app.submission.submit(session=isp, request_id=verifying)
    send_first_sms(app, clock)
    target = verifiers(app, verifying)[0]
    return World(
        draft=app.filings.save_new_filing(session=isp, filing=filing(serial=4)),
        returned=returned,
        in_review=in_review,
        subject_id=detail.subject_id,
        website_id=detail.websites[0].website_id,
        principal_id=detail.subject_principal.principal_id,
        verifier_id=target.id,
        verifying_phone=target.phone,
        verifying_last6=_last6_of(filing(serial=6))[target.phone],
        target_user=ensure_user(app, "clerk"),
        config_path=tmp_path / "config.toml",
    )


def _with_one(draw: Any, base: object) -> object:
    """`base` (a dataclass tree) with one field, anywhere in it, replaced by a hostile
    value; or, now and then, one part of it replaced whole."""
    paths: list[tuple[str | int, ...]] = []

    def walk(node: object, at: tuple[str | int, ...]) -> None:
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                paths.append((*at, f.name))
                walk(getattr(node, f.name), (*at, f.name))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                paths.append((*at, i))
                walk(item, (*at, i))

    walk(base, ())
    path = draw(st.sampled_from(paths))
    value = draw(hostile)
    target: Any = base
    for step in path[:-1]:
        target = target[step] if isinstance(step, int) else getattr(target, step)
    if isinstance(path[-1], int):
        target[path[-1]] = value
    else:
        object.__setattr__(target, path[-1], value)
    return base


def _id(draw: Any, good: int) -> object:
    return draw(st.one_of(st.just(good), st.just(good), hostile, st.integers(-3, 10**6)))


def _fields_of(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _change(draw: Any, w: World) -> ChangeInput:
    key = st.one_of(
        st.sampled_from([*_fields_of(SubjectInput), "nope", "id", "access"]), hostile_key
    )
    pkey = st.one_of(st.sampled_from([*_fields_of(PrincipalInput), "principal"]), hostile_key)
    wkey = st.one_of(st.sampled_from(_fields_of(WebsiteInput)), hostile_key)
    fields = lambda keys: st.dictionaries(keys, hostile, max_size=2)  # noqa: E731
    site = st.one_of(st.just(w.website_id), hostile_key)
    change = ChangeInput(
        subject=draw(fields(key)),
        subject_principal=draw(fields(pkey)),
        websites=draw(st.dictionaries(site, fields(wkey), max_size=1)),
        website_principals=draw(st.dictionaries(site, fields(pkey), max_size=1)),
    )
    if draw(st.integers(0, 9)) == 0:
        object.__setattr__(change, draw(st.sampled_from(_fields_of(ChangeInput))), draw(hostile))
    return change


def _choose(draw: Any, good: dict[str, object]) -> dict[str, object]:
    """The keyword arguments `good`, with one of them hostile."""
    name = draw(st.sampled_from(sorted(good)))
    return {**good, name: draw(hostile)}


Entry = Callable[[Beian, World, Any], object]
ENTRIES: dict[str, Entry] = {
    "filings.save_new_filing": lambda a, w, d: a.filings.save_new_filing(
        session=session_for(a, "isp"),
        filing=_with_one(d, filing(serial=40)),
        request_id=d(st.one_of(st.none(), st.just(w.draft), hostile)),
    ),
    "filings.save_new_website": lambda a, w, d: a.filings.save_new_website(
        session=session_for(a, "isp"),
        subject_id=_id(d, w.subject_id),
        website=_with_one(d, website(41)),
    ),
    "filings.save_new_access": lambda a, w, d: a.filings.save_new_access(
        session=session_for(a, "isp"),
        website_id=_id(d, w.website_id),
        access=_with_one(d, AccessInput(isp_name="某云", server_ips=["10.0.0.2"])),
    ),
    "filings.save_change": lambda a, w, d: a.filings.save_change(
        session=session_for(a, "isp"), subject_id=_id(d, w.subject_id), change=_change(d, w)
    ),
    "filings.save_cancellation": lambda a, w, d: a.filings.save_cancellation(
        session=session_for(a, "isp"),
        **_choose(
            d,
            {
                "business_type": d(st.sampled_from(list(BusinessType))),
                "website_id": w.website_id,
                "subject_id": w.subject_id,
            },
        ),
    ),
    "filings.save_phone_change": lambda a, w, d: a.filings.save_phone_change(
        session=session_for(a, "isp"),
        **_choose(d, {"principal_id": w.principal_id, "new_mobile": phone(77)}),
    ),
    "filings.add_note": lambda a, w, d: a.filings.add_note(
        session=session_for(a, "sup"),
        **_choose(d, {"request_id": w.returned, "text": "请补充材料", "hand_back": False}),
    ),
    "submission.submit": lambda a, w, d: a.submission.submit(
        session=session_for(a, "isp"), request_id=_id(d, w.draft)
    ),
    "verification.check_code": lambda a, w, d: a.verification.check_code(
        session=session_for(a, "desk"),
        **_choose(d, {"code": "000000", "phone": w.verifying_phone, "id_last6": w.verifying_last6}),
    ),
    "verification.resend_code": lambda a, w, d: a.verification.resend_code(
        session=session_for(a, "desk"),
        **_choose(
            d, {"phone": w.verifying_phone, "id_last6": w.verifying_last6, "on_behalf": True}
        ),
    ),
    "verification.resend_for_verifier": lambda a, w, d: a.verification.resend_for_verifier(
        session=session_for(a, "desk"),
        **_choose(d, {"verifier_id": w.verifier_id, "id_last6": w.verifying_last6}),
    ),
    "review.approve": lambda a, w, d: a.review.approve(
        session=session_for(a, "bureau"), request_id=d(hostile)
    ),
    "review.reject": lambda a, w, d: a.review.reject(
        session=session_for(a, "bureau"),
        **_choose(d, {"request_id": w.in_review, "reason": "材料不全"}),
    ),
    "settings.save_policy": lambda a, w, d: a.settings.save_policy(
        session=session_for(a, "admin"),
        policy=d(st.one_of(hostile, st.just(None)))
        if d(st.integers(0, 9)) == 0
        else _with_one(d, Policy()),
    ),
    "settings.set_province_start": lambda a, w, d: a.settings.set_province_start(
        session=session_for(a, "admin"),
        **_choose(d, {"code": "12", "verification_from": date(2017, 1, 1)}),
    ),
    "settings.send_test_sms": lambda a, w, d: a.settings.send_test_sms(
        session=session_for(a, "admin"), **_choose(d, {"phone": phone(88), "sms": None})
    ),
    "settings.save_sms_config": lambda a, w, d: a.settings.save_sms_config(
        session=session_for(a, "admin"),
        **_choose(
            d, {"path": w.config_path, "sms": d(st.dictionaries(hostile_text, hostile, max_size=3))}
        ),
    ),
    "users.create_user": lambda a, w, d: a.users.create_user(
        session=session_for(a, "admin"),
        **_choose(
            d,
            {
                "username": f"u{d(st.integers(0, 10**6))}",
                "display_name": "新用户",
                "role": UserRole.ISP_STAFF,
                "password": "Fresh-Pass-42",
                "must_change_password": True,
            },
        ),
    ),
    "users.update_user": lambda a, w, d: a.users.update_user(
        session=session_for(a, "admin"),
        **_choose(d, {"user_id": w.target_user, "display_name": "改名", "role": None}),
    ),
    "users.set_active": lambda a, w, d: a.users.set_active(
        session=session_for(a, "admin"), **_choose(d, {"user_id": w.target_user, "active": True})
    ),
    "users.reset_password": lambda a, w, d: a.users.reset_password(
        session=session_for(a, "admin"),
        **_choose(d, {"user_id": w.target_user, "password": "Reset-Pass-42", "must_change": True}),
    ),
    "secrets.reveal": lambda a, w, d: a.secrets.reveal(
        session=session_for(a, "sup"),
        **_choose(
            d,
            {
                "field": d(st.sampled_from(list(RevealField))),
                "holder_id": w.principal_id,
                "request_id": w.returned,
            },
        ),
    ),
    "sign_in.sign_in": lambda a, w, d: a.sign_in.sign_in(
        username=d(st.one_of(hostile, st.just("fuzz.self"))), password=d(hostile)
    ),
    "sign_in.change_own_password": lambda a, w, d: a.sign_in.change_own_password(
        session=session_for(a, "fuzz.self", UserRole.ISP_STAFF),
        **_choose(d, {"current_password": "wrong-password", "new_password": "Brand-New-Pass-7"}),
    ),
    "users.create_first_admin": lambda a, w, d: a.users.create_first_admin(
        **_choose(d, {"username": "first", "display_name": "管理员", "password": "First-Pass-42"})
    ),
    "queries.list_filings": lambda a, w, d: a.queries.list_filings(
        session=session_for(a, "sup"), filter=_with_one(d, FilingFilter(search="杭州"))
    ),
    "queries.count_filings": lambda a, w, d: a.queries.count_filings(
        session=session_for(a, "sup"), filter=_with_one(d, FilingFilter(search="13800130001"))
    ),
    "queries.caller_lookup": lambda a, w, d: a.queries.caller_lookup(
        session=session_for(a, "desk"), phone=d(hostile)
    ),
    "queries.request_detail": lambda a, w, d: a.queries.request_detail(
        session=session_for(a, "sup"), request_id=d(hostile)
    ),
    "queries.returned_filings": lambda a, w, d: a.queries.returned_filings(
        session=session_for(a, "sup"), **_choose(d, {"since": None, "limit": 10})
    ),
    "queries.return_stats": lambda a, w, d: a.queries.return_stats(
        session=session_for(a, "sup"), days=d(hostile)
    ),
}


# A wrong password is counted (SPEC's lock-out after five), refused or not: a refusal
# of these may write the user's counters (and end their sessions at a lock-out), and
# nothing else.
COUNTED = {
    "sign_in.sign_in": frozenset(
        {"failed_logins", "locked_until", "revoked_at", "revoked_because"}
    ),
    "sign_in.change_own_password": frozenset(
        {"failed_logins", "locked_until", "revoked_at", "revoked_because"}
    ),
}


def _snapshot(app: Beian, counted: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every table but the audit trail (and the sessions' last-seen time,
    and the counters a refusal may move)."""
    rows = {}
    with app.ctx.unit_of_work() as db:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_events":
                continue
            columns = [c for c in table.columns if c.name not in {"last_seen_at", *counted}]
            rows[table.name] = [
                tuple(r) for r in db.execute(select(*columns).order_by(*table.primary_key.columns))
            ]
    return rows


@pytest.mark.timeout(900)
def test_every_entry_point_answers_hostile_input_with_a_field_error_and_writes_nothing(
    app, clock, tmp_path
):
    world = _world(app, clock, tmp_path)
    for name in ("isp", "desk", "sup", "bureau", "admin"):
        session_for(app, name)  # signed in before the first snapshot
    session_for(app, "fuzz.self", UserRole.ISP_STAFF)
    seen: dict[str, int] = {}

    @FUZZ_SETTINGS
    @given(entry=st.sampled_from(sorted(ENTRIES)), data=st.data())
    def hostile_call(entry: str, data: st.DataObject) -> None:
        counted = COUNTED.get(entry, frozenset())
        before = _snapshot(app, counted)
        try:
            ENTRIES[entry](app, world, data.draw)
        except BeianError as refusal:
            event(f"{entry}: {type(refusal).__name__}")
            seen[entry] = seen.get(entry, 0) + 1
            after = _snapshot(app, counted)
            changed = [t for t in before if before[t] != after[t]]
            assert not changed, f"{entry} refused ({refusal.code}) but wrote {changed}"
        else:
            event(f"{entry}: accepted")
            after = _snapshot(app, counted)
            stored = [
                (table, value)
                for table, rows in after.items()
                for row in set(rows) - set(before[table])
                for value in row
                if isinstance(value, str) and any(c in UNFIT for c in value)
            ]
            assert not stored, f"{entry} stored what no text may hold: {stored}"

    hostile_call()
    assert set(seen) == set(ENTRIES), f"never refused: {sorted(set(ENTRIES) - set(seen))}"
