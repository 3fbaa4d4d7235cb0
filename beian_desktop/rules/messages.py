"""The answers of SPEC §5, word for word (XXX is the verifier's name), and what the
desk tells a caller around them, in Chinese and English.

The Chinese answers are the ministry's own words: `check_message` and the resend
messages return exactly them, and `CheckOutcome.message` carries them whatever the
desk's language. `check_answer` gives the same answer in the language of the screen
(the English is a rendering for staff, never read out as the official words).
"""

from __future__ import annotations

from datetime import datetime

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.rules.errors import in_language
from beian_desktop.terms import CheckResult, ResendRefusal, ReturnReason, SmsHandOver


def _not_sent_yet(when: datetime | None) -> str:
    assert when is not None  # an answer for timing says when
    return f"核验短信尚未发出，将于{_when(when)}左右发送，请稍候。"


def check_message(result: CheckResult, name: str, when: datetime | None = None) -> str:
    """SPEC §5's answer; `when` is the first SMS's time for NOT_SENT_YET."""
    match result:
        case CheckResult.VERIFIED_OTHERS_PENDING:
            return f"{name}的短信核验完成。请等待其他待核验人进行短信核验。"
        case CheckResult.VERIFIED_REQUEST_COMPLETE:
            return f"{name}的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。"
        case CheckResult.ALREADY_VERIFIED:
            return f"{name}的短信核验已经完成，无需重复提交"
        case CheckResult.NO_RECORD:
            return "该条验证库里找不到记录。"
        case CheckResult.WRONG:
            return f"{name}的短信核验失败，请输入正确的信息。"
        case CheckResult.NOT_SENT_YET:
            return _not_sent_yet(when)
    raise ValueError(result)


def check_answer(
    result: CheckResult, name: str, language: str, when: datetime | None = None
) -> str:
    """The answer in the screen's language: §5's words in Chinese."""
    zh = check_message(result, name, when)
    match result:
        case CheckResult.VERIFIED_OTHERS_PENDING:
            en = f"{name} is verified. The other people named in the request still have to verify."
        case CheckResult.VERIFIED_REQUEST_COMPLETE:
            en = (
                f"{name} is verified. Everyone in the request has verified: "
                "it goes to the bureau for review."
            )
        case CheckResult.ALREADY_VERIFIED:
            en = f"{name} has already verified; there is nothing to submit again."
        case CheckResult.NO_RECORD:
            en = "No verification is waiting for this number."
        case CheckResult.WRONG:
            en = f"{name}'s verification failed: enter the correct information."
        case CheckResult.NOT_SENT_YET:
            assert when is not None  # an answer for timing says when
            return first_sms_message(when, language)
    return in_language(language, zh, en)


_RETURN_WHY: dict[str, tuple[str, str]] = {
    ReturnReason.TRIES_USED_UP: ("核验码输错次数已用完", "the tries were used up"),
    ReturnReason.EXPIRED: ("未在期限内完成核验", "it was not verified in time"),
    ReturnReason.UNDELIVERABLE: ("核验短信无法送达", "the SMS could not be delivered"),
}


def return_reason_words(reason: str | None, language: str) -> str:
    """Why a request came back, as a clause ("" for a reason this version does not know)."""
    zh, en = _RETURN_WHY.get(reason or "", ("", ""))
    return in_language(language, zh, en)


def returned_to_isp_message(reason: str | None, language: str) -> str:
    """What the desk says, and tells the caller, when a request has come back: it is
    with the ISP now, and only a resubmission brings a new code."""
    why_zh, why_en = return_reason_words(reason, "zh"), return_reason_words(reason, "en")
    zh = (
        f"整个申请已退回接入商{'（' + why_zh + '）' if why_zh else ''}。"
        "请告知来电人：接入商更正并重新提交申请后，会收到新的核验短信，届时再核验；"
        "在此之前无需再输入验证码。"
    )
    en = (
        f"The whole request has been returned to the ISP{' (' + why_en + ')' if why_en else ''}. "
        "Tell the caller: once the ISP corrects and resubmits it, a new SMS with a new "
        "code will come; until then there is no code to enter."
    )
    return in_language(language, zh, en)


def first_sms_message(when: datetime, language: str) -> str:
    """Before a round's first SMS: when it goes (the desk and the help desk agree)."""
    return in_language(
        language,
        _not_sent_yet(when),
        f"The SMS has not gone out yet; it goes at about {_when(when)}. Please wait.",
    )


RESEND_SENT = "您的短信已发送成功"


def resend_handed_over_message(handed_over: SmsHandOver) -> tuple[str, str]:
    """A granted resend's answer, in Chinese and English, by what the endpoint did with
    the SMS: only one it took is 已发送成功 (SPEC §5)."""
    match handed_over:
        case SmsHandOver.ACCEPTED:
            return RESEND_SENT, "Your SMS has been sent."
        case SmsHandOver.QUEUED:
            return (
                "短信接口暂时无法发送，您的短信已排队，接口恢复后将自动发出。",
                "The SMS endpoint cannot send right now: your SMS is queued and will go"
                " out as soon as the endpoint recovers.",
            )
        case SmsHandOver.REFUSED:
            return (
                "短信接口拒绝发送该短信，请核对手机号码或联系管理员。",
                "The SMS endpoint refused this SMS: check the mobile number or ask the"
                " administrator.",
            )
    raise ValueError(handed_over)


def _when(moment: datetime) -> str:
    return in_shanghai(moment).strftime("%Y-%m-%d %H:%M:%S")


def resend_refusal_message(refusal: ResendRefusal, retry_at: datetime | None) -> str:
    """Says why, and when it can be asked again (SPEC §5)."""
    match refusal:
        case ResendRefusal.NOTHING_PENDING:
            return "暂无待短信核验的备案申请，无需重发短信"
        case ResendRefusal.WRONG_ID_DIGITS:
            return "证件号码后六位不正确，请核对后重新申请重发。"
        case ResendRefusal.TOO_SOON:
            assert retry_at is not None  # a refusal for timing says when
            return f"两次发送间隔不足，请于{_when(retry_at)}后再申请重发。"
        case ResendRefusal.TOO_MANY:
            return (
                "本轮核验的手动重发次数已用完，本轮内不能再重发；"
                "如核验未完成，申请将被退回，重新提交后可再次核验。"
            )
        case ResendRefusal.NOT_SENT_YET:
            return _not_sent_yet(retry_at)
    raise ValueError(refusal)


def resend_refusal_message_en(refusal: ResendRefusal, retry_at: datetime | None) -> str:
    """`resend_refusal_message` in English; times are Beijing time."""
    match refusal:
        case ResendRefusal.NOTHING_PENDING:
            return "No filing is waiting for SMS verification at this number: no resend needed."
        case ResendRefusal.WRONG_ID_DIGITS:
            return "The last six characters of the ID number are wrong; check them and ask again."
        case ResendRefusal.TOO_SOON:
            assert retry_at is not None  # a refusal for timing says when
            return f"Too soon after the last SMS: ask again after {_when(retry_at)} (Beijing time)."
        case ResendRefusal.TOO_MANY:
            return (
                "This round's manual resends are used up; no more in this round. If the"
                " verification is not completed the request is returned, and a resubmission"
                " can be verified again."
            )
        case ResendRefusal.NOT_SENT_YET:
            assert retry_at is not None  # a refusal for timing says when
            return (
                f"The verification SMS has not gone out yet: it goes at about {_when(retry_at)}"
                " (Beijing time); please wait."
            )
    raise ValueError(refusal)
