"""The Intake workspace's face: arrivals per platform, the review queue and the problem list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.id_table import IdTable, set_choices
from ui.intake.payload import PayloadViewer
from ui.intake.settings import ClientSettingsPage
from ui.plain_text import PlainLabel

ARRIVALS_TAB, REVIEW_TAB, PROBLEM_TAB, SETTINGS_TAB = range(4)


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row



class IntakeView(QWidget):
    """Takes the models; emits what the agent asks for (keys are order or message ids).

    Signals: importRequested(); refreshRequested(); reviewSelected(object order id or None);
    reviewOpened(int); approveRequested(int); rejectRequested(int);
    messageSelected(object message id or None); retryRequested(int); discardRequested(int);
    statusChanged(str) when the problem list's status filter changes.
    """

    importRequested = Signal()
    refreshRequested = Signal()
    reviewSelected = Signal(object)
    reviewOpened = Signal(int)
    approveRequested = Signal(int)
    rejectRequested = Signal(int)
    messageSelected = Signal(object)
    retryRequested = Signal(int)
    discardRequested = Signal(int)
    statusChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeView")
        self._busy = False
        self._resolvable = False  # the selected message waits for an agent (a dead letter)
        self.headline = PlainLabel(self)
        self.headline.setObjectName("intakeHeadline")
        self.import_button = QPushButton(self.tr("Import file…"), self)
        self.import_button.setShortcut(QKeySequence.StandardKey.Open)
        self.import_button.clicked.connect(self.importRequested)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_button.clicked.connect(self.refreshRequested)
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.refresh_button)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._arrivals_page(), "")
        self.tabs.addTab(self._review_page(), "")
        self.tabs.addTab(self._problem_page(), "")
        self.settings_page = ClientSettingsPage(self)
        self.tabs.addTab(self.settings_page, "")
        # Shown once a presenter feeds it (a server without intake settings has no such tab).
        self.tabs.setTabVisible(SETTINGS_TAB, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._review_count = self._problem_count = 0
        self.set_counts(0, 0)
        self._selection_changed()

    def _arrivals_page(self) -> QWidget:
        page = QWidget(self)
        self.arrivals_table = IdTable(page)
        self.arrivals_table.setObjectName("arrivalsTable")
        self.gaps_label = PlainLabel(self.tr("Orders from counties outside the network"), page)
        self.gaps_table = IdTable(page)
        self.gaps_table.setObjectName("coverageGapsTable")
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(self.arrivals_table)
        box = QWidget(splitter)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.gaps_label)
        inner.addWidget(self.gaps_table)
        splitter.addWidget(box)
        QVBoxLayout(page).addWidget(splitter)
        return page

    def _review_page(self) -> QWidget:
        page = QWidget(self)
        self.review_table = IdTable(page)
        self.review_table.setObjectName("reviewTable")
        self.approve_button = QPushButton(self.tr("&Approve"), page)
        self.approve_button.setObjectName("approveButton")
        self.reject_button = QPushButton(self.tr("&Reject…"), page)
        self.reject_button.setObjectName("rejectButton")
        hint = PlainLabel(self.tr("Enter opens the order; Delete rejects it."), page)
        hint.setStyleSheet("color: #666;")
        self.approve_button.clicked.connect(lambda: self._emit_review(self.approveRequested))
        self.reject_button.clicked.connect(lambda: self._emit_review(self.rejectRequested))
        self.review_table.keySelected.connect(self.reviewSelected)
        self.review_table.keySelected.connect(self._selection_changed)
        self.review_table.keyActivated.connect(lambda key: self.reviewOpened.emit(int(key)))
        self.review_table.deleteRequested.connect(lambda key: self.rejectRequested.emit(int(key)))
        layout = QVBoxLayout(page)
        layout.addWidget(self.review_table, 1)
        row = _buttons(self.approve_button, self.reject_button)
        row.addWidget(hint)
        layout.addLayout(row)
        return page

    def _problem_page(self) -> QWidget:
        page = QWidget(self)
        self.status_combo = QComboBox(page)
        self.status_combo.setObjectName("problemStatus")
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.statusChanged.emit(self.status()))
        self.message_table = IdTable(page)
        self.message_table.setObjectName("messageTable")
        self.reason_label = PlainLabel(page)
        self.reason_label.setObjectName("messageReason")
        self.reason_label.setWordWrap(True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.payload_view = PayloadViewer(page)
        self.retry_button = QPushButton(self.tr("Fix and retry…"), page)
        self.retry_button.setObjectName("retryButton")
        self.discard_button = QPushButton(self.tr("Discard…"), page)
        self.discard_button.setObjectName("discardButton")
        hint = PlainLabel(self.tr("Enter fixes and retries; Delete discards."), page)
        hint.setStyleSheet("color: #666;")
        self.retry_button.clicked.connect(lambda: self._emit_message(self.retryRequested))
        self.discard_button.clicked.connect(lambda: self._emit_message(self.discardRequested))
        self.message_table.keySelected.connect(self.messageSelected)
        self.message_table.keySelected.connect(self._selection_changed)
        self.message_table.keyActivated.connect(lambda key: self.retryRequested.emit(int(key)))
        self.message_table.deleteRequested.connect(
            lambda key: self.discardRequested.emit(int(key)))
        filter_row = QHBoxLayout()
        self.status_label = PlainLabel(page)
        filter_row.addWidget(self.status_label)
        filter_row.addWidget(self.status_combo)
        filter_row.addStretch(1)
        detail = QWidget(page)
        inner = QVBoxLayout(detail)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.reason_label)
        inner.addWidget(self.payload_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, page)
        splitter.addWidget(self.message_table)
        splitter.addWidget(detail)
        layout = QVBoxLayout(page)
        layout.addLayout(filter_row)
        layout.addWidget(splitter, 1)
        row = _buttons(self.retry_button, self.discard_button)
        row.addWidget(hint)
        layout.addLayout(row)
        return page

    # -- models and content --------------------------------------------------------------

    def set_models(self, arrivals: QAbstractItemModel, gaps: QAbstractItemModel,
                   reviews: QAbstractItemModel, messages: QAbstractItemModel) -> None:
        self.arrivals_table.setModel(arrivals)
        self.gaps_table.setModel(gaps)
        self.review_table.setModel(reviews)
        self.message_table.setModel(messages)

    def set_status_options(self, options: list[tuple[str, str]], current: str) -> None:
        """The problem list's filter: (status value, label); "" for every status."""
        self.status_label.setText(self.tr("Show"))
        set_choices(self.status_combo, options, current)

    def status(self) -> str:
        data = self.status_combo.currentData()
        return str(data) if data else ""

    def focus_current(self) -> None:
        """Keyboard focus to the list of the tab shown, so arrows, Enter and Delete work."""
        tables = (self.arrivals_table, self.review_table, self.message_table,
                  self.settings_page.client_table)
        tables[self.tabs.currentIndex()].setFocus()

    def set_settings_available(self, available: bool) -> None:
        """The client policies tab (客户策略) is there when the server offers the settings."""
        self.tabs.setTabVisible(SETTINGS_TAB, available)

    def set_headline(self, text: str) -> None:
        self.headline.setText(text)

    def set_counts(self, reviews: int, problems: int) -> None:
        """Tab titles carry what waits for an agent."""
        self._review_count, self._problem_count = reviews, problems
        self.tabs.setTabText(ARRIVALS_TAB, self.tr("Arrivals"))
        self.tabs.setTabText(REVIEW_TAB, self.tr("Review queue ({0})").format(reviews))
        self.tabs.setTabText(PROBLEM_TAB, self.tr("Problems ({0})").format(problems))
        self.tabs.setTabText(SETTINGS_TAB, self.tr("Client policies"))

    def show_message(self, payload: str, reason: str, field: str = "",
                     resolvable: bool = True) -> None:
        """The selected message's raw payload, with why it could not be converted."""
        self.reason_label.setText(f"{field}：{reason}" if field and reason else reason)
        self.payload_view.show_payload(payload, field)
        self._resolvable = resolvable
        self._selection_changed()

    def clear_message(self) -> None:
        self.reason_label.clear()
        self.payload_view.clear()
        self._resolvable = False
        self._selection_changed()

    def set_busy(self, busy: bool) -> None:
        """While an action is sent, the action buttons wait for it."""
        self._busy = busy
        self._selection_changed()

    def _selection_changed(self, _key: object = None) -> None:
        busy = self._busy
        has_review = self.review_table.current_key() is not None
        has_message = self.message_table.current_key() is not None
        for button in (self.approve_button, self.reject_button):
            button.setEnabled(has_review and not busy)
        for button in (self.retry_button, self.discard_button):
            button.setEnabled(has_message and self._resolvable and not busy)

    def _emit_review(self, signal: SignalInstance) -> None:
        key = self.review_table.current_key()
        if key is not None:
            signal.emit(int(key))

    def _emit_message(self, signal: SignalInstance) -> None:
        key = self.message_table.current_key()
        if key is not None:
            signal.emit(int(key))
