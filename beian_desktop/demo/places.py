"""The demo's reference data: places, names, companies and the reasons the bureau gives.

Plain tuples and small frozen dataclasses, no randomness: the makers draw from them
with the seeded rng, and bench/generate.py reuses them for its bulk data. The region
codes are real GB/T 2260 codes, so resident IDs and credit codes made from them pass
the product's checks. The staff who play the story are real accounts (accounts.py),
so their names are not here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    name: str
    code: str  # GB/T 2260 region code: the first six of resident IDs and credit codes
    pinyin: str
    streets: tuple[str, ...]


@dataclass(frozen=True)
class City:
    name: str
    short: str  # what local domains start with
    area_code: str
    districts: tuple[District, ...]


@dataclass(frozen=True)
class DemoProvince:
    code: str
    name: str
    abbr: str
    weight: int
    cities: tuple[City, ...]

    @property
    def municipality(self) -> bool:
        return self.name == self.cities[0].name


def _d(name: str, code: str, pinyin: str, *streets: str) -> District:
    return District(name, code, pinyin, streets)


PROVINCES: tuple[DemoProvince, ...] = (
    DemoProvince(
        "33",
        "浙江省",
        "浙",
        30,
        (
            City(
                "杭州市",
                "hz",
                "0571",
                (
                    _d("西湖区", "330106", "xihu", "文三路", "古墩路", "天目山路", "学院路"),
                    _d("滨江区", "330108", "binjiang", "网商路", "江南大道", "长河路"),
                    _d("余杭区", "330110", "yuhang", "文一西路", "五常大道", "良睦路"),
                ),
            ),
            City(
                "宁波市", "nb", "0574", (_d("鄞州区", "330212", "yinzhou", "天童南路", "首南中路"),)
            ),
            City(
                "温州市", "wz", "0577", (_d("鹿城区", "330302", "lucheng", "车站大道", "府前街"),)
            ),
        ),
    ),
    DemoProvince(
        "44",
        "广东省",
        "粤",
        25,
        (
            City(
                "广州市",
                "gz",
                "020",
                (
                    _d("天河区", "440106", "tianhe", "天河路", "体育西路", "华夏路"),
                    _d("海珠区", "440105", "haizhu", "新港中路", "江南大道中"),
                ),
            ),
            City(
                "深圳市",
                "sz",
                "0755",
                (
                    _d("南山区", "440305", "nanshan", "高新南九道", "深南大道", "科苑路"),
                    _d("福田区", "440304", "futian", "福华三路", "深南中路"),
                ),
            ),
            City(
                "东莞市", "dg", "0769", (_d("南城街道", "441900", "nancheng", "鸿福路", "宏远路"),)
            ),
        ),
    ),
    DemoProvince(
        "11",
        "北京市",
        "京",
        15,
        (
            City(
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
    DemoProvince(
        "51",
        "四川省",
        "蜀",
        12,
        (
            City(
                "成都市",
                "cd",
                "028",
                (
                    _d("武侯区", "510107", "wuhou", "天府大道北段", "人民南路四段"),
                    _d("锦江区", "510104", "jinjiang", "红星路三段", "东大街"),
                    _d("双流区", "510116", "shuangliu", "西航港大道", "空港一路"),
                ),
            ),
            City("绵阳市", "my", "0816", (_d("涪城区", "510703", "fucheng", "临园路", "剑南路"),)),
        ),
    ),
    DemoProvince(
        "35",
        "福建省",
        "闽",
        10,
        (
            City("福州市", "fz", "0591", (_d("鼓楼区", "350102", "gulou", "五四路", "杨桥中路"),)),
            City(
                "厦门市",
                "xm",
                "0592",
                (
                    _d("思明区", "350203", "siming", "湖滨南路", "鹭江道"),
                    _d("湖里区", "350206", "huli", "观日路", "枋湖北二路"),
                ),
            ),
            City("泉州市", "qz", "0595", (_d("丰泽区", "350503", "fengze", "刺桐路", "丰泽街"),)),
        ),
    ),
    DemoProvince(
        "61",
        "陕西省",
        "陕",
        8,
        (
            City(
                "西安市",
                "xa",
                "029",
                (
                    _d("雁塔区", "610113", "yanta", "科技路", "高新路", "小寨东路"),
                    _d("碑林区", "610103", "beilin", "南大街", "友谊西路"),
                ),
            ),
            City("咸阳市", "xy", "029", (_d("秦都区", "610402", "qindu", "人民西路", "世纪大道"),)),
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

REMARKS = (
    "主体通信地址邮编更正为310012",
    "补充说明：网站仅用于企业宣传，不涉及交互功能",
    "联系人办公电话分机号为8021",
    "备注更新：法定代表人已于本年度完成年检",
)
