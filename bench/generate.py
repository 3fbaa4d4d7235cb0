"""N realistic filings, written in bulk, for the benchmarks.

The services would take hours to enter a million requests one by one, so this writes
the rows directly, but decides them the way the services do: who verifies comes
from `rules.plan_verification` (so a province not yet enabled, or a cancellation,
looks as it would), ID numbers and credit codes carry valid check characters and
are encrypted and hashed with the database's keys, phones are real mainland
segments with their carriers, codes exist only as keyed hashes. Every request gets
its own subject, principal(s), website, domain and access record.

Which codes the pending verifiers hold is returned (`Generated.live`), so the
code-check benchmark can answer right and wrong; tests/engine/test_bench_data.py
checks that the services accept the generated rows as their own.

    .venv/bin/python -m bench.generate --size 100000 --overdue 10000
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import time
import uuid
from dataclasses import astuple, dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text

from beian_desktop.demo.identities import credit_code, resident_id
from beian_desktop.demo.places import (
    BRANDS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    INDUSTRIES,
    PHONE_SEGMENTS,
    PROVINCES,
    SURNAMES,
)
from beian_desktop.models import (
    AccessRecord,
    Code,
    Domain,
    Principal,
    Province,
    Request,
    RequestWebsite,
    SmsIntent,
    Subject,
    VerificationRound,
    Verifier,
    VerifierRole,
    Website,
)
from beian_desktop.models.database import upgrade_to_head
from beian_desktop.rules.clock import SHANGHAI
from beian_desktop.rules.documents import last_six
from beian_desktop.rules.errors import InvalidValue
from beian_desktop.rules.phones import MobileNumber, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.who_verifies import RuleInput, Slot, plan_verification
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.terms import (
    BusinessType,
    RequestState,
    ReturnReason,
    Role,
    RoundState,
    SmsKind,
    SmsStatus,
    VerifierState,
)

# The benchmarks' "now": a Monday morning in Beijing.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
# A fixed key so a generated file can be reused between runs; never a real one.
BENCH_KEYS = SecretKeys(hashlib.sha256(b"beian-desktop benchmarks").digest())
CHUNK = 20_000
# Bumped whenever the generator makes different rows, so no stale file is reused.
GENERATION = 2
DEFAULT_DIR = Path(os.environ.get("BEIAN_BENCH_DIR", "/tmp/beian-bench"))

STATES = {  # a desk's long history: most filings are long approved
    RequestState.APPROVED: 58,
    RequestState.VERIFYING: 16,
    RequestState.RETURNED: 11,
    RequestState.BUREAU_REVIEW: 6,
    RequestState.REJECTED: 4,
    RequestState.DRAFT: 5,
}
TYPES = {
    BusinessType.NEW_FILING: 50,
    BusinessType.NEW_WEBSITE: 12,
    BusinessType.NEW_ACCESS: 8,
    BusinessType.CHANGE: 14,
    BusinessType.CHANGE_PHONE: 4,
    BusinessType.CANCEL_SUBJECT: 4,
    BusinessType.CANCEL_WEBSITE: 5,
    BusinessType.CANCEL_ACCESS: 3,
}
RETURN_REASONS = {ReturnReason.EXPIRED: 70, ReturnReason.TRIES_USED_UP: 20,
                  ReturnReason.UNDELIVERABLE: 10}  # fmt: skip
SEPARATE_WEBSITE_PRINCIPAL = 0.35  # else the subject's principal runs the website too
HISTORY_DAYS = 3 * 365
# How far back a request in each state was created: verification takes a day, the
# bureau up to 20 working days; drafts are recent. Everything else spans the history.
RECENT_DAYS = {RequestState.VERIFYING: 4, RequestState.BUREAU_REVIEW: 28, RequestState.DRAFT: 60}
PHONE_RANGES = 2_000  # x 10,000 last-four = 20 million distinct numbers
CARRIER_SEGMENTS = [s for segments in PHONE_SEGMENTS.values() for s in segments]


@dataclass(frozen=True)
class LiveCode:
    """A pending verifier of an open round, with what a caller would type."""

    verifier_id: int
    phone: str
    code: str
    id_last6: str
    overdue: bool


@dataclass(frozen=True)
class Prepared:
    """A generated data set: on SQLite a file (`path`), on PostgreSQL a database."""

    size: int
    live: list[LiveCode]
    url: str
    path: Path | None = None

    @property
    def kind(self) -> str:
        return "postgresql" if self.url.startswith("postgresql") else "sqlite"

    def copy_to(self, target: Path) -> Path:
        """A working copy of the SQLite file, for a benchmark that changes data. It is
        on disk before this returns: otherwise the kernel writes its gigabytes back
        during the next measurement, and that measurement pays for the copy."""
        if self.path is None:
            raise ValueError("a PostgreSQL data set is not copied as a file")
        shutil.copyfile(self.path, target)
        os.sync()
        return target


@dataclass
class Generated:
    requests: int = 0
    verifiers: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    live: list[LiveCode] = field(default_factory=list)
    seconds: float = 0.0


def stored_utc(moment: datetime) -> str:
    """How SQLAlchemy keeps a UTC time in SQLite: what bare SQL must compare with."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"


