"""The text of a verification SMS: a template, Chinese by default (SPEC §4)."""

from __future__ import annotations

from datetime import datetime

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.placeholders import fill

DEFAULT_TEMPLATE = (
    "【ICP备案短信核验】{name}您好，您的备案短信核验码为{code}，请于{deadline}前"
    "在备案所在省通信管理局网站“备案短信核验”页面输入核验码、手机号码及证件号码后六位"
    "完成核验。{link}"
)


DEADLINE_FORMAT = "%Y-%m-%d %H:%M"  # Asia/Shanghai
TEMPLATE_PLACEHOLDERS = frozenset({"code", "name", "deadline", "link"})


def render_sms_text(
    *,
    code: str,
    name: str,
    deadline: datetime | str,
    link: str = "",
    template: str = DEFAULT_TEMPLATE,
) -> str:
    """`deadline` is a moment, or one already written as DEADLINE_FORMAT in Shanghai time
    (the dispatcher writes each of a batch's few deadlines once)."""
    if isinstance(deadline, datetime):
        deadline = in_shanghai(deadline).strftime(DEADLINE_FORMAT)
    return fill(template, {"code": code, "name": name, "deadline": deadline, "link": link}).strip()
