"""The product catalogue: which goods need a visit, of which trade, with which skills.

Read from resources/catalogue/catalogue.csv (its README.md explains the columns). A SKU the
catalogue does not know is inferred from the product name with keyword rules, and the entry says
so in its note; a name nothing matches keeps the line as trade "general", so no work is lost.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from core.orders.lifecycle import ServiceType
from core.text import both

CATALOGUE_CSV = Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "catalogue.csv"
GENERAL = "general"

TRADE_LABELS: dict[str, str] = {
    "aircon": "空调",
    "water_heater": "热水器",
    "water_purifier": "净水",
    "sanitary": "卫浴",
    "kitchen": "厨电",
    "furniture": "家具",
    GENERAL: "通用",
}

# First match wins, so the more specific words come first (橱柜 is kitchen, 衣柜 furniture).
_TRADE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("aircon", ("中央空调", "空调", "挂机", "柜机", "新风", "KFR")),
    ("water_heater", ("热水器", "壁挂炉", "采暖炉")),
    ("water_purifier", ("净水", "纯水", "软水", "滤芯", "前置过滤", "管线机")),
    ("sanitary", ("马桶", "坐便", "花洒", "淋浴", "浴室柜", "浴缸", "龙头", "地漏", "卫浴")),
    ("kitchen", ("油烟机", "烟机", "燃气灶", "灶具", "集成灶", "洗碗机", "橱柜", "消毒柜",
                 "蒸烤", "嵌入式烤箱", "垃圾处理器", "水槽")),
    ("furniture", ("衣柜", "书柜", "鞋柜", "沙发", "床", "书桌", "餐桌", "茶几", "电视柜",
                   "榻榻米")),
    (GENERAL, ("晾衣架", "门锁", "指纹锁", "窗帘", "吸顶灯", "灯具", "电视挂架", "摄像头",
               "浴霸")),
)
_VIRTUAL_WORDS = ("延保", "充值", "话费", "流量", "优惠券", "代金券", "会员", "虚拟", "卡券",
                  "礼品卡", "购物卡", "红包", "积分")
_GIFT_WORDS = ("赠品", "【赠】", "(赠)", "随机赠送", "免费赠送")
_NO_SERVICE_WORDS = ("电池", "清洁剂", "清洗剂", "除垢剂", "遥控器", "说明书", "防尘罩",
                     "保护套", "贴纸", "收纳袋")
_MEASURE_WORDS = ("定制", "量尺", "全屋")
_SERVICE_WORDS: tuple[tuple[ServiceType, tuple[str, ...]], ...] = (
    (ServiceType.RETURN_VISIT, ("回访",)),
    (ServiceType.REPAIR, ("维修", "检修", "报修")),
    (ServiceType.AFTER_SALES, ("售后", "退换")),
)


@dataclass(frozen=True)
class CatalogueEntry:
    """What the catalogue says about one product (or what was inferred from its name)."""

    sku: str
    name: str
    needs_service: bool
    trade: str  # aircon, water_heater, ...: one service order per trade
    service_type: ServiceType  # default when the platform gives no service tag
    skills: tuple[str, ...]
    virtual: bool = False  # warranty cards, top-ups, coupons, memberships
    gift: bool = False  # handed out free with another product
    price_fen: int | None = None  # list price, for the audit's price check
    max_per_home: int | None = None  # more than this to one address is implausible
    inferred: bool = False  # not in the catalogue: guessed from the name
    note: str = ""  # how an inferred entry was guessed, `中文 (English)`, for the timeline


def trade_label(trade: str) -> str:
    """The trade's Chinese name (the code itself for a trade without one)."""
    return TRADE_LABELS.get(trade, trade)


def trade_label_en(trade: str) -> str:
    """The trade's English name: its code in words (water_heater -> water heater)."""
    return trade.replace("_", " ")


def sku_key(sku: str) -> str:
    """The catalogue key of a SKU: platforms pad outer ids and mix the case."""
    return unicodedata.normalize("NFKC", sku).strip().upper()


class Catalogue:
    """Catalogue entries by SKU, with inference for SKUs it does not know."""

    def __init__(self, entries: Iterable[CatalogueEntry]) -> None:
        self._by_sku: dict[str, CatalogueEntry] = {}
        for entry in entries:
            key = sku_key(entry.sku)
            if key in self._by_sku:
                raise ValueError(f"SKU {entry.sku} appears twice in the catalogue")
            self._by_sku[key] = entry

    def get(self, sku: str) -> CatalogueEntry | None:
        return self._by_sku.get(sku_key(sku))

    def entry_for(self, sku: str, name: str) -> CatalogueEntry:
        """The catalogue's entry for the SKU, else one inferred from the product name."""
        entry = self._by_sku.get(sku_key(sku))
        return entry if entry is not None else infer_entry(sku, name)

    def __contains__(self, sku: object) -> bool:
        return isinstance(sku, str) and sku_key(sku) in self._by_sku

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self._by_sku.values())

    def __len__(self) -> int:
        return len(self._by_sku)


