"""The timeline as sentences (rules/timeline.py): every audit action that can reach a
request's timeline has one, in Chinese and English, naming people by display name,
numbers masked, times in Beijing time; a code check reads as one line."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from beian_desktop.rules.read_models import TimelineEntry
from beian_desktop.rules.timeline import SENTENCES, fold, line, sentence, who

PACKAGE = Path(__file__).resolve().parents[2] / "beian_desktop"
AT = datetime(2026, 11, 23, 2, 31, tzinfo=UTC)  # 10:31 in Beijing
LI = {"actor_name": "李娜", "actor_role": "help_desk"}
WANG = {"actor_name": "王芳", "actor_role": "isp_staff"}
ZHAO = {"actor_name": "赵敏", "actor_role": "bureau_reviewer"}
CHEN = {"actor_name": "陈静", "actor_role": "supervisor"}
SYSTEM = {"actor_name": "", "actor_role": "system"}
ZHANG = {"verifier_name": "张三", "verifier_phone_masked": "138****8000"}


def entry(
    action: str, details: dict[str, object], *people: dict[str, str], at=AT, actor="li.na"
) -> TimelineEntry:
    named: dict[str, str] = {}
    for part in people:
        named.update(part)
    return TimelineEntry(at, actor, action, details, **named)


# -- every action the code records with a request has a sentence -----------------------------
_RECORDERS = {"record", "event", "_event", "written_by_the_database"}


def _strings(node: ast.AST) -> list[str]:
    """The action names a node can be: a literal, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _is_none(node: ast.AST | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def timeline_actions() -> dict[str, str]:
    """Each action some call records with a request id (so it reaches that request's
    timeline), and where: `audit.record(..., action=, request_id=)`, `audit.event`,
    a check's `self._event(action, request_id)` and `written_by_the_database(action,
    request_id, ...)`."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
            if name not in _RECORDERS:
                continue
            keywords = {k.arg: k.value for k in call.keywords}
            if "action" in keywords:
                actions, request = _strings(keywords["action"]), keywords.get("request_id")
            elif len(call.args) >= 2 and _strings(call.args[0]):
                actions, request = _strings(call.args[0]), call.args[1]
            else:
                continue
            if not _is_none(request):
                for action in actions:
                    found.setdefault(action, f"{path.relative_to(PACKAGE)}:{call.lineno}")
    return found


def test_the_scan_finds_the_actions_the_timeline_is_made_of() -> None:
    found = timeline_actions()
    assert {"sms_sent", "wrong_try", "code_checked", "returned", "permission_denied"} <= set(found)
    assert "login" not in found  # recorded without a request: never in a timeline


def test_every_action_that_reaches_a_timeline_has_a_sentence() -> None:
    missing = {a: where for a, where in timeline_actions().items() if a not in SENTENCES}
    assert missing == {}, "add a sentence to rules/timeline.py SENTENCES"


# -- the sentences, word for word ------------------------------------------------------------
CASES = [
    (
        entry(
            "auto_resend_skipped",
            {"verifier_id": 5, "verifier": "张三", "last_sent_at": "2026-11-23T02:30:40+00:00"},
            SYSTEM,
            ZHANG,
        ),
        "系统 中午自动重发时跳过张三（10:30 刚发过核验码，该码继续有效）",
        "The system skipped the noon resend to 张三: a code went out at 10:30 and keeps working",
    ),
    (
        entry(
            "draft_created",
            {"business_type": "new_filing", "import_file": "客户.xlsx", "import_rows": [3, 4]},
            WANG,
        ),
        "接入商 王芳 从 Excel 导入草稿（客户.xlsx，第 3、4 行）",
        "ISP staff 王芳 imported the draft from Excel (客户.xlsx, row(s) 3, 4)",
    ),
    (
        entry("returned", {"round": 1, "reason": "expired", "verifiers": ["张三", "李四"]}, SYSTEM),
        "第 1 轮短信核验未通过（张三、李四：未在期限内完成核验），申请退回接入商",
        "Round 1 of SMS verification failed (张三, 李四: it was not verified in time): "
        "the request was returned to the ISP",
    ),
    (
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 1, "limit": 3}, LI, ZHANG),
        "客服 李娜 代 张三（138****8000）输入核验码，错误，剩余 2 次",
        "Help desk 李娜 entered a code for 张三 (138****8000): wrong, 2 tries left",
    ),
    (
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 2, "limit": 3}, LI, ZHANG),
        "客服 李娜 代 张三（138****8000）输入核验码，错误，剩余 1 次",
        "Help desk 李娜 entered a code for 张三 (138****8000): wrong, 1 try left",
    ),
    (
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 3, "limit": 3}, LI, ZHANG),
        "客服 李娜 代 张三（138****8000）输入核验码，错误，次数已用完",
        "Help desk 李娜 entered a code for 张三 (138****8000): wrong, no tries left",
    ),
    (
        entry("verified", {"verifier_id": 5, "verifier": "张三"}, LI, ZHANG),
        "客服 李娜 代 张三（138****8000）输入核验码，核验成功",
        "Help desk 李娜 entered a code for 张三 (138****8000): verified",
    ),
    (
        entry("code_checked", {"result": "already_verified", "phone": "138****8000"}, LI),
        "客服 李娜 代 138****8000 输入核验码，已核验过，无需重复提交",
        "Help desk 李娜 entered a code for 138****8000: already verified, nothing to submit again",
    ),
    (
        entry("code_checked", {"result": "not_sent_yet", "phone": "138****8000"}, LI),
        "客服 李娜 代 138****8000 输入核验码，核验短信尚未发出，不计次数",
        "Help desk 李娜 entered a code for 138****8000: the SMS had not gone out yet, not counted",
    ),
    (
        entry("draft_created", {"business_type": "new_filing"}, WANG),
        "接入商 王芳 新建草稿",
        "ISP staff 王芳 created the draft",
    ),
    (
        entry("draft_saved", {"business_type": "new_filing"}, WANG),
        "接入商 王芳 保存草稿",
        "ISP staff 王芳 saved the draft",
    ),
    (
        entry("draft_deleted", {"business_type": "change"}, WANG),
        "接入商 王芳 删除草稿",
        "ISP staff 王芳 deleted the draft",
    ),
    (
        entry("submitted", {"business_type": "new_filing"}, WANG),
        "接入商 王芳 提交申请",
        "ISP staff 王芳 submitted the request",
    ),
    (
        entry("resubmitted", {"business_type": "new_filing"}, WANG),
        "接入商 王芳 重新提交申请",
        "ISP staff 王芳 resubmitted the request",
    ),
    (
        entry("no_verification_needed", {"because": "province_not_enabled"}, WANG),
        "无需短信核验（该省份未开通短信核验），直接转管局审核",
        "No SMS verification needed (the province does not verify by SMS): "
        "the request goes straight to bureau review",
    ),
    (
        entry(
            "round_started",
            {
                "round": 1,
                "quorum": "all",
                "verifiers": 2,
                "sms_due_at": "2026-11-23T02:36:00+00:00",
            },
            WANG,
        ),
        "第 1 轮短信核验开始：2 位核验人，须全部核验；短信将于 10:36 发出",
        "Round 1 of SMS verification started: 2 verifiers, all must verify; "
        "the SMS goes out at 10:36",
    ),
    (
        entry(
            "round_started",
            {
                "round": 2,
                "quorum": "any",
                "verifiers": 1,
                "sms_due_at": "2026-11-24T02:36:00+00:00",
            },
            WANG,
        ),
        "第 2 轮短信核验开始：1 位核验人，任一人核验即可；短信将于 11-24 10:36 发出",
        "Round 2 of SMS verification started: 1 verifier, any one suffices; "
        "the SMS goes out at 24 Nov 10:36",
    ),
    (
        entry(
            "sms_sent",
            {"verifier_id": 5, "kind": "initial", "sender_number": "106575000130", "attempts": 1},
            SYSTEM,
            ZHANG,
        ),
        "系统 向 张三（138****8000）发送核验短信（发送号码 106575000130）",
        "The system sent the verification SMS to 张三 (138****8000) from 106575000130",
    ),
    (
        entry(
            "sms_sent",
            {"verifier_id": 5, "kind": "manual_resend", "sender_number": "10655113", "attempts": 3},
            SYSTEM,
            ZHANG,
        ),
        "系统 向 张三（138****8000）发送重发的核验短信（发送号码 10655113），第 3 次尝试成功",
        "The system sent the resent code to 张三 (138****8000) from 10655113, on try 3",
    ),
    (
        entry("sms_failed", {"verifier_id": 5, "error": "HTTP 400"}, SYSTEM, ZHANG),
        "系统 向 张三（138****8000）发送短信失败：HTTP 400",
        "The system could not send the SMS to 张三 (138****8000): HTTP 400",
    ),
    (
        entry("resent", {"verifier_id": 5, "kind": "manual_resend", "on_behalf": True}, LI, ZHANG),
        "客服 李娜 应来电人要求为 张三（138****8000）重发验证码",
        "Help desk 李娜 resent the code to 张三 (138****8000) for the caller",
    ),
    (
        entry("resent", {"verifier_id": 5, "kind": "manual_resend", "on_behalf": False}, LI, ZHANG),
        "客服 李娜 为 张三（138****8000）重发验证码",
        "Help desk 李娜 resent the code to 张三 (138****8000)",
    ),
    (
        entry("resent", {"verifier_id": 5, "kind": "auto_resend"}, SYSTEM, ZHANG),
        "系统 于中午自动为 张三（138****8000）重发验证码",
        "The system resent the code to 张三 (138****8000) (the noon resend)",
    ),
    (
        entry("verification_passed", {"round": 1}, SYSTEM),
        "第 1 轮短信核验通过",
        "Round 1 of SMS verification passed",
    ),
    (
        entry(
            "returned",
            {"reason": "tries_used_up", "verifier_id": 5, "verifier": "张三", "round": 1},
            SYSTEM,
            ZHANG,
        ),
        "第 1 轮短信核验未通过（张三：核验码输错次数已用完），申请退回接入商",
        "Round 1 of SMS verification failed (张三: the tries were used up): "
        "the request was returned to the ISP",
    ),
    (
        entry("returned", {"reason": "expired", "verifier": "张三", "round": 2}, SYSTEM),
        "第 2 轮短信核验未通过（张三：未在期限内完成核验），申请退回接入商",
        "Round 2 of SMS verification failed (张三: it was not verified in time): "
        "the request was returned to the ISP",
    ),
    (
        entry("returned", {"reason": "undeliverable", "verifier": None, "round": 1}, SYSTEM),
        "第 1 轮短信核验未通过（核验短信无法送达），申请退回接入商",
        "Round 1 of SMS verification failed (the SMS could not be delivered): "
        "the request was returned to the ISP",
    ),
    (
        entry("phone_change_approved", {}, ZHAO),
        "管局审核员 赵敏 批准新手机号码，开始在新号码上核验",
        "Bureau reviewer 赵敏 approved the new mobile number; "
        "verification at the new number begins",
    ),
    (
        entry(
            "approved",
            {
                "subject_icp_number": "浙ICP备2026000001号",
                "website_icp_numbers": ["浙ICP备2026000001号-1", "浙ICP备2026000001号-2"],
            },
            ZHAO,
        ),
        "管局审核员 赵敏 审核通过，备案号 浙ICP备2026000001号，"
        "网站备案号 浙ICP备2026000001号-1、浙ICP备2026000001号-2",
        "Bureau reviewer 赵敏 approved the request: ICP number 浙ICP备2026000001号; "
        "websites 浙ICP备2026000001号-1, 浙ICP备2026000001号-2",
    ),
    (
        entry("rejected", {"reason": "主体证件照片不清晰"}, ZHAO),
        "管局审核员 赵敏 驳回申请：主体证件照片不清晰",
        "Bureau reviewer 赵敏 rejected the request: 主体证件照片不清晰",
    ),
    (
        entry("note_added", {"note": "已电话联系"}, CHEN),
        "主管 陈静 添加备注：已电话联系",
        "Supervisor 陈静 added a note: 已电话联系",
    ),
    (
        entry("handed_back", {"note": "请更正手机号码"}, CHEN),
        "主管 陈静 交回接入商：请更正手机号码",
        "Supervisor 陈静 handed it back to the ISP: 请更正手机号码",
    ),
    (
        entry("revealed", {"field": "verifier.phone", "verifier_id": 5, "name": "张三"}, CHEN),
        "主管 陈静 查看了 张三 的完整手机号码",
        "Supervisor 陈静 viewed 张三's mobile number in full",
    ),
    (
        entry(
            "reveal_failed",
            {"field": "principal.id_number", "name": "张三", "reason": "permission_denied"},
            CHEN,
        ),
        "主管 陈静 要求查看 张三 的完整证件号码，被拒绝：角色无此权限",
        "Supervisor 陈静 asked to view 张三's document number in full: refused, "
        "the role may not see it",
    ),
    (
        entry(
            "permission_denied",
            {"operation": "secrets.reveal", "reason": "role", "permission": "reveal_id_numbers"},
            CHEN,
        ),
        "主管 陈静 的操作被拒绝：查看完整证件号码（角色无此权限）",
        "Supervisor 陈静 was refused: see full ID numbers (the role may not do it)",
    ),
    (
        entry(
            "permission_denied",
            {"operation": "review.approve", "reason": "expired", "permission": "bureau_review"},
            SYSTEM,
        ),
        "操作被拒绝：管局审核（登录已过期）",
        "Refused: bureau review (the sign-in had expired)",
    ),
]


@pytest.mark.parametrize(("shown", "zh", "en"), CASES, ids=[c[0].action for c in CASES])
def test_each_sentence_in_both_languages(shown: TimelineEntry, zh: str, en: str) -> None:
    assert sentence(shown, "zh_CN") == zh
    assert sentence(shown, "en") == en


def test_every_sentence_is_tested() -> None:
    assert {c[0].action for c in CASES} == set(SENTENCES)


def test_a_line_starts_with_its_beijing_time() -> None:
    shown = entry("wrong_try", {"verifier_id": 5, "wrong_tries": 1, "limit": 3}, LI, ZHANG)
    assert (
        line(shown, "zh_CN") == "10:31 客服 李娜 代 张三（138****8000）输入核验码，错误，剩余 2 次"
    )


def test_the_system_and_anyone_no_user_matches_are_the_system() -> None:
    assert who(entry("submitted", {}, SYSTEM), "zh_CN") == "系统"
    assert who(entry("submitted", {}, {"actor_name": "x", "actor_role": "retired"}), "en") == (
        "The system"
    )
    assert who(entry("submitted", {}, {"actor_name": "", "actor_role": "supervisor"}), "zh") == (
        "主管"
    )


def test_an_action_this_version_does_not_know_shows_as_stored() -> None:
    assert sentence(entry("archived", {}, CHEN), "zh_CN") == "主管 陈静：archived"


def test_details_missing_from_an_old_event_still_make_a_sentence() -> None:
    assert sentence(entry("wrong_try", {}, LI), "zh_CN") == "客服 李娜 代 核验人 输入核验码，错误"
    assert sentence(entry("round_started", {}, SYSTEM), "en") == (
        "Round ? of SMS verification started: ? verifiers, all must verify"
    )


# -- one line per check ------------------------------------------------------------------------
def test_a_check_folds_into_the_try_it_made_and_keeps_both_events() -> None:
    later = AT + timedelta(minutes=1)
    events = [
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 2, "limit": 3}, LI, ZHANG),
        entry("code_checked", {"result": "wrong", "phone": "138****8000"}, LI),
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 3, "limit": 3}, LI, ZHANG, at=later),
        entry("returned", {"reason": "tries_used_up", "round": 1}, SYSTEM, ZHANG, at=later),
        entry("code_checked", {"result": "wrong", "phone": "138****8000"}, LI, at=later),
    ]
    lines = fold(events)
    assert [[e.action for e in ln.entries] for ln in lines] == [
        ["wrong_try", "code_checked"],
        ["wrong_try", "code_checked"],
        ["returned"],
    ]
    assert lines[1].sentence("zh_CN").endswith("错误，次数已用完")
    assert [action for action, _ in lines[0].details()] == ["wrong_try", "code_checked"]


def test_a_check_with_no_try_of_its_own_keeps_its_line() -> None:
    events = [
        entry("verified", {"verifier_id": 5}, LI, ZHANG),
        entry("code_checked", {"result": "verified_others_pending"}, LI),
        entry("code_checked", {"result": "already_verified", "phone": "138****8000"}, LI),
    ]
    assert [[e.action for e in ln.entries] for ln in fold(events)] == [
        ["verified", "code_checked"],
        ["code_checked"],
    ]


def test_another_persons_check_at_the_same_moment_is_not_folded_in() -> None:
    other = {"actor_name": "赵敏", "actor_role": "help_desk"}
    events = [
        entry("wrong_try", {"verifier_id": 5, "wrong_tries": 1, "limit": 3}, LI, ZHANG),
        entry("code_checked", {"result": "wrong"}, other, actor="zhao.min"),
    ]
    assert len(fold(events)) == 2
