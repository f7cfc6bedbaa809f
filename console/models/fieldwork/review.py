"""The verification review queue: served orders as the server orders them (flagged or
incomplete first, then the longest served), one a row, keyed by order id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from console.models.row_table import RowTable
from core.contracts.fieldwork.review import ReviewRowOut
from ui.fieldwork.review_labels import item_labels, label, verdict_labels
from ui.formatting import local_time

translate = QCoreApplication.translate

(ORDER_NO, VERDICT, OPEN_ITEMS, TECHNICIAN, SERVED, PHOTOS, FLAGS) = range(7)


class ReviewQueueModel(RowTable[ReviewRowOut]):
    """A row per served order; the verdict in red when flagged."""

    numeric_columns = frozenset({PHOTOS, FLAGS})

    def __init__(self, parent: QObject | None = None) -> None:
        self._verdicts = verdict_labels()
        self._items = item_labels()
        super().__init__(parent)

    def titles(self) -> list[str]:
        return [
            translate("ReviewQueueModel", "Order"),
            translate("ReviewQueueModel", "Verdict"),
            translate("ReviewQueueModel", "Open items"),
            translate("ReviewQueueModel", "Technician"),
            translate("ReviewQueueModel", "Served"),
            translate("ReviewQueueModel", "Photos"),
            translate("ReviewQueueModel", "Flags"),
        ]

    def retranslate(self) -> None:
        self._verdicts = verdict_labels()
        self._items = item_labels()
        super().retranslate()

    def key(self, row: ReviewRowOut) -> int:
        return row.order_id

    def text(self, row: ReviewRowOut, column: int) -> str:
        if column == ORDER_NO:
            return row.order_no
        if column == VERDICT:
            return label(self._verdicts, row.verdict)
        if column == OPEN_ITEMS:
            return translate("ReviewQueueModel", ", ").join(
                label(self._items, item) for item in row.open_items)
        if column == TECHNICIAN:
            return row.technician_name
        if column == SERVED:
            return local_time(row.served_at)
        if column == PHOTOS:
            return f"{row.photos}/{row.photos_required}" if row.photos_required \
                else str(row.photos)
        if column == FLAGS:
            return str(row.flags) if row.flags else ""
        return ""

    def sort_value(self, row: ReviewRowOut, column: int) -> Any:
        if column == SERVED:
            return row.served_at
        if column == PHOTOS:
            return row.photos
        if column == FLAGS:
            return row.flags
        return self.text(row, column)

    def warning(self, row: ReviewRowOut, column: int) -> bool:
        return column in (VERDICT, FLAGS) and row.verdict == "flagged"

    def tooltip(self, row: ReviewRowOut, column: int) -> str:
        if column in (VERDICT, OPEN_ITEMS):
            return row.text
        return ""

    def counts(self) -> dict[str, int]:
        rows = self.rows()
        return {verdict: sum(1 for r in rows if r.verdict == verdict)
                for verdict in ("flagged", "incomplete", "ready")}
