"""A technician's day on a time axis, and the panel around it (technician and day pickers).

RouteTimeline draws one row per stop in visiting order: the appointment window as a light band,
the drive from the previous stop as a thin line, any wait for the window dotted, and the visit
itself as a block (red when the technician arrives after the window closed). Clicking a block,
or Enter on the current one (Left/Right move between them), emits orderActivated(order id).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.formatting import SHANGHAI
from ui.plain_text import PlainLabel, tooltip

HEADER, ROW, LABEL_WIDTH, MARGIN = 22, 26, 120, 10
WINDOW_BAND = QColor("#c5cae9")
VISIT = QColor("#3949ab")
LATE = QColor("#e53935")
TRAVEL = QColor("#78909c")
CURRENT = QColor("#ffb300")


@dataclass(frozen=True)
class TimelineStop:
    order_id: int
    label: str  # shown left of the row, e.g. the order number
    window_start: datetime
    window_end: datetime
    arrive: datetime
    start: datetime  # service starts (after any wait)
    leave: datetime
    late: bool = False
    travel_minutes: int = 0
    tooltip: str = ""


def _hhmm(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%H:%M")


class RouteTimeline(QWidget):
    """Signals: orderActivated(order_id) when a visit is clicked or Enter pressed on it."""

    orderActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routeTimeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._stops: tuple[TimelineStop, ...] = ()
        # A working day until stops arrive (painting before set_stops must not divide by 0).
        self._first = datetime(2000, 1, 1, 8, tzinfo=SHANGHAI)
        self._last = self._first + timedelta(hours=12)
        self._current = -1

    def set_stops(self, stops: Sequence[TimelineStop], opens: datetime | None = None,
                  closes: datetime | None = None) -> None:
        """Show these stops; the axis spans the working hours and every window, in whole hours."""
        self._stops = tuple(stops)
        times = [t for s in self._stops for t in (s.window_start, s.window_end,
                                                  s.arrive - timedelta(minutes=s.travel_minutes),
                                                  s.leave)]
        times += [t for t in (opens, closes) if t is not None]
        if times:
            first = min(times).astimezone(SHANGHAI).replace(minute=0, second=0, microsecond=0)
            last = max(times).astimezone(SHANGHAI)
            if last.minute or last.second:
                last = last.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            self._first, self._last = first, max(last, first + timedelta(hours=1))
        self._current = min(self._current, len(self._stops) - 1)
        self.updateGeometry()
        self.update()

    def stops(self) -> tuple[TimelineStop, ...]:
        return self._stops

    def current(self) -> int:
        return self._current

    def sizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 600, HEADER + ROW * max(1, len(self._stops)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(LABEL_WIDTH + 200, HEADER + ROW * max(1, len(self._stops)) + 4)

    # -- geometry --------------------------------------------------------------------------

    def x_of(self, at: datetime) -> float:
        span = max(1.0, (self._last - self._first).total_seconds())
        width = max(1, self.width() - LABEL_WIDTH - MARGIN)
        return LABEL_WIDTH + width * (at - self._first).total_seconds() / span

    def block_rect(self, index: int) -> QRectF:
        """Where stop `index`'s visit is drawn (clicks inside it open its order)."""
        s = self._stops[index]
        top = HEADER + index * ROW
        left = self.x_of(s.start)
        return QRectF(left, top + 5, max(4.0, self.x_of(s.leave) - left), ROW - 10)

    def index_at(self, x: float, y: float) -> int:
        for i in range(len(self._stops)):
            if self.block_rect(i).adjusted(-2, -3, 2, 3).contains(QPointF(x, y)):
                return i
        return -1

    # -- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        grid = self.palette().mid().color()
        hour = self._first
        while hour <= self._last:
            x = self.x_of(hour)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, HEADER - 4), QPointF(x, self.height()))
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x - 20, 0, 40, HEADER - 4), Qt.AlignmentFlag.AlignCenter,
                             hour.strftime("%H"))
            hour += timedelta(hours=1)
        for i, s in enumerate(self._stops):
            self._paint_row(painter, i, s)
        painter.end()

    def _paint_row(self, painter: QPainter, i: int, s: TimelineStop) -> None:
        top = HEADER + i * ROW
        painter.setPen(self.palette().text().color())
        painter.drawText(QRectF(4, top, LABEL_WIDTH - 8, ROW), Qt.AlignmentFlag.AlignVCenter,
                         f"{i + 1}  {s.label}")
        band = QRectF(self.x_of(s.window_start), top + 2,
                      self.x_of(s.window_end) - self.x_of(s.window_start), ROW - 4)
        painter.fillRect(band, WINDOW_BAND)
        mid = top + ROW / 2
        if s.travel_minutes:
            painter.setPen(QPen(TRAVEL, 2))
            left = self.x_of(s.arrive - timedelta(minutes=s.travel_minutes))
            painter.drawLine(QPointF(left, mid), QPointF(self.x_of(s.arrive), mid))
        if s.start > s.arrive:  # waiting for the window to open
            painter.setPen(QPen(TRAVEL, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(self.x_of(s.arrive), mid), QPointF(self.x_of(s.start), mid))
        rect = self.block_rect(i)
        painter.fillRect(rect, LATE if s.late else VISIT)
        if i == self._current and self.hasFocus():
            painter.setPen(QPen(CURRENT, 2))
            painter.drawRect(rect.adjusted(-1, -1, 1, 1))

    # -- interaction -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x(), event.position().y())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self._current = index
            self.update()
            self.orderActivated.emit(self._stops[index].order_id)
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self._stops:
            step = -1 if key == Qt.Key.Key_Left else 1
            self._current = max(0, min(len(self._stops) - 1, self._current + step))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current >= 0:
            self.orderActivated.emit(self._stops[self._current].order_id)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current < 0 and self._stops:
            self._current = 0
        self.update()
        super().focusInEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # The hovered visit's tooltip. Not by overriding event(): a Python event() sees every
        # event, teardown included, and crashed the tour when the window closed.
        index = self.index_at(event.position().x(), event.position().y())
        if index >= 0:
            s = self._stops[index]
            self.setToolTip(tooltip(s.tooltip or f"{s.label}  {_hhmm(s.start)}-{_hhmm(s.leave)}"))
        else:
            self.setToolTip("")
        super().mouseMoveEvent(event)


class RoutePanel(QWidget):
    """Technician and day pickers, a one-line summary, and the timeline.

    Signals: technicianChosen(int id, or -1 for none), dayChosen(date), refreshRequested();
    the timeline's orderActivated is `timeline.orderActivated`.
    """

    technicianChosen = Signal(int)
    dayChosen = Signal(object)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routePanel")
        self.technician = QComboBox(self)
        self.technician.setMinimumContentsLength(8)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.refresh = QPushButton(self)
        self.summary = PlainLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timeline = RouteTimeline()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.technician_label, self.day_label = PlainLabel(self), PlainLabel(self)
        for widget in (self.technician_label, self.technician, self.day_label, self.day,
                       self.refresh):
            row.addWidget(widget)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.technician_label.setBuddy(self.technician)
        self.day_label.setBuddy(self.day)
        self.technician.currentIndexChanged.connect(self._technician_changed)
        self.day.dateChanged.connect(lambda _d: self.dayChosen.emit(self.chosen_day()))
        self.refresh.clicked.connect(self.refreshRequested)
        self.retranslate()

    def retranslate(self) -> None:
        self.technician_label.setText(self.tr("&Technician"))
        self.day_label.setText(self.tr("&Day"))
        self.refresh.setText(self.tr("Re-plan"))

    def set_technicians(self, choices: Sequence[tuple[int, str]]) -> None:
        """(id, name) pairs; the chosen one stays chosen if it is still there."""
        keep = self.technician_id()
        self.technician.blockSignals(True)
        self.technician.clear()
        self.technician.addItem(self.tr("(choose)"), -1)
        for tech_id, name in choices:
            self.technician.addItem(name, tech_id)
        found = self.technician.findData(keep)
        self.technician.setCurrentIndex(max(0, found))
        self.technician.blockSignals(False)
        if keep is not None and found < 0:
            self.technicianChosen.emit(-1)

    def choose_technician(self, technician_id: int) -> bool:
        """Select this technician (emits technicianChosen); False if not in the list."""
        index = self.technician.findData(technician_id)
        if index >= 0:
            self.technician.setCurrentIndex(index)
        return index >= 0

    def technician_id(self) -> int | None:
        value = self.technician.currentData()
        return value if isinstance(value, int) and value >= 0 else None

    def set_day(self, day: date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))

    def chosen_day(self) -> date:
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def _technician_changed(self, _index: int) -> None:
        tech = self.technician_id()
        self.technicianChosen.emit(-1 if tech is None else tech)
