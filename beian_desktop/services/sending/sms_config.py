"""The SMS endpoint an administrator configures, read from a TOML file.

`outbox` (the embedded default) keeps messages locally; `http` posts them to the
operator's gateway. The file lives in the user's config directory, or where
`--config` / BEIAN_CONFIG points. A bad file is refused whole, naming the key.

    [sms]
    kind = "http"
    template = "【ICP备案】{name}您好，核验码{code}，请于{deadline}前完成核验。{link}"
    link = "https://beian.example.cn/verify"
    lease_seconds = 120   # how long a dispatcher's claim on its SMS lasts unless renewed
                          # (it is, while they are in flight); only after it lapsed, when
                          # the dispatcher died, does another take them over

    [sms.http]
    url = "https://sms.example.cn/send"
    method = "POST"
    timeout_seconds = 10
    headers = { Authorization = "Bearer TOKEN" }
    body = { to = "{phone}", text = "{text}", from = "{sender}", key = "{idempotency_key}" }
    accepted_statuses = [200, 202]
    accepted_field = "code"          # optional: this field of the JSON answer ...
    accepted_value = "OK"            # ... must equal this
    message_id_field = "message_id"  # where the endpoint's id is in its answer
    delivery_status_field = "status"
    status_url = "https://sms.example.cn/status/{message_id}"   # optional, polled
    signature_header = "X-Signature" # optional HMAC-SHA256 of the body, hex
    signature_secret = "..."
    max_concurrency = 8
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from beian_desktop.rules.errors import FieldError, ValidationFailed
from beian_desktop.rules.placeholders import unknown_placeholders
from beian_desktop.rules.sms_text import DEFAULT_TEMPLATE, TEMPLATE_PLACEHOLDERS

DEFAULT_BODY: dict[str, Any] = {
    "phone": "{phone}",
    "text": "{text}",
    "sender": "{sender}",
    "idempotency_key": "{idempotency_key}",
    "params": {"code": "{code}", "name": "{name}", "deadline": "{deadline}"},
}
PLACEHOLDERS = frozenset(
    {"phone", "text", "sender", "idempotency_key", "code", "name", "deadline", "link"}
)


@dataclass(frozen=True)
class HttpEndpoint:
    url: str
    method: str = "POST"
    timeout_seconds: float = 10.0
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_BODY))
    accepted_statuses: tuple[int, ...] = (200, 201, 202)
    accepted_field: str | None = None
    accepted_value: str | None = None
    message_id_field: str | None = "message_id"
    delivery_status_field: str | None = "status"
    status_url: str | None = None
    signature_header: str | None = None
    signature_secret: str | None = None
    max_concurrency: int = 8


@dataclass(frozen=True)
class SmsConfig:
    kind: Literal["outbox", "http"] = "outbox"
    template: str = DEFAULT_TEMPLATE
    link: str = ""
    http: HttpEndpoint | None = None
    lease_seconds: float = 120.0


def _error(key: str, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed([FieldError(key, "bad_config", zh, en)])


def _texts(value: Any, key: str) -> list[tuple[str, str]]:
    """Every string in a JSON body template, with where it sits."""
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, f"{key}.{k}")]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, f"{key}[{i}]")]
    return []


def _check_placeholders(key: str, text: str, known: frozenset[str] | set[str]) -> None:
    unknown = unknown_placeholders(text, known)
    if unknown:
        names = "、".join("{" + n + "}" for n in unknown)
        allowed = ", ".join("{" + n + "}" for n in sorted(known))
        raise _error(
            key,
            f"未知的占位符 {names}；可用的占位符：{allowed}",
            f"has unknown placeholders {', '.join('{' + n + '}' for n in unknown)}; "
            f"known ones: {allowed}",
        )


def parse_sms_config(data: dict[str, Any]) -> SmsConfig:
    sms = data.get("sms", {})
    kind = sms.get("kind", "outbox")
    if kind not in ("outbox", "http"):
        raise _error("sms.kind", "应为 outbox 或 http", 'must be "outbox" or "http"')
    template = sms.get("template", DEFAULT_TEMPLATE)
    if not isinstance(template, str):
        raise _error("sms.template", "应为文本", "must be text")
    _check_placeholders("sms.template", template, TEMPLATE_PLACEHOLDERS)
    if "{code}" not in template:
        raise _error("sms.template", "模板必须包含 {code}", "must contain {code}")
    lease = sms.get("lease_seconds", SmsConfig.lease_seconds)
    if isinstance(lease, bool) or not isinstance(lease, int | float) or not 1 <= lease <= 3600:
        raise _error("sms.lease_seconds", "应为 1 到 3600 之间的秒数", "must be 1 to 3600 seconds")
    http = None
    if kind == "http":
        raw = dict(sms.get("http", {}))
        if not str(raw.get("url", "")).startswith(("http://", "https://")):
            raise _error(
                "sms.http.url",
                "应为 http:// 或 https:// 地址",
                "must be an http:// or https:// URL",
            )
        unknown = set(raw) - set(HttpEndpoint.__dataclass_fields__)
        if unknown:
            key = sorted(unknown)[0]
            raise _error(f"sms.http.{key}", "未知的配置项", "is not a known setting")
        if "accepted_statuses" in raw:
            raw["accepted_statuses"] = tuple(int(s) for s in raw["accepted_statuses"])
        if bool(raw.get("signature_header")) != bool(raw.get("signature_secret")):
            raise _error(
                "sms.http.signature_secret",
                "签名头与密钥须同时设置",
                "signature_header and signature_secret go together",
            )
        for key, text in _texts(raw.get("body", {}), "sms.http.body"):
            _check_placeholders(key, text, PLACEHOLDERS)
        if raw.get("status_url") is not None:
            _check_placeholders("sms.http.status_url", str(raw["status_url"]), {"message_id"})
        http = HttpEndpoint(**raw)
    return SmsConfig(
        kind=kind, template=template, link=sms.get("link", ""), http=http,
        lease_seconds=float(lease),
    )  # fmt: skip


def load_toml(path: Path | None) -> dict[str, Any]:
    if path is None or not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as problem:
        raise _error(
            str(path), f"配置文件格式错误：{problem}", f"is not valid TOML: {problem}"
        ) from problem
