"""What an administrator changes: the policy, the province table, the SMS endpoint.

The policy and the provinces live in the database (every workstation sees the same
rules); the endpoint lives in the config file of this installation, since a URL and
a token belong to a deployment, not to the data. Every change is audited.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select

from beian_desktop.models import Province, Setting
from beian_desktop.rules.errors import FieldError, InvalidValue, ValidationFailed
from beian_desktop.rules.phones import mask_phone, parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.rules.reject_reasons import (
    DEFAULT_REJECT_REASONS,
    SETTING_KEY,
    clean_reject_reasons,
)
from beian_desktop.services import audit
from beian_desktop.services.context import ServiceContext
from beian_desktop.services.private_files import private_dir, write_private
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
class SmsEndpointView:
    """The saved endpoint as the settings page shows it: never the secrets themselves,
    only whether they are set (the page shows •••• and keeps them unless retyped)."""

    kind: str  # outbox | http
    url: str
    has_token: bool
    signature_header: str
    has_signature_secret: bool


BEARER = "Bearer "


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
            if not _province_code(code):  # not even a key of the table (a list, a number)
                raise ValidationFailed.one(
                    "province_code", "unknown_province", "省份不存在", "is not a known province"
                )
            _set_starts(act.db, {code: verification_from}, by=act.by, at=act.now)

    def save_province_starts(self, *, session: str, starts: Mapping[str, date | None]) -> int:
        """The province table's one Save: every changed start date at once, in one
        transaction (a bad row refuses them all, each named). Says how many changed."""
        with self.ctx.acting(session, "settings.save_province_starts") as act:
            return _set_starts(act.db, starts, by=act.by, at=act.now)

    # -- the bureau's preset reasons -----------------------------------------------------
    def reject_reasons(self, *, session: str) -> tuple[str, ...]:
        """What the reject dialog offers (the defaults until an administrator saves)."""
        with self.ctx.acting(session, "settings.reject_reasons", read=True) as act:
            row = act.db.get(Setting, SETTING_KEY)
            if row is None or not isinstance(row.value, list):
                return DEFAULT_REJECT_REASONS
            return tuple(str(r) for r in row.value)

    def save_reject_reasons(self, *, session: str, reasons: Sequence[str]) -> tuple[str, ...]:
        """Replaces the presets (trimmed, blanks and repeats dropped); returns them."""
        with self.ctx.acting(session, "settings.save_reject_reasons") as act:
            kept = clean_reject_reasons(reasons)
            row = act.db.get(Setting, SETTING_KEY)
            if row is None:
                act.db.add(Setting(key=SETTING_KEY, value=list(kept)))
            else:
                row.value = list(kept)
            audit.record(act.db, at=act.now, actor=act.by, action="reject_reasons_changed",
                         count=len(kept))  # fmt: skip
            return kept

    def send_test_sms(
        self,
        *,
        session: str,
        phone: str,
        sms: SmsConfig | None = None,
        path: Path | None = None,
    ) -> TestSmsResult:
        """One message outside any round, through the endpoint saved in the config file
        at `path` (what the settings page saved), else through `sms`, else the running
        sender; the answer is what the endpoint said, so an administrator sees a wrong
        URL or token at once."""
        with self.ctx.acting(session, "settings.send_test_sms", read=True) as act:
            policy = load_policy(act.db)
        if sms is not None and not isinstance(sms, SmsConfig):
            raise ValidationFailed.one("sms", "wrong_type", "内容格式不正确", "is not an endpoint")
        if path is not None:
            sms = parse_sms_config(load_toml(path))
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

    def sms_endpoint(self, *, session: str, path: Path) -> SmsEndpointView:
        """The endpoint saved in the config file at `path`, its secrets left out."""
        with self.ctx.acting(session, "settings.sms_endpoint", read=True):
            sms = load_toml(path).get("sms", {})
        http = sms.get("http", {}) if isinstance(sms.get("http"), dict) else {}
        headers = http.get("headers", {}) if isinstance(http.get("headers"), dict) else {}
        return SmsEndpointView(
            kind=str(sms.get("kind", "outbox")),
            url=str(http.get("url", "")),
            has_token=bool(headers.get("Authorization")),
            signature_header=str(http.get("signature_header") or ""),
            has_signature_secret=bool(http.get("signature_secret")),
        )

    def save_sms_endpoint(
        self,
        *,
        session: str,
        path: Path,
        kind: str,
        url: str,
        token: str | None = None,
        signature_header: str = "",
        signature_secret: str | None = None,
    ) -> SmsEndpointView:
        """What the settings page edits, merged into the saved [sms] table (the other
        keys, the body template say, stay). `token` and `signature_secret`: None keeps
        the saved one, "" removes it. Validated whole before anything is written."""
        with self.ctx.acting(session, "settings.save_sms_endpoint") as act:
            sms = _edited_sms(
                load_toml(path).get("sms", {}),
                kind=kind,
                url=url,
                token=token,
                signature_header=signature_header,
                signature_secret=signature_secret,
            )
            write_sms_config(path, sms)
            audit.record(act.db, at=act.now, actor=act.by, action="sms_endpoint_saved",
                         kind=kind)  # fmt: skip
        return self.sms_endpoint(session=session, path=path)

    async def _send_once(self, message: SmsMessage, sms: SmsConfig | None) -> TestSmsResult:
        # A fresh client on this call's own loop: the running one belongs to another loop.
        from beian_desktop.services.sending.http_sender import HttpSender  # see Beian.open

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


def _set_starts(db: Any, starts: Mapping[str, date | None], *, by: str, at: Any) -> int:
    """Sets each province's start date, auditing each change; refuses the whole set
    when any code or date is wrong."""
    provinces = {p.code: p for p in db.scalars(select(Province).where(Province.code.in_(
        [c for c in starts if _province_code(c)])))}  # fmt: skip
    errors = []
    for code, start in starts.items():
        if code not in provinces:
            errors.append(FieldError("province_code", "unknown_province", f"省份不存在：{code}",
                                     f"is not a known province: {code}"))  # fmt: skip
        elif start is not None and (not isinstance(start, date) or isinstance(start, datetime)):
            errors.append(
                FieldError("verification_from", "not_a_date", "应为日期", "must be a date")
            )
    if errors:
        raise ValidationFailed(errors)
    changed = 0
    for code, start in starts.items():
        province = provinces[code]
        before = province.verification_from
        if before == start:
            continue
        province.verification_from = start
        changed += 1
        audit.record(db, at=at, actor=by, action="province_changed", province=code,
                     before=str(before), after=str(start))  # fmt: skip
    return changed


def _edited_sms(
    saved: dict[str, Any],
    *,
    kind: str,
    url: str,
    token: str | None,
    signature_header: str,
    signature_secret: str | None,
) -> dict[str, Any]:
    """The saved [sms] table with the settings page's edits; None keeps a secret."""
    sms = dict(saved)
    sms["kind"] = kind
    if kind != "http":
        return sms
    http = dict(sms.get("http", {}))
    http["url"] = url.strip()
    headers = dict(http.get("headers", {}))
    if token is not None:
        headers.pop("Authorization", None)
        if token.strip():
            value = token.strip()
            headers["Authorization"] = value if " " in value else BEARER + value
    if headers:
        http["headers"] = headers
    else:
        http.pop("headers", None)
    if signature_secret is not None:
        http.pop("signature_secret", None)
        if signature_secret.strip():
            http["signature_secret"] = signature_secret.strip()
    if signature_header.strip():
        http["signature_header"] = signature_header.strip()
    else:
        http.pop("signature_header", None)
    sms["http"] = http
    return sms
