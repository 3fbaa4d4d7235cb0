"""The filings list sorted by a column (services/reading/sorted_query.py).

Every sort is checked against the rows themselves: the requests the newest-first list
holds under the same filter (tested in test_queries.py), put in the sort's order in
Python, must come back page after page, whatever the page size, under both plans (the
filter's own index bounding a set the database sorts, and the walk of the sort's
index, forced by shrinking SIZE_CAP). The world has ties on every column and requests
without a value (drafts never submitted, rounds not sent yet or over, blank names).
The first page of each sort, unfiltered, reads an index in order: no full scan, no
sort of the table (EXPLAIN QUERY PLAN on SQLite; EXPLAIN on PostgreSQL).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, select
from test_queries import (
    QUERY_SETTINGS,
    QUERY_TIMEOUT,
    all_pages,
    at,
    docs_by_phone,
    fresh_app,
    submit,
    verify_all,
)

from beian_desktop.models import Request, Subject, VerificationRound, statistics
from beian_desktop.rules.clock import ManualClock
from beian_desktop.rules.read_models import (
    NEWEST_FIRST,
    SOONEST_DEADLINE_FIRST,
    FilingCursor,
    FilingFilter,
    FilingSort,
    FilingSortColumn,
)
from beian_desktop.services.beian import Beian
from beian_desktop.services.reading import sorted_query
from beian_desktop.terms import BusinessType, RequestState, RoundState

from factories import filing, phone
from journeys import request_row, send_first_sms
from staff import session_for

SORTS = [
    FilingSort(column, descending) for column in FilingSortColumn for descending in (False, True)
]
SORT_PLANS = {
    "bounded": {},  # every filter here matches fewer than SIZE_CAP requests
    "walk": {"SIZE_CAP": 0},  # every filter is "broad": the sort's index is walked
    # a filtered walk gives up after two index entries: the filter's matches take over
    "walk_then_bounded": {"SIZE_CAP": 0, "WALK_BUDGET": 2},
}


def use_sort_plan(monkeypatch: pytest.MonkeyPatch, plan: str) -> None:
    for name, value in SORT_PLANS[plan].items():
        monkeypatch.setattr(sorted_query, name, value)


# -- what the rows say -------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    request_id: int
    business_type: str
    state: str
    province_code: str
    subject_name: str
    submitted_at: datetime | None
    deadline: datetime | None  # the open round's


def facts(app: Beian) -> dict[int, Fact]:
    with app.ctx.unit_of_work() as session:
        deadlines = dict(
            session.execute(
                select(VerificationRound.request_id, VerificationRound.deadline).where(
                    VerificationRound.state == RoundState.OPEN
                )
            ).all()
        )
        return {
            r.id: Fact(
                r.id,
                r.business_type,
                r.state,
                r.province_code,
                name,
                r.submitted_at,
                deadlines.get(r.id),
            )
            for r, name in session.execute(
                select(Request, Subject.holder_name).join(Subject, Subject.id == Request.subject_id)
            )
        }


STATE_ORDER = [s.value for s in RequestState]
TYPE_ORDER = [t.value for t in BusinessType]


def sort_value(fact: Fact, column: FilingSortColumn) -> object:
    """The value the list sorts on; None: the request has none (it goes last)."""
    return {
        FilingSortColumn.REQUEST_ID: fact.request_id,
        FilingSortColumn.BUSINESS_TYPE: TYPE_ORDER.index(fact.business_type),
        FilingSortColumn.STATE: STATE_ORDER.index(fact.state),
        FilingSortColumn.PROVINCE: fact.province_code,
        FilingSortColumn.SUBJECT_NAME: fact.subject_name or None,
        FilingSortColumn.SUBMITTED_AT: fact.submitted_at,
        FilingSortColumn.DEADLINE: fact.deadline,
    }[column]


def in_order(rows: list[Fact], sort: FilingSort) -> list[int]:
    """Python's sort is stable (with reverse too): ties keep newest first."""
    newest_first = sorted(rows, key=lambda f: f.request_id, reverse=True)
    valued = [f for f in newest_first if sort_value(f, sort.column) is not None]
    valueless = [f for f in newest_first if sort_value(f, sort.column) is None]
    valued.sort(key=lambda f: sort_value(f, sort.column), reverse=sort.descending)  # type: ignore[arg-type, return-value]
    return [f.request_id for f in valued + valueless]


