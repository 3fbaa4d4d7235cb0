"""The fields of a filing as a person reads them: `websites[1].principal.doc_number`
is 网站 2 › 负责人 › 证件号码 (Website 2 › Principal › ID number).

Field errors keep the machine path (a view finds the widget by it); every screen and
message shows this label instead. A segment this table does not know is shown as it
is, never an error: a new field shows its name until it gets a label here.
"""

from __future__ import annotations

import re

# segment -> (Chinese, English); numbered segments ("websites[1]") count from one.
_SEGMENTS: dict[str, tuple[str, str]] = {
    "subject": ("主体", "Subject"),
    "principal": ("负责人", "Principal"),
    "subject_principal": ("主体负责人", "Subject principal"),
    "website": ("网站", "Website"),
    "websites": ("网站", "Website"),
    "access": ("接入", "Access"),
    "domains": ("域名", "Domain"),
    "server_ips": ("服务器 IP", "Server IP"),
    "subject_key": ("主体编号", "Subject key"),  # the import template's grouping column
    # subject
    "province_code": ("省份", "Province"),
    "city": ("市/县", "City/county"),
    "nature": ("主体性质", "Nature"),
    "holder_name": ("主办单位名称", "Holder name"),
    "doc_type": ("证件类型", "Document type"),
    "doc_number": ("证件号码", "Document number"),
    "document_address": ("证件住所", "Document address"),
    "mailing_address": ("通信地址", "Mailing address"),
    "investor": ("投资人或主管单位", "Investor or supervising unit"),
    "remarks": ("备注", "Remarks"),
    # principal
    "name": ("名称", "Name"),
    "mobile": ("手机号码", "Mobile"),
    "phone2": ("备用电话", "Second phone"),
    "emergency_phone": ("应急电话", "Emergency phone"),
    "email": ("电子邮件", "Email"),
    # website
    "home_url": ("首页地址", "Home page URL"),
    "service_content": ("服务内容", "Service content"),
    "language": ("网站语言", "Language"),
    "preapproval_type": ("前置审批类型", "Pre-approval type"),
    "preapproval_number": ("前置审批文号", "Pre-approval number"),
    # access
    "isp_name": ("接入服务商", "ISP"),
    "method": ("接入方式", "Access method"),
    # other forms
    "subject_id": ("主体", "Subject"),
    "website_id": ("网站", "Website"),
    "principal_id": ("负责人", "Principal"),
    "new_mobile": ("新手机号码", "New mobile"),
    "change": ("变更内容", "Change"),
    "note": ("备注内容", "Note"),
    "reason": ("驳回原因", "Reason"),
    "reject_reasons": ("常用驳回原因", "Preset rejection reasons"),
    "phone": ("手机号码", "Mobile"),
    "id_last6": ("证件号码后六位", "Last six of ID"),
    "code": ("验证码", "Code"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "display_name": ("姓名", "Name"),
    "role": ("角色", "Role"),
    "active": ("启用", "Active"),
    "policy": ("核验设置", "Verification settings"),
    "max_wrong_tries": ("最多错误次数", "Wrong tries allowed"),
    "window_seconds": ("核验时限", "Verification window"),
    "send_delay_seconds": ("发送延迟", "Send delay"),
    "manual_resend_cap": ("手动重发次数上限", "Manual resends allowed"),
    "manual_resend_spacing_seconds": ("重发间隔", "Resend spacing"),
    "auto_resend_hour": ("自动重发时间", "Automatic resend hour"),
    "sender_numbers": ("发送号码", "Sender numbers"),
    "session_hours": ("登录有效时长", "Sign-in lasts"),
    "idle_lock_minutes": ("空闲锁定时间", "Idle lock after"),
    "current_password": ("当前密码", "Current password"),
    "telecom": ("中国电信", "China Telecom"),
    "unicom": ("中国联通", "China Unicom"),
    "broadnet": ("中国广电", "China Broadnet"),
    "sms": ("短信接口", "SMS endpoint"),
    "http": ("HTTP", "HTTP"),
    "url": ("地址", "URL"),
    "template": ("短信模板", "Message template"),
    "kind": ("类型", "Kind"),
}
# A principal's own name; elsewhere "name" is the record's name.
_AFTER = {("principal", "name"): ("姓名", "Name"), ("subject_principal", "name"): ("姓名", "Name")}
# "mobile" under sender_numbers is the carrier, not a phone number.
_CARRIERS = {"mobile": ("中国移动", "China Mobile")}

_SEGMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>[^\]]*)\])?")


def field_label(path: str, language: str = "zh_CN") -> str:
    """网站 2 › 负责人 › 证件号码 for `websites[1].principal.doc_number`."""
    chinese = language.lower().startswith("zh")
    parts: list[str] = []
    previous = ""
    for raw in path.split("."):
        match = _SEGMENT.fullmatch(raw)
        if match is None:
            parts.append(raw)
            continue
        name, index = match.group("name"), match.group("index")
        known = _AFTER.get((previous, name)) or (
            _CARRIERS.get(name) if previous == "sender_numbers" else None
        )
        zh, en = known or _SEGMENTS.get(name, (name, name))
        text = zh if chinese else en
        if index is not None:
            number = str(int(index) + 1) if index.isdigit() else index
            text = f"{text} {number}"
        parts.append(text)
        previous = name
    return " › ".join(parts)
