"""The Excel batch import, on SQLite and PostgreSQL: the app's own template filled in
as a clerk would, read back; every kind of bad cell found at its row and column; a
file that is not the template refused; the two import choices; who may import.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from beian_desktop.models import AuditEvent, Principal, Request, Subject, Website
from beian_desktop.rules.errors import ImportRefused, PermissionDenied
from beian_desktop.rules.import_columns import COLUMNS, DATA_SHEET, TEMPLATE_NAME
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.filing.import_service import ImportService
from beian_desktop.services.filing.import_template import (
    INSTRUCTIONS_SHEET,
    MARKER_SHEET,
)
from beian_desktop.services.filing.import_xlsx import check_workbook
from beian_desktop.terms import RequestState

from factories import credit_code, resident_id
from staff import session_for
from workbooks import FIRST_ROW, cells, filled_template, letter_of


def _counts(app) -> dict[str, int]:
    with app.ctx.unit_of_work() as db:
        return {
            model.__tablename__: db.scalar(select(func.count()).select_from(model)) or 0
            for model in (Request, Subject, Website, Principal, AuditEvent)
        }


def test_the_template_has_a_dropdown_for_every_choice_an_example_and_chinese_instructions(
    app, tmp_path
):
    path = tmp_path / "模板.xlsx"
    app.imports.write_template(session=session_for(app, "isp"), path=path)
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    headers = [sheet.cell(row=1, column=i + 1).value for i in range(len(COLUMNS))]
    assert headers[0] == "主体编号" and "主体负责人证件号码*" in headers
    validated = {
        str(cell_range).split(":")[0].rstrip("0123456789")
        for rule in sheet.data_validations.dataValidation
        for cell_range in rule.sqref.ranges
    }
    choice_letters = {letter_of(c.key) for c in COLUMNS if c.choices}
    assert choice_letters == validated
    assert len(choice_letters) == 7  # province, nature, three document types, language, method
    assert sheet.cell(row=2, column=1).value == "示例"
    assert "每行填写一个网站" in "".join(
        str(c.value) for c in book[INSTRUCTIONS_SHEET]["A"] if c.value
    )
    assert book[MARKER_SHEET].sheet_state == "veryHidden"
    assert book[MARKER_SHEET]["A1"].value == TEMPLATE_NAME
    # the province dropdown offers the province table's names
    provinces = {c.value for row in book["选项"].iter_rows() for c in row if c.value}
    assert {"浙江省", "北京市", "企业", "居民身份证", "简体中文", "专线"} <= provinces


def test_a_filled_template_imports_its_rows_as_drafts_that_say_where_they_came_from(app, tmp_path):
    isp = session_for(app, "isp")
    rows = [cells(1, key="A", site=1), cells(1, key="A", site=2), cells(2)]
    rows[1] = {k: v for k, v in rows[1].items() if not k.startswith(("sp_", "holder"))}
    path = filled_template(app, isp, tmp_path / "客户资料.xlsx", rows)

    preview = app.imports.preview(session=isp, path=path)
    assert [(r.row, r.errors, r.importable) for r in preview.rows] == [
        (FIRST_ROW, (), True),
        (FIRST_ROW + 1, (), True),
        (FIRST_ROW + 2, (), True),
    ]
    assert preview.rows[0].cells["sp_doc_number"] != resident_id(1)  # masked on screen
    assert _counts(app)["requests"] == 0  # a preview writes nothing

    result = app.imports.import_drafts(session=isp, path=path)
    assert (result.rows_imported, result.rows_skipped, len(result.request_ids)) == (3, 0, 2)
    first = app.queries.request_detail(session=isp, request_id=result.request_ids[0])
    assert first.state == RequestState.DRAFT and first.entered_by == "isp"
    assert first.subject_name == "杭州导入科技有限公司1"
    assert [w.name for w in first.websites] == ["导入网站101", "导入网站102"]
    assert first.timeline[0].action == "draft_created"
    assert first.timeline[0].details["import_file"] == "客户资料.xlsx"
    assert first.timeline[0].details["import_rows"] == [FIRST_ROW, FIRST_ROW + 1]
    listed = app.queries.list_filings(session=isp, filter=FilingFilter())
    assert {r.request_id for r in listed.rows} == set(result.request_ids)
    # ID numbers encrypted like any entry's, and an imported filing submits
    with app.ctx.unit_of_work() as db:
        blobs = [p.doc_number_enc for p in db.scalars(select(Principal))]
        subject = db.scalars(select(Subject).where(Subject.holder_name.like("%1"))).one()
        assert app.ctx.keys.decrypt(subject.doc_number_enc) == credit_code(1)
    assert all(resident_id(1).encode() not in blob for blob in blobs)
    assert app.submission.submit(session=isp, request_id=result.request_ids[1]) in (
        RequestState.VERIFYING,
        RequestState.BUREAU_REVIEW,
    )


BAD_CELLS = [
    # (column, what the clerk typed, the code reported, the column it is reported at)
    ("sp_doc_number", "330106198506120011", "document.check_char", "sp_doc_number"),
    ("subject_doc_number", "91330106MA0000001X", "document.check_char", "subject_doc_number"),
    ("wp_mobile", "123", "mobile.length", "wp_mobile"),
    ("domains", "www.example.cn; not a domain", "domain.space", "domains"),
    ("province", "火星省", "unknown_choice", "province"),
    ("nature", "公司", "unknown_choice", "nature"),
    ("language", "火星文", "unknown_choice", "language"),
    ("wp_doc_type", "统一社会信用代码", "unknown_choice", "wp_doc_type"),  # not in its list
    ("holder_name", "", "required", "holder_name"),
    ("website_name", "", "required", "website_name"),
    ("isp_name", "", "required", "isp_name"),
    ("server_ips", "203.0.113.1; 999.1.1.1", "bad_ip", "server_ips"),
    ("home_url", "ftp://example.cn", "bad_url", "home_url"),
    ("sp_email", "no-at-sign", "bad_email", "sp_email"),
    ("nature", "个人", "doc_type_mismatch", "subject_doc_type"),  # with a credit code
]


@pytest.mark.parametrize(
    ("key", "typed", "code", "at"), BAD_CELLS, ids=[f"{b[0]}-{b[2]}" for b in BAD_CELLS]
)
def test_each_kind_of_bad_cell_is_reported_at_its_row_and_column(
    app, tmp_path, key, typed, code, at
):
    isp = session_for(app, "isp")
    bad = cells(3) | {key: typed}
    path = filled_template(app, isp, tmp_path / "bad.xlsx", [cells(1), cells(2), bad, cells(4)])
    preview = app.imports.preview(session=isp, path=path)
    errors = preview.errors
    assert [(e.row, e.letter, e.column, e.code) for e in errors] == [
        (FIRST_ROW + 2, letter_of(at), at, code)
    ]
    assert errors[0].zh and errors[0].en and errors[0].zh != errors[0].en
    assert errors[0].describe("zh_CN").startswith(f"{letter_of(at)} 列 ")
    assert [r.importable for r in preview.rows] == [True, True, False, True]


def test_problems_across_rows_name_the_row_to_compare_with(app, tmp_path):
    """A subject's cells that differ within its key, a domain given twice, a domain
    already filed for another website."""
    isp = session_for(app, "isp")
    filed = filled_template(app, isp, tmp_path / "filed.xlsx", [cells(9)])
    submitted = app.imports.import_drafts(session=isp, path=filed).request_ids[0]
    app.submission.submit(session=isp, request_id=submitted)
    rows = [
        cells(1, key="K", site=1),
        cells(1, key="K", site=2) | {"holder_name": "另一家公司"},
        cells(2) | {"domains": "import301.cn"},
        cells(3, site=1),
        cells(4) | {"domains": "import900.cn"},  # the filed one's
    ]
    path = filled_template(app, isp, tmp_path / "across.xlsx", rows)
    found = {(e.row, e.column, e.code) for e in app.imports.preview(session=isp, path=path).errors}
    assert found == {
        (FIRST_ROW + 1, "holder_name", "differs_in_subject"),
        (FIRST_ROW + 3, "domains", "duplicate_in_file"),
        (FIRST_ROW + 4, "domains", "domain_in_use"),
    }
    rows_ok = {r.row: r.importable for r in app.imports.preview(session=isp, path=path).rows}
    # the rows of one key stand or fall together; the first of a duplicate is kept
    assert rows_ok == {
        FIRST_ROW: False,
        FIRST_ROW + 1: False,
        FIRST_ROW + 2: True,
        FIRST_ROW + 3: False,
        FIRST_ROW + 4: False,
    }


def _other_workbook(path: Path) -> Path:
    book = Workbook()
    book.active.append(["公司名称", "域名"])  # type: ignore[union-attr]
    book.save(path)
    return path


def _zip_of_text(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "备案资料")
    return path


def _damaged_sheet(app, isp, path: Path) -> Path:
    """The template with its data sheet's XML cut off in the middle."""
    filled_template(app, isp, path, [cells(1), cells(2)])
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _marker_version(app, isp, path: Path, version: int) -> Path:
    filled_template(app, isp, path, [cells(1)])
    book = load_workbook(path)
    book[MARKER_SHEET]["B1"] = version
    book.save(path)
    return path