def expected(app: Beian, wanted: FilingFilter, sort: FilingSort) -> list[int]:
    """The requests of the newest-first list under this filter, in the sort's order."""
    members = set(all_pages(app, wanted, 100))
    return in_order([f for f in facts(app).values() if f.request_id in members], sort)


def sorted_pages(app: Beian, wanted: FilingFilter, sort: FilingSort, limit: int) -> list[int]:
    ids: list[int] = []
    after = None
    for _ in range(1000):
        page = app.queries.list_filings(
            session=session_for(app, "isp"), filter=wanted, after=after, limit=limit, sort=sort
        )
        assert len(page.rows) <= limit
        new = [r.request_id for r in page.rows]
        assert not set(new) & set(ids), "a request came twice"
        ids += new
        if page.next_cursor is None:
            return ids
        assert len(page.rows) == limit  # a page that says "more" is full
        if sort == NEWEST_FIRST:
            assert page.next_cursor == new[-1]
        else:
            assert isinstance(page.next_cursor, FilingCursor) and page.next_cursor.sort == sort
            assert page.next_cursor.request_id == new[-1]
        after = page.next_cursor
    raise AssertionError("the pages never ended")


# -- a world with ties and gaps on every column -----------------------------------------------
SAME_NAME = "杭州甲科技有限公司"  # two subjects of one name


def named(serial: int, name: str, province: str = "33"):
    f = filing(serial=serial, province=province)
    return replace(f, subject=replace(f.subject, holder_name=name))


@dataclass
class SortWorld:
    ids: dict[str, int]


def build_sort_world(app: Beian, clock: ManualClock) -> SortWorld:
    ids: dict[str, int] = {}

    def draft(key: str, serial: int, name: str, province: str) -> None:
        ids[key] = app.filings.save_new_filing(
            filing=named(serial, name, province), session=session_for(app, "isp")
        )

    def submitted(key: str, serial: int, name: str, province: str) -> None:
        ids[key] = submit(app, named(serial, name, province))

    # Monday 10:00: three submitted at the same moment, two of them one name; a
    # draft with no name yet. Their SMS go out together: one deadline for three.
    clock.set(at(23, 10))
    submitted("returned_a", 1, SAME_NAME, "33")
    submitted("approved", 2, "北京乙科技有限公司", "11")
    submitted("returned_b", 3, SAME_NAME, "44")
    draft("blank_draft", 4, "", "33")
    send_first_sms(app, clock)
    f2 = named(2, "北京乙科技有限公司", "11")
    verify_all(app, ids["approved"], docs_by_phone(f2))
    app.review.approve(request_id=ids["approved"], session=session_for(app, "bureau"))

    # 11:00: two more at one moment, and their SMS together (a live deadline tie).
    clock.set(at(23, 11))
    submitted("verifying_a", 5, "成都丙有限公司", "51")
    submitted("verifying_b", 6, "广州丁有限公司", "44")
    send_first_sms(app, clock)

    # 12:00: one to be rejected, one to wait in review, a nameless draft.
    clock.set(at(23, 12))
    submitted("rejected", 7, "Zeta Ltd", "33")
    submitted("in_review", 8, "Alpha Ltd", "11")
    draft("blank_draft_2", 9, "", "11")
    send_first_sms(app, clock)
    for key, serial, name, province in [
        ("rejected", 7, "Zeta Ltd", "33"),
        ("in_review", 8, "Alpha Ltd", "11"),
    ]:
        verify_all(app, ids[key], docs_by_phone(named(serial, name, province)))
    app.review.reject(
        request_id=ids["rejected"], session=session_for(app, "bureau"), reason="材料不全"
    )

    # The approved subject: a new website (the subject's name again), a cancellation.
    subject_id = request_row(app, ids["approved"]).subject_id
    from factories import principal, website

    added = website(901, principal_input=principal(901))
    ids["new_website"] = app.filings.save_new_website(
        subject_id=subject_id, website=added, session=session_for(app, "isp")
    )
    assert (
        app.submission.submit(request_id=ids["new_website"], session=session_for(app, "isp"))
        == "verifying"
    )
    ids["cancel_draft"] = app.filings.save_cancellation(
        business_type=BusinessType.CANCEL_SUBJECT,
        subject_id=subject_id,
        session=session_for(app, "isp"),
    )

    # Tuesday 10:30: the 10:05 round has run out (both returned); the new website's
    # SMS goes out now; one more submitted whose SMS is not due yet (no deadline).
    clock.set(at(24, 10, 30))
    app.tick()
    submitted("unsent", 10, "成都丙有限公司", "51")
    draft("plain_draft", 11, "Beta Ltd", "33")
    return SortWorld(ids)


