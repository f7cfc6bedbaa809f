"""Placing an address in a county: structured fields first, then the free text, hints resolve."""

from __future__ import annotations

from functools import cache

from core.geo.address import Form, Mention, Named, NameIndex, clean, is_pseudo_city, key
from core.geo.evidence import CITY_BEFORE, Candidate, Field, Gatherer
from core.geo.regions import Region, RegionIndex, load_regions
from core.intake.model import Placement

TEXT_LIMIT = 300  # region names come first; a pasted essay is not read to its end
FIELD_LIMIT = 64
CLOSE_MARGIN = 4  # a runner-up this close: the hints barely decided
CONFIDENCE_CITY, CONFIDENCE_PROVINCE = 0.3, 0.1
# Each note is "中文 (English)"; several are joined by "；" (the console shows one language).
_METHOD_NOTE = {"structured": ("按结构化字段定位", "placed by the structured fields"),
                "text": ("按地址文本定位", "placed by the address text"),
                "hints": ("按地址文本结合省市字段定位",
                          "placed by the address text with the province and city fields")}
_FIELD_EN = {"省": "province", "市": "city", "区县": "county"}


def _field(label: str) -> str:
    return _FIELD_EN.get(label, label)


def path(province: Region, city: Region | None = None, county: Region | None = None) -> str:
    """浙江省杭州市西湖区; 北京市朝阳区 and 广东省东莞市 without the repeated level."""
    parts = [province.name]
    if city is not None and not is_pseudo_city(city) and city.name != province.name:
        parts.append(city.name)
    if county is not None and (city is None or county.name != city.name):
        parts.append(county.name)
    return "".join(parts)


def _order(c: Candidate) -> tuple[int, bool, int, int, int]:
    # Equal scores: a county named by a field first (structured fields first), then the better
    # written form, the earlier mention, and the smaller adcode so the answer is stable.
    return (c.total, c.field_form is not None, c.text_form or 0, -c.text_start,
            -int(c.county.adcode))


def _sole_winner(candidates: list[Candidate], fields: bool, text: bool) -> Candidate | None:
    best: Candidate | None = None
    top, count = 0, 0
    for c in candidates:
        s = c.score(fields, text)
        if s > top:
            best, top, count = c, s, 1
        elif s == top and s > 0:
            count += 1
    return best if count == 1 else None


