"""The README's role table says what the permission table does (SPEC §1): each role,
named as the window shows it, and each permission it holds."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QTranslator

from beian_desktop.rules.permissions import PERMISSION_NAMES, ROLE_PERMISSIONS, Permission
from beian_desktop.terms import UserRole
from beian_desktop.views.labels import _ROLE_LABEL

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (?P<zh>[^(|]+) \((?P<en>[^)]+)\) \| (?P<may>[^|]+) \|$")


def _readme_rows() -> dict[str, tuple[str, set[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- role table", 1)[1].split("<!-- end of role table -->", 1)[0]
    rows = {}
    for line in block.splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match["en"]] = (match["zh"].strip(), set(match["may"].strip().split("; ")))
    return rows


def _window_words(role: UserRole) -> tuple[str, str]:
    english = _ROLE_LABEL[role.value]
    translator = QTranslator()
    assert translator.load(str(ROOT / "resources" / "translations" / "beian_zh_CN.qm"))
    return translator.translate("Labels", english), english


def test_the_readme_names_every_role_as_the_window_does_with_its_permissions():
    rows = _readme_rows()
    assert len(rows) == len(UserRole)
    for role in UserRole:
        zh, en = _window_words(role)
        assert en in rows, f"the README has no row for {en}"
        readme_zh, may = rows[en]
        assert readme_zh == zh
        expected = {PERMISSION_NAMES[p][1] for p in Permission if p in ROLE_PERMISSIONS[role]}
        assert may == expected, f"{en}: README {sorted(may)} != table {sorted(expected)}"


def test_the_bureau_reviewers_may_resend_but_not_check_codes():
    bureau = ROLE_PERMISSIONS[UserRole.BUREAU_REVIEWER]
    assert Permission.RESEND_FOR_CALLER in bureau
    assert Permission.VERIFICATION_DESK not in bureau
