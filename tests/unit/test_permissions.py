"""The role table of SPEC §1 and the permission each revealable field needs (SPEC §7):
rules/permissions.py, no database (what the services do with it: tests/engine/test_users.py
and test_reveal.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from beian_desktop.rules.permissions import ROLE_PERMISSIONS, Permission, RevealField, can
from beian_desktop.terms import UserRole


@dataclass(frozen=True)
class Holder:
    """Anything with a role, as rules/permissions.py asks: no service needed."""

    role: str
    active: bool = True


# -- the role table (SPEC §1) ----------------------------------------------------------
def holder(role: UserRole) -> Holder:
    return Holder(role)


def allowed(role: UserRole) -> set[Permission]:
    return {p for p in Permission if can(holder(role), p)}


def test_isp_staff_enter_and_submit_filings():
    assert allowed(UserRole.ISP_STAFF) == {
        Permission.VIEW_FILINGS,
        Permission.ENTER_FILINGS,
        Permission.SUBMIT,
    }


def test_the_help_desk_looks_up_callers_resends_and_checks_codes():
    assert allowed(UserRole.HELP_DESK) == {
        Permission.VIEW_FILINGS,
        Permission.VIEW_OUTBOX,
        Permission.CALLER_LOOKUP,
        Permission.RESEND_FOR_CALLER,
        Permission.VERIFICATION_DESK,
    }


def test_supervisors_see_returned_filings_reports_full_phones_and_resubmit():
    assert allowed(UserRole.SUPERVISOR) == {
        Permission.VIEW_FILINGS,
        Permission.REVIEW_RETURNED,
        Permission.REPORTS,
        Permission.REVEAL_PHONES,
        Permission.SUBMIT,
    }


def test_bureau_reviewers_approve_see_id_numbers_and_resend_for_callers():
    assert allowed(UserRole.BUREAU_REVIEWER) == {
        Permission.VIEW_FILINGS,
        Permission.BUREAU_REVIEW,
        Permission.REVEAL_ID_NUMBERS,
        Permission.REVEAL_PHONES,
        Permission.CALLER_LOOKUP,
        Permission.RESEND_FOR_CALLER,
    }


def test_administrators_may_do_everything():
    assert allowed(UserRole.ADMINISTRATOR) == set(Permission)
    assert can(holder(UserRole.ADMINISTRATOR), "administer")


def test_the_role_table_covers_every_role_and_fails_closed():
    assert set(ROLE_PERMISSIONS) == set(UserRole)
    assert {p for p in Permission if can(Holder("janitor"), p)} == set()
    with pytest.raises(ValueError):
        can(holder(UserRole.ADMINISTRATOR), "administrate")  # a typo never passes silently


def test_an_inactive_holder_may_do_nothing():
    assert {p for p in Permission if can(Holder(UserRole.ADMINISTRATOR, active=False), p)} == set()


def test_the_permissions_are_those_of_the_role_table():
    assert RevealField.SUBJECT_ID_NUMBER.permission == Permission.REVEAL_ID_NUMBERS
    assert RevealField.PRINCIPAL_ID_NUMBER.permission == Permission.REVEAL_ID_NUMBERS
    assert RevealField.PRINCIPAL_PHONE.permission == Permission.REVEAL_PHONES
    assert RevealField.VERIFIER_PHONE.permission == Permission.REVEAL_PHONES
