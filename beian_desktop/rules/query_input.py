"""What a person gives a list to filter by: the filings list's filter, checked like any
other input before a query is built from it.

A search text goes into SQL comparisons, so what no text may hold (NUL, lone
surrogates: PostgreSQL and the drivers refuse them mid-query) is a field error here;
a state, business type or province that does not exist is an unknown choice, not an
empty list.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.rules.text_input import clean_text
from beian_desktop.rules.validation import optional_day
from beian_desktop.terms import BusinessType, RequestState

# Longer than any name, number or domain the box can find (a domain has 253).
MAX_SEARCH = 256


def _choices(
    errors: list[FieldError], field: str, values: object, known: type[StrEnum] | None
) -> frozenset[str]:
    if not isinstance(values, set | frozenset | list | tuple):
        errors.append(FieldError(field, "not_a_list", "应为一组值", "must be a set of values"))
        return frozenset()
    chosen = set()
    for value in values:
        if known is not None:
            fits = isinstance(value, str) and value in known._value2member_map_
        else:  # a province code: two digits (GB/T 2260)
            fits = isinstance(value, str) and len(value) == 2 and value.isascii()
            fits = fits and value.isdigit()
        if not fits:
            errors.append(
                FieldError(field, "unknown_choice", "不是可选的值", "is not one of the choices")
            )
            continue
        chosen.add(value)
    return frozenset(chosen)


def _day(errors: list[FieldError], field: str, value: object) -> date | None:
    try:
        return optional_day(field, value)
    except ValidationFailed as problem:
        errors.extend(problem.errors)
        return None


def check_filter(filter: object) -> FilingFilter:
    """The filter as the query reads it, or ValidationFailed naming every bad part."""
    if not isinstance(filter, FilingFilter):
        raise ValidationFailed.one("filter", "wrong_type", "内容格式不正确", "is not a filter")
    errors: list[FieldError] = []
    search = ""
    try:
        search = clean_text(filter.search, MAX_SEARCH)
    except InvalidValue as problem:
        errors.append(FieldError("search", problem.code, problem.zh, problem.en))
    checked = FilingFilter(
        states=_choices(errors, "states", filter.states, RequestState),
        business_types=_choices(errors, "business_types", filter.business_types, BusinessType),
        province_codes=_choices(errors, "province_codes", filter.province_codes, None),
        submitted_from=_day(errors, "submitted_from", filter.submitted_from),
        submitted_to=_day(errors, "submitted_to", filter.submitted_to),
        search=search,
    )
    if errors:
        raise ValidationFailed(errors)
    return checked
