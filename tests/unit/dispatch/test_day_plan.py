"""A technician's appointments planned into a day route: order, times, late and unplanned."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from core.dispatch.day_plan import (
    SHANGHAI,
    Appointment,
    day_problem,
    local_day,
    plan_day,
    project,
)

DAY = date(2026, 3, 3)
HOME = (116.40, 39.90)
# About 1.7 km per 0.02 degrees of longitude at Beijing: a few minutes at 15 km/h.
NEAR = 0.02


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


def booking(order_id: int, hour: int, where: tuple[float, float] | None = HOME,
            hours: int = 2, service: str = "repair") -> Appointment:
    start = at(hour)
    return Appointment(order_id, f"LM{order_id}", start, start + timedelta(hours=hours), where,
                       service)


def east(steps: float) -> tuple[float, float]:
    return HOME[0] + steps * NEAR, HOME[1]


def test_stops_follow_the_windows_not_the_input_order() -> None:
    bookings = [booking(3, 15, east(1)), booking(1, 9, east(2)), booking(2, 13, east(3))]

    route = plan_day(HOME, bookings, DAY)

    assert [s.appointment.order_id for s in route.stops] == [1, 2, 3]
    assert route.unplanned == () and route.feasible


def test_times_wait_for_the_window_and_add_service_and_travel() -> None:
    route = plan_day(HOME, [booking(1, 13, east(1), service="install")], DAY)

    stop = route.stops[0]
    assert stop.start == at(13) and stop.leave == at(14, 30)  # install: 90 minutes
    assert stop.arrive <= stop.start
    # Leaves home just in time, not at opening, and comes straight back.
    assert route.start == stop.arrive - timedelta(minutes=stop.travel_minutes)
    assert route.end == stop.leave + timedelta(minutes=stop.travel_minutes)
    assert stop.travel_minutes > 0 and not stop.late


def test_visits_in_one_long_window_are_visited_in_travel_order() -> None:
    # Corners of a square beside home, all accepting a visit between 09:00 and 17:00:
    # only the distance decides, and the short way goes round, never across.
    corners = {1: (1, 1), 2: (1, 0), 3: (0, 1)}
    bookings = [booking(i, 9, (HOME[0] + x * NEAR, HOME[1] + y * NEAR), hours=8)
                for i, (x, y) in corners.items()]

    route = plan_day(HOME, bookings, DAY)

    assert [s.appointment.order_id for s in route.stops] in ([2, 1, 3], [3, 1, 2])
    side_x, side_y = NEAR * 111_320 * 0.766, NEAR * 111_320
    assert route.distance_m == pytest.approx(2 * side_x + 2 * side_y, rel=0.01)


def test_clashing_appointments_stay_on_the_route_flagged_late() -> None:
    # Two 90-minute installs in the same 09:00-10:00 window, 25 km apart.
    bookings = [booking(1, 9, east(0.1), hours=1, service="install"),
                booking(2, 9, east(15), hours=1, service="install")]

    route = plan_day(HOME, bookings, DAY)

    assert len(route.stops) == 2
    assert [s.late for s in route.stops] == [False, True]
    assert route.stops[1].arrive > at(10) and not route.feasible


@pytest.mark.parametrize("where, hour", [(None, 10), (HOME, 21), (east(1), 6)])
def test_what_the_day_cannot_fit_is_unplanned(
    where: tuple[float, float] | None, hour: int
) -> None:
    # No position; a window after working hours; one over before they start.
    odd = booking(9, hour, where, hours=1)

    route = plan_day(HOME, [booking(1, 10, east(1)), odd], DAY)

    assert [s.appointment.order_id for s in route.stops] == [1]
    assert [a.order_id for a in route.unplanned] == [9]
    assert not route.feasible


def test_an_empty_day_has_no_route() -> None:
    route = plan_day(HOME, [], DAY)

    assert route.stops == () and route.start is None and route.distance_m == 0
    assert route.opens == at(8) and route.closes == at(20)


def test_the_same_appointments_give_the_same_plan() -> None:
    bookings = [booking(i, 9 + i % 8, east(i % 5 - 2)) for i in range(1, 9)]

    assert plan_day(HOME, bookings, DAY) == plan_day(HOME, bookings, DAY)


def test_the_problem_counts_minutes_from_local_midnight_in_metres_from_home() -> None:
    problem = day_problem(HOME, [booking(7, 9, east(1))], DAY)

    (visit,) = problem.visits
    assert (problem.base.opens, problem.base.closes) == (480, 1200)
    assert (visit.id, visit.earliest, visit.latest, visit.service) == ("7", 540, 660, 60)
    assert visit.location == pytest.approx(project(HOME, east(1)))
    assert 1650 < visit.location[0] < 1750 and visit.location[1] == 0


def test_the_local_day_is_shanghai_time() -> None:
    late_evening_utc = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI).astimezone(SHANGHAI)
    assert local_day(datetime.fromisoformat("2026-03-02T17:00:00+00:00")) == date(2026, 3, 3)
    assert local_day(late_evening_utc) == date(2026, 3, 2)
