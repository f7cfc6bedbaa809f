"""Orders needing a person (manual dispatch) as a table: why, how long waited, when due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from console.language import pick
from core.clock import WALL_CLOCK
from core.contracts.dispatch import NeedsPersonRow
from ui import labels
from ui.formatting import SHANGHAI, duration
from ui.plain_text import shown, tooltip
from ui.roles import ID_ROLE, SORT_ROLE

Index = QModelIndex | QPersistentModelIndex
ORDER_NO, COUNTY, SERVICE, WHY, WAITED, DUE = range(6)
# An SLA due this close is shown in red before it is missed.
NEAR_DUE = timedelta(hours=1)
RED = QColor("#c62828")


class NeedsPersonModel(QAbstractTableModel):
    """Rows as the server sent them (most urgent first); ID_ROLE is the order id."""

    def __init__(self, clock: Callable[[], datetime] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[NeedsPersonRow] = []
        self._clock = clock or WALL_CLOCK.now

    def set_rows(self, rows: list[NeedsPersonRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[NeedsPersonRow]:
        return list(self._rows)

    def row_for(self, order_id: int) -> NeedsPersonRow | None:
        return next((r for r in self._rows if r.order.id == order_id), None)

    def tick(self) -> None:
        """The clock moved: waited times and due colours change, nothing else."""
        if self._rows:
            self.dataChanged.emit(self.index(0, WAITED), self.index(len(self._rows) - 1, DUE))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        translate = QCoreApplication.translate
        names = (translate("NeedsPersonModel", "Order"), translate("NeedsPersonModel", "County"),
                 translate("NeedsPersonModel", "Service"), translate("NeedsPersonModel", "Why"),
                 translate("NeedsPersonModel", "Waited"),
                 translate("NeedsPersonModel", "SLA due"))
        return names[section] if 0 <= section < len(names) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(self._text(row, column))
        if role == ID_ROLE:
            return row.order.id
        if role == SORT_ROLE:
            return row.sla_due.timestamp() if row.sla_due else float("inf")
        if role == Qt.ItemDataRole.ForegroundRole and column == DUE and self.is_urgent(row):
            return QBrush(RED)
        if role == Qt.ItemDataRole.ToolTipRole and column == WHY:
            code = labels.label(labels.escalation_code_labels(), row.code) if row.code else ""
            return tooltip(" · ".join(p for p in (code, pick(row.reason)) if p))
        return None

    def is_urgent(self, row: NeedsPersonRow) -> bool:
        """Due within the hour, or already past due."""
        return row.sla_due is not None and row.sla_due - self._clock() <= NEAR_DUE

    def _text(self, row: NeedsPersonRow, column: int) -> str:
        o = row.order
        if column == ORDER_NO:
            tags = "".join(f" [{labels.label(labels.tag_labels(), t)}]" for t in o.tags)
            return f"{o.order_no}{tags}"
        if column == COUNTY:
            return o.county_name
        if column == SERVICE:
            return labels.label(labels.service_type_labels(), o.service_type)
        if column == WHY:
            code = labels.label(labels.escalation_code_labels(), row.code) if row.code else ""
            # The dispatcher's or urge round's "中文 (English)" in the person's language; a
            # person's own reason has no English part and shows as written.
            return pick(row.reason) or code
        now = self._clock()
        if column == WAITED:
            since = row.since or o.created_at
            return duration(max(0, int((now - since).total_seconds())))
        if row.sla_due is None:
            return ""
        left = int((row.sla_due - now).total_seconds())
        when = row.sla_due.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
        if left < 0:
            late = QCoreApplication.translate("NeedsPersonModel", "{0} late")
            return f"{when} ({late.format(duration(-left))})"
        return when
