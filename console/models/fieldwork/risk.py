"""Technician risk as the risk dock shows it: technicians by score with their band's colour, and
one technician's flagged orders with the flags in words."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from console.models.row_table import Index, RowTable
from core.contracts.fieldwork.risk import FlaggedOrderOut, RiskFlagOut, TechnicianRiskOut
from ui.formatting import local_time
from ui.labels import state_labels

translate = QCoreApplication.translate

(NAME, POINT, SCORE, BAND, ORDERS, FLAGGED, REASONS, REVIEW) = range(8)
(ORDER_NO, STATE, LAST_AT, FLAGS) = range(4)
SEPARATOR = "、"
TOP_REASONS = 3
# The band's colour behind its score and name (low: none).
BAND_COLOURS = {"high": QColor("#ffcdd2"), "watch": QColor("#ffe0b2")}

# Each flag kind in words (English source, Chinese in the catalogue); a kind the console does
# not know yet is shown with the server's own words.
FLAG_WORDS: dict[str, str] = {kind: str(source) for kind, source in {
    "no_call_appointment": QT_TRANSLATE_NOOP("FlagWords", "appointment without a real call"),
    "checkin_outside": QT_TRANSLATE_NOOP("FlagWords", "checked in too far from the address"),
    "checkin_skipped": QT_TRANSLATE_NOOP("FlagWords", "checked in without a position"),
    "checkin_stale": QT_TRANSLATE_NOOP("FlagWords", "check-in position is stale"),
    "checkin_inaccurate": QT_TRANSLATE_NOOP("FlagWords", "check-in position too inaccurate"),
    "code_failed": QT_TRANSLATE_NOOP("FlagWords", "wrong verification code"),
    "code_locked": QT_TRANSLATE_NOOP("FlagWords", "verification code locked"),
    "photo_no_exif": QT_TRANSLATE_NOOP("FlagWords", "photo without capture time or place"),
    "photo_elsewhere": QT_TRANSLATE_NOOP("FlagWords", "photo taken elsewhere or at another time"),
    "photo_reused": QT_TRANSLATE_NOOP("FlagWords", "photo reused from another order"),
    "complaint": QT_TRANSLATE_NOOP("FlagWords", "upheld complaint"),
    "cannot_complete": QT_TRANSLATE_NOOP("FlagWords", "technician could not complete"),
}.items()}


def flag_words(kind: str, server_text: str = "") -> str:
    source = FLAG_WORDS.get(kind)
    if source is None:
        return server_text or kind
    return translate("FlagWords", source)


def band_labels() -> dict[str, str]:
    return {"low": translate("RiskModel", "Low"), "watch": translate("RiskModel", "Watch"),
            "high": translate("RiskModel", "High")}


def detail_text(detail: dict[str, Any]) -> str:
    """A flag's facts in a few words: the known ones worded, the rest as they are."""
    worded = {
        "distance_m": translate("FlagWords", "{0} m from the address"),
        "tolerance_m": translate("FlagWords", "tolerance {0} m"),
        "accuracy_m": translate("FlagWords", "accuracy {0} m"),
        "age_s": translate("FlagWords", "fix {0} s old"),
        "attempt": translate("FlagWords", "try {0}"),
    }
    parts = [worded[k].format(v) if k in worded else f"{k}: {v}"
             for k, v in detail.items() if not isinstance(v, dict | list)]
    return ", ".join(parts)


def flag_line(flag: RiskFlagOut) -> str:
    """'03-21 08:00 checked in too far… (5200 m from the address, tolerance 500 m)'."""
    words = flag_words(flag.kind, flag.text)
    facts = detail_text(flag.detail)
    text = f"{local_time(flag.at)} {words}"
    return f"{text} ({facts})" if facts else text


class RiskModel(RowTable[TechnicianRiskOut]):
    """One technician a row, keyed by technician id, in the server's order (highest score
    first); score and band are painted in the band's colour."""

    numeric_columns = frozenset({SCORE, ORDERS, FLAGGED})

    def titles(self) -> list[str]:
        return [
            translate("RiskModel", "Technician"),
            translate("RiskModel", "Service point"),
            translate("RiskModel", "Score"),
            translate("RiskModel", "Band"),
            translate("RiskModel", "Orders"),
            translate("RiskModel", "Flagged"),
            translate("RiskModel", "Main reasons"),
            translate("RiskModel", "Manual review"),
        ]

    def key(self, row: TechnicianRiskOut) -> int:
        return row.technician_id

    def text(self, row: TechnicianRiskOut, column: int) -> str:
        if column == NAME:
            return row.name
        if column == POINT:
            return row.service_point
        if column == SCORE:
            return f"{row.score:.1f}"
        if column == BAND:
            return band_labels().get(row.band, row.band)
        if column == ORDERS:
            return str(row.orders)
        if column == FLAGGED:
            return str(row.flagged_orders)
        if column == REASONS:
            return SEPARATOR.join(
                translate("RiskModel", "{0} ×{1}").format(flag_words(r.kind, r.text), r.orders)
                for r in row.reasons[:TOP_REASONS])
        if column == REVIEW:
            return translate("RiskModel", "Yes") if row.review_completions else ""
        return ""

    def sort_value(self, row: TechnicianRiskOut, column: int) -> Any:
        numbers = {SCORE: row.score, BAND: row.score, ORDERS: row.orders,
                   FLAGGED: row.flagged_orders, REVIEW: int(row.review_completions)}
        return numbers.get(column, self.text(row, column))

    def tooltip(self, row: TechnicianRiskOut, column: int) -> str:
        if column in (SCORE, BAND, REASONS) and row.reasons:
            return "\n".join(
                translate("RiskModel", "{0}: {1} orders, {2} flags, {3} points").format(
                    flag_words(r.kind, r.text), r.orders, r.flags, r.points)
                for r in row.reasons)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.BackgroundRole and index.isValid()
                and index.column() in (SCORE, BAND) and index.row() < self.rowCount()):
            colour = BAND_COLOURS.get(self.item(index.row()).band)
            return QBrush(colour) if colour is not None else None
        return super().data(index, role)


class FlaggedOrderModel(RowTable[FlaggedOrderOut]):
    """One technician's flagged orders, keyed by order id, the latest flag first."""

    def titles(self) -> list[str]:
        return [
            translate("FlaggedOrderModel", "Order"),
            translate("FlaggedOrderModel", "State"),
            translate("FlaggedOrderModel", "Last flagged"),
            translate("FlaggedOrderModel", "Flags"),
        ]

    def key(self, row: FlaggedOrderOut) -> int:
        return row.order_id

    def text(self, row: FlaggedOrderOut, column: int) -> str:
        if column == ORDER_NO:
            return row.order_no
        if column == STATE:
            return state_labels().get(row.state, row.state)
        if column == LAST_AT:
            return local_time(row.last_at)
        if column == FLAGS:
            texts = {f.kind: f.text for f in row.flags}
            counts = Counter(f.kind for f in row.flags)
            return SEPARATOR.join(
                flag_words(kind, texts[kind]) if n == 1
                else translate("FlaggedOrderModel", "{0} ×{1}").format(
                    flag_words(kind, texts[kind]), n)
                for kind, n in counts.items())
        return ""

    def sort_value(self, row: FlaggedOrderOut, column: int) -> Any:
        if column == LAST_AT:
            return row.last_at.isoformat()
        return self.text(row, column)

    def tooltip(self, row: FlaggedOrderOut, column: int) -> str:
        return "\n".join(flag_line(f) for f in row.flags)
