"""A clerk deletes a draft (`filings.delete_draft`): the request stays, in state
`deleted`, with "deleted the draft" in its timeline; the records it had brought in are
withdrawn; it leaves the default list, the search and the counts (the triggers of
migration 0012 on both databases); anything but a draft, and any role without
ENTER_FILINGS, is refused with nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from test_permission_matrix import _snapshot

from beian_desktop.models import AccessRecord, Request, RequestTotal, Subject, Website
from beian_desktop.rules.errors import DraftNotDeletable, NotFound, PermissionDenied
from beian_desktop.rules.inputs import AccessInput, ChangeInput
from beian_desktop.rules.read_models import FilingFilter, FilingSort, FilingSortColumn
from beian_desktop.rules.timeline import sentence
from beian_desktop.services.beian import Beian
from beian_desktop.terms import RequestState

from factories import filing
from journeys import approved_subject, request_state, send_first_sms
from staff import session_for

EVERYTHING = FilingFilter()


def listed(
    app: Beian, wanted: FilingFilter = EVERYTHING, sort: FilingSort | None = None
) -> set[int]:
    page = app.queries.list_filings(
        session=session_for(app, "isp"),
        filter=wanted,
        limit=500,
        **({"sort": sort} if sort else {}),
    )
    assert page.next_cursor is None
    return {r.request_id for r in page.rows}


def counted(app: Beian, wanted: FilingFilter = EVERYTHING) -> int:
    return app.queries.count_filings(session=session_for(app, "isp"), filter=wanted)


def stored_total(app: Beian) -> tuple[int, int]:
    """request_total's row beside a count of the requests that are not deleted."""
    with app.ctx.read_only() as db:
        total = db.scalar(select(RequestTotal.requests))
        live = db.scalar(
            select(func.count()).select_from(Request).where(Request.state != "deleted")
        )
        return int(total or 0), int(live or 0)


def statuses(app: Beian, request_id: int) -> dict[str, list[str]]:
    with app.ctx.read_only() as db:
        request = db.get_one(Request, request_id)
        websites = [db.get_one(Website, link.website_id) for link in request.website_links]
        return {
            "subject": [db.get_one(Subject, request.subject_id).status],
            "websites": [w.status for w in websites],
            "access": [a.status for w in websites for a in w.access_records],
            "linked_access": [
                db.get_one(AccessRecord, link.access_id).status
                for link in request.website_links
                if link.access_id is not None
            ],
        }


def test_a_deleted_first_filing_keeps_its_timeline_and_leaves_the_list_search_and_counts(app):
    isp = session_for(app, "isp")
    kept = app.filings.save_new_filing(session=isp, filing=filing(serial=3))
    draft = app.filings.save_new_filing(session=isp, filing=filing(serial=4))
    assert statuses(app, draft)["websites"] == ["pending"]
    assert listed(app) == {kept, draft} and counted(app) == 2

    app.filings.delete_draft(session=session_for(app, "clerk"), request_id=draft)

    assert request_state(app, draft) == RequestState.DELETED
    assert statuses(app, draft) == {
        "subject": ["withdrawn"],
        "websites": ["withdrawn"],
        "access": ["withdrawn"],
        "linked_access": ["withdrawn"],
    }
    detail = app.queries.request_detail(session=isp, request_id=draft)
    last = detail.timeline[-1]
    assert (last.action, last.actor) == ("draft_deleted", "clerk")
    assert sentence(last, "zh").endswith("删除草稿")
    assert sentence(last, "en").endswith("deleted the draft")
    assert detail.timeline[0].action == "draft_created"  # history kept

    # the default list and its counts, with no filter (request_total) and with one
    assert listed(app) == {kept} and counted(app) == 1
    assert stored_total(app) == (1, 1)
    new_filings = FilingFilter(business_types=frozenset({"new_filing"}))
    assert listed(app, new_filings) == {kept} and counted(app, new_filings) == 1
    for column in FilingSortColumn:  # every sort, each its own way of reading the list
        for descending in (False, True):
            assert listed(app, sort=FilingSort(column, descending=descending)) == {kept}
    # the search: the deleted draft's domain and its website name find nothing
    for fragment in ("site401", "测试网站401"):
        assert listed(app, FilingFilter(search=fragment)) == set()
        assert counted(app, FilingFilter(search=fragment)) == 0
    assert listed(app, FilingFilter(search="site301")) == {kept}
    # ... but the state filter still finds it
    deleted = FilingFilter(states=frozenset({"deleted"}))
    assert listed(app, deleted) == {draft} and counted(app, deleted) == 1
    by_state = FilingSort(FilingSortColumn.STATE, descending=False)
    assert listed(app, deleted, sort=by_state) == {draft}


