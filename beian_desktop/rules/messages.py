"""The answers of SPEC §5, word for word. XXX is the verifier's name."""

from __future__ import annotations

from datetime import datetime

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.terms import CheckResult, ResendRefusal, SmsHandOver


def check_message(result: CheckResult, name: str) -> str:
    return {
        CheckResult.VERIFIED_OTHERS_PENDING: (
            f"{name}的短信核验完成。请等待其他待核验人进行短信核验。"
        ),
        CheckResult.VERIFIED_REQUEST_COMPLETE: (
            f"{name}的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。"
        ),
        CheckResult.ALREADY_VERIFIED: f"{name}的短信核验已经完成，无需重复提交",
        CheckResult.NO_RECORD: "该条验证库里找不到记录。",
        CheckResult.WRONG: f"{name}的短信核验失败，请输入正确的信息。",
    }[result]


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
            assert retry_at is not None  # a refusal for timing says when
            return f"核验短信尚未发出，将于{_when(retry_at)}左右发送，请稍候。"
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
