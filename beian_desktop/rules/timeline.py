"""A request's timeline (处理记录) as sentences people read, in Chinese or English:
"10:31 客服 李娜 代 张三（138****8000）输入核验码，错误，剩余 2 次".

Fed by the read model (`TimelineEntry`: the raw audit event, the actor's display name
and role, the verifier it names with the number masked); times in Beijing time. Every
audit action that can reach a request's timeline has a sentence in `SENTENCES`
(tests/unit/test_timeline_sentences.py finds them in the code and fails on one
without). An action this version does not know is shown as stored, never dropped.

One code check writes a `code_checked` event after the try it made (`wrong_try`,
`verified`): `fold` puts the two on one line, so a check reads once. The raw events
stay with the line (`TimelineLine.entries`) for the details and the exports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.errors import in_language
from beian_desktop.rules.messages import return_reason_words
from beian_desktop.rules.permissions import PERMISSION_NAMES, Permission
from beian_desktop.rules.read_models import TimelineEntry
from beian_desktop.terms import CheckResult, SmsKind

SYSTEM_ROLE = "system"

# "客服 李娜": the role as a word before the name (short forms of the window's names).
_ROLE_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "isp_staff": ("接入商", "ISP staff"),
        "help_desk": ("客服", "Help desk"),
        "supervisor": ("主管", "Supervisor"),
        "bureau_reviewer": ("管局审核员", "Bureau reviewer"),
        "administrator": ("管理员", "Administrator"),
    }
)


# -- the pieces of a sentence ----------------------------------------------------------------
def _text(entry: TimelineEntry, key: str) -> str:
    value = entry.details.get(key)
    return "" if value is None else str(value)


def _number(entry: TimelineEntry, key: str) -> int | None:
    value = entry.details.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def who(entry: TimelineEntry, language: str) -> str:
    """The actor: "客服 李娜", or 系统 for the scheduler and anyone no user matches."""
    if entry.actor_role == SYSTEM_ROLE or entry.actor_role not in _ROLE_WORDS:
        return in_language(language, "系统", "The system")
    zh, en = _ROLE_WORDS[entry.actor_role]
    role = in_language(language, zh, en)
    return f"{role} {entry.actor_name}" if entry.actor_name else role


def person(entry: TimelineEntry, language: str) -> str:
    """The verifier the event is about: "张三（138****8000）"."""
    name = entry.verifier_name or _text(entry, "verifier")
    phone = entry.verifier_phone_masked or _text(entry, "phone")
    if name and phone:
        return in_language(language, f"{name}（{phone}）", f"{name} ({phone})")
    return name or phone or in_language(language, "核验人", "a verifier")


def _then(words: str) -> str:
    """Chinese words followed by more: a space, unless they end in a full-width
    bracket ("张三（138****8000）输入", but "张三 输入")."""
    return words if words.endswith("）") else words + " "


def clock_time(moment: datetime, language: str, *, day_of: datetime | None = None) -> str:
    """HH:MM in Beijing time, with the day when it is not `day_of`'s."""
    local = in_shanghai(moment)
    if day_of is not None and in_shanghai(day_of).date() == local.date():
        return local.strftime("%H:%M")
    return local.strftime("%m-%d %H:%M" if language.lower().startswith("zh") else "%d %b %H:%M")


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# -- the sentences -----------------------------------------------------------------------------
Sentence = Callable[[TimelineEntry, str], str]


def _said(zh: str, en: str) -> Sentence:
    """A sentence that is the actor and a fixed phrase."""
    return lambda e, lang: f"{who(e, lang)} " + in_language(lang, zh, en)


_NO_VERIFICATION_BECAUSE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "province_not_enabled": ("该省份未开通短信核验", "the province does not verify by SMS"),
        "remarks_only": ("仅变更备注", "only the remarks changed"),
        "cancellation_not_verified": (
            "该类注销业务不需核验",
            "this cancellation is not verified",
        ),
    }
)


