"""The bureau's preset reject reasons (rules/reject_reasons.py), no database."""

from __future__ import annotations

import pytest

from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.reject_reasons import MAX_LENGTH, clean_reject_reasons


def test_reasons_are_trimmed_and_kept_once_in_their_order():
    assert clean_reject_reasons(["  材料不全 ", "", "域名 未实名", "材料不全"]) == (
        "材料不全",
        "域名 未实名",
    )


@pytest.mark.parametrize("bad", ["材料\x00不全", "材料\u202e不全", "材料\ud800"])
def test_a_reason_no_text_may_hold_is_a_field_error(bad):
    with pytest.raises(ValidationFailed) as refused:
        clean_reject_reasons(["材料不全", bad])
    assert refused.value.fields() == {"reject_reasons[1]"}


def test_a_reason_too_long_is_named():
    with pytest.raises(ValidationFailed) as refused:
        clean_reject_reasons(["字" * (MAX_LENGTH + 1)])
    assert refused.value.errors[0].code == "too_long"
