"""The filings search finds a fragment anywhere in a subject name, a website name or a
domain (services/reading/fragments.py), on SQLite and on PostgreSQL.

Two characters (how Chinese names are searched: 新晨 for 北京新晨科技有限公司) and
more are fragments; one character is the beginning of the holder name. The index is
the database's, kept in step by triggers: checked after a draft is edited, after a
change request renames a subject, and after the migration fills it for requests
written before it existed.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy import text as sql
from test_queries import all_pages, docs_by_phone, verify_all

from beian_desktop.models import RequestWebsite
from beian_desktop.models.database import alembic_config, make_engine, upgrade_to_head
from beian_desktop.rules.inputs import ChangeInput, FilingInput, WebsiteInput
from beian_desktop.rules.read_models import FilingFilter, FilingSort, FilingSortColumn
from beian_desktop.services.beian import Beian
from beian_desktop.services.reading import filing_query, fragments
from beian_desktop.terms import RequestState

from factories import filing, phone, principal, website
from journeys import request_row, send_first_sms
from staff import session_for

XINCHEN = "北京新晨科技有限公司"


def named(
    serial: int,
    holder: str,
    *,
    site: str | None = None,
    domains: list[str] | None = None,
    province: str = "11",
) -> FilingInput:
    f = filing(serial=serial, province=province)
    sites = [
        replace(
            w,
            name=site if site is not None else w.name,
            domains=domains if domains is not None else w.domains,
        )
        for w in f.websites
    ]
    return replace(f, subject=replace(f.subject, holder_name=holder), websites=sites)


def websites_of(app: Beian, request_id: int) -> list[int]:
    with app.ctx.read_only() as session:
        return list(
            session.scalars(
                select(RequestWebsite.website_id).where(RequestWebsite.request_id == request_id)
            )
        )


def found(app: Beian, text: str, **filters: object) -> list[int]:
    """Every page of the search, newest first; its count must agree."""
    wanted = FilingFilter(search=text, **filters)  # type: ignore[arg-type]
    ids = all_pages(app, wanted, 2)
    assert app.queries.count_filings(session=session_for(app, "isp"), filter=wanted) == len(ids)
    return ids


@pytest.fixture
def names(app: Beian) -> dict[str, int]:
    made = {
        "xinchen": named(1, XINCHEN, site="新晨官网", domains=["xinchen.cn", "www.xinchen.cn"]),
        "qq": named(2, "深圳市腾讯计算机系统有限公司", site="腾讯网", domains=["qq.com"]),
        "chenxin": named(3, "上海晨新信息技术有限公司", site="晨新博客", domains=["chenxin.net"]),
        "alpha": named(4, "Alpha Ltd", site="Alpha Docs", domains=["alpha-docs.org"]),
        "quote": named(5, '杭州"星"_%科技有限公司', site="星网", domains=["xing.cn"]),
    }
    return {
        key: app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
        for key, f in made.items()
    }


# -- where a fragment is found ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("新晨", ["xinchen"]),  # two characters: the usual Chinese search
        ("新晨科技", ["xinchen"]),
        ("晨科", ["xinchen"]),  # across the brand and the industry
        ("科技有限", ["xinchen", "quote"]),
        ("北京新晨科技有限公司", ["xinchen"]),  # the whole name
        ("有限公司", ["xinchen", "qq", "chenxin", "quote"]),
        ("晨新", ["chenxin"]),  # the same two characters the other way round
        ("腾讯", ["qq"]),
        ("公司", ["xinchen", "qq", "chenxin", "quote"]),  # the last two of a name
        ("Ltd", ["alpha"]),
        ("lpha", ["alpha"]),
    ],
)
def test_a_fragment_of_a_subject_name(app, names, text, who):
    assert found(app, text) == sorted((names[k] for k in who), reverse=True)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("官网", ["xinchen"]),
        ("新晨官网", ["xinchen"]),
        ("博客", ["chenxin"]),
        ("Docs", ["alpha"]),
    ],
)
def test_a_fragment_of_a_website_name(app, names, text, who):
    assert found(app, text) == sorted((names[k] for k in who), reverse=True)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("xinchen", ["xinchen"]),
        ("xinchen.cn", ["xinchen"]),  # a whole domain, typed
        ("www.xinchen", ["xinchen"]),
        ("qq", ["qq"]),  # two letters
        ("qq.com", ["qq"]),
        (".net", ["chenxin"]),
        ("docs.org", ["alpha"]),
        ("XINCHEN", ["xinchen"]),  # letters in any case
        ("xi", ["xinchen", "chenxin", "quote"]),  # xinchen.cn, chenxin.net, xing.cn
    ],
)
def test_a_fragment_of_a_domain(app, names, text, who):
    assert found(app, text) == sorted((names[k] for k in who), reverse=True)


def test_letters_in_any_case_in_names_too(app, names):
    assert found(app, "ALPHA") == [names["alpha"]]
    assert found(app, "alpha ltd") == [names["alpha"]]
    assert found(app, "aL") == [names["alpha"]]


def test_a_fragment_is_not_found_across_two_names(app, names):
    # The holder name ends 公司, the website name begins 新晨: not one name.
    assert found(app, "公司新晨") == []
    assert found(app, "司新") == []
    assert found(app, "网x") == []  # 新晨官网 | xinchen.cn


def test_quotes_and_wildcards_are_plain_characters(app, names):
    assert found(app, '"星"') == [names["quote"]]
    assert found(app, '"星') == [names["quote"]]
    assert found(app, "_%") == [names["quote"]]
    assert found(app, "%科") == [names["quote"]]
    assert found(app, "科_") == []
    assert found(app, "%%") == []
    assert found(app, '""') == []


def test_nothing_matches_what_is_in_no_name(app, names):
    for text in ["新晨网", "南京", "zz", "xinchen.com", "晨晨"]:
        assert found(app, text) == [], text


def test_one_character_is_the_beginning_of_the_holder_name(app, names):
    assert found(app, "北") == [names["xinchen"]]
    assert found(app, "上") == [names["chenxin"]]
    assert found(app, "晨") == []  # inside names only
    assert found(app, "A") == [names["alpha"]]
    assert found(app, "a") == []  # a prefix is case-sensitive, as the name's index


def test_exact_numbers_stay_exact(app, names):
    assert found(app, phone(100)) == [names["xinchen"]]  # the subject principal's
    assert found(app, phone(100)[:-1]) == []  # part of a number is no fragment of a name


def test_a_fragment_with_the_other_filters_and_sorts(app, names, clock):
    app.submission.submit(request_id=names["xinchen"], session=session_for(app, "isp"))
    verifying = frozenset({RequestState.VERIFYING})
    assert found(app, "有限公司", states=verifying) == [names["xinchen"]]
    assert found(app, "有限公司", province_codes=frozenset({"33"})) == []
    by_name = FilingSort(FilingSortColumn.SUBJECT_NAME, descending=False)
    page = app.queries.list_filings(
        session=session_for(app, "isp"), filter=FilingFilter(search="有限公司"), sort=by_name
    )
    holders = ["深圳市腾讯计算机系统有限公司", "上海晨新信息技术有限公司", XINCHEN]
    assert [r.subject_name for r in page.rows] == sorted([*holders, '杭州"星"_%科技有限公司'])


def test_either_way_of_reading_the_index_finds_the_same(app, names, monkeypatch):
    """On PostgreSQL a fragment the planner expects in few requests is read whole from
    the index and sorted; one in many (a common word at a million requests) is found by
    walking the newest ids. A small data set only ever takes the first way: the
    second must find the same pages and counts."""
    texts = ["新晨", "晨科", "有限公司", "官网", "xinchen.cn", "xi", "ALPHA", '"星"', "_%", "司新"]
    read_whole = {text: found(app, text) for text in texts}
    assert read_whole["有限公司"] == sorted(
        (names[k] for k in ["xinchen", "qq", "chenxin", "quote"]), reverse=True
    )
    monkeypatch.setattr(fragments, "FEW_MATCHES", 0)  # every fragment common
    assert {text: found(app, text) for text in texts} == read_whole
    verifying = frozenset({RequestState.VERIFYING})
    app.submission.submit(request_id=names["xinchen"], session=session_for(app, "isp"))
    assert found(app, "有限公司", states=verifying) == [names["xinchen"]]


def _analysed_statistics(app: Beian) -> fragments.PairStatistics | None:
    with app.ctx.unit_of_work() as session:
        session.execute(sql("ANALYZE filing_search"))
    with app.ctx.unit_of_work() as session:
        return fragments.pair_statistics(session, now=0.0)


def test_a_fragments_pairs_bound_its_matches_and_choose_the_way(app, names, monkeypatch):
    """PostgreSQL: how many requests hold each pair (ANALYZE's statistics, exact on a
    table this small) bounds how many hold the fragment from above, and the bound
    below FEW_MATCHES reads the index whole; no round trip to the planner per search."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the statistics of PostgreSQL's column of pairs")
    statistics = _analysed_statistics(app)
    assert statistics is not None and statistics.rows == 5
    texts = ["新晨", "晨科", "有限公司", "官网", "xinchen.cn", "XI", "alpha", "司新", "技有限"]
    matches = {t: len(found(app, t)) for t in texts}
    for fragment, count in matches.items():
        assert statistics.at_most(fragment) >= count, fragment
    assert statistics.at_most("有限公司") == pytest.approx(4)
    assert statistics.at_most("晨科") == pytest.approx(1)
    # A pair held by no request counts as the least common one (a sample misses some).
    assert statistics.at_most("司新") == pytest.approx(1)
    monkeypatch.setattr(fragments, "FEW_MATCHES", 3)
    with app.ctx.unit_of_work() as session:
        assert fragments.few_matches(session, "新晨")
        assert not fragments.few_matches(session, "有限公司")


