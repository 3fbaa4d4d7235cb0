"""The committed Simplified Chinese translation (the default language) is complete.

resources/translations/beian_zh_CN.ts is made by scripts/update-translations
(pyside6-lupdate) and filled by hand; the .qm the app loads is built from it by
scripts/setup. These tests fail when a tr() text ships untranslated, when a
translation loses a %1/%n placeholder, or when lupdate finds a text that is not in
the committed file (run scripts/update-translations and translate the new entries).
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from beian_desktop.views.filing_table_model import FilingTableModel
from beian_desktop.views.labels import business_type_label, request_state_label

ROOT = Path(__file__).resolve().parents[2]
ZH_TS = ROOT / "resources" / "translations" / "beian_zh_CN.ts"
VIEWS = ROOT / "beian_desktop" / "views"
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"%(?:n|\d+)")


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.findall("message")
    ]


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable}")
    return str(path)


def test_every_message_is_translated() -> None:
    messages = _messages(ZH_TS)
    assert messages
    problems = []
    for context, source, message in messages:
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        texts = _translations(message)
        if kind in ("unfinished", "vanished", "obsolete"):
            problems.append((context, source, kind))
        elif not texts or not all(text.strip() for text in texts):
            problems.append((context, source, "empty"))
        elif message.get("numerus") == "yes" and len(texts) != 1:
            problems.append((context, source, "Chinese has one plural form"))
    assert problems == []


def test_placeholders_are_kept() -> None:
    problems = []
    for context, source, message in _messages(ZH_TS):
        wanted = sorted(PLACEHOLDER.findall(source))
        for text in _translations(message):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append((context, source, text))
    assert problems == []


def test_every_context_is_a_real_one() -> None:
    """A text lupdate files under an empty context (tr through an alias) is never
    looked up at run time: the app always names its context."""
    assert [source for context, source, _ in _messages(ZH_TS) if not context] == []


def test_every_source_text_is_in_the_committed_file(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-extensions",
            "py",
            "-no-obsolete",
            "-locations",
            "none",
            str(VIEWS),
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    found = {(context, source) for context, source, _ in _messages(fresh)}
    committed = {(context, source) for context, source, _ in _messages(ZH_TS)}
    assert found, "lupdate found no texts"
    missing = sorted(found - committed)
    assert missing == [], "run scripts/update-translations and translate these"


pytestmark = pytest.mark.gui  # cycles are collected on the GUI thread only (conftest)


@pytest.fixture
def zh_translator(qapp, tmp_path: Path):
    qm = tmp_path / "beian_zh_CN.qm"
    done = subprocess.run(
        [_tool("pyside6-lrelease"), str(ZH_TS), "-qm", str(qm)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "0 unfinished" in done.stdout, done.stdout
    translator = QTranslator()
    assert translator.load(str(qm))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


@pytest.mark.parametrize(
    ("context", "source", "expected"),
    [
        ("MainWindow", "Filings", "备案申请"),
        ("MainWindow", "Pending verifiers", "待核验人"),
        ("MainWindow", "Returned filings", "退回的申请"),
        ("MainWindow", "Bureau review", "管局审核"),
        ("MainWindow", "SMS outbox", "短信发件箱"),
        ("Labels", "New filing", "新增备案"),
        ("Labels", "Change", "变更备案"),
        ("Labels", "Cancel subject", "注销主体"),
        ("Labels", "Change phone", "变更手机号码"),
        ("Labels", "Returned", "已退回"),
        ("Labels", "Verifying", "核验中"),
        ("Labels", "Subject principal", "主体负责人"),
        ("Labels", "China Mobile", "中国移动"),
        ("HelpDeskView", "Resend code", "重发验证码"),
        ("HelpDeskView", "Tries left", "剩余次数"),
        ("VerificationDeskDialog", "Verification desk", "核验台"),
        ("LoginDialog", "Sign in", "登录"),
    ],
)
def test_key_labels_translate_at_run_time(zh_translator, context, source, expected) -> None:
    assert QCoreApplication.translate(context, source) == expected


def test_plurals_and_tr_translate_at_run_time(zh_translator) -> None:
    assert QCoreApplication.translate("BureauView", "%n request(s)", "", 3) == "共 3 条申请"
    assert business_type_label("new_filing") == "新增备案"
    assert request_state_label("bureau_review") == "管局审核"
    model = FilingTableModel(lambda **_: None, datetime.now)  # self.tr in a view class
    header = model.headerData(FilingTableModel.COL_DEADLINE, Qt.Orientation.Horizontal)
    assert header == "剩余时间"
