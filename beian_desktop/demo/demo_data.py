"""A realistic, living data set for the demo, screenshots and manual testing.

`fill_demo_data(app, clock)` plays about ten working days of an ISP's filing desk on
an empty database, through the public services only (save, submit, tick, check a
code read back from the local outbox, resend, approve, reject), so every row obeys
the rules exactly as if people had entered it. The reads it does (which subject a
request made, which numbers a round is waiting for) never write.

What it leaves, in six provinces and every business type: drafts, requests being
verified (some people done, some pending, all inside their 24 hours when it ends),
requests in bureau review, approved filings with ICP numbers, rejected ones with a
reason, and returned ones for each reason (expired, tries used up, undeliverable);
with wrong tries, help-desk resends on behalf of callers, the 12:00 automatic resends
and resubmissions along the way.

Time: the clock starts where it is and only moves forward; people work in office
hours (Asia/Shanghai), the bureau answers within a day or two, and the worker ticks
as it would. The first working day is the clock's day (the next one if it starts
after 15:00); the clock is left at 18:00 on the ninth day after it, where the
requests still being verified are inside their 24 hours. A caller that wants the data
to end near a given moment starts its ManualClock about nine and a half days before.

Only `random.Random(seed)` decides anything, so the same seed and size give the same
data (codes and message keys are random, as in the product, but nothing depends on
them).
"""

from __future__ import annotations

import heapq
import itertools
import random
import re
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beian_desktop.models import (
    Request,
    Resend,
    SmsIntent,
    Subject,
    Try,
    VerificationRound,
    Verifier,
    Website,
)
from beian_desktop.rules.clock import SHANGHAI, ManualClock
from beian_desktop.rules.documents import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    resident_id_check_char,
)
from beian_desktop.rules.errors import ValidationFailed
from beian_desktop.rules.inputs import (
    AccessInput,
    ChangeInput,
    FilingInput,
    PrincipalInput,
    SubjectInput,
    WebsiteInput,
)
from beian_desktop.rules.phones import parse_mobile
from beian_desktop.rules.policy import Policy
from beian_desktop.services.beian import Beian
from beian_desktop.services.sending.senders import (
    OutboxSender,
    SendFailed,
    SendReceipt,
    SmsMessage,
    SmsSender,
    read_outbox,
)
from beian_desktop.terms import (
    BusinessType,
    CheckResult,
    DocType,
    RequestState,
    ReturnReason,
    SmsKind,
    SmsStatus,
    SubjectNature,
    VerifierState,
)

DAYS = 9  # working days after the first; the last one is "today" when it ends
DAY_START, DAY_END = 9.0, 17.5  # office hours, Asia/Shanghai
END_HOUR = 18.0  # when the clock is left, on the last day
TICK_EVERY = timedelta(minutes=10)  # enough first filings for every state, reason and business type

# -- reference data: places, people, companies -------------------------------------------


@dataclass(frozen=True)
class _District:
    name: str
    code: str  # GB/T 2260 region code: the first six of resident IDs and credit codes
    pinyin: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class _City:
    name: str
    short: str  # what local domains start with
    area_code: str
    districts: tuple[_District, ...]


@dataclass(frozen=True)
class _Province:
    code: str
    name: str
    abbr: str
    weight: int
    cities: tuple[_City, ...]

    @property
    def municipality(self) -> bool:
        return self.name == self.cities[0].name


def _d(name: str, code: str, pinyin: str, *streets: str) -> _District:
    return _District(name, code, pinyin, streets)


PROVINCES: tuple[_Province, ...] = (
    _Province(
        "33",
        "浙江省",
        "浙",
        30,
        (
            _City(
                "杭州市",
                "hz",
                "0571",
                (
                    _d("西湖区", "330106", "xihu", "文三路", "古墩路", "天目山路", "学院路"),
                    _d("滨江区", "330108", "binjiang", "网商路", "江南大道", "长河路"),
                    _d("余杭区", "330110", "yuhang", "文一西路", "五常大道", "良睦路"),
                ),
            ),
            _City(
                "宁波市", "nb", "0574", (_d("鄞州区", "330212", "yinzhou", "天童南路", "首南中路"),)
            ),
            _City(
                "温州市", "wz", "0577", (_d("鹿城区", "330302", "lucheng", "车站大道", "府前街"),)
            ),
        ),
    ),
    _Province(
        "44",
        "广东省",
        "粤",
        25,
        (
            _City(
                "广州市",
                "gz",
                "020",
                (
                    _d("天河区", "440106", "tianhe", "天河路", "体育西路", "华夏路"),
                    _d("海珠区", "440105", "haizhu", "新港中路", "江南大道中"),
                ),
            ),
            _City(
                "深圳市",
                "sz",
                "0755",
                (
                    _d("南山区", "440305", "nanshan", "高新南九道", "深南大道", "科苑路"),
                    _d("福田区", "440304", "futian", "福华三路", "深南中路"),
                ),
            ),
            _City(
                "东莞市", "dg", "0769", (_d("南城街道", "441900", "nancheng", "鸿福路", "宏远路"),)
            ),
        ),
    ),
    _Province(
        "11",
        "北京市",
        "京",
        15,
        (
            _City(
                "北京市",
                "bj",
                "010",
                (
                    _d("海淀区", "110108", "haidian", "中关村大街", "知春路", "上地十街"),
                    _d("朝阳区", "110105", "chaoyang", "建国路", "望京街", "酒仙桥路"),
                    _d("西城区", "110102", "xicheng", "金融大街", "西直门南大街"),
                ),
            ),
        ),
    ),
    _Province(
        "51",
        "四川省",
        "蜀",
        12,
        (
            _City(
                "成都市",
                "cd",
                "028",
                (
                    _d("武侯区", "510107", "wuhou", "天府大道北段", "人民南路四段"),
                    _d("锦江区", "510104", "jinjiang", "红星路三段", "东大街"),
                    _d("双流区", "510116", "shuangliu", "西航港大道", "空港一路"),
                ),
            ),
            _City("绵阳市", "my", "0816", (_d("涪城区", "510703", "fucheng", "临园路", "剑南路"),)),
        ),
    ),
    _Province(
        "35",
        "福建省",
        "闽",
        10,
        (
            _City("福州市", "fz", "0591", (_d("鼓楼区", "350102", "gulou", "五四路", "杨桥中路"),)),
            _City(
                "厦门市",
                "xm",
                "0592",
                (
                    _d("思明区", "350203", "siming", "湖滨南路", "鹭江道"),
                    _d("湖里区", "350206", "huli", "观日路", "枋湖北二路"),
                ),
            ),
            _City("泉州市", "qz", "0595", (_d("丰泽区", "350503", "fengze", "刺桐路", "丰泽街"),)),
        ),
    ),
    _Province(
        "61",
        "陕西省",
        "陕",
        8,
        (
            _City(
                "西安市",
                "xa",
                "029",
                (
                    _d("雁塔区", "610113", "yanta", "科技路", "高新路", "小寨东路"),
                    _d("碑林区", "610103", "beilin", "南大街", "友谊西路"),
                ),
            ),
            _City(
                "咸阳市", "xy", "029", (_d("秦都区", "610402", "qindu", "人民西路", "世纪大道"),)
            ),
        ),
    ),
)

