"""Errors that name the field, in Chinese and English (SPEC §6).

A check of one value raises `InvalidValue` without knowing where the value sits;
the validator of a whole request catches it, adds the field's path, and raises one
`ValidationFailed` with every problem at once, so the user fixes them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


class InvalidValue(ValueError):
    """One value is wrong; `code` is stable for tests and translations."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class FieldError:
    field: str  # a path such as "websites[0].domains[1]" or "subject_principal.mobile"
    code: str
    zh: str
    en: str

    def message(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


class ValidationFailed(ValueError):
    """Raised before anything is written: the request stays exactly as it was."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.en}" for e in self.errors))

    def fields(self) -> set[str]:
        return {e.field for e in self.errors}
