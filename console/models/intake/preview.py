"""A file import's preview: per record, what it would become or what is wrong with it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from console.models.row_table import Key, RowTable
from core.contracts.intake import ConvertedOrderOut, ImportPreview, PreviewRow
from ui import labels
from ui.intake import labels as intake_labels

translate = QCoreApplication.translate

NUMBER, PLATFORM_ORDER_ID, RESULT, FIELD, DETAILS = range(5)


def describe_order(order: ConvertedOrderOut) -> str:
    """One service order in a line: trade, service, county, and whatever needs attention."""
    service = labels.label(labels.service_type_labels(), order.service_type)
    county = order.placement.county or translate("PreviewModel", "not placed")
    parts = [p for p in (order.trade, service, county) if p]
    if order.audit_decision == "review":
        parts.append(translate("PreviewModel", "to review (risk {0})").format(order.audit_score))
    if order.covered is False:
        parts.append(translate("PreviewModel", "outside coverage"))
    return " · ".join(parts)


def describe_row(row: PreviewRow) -> str:
    if not row.ok:
        return row.problem
    if not row.orders:
        return translate("PreviewModel", "no visit needed")
    text = "；".join(describe_order(o) for o in row.orders)
    if len(row.orders) > 1:
        text = translate("PreviewModel", "{0} service orders: {1}").format(len(row.orders), text)
    # A split order may repeat the dropped lines on each of its service orders.
    dropped = len({(d.sku, d.name, d.reason) for o in row.orders for d in o.dropped})
    if dropped:
        text += translate("PreviewModel", "; {0} lines need no visit").format(dropped)
    return text


class PreviewModel(RowTable[PreviewRow]):
    """One row per record of the file; problem rows in red. Keyed by the record's index."""

    numeric_columns = frozenset({NUMBER})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.preview: ImportPreview | None = None

    def set_preview(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        self.set_rows(list(preview.rows) if preview is not None else [])

    def titles(self) -> list[str]:
        return [
            translate("PreviewModel", "No."),
            translate("PreviewModel", "Platform order"),
            translate("PreviewModel", "Result"),
            translate("PreviewModel", "Field"),
            translate("PreviewModel", "Details"),
        ]

    def key(self, row: PreviewRow) -> Key:
        return row.index

    def text(self, row: PreviewRow, column: int) -> str:
        if column == NUMBER:
            return str(row.index + 1)  # people count records from one
        if column == PLATFORM_ORDER_ID:
            return row.platform_order_id
        if column == RESULT:
            return (translate("PreviewModel", "OK") if row.ok
                    else translate("PreviewModel", "Problem"))
        if column == FIELD:
            return row.field
        return describe_row(row)

    def sort_value(self, row: PreviewRow, column: int) -> Any:
        return row.index if column == NUMBER else self.text(row, column)

    def warning(self, row: PreviewRow, column: int) -> bool:
        return not row.ok

    def tooltip(self, row: PreviewRow, column: int) -> str:
        if column != DETAILS:
            return ""
        if not row.ok:
            return row.problem
        lines = []
        for order in row.orders:
            lines.append(describe_order(order))
            for flag in order.audit_flags:
                lines.append(f"  · {flag.reason} (+{flag.score})")
            for line in order.dropped:
                lines.append(f"  − {line.name} ×{line.quantity}：{line.reason}")
        intents = {o.intent for o in row.orders}
        if intents - {"new"}:
            names = intake_labels.intent_labels()
            lines.append(", ".join(labels.label(names, i) for i in sorted(intents)))
        return "\n".join(lines)

    def summary(self) -> str:
        """"3 records can be imported, 1 has a problem" for the dialog."""
        if self.preview is None:
            return ""
        return translate("PreviewModel", "{0} can be imported, {1} with problems").format(
            self.preview.ok_count, self.preview.problem_count
        )
