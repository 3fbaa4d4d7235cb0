"""A request's timeline as a document: each line's sentence, and beside it every event
it stands for as recorded (action, who by username, the raw details), so nothing of
the audit trail is lost in the telling.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.timeline import TimelineLine
from beian_desktop.views.resources import QT_TRANSLATE_NOOP, translate_in

_HEADERS = (
    QT_TRANSLATE_NOOP("TimelineExport", "Time (Beijing time)"),
    QT_TRANSLATE_NOOP("TimelineExport", "What happened"),
    QT_TRANSLATE_NOOP("TimelineExport", "Recorded by"),
    QT_TRANSLATE_NOOP("TimelineExport", "Events as recorded"),
)
_SHEET = QT_TRANSLATE_NOOP("TimelineExport", "Request %1")
_WIDTHS = (20, 70, 16, 90)


def raw_details(line: TimelineLine) -> str:
    """The line's events as stored: `action {json details}`, one a line."""
    return "\n".join(
        f"{action} {json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)}"
        for action, details in line.details()
    )


def export_timeline_xlsx(
    request_id: int, lines: Sequence[TimelineLine], path: str | Path, language: str
) -> None:
    """One row per line, the time as a real date-time cell in Asia/Shanghai (Excel has no
    time zones), in the language asked for whatever the screen's."""
    book = Workbook()
    sheet = book.active
    sheet.title = translate_in(language, "TimelineExport", _SHEET).replace("%1", str(request_id))
    sheet.append([translate_in(language, "TimelineExport", h) for h in _HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            [
                in_shanghai(line.entry.at).replace(tzinfo=None),
                line.sentence(language),
                line.entry.actor,
                raw_details(line),
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd hh:mm:ss"
        sheet.cell(row=sheet.max_row, column=4).alignment = Alignment(wrap_text=True)
    for n, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    book.save(str(path))