class Locator:
    """Finds the county (NBS 2023 adcode) and a coordinate for an address."""

    def __init__(self, regions: RegionIndex) -> None:
        self._regions = regions
        self._names = NameIndex(regions)
        self._gatherer = Gatherer(self._names)
        self._paths = {adcode: path(self._names.province_of[adcode], self._names.city_of[adcode],
                                    county) for adcode, county in self._names.counties.items()}

    def locate(self, address: str, province: str = "", city: str = "",
               district: str = "") -> Placement:
        """The county for the fields and address, or as far as they allow, with the reasons."""
        text = clean(address, TEXT_LIMIT)
        fields = []
        if province or city or district:
            for label, raw in (("省", province), ("市", city), ("区县", district)):
                value = clean(raw, FIELD_LIMIT)
                if value:
                    fields.append(Field(label, value, self._names.lookup(value)))
        if not text and not fields:
            return Placement(None, note="地址与省市区字段均为空，无法定位 (the address and its "
                                        "fields are empty: nothing to place)")
        mentions = self._names.scan(text)
        everything = self._gatherer.gather(fields, mentions)
        ranked = [c for c in everything if c.total > 0]
        if not ranked:
            return self._coarse(fields, mentions, everything)
        if len(ranked) > 1:
            ranked.sort(key=_order, reverse=True)
        return self._place(ranked, everything, fields, bool(mentions))

    def _place(self, ranked: list[Candidate], everything: list[Candidate],
               fields: list[Field], has_text: bool) -> Placement:
        best = ranked[0]
        key = (best.total, best.field_form is not None)
        tied = [c for c in ranked if (c.total, c.field_form is not None) == key]
        if not fields:
            method = "text"
        elif not has_text or _sole_winner(everything, fields=True, text=False) is best:
            method = "structured"
        elif _sole_winner(everything, fields=False, text=True) is best:
            method = "text"
        else:
            method = "hints"
        confidence = best.confidence()
        zh, en = _METHOD_NOTE[method]
        notes = [f"{zh}：{self._where(best)} ({en}: {self._where(best)})"]
        if len(tied) > 1:
            confidence = min(confidence, 0.9) / len(tied)
            places = "、".join(self._where(c) for c in tied)
            notes.append(f"有{len(tied)}处同样可能（{places}），线索不足，暂取{self._where(best)}，"
                         f"请核实 ({len(tied)} places are equally likely; "
                         f"{self._where(best)} is taken for now: please check)")
        else:
            if len(ranked) > 1 and key[0] - ranked[1].total < CLOSE_MARGIN:
                confidence *= 0.85
            name = best.county.name
            namesakes = [c for c in everything if c is not best and c.county.name == name]
            explicit = best.field_city or best.text_city >= CITY_BEFORE
            if namesakes and (method == "hints" or not explicit):  # when hints decided it
                others = "、".join(self._where(c) for c in namesakes)
                notes.append(f"同名的{others}已按其他线索排除 "
                             f"(counties of the same name ruled out by other clues)")
        if best.text_form is None:
            rivals = [c for c in ranked[1:] if c.text_form in (Form.FULL, Form.ALIAS)]
            if rivals:
                confidence *= 0.8
                notes.append(f"地址文本写的是“{rivals[0].county.name}”，与区县字段不一致，"
                             f"以结构化字段为准 (the address text names another county than "
                             f"the county field; the structured fields win)")
        notes += [f"{f.label}字段“{f.value}”与定位结果不符，未采用 (the {_field(f.label)} "
                  f"field does not match the placement: not used)" for f in best.against]
        if best.text_against:
            notes.append("地址文本中另有不符的省市名称 (the address text also names a province "
                         "or city that does not match)")
        for f in fields:
            if not f.named.hits and method != "structured":
                notes.append(f"{f.label}字段“{f.value}”未能识别 (the {_field(f.label)} field "
                             f"is not recognised)")
        lng, lat, fallback = self._centre(best)
        if fallback:
            notes.append(fallback)
        return Placement(
            adcode=best.county.adcode, province=best.province.name,
            city="" if is_pseudo_city(best.city) else best.city.name, county=best.county.name,
            lng=lng, lat=lat, confidence=round(min(confidence, 0.99), 2), method=method,
            note="；".join(notes))

    def _is_its_province(self, city: Region, named: Named) -> bool:
        province = self._names.province_of[city.adcode]
        return province.name != city.name and key(province) in named.keys

    def _where(self, c: Candidate) -> str:
        return self._paths[c.county.adcode]

    @staticmethod
    def _centre(c: Candidate) -> tuple[float | None, float | None, str]:
        """The county's centre, else its city's, else its province's, and a note when not."""
        if c.county.lng is not None and c.county.lat is not None:
            return c.county.lng, c.county.lat, ""
        if c.city.lng is not None and c.city.lat is not None:
            return c.city.lng, c.city.lat, ("区县无中心坐标，取所在市的中心 (the county has no "
                                            "centre: the city's centre is used)")
        if c.province.lng is not None and c.province.lat is not None:
            return c.province.lng, c.province.lat, ("区县与所在市均无中心坐标，取省的中心 "
                                                    "(neither the county nor the city has a "
                                                    "centre: the province's centre is used)")
        return None, None, "无可用的中心坐标 (no centre point is known)"

    def _coarse(self, fields: list[Field], mentions: list[Mention],
                everything: list[Candidate]) -> Placement:
        """No county fits: say how far the fields and text do get (a city or a province)."""
        cities: dict[str, int] = {}
        provinces: dict[str, int] = {}
        named_hits = [f.named for f in fields] + [m.named for m in mentions]
        for n, named in enumerate(named_hits):
            in_text = n >= len(fields)
            for hit in named.hits:
                region = hit.region
                if region.level == "province":
                    provinces[region.adcode] = 2
                elif region.level != "city" or is_pseudo_city(region):
                    continue
                elif hit.form is Form.SHORT and self._is_its_province(region, named):
                    continue  # 吉林 alone is the province before it is the city
                else:
                    points = 3 if in_text and hit.form is Form.SHORT else 4
                    cities[region.adcode] = max(cities.get(region.adcode, 0), points)
        for adcode in cities:
            cities[adcode] += provinces.get(self._names.province_of[adcode].adcode, 0)
        rejected = list(dict.fromkeys(c.county.name for c in everything))[:3]
        notes = [f"“{name}”与其他线索不符，未采用 ({name} does not fit the other clues: not "
                 f"used)" for name in rejected]
        top = [self._names.cities[a] for a, p in cities.items() if p == max(cities.values())]
        if len({c.name for c in top}) == 1:  # one city, or 重庆市 which the list splits in two
            province = self._names.province_of[top[0].adcode]
            notes.insert(0, f"只能定位到市级：{path(province, top[0])}，缺少区县 (placed in a "
                            f"city only, no county: {path(province, top[0])})")
            return Placement(None, province=province.name, city=top[0].name,
                             confidence=CONFIDENCE_CITY, note="；".join(notes))
        if top:  # tied cities may still share their province
            shared = {self._names.province_of[c.adcode].adcode for c in top}
            if len(shared) == 1:
                provinces = {shared.pop(): 2}
        chosen = _sole_top(provinces)
        if chosen is not None:
            province_region = self._regions.get(chosen)
            if province_region is not None:
                notes.insert(0, f"只能定位到省级：{province_region.name}，缺少市和区县 (placed in "
                                f"a province only, no city or county: {province_region.name})")
                return Placement(None, province=province_region.name,
                                 confidence=CONFIDENCE_PROVINCE, note="；".join(notes))
        notes.insert(0, "未能从地址或省市区字段中识别出行政区划 (no region is recognised in the "
                        "address or its fields)")
        return Placement(None, note="；".join(notes))


def _sole_top(points: dict[str, int]) -> str | None:
    if not points:
        return None
    top = max(points.values())
    winners = [adcode for adcode, p in points.items() if p == top]
    return winners[0] if len(winners) == 1 else None


@cache
def default_locator() -> Locator:
    """The locator over the NBS 2023 regions, built once per process."""
    return Locator(load_regions())
