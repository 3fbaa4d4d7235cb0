"""The README's walk-through runs and says what SPEC §5 says, on both kinds of sender."""

from __future__ import annotations

import pytest

from beian_desktop.demo import walkthrough as demo

from defaults import http_sms_config


@pytest.mark.parametrize("kind", ["outbox", "http"])
def test_the_demo_walks_a_filing_to_approval(capsys, gateway, kind):
    sms = http_sms_config(gateway.url) if kind == "http" else None
    assert demo.run(sms) == 0
    out = capsys.readouterr().out
    assert "张伟的短信核验失败，请输入正确的信息。" in out
    assert "张伟的短信核验完成。请等待其他待核验人进行短信核验。" in out
    assert "张伟的短信核验已经完成，无需重复提交" in out
    assert "李娜的短信核验完成。您的请求已完成全部核验，该请求将提交管局审核。" in out
    assert "该条验证库里找不到记录。" in out
    assert "approved: subject 浙ICP备" in out and "号-2" in out
    assert ("from 106575000130" in out) and ("from 106598051001" in out)
    assert len(gateway.sends()) == (2 if kind == "http" else 0)
