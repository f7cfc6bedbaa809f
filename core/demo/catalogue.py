"""What the demo sells and where: products that need a visit, platforms and their order ids."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TypeVar

from core.orders.lifecycle import ServiceType

T = TypeVar("T")

SKILLS = (
    "aircon",
    "water_heater",
    "water_purifier",
    "sanitary",
    "kitchen",
    "furniture",
    "general",
)


@dataclass(frozen=True)
class Product:
    """A product whose sale or fault brings a technician to the customer's home."""

    sku: str
    name: str
    price_fen: int
    skill: str
    # Custom-made goods are measured before they are built; others never are.
    measurable: bool = False


PRODUCTS: tuple[Product, ...] = (
    Product("AC-KFR26", "空调挂机 1匹 KFR-26GW", 2_199_00, "aircon"),
    Product("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 2_899_00, "aircon"),
    Product("AC-KFR72L", "立式空调柜机 3匹 KFR-72LW", 6_999_00, "aircon"),
    Product("AC-CENTRAL", "家用中央空调 一拖三", 18_800_00, "aircon", measurable=True),
    Product("WH-JSQ25", "壁挂燃气热水器 13升", 1_899_00, "water_heater"),
    Product("WH-E60", "电热水器 60升", 1_299_00, "water_heater"),
    Product("WP-RO600", "净水器 RO反渗透 600G", 2_499_00, "water_purifier"),
    Product("WP-PRE", "前置过滤器", 699_00, "water_purifier"),
    Product("SN-SEAT", "智能马桶盖", 1_599_00, "sanitary"),
    Product("SN-TOILET", "智能马桶 一体机", 4_299_00, "sanitary"),
    Product("SN-SHOWER", "恒温花洒套装", 899_00, "sanitary"),
    Product("KT-HOOD", "油烟机 侧吸式", 2_599_00, "kitchen"),
    Product("KT-STOVE", "嵌入式燃气灶", 1_199_00, "kitchen"),
    Product("KT-DISH", "嵌入式洗碗机 13套", 4_999_00, "kitchen", measurable=True),
    Product("KT-CABINET", "整体橱柜 定制", 12_800_00, "kitchen", measurable=True),
    Product("FN-WARDROBE", "衣柜 推拉门 定制", 6_800_00, "furniture", measurable=True),
    Product("FN-BED", "实木双人床 1.8米", 3_299_00, "furniture"),
    Product("FN-DESK", "电动升降书桌", 1_899_00, "furniture"),
    Product("GN-RACK", "电动晾衣架", 1_299_00, "general"),
    Product("GN-LOCK", "智能门锁 指纹", 1_499_00, "general"),
    Product("GN-CURTAIN", "电动窗帘轨道", 999_00, "general", measurable=True),
)

# Accessories bought with the main product; they ride along on the same visit.
ACCESSORIES: dict[str, tuple[Product, ...]] = {
    "aircon": (Product("AC-PIPE", "空调加长铜管 1米", 120_00, "aircon"),),
    "water_heater": (Product("WH-VALVE", "热水器角阀", 35_00, "water_heater"),),
    "water_purifier": (Product("WP-FILTER", "净水器替换滤芯", 199_00, "water_purifier"),),
    "kitchen": (Product("KT-HOSE", "燃气软管 1.5米", 45_00, "kitchen"),),
}

# Repairs bill a call-out fee, not the product price.
REPAIR_FEE_FEN: dict[str, int] = {
    "aircon": 150_00,
    "water_heater": 120_00,
    "water_purifier": 80_00,
    "sanitary": 100_00,
    "kitchen": 120_00,
    "furniture": 100_00,
    "general": 80_00,
}

SERVICE_WEIGHTS: tuple[tuple[ServiceType, int], ...] = (
    (ServiceType.INSTALL, 55),
    (ServiceType.REPAIR, 25),
    (ServiceType.MEASURE, 12),
    (ServiceType.RETURN_VISIT, 8),
)

PLATFORM_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("tmall", 35),
    ("jd", 25),
    ("taobao", 12),
    ("suning", 10),
    ("erp", 10),
    ("own", 8),
)


def platform_order_id(platform: str, rng: random.Random) -> str:
    """An order number shaped like the platform's own (lengths and prefixes as seen in exports)."""
    if platform in ("tmall", "taobao"):
        # Taobao/Tmall trade ids: 18 or 19 digits, never starting with 0.
        length = rng.choice((18, 19))
        return str(rng.randint(1, 4)) + _digits(rng, length - 1)
    if platform == "jd":
        return str(rng.randint(2, 3)) + _digits(rng, 11)
    if platform == "suning":
        return "SN" + _digits(rng, 14)
    if platform == "erp":
        return f"ERP{rng.randint(2024, 2026)}{rng.randint(1, 12):02d}{_digits(rng, 6)}"
    # The own shop numbers its orders SHOP + 12 digits (LM... are our own order numbers).
    return "SHOP" + _digits(rng, 12)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def choose_weighted(rng: random.Random, table: tuple[tuple[T, int], ...]) -> T:
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights=weights, k=1)[0]


def skill_for_sku(sku: str) -> str | None:
    """The skill an item line needs, for products, accessories, repairs and return visits."""
    base = sku.removesuffix("-RV").removesuffix("-R")
    for product in (*PRODUCTS, *(a for group in ACCESSORIES.values() for a in group)):
        if product.sku == base:
            return product.skill
    return None


@dataclass(frozen=True)
class DemoCity:
    """A city the demo serves: its code for usernames, weight in demand, and service points."""

    abbr: str
    adcode: str
    short_name: str
    demand: int
    # (key suffix, county adcode): one service point in each of these counties.
    points: tuple[tuple[str, str], ...]


DEMO_CITIES: tuple[DemoCity, ...] = (
    DemoCity("bj", "110100", "北京", 25, (("chaoyang", "110105"), ("haidian", "110108"),
                                          ("fengtai", "110106"))),
    DemoCity("sh", "310100", "上海", 25, (("pudong", "310115"), ("minhang", "310112"),
                                          ("xuhui", "310104"))),
    DemoCity("hz", "330100", "杭州", 15, (("xihu", "330106"), ("xiaoshan", "330109"))),
    DemoCity("gz", "440100", "广州", 20, (("tianhe", "440106"), ("baiyun", "440111"),
                                          ("panyu", "440113"))),
    DemoCity("cd", "510100", "成都", 15, (("wuhou", "510107"), ("chenghua", "510108"))),
)

# Residential compounds: Faker's zh_CN has streets but no compound names.
COMPOUND_HEADS = ("阳光", "金地", "绿城", "万科", "翠苑", "锦绣", "和平", "东方", "华润", "世纪",
                  "保利", "碧桂园", "龙湖", "幸福", "春晓", "枫林", "滨江", "新城")
COMPOUND_TAILS = ("花园", "小区", "家园", "公寓", "苑", "新村", "名邸", "府")