SURNAMES = (
    ("张", "zhang"), ("李", "li"), ("王", "wang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("许", "xu"),
)  # fmt: skip
GIVEN_MALE = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("洋", "yang"), ("勇", "yong"),
    ("军", "jun"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"),
    ("鹏", "peng"), ("浩然", "haoran"), ("志强", "zhiqiang"), ("建华", "jianhua"),
    ("俊杰", "junjie"), ("宇轩", "yuxuan"), ("子豪", "zihao"), ("国栋", "guodong"),
)  # fmt: skip
GIVEN_FEMALE = (
    ("娜", "na"), ("芳", "fang"), ("静", "jing"), ("敏", "min"), ("丽", "li"),
    ("婷", "ting"), ("霞", "xia"), ("燕", "yan"), ("琳", "lin"), ("雪", "xue"),
    ("慧", "hui"), ("欣怡", "xinyi"), ("雨桐", "yutong"), ("晓燕", "xiaoyan"),
    ("秀英", "xiuying"), ("佳琪", "jiaqi"), ("梦瑶", "mengyao"), ("思琪", "siqi"),
)  # fmt: skip

BRANDS = (
    ("云栖", "yunqi"), ("星河", "xinghe"), ("蓝鲸", "lanjing"), ("青禾", "qinghe"),
    ("卓越", "zhuoyue"), ("极光", "jiguang"), ("万象", "wanxiang"), ("数联", "shulian"),
    ("易达", "yida"), ("博雅", "boya"), ("天行", "tianxing"), ("海纳", "haina"),
    ("智远", "zhiyuan"), ("启明", "qiming"), ("鼎盛", "dingsheng"), ("长风", "changfeng"),
    ("锦程", "jincheng"), ("晨曦", "chenxi"), ("墨客", "moke"), ("知行", "zhixing"),
    ("和光", "heguang"), ("远望", "yuanwang"), ("清源", "qingyuan"), ("凌云", "lingyun"),
    ("华章", "huazhang"), ("新禾", "xinhe"), ("木棉", "mumian"), ("银杏", "yinxing"),
    ("飞鱼", "feiyu"), ("拾光", "shiguang"), ("云朵", "yunduo"), ("丰泰", "fengtai"),
)  # fmt: skip

# industry, domain word, what its websites do
INDUSTRIES = (
    ("网络科技", "tech", ("企业官网", "技术博客", "在线工具")),
    ("信息技术", "it", ("企业官网", "软件下载", "技术文档")),
    ("电子商务", "mall", ("网上商城", "企业官网")),
    ("文化传媒", "media", ("企业官网", "行业资讯", "作品展示")),
    ("教育科技", "edu", ("在线教育", "企业官网")),
    ("医药科技", "pharma", ("企业官网", "药品信息展示")),
    ("餐饮管理", "food", ("企业官网", "门店查询")),
    ("旅游发展", "travel", ("景区介绍", "企业官网")),
    ("智能科技", "ai", ("企业官网", "产品展示")),
    ("数据服务", "data", ("企业官网", "数据开放平台")),
    ("建筑设计", "design", ("企业官网", "作品展示")),
)

# what a website does -> (name after the brand, domain word, IDN word)
SITE_KINDS = {
    "企业官网": ("官网", "", "官网"),
    "网上商城": ("商城", "shop", "商城"),
    "技术博客": ("技术博客", "blog", "博客"),
    "在线工具": ("在线工具", "tools", "工具"),
    "软件下载": ("下载中心", "soft", "下载"),
    "技术文档": ("开发者文档", "docs", "文档"),
    "行业资讯": ("资讯", "news", "资讯"),
    "作品展示": ("作品集", "works", "作品"),
    "在线教育": ("学堂", "xuetang", "学堂"),
    "药品信息展示": ("健康", "health", "健康"),
    "门店查询": ("门店", "store", "门店"),
    "景区介绍": ("旅游", "trip", "旅游"),
    "产品展示": ("产品中心", "product", "产品"),
    "数据开放平台": ("数据平台", "opendata", "数据"),
}

SCHOOLS = (("第一中学", "yz"), ("实验小学", "sx"), ("外国语学校", "wgy"), ("职业技术学院", "zy"))
ASSOCIATIONS = (
    ("软件行业协会", "sia", "经济和信息化局"),
    ("电子商务协会", "eca", "商务局"),
    ("摄影家协会", "sy", "文学艺术界联合会"),
    ("互联网协会", "isc", "互联网信息办公室"),
)
GOVERNMENT = (("文化和旅游局", "wlj"), ("教育局", "jyj"), ("市场监督管理局", "scjg"))
BLOGS = (("的博客", "个人博客"), ("的摄影作品", "个人作品展示"), ("读书笔记", "个人博客"))

ISP_NAME = "云帆互联数据服务有限公司"  # the ISP whose desk this is
ACCESS_METHODS = (("云服务器", 50), ("专线", 20), ("主机托管", 20), ("虚拟主机", 10))
ISP_STAFF = ("isp.wangli", "isp.zhoujie", "isp.chenxi")
HELP_DESK = ("kefu.sunyan", "kefu.heping")
BUREAU_STAFF = {
    "33": "zj.zhaomin",
    "44": "gd.huangjun",
    "11": "bj.liuyang",
    "51": "sc.dengli",
    "35": "fj.linhui",
    "61": "sn.machao",
}
REJECT_REASONS = (
    "主办单位名称与证件不一致，请核实后重新提交",
    "网站名称不符合要求：不能使用域名、纯数字，或含“中国”“中华”等字样",
    "通信地址不详细，需精确到门牌号",
    "网站内容涉及前置审批事项，请补充相应的前置审批文件",
    "主体负责人证件有效期不足三个月，请更换证件后重新提交",
    "网站负责人非主办单位员工，请补充授权书",
)

# Mainland segments per carrier; the virtual ones (170x, 171, 162, 165, 167) ride a host.
PHONE_SEGMENTS = {
    "mobile": ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
               "159", "172", "178", "182", "183", "184", "187", "188", "195", "198"),
    "unicom": ("130", "131", "132", "155", "156", "166", "175", "176", "185", "186", "196"),
    "telecom": ("133", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199"),
    "virtual": ("1700", "1701", "1703", "1705", "1707", "1709", "171", "162", "165", "167"),
}  # fmt: skip
PHONE_WEIGHTS = {"mobile": 45, "unicom": 24, "telecom": 24, "virtual": 7}
MAIL_HOSTS = ("qq.com", "163.com", "126.com", "foxmail.com", "sina.com")
CODE_IN_TEXT = re.compile(r"核验码为(\d{6})")


# -- the summary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    """What the database holds afterwards (counted there, not remembered)."""

    seed: int
    size: int
    started_at: datetime
    ended_at: datetime
    requests: int
    by_state: dict[str, int]
    by_business_type: dict[str, int]
    by_return_reason: dict[str, int]
    by_province: dict[str, int]
    subjects_with_icp_number: int
    websites_with_icp_number: int
    sms_sent: int
    wrong_tries: int
    manual_resends: int
    resends_on_behalf: int
    auto_resends: int
    # Requests that did not end where their story meant them to (policy changed from
    # the defaults, say); empty on a fresh database.
    off_plan: tuple[str, ...] = ()

    def describe(self) -> str:
        def counts(d: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))

        lines = [
            f"demo data (seed {self.seed}, size {self.size}): {self.requests} requests, "
            f"{self.started_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} to "
            f"{self.ended_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} Asia/Shanghai",
            f"  by state:         {counts(self.by_state)}",
            f"  by business type: {counts(self.by_business_type)}",
            f"  returned because: {counts(self.by_return_reason)}",
            f"  by province:      {counts(self.by_province)}",
            f"  ICP numbers:      {self.subjects_with_icp_number} subjects, "
            f"{self.websites_with_icp_number} websites",
            f"  SMS sent {self.sms_sent}, wrong tries {self.wrong_tries}, manual resends "
            f"{self.manual_resends} ({self.resends_on_behalf} by staff for callers), "
            f"12:00 resends {self.auto_resends}",
        ]
        if self.off_plan:
            lines.append(f"  off plan: {'; '.join(self.off_plan)}")
        return "\n".join(lines)