def _weighted(rng: random.Random, weights: dict[Any, int], n: int) -> list[Any]:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


class _Ids:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


class _Writer:
    """Builds one chunk of rows per table, then inserts them table by table."""

    ORDER = (Principal, Subject, Website, Domain, AccessRecord, Request, RequestWebsite,
             VerificationRound, Verifier, VerifierRole, Code, SmsIntent)  # fmt: skip

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, Any]]] = {t: [] for t in self.ORDER}

    def add(self, table: type, **row: Any) -> None:
        self.rows[table].append(row)

    def flush(self, conn: Any) -> None:
        copy = conn.dialect.name == "postgresql"
        for table in self.ORDER:
            rows = self.rows[table]
            if rows:
                if copy:
                    _copy(conn, table.__tablename__, rows)
                else:
                    conn.execute(insert(table.__table__), rows)
                self.rows[table] = []


def _copy(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    """COPY FROM STDIN: PostgreSQL's bulk load, the same rows an INSERT would write."""
    names = list(rows[0])
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([_plain(row[name]) for name in names])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


class _Generator:
    def __init__(
        self, keys: SecretKeys, provinces: list[Any], seed: int, now: datetime, overdue: int
    ) -> None:
        self.keys = keys
        self.rng = random.Random(seed)
        self.now = now
        self.overdue_left = overdue
        self.ids = _Ids()
        self.policy = Policy()
        self.places = {p.code: p for p in PROVINCES}
        self.provinces = [p for p in provinces if p.code in self.places]
        self.weights = [self.places[p.code].weight for p in self.provinces]
        self.ranges = self._prefixes(PHONE_RANGES)
        self.carriers = {m.number[:7]: m for m in self.ranges}
        self.phones_made = 0
        self.summary = Generated()

    # -- people and numbers ------------------------------------------------------------
    def _prefixes(self, wanted: int) -> list[MobileNumber]:
        """Valid 7-digit ranges on every segment (parse_mobile is too slow to call a
        million times; the carrier and validity of a number follow from its range)."""
        found: dict[str, MobileNumber] = {}
        while len(found) < wanted:
            segment = self.rng.choice(CARRIER_SEGMENTS)
            prefix = segment + "".join(str(self.rng.randrange(10)) for _ in range(7 - len(segment)))
            with contextlib.suppress(InvalidValue):
                found.setdefault(prefix, parse_mobile(prefix + "0000"))
        return sorted(found.values(), key=lambda m: m.number)

    def mobile(self) -> MobileNumber:
        """The n-th distinct number: ranges in turn, then the last four digits."""
        n = self.phones_made
        self.phones_made += 1
        known = self.ranges[n % len(self.ranges)]
        suffix = (n // len(self.ranges)) % 10_000
        return MobileNumber(f"{known.number[:7]}{suffix:04d}", known.carrier, known.is_virtual)

    def person(self, writer: _Writer, region: str) -> tuple[int, str, str, str]:
        male = self.rng.random() < 0.5
        surname, _ = self.rng.choice(SURNAMES)
        given, _ = self.rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(40 * 365))
        doc = resident_id(self.rng, region, born, male)
        mobile = self.mobile().number
        principal_id = self.ids.next("principals")
        writer.add(
            Principal,
            id=principal_id,
            name=surname + given,
            doc_type="resident_id",
            doc_number_enc=self.keys.encrypt(doc),
            doc_number_hash=self.keys.keyed_hash("doc", doc),
            mobile=mobile,
            phone2="",
            emergency_phone="",
            email=f"u{principal_id}@example.cn",
        )
        return principal_id, surname + given, mobile, doc

    # -- one request ---------------------------------------------------------------------
    def created_at(self, state: str) -> datetime:
        days = RECENT_DAYS.get(state, HISTORY_DAYS)
        return self.now - timedelta(seconds=self.rng.randrange(days * 86_400))

    def request(self, writer: _Writer, state: str, business_type: str, created: datetime) -> None:
        rng = self.rng
        province = rng.choices(self.provinces, weights=self.weights)[0]
        place = self.places[province.code]
        city = rng.choice(place.cities)
        district = rng.choice(city.districts)
        brand, brand_py = rng.choice(BRANDS)
        industry, word, kinds = rng.choice(INDUSTRIES)
        submitted = None if state == RequestState.DRAFT else created + timedelta(minutes=30)
        new = business_type in (BusinessType.NEW_FILING,)
        approved = state == RequestState.APPROVED
        subject_active = not new or approved

        principal, p_name, p_mobile, p_doc = self.person(writer, district.code)
        subject_id = self.ids.next("subjects")
        holder = f"{city.short.upper()}{brand}{industry}有限公司{subject_id}"
        credit = credit_code(rng, district.code)
        writer.add(
            Subject,
            id=subject_id,
            status="active" if subject_active else "pending",
            province_code=province.code,
            city=city.name,
            nature="enterprise",
            holder_name=holder,
            doc_type="credit_code",
            doc_number_enc=self.keys.encrypt(credit),
            doc_number_hash=self.keys.keyed_hash("doc", credit),
            document_address=f"{place.name}{city.name}{district.name}{rng.choice(district.streets)}",
            mailing_address="",
            investor=p_name,
            icp_number=f"{province.abbr}ICP备{created:%Y}{subject_id:08d}号"
            if subject_active
            else None,
            website_seq=1,
            remarks="",
            principal_id=principal,
            created_at=created,
        )
        if rng.random() < SEPARATE_WEBSITE_PRINCIPAL:
            site_principal, s_name, s_mobile, s_doc = self.person(writer, district.code)
        else:
            site_principal, s_name, s_mobile, s_doc = principal, p_name, p_mobile, p_doc
        website_id = self.ids.next("websites")
        writer.add(
            Website,
            id=website_id,
            subject_id=subject_id,
            status="active" if subject_active else "pending",
            name=f"{brand}{rng.choice(kinds)}",
            home_url=f"www.{brand_py}{word}{website_id}.cn",
            service_content="",
            language="zh_CN",
            preapproval_type="",
            preapproval_number="",
            principal_id=site_principal,
            icp_number=f"{province.abbr}ICP备{created:%Y}{subject_id:08d}号-1"
            if subject_active
            else None,
            remarks="",
        )
        writer.add(
            Domain,
            id=self.ids.next("domains"),
            website_id=website_id,
            name=f"{brand_py}{word}{website_id}.cn",
            position=0,
        )
        access_id = self.ids.next("access_records")
        writer.add(
            AccessRecord,
            id=access_id,
            website_id=website_id,
            status="active" if subject_active else "pending",
            isp_name="云帆互联数据服务有限公司",
            method="云服务器",
            server_ips=f"10.{website_id >> 16 & 255}.{website_id >> 8 & 255}.{website_id & 255}",
        )
        request_id = self.ids.next("requests")
        decided = state in (RequestState.APPROVED, RequestState.REJECTED)
        ended = submitted + timedelta(hours=rng.uniform(1, 20)) if submitted else None
        reason = _weighted(rng, RETURN_REASONS, 1)[0] if state == RequestState.RETURNED else None
        request = dict(
            id=request_id,
            business_type=business_type,
            state=state,
            subject_id=subject_id,
            province_code=province.code,
            entered_by="isp.bench",
            created_at=created,
            submitted_at=submitted,
            state_changed_at=ended or created,
            phone_change_approved_at=submitted if business_type == "change_phone" else None,
            return_reason=reason,
            returned_verifier_id=None,
            decision_reason="材料不全" if state == RequestState.REJECTED else "",
            decided_by="bureau.bench" if decided else None,
            decided_at=ended if decided else None,
            remarks="",
        )
        writer.add(RequestWebsite, request_id=request_id, website_id=website_id,
                   access_id=access_id)  # fmt: skip
        self.summary.by_state[state] = self.summary.by_state.get(state, 0) + 1
        self.summary.requests += 1
        if submitted is not None:
            subject_slot = Slot(principal, Role.SUBJECT_PRINCIPAL, None, p_name, p_mobile,
                                last_six(p_doc))  # fmt: skip
            site_slot = Slot(site_principal, Role.WEBSITE_PRINCIPAL, website_id, s_name,
                             s_mobile, last_six(s_doc))  # fmt: skip
            plan = plan_verification(
                RuleInput(
                    business_type=BusinessType(business_type),
                    subject_principal=subject_slot,
                    website_principals=(site_slot,),
                    submitted_on=submitted.astimezone(SHANGHAI).date(),
                    province_verification_from=province.verification_from,
                    subject_changed=True,
                    changed_website_ids=frozenset({website_id}),
                    changed_principal_ids=frozenset({principal}),
                )
            )
            if plan.needs_verification:
                self.round(writer, request, plan, submitted, ended)
            elif state in (RequestState.VERIFYING, RequestState.RETURNED):
                request["state"] = RequestState.BUREAU_REVIEW  # nothing to verify
                request["return_reason"] = None
        writer.add(Request, **request)

    def round(self, writer: _Writer, request: dict[str, Any], plan: Any, submitted: datetime,
              ended: datetime | None) -> None:  # fmt: skip
        rng = self.rng
        state = request["state"]
        live = state == RequestState.VERIFYING
        overdue = live and self.overdue_left > 0
        if overdue:
            self.overdue_left -= len(plan.verifiers())
            first_sent = self.now - timedelta(hours=24) - timedelta(seconds=rng.randrange(86_400))
        elif live:
            first_sent = self.now - timedelta(seconds=rng.randrange(20 * 3600))
        else:
            first_sent = submitted + self.policy.send_delay
        undeliverable = request["return_reason"] == ReturnReason.UNDELIVERABLE
        deadline = None if undeliverable else first_sent + self.policy.window
        round_state = {
            RequestState.VERIFYING: RoundState.OPEN,
            RequestState.RETURNED: RoundState.FAILED,
        }.get(state, RoundState.PASSED)
        round_id = self.ids.next("verification_rounds")
        writer.add(
            VerificationRound,
            id=round_id,
            request_id=request["id"],
            number=1,
            state=round_state,
            quorum=plan.quorum,
            created_at=submitted,
            send_due_at=submitted + self.policy.send_delay,
            first_sent_at=None if undeliverable else first_sent,
            deadline=deadline,
            auto_resend_at=None,
            auto_resend_done_at=None,
            ended_at=None if live else ended,
        )
        for n, vp in enumerate(plan.verifiers()):
            verifier_id = self.ids.next("verifiers")
            known = self.carriers[vp.phone[:7]]  # every number came from mobile()
            if live:
                v_state = VerifierState.PENDING
            elif state == RequestState.RETURNED:
                v_state = (
                    VerifierState.FAILED
                    if (n == 0 and request["return_reason"] == ReturnReason.TRIES_USED_UP)
                    else VerifierState.EXPIRED
                )
                if n == 0:
                    request["returned_verifier_id"] = verifier_id
            else:
                v_state = VerifierState.VERIFIED
            writer.add(
                Verifier,
                id=verifier_id,
                round_id=round_id,
                phone=vp.phone,
                carrier=known.carrier,
                is_virtual=known.is_virtual,
                name=vp.name,
                state=v_state,
                wrong_tries=3 if v_state == VerifierState.FAILED else 0,
                manual_resends=0,
                last_send_at=None if undeliverable else first_sent,
                verified_at=ended if v_state == VerifierState.VERIFIED else None,
                ended_at=None if live else ended,
            )
            for s in vp.slots:
                writer.add(
                    VerifierRole,
                    id=self.ids.next("verifier_roles"),
                    verifier_id=verifier_id,
                    principal_id=s.principal_id,
                    role=s.role,
                    website_id=s.website_id,
                    id_last6_hash=self.keys.keyed_hash("last6", s.id_last6),
                )
            code = f"{rng.randrange(10**6):06d}"
            code_id = self.ids.next("codes")
            writer.add(
                Code,
                id=code_id,
                verifier_id=verifier_id,
                code_hash=self.keys.keyed_hash("code", f"{vp.phone}:{code}"),
                issued_at=submitted,
                superseded_at=None if live else ended,
            )
            writer.add(
                SmsIntent,
                id=self.ids.next("sms_intents"),
                verifier_id=verifier_id,
                code_id=code_id,
                kind=SmsKind.INITIAL,
                phone=vp.phone,
                carrier=known.carrier,
                sender_number=self.policy.sender_number(known.carrier),
                idempotency_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                code_enc=self.keys.encrypt(code) if live else b"",
                status=SmsStatus.FAILED if undeliverable else SmsStatus.SENT,
                due_at=submitted + self.policy.send_delay,
                created_at=submitted,
                attempts=1,
                sent_at=None if undeliverable else first_sent,
                delivery_status=None if undeliverable else "delivered",
            )
            self.summary.verifiers += 1
            if live:
                self.summary.live.append(
                    LiveCode(verifier_id, vp.phone, code, vp.slots[0].id_last6, overdue)
                )


def generate(
    database_url: str,
    keys: SecretKeys,
    *,
    size: int,
    seed: int = 1,
    now: datetime = NOW,
    overdue: int = 0,
) -> Generated:
    """Fills an empty, migrated database with `size` requests; open rounds holding
    about `overdue` pending verifiers are left past their deadline (as if the app had
    been closed over a weekend)."""
    started = time.perf_counter()
    engine = create_engine(database_url)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        provinces = list(conn.execute(select(Province)).all())
        if conn.scalar(select(Request.id).limit(1)) is not None:
            raise SystemExit(f"{database_url} already holds requests; generate into a new one")
    gen = _Generator(keys, provinces, seed, now, overdue)
    # Ids follow creation, as they do at a desk: the open rounds are among the newest
    # rows, and rounds that go overdue together lie together (the oldest open ones).
    states = _weighted(gen.rng, STATES, size)
    types = _weighted(gen.rng, TYPES, size)
    requests = sorted(zip((gen.created_at(s) for s in states), states, types, strict=True))
    writer = _Writer()
    for start in range(0, size, CHUNK):
        with engine.begin() as conn:
            for created, state, business_type in requests[start : start + CHUNK]:
                gen.request(writer, state, business_type, created)
            writer.flush(conn)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # ids were given: move the sequences on
            for table in _Writer.ORDER:
                name = table.__tablename__
                if "id" in table.__table__.c:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                            f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
                        )
                    )
        if engine.dialect.name == "sqlite":
            conn.execute(text("ANALYZE"))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:  # one self-contained file, ready to be copied
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:  # statistics, and the visibility map index-only scans read
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    gen.summary.seconds = time.perf_counter() - started
    return gen.summary


