"""The import template's column table: every field error of a first filing finds its
column, letters are a spreadsheet's, lists split the ways clerks type them."""

from __future__ import annotations

import pytest

from beian_desktop.rules.import_columns import (
    BY_KEY,
    COLUMNS,
    column_letter,
    column_of,
    split_list,
)


@pytest.mark.parametrize(
    ("path", "website", "key"),
    [
        ("subject.holder_name", None, "holder_name"),
        ("subject.principal.doc_number", None, "sp_doc_number"),
        ("websites[0].name", 0, "website_name"),
        ("websites[2].domains[1]", 2, "domains"),
        ("websites[1].principal.mobile", 1, "wp_mobile"),
        ("websites[0].access.server_ips[3]", 0, "server_ips"),
        ("websites[0].access.isp_name", 0, "isp_name"),
        ("websites", None, "subject_key"),  # the filing's website count: no column of its own
    ],
)
def test_a_field_errors_path_finds_its_column(path, website, key):
    assert column_of(path) == (website, BY_KEY[key])


def test_every_column_is_found_from_its_own_field():
    for column in COLUMNS:
        path = column.field.replace("website", "websites[4]", 1)
        assert column_of(path)[1] is column


def test_headers_and_keys_are_unique():
    assert len({c.header for c in COLUMNS}) == len({c.key for c in COLUMNS}) == len(COLUMNS)


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA")]
)
def test_column_letters(index, letter):
    assert column_letter(index) == letter


def test_lists_split_on_semicolons_commas_and_new_lines_full_width_or_not():
    assert split_list(" a.cn; b.cn；c.cn,d.cn，e.cn、f.cn\ng.cn ;; ") == [
        "a.cn", "b.cn", "c.cn", "d.cn", "e.cn", "f.cn", "g.cn",
    ]  # fmt: skip