@pytest.fixture
def sort_world(app: Beian, clock: ManualClock) -> SortWorld:
    return build_sort_world(app, clock)


def test_the_world_has_ties_and_gaps_on_every_column(app, sort_world):
    rows = facts(app)
    by_key = {key: rows[i] for key, i in sort_world.ids.items()}
    assert by_key["returned_a"].state == by_key["returned_b"].state == "returned"
    assert by_key["returned_a"].submitted_at == by_key["approved"].submitted_at
    assert by_key["returned_a"].subject_name == by_key["returned_b"].subject_name
    assert by_key["approved"].subject_name == by_key["new_website"].subject_name
    assert by_key["blank_draft"].subject_name == by_key["blank_draft_2"].subject_name == ""
    assert by_key["verifying_a"].deadline == by_key["verifying_b"].deadline is not None
    assert by_key["new_website"].deadline is not None
    assert by_key["unsent"].state == "verifying" and by_key["unsent"].deadline is None
    assert by_key["returned_a"].deadline is None  # its round is over
    assert by_key["plain_draft"].submitted_at is None
    assert by_key["rejected"].state == "rejected" and by_key["in_review"].state == "bureau_review"
    assert by_key["cancel_draft"].business_type == "cancel_subject"
    assert len(rows) == 13


# -- every sort, page after page ----------------------------------------------------------------
def test_each_sort_pages_in_order_in_any_page_size_and_plan(app, sort_world, monkeypatch):
    rows = list(facts(app).values())
    for sort in SORTS:
        want = in_order(rows, sort)
        for plan, page_size in itertools.product(sorted(SORT_PLANS), [1, 2, 5, 13, 100]):
            with monkeypatch.context() as patch:
                use_sort_plan(patch, plan)
                got = sorted_pages(app, FilingFilter(), sort, page_size)
                assert got == want, (sort, plan, page_size)


def test_what_each_sort_puts_first_and_last(app, sort_world):
    ids = sort_world.ids
    name = {v: k for k, v in ids.items()}

    def order(column: FilingSortColumn, descending: bool) -> list[str]:
        sort = FilingSort(column, descending)
        return [name[i] for i in sorted_pages(app, FilingFilter(), sort, 4)]

    # The soonest live deadline first; a tie newest first; no live deadline last.
    soonest = order(FilingSortColumn.DEADLINE, False)
    assert soonest[:3] == ["verifying_b", "verifying_a", "new_website"]
    assert FilingSort(FilingSortColumn.DEADLINE, False) == SOONEST_DEADLINE_FIRST
    assert "unsent" in soonest[3:] and "returned_a" in soonest[3:]
    assert order(FilingSortColumn.DEADLINE, True)[:3] == [
        "new_website",
        "verifying_b",
        "verifying_a",
    ]
    # Never submitted: last, in either direction.
    never = {"blank_draft", "blank_draft_2", "plain_draft", "cancel_draft"}
    assert set(order(FilingSortColumn.SUBMITTED_AT, True)[-4:]) == never
    assert set(order(FilingSortColumn.SUBMITTED_AT, False)[-4:]) == never
    assert order(FilingSortColumn.SUBMITTED_AT, True)[0] == "unsent"
    assert order(FilingSortColumn.SUBMITTED_AT, False)[:3] == [
        "returned_b",
        "approved",
        "returned_a",
    ]
    # No name yet: last; one name for two subjects: newest first.
    by_name = order(FilingSortColumn.SUBJECT_NAME, False)
    assert by_name[:2] == ["in_review", "plain_draft"]  # "Alpha Ltd", "Beta Ltd"
    assert by_name[-4:] == ["returned_b", "returned_a", "blank_draft_2", "blank_draft"]
    assert order(FilingSortColumn.SUBJECT_NAME, True)[-2:] == ["blank_draft_2", "blank_draft"]
    # A request's life; SPEC §2's types; province codes (北京 11 first).
    assert order(FilingSortColumn.STATE, False)[0] == "plain_draft"
    assert order(FilingSortColumn.STATE, True)[:2] == ["returned_b", "returned_a"]
    assert order(FilingSortColumn.BUSINESS_TYPE, True)[0] == "cancel_draft"
    assert order(FilingSortColumn.PROVINCE, False)[-2:] == ["unsent", "verifying_a"]  # 51
    assert order(FilingSortColumn.REQUEST_ID, False)[0] == "returned_a"


