"""Reading a filled import template: the workbook's rows become first filings
(FilingInput, one per subject key), every problem a CellError at its row and column.

The checks are the entry's own (rules/validation.py, complete as at submission: an
imported row is meant to be submitted), the field errors mapped back to the cell
that held the value (rules/import_columns.py). Beyond them: a choice not in its
list, a subject's cells that differ between the rows of one key, a domain given twice
in the workbook or already filed for another website. The rows of one subject key
stand or fall together. Nothing here writes, and nothing here logs a cell: the
workbook holds ID numbers and phone numbers.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as OpenedWorkbook

from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.errors import (
    FieldError,
    ImportRefused,
    ValidationFailed,
    in_language,
)
from beian_desktop.rules.import_columns import (
    BY_HEADER,
    BY_KEY,
    CHOICES,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_KEY,
    MAX_ROWS,
    PROVINCE,
    TEMPLATE_NAME,
    TEMPLATE_VERSION,
    Column,
    column_letter,
    column_of,
    split_list,
)
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import mask_phone
from beian_desktop.rules.validation import Mode, validate_filing
from beian_desktop.services.filing.import_template import MARKER_CELLS, MARKER_SHEET

Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass(frozen=True)
class CellError:
    """One problem, where the clerk finds it in the workbook: row 7, column F."""

    row: int  # the sheet's own row number (the header is row 1)
    column: str  # the column's key (rules/import_columns.py)
    letter: str  # the column as the workbook names it
    header: str
    code: str
    zh: str
    en: str

    def message(self, language: str = "zh_CN") -> str:
        return in_language(language, self.zh, self.en)

    def describe(self, language: str = "zh_CN") -> str:
        where = in_language(language, f"{self.letter} 列 {self.header}", self.letter)
        return f"{where}{in_language(language, '：', ': ')}{self.message(language)}"


@dataclass(frozen=True)
class ImportRow:
    """A row as the preview shows it: its cells (ID and mobile numbers masked), its own
    errors, and whether it will be imported (no error in any row of its subject key)."""

    row: int
    subject_key: str
    cells: Mapping[str, str]
    errors: tuple[CellError, ...]
    importable: bool


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    columns: tuple[tuple[str, str, str], ...]  # (key, header, letter in this workbook)
    rows: tuple[ImportRow, ...]

    @property
    def good_rows(self) -> int:
        return sum(1 for r in self.rows if r.importable)

    @property
    def bad_rows(self) -> int:
        return len(self.rows) - self.good_rows

    @property
    def errors(self) -> list[CellError]:
        return [e for r in self.rows for e in r.errors]


@dataclass
class _Group:
    """The rows of one subject key: one filing."""

    rows: list[int] = field(default_factory=list)
    cells: list[dict[str, str]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    filing: FilingInput | None = None  # checked and normalised, once it has no error


@dataclass(frozen=True)
class CheckedImport:
    preview: ImportPreview
    good: tuple[tuple[tuple[int, ...], FilingInput], ...]  # (its rows, the filing)


def check_workbook(
    path: Path,
    *,
    provinces: Mapping[str, str],
    province_codes: Collection[str],
    domains_taken: Callable[[list[str]], set[str]],
    progress: Progress | None = None,
    data: bytes | None = None,
) -> CheckedImport:
    """The workbook at `path` read and checked (from `data`, its bytes, when given).
    `provinces` maps what a province cell may say (its name, its code) to the code;
    `domains_taken` names those of the given domains another website holds. Raises
    ImportRefused for a file that is not this template."""
    letters, raw_rows = _read(path, data, progress)
    groups: dict[str, _Group] = {}
    for n, (row, cells) in enumerate(raw_rows):
        key = cells.get("subject_key", "") or f"\0{n}"  # no key: a filing of its own
        group = groups.setdefault(key, _Group())
        group.rows.append(row)
        group.cells.append(cells)
    for group in groups.values():
        _check_group(group, letters, provinces, province_codes)
    _check_domains(groups.values(), letters, domains_taken)
    rows: list[ImportRow] = []
    good: list[tuple[tuple[int, ...], FilingInput]] = []
    for group in groups.values():
        ok = not group.errors
        if ok and group.filing is not None:
            good.append((tuple(group.rows), group.filing))
        for row, cells in zip(group.rows, group.cells, strict=True):
            rows.append(
                ImportRow(
                    row=row,
                    subject_key=cells.get("subject_key", ""),
                    cells=_shown(cells),
                    errors=tuple(_first_per_cell(e for e in group.errors if e.row == row)),
                    importable=ok,
                )
            )
    rows.sort(key=lambda r: r.row)
    good.sort(key=lambda g: g[0][0])
    columns = tuple((c.key, c.header, letters[c.key]) for c in COLUMNS)
    return CheckedImport(ImportPreview(path.name, columns, tuple(rows)), tuple(good))


# -- the file -----------------------------------------------------------------------
# What openpyxl raises for a file it cannot read: not a zip, a zip without a workbook
# in it, damaged XML (a read-only sheet is parsed while its rows are read).
_UNREADABLE = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, ParseError)


def _not_a_workbook(path: Path) -> ImportRefused:
    return ImportRefused(
        "not_a_workbook",
        f"“{path.name}”不是有效的 Excel 工作簿（.xlsx），无法读取。",
        f"“{path.name}” is not a valid Excel workbook (.xlsx) and cannot be read.",
    )


def file_bytes(path: Path) -> bytes:
    """The file's bytes, or the refusal a file that cannot be read gets."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise _not_a_workbook(path) from error


