"""What an administrator changes: the policy, the province table, the SMS endpoint.

The policy and the provinces live in the database (every workstation sees the same
rules); the endpoint lives in the config file of this installation, since a URL and
a token belong to a deployment, not to the data. Every change is audited.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select

from beian_desktop.models import Province
from beian_desktop.rules.errors import InvalidValue, ValidationFailed
from beian_desktop.rules.phones import mask_phone, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.private_files import private_dir, write_private
from beian_desktop.services.sending.http_sender import HttpSender
from beian_desktop.services.sending.senders import SendFailed, SmsMessage, send_async
from beian_desktop.services.sending.sms_config import SmsConfig, load_toml, parse_sms_config
from beian_desktop.services.settings.policy_store import load_policy, save_policy


@dataclass(frozen=True)
class ProvinceSetting:
    code: str
    name_zh: str
    name_en: str
    abbr: str
    verification_from: date | None


@dataclass(frozen=True)
class TestSmsResult:
    ok: bool
    detail: str


def _province_code(code: object) -> bool:
    """Shaped like a code of the province table (GB/T 2260: two digits)."""
    return isinstance(code, str) and len(code) == 2 and code.isascii() and code.isdigit()


class SettingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def policy(self, *, session: str) -> Policy:
        with self.ctx.acting(session, "settings.policy", read=True) as act:
            return load_policy(act.db)

    def save_policy(self, *, session: str, policy: Policy) -> None:
        with self.ctx.acting(session, "settings.save_policy") as act:
            save_policy(act.db, policy, by=act.by, at=act.now)

    def provinces(self, *, session: str) -> list[ProvinceSetting]:
        with self.ctx.acting(session, "settings.provinces", read=True) as act:
            return [
                ProvinceSetting(p.code, p.name_zh, p.name_en, p.abbr, p.verification_from)
                for p in act.db.scalars(select(Province).order_by(Province.code))
            ]

    def set_province_start(
        self, *, session: str, code: str, verification_from: date | None
    ) -> None:
        """SPEC §2.3: the table is data; None turns verification off for the province."""
        with self.ctx.acting(session, "settings.set_province_start") as act:
            province = act.db.get(Province, code) if _province_code(code) else None
            if province is None:
                raise ValidationFailed.one(
                    "province_code", "unknown_province", "省份不存在", "is not a known province"
                )
            if verification_from is not None and (
                not isinstance(verification_from, date) or isinstance(verification_from, datetime)
            ):
                raise ValidationFailed.one(
                    "verification_from", "not_a_date", "应为日期", "must be a date"
                )
            before = province.verification_from
            province.verification_from = verification_from
            audit.record(
                act.db,
                at=act.now,
                actor=act.by,
                action="province_changed",
                province=code,
                before=str(before),
                after=str(verification_from),
            )

    def send_test_sms(
        self, *, session: str, phone: str, sms: SmsConfig | None = None
    ) -> TestSmsResult:
        """One message outside any round, through `sms` (the endpoint as edited, before
        it is saved) or the running sender; the answer is what the endpoint said, so an
        administrator sees a wrong URL or token at once."""
        with self.ctx.acting(session, "settings.send_test_sms", read=True) as act:
            policy = load_policy(act.db)
        if sms is not None and not isinstance(sms, SmsConfig):
            raise ValidationFailed.one("sms", "wrong_type", "内容格式不正确", "is not an endpoint")
        try:
            mobile = parse_mobile(phone)
        except InvalidValue as problem:
            raise ValidationFailed.one("phone", problem.code, problem.zh, problem.en) from None
        message = SmsMessage(
            phone=mobile.number,
            text="【ICP备案短信核验】这是一条测试短信，无需回复。",
            sender_number=policy.sender_number(mobile.carrier),
            idempotency_key=str(uuid.uuid4()),
        )
        result = asyncio.run(self._send_once(message, sms))
        with self.ctx.acting(session, "settings.send_test_sms") as act:
            audit.record(
                act.db,
                at=act.now,
                actor=act.by,
                action="test_sms_sent",
                phone=mask_phone(mobile.number),
                ok=result.ok,
                detail=result.detail,
            )
        return result

    def save_sms_config(self, *, session: str, path: Path, sms: dict[str, Any]) -> None:
        """The endpoint of this installation, into its config file (see write_sms_config)."""
        with self.ctx.acting(session, "settings.save_sms_config") as act:
            if not isinstance(path, Path):
                raise ValidationFailed.one(
                    "path", "wrong_type", "应为文件路径", "must be a file path"
                )
            if not isinstance(sms, dict):
                raise ValidationFailed.one("sms", "wrong_type", "内容格式不正确", "must be a table")
            write_sms_config(path, sms)
            audit.record(act.db, at=act.now, actor=act.by, action="sms_endpoint_saved",
                         kind=sms.get("kind", "outbox"))  # fmt: skip

    async def _send_once(self, message: SmsMessage, sms: SmsConfig | None) -> TestSmsResult:
        # A fresh client on this call's own loop: the running one belongs to another loop.
        sender = HttpSender(sms.http) if sms and sms.kind == "http" and sms.http else None
        try:
            receipt = await send_async(sender or self.ctx.sender, message)
            return TestSmsResult(True, receipt.endpoint_message_id or "")
        except SendFailed as failure:
            return TestSmsResult(False, str(failure))
        finally:
            if sender is not None:
                await sender.aclose()


def write_sms_config(path: Path, sms: dict[str, Any]) -> None:
    """Checks the [sms] table first (a bad one is refused whole), then rewrites only it,
    keeping the rest of the file, readable by its owner only."""
    try:
        parse_sms_config({"sms": sms})
        data = load_toml(path)
        data["sms"] = sms
        text = tomli_w.dumps(data).encode("utf-8")
    except (TypeError, ValueError, AttributeError) as problem:
        # A value of a type the parser does not expect (a list where a table goes, a
        # number that is no number), or one TOML cannot hold: a bad table all the same.
        raise ValidationFailed.one(
            "sms",
            "bad_config",
            "短信接口配置格式不正确",
            "is not a valid endpoint configuration",
        ) from problem
    private_dir(path.parent)
    write_private(path, text)  # it holds the endpoint's secrets