# -- with filters ------------------------------------------------------------------------------
SORT_FILTERS = {
    "verifying": FilingFilter(states=frozenset({"verifying"})),
    "returned_or_draft": FilingFilter(states=frozenset({"returned", "draft"})),
    "new_filing": FilingFilter(business_types=frozenset({"new_filing"})),
    "zhejiang": FilingFilter(province_codes=frozenset({"33"})),
    "beijing_or_guangdong": FilingFilter(province_codes=frozenset({"11", "44"})),
    "verifying_in_sichuan_or_guangdong": FilingFilter(
        states=frozenset({"verifying"}), province_codes=frozenset({"51", "44"})
    ),
    "on_the_23rd": FilingFilter(submitted_from=date(2026, 11, 23), submitted_to=date(2026, 11, 23)),
    "from_the_24th": FilingFilter(submitted_from=date(2026, 11, 24)),
    "a_name": FilingFilter(search="成都"),
    "a_shared_name": FilingFilter(search=SAME_NAME),
    "a_phone": FilingFilter(search=phone(200)),  # the approved subject's principal
    "a_name_and_a_state": FilingFilter(search="杭州", states=frozenset({"returned", "draft"})),
    "everything": FilingFilter(
        states=frozenset({"verifying", "returned", "approved", "draft"}),
        business_types=frozenset({"new_filing", "new_website"}),
        province_codes=frozenset({"11", "33", "44", "51"}),
        submitted_from=date(2026, 11, 22),
        submitted_to=date(2026, 11, 24),
    ),
}


@pytest.mark.parametrize("name", sorted(SORT_FILTERS))
def test_each_sort_under_each_filter_in_each_plan(app, sort_world, monkeypatch, name):
    wanted = SORT_FILTERS[name]
    assert all_pages(app, wanted, 100), "the filter matches something"
    for sort in SORTS:
        want = expected(app, wanted, sort)
        for plan in sorted(SORT_PLANS):
            with monkeypatch.context() as patch:
                use_sort_plan(patch, plan)
                for page_size in (2, 100):
                    got = sorted_pages(app, wanted, sort, page_size)
                    assert got == want, (sort, plan, page_size)


def test_the_bounded_plan_and_the_walk_continue_each_others_cursor(app, sort_world, monkeypatch):
    """The plan may change between two pages (the data grew); the order may not."""
    wanted = FilingFilter(states=frozenset({"verifying", "returned", "draft", "approved"}))
    for sort in SORTS:
        if sort == NEWEST_FIRST:
            continue
        want = expected(app, wanted, sort)
        got: list[int] = []
        after = None
        for turn in itertools.count():
            with monkeypatch.context() as patch:
                use_sort_plan(patch, ["bounded", "walk"][turn % 2])
                page = app.queries.list_filings(
                    session=session_for(app, "isp"), filter=wanted, after=after, limit=2, sort=sort
                )
            got += [r.request_id for r in page.rows]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert got == want, sort


def drop_statistics(app: Beian, database_url: str) -> None:
    """Back to a database never analysed (SQLite; PostgreSQL keeps what it has)."""
    assert app.engine is not None
    if database_url.startswith("sqlite"):
        with app.engine.begin() as conn:
            if conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
            ).first():
                conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        app.engine.dispose()  # the pooled connections hold the statistics they loaded


@QUERY_TIMEOUT
def test_a_cursor_outlives_a_change_of_plan(app, database_url, sort_world):
    """The statistics may change between two pages (ANALYZE ran: the data grew), and
    with them the plan; the order may not."""
    assert app.engine is not None
    wanted = FilingFilter(states=frozenset({"verifying", "returned", "draft", "approved"}))
    for sort in SORTS:
        if sort == NEWEST_FIRST:
            continue
        want = expected(app, wanted, sort)
        drop_statistics(app, database_url)
        got: list[int] = []
        after = None
        for turn in itertools.count():
            if turn == 1:
                with app.engine.begin() as conn:
                    statistics.analyze(conn)
            page = app.queries.list_filings(
                session=session_for(app, "isp"), filter=wanted, after=after, limit=2, sort=sort
            )
            got += [r.request_id for r in page.rows]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert got == want, sort


