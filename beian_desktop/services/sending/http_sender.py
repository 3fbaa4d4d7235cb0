"""Sending through the configured HTTP endpoint (SPEC §4).

Classifies every answer so the dispatcher knows what to do: timeouts, connection
errors, 5xx and 429 are worth another try (429's Retry-After is passed on); any
other refusal is final and kept with the endpoint's words, less anything of the
message it may echo (its text, code, phone and name are removed before the words
are cut short). The idempotency key goes in a header and, by default, in the body,
the same on every try of one intent.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from beian_desktop.rules.masking import redact_answer
from beian_desktop.rules.placeholders import fill
from beian_desktop.services.sending.senders import SendFailed, SendReceipt, SmsMessage
from beian_desktop.services.sending.sms_config import HttpEndpoint

IDEMPOTENCY_HEADER = "Idempotency-Key"
ANSWER_KEPT = 500  # characters of an endpoint's answer a failure carries
ANSWER_READ = 10_000  # characters of it searched for the message's secrets first


def render_body(template: Any, values: dict[str, str]) -> Any:
    """Fills "{placeholder}" strings anywhere in the JSON template."""
    if isinstance(template, str):
        return fill(template, values)
    if isinstance(template, dict):
        return {key: render_body(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [render_body(item, values) for item in template]
    return template


def dig(data: Any, dotted: str | None) -> Any:
    """`a.b.c` in a JSON answer, or None where the path does not exist."""
    if not dotted:
        return None
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class HttpSender:
    """Sends over at most `max_concurrency` keep-alive connections, each in a client of
    its own that a send borrows for its request. One shared client with that many
    connections costs more per request: httpcore's pool checks every connection of it
    (a poll() each for the idle ones) whenever a request starts or ends."""

    def __init__(self, endpoint: HttpEndpoint, client: httpx.AsyncClient | None = None) -> None:
        self.endpoint = endpoint
        self._url = httpx.URL(endpoint.url)  # parsed once, not on every send
        self._timeout = httpx.Timeout(endpoint.timeout_seconds)
        self._given = client  # a caller's client is shared by every send
        self._lanes = asyncio.Semaphore(max(endpoint.max_concurrency, 1))
        self._idle: list[httpx.AsyncClient] = []
        self._opened: list[httpx.AsyncClient] = []

    @contextlib.asynccontextmanager
    async def _client(self) -> AsyncIterator[httpx.AsyncClient]:
        async with self._lanes:  # so never more clients than lanes
            if self._given is not None:
                yield self._given
                return
            if self._idle:
                client = self._idle.pop()  # the last returned: its connection is warm
            else:
                client = httpx.AsyncClient(
                    timeout=self._timeout, limits=httpx.Limits(max_connections=1)
                )
                self._opened.append(client)
            try:
                yield client
            finally:
                self._idle.append(client)

    def fresh(self) -> HttpSender:
        """The same endpoint with no connections yet, for another event loop."""
        return HttpSender(self.endpoint)

    async def aclose(self) -> None:
        for client in self._opened:
            await client.aclose()
        self._opened.clear()
        self._idle.clear()
        if self._given is not None:
            await self._given.aclose()

    def _request(self, message: SmsMessage) -> tuple[bytes, dict[str, str]]:
        values = {
            "phone": message.phone,
            "text": message.text,
            "sender": message.sender_number,
            "idempotency_key": message.idempotency_key,
            "code": message.code,
            "name": message.name,
            "deadline": message.deadline,
            "link": message.link,
        }
        body = json.dumps(render_body(self.endpoint.body, values), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            IDEMPOTENCY_HEADER: message.idempotency_key,
            **self.endpoint.headers,
        }
        if self.endpoint.signature_header and self.endpoint.signature_secret:
            headers[self.endpoint.signature_header] = signature(
                self.endpoint.signature_secret, body
            )
        return body, headers

    async def send(self, message: SmsMessage) -> SendReceipt:
        body, headers = self._request(message)
        try:
            async with self._client() as client:
                response = await client.request(
                    self.endpoint.method,
                    self._url,
                    content=body,
                    headers=headers,
                    timeout=self._timeout,
                )
        except httpx.TimeoutException as problem:
            raise SendFailed(f"timeout: {problem!r}", retryable=True) from problem
        except httpx.TransportError as problem:
            raise SendFailed(f"connection: {problem!r}", retryable=True) from problem
        status = response.status_code
        if status == 429:
            raise SendFailed(
                "429 Too Many Requests",
                retryable=True,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        if status >= 500:
            raise SendFailed(f"{status}: {_said(response, message)}", retryable=True)
        if status not in self.endpoint.accepted_statuses:
            raise SendFailed(f"{status}: {_said(response, message)}", retryable=False)
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = {}
        if self.endpoint.accepted_field is not None:
            got = dig(answer, self.endpoint.accepted_field)
            if str(got) != str(self.endpoint.accepted_value):
                raise SendFailed(f"refused: {_said(response, message)}", retryable=False)
        message_id = dig(answer, self.endpoint.message_id_field)
        delivery = dig(answer, self.endpoint.delivery_status_field)
        return SendReceipt(
            endpoint_message_id=str(message_id) if message_id is not None else None,
            delivery_status=normalize_delivery_status(delivery),
        )

    async def delivery_status(self, message_id: str) -> str | None:
        """Asks the configured status URL; None when it cannot tell yet."""
        if not self.endpoint.status_url:
            return None
        url = fill(self.endpoint.status_url, {"message_id": quote(message_id, safe="")})
        try:
            async with self._client() as client:
                response = await client.get(url, headers=self.endpoint.headers)
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        try:
            answer = response.json()
        except ValueError:
            return None
        return normalize_delivery_status(dig(answer, self.endpoint.delivery_status_field))


def _said(response: httpx.Response, message: SmsMessage) -> str:
    """The endpoint's answer as a failure may carry it: what it echoed of the message
    removed, then cut short."""
    return redact_answer(response.text[:ANSWER_READ], message.secrets, limit=ANSWER_KEPT)


_DELIVERED = {"delivered", "delivrd", "success", "ok", "done", "received"}
_FAILED = {"failed", "undelivered", "undeliv", "rejected", "expired", "error"}


def normalize_delivery_status(value: object) -> str | None:
    """Endpoints spell it many ways; we keep three words: delivered, failed, unknown."""
    if value is None:
        return None
    word = str(value).strip().lower()
    if word in _DELIVERED:
        return "delivered"
    if word in _FAILED:
        return "failed"
    return "unknown"
