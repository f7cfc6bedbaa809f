"""RouteTimeline: a technician's day on an hour axis; clicks and keys open a visit's order."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from ui.formatting import SHANGHAI
from ui.routes.timeline import RoutePanel, RouteTimeline, TimelineStop


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 3, hour, minute, tzinfo=SHANGHAI)


def stop(order_id: int, hour: int, *, late: bool = False, wait: int = 0) -> TimelineStop:
    arrive = at(hour) + timedelta(minutes=30 if late else 0)
    start = arrive + timedelta(minutes=wait)
    return TimelineStop(order_id, f"LM{order_id}", at(hour), at(hour, 0) + timedelta(hours=1),
                        arrive, start, start + timedelta(minutes=60), late, 20)


def build(qtbot: QtBot, stops: list[TimelineStop]) -> RouteTimeline:
    timeline = RouteTimeline()
    timeline.resize(840, 200)
    qtbot.addWidget(timeline)
    timeline.set_stops(stops, at(8), at(20))
    timeline.show()
    return timeline


def centre(timeline: RouteTimeline, index: int) -> QPoint:
    return timeline.block_rect(index).center().toPoint()


def test_the_axis_spans_the_working_hours_and_blocks_follow_the_clock(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9), stop(2, 13)])

    assert timeline.x_of(at(8)) == 120 and timeline.x_of(at(20)) == 840 - 10
    first, second = timeline.block_rect(0), timeline.block_rect(1)
    assert first.left() == timeline.x_of(at(9)) and second.left() == timeline.x_of(at(13))
    assert first.width() == timeline.x_of(at(10)) - timeline.x_of(at(9))
    assert second.top() > first.top()  # one row per stop


def test_a_window_outside_the_hours_widens_the_axis_to_whole_hours(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 20)])  # 20:00-21:00, leaves 21:00

    assert timeline.x_of(at(21)) == 840 - 10


def test_clicking_a_visit_opens_its_order(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9), stop(2, 13)])

    with qtbot.waitSignal(timeline.orderActivated) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=centre(timeline, 1))

    assert blocker.args == [2]


def test_clicking_beside_the_visits_opens_nothing(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9)])
    opened: list[int] = []
    timeline.orderActivated.connect(opened.append)

    qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(timeline.x_of(at(17))), centre(timeline, 0).y()))

    assert opened == []


def test_keys_move_between_visits_and_enter_opens_one(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9), stop(2, 13), stop(3, 15)])
    timeline.setFocus()
    qtbot.waitUntil(timeline.hasFocus)

    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.keyClick(timeline, Qt.Key.Key_Right)  # stays on the last
    with qtbot.waitSignal(timeline.orderActivated) as blocker:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)

    assert blocker.args == [3] and timeline.current() == 2


def test_late_visits_are_painted_red(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9), stop(2, 11, late=True)])

    image = timeline.grab().toImage()

    on_time = image.pixelColor(centre(timeline, 0)).name()
    late = image.pixelColor(centre(timeline, 1)).name()
    assert (on_time, late) == ("#3949ab", "#e53935")


def test_waiting_for_the_window_starts_the_block_later(qtbot: QtBot) -> None:
    timeline = build(qtbot, [stop(1, 9, wait=30)])

    assert timeline.block_rect(0).left() == timeline.x_of(at(9, 30))


def test_the_panel_keeps_the_chosen_technician_when_the_list_refreshes(qtbot: QtBot) -> None:
    panel = RoutePanel()
    qtbot.addWidget(panel)
    panel.set_technicians([(1, "王师傅"), (2, "李师傅")])
    with qtbot.waitSignal(panel.technicianChosen) as chosen:
        assert panel.choose_technician(2)

    panel.set_technicians([(2, "李师傅"), (3, "周师傅")])

    assert chosen.args == [2] and panel.technician_id() == 2
    assert not panel.choose_technician(9)


def test_an_empty_timeline_paints_before_any_stops(qtbot: QtBot) -> None:
    timeline = RouteTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(500, 120)
    timeline.show()
    image = timeline.grab()  # paintEvent on the initial axis: no ZeroDivisionError
    assert not image.isNull()
    assert timeline.x_of(timeline._first) < timeline.x_of(timeline._last)
