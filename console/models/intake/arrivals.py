"""Arrivals per platform since today 00:00, and the counties orders come from but nobody covers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from console.models.row_table import Key, RowTable
from core.contracts.intake import CoverageGap, PlatformArrivals
from ui import labels
from ui.formatting import local_time

translate = QCoreApplication.translate

PLATFORM, RECEIVED, CONVERTED, REVIEW, REFUSED, DEAD, LAST_AT = range(7)


class ArrivalsModel(RowTable[PlatformArrivals]):
    """One row per platform: received, and what became of it."""

    numeric_columns = frozenset({RECEIVED, CONVERTED, REVIEW, REFUSED, DEAD})

    def titles(self) -> list[str]:
        return [
            translate("ArrivalsModel", "Platform"),
            translate("ArrivalsModel", "Received"),
            translate("ArrivalsModel", "Converted"),
            translate("ArrivalsModel", "To review"),
            translate("ArrivalsModel", "Refused"),
            translate("ArrivalsModel", "Problems"),
            translate("ArrivalsModel", "Last arrival"),
        ]

    def key(self, row: PlatformArrivals) -> Key:
        return row.platform

    def text(self, row: PlatformArrivals, column: int) -> str:
        if column == PLATFORM:
            return row.label or labels.label(labels.platform_labels(), row.platform)
        if column == LAST_AT:
            return local_time(row.last_at)
        return str(self._count(row, column))

    def sort_value(self, row: PlatformArrivals, column: int) -> Any:
        if column in self.numeric_columns:
            return self._count(row, column)
        if column == LAST_AT:
            return row.last_at.timestamp() if row.last_at else 0.0
        return self.text(row, column)

    def warning(self, row: PlatformArrivals, column: int) -> bool:
        return column == DEAD and row.dead > 0

    def totals(self) -> dict[str, int]:
        """Sums over the platforms, for the workspace's headline."""
        names = ("received", "converted", "review", "refused", "dead")
        return {name: sum(getattr(r, name) for r in self._rows) for name in names}

    @staticmethod
    def _count(row: PlatformArrivals, column: int) -> int:
        values = {RECEIVED: row.received, CONVERTED: row.converted, REVIEW: row.review,
                  REFUSED: row.refused, DEAD: row.dead}
        return values.get(column, 0)


COUNTY, CITY, ORDERS, LAST_ORDER = range(4)


class CoverageGapModel(RowTable[CoverageGap]):
    """Counties with accepted orders that the network does not cover yet (most orders first)."""

    numeric_columns = frozenset({ORDERS})

    def titles(self) -> list[str]:
        return [
            translate("CoverageGapModel", "County"),
            translate("CoverageGapModel", "City"),
            translate("CoverageGapModel", "Orders"),
            translate("CoverageGapModel", "Last order"),
        ]

    def key(self, row: CoverageGap) -> Key:
        return row.county_adcode

    def text(self, row: CoverageGap, column: int) -> str:
        if column == COUNTY:
            return f"{row.county_name} · {row.county_adcode}"
        if column == CITY:
            return row.city
        if column == ORDERS:
            return str(row.orders)
        return local_time(row.last_at)

    def sort_value(self, row: CoverageGap, column: int) -> Any:
        if column == ORDERS:
            return row.orders
        if column == LAST_ORDER:
            return row.last_at.timestamp()
        return self.text(row, column)
