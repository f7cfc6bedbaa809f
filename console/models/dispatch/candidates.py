"""Ranked dispatch candidates as a table (the assign dialog and the dispatch workspace)."""

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

from console.language import Language, current, pick
from core.contracts.dispatch import CandidateOut
from ui.dispatch.tables import BREAKS_ROLE, LABEL_ROLE
from ui.plain_text import shown, tooltip
from ui.roles import ID_ROLE, SORT_ROLE, WARNING_ROLE

Index = QModelIndex | QPersistentModelIndex
RANK, NAME, POINT, DISTANCE, LOAD, RATING, REFUSED, WHY = range(8)
RED = QColor("#c62828")


def in_language(candidate: CandidateOut) -> CandidateOut:
    """The ranking's rule breaks and reasons in the person's language: the server's English
    lists (item for item) in English, else each text picked (console.language)."""
    english = current() is Language.EN
    breaks, reasons = candidate.breaks, candidate.reasons
    if english and len(candidate.breaks_en) == len(breaks):
        breaks = candidate.breaks_en
    if english and len(candidate.reasons_en) == len(reasons):
        reasons = candidate.reasons_en
    return candidate.model_copy(update={"breaks": [pick(b) for b in breaks],
                                        "reasons": [pick(r) for r in reasons]})


def breaks_rule(candidate: CandidateOut) -> bool:
    """Wrong skills, another city, full today, too far, refused before: allowed, on purpose."""
    return bool(candidate.breaks)


class CandidateModel(QAbstractTableModel):
    """Ranked candidates (best first, as the server sent them); rule breakers in red."""

    def __init__(self, candidates: list[CandidateOut] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = [in_language(c) for c in candidates or []]

    def set_candidates(self, candidates: list[CandidateOut]) -> None:
        candidates = [in_language(c) for c in candidates]
        self.beginResetModel()
        self._rows = list(candidates)
        self.endResetModel()

    def candidate(self, row: int) -> CandidateOut:
        return self._rows[row]

    def candidates(self) -> list[CandidateOut]:
        return list(self._rows)

    def row_of(self, technician_id: int) -> int | None:
        return next((n for n, c in enumerate(self._rows) if c.technician.id == technician_id),
                    None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        translate = QCoreApplication.translate
        names = (translate("CandidateModel", "#"), translate("CandidateModel", "Technician"),
                 translate("CandidateModel", "Service point"),
                 translate("CandidateModel", "Distance"),
                 translate("CandidateModel", "Load today"), translate("CandidateModel", "Rating"),
                 translate("CandidateModel", "Refused (30 days)"),
                 translate("CandidateModel", "Why"))
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return shown(self._text(c, index.column()))
        if role == ID_ROLE:
            return c.technician.id
        if role == WARNING_ROLE:
            return breaks_rule(c)
        if role == BREAKS_ROLE:
            return list(c.breaks)
        if role == LABEL_ROLE:
            return c.technician.name
        if role == SORT_ROLE:
            return c.score
        if role == Qt.ItemDataRole.ForegroundRole and breaks_rule(c):
            return QBrush(RED)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip("\n".join([*c.breaks, "; ".join(c.reasons)]))
        return None

    def _text(self, c: CandidateOut, column: int) -> str:
        translate = QCoreApplication.translate
        t = c.technician
        if column == RANK:
            return str(c.rank)
        if column == NAME:
            return t.name
        if column == POINT:
            return t.service_point
        if column == DISTANCE:
            return "" if c.distance_km is None else translate("CandidateModel", "{0} km").format(
                f"{c.distance_km:.1f}")
        if column == LOAD:
            return f"{t.load_today}/{t.daily_capacity}"
        if column == RATING:
            return f"{t.rating:.1f}"
        if column == REFUSED:
            # Refusals and lapsed assignments: a technician who keeps refusing shows here.
            return str(t.refusals_30d) if t.refusals_30d else ""
        # Rule breaks first: the reason the row is red must be the first thing read.
        flagged = [f"⚠ {b}" for b in c.breaks]
        return "、".join([*flagged, *c.reasons])
