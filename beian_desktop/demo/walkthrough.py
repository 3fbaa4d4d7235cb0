"""A walk through one new filing, headless: entry → SMS → checks → bureau approval.

Runs on the embedded default (SQLite, local outbox) in a temporary directory unless
BEIAN_DATABASE_URL is set, with a clock that jumps instead of waiting, and prints
what each person would see. `beian-desktop demo`.

Each step is done by the demo account whose role does it (accounts.py), through its
sign-in: ISP staff enter and submit, the help desk types in the codes the callers read
out, a bureau reviewer approves. Only those few accounts are made: every account costs
a password hash, and the walk-through should start at once.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import urllib.request
from datetime import timedelta
from pathlib import Path

from beian_desktop.demo.accounts import create_demo_accounts
from beian_desktop.rules.clock import ManualClock, system_clock
from beian_desktop.rules.documents import mask_document_number
from beian_desktop.rules.inputs import (
    AccessInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import mask_phone
from beian_desktop.services.beian import Beian
from beian_desktop.services.secret_keys import SecretKeys
from beian_desktop.services.sending.senders import read_outbox
from beian_desktop.services.sending.sms_config import SmsConfig
from beian_desktop.services.verification.verification_service import CheckOutcome
from beian_desktop.terms import DocType, SubjectNature

# Who does each step: demo accounts of the roles that may (rules/permissions.py).
CLERK, HELP_DESK, REVIEWER = "isp.wang", "kefu.li", "guanju.zhao"

# Fictitious people with valid check characters (GB 11643 / GB 32100).
OWNER = PrincipalInput(
    name="张伟",
    doc_type=DocType.RESIDENT_ID,
    doc_number="330106198506120015",
    mobile="13800138000",
    email="zhangwei@example.cn",
)
WEBMASTER = PrincipalInput(
    name="李娜",
    doc_type=DocType.RESIDENT_ID,
    doc_number="330106199002150020",
    mobile="18905710001",
    email="lina@example.cn",
)


def mobile_of(p: PrincipalInput) -> str:
    """The walk-through's people were entered with their numbers: never "keep"."""
    return p.mobile or ""


def demo_filing() -> FilingInput:
    access = AccessInput(
        isp_name="杭州示例云计算有限公司", method="专线", server_ips=["203.0.113.10"]
    )
    return FilingInput(
        subject=SubjectInput(
            province_code="33",
            city="杭州市",
            nature=SubjectNature.ENTERPRISE,
            holder_name="杭州示例科技有限公司",
            doc_type=DocType.CREDIT_CODE,
            doc_number="91330106MA2B00001Y",
            document_address="浙江省杭州市西湖区文三路90号",
            mailing_address="浙江省杭州市西湖区文三路90号",
            principal=OWNER,
        ),
        websites=[
            WebsiteInput(
                name="示例官网",
                home_url="https://www.example-hz.cn",
                domains=["example-hz.cn", "www.example-hz.cn"],
                service_content="企业官网",
                principal=OWNER,
                access=access,
            ),
            WebsiteInput(
                name="示例商城",
                home_url="https://shop.示例.中国",
                domains=["示例.中国"],
                service_content="网上商城",
                principal=WEBMASTER,
                access=access,
            ),
        ],
    )


def _say(title: str) -> None:
    print(f"\n== {title}")


def _received(app: Beian, sms: SmsConfig) -> list[tuple[str, str, str]]:
    """(phone, sender number, text) of every message 'the phones' got, oldest first."""
    if sms.kind == "http" and sms.http is not None:
        # Only the fake gateway answers this: the demo reads back what it was sent.
        base = sms.http.url.rsplit("/", 1)[0]
        with urllib.request.urlopen(f"{base}/_requests", timeout=5) as answer:
            sends = json.loads(answer.read())
        return [
            (r["body"]["phone"], r["body"]["sender"], r["body"]["text"])
            for r in sends
            if r.get("answer") == 200
        ]
    with app.ctx.unit_of_work() as session:
        return [
            (m.phone, m.sender_number, m.text) for m in reversed(read_outbox(session, app.ctx.keys))
        ]


def run(sms: SmsConfig | None = None) -> int:
    """`sms` sends through an endpoint (the fake gateway) instead of the local outbox."""
    sms = sms or SmsConfig()
    workdir = Path(tempfile.mkdtemp(prefix="beian-demo-"))
    clock = ManualClock(system_clock())
    app = Beian.open(
        database_url=f"sqlite:///{workdir / 'demo.sqlite3'}",
        keys=SecretKeys.load_or_create(workdir / "secret.key"),
        clock=clock,
        sms=sms,
    )
    filing = demo_filing()
    staff = {
        name: signed_in.token
        for name, signed_in in create_demo_accounts(app, (CLERK, HELP_DESK, REVIEWER)).items()
    }

    _say(f"ISP staff ({CLERK}) enter a first filing (新增备案) for 杭州示例科技有限公司")
    request_id = app.filings.save_new_filing(session=staff[CLERK], filing=filing)
    state = app.submission.submit(session=staff[CLERK], request_id=request_id)
    print(f"saved and submitted: request #{request_id}: {state}; database in {workdir}")
    assert OWNER.doc_number is not None
    print(
        f"subject principal {OWNER.name} {mask_phone(mobile_of(OWNER))} "
        f"ID {mask_document_number(OWNER.doc_number)} also runs website 1 (one SMS, §2.2)"
    )

    where = sms.http.url if sms.kind == "http" and sms.http else "the local outbox"
    _say(f"5 minutes later the scheduler sends the SMS ({where})")
    clock.advance(timedelta(minutes=5))
    print(app.tick())
    codes = {}
    for phone, sender, text in _received(app, sms):
        print(f"to {phone} from {sender}:\n  {text}")
        found = re.search(r"核验码为(\d{6})", text)
        assert found is not None  # every verification SMS carries its code
        codes[phone] = found.group(1)

    _say(f"张伟 calls the help desk ({HELP_DESK}) and reads out a wrong code, then the right one")

    def check(code: str, person: PrincipalInput, last6: str | None = None) -> CheckOutcome:
        """What the help desk types in for the caller, and the answer it reads back."""
        if not last6:
            assert person.doc_number is not None  # each of the walk's people has one
            last6 = person.doc_number[-6:]
        return app.verification.check_code(
            session=staff[HELP_DESK], code=code, phone=mobile_of(person), id_last6=last6
        )

    wrong = "000000" if codes[mobile_of(OWNER)] != "000000" else "111111"
    for code in (wrong, codes[mobile_of(OWNER)]):
        print(f"{code}: {check(code, OWNER).message}")
    print(f"again: {check(codes[mobile_of(OWNER)], OWNER).message}")

    _say("李娜 gives her code with wrong ID digits, then correctly")
    outcome = check(codes[mobile_of(WEBMASTER)], WEBMASTER, "000000")
    print(f"wrong ID digits: {outcome.message} (tries left {outcome.tries_left})")
    print(check(codes[mobile_of(WEBMASTER)], WEBMASTER).message)
    stranger = PrincipalInput(name="王芳", mobile="13912345678")
    print(f"a number with nothing pending: {check('123456', stranger, '123456').message}")

    _say(f"The bureau reviewer ({REVIEWER}) approves")
    decision = app.review.approve(session=staff[REVIEWER], request_id=request_id)
    print(
        f"{decision.state}: subject {decision.subject_icp_number}, websites "
        f"{', '.join(decision.website_icp_numbers)}"
    )
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(run())