def _header_removed(app, isp, path: Path) -> Path:
    filled_template(app, isp, path, [cells(1)])
    book = load_workbook(path)
    book[DATA_SHEET].cell(row=1, column=2, value="Province")
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda app, isp, p: p.write_bytes(b"name,domain\n") and p, "not_a_workbook", "不是有效"),
        (lambda app, isp, p: _zip_of_text(p), "not_a_workbook", "不是有效"),
        (lambda app, isp, p: _damaged_sheet(app, isp, p), "not_a_workbook", "不是有效"),
        (lambda app, isp, p: _other_workbook(p), "other_template", "不是本系统"),
        (lambda app, isp, p: _marker_version(app, isp, p, 2), "other_version", "第 2 版"),
        (lambda app, isp, p: _header_removed(app, isp, p), "missing_columns", "省份"),
        (lambda app, isp, p: filled_template(app, isp, p, []), "empty", "没有可导入"),
    ],
    ids=[
        "not_a_workbook",
        "a_zip",
        "damaged_sheet",
        "other_template",
        "other_version",
        "missing_column",
        "empty",
    ],
)
def test_a_file_that_is_not_the_template_is_refused_with_a_clear_message(
    app, tmp_path, make, code, words
):
    isp = session_for(app, "isp")
    path = tmp_path / "file.xlsx"
    path = make(app, isp, path) or path
    before = _counts(app)
    for call in (app.imports.preview, app.imports.import_drafts):
        with pytest.raises(ImportRefused) as refused:
            call(session=isp, path=path)
        assert refused.value.code == code
        assert words in refused.value.message("zh_CN") and "file.xlsx" in refused.value.zh
        assert refused.value.message("en") != refused.value.message("zh_CN")
    assert _counts(app) == before


