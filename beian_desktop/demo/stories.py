"""The stories the demo plays: each first filing from entry to its planned outcome, the
corrected resubmissions, and the follow-up requests on approved subjects.

Each story only schedules the desk's acts on its queue (desk.py), done by the demo
accounts of the roles that do them; what it is meant to end as is noted in `expect`,
so the summary can say when one did not.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from beian_desktop.demo.desk import DAY_START, DAYS, SUPERVISOR, DemoDesk, Expect
from beian_desktop.demo.identities import Org
from beian_desktop.demo.places import REMARKS, SITE_KINDS
from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.inputs import ChangeInput, FilingInput
from beian_desktop.terms import BusinessType, RequestState, ReturnReason, SubjectNature

# What the supervisor writes on a request returned because its mistyped number never
# answered (the "resubmitted" story).
HAND_BACK_NOTE = (
    "网站负责人手机号码无人接收核验短信，疑为录入有误：请联系客户核实号码，更正后重新提交"
)


@dataclass
class Host:
    """An approved first filing that later gets follow-up requests."""

    org: Org
    subject_id: int | None = None
    early: tuple[str, str] | None = None  # (kind, outcome)
    late: tuple[str, str] | None = None
    early_day: int = 0


class DemoStories(DemoDesk):
    """The desk with its stories: what each planned request goes through."""

    # -- first filings ------------------------------------------------------------------------
    def first_filing(self, outcome: str, day: int, host: Host | None = None) -> None:
        rng = self.rng
        if host is not None:
            org, websites = host.org, 2
        else:
            nature = SubjectNature.ENTERPRISE if outcome == "verifying_some" else None
            org = self.org(self.province(), nature)
            websites = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            if org.nature is not SubjectNature.ENTERPRISE:
                websites = 1
        self.used_holders.add(org.holder_name)
        filing = self.filing(org, websites)
        if outcome == "verifying_some":  # two people, so one can be done and one not
            for website in filing.websites:
                if website.principal.mobile == org.owner.mobile:
                    website.principal = self.staff_member(org).principal()
        province_code = org.province.code
        when = {
            "verifying_some": lambda: self.office(DAYS, DAY_START, 15.0),
            "verifying_none": lambda: (
                self.office(DAYS - 1, 18.5, 20.5)
                if rng.random() < 0.4
                else self.office(DAYS, DAY_START, 15.5)
            ),
            "review": lambda: (
                self.office(day, DAY_START, 12.5) if day == DAYS else self.office(day)
            ),
        }.get(outcome, lambda: self.office(day))()

        def enter() -> None:
            self.new_filing(outcome, filing, province_code, host)

        self.at(when, enter)

    def new_filing(
        self, outcome: str, filing: FilingInput, province: str, host: Host | None
    ) -> None:
        rng = self.rng
        labels = {
            "host": (RequestState.APPROVED, None),
            "approved": (RequestState.APPROVED, None),
            "resubmitted": (RequestState.APPROVED, None),
            "rejected": (RequestState.REJECTED, None),
            "review": (RequestState.BUREAU_REVIEW, None),
            "verifying_some": (RequestState.VERIFYING, None),
            "verifying_none": (RequestState.VERIFYING, None),
            "expired": (RequestState.RETURNED, ReturnReason.EXPIRED),
            "tries": (RequestState.RETURNED, ReturnReason.TRIES_USED_UP),
            "undeliverable": (RequestState.RETURNED, ReturnReason.UNDELIVERABLE),
            "draft": (RequestState.DRAFT, None),
        }
        state, reason = labels[outcome]
        real_mobile = None
        if outcome == "resubmitted":  # the website principal's number was mistyped
            real_mobile = filing.websites[-1].principal.mobile
            filing.websites[-1].principal.mobile = self.mobile()
        if outcome == "draft" and rng.random() < 0.5:  # half-entered: no domains, no phone
            filing.websites[-1].domains = []
            filing.websites[-1].principal.mobile = ""
        rid = self.app.filings.save_new_filing(session=self.clerk(), filing=filing)
        self.expect[rid] = Expect(f"new_filing/{outcome}", state, reason)
        if outcome == "draft":
            if not filing.websites[-1].domains and rng.random() < 0.6:

                def try_submit() -> None:
                    with suppress(ValidationFailed):  # errors named on screen: stays a draft
                        self.submit(rid)

                self.at(self.later(5, 60), try_submit)
            return
        if outcome == "undeliverable":  # every number of the request, so no SMS gets out
            people = [filing.subject.principal, *(w.principal for w in filing.websites)]
            self.make_unreachable({p.mobile for p in people if p.mobile})

        def go() -> None:
            self.submit_and_follow(rid, outcome, province, host, filing, real_mobile)

        if rng.random() < 0.25:  # saved first, checked over, then submitted
            self.at(self.later(10, 90), go)
        else:
            go()

    def submit_and_follow(
        self,
        rid: int,
        outcome: str,
        province: str,
        host: Host | None,
        filing: FilingInput,
        real_mobile: str | None,
    ) -> None:
        self.submit(rid)
        late_ok = self.day_of(self.clock.now) < DAYS - 1
        if outcome in ("approved", "host"):
            then = self.start_follow_ups(host, rid) if host else None
            self.everyone_verifies(
                rid, self.bureau(rid, province, "approve", then), late_ok=late_ok
            )
        elif outcome == "rejected":
            self.everyone_verifies(rid, self.bureau(rid, province, "reject"), late_ok=late_ok)
        elif outcome == "review":
            self.everyone_verifies(rid, lambda: None, late_ok=False)
        elif outcome == "verifying_some":
            self.some_verify(rid, wrong_try=self.rng.random() < 0.3)
        elif outcome == "verifying_none":
            self.some_verify(rid, wrong_try=self.rng.random() < 0.3, resend=True)
        elif outcome == "expired":
            style = self.rng.choice(("nobody", "some", "resend"))
            if style != "nobody":
                self.some_verify(rid, resend=style == "resend")
        elif outcome == "tries":
            self.tries_run_out(rid)
        elif outcome == "undeliverable":
            due = self.clock.now + self.policy.send_delay + self.policy.window
            self.at(due + timedelta(minutes=10), lambda: self.check_unreachable(rid))
        elif outcome == "resubmitted":
            self.some_verify(rid)
            assert real_mobile is not None
            deadline = self.clock.now + self.policy.send_delay + self.policy.window
            self.at(
                self.office(self.day_of(deadline) + 1),
                lambda: self.correct_and_resubmit(rid, filing, real_mobile, province),
            )

    def correct_and_resubmit(
        self, rid: int, filing: FilingInput, real_mobile: str, province: str
    ) -> None:
        """The supervisor hands the returned request back with a note; the ISP calls the
        customer, gets the right number, and submits again."""
        if self.state(rid) == RequestState.RETURNED:
            self.app.filings.add_note(
                session=self.staff.token(SUPERVISOR),
                request_id=rid,
                text=HAND_BACK_NOTE,
                hand_back=True,
            )
        for website, website_id in zip(filing.websites, self.request_website_ids(rid), strict=True):
            website.id = website_id
        filing.websites[-1].principal.mobile = real_mobile
        self.app.filings.save_new_filing(session=self.clerk(), filing=filing, request_id=rid)
        self.submit(rid)
        self.everyone_verifies(rid, self.bureau(rid, province, "approve"))

    # -- follow-ups on approved subjects ---------------------------------------------------------
    def start_follow_ups(self, host: Host, rid: int) -> Callable[[], None]:
        def later_on(kind: str, outcome: str, when: datetime, late: bool) -> None:
            self.at(when, lambda: self.follow_up(host, kind, outcome, late=late))

        def then() -> None:
            host.subject_id = self.subject_of(rid)
            if host.early:
                when = max(self.office(host.early_day), self.clock.now + timedelta(hours=18))
                later_on(*host.early, when, late=False)
            if host.late:
                kind, outcome = host.late
                hi = {"approved": 10.5, "review": 12.5}.get(outcome, 15.0)
                if kind == "change_phone":  # the bureau approves the number first
                    hi = min(hi, 13.0)
                later_on(kind, outcome, self.office(DAYS, DAY_START, hi), late=True)

        return then

    def follow_up(self, host: Host, kind: str, outcome: str, *, late: bool) -> None:
        assert host.subject_id is not None
        org, subject_id = host.org, host.subject_id
        sites = self.sites(subject_id)
        if kind == "cancel_website" and len(sites) < 2:
            kind = "change_website"
        if kind == "cancel_access" and not any(s[3] for s in sites):
            kind = "new_access"
        clerk = self.clerk()  # one clerk enters it, another may submit it
        rng = self.rng
        site = rng.choice(sites)
        if kind == "new_website":
            keeper = org.owner if rng.random() < 0.4 else self.staff_member(org)
            website = self.website(org, keeper.principal())
            rid = self.app.filings.save_new_website(
                session=clerk, subject_id=subject_id, website=website
            )
            business = BusinessType.NEW_WEBSITE
        elif kind == "new_access":
            rid = self.app.filings.save_new_access(
                session=clerk, website_id=site[0], access=self.access()
            )
            business = BusinessType.NEW_ACCESS
        elif kind == "change_subject":
            change = ChangeInput()
            if rng.random() < 0.5:
                change.subject = {
                    "mailing_address": self.address(org.province, org.city, org.district)
                }
            else:  # a new legal representative takes over as subject principal
                successor = self.person(org.district.code)
                change.subject_principal = {
                    "name": successor.name,
                    "doc_number": successor.doc_number,
                    "mobile": successor.mobile,
                    "email": successor.email,
                }
            rid = self.app.filings.save_change(session=clerk, subject_id=subject_id, change=change)
            business = BusinessType.CHANGE
        elif kind == "change_website":
            change = ChangeInput()
            if rng.random() < 0.5:
                # the site is redone as something else: new name, new service content
                content = rng.choice([c for c in SITE_KINDS if c not in (site[4], "企业官网")])
                name = f"{org.brand}{SITE_KINDS[content][0]}"
                change.websites = {site[0]: {"name": name, "service_content": content}}
            else:  # same person, new number: verified at the new number only
                person = self.people[site[2]]
                change.website_principals = {site[0]: {"mobile": self.new_number_for(person)}}
            rid = self.app.filings.save_change(session=clerk, subject_id=subject_id, change=change)
            business = BusinessType.CHANGE
        elif kind == "change_remarks":
            change = ChangeInput(subject={"remarks": rng.choice(REMARKS)})
            rid = self.app.filings.save_change(session=clerk, subject_id=subject_id, change=change)
            business = BusinessType.CHANGE
            outcome = "review" if outcome in ("verifying", "expired") else outcome
        elif kind == "change_phone":
            principal_id, mobile = (
                self.subject_principal(subject_id) if rng.random() < 0.5 else site[1:3]
            )
            new = self.new_number_for(self.people[mobile])
            rid = self.app.filings.save_phone_change(
                session=clerk, principal_id=principal_id, new_mobile=new
            )
            business = BusinessType.CHANGE_PHONE
        else:
            business = BusinessType(kind)
            target = {"subject_id": subject_id}
            if business is not BusinessType.CANCEL_SUBJECT:
                choices = [s for s in sites if s[3]] if kind == "cancel_access" else sites[1:]
                target = {"website_id": rng.choice(choices or sites)[0]}
            rid = self.app.filings.save_cancellation(
                session=clerk, business_type=business, **target
            )
        states = {
            "approved": (RequestState.APPROVED, None),
            "rejected": (RequestState.REJECTED, None),
            "review": (RequestState.BUREAU_REVIEW, None),
            "verifying": (RequestState.VERIFYING, None),
            "expired": (RequestState.RETURNED, ReturnReason.EXPIRED),
            "draft": (RequestState.DRAFT, None),
        }
        self.expect[rid] = Expect(f"{kind}/{outcome}", *states[outcome])
        if outcome == "draft":
            return
        self.submit(rid)
        province = org.province.code
        if business is BusinessType.CHANGE_PHONE:
            self.phone_change(rid, province, outcome)
        elif self.state(rid) == RequestState.BUREAU_REVIEW:  # remarks only: no SMS
            if outcome in ("approved", "rejected"):
                self.bureau(rid, province, "approve" if outcome == "approved" else "reject")()
        elif outcome == "approved":
            self.everyone_verifies(rid, self.bureau(rid, province, "approve"), late_ok=not late)
        elif outcome == "rejected":
            self.everyone_verifies(rid, self.bureau(rid, province, "reject"), late_ok=not late)
        elif outcome == "review":
            self.everyone_verifies(rid, lambda: None, late_ok=False)
        elif outcome == "verifying" and rng.random() < 0.4:
            self.some_verify(
                rid,
                wrong_try=rng.random() < 0.5,
                resend=rng.random() < 0.5,
                first=business is not BusinessType.CANCEL_WEBSITE,  # one would pass it
            )
        # "expired": nobody answers

    def phone_change(self, rid: int, province: str, outcome: str) -> None:
        """Bureau approves the number first; then the round runs at the new number."""
        if outcome == "review":
            return  # waiting for the bureau to approve the new number
        if outcome == "rejected":
            self.bureau(rid, province, "reject")()
            return

        def round_runs() -> None:
            if outcome == "approved":
                self.everyone_verifies(rid, lambda: None, late_ok=False)
            elif outcome == "verifying" and self.rng.random() < 0.5:
                self.some_verify(rid, wrong_try=True)

        self.bureau(rid, province, "approve", round_runs)()
