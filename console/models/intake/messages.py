"""The problem list: stored messages (dead letters first of all), newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from console.language import pick
from console.models.row_table import Key, RowTable
from core.contracts.intake import IntakeMessageOut, MessageStatus
from ui import labels
from ui.formatting import local_time
from ui.intake import labels as intake_labels

translate = QCoreApplication.translate

RECEIVED, PLATFORM, CHANNEL, PLATFORM_ORDER_ID, STATUS, FIELD, REASON = range(7)


class MessageModel(RowTable[IntakeMessageOut]):
    """One row per stored message; keyed by message id."""

    def titles(self) -> list[str]:
        return [
            translate("MessageModel", "Received"),
            translate("MessageModel", "Platform"),
            translate("MessageModel", "Way in"),
            translate("MessageModel", "Platform order"),
            translate("MessageModel", "Status"),
            translate("MessageModel", "Field"),
            translate("MessageModel", "Reason"),
        ]

    def key(self, row: IntakeMessageOut) -> Key:
        return row.id

    def text(self, row: IntakeMessageOut, column: int) -> str:
        if column == RECEIVED:
            return local_time(row.received_at, seconds=True)
        if column == PLATFORM:
            return labels.label(labels.platform_labels(), row.platform)
        if column == CHANNEL:
            return labels.label(intake_labels.channel_labels(), row.channel)
        if column == PLATFORM_ORDER_ID:
            return row.platform_order_id
        if column == STATUS:
            return labels.label(intake_labels.status_labels(), row.status)
        if column == FIELD:
            return row.field
        reason = pick(row.reason)  # the server's; a resolution is a person's words
        if row.resolution:
            reason = f"{reason}（{row.resolution}）" if reason else row.resolution
        return reason

    def sort_value(self, row: IntakeMessageOut, column: int) -> Any:
        if column == RECEIVED:
            return row.received_at.timestamp()
        return self.text(row, column)

    def warning(self, row: IntakeMessageOut, column: int) -> bool:
        return row.status == MessageStatus.DEAD and column in (STATUS, FIELD, REASON)

    def tooltip(self, row: IntakeMessageOut, column: int) -> str:
        if column == REASON:
            return self.text(row, column)
        if column == STATUS and row.resolved_by:
            return translate("MessageModel", "{0} by {1} at {2}").format(
                labels.label(intake_labels.status_labels(), row.status), row.resolved_by,
                local_time(row.resolved_at),
            )
        return ""