def test_once_analysed_the_few_read_whole_are_those_the_walk_finds(app, names, monkeypatch):
    """PostgreSQL, analysed: what the pairs' bound calls few is read whole from the
    index; the walk of the newest ids must find the same, case, quotes and wildcards
    included."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the statistics of PostgreSQL's column of pairs")
    _analysed_statistics(app)
    texts = ["新晨科技", "XINCHEN.CN", "Alpha Docs", '"星"_%', "技有限公", "晨新博", "xin", "nope"]
    by_pair = {t: found(app, t) for t in texts}
    assert by_pair["XINCHEN.CN"] == [names["xinchen"]]
    assert by_pair['"星"_%'] == [names["quote"]]
    assert by_pair["nope"] == []
    monkeypatch.setattr(fragments, "FEW_MATCHES", 0)  # every fragment common: the walk
    assert {t: found(app, t) for t in texts} == by_pair


@pytest.fixture
def newest_read(app: Beian, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fragments whose pages were read newest spans first (fragments.newest_ids)."""
    read: list[str] = []
    real = filing_query.newest_ids

    def spy(fragment: str, below: int | None, width: int, n: int):  # type: ignore[no-untyped-def]
        read.append(fragment)
        return real(fragment, below, width, n)

    monkeypatch.setattr(filing_query, "newest_ids", spy)
    return read


