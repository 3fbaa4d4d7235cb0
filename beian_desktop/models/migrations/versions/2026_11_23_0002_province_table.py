"""The province table as SPEC §2.3 ships it.

First pilot (2017), the two 2018 groups, and every other province from the
nationwide start on 2020-08-17. Data, not code: an administrator edits it later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FIRST_PILOT = date(2017, 1, 1)  # the sources give the year only
GROUP_2018_09_10 = date(2018, 9, 10)
GROUP_2018_09_24 = date(2018, 9, 24)
NATIONWIDE = date(2020, 8, 17)

# code, Chinese name, English name, ICP abbreviation, verification from
PROVINCES = [
    ("11", "北京市", "Beijing", "京", NATIONWIDE),
    ("12", "天津市", "Tianjin", "津", FIRST_PILOT),
    ("13", "河北省", "Hebei", "冀", NATIONWIDE),
    ("14", "山西省", "Shanxi", "晋", GROUP_2018_09_24),
    ("15", "内蒙古自治区", "Inner Mongolia", "蒙", GROUP_2018_09_24),
    ("21", "辽宁省", "Liaoning", "辽", NATIONWIDE),
    ("22", "吉林省", "Jilin", "吉", NATIONWIDE),
    ("23", "黑龙江省", "Heilongjiang", "黑", GROUP_2018_09_24),
    ("31", "上海市", "Shanghai", "沪", NATIONWIDE),
    ("32", "江苏省", "Jiangsu", "苏", NATIONWIDE),
    ("33", "浙江省", "Zhejiang", "浙", GROUP_2018_09_10),
    ("34", "安徽省", "Anhui", "皖", GROUP_2018_09_24),
    ("35", "福建省", "Fujian", "闽", GROUP_2018_09_10),
    ("36", "江西省", "Jiangxi", "赣", NATIONWIDE),
    ("37", "山东省", "Shandong", "鲁", GROUP_2018_09_24),
    ("41", "河南省", "Henan", "豫", GROUP_2018_09_24),
    ("42", "湖北省", "Hubei", "鄂", GROUP_2018_09_24),
    ("43", "湖南省", "Hunan", "湘", GROUP_2018_09_24),
    ("44", "广东省", "Guangdong", "粤", NATIONWIDE),
    ("45", "广西壮族自治区", "Guangxi", "桂", GROUP_2018_09_10),
    ("46", "海南省", "Hainan", "琼", FIRST_PILOT),
    ("50", "重庆市", "Chongqing", "渝", GROUP_2018_09_10),
    ("51", "四川省", "Sichuan", "蜀", GROUP_2018_09_10),
    ("52", "贵州省", "Guizhou", "黔", NATIONWIDE),
    ("53", "云南省", "Yunnan", "滇", GROUP_2018_09_10),
    ("54", "西藏自治区", "Tibet", "藏", FIRST_PILOT),
    ("61", "陕西省", "Shaanxi", "陕", GROUP_2018_09_10),
    ("62", "甘肃省", "Gansu", "陇", FIRST_PILOT),
    ("63", "青海省", "Qinghai", "青", FIRST_PILOT),
    ("64", "宁夏回族自治区", "Ningxia", "宁", FIRST_PILOT),
    ("65", "新疆维吾尔自治区", "Xinjiang", "新", FIRST_PILOT),
]


def upgrade() -> None:
    provinces = sa.table(
        "provinces",
        sa.column("code", sa.String),
        sa.column("name_zh", sa.String),
        sa.column("name_en", sa.String),
        sa.column("abbr", sa.String),
        sa.column("verification_from", sa.Date),
    )
    op.bulk_insert(
        provinces,
        [
            {"code": c, "name_zh": zh, "name_en": en, "abbr": abbr, "verification_from": start}
            for c, zh, en, abbr, start in PROVINCES
        ],
    )


def downgrade() -> None:
    op.execute("DELETE FROM provinces")