def test_only_if_all_are_good_writes_nothing_when_one_row_is_bad(app, tmp_path):
    isp = session_for(app, "isp")
    rows = [cells(1), cells(2), cells(3) | {"wp_mobile": "12345"}]
    path = filled_template(app, isp, tmp_path / "one-bad.xlsx", rows)
    before = _counts(app)
    with pytest.raises(ImportRefused) as refused:
        app.imports.import_drafts(session=isp, path=path, only_if_all_good=True)
    assert refused.value.code == "has_errors" and "1 行有错误" in refused.value.zh
    assert _counts(app) == before


def test_the_good_rows_mode_writes_exactly_the_good_ones(app, tmp_path):
    isp = session_for(app, "isp")
    rows = [cells(1), cells(2) | {"sp_mobile": "1380013"}, cells(3), cells(4) | {"domains": ""}]
    path = filled_template(app, isp, tmp_path / "mixed.xlsx", rows)
    seen: list[tuple[int, int]] = []
    result = app.imports.import_drafts(
        session=isp, path=path, progress=lambda done, total: seen.append((done, total))
    )
    assert (result.rows_imported, result.rows_skipped) == (2, 2)
    with app.ctx.unit_of_work() as db:
        names = set(db.scalars(select(Subject.holder_name)))
    assert names == {"杭州导入科技有限公司1", "杭州导入科技有限公司3"}
    assert seen[-1][0] == seen[-1][1]  # the bar ends full
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_workbooks_rows_are_never_logged(app, tmp_path, caplog):
    isp = session_for(app, "isp")
    rows = [cells(1), cells(2) | {"wp_doc_number": "330106199912319999"}]
    path = filled_template(app, isp, tmp_path / "secret.xlsx", rows)
    with caplog.at_level(logging.DEBUG):
        app.imports.preview(session=isp, path=path)
        app.imports.import_drafts(session=isp, path=path)
    assert resident_id(1) not in caplog.text and "330106199912319999" not in caplog.text