@pytest.mark.parametrize(("span", "hold"), [(3, 2.0), (3, 0.1), (1, 0.5), (fragments.SPAN, 2.0)])
def test_the_newest_spans_first_find_what_the_walk_finds(
    app, names, monkeypatch, newest_read, span, hold
):
    """PostgreSQL, analysed: a rare fragment's page is read from the newest spans of
    request ids first, the older ones when those hold too few (a `hold` of 0.1 asks
    for a tenth of a page). Every page and count must be the walk's, across spans."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the statistics of PostgreSQL's column of pairs")
    isp = session_for(app, "isp")
    for serial in range(6, 18):  # twelve more requests, spread over several spans
        holder = "北京新晨网络有限公司" if serial % 3 else "北京旧晨科技有限公司"
        f = named(serial, holder, site=f"晨网{serial}", domains=[f"chen{serial}.cn"])
        app.filings.save_new_filing(filing=f, session=isp)
    _analysed_statistics(app)
    monkeypatch.setattr(fragments, "SPAN", span)
    monkeypatch.setattr(fragments, "NEWEST_HOLD", hold)
    texts = [
        "新晨",
        "晨网",
        "旧晨",
        "有限公司",
        "科技有限",
        "XINCHEN.CN",
        '"星"_%',
        "chen1",
        "nope",
    ]
    spans_first = {t: found(app, t) for t in texts}
    # Those in many of the requests were read the new way (for the rarest, the newest
    # spans that hold two pages by the estimate are every request: read whole).
    assert {"新晨", "晨网", "有限公司"} <= set(newest_read)
    assert spans_first["旧晨"] == sorted(spans_first["旧晨"], reverse=True)
    assert len(spans_first["旧晨"]) == 4 and len(spans_first["有限公司"]) == 16
    monkeypatch.setattr(fragments, "FEW_MATCHES", 0)  # every fragment common: the walk
    newest_read.clear()
    assert {t: found(app, t) for t in texts} == spans_first
    assert newest_read == []


def test_a_rare_fragments_newest_spans_are_read_from_its_index(app, names):
    """PostgreSQL: the newest spans are a condition the GIN indexes serve (migration
    0015 indexes `request_id / SPAN`, the expression the query names), so only the
    rows of the matches there are read. Which of the two indexes a table this small
    is read by is the planner's choice; that one of them serves the span is not."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes of spans")
    for fragment in ["新晨科技", "新晨"]:
        query = fragments.newest_ids(fragment, None, 5, 101)
        compiled = query.compile(dialect=app.engine.dialect)
        with app.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            cursor = raw.cursor()
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + str(compiled), compiled.params)
            plan = [row[0] for row in cursor.fetchall()]
            raw.rollback()
        scans = [n for n, line in enumerate(plan) if "Bitmap Index Scan on " in line]
        assert any(re.search(r"on ix_filing_search_\w+_span ", plan[n]) for n in scans), plan
        span = f"(request_id / {fragments.SPAN}) >="
        assert any(span in plan[n + 1] and "Index Cond" in plan[n + 1] for n in scans), plan


