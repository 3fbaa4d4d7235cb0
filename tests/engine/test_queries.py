"""The read services the views display (services/reading/), headless.

Every list is checked against the rows themselves: the filings list against a
filter applied in Python to the request table, page after page, under each of the
query plans (the small candidate set, and the newest-first index walks, forced by
shrinking the probe). What leaves the service is plain frozen dataclasses with
phones and ID numbers masked, and the SQL pages by keyset, never by OFFSET.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from beian_desktop.models import Request, SmsIntent, Subject, VerificationRound, Verifier
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.rules.errors import NotFound, ValidationFailed
from beian_desktop.rules.inputs import FilingInput, WebsiteInput
from beian_desktop.rules.read_models import FilingFilter, FilingRow, RequestDetail
from beian_desktop.services.beian import Beian
from beian_desktop.services.reading import filing_query, sorted_query
from beian_desktop.terms import BusinessType, RequestState, ReturnReason

from defaults import START
from factories import credit_code, filing, phone, principal, resident_id, website
from journeys import latest_codes, request_row, send_first_sms, verifiers
from staff import FAST_HASHER, session_for

QUERY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Many examples, each on a database of its own: 74 s seen (test_filing_sorts) on a loaded
# 2-core machine, close to the default timeout (120 s), which is there for hangs.
QUERY_TIMEOUT = pytest.mark.timeout(600)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


# -- plans: the same answers whichever way the page is read ---------------------------
PLANS: dict[str, dict[str, int]] = {
    "keyset": {},  # one plain keyset query; the database picks the index
}


def use_plan(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    for name, value in PLANS[plan].items():
        module = sorted_query if name == "WALK_BUDGET" else filing_query
        monkeypatch.setattr(module, name, value)


@pytest.fixture(params=sorted(PLANS))
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    use_plan(monkeypatch, request.param)
    return request.param


# -- helpers ---------------------------------------------------------------------------
def docs_by_phone(f: FilingInput | WebsiteInput) -> dict[str, str]:
    people = (
        [f.subject.principal, *(w.principal for w in f.websites)]
        if isinstance(f, FilingInput)
        else [f.principal]
    )
    return {p.mobile: p.doc_number or "" for p in people}


def verify_all(app: Beian, request_id: int, docs: dict[str, str]) -> None:
    codes = latest_codes(app)
    for v in verifiers(app, request_id):
        outcome = app.verification.check_code(
            code=codes[v.phone],
            phone=v.phone,
            id_last6=docs[v.phone][-6:],
            session=session_for(app, "web"),
        )
        assert "核验完成" in outcome.message, outcome.message


def submit(app: Beian, f: FilingInput) -> int:
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    assert (
        app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    return request_id


def all_pages(app: Beian, wanted: FilingFilter, limit: int) -> list[int]:
    ids: list[int] = []
    after = None
    for _ in range(1000):
        page = app.queries.list_filings(
            session=session_for(app, "isp"), filter=wanted, after=after, limit=limit
        )
        assert len(page.rows) <= limit
        assert all(isinstance(r, FilingRow) for r in page.rows)
        new = [r.request_id for r in page.rows]
        assert not set(new) & set(ids), "a request came twice"
        ids += new
        if page.next_cursor is None:
            return ids
        assert len(page.rows) == limit  # a page that says "more" is full
        after = page.next_cursor
    raise AssertionError("the pages never ended")


def truth(app: Beian) -> list[Request]:
    with app.ctx.unit_of_work() as session:
        return list(session.scalars(select(Request).order_by(Request.id.desc())))


def shanghai_day(moment: datetime | None) -> date | None:
    return moment.astimezone(SHANGHAI).date() if moment else None


def expected(rows: list[Request], wanted: FilingFilter) -> list[int]:
    """The filter applied in Python to the rows themselves (no search)."""

    def keep(r: Request) -> bool:
        day = shanghai_day(r.submitted_at)
        return (
            (not wanted.states or r.state in wanted.states)
            and (not wanted.business_types or r.business_type in wanted.business_types)
            and (not wanted.province_codes or r.province_code in wanted.province_codes)
            and (
                wanted.submitted_from is None or (day is not None and day >= wanted.submitted_from)
            )
            and (wanted.submitted_to is None or (day is not None and day <= wanted.submitted_to))
        )

    return [r.id for r in rows if keep(r)]


def every_value(thing: object) -> Iterator[object]:
    """Each dataclass, tuple, list, dict and leaf reachable from `thing`."""
    yield thing
    if is_dataclass(thing) and not isinstance(thing, type):
        for f in fields(thing):
            yield from every_value(getattr(thing, f.name))
    elif isinstance(thing, list | tuple | set | frozenset):
        for item in thing:
            yield from every_value(item)
    elif isinstance(thing, dict):
        for key, value in thing.items():
            yield from every_value(key)
            yield from every_value(value)


# -- a small world: every state, three provinces, two types, four days ------------------
@dataclass
class World:
    returned: int  # Beijing (11), submitted on the 23rd, expired on the 24th
    approved: int  # 33, the 23rd
    draft: int  # 44, never submitted
    in_review: int  # 11, submitted at 23:30 on the 25th, verified
    verifying: int  # 33, the 26th; websites with an IDN domain
    new_website: int  # 33, the 26th, on the approved subject
    filings: dict[str, FilingInput]
    added_site: WebsiteInput


IDN = "例子.中国"


def build_world(app: Beian, clock: ManualClock) -> World:
    f_returned = filing(serial=6, province="11")
    f_approved = filing(serial=3)
    f_draft = filing(serial=2, province="44")
    f_review = filing(serial=5, province="11")
    base = filing(serial=1, website_phones=[phone(11), phone(12)])
    second = replace(base.websites[1], domains=[IDN, "www.site102.com"])
    f_verifying = replace(base, websites=[base.websites[0], second])
    added = website(401, principal_input=principal(401))

    clock.set(at(23, 10))
    returned = submit(app, f_returned)
    approved = submit(app, f_approved)
    send_first_sms(app, clock)
    verify_all(app, approved, docs_by_phone(f_approved))
    assert (
        app.review.approve(request_id=approved, session=session_for(app, "bureau")).state
        == RequestState.APPROVED
    )
    draft = app.filings.save_new_filing(filing=f_draft, session=session_for(app, "isp"))

    clock.set(at(24, 12))
    app.tick()  # the returned one's round ran out at 10:05
    assert request_row(app, returned).state == RequestState.RETURNED

    clock.set(at(25, 23, 30))
    in_review = submit(app, f_review)
    send_first_sms(app, clock)
    verify_all(app, in_review, docs_by_phone(f_review))

    clock.set(at(26, 9))
    verifying = submit(app, f_verifying)
    subject_id = request_row(app, approved).subject_id
    new_website = app.filings.save_new_website(
        subject_id=subject_id, website=added, session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=new_website, session=session_for(app, "isp"))
        == RequestState.VERIFYING
    )
    send_first_sms(app, clock)
    return World(
        returned,
        approved,
        draft,
        in_review,
        verifying,
        new_website,
        {
            "returned": f_returned,
            "approved": f_approved,
            "draft": f_draft,
            "in_review": f_review,
            "verifying": f_verifying,
        },
        added,
    )


@pytest.fixture
def world(app: Beian, clock: ManualClock) -> World:
    return build_world(app, clock)


def test_the_world_is_what_the_filters_are_tested_on(app, world):
    rows = {r.id: r for r in truth(app)}
    assert {r.state for r in rows.values()} == {
        RequestState.RETURNED,
        RequestState.APPROVED,
        RequestState.DRAFT,
        RequestState.BUREAU_REVIEW,
        RequestState.VERIFYING,
    }
    assert rows[world.new_website].business_type == BusinessType.NEW_WEBSITE
    assert shanghai_day(rows[world.in_review].submitted_at) == date(2026, 11, 25)
    assert rows[world.in_review].submitted_at.astimezone(UTC).day == 25  # 15:30 UTC
    assert rows[world.draft].submitted_at is None


# -- paging ----------------------------------------------------------------------------
_examples = itertools.count()


@contextmanager
def fresh_app(template: Path, directory: Path, keys) -> Iterator[Beian]:
    path = directory / f"paging-{next(_examples)}.sqlite3"
    shutil.copy(template, path)
    app = Beian.open(
        database_url=f"sqlite:///{path}",
        keys=keys,
        clock=ManualClock(START),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    try:
        yield app
    finally:
        app.close()


@QUERY_TIMEOUT
@QUERY_SETTINGS
@given(
    n=st.integers(0, 9),
    page_size=st.integers(1, 5),
    plan=st.sampled_from(sorted(PLANS)),
    submitted=st.sets(st.integers(0, 8)),
)
def test_pages_hold_every_request_once_newest_first(
    migrated_sqlite, tmp_path, keys, monkeypatch, n, page_size, plan, submitted
):
    with monkeypatch.context() as patch, fresh_app(migrated_sqlite, tmp_path, keys) as app:
        use_plan(patch, plan)
        ids = []
        for i in range(n):
            request_id = app.filings.save_new_filing(
                filing=filing(serial=i + 1), session=session_for(app, "isp")
            )
            if i in submitted:
                app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
            ids.append(request_id)
        newest_first = sorted(ids, reverse=True)
        assert all_pages(app, FilingFilter(), page_size) == newest_first
        verifying = FilingFilter(states=frozenset({RequestState.VERIFYING}))
        wanted = [ids[i] for i in sorted(submitted) if i < n][::-1]
        assert all_pages(app, verifying, page_size) == wanted
        assert (
            app.queries.count_filings(session=session_for(app, "isp"), filter=FilingFilter()) == n
        )
        assert app.queries.count_filings(session=session_for(app, "isp"), filter=verifying) == len(
            wanted
        )


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
def test_paging_the_world_in_any_page_size_and_any_plan(app, world, plan, page_size):
    everything = [r.id for r in truth(app)]
    assert len(everything) == 6
    assert all_pages(app, FilingFilter(), page_size) == everything


def test_a_page_that_ends_exactly_at_the_last_request_says_so(app, world):
    page = app.queries.list_filings(session=session_for(app, "isp"), filter=FilingFilter(), limit=6)
    assert len(page.rows) == 6 and page.next_cursor is None
    page = app.queries.list_filings(session=session_for(app, "isp"), filter=FilingFilter(), limit=5)
    assert page.next_cursor == page.rows[-1].request_id


def test_a_bad_cursor_or_limit_is_refused(app):
    with pytest.raises(ValueError):
        app.queries.list_filings(session=session_for(app, "isp"), filter=FilingFilter(), after="12")
    with pytest.raises(ValueError):
        app.queries.list_filings(session=session_for(app, "isp"), filter=FilingFilter(), limit=0)


# -- filters ---------------------------------------------------------------------------
FILTERS = {
    "verifying": FilingFilter(states=frozenset({"verifying"})),
    "returned_or_draft": FilingFilter(states=frozenset({"returned", "draft"})),
    "new_website": FilingFilter(business_types=frozenset({"new_website"})),
    "new_filing": FilingFilter(business_types=frozenset({"new_filing"})),
    "beijing": FilingFilter(province_codes=frozenset({"11"})),
    "zhejiang_or_guangdong": FilingFilter(province_codes=frozenset({"33", "44"})),
    "verifying_in_zhejiang": FilingFilter(
        states=frozenset({"verifying"}), province_codes=frozenset({"33"})
    ),
    "new_filing_verifying_zhejiang": FilingFilter(
        states=frozenset({"verifying", "approved"}),
        business_types=frozenset({"new_filing"}),
        province_codes=frozenset({"33"}),
    ),
    "on_the_25th": FilingFilter(submitted_from=date(2026, 11, 25), submitted_to=date(2026, 11, 25)),
    "from_the_26th": FilingFilter(submitted_from=date(2026, 11, 26)),
    "until_the_24th": FilingFilter(submitted_to=date(2026, 11, 24)),
    "no_day": FilingFilter(submitted_from=date(2026, 11, 27)),
    "days_and_state": FilingFilter(
        states=frozenset({"returned", "approved"}),
        submitted_from=date(2026, 11, 23),
        submitted_to=date(2026, 11, 23),
    ),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_each_filter_lists_exactly_its_requests(app, world, plan, name):
    wanted = FILTERS[name]
    rows = truth(app)
    want = expected(rows, wanted)
    assert all_pages(app, wanted, 2) == want
    assert all_pages(app, wanted, 100) == want
    assert app.queries.count_filings(session=session_for(app, "isp"), filter=wanted) == len(want)


def test_the_dates_are_shanghai_days(app, world):
    """23:30 on the 25th in Shanghai is 15:30 UTC: still the 25th."""
    on_25 = FILTERS["on_the_25th"]
    assert all_pages(app, on_25, 10) == [world.in_review]
    from_26 = FILTERS["from_the_26th"]
    assert world.in_review not in all_pages(app, from_26, 10)


@QUERY_TIMEOUT
@QUERY_SETTINGS
@given(data=st.data())
def test_any_combination_of_filters_lists_what_the_rows_say(app, world, monkeypatch, data):
    rows = truth(app)
    days = [None, *(date(2026, 11, d) for d in range(22, 28))]
    wanted = FilingFilter(
        states=frozenset(data.draw(st.sets(st.sampled_from([s.value for s in RequestState])))),
        business_types=frozenset(
            data.draw(st.sets(st.sampled_from(["new_filing", "new_website", "change"])))
        ),
        province_codes=frozenset(data.draw(st.sets(st.sampled_from(["11", "33", "44", "51"])))),
        submitted_from=data.draw(st.sampled_from(days)),
        submitted_to=data.draw(st.sampled_from(days)),
    )
    page_size = data.draw(st.integers(1, 4))
    with monkeypatch.context() as patch:
        use_plan(patch, data.draw(st.sampled_from(sorted(PLANS))))
        assert all_pages(app, wanted, page_size) == expected(rows, wanted)
        assert app.queries.count_filings(session=session_for(app, "isp"), filter=wanted) == len(
            expected(rows, wanted)
        )


def test_rows_carry_names_provinces_times_and_the_open_deadline(app, world):
    rows = {
        r.request_id: r
        for r in app.queries.list_filings(
            session=session_for(app, "isp"), filter=FilingFilter()
        ).rows
    }
    row = rows[world.verifying]
    assert row.subject_name == "杭州测试科技有限公司1"
    assert (row.province_code, row.province_name) == ("33", "浙江省")
    assert row.business_type == "new_filing" and row.state == "verifying"
    assert row.submitted_at == at(26, 9) and row.submitted_at.tzinfo is not None
    assert row.created_at == at(26, 9)
    assert row.deadline == at(26, 9, 5) + timedelta(hours=24)
    assert rows[world.approved].deadline is None
    assert rows[world.returned].deadline is None  # its round is over
    assert rows[world.draft].submitted_at is None


# -- search ----------------------------------------------------------------------------
def search(app: Beian, text: str, **filters: object) -> list[int]:
    wanted = FilingFilter(search=text, **filters)  # type: ignore[arg-type]
    ids = all_pages(app, wanted, 2)
    assert app.queries.count_filings(session=session_for(app, "isp"), filter=wanted) == len(ids)
    return ids


def test_search_by_phone_finds_any_principal_of_the_request(app, world, plan):
    # A website principal, typed as people type it.
    assert search(app, "+86 138-0013-0011") == [world.verifying]
    assert search(app, phone(12)) == [world.verifying]
    assert search(app, phone(100)) == [world.verifying]  # its subject principal
    # The approved subject's principal answers for the new website's request too.
    assert search(app, phone(300)) == [world.new_website, world.approved]
    assert search(app, phone(401)) == [world.new_website]  # the added site's principal
    assert search(app, phone(9999)) == []
    assert search(app, phone(300), states=frozenset({"approved"})) == [world.approved]


def test_search_by_phone_finds_a_verifier_at_a_new_number(app, clock, plan):
    """change_phone: the round runs at the new number, which no principal has yet."""
    f = filing(serial=7)
    first = submit(app, f)
    send_first_sms(app, clock)
    verify_all(app, first, docs_by_phone(f))
    app.review.approve(request_id=first, session=session_for(app, "bureau"))
    subject_id = request_row(app, first).subject_id
    with app.ctx.unit_of_work() as session:
        principal_id = session.get(Subject, subject_id).principal_id
    new_number = phone(7777, "unicom")
    change = app.filings.save_phone_change(
        principal_id=principal_id, new_mobile=new_number, session=session_for(app, "isp")
    )
    app.submission.submit(request_id=change, session=session_for(app, "isp"))
    # the bureau approves the number
    app.review.approve(request_id=change, session=session_for(app, "bureau"))
    assert [v.phone for v in verifiers(app, change)] == [new_number]
    assert search(app, new_number) == [change]


def test_search_by_id_number_is_exact_and_forgiving_in_how_it_is_typed(app, world, plan):
    # The approved subject's credit code: its own request and the new website's.
    code = credit_code(3)
    assert search(app, code) == [world.new_website, world.approved]
    assert search(app, " ".join([code[:6], code[6:12], code[12:]]).lower()) == [
        world.new_website,
        world.approved,
    ]
    person = resident_id(101)  # the verifying filing's first website principal
    assert search(app, person) == [world.verifying]
    assert search(app, person.lower()) == [world.verifying]
    assert search(app, person[:-1]) == []  # a prefix of a number finds nothing
    assert search(app, credit_code(99)) == []


def test_search_by_domain_in_unicode_punycode_or_any_case(app, world, plan):
    assert search(app, IDN) == [world.verifying]
    assert search(app, "xn--fsqu00a.xn--fiqs8s") == [world.verifying]
    assert search(app, "例子。中国") == [world.verifying]  # the ideographic full stop
    assert search(app, "SITE101.CN") == [world.verifying]
    assert search(app, "site301.cn") == [world.approved]
    assert search(app, "site401.cn") == [world.new_website]
    assert search(app, "nowhere.cn") == []


def test_search_by_holder_name_anywhere_in_it(app, world, plan):
    everyone = [r.id for r in truth(app)]
    assert search(app, "杭州测试科技") == everyone
    assert search(app, "杭州测试科技有限公司3") == [world.new_website, world.approved]
    assert search(app, "测试科技") == everyone  # the middle of a name is a fragment too
    assert search(app, "杭州测试科技有限公司_") == []  # LIKE wildcards are literal
    assert search(app, "杭州%") == []
    assert search(app, "杭州", province_codes=frozenset({"11"})) == [
        world.in_review,
        world.returned,
    ]


def test_a_name_that_looks_like_a_passport_is_still_searched_as_a_name(app, clock):
    f = filing(serial=8)
    f = replace(f, subject=replace(f.subject, holder_name="51JOB科技"))
    request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    assert search(app, "51JOB") == [request_id]


# -- masking ---------------------------------------------------------------------------
def test_no_clear_phone_or_id_number_leaves_the_read_services(app, clock, world):
    app.verification.check_code(
        code="000000", phone=phone(11), id_last6="ZZZZZZ", session=session_for(app, "web")
    )
    clock.advance(timedelta(minutes=2))
    app.verification.resend_code(
        phone=phone(12), id_last6=resident_id(102)[-6:], session=session_for(app, "desk")
    )
    app.dispatch()
    results: list[object] = [
        app.queries.list_filings(session=session_for(app, "isp"), filter=FilingFilter()),
        app.queries.list_filings(
            session=session_for(app, "isp"), filter=FilingFilter(search=phone(11))
        ),
        app.queries.pending_verifiers(session=session_for(app, "desk")),
        app.queries.caller_lookup(session=session_for(app, "desk"), phone=phone(11)),
        app.queries.returned_filings(session=session_for(app, "sup")),
        app.queries.bureau_queue(session=session_for(app, "bureau")),
        app.queries.outbox(session=session_for(app, "desk")),
        app.queries.return_stats(session=session_for(app, "sup"), days=7),
        *(
            app.queries.request_detail(session=session_for(app, "isp"), request_id=r.id)
            for r in truth(app)
        ),
    ]
    text = repr(results)
    phones = set()
    documents = set()
    for f in [*world.filings.values(), world.added_site]:
        people = (
            [f.subject.principal, *(w.principal for w in f.websites)]
            if isinstance(f, FilingInput)
            else [f.principal]
        )
        phones |= {p.mobile for p in people}
        documents |= {p.doc_number for p in people if p.doc_number}
        if isinstance(f, FilingInput):
            documents.add(f.subject.doc_number)
    assert len(phones) >= 10 and len(documents) >= 12
    for number in phones:
        assert number not in text
        assert f"{number[:3]}****{number[7:]}" in text
    for number in documents:
        assert number not in text
        if not number.startswith("91"):  # a resident ID: what a verifier proves with
            assert number[-6:] not in text
    for code in latest_codes(app).values():
        assert code not in text
    # Plain frozen dataclasses and values: no ORM object, nothing to lazy-load.
    for value in every_value(results):
        assert type(value).__module__.split(".")[0] in {"builtins", "datetime", "beian_desktop"}
        if is_dataclass(value):
            assert type(value).__module__ == "beian_desktop.rules.read_models"
            assert type(value).__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_an_endpoint_error_shows_no_number_or_code(app, world):
    with app.ctx.unit_of_work() as session:
        intent = session.scalars(
            select(SmsIntent)
            .join(Verifier, Verifier.id == SmsIntent.verifier_id)
            .join(VerificationRound, VerificationRound.id == Verifier.round_id)
            .where(VerificationRound.request_id == world.verifying)
        ).first()
        intent.last_error = f"HTTP 400: bad number {intent.phone}, code 123456 refused"
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=world.verifying)
    errors = [s.last_error for r in detail.rounds for s in r.sms if s.last_error]
    assert errors == [
        f"HTTP 400: bad number {intent.phone[:3]}****{intent.phone[7:]}, code ****** refused"
    ]


# -- one request in full ---------------------------------------------------------------
def test_detail_has_verifiers_with_tries_left_and_the_timeline_in_order(app, clock, world):
    outcome = app.verification.check_code(
        code="000000",
        phone=phone(100),
        id_last6=resident_id(100)[-6:],
        session=session_for(app, "desk.li"),
    )
    assert outcome.tries_left == 2
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=world.verifying)
    assert isinstance(detail, RequestDetail)
    assert (detail.state, detail.business_type, detail.province_name) == (
        "verifying",
        "new_filing",
        "浙江省",
    )
    assert detail.subject_name == "杭州测试科技有限公司1"
    code = credit_code(1)
    assert detail.subject_doc_masked == code[:3] + "*" * 14 + code[-1]
    assert detail.subject_principal.phone_masked == "138****0100"
    assert [w.name for w in detail.websites] == ["测试网站101", "测试网站102"]
    assert detail.websites[1].domains == (IDN, "www.site102.com")
    assert detail.websites[0].domains == ("site101.cn", "www.site101.com")

    (rnd,) = detail.rounds
    assert rnd.number == 1 and rnd.state == "open" and rnd.quorum == "all"
    assert rnd.deadline == at(26, 9, 5) + timedelta(hours=24)
    by_phone = {v.phone_masked: v for v in rnd.verifiers}
    subject_principal = by_phone["138****0100"]
    assert subject_principal.roles == ("subject_principal",)
    assert subject_principal.tries_left == 2
    assert subject_principal.manual_resends_left == 2
    assert subject_principal.sender_number == "106575000130"  # China Mobile
    assert subject_principal.deadline == rnd.deadline
    assert subject_principal.last_send_at == at(26, 9, 5)
    assert by_phone["138****0011"].roles == ("website_principal:测试网站101",)
    assert by_phone["138****0011"].tries_left == 3
    assert len(rnd.sms) == 3
    assert {s.status for s in rnd.sms} == {"sent"}
    assert {s.kind for s in rnd.sms} == {"initial"}
    assert all(s.sent_at == at(26, 9, 5) and s.attempts == 1 for s in rnd.sms)

    times = [e.at for e in detail.timeline]
    assert times == sorted(times)
    actions = [e.action for e in detail.timeline]
    story = ["draft_created", "submitted", "round_started", "sms_sent", "wrong_try"]
    positions = [actions.index(a) for a in story]
    assert positions == sorted(positions), actions
    wrong = next(e for e in detail.timeline if e.action == "wrong_try")
    assert wrong.actor == "desk.li" and wrong.details["wrong_tries"] == 1
    assert detail.return_reason is None and detail.returned_verifier_name is None


def test_detail_of_a_returned_request_says_why_and_who(app, world):
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=world.returned)
    assert detail.state == "returned"
    assert detail.return_reason == ReturnReason.EXPIRED
    assert detail.returned_verifier_name == "负责人600"
    assert detail.rounds[0].state == "failed"
    assert {v.state for v in detail.rounds[0].verifiers} == {"expired"}
    assert detail.timeline[-1].action == "returned"


def test_detail_of_an_unknown_request(app):
    with pytest.raises(NotFound):
        app.queries.request_detail(session=session_for(app, "isp"), request_id=12345)


# -- the help desk -----------------------------------------------------------------------
def test_pending_verifiers_soonest_deadline_first_then_the_unsent(app, clock):
    clock.set(at(23, 10))
    early = submit(app, filing(serial=1))
    send_first_sms(app, clock)
    clock.set(at(23, 15))
    late = submit(app, filing(serial=2, website_phones=[phone(200)]))  # one person
    send_first_sms(app, clock)
    clock.set(at(23, 16))
    unsent = submit(app, filing(serial=3))

    rows = app.queries.pending_verifiers(session=session_for(app, "desk"))
    assert [r.request_id for r in rows] == [early, early, late, unsent, unsent]
    deadlines = [r.deadline for r in rows]
    assert deadlines[:3] == [at(24, 10, 5)] * 2 + [at(24, 15, 5)]
    assert deadlines[3:] == [None, None]
    assert rows[0].subject_name == "杭州测试科技有限公司1"
    assert rows[0].tries_left == 3 and rows[0].manual_resends_left == 2
    assert rows[0].phone_masked == "138****0100" and rows[0].state == "pending"
    # Spacing: 60 s after the last send; the unsent get theirs after they go out.
    assert rows[0].next_resend_at is None  # sent at 10:05, it is 16:00
    assert rows[2].next_resend_at is None  # sent at 15:05
    assert rows[3].next_resend_at == at(23, 16, 5) + timedelta(seconds=60)
    assert [
        r.request_id
        for r in app.queries.pending_verifiers(session=session_for(app, "desk"), limit=2)
    ] == [early, early]
    assert len(app.queries.pending_verifiers(session=session_for(app, "desk"), limit=4)) == 4


def test_next_resend_at_follows_a_resend_and_counts_down_the_cap(app, clock):
    f = filing(serial=1)
    request_id = submit(app, f)
    send_first_sms(app, clock)
    subject_phone = f.subject.principal.mobile
    last6 = f.subject.principal.doc_number[-6:]
    clock.advance(timedelta(minutes=10))
    outcome = app.verification.resend_code(
        phone=subject_phone, id_last6=last6, session=session_for(app, "caller")
    )
    assert outcome.sent
    resent_at = clock()
    (row,) = [
        r
        for r in app.queries.pending_verifiers(session=session_for(app, "desk"))
        if r.phone_masked == "138****0100"
    ]
    assert row.request_id == request_id
    assert row.next_resend_at == resent_at + timedelta(seconds=60)
    assert row.manual_resends_left == 1
    detail = app.queries.request_detail(session=session_for(app, "isp"), request_id=request_id)
    kinds = [s.kind for s in detail.rounds[0].sms]
    assert kinds.count("manual_resend") == 1
    clock.advance(timedelta(seconds=61))
    (row,) = app.queries.caller_lookup(session=session_for(app, "desk"), phone=subject_phone)
    assert row.next_resend_at is None and row.manual_resends_left == 1


def test_caller_lookup_lists_one_number_across_requests(app, clock):
    shared = phone(500)
    first = submit(app, filing(serial=1, subject_phone=shared))
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=1))
    second = submit(app, filing(serial=2, website_phones=[shared]))
    rows = app.queries.caller_lookup(session=session_for(app, "desk"), phone=" 138 0013 0500 ")
    assert [r.request_id for r in rows] == [first, second]  # the unsent one last
    assert rows[0].deadline is not None and rows[1].deadline is None
    assert app.queries.caller_lookup(session=session_for(app, "desk"), phone=phone(501)) == []
    with pytest.raises(ValidationFailed) as failure:
        app.queries.caller_lookup(session=session_for(app, "desk"), phone="12345")
    assert failure.value.fields() == {"phone"}


# -- supervisors -------------------------------------------------------------------------
def returned_pair(app: Beian, clock: ManualClock) -> tuple[int, int, int]:
    """One request expires, one uses up its tries, one passes."""
    clock.set(at(23, 10))
    expired = submit(app, filing(serial=1))
    send_first_sms(app, clock)
    clock.set(at(24, 11))
    app.tick()
    clock.set(at(24, 12))
    f = filing(serial=2)
    tries = submit(app, f)
    send_first_sms(app, clock)
    for _ in range(3):
        app.verification.check_code(
            code="000000",
            phone=f.subject.principal.mobile,
            id_last6="ZZZZZZ",
            session=session_for(app, "web"),
        )
    f3 = filing(serial=3)
    passed = submit(app, f3)
    send_first_sms(app, clock)
    verify_all(app, passed, docs_by_phone(f3))
    return expired, tries, passed


def test_returned_filings_newest_first_with_the_reason_and_who(app, clock):
    expired, tries, _ = returned_pair(app, clock)
    rows = app.queries.returned_filings(session=session_for(app, "sup"))
    assert [r.request_id for r in rows] == [tries, expired]
    assert [r.reason for r in rows] == [ReturnReason.TRIES_USED_UP, ReturnReason.EXPIRED]
    assert [r.verifier_name for r in rows] == ["负责人200", "负责人100"]
    assert rows[1].returned_at == at(24, 11)
    assert rows[0].subject_name == "杭州测试科技有限公司2"
    assert rows[0].province_name == "浙江省" and rows[0].business_type == "new_filing"
    assert [
        r.request_id
        for r in app.queries.returned_filings(
            session=session_for(app, "sup"), since=date(2026, 11, 25)
        )
    ] == []
    assert [
        r.request_id for r in app.queries.returned_filings(session=session_for(app, "sup"), limit=1)
    ] == [tries]
    # Resubmitted: no longer returned.
    app.submission.submit(request_id=expired, session=session_for(app, "isp"))
    assert [
        r.request_id for r in app.queries.returned_filings(session=session_for(app, "sup"))
    ] == [tries]


def test_return_stats_count_reasons_and_the_pass_rate_per_day(app, clock):
    returned_pair(app, clock)
    clock.set(at(25, 9))
    stats = app.queries.return_stats(session=session_for(app, "sup"), days=3)
    assert [d.day for d in stats.days] == [date(2026, 11, d) for d in (23, 24, 25)]
    assert stats.first_day == date(2026, 11, 23) and stats.last_day == date(2026, 11, 25)
    on_24 = stats.days[1]
    assert on_24.returns == {"expired": 1, "tries_used_up": 1, "undeliverable": 0}
    assert (on_24.passed_rounds, on_24.ended_rounds) == (1, 3)
    assert on_24.pass_rate == pytest.approx(1 / 3)
    assert stats.days[0].ended_rounds == 0 and stats.days[0].pass_rate is None
    assert stats.totals == {"expired": 1, "tries_used_up": 1, "undeliverable": 0}
    assert stats.pass_rate == pytest.approx(1 / 3)
    only_the_25th = app.queries.return_stats(session=session_for(app, "sup"), days=1)
    assert only_the_25th.ended_rounds == 0
    with pytest.raises(ValueError):
        app.queries.return_stats(session=session_for(app, "sup"), days=0)


def test_return_stats_count_by_the_shanghai_day(app, clock):
    """00:30 on the 24th in Shanghai is 16:30 UTC on the 23rd: it counts on the 24th."""
    clock.set(at(23, 0, 20))
    submit(app, filing(serial=1))
    send_first_sms(app, clock)  # the deadline is 00:25 on the 24th
    clock.set(at(24, 0, 30))
    app.tick()
    stats = app.queries.return_stats(session=session_for(app, "sup"), days=2)
    assert [(d.day.day, d.returns["expired"]) for d in stats.days] == [(23, 0), (24, 1)]


def test_the_bureau_queue_longest_waiting_first(app, clock):
    ids = []
    for serial in (1, 2, 3):
        clock.advance(timedelta(hours=1))
        f = filing(serial=serial)
        request_id = submit(app, f)
        ids.append((request_id, f))
    send_first_sms(app, clock)
    # Verified in the order 2, 3, 1: that is the order they reach the bureau.
    for request_id, f in (ids[1], ids[2], ids[0]):
        clock.advance(timedelta(minutes=1))
        verify_all(app, request_id, docs_by_phone(f))
    queue = app.queries.bureau_queue(session=session_for(app, "bureau"))
    assert [r.request_id for r in queue] == [ids[1][0], ids[2][0], ids[0][0]]
    assert {r.state for r in queue} == {"bureau_review"}
    app.review.approve(request_id=ids[1][0], session=session_for(app, "bureau"))
    assert [
        r.request_id for r in app.queries.bureau_queue(session=session_for(app, "bureau"), limit=1)
    ] == [ids[2][0]]


# -- bits and pieces -------------------------------------------------------------------
def test_the_outbox_never_shows_a_code(app, clock, world):
    codes = latest_codes(app)
    rows = app.queries.outbox(session=session_for(app, "desk"))
    assert len(rows) == 10
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    for row in rows:
        assert "核验码为******" in row.text
        assert not any(code in row.text for code in codes.values())
        assert row.phone_masked[3:7] == "****"
        assert row.sender_number == "106575000130"
    assert len(app.queries.outbox(session=session_for(app, "desk"), limit=3)) == 3


def test_provinces(app):
    provinces = app.queries.provinces(session=session_for(app, "isp"))
    assert len(provinces) == 31
    zhejiang = next(p for p in provinces if p.code == "33")
    assert (zhejiang.name_zh, zhejiang.name_en) == ("浙江省", "Zhejiang")
    assert zhejiang.verification_from == date(2018, 9, 10)


# -- the SQL ---------------------------------------------------------------------------
def test_the_filings_list_pages_by_keyset_never_by_offset(app, world, plan):
    statements: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    assert app.engine is not None
    event.listen(app.engine, "before_cursor_execute", capture)
    try:
        for wanted in [FilingFilter(), *FILTERS.values(), FilingFilter(search="杭州")]:
            all_pages(app, wanted, 2)
            app.queries.count_filings(session=session_for(app, "isp"), filter=wanted)
    finally:
        event.remove(app.engine, "before_cursor_execute", capture)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert any("LIMIT" in s for s in selects)
    assert any("requests.id < " in s for s in selects)  # the keyset
    for statement in selects:
        assert "OFFSET" not in statement.upper(), statement


def test_a_read_does_not_wait_for_a_writer_holding_the_lock(app, database_url):
    """A list being scrolled must never queue behind a check on another workstation."""
    import time

    session = session_for(app, "isp")  # signing in writes: before the writer
    with app.ctx.unit_of_work():  # a writer holds SQLite's write lock (BEGIN IMMEDIATE)
        started = time.monotonic()
        assert len(app.queries.provinces(session=session)) == 31
        assert time.monotonic() - started < 5  # a locked read would wait 30 s, then fail
