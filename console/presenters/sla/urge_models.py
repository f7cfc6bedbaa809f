"""The urge list as a Qt model: a row per urge, keyed by its id; urges still waiting for an
answer past their deadline red."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.language import pick_label
from console.models.row_table import RowTable
from console.presenters.sla.board_models import level_label, say_left
from core.contracts.sla_urges import UrgeOut
from ui.formatting import local_time

translate = QCoreApplication.translate

ORDER_NO, STEP, LEVEL, TARGET, LEFT, AT, BY, REPLY = range(8)


def waiting(row: UrgeOut) -> bool:
    return row.reply is None and not row.settled


class UrgeModel(RowTable[UrgeOut]):
    """In the server's order: waiting for an answer first, then by deadline, then newest."""

    def titles(self) -> list[str]:
        return [translate("UrgeModel", "Order"), translate("UrgeModel", "Step"),
                translate("UrgeModel", "Level"), translate("UrgeModel", "To"),
                translate("UrgeModel", "Time left"), translate("UrgeModel", "Urged"),
                translate("UrgeModel", "By"), translate("UrgeModel", "Reply")]

    def key(self, row: UrgeOut) -> int:
        return row.id

    def text(self, row: UrgeOut, column: int) -> str:
        if column == STEP:
            return pick_label(row.step_name) or self._source(row.source)
        if column == LEFT:
            return "" if row.time_left is None else say_left(row.time_left)
        if column == AT:
            return local_time(row.at)
        if column == REPLY:
            return row.reply if row.reply is not None else translate("UrgeModel",
                                                                     "(not answered)")
        return [row.order_no, "", level_label(row.level), pick_label(row.target_name), "", "",
                row.by_actor][column]

    def sort_value(self, row: UrgeOut, column: int) -> Any:
        if column == LEFT:
            return row.time_left if row.time_left is not None else timedelta.max
        if column == AT:
            return row.at
        return self.text(row, column)

    def warning(self, row: UrgeOut, column: int) -> bool:
        return waiting(row) and row.time_left is not None and row.time_left < timedelta(0)

    def tooltip(self, row: UrgeOut, column: int) -> str:
        return row.text if column in (STEP, LEVEL) else ""

    def unanswered(self) -> int:
        """Urges still waiting for an answer (not those whose step has moved on)."""
        return sum(waiting(r) for r in self.rows())

    @staticmethod
    def _source(source: str) -> str:
        return {"manual": translate("UrgeModel", "By hand"),
                "platform": translate("UrgeModel", "Platform"),
                "alert": translate("UrgeModel", "Alert")}.get(source, source)