def test_the_older_spans_are_not_read_when_the_newest_fill_the_page(app, names):
    """PostgreSQL: the older spans' CTE runs only when first read; a page the newest
    spans fill never reads it (the point of reading them first)."""
    if app.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan of the newest spans")

    def plan_of(fragment: str, width: int, n: int) -> list[str]:
        query = fragments.newest_ids(fragment, None, width, n)
        compiled = query.compile(dialect=app.engine.dialect)
        with app.engine.connect() as conn:
            lines = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + str(compiled), compiled.params
            )
            return [row[0] for row in lines]

    older = [line for line in plan_of("有限公司", 1_000_000, 2) if "CTE Scan on older" in line]
    assert older and all("never executed" in line for line in older), older
    # Fewer in the newest spans than the page asks: the older are read too.
    older = [line for line in plan_of("有限公司", 1_000_000, 9) if "CTE Scan on older" in line]
    assert older and not any("never executed" in line for line in older), older


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("新晨科技", "caseless"),
        ("123-4", "caseless"),
        ('"星"_%', "caseless"),
        ("Ltd", "cased"),
        ("新晨x", "cased"),
        ("ǅ12", "cased"),  # a title-case letter
        ("e\u0301x1", "cased"),  # a combining mark
        ("\U000e0080ab", "cased"),  # a character Unicode has not assigned
        ("新晨", "pair"),
    ],
)
def test_a_fragment_without_cased_letters_is_looked_up_by_like(text, kind):
    assert fragments._kind(text) == kind


def test_the_pairs_statistics_are_read_again_after_a_while(app, names):
    if app.engine.dialect.name != "postgresql":
        pytest.skip("the statistics of PostgreSQL's column of pairs")
    first = _analysed_statistics(app)
    f = named(6, "北京新晨网络有限公司", site="新晨商城", domains=["xinchen.shop"])
    app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    with app.ctx.unit_of_work() as session:
        session.execute(sql("ANALYZE filing_search"))
        assert fragments.pair_statistics(session, now=1.0) == first  # kept a while
        later = fragments.pair_statistics(session, now=fragments.STATISTICS_KEPT + 1)
    assert first is not None and later is not None
    assert (first.rows, later.rows) == (5, 6)
    assert later.at_most("新晨") == pytest.approx(first.at_most("新晨") + 1)


# -- the index follows every write -----------------------------------------------------
def test_an_edited_draft_is_found_by_what_it_says_now(app, names):
    request_id = names["xinchen"]
    f = named(1, "北京启明星辰信息技术有限公司", site="启明论坛", domains=["qiming.cn"])
    app.filings.save_new_filing(filing=f, session=session_for(app, "isp"), request_id=request_id)
    for gone in ["新晨", "新晨官网", "xinchen"]:
        assert found(app, gone) == [], gone
    for now in ["启明", "星辰信息", "论坛", "qiming", "qi"]:
        assert found(app, now) == [request_id], now
    assert found(app, "北") == [request_id]


def test_a_website_added_to_a_draft_and_taken_out(app, names):
    request_id = names["alpha"]
    f = named(4, "Alpha Ltd", site="Alpha Docs", domains=["alpha-docs.org"])
    second = replace(website(499), name="Beta 商城", domains=["beta-shop.cn"])
    app.filings.save_new_filing(
        filing=replace(f, websites=[*f.websites, second]),
        session=session_for(app, "isp"),
        request_id=request_id,
    )
    assert found(app, "商城") == [request_id]
    assert found(app, "beta-shop") == [request_id]
    app.filings.save_new_filing(filing=f, session=session_for(app, "isp"), request_id=request_id)
    assert found(app, "商城") == []
    assert found(app, "beta-shop") == []
    assert found(app, "alpha-docs") == [request_id]