def _no_verification_needed(e: TimelineEntry, lang: str) -> str:
    zh, en = _NO_VERIFICATION_BECAUSE.get(_text(e, "because"), ("", ""))
    return in_language(
        lang,
        f"无需短信核验{'（' + zh + '）' if zh else ''}，直接转管局审核",
        f"No SMS verification needed{' (' + en + ')' if en else ''}: "
        "the request goes straight to bureau review",
    )


def _round_started(e: TimelineEntry, lang: str) -> str:
    number, count = _number(e, "round"), _number(e, "verifiers")
    everyone = _text(e, "quorum") != "any"
    due = _moment(_text(e, "sms_due_at"))
    when = clock_time(due, lang, day_of=e.at) if due is not None else ""
    zh = f"第 {number or '?'} 轮短信核验开始：{count or '?'} 位核验人，"
    zh += "须全部核验" if everyone else "任一人核验即可"
    en = f"Round {number or '?'} of SMS verification started: "
    en += _plural(count, "verifier", "verifiers") if count is not None else "? verifiers"
    en += ", all must verify" if everyone else ", any one suffices"
    if when:
        zh += f"；短信将于 {when} 发出"
        en += f"; the SMS goes out at {when}"
    return in_language(lang, zh, en)


_SMS_KIND: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        SmsKind.INITIAL: ("核验短信", "the verification SMS"),
        SmsKind.AUTO_RESEND: ("中午自动重发的核验短信", "the noon resend"),
        SmsKind.MANUAL_RESEND: ("重发的核验短信", "the resent code"),
    }
)


def _sms_sent(e: TimelineEntry, lang: str) -> str:
    what_zh, what_en = _SMS_KIND.get(_text(e, "kind"), _SMS_KIND[SmsKind.INITIAL])
    sender, attempts = _text(e, "sender_number"), _number(e, "attempts")
    zh = f"{who(e, lang)} 向 {_then(person(e, lang))}发送{what_zh}"
    en = f"{who(e, lang)} sent {what_en} to {person(e, lang)}"
    if sender:
        zh += f"（发送号码 {sender}）"
        en += f" from {sender}"
    if attempts is not None and attempts > 1:
        zh += f"，第 {attempts} 次尝试成功"
        en += f", on try {attempts}"
    return in_language(lang, zh, en)


def _sms_failed(e: TimelineEntry, lang: str) -> str:
    error = _text(e, "error")
    return in_language(
        lang,
        f"{who(e, lang)} 向 {_then(person(e, lang))}发送短信失败" + (f"：{error}" if error else ""),
        f"{who(e, lang)} could not send the SMS to {person(e, lang)}"
        + (f": {error}" if error else ""),
    )


_CHECK_RESULT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        CheckResult.VERIFIED_OTHERS_PENDING: ("核验成功", "verified"),
        CheckResult.VERIFIED_REQUEST_COMPLETE: ("核验成功", "verified"),
        CheckResult.ALREADY_VERIFIED: (
            "已核验过，无需重复提交",
            "already verified, nothing to submit again",
        ),
        CheckResult.NO_RECORD: ("找不到待核验的记录", "no pending verification found"),
        CheckResult.WRONG: ("错误", "wrong"),
        CheckResult.NOT_SENT_YET: (
            "核验短信尚未发出，不计次数",
            "the SMS had not gone out yet, not counted",
        ),
    }
)


def _entered_a_code(e: TimelineEntry, lang: str, zh: str, en: str) -> str:
    return in_language(
        lang,
        f"{who(e, lang)} 代 {_then(person(e, lang))}输入核验码，{zh}",
        f"{who(e, lang)} entered a code for {person(e, lang)}: {en}",
    )


def _code_checked(e: TimelineEntry, lang: str) -> str:
    zh, en = _CHECK_RESULT.get(_text(e, "result"), (_text(e, "result"), _text(e, "result")))
    return _entered_a_code(e, lang, zh, en)


