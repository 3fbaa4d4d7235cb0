"""The batch-import template (.xlsx): the data sheet with a dropdown for every choice
and an example row, the instructions in Chinese, the lists the dropdowns read, and
the hidden marker the reader checks so a workbook of another shape is refused.

The province list comes from the database's province table (an administrator may
edit it), so the template is written by a service, not shipped as a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from beian_desktop.rules.import_columns import (
    CHOICES,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_KEY,
    MAX_ROWS,
    PROVINCE,
    TEMPLATE_NAME,
    TEMPLATE_VERSION,
    Column,
)

REQUIRED_MARK = "*"

INSTRUCTIONS_SHEET = "填写说明"
LISTS_SHEET = "选项"
MARKER_SHEET = "模板标识"
MARKER_CELLS = ("A1", "B1")  # the template's name and its version
VALIDATED_ROWS = MAX_ROWS + 1  # the dropdowns reach every row the reader accepts

_EXAMPLE = {
    "subject_key": EXAMPLE_KEY,
    "province": "浙江省",
    "city": "杭州市",
    "nature": "企业",
    "holder_name": "杭州示例科技有限公司",
    "subject_doc_type": "统一社会信用代码",
    "subject_doc_number": "91330106MA00000016",
    "document_address": "浙江省杭州市西湖区文三路1号",
    "mailing_address": "浙江省杭州市西湖区文三路1号",
    "sp_name": "张三",
    "sp_doc_type": "居民身份证",
    "sp_doc_number": "330106198506120015",
    "sp_mobile": "13800138000",
    "sp_email": "zhangsan@example.cn",
    "website_name": "示例科技官网",
    "home_url": "https://www.example.cn",
    "domains": "example.cn; www.example.cn",
    "service_content": "企业官网",
    "language": "简体中文",
    "wp_name": "李四",
    "wp_doc_type": "居民身份证",
    "wp_doc_number": "330106199001010026",
    "wp_mobile": "13900139000",
    "isp_name": "杭州示例云计算有限公司",
    "method": "云服务器",
    "server_ips": "203.0.113.10",
}

_INSTRUCTIONS = (
    "新增备案批量导入模板（第 {version} 版）",
    "",
    "一、怎么填",
    "1. 在“备案数据”表中每行填写一个网站。同一主体有多个网站时，每个网站占一行，"
    "并在“主体编号”列填写相同的编号（如 1、2、A001）；这些行导入为同一个备案申请。",
    "2. 主体的各列（省份到主体负责人电子邮件）按该主体编号的第一行读取；其后各行可以重复填写"
    "（须与第一行一致）或留空。主体编号留空的行单独成为一个备案申请。",
    "3. 带下拉箭头的列（省份、主体性质、证件类型、网站语言、接入方式）请从下拉列表中选择。",
    "4. 一个网站有多个域名或服务器 IP 时，填在同一格内，用分号、逗号或换行分隔。",
    "5. 证件号码、手机号码请按文本填写（模板已设为文本格式），不要填成数字，以免丢失末尾数字。",
    "6. 标题中带 * 的列为必填项。第 2 行是示例（主体编号为“示例”），导入时跳过，可以删除。",
    "7. 请勿修改标题行的文字、工作表名称，也不要删除隐藏的“模板标识”工作表，"
    "否则文件会被视为其他模板而拒绝导入。列的顺序可以调整。",
    "",
    "二、怎么导入",
    "1. 在“备案申请”页面点击“从 Excel 导入…”，选择填好的文件。",
    "2. 预览会按单元格标出每一行的错误（与录入界面相同的检查：证件号码校验位、手机号码、"
    "域名格式、域名是否已被其他网站备案等），此时尚未保存任何内容。",
    "3. 选择“导入无误的 N 行”只保存没有错误的行；选择“全部无误才导入”则只要有一行出错就"
    "什么也不保存。同一主体编号的各行一同导入或一同跳过。",
    "4. 导入的备案保存为草稿，出现在备案申请列表中；其处理记录注明来自哪个文件的第几行。"
    "核对后再逐个提交。",
    "",
    "三、为什么这样设计",
    "接入商通常按“一行一个网站、主体信息重复”的方式整理客户资料，这样的表便于排序、筛选，"
    "也便于从其他系统导出后直接粘贴；用主体编号把同一主体的网站归为一个备案申请，"
    "无需另建主体表。",
    "",
    "每个文件最多 {max_rows} 行。",
)


def header_text(column: Column) -> str:
    """The header as written: a required column's name ends with *."""
    return f"{column.header}{REQUIRED_MARK}" if column.required else column.header


def write_template(path: Path, provinces: Sequence[str]) -> None:
    """The template at `path`; `provinces` are the names the province dropdown offers."""
    book = Workbook()
    data = book.active
    assert data is not None  # a new workbook has its first sheet
    data.title = DATA_SHEET
    lists = book.create_sheet(LISTS_SHEET)
    _write_lists(lists, provinces)
    _write_data_sheet(data, provinces)
    _write_instructions(book.create_sheet(INSTRUCTIONS_SHEET))
    lists.sheet_state = "hidden"
    marker = book.create_sheet(MARKER_SHEET)
    marker[MARKER_CELLS[0]] = TEMPLATE_NAME
    marker[MARKER_CELLS[1]] = TEMPLATE_VERSION
    marker.sheet_state = "veryHidden"
    book.active = 0
    book.save(path)


def _list_names(provinces: Sequence[str]) -> dict[str, list[str]]:
    names = {name: [zh for _, zh, _ in choices] for name, choices in CHOICES.items()}
    names[PROVINCE] = list(provinces)
    return names


def _write_lists(sheet: Worksheet, provinces: Sequence[str]) -> None:
    for col, (_, values) in enumerate(_list_names(provinces).items(), start=1):
        for row, value in enumerate(values, start=1):
            sheet.cell(row=row, column=col, value=value)


def _write_data_sheet(sheet: Worksheet, provinces: Sequence[str]) -> None:
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    lists = _list_names(provinces)
    list_column = {name: get_column_letter(i) for i, name in enumerate(lists, start=1)}
    for col, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=header_text(column))
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = column.width
        sheet.column_dimensions[letter].number_format = "@"
        example = sheet.cell(row=2, column=col, value=_EXAMPLE.get(column.key, ""))
        example.font = Font(italic=True, color="808080")
        example.number_format = "@"
        if column.choices:
            source = list_column[column.choices]
            count = max(len(lists[column.choices]), 1)
            rule = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS_SHEET)}!${source}$1:${source}${count}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="请从列表中选择",
                error=f"“{column.header}”请从下拉列表中选择。",
            )
            rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 30


def _write_instructions(sheet: Worksheet) -> None:
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(_INSTRUCTIONS, start=1):
        text = line.format(version=TEMPLATE_VERSION, max_rows=MAX_ROWS)
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1 or text.endswith(("怎么填", "怎么导入", "为什么这样设计")):
            cell.font = Font(bold=True, size=13 if row == 1 else 11)
    start = len(_INSTRUCTIONS) + 2
    sheet.cell(row=start, column=1, value="各列说明").font = Font(bold=True)
    for offset, column in enumerate(COLUMNS, start=1):
        need = "必填" if column.required else "选填"
        how = "（从下拉列表选择）" if column.choices else ""
        many = "（可填多个，用分号分隔）" if column.listed else ""
        sheet.cell(row=start + offset, column=1, value=f"{column.header}：{need}{how}{many}")
