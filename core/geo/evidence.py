"""What the structured fields and the text say about each candidate county, and its score."""

from __future__ import annotations

from typing import NamedTuple

from core.geo.address import Form, Hit, Mention, Named, NameIndex, key
from core.geo.regions import Region

# Points per piece of evidence. A county named outright outweighs its city, which outweighs
# its province; a field that names somewhere else entirely counts against the candidate.
FIELD_COUNTY = {Form.FULL: 8, Form.ALIAS: 8, Form.SHORT: 6}
TEXT_COUNTY = {Form.FULL: 8, Form.ALIAS: 6, Form.SHORT: 4}
CITY_BEFORE, CITY_AFTER, CITY_BOTH = 4, 1, 5  # a city written after the county is likely a road
PROVINCE, PROVINCE_BOTH = 2, 3
CONTRADICTION = 6
NOT_YET = 1 << 30

# How often each piece alone is right, combined as a noisy-OR into the confidence.
P_FIELD_COUNTY = {Form.FULL: 0.85, Form.ALIAS: 0.85, Form.SHORT: 0.7}
P_TEXT_COUNTY = {Form.FULL: 0.8, Form.ALIAS: 0.75, Form.SHORT: 0.6}
P_CITY, P_CITY_AFTER, P_PROVINCE = 0.6, 0.2, 0.3


class Field(NamedTuple):
    """One structured field as given: its label for notes, cleaned value, what it names."""

    label: str
    value: str
    named: Named


class Candidate:
    """A county the address may be in, with everything said for and against it."""

    __slots__ = ("against", "city", "county", "field_city", "field_form", "field_province",
                 "keys", "province", "text_against", "text_city", "text_form", "text_needs_fields",
                 "text_province", "text_start", "total")

    def __init__(self, county: Region, city: Region, province: Region,
                 keys: tuple[str, str, str]) -> None:
        self.county, self.city, self.province = county, city, province
        self.keys = keys  # county, city and province keys
        self.field_form: Form | None = None
        self.text_form: Form | None = None
        self.text_start = NOT_YET
        self.text_needs_fields = False  # a bare short name at the start, admitted by a field
        self.field_city = self.field_province = self.text_province = False
        self.text_city = 0
        self.against: tuple[Field, ...] = ()  # fields that name somewhere else
        self.text_against = 0  # cities/provinces written before the county that are not its own
        self.total = 0  # score() from every source, once gathered

    def score(self, fields: bool = True, text: bool = True) -> int:
        """Points from the chosen sources; 0 when those sources do not name this county."""
        county = 0
        if fields and self.field_form is not None:
            county = FIELD_COUNTY[self.field_form]
        if text and self.text_form is not None and (fields or not self.text_needs_fields):
            county = max(county, TEXT_COUNTY[self.text_form])
        if county == 0:
            return 0
        by_field = fields and self.field_city
        by_text = self.text_city if text else 0
        city = CITY_BOTH if by_field and by_text else CITY_BEFORE if by_field else by_text
        by_field = fields and self.field_province
        by_text = text and self.text_province
        province = PROVINCE_BOTH if by_field and by_text else PROVINCE if by_field or by_text else 0
        penalty = CONTRADICTION * (len(self.against) if fields else 0)
        penalty += CONTRADICTION * (self.text_against if text else 0)
        return county + city + province - penalty

    def confidence(self) -> float:
        """Noisy-OR of the evidence, less for every field or name that disagrees."""
        doubt = 1.0
        if self.field_form is not None:
            doubt *= 1 - P_FIELD_COUNTY[self.field_form]
        if self.text_form is not None:
            doubt *= 1 - P_TEXT_COUNTY[self.text_form]
        if self.field_city:
            doubt *= 1 - P_CITY
        if self.text_city:
            doubt *= 1 - (P_CITY if self.text_city >= CITY_BEFORE else P_CITY_AFTER)
        if self.field_province or self.text_province:
            doubt *= 1 - P_PROVINCE
        return (1 - doubt) * 0.7 ** (len(self.against) + self.text_against)