def _read(
    path: Path, data: bytes | None, progress: Progress | None
) -> tuple[dict[str, str], list[tuple[int, dict]]]:
    try:
        return _read_rows(path, data, progress)
    except _UNREADABLE as error:
        raise _not_a_workbook(path) from error


def _read_rows(
    path: Path, data: bytes | None, progress: Progress | None
) -> tuple[dict[str, str], list[tuple[int, dict]]]:
    source = BytesIO(data) if data is not None else path
    book = load_workbook(source, read_only=True, data_only=True)
    try:
        _check_marker(book, path.name)
        sheet = book[DATA_SHEET]
        lines = sheet.iter_rows(values_only=True)
        letters = _header(next(lines, ()), path.name)
        total = max((sheet.max_row or 1) - 1, 0)
        index = {key: _index(letter) for key, letter in letters.items()}
        rows: list[tuple[int, dict]] = []
        for number, values in enumerate(lines, start=2):
            cells = {key: _text(values[i]) if i < len(values) else "" for key, i in index.items()}
            if progress is not None and number % 50 == 0:
                progress(number - 1, max(total, number - 1))
            if not any(cells.values()) or cells.get("subject_key") == EXAMPLE_KEY:
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRefused(
                    "too_many_rows",
                    f"文件超过 {MAX_ROWS} 行，请分成几个文件导入。",
                    f"The file has more than {MAX_ROWS} rows: import it in several files.",
                )
            rows.append((number, cells))
    finally:
        book.close()
    if not rows:
        raise ImportRefused(
            "empty",
            f"“{path.name}”中没有可导入的行。",
            f"“{path.name}” has no rows to import.",
        )
    return letters, rows


def _check_marker(book: OpenedWorkbook, name: str) -> None:
    other = ImportRefused(
        "other_template",
        f"“{name}”不是本系统的新增备案导入模板（或模板标识已被删除），请先下载导入模板再填写。",
        f"“{name}” is not this application's new-filing import template (or its marker "
        "was removed): download the import template and fill that in.",
    )
    if MARKER_SHEET not in book.sheetnames or DATA_SHEET not in book.sheetnames:
        raise other
    marker = book[MARKER_SHEET]
    first = next(marker.iter_rows(min_row=1, max_row=1, max_col=2, values_only=True), ())
    values = dict(zip(MARKER_CELLS, first, strict=False))
    if values.get(MARKER_CELLS[0]) != TEMPLATE_NAME:
        raise other
    version = values.get(MARKER_CELLS[1])
    if not isinstance(version, int | float) or int(version) != TEMPLATE_VERSION:
        raise ImportRefused(
            "other_version",
            f"“{name}”是第 {version} 版导入模板，本程序读取第 {TEMPLATE_VERSION} 版："
            "请重新下载模板。",
            f"“{name}” is version {version} of the import template; this application reads "
            f"version {TEMPLATE_VERSION}: download the template again.",
        )


