"""The reasons a bureau reviewer picks from when rejecting a request: a list an
administrator maintains (stored as a setting), offered beside free text. A reviewer may
always write their own; the presets only save typing the common ones the same way."""

from __future__ import annotations

from collections.abc import Sequence

from beian_desktop.rules.errors import FieldError, ValidationFailed
from beian_desktop.rules.text_input import text_problem

SETTING_KEY = "reject_reasons"
MAX_REASONS = 30
MAX_LENGTH = 200  # a reason is read by the ISP in one line of their list

# What a new installation offers until an administrator changes it.
DEFAULT_REJECT_REASONS: tuple[str, ...] = (
    "主体名称与证件信息不一致",
    "网站名称不符合命名规范",
    "负责人证件信息有误",
    "域名所有者与主体不一致",
    "前置审批材料缺失或已过期",
)


def clean_reject_reasons(reasons: Sequence[str]) -> tuple[str, ...]:
    """The list as it will be stored: each trimmed, blanks dropped, duplicates once (the
    first place kept). Refuses, all at once, a reason too long and a list too long."""
    if isinstance(reasons, str) or not all(isinstance(r, str) for r in reasons):
        raise ValidationFailed.one(
            "reject_reasons", "not_a_list", "应为文本列表", "must be a list of texts"
        )
    kept: list[str] = []
    errors: list[FieldError] = []
    for n, reason in enumerate(reasons):
        text = " ".join(reason.split())
        if not text or text in kept:
            continue
        problem = text_problem(text)  # no NUL, lone surrogate or direction mark in a reason
        if problem is not None:
            errors.append(FieldError(f"reject_reasons[{n}]", problem.code, problem.zh, problem.en))
            continue
        if len(text) > MAX_LENGTH:
            errors.append(
                FieldError(
                    f"reject_reasons[{n}]",
                    "too_long",
                    f"不能超过 {MAX_LENGTH} 个字符",
                    f"at most {MAX_LENGTH} characters",
                )
            )
        kept.append(text)
    if len(kept) > MAX_REASONS:
        errors.append(
            FieldError(
                "reject_reasons",
                "too_many",
                f"最多 {MAX_REASONS} 条",
                f"at most {MAX_REASONS} reasons",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return tuple(kept)
