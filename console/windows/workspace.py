"""A workspace per desk role: the main window with queue, order detail and map, wired up."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from console.models.orders import Column, OrderFilter, OrderFilterProxy, QueueModel
from console.models.orders.queue import StoreLike
from console.presenters.intake.origin import OriginPresenter
from console.presenters.messages import ERROR, WARNING, MessageRoute
from console.presenters.orders.detail import OrderPresenter
from console.presenters.orders.lateness import LatenessFeed
from console.presenters.orders.views import SavedViews
from console.windows.desks import DispatchDocks, WorkspaceClient
from console.windows.intake import IntakeDesk
from console.windows.map_feed import MapFeed, default_map
from console.windows.saved_layout import SavedLayout, SettingsFactory, open_settings
from console.windows.specs import WorkspaceSpec, spec_for
from console.windows.technician_feed import TechnicianFeed
from core.contracts import TechnicianOut
from core.orders.lifecycle import OPEN_STATES, OrderState
from ui import labels
from ui.dock_tabs import ReadableDockTabs
from ui.main_window import MainWindow
from ui.orders.detail_panel import DetailPanel
from ui.orders.queue_view import QueueView
from ui.orders.summary_bar import SummaryBar
from ui.plain_text import message_box

SUMMARY_REFRESH_MS = 500
NEEDS_PERSON_KEY = "needs_person"  # the summary's counter of orders waiting for a person


class Workspace(QObject):
    """Owns the window of one signed-in desk user and everything that feeds it.

    Signals: signOutRequested() when the user chooses 会话 > 退出登录 (the session signs out).
    """

    signOutRequested = Signal()

    def __init__(
        self,
        role: str,
        client: WorkspaceClient,
        store: StoreLike,
        *,
        user_name: str = "",
        route: MessageRoute | None = None,
        settings_factory: SettingsFactory = open_settings,
        map_factory: Callable[[], QWidget] = default_map,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec: WorkspaceSpec = spec_for(role)
        self._store = store
        self.route = route or MessageRoute(self)
        self.window = MainWindow()
        self.dock_tabs = ReadableDockTabs(self.window)  # 1366×768: whole titles, scrolled
        self.window.setWindowTitle(
            " · ".join(p for p in (self.spec.title(), user_name, "Lastmile") if p)
        )
        self.model = QueueModel(store, parent=self)
        self.model.set_priority_states(self.spec.priority_states)
        self.proxy = OrderFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.queue_view = QueueView()
        self.queue_view.set_model(self.proxy)
        self.queue_view.stretch_column(Column.CUSTOMER)
        self.detail = DetailPanel()
        self.presenter = OrderPresenter(client, self.detail, self.route, parent=self)
        # Late against the running step's time limit (open SLA alerts), not time in state.
        self.lateness = LatenessFeed(client, self.model, owner=self.window,
                                     subscribe_events=getattr(store, "subscribe_events", None),
                                     parent=self)
        self.map_widget = map_factory()
        self.map_feed = MapFeed(self.proxy, self.map_widget)
        self.technician_feed = TechnicianFeed(client.technicians, self.set_technicians,
                                              self.window)
        self._picked_on_map: int | None = None
        self.summary: SummaryBar | None = SummaryBar() if self.spec.state_summary else None
        self.window.set_queue_widget(self.queue_view, header=self.summary)
        self.window.set_detail_widget(self.detail)
        self.window.set_map_widget(self.map_widget)
        self.origin = OriginPresenter.follow(client, self.presenter, self.detail, self.route)
        # Before the saved layout is restored: it places the Intake dock by its name.
        self.intake: IntakeDesk | None = None
        if self.spec.intake:
            self.intake = IntakeDesk(client, self.route, self.window, self.open_order,
                                     queue_dock=self.window.queue_dock,
                                     can_edit_settings=self.spec.edit_intake_settings,
                                     parent=self)
        self.docks = DispatchDocks(self.spec, client, self.route, self.window, self.open_order,
                                   store=store, map_widget=self.map_widget, parent=self)
        self.message_box: QMessageBox | None = None
        self._known_counties: set[str] = set()
        # Children of the window: they go with it, and cannot fire into deleted widgets.
        self._summary_timer = QTimer(self.window)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_REFRESH_MS)
        self._summary_timer.timeout.connect(self.refresh_summary)
        self._fill_filter_options()
        self.saved_layout = SavedLayout(self.spec, settings_factory, self.window,
                                        self.queue_view, self.proxy, self.model)
        # One set per person: several agents may share a computer account.
        self.views = SavedViews(self.queue_view.filter_bar, settings_factory,
                                self.saved_layout.key(f"views/{user_name or '-'}"), parent=self)
        self._add_session_menu()
        self._connect()
        self._unsubscribe = store.subscribe(self._store_changed)
        self.saved_layout.restore()
        self.refresh_summary()
        self.lateness.start()

    def _connect(self) -> None:
        self.queue_view.filtersChanged.connect(
            lambda values: self.proxy.set_order_filter(OrderFilter.from_dict(values))
        )
        self.queue_view.orderSelected.connect(self._order_selected)
        self.presenter.orderOpened.connect(self.queue_view.select_order)
        self.route.message.connect(self.show_message)
        self.window.closing.connect(self.saved_layout.save)
        clicked = getattr(self.map_widget, "orderClicked", None)
        if clicked is not None:
            clicked.connect(self._map_clicked)
        if self.summary is not None:
            self.summary.keyClicked.connect(self._summary_clicked)

    def _add_session_menu(self) -> None:
        menu = self.window.menuBar().addMenu(QCoreApplication.translate("Workspace", "&Session"))
        self.sign_out_action = menu.addAction(QCoreApplication.translate("Workspace", "Sign out"))
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(self.signOutRequested)

    # -- selection and messages ----------------------------------------------------------

    def _order_selected(self, order_id: int) -> None:
        """The queue's selection drives the detail, the map and the dispatch desk's candidates."""
        self.presenter.select(order_id)
        desk = self.docks.dispatch
        if desk is not None and desk.is_visible() and desk.presenter.shown != order_id:
            desk.show_order(order_id)
        select = getattr(self.map_widget, "select_order", None)
        if select is not None:
            if order_id == self._picked_on_map:
                select(order_id, move=False)  # the user is looking right at it
            else:
                select(order_id)

    def open_order(self, order_id: int) -> None:
        """Show an order (e.g. from the review queue): selected in the queue when it is there."""
        in_queue = self.queue_view.select_order(order_id)
        # Filtered out of the queue, or selected there while the detail shows another order.
        if not in_queue or self.presenter.wanted() != order_id:
            self.presenter.select(order_id)

    def _map_clicked(self, order_id: int) -> None:
        """A marker picked on the map selects its order in the queue (and so the detail)."""
        self._picked_on_map = order_id
        try:
            self.queue_view.select_order(order_id)
        finally:
            self._picked_on_map = None

    def show_message(self, level: str, text: str) -> None:
        self.window.statusBar().showMessage(text, 15_000)
        if level in (WARNING, ERROR):
            box = message_box(
                QMessageBox.Icon.Warning if level == WARNING else QMessageBox.Icon.Critical,
                self.spec.title(),
                text,
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            self.message_box = box

    def set_connection(self, state: str, reason: str = "") -> None:
        """ConnectionState values (live/connecting/offline) are the widget kit's names too."""
        self.window.set_connection(str(state), reason)

    def set_technicians(self, technicians: list[TechnicianOut]) -> None:
        self.map_feed.set_technicians(technicians)

    def start_technicians(self) -> None:
        """Show the technicians and keep their load current (on the running asyncio loop)."""
        self.technician_feed.start(self._store.rows.values())

    # -- the store -----------------------------------------------------------------------

    def _store_changed(self, change: Any) -> None:
        if change.kind == "upsert":
            self.presenter.rows_changed(change.rows)
        self.technician_feed.orders_changed(change.kind, change.rows)
        counties = {r.county_adcode for r in change.rows if r.county_adcode}
        if change.kind == "reset" or not counties <= self._known_counties:
            self._fill_region_options()
        if self.summary is not None and not self._summary_timer.isActive():
            self._summary_timer.start()

    def refresh_summary(self) -> None:
        if self.summary is None:
            return
        entries = self.model.entries()
        counts = Counter(entry.state for entry in entries)
        names = labels.state_labels()
        # Every open state, zeros too: a counter that comes and goes would re-wrap the strip.
        items = [("", self.tr("All open"), len(entries)),
                 (NEEDS_PERSON_KEY, self.tr("Needs a person"),
                  sum(1 for e in entries if e.needs_person))]
        items += [(s.value, names[s.value], counts[s.value])
                  for s in OrderState if s in OPEN_STATES]
        self.summary.set_counts(items)

    def _summary_clicked(self, key: str) -> None:
        values = self.queue_view.filter_bar.filters()
        values["needs_person"] = key == NEEDS_PERSON_KEY
        values["states"] = [key] if key and key != NEEDS_PERSON_KEY else []
        self.queue_view.filter_bar.set_filters(values)

    def _fill_filter_options(self) -> None:
        bar = self.queue_view.filter_bar
        bar.set_state_options(list(labels.state_labels().items()))
        bar.set_service_options(list(labels.service_type_labels().items()))
        bar.set_platform_options(list(labels.platform_labels().items()))
        self._fill_region_options()

    def _fill_region_options(self) -> None:
        """Cities and their counties that occur in the queue, counties indented under cities."""
        cities: dict[str, str] = {}
        counties: dict[str, str] = {}
        for row in self._store.rows.values():
            code = row.county_adcode
            if code and code not in counties:
                counties[code] = row.county_name or code
                cities.setdefault(code[:4] + "00", row.city or code[:4] + "00")
        self._known_counties = set(counties)
        options: list[tuple[str, str]] = []
        for city in sorted(cities):
            options.append((city, cities[city]))
            options += [(c, "    " + counties[c]) for c in sorted(counties) if c[:4] == city[:4]]
        self.queue_view.filter_bar.set_region_options(options)

    def close(self) -> None:
        """Save, stop following the store, close the window."""
        self.saved_layout.save()
        self._unsubscribe()
        self.model.detach()
        self._summary_timer.stop()  # its window is about to go
        self.technician_feed.stop()
        self.lateness.stop()
        if self.intake is not None:
            self.intake.stop()
        self.docks.stop()
        self.window.closing.disconnect(self.saved_layout.save)
        self.window.close()
        self.window.deleteLater()