def test_a_domain_of_a_deleted_draft_can_be_filed_again(app, clock):
    isp = session_for(app, "isp")
    draft = app.filings.save_new_filing(session=isp, filing=filing(serial=4))
    app.filings.delete_draft(session=isp, request_id=draft)
    again = app.filings.save_new_filing(session=isp, filing=filing(serial=4))  # same domains
    assert app.submission.submit(session=isp, request_id=again) == RequestState.VERIFYING
    send_first_sms(app, clock)
    assert listed(app, FilingFilter(search="site401.cn")) == {again}
    assert stored_total(app) == (1, 1)


def test_other_business_types_withdraw_only_what_they_brought_in(app, clock):
    subject_id, website_id = approved_subject(app, clock, serial=1)
    isp = session_for(app, "isp")
    change = app.filings.save_change(
        session=isp, subject_id=subject_id, change=ChangeInput(subject={"remarks": "新备注"})
    )
    access = app.filings.save_new_access(
        session=isp,
        website_id=website_id,
        access=AccessInput(isp_name="某云", method="专线", server_ips=["10.0.0.9"]),
    )
    before = counted(app)
    app.filings.delete_draft(session=isp, request_id=change)
    app.filings.delete_draft(session=isp, request_id=access)

    assert request_state(app, change) == request_state(app, access) == RequestState.DELETED
    after = statuses(app, access)
    assert after["subject"] == ["active"] and after["websites"] == ["active"]  # approved: kept
    assert after["linked_access"] == ["withdrawn"]  # the new access record only
    assert sorted(after["access"]) == ["active", "withdrawn"]
    assert counted(app) == before - 2 and stored_total(app) == (before - 2, before - 2)
    for request_id in (change, access):
        timeline = app.queries.request_detail(session=isp, request_id=request_id).timeline
        assert timeline[-1].action == "draft_deleted"


def test_only_a_draft_can_be_deleted_and_a_refusal_changes_nothing(app, clock):
    isp = session_for(app, "isp")
    submitted = app.filings.save_new_filing(session=isp, filing=filing(serial=5))
    app.submission.submit(session=isp, request_id=submitted)
    send_first_sms(app, clock)
    deleted = app.filings.save_new_filing(session=isp, filing=filing(serial=6))
    app.filings.delete_draft(session=isp, request_id=deleted)
    for request_id, state in ((submitted, "verifying"), (deleted, "deleted")):
        before = _snapshot(app)
        with pytest.raises(DraftNotDeletable) as refused:
            app.filings.delete_draft(session=isp, request_id=request_id)
        assert refused.value.state == state
        assert "只有草稿可以删除" in refused.value.message("zh")
        assert "only drafts can be deleted" in refused.value.message("en")
        assert _snapshot(app) == before
    with pytest.raises(NotFound):
        app.filings.delete_draft(session=isp, request_id=9999)


def test_a_returned_request_is_not_deleted(app, clock):
    isp = session_for(app, "isp")
    returned = app.filings.save_new_filing(session=isp, filing=filing(serial=5))
    app.submission.submit(session=isp, request_id=returned)
    send_first_sms(app, clock)
    clock.advance(timedelta(hours=25))
    app.tick()
    assert request_state(app, returned) == RequestState.RETURNED
    with pytest.raises(DraftNotDeletable):
        app.filings.delete_draft(session=session_for(app, "isp"), request_id=returned)
    assert request_state(app, returned) == RequestState.RETURNED


@pytest.mark.parametrize("who", ["desk", "sup", "bureau"])
def test_roles_that_do_not_enter_filings_may_not_delete_drafts(app, who):
    draft = app.filings.save_new_filing(session=session_for(app, "isp"), filing=filing(serial=4))
    caller = session_for(app, who)
    before = _snapshot(app)
    with pytest.raises(PermissionDenied):
        app.filings.delete_draft(session=caller, request_id=draft)
    assert _snapshot(app) == before
    assert request_state(app, draft) == RequestState.DRAFT
    assert listed(app) == {draft}
