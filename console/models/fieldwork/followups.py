"""The follow-up worklist and the complaints list as the server orders them (due calls first,
the longest due first; open complaints first), one a row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from console.models.row_table import RowTable
from core.contracts.fieldwork.followups import ComplaintOut, WorklistRowOut
from ui.fieldwork.followup_labels import complaint_labels, complaint_status_labels, reason_labels
from ui.fieldwork.review_labels import label
from ui.formatting import local_time

translate = QCoreApplication.translate

(DUE, CUSTOMER, PHONE, ORDER_NO, CLIENT, TECHNICIAN, REASONS, ATTEMPTS) = range(8)


class WorklistModel(RowTable[WorklistRowOut]):
    """A row per call to make, keyed by follow-up id; the due time red while it is due."""

    numeric_columns = frozenset({ATTEMPTS})

    def __init__(self, parent: QObject | None = None) -> None:
        self._reasons = reason_labels()
        super().__init__(parent)

    def titles(self) -> list[str]:
        return [
            translate("WorklistModel", "Due"),
            translate("WorklistModel", "Customer"),
            translate("WorklistModel", "Phone"),
            translate("WorklistModel", "Order"),
            translate("WorklistModel", "Client"),
            translate("WorklistModel", "Technician"),
            translate("WorklistModel", "Picked because"),
            translate("WorklistModel", "Tries"),
        ]

    def retranslate(self) -> None:
        self._reasons = reason_labels()
        super().retranslate()

    def key(self, row: WorklistRowOut) -> int:
        return row.followup_id

    def text(self, row: WorklistRowOut, column: int) -> str:
        if column == DUE:
            return local_time(row.due_at)
        if column == CUSTOMER:
            return row.customer_name
        if column == PHONE:
            return row.customer_phone
        if column == ORDER_NO:
            return row.order_no
        if column == CLIENT:
            return row.client_code
        if column == TECHNICIAN:
            return row.technician_name
        if column == REASONS:
            return translate("WorklistModel", ", ").join(
                label(self._reasons, r) for r in row.reasons)
        if column == ATTEMPTS:
            return f"{row.attempts}/{row.max_attempts}"
        return ""

    def sort_value(self, row: WorklistRowOut, column: int) -> Any:
        if column == DUE:
            return row.due_at
        if column == ATTEMPTS:
            return row.attempts
        return self.text(row, column)

    def warning(self, row: WorklistRowOut, column: int) -> bool:
        return column == DUE and row.due

    def tooltip(self, row: WorklistRowOut, column: int) -> str:
        if column == REASONS:
            return row.reasons_text
        if column == CUSTOMER:
            return " ".join(p for p in (row.county_name, row.address) if p)
        return ""


(C_STATUS, C_TYPE, C_ORDER, C_TECHNICIAN, C_AFTER_SALES, C_REPEAT, C_NOTE, C_RAISED) = range(8)


class ComplaintModel(RowTable[ComplaintOut]):
    """A row per complaint, keyed by complaint id; open ones red, a repeat fault says who pays."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._kinds = complaint_labels()
        self._states = complaint_status_labels()
        super().__init__(parent)

    def titles(self) -> list[str]:
        return [
            translate("ComplaintModel", "Status"),
            translate("ComplaintModel", "Type"),
            translate("ComplaintModel", "Order"),
            translate("ComplaintModel", "Technician"),
            translate("ComplaintModel", "After-sales order"),
            translate("ComplaintModel", "Repeat fault"),
            translate("ComplaintModel", "Note"),
            translate("ComplaintModel", "Raised"),
        ]

    def retranslate(self) -> None:
        self._kinds = complaint_labels()
        self._states = complaint_status_labels()
        super().retranslate()

    def key(self, row: ComplaintOut) -> int:
        return row.id

    def text(self, row: ComplaintOut, column: int) -> str:
        if column == C_STATUS:
            return label(self._states, row.status)
        if column == C_TYPE:
            return label(self._kinds, row.complaint_type)
        if column == C_ORDER:
            return row.order_no
        if column == C_TECHNICIAN:
            return row.technician_name
        if column == C_AFTER_SALES:
            return row.after_sales_order_no
        if column == C_REPEAT:
            return translate("ComplaintModel", "Charged to technician") if row.repeat_fault \
                else ""
        if column == C_NOTE:
            return row.note
        if column == C_RAISED:
            return local_time(row.raised_at)
        return ""

    def sort_value(self, row: ComplaintOut, column: int) -> Any:
        if column == C_RAISED:
            return row.raised_at
        return self.text(row, column)

    def warning(self, row: ComplaintOut, column: int) -> bool:
        return column in (C_STATUS, C_REPEAT) and row.status == "open"

    def tooltip(self, row: ComplaintOut, column: int) -> str:
        if column == C_TYPE:
            return row.complaint_text
        if column == C_NOTE:
            return row.note
        return ""
