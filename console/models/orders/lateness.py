"""Lateness in the queue: an order is late against its running step's time limit (the open SLA
alerts the server's scan recorded), never by time in state alone, and never once it is in
review, settlement or frozen: those wait on purpose and would fill the top of the list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.contracts.sla_deadlines import AlertOut
from core.orders.lifecycle import OrderState
from core.sla.limit_types import Level

S = OrderState
NEVER_LATE = frozenset(s.value for s in (S.IN_REVIEW, S.SETTLEABLE, S.SETTLED, S.CLOSED,
                                         S.CANCELLED, S.FROZEN))
RANK = {Level.NOTICE.value: 1, Level.WARNING.value: 2, Level.SEVERE.value: 3}
COLOURS = {Level.WARNING.value: QColor("#e65100"), Level.SEVERE.value: QColor("#c62828")}


@dataclass(frozen=True)
class Late:
    """The worst open alert of an order: its level, the step it is about, that step's deadline."""

    level: str
    step_name: str
    due: datetime


def worst_per_order(alerts: Iterable[AlertOut]) -> dict[int, Late]:
    marks: dict[int, Late] = {}
    for a in alerts:
        known = marks.get(a.order_id)
        if known is None or RANK.get(a.level, 0) > RANK.get(known.level, 0):
            marks[a.order_id] = Late(a.level, a.step_name, a.due)
    return marks


def shown_late(state: str, late: Late | None) -> Late | None:
    """The mark to show for an order in this state (None: none)."""
    return None if late is None or state in NEVER_LATE else late


def late_cell(late: Late | None, role: int) -> Any:
    """The time-in-state cell's colour, weight and tooltip for a mark (None: plain)."""
    if late is None:
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        colour = COLOURS.get(late.level)
        return None if colour is None else QBrush(colour)
    if role == Qt.ItemDataRole.FontRole and late.level == Level.SEVERE.value:
        font = QFont()
        font.setBold(True)
        return font
    if role == Qt.ItemDataRole.ToolTipRole:
        return describe(late)
    return None


def describe(late: Late) -> str:
    """The tooltip: how late, which step's limit, and when it is (or was) due, in local time."""
    translate = QCoreApplication.translate
    levels = {Level.NOTICE.value: translate("QueueModel", "Nearing the limit"),
              Level.WARNING.value: translate("QueueModel", "Close to the limit"),
              Level.SEVERE.value: translate("QueueModel", "Over the limit")}
    due = late.due.astimezone().strftime("%m-%d %H:%M")
    return translate("QueueModel", "{0}: {1}, due {2}").format(
        levels.get(late.level, late.level), late.step_name, due)
