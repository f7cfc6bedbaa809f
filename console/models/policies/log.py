"""The log of dispatch policy changes as a table: when, who, which region, why, what."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication

from console.models.row_table import Key, RowTable
from core.contracts.dispatch import PolicyLogEntry
from ui.formatting import local_time
from ui.policies import labels as names

translate = QCoreApplication.translate
AT, ACTOR, SCOPE, REASON, CHANGE = range(5)


def changed_fields(entry: PolicyLogEntry) -> list[str]:
    """The settings a change touched, in the editor's order."""
    keys = set(entry.before) | set(entry.after)
    return [f for f in (*names.FIELDS, *sorted(keys - set(names.FIELDS)))
            if f in keys and entry.before.get(f) != entry.after.get(f)]


class PolicyLogModel(RowTable[PolicyLogEntry]):
    """Newest first; keyed by log id."""

    def titles(self) -> list[str]:
        return [
            translate("PolicyLogModel", "When"),
            translate("PolicyLogModel", "Who"),
            translate("PolicyLogModel", "Region"),
            translate("PolicyLogModel", "Why"),
            translate("PolicyLogModel", "Changed"),
        ]

    def key(self, row: PolicyLogEntry) -> Key:
        return row.id

    def text(self, row: PolicyLogEntry, column: int) -> str:
        if column == AT:
            return local_time(row.at)
        if column == ACTOR:
            return row.actor
        if column == SCOPE:
            return row.scope_name or row.scope
        if column == REASON:
            return row.reason
        if not row.after:
            return translate("PolicyLogModel", "Own settings removed")
        titles = names.field_labels()
        return "、".join(titles.get(f, f) for f in changed_fields(row))

    def sort_value(self, row: PolicyLogEntry, column: int) -> Any:
        return row.at.timestamp() if column == AT else self.text(row, column)

    def tooltip(self, row: PolicyLogEntry, column: int) -> str:
        if column != CHANGE:
            return row.reason if column == REASON else ""
        lines = []
        for field in changed_fields(row):
            before = json.dumps(row.before.get(field, "—"), ensure_ascii=False)
            after = json.dumps(row.after.get(field, "—"), ensure_ascii=False)
            lines.append(f"{field}: {before} → {after}")
        return "\n".join(lines)
