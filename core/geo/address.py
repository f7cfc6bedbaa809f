"""Region names as people write them: cleaning, short forms, and an index that scans text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from core.geo.regions import Region, RegionIndex

# The 55 minorities, as they appear inside autonomous region names (广西壮族, 伊犁哈萨克).
ETHNIC_GROUPS = [
    *"蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲".split(),
    *"高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌".split(),
    *"普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲".split(),
    *"门巴 珞巴 基诺".split(),
    "各",  # 龙胜各族自治县: "all groups", shortened like the others
]
_ETHNIC_LONGEST_FIRST = sorted(ETHNIC_GROUPS, key=len, reverse=True)

# Names that people shorten in ways no rule derives (博州, 巴州), or that carry an odd suffix.
_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "内蒙古自治区": ("内蒙",),
    "博尔塔拉蒙古自治州": ("博州",),
    "巴音郭楞蒙古自治州": ("巴州",),
    "克孜勒苏柯尔克孜自治州": ("克州",),
    "西双版纳傣族自治州": ("版纳",),
    "保定白沟新城": ("白沟新城",),
    "乌拉盖管理区管委会": ("乌拉盖管理区", "乌拉盖"),
    "中沙群岛的岛礁及其海域": ("中沙群岛",),
    "大柴旦行政委员会": ("大柴旦行委", "大柴旦"),
}

# Values platforms put in a level that has no real name (municipalities, province-run counties).
PLACEHOLDERS = frozenset({
    "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级行政区划", "省直辖县",
    "省直辖", "直辖县", "其他", "其它", "全境", "全市", "全区", "中国", "中华人民共和国",
})
PSEUDO_CITY_SUFFIX = "直辖县级行政区划"
ROAD_WORDS = ("路", "街", "巷", "道", "胡同")
# Level words dropped for the bare short form, longest first (浦东新区 -> 浦东, not 浦东新).
_PLAIN_SUFFIXES = ("特别行政区", "地区", "林区", "特区", "新区", "省", "市", "盟", "区", "县", "旗")


def _drop_pattern() -> re.Pattern[str]:
    # Whitespace, controls, surrogates, ASCII/CJK/full-width punctuation: people and platforms
    # scatter them between the levels ("浙江 杭州-西湖区"); none is part of a region name.
    ranges = [(0x00, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0xBF), (0x2000, 0x206F),
              (0x3000, 0x303F), (0xD800, 0xDFFF), (0xFE00, 0xFE6F), (0xFEFF, 0xFF0F),
              (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65), (0xFFF0, 0xFFFF)]
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]+")


_DROP = _drop_pattern()


def clean(value: object, limit: int) -> str:
    """The text with separators and controls removed, at most `limit` characters."""
    if not isinstance(value, str) or not value:
        return ""
    # Only a bounded prefix: region names come first, and a 100 kB paste must stay cheap.
    return _DROP.sub("", value[: limit * 4])[:limit]


class Form(IntEnum):
    """How a name was written: bare short form (西湖), derived alias (长阳县, 恩施州), full."""

    SHORT = 1
    ALIAS = 2
    FULL = 3


_LEVEL_MARK = {"province": "P", "city": "C", "county": "K"}


def key(region: Region) -> str:
    """A region's identity as one string: 东莞市 is both a city and a county under one adcode."""
    return _LEVEL_MARK[region.level] + region.adcode


@dataclass(frozen=True, slots=True)
class Hit:
    """One region a written name may stand for, and in which form it was written."""

    region: Region
    form: Form


@dataclass(frozen=True, slots=True)
class Named:
    """What a written name stands for, split the ways scanning and scoring need it."""

    hits: tuple[Hit, ...]
    keys: frozenset[str]  # key() of every hit, for quick membership tests
    counties: tuple[Hit, ...]
    areas: tuple[str, ...]  # keys of the cities and provinces among the hits
    bare: bool  # only ever a bare short form (中山, 朝阳): may be part of a road name

    @classmethod
    def of(cls, hits: tuple[Hit, ...]) -> Named:
        return cls(hits, frozenset(key(h.region) for h in hits),
                   tuple(h for h in hits if h.region.level == "county"),
                   tuple(key(h.region) for h in hits if h.region.level != "county"),
                   bool(hits) and all(h.form is Form.SHORT for h in hits))


NOTHING = Named.of(())
_ABSENT = Named.of(())  # not the start of any name: NOTHING's twin, told apart by identity


class Mention:
    """A region name found in a text: where it is, and every region it may stand for."""

    __slots__ = ("end", "inner", "named", "start")

    def __init__(self, start: int, end: int, named: Named, inner: bool) -> None:
        self.start = start
        self.end = end
        self.named = named
        self.inner = inner  # inside an earlier, longer name (新县 in 阳新县): weaker evidence

    def __repr__(self) -> str:
        return f"Mention({self.start}, {self.end}, {[h.region.name for h in self.named.hits]})"


