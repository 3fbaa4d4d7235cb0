"""The Excel batch import of first filings (新增备案): the template to fill, a preview
that checks every row before anything is saved, and the import itself.

The import reads and checks the file again unless its bytes are the ones just
previewed (the domains are checked again either way, as it saves), and saves the good
filings as drafts in one transaction: all of them or, when any row is bad and the
clerk asked for all or nothing, none. Each draft's timeline starts with the file and
the rows it came from. ID numbers are encrypted like any entry's
(records.principal_values); no cell is logged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from beian_desktop.models import Province
from beian_desktop.rules.errors import ImportRefused
from beian_desktop.rules.inputs import FilingInput
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.filing.bulk_drafts import write_new_filings
from beian_desktop.services.filing.import_template import write_template
from beian_desktop.services.filing.import_xlsx import (
    CheckedImport,
    ImportPreview,
    Progress,
    check_workbook,
    file_bytes,
)
from beian_desktop.services.filing.records import domains_in_use

_CHUNK = 500  # domains per IN (...) list
_SAVE_CHUNK = 100  # filings written between two reports of progress


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    request_ids: tuple[int, ...]  # the drafts made, in the workbook's order
    rows_imported: int
    rows_skipped: int


class ImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        # The last preview's checked rows and the digest of the bytes they came from:
        # the import of the same bytes need not read and check them again (the
        # domains are checked again as it saves). Dropped by the next import.
        self._previewed: tuple[str, CheckedImport] | None = None

    def write_template(self, *, session: str, path: str | Path) -> None:
        """The template, its province dropdown from the province table."""
        with self.ctx.acting(session, "imports.write_template", read=True) as act:
            names = list(act.db.scalars(select(Province.name_zh).order_by(Province.code)))
        write_template(Path(path), names)

    def preview(
        self, *, session: str, path: str | Path, progress: Progress | None = None
    ) -> ImportPreview:
        """Every row and its problems by cell; nothing is written."""
        path = Path(path)
        with self.ctx.acting(session, "imports.preview", read=True) as act:
            data = file_bytes(path)
            checked = self._check(act.db, path, progress, data)
        self._previewed = (_digest(data), checked)
        return checked.preview

    def import_drafts(
        self,
        *,
        session: str,
        path: str | Path,
        only_if_all_good: bool = False,
        progress: Progress | None = None,
    ) -> ImportResult:
        """The good rows saved as drafts, or with `only_if_all_good` nothing at all
        when a row is bad (ImportRefused "has_errors"). `progress` hears (done, total)
        over the reading and then the saving, from the thread the call runs on.

        Two units of work, each for the resolved caller: the file is read and checked
        in a read (`ctx.read_only`), and only the saving takes the write one (on SQLite the
        one writer: other workstations wait for it, not for openpyxl). A domain another
        website was filed with since the check (this call's or the preview's) refuses
        the whole import ("changed_meanwhile")."""
        path = Path(path)
        half = _Halves(progress)
        previewed, self._previewed = self._previewed, None
        with self.ctx.acting(session, "imports.import_drafts", read=True) as act:
            data = file_bytes(path)
            if previewed is not None and previewed[0] == _digest(data):
                checked = previewed[1]
                half.first(1, 1)
            else:
                checked = self._check(act.db, path, half.first, data)
        preview = checked.preview
        if preview.bad_rows and only_if_all_good:
            raise ImportRefused(
                "has_errors",
                f"{preview.bad_rows} 行有错误，按“全部无误才导入”未导入任何内容。",
                f"{preview.bad_rows} row(s) have errors: as asked (only if all are good), "
                "nothing was imported.",
            )
        if not checked.good:
            raise ImportRefused(
                "nothing_good",
                "没有无误的行可以导入。",
                "No row is free of errors: nothing to import.",
            )
        with self.ctx.acting(session, "imports.import_drafts") as act:
            db, by, now = act.db, act.by, act.now
            names = [d for _, f in checked.good for w in f.websites for d in w.domains]
            if _taken(db, names):
                raise ImportRefused(
                    "changed_meanwhile",
                    "检查文件之后，其中的域名已被其他网站备案使用，未导入任何内容：请重新预览。",
                    "Since the file was checked, another website was filed with one of its "
                    "domains: nothing was imported. Preview the file again.",
                )
            ids: list[int] = []
            for start in range(0, len(checked.good), _SAVE_CHUNK):
                chunk = checked.good[start : start + _SAVE_CHUNK]
                ids.extend(self._save(db, chunk, by, now, path.name))
                half.second(len(ids), len(checked.good))
            return ImportResult(path.name, tuple(ids), preview.good_rows, preview.bad_rows)

    def _check(
        self, db: Session, path: Path, progress: Progress | None, data: bytes | None = None
    ) -> CheckedImport:
        provinces: dict[str, str] = {}
        for p in db.scalars(select(Province)):
            provinces.update({p.name_zh: p.code, p.code: p.code, p.name_en.lower(): p.code})

        return check_workbook(
            path,
            provinces=provinces,
            province_codes=set(provinces.values()),
            domains_taken=lambda names: _taken(db, names),
            progress=progress,
            data=data,
        )

    def _save(
        self,
        db: Session,
        chunk: Sequence[tuple[tuple[int, ...], FilingInput]],
        by: str,
        now: datetime,
        file_name: str,
    ) -> list[int]:
        return write_new_filings(
            self.ctx,
            db,
            [
                (filing, {"import_file": file_name, "import_rows": list(rows)})
                for rows, filing in chunk
            ],
            by,
            now,
        )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _taken(db: Session, names: list[str]) -> set[str]:
    """Those of the domains another website holds (records.domains_in_use), in chunks."""
    found: set[str] = set()
    for i in range(0, len(names), _CHUNK):
        found |= domains_in_use(db, names[i : i + _CHUNK], None)
    return found


class _Halves:
    """One progress bar over two steps: reading and checking fill its first half,
    saving its second (on a scale of STEPS)."""

    STEPS = 1000

    def __init__(self, progress: Callable[[int, int], None] | None) -> None:
        self.progress = progress

    def first(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(self.STEPS // 2 * done // max(total, 1), self.STEPS)

    def second(self, done: int, total: int) -> None:
        if self.progress is not None:
            half = self.STEPS // 2
            self.progress(half + half * done // max(total, 1), self.STEPS)