@pytest.mark.parametrize("who", ["desk", "sup", "bureau"])
def test_only_isp_staff_and_administrators_import(app, tmp_path, who):
    path = filled_template(app, session_for(app, "admin"), tmp_path / "t.xlsx", [cells(1)])
    assert app.imports.preview(session=session_for(app, "isp"), path=path).good_rows == 1
    before = _counts(app)["requests"]
    session = session_for(app, who)
    for call in (app.imports.preview, app.imports.import_drafts, app.imports.write_template):
        with pytest.raises(PermissionDenied):
            call(session=session, path=path)
    assert _counts(app)["requests"] == before


def test_an_imported_filing_is_the_same_as_one_entered_by_hand(app, tmp_path):
    """The import writes its rows without the ORM: whatever the entry writes for the
    same filing, it writes too (a field the entry learns and the import forgets fails)."""
    isp = session_for(app, "isp")
    path = filled_template(
        app, isp, tmp_path / "same.xlsx", [cells(5, key="S", site=1), cells(5, key="S", site=2)]
    )
    imported = app.imports.import_drafts(session=isp, path=path).request_ids[0]
    checked = check_workbook(
        path, provinces={"浙江省": "33"}, province_codes={"33"}, domains_taken=lambda names: set()
    )
    ((_, filing_input),) = checked.good
    by_hand = app.filings.save_new_filing(session=isp, filing=filing_input)

    def stored(request_id: int) -> list[tuple]:
        with app.ctx.unit_of_work() as db:
            request = db.get_one(Request, request_id)
            subject = db.get_one(Subject, request.subject_id)
            rows = [_columns(request), _columns(subject), _columns(subject.principal)]
            for site in subject.websites:
                rows += [_columns(site), _columns(site.principal)]
                rows += [_columns(d) for d in site.domains]
                rows += [_columns(a) for a in site.access_records]
            for link in request.website_links:
                rows.append((link.access_id is not None,))
            keys = app.ctx.keys
            rows.append(
                (
                    keys.decrypt(subject.doc_number_enc),
                    keys.decrypt(subject.principal.doc_number_enc),
                )
            )
            return rows

    assert stored(imported) == stored(by_hand)


def _columns(row) -> tuple:
    """A row's values but its ids, links and encrypted blobs (random nonces)."""
    skip = {"id", "subject_id", "principal_id", "website_id", "doc_number_enc"}
    return tuple((c.key, getattr(row, c.key)) for c in row.__table__.columns if c.key not in skip)


def test_a_domain_filed_elsewhere_while_the_file_was_read_refuses_the_whole_import(
    app, tmp_path, monkeypatch
):
    """The file is checked in a read transaction and saved in a write one: a domain
    another clerk filed in between is found again before anything is written."""
    isp = session_for(app, "isp")
    path = filled_template(app, isp, tmp_path / "batch.xlsx", [cells(1), cells(2)])
    other = filled_template(app, isp, tmp_path / "other.xlsx", [cells(2)])
    real_check = ImportService._check

    def check_then_another_clerk_files(self, db, checked_path, *args):
        result = real_check(self, db, checked_path, *args)
        if checked_path == path:
            request_id = app.imports.import_drafts(session=isp, path=other).request_ids[0]
            app.submission.submit(session=isp, request_id=request_id)
        return result

    monkeypatch.setattr(ImportService, "_check", check_then_another_clerk_files)
    with pytest.raises(ImportRefused) as refused:
        app.imports.import_drafts(session=isp, path=path)
    assert refused.value.code == "changed_meanwhile"
    assert _counts(app)["requests"] == 1  # only the other clerk's


def test_a_file_changed_after_its_preview_is_read_again_by_the_import(app, tmp_path):
    isp = session_for(app, "isp")
    path = filled_template(app, isp, tmp_path / "changing.xlsx", [cells(1), cells(2)])
    assert app.imports.preview(session=isp, path=path).good_rows == 2
    filled_template(app, isp, path, [cells(1), cells(2) | {"sp_mobile": "1"}])  # saved again
    result = app.imports.import_drafts(session=isp, path=path)
    assert (result.rows_imported, result.rows_skipped) == (1, 1)
    # and the same bytes previewed again import as previewed
    other = filled_template(app, isp, tmp_path / "same.xlsx", [cells(3)])
    assert app.imports.preview(session=isp, path=other).good_rows == 1
    assert app.imports.import_drafts(session=isp, path=other).rows_imported == 1