def strip_ethnic(base: str) -> str:
    """广西壮族 -> 广西, 积石山保安族东乡族撒拉族 -> 积石山; keeps at least two characters."""
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC_LONGEST_FIRST:
            for tail in (group + "族", group if len(group) > 1 else None):
                if tail and base.endswith(tail) and len(base) - len(tail) >= 2:
                    base, changed = base[: -len(tail)], True
                    break
            if changed:
                break
    return base


def name_forms(region: Region) -> list[tuple[str, Form]]:
    """Every way the region's name is commonly written, with its form."""
    name = region.name
    forms: list[tuple[str, Form]] = [(name, Form.FULL)]
    forms += [(alias, Form.ALIAS) for alias in _EXTRA_ALIASES.get(name, ())]
    for suffix in ("自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix) and len(name) > len(suffix):
            base = strip_ethnic(name[: -len(suffix)])
            if base.endswith("族") and base[:-1] in ETHNIC_GROUPS:  # 鄂温克族自治旗 -> 鄂温克旗
                base = base[:-1]
            if len(base) >= 2:
                level_word = suffix[-1]
                if level_word != "区":  # 恩施州, 长阳县, 鄂伦春旗; never 广西区
                    forms.append((base + level_word, Form.ALIAS))
                if base not in ETHNIC_GROUPS:
                    forms.append((base, Form.SHORT))
            return forms
    for suffix in _PLAIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.append((name[: -len(suffix)], Form.SHORT))
            break
    return forms


def is_pseudo_city(region: Region) -> bool:
    """省直辖县级行政区划 and the like: a grouping in the list, not a place people name."""
    return region.name.endswith(PSEUDO_CITY_SUFFIX)


class NameIndex:
    """Every written form of every province, city and county, for exact lookup and scanning."""

    def __init__(self, regions: RegionIndex) -> None:
        self.city_of: dict[str, Region] = {}  # county adcode -> its city (maybe a pseudo city)
        self.province_of: dict[str, Region] = {}  # county or city adcode -> its province
        self.counties: dict[str, Region] = {}
        self.cities: dict[str, Region] = {}
        found: dict[str, dict[str, Hit]] = {}
        for province in regions.provinces():
            self._add(found, province)
            for city in regions.children(province.adcode):
                self.province_of[city.adcode] = province
                self.cities[city.adcode] = city
                if not is_pseudo_city(city):
                    self._add(found, city)
                for county in regions.children(city.adcode):
                    self.counties[county.adcode] = county
                    self.city_of[county.adcode] = city
                    self.province_of[county.adcode] = province
                    self._add(found, county)
        self._names = {name: Named.of(tuple(hits.values())) for name, hits in found.items()}
        # Every start of a name (two characters or more) -> the name it completes, if any:
        # scanning walks forward only while the text still spells the start of some name.
        self._prefixes: dict[str, Named | None] = {}
        for name in self._names:
            for n in range(2, len(name) + 1):
                self._prefixes.setdefault(name[:n], None)
        self._prefixes.update(self._names)

    @staticmethod
    def _add(found: dict[str, dict[str, Hit]], region: Region) -> None:
        for written, form in name_forms(region):
            hits = found.setdefault(written, {})
            k = key(region)
            if k not in hits or hits[k].form < form:
                hits[k] = Hit(region, form)

    def exact(self, name: str) -> Named:
        """The regions this whole string names, or nothing."""
        return self._names.get(name, NOTHING)

    def scan(self, text: str) -> list[Mention]:
        """The longest name starting at each position, flagged when inside an earlier one."""
        prefixes = self._prefixes
        size = len(text)
        found: list[Mention] = []
        reach = 0
        # Positions where some name could start, found in one pass before any longer walk.
        for start in [i for i in range(size - 1) if text[i:i + 2] in prefixes]:
            end = start + 2
            longest = 0
            named: Named | None = None
            while end <= size:
                got = prefixes.get(text[start:end], _ABSENT)
                if got is _ABSENT:
                    break
                if got is not None:
                    longest, named = end, got
                end += 1
            if named is not None:
                if named.bare and text.startswith(ROAD_WORDS, longest) \
                        and text[longest:longest + 2] not in prefixes:
                    continue  # 中山路, 南京路: a road, not the place (but 唐山路南区 is)
                # Overlaps are normal (青岛市南区 = 青岛市 + 市南区); a name wholly inside
                # another may be the one meant (信阳新县 reads 阳新县 first), so it stays.
                found.append(Mention(start, longest, named, longest <= reach))
                reach = max(reach, longest)
        return found

    def lookup(self, field: str) -> Named:
        """What a structured field names: the whole value, else every name found inside it."""
        if not field or field in PLACEHOLDERS:
            return NOTHING
        named = self.exact(field)
        if named.hits:
            return named
        return Named.of(tuple(h for m in self.scan(field) for h in m.named.hits))