@QUERY_TIMEOUT
@QUERY_SETTINGS
@given(data=st.data())
def test_any_sort_filter_and_page_size_pages_through_the_sorted_list(
    app, sort_world, monkeypatch, data
):
    days = [None, *(date(2026, 11, d) for d in range(22, 26))]
    wanted = FilingFilter(
        states=frozenset(data.draw(st.sets(st.sampled_from(STATE_ORDER)))),
        business_types=frozenset(
            data.draw(st.sets(st.sampled_from(["new_filing", "new_website", "cancel_subject"])))
        ),
        province_codes=frozenset(data.draw(st.sets(st.sampled_from(["11", "33", "44", "51"])))),
        submitted_from=data.draw(st.sampled_from(days)),
        submitted_to=data.draw(st.sampled_from(days)),
        search=data.draw(st.sampled_from(["", "杭州", "成都丙", "Zeta", phone(200)])),
    )
    sort = data.draw(st.sampled_from(SORTS))
    page_size = data.draw(st.integers(1, 6))
    want = expected(app, wanted, sort)
    with monkeypatch.context() as patch:
        use_sort_plan(patch, data.draw(st.sampled_from(sorted(SORT_PLANS))))
        assert sorted_pages(app, wanted, sort, page_size) == want


_serials = itertools.count(1000)


@QUERY_TIMEOUT
@QUERY_SETTINGS
@given(
    requests=st.lists(
        st.tuples(
            st.sampled_from(["甲公司", "乙公司", "Alpha", ""]),  # "": a draft with no name yet
            st.sampled_from(["11", "33", "44"]),
            st.sampled_from(["draft", "submit", "submit_and_send"]),
            st.sampled_from([0, 0, 1, 30]),  # minutes before it: many ties
        ),
        max_size=9,
    ),
    page_size=st.integers(1, 5),
    plan=st.sampled_from(sorted(SORT_PLANS)),
)
def test_generated_ties_and_gaps_page_through_every_sort(
    migrated_sqlite, tmp_path, keys, monkeypatch, requests, page_size, plan
):
    """Any data: pages of any size hold every request once, in the sort's order."""
    with monkeypatch.context() as patch, fresh_app(migrated_sqlite, tmp_path, keys) as app:
        use_sort_plan(patch, plan)
        clock = app.ctx.clock
        assert isinstance(clock, ManualClock)
        for name, province, action, minutes in requests:
            clock.advance(timedelta(minutes=minutes))
            f = named(next(_serials), name, province)
            request_id = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
            if action != "draft" and name:
                app.submission.submit(request_id=request_id, session=session_for(app, "isp"))
                if action == "submit_and_send":
                    send_first_sms(app, clock)
        rows = list(facts(app).values())
        for sort in SORTS:
            assert sorted_pages(app, FilingFilter(), sort, page_size) == in_order(rows, sort)


# -- cursors -----------------------------------------------------------------------------------
def test_a_cursor_belongs_to_its_sort(app, sort_world):
    by_name = FilingSort(FilingSortColumn.SUBJECT_NAME, False)
    page = app.queries.list_filings(
        session=session_for(app, "isp"), filter=FilingFilter(), limit=1, sort=by_name
    )
    cursor = page.next_cursor
    assert isinstance(cursor, FilingCursor) and cursor.value == "Alpha Ltd"
    by_name_desc = FilingSort(FilingSortColumn.SUBJECT_NAME, True)
    newest = app.queries.list_filings(
        session=session_for(app, "isp"), filter=FilingFilter(), limit=2
    )
    for after, sort in [
        (cursor, by_name_desc),  # another sort's
        (cursor, NEWEST_FIRST),  # the newest-first list pages by id
        (newest.next_cursor, by_name),  # and its id is no cursor of a sorted list
        (replace(cursor, request_id="7"), by_name),
        (
            FilingCursor(FilingSort(FilingSortColumn.STATE), "lost", 3),
            FilingSort(FilingSortColumn.STATE),
        ),
    ]:
        with pytest.raises(ValueError):
            app.queries.list_filings(
                session=session_for(app, "isp"), filter=FilingFilter(), after=after, sort=sort
            )


