"""The client policies tab: fetches client policies, the blacklist and the settings log, and
turns a supervisor's edit, addition or removal into an API call."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from console.errors import ApiError
from console.models.intake.clients import BlacklistModel, ClientPolicyModel, SettingsLogModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.contracts.intake import (
    BlacklistEntryIn,
    BlacklistEntryOut,
    ClientPolicyOut,
    ClientPolicyUpdate,
    SettingsChangeOut,
)
from ui.intake import labels as intake_labels
from ui.intake.policy import BlacklistEntryDialog, PolicyDialog, PolicyValues
from ui.intake.settings import ClientSettingsPage
from ui.orders.action_dialogs import ReasonDialog

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

LOG_LIMIT = 50


class IntakeSettingsClient(Protocol):
    async def client_policies(self) -> list[ClientPolicyOut]: ...
    async def update_client_policy(
        self, code: str, update: ClientPolicyUpdate) -> ClientPolicyOut: ...
    async def blacklist(self, active: str = "true") -> list[BlacklistEntryOut]: ...
    async def add_blacklist_entry(self, entry: BlacklistEntryIn) -> BlacklistEntryOut: ...
    async def remove_blacklist_entry(self, entry_id: int, reason: str) -> BlacklistEntryOut: ...
    async def settings_log(self, limit: int = LOG_LIMIT) -> list[SettingsChangeOut]: ...


def entry_name(entry: BlacklistEntryOut) -> str:
    return " / ".join(part for part in (entry.phone, entry.address) if part) or f"#{entry.id}"


class ClientSettingsPresenter(PolledList, DialogHost, QObject):
    """Refreshes when the tab comes on screen, on request and after each action (no polling:
    the settings change rarely). One action at a time; `editable` only for supervisors and
    admins (the server says 403 to anyone else anyway).

    Signals: refreshed() after the lists were replaced; unavailable() when the server has no
    intake settings (404). `on_open` sees every dialog as it opens (tests answer through it).
    """

    refreshed = Signal()
    unavailable = Signal()

    def __init__(self, client: IntakeSettingsClient, page: ClientSettingsPage,
                 route: MessageRoute, *, editable: bool, parent_widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._page = page
        self._route = route
        self._parent_widget = parent_widget
        self.editable = editable
        self.clients = ClientPolicyModel(self)
        self.blacklist = BlacklistModel(self)
        self.log = SettingsLogModel(self)
        self.active = "true"
        self.refreshes = 0
        self.on_open: Callable[[QDialog], None] | None = None
        self.current: QDialog | None = None
        self.polling = Polling(
            self._refresh, route, translate("ClientSettings", "Refreshing the client policies"),
            log, handled=self._unavailable)
        self._actions = OneAction(route, page, after=lambda: self.refresh(force=True))
        page.set_models(self.clients, self.blacklist, self.log)
        page.set_blacklist_options(list(intake_labels.blacklist_filter_labels().items()),
                                   self.active)
        page.set_editable(editable)
        page.shown.connect(self.refresh)
        page.blacklistFilterChanged.connect(self.set_blacklist_filter)
        page.blacklist_table.keySelected.connect(self._entry_selected)
        page.editRequested.connect(lambda code: self._start(
            self.edit(code), translate("ClientSettings", "Changing the client's policy")))
        page.addEntryRequested.connect(lambda: self._start(
            self.add_entry(), translate("ClientSettings", "Adding to the blacklist")))
        page.removeEntryRequested.connect(lambda entry_id: self._start(
            self.remove_entry(entry_id),
            translate("ClientSettings", "Removing from the blacklist")))

    # -- fetching ------------------------------------------------------------------------

    def acting(self) -> bool:
        return self._actions.acting

    def set_blacklist_filter(self, active: str) -> None:
        self.active = active
        self.refresh(force=True)

    async def _refresh(self) -> None:
        policies, entries, changes = await asyncio.gather(
            self._client.client_policies(),
            self._client.blacklist(self.active),
            self._changes(),
        )
        if shiboken6.isValid(self._page):
            self._apply(policies, entries, changes)

    async def _changes(self) -> list[SettingsChangeOut]:
        try:
            return await self._client.settings_log(LOG_LIMIT)
        except ApiError as exc:
            if exc.status not in (403, 404):
                raise
            log.info("no settings log: %s", exc)  # the policies are still worth showing
            return []

    def _unavailable(self, exc: Exception) -> bool:
        if isinstance(exc, ApiError) and exc.status == 404:
            log.info("the server has no intake settings: %s", exc)
            self.unavailable.emit()
            return True
        return False

    def _apply(self, policies: list[ClientPolicyOut], entries: list[BlacklistEntryOut],
               changes: list[SettingsChangeOut]) -> None:
        self.refreshes += 1
        self.clients.set_rows(sorted(policies, key=lambda p: p.code))
        self.blacklist.set_rows(sorted(entries, key=lambda e: e.created_at, reverse=True))
        self.log.set_client_names({p.code: p.name or p.code for p in policies})
        self.log.set_rows(sorted(changes, key=lambda c: c.at, reverse=True))
        self._entry_selected(self._page.blacklist_table.current_key())
        self.refreshed.emit()

    def _entry_selected(self, key: object) -> None:
        entry = self.blacklist.find(key) if isinstance(key, int) else None
        self._page.set_removable(entry is not None and entry.active)

    # -- actions -------------------------------------------------------------------------

    def _start(self, action: Coroutine[Any, Any, Any], doing: str) -> None:
        self._actions.start(action, doing, allowed=self.editable)

    async def edit(self, code: str) -> bool:
        """Change a client's policy, based on the version shown, with the reason."""
        policy = self.clients.find(code)
        if policy is None or not self.editable:
            return False
        name = policy.name or policy.code
        dialog = PolicyDialog(
            translate("ClientSettings", "Client policy"),
            translate("ClientSettings", "How orders of {0} are taken in. The reason is kept in "
                      "the log of changes.").format(name),
            list(intake_labels.audit_mode_labels().items()),
            list(intake_labels.coverage_mode_labels().items()),
            PolicyValues(policy.audit_mode, policy.coverage_mode, policy.merge_window_minutes,
                         policy.review_threshold),
            self._parent_widget,
        )
        if not await self._open(dialog):
            return False
        values = dialog.values()
        update = ClientPolicyUpdate.model_validate({
            "version": policy.version, "reason": dialog.reason(),
            "audit_mode": values.audit_mode, "coverage_mode": values.coverage_mode,
            "merge_window_minutes": values.merge_window_minutes,
            "review_threshold": values.review_threshold,
        })
        try:
            await self._client.update_client_policy(code, update)
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("policy of %s is stale: %s", code, exc)
            self._route.warning(translate(
                "ClientSettings", "The policy of {0} was changed by someone else meanwhile; "
                "the list is refreshed. Please look at it again before changing it."
            ).format(name))
            return False
        self._route.info(translate("ClientSettings", "Policy of {0} saved.").format(name))
        return True

    async def add_entry(self) -> bool:
        """List a phone and/or an address. Values the server refuses (422) are shown again
        with its reason, so the supervisor corrects them rather than typing them anew."""
        if not self.editable:
            return False
        phone = address = reason = refused = ""
        while True:
            dialog = BlacklistEntryDialog(
                translate("ClientSettings", "Add to the blacklist"),
                translate("ClientSettings", "Orders from this phone or address go to the "
                          "review queue. Why is it added?"),
                self._parent_widget, phone=phone, address=address, reason=reason,
                refused=refused,
            )
            if not await self._open(dialog):
                return False
            phone, address, reason = dialog.phone(), dialog.address(), dialog.reason()
            entry = BlacklistEntryIn(phone=phone, address=address, reason=reason)
            try:
                added = await self._client.add_blacklist_entry(entry)
            except ApiError as exc:
                if exc.status == 422:
                    said = [str(e["msg"]) for e in exc.errors if e.get("msg")]
                    refused = said[0] if said else (exc.detail or str(exc))
                    continue
                if exc.status != 409:
                    raise
                self._route.warning(translate(
                    "ClientSettings", "{0} is already on the blacklist ({1}).").format(
                    " / ".join(p for p in (phone, address) if p), exc.detail or exc.title))
                return False
            break
        self._route.info(translate("ClientSettings", "{0} is on the blacklist.").format(
            entry_name(added)))
        return True

    async def remove_entry(self, entry_id: int) -> bool:
        entry = self.blacklist.find(entry_id)
        if entry is None or not entry.active or not self.editable:
            return False
        dialog = ReasonDialog(
            translate("ClientSettings", "Remove from the blacklist"),
            translate("ClientSettings", "Orders from {0} are no longer flagged. Why is it "
                      "removed?").format(entry_name(entry)),
            self._parent_widget,
        )
        if not await self._open(dialog):
            return False
        try:
            await self._client.remove_blacklist_entry(entry_id, dialog.reason())
        except ApiError as exc:
            if exc.status not in (404, 409):
                raise
            log.info("blacklist entry %s is stale: %s", entry_id, exc)
            self._route.warning(translate(
                "ClientSettings", "{0} was removed by someone else meanwhile; the blacklist "
                "is refreshed.").format(entry_name(entry)))
            return False
        self._route.info(translate("ClientSettings", "{0} is off the blacklist.").format(
            entry_name(entry)))
        return True
