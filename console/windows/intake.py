"""The Intake workspace (接单中心): a dock beside the queue with arrivals, reviews, problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow

from console.presenters.intake.actions import IntakeActions
from console.presenters.intake.importer import ImportPresenter
from console.presenters.intake.lists import IntakeClient, IntakePresenter
from console.presenters.intake.settings import ClientSettingsPresenter, IntakeSettingsClient
from console.presenters.messages import MessageRoute
from console.windows.side_desk import SideDesk
from ui.intake.view import IntakeView

translate = QCoreApplication.translate
SHORTCUT = "Ctrl+I"


class IntakeDeskClient(IntakeClient, IntakeSettingsClient, Protocol):
    """The intake lists' calls and the intake settings' calls."""


class IntakeDesk(SideDesk):
    """Assembles view, presenters and dock; `open_order(id)` shows an order in the detail.

    `can_edit_settings`: the user may change client policies and the blacklist (supervisors
    and admins); others see them read-only.
    """

    def __init__(self, client: IntakeDeskClient, route: MessageRoute, window: QMainWindow,
                 open_order: Callable[[int], None], *, queue_dock: QDockWidget | None = None,
                 can_edit_settings: bool = False, parent: QObject | None = None) -> None:
        self.view = IntakeView()
        super().__init__(window, "intakeDock", self.view, queue_dock=queue_dock, parent=parent)
        self._window = window
        self.presenter = IntakePresenter(client, self.view, route, visible=self.is_visible,
                                         parent=self)
        self.actions = IntakeActions(client, self.presenter, self.view, route, window,
                                     parent=self)
        self.importer = ImportPresenter(client, route, window, parent=self)
        self.settings = ClientSettingsPresenter(
            client, self.view.settings_page, route, editable=can_edit_settings,
            parent_widget=window, parent=self)
        self.view.set_settings_available(True)
        self.view.refreshRequested.connect(self._refresh_settings)
        self.settings.unavailable.connect(lambda: self.view.set_settings_available(False))
        self.view.importRequested.connect(self.importer.open)
        self.importer.imported.connect(lambda _receipt: self.presenter.refresh(force=True))
        self._open_order = open_order
        self.view.reviewSelected.connect(self._review_selected)
        self.view.reviewOpened.connect(open_order)
        self.presenter.countsChanged.connect(self._set_title)
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), window)
        self.shortcut.activated.connect(self.show_desk)
        self._set_title(0, 0)
        # Refreshing needs the asyncio loop: ticks before it runs (or in plain Qt) do nothing.
        self.presenter.start()

    def focus(self) -> None:
        self.view.focus_current()

    def _refresh_settings(self) -> None:
        # F5 refreshes what is on screen; the tab refreshes itself when it comes on screen.
        if self.view.settings_page.isVisible():
            self.settings.refresh(force=True)

    def _review_selected(self, key: object) -> None:
        # Behind the queue's tab a refresh may move the selection; the detail stays put.
        if isinstance(key, int) and self.is_visible():
            self._open_order(key)

    def on_screen(self, visible: bool) -> None:
        if visible:
            self.presenter.refresh()

    def _set_title(self, reviews: int, problems: int) -> None:
        title = translate("IntakeDesk", "Intake")
        if reviews or problems:
            title = translate("IntakeDesk", "Intake ({0} to review, {1} problems)").format(
                reviews, problems)
        self.dock.setWindowTitle(title)

    def stop(self) -> None:
        self.presenter.stop()
        self.settings.stop()
