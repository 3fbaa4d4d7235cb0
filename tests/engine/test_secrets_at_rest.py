"""SPEC §7: codes and ID numbers are secrets, never stored in clear.

The proof is the raw bytes of the SQLite file (and its WAL): whatever the ORM does,
pages, indexes and freed space are all there, so a number that leaked anywhere would
be found.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from beian_desktop.models import Code, Principal, Subject, VerifierRole
from beian_desktop.rules.clock import ManualClock
from beian_desktop.rules.inputs import ChangeInput, FilingInput
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sending.senders import read_outbox
from beian_desktop.services.verification.codes import code_hash

from factories import filing, phone, resident_id
from journeys import CODE_IN_TEXT, last6, latest_codes, send_first_sms, verifiers
from staff import FAST_HASHER, session_for

HEX64 = re.compile(r"^[0-9a-f]{64}$")
# Values that are not secret and may hold six digits in a row by chance.
INNOCENT = re.compile(
    r"^(?:[0-9a-f]{64}"  # keyed hashes
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # idempotency keys
    r"|1\d{10}"  # mobile numbers
    r"|\d{7,20}"  # sender numbers (a code has six digits)
    r"|\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2})?)?)$"  # times
)
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2})?")


@dataclass
class Opened:
    app: Beian
    path: Path


@pytest.fixture
def sqlite_app(
    tmp_path: Path, migrated_sqlite: Path, keys: SecretKeys, clock: ManualClock
) -> Iterator[Opened]:
    """SQLite only, whatever backends the run tests: this is about the file."""
    path = tmp_path / "beian.sqlite3"
    shutil.copy(migrated_sqlite, path)
    app = Beian.open(
        database_url=f"sqlite:///{path}", keys=keys, clock=clock, upgrade=False, hasher=FAST_HASHER
    )
    yield Opened(app, path)
    app.close()


def raw_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def secrets_of(f: FilingInput) -> list[str]:
    numbers = [f.subject.doc_number, f.subject.principal.doc_number]
    numbers += [w.principal.doc_number for w in f.websites]
    return [n for n in numbers if n]


def all_codes_sent(app: Beian) -> set[str]:
    with app.ctx.unit_of_work() as session:
        messages = read_outbox(session, app.ctx.keys, limit=10_000)
    return {m.group(1) for m in (CODE_IN_TEXT.search(x.text) for x in messages) if m}


def innocent_text(app: Beian) -> str:
    """Every non-secret stored value that could hold six digits by chance."""
    found: list[str] = []
    with app.engine.connect() as conn:
        # A full-text index's own table (the search index) cannot be scanned; its
        # shadow tables, which hold what it stores, are read like any other.
        virtual = set(
            conn.execute(
                text("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            ).scalars()
        )
        for table in inspect(conn).get_table_names():
            if table in virtual:
                continue
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, str):
                        if INNOCENT.match(value):
                            found.append(value)
                        found += ISO_TIME.findall(value)
    return "\n".join(found)


def submit_and_send(app: Beian, clock: ManualClock, f: FilingInput) -> int:
    isp = session_for(app, "isp")
    request_id = app.filings.save_new_filing(session=isp, filing=f)
    app.submission.submit(session=isp, request_id=request_id)
    send_first_sms(app, clock)
    return request_id


def assert_absent(data: bytes, values: list[str], what: str) -> None:
    for value in values:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert value.encode(encoding) not in data, f"{what} {value} is stored in clear"


def test_the_database_file_holds_no_id_number_credit_code_or_code(sqlite_app, clock):
    app, path = sqlite_app.app, sqlite_app.path
    f = filing(serial=7, subject_phone=phone(70), website_phones=[phone(71), phone(72)])
    request_id = submit_and_send(app, clock, f)
    # A wrong try and a manual resend leave their traces too.
    desk = session_for(app, "desk")
    app.verification.check_code(session=desk, code="000001", phone=phone(71), id_last6="123456")
    clock.advance(timedelta(minutes=2))
    resent = app.verification.resend_code(
        session=desk, phone=phone(72), id_last6=last6(f.websites[1].principal.doc_number or "")
    )
    assert resent.sent
    app.dispatch()

    codes = all_codes_sent(app)
    assert set(latest_codes(app).values()) <= codes
    assert len(codes) == 4  # three first codes and the resent one
    assert len(verifiers(app, request_id)) == 3
    documents = secrets_of(f)
    assert len(documents) == 4
    excused = innocent_text(app)

    # While open: the file and its WAL, read together.
    data = raw_bytes(path)
    assert_absent(data, documents, "ID number")
    checked = [c for c in codes if c not in excused]
    assert checked, "every code collides with a hash or a time by chance"
    assert_absent(data, checked, "code")

    # Closed: the WAL is checkpointed into the file.
    app.close()
    data = raw_bytes(path)
    assert len(data) > 0
    assert_absent(data, documents, "ID number")
    assert_absent(data, checked, "code")
    # The check above would find them: the non-secret values are there in clear.
    assert phone(70).encode() in data
    assert f.subject.holder_name.encode() in data


def test_a_changed_id_number_is_not_stored_in_clear_either(sqlite_app, clock):
    app, path = sqlite_app.app, sqlite_app.path
    f = filing(serial=8, subject_phone=phone(80), website_phones=[phone(81)])
    request_id = submit_and_send(app, clock, f)
    docs = {
        phone(80): f.subject.principal.doc_number,
        phone(81): f.websites[0].principal.doc_number,
    }
    desk, bureau, isp = (session_for(app, name) for name in ("desk", "bureau", "isp"))
    for v in verifiers(app, request_id):
        app.verification.check_code(
            session=desk,
            code=latest_codes(app)[v.phone],
            phone=v.phone,
            id_last6=last6(docs[v.phone]),
        )
    app.review.approve(session=bureau, request_id=request_id)
    with app.ctx.unit_of_work() as session:
        subject_id = session.scalar(select(Subject.id))

    new_number = resident_id(555, region="110101", birth="19900101")
    change_id = app.filings.save_change(
        session=isp,
        subject_id=subject_id,
        change=ChangeInput(subject_principal={"doc_number": new_number}),
    )
    app.submission.submit(session=isp, request_id=change_id)
    send_first_sms(app, clock)
    # The round checks the last six of the NEW number.
    outcome = app.verification.check_code(
        session=desk, code=latest_codes(app)[phone(80)], phone=phone(80), id_last6=last6(new_number)
    )
    assert outcome.request_id == change_id
    assert outcome.result == "verified_request_complete"
    app.review.approve(session=bureau, request_id=change_id)
    with app.ctx.unit_of_work() as session:
        principal = session.get(Principal, session.get(Subject, subject_id).principal_id)
        assert app.ctx.keys.decrypt(principal.doc_number_enc) == new_number

    app.close()
    assert_absent(raw_bytes(path), [new_number, *secrets_of(f)], "ID number")


def test_the_code_table_holds_keyed_hashes_only(sqlite_app, clock):
    app = sqlite_app.app
    f = filing(serial=9, subject_phone=phone(90), website_phones=[phone(91)])
    submit_and_send(app, clock, f)
    codes = latest_codes(app)
    with app.ctx.unit_of_work() as session:
        stored = list(session.scalars(select(Code.code_hash)))
        last6_hashes = list(session.scalars(select(VerifierRole.id_last6_hash)))
        doc_hashes = list(session.scalars(select(Principal.doc_number_hash)))
        doc_hashes += list(session.scalars(select(Subject.doc_number_hash)))
    assert len(stored) == 2
    assert all(HEX64.match(h) for h in stored + last6_hashes + doc_hashes)
    assert set(codes.values()).isdisjoint(stored)
    # Each stored hash is the keyed hash of (phone, code) and of nothing guessable.
    assert {code_hash(app.ctx, p, c) for p, c in codes.items()} == set(stored)
    for p, c in codes.items():
        for plain in (c, f"{p}:{c}", f"code\x00{p}:{c}"):
            assert hashlib.sha256(plain.encode()).hexdigest() not in stored


# -- SecretKeys ------------------------------------------------------------------------
def test_secret_keys_round_trip():
    keys = SecretKeys.from_text(SecretKeys.generate_text())
    for value in ("", "33010619850612100X", "身份证号码 ✓"):
        blob = keys.encrypt(value)
        assert keys.decrypt(blob) == value
        assert value.encode() not in blob or value == ""
    # A fresh nonce each time: the same number never looks the same twice.
    assert keys.encrypt("330106198506121018") != keys.encrypt("330106198506121018")
    other = SecretKeys.from_text(SecretKeys.generate_text())
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        other.decrypt(keys.encrypt("330106198506121018"))
    with pytest.raises(ValueError):
        SecretKeys(b"short")


def test_the_key_file_is_private_and_reused(tmp_path):
    path = tmp_path / "nested" / "dir" / "secret.key"
    first = SecretKeys.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    blob = first.encrypt("330106198506121018")

    second = SecretKeys.load_or_create(path)
    assert path.read_bytes() == content
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert second.decrypt(blob) == "330106198506121018"
    assert second.keyed_hash("doc", "x") == first.keyed_hash("doc", "x")

    elsewhere = SecretKeys.load_or_create(tmp_path / "other.key")
    assert elsewhere.keyed_hash("doc", "x") != first.keyed_hash("doc", "x")


def test_keyed_hashes_are_separated_by_purpose(keys):
    value = "123456"
    purposes = ("code", "last6", "doc")
    digests = {p: keys.keyed_hash(p, value) for p in purposes}
    assert len(set(digests.values())) == len(purposes)
    assert all(HEX64.match(d) for d in digests.values())
    assert keys.keyed_hash("code", value) == digests["code"]  # deterministic
    assert keys.keyed_hash("code", "123457") != digests["code"]
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert keys.keyed_hash("ab", "c") != keys.keyed_hash("a", "bc")
