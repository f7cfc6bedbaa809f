"""The time limits editor: loads a region's effective limits for a service type with what the
scope sets itself and its change log, shows each step with the platform's limit beside ours and
where each value comes from, and saves from the version seen, with a reason (a 409 says so and
loads again): the chosen step's limit, conditions and platform limit for that scope and type,
or the scope's working hours and suspensions (a refusal names the field)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.presenters.messages import MessageRoute
from console.presenters.sla.limit_forms import (
    fill_scope,
    fill_step,
    log_row,
    next_day,
    scope_body,
    step_entry,
)
from console.presenters.sla.region_tree import region_model
from console.presenters.tasks import DialogHost, OneAction, spawn
from core.clock import WALL_CLOCK
from core.contracts.sla_limits import (
    EffectiveLimitsOut,
    LimitsLogEntry,
    LimitSource,
    LimitsPut,
    LimitsScopeOut,
    StepLimitOut,
)
from ui.orders.action_dialogs import ReasonDialog
from ui.sla.limits import LimitsView

translate = QCoreApplication.translate
COLUMNS = ("Step", "Limit", "Clock", "Notice / warning", "Platform's limit", "Comes from")
LOG_COLUMNS = ("When", "Who", "Region", "Why", "What changed")


class LimitsClient(Protocol):
    async def effective_limits(self, region: str,
                               service_type: str = "any") -> EffectiveLimitsOut: ...
    async def sla_limits_scope(self, scope: str) -> LimitsScopeOut: ...
    async def put_sla_limits(self, scope: str, change: LimitsPut) -> LimitsScopeOut: ...
    async def sla_limits_log(self, scope: str | None = None,
                             limit: int = 100) -> list[LimitsLogEntry]: ...


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
    and admins (the server refuses anyone else anyway); `now` dates a new suspension.

    Signals: loaded() once the table shows the region asked for; saved(int version).
    """

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, client: LimitsClient, view: LimitsView, route: MessageRoute, *,
                 editable: bool, parent_widget: QWidget | None = None,
                 now: Callable[[], datetime] = WALL_CLOCK.now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.editable = editable
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(
            [translate("LimitsPresenter", c) for c in COLUMNS])
        view.set_model(self.model)
        self.log_model = QStandardItemModel(0, len(LOG_COLUMNS), self)
        self.log_model.setHorizontalHeaderLabels(
            [translate("LimitsPresenter", c) for c in LOG_COLUMNS])
        view.set_log_model(self.log_model)
        self._regions_shown = False
        self.effective: EffectiveLimitsOut | None = None
        self.scope: LimitsScopeOut | None = None
        self.region, self.service_type = "default", "any"
        self.row = -1
        self._action = OneAction(route, view)
        view.load_requested.connect(self.load)
        view.step_chosen.connect(self.choose)
        view.save_requested.connect(self.save)
        view.save_scope_requested.connect(self.save_scope)
        view.scope_form.add_requested.connect(self.add_suspension)

    def load(self, region: str, service_type: str = "any") -> None:
        if not self._regions_shown:  # read once, when first wanted
            self._regions_shown = True
            self._view.set_regions(region_model(self))
        spawn(self.refresh(region, service_type), self._route,
              translate("LimitsPresenter", "loading time limits"))

    async def refresh(self, region: str, service_type: str = "any") -> None:
        effective = await self._client.effective_limits(region, service_type)
        self.scope = await self._client.sla_limits_scope(region)
        log = await self._client.sla_limits_log(region)
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
        self.log_model.removeRows(0, self.log_model.rowCount())
        for entry in log:
            self.log_model.appendRow([QStandardItem(text) for text in log_row(entry)])
        fill_scope(self._view.scope_form, effective, self.scope,
                   translate("LimitsPresenter", "otherwise: %1"), source_text)
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
        assert self.effective is not None
        fill_step(self._view.step_form, step, self.effective.events)
        self._view.step_form.set_editable(self.editable)
        self._view.source.setText(source_text(step.sources.get("due")))

    def wanted(self) -> dict[str, Any]:
        """What the scope sets after the change: the chosen step's entry for the service type
        as the editor shows it (limit_forms.step_entry); everything else
        stays as it was."""
        step = self.step()
        assert step is not None and self.scope is not None
        body = copy.deepcopy(self.scope.body)
        steps = body.setdefault("steps", {}).setdefault(step.step, {})
        steps[self.service_type] = step_entry(self._view.step_form, step,
                                              steps.get(self.service_type, {}))
        return body

    def wanted_scope(self) -> dict[str, Any]:
        assert self.effective is not None and self.scope is not None
        return scope_body(self._view.scope_form, self.effective, self.scope)

    def add_suspension(self) -> None:
        start = next_day(self._now())
        self._view.scope_form.add_suspension("", start, start.addDays(1))

    def save(self) -> None:
        self._action.start(self._save(self.wanted),
                           translate("LimitsPresenter", "saving time limits"),
                           allowed=self.editable and self.step() is not None)

    def save_scope(self) -> None:
        self._action.start(self._save(self.wanted_scope),
                           translate("LimitsPresenter", "saving time limits"),
                           allowed=self.editable and self.effective is not None)

    async def _save(self, wanted: Callable[[], dict[str, Any]] | None = None) -> None:
        assert self.scope is not None
        body = (wanted or self.wanted)()
        version, scope = self.scope.version, self.scope.scope
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
