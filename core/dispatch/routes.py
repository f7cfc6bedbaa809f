"""Day routes: order each technician's appointments into routes (VRPTW) with PyPI pyvrp.

Times are integers in one unit (minutes for the console; the benchmark uses the instance's own),
distances integers (metres). Give coordinates (x, y) in metres, travel at `metres_per_minute`,
or give the distance and duration matrices yourself (index 0 is the depot, then the visits in
order). A visit no vehicle can reach inside its window (or bring back before the depot closes,
or carry) is left out and listed in `unvisited`; optional visits are dropped only when they
cannot be fitted, since each carries a prize larger than any total distance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyvrp import Client, Depot, Location, ProblemData, VehicleType, solve
from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

Point = tuple[float, float]


@dataclass(frozen=True)
class Base:
    """Where the routes start and end, and the working hours (earliest start, latest return)."""

    opens: int = 0
    closes: int = 24 * 60
    location: Point = (0.0, 0.0)


@dataclass(frozen=True)
class Visit:
    id: str
    earliest: int
    latest: int  # latest start of service
    service: int = 0
    location: Point = (0.0, 0.0)
    demand: int = 0
    required: bool = True


@dataclass(frozen=True)
class Problem:
    base: Base
    visits: Sequence[Visit]
    vehicles: int = 1
    capacity: int | None = None  # None: no load limit
    metres_per_minute: float = 250.0  # 15 km/h in town
    distances: Sequence[Sequence[int]] | None = None  # (1 + n) x (1 + n), depot first
    durations: Sequence[Sequence[int]] | None = None  # default: from distances and speed


@dataclass(frozen=True)
class Stop:
    visit_id: str
    arrival: int
    start: int  # start of service (after any wait)
    departure: int


@dataclass(frozen=True)
class Route:
    vehicle: int  # 0, 1, ... over the routes used (all vehicles are alike)
    stops: tuple[Stop, ...]
    distance: int
    start: int  # leaves the base
    end: int  # back at the base


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    distance: int
    feasible: bool  # every required visit planned, all windows, hours and loads kept
    unvisited: tuple[str, ...]


def matrices(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Integer distance and duration matrices, depot first."""
    if problem.distances is not None:
        dist = np.asarray(problem.distances, dtype=np.int64)
    else:
        pts = np.array([problem.base.location, *(v.location for v in problem.visits)], float)
        diff = pts[:, None, :] - pts[None, :, :]
        dist = np.rint(np.sqrt((diff**2).sum(axis=2))).astype(np.int64)
    n = len(problem.visits) + 1
    if dist.shape != (n, n):
        raise ValueError(f"distance matrix must be {n} x {n}, got {dist.shape}")
    if problem.durations is not None:
        dur = np.asarray(problem.durations, dtype=np.int64)
        if dur.shape != (n, n):
            raise ValueError(f"duration matrix must be {n} x {n}, got {dur.shape}")
    else:
        dur = np.ceil(dist / problem.metres_per_minute).astype(np.int64)
    return dist, dur


def reachable(problem: Problem, dur: np.ndarray, k: int) -> bool:
    """Could one vehicle serve visit k (1-based in the matrices) alone?"""
    v, base = problem.visits[k - 1], problem.base
    start = max(base.opens + int(dur[0, k]), v.earliest)
    fits = problem.capacity is None or v.demand <= problem.capacity
    return v.earliest <= v.latest and start <= v.latest and fits and (
        start + v.service + int(dur[k, 0]) <= base.closes)


def plan_routes(problem: Problem, *, seconds: float = 1.0, seed: int = 0,
                iterations: int | None = None, capped: bool = False) -> Plan:
    """Plan the routes: fewest unplanned visits, then least total distance.

    The search stops after `seconds`, or after `iterations` when given (then the same seed
    always gives the same plan; a time limit depends on the machine's speed). With `capped`
    it stops at whichever comes first: deterministic on small problems, yet never slower than
    `seconds` on a big one (what a request handler wants).
    """
    if problem.vehicles < 1:
        raise ValueError("need at least one vehicle")
    dist, dur = matrices(problem)
    keep: list[int] = []
    dropped: list[int] = []
    for k in range(1, len(problem.visits) + 1):
        (keep if reachable(problem, dur, k) else dropped).append(k)
    if not keep:
        return Plan((), 0, not any(v.required for v in problem.visits),
                    tuple(v.id for v in problem.visits))
    index = [0, *keep]
    sub_dist: Any = np.ascontiguousarray(  # pyvrp's stubs say ndarray[int]
        dist[np.ix_(index, index)])
    sub_dur: Any = np.ascontiguousarray(dur[np.ix_(index, index)])
    prize = int(sub_dist.max()) * (len(index) + problem.vehicles) + 1
    cap = [problem.capacity] if problem.capacity is not None else []
    base = problem.base
    clients: list[Client] = []
    for k in keep:
        v = problem.visits[k - 1]
        clients.append(Client(
            location=len(clients) + 1, delivery=[v.demand] if cap else [],
            service_duration=v.service, tw_early=v.earliest, tw_late=v.latest,
            prize=0 if v.required else prize, required=v.required, name=v.id))
    data = ProblemData(
        locations=[Location(*(base.location if k == 0 else problem.visits[k - 1].location))
                   for k in index], clients=clients,
        depots=[Depot(location=0, tw_early=base.opens, tw_late=base.closes)],
        vehicle_types=[VehicleType(num_available=problem.vehicles, capacity=cap,
                                   tw_early=base.opens, tw_late=base.closes)],
        distance_matrices=[sub_dist], duration_matrices=[sub_dur])
    stop: StoppingCriterion = MaxRuntime(seconds)
    if iterations is not None:
        stop = MaxIterations(iterations)
        if capped:
            stop = MultipleCriteria([stop, MaxRuntime(seconds)])
    result = solve(data, stop=stop, seed=seed, display=False)
    best = result.best
    routes: list[Route] = []
    planned: set[int] = set()
    for number, route in enumerate(best.routes()):
        stops = []
        for act in route.schedule():
            if not act.is_client():
                continue
            v = problem.visits[keep[act.idx] - 1]
            planned.add(keep[act.idx])
            stops.append(Stop(v.id, act.start_time - act.wait_duration, act.start_time,
                              act.end_time))
        routes.append(Route(number, tuple(stops), route.distance(), route.start_time(),
                            route.end_time()))
    unvisited = sorted(dropped + [k for k in keep if k not in planned])
    missing_required = any(problem.visits[k - 1].required for k in unvisited)
    return Plan(tuple(routes), int(best.distance()),
                bool(best.is_feasible()) and not missing_required,
                tuple(problem.visits[k - 1].id for k in unvisited))
