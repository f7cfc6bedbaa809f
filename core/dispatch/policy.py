"""Region dispatch policies: what a scope sets, and the effective policy of a county.

A policy is set at the default scope (''), a province, a city or a county; a county's effective
policy takes each field from the nearest scope that sets it (county, then city, province,
default). Hard rules (required skills and qualifications, capacity, region) decide who may take
an order; weighted goals (distance, load, rating, SLA urgency, ratio deviation) rank who should.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from core.orders.lifecycle import DispatchMode, OrderTag, ServiceType

DEFAULT_SCOPE = ""
# Reasons an order goes straight to a person, whatever mode comes first.
ESCALATE_CHOICES = (*(t.value for t in OrderTag), ServiceType.AFTER_SALES.value)


class PolicyError(ValueError):
    """A policy that cannot work; `field` names the offending setting."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        super().__init__(f"{field_name}: {message}")


@dataclass(frozen=True)
class Stage:
    """One dispatch mode and how long it may try before the next (None: until placed)."""

    mode: DispatchMode
    minutes: int | None = None


@dataclass(frozen=True)
class Weights:
    """How much each goal counts when ranking technicians (0 = ignored)."""

    distance: int = 40
    load: int = 20
    rating: int = 15
    sla: int = 15
    ratio: int = 10


@dataclass(frozen=True)
class RegionPolicy:
    stages: tuple[Stage, ...] = (
        Stage(DispatchMode.AUTO, 5), Stage(DispatchMode.GRAB, 30), Stage(DispatchMode.MANUAL),
    )
    # Service point key -> percent of the region's orders it should take (sums to 100).
    point_shares: Mapping[str, int] = field(default_factory=dict)
    # Service point key -> orders a day (overrides the point's own figure when set).
    point_capacity: Mapping[str, int] = field(default_factory=dict)
    # Service type -> skills / qualifications a technician must have for it.
    required_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required_qualifications: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A technician may take orders this far (km) from home at most; 0: no limit.
    max_distance_km: int = 50
    accept_minutes: int = 30
    max_refusals: int = 2
    grab_floor_fen: int = 3000
    escalate: frozenset[str] = frozenset(ESCALATE_CHOICES)
    weights: Weights = field(default_factory=Weights)

    def stage_after(self, mode: DispatchMode | None) -> Stage | None:
        """The stage following `mode` (the first one for None); None when it was the last."""
        modes = [s.mode for s in self.stages]
        if mode is None:
            return self.stages[0]
        if mode not in modes:
            return Stage(DispatchMode.MANUAL)
        i = modes.index(mode) + 1
        return self.stages[i] if i < len(self.stages) else None

    def stage_of(self, mode: DispatchMode | None) -> Stage | None:
        return next((s for s in self.stages if s.mode is mode), None)

    def to_body(self) -> dict[str, Any]:
        return _dump(self)


def scope_chain(county_adcode: str) -> list[str]:
    """The scopes a county inherits from, nearest first: county, city, province, default."""
    code = (county_adcode or "").strip()
    if len(code) != 6 or not code.isdigit():
        return [DEFAULT_SCOPE]
    chain = [code, code[:4] + "00", code[:2] + "0000", DEFAULT_SCOPE]
    return list(dict.fromkeys(chain))  # a city or province code is its own first link


# -- bodies: what one scope sets, as JSON -------------------------------------------------

def _dump(policy: RegionPolicy) -> dict[str, Any]:
    return {
        "stages": [{"mode": s.mode.value, "minutes": s.minutes} for s in policy.stages],
        "point_shares": dict(policy.point_shares),
        "point_capacity": dict(policy.point_capacity),
        "required_skills": {k: list(v) for k, v in policy.required_skills.items()},
        "required_qualifications": {k: list(v)
                                    for k, v in policy.required_qualifications.items()},
        "max_distance_km": policy.max_distance_km,
        "accept_minutes": policy.accept_minutes,
        "max_refusals": policy.max_refusals,
        "grab_floor_fen": policy.grab_floor_fen,
        "escalate": sorted(policy.escalate),
        "weights": {f.name: getattr(policy.weights, f.name) for f in fields(Weights)},
    }


FIELD_NAMES = tuple(_dump(RegionPolicy()))


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(name, f"must be a whole number from {low} to {high}")
    return value


