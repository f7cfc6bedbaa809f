"""The grab pool's offers as the pool monitor lists them (newest first, as the server sends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from console.models.row_table import RowTable
from core.clock import WALL_CLOCK
from core.contracts.dispatch import PoolOfferRow
from ui.formatting import duration, local_time, money

translate = QCoreApplication.translate

(ORDER_NO, COUNTY, STATUS, OFFERED, EXPIRES, PRICE, VIEWS, ATTEMPTS, CLAIMANT) = range(9)


def status_labels() -> dict[str, str]:
    return {
        "open": translate("PoolModel", "Open"),
        "claimed": translate("PoolModel", "Claimed"),
        "expired": translate("PoolModel", "Expired"),
        "withdrawn": translate("PoolModel", "Withdrawn"),
    }


class PoolModel(RowTable[PoolOfferRow]):
    """One offer a row, keyed by order id (double-click opens the order).

    `now` is asked on every paint of the "expires" column, so the countdown moves with each
    refresh without the server sending anything new.
    """

    numeric_columns = frozenset({PRICE, VIEWS, ATTEMPTS})

    def __init__(self, parent: QObject | None = None, *,
                 now: Callable[[], datetime] = WALL_CLOCK.now) -> None:
        self._now = now
        self._statuses = status_labels()
        super().__init__(parent)

    def titles(self) -> list[str]:
        return [
            translate("PoolModel", "Order"),
            translate("PoolModel", "County"),
            translate("PoolModel", "Status"),
            translate("PoolModel", "Offered"),
            translate("PoolModel", "Expires in / closed"),
            translate("PoolModel", "Price"),
            translate("PoolModel", "Views"),
            translate("PoolModel", "Claims"),
            translate("PoolModel", "Claimed by"),
        ]

    def retranslate(self) -> None:
        self._statuses = status_labels()
        super().retranslate()

    def key(self, row: PoolOfferRow) -> int:
        return row.order_id

    def expires_text(self, row: PoolOfferRow) -> str:
        if row.status != "open":
            return local_time(row.closed_at)
        left = (row.expires_at - self._now()).total_seconds()
        if left <= 0:
            return translate("PoolModel", "due now")
        return duration(left)

    def text(self, row: PoolOfferRow, column: int) -> str:
        if column == ORDER_NO:
            return row.order_no
        if column == COUNTY:
            return row.county_name or row.county_adcode
        if column == STATUS:
            return self._statuses.get(row.status, row.status)
        if column == OFFERED:
            return local_time(row.offered_at)
        if column == EXPIRES:
            return self.expires_text(row)
        if column == PRICE:
            if row.price_fen is None:
                return translate("PoolModel", "standard")
            flag = translate("PoolModel", " (below floor)") if row.below_floor else ""
            return money(row.price_fen) + flag
        if column == VIEWS:
            return str(row.views)
        if column == ATTEMPTS:
            return str(row.claim_attempts)
        if column == CLAIMANT:
            return row.claimed_by_name
        return ""

    def sort_value(self, row: PoolOfferRow, column: int) -> Any:
        if column == PRICE:
            return -1 if row.price_fen is None else row.price_fen
        if column == VIEWS:
            return row.views
        if column == ATTEMPTS:
            return row.claim_attempts
        if column == OFFERED:
            return row.offered_at
        if column == EXPIRES:
            return row.closed_at if row.status != "open" else row.expires_at
        return self.text(row, column)

    def warning(self, row: PoolOfferRow, column: int) -> bool:
        return column == PRICE and row.below_floor

    def tooltip(self, row: PoolOfferRow, column: int) -> str:
        if column == PRICE and row.below_floor:
            return translate("PoolModel", "Priced below the region's floor of {0}").format(
                money(row.floor_fen))
        if column == EXPIRES and row.status == "open":
            return local_time(row.expires_at)
        return ""

    def totals(self) -> dict[str, int]:
        return {
            "rows": len(self._rows),
            "below_floor": sum(1 for r in self._rows if r.below_floor),
        }
