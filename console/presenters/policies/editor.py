"""The policy editor: loads the region tree lazily, fills the form of the selected scope with
what it sets and what it would inherit, and turns Save / Inherit everything into API calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from console.errors import ApiError
from console.models.policies.log import PolicyLogModel
from console.models.policies.regions import RegionTree
from console.presenters.messages import MessageRoute
from console.presenters.tasks import DialogHost, OneAction, loop_running, spawn
from core.contracts import RegionOut
from core.contracts.dispatch import (
    EffectivePolicyOut,
    PolicyLogEntry,
    PolicyPut,
    PolicyScopeOut,
    ServicePointOut,
)
from core.dispatch.policy import DEFAULT_SCOPE, RegionPolicy, scope_chain, scope_level
from ui.formatting import local_time
from ui.orders.action_dialogs import ReasonDialog
from ui.policies import labels as names
from ui.policies.points import PointInfo
from ui.policies.view import PolicyView

translate = QCoreApplication.translate
log = logging.getLogger(__name__)


class PolicyClient(Protocol):
    async def dispatch_policies(self) -> list[PolicyScopeOut]: ...
    async def effective_policy(self, region: str) -> EffectivePolicyOut: ...
    async def put_dispatch_policy(self, scope: str, change: PolicyPut) -> PolicyScopeOut: ...
    async def delete_dispatch_policy(self, scope: str, version: int,
                                     reason: str) -> PolicyScopeOut: ...
    async def dispatch_policy_log(self, scope: str | None = None,
                                  limit: int = 100) -> list[PolicyLogEntry]: ...
    async def service_points(self, region: str = "") -> list[ServicePointOut]: ...
    async def regions(self, level: str | None = None,
                      parent: str | None = None) -> list[RegionOut]: ...


def parent_scope(scope: str) -> str | None:
    """The scope `scope` inherits from (None for the default)."""
    chain = scope_chain(scope)
    return None if not scope else chain[1] if len(chain) > 1 else DEFAULT_SCOPE


class PolicyPresenter(DialogHost, QObject):
    """One scope on the form at a time; one save or removal at a time. `editable` only for
    supervisors and admins (the server says 403 to anyone else anyway).

    Signals: loaded(str scope) once the form shows that scope; refreshed() after the list of
    scopes that set a policy was fetched.
    """

    loaded = Signal(str)
    refreshed = Signal()

    def __init__(self, client: PolicyClient, view: PolicyView, route: MessageRoute, *,
                 editable: bool, parent_widget: QWidget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._view, self._route = client, view, route
        self._parent_widget = parent_widget
        self.editable = editable
        self.tree = RegionTree(self)
        self.log = PolicyLogModel(self)
        self.scopes: dict[str, PolicyScopeOut] = {}
        self.scope: str | None = None
        self.shown: str | None = None  # the scope on the form, once loaded
        self.loads = 0
        self.on_open: Callable[[QDialog], None] | None = None
        self.current: QDialog | None = None
        self._own: dict[str, Any] = {}
        self._inherited: tuple[dict[str, Any], dict[str, str]] = ({}, {})
        self._actions = OneAction(route, view, after=None)
        self._loading: asyncio.Task[Any] | None = None
        view.set_models(self.tree, self.log)
        view.set_editable(editable)
        view.shown.connect(self.refresh)
        view.scopeSelected.connect(self.select)
        view.revertRequested.connect(self.revert)
        view.saveRequested.connect(lambda: self._start(
            self.save(), translate("PolicyEditor", "Saving the dispatch policy")))
        view.removeRequested.connect(lambda: self._start(
            self.remove(), translate("PolicyEditor", "Removing the region's own policy")))
        self.tree.childrenWanted.connect(lambda scope, level: spawn(
            self._children(scope, level), route,
            translate("PolicyEditor", "Loading regions")))

    # -- fetching ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Fetch which scopes set a policy, then show the selected scope (the default first)."""
        if not loop_running():
            return  # plain Qt (no asyncio loop): nothing can be awaited
        spawn(self._refresh(), self._route, translate("PolicyEditor", "Loading dispatch policies"))

    async def _refresh(self) -> None:
        scopes = await self._client.dispatch_policies()
        self.scopes = {s.scope: s for s in scopes}
        self.tree.mark({s.scope for s in scopes if s.body})
        self.refreshed.emit()
        if not shiboken6.isValid(self._view):
            return
        if self._view.current_scope() is None:
            self._view.select_scope(self.tree.root_index())  # selects, which loads it
        elif self.scope is not None:
            await self._load(self.scope)

    async def _children(self, scope: str, level: str) -> None:
        try:
            regions = await self._client.regions(level, scope or None)
        except BaseException:
            self.tree.forget_request(scope)
            raise
        self.tree.set_children(scope, regions)

    def stop(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()

    def select(self, scope: str) -> None:
        self.scope, self.shown = scope, None
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()  # the person moved on; the older answer is not wanted
        self._view.set_loaded(False, False)
        self._loading = spawn(self._load(scope), self._route,
                              translate("PolicyEditor", "Loading the region's policy"))

    async def _load(self, scope: str) -> None:
        parent = parent_scope(scope)
        shown, above, points, changes = await asyncio.gather(
            self._client.effective_policy(scope),
            self._client.effective_policy(parent) if parent is not None else _built_in(),
            self._client.service_points(scope),
            self._client.dispatch_policy_log(scope),
        )
        if self.scope != scope or not shiboken6.isValid(self._view):
            return
        record = self.scopes.get(scope)
        self._own = dict(record.body) if record else {}
        self._inherited = (dict(above.policy), self._source_names(above))
        self._view.form.set_points([PointInfo(p.key, p.name, p.technicians,
                                              p.technician_capacity) for p in points])
        self._fill()
        self._view.set_header(self._title(scope, shown), self._subtitle(record))
        self.log.set_rows(changes)
        self.shown = scope
        self.loads += 1
        self.loaded.emit(scope)

    def _source_names(self, above: EffectivePolicyOut) -> dict[str, str]:
        """Per setting, the region it would be inherited from ("built-in": set nowhere)."""
        default = self.scopes.get(DEFAULT_SCOPE)
        built_in = translate("PolicyEditor", "built-in")
        names_ = {}
        for field, source in above.sources.items():
            if source == DEFAULT_SCOPE and (default is None or field not in default.body):
                names_[field] = built_in
            else:
                names_[field] = above.source_names.get(source) or self.tree.name_of(source)
        return names_

    def _fill(self) -> None:
        inherited, sources = self._inherited
        self._view.form.load(self._own, inherited, sources, self.editable)
        self._view.set_loaded(True, bool(self._own) and self.scope != DEFAULT_SCOPE)

    def revert(self) -> None:
        if self.scope is not None:
            self._fill()

    def _title(self, scope: str, shown: EffectivePolicyOut) -> str:
        # A scope chosen before its branch of the tree loaded: its level from the adcode.
        level = names.level_labels().get(self.tree.level_of(scope) or scope_level(scope), "")
        name = shown.county_name or self.tree.name_of(scope)
        return f"{name} · {level}"

    @staticmethod
    def _subtitle(record: PolicyScopeOut | None) -> str:
        if record is None or not record.body:
            return translate("PolicyEditor", "Sets nothing of its own: every setting is "
                                             "inherited.")
        return translate("PolicyEditor", "Version {0}, changed by {1} at {2}").format(
            record.version, record.updated_by, local_time(record.updated_at))

    # -- actions -------------------------------------------------------------------------

    def acting(self) -> bool:
        return self._actions.acting

    def _start(self, action: Coroutine[Any, Any, Any], doing: str) -> None:
        self._actions.start(action, doing, allowed=self.editable)

    async def save(self) -> bool:
        """Save what the form sets here, from the version loaded, with the reason."""
        scope, form = self.scope, self._view.form
        if scope is None or not self.editable or form.problem():
            return False
        name = self.tree.name_of(scope)
        dialog = ReasonDialog(
            translate("PolicyEditor", "Save dispatch policy"),
            translate("PolicyEditor", "Dispatch in {0} follows the new settings from now on. "
                      "Why are they changed?").format(name), self._parent_widget)
        if not await self._open(dialog):
            return False
        record = self.scopes.get(scope)
        change = PolicyPut(body=form.body(), version=record.version if record else 0,
                           reason=dialog.reason())
        try:
            saved = await self._client.put_dispatch_policy(scope, change)
        except ApiError as exc:
            return await self._refused(exc, name)
        self.scopes[scope] = saved
        self._route.info(translate("PolicyEditor", "Dispatch policy of {0} saved.").format(name))
        await self._refresh()
        return True

    async def _refused(self, exc: ApiError, name: str) -> bool:
        if exc.status == 422 and exc.fields:
            field = exc.fields[0].removeprefix("body.").split(".")[0]
            said = [str(e["msg"]) for e in exc.errors if e.get("msg")]
            self._view.form.mark_error(field, said[0] if said else exc.detail)
            self._route.warning(translate("PolicyEditor", "The policy of {0} was not saved: "
                                          "{1}").format(name, exc.detail or exc.title))
            return False
        if exc.status not in (404, 409):
            raise exc
        log.info("policy of %s is stale: %s", name, exc)
        self._route.warning(translate(
            "PolicyEditor", "The policy of {0} was changed by someone else meanwhile ({1}); it "
            "is loaded again. Please look at it before changing it.").format(
            name, exc.detail or exc.title))
        await self._refresh()
        return False

    async def remove(self) -> bool:
        """Let the scope inherit every setting again."""
        scope = self.scope
        record = self.scopes.get(scope) if scope is not None else None
        if scope is None or scope == DEFAULT_SCOPE or record is None or not self.editable:
            return False
        name = self.tree.name_of(scope)
        dialog = ReasonDialog(
            translate("PolicyEditor", "Inherit everything"),
            translate("PolicyEditor", "{0} drops its own settings and follows the regions "
                      "above. Why?").format(name), self._parent_widget)
        if not await self._open(dialog):
            return False
        try:
            await self._client.delete_dispatch_policy(scope, record.version, dialog.reason())
        except ApiError as exc:
            return await self._refused(exc, name)
        self.scopes.pop(scope, None)
        self._route.info(translate("PolicyEditor", "{0} inherits its dispatch policy "
                                   "again.").format(name))
        await self._refresh()
        return True


async def _built_in() -> EffectivePolicyOut:
    """What the default scope inherits: the built-in policy."""
    body = RegionPolicy().to_body()
    return EffectivePolicyOut(county_adcode="", policy=body, sources=dict.fromkeys(body, ""))
