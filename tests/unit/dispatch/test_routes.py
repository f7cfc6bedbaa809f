"""Day routes (core.dispatch.routes) on hand-made instances small enough to know the answer."""

from __future__ import annotations

import random

import pytest

from core.dispatch.routes import Base, Plan, Problem, Visit, plan_routes

# pyvrp warns when its penalties max out, which is expected on the infeasible instances.
pytestmark = pytest.mark.filterwarnings("ignore::pyvrp.exceptions.PenaltyBoundWarning")
FAST = 0.2  # seconds
DAY = Base(opens=0, closes=8 * 60)  # at (0, 0); 250 m a minute by default


def order(plan: Plan) -> list[list[str]]:
    return [[s.visit_id for s in r.stops] for r in plan.routes if r.stops]


def corners(**windows: tuple[int, int]) -> list[Visit]:
    """Three corners of a 1 km square around the base at (0, 0): a, b (diagonal), c."""
    spots = {"a": (0.0, 1000.0), "b": (1000.0, 1000.0), "c": (1000.0, 0.0)}
    return [Visit(name, *windows.get(name, (0, 480)), 30, spot) for name, spot in spots.items()]


def test_square_is_driven_round_its_edge() -> None:
    plan = plan_routes(Problem(DAY, corners()), seconds=FAST)
    assert plan.feasible and not plan.unvisited
    assert order(plan) in ([["a", "b", "c"]], [["c", "b", "a"]])
    assert plan.distance == 4000


def test_arrival_times_follow_travel_and_service() -> None:
    plan = plan_routes(Problem(DAY, corners(a=(0, 10))), seconds=FAST)
    (route,) = plan.routes
    assert [s.visit_id for s in route.stops] == ["a", "b", "c"]
    a, b, c = route.stops
    assert (a.arrival, a.start, a.departure) == (4, 4, 34)
    assert b.arrival == 38 and c.arrival == 72
    assert route.end == 102 + 4


def test_window_forces_the_longer_order() -> None:
    # b must come first, then a: the plan pays the diagonal rather than miss a window.
    plan = plan_routes(Problem(DAY, corners(b=(0, 10), a=(60, 100), c=(200, 480))), seconds=FAST)
    assert plan.feasible
    assert order(plan) == [["b", "a", "c"]]
    assert all(s.start >= s.arrival for s in plan.routes[0].stops)
    starts = {s.visit_id: s.start for s in plan.routes[0].stops}
    assert starts["b"] <= 10 and starts["a"] >= 60 and starts["c"] >= 200


def test_unreachable_window_is_reported_unvisited() -> None:
    far = Visit("far", 0, 5, 30, (5000.0, 0.0))  # 20 minutes away, must start by minute 5
    after_hours = Visit("night", 600, 700, 30, (100.0, 0.0))  # the base closes at 480
    plan = plan_routes(Problem(DAY, [*corners(), far, after_hours]), seconds=FAST)
    assert not plan.feasible
    assert set(plan.unvisited) == {"far", "night"}
    assert sorted(v for r in order(plan) for v in r) == ["a", "b", "c"]


def test_too_much_work_for_one_day_is_infeasible_or_unvisited() -> None:
    visits = [Visit(f"v{k}", 0, 480, 120, (100.0 * k, 0.0)) for k in range(6)]
    plan = plan_routes(Problem(DAY, visits), seconds=FAST)
    assert not plan.feasible


def test_optional_visit_that_cannot_fit_is_dropped_and_plan_stays_feasible() -> None:
    visits = [*corners(), Visit("maybe", 0, 2, 30, (3000.0, 0.0), required=False)]
    plan = plan_routes(Problem(DAY, visits), seconds=FAST)
    assert plan.feasible and plan.unvisited == ("maybe",)


def test_optional_visit_that_fits_is_made() -> None:
    visits = [*corners(), Visit("maybe", 0, 480, 30, (3000.0, 0.0), required=False)]
    plan = plan_routes(Problem(DAY, visits), seconds=FAST)
    assert plan.feasible and not plan.unvisited


def test_two_technicians_split_clashing_appointments() -> None:
    east = Visit("east", 30, 40, 60, (5000.0, 0.0))
    west = Visit("west", 30, 40, 60, (-5000.0, 0.0))
    plan = plan_routes(Problem(DAY, [east, west], vehicles=2), seconds=FAST)
    assert plan.feasible
    assert sorted(order(plan)) == [["east"], ["west"]]
    alone = plan_routes(Problem(DAY, [east, west], vehicles=1), seconds=FAST)
    assert not alone.feasible


def test_capacity_is_kept() -> None:
    visits = [Visit(f"v{k}", 0, 480, 10, (100.0 * k, 0.0), demand=3) for k in range(1, 5)]
    plan = plan_routes(Problem(DAY, visits, vehicles=2, capacity=6), seconds=FAST)
    assert plan.feasible and [len(r) for r in order(plan)] == [2, 2]


def test_distance_matrix_input() -> None:
    # Base, x, y: x-y is a shortcut the coordinates would not know about.
    matrix = [[0, 10, 10], [10, 0, 1], [10, 1, 0]]
    visits = [Visit("x", 0, 100, 0), Visit("y", 0, 100, 0)]
    plan = plan_routes(Problem(DAY, visits, distances=matrix, durations=matrix), seconds=FAST)
    assert plan.distance == 21 and plan.feasible
    with pytest.raises(ValueError, match="3 x 3"):
        plan_routes(Problem(DAY, visits, distances=[[0, 1], [1, 0]]), seconds=FAST)


def test_same_seed_same_plan() -> None:
    rng = random.Random(7)
    visits = [Visit(f"v{k}", (w := rng.randrange(0, 300)), w + 120, 20,
                    (rng.uniform(-4000, 4000), rng.uniform(-4000, 4000))) for k in range(25)]
    problem = Problem(DAY, visits, vehicles=3)
    first = plan_routes(problem, seed=3, iterations=300)
    again = plan_routes(problem, seed=3, iterations=300)
    assert first == again
    assert first.feasible


def test_no_visits() -> None:
    plan = plan_routes(Problem(DAY, []), seconds=FAST)
    assert plan == Plan((), 0, True, ())
