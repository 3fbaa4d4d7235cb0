"""For the console's widget tests: the window in Chinese, as people see it.

`zh_ui` installs what the app installs at start (views/resources.install_translators:
ours and Qt's own qtbase), built from the worktree's .ts files, and removes them after
the test, so a test asserts the words on screen, not the English sources."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication

from beian_desktop.views import resources

ROOT = Path(__file__).resolve().parents[2]


def _installed(qapp, tmp_path: Path, monkeypatch, language: str) -> list[QTranslator]:
    translations = tmp_path / "resources" / "translations"
    translations.mkdir(parents=True)
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pyside6-lrelease"),
            "-silent",
            str(ROOT / "resources" / "translations" / f"beian_{language}.ts"),
            "-qm",
            str(translations / f"beian_{language}.qm"),
        ],
        check=True,
    )
    monkeypatch.setattr(resources, "resource_dir", lambda: tmp_path / "resources")
    return resources.install_translators(qapp, language)


@pytest.fixture
def zh_ui(qapp: QApplication, tmp_path: Path, monkeypatch) -> Iterator[list[QTranslator]]:
    installed = _installed(qapp, tmp_path, monkeypatch, "zh_CN")
    assert len(installed) == 2, "ours and qtbase"
    try:
        yield installed
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


@pytest.fixture
def en_ui(qapp: QApplication, tmp_path: Path, monkeypatch) -> Iterator[list[QTranslator]]:
    """English: ours only, for the plural forms."""
    installed = _installed(qapp, tmp_path, monkeypatch, "en")
    assert len(installed) == 1
    try:
        yield installed
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def column_of(model, title: str) -> int:
    """The column whose header reads `title`."""
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return titles.index(title)
