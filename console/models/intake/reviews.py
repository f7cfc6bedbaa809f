"""The audit review queue: orders the centre thinks may be fake (刷单), with its reasons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from console.language import pick
from console.models.row_table import Key, RowTable
from core.contracts.intake import AuditFlagOut, ReviewItem
from ui import labels
from ui.formatting import local_time, money

translate = QCoreApplication.translate

ORDER_NO, PLATFORM, CUSTOMER, PHONE, ADDRESS, AMOUNT, SCORE, FLAGS, CREATED = range(9)
# From this risk score on a row is shown in red (the default review threshold is 40).
HIGH_RISK = 60


def flag_text(flag: AuditFlagOut) -> str:
    return translate("ReviewModel", "{0} (+{1})").format(pick(flag.reason), flag.score)


class ReviewModel(RowTable[ReviewItem]):
    """One row per order waiting for an agent's approve or reject; keyed by order id."""

    numeric_columns = frozenset({AMOUNT, SCORE})

    def titles(self) -> list[str]:
        return [
            translate("ReviewModel", "Order no."),
            translate("ReviewModel", "Platform"),
            translate("ReviewModel", "Customer"),
            translate("ReviewModel", "Phone"),
            translate("ReviewModel", "Address"),
            translate("ReviewModel", "Amount"),
            translate("ReviewModel", "Risk"),
            translate("ReviewModel", "Why"),
            translate("ReviewModel", "Created"),
        ]

    def key(self, row: ReviewItem) -> Key:
        return row.order.id

    def text(self, row: ReviewItem, column: int) -> str:
        order = row.order
        if column == ORDER_NO:
            return order.order_no
        if column == PLATFORM:
            platform = labels.label(labels.platform_labels(), order.platform)
            return f"{platform} · {row.platform_order_id}" if row.platform_order_id else platform
        if column == CUSTOMER:
            return order.customer_name
        if column == PHONE:
            return row.customer_phone
        if column == ADDRESS:
            return row.address
        if column == AMOUNT:
            return money(row.amount_fen)
        if column == SCORE:
            return str(row.score)
        if column == FLAGS:
            return "；".join(pick(flag.reason) for flag in row.flags)
        return local_time(order.created_at)

    def sort_value(self, row: ReviewItem, column: int) -> Any:
        if column == AMOUNT:
            return row.amount_fen
        if column == SCORE:
            return row.score
        if column == CREATED:
            return row.order.created_at.timestamp()
        return self.text(row, column)

    def warning(self, row: ReviewItem, column: int) -> bool:
        return column in (SCORE, FLAGS) and row.score >= HIGH_RISK

    def tooltip(self, row: ReviewItem, column: int) -> str:
        if column in (SCORE, FLAGS):
            return "\n".join(flag_text(flag) for flag in row.flags)
        if column == ADDRESS:
            return row.address
        return ""