def _wrong_try(e: TimelineEntry, lang: str) -> str:
    tries, limit = _number(e, "wrong_tries"), _number(e, "limit")
    if tries is None or limit is None:
        return _entered_a_code(e, lang, "错误", "wrong")
    left = max(limit - tries, 0)
    if left == 0:
        return _entered_a_code(e, lang, "错误，次数已用完", "wrong, no tries left")
    return _entered_a_code(
        e, lang, f"错误，剩余 {left} 次", "wrong, " + _plural(left, "try", "tries") + " left"
    )


def _verified(e: TimelineEntry, lang: str) -> str:
    return _entered_a_code(e, lang, "核验成功", "verified")


def _resent(e: TimelineEntry, lang: str) -> str:
    if _text(e, "kind") == SmsKind.AUTO_RESEND:
        return in_language(
            lang,
            f"{who(e, lang)} 于中午自动为 {_then(person(e, lang))}重发验证码",
            f"{who(e, lang)} resent the code to {person(e, lang)} (the noon resend)",
        )
    if e.details.get("on_behalf"):
        return in_language(
            lang,
            f"{who(e, lang)} 应来电人要求为 {_then(person(e, lang))}重发验证码",
            f"{who(e, lang)} resent the code to {person(e, lang)} for the caller",
        )
    return in_language(
        lang,
        f"{who(e, lang)} 为 {_then(person(e, lang))}重发验证码",
        f"{who(e, lang)} resent the code to {person(e, lang)}",
    )


def _verification_passed(e: TimelineEntry, lang: str) -> str:
    number = _number(e, "round") or "?"
    return in_language(
        lang, f"第 {number} 轮短信核验通过", f"Round {number} of SMS verification passed"
    )


def _returned(e: TimelineEntry, lang: str) -> str:
    """Every verifier the return names (an event written before returns named them all
    has one, as `verifier`)."""
    number = _number(e, "round") or "?"
    why = return_reason_words(_text(e, "reason"), lang)
    named = e.details.get("verifiers")
    names = [str(n) for n in named] if isinstance(named, list) else []
    if not names and (e.verifier_name or _text(e, "verifier")):
        names = [e.verifier_name or _text(e, "verifier")]
    name = in_language(lang, "、", ", ").join(names)
    because_zh = "：".join(p for p in (name, why) if p)
    because_en = ": ".join(p for p in (name, why) if p)
    return in_language(
        lang,
        f"第 {number} 轮短信核验未通过{'（' + because_zh + '）' if because_zh else ''}，"
        "申请退回接入商",
        f"Round {number} of SMS verification failed"
        f"{' (' + because_en + ')' if because_en else ''}: the request was returned to the ISP",
    )


def _auto_resend_skipped(e: TimelineEntry, lang: str) -> str:
    """SPEC §4: a code sent within the resend spacing of noon keeps working."""
    name = e.verifier_name or _text(e, "verifier")
    sent = _moment(_text(e, "last_sent_at"))
    at = clock_time(sent, lang, day_of=e.at) if sent is not None else ""
    return f"{who(e, lang)} " + in_language(
        lang,
        f"中午自动重发时跳过{name}（{at} 刚发过核验码，该码继续有效）",
        f"skipped the noon resend to {name}: a code went out at {at} and keeps working",
    )


def _draft_created(e: TimelineEntry, lang: str) -> str:
    """A draft typed in, or one that came from an Excel import (which file, which rows)."""
    source = _text(e, "import_file")
    if not source:
        return f"{who(e, lang)} " + in_language(lang, "新建草稿", "created the draft")
    rows = e.details.get("import_rows")
    numbers = (
        in_language(lang, "、", ", ").join(str(r) for r in rows) if isinstance(rows, list) else ""
    )
    return f"{who(e, lang)} " + in_language(
        lang,
        f"从 Excel 导入草稿（{source}，第 {numbers} 行）",
        f"imported the draft from Excel ({source}, row(s) {numbers})",
    )


