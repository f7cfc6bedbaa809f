"""One order in full: customer, items, state, technician, appointment, timeline, actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.contracts import OrderDetail
from core.contracts.intake import OrderOrigin
from ui import labels
from ui.flow_layout import FlowLayout
from ui.formatting import local_time, money
from ui.intake.origin import OriginBox
from ui.plain_text import PlainLabel, shown

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(False)
    return table


class DetailPanel(QWidget):
    """Shows an OrderDetail. Signals: actionRequested(str) with the lifecycle action's name."""

    actionRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self._detail: OrderDetail | None = None
        self.action_buttons: dict[str, QPushButton] = {}
        self._stack = QStackedWidget(self)
        self.placeholder = PlainLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self._build_page())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.clear()

    def _build_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.title = PlainLabel(page)
        self.title.setObjectName("detailTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(self.title)
        self.actions_box = QWidget(page)
        # Wraps onto more lines in a narrow panel (1366×768) instead of spilling off its edge.
        self.actions_layout = FlowLayout(self.actions_box)
        self.actions_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.actions_box)
        self.fields: dict[str, QLabel] = {}
        self._field_names: list[QLabel] = []
        self._form = QFormLayout()
        for key in ("state", "customer", "phone", "address", "service", "platform",
                    "technician", "appointment", "amount"):
            value = PlainLabel(page)
            value.setObjectName(f"field_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self._field_names.append(PlainLabel(page))
            self._form.addRow(self._field_names[-1], value)
        layout.addLayout(self._form)
        self.origin_box = OriginBox(page)
        layout.addWidget(self.origin_box)
        self.items_box = QGroupBox(page)
        self.items_table = _table(4)
        QVBoxLayout(self.items_box).addWidget(self.items_table)
        layout.addWidget(self.items_box)
        self.timeline_box = QGroupBox(page)
        self.timeline_table = _table(4)
        QVBoxLayout(self.timeline_box).addWidget(self.timeline_table)
        layout.addWidget(self.timeline_box, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.retranslate()
        return scroll

    def retranslate(self) -> None:
        names = (self.tr("State"), self.tr("Customer"), self.tr("Phone"), self.tr("Address"),
                 self.tr("Service"), self.tr("Platform"), self.tr("Technician"),
                 self.tr("Appointment"), self.tr("Amount"))
        for label, text in zip(self._field_names, names, strict=True):
            label.setText(text)
        self.items_box.setTitle(self.tr("Items"))
        self.items_table.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Qty"), self.tr("Unit price"), self.tr("Subtotal")]
        )
        self.timeline_box.setTitle(self.tr("Timeline"))
        self.timeline_table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("By"), self.tr("Change"), self.tr("Reason")]
        )
        self.placeholder.setText(self.tr("Select an order in the queue to see it here."))
        self.origin_box.retranslate()
        if self._detail is not None:
            self.show_order(self._detail)

    # -- content -------------------------------------------------------------------------

    def detail(self) -> OrderDetail | None:
        return self._detail

    def clear(self, message: str = "") -> None:
        self._detail = None
        if message:
            self.placeholder.setText(message)
        self._stack.setCurrentIndex(0)

    def show_loading(self) -> None:
        self.set_busy(True)

    def show_order(self, detail: OrderDetail) -> None:
        if self._detail is None or self._detail.id != detail.id:
            self.origin_box.clear()  # another order's origin must not stay on screen
        self._detail = detail
        states = labels.state_labels()
        state = labels.label(states, detail.state)
        self.title.setText(f"{detail.order_no} · {state}")
        if detail.frozen_from is not None:
            before = labels.label(states, detail.frozen_from)
            state = self.tr("{0} (from {1})").format(state, before)
        f = self.fields
        f["state"].setText(state)
        f["customer"].setText(detail.customer_name)
        f["phone"].setText(detail.customer_phone)
        region = " ".join(p for p in (detail.province, detail.city, detail.county_name) if p)
        f["address"].setText(f"{region}\n{detail.address}" if region else detail.address)
        f["service"].setText(labels.label(labels.service_type_labels(), detail.service_type))
        platform = labels.label(labels.platform_labels(), detail.platform)
        f["platform"].setText(f"{platform} · {detail.platform_order_id}")
        f["technician"].setText(detail.technician_name or self.tr("Not assigned"))
        if detail.appointment_start is not None:
            end = local_time(detail.appointment_end)[-5:] if detail.appointment_end else ""
            f["appointment"].setText(f"{local_time(detail.appointment_start)}–{end}")
        else:
            f["appointment"].setText(self.tr("None yet"))
        f["amount"].setText(money(detail.amount_fen))
        self._fill_items(detail)
        self._fill_timeline(detail)
        self._build_actions(detail.allowed_actions)
        self._stack.setCurrentIndex(1)
        self.set_busy(False)

    def _fill_items(self, detail: OrderDetail) -> None:
        table = self.items_table
        table.setRowCount(len(detail.items))
        # As tall as its rows (up to six): the timeline below gets the rest of the space.
        rows = max(1, min(len(detail.items), 6))
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
        )
        for row, item in enumerate(detail.items):
            cells = (f"{item.name} ({item.sku})", str(item.quantity), money(item.unit_price_fen),
                     money(item.unit_price_fen * item.quantity))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(shown(text))
                if column:
                    cell.setTextAlignment(RIGHT)
                table.setItem(row, column, cell)

    def _fill_timeline(self, detail: OrderDetail) -> None:
        states, roles = labels.state_labels(), labels.role_labels()
        table = self.timeline_table
        table.setRowCount(len(detail.timeline))
        for row, entry in enumerate(detail.timeline):
            target = labels.label(states, entry.to_state)
            change = (f"{labels.label(states, entry.from_state)} → {target}"
                      if entry.from_state is not None else target)
            actor = f"{entry.actor} ({labels.label(roles, entry.actor_role)})"
            for column, text in enumerate((local_time(entry.at), actor, change, entry.reason)):
                table.setItem(row, column, QTableWidgetItem(shown(text)))

    def _build_actions(self, actions: list[str]) -> None:
        while (item := self.actions_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.action_buttons.clear()
        names = labels.action_labels()
        for action in actions:
            button = QPushButton(labels.label(names, action), self.actions_box)
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _=False, a=action: self.actionRequested.emit(a))
            self.actions_layout.addWidget(button)
            self.action_buttons[action] = button

    def show_origin(self, order_id: int, origin: OrderOrigin | None) -> bool:
        """How the shown order came to be (None: not made by the centre); False if not shown."""
        if self._detail is None or self._detail.id != order_id:
            return False
        self.origin_box.show_origin(origin)
        return True

    def set_busy(self, busy: bool) -> None:
        """While a load or an action is under way the buttons cannot be pressed twice."""
        for button in self.action_buttons.values():
            button.setEnabled(not busy)
