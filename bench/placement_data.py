"""Addresses written the ways customers and platforms write them, from the NBS 2023 county list.

The short forms here are written from how people shorten names (浙江, 恩施州, 长阳县), not taken
from core.geo.address, so the benchmark does not grade the locator against its own rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from core.geo.regions import Region, RegionIndex

STYLES = ("full", "abbreviated", "missing_province", "district_only", "structured")
HINT_STYLES = frozenset({"district_only", "structured"})

ROADS = ("中山路", "人民路", "解放路", "建设路", "和平路", "新华路", "胜利路", "长江路", "黄河路",
         "北京路", "南京路", "朝阳路", "文化路", "青年路", "光明街", "幸福大街", "学府路",
         "工业大道", "滨江路", "东风路", "延安路", "西湖大道", "花园街", "振兴路", "迎宾大道")
PLACES = ("", "", "", "城关镇", "新华街道", "东城街道", "开发区", "高新区")
ESTATES = ("", "", "阳光小区", "锦绣花园", "幸福家园", "万科城", "碧桂园", "金色家园", "翠苑",
           "新城花园", "世纪嘉园", "华府")
# The ethnic words that appear in autonomous prefecture and county names, cut off in short forms.
ETHNIC = ("土家族", "苗族", "朝鲜族", "藏族", "羌族", "彝族", "布依族", "侗族", "哈尼族", "壮族",
          "傣族", "白族", "景颇族", "傈僳族", "回族", "蒙古族", "蒙古", "柯尔克孜", "哈萨克",
          "满族", "瑶族", "畲族", "黎族", "水族", "仡佬族", "土族", "撒拉族", "保安族", "东乡族",
          "拉祜族", "佤族", "纳西族", "普米族", "独龙族", "怒族", "布朗族", "毛南族", "仫佬族",
          "各族", "锡伯", "塔吉克", "达斡尔族", "鄂温克族", "裕固族", "哈萨克族", "维吾尔")
PROVINCE_SHORT = {"内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
                  "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆"}


@dataclass(frozen=True)
class Sample:
    """One generated address, the hint fields given with it, and the county it is in."""

    style: str
    address: str
    province: str
    city: str
    district: str
    adcode: str
    county_name: str

    def as_one_line(self) -> str:
        """The hints and the address as one string: how one feeds a text-only parser."""
        return f"{self.province}{self.city}{self.district}{self.address}"


@dataclass(frozen=True)
class Place:
    """A county with its city (None under a province-run grouping) and province."""

    county: Region
    city: Region | None
    province: Region


def places(regions: RegionIndex) -> list[Place]:
    """Every county of the list, in adcode order."""
    found = []
    for province in regions.provinces():
        for city in regions.children(province.adcode):
            grouping = city.name.endswith("直辖县级行政区划")
            for county in regions.children(city.adcode):
                found.append(Place(county, None if grouping else city, province))
    return sorted(found, key=lambda p: p.county.adcode)


def _before_ethnic(base: str) -> str:
    cut = min((base.find(word) for word in ETHNIC if base.find(word) > 0), default=len(base))
    return base[:cut]


def province_short(name: str) -> str:
    return PROVINCE_SHORT.get(name) or name.removesuffix("省").removesuffix("市")


def city_short(name: str) -> str:
    if name.endswith("自治州"):
        return _before_ethnic(name.removesuffix("自治州")) + "州"
    if name.endswith("地区"):
        return name.removesuffix("地区")
    if name.endswith("市") and len(name) > 2:
        return name.removesuffix("市")
    return name


def county_short(name: str) -> str:
    for suffix in ("自治县", "自治旗"):
        if name.endswith(suffix):
            base = _before_ethnic(name.removesuffix(suffix))
            if base in ETHNIC:  # 鄂温克族自治旗 -> 鄂温克旗
                base = base.removesuffix("族")
            return base + suffix[-1] if len(base) >= 2 else name
    return name


def tail(rng: random.Random) -> str:
    """A street part: place, road and number, maybe an estate with building and room."""
    estate = rng.choice(ESTATES)
    rest = f"{estate}{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{rng.randint(101, 2508)}室" \
        if estate else ""
    return f"{rng.choice(PLACES)}{rng.choice(ROADS)}{rng.randint(1, 999)}号{rest}"


def _levels(place: Place, province: str, city: str | None, county: str) -> str:
    # One name per level as written: 北京市朝阳区 (not 北京市北京市), 广东省东莞市 (its own county).
    parts = [province]
    if city is not None and city != province:
        parts.append(city)
    if place.city is None or place.county.name != place.city.name:
        parts.append(county)
    return "".join(parts)


def sample(place: Place, style: str, rng: random.Random) -> Sample:
    """One address for the county in the style, with a fresh street tail."""
    county, city, province = place.county, place.city, place.province
    city_name = city.name if city is not None else None
    hint_province = hint_city = hint_district = ""
    if style == "full":
        text = _levels(place, province.name, city_name, county.name)
    elif style == "abbreviated":
        short_city = city_short(city_name) if city_name is not None else None
        short_county = county_short(county.name)
        if city is None and short_county.endswith("市") and rng.random() < 0.5:
            short_county = short_county.removesuffix("市")  # 湖北仙桃
        text = _levels(place, province_short(province.name), short_city, short_county)
    elif style == "missing_province":
        text = _levels(place, "", city_name, county.name)
    elif style == "district_only":
        text = county.name
        hint_province = province.name
        hint_city = city_name if city_name is not None else rng.choice(("", county.name))
    else:
        text = ""
        short = rng.random() < 0.5
        hint_province = province_short(province.name) if short else province.name
        hint_city = (city_short(city_name) if short else city_name) if city_name else ""
        if city_name is None:  # platforms fill the level anyway
            hint_city = rng.choice(("", "省直辖县级行政区划", county.name))
        elif city_name == province.name and rng.random() < 0.5:
            hint_city = "市辖区"  # what many platforms give as a municipality's city
        hint_district = county.name
    return Sample(style, text + tail(rng), hint_province, hint_city, hint_district,
                  county.adcode, county.name)


def samples(regions: RegionIndex, per_style: int, seed: int) -> list[Sample]:
    """per_style counties (all when 0 or more than there are) in every style."""
    rng = random.Random(seed)
    every = places(regions)
    chosen = every if per_style <= 0 or per_style >= len(every) else rng.sample(every, per_style)
    return [sample(place, style, rng) for style in STYLES for place in chosen]