def _header_name(value: object) -> str:
    return _text(value).rstrip("*＊ ").strip()


def _header(values: tuple, name: str) -> dict[str, str]:
    """Each column's letter in this workbook: the columns may have been reordered."""
    letters: dict[str, str] = {}
    for i, value in enumerate(values):
        column = BY_HEADER.get(_header_name(value))
        if column is not None and column.key not in letters:
            letters[column.key] = column_letter(i)
    missing = [c.header for c in COLUMNS if c.key not in letters]
    if missing:
        raise ImportRefused(
            "missing_columns",
            f"“{name}”的“{DATA_SHEET}”表缺少这些列：{'、'.join(missing)}。",
            f"The sheet “{DATA_SHEET}” of “{name}” lacks the columns: {', '.join(missing)}.",
        )
    return letters


def _index(letter: str) -> int:
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def _text(value: object) -> str:
    """A cell as text: a number typed as a number loses nothing it still has."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# -- one filing ---------------------------------------------------------------------
def _cell_error(row: int, column: Column, letters: Mapping[str, str], e: FieldError) -> CellError:
    return CellError(row, column.key, letters[column.key], column.header, e.code, e.zh, e.en)


class _Cells:
    """One row's cells turned into input values; the problems go to the group."""

    def __init__(
        self, group: _Group, n: int, letters: Mapping[str, str], provinces: Mapping[str, str]
    ) -> None:
        self.group, self.row, self.cells = group, group.rows[n], group.cells[n]
        self.letters, self.provinces = letters, provinces

    def text(self, key: str) -> str:
        return self.cells.get(key, "")

    def problem(self, key: str, code: str, zh: str, en: str) -> None:
        e = FieldError(key, code, zh, en)
        self.group.errors.append(_cell_error(self.row, BY_KEY[key], self.letters, e))

    def choice(self, key: str, default: str) -> str:
        column = BY_KEY[key]
        text = self.text(key)
        if not text:
            if column.required:
                self.problem(key, "required", "必填项不能为空", "is required")
            return default
        assert column.choices is not None
        if column.choices == PROVINCE:
            found = self.provinces.get(text) or self.provinces.get(text.lower())
        else:
            found = next(
                (v for v, zh, en in CHOICES[column.choices] if text in (zh, v) or text.lower()
                 == en.lower()),
                None,
            )  # fmt: skip
        if found is None:
            self.problem(
                key,
                "unknown_choice",
                f"“{text}”不是可选的值，请从下拉列表中选择",
                f"“{text}” is not one of the choices: pick one from the list",
            )
            return default
        return found

    def principal(self, prefix: str) -> PrincipalInput:
        return PrincipalInput(
            name=self.text(f"{prefix}_name"),
            doc_type=self.choice(f"{prefix}_doc_type", "resident_id"),  # type: ignore[arg-type]
            doc_number=self.text(f"{prefix}_doc_number"),
            mobile=self.text(f"{prefix}_mobile"),
            phone2=self.text(f"{prefix}_phone2"),
            emergency_phone=self.text(f"{prefix}_emergency_phone"),
            email=self.text(f"{prefix}_email"),
        )

    def subject(self) -> SubjectInput:
        return SubjectInput(
            province_code=self.choice("province", ""),
            city=self.text("city"),
            nature=self.choice("nature", "enterprise"),  # type: ignore[arg-type]
            holder_name=self.text("holder_name"),
            doc_type=self.choice("subject_doc_type", "credit_code"),  # type: ignore[arg-type]
            doc_number=self.text("subject_doc_number"),
            document_address=self.text("document_address"),
            mailing_address=self.text("mailing_address"),
            investor=self.text("investor"),
            remarks=self.text("subject_remarks"),
            principal=self.principal("sp"),
        )

    def website(self) -> WebsiteInput:
        return WebsiteInput(
            name=self.text("website_name"),
            home_url=self.text("home_url"),
            domains=split_list(self.text("domains")),
            service_content=self.text("service_content"),
            language=self.choice("language", "zh_CN"),
            preapproval_type=self.text("preapproval_type"),
            preapproval_number=self.text("preapproval_number"),
            remarks=self.text("website_remarks"),
            principal=self.principal("wp"),
            access=AccessInput(
                isp_name=self.text("isp_name"),
                method=self.choice("method", ""),
                server_ips=split_list(self.text("server_ips")),
            ),
        )


