"""Who must verify and how many must pass: SPEC §2, §2.1, §2.2, §2.3 (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beian_desktop.rules.who_verifies import (
    NoVerificationReason,
    RuleInput,
    Slot,
    VerificationPlan,
    group_by_phone,
    plan_verification,
)
from beian_desktop.terms import CANCELLATIONS, BusinessType, Quorum, Role

# SPEC §2.3 start dates.
ZHEJIANG_FROM = date(2018, 9, 10)
SHANXI_FROM = date(2018, 9, 24)
NATIONWIDE_FROM = date(2020, 8, 17)  # e.g. Guangdong
SUBMITTED = date(2026, 11, 23)  # long after every province was enabled

SUBJECT_PHONE = "13800000001"


def subject_slot(phone: str = SUBJECT_PHONE, name: str = "张伟", principal_id: int = 1) -> Slot:
    return Slot(principal_id, Role.SUBJECT_PRINCIPAL, None, name, phone, "12345X")


def website_slot(
    website_id: int, phone: str, name: str | None = None, principal_id: int | None = None
) -> Slot:
    return Slot(
        principal_id if principal_id is not None else 100 + website_id,
        Role.WEBSITE_PRINCIPAL,
        website_id,
        name if name is not None else f"网站负责人{website_id}",
        phone,
        f"{website_id:06d}",
    )


SUBJECT = subject_slot()
SITE_1 = website_slot(1, "13900000001", "李娜")
SITE_2 = website_slot(2, "13900000002", "王芳")
SITE_3 = website_slot(3, "13900000003", "刘洋")
SITES = (SITE_1, SITE_2, SITE_3)


def plan(
    business_type: BusinessType,
    *,
    subject: Slot = SUBJECT,
    websites: tuple[Slot, ...] = SITES,
    submitted_on: date = SUBMITTED,
    verification_from: date | None = NATIONWIDE_FROM,
    **kwargs,
) -> VerificationPlan:
    return plan_verification(
        RuleInput(
            business_type=business_type,
            subject_principal=subject,
            website_principals=websites,
            submitted_on=submitted_on,
            province_verification_from=verification_from,
            **kwargs,
        )
    )


def phones(p: VerificationPlan) -> list[str]:
    return [v.phone for v in p.verifiers()]


# -- §2: the table, row by row ---------------------------------------------------------


def test_new_filing_verifies_subject_and_every_website_principal():
    p = plan(BusinessType.NEW_FILING)
    assert p.needs_verification
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT, SITE_1, SITE_2, SITE_3)
    assert p.skipped_because is None
    assert phones(p) == [SUBJECT_PHONE, "13900000001", "13900000002", "13900000003"]


def test_new_website_verifies_only_the_new_websites_principal():
    p = plan(BusinessType.NEW_WEBSITE, websites=(SITE_2,))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SITE_2,)
    assert SUBJECT not in p.slots
    assert SUBJECT_PHONE not in phones(p)


def test_new_access_verifies_only_that_websites_principal():
    p = plan(BusinessType.NEW_ACCESS, websites=(SITE_3,))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SITE_3,)
    assert phones(p) == ["13900000003"]


def test_change_of_subject_and_website_verifies_both_with_quorum_all():
    p = plan(BusinessType.CHANGE, subject_changed=True, changed_website_ids=frozenset({1}))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT, SITE_1)


def test_cancel_subject_verifies_subject_principal_only():
    p = plan(BusinessType.CANCEL_SUBJECT)
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT,)
    assert phones(p) == [SUBJECT_PHONE]


def test_cancel_website_needs_any_one_of_subject_or_website_principal():
    p = plan(BusinessType.CANCEL_WEBSITE, websites=(SITE_1,))
    assert p.quorum is Quorum.ANY
    assert p.slots == (SUBJECT, SITE_1)
    assert phones(p) == [SUBJECT_PHONE, "13900000001"]


def test_cancel_website_with_shared_phone_is_one_verifier_either_role_suffices():
    shared = website_slot(1, SUBJECT_PHONE, "张伟", principal_id=SUBJECT.principal_id)
    p = plan(BusinessType.CANCEL_WEBSITE, websites=(shared,))
    assert p.quorum is Quorum.ANY
    [verifier] = p.verifiers()
    assert verifier.slots == (SUBJECT, shared)


def test_cancel_access_verifies_website_principal_only():
    p = plan(BusinessType.CANCEL_ACCESS, websites=(SITE_2,))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SITE_2,)
    assert SUBJECT_PHONE not in phones(p)


def test_change_phone_verifies_the_principal_at_the_new_number():
    old, new = "13900000002", "13711112222"
    # The caller gives the slot at the new number; the old one must appear nowhere.
    moved = website_slot(2, new, "王芳")
    p = plan(
        BusinessType.CHANGE_PHONE,
        websites=(SITE_1, moved, SITE_3),
        changed_principal_ids=frozenset({moved.principal_id}),
    )
    assert p.quorum is Quorum.ALL
    assert p.slots == (moved,)
    assert phones(p) == [new]
    assert old not in phones(p)
    assert all(s.phone != old for s in p.slots)


def test_change_phone_of_subject_principal_verifies_subject_only():
    moved = subject_slot(phone="13711112222")
    p = plan(
        BusinessType.CHANGE_PHONE,
        subject=moved,
        changed_principal_ids=frozenset({moved.principal_id}),
    )
    assert p.quorum is Quorum.ALL
    assert p.slots == (moved,)
    assert phones(p) == ["13711112222"]


def test_change_phone_of_principal_holding_two_roles_is_one_verifier():
    new = "13711112222"
    subj = subject_slot(phone=new)
    site = website_slot(1, new, "张伟", principal_id=subj.principal_id)
    p = plan(
        BusinessType.CHANGE_PHONE,
        subject=subj,
        websites=(site, SITE_2),
        changed_principal_ids=frozenset({subj.principal_id}),
    )
    assert p.slots == (subj, site)
    [verifier] = p.verifiers()
    assert verifier.phone == new
    assert verifier.slots == (subj, site)


# -- §2: the "verify cancellations" setting ------------------------------------------


@pytest.mark.parametrize("business_type", sorted(CANCELLATIONS))
def test_cancellation_not_verified_goes_straight_to_review(business_type):
    p = plan(business_type, verify_cancellation=False)
    assert not p.needs_verification
    assert p.quorum is None
    assert p.slots == ()
    assert p.verifiers() == []
    assert p.skipped_because is NoVerificationReason.CANCELLATION_NOT_VERIFIED


@pytest.mark.parametrize(
    ("business_type", "quorum"),
    [
        (BusinessType.CANCEL_SUBJECT, Quorum.ALL),
        (BusinessType.CANCEL_WEBSITE, Quorum.ANY),
        (BusinessType.CANCEL_ACCESS, Quorum.ALL),
    ],
)
def test_cancellation_verified_when_setting_is_on(business_type, quorum):
    p = plan(business_type, websites=(SITE_1,), verify_cancellation=True)
    assert p.needs_verification
    assert p.quorum is quorum
    assert p.slots
    assert p.skipped_because is None


def test_cancellations_are_verified_by_default():
    # SPEC §2: ship the ministry FAQ's behaviour (verify) as the default.
    assert RuleInput(
        BusinessType.CANCEL_SUBJECT, SUBJECT, (), SUBMITTED, NATIONWIDE_FROM
    ).verify_cancellation
    for business_type in CANCELLATIONS:
        assert plan(business_type, websites=(SITE_1,)).needs_verification


@pytest.mark.parametrize("business_type", [t for t in BusinessType if t not in CANCELLATIONS])
def test_cancellation_setting_does_not_affect_other_types(business_type):
    p = plan(
        business_type,
        verify_cancellation=False,
        subject_changed=True,
        changed_principal_ids=frozenset({SITE_1.principal_id}),
    )
    assert p.needs_verification
    assert p.skipped_because is None


# -- §2.1: change requests --------------------------------------------------------------


def test_change_of_remarks_only_sends_no_sms():
    p = plan(BusinessType.CHANGE, subject_changed=False, changed_website_ids=frozenset())
    assert not p.needs_verification
    assert p.quorum is None
    assert p.slots == ()
    assert p.verifiers() == []
    assert p.skipped_because is NoVerificationReason.REMARKS_ONLY


def test_change_of_subject_verifies_subject_principal_only():
    p = plan(BusinessType.CHANGE, subject_changed=True)
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT,)
    assert phones(p) == [SUBJECT_PHONE]


def test_change_of_one_website_verifies_that_websites_principal_only():
    p = plan(BusinessType.CHANGE, changed_website_ids=frozenset({2}))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SITE_2,)
    assert SUBJECT not in p.slots


def test_change_of_several_websites_verifies_all_their_principals_and_not_the_others():
    p = plan(BusinessType.CHANGE, changed_website_ids=frozenset({1, 3}))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SITE_1, SITE_3)
    assert SITE_2 not in p.slots
    assert "13900000002" not in phones(p)
    assert SUBJECT not in p.slots


def test_change_of_subject_and_websites_verifies_subject_and_every_changed_website():
    p = plan(BusinessType.CHANGE, subject_changed=True, changed_website_ids=frozenset({2, 3}))
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT, SITE_2, SITE_3)
    assert SITE_1 not in p.slots


def test_change_principal_with_new_phone_is_verified_at_new_number_never_old():
    old, new = "13900000001", "13722223333"
    before = website_slot(1, old, "李娜")
    after = website_slot(1, new, "李娜")
    assert before.principal_id == after.principal_id  # the same person, two numbers
    p = plan(
        BusinessType.CHANGE,
        websites=(after, SITE_2),
        changed_website_ids=frozenset({1}),
    )
    assert p.slots == (after,)
    assert before not in p.slots
    [verifier] = p.verifiers()
    assert verifier.phone == new
    assert verifier.phone != old
    assert old not in [s.phone for s in p.slots]


def test_change_principal_with_unchanged_phone_is_verified_at_that_number():
    p = plan(BusinessType.CHANGE, subject_changed=True)
    [verifier] = p.verifiers()
    assert verifier.phone == SUBJECT.phone


# -- §2.2: one person, one SMS ----------------------------------------------------------


def test_principals_sharing_a_phone_are_one_verifier_covering_all_roles():
    # The subject principal also runs two of the three websites.
    site_1 = website_slot(1, SUBJECT_PHONE, "张伟", principal_id=SUBJECT.principal_id)
    site_3 = website_slot(3, SUBJECT_PHONE, "张伟", principal_id=SUBJECT.principal_id)
    p = plan(BusinessType.NEW_FILING, websites=(site_1, SITE_2, site_3))
    verifiers = p.verifiers()
    assert len(verifiers) == 2
    shared = verifiers[0]
    assert shared.phone == SUBJECT_PHONE
    assert shared.name == "张伟"
    assert shared.slots == (SUBJECT, site_1, site_3)
    assert {s.role for s in shared.slots} == {Role.SUBJECT_PRINCIPAL, Role.WEBSITE_PRINCIPAL}
    assert verifiers[1].slots == (SITE_2,)


def test_distinct_phones_are_distinct_verifiers():
    verifiers = group_by_phone((SUBJECT, SITE_1, SITE_2))
    assert [v.phone for v in verifiers] == [SUBJECT_PHONE, "13900000001", "13900000002"]
    assert [v.slots for v in verifiers] == [(SUBJECT,), (SITE_1,), (SITE_2,)]
    assert [v.name for v in verifiers] == ["张伟", "李娜", "王芳"]


def test_verifier_order_is_order_of_first_appearance():
    a = website_slot(1, "13900000009")
    b = website_slot(2, "13900000001")
    c = website_slot(3, "13900000009")
    d = website_slot(4, "13900000005")
    verifiers = group_by_phone((a, b, c, d))
    assert [v.phone for v in verifiers] == ["13900000009", "13900000001", "13900000005"]
    assert verifiers[0].slots == (a, c)


def test_different_people_on_one_number_are_one_verifier_with_names_joined():
    a = website_slot(1, "13900000007", "李娜")
    b = website_slot(2, "13900000007", "王芳")
    c = website_slot(3, "13900000007", "李娜")  # same name again: listed once
    [verifier] = group_by_phone((a, b, c))
    assert verifier.phone == "13900000007"
    assert verifier.name == "李娜、王芳"
    assert verifier.slots == (a, b, c)


def test_group_by_phone_of_nothing_is_no_verifier():
    assert group_by_phone(()) == []


# -- §2.3: provinces --------------------------------------------------------------------


def test_zhejiang_day_before_start_is_not_enabled():
    p = plan(
        BusinessType.NEW_FILING,
        submitted_on=date(2018, 9, 9),
        verification_from=ZHEJIANG_FROM,
    )
    assert not p.needs_verification
    assert p.quorum is None
    assert p.slots == ()
    assert p.skipped_because is NoVerificationReason.PROVINCE_NOT_ENABLED


def test_zhejiang_on_start_date_is_verified():
    p = plan(
        BusinessType.NEW_FILING,
        submitted_on=date(2018, 9, 10),
        verification_from=ZHEJIANG_FROM,
    )
    assert p.needs_verification
    assert p.quorum is Quorum.ALL
    assert p.slots == (SUBJECT, *SITES)


@pytest.mark.parametrize(
    ("submitted_on", "enabled"),
    [(date(2018, 9, 23), False), (date(2018, 9, 24), True), (date(2018, 9, 25), True)],
)
def test_shanxi_starts_on_2018_09_24(submitted_on, enabled):
    p = plan(BusinessType.NEW_FILING, submitted_on=submitted_on, verification_from=SHANXI_FROM)
    assert p.needs_verification is enabled


@pytest.mark.parametrize(
    ("submitted_on", "enabled"),
    [(date(2020, 8, 16), False), (date(2020, 8, 17), True)],
)
def test_guangdong_nationwide_start_2020_08_17(submitted_on, enabled):
    p = plan(
        BusinessType.CANCEL_SUBJECT, submitted_on=submitted_on, verification_from=NATIONWIDE_FROM
    )
    assert p.needs_verification is enabled
    if not enabled:
        assert p.skipped_because is NoVerificationReason.PROVINCE_NOT_ENABLED


def test_province_with_no_start_date_is_never_enabled():
    p = plan(BusinessType.NEW_FILING, verification_from=None)
    assert not p.needs_verification
    assert p.skipped_because is NoVerificationReason.PROVINCE_NOT_ENABLED


@pytest.mark.parametrize("business_type", list(BusinessType))
def test_province_not_enabled_skips_every_business_type(business_type):
    p = plan(
        business_type,
        submitted_on=date(2018, 9, 9),
        verification_from=ZHEJIANG_FROM,
        subject_changed=True,
        changed_website_ids=frozenset({1}),
        changed_principal_ids=frozenset({SUBJECT.principal_id}),
    )
    assert p.quorum is None
    assert p.skipped_because is NoVerificationReason.PROVINCE_NOT_ENABLED


# -- properties -------------------------------------------------------------------------

PHONE_POOL = ["13800000001", "13800000002", "13800000003"]
NAME_POOL = ["张伟", "李娜", "王芳"]


@st.composite
def filings(draw) -> tuple[Slot, tuple[Slot, ...]]:
    """A subject principal and 1..6 website principals on few phones, so they collide."""
    subject = subject_slot(draw(st.sampled_from(PHONE_POOL)), draw(st.sampled_from(NAME_POOL)))
    count = draw(st.integers(min_value=1, max_value=6))
    websites = tuple(
        website_slot(i, draw(st.sampled_from(PHONE_POOL)), draw(st.sampled_from(NAME_POOL)))
        for i in range(1, count + 1)
    )
    return subject, websites


@given(
    filing=filings(),
    business_type=st.sampled_from(list(BusinessType)),
    data=st.data(),
)
def test_property_one_verifier_per_distinct_phone(filing, business_type, data):
    subject, websites = filing
    everyone = (subject, *websites)
    p = plan(
        business_type,
        subject=subject,
        websites=websites,
        subject_changed=data.draw(st.booleans()),
        changed_website_ids=frozenset(
            data.draw(st.sets(st.sampled_from([w.website_id for w in websites])))
        ),
        changed_principal_ids=frozenset(
            data.draw(
                st.sets(
                    st.sampled_from([s.principal_id for s in everyone]),
                    # a phone change always names whose number changes
                    min_size=1 if business_type is BusinessType.CHANGE_PHONE else 0,
                )
            )
        ),
    )
    verifiers = p.verifiers()
    slot_phones = list(dict.fromkeys(s.phone for s in p.slots))
    # exactly one verifier per distinct phone, in order of first appearance
    assert [v.phone for v in verifiers] == slot_phones
    # every slot in exactly one verifier, and each verifier's slots carry its phone
    covered = [s for v in verifiers for s in v.slots]
    assert sorted(covered, key=p.slots.index) == list(p.slots)
    for v in verifiers:
        assert v.slots
        assert all(s.phone == v.phone for s in v.slots)
        assert v.name.split("、") == list(dict.fromkeys(s.name for s in v.slots))


@given(filing=filings())
def test_property_new_filing_verifies_exactly_subject_and_all_websites(filing):
    subject, websites = filing
    p = plan(BusinessType.NEW_FILING, subject=subject, websites=websites)
    assert p.quorum is Quorum.ALL
    assert p.slots == (subject, *websites)
    assert len(p.verifiers()) == len({s.phone for s in (subject, *websites)})


@given(filing=filings(), subject_changed=st.booleans(), data=st.data())
def test_property_change_verifies_exactly_the_changed_parts(filing, subject_changed, data):
    subject, websites = filing
    changed = frozenset(data.draw(st.sets(st.sampled_from([w.website_id for w in websites]))))
    p = plan(
        BusinessType.CHANGE,
        subject=subject,
        websites=websites,
        subject_changed=subject_changed,
        changed_website_ids=changed,
    )
    expected = ((subject,) if subject_changed else ()) + tuple(
        w for w in websites if w.website_id in changed
    )
    assert p.slots == expected
    nothing_changed = not subject_changed and not changed
    assert p.needs_verification is not nothing_changed
    if nothing_changed:
        assert p.skipped_because is NoVerificationReason.REMARKS_ONLY
    else:
        assert p.quorum is Quorum.ALL
        assert p.skipped_because is None


def test_a_request_with_nobody_to_verify_is_refused_not_planned_empty():
    subject = subject_slot()
    with pytest.raises(ValueError, match="nobody to verify"):
        plan(BusinessType.CHANGE_PHONE, subject=subject, websites=())
    with pytest.raises(ValueError, match="nobody to verify"):
        plan(BusinessType.NEW_WEBSITE, subject=subject, websites=())


def test_a_changed_website_outside_the_request_is_refused():
    subject = subject_slot()
    with pytest.raises(ValueError, match="not in the request"):
        plan(BusinessType.CHANGE, subject=subject, websites=(), changed_website_ids=frozenset({9}))