def _approved(e: TimelineEntry, lang: str) -> str:
    subject = _text(e, "subject_icp_number")
    sites_value = e.details.get("website_icp_numbers")
    sites = [str(s) for s in sites_value] if isinstance(sites_value, list) else []
    zh = f"{who(e, lang)} 审核通过"
    en = f"{who(e, lang)} approved the request"
    if subject:
        zh += f"，备案号 {subject}"
        en += f": ICP number {subject}"
    if sites:
        zh += f"，网站备案号 {'、'.join(sites)}"
        en += f"; websites {', '.join(sites)}"
    return in_language(lang, zh, en)


def _with_text(key: str, zh: str, en: str) -> Sentence:
    """The actor, a phrase, and a text they wrote (a reason, a note)."""

    def sentence(e: TimelineEntry, lang: str) -> str:
        text = _text(e, key)
        return in_language(
            lang,
            f"{who(e, lang)} {zh}" + (f"：{text}" if text else ""),
            f"{who(e, lang)} {en}" + (f": {text}" if text else ""),
        )

    return sentence


_REVEAL_FIELD: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "subject.id_number": ("主体证件号码", "subject's document number"),
        "principal.id_number": ("证件号码", "document number"),
        "principal.phone": ("手机号码", "mobile number"),
        "verifier.phone": ("手机号码", "mobile number"),
    }
)
_REVEAL_REFUSAL: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "permission_denied": ("角色无此权限", "the role may not see it"),
        "not_found": ("不属于本申请", "not part of this request"),
    }
)


def _whose(e: TimelineEntry, lang: str) -> str:
    """ "张三 的完整手机号码" / "张三's mobile number in full"."""
    zh, en = _REVEAL_FIELD.get(_text(e, "field"), ("号码", "number"))
    name = _text(e, "name")
    if name:
        return in_language(lang, f"{name} 的完整{zh}", f"{name}'s {en} in full")
    return in_language(lang, f"完整{zh}", f"a {en} in full")


def _revealed(e: TimelineEntry, lang: str) -> str:
    return in_language(
        lang, f"{who(e, lang)} 查看了 {_whose(e, lang)}", f"{who(e, lang)} viewed {_whose(e, lang)}"
    )


def _reveal_failed(e: TimelineEntry, lang: str) -> str:
    zh, en = _REVEAL_REFUSAL.get(_text(e, "reason"), ("", ""))
    return in_language(
        lang,
        f"{who(e, lang)} 要求查看 {_whose(e, lang)}，被拒绝" + (f"：{zh}" if zh else ""),
        f"{who(e, lang)} asked to view {_whose(e, lang)}: refused" + (f", {en}" if en else ""),
    )


# The reasons of services/sessions.py, as a clause.
_REFUSAL_REASON: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "role": ("角色无此权限", "the role may not do it"),
        "no_session": ("未登录", "not signed in"),
        "unknown_session": ("登录已失效", "the sign-in was no longer valid"),
        "expired": ("登录已过期", "the sign-in had expired"),
        "revoked": ("登录已被撤销", "the sign-in was revoked"),
        "locked_session": ("工作站已锁定", "the workstation was locked"),
        "inactive": ("账户已停用", "the account is disabled"),
        "locked_out": ("账户已锁定", "the account was locked"),
        "must_change_password": ("须先修改密码", "the password had to be changed first"),
    }
)


def _permission_denied(e: TimelineEntry, lang: str) -> str:
    try:
        zh, en = PERMISSION_NAMES[Permission(_text(e, "permission"))]
    except ValueError:
        zh, en = "", ""
    why_zh, why_en = _REFUSAL_REASON.get(_text(e, "reason"), ("", ""))
    if e.actor_role not in _ROLE_WORDS:  # no session resolved to anyone: nobody to name
        return in_language(
            lang,
            "操作被拒绝" + (f"：{zh}" if zh else "") + (f"（{why_zh}）" if why_zh else ""),
            "Refused" + (f": {en}" if en else "") + (f" ({why_en})" if why_en else ""),
        )
    return in_language(
        lang,
        f"{who(e, lang)} 的操作被拒绝"
        + (f"：{zh}" if zh else "")
        + (f"（{why_zh}）" if why_zh else ""),
        f"{who(e, lang)} was refused"
        + (f": {en}" if en else "")
        + (f" ({why_en})" if why_en else ""),
    )


