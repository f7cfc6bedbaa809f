"""Intake settings as tables: each client's policy, the blacklist, the log of their changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from console.models.row_table import Key, RowTable
from core.contracts.intake import BlacklistEntryOut, ClientPolicyOut, SettingsChangeOut
from ui import labels
from ui.formatting import local_time
from ui.intake import labels as intake_labels

translate = QCoreApplication.translate

CLIENT, SHOPS, AUDIT, COVERAGE, MERGE, THRESHOLD, UPDATED = range(7)
PHONE, ADDRESS, REASON, ADDED, STATUS = range(5)
AT, ACTOR, SUBJECT, WHY = range(4)


def merge_window_text(minutes: int) -> str:
    if minutes <= 0:
        return translate("ClientPolicyModel", "No merging")
    return translate("ClientPolicyModel", "{0} min").format(minutes)


def by_at(who: str, at: datetime | None) -> str:
    """"张主管 · 2026-11-25 16:00", either part left out when unknown."""
    return " · ".join(part for part in (who, local_time(at)) if part)


class ClientPolicyModel(RowTable[ClientPolicyOut]):
    """One row per client (brand or shop owner); keyed by client code."""

    numeric_columns = frozenset({MERGE, THRESHOLD})

    def titles(self) -> list[str]:
        return [
            translate("ClientPolicyModel", "Client"),
            translate("ClientPolicyModel", "Shops"),
            translate("ClientPolicyModel", "Audit"),
            translate("ClientPolicyModel", "Coverage"),
            translate("ClientPolicyModel", "Merge window"),
            translate("ClientPolicyModel", "Review from score"),
            translate("ClientPolicyModel", "Last changed"),
        ]

    def key(self, row: ClientPolicyOut) -> Key:
        return row.code

    def text(self, row: ClientPolicyOut, column: int) -> str:
        if column == CLIENT:
            return f"{row.name} ({row.code})" if row.name and row.name != row.code else row.code
        if column == SHOPS:
            return "、".join(row.shops)
        if column == AUDIT:
            return labels.label(intake_labels.audit_mode_labels(), row.audit_mode)
        if column == COVERAGE:
            return labels.label(intake_labels.coverage_mode_labels(), row.coverage_mode)
        if column == MERGE:
            return merge_window_text(row.merge_window_minutes)
        if column == THRESHOLD:
            return str(row.review_threshold)
        return by_at(row.updated_by, row.updated_at)

    def sort_value(self, row: ClientPolicyOut, column: int) -> Any:
        if column == MERGE:
            return row.merge_window_minutes
        if column == THRESHOLD:
            return row.review_threshold
        if column == UPDATED:
            return row.updated_at.timestamp() if row.updated_at else 0.0
        return self.text(row, column)

    def tooltip(self, row: ClientPolicyOut, column: int) -> str:
        if column == SHOPS:
            return "\n".join(row.shops)
        if column == THRESHOLD and row.audit_mode == "manual":
            return translate("ClientPolicyModel", "Every order is reviewed by hand: the score "
                             "only orders the review queue.")
        return ""


class BlacklistModel(RowTable[BlacklistEntryOut]):
    """Phones and addresses known for fake orders; keyed by entry id."""

    def titles(self) -> list[str]:
        return [
            translate("BlacklistModel", "Phone"),
            translate("BlacklistModel", "Address"),
            translate("BlacklistModel", "Reason"),
            translate("BlacklistModel", "Added"),
            translate("BlacklistModel", "Status"),
        ]

    def key(self, row: BlacklistEntryOut) -> Key:
        return row.id

    def text(self, row: BlacklistEntryOut, column: int) -> str:
        if column == PHONE:
            return row.phone
        if column == ADDRESS:
            return row.address
        if column == REASON:
            return row.reason
        if column == ADDED:
            return by_at(row.created_by, row.created_at)
        if row.active:
            return translate("BlacklistModel", "In force")
        return translate("BlacklistModel", "Removed: {0}").format(row.removed_reason)

    def sort_value(self, row: BlacklistEntryOut, column: int) -> Any:
        if column == ADDED:
            return row.created_at.timestamp()
        return self.text(row, column)

    def tooltip(self, row: BlacklistEntryOut, column: int) -> str:
        if column in (ADDRESS, REASON):
            return self.text(row, column)
        if column == STATUS and not row.active:
            return translate("BlacklistModel", "Removed by {0}: {1}").format(
                by_at(row.removed_by, row.removed_at), row.removed_reason)
        return ""


class SettingsLogModel(RowTable[SettingsChangeOut]):
    """Who changed which setting when, and why; newest first, keyed by change id."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clients: dict[str, str] = {}

    def titles(self) -> list[str]:
        return [
            translate("SettingsLogModel", "When"),
            translate("SettingsLogModel", "Who"),
            translate("SettingsLogModel", "What"),
            translate("SettingsLogModel", "Why"),
        ]

    def set_client_names(self, names: dict[str, str]) -> None:
        """Client codes to names, so "client:midea" reads as the client's name."""
        self._clients = dict(names)

    def key(self, row: SettingsChangeOut) -> Key:
        return row.id

    def subject(self, row: SettingsChangeOut) -> str:
        kind, _, ref = row.subject.partition(":")
        if kind == "client":
            return translate("SettingsLogModel", "Policy of {0}").format(
                self._clients.get(ref, ref))
        if kind == "blacklist":
            return translate("SettingsLogModel", "Blacklist entry #{0}").format(ref)
        return row.subject

    def text(self, row: SettingsChangeOut, column: int) -> str:
        if column == AT:
            return local_time(row.at)
        if column == ACTOR:
            return row.actor
        if column == SUBJECT:
            return self.subject(row)
        return row.reason

    def sort_value(self, row: SettingsChangeOut, column: int) -> Any:
        if column == AT:
            return row.at.timestamp()
        return self.text(row, column)

    def tooltip(self, row: SettingsChangeOut, column: int) -> str:
        """What changed: "audit_mode: auto_pass → manual", one line per key."""
        keys = [k for k in {**row.before, **row.after}
                if row.before.get(k) != row.after.get(k) and k != "version"]
        return "\n".join(f"{k}: {row.before.get(k, '')} → {row.after.get(k, '')}" for k in keys)