def _texts(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise PolicyError(name, "must be a list of names")
    names = tuple(str(v).strip() for v in value)
    if any(not n for n in names):
        raise PolicyError(name, "names may not be empty")
    return names


def _stages(value: Any) -> tuple[Stage, ...]:
    if not isinstance(value, Sequence) or not value:
        raise PolicyError("stages", "at least one dispatch mode is needed")
    stages: list[Stage] = []
    for raw in value:
        try:
            mode = DispatchMode(raw["mode"])
        except (KeyError, TypeError, ValueError):
            raise PolicyError("stages", f"unknown dispatch mode in {raw!r}") from None
        minutes = raw.get("minutes")
        if minutes is not None:
            minutes = _whole("stages.minutes", minutes, 0, 7 * 24 * 60)
        stages.append(Stage(mode, minutes))
    modes = [s.mode for s in stages]
    if len(set(modes)) != len(modes):
        raise PolicyError("stages", "each mode may appear once")
    if modes[-1] is not DispatchMode.MANUAL:
        # Whatever the others cannot place must reach a person, never stay stuck.
        raise PolicyError("stages", "the last mode must be manual dispatch")
    return tuple(stages)


def _mapping(name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyError(name, "must be an object")
    return dict(value)


def parse_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check what one scope sets; returns the typed fields (only those present)."""
    unknown = set(body) - set(FIELD_NAMES)
    if unknown:
        raise PolicyError(sorted(unknown)[0], "is not a policy setting")
    out: dict[str, Any] = {}
    for name, value in body.items():
        if name == "stages":
            out[name] = _stages(value)
        elif name == "point_shares":
            shares = {str(k): _whole("point_shares", v, 0, 100)
                      for k, v in _mapping(name, value).items()}
            if shares and sum(shares.values()) != 100:
                raise PolicyError(name, f"shares add up to {sum(shares.values())}, not 100")
            out[name] = shares
        elif name == "point_capacity":
            out[name] = {str(k): _whole(name, v, 0, 100_000)
                         for k, v in _mapping(name, value).items()}
        elif name in ("required_skills", "required_qualifications"):
            mapping = _mapping(name, value)
            for key in mapping:
                if key not in {t.value for t in ServiceType}:
                    raise PolicyError(name, f"'{key}' is not a service type")
            out[name] = {str(k): _texts(name, v) for k, v in mapping.items()}
        elif name == "escalate":
            chosen = frozenset(_texts(name, value))
            unknown_choices = sorted(chosen - set(ESCALATE_CHOICES))
            if unknown_choices:
                raise PolicyError(name, f"unknown: {', '.join(unknown_choices)}")
            out[name] = chosen
        elif name == "weights":
            raw = _mapping(name, value)
            allowed = {f.name for f in fields(Weights)}
            if set(raw) - allowed:
                raise PolicyError(name, f"unknown goal: {', '.join(sorted(set(raw) - allowed))}")
            out[name] = Weights(**{k: _whole(f"weights.{k}", v, 0, 100) for k, v in raw.items()})
        elif name == "max_distance_km":
            out[name] = _whole(name, value, 0, 2000)
        elif name == "accept_minutes":
            out[name] = _whole(name, value, 1, 7 * 24 * 60)
        elif name == "max_refusals":
            out[name] = _whole(name, value, 0, 50)
        elif name == "grab_floor_fen":
            out[name] = _whole(name, value, 0, 100_000_000)
    return out


@dataclass(frozen=True)
class Effective:
    """A county's policy and, per field, the scope it came from ('' = the default)."""

    policy: RegionPolicy
    sources: Mapping[str, str]


def effective(county_adcode: str, bodies: Mapping[str, Mapping[str, Any]]) -> Effective:
    """Merge the stored bodies along the county's scope chain (nearest wins, per field)."""
    policy, sources = RegionPolicy(), dict.fromkeys(FIELD_NAMES, DEFAULT_SCOPE)
    for scope in reversed(scope_chain(county_adcode)):
        body = bodies.get(scope)
        if not body:
            continue
        try:
            parsed = parse_body(body)
        except PolicyError:
            continue  # stored bodies were checked on write; an old bad one must not stop dispatch
        policy = replace(policy, **parsed)
        sources.update(dict.fromkeys(parsed, scope))
    return Effective(policy, sources)