SENTENCES: Mapping[str, Sentence] = MappingProxyType(
    {
        "draft_created": _draft_created,
        "draft_saved": _said("保存草稿", "saved the draft"),
        "draft_deleted": _said("删除草稿", "deleted the draft"),
        "submitted": _said("提交申请", "submitted the request"),
        "resubmitted": _said("重新提交申请", "resubmitted the request"),
        "no_verification_needed": _no_verification_needed,
        "round_started": _round_started,
        "sms_sent": _sms_sent,
        "sms_failed": _sms_failed,
        "code_checked": _code_checked,
        "wrong_try": _wrong_try,
        "verified": _verified,
        "resent": _resent,
        "auto_resend_skipped": _auto_resend_skipped,
        "verification_passed": _verification_passed,
        "returned": _returned,
        "phone_change_approved": _said(
            "批准新手机号码，开始在新号码上核验",
            "approved the new mobile number; verification at the new number begins",
        ),
        "approved": _approved,
        "rejected": _with_text("reason", "驳回申请", "rejected the request"),
        "note_added": _with_text("note", "添加备注", "added a note"),
        "handed_back": _with_text("note", "交回接入商", "handed it back to the ISP"),
        "revealed": _revealed,
        "reveal_failed": _reveal_failed,
        "permission_denied": _permission_denied,
    }
)


def sentence(entry: TimelineEntry, language: str) -> str:
    """What happened, in a sentence; an action this version does not know, as stored."""
    build = SENTENCES.get(entry.action)
    if build is None:
        return f"{who(entry, language)}：{entry.action}"
    return build(entry, language)


def line(entry: TimelineEntry, language: str) -> str:
    """The sentence after its Beijing time: "10:31 客服 李娜 代 ..."."""
    return f"{clock_time(entry.at, language, day_of=entry.at)} {sentence(entry, language)}"


# -- one line per thing that happened ------------------------------------------------------
@dataclass(frozen=True)
class TimelineLine:
    """One line of the timeline: `entries[0]` says it; a code check's own event, folded
    into the try it made, follows it (all of them are the line's raw details)."""

    entries: tuple[TimelineEntry, ...]

    @property
    def entry(self) -> TimelineEntry:
        return self.entries[0]

    def sentence(self, language: str) -> str:
        return sentence(self.entry, language)

    def details(self) -> list[tuple[str, dict[str, object]]]:
        """Each event's action and raw details, as stored."""
        return [(e.action, e.details) for e in self.entries]


# The try a check's result says it made.
_TRY_OF_RESULT: Mapping[str, str] = MappingProxyType(
    {
        CheckResult.WRONG: "wrong_try",
        CheckResult.VERIFIED_OTHERS_PENDING: "verified",
        CheckResult.VERIFIED_REQUEST_COMPLETE: "verified",
    }
)


def fold(entries: Sequence[TimelineEntry]) -> list[TimelineLine]:
    """The entries in order, one line each, except a `code_checked` that closes a try
    of the same actor at the same moment: it joins that try's line. A check whose try
    left no event of its own here (already verified, not sent yet) keeps its line."""
    lines: list[list[TimelineEntry]] = []
    for entry in entries:
        closes = _try_closed_by(lines, entry) if entry.action == "code_checked" else None
        if closes is None:
            lines.append([entry])
        else:
            closes.append(entry)
    return [TimelineLine(tuple(group)) for group in lines]


def _try_closed_by(
    lines: list[list[TimelineEntry]], check: TimelineEntry
) -> list[TimelineEntry] | None:
    """The latest line of the same moment that is the try this check made, if any."""
    wanted = _TRY_OF_RESULT.get(_text(check, "result"))
    for group in reversed(lines):
        head = group[0]
        if head.at != check.at:
            return None
        if head.action == wanted and head.actor == check.actor and len(group) == 1:
            return group
    return None
