"""What the queue shows: the filter a person sets, and how rows are matched against it.

Matching runs in the model over its own list of entries (a list comprehension per criterion),
not in a QSortFilterProxyModel whose C++ loop calls Python once per row: at 100,000 rows that
callback alone costs more than 20 times the matching itself (bench/queue_model.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from console.models.orders.rows import Entry


@dataclass(frozen=True)
class OrderFilter:
    """What the queue shows; empty fields filter nothing. Serialisable for QSettings."""

    states: frozenset[str] = field(default_factory=frozenset)
    region: str = ""  # a province, city or county adcode
    service_type: str = ""
    platform: str = ""
    text: str = ""
    needs_person: bool = False  # only the orders waiting for a person (core.orders.attention)

    def to_dict(self) -> dict[str, Any]:
        return {
            "states": sorted(self.states),
            "region": self.region,
            "service_type": self.service_type,
            "platform": self.platform,
            "text": self.text,
            "needs_person": self.needs_person,
        }

    @classmethod
    def from_dict(cls, data: Any) -> OrderFilter:
        if not isinstance(data, dict):
            return cls()
        states = data.get("states") or []
        return cls(
            states=frozenset(str(s) for s in states if isinstance(s, str)),
            region=str(data.get("region") or ""),
            service_type=str(data.get("service_type") or ""),
            platform=str(data.get("platform") or ""),
            text=str(data.get("text") or ""),
            needs_person=data.get("needs_person") is True,
        )


def region_prefix(adcode: str) -> str:
    """Adcodes nest by digits: 330106 is in city 330100 and province 330000."""
    if len(adcode) != 6 or not adcode.isdigit():
        return adcode
    if adcode.endswith("0000"):
        return adcode[:2]
    if adcode.endswith("00"):
        return adcode[:4]
    return adcode


class Matcher:
    """An OrderFilter prepared for matching: one entry (`accepts`, for a feed update) or a whole
    list at once (`select`, for a filter change: the same tests, one comprehension each)."""

    def __init__(self, order_filter: OrderFilter) -> None:
        self.filter = order_filter
        self.states = order_filter.states
        self.prefix = region_prefix(order_filter.region)
        self.service_type = order_filter.service_type
        self.platform = order_filter.platform
        self.needle = order_filter.text.strip().lower()
        self.needs_person = order_filter.needs_person
        self.everything = not (self.states or self.prefix or self.service_type or self.platform
                               or self.needle or self.needs_person)

    def accepts(self, entry: Entry) -> bool:
        if self.states and entry.state not in self.states:
            return False
        if self.needs_person and not entry.needs_person:
            return False
        if self.prefix and not entry.county.startswith(self.prefix):
            return False
        if self.service_type and entry.service_type != self.service_type:
            return False
        if self.platform and entry.row.platform != self.platform:
            return False
        return not self.needle or self.needle in entry.haystack

    def select(self, entries: Iterable[Entry]) -> list[Entry]:
        """The accepted entries in their order; `accepts` applied to each, batched."""
        out = list(entries)
        if self.states:
            states = self.states
            out = [e for e in out if e.state in states]
        if self.needs_person:
            out = [e for e in out if e.needs_person]
        if self.prefix:
            prefix = self.prefix
            out = [e for e in out if e.county.startswith(prefix)]
        if self.service_type:
            service = self.service_type
            out = [e for e in out if e.service_type == service]
        if self.platform:
            platform = self.platform
            out = [e for e in out if e.row.platform == platform]
        if self.needle:
            needle = self.needle
            out = [e for e in out if needle in e.haystack]
        return out
