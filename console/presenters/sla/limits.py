"""The time limits editor: loads a region's effective limits for a service type with what the
scope sets itself, shows each step with the platform's limit beside ours and where each value
comes from, and saves the chosen step's limit for that scope and type from the version seen,
with a reason (a 409 says so and loads again)."""

from __future__ import annotations

import copy
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, spawn
from core.contracts.sla_limits import (
    EffectiveLimitsOut,
    LimitSource,
    LimitsPut,
    LimitsScopeOut,
    StepLimitOut,
)
from ui.orders.action_dialogs import ReasonDialog
from ui.sla.limits import LimitsView

translate = QCoreApplication.translate
COLUMNS = ("Step", "Limit", "Clock", "Notice / warning", "Platform's limit", "Comes from")


class LimitsClient(Protocol):
    async def effective_limits(self, region: str,
                               service_type: str = "any") -> EffectiveLimitsOut: ...
    async def sla_limits_scope(self, scope: str) -> LimitsScopeOut: ...
    async def put_sla_limits(self, scope: str, change: LimitsPut) -> LimitsScopeOut: ...


def due_text(due: dict[str, int]) -> str:
    if "minutes" in due:
        hours, minutes = divmod(due["minutes"], 60)
        if hours and not minutes:
            return translate("LimitsPresenter", "%n h", "", hours)
        return translate("LimitsPresenter", "%n min", "", due["minutes"])
    days = due.get("end_of_day", 0)
    if not days:
        return translate("LimitsPresenter", "agreed day 23:59:59")
    return translate("LimitsPresenter", "agreed day + %n d, 23:59:59", "", days)


def source_text(source: LimitSource | None) -> str:
    if source is None:
        return translate("LimitsPresenter", "built in")
    kind = "" if source.service_type == "any" else f" · {source.service_type}"
    return f"{source.scope_name}{kind}"


class LimitsPresenter(DialogHost, QObject):
    """One region and service type on screen; one save at a time. `editable` for supervisors
    and admins (the server refuses anyone else anyway).

    Signals: loaded() once the table shows the region asked for; saved(int version).
    """

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, client: LimitsClient, view: LimitsView, route: MessageRoute, *,
                 editable: bool, parent_widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.editable = editable
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(
            [translate("LimitsPresenter", c) for c in COLUMNS])
        view.set_model(self.model)
        self.effective: EffectiveLimitsOut | None = None
        self.scope: LimitsScopeOut | None = None
        self.region, self.service_type = "default", "any"
        self.row = -1
        self._action = OneAction(route, view)
        view.load_requested.connect(self.load)
        view.step_chosen.connect(self.choose)
        view.save_requested.connect(self.save)

    def load(self, region: str, service_type: str = "any") -> None:
        spawn(self.refresh(region, service_type), self._route,
              translate("LimitsPresenter", "loading time limits"))

    async def refresh(self, region: str, service_type: str = "any") -> None:
        effective = await self._client.effective_limits(region, service_type)
        self.scope = await self._client.sla_limits_scope(region)
        self.effective, self.region, self.service_type = effective, region, service_type
        self.model.removeRows(0, self.model.rowCount())
        for step in effective.steps:
            warn = "/".join(f"{p}%" for p in step.warn_percent)
            platform = due_text(step.platform["due"]) if step.platform else "—"
            row = [step.step_name, due_text(step.due),
                   translate("LimitsPresenter", "business" if step.clock == "business"
                             else "natural"),
                   warn, platform, source_text(step.sources.get("due"))]
            self.model.appendRow([QStandardItem(text) for text in row])
        self._view.status.setText(translate("LimitsPresenter", "%1 · version %2").replace(
            "%1", effective.county_name).replace("%2", str(self.scope.version)))
        self._view.set_editable(self.editable)
        self._view.table.selectRow(max(self.row, 0))
        self.choose(max(self.row, 0))
        self.loaded.emit()

    def step(self) -> StepLimitOut | None:
        if self.effective is None or not 0 <= self.row < len(self.effective.steps):
            return None
        return self.effective.steps[self.row]

    def choose(self, row: int) -> None:
        self.row = row
        step = self.step()
        if step is None:
            return
        view = self._view
        view.end_of_day.setChecked("end_of_day" in step.due)
        view.minutes.setValue(step.due.get("minutes", view.minutes.value()))
        view.clock.setCurrentIndex(max(view.clock.findData(step.clock), 0))
        view.notice.setValue(step.warn_percent[0])
        view.warning.setValue(step.warn_percent[1])
        view.source.setText(source_text(step.sources.get("due")))

    def wanted(self) -> dict[str, Any]:
        """What the scope sets after the change: the chosen step's entry for the service type
        takes the editor's due, clock and warn shares; everything else stays as it was."""
        step = self.step()
        assert step is not None and self.scope is not None
        view = self._view
        body = copy.deepcopy(self.scope.body)
        entry = body.setdefault("steps", {}).setdefault(step.step, {}).setdefault(
            self.service_type, {})
        entry["due"] = ({"end_of_day": step.due.get("end_of_day", 0)}
                        if view.end_of_day.isChecked() else {"minutes": view.minutes.value()})
        entry["clock"] = view.clock.currentData()
        entry["warn_percent"] = [view.notice.value(), view.warning.value()]
        return body

    def save(self) -> None:
        self._action.start(self._save(), translate("LimitsPresenter", "saving time limits"),
                           allowed=self.editable and self.step() is not None)

    async def _save(self) -> None:
        assert self.scope is not None
        body, version, scope = self.wanted(), self.scope.version, self.scope.scope
        dialog = ReasonDialog(translate("LimitsPresenter", "Change time limits"),
                              translate("LimitsPresenter", "Why change the limits of %1?")
                              .replace("%1", self.scope.scope_name), self._parent_widget)
        if not await self._open(dialog):
            return
        try:
            done = await self._client.put_sla_limits(
                scope, LimitsPut(body=body, version=version, reason=dialog.reason()))
        except ApiError as exc:
            if exc.status == 409:
                self._route.warning(translate(
                    "LimitsPresenter", "Someone changed these limits meanwhile; loaded again."))
                await self.refresh(self.region, self.service_type)
                return
            raise
        self.saved.emit(done.version)
        await self.refresh(self.region, self.service_type)