def prepared(folder: Path, *, size: int, overdue: int = 0, seed: int = 1) -> Prepared:
    """A generated SQLite file, made once per size and seed and then reused (a million
    requests take minutes to write); a newer schema is reached by the migrations, as a
    workstation's database is. Benchmarks that change data copy it."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"beian-g{GENERATION}-{size}-{overdue}-{seed}"
    path, codes = stem.with_suffix(".sqlite3"), stem.with_suffix(".codes.json")
    if not (path.exists() and codes.exists()):
        for stale in (path, codes):
            stale.unlink(missing_ok=True)
        partial = stem.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        summary = generate(f"sqlite:///{partial}", BENCH_KEYS, size=size, seed=seed,
                           overdue=overdue)  # fmt: skip
        # Bench-only codes of bench-only people, kept so a reused file can be checked.
        codes.write_text(json.dumps([astuple(c) for c in summary.live]), encoding="utf-8")
        partial.rename(path)
        print(f"generated {path.name}: {summary.requests} requests, "
              f"{summary.verifiers} verifiers in {summary.seconds:.0f} s", flush=True)  # fmt: skip
    engine = create_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)  # nothing to do unless a migration came since it was made
    with engine.connect() as conn:  # copies of the file alone must hold everything
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    live = [LiveCode(*row) for row in json.loads(codes.read_text(encoding="utf-8"))]
    return Prepared(size, live, f"sqlite:///{path}", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--overdue", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where files are kept")
    args = parser.parse_args()
    made = prepared(args.dir, size=args.size, overdue=args.overdue, seed=args.seed)
    print(made.path)


if __name__ == "__main__":
    main()