# -- identities ------------------------------------------------------------------------------


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(6))
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    total = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: random.Random, region: str, prefix: str = "91") -> str:
    """A unified social credit code: registering authority and kind, region, org code."""
    first17 = f"{prefix}{region}{_org_code(rng)}"
    return first17 + credit_code_check_char(first17)


def resident_id(rng: random.Random, region: str, born: date, male: bool) -> str:
    serial = rng.randrange(500) * 2 + (1 if male else 0)  # odd for men, even for women
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


@dataclass
class _Person:
    name: str
    pinyin: str
    doc_number: str
    mobile: str
    email: str
    phone2: str = ""

    def principal(self, mobile: str | None = None) -> PrincipalInput:
        return PrincipalInput(
            name=self.name,
            doc_type=DocType.RESIDENT_ID,
            doc_number=self.doc_number,
            mobile=self.mobile if mobile is None else mobile,
            phone2=self.phone2,
            email=self.email,
        )

    @property
    def last6(self) -> str:
        return self.doc_number[-6:]


@dataclass
class _Org:
    """A subject as the generator knows it: who it is, where, and its names for sites."""

    province: _Province
    city: _City
    district: _District
    nature: SubjectNature
    holder_name: str
    doc_number: str
    brand: str  # what its websites are called after
    brand_py: str  # and what their domains start with
    main_domain: str  # its own domain: the official site's, and the staff's mail
    contents: tuple[str, ...]  # what its websites do, in the order it files them
    owner: _Person
    address: str
    mailing_address: str
    investor: str
    used_contents: set[str] = field(default_factory=set)


# -- the story of each request -----------------------------------------------------------------


@dataclass
class _Expect:
    label: str
    state: RequestState
    reason: ReturnReason | None = None


@dataclass
class _Host:
    """An approved first filing that later gets follow-up requests."""

    org: _Org
    subject_id: int | None = None
    early: tuple[str, str] | None = None  # (kind, outcome)
    late: tuple[str, str] | None = None
    early_day: int = 0


class _UnreachableNumbers:
    """An endpoint that cannot deliver to some numbers (and says try again later)."""

    def __init__(self, inner: SmsSender, phones: set[str]) -> None:
        self.inner = inner
        self.phones = phones

    def send(self, message: SmsMessage) -> SendReceipt:
        if message.phone in self.phones:
            raise SendFailed("网关返回：用户暂时无法接收短信（关机或停机）", retryable=True)
        receipt = self.inner.send(message)
        assert isinstance(receipt, SendReceipt)
        return receipt


def _tick() -> None:
    """An event that only lets the worker run."""


