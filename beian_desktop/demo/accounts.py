"""The demo's accounts: one per role, so anyone can try the role table, and the staff
the demo's story is played by. `--demo` prints the first five with their passwords.

They are real accounts, made through the public services on a new database (the
first one is its first administrator), with passwords that meet the rules of
rules/accounts.py. A demo database is for trying the product, never for real data.

The story acts only through their sign-ins (`DemoSessions`), so every timeline and
every column naming a person names one of them, as if they had used the screens.
It signs in dozens of times, so the story runs with QUICK_HASHER: its accounts get a
quick argon2 hash, which the first real sign-in replaces with a full-strength one
(sign_in rehashes a hash made with weaker parameters).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from argon2 import PasswordHasher

from beian_desktop.rules.errors import in_language
from beian_desktop.services.beian import Beian
from beian_desktop.services.people.sign_in import SignedIn
from beian_desktop.terms import UserRole

QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    password: str


# The first of each role is the one to sign in with; the others are the story's staff.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "系统管理员", UserRole.ADMINISTRATOR, "Demo-Guanli-2026"),
    DemoAccount("isp.wang", "王芳", UserRole.ISP_STAFF, "Demo-Isp-2026"),
    DemoAccount("kefu.li", "李娜", UserRole.HELP_DESK, "Demo-Kefu-2026"),
    DemoAccount("zhuguan.chen", "陈静", UserRole.SUPERVISOR, "Demo-Zhuguan-2026"),
    DemoAccount("guanju.zhao", "赵磊", UserRole.BUREAU_REVIEWER, "Demo-Guanju-2026"),
    DemoAccount("isp.liu", "刘洋", UserRole.ISP_STAFF, "Demo-Isp2-2026"),
    DemoAccount("isp.zhang", "张伟", UserRole.ISP_STAFF, "Demo-Isp3-2026"),
    DemoAccount("kefu.zhou", "周敏", UserRole.HELP_DESK, "Demo-Kefu2-2026"),
    DemoAccount("guanju.sun", "孙丽", UserRole.BUREAU_REVIEWER, "Demo-Guanju2-2026"),
)
SIGN_IN_WITH = DEMO_ACCOUNTS[:5]

DEMO_NEEDS_A_NEW_DATABASE = (
    "--demo fills a new database only; this one has users already. Start it on a fresh "
    "one: BEIAN_DATA_DIR=/tmp/beian-demo scripts/run --demo"
)

_ROLE_NAMES = {
    UserRole.ADMINISTRATOR: ("管理员", "administrator"),
    UserRole.ISP_STAFF: ("ISP录入员", "ISP staff"),
    UserRole.HELP_DESK: ("客服", "help desk"),
    UserRole.SUPERVISOR: ("主管", "supervisor"),
    UserRole.BUREAU_REVIEWER: ("管局审核员", "bureau reviewer"),
}


def usernames(role: UserRole) -> tuple[str, ...]:
    """The role's demo accounts, in DEMO_ACCOUNTS' order (the story draws from them)."""
    return tuple(a.username for a in DEMO_ACCOUNTS if a.role == role)


# Which reviewer decides each province's requests in the story: each bureau desk
# answers for three of the demo's six provinces.
BUREAU_DESKS = {
    "33": "guanju.zhao",
    "44": "guanju.zhao",
    "35": "guanju.zhao",
    "11": "guanju.sun",
    "51": "guanju.sun",
    "61": "guanju.sun",
}


def create_demo_accounts(app: Beian, only: Collection[str] | None = None) -> dict[str, SignedIn]:
    """The demo accounts on a new database, each signed in: username -> session.
    `only` names the few wanted (the walk-through's); the administrator comes first
    anyway, since only it may create the others."""
    admin = DEMO_ACCOUNTS[0]
    app.users.create_first_admin(
        username=admin.username, display_name=admin.display_name, password=admin.password
    )
    first = app.sign_in.sign_in(username=admin.username, password=admin.password)
    signed_in = {admin.username: first}
    for account in DEMO_ACCOUNTS[1:]:
        if only is not None and account.username not in only:
            continue
        app.users.create_user(
            session=first.token,
            username=account.username,
            display_name=account.display_name,
            role=account.role,
            password=account.password,
            must_change_password=False,
        )
        signed_in[account.username] = app.sign_in.sign_in(
            username=account.username, password=account.password
        )
    return signed_in


class DemoSessions:
    """The demo staff's sign-ins while the story plays. A sign-in lasts a working day
    (Policy.session_hours) and the story ten, so a person whose sign-in has run out
    signs in again before their next act, as they would at the screen."""

    def __init__(self, app: Beian, signed_in: dict[str, SignedIn]) -> None:
        self.app = app
        self.signed_in = dict(signed_in)
        self.passwords = {a.username: a.password for a in DEMO_ACCOUNTS}

    def token(self, username: str) -> str:
        """`username`'s session now (KeyError: not one of the accounts made)."""
        current = self.signed_in[username]
        if current.expires_at <= self.app.now():
            current = self.app.sign_in.sign_in(username=username, password=self.passwords[username])
            self.signed_in[username] = current
        return current.token


def demo_accounts_text(accounts: tuple[DemoAccount, ...], language: str = "zh_CN") -> str:
    """What `--demo` prints: who to sign in as, one line a role."""
    lines = [
        in_language(language, "演示账户（用户名 / 密码）：", "Demo accounts (username / password):")
    ]
    for account in accounts:
        zh, en = _ROLE_NAMES[UserRole(account.role)]
        role = in_language(language, zh, en)
        lines.append(f"  {role:<10} {account.username:<14} {account.password}")
    return "\n".join(lines)
