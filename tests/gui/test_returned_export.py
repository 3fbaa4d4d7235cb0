"""The supervisors' Excel export: every verifier a return names, and a file written
whatever a stored name holds (views/returned_view.py export_returned_xlsx)."""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import load_workbook

from beian_desktop.rules.read_models import ReturnedRow
from beian_desktop.terms import ReturnReason
from beian_desktop.views.returned_view import export_returned_xlsx


def _row(subject_name: str, names: tuple[str, ...]) -> ReturnedRow:
    return ReturnedRow(
        request_id=7,
        subject_name=subject_name,
        business_type="new_filing",
        returned_at=datetime(2026, 11, 24, 2, 5, tzinfo=UTC),
        reason=ReturnReason.EXPIRED,
        verifier_names=names,
        province_name="浙江省",
    )


def test_the_export_names_every_verifier_of_a_return(qapp, tmp_path):
    rows = [_row("杭州测试科技有限公司", ("张三", "李四", "王五"))]
    export_returned_xlsx(rows, tmp_path / "zh.xlsx", "zh_CN")
    export_returned_xlsx(rows, tmp_path / "en.xlsx", "en")
    zh = list(load_workbook(tmp_path / "zh.xlsx").active.iter_rows(values_only=True))
    en = list(load_workbook(tmp_path / "en.xlsx").active.iter_rows(values_only=True))
    assert zh[1][5] == "张三、李四、王五"
    assert en[0][5] == "Verifiers" and en[1][5] == "张三, 李四, 王五"


def test_a_stored_value_no_cell_can_hold_is_written_replaced_not_raised(qapp, tmp_path):
    """Stored before the checks kept them out: a control character, a lone surrogate,
    a right-to-left override."""
    rows = [_row("杭州\x01测试\ud800科技\u202e有限公司", ("张\x0b三",))]
    export_returned_xlsx(rows, tmp_path / "old.xlsx", "zh_CN")
    sheet = list(load_workbook(tmp_path / "old.xlsx").active.iter_rows(values_only=True))
    assert sheet[1][1] == "杭州\ufffd测试\ufffd科技\ufffd有限公司"
    assert sheet[1][5] == "张\ufffd三"
