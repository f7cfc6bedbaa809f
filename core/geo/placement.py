"""Placing an address in a county: structured fields first, then the free text, hints resolve.

Interface fixed for the conversion centre; the placement helper fills in the implementation.
"""

from __future__ import annotations

from functools import cache

from core.geo.regions import RegionIndex, load_regions
from core.intake.model import Placement


class Locator:
    """Finds the county (NBS 2023 adcode) and a coordinate for an address."""

    def __init__(self, regions: RegionIndex) -> None:
        self._regions = regions

    def locate(self, address: str, province: str = "", city: str = "",
               district: str = "") -> Placement:
        raise NotImplementedError


@cache
def default_locator() -> Locator:
    return Locator(load_regions())