class Gatherer:
    """Turns field hits and text mentions into scored candidate counties."""

    def __init__(self, names: NameIndex) -> None:
        self._places = {
            adcode: (county, names.city_of[adcode], names.province_of[adcode],
                     (key(county), key(names.city_of[adcode]), key(names.province_of[adcode])))
            for adcode, county in names.counties.items()
        }

    def _candidate(self, found: dict[str, Candidate], county: Region) -> Candidate:
        got = found.get(county.adcode)
        if got is None:
            got = found[county.adcode] = Candidate(*self._places[county.adcode])
        return got

    def gather(self, fields: list[Field], mentions: list[Mention]) -> list[Candidate]:
        """Every county named by a field or the text, with its evidence and total score."""
        found: dict[str, Candidate] = {}
        field_keys: frozenset[str] = frozenset()
        if fields:
            field_keys = field_keys.union(*(f.named.keys for f in fields))
            for f in fields:
                for hit in f.named.counties:
                    c = self._candidate(found, hit.region)
                    if c.field_form is None or c.field_form < hit.form:
                        c.field_form = hit.form
        starts: dict[str, list[int]] = {}  # city or province key -> where the text names it
        areas: list[Mention] = []  # mentions naming a city or province
        by_end: dict[int, Mention] = {}
        for m in mentions:
            if m.inner:  # never the name just before another: its outer name is
                continue
            by_end[m.end] = m
            if m.named.areas:
                areas.append(m)
                for k in m.named.areas:
                    starts.setdefault(k, []).append(m.start)
        for m in mentions:
            for hit in m.named.counties:
                self._text_county(found, hit, m, by_end, field_keys)
        for c in found.values():
            county_key, city_key, province_key = c.keys
            for f in fields:
                keys = f.named.keys
                if not keys or county_key in keys:
                    continue
                if city_key in keys:
                    c.field_city = True
                elif province_key in keys:
                    c.field_province = True
                else:
                    c.against += (f,)
            if city_key in starts:
                c.text_city = self._city_evidence(c, starts[city_key])
            if province_key in starts:
                c.text_province = min(starts[province_key]) < c.text_start
            for m in areas:
                if m.start < c.text_start and city_key not in m.named.keys \
                        and province_key not in m.named.keys:
                    c.text_against += 1
            c.total = c.score()
        return list(found.values())

    def _text_county(self, found: dict[str, Candidate], hit: Hit, mention: Mention,
                     by_end: dict[int, Mention], field_keys: frozenset[str]) -> None:
        form = hit.form
        needs_fields = False
        if mention.inner:  # a name inside a longer one counts one form less, bare ones not at all
            if form is Form.SHORT:
                return
            form = Form(form - 1)
        elif form is Form.SHORT:
            admitted = self._short_admitted(hit.region, mention, by_end, field_keys)
            if admitted is None:
                return
            needs_fields = admitted
        c = self._candidate(found, hit.region)
        if c.text_form is None or c.text_form < form:
            c.text_form = form
            c.text_needs_fields = needs_fields
        if mention.start < c.text_start:
            c.text_start = mention.start

    def _short_admitted(self, county: Region, mention: Mention, by_end: dict[int, Mention],
                        field_keys: frozenset[str]) -> bool | None:
        """Whether a bare short name (西湖) may stand for this county: None no, True via a field.

        Bare names are common words, so one counts only right after its own city or province
        (杭州西湖, 北京朝阳), or at the very start when a field names its city; and not when the
        same word is the county's own city (辽宁朝阳 is 朝阳市, 辽宁朝阳朝阳 is 朝阳县)."""
        place, city, _, (_, city_key, province_key) = self._places[county.adcode]
        before = by_end.get(mention.start)
        if before is None and place.name[0] == "市":  # 青岛市南 is 青岛市 + 市南, sharing 市
            before = by_end.get(mention.start + 1)
        before_keys = before.named.keys if before is not None else frozenset()
        if place.name == city.name:  # 东莞, 嘉峪关: the city is its own county
            return False if mention.start == 0 or province_key in before_keys else None
        if city_key in mention.named.keys:  # the city's own name, unless said twice (长沙长沙)
            return False if city_key in before_keys else None
        if city_key in before_keys or province_key in before_keys:
            return False
        if mention.start == 0 and (city_key in field_keys or province_key in field_keys):
            return True
        return None

    @staticmethod
    def _city_evidence(c: Candidate, starts: list[int]) -> int:
        # A city that is its own county (东莞市) vouches for itself only when written in full.
        same_name = c.county.name == c.city.name and c.text_form is not Form.SHORT
        before = after = False
        for s in starts:
            if s < c.text_start or (s == c.text_start and same_name):
                before = True
            elif s > c.text_start:
                after = True
        return CITY_BEFORE if before else CITY_AFTER if after else 0
