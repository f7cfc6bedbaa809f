"""What each action asks before it is sent: a technician, a reason, a time, a county, a type,
a refusal code, a dispatch mode, tags and a grab price."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from console.models.dispatch.candidates import CandidateModel
from console.presenters.dispatch.relist import relist
from console.presenters.tasks import DialogHost
from core.clock import WALL_CLOCK
from core.contracts import OrderDetail, RegionOut
from core.contracts.dispatch import CandidateOut
from core.orders.lifecycle import ACTIONS, CannotCompleteCode, DispatchMode, RefusalCode
from ui import labels
from ui.dispatch.assign_dialog import AssignDialog
from ui.orders.action_dialogs import (
    AppointmentDialog,
    ChoiceDialog,
    CodedReasonDialog,
    MarkDialog,
    ReasonDialog,
)

translate = QCoreApplication.translate


class FormClient(Protocol):
    async def candidates(self, order_id: int, all_cities: bool = False
                         ) -> list[CandidateOut]: ...

    async def regions(
        self, level: str | None = None, parent: str | None = None
    ) -> list[RegionOut]: ...


class ActionForms(DialogHost):
    """Builds and awaits the dialog an action needs; returns the request's extra fields.

    `collect` returns None when the user cancels. `on_open` sees every dialog as it opens
    (tests answer through it; the tour closes nothing because it never acts).
    """

    def __init__(
        self,
        client: FormClient,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._client = client
        self._parent = parent
        self._clock = clock or WALL_CLOCK.now
        self._counties: list[tuple[str, str]] | None = None
        self.on_open: Callable[[QDialog], None] | None = None
        self.current: QDialog | None = None

    async def collect(self, action: str, detail: OrderDetail) -> dict[str, Any] | None:
        if action == "assign":
            return await self._assign(detail)
        if action == "appoint":
            return await self._appoint(detail)
        if action == "place":
            return await self._place(detail)
        if action == "classify":
            return await self._classify(detail)
        if action == "refuse":
            return await self._refuse(detail)
        if action == "cannot_complete":
            return await self._cannot_complete(detail)
        if action in ("verify", "complete"):  # a person's approval, or the desk's completion
            return await self._reason(action, detail)
        if action == "escalate":
            return await self._escalate(detail)
        if action == "mark":
            return await self._mark(detail)
        rule = ACTIONS.get(action)
        if rule is not None and rule.needs_reason:
            return await self._reason(action, detail)
        return {}

    async def _assign(self, detail: OrderDetail) -> dict[str, Any] | None:
        candidates = await self._client.candidates(detail.id)
        model = CandidateModel(candidates)
        heading = f"{detail.order_no} · {detail.county_name} · {detail.customer_name}"
        dialog = AssignDialog(model, heading, self._parent)
        model.setParent(dialog)
        dialog.allCitiesToggled.connect(lambda on: relist(model, dialog, detail.id, on,
                                                          self._client))
        if not await self._open(dialog) or dialog.chosen() is None:
            return None
        return {"technician_id": dialog.chosen()}

    def _why(self, detail: OrderDetail) -> str:
        return translate(
            "ActionForms", "Order {0}: why? The reason is kept in the order's timeline."
        ).format(detail.order_no)

    async def _reason(self, action: str, detail: OrderDetail) -> dict[str, Any] | None:
        title = labels.label(labels.action_labels(), action)
        dialog = ReasonDialog(title, self._why(detail), self._parent)
        if not await self._open(dialog):
            return None
        return {"reason": dialog.reason()}

    async def _refuse(self, detail: OrderDetail) -> dict[str, Any] | None:
        names = labels.refusal_code_labels()
        # A timeout is the system's verdict, never a person's reason.
        codes = [(c.value, labels.label(names, c.value)) for c in RefusalCode
                 if c is not RefusalCode.TIMEOUT]
        dialog = CodedReasonDialog(labels.label(labels.action_labels(), "refuse"),
                                   self._why(detail), translate("ActionForms", "Refusal reason"),
                                   codes, parent=self._parent)
        if not await self._open(dialog):
            return None
        return {"code": dialog.code(), "reason": dialog.reason()}

    async def _cannot_complete(self, detail: OrderDetail) -> dict[str, Any] | None:
        names = labels.cannot_complete_labels()
        codes = [(c.value, labels.label(names, c.value)) for c in CannotCompleteCode]
        dialog = CodedReasonDialog(labels.label(labels.action_labels(), "cannot_complete"),
                                   self._why(detail),
                                   translate("ActionForms", "Why it cannot be done"), codes,
                                   parent=self._parent)
        if not await self._open(dialog):
            return None
        return {"code": dialog.code(), "reason": dialog.reason()}

    async def _escalate(self, detail: OrderDetail) -> dict[str, Any] | None:
        names = labels.dispatch_mode_labels()
        modes = [(m.value, labels.label(names, m.value)) for m in DispatchMode
                 if m.value != detail.dispatch_mode]
        dialog = CodedReasonDialog(labels.label(labels.action_labels(), "escalate"),
                                   self._why(detail), translate("ActionForms", "Move to"),
                                   modes, DispatchMode.MANUAL.value, self._parent)
        if not await self._open(dialog):
            return None
        # "agent": a person moved it (the engine's own escalations carry their own codes).
        return {"mode": dialog.code(), "code": "agent", "reason": dialog.reason()}

    async def _mark(self, detail: OrderDetail) -> dict[str, Any] | None:
        tags = list(labels.tag_labels().items())
        dialog = MarkDialog(labels.label(labels.action_labels(), "mark"), self._why(detail),
                            tags, list(detail.tags), detail.grab_price_fen, self._parent)
        if not await self._open(dialog):
            return None
        fields: dict[str, Any] = {"tags": dialog.tags(), "reason": dialog.reason()}
        price = dialog.price_fen()
        if price is not None:
            fields["grab_price_fen"] = price
        return fields

    async def _appoint(self, detail: OrderDetail) -> dict[str, Any] | None:
        dialog = AppointmentDialog(
            self._clock(), self._parent, detail.appointment_start, detail.appointment_end
        )
        if not await self._open(dialog):
            return None
        start, end = dialog.visit_window()
        return {"start": start.astimezone(UTC), "end": end.astimezone(UTC)}

    async def _place(self, detail: OrderDetail) -> dict[str, Any] | None:
        if self._counties is None:
            regions = await self._client.regions(level="county")
            self._counties = sorted((r.adcode, f"{r.name} · {r.adcode}") for r in regions)
        dialog = ChoiceDialog(
            labels.label(labels.action_labels(), "place"),
            translate("ActionForms", "Which county is {0} in?").format(detail.address),
            self._counties,
            detail.county_adcode or "",
            self._parent,
            editable=False,
        )
        if not await self._open(dialog):
            return None
        return {"county_adcode": dialog.value()}

    async def _classify(self, detail: OrderDetail) -> dict[str, Any] | None:
        options = list(labels.service_type_labels().items())
        current = str(detail.service_type) if detail.service_type else ""
        dialog = ChoiceDialog(
            labels.label(labels.action_labels(), "classify"),
            translate("ActionForms", "What kind of visit does order {0} need?").format(
                detail.order_no
            ),
            options,
            current,
            self._parent,
        )
        if not await self._open(dialog):
            return None
        return {"service_type": dialog.value()}