_SUBJECT_COLUMNS = [c for c in COLUMNS if c.subject_level and c.key != "subject_key"]


def _check_group(
    group: _Group,
    letters: Mapping[str, str],
    provinces: Mapping[str, str],
    province_codes: Collection[str],
) -> None:
    first = _Cells(group, 0, letters, provinces)
    subject = first.subject()
    websites = []
    for n in range(len(group.rows)):
        cells = _Cells(group, n, letters, provinces)
        websites.append(cells.website())
        if n == 0:
            continue
        for column in _SUBJECT_COLUMNS:  # repeated identically, or left empty
            text = cells.text(column.key)
            if text and text != first.text(column.key):
                cells.problem(
                    column.key,
                    "differs_in_subject",
                    f"与同一主体编号的第 {group.rows[0]} 行不一致",
                    f"differs from row {group.rows[0]} of the same subject key",
                )
    try:
        filing = validate_filing(FilingInput(subject, websites), Mode.SUBMIT, province_codes)
    except ValidationFailed as failed:
        for e in failed.errors:
            website, column = column_of(e.field)
            row = group.rows[website] if website is not None else group.rows[0]
            group.errors.append(_cell_error(row, column, letters, e))
        return
    if not group.errors:
        group.filing = filing


def _check_domains(
    groups: Collection[_Group],
    letters: Mapping[str, str],
    domains_taken: Callable[[list[str]], set[str]],
) -> None:
    """A domain belongs to one website: not twice in the workbook, not one already filed."""
    checked = [g for g in groups if g.filing is not None]
    names = [d for g in checked for w in g.filing.websites for d in w.domains]  # type: ignore[union-attr]
    taken = domains_taken(sorted(set(names))) if names else set()
    seen: dict[str, int] = {}
    column = BY_KEY["domains"]
    for group in checked:
        assert group.filing is not None
        for row, site in zip(group.rows, group.filing.websites, strict=True):
            for domain in site.domains:
                e: FieldError | None = None
                if domain in taken:
                    e = FieldError(
                        "domains",
                        "domain_in_use",
                        f"域名 {domain} 已被其他网站备案使用",
                        f"the domain {domain} is already filed for another website",
                    )
                elif seen.get(domain, row) != row:
                    e = FieldError(
                        "domains",
                        "duplicate_in_file",
                        f"域名 {domain} 已在第 {seen[domain]} 行填写",
                        f"the domain {domain} is already given in row {seen[domain]}",
                    )
                seen.setdefault(domain, row)
                if e is not None:
                    group.errors.append(_cell_error(row, column, letters, e))
        if group.errors:
            group.filing = None


def _first_per_cell(errors: Iterable[CellError]) -> list[CellError]:
    """One message a cell: the first problem found is the one to fix first."""
    seen: set[str] = set()
    kept = []
    for e in errors:
        if e.column not in seen:
            seen.add(e.column)
            kept.append(e)
    return kept


def _shown(cells: Mapping[str, str]) -> dict[str, str]:
    shown = {}
    for key, text in cells.items():
        column = BY_KEY[key]
        if column.secret and text:
            text = mask_phone(text) if key.endswith("mobile") else mask_document_number(text)
        shown[key] = text
    return shown
