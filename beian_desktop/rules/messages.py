"""The answers of SPEC §5, word for word. XXX is the verifier's name."""

from __future__ import annotations

from datetime import datetime

from beian_desktop.rules.clock import in_shanghai
from beian_desktop.terms import CheckResult, ResendRefusal


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
