"""Finding `resources/` (translations, icons) from a checkout and from the built bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    # PySide6's stub returns `object`; the function returns the text it is given.
    def QT_TRANSLATE_NOOP(context: str, text: str, /) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # for labels and pages

LANGUAGES = ("zh_CN", "en")


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Ours and Qt's own (buttons, dialogs). English is the source, but ours is loaded
    for it too: it holds the plural forms of the %n texts (1 request, 2 requests)."""
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(resource_dir() / "translations" / f"beian_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    if language == "en":
        return installed
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


@cache
def _translator_for(language: str) -> QTranslator | None:
    translator = QTranslator()
    if translator.load(str(resource_dir() / "translations" / f"beian_{language}.qm")):
        return translator
    return None


def translate_in(language: str, context: str, text: str) -> str:
    """`text` in `language` from the same translation files as the screen, whichever
    language is installed: a document written for someone else (an export) is in the
    language asked for."""
    if language == "en":
        return text
    translator = _translator_for(language)
    translated = translator.translate(context, text) if translator is not None else ""
    return translated or text
