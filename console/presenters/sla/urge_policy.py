"""The urging policy editor's presenter: loads the policy (whom each alert level of each step
urges, and which breaches go back to manual dispatch) with its version and change log, and
saves what the editor shows from the version seen, with a reason. A change someone else saved
meanwhile (409) is said plainly, in the editor and on the message bar, and the current policy
is loaded again: nothing is overwritten silently. A refusal (422) names the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QWidget

from console.errors import ApiError
from console.language import pick
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, spawn
from core.contracts.sla_urges import UrgePolicyLogEntry, UrgePolicyOut, UrgePolicyPut
from core.sla.limit_types import STEP_WORDS, Step
from core.sla.urging import Target
from ui.formatting import SHANGHAI
from ui.orders.action_dialogs import ReasonDialog
from ui.sla.urge_policy import LEVELS, UrgePolicyView

translate = QCoreApplication.translate
LOG_COLUMNS = ("When", "Who", "Why", "What changed")
LOG_LIMIT = 100


class UrgePolicyClient(Protocol):
    async def urge_policy(self) -> UrgePolicyOut: ...
    async def put_urge_policy(self, change: UrgePolicyPut) -> UrgePolicyOut: ...
    async def urge_policy_log(self, limit: int = 100) -> list[UrgePolicyLogEntry]: ...


def step_name(step: str) -> str:
    try:
        zh, en = STEP_WORDS[Step(step)]
    except ValueError:
        return step
    return pick(f"{zh} ({en})")


def level_name(level: str) -> str:
    return {"notice": translate("UrgePolicyPresenter", "notice"),
            "warning": translate("UrgePolicyPresenter", "warning"),
            "severe": translate("UrgePolicyPresenter", "breach"),
            "to_manual": translate("UrgePolicyPresenter", "back to manual")}.get(level, level)


def changes(before: Mapping[str, Any], after: Mapping[str, Any],
            targets: Mapping[str, str]) -> str:
    """What a change did, in words: "接单 breach: supervisor → desk; …"."""
    old, new = before.get("steps", {}), after.get("steps", {})
    said = []
    for step in sorted(old.keys() | new.keys()):
        was, now = old.get(step, {}), new.get(step, {})
        for field in (*LEVELS, "to_manual"):
            if was.get(field) != now.get(field):
                said.append(f"{step_name(step)} {level_name(field)}: "
                            f"{_value(was.get(field), targets)} → "
                            f"{_value(now.get(field), targets)}")
    return "; ".join(said)


def _value(value: Any, targets: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return (translate("UrgePolicyPresenter", "yes") if value
                else translate("UrgePolicyPresenter", "no"))
    return "—" if value is None else targets.get(str(value), str(value))


class UrgePolicyPresenter(DialogHost, QObject):
    """One save at a time; `editable` for supervisors and admins (the server refuses anyone
    else anyway). Signals: loaded() after the editor shows the policy; saved(int version)."""

    loaded = Signal()
    saved = Signal(int)

    def __init__(self, client: UrgePolicyClient, view: UrgePolicyView, route: MessageRoute,
                 *, editable: bool, parent_widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget or view
        self.editable = editable
        self.shown: UrgePolicyOut | None = None
        self.log_model = QStandardItemModel(0, len(LOG_COLUMNS), self)
        self.log_model.setHorizontalHeaderLabels(
            [translate("UrgePolicyPresenter", c) for c in LOG_COLUMNS])
        view.set_log_model(self.log_model)
        self._action = OneAction(route, view)
        view.save_requested.connect(self.save)
        view.reload_requested.connect(self.load)

    def targets(self) -> dict[str, str]:
        """Target -> its name in the person's language, in the rule's order."""
        sent = self.shown.targets if self.shown is not None else {}
        return {t.value: pick(sent.get(t.value, t.value)) for t in Target}

    def load(self) -> None:
        spawn(self.refresh(), self._route,
              translate("UrgePolicyPresenter", "loading the urging policy"))

    async def refresh(self) -> None:
        policy = await self._client.urge_policy()
        log = await self._client.urge_policy_log(LOG_LIMIT)
        if not shiboken6.isValid(self._view):
            return
        self.shown = policy
        targets = self.targets()
        self._view.set_choices([(s.value, step_name(s.value)) for s in Step],
                               list(targets.items()))
        self._view.set_policy(policy.body)
        if policy.version == 0:
            status = translate("UrgePolicyPresenter", "Built-in policy, never changed")
        else:
            assert policy.updated_at is not None
            status = translate("UrgePolicyPresenter", "Version {0}, changed by {1} at {2}"
                               ).format(policy.version, policy.updated_by,
                                        policy.updated_at.astimezone(SHANGHAI)
                                        .strftime("%Y-%m-%d %H:%M"))
        self._view.set_status(status)
        self.log_model.removeRows(0, self.log_model.rowCount())
        for entry in log:
            row = [entry.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"), entry.actor,
                   entry.reason, changes(entry.before, entry.after, targets)]
            self.log_model.appendRow([QStandardItem(text) for text in row])
        self._view.set_editable(self.editable)
        self.loaded.emit()

    def acting(self) -> bool:
        """A save is under way (its reason asked for, or sent)."""
        return self._action.acting

    def save(self) -> None:
        self._action.start(self._save(), translate("UrgePolicyPresenter",
                                                   "saving the urging policy"),
                           allowed=self.editable and self.shown is not None)

    async def _save(self) -> None:
        assert self.shown is not None
        body, version = self._view.policy(), self.shown.version
        said = changes(self.shown.body, body, self.targets())
        if not said:
            self._view.set_problem(translate("UrgePolicyPresenter", "Nothing was changed."))
            return
        dialog = ReasonDialog(translate("UrgePolicyPresenter", "Change the urging policy"),
                              translate("UrgePolicyPresenter", "Why? ({0})").format(said),
                              self._parent_widget)
        if not await self._open(dialog):
            return
        self._view.set_problem("")
        try:
            done = await self._client.put_urge_policy(
                UrgePolicyPut(body=body, version=version, reason=dialog.reason()))
        except ApiError as exc:
            if exc.status == 409:
                await self._stale(said)
                return
            if exc.status == 422:
                self._view.set_problem(str(exc))
            raise
        self._route.info(translate("UrgePolicyPresenter",
                                   "Urging policy saved (version {0}).").format(done.version))
        self.saved.emit(done.version)
        await self.refresh()

    async def _stale(self, said: str) -> None:
        """Someone saved the policy after it was loaded here: say so, show theirs."""
        await self.refresh()
        now = self.shown
        assert now is not None
        text = translate(
            "UrgePolicyPresenter", "Not saved: {0} changed the urging policy meanwhile (now "
            "version {1}). Their policy is shown; your change was: {2}").format(
            now.updated_by, now.version, said)
        self._view.set_problem(text)
        self._route.warning(text)