def _first_word(name: str, words: Iterable[str]) -> str | None:
    return next((w for w in words if w in name), None)


@lru_cache(maxsize=4096)
def infer_entry(sku: str, name: str) -> CatalogueEntry:
    """An entry for a product the catalogue does not know, from keywords in its name."""
    text = unicodedata.normalize("NFKC", name).upper()
    head = (f"SKU「{sku}」不在商品目录，", f'SKU "{sku}" is not in the catalogue: '
            ) if sku.strip() else ("无 SKU 的商品不在商品目录，",
                                   "a product without a SKU is not in the catalogue: ")

    def entry(needs: bool, trade: str, why: tuple[str, str], *, virtual: bool = False,
              gift: bool = False, service: ServiceType = ServiceType.INSTALL) -> CatalogueEntry:
        return CatalogueEntry(sku=sku, name=name, needs_service=needs, trade=trade,
                              service_type=service, skills=(trade,) if needs else (),
                              virtual=virtual, gift=gift, inferred=True,
                              note=both(head[0] + why[0], head[1] + why[1]))

    if word := _first_word(text, _VIRTUAL_WORDS):
        return entry(False, GENERAL, (f"按品名中的「{word}」视为虚拟商品",
                                      f'taken for virtual goods by "{word}" in its name'),
                     virtual=True)
    if word := _first_word(text, _GIFT_WORDS):
        return entry(False, GENERAL, (f"按品名中的「{word}」视为赠品",
                                      f'taken for a gift by "{word}" in its name'), gift=True)
    if word := _first_word(text, _NO_SERVICE_WORDS):
        return entry(False, GENERAL, (f"按品名中的「{word}」视为无需上门的商品",
                                      f'taken for goods without a visit by "{word}" in its name'))
    service = ServiceType.INSTALL
    if measure := _first_word(text, _MEASURE_WORDS):
        service = ServiceType.MEASURE
    for kind, words in _SERVICE_WORDS:
        if _first_word(text, words):
            service = kind
            break
    for trade, words in _TRADE_WORDS:
        if word := _first_word(text, words):
            why = (f"按品名中的「{word}」推断为{trade_label(trade)}（{trade}）",
                   f'taken for {trade_label_en(trade)} by "{word}" in its name')
            if service is ServiceType.MEASURE:
                why = (why[0] + f"，「{measure}」类商品先上门测量",
                       why[1] + f', and "{measure}" goods are measured first')
            return entry(True, trade, why, service=service)
    return entry(True, GENERAL, (f"品名「{name[:40]}」无法识别工种，按通用（general）保留",
                                 f'no trade known in the name "{name[:40]}": kept as general'),
                 service=service)


_TRUE = {"yes", "y", "true", "1", "是"}
_FALSE = {"no", "n", "false", "0", "否", ""}


def _flag(value: str, where: str) -> bool:
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{where}: '{value}' is not yes/no")


def _optional_int(value: str, where: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{where}: '{value}' is not a whole number")
    return int(value)


def read_catalogue(path: Path) -> Catalogue:
    """Read a catalogue CSV; a malformed row raises ValueError naming its line and column."""
    entries = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            at = f"{path.name}:{line}"
            try:
                # A sale is installed unless the row says otherwise (measure, repair, ...).
                service_type = ServiceType(row["service_type"].strip() or "install")
            except ValueError:
                raise ValueError(f"{at} service_type: '{row['service_type']}' is unknown") from None
            trade = row["trade"].strip() or GENERAL
            needs_service = _flag(row["needs_service"], f"{at} needs_service")
            skills = tuple(s.strip() for s in row["skills"].split("|") if s.strip())
            entries.append(CatalogueEntry(
                sku=row["sku"].strip(),
                name=row["name"].strip(),
                needs_service=needs_service,
                trade=trade,
                service_type=service_type,
                # A visit always needs somebody of its trade, even when the row names no skill.
                skills=skills or ((trade,) if needs_service else ()),
                virtual=_flag(row["virtual"], f"{at} virtual"),
                gift=_flag(row["gift"], f"{at} gift"),
                price_fen=_optional_int(row["price_fen"], f"{at} price_fen"),
                max_per_home=_optional_int(row["max_per_home"], f"{at} max_per_home"),
            ))
    return Catalogue(entries)


@cache
def load_catalogue(path: Path = CATALOGUE_CSV) -> Catalogue:
    """The catalogue, read once per process."""
    return read_catalogue(path)
