"""China's administrative regions (NBS 2023) with a centre point each, from resources/regions."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "county"]
REGIONS_CSV = Path(__file__).resolve().parents[2] / "resources" / "regions" / "regions.csv"


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    level: Level
    parent: str | None
    lng: float | None
    lat: float | None


class RegionIndex:
    """Regions by adcode, and the children of each."""

    def __init__(self, regions: list[Region]) -> None:
        # A city without counties (东莞, 中山, 儋州) is also its own county under the same adcode;
        # the county entry wins the lookup, since orders are placed at county level.
        self._by_code = {r.adcode: r for r in regions}
        self._children: dict[str | None, list[Region]] = {}
        for r in regions:
            self._children.setdefault(r.parent, []).append(r)

    def get(self, adcode: str) -> Region | None:
        return self._by_code.get(adcode)

    def children(self, parent: str | None) -> list[Region]:
        return list(self._children.get(parent, []))

    def provinces(self) -> list[Region]:
        return self.children(None)

    def cities_of(self, province_adcode: str) -> list[Region]:
        return self.children(province_adcode)

    def counties_of(self, city_adcode: str) -> list[Region]:
        return self.children(city_adcode)

    def all(self, level: Level | None = None) -> list[Region]:
        return [r for r in self._by_code.values() if level is None or r.level == level]

    def city_of(self, county_adcode: str) -> Region | None:
        county = self.get(county_adcode)
        return self.get(county.parent) if county and county.parent else None

    def __len__(self) -> int:
        return len(self._by_code)


def _read(path: Path) -> list[Region]:
    with open(path, encoding="utf-8", newline="") as f:
        return [
            Region(
                adcode=row["adcode"],
                name=row["name"],
                level=row["level"],  # type: ignore[arg-type]
                parent=row["parent"] or None,
                lng=float(row["lng"]) if row["lng"] else None,
                lat=float(row["lat"]) if row["lat"] else None,
            )
            for row in csv.DictReader(f)
        ]


@cache
def load_regions(path: Path = REGIONS_CSV) -> RegionIndex:
    """The region index, read once per process."""
    return RegionIndex(_read(path))