def test_a_change_request_that_renames_the_subject(app, clock):
    f = named(7, XINCHEN, site="新晨官网", domains=["xinchen.cn"], province="33")
    first = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    app.submission.submit(request_id=first, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    verify_all(app, first, docs_by_phone(f))
    app.review.approve(request_id=first, session=session_for(app, "bureau"))
    subject_id = request_row(app, first).subject_id

    change = app.filings.save_change(
        subject_id=subject_id,
        change=ChangeInput(subject={"holder_name": "北京晨曦数据服务有限公司"}),
        session=session_for(app, "isp"),
    )
    # Until the bureau approves, the filing (and so its search) keeps what was approved.
    assert found(app, "新晨") == [change, first]
    assert found(app, "晨曦") == []
    app.submission.submit(request_id=change, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    verify_all(app, change, docs_by_phone(f))
    app.review.approve(request_id=change, session=session_for(app, "bureau"))
    assert found(app, "晨曦") == [change, first]
    assert found(app, "晨曦数据服务") == [change, first]
    assert found(app, "新晨科技") == []
    assert found(app, "新晨官网") == [first]  # the website kept its name


def test_a_change_request_that_renames_a_website_and_its_domains(app, clock):
    f = named(8, XINCHEN, site="新晨官网", domains=["xinchen.cn"], province="33")
    first = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    app.submission.submit(request_id=first, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    verify_all(app, first, docs_by_phone(f))
    app.review.approve(request_id=first, session=session_for(app, "bureau"))
    (website_id,) = websites_of(app, first)
    change = app.filings.save_change(
        subject_id=request_row(app, first).subject_id,
        change=ChangeInput(websites={website_id: {"name": "新晨商城", "domains": ["xcmall.cn"]}}),
        session=session_for(app, "isp"),
    )
    app.submission.submit(request_id=change, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    verify_all(app, change, docs_by_phone(f))
    app.review.approve(request_id=change, session=session_for(app, "bureau"))
    assert found(app, "商城") == [change, first]
    assert found(app, "xcmall") == [change, first]
    assert found(app, "xinchen") == []
    assert found(app, "官网") == []


def test_a_new_website_request_is_found_by_its_site_and_its_subject(app, clock):
    f = named(9, XINCHEN, site="新晨官网", domains=["xinchen.cn"], province="33")
    first = app.filings.save_new_filing(filing=f, session=session_for(app, "isp"))
    app.submission.submit(request_id=first, session=session_for(app, "isp"))
    send_first_sms(app, clock)
    verify_all(app, first, docs_by_phone(f))
    app.review.approve(request_id=first, session=session_for(app, "bureau"))
    added: WebsiteInput = replace(
        website(950, principal_input=principal(950)), name="新晨学堂", domains=["xcedu.cn"]
    )
    second = app.filings.save_new_website(
        subject_id=request_row(app, first).subject_id,
        website=added,
        session=session_for(app, "isp"),
    )
    assert found(app, "学堂") == [second]
    assert found(app, "xcedu") == [second]
    assert found(app, "新晨科技") == [second, first]  # the subject's name
    assert found(app, "xinchen") == [first]  # the other website is not this request's


# -- the migration fills the index for what was written before it ----------------------
def test_the_migration_indexes_the_requests_already_there(database_url, keys, clock):
    engine = make_engine(database_url)
    upgrade_to_head(engine)
    app = Beian.open(database_url=database_url, keys=keys, clock=clock)
    try:
        first = app.filings.save_new_filing(
            filing=named(1, XINCHEN, site="新晨官网", domains=["xinchen.cn"]),
            session=session_for(app, "isp"),
        )
        config = alembic_config(engine)
        command.downgrade(config, "0008")  # as before the index
        second = app.filings.save_new_filing(
            filing=named(2, "上海晨新信息技术有限公司", site="晨新博客", domains=["chenxin.net"]),
            session=session_for(app, "isp"),
        )
        upgrade_to_head(engine)
        assert found(app, "新晨") == [first]
        assert found(app, "晨新") == [second]
        assert found(app, "chenxin") == [second]
        assert found(app, "博客") == [second]
        assert found(app, "有限公司") == [second, first]
    finally:
        app.close()
        engine.dispose()
