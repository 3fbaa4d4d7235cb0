"""Filled import templates for tests: the template the app writes, with rows a clerk
would type (valid by default, built from the factories' numbers), saved again."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from beian_desktop.rules.import_columns import COLUMNS, DATA_SHEET
from beian_desktop.services.beian import Beian

from factories import credit_code, phone, resident_id

FIRST_ROW = 3  # row 2 is the template's example


def cells(serial: int, *, key: str = "", site: int = 0) -> dict[str, str]:
    """One valid row: subject `serial`, its website `site`."""
    n = serial * 100 + site
    return {
        "subject_key": key,
        "province": "浙江省",
        "city": "杭州市",
        "nature": "企业",
        "holder_name": f"杭州导入科技有限公司{serial}",
        "subject_doc_type": "统一社会信用代码",
        "subject_doc_number": credit_code(serial),
        "document_address": "浙江省杭州市西湖区文三路1号",
        "mailing_address": "浙江省杭州市西湖区文三路1号",
        "sp_name": f"主体负责人{serial}",
        "sp_doc_type": "居民身份证",
        "sp_doc_number": resident_id(serial),
        "sp_mobile": phone(serial),
        "website_name": f"导入网站{n}",
        "home_url": f"https://www.import{n}.cn",
        "domains": f"import{n}.cn; www.import{n}.cn",
        "service_content": "企业官网",
        "language": "简体中文",
        "wp_name": f"网站负责人{n}",
        "wp_doc_type": "居民身份证",
        "wp_doc_number": resident_id(n + 500),
        "wp_mobile": phone(n + 500, "unicom"),
        "isp_name": "杭州示例云计算有限公司",
        "method": "云服务器",
        "server_ips": "203.0.113.10",
    }


def filled_template(app: Beian, session: str, path: Path, rows: list[dict[str, str]]) -> Path:
    """The app's template at `path` with `rows` from row 3 on."""
    app.imports.write_template(session=session, path=path)
    book = load_workbook(path)
    sheet = book[DATA_SHEET]
    for r, row in enumerate(rows, start=FIRST_ROW):
        for c, column in enumerate(COLUMNS, start=1):
            sheet.cell(row=r, column=c, value=row.get(column.key, ""))
    book.save(path)
    return path


def letter_of(key: str) -> str:
    from beian_desktop.rules.import_columns import column_letter

    return column_letter([c.key for c in COLUMNS].index(key))
