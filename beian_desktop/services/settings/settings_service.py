"""What an administrator changes: the policy, the province table, the SMS endpoint.

The policy and the provinces live in the database (every workstation sees the same
rules); the endpoint lives in the config file of this installation, since a URL and
a token belong to a deployment, not to the data. Every change is audited.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select

from beian_desktop.models import Province
from beian_desktop.rules.errors import FieldError, ValidationFailed
from beian_desktop.rules.phones import mask_phone, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
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


class SettingsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def policy(self) -> Policy:
        with self.ctx.unit_of_work() as session:
            return load_policy(session)

    def save_policy(self, *, policy: Policy, by: str) -> None:
        with self.ctx.unit_of_work() as session:
            save_policy(session, policy, by=by, at=self.ctx.now())

    def provinces(self) -> list[ProvinceSetting]:
        with self.ctx.unit_of_work() as session:
            return [
                ProvinceSetting(p.code, p.name_zh, p.name_en, p.abbr, p.verification_from)
                for p in session.scalars(select(Province).order_by(Province.code))
            ]

    def set_province_start(self, *, code: str, verification_from: date | None, by: str) -> None:
        """SPEC §2.3: the table is data; None turns verification off for the province."""
        with self.ctx.unit_of_work() as session:
            province = session.get(Province, code)
            if province is None:
                raise ValidationFailed(
                    [
                        FieldError(
                            "province_code",
                            "unknown_province",
                            "省份不存在",
                            "is not a known province",
                        )
                    ]
                )
            before = province.verification_from
            province.verification_from = verification_from
            audit.record(
                session,
                at=self.ctx.now(),
                actor=by,
                action="province_changed",
                province=code,
                before=str(before),
                after=str(verification_from),
            )

    def send_test_sms(self, *, phone: str, by: str, sms: SmsConfig | None = None) -> TestSmsResult:
        """One message outside any round, through `sms` (the endpoint as edited, before
        it is saved) or the running sender; the answer is what the endpoint said, so an
        administrator sees a wrong URL or token at once."""
        mobile = parse_mobile(phone)
        message = SmsMessage(
            phone=mobile.number,
            text="【ICP备案短信核验】这是一条测试短信，无需回复。",
            sender_number=self.policy().sender_number(mobile.carrier),
            idempotency_key=str(uuid.uuid4()),
        )
        result = asyncio.run(self._send_once(message, sms))
        with self.ctx.unit_of_work() as session:
            audit.record(
                session,
                at=self.ctx.now(),
                actor=by,
                action="test_sms_sent",
                phone=mask_phone(mobile.number),
                ok=result.ok,
                detail=result.detail,
            )
        return result

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
    keeping the rest of the file."""
    parse_sms_config({"sms": sms})
    data = load_toml(path)
    data["sms"] = sms
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    tmp.replace(path)
