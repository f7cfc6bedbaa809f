"""The board's lists as Qt models: a group's open alerts per level (a row per city, county,
step, service point or technician), and the open alerts by deadline (a row per step run)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.language import Language, current, pick_label
from console.models.row_table import RowTable
from core.contracts.sla_board import AlertTally
from core.contracts.sla_deadlines import AlertOut
from ui.formatting import duration, local_time

translate = QCoreApplication.translate

GROUP, NOTICE, WARNING, SEVERE = range(4)
DUE, ORDER_NO, STEP, LEVEL, COUNTY, LEFT = range(6)


class TallyModel(RowTable[AlertTally]):
    """A row per group, keyed by its key; breaches red."""

    numeric_columns = frozenset({NOTICE, WARNING, SEVERE})

    def titles(self) -> list[str]:
        return [translate("TallyModel", "Group"), translate("TallyModel", "Notice"),
                translate("TallyModel", "Warning"), translate("TallyModel", "Breach")]

    def key(self, row: AlertTally) -> str:
        return row.key

    def text(self, row: AlertTally, column: int) -> str:
        if column == GROUP:
            return pick_label(row.label)  # a step's name comes as "接单 (accept)"
        return str((row.notice, row.warning, row.severe)[column - 1])

    def sort_value(self, row: AlertTally, column: int) -> Any:
        return row.label if column == GROUP else (row.notice, row.warning, row.severe)[column - 1]

    def warning(self, row: AlertTally, column: int) -> bool:
        return column == SEVERE and row.severe > 0


def level_label(level: str) -> str:
    """An alert level as the server names it (预警, 警告, 严重) in the person's language."""
    if current() is Language.ZH:
        return level
    return {"预警": translate("AlertModel", "Notice"), "警告": translate("AlertModel", "Warning"),
            "严重": translate("AlertModel", "Severe")}.get(level, level)


def say_left(left: timedelta) -> str:
    """Time left, or over, as a dispatcher says it."""
    seconds = left.total_seconds()
    if seconds >= 0:
        return translate("AlertModel", "{0} left").format(duration(seconds))
    return translate("AlertModel", "{0} over").format(duration(-seconds))


class AlertModel(RowTable[AlertOut]):
    """A row per open alert (the highest level of a run), keyed by its order id; breaches red.
    The key is the order: Enter or a double click opens it."""

    def titles(self) -> list[str]:
        return [translate("AlertModel", "Due"), translate("AlertModel", "Order"),
                translate("AlertModel", "Step"), translate("AlertModel", "Level"),
                translate("AlertModel", "County"), translate("AlertModel", "Time left")]

    def key(self, row: AlertOut) -> str:
        return f"{row.order_id}|{row.step}|{row.run}"

    def text(self, row: AlertOut, column: int) -> str:
        return [local_time(row.due), row.order_no, pick_label(row.step_name),
                level_label(row.level), row.county_name or row.county_adcode,
                say_left(row.time_left)][column]

    def sort_value(self, row: AlertOut, column: int) -> Any:
        if column in (DUE, LEFT):
            return row.due
        return self.text(row, column)

    def warning(self, row: AlertOut, column: int) -> bool:
        return row.time_left < timedelta(0)