class _Desk:
    """The simulation: an event queue on the manual clock, and the people in it."""

    def __init__(self, app: Beian, clock: ManualClock, rng: random.Random, policy: Policy):
        self.app = app
        self.clock = clock
        self.rng = rng
        self.policy = policy
        self.queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self.seq = itertools.count()
        self.people: dict[str, _Person] = {}  # phone -> the person who holds it
        self.used_phones: set[str] = set()
        self.used_ids: set[str] = set()
        self.used_domains: set[str] = set()
        self.used_holders: set[str] = set()
        self.expect: dict[int, _Expect] = {}
        self.unreachable: set[str] = set()
        self.original_sender: SmsSender | None = None
        # The first people and subjects go round every carrier and province once.
        self.carrier_cycle = ["virtual", "telecom", "unicom", "mobile"]
        self.province_cycle = list(reversed(PROVINCES))
        local = clock.now.astimezone(SHANGHAI)
        self.day0 = local.date() if local.hour < 15 else local.date() + timedelta(days=1)
        self.end = self.local(DAYS, END_HOUR)

    # -- time ------------------------------------------------------------------------------
    def local(self, day: int, hour: float) -> datetime:
        midnight = datetime.combine(self.day0 + timedelta(days=day), time(0), tzinfo=SHANGHAI)
        return midnight + timedelta(hours=hour)

    def office(self, day: int, lo: float = DAY_START, hi: float = DAY_END - 1) -> datetime:
        minutes = self.rng.randrange(int(lo * 60), int(hi * 60))
        return self.local(day, 0) + timedelta(minutes=minutes, seconds=self.rng.randrange(60))

    def day_of(self, moment: datetime) -> int:
        return (moment.astimezone(SHANGHAI).date() - self.day0).days

    def later(self, lo_minutes: float, hi_minutes: float) -> datetime:
        seconds = self.rng.randrange(int(lo_minutes * 60), int(hi_minutes * 60) + 1)
        return self.clock.now + timedelta(seconds=seconds)

    def next_office_time(self, *, min_hours: float = 0.5) -> datetime:
        """When the bureau gets to it: a while later, in office hours."""
        earliest = self.clock.now + timedelta(hours=min_hours)
        local = earliest.astimezone(SHANGHAI)
        day, hour = self.day_of(earliest), local.hour + local.minute / 60
        if hour >= DAY_END - 0.5:
            day, hour = day + 1, DAY_START
        hour = max(hour, DAY_START)
        return max(earliest, self.office(day, hour, min(hour + 3, DAY_END)))

    def at(self, when: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(self.queue, (max(when, self.clock.now), next(self.seq), action))

    def run(self) -> None:
        """Like the worker: a tick whenever something is due (the sends after a submit
        or a resend, 12:00), and every few minutes of activity besides (expiries)."""
        for day in range(DAYS + 1):
            self.at(self.local(day, 12.0) + timedelta(seconds=30), _tick)
        last_tick = self.clock.now
        while self.queue and self.queue[0][0] <= self.end:
            when, _, action = heapq.heappop(self.queue)
            if when > self.clock.now:
                self.clock.set(when)
            if action is _tick or self.clock.now - last_tick >= TICK_EVERY:
                self.app.tick()
                last_tick = self.clock.now
            action()
        self.clock.set(max(self.end, self.clock.now))
        self.app.tick()

    def tick_soon(self, after: timedelta) -> None:
        self.at(self.clock.now + after, _tick)

    def province(self) -> _Province:
        if self.province_cycle:
            return self.province_cycle.pop()
        return self.rng.choices(PROVINCES, weights=[p.weight for p in PROVINCES])[0]

    # -- people ----------------------------------------------------------------------------
    def mobile(self) -> str:
        carrier = (
            self.carrier_cycle.pop()
            if self.carrier_cycle
            else self.rng.choices(list(PHONE_WEIGHTS), weights=list(PHONE_WEIGHTS.values()))[0]
        )
        while True:
            segment = self.rng.choice(PHONE_SEGMENTS[carrier])
            number = segment + "".join(
                str(self.rng.randrange(10)) for _ in range(11 - len(segment))
            )
            if number in self.used_phones:
                continue
            try:
                parse_mobile(number)
            except ValueError:
                continue
            self.used_phones.add(number)
            return number

    def person(self, region: str, *, mail_host: str | None = None) -> _Person:
        male = self.rng.random() < 0.55
        surname, surname_py = self.rng.choice(SURNAMES)
        given, given_py = self.rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
        if self.rng.random() < 0.2:  # born elsewhere
            region = self.rng.choice(
                [d.code for p in PROVINCES for c in p.cities for d in c.districts]
            )
        while True:
            born = date(1962, 1, 1) + timedelta(days=self.rng.randrange(39 * 365))
            number = resident_id(self.rng, region, born, male)
            if number not in self.used_ids:
                self.used_ids.add(number)
                break
        pinyin = surname_py + given_py
        if mail_host:
            email = f"{pinyin}@{mail_host}"
        elif self.rng.random() < 0.4:
            email = f"{self.rng.randrange(10_000_000, 2_999_999_999)}@qq.com"
        else:
            email = f"{pinyin}{born:%y}@{self.rng.choice(MAIL_HOSTS)}"
        p = _Person(surname + given, pinyin, number, self.mobile(), email)
        self.people[p.mobile] = p
        return p

    def new_number_for(self, person: _Person) -> str:
        number = self.mobile()
        self.people[number] = person
        return number

    # -- organisations and websites -----------------------------------------------------------
    def domain(self, *stems: str, tlds: tuple[str, ...] = ("cn", "com", "com.cn", "net")) -> str:
        weights = (35, 35, 15, 10, 5)[: len(tlds)]
        for stem in stems:
            for _ in range(3):
                name = f"{stem}.{self.rng.choices(tlds, weights=weights)[0]}"
                if name not in self.used_domains:
                    self.used_domains.add(name)
                    return name
        while True:
            name = f"{stems[0]}{self.rng.randrange(10, 100)}.{tlds[0]}"
            if name not in self.used_domains:
                self.used_domains.add(name)
                return name

    def address(self, province: _Province, city: _City, district: _District) -> str:
        head = city.name if province.municipality else province.name + city.name
        street = self.rng.choice(district.streets)
        number = self.rng.randrange(1, 600)
        tail = self.rng.choice(
            [
                "",
                f"{self.rng.randrange(1, 12)}幢{self.rng.randrange(2, 25)}"
                f"0{self.rng.randrange(1, 9)}室",
                f"{self.rng.choice('ABC')}座{self.rng.randrange(3, 30)}层",
            ]
        )
        return f"{head}{district.name}{street}{number}号{tail}"

    def org(self, province: _Province, nature: SubjectNature | None = None) -> _Org:
        rng = self.rng
        city = rng.choice(province.cities)
        district = rng.choice(city.districts)
        if nature is None:
            natures = [
                SubjectNature.ENTERPRISE,
                SubjectNature.INDIVIDUAL,
                SubjectNature.INSTITUTION,
                SubjectNature.SOCIAL_GROUP,
                SubjectNature.GOVERNMENT,
            ]
            nature = rng.choices(natures, weights=[70, 15, 6, 5, 4])[0]
        address = self.address(province, city, district)
        mailing = address if rng.random() < 0.7 else self.address(province, city, district)
        if nature is SubjectNature.ENTERPRISE:
            while True:
                brand, brand_py = rng.choice(BRANDS)
                industry, industry_py, contents = rng.choice(INDUSTRIES)
                kind = "股份有限公司" if rng.random() < 0.1 else "有限公司"
                holder = f"{city.name.removesuffix('市')}{brand}{industry}{kind}"
                if holder not in self.used_holders:
                    break
            stem = f"{brand_py}{industry_py}" if rng.random() < 0.35 else brand_py
            main = self.domain(stem, f"{city.short}{brand_py}", f"{brand_py}{industry_py}")
            owner = self.person(district.code)
            investor = owner.name if rng.random() < 0.6 else f"{brand}控股集团有限公司"
            doc = credit_code(rng, district.code, "91")
            others = tuple(c for c in contents if c != "企业官网")
            # Most companies file their official site first; some start with a shop.
            kinds = ("企业官网", *others) if rng.random() < 0.75 else (*others, "企业官网")
            return _Org(
                province, city, district, nature, holder, doc, brand, brand_py, main, kinds,
                owner, address, mailing, investor,
            )  # fmt: skip
        if nature is SubjectNature.INDIVIDUAL:
            owner = self.person(district.code)
            tlds = ("com", "cn", "top")
            main = self.domain(owner.pinyin, f"{owner.pinyin}blog", tlds=tlds)
            return _Org(
                province, city, district, nature, owner.name, owner.doc_number, owner.name,
                owner.pinyin, main, ("个人博客",), owner, address, mailing, owner.name,
            )  # fmt: skip
        if nature is SubjectNature.INSTITUTION:
            school, py = rng.choice(SCHOOLS)
            holder, doc = f"{city.name}{school}", credit_code(rng, district.code, "12")
            investor, stem, tld = f"{city.name}教育局", f"{city.short}{py}", "edu.cn"
            content = "学校门户"
        elif nature is SubjectNature.SOCIAL_GROUP:
            name, py, supervisor = rng.choice(ASSOCIATIONS)
            holder, doc = f"{city.name}{name}", credit_code(rng, district.code, "51")
            investor, stem, tld = f"{city.name}{supervisor}", f"{city.short}{py}", "org.cn"
            content = "协会门户"
        else:
            dept, py = rng.choice(GOVERNMENT)
            holder, doc = f"{city.name}{district.name}{dept}", credit_code(rng, district.code, "11")
            investor, tld = f"{city.name}{district.name}人民政府", "gov.cn"
            stem, content = f"{district.pinyin}{py}", "政务信息公开"
        if holder in self.used_holders or f"{stem}.{tld}" in self.used_domains:
            return self.org(province, SubjectNature.ENTERPRISE)
        owner = self.person(district.code)
        main = self.domain(stem, tlds=(tld,))
        return _Org(
            province, city, district, nature, holder, doc, holder, stem, main, (content,),
            owner, address, mailing, investor,
        )  # fmt: skip

    def access(self) -> AccessInput:
        methods = [m for m, _ in ACCESS_METHODS]
        method = self.rng.choices(methods, weights=[w for _, w in ACCESS_METHODS])[0]
        net = self.rng.choice(("203.0.113", "198.51.100", "192.0.2"))
        count = 1 if self.rng.random() < 0.7 else 2
        ips = [f"{net}.{self.rng.randrange(2, 250)}" for _ in range(count)]
        return AccessInput(isp_name=ISP_NAME, method=method, server_ips=list(dict.fromkeys(ips)))

    def next_content(self, org: _Org) -> str:
        """What the organisation's next website does: its own kinds first, then others."""
        for content in org.contents:
            if content not in org.used_contents:
                return content
        others = [c for c in SITE_KINDS if c not in org.used_contents]
        return self.rng.choice(others or list(org.contents))

    def website(self, org: _Org, principal: PrincipalInput) -> WebsiteInput:
        rng = self.rng
        content = self.next_content(org)
        org.used_contents.add(content)
        preapproval = ("", "")
        if org.nature is SubjectNature.INDIVIDUAL:
            suffix, content = rng.choice(BLOGS)
            name, domains = f"{org.owner.name}{suffix}", [org.main_domain]
        elif org.nature is not SubjectNature.ENTERPRISE:
            name = org.holder_name
            if org.nature is SubjectNature.GOVERNMENT:
                name += "门户网站"
            domains = [org.main_domain, f"www.{org.main_domain}"]
        elif content == "企业官网":
            name = f"{org.brand}官网"
            domains = [org.main_domain, f"www.{org.main_domain}"]
        else:
            label, word, idn_word = SITE_KINDS[content]
            name = f"{org.brand}{label}"
            idn = f"{org.brand}{idn_word}.{rng.choice(('中国', 'cn', '公司'))}"
            if rng.random() < 0.25 and idn not in self.used_domains:  # a Chinese domain
                self.used_domains.add(idn)
                domains = [idn]
            else:
                stem = f"{org.brand_py}{word}"
                domains = [self.domain(stem, f"{org.city.short}{stem}")]
            if content == "药品信息展示":
                year = rng.randrange(2020, 2026)
                preapproval = (
                    "药品和医疗器械",
                    f"({org.province.abbr})-非经营性-{year}-{rng.randrange(1, 300):04d}",
                )
        main = domains[-1] if domains[-1].startswith("www.") else domains[0]
        return WebsiteInput(
            name=name,
            home_url=f"https://{main}",
            domains=domains,
            service_content=content,
            language="zh_CN" if rng.random() < 0.85 else "zh_CN,en_US",
            preapproval_type=preapproval[0],
            preapproval_number=preapproval[1],
            principal=principal,
            access=self.access(),
        )

    def staff_member(self, org: _Org) -> _Person:
        host = None
        if org.nature is not SubjectNature.INDIVIDUAL and self.rng.random() < 0.5:
            host = org.main_domain
        return self.person(org.district.code, mail_host=host)

    def filing(self, org: _Org, websites: int) -> FilingInput:
        owner = org.owner
        owner.phone2 = (
            f"{org.city.area_code}-{self.rng.randrange(5, 9)}{self.rng.randrange(10**6, 10**7)}"
            if org.nature is not SubjectNature.INDIVIDUAL and self.rng.random() < 0.6
            else ""
        )
        sites = []
        for i in range(websites):
            same = i == 0 and (org.nature is SubjectNature.INDIVIDUAL or self.rng.random() < 0.4)
            keeper = owner if same else self.staff_member(org)
            sites.append(self.website(org, keeper.principal()))
        doc_type = (
            DocType.RESIDENT_ID if org.nature is SubjectNature.INDIVIDUAL else DocType.CREDIT_CODE
        )
        return FilingInput(
            subject=SubjectInput(
                province_code=org.province.code,
                city=org.city.name,
                nature=org.nature,
                holder_name=org.holder_name,
                doc_type=doc_type,
                doc_number=org.doc_number,
                document_address=org.address,
                mailing_address=org.mailing_address,
                investor=org.investor,
                principal=owner.principal(),
            ),
            websites=sites,
        )

    # -- reads (never writes) ---------------------------------------------------------------
    def read(self, fn: Callable[[Session], object]):
        with self.app.ctx.unit_of_work() as session:
            return fn(session)

    def state(self, rid: int) -> str:
        return self.read(lambda s: s.get(Request, rid).state)  # type: ignore[return-value]

    def verifiers(self, rid: int) -> list[tuple[int, str, str]]:
        """(id, phone, state) of the request's latest round, in order."""

        def q(session: Session):
            round_id = session.scalar(
                select(VerificationRound.id)
                .where(VerificationRound.request_id == rid)
                .order_by(VerificationRound.number.desc())
                .limit(1)
            )
            return [
                (v.id, v.phone, v.state)
                for v in session.scalars(
                    select(Verifier).where(Verifier.round_id == round_id).order_by(Verifier.id)
                )
            ]

        return self.read(q)  # type: ignore[return-value]

    def code_for(self, phone: str) -> str | None:
        """What the phone shows: the newest code it received."""

        def q(session: Session):
            entries = read_outbox(session, self.app.ctx.keys, phone=phone, limit=1)
            match = CODE_IN_TEXT.search(entries[0].text) if entries else None
            return match.group(1) if match else None

        return self.read(q)  # type: ignore[return-value]

    def subject_of(self, rid: int) -> int:
        return self.read(lambda s: s.get(Request, rid).subject_id)  # type: ignore[return-value]

    def sites(self, subject_id: int) -> list[tuple[int, int, str, bool, str]]:
        """(website id, principal id, principal mobile, has active access, service
        content) of the subject's active websites."""

        def q(session: Session):
            subject = session.get(Subject, subject_id)
            return [
                (
                    w.id,
                    w.principal_id,
                    w.principal.mobile,
                    any(a.status == "active" for a in w.access_records),
                    w.service_content,
                )
                for w in subject.websites
                if w.status == "active"
            ]

        return self.read(q)  # type: ignore[return-value]

    def subject_principal(self, subject_id: int) -> tuple[int, str]:
        def q(session: Session):
            subject = session.get(Subject, subject_id)
            return subject.principal_id, subject.principal.mobile

        return self.read(q)  # type: ignore[return-value]

    def request_website_ids(self, rid: int) -> list[int]:
        return self.read(  # type: ignore[return-value]
            lambda s: [link.website_id for link in s.get(Request, rid).website_links]
        )

    # -- acts -------------------------------------------------------------------------------
    def clerk(self) -> str:
        return self.rng.choice(ISP_STAFF)

    def submit(self, rid: int) -> RequestState:
        state = self.app.submission.submit(request_id=rid, by=self.clerk())
        if state is RequestState.VERIFYING:
            self.tick_soon(self.policy.send_delay + timedelta(seconds=30))
        return state

    def check(self, rid: int, phone: str, *, code: str | None = None, last6: str | None = None):
        person = self.people.get(phone)
        code = code or self.code_for(phone)
        if person is None or code is None or self.state(rid) != RequestState.VERIFYING:
            return None
        return self.app.verification.check_code(
            code=code, phone=phone, id_last6=last6 or person.last6, by="web"
        )

    def wrong_code(self, phone: str) -> str:
        real = self.code_for(phone) or "000000"
        return f"{(int(real) + self.rng.randrange(1, 999_999)) % 1_000_000:06d}"

    def wrong_last6(self, phone: str) -> str:
        real = self.people[phone].last6
        i = self.rng.randrange(6)
        digit = str((int(real[i]) + self.rng.randrange(1, 10)) % 10) if real[i].isdigit() else "0"
        return real[:i] + digit + real[i + 1 :]

    def helpdesk_resend(self, phone: str) -> bool:
        """A caller says the SMS never came: staff resend on their behalf."""
        person = self.people[phone]
        outcome = self.app.verification.resend_code(
            phone=phone, id_last6=person.last6, by=self.rng.choice(HELP_DESK), on_behalf=True
        )
        if outcome.sent:
            self.tick_soon(timedelta(seconds=15))
        return outcome.sent

    # -- verification behaviours ---------------------------------------------------------------
    def after_send(self, rid: int, then: Callable[[], None]) -> None:
        """Runs `then` once the round's first SMS went out (the send tick is queued)."""
        self.at(self.later(6, 9), then)

    def everyone_verifies(
        self, rid: int, on_done: Callable[[], None], *, late_ok: bool = True
    ) -> None:
        def start() -> None:
            for _, phone, state in self.verifiers(rid):
                if state == VerifierState.PENDING:
                    self.one_verifies(rid, phone, on_done, late_ok=late_ok)

        self.after_send(rid, start)

    def one_verifies(
        self, rid: int, phone: str, on_done: Callable[[], None], *, late_ok: bool
    ) -> None:
        def verify(**kwargs: str) -> Callable[[], None]:
            def act() -> None:
                outcome = self.check(rid, phone, **kwargs)
                if outcome and outcome.result == CheckResult.VERIFIED_REQUEST_COMPLETE:
                    on_done()

            return act

        style = self.rng.choices(
            ("prompt", "typo", "helpdesk", "late"), weights=(68, 14, 8, 10 if late_ok else 0)
        )[0]
        if style == "prompt":
            self.at(self.later(3, 180), verify())
        elif style == "typo":
            when = self.later(3, 120)
            if self.rng.random() < 0.5:
                self.at(when, lambda: self.check(rid, phone, code=self.wrong_code(phone)))
            else:
                self.at(when, lambda: self.check(rid, phone, last6=self.wrong_last6(phone)))
            self.at(when + timedelta(seconds=self.rng.randrange(40, 300)), verify())
        elif style == "helpdesk":
            when = self.later(60, 200)

            def call() -> None:
                if self.state(rid) == RequestState.VERIFYING and self.helpdesk_resend(phone):
                    self.at(self.later(2, 20), verify())
                    if self.rng.random() < 0.3:  # asks again at once: too soon, refused
                        self.at(self.later(0.2, 0.5), lambda: self.resend_again(phone))

            self.at(when, call)
        else:  # the next day: after 12:00 with the automatic resend's code if there was one
            self.at(self.later(16 * 60, 22 * 60), verify())

    def resend_again(self, phone: str) -> None:
        self.app.verification.resend_code(
            phone=phone, id_last6=self.people[phone].last6, by="web", on_behalf=False
        )

    def some_verify(
        self, rid: int, *, wrong_try: bool = False, resend: bool = False, first: bool = True
    ) -> None:
        """The first verifier does (unless `first` is false: with quorum "any" that
        would be enough), the others have not yet, or never will."""

        def start() -> None:
            pending = [p for _, p, s in self.verifiers(rid) if s == VerifierState.PENDING]
            if first and len(pending) > 1:
                self.at(self.later(3, 90), lambda: self.check(rid, pending[0]))
            rest = pending[1:] if len(pending) > 1 else pending
            if wrong_try and rest:
                self.at(
                    self.later(20, 100),
                    lambda: self.check(rid, rest[0], code=self.wrong_code(rest[0])),
                )
            if resend and rest:
                self.at(self.later(30, 120), lambda: self.helpdesk_resend(rest[-1]))

        self.after_send(rid, start)

    def tries_run_out(self, rid: int) -> None:
        """The last verifier keeps getting it wrong until the tries are used up."""

        def start() -> None:
            pending = [p for _, p, s in self.verifiers(rid) if s == VerifierState.PENDING]
            when = self.later(5, 60)
            for phone in pending[:-1]:
                self.at(when, lambda phone=phone: self.check(rid, phone))
            loser = pending[-1]
            for _ in range(self.policy.max_wrong_tries):
                when += timedelta(seconds=self.rng.randrange(45, 600))
                if self.rng.random() < 0.5:
                    self.at(when, lambda: self.check(rid, loser, code=self.wrong_code(loser)))
                else:
                    self.at(when, lambda: self.check(rid, loser, last6=self.wrong_last6(loser)))

        self.after_send(rid, start)

    # -- the bureau -------------------------------------------------------------------------
    def bureau(
        self, rid: int, province: str, decision: str, then: Callable[[], None] | None = None
    ) -> Callable[[], None]:
        """Schedules the bureau's decision for when it gets to the request."""

        def scheduled() -> None:
            def decide() -> None:
                by = BUREAU_STAFF.get(province, "bureau.reviewer")
                if decision == "approve":
                    self.app.review.approve(request_id=rid, by=by)
                    if self.state(rid) == RequestState.VERIFYING:  # a change_phone's round
                        self.tick_soon(self.policy.send_delay + timedelta(seconds=30))
                else:
                    self.app.review.reject(
                        request_id=rid, by=by, reason=self.rng.choice(REJECT_REASONS)
                    )
                if then is not None:
                    then()

            self.at(self.next_office_time(), decide)

        return scheduled

    # -- first filings ------------------------------------------------------------------------
    def first_filing(self, outcome: str, day: int, host: _Host | None = None) -> None:
        rng = self.rng
        if host is not None:
            org, websites = host.org, 2
        else:
            nature = SubjectNature.ENTERPRISE if outcome == "verifying_some" else None
            org = self.org(self.province(), nature)
            websites = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            if org.nature is not SubjectNature.ENTERPRISE:
                websites = 1
        self.used_holders.add(org.holder_name)
        filing = self.filing(org, websites)
        if outcome == "verifying_some":  # two people, so one can be done and one not
            for website in filing.websites:
                if website.principal.mobile == org.owner.mobile:
                    website.principal = self.staff_member(org).principal()
        province_code = org.province.code
        when = {
            "verifying_some": lambda: self.office(DAYS, DAY_START, 15.0),
            "verifying_none": lambda: (
                self.office(DAYS - 1, 18.5, 20.5)
                if rng.random() < 0.4
                else self.office(DAYS, DAY_START, 15.5)
            ),
            "review": lambda: (
                self.office(day, DAY_START, 12.5) if day == DAYS else self.office(day)
            ),
        }.get(outcome, lambda: self.office(day))()

        def enter() -> None:
            self.new_filing(outcome, filing, province_code, host)

        self.at(when, enter)

    def new_filing(
        self, outcome: str, filing: FilingInput, province: str, host: _Host | None
    ) -> None:
        rng = self.rng
        labels = {
            "host": (RequestState.APPROVED, None),
            "approved": (RequestState.APPROVED, None),
            "resubmitted": (RequestState.APPROVED, None),
            "rejected": (RequestState.REJECTED, None),
            "review": (RequestState.BUREAU_REVIEW, None),
            "verifying_some": (RequestState.VERIFYING, None),
            "verifying_none": (RequestState.VERIFYING, None),
            "expired": (RequestState.RETURNED, ReturnReason.EXPIRED),
            "tries": (RequestState.RETURNED, ReturnReason.TRIES_USED_UP),
            "undeliverable": (RequestState.RETURNED, ReturnReason.UNDELIVERABLE),
            "draft": (RequestState.DRAFT, None),
        }
        state, reason = labels[outcome]
        real_mobile = None
        if outcome == "resubmitted":  # the website principal's number was mistyped
            real_mobile = filing.websites[-1].principal.mobile
            filing.websites[-1].principal.mobile = self.mobile()
        if outcome == "draft" and rng.random() < 0.5:  # half-entered: no domains, no phone
            filing.websites[-1].domains = []
            filing.websites[-1].principal.mobile = ""
        rid = self.app.filings.save_new_filing(filing=filing, by=self.clerk())
        self.expect[rid] = _Expect(f"new_filing/{outcome}", state, reason)
        if outcome == "draft":
            if not filing.websites[-1].domains and rng.random() < 0.6:

                def try_submit() -> None:
                    with suppress(ValidationFailed):  # errors named on screen: stays a draft
                        self.submit(rid)

                self.at(self.later(5, 60), try_submit)
            return
        if outcome == "undeliverable":  # every number of the request, so no SMS gets out
            phones = {filing.subject.principal.mobile}
            self.make_unreachable(phones | {w.principal.mobile for w in filing.websites})

        def go() -> None:
            self.submit_and_follow(rid, outcome, province, host, filing, real_mobile)

        if rng.random() < 0.25:  # saved first, checked over, then submitted
            self.at(self.later(10, 90), go)
        else:
            go()

    def submit_and_follow(
        self,
        rid: int,
        outcome: str,
        province: str,
        host: _Host | None,
        filing: FilingInput,
        real_mobile: str | None,
    ) -> None:
        self.submit(rid)
        late_ok = self.day_of(self.clock.now) < DAYS - 1
        if outcome in ("approved", "host"):
            then = self.start_follow_ups(host, rid) if host else None
            self.everyone_verifies(
                rid, self.bureau(rid, province, "approve", then), late_ok=late_ok
            )
        elif outcome == "rejected":
            self.everyone_verifies(rid, self.bureau(rid, province, "reject"), late_ok=late_ok)
        elif outcome == "review":
            self.everyone_verifies(rid, lambda: None, late_ok=False)
        elif outcome == "verifying_some":
            self.some_verify(rid, wrong_try=self.rng.random() < 0.3)
        elif outcome == "verifying_none":
            self.some_verify(rid, wrong_try=self.rng.random() < 0.3, resend=True)
        elif outcome == "expired":
            style = self.rng.choice(("nobody", "some", "resend"))
            if style != "nobody":
                self.some_verify(rid, resend=style == "resend")
        elif outcome == "tries":
            self.tries_run_out(rid)
        elif outcome == "undeliverable":
            due = self.clock.now + self.policy.send_delay + self.policy.window
            self.at(due + timedelta(minutes=10), lambda: self.check_unreachable(rid))
        elif outcome == "resubmitted":
            self.some_verify(rid)
            assert real_mobile is not None
            deadline = self.clock.now + self.policy.send_delay + self.policy.window
            self.at(
                self.office(self.day_of(deadline) + 1),
                lambda: self.correct_and_resubmit(rid, filing, real_mobile, province),
            )

    def correct_and_resubmit(
        self, rid: int, filing: FilingInput, real_mobile: str, province: str
    ) -> None:
        """The ISP calls the customer, gets the right number, and submits again."""
        for website, website_id in zip(filing.websites, self.request_website_ids(rid), strict=True):
            website.id = website_id
        filing.websites[-1].principal.mobile = real_mobile
        self.app.filings.save_new_filing(filing=filing, by=self.clerk(), request_id=rid)
        self.submit(rid)
        self.everyone_verifies(rid, self.bureau(rid, province, "approve"))

    # -- undeliverable numbers ------------------------------------------------------------------
    def make_unreachable(self, phones: set[str]) -> None:
        if self.original_sender is None:
            self.original_sender = self.app.ctx.sender
            self.app.ctx.sender = _UnreachableNumbers(self.original_sender, self.unreachable)
        self.unreachable |= phones

    def check_unreachable(self, rid: int) -> None:
        """The round has ended as undeliverable by now: those numbers are done with."""
        self.app.tick()
        if self.state(rid) != RequestState.VERIFYING:
            for _, phone, _ in self.verifiers(rid):
                self.unreachable.discard(phone)
        if not self.unreachable:
            self.restore_sender()

    def restore_sender(self) -> None:
        if self.original_sender is not None:
            self.app.ctx.sender = self.original_sender
            self.original_sender = None

    # -- follow-ups on approved subjects ---------------------------------------------------------
    def start_follow_ups(self, host: _Host, rid: int) -> Callable[[], None]:
        def later_on(kind: str, outcome: str, when: datetime, late: bool) -> None:
            self.at(when, lambda: self.follow_up(host, kind, outcome, late=late))

        def then() -> None:
            host.subject_id = self.subject_of(rid)
            if host.early:
                when = max(self.office(host.early_day), self.clock.now + timedelta(hours=18))
                later_on(*host.early, when, late=False)
            if host.late:
                kind, outcome = host.late
                hi = {"approved": 10.5, "review": 12.5}.get(outcome, 15.0)
                if kind == "change_phone":  # the bureau approves the number first
                    hi = min(hi, 13.0)
                later_on(kind, outcome, self.office(DAYS, DAY_START, hi), late=True)

        return then

    def follow_up(self, host: _Host, kind: str, outcome: str, *, late: bool) -> None:
        assert host.subject_id is not None
        org, subject_id = host.org, host.subject_id
        sites = self.sites(subject_id)
        if kind == "cancel_website" and len(sites) < 2:
            kind = "change_website"
        if kind == "cancel_access" and not any(s[3] for s in sites):
            kind = "new_access"
        by = self.clerk()
        rng = self.rng
        site = rng.choice(sites)
        if kind == "new_website":
            keeper = org.owner if rng.random() < 0.4 else self.staff_member(org)
            website = self.website(org, keeper.principal())
            rid = self.app.filings.save_new_website(subject_id=subject_id, website=website, by=by)
            business = BusinessType.NEW_WEBSITE
        elif kind == "new_access":
            rid = self.app.filings.save_new_access(website_id=site[0], access=self.access(), by=by)
            business = BusinessType.NEW_ACCESS
        elif kind == "change_subject":
            change = ChangeInput()
            if rng.random() < 0.5:
                change.subject = {
                    "mailing_address": self.address(org.province, org.city, org.district)
                }
            else:  # a new legal representative takes over as subject principal
                successor = self.person(org.district.code)
                change.subject_principal = {
                    "name": successor.name,
                    "doc_number": successor.doc_number,
                    "mobile": successor.mobile,
                    "email": successor.email,
                }
            rid = self.app.filings.save_change(subject_id=subject_id, change=change, by=by)
            business = BusinessType.CHANGE
        elif kind == "change_website":
            change = ChangeInput()
            if rng.random() < 0.5:
                # the site is redone as something else: new name, new service content
                content = rng.choice([c for c in SITE_KINDS if c not in (site[4], "企业官网")])
                name = f"{org.brand}{SITE_KINDS[content][0]}"
                change.websites = {site[0]: {"name": name, "service_content": content}}
            else:  # same person, new number: verified at the new number only
                person = self.people[site[2]]
                change.website_principals = {site[0]: {"mobile": self.new_number_for(person)}}
            rid = self.app.filings.save_change(subject_id=subject_id, change=change, by=by)
            business = BusinessType.CHANGE
        elif kind == "change_remarks":
            change = ChangeInput(subject={"remarks": rng.choice(REMARKS)})
            rid = self.app.filings.save_change(subject_id=subject_id, change=change, by=by)
            business = BusinessType.CHANGE
            outcome = "review" if outcome in ("verifying", "expired") else outcome
        elif kind == "change_phone":
            principal_id, mobile = (
                self.subject_principal(subject_id) if rng.random() < 0.5 else site[1:3]
            )
            new = self.new_number_for(self.people[mobile])
            rid = self.app.filings.save_phone_change(
                principal_id=principal_id, new_mobile=new, by=by
            )
            business = BusinessType.CHANGE_PHONE
        else:
            business = BusinessType(kind)
            target = {"subject_id": subject_id}
            if business is not BusinessType.CANCEL_SUBJECT:
                choices = [s for s in sites if s[3]] if kind == "cancel_access" else sites[1:]
                target = {"website_id": rng.choice(choices or sites)[0]}
            rid = self.app.filings.save_cancellation(business_type=business, by=by, **target)
        states = {
            "approved": (RequestState.APPROVED, None),
            "rejected": (RequestState.REJECTED, None),
            "review": (RequestState.BUREAU_REVIEW, None),
            "verifying": (RequestState.VERIFYING, None),
            "expired": (RequestState.RETURNED, ReturnReason.EXPIRED),
            "draft": (RequestState.DRAFT, None),
        }
        self.expect[rid] = _Expect(f"{kind}/{outcome}", *states[outcome])
        if outcome == "draft":
            return
        self.submit(rid)
        province = org.province.code
        if business is BusinessType.CHANGE_PHONE:
            self.phone_change(rid, province, outcome)
        elif self.state(rid) == RequestState.BUREAU_REVIEW:  # remarks only: no SMS
            if outcome in ("approved", "rejected"):
                self.bureau(rid, province, "approve" if outcome == "approved" else "reject")()
        elif outcome == "approved":
            self.everyone_verifies(rid, self.bureau(rid, province, "approve"), late_ok=not late)
        elif outcome == "rejected":
            self.everyone_verifies(rid, self.bureau(rid, province, "reject"), late_ok=not late)
        elif outcome == "review":
            self.everyone_verifies(rid, lambda: None, late_ok=False)
        elif outcome == "verifying" and rng.random() < 0.4:
            self.some_verify(
                rid,
                wrong_try=rng.random() < 0.5,
                resend=rng.random() < 0.5,
                first=business is not BusinessType.CANCEL_WEBSITE,  # one would pass it
            )
        # "expired": nobody answers

    def phone_change(self, rid: int, province: str, outcome: str) -> None:
        """Bureau approves the number first; then the round runs at the new number."""
        if outcome == "review":
            return  # waiting for the bureau to approve the new number
        if outcome == "rejected":
            self.bureau(rid, province, "reject")()
            return

        def round_runs() -> None:
            if outcome == "approved":
                self.everyone_verifies(rid, lambda: None, late_ok=False)
            elif outcome == "verifying" and self.rng.random() < 0.5:
                self.some_verify(rid, wrong_try=True)

        self.bureau(rid, province, "approve", round_runs)()

    # -- the end -----------------------------------------------------------------------------
    def summary(self, seed: int, size: int, started_at: datetime) -> DemoSummary:
        def q(session: Session) -> DemoSummary:
            rows = session.execute(
                select(Request.id, Request.state, Request.business_type, Request.return_reason,
                       Request.province_code)
            ).all()  # fmt: skip
            off_plan = []
            for rid, state, _, reason, _ in rows:
                want = self.expect.get(rid)
                if want is None:
                    off_plan.append(f"#{rid} was not planned")
                elif want.state != state or (want.reason and want.reason != reason):
                    got = f"{state}/{reason}" if reason else state
                    off_plan.append(f"#{rid} {want.label} ended {got}")

            def count(model, *where) -> int:
                return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

            return DemoSummary(
                seed=seed,
                size=size,
                started_at=started_at,
                ended_at=self.clock.now,
                requests=len(rows),
                by_state=dict(Counter(r.state for r in rows)),
                by_business_type=dict(Counter(r.business_type for r in rows)),
                by_return_reason=dict(Counter(r.return_reason for r in rows if r.return_reason)),
                by_province=dict(Counter(r.province_code for r in rows)),
                subjects_with_icp_number=count(Subject, Subject.icp_number.is_not(None)),
                websites_with_icp_number=count(Website, Website.icp_number.is_not(None)),
                sms_sent=count(SmsIntent, SmsIntent.status == SmsStatus.SENT),
                wrong_tries=count(Try, Try.result == CheckResult.WRONG),
                manual_resends=count(Resend, Resend.kind == SmsKind.MANUAL_RESEND),
                resends_on_behalf=count(Resend, Resend.on_behalf.is_(True)),
                auto_resends=count(Resend, Resend.kind == SmsKind.AUTO_RESEND),
                off_plan=tuple(off_plan),
            )

        return self.read(q)  # type: ignore[return-value]


REMARKS = (
    "主体通信地址邮编更正为310012",
    "补充说明：网站仅用于企业宣传，不涉及交互功能",
    "联系人办公电话分机号为8021",
    "备注更新：法定代表人已于本年度完成年检",
)

# -- the plan --------------------------------------------------------------------------------

FIRST_WEIGHTS = {
    "approved": 34,
    "review": 12,
    "verifying_some": 7,
    "verifying_none": 8,
    "expired": 6,
    "tries": 4,
    "undeliverable": 2,
    "rejected": 6,
    "resubmitted": 5,
    "draft": 10,
}
# (earliest day, latest day) each outcome may start on
FIRST_DAYS = {
    "host": (0, 2),
    "approved": (0, DAYS - 3),
    "rejected": (0, DAYS - 3),
    "review": (DAYS - 3, DAYS),
    "verifying_some": (DAYS, DAYS),
    "verifying_none": (DAYS, DAYS),
    "expired": (0, DAYS - 2),
    "tries": (0, DAYS - 1),
    "undeliverable": (0, DAYS - 2),
    "resubmitted": (0, DAYS - 5),
    "draft": (0, DAYS),
}
EARLY_BASE = [
    ("new_website", "approved"),
    ("change_subject", "approved"),
    ("change_phone", "approved"),
    ("cancel_website", "approved"),
]
LATE_BASE = [
    ("new_access", "verifying"),
    ("change_remarks", "review"),
    ("cancel_access", "verifying"),
    ("cancel_subject", "verifying"),
]
EARLY_KINDS = ("new_website", "new_access", "change_subject", "change_website", "change_phone",
               "cancel_website", "cancel_access", "change_remarks")  # fmt: skip
LATE_KINDS = (*EARLY_KINDS, "cancel_subject")
EARLY_OUTCOMES = {"approved": 65, "rejected": 15, "expired": 20}
LATE_OUTCOMES = {"verifying": 40, "review": 30, "draft": 15, "approved": 15}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _plan(desk: _Desk, size: int) -> None:
    rng = desk.rng
    hosts = max(len(EARLY_BASE), round(size * 0.2))
    base = ["host"] * hosts + [
        "approved", "rejected", "review", "review", "verifying_some", "verifying_none",
        "verifying_none", "expired", "tries", "undeliverable", "resubmitted", "draft", "draft",
    ]  # fmt: skip
    if size < len(base):
        raise ValueError(f"size must be at least {len(base)} to show every state")
    outcomes = base + [_pick(rng, FIRST_WEIGHTS) for _ in range(size - len(base))]
    host_index = 0
    for outcome in outcomes:
        lo, hi = FIRST_DAYS[outcome]
        day = rng.randint(lo, hi)
        host = None
        if outcome == "host":
            host = _Host(desk.org(desk.province(), SubjectNature.ENTERPRISE))
            if host_index < len(EARLY_BASE):
                host.early, host.late = EARLY_BASE[host_index], LATE_BASE[host_index]
            else:
                host.early = (rng.choice(EARLY_KINDS), _pick(rng, EARLY_OUTCOMES))
                host.late = (rng.choice(LATE_KINDS), _pick(rng, LATE_OUTCOMES))
            host.early_day = rng.randint(day + 3, DAYS - 3)
            host_index += 1
        desk.first_filing(outcome, day, host)


def fill_demo_data(app: Beian, clock: ManualClock, *, seed: int = 7, size: int = 60) -> DemoSummary:
    """Plays about ten days of filings on an empty database; returns what it left.

    `size` is the number of first filings (at least 17, so every state shows); about
    half as many follow-up requests on the approved subjects come on top. The SMS
    must go to the local outbox (the default sender): that is where the people in
    the story read their codes.
    """
    if not isinstance(app.ctx.sender, OutboxSender):
        raise ValueError("fill_demo_data reads codes from the local outbox: use its sender")
    with app.ctx.unit_of_work() as session:
        if session.scalar(select(func.count()).select_from(Request)):
            raise ValueError("fill_demo_data needs a database without requests")
    rng = random.Random(seed)
    desk = _Desk(app, clock, rng, app.settings.policy())
    started_at = clock.now
    try:
        _plan(desk, size)
        desk.run()
    finally:
        desk.restore_sender()
    return desk.summary(seed, size, started_at)
