"""Service points in the central graph: their capacity left today and their share of orders.

A point's share is set by its county's effective policy (point_shares, e.g. 60/40 between two
partner points), over the scope that set it: a share set for a city counts the city's orders.
The k-th further order a point takes costs weight * ((today + k - 0.5) / N - share) / span,
N being the scope's orders today plus this batch's: rising with k, so the flow keeps each point
near its share and a point below it is preferred, without a greedy pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from core.dispatch.central_flow import FlowProblem
from core.dispatch.policy import DEFAULT_SCOPE, RegionPolicy
from core.dispatch.round_model import Snapshot, Tech, WaitingOrder

SCALE = 1000
RATIO_SPAN = 0.2

Group = tuple[str, tuple[tuple[str, int], ...]]  # (county prefix, shares)


def scope_prefix(scope: str) -> str:
    """The adcode prefix of every county within a policy scope ('' for the default)."""
    if scope == DEFAULT_SCOPE or len(scope) != 6:
        return ""
    if scope.endswith("0000"):
        return scope[:2]
    return scope[:4] if scope.endswith("00") else scope


class Ratios:
    def __init__(self, snapshot: Snapshot, techs: Sequence[Tech],
                 reach: Sequence[tuple[WaitingOrder, list[int]]]) -> None:
        self.snapshot = snapshot
        self.techs = techs
        self.keys: list[str] = sorted({key for _, ts in reach for i in ts
                                       if (key := techs[i].point) is not None})
        self.index = {key: n for n, key in enumerate(self.keys)}
        self.left: dict[str, int | None] = {}
        self.group: dict[str, Group] = {}
        self.weight: dict[str, int] = {}
        self.tech_room: dict[str, int] = defaultdict(int)
        for tech in techs:
            if tech.point is not None and tech.point in self.index:
                self.tech_room[tech.point] += tech.capacity_left
        for key in self.keys:
            self._point(key)
        self.today: dict[Group, dict[str, int]] = {}
        self.batch: dict[Group, int] = defaultdict(int)
        for group in set(self.group.values()):
            prefix, shares = group
            counts = {q: 0 for q, _ in shares}
            for (county, q), n in snapshot.assigned_today.items():
                if q in counts and county.startswith(prefix):
                    counts[q] += n
            self.today[group] = counts
        for _, ts in reach:
            for group in {self.group[k] for i in ts
                          if (k := techs[i].point) is not None and k in self.group}:
                self.batch[group] += 1

    def _point(self, key: str) -> None:
        info = self.snapshot.points.get(key)
        found = self.snapshot.policies.get(info.county) if info else None
        policy = found.policy if found else RegionPolicy()
        cap = policy.point_capacity.get(key) or (info.daily_capacity if info else 0)
        self.left[key] = max(cap - (info.assigned_today if info else 0), 0) if cap > 0 else None
        shares = policy.point_shares
        if key in shares and policy.weights.ratio > 0:
            scope = found.sources.get("point_shares", DEFAULT_SCOPE) if found else DEFAULT_SCOPE
            self.group[key] = (scope_prefix(scope), tuple(sorted(shares.items())))
            self.weight[key] = policy.weights.ratio

    def policy_of(self, order: WaitingOrder) -> RegionPolicy:
        return self.snapshot.policy(order.county)

    def _total(self, group: Group) -> int:
        return sum(self.today[group].values()) + self.batch[group]

    def fill(self, problem: FlowProblem) -> None:
        problem.tech_point = [self.index.get(t.point, -1) if t.point is not None else -1
                              for t in self.techs]
        problem.point_marginals, problem.point_free = [], []
        for key in self.keys:
            left = self.left[key]
            room = self.tech_room[key] if left is None else min(left, self.tech_room[key])
            group = self.group.get(key)
            if group is None:
                problem.point_marginals.append(None)
                problem.point_free.append(room)
                continue
            total, share = self._total(group), dict(group[1])[key] / 100
            done = self.today[group][key]
            problem.point_marginals.append([
                round(self.weight[key] * SCALE * ((done + k - 0.5) / total - share) / RATIO_SPAN)
                for k in range(1, min(room, self.batch[group]) + 1)
            ])
            problem.point_free.append(0)

    def room_left(self, chosen: dict[int, int], techs: Sequence[Tech]) -> bool:
        """Whether some technician (and their point) still has room after this solution."""
        used: dict[int, int] = defaultdict(int)
        by_point: dict[str, int] = defaultdict(int)
        for t in chosen.values():
            used[t] += 1
            by_point[techs[t].point or ""] += 1
        for t, tech in enumerate(techs):
            if tech.capacity_left <= used[t]:
                continue
            key = tech.point or ""
            left = self.left.get(key)
            if left is None or left > by_point[key]:
                return True
        return False

    def shares_after(self, chosen: dict[int, int]) -> dict[str, tuple[int, int]]:
        """Point key -> (its share of its scope's orders today after this batch, its target)."""
        added: dict[str, int] = defaultdict(int)
        for t in chosen.values():
            key = self.techs[t].point
            if key is not None:
                added[key] += 1
        out: dict[str, tuple[int, int]] = {}
        for key, group in self.group.items():
            total = sum(self.today[group].values()) + sum(added[q] for q, _ in group[1])
            mine = self.today[group][key] + added[key]
            out[key] = (round(100 * mine / total) if total else 0, dict(group[1])[key])
        return out
