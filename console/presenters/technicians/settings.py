"""Keeps the technicians dock current and turns Edit… into a change of dispatch settings:
the form, the reason, a PATCH from the version shown; a conflict reloads, a refusal reopens
the form with what was typed and what the server said."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from console.errors import ApiError, ConsoleError
from console.models.technicians.table import TechnicianModel
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, PolledList, Polling
from core.contracts.people import TechnicianChangeOut, TechnicianOut, TechnicianUpdate
from ui.formatting import local_time
from ui.technicians.dialog import TechnicianDialog, TechnicianSettings
from ui.technicians.view import TechnicianTableView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

REFRESH_MS = 30_000  # today's load moves slowly; settings change rarely
HISTORY = 5


class TechnicianClient(Protocol):
    async def technicians(self) -> list[TechnicianOut]: ...
    async def update_technician(self, technician_id: int,
                                change: TechnicianUpdate) -> TechnicianOut: ...
    async def technician_log(self, technician_id: int,
                             limit: int = 100) -> list[TechnicianChangeOut]: ...


def settings_of(row: TechnicianOut) -> TechnicianSettings:
    return TechnicianSettings(row.daily_capacity, list(row.skills), list(row.qualifications),
                              row.active)


def field_labels() -> dict[str, str]:
    return {
        "daily_capacity": translate("TechnicianDesk", "capacity"),
        "skills": translate("TechnicianDesk", "skills"),
        "qualifications": translate("TechnicianDesk", "certificates"),
        "active": translate("TechnicianDesk", "active"),
    }


def change_line(change: TechnicianChangeOut) -> str:
    """'2026-03-02 16:00 supervisor (capacity, skills): reason'."""
    names = field_labels()
    changed = [names.get(k, k) for k in change.after if change.after[k] != change.before.get(k)]
    return translate("TechnicianDesk", "{0} {1} ({2}): {3}").format(
        local_time(change.at), change.actor, "、".join(changed), change.reason)


class TechnicianPresenter(PolledList, DialogHost, QObject):
    """Fetches the technicians on a timer while `visible()` and on request; one edit at a time,
    and only when `editable` (supervisors and admins; the server says 403 to anyone else).

    Signals: refreshed() after the table was replaced; saved(int technician id).
    """

    refreshed = Signal()
    saved = Signal(int)

    def __init__(self, client: TechnicianClient, view: TechnicianTableView, route: MessageRoute,
                 *, editable: bool, interval_ms: int = REFRESH_MS,
                 visible: Callable[[], bool] = lambda: True,
                 parent_widget: QWidget | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.editable = editable
        self.model = TechnicianModel(self)
        self.refreshes = 0
        self.polling = Polling(self._refresh, route,
                               translate("TechnicianDesk", "Loading the technicians"), log,
                               every_ms=interval_ms, owner=view, visible=visible)
        self.actions = OneAction(route, view)
        view.set_model(self.model)
        view.set_editable(editable)
        view.refreshRequested.connect(lambda: self.refresh(force=True))
        view.editRequested.connect(self.edit)

    async def _refresh(self) -> None:
        rows = await self._client.technicians()
        if shiboken6.isValid(self._view):
            self.model.set_rows(rows)
            self.refreshes += 1
            self.refreshed.emit()

    # -- editing -------------------------------------------------------------------------

    def edit(self, technician_id: int) -> None:
        self.actions.start(self.edit_technician(technician_id),
                           translate("TechnicianDesk", "Changing the technician's settings"),
                           allowed=self.editable)

    async def edit_technician(self, technician_id: int) -> bool:
        """Ask for the new settings and a reason and send them; True once saved."""
        row = self.model.find(technician_id)
        if row is None or not self.editable:
            return False
        current = settings_of(row)
        history = await self._history(technician_id)
        typed: TechnicianSettings | None = None
        reason = refusal = ""
        while True:
            dialog = TechnicianDialog(row.name, current, typed, reason, history,
                                      self._parent_widget)
            if refusal:
                dialog.show_refusal(refusal)
            if not await self._open(dialog):
                return False
            typed, reason, changes = dialog.settings(), dialog.reason(), dialog.changes()
            change = TechnicianUpdate.model_validate(
                {**changes, "version": row.version, "reason": reason})
            try:
                saved = await self._client.update_technician(technician_id, change)
            except ApiError as exc:
                if exc.status == 422:
                    refusal = exc.detail or str(exc)
                    continue
                if exc.status not in (404, 409):
                    raise
                await self._conflict(row.name, exc)
                return False
            self._replace(saved)
            self._route.info(translate("TechnicianDesk", "Dispatch settings of {0} saved.")
                             .format(saved.name))
            self.saved.emit(technician_id)
            self.refresh(force=True)
            return True

    async def _history(self, technician_id: int) -> list[str]:
        """The latest changes for the form; the form opens without them if they cannot load."""
        try:
            changes = await self._client.technician_log(technician_id, HISTORY)
        except ConsoleError as exc:
            log.info("technician log of %s: %s", technician_id, exc)
            return []
        return [change_line(c) for c in changes]

    async def _conflict(self, name: str, exc: ApiError) -> None:
        log.info("settings of %s are stale: %s", name, exc)
        self._route.warning(translate(
            "TechnicianDesk", "The settings of {0} were changed by someone else meanwhile ({1}); "
            "they are loaded again. Please look at them before changing them.").format(
            name, exc.detail or exc.title))
        await self._refresh()

    def _replace(self, saved: TechnicianOut) -> None:
        self.model.set_rows([saved if r.id == saved.id else r for r in self.model.rows()])