def test_a_deadline_cursor_is_an_aware_time_and_the_last_page_says_so(app, sort_world):
    page = app.queries.list_filings(
        session=session_for(app, "isp"), filter=FilingFilter(), limit=1, sort=SOONEST_DEADLINE_FIRST
    )
    assert page.next_cursor.value == at(24, 11, 5)  # the 11:05 SMS, 24 hours on
    everything = app.queries.list_filings(
        session=session_for(app, "isp"),
        filter=FilingFilter(),
        limit=13,
        sort=SOONEST_DEADLINE_FIRST,
    )
    assert len(everything.rows) == 13 and everything.next_cursor is None
    twelve = app.queries.list_filings(
        session=session_for(app, "isp"),
        filter=FilingFilter(),
        limit=12,
        sort=SOONEST_DEADLINE_FIRST,
    )
    assert twelve.next_cursor.value is None  # the twelfth has no live deadline


# -- the SQL -----------------------------------------------------------------------------------
@contextmanager
def statements_of(app: Beian) -> Iterator[list[tuple[str, object]]]:
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    assert app.engine is not None
    event.listen(app.engine, "before_cursor_execute", capture)
    try:
        yield captured
    finally:
        event.remove(app.engine, "before_cursor_execute", capture)


def test_sorted_lists_page_by_keyset_never_by_offset(app, sort_world):
    with statements_of(app) as captured:
        for sort, wanted in itertools.product(SORTS, [FilingFilter(), *SORT_FILTERS.values()]):
            sorted_pages(app, wanted, sort, 3)
    selects = [s for s, _ in captured if s.lstrip().upper().startswith("SELECT")]
    assert any("LIMIT" in s for s in selects)
    for statement in selects:
        assert "OFFSET" not in statement.upper(), statement


SMALL_TABLES = ("provinces",)  # 31 rows


def first_page_plans(app: Beian, database_url: str, sort: FilingSort) -> list[list[str]]:
    """The plan of every statement the first page (no filter) runs. The world is small:
    a page of 2 (3 read) ends among the requests with a value for every sort, as a
    page of 100 does at any real size."""
    session = session_for(app, "isp")
    with statements_of(app) as captured:
        app.queries.list_filings(session=session, filter=FilingFilter(), limit=2, sort=sort)
    plans = []
    assert app.engine is not None
    with app.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if database_url.startswith("postgresql"):
            # The test tables are tiny, so PostgreSQL would rightly read them whole.
            # Forbidden to scan or sort what an index could give, it shows whether an
            # index can: a Seq Scan or a Sort left in the plan means none can.
            for setting in ("enable_seqscan", "enable_sort", "enable_bitmapscan"):
                cursor.execute(f"SET {setting} = off")
        for statement, parameters in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if database_url.startswith("postgresql"):
                cursor.execute("EXPLAIN " + statement, parameters)
                plans.append([row[0] for row in cursor.fetchall()])
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                plans.append([row[3] for row in cursor.fetchall()])
        cursor.close()
        raw.rollback()
    return plans


def test_the_first_page_of_each_sort_reads_an_index_in_order(app, database_url, sort_world):
    for sort in SORTS:
        plans = first_page_plans(app, database_url, sort)
        assert plans
        for plan in plans:
            assert_reads_in_order(database_url, sort, plan)


def assert_reads_in_order(database_url: str, sort: FilingSort, plan: list[str]) -> None:
    shown = f"{sort}\n" + "\n".join(plan)
    if database_url.startswith("postgresql"):
        for line in plan:
            scanned = re.search(r"Seq Scan on (\w+)", line)
            assert not scanned or scanned.group(1) in SMALL_TABLES, shown
            # An Incremental Sort sorts each group of equal values as the index
            # yields them; a plain Sort node would sort everything it is given.
            assert not re.search(r"(^|->)\s*Sort\s+\(", line), shown
    else:
        # A sort of everything read is "USE TEMP B-TREE FOR ORDER BY"; a sort of each
        # group of equal values as the index yields them says "RIGHT PART".
        assert "USE TEMP B-TREE FOR ORDER BY" not in shown, shown
        for line in plan:
            if line.startswith("SCAN "):
                table = line.split()[1]
                # Only a walk in the table's own order (by rowid, stopped by the LIMIT).
                assert table in SMALL_TABLES or line == f"SCAN {table}", shown
