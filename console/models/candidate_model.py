"""Dispatch candidates as a table for the assign dialog."""

from __future__ import annotations

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

from core.contracts import Candidate
from ui.roles import ID_ROLE, SORT_ROLE, WARNING_ROLE

Index = QModelIndex | QPersistentModelIndex
NAME, DISTANCE, LOAD, SKILLS, REGION, REASONS = range(6)


def breaks_rule(candidate: Candidate) -> bool:
    """Wrong skills, another region or no capacity left: allowed, but only on purpose."""
    return not (candidate.skills_ok and candidate.region_ok and candidate.has_capacity)


class CandidateModel(QAbstractTableModel):
    """Ranked candidates (best first, as the server sent them)."""

    def __init__(self, candidates: list[Candidate], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(candidates)

    def candidate(self, row: int) -> Candidate:
        return self._rows[row]

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
        names = (translate("CandidateModel", "Technician"), translate("CandidateModel", "Distance"),
                 translate("CandidateModel", "Load today"), translate("CandidateModel", "Skills"),
                 translate("CandidateModel", "Region"), translate("CandidateModel", "Why"))
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(c, column)
        if role == ID_ROLE:
            return c.technician.id
        if role == WARNING_ROLE:
            return breaks_rule(c)
        if role == SORT_ROLE:
            return c.score
        if role == Qt.ItemDataRole.ForegroundRole and breaks_rule(c):
            return QBrush(QColor("#c62828"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "; ".join(c.reasons)
        return None

    def _text(self, c: Candidate, column: int) -> str:
        translate = QCoreApplication.translate
        yes, no = translate("CandidateModel", "yes"), translate("CandidateModel", "no")
        t = c.technician
        if column == NAME:
            return t.name
        if column == DISTANCE:
            return "" if c.distance_km is None else translate("CandidateModel", "{0} km").format(
                f"{c.distance_km:.1f}")
        if column == LOAD:
            return f"{t.load_today}/{t.daily_capacity}"
        if column == SKILLS:
            return yes if c.skills_ok else no
        if column == REGION:
            return yes if c.region_ok else no
        return "、".join(c.reasons)
