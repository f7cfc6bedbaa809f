"""Region dispatch policies: what a scope sets, and the effective policy of a county.

A policy is set at the default scope (''), a province, a city or a county; a county's effective
policy takes each field from the nearest scope that sets it (county, then city, province,
default). Hard rules (required skills and qualifications, capacity, region) decide who may take
an order; weighted goals (distance, load, rating, SLA urgency, ratio deviation) rank who should.

Messages of PolicyError are Chinese first with the English kept after it, since supervisors
read them in the console and developers in logs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from core.errors import Invalid

# Scopes and their inheritance live in core.geo.scopes (SLA limits inherit the same way);
# dispatch's users import them from here too.
from core.geo.scopes import DEFAULT_SCOPE as DEFAULT_SCOPE
from core.geo.scopes import nearest_wins
from core.geo.scopes import scope_chain as scope_chain
from core.geo.scopes import scope_level as scope_level
from core.orders.lifecycle import DispatchMode, OrderTag, ServiceType

# Reasons an order goes straight to a person, whatever mode comes first.
ESCALATE_CHOICES = (*(t.value for t in OrderTag), ServiceType.AFTER_SALES.value)
SERVICE_TYPES = tuple(t.value for t in ServiceType)
MAX_STAGE_MINUTES = 7 * 24 * 60
MAX_NAMES = 20
NAME_MAX_CHARS = 64


class PolicyError(Invalid, ValueError):
    """A policy that cannot work (422); `field` names the offending setting (e.g.
    "weights.load"), and `loc` that setting where the wire carries a policy (PolicyPut.body)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message, loc=("body", "body", *field_name.split(".")))
        self.field = field_name

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


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


GOALS = tuple(f.name for f in fields(Weights))


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
        "weights": {name: getattr(policy.weights, name) for name in GOALS},
    }


FIELD_NAMES = tuple(_dump(RegionPolicy()))


def _whole(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(name, f"应为 {low} 到 {high} 之间的整数"
                                f" (must be a whole number from {low} to {high})")
    return value


def _list(name: str, value: Any) -> Sequence[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise PolicyError(name, "应为列表 (must be a list)")
    return value


def _mapping(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyError(name, "应为对象 (must be an object)")
    for key in value:
        if not isinstance(key, str) or not key.strip():
            raise PolicyError(name, "键不能为空 (keys may not be empty)")
    return value


def _texts(name: str, value: Any) -> tuple[str, ...]:
    items = _list(name, value)
    if any(not isinstance(v, str) for v in items):
        raise PolicyError(name, "应为名称列表 (must be a list of names)")
    names = tuple(dict.fromkeys(v.strip() for v in items))  # a name twice says nothing more
    if any(not n for n in names):
        raise PolicyError(name, "名称不能为空 (names may not be empty)")
    if len(names) > MAX_NAMES or any(len(n) > NAME_MAX_CHARS for n in names):
        raise PolicyError(name, f"最多 {MAX_NAMES} 个名称，每个不超过 {NAME_MAX_CHARS} 字"
                                f" (at most {MAX_NAMES} names of {NAME_MAX_CHARS} characters)")
    return names


def _stage(raw: Any, last: bool) -> Stage:
    if not isinstance(raw, Mapping) or set(raw) - {"mode", "minutes"}:
        raise PolicyError("stages", f"每一步应为 {{mode, minutes}} (each stage is "
                                    f"{{mode, minutes}}, got {raw!r})")
    try:
        mode = DispatchMode(str(raw.get("mode")))
    except ValueError:
        raise PolicyError("stages", f"未知的派单方式 {raw.get('mode')!r} (unknown dispatch mode; "
                                    "use auto, grab or manual)") from None
    minutes = raw.get("minutes")
    if last:
        if mode is not DispatchMode.MANUAL:
            # Whatever the others cannot place must reach a person, never stay stuck.
            raise PolicyError("stages", "最后一步必须是人工派单"
                                        " (the last mode must be manual dispatch)")
        if minutes is not None:
            # A person keeps the order until it is placed.
            raise PolicyError("stages.minutes", "最后一步（人工派单）不设时限"
                                                " (the last stage, manual, has no time limit)")
        return Stage(mode)
    if minutes is None:
        raise PolicyError("stages.minutes", f"{mode.value} 需要设定时长，超时后转下一种方式"
                                            f" ({mode.value} needs minutes before the next mode)")
    return Stage(mode, _whole("stages.minutes", minutes, 1, MAX_STAGE_MINUTES))


def _stages(value: Any) -> tuple[Stage, ...]:
    items = _list("stages", value)
    if not items:
        raise PolicyError("stages", "至少需要一种派单方式 (at least one dispatch mode is needed)")
    stages = tuple(_stage(raw, i == len(items) - 1) for i, raw in enumerate(items))
    modes = [s.mode for s in stages]
    if len(set(modes)) != len(modes):
        raise PolicyError("stages", "每种派单方式只能出现一次 (each mode may appear once)")
    return stages


def _shares(value: Any) -> dict[str, int]:
    shares = {k.strip(): _whole(f"point_shares.{k}", v, 0, 100)
              for k, v in _mapping("point_shares", value).items()}
    total = sum(shares.values())
    if shares and total != 100:
        raise PolicyError("point_shares", f"分配比例合计 {total}%，应为 100%"
                                          f" (shares add up to {total}, not 100)")
    return shares


def _capacity(value: Any) -> dict[str, int]:
    return {k.strip(): _whole(f"point_capacity.{k}", v, 0, 100_000)
            for k, v in _mapping("point_capacity", value).items()}


def _requirements(name: str) -> Callable[[Any], dict[str, tuple[str, ...]]]:
    def parse(value: Any) -> dict[str, tuple[str, ...]]:
        mapping = _mapping(name, value)
        for key in mapping:
            if key not in SERVICE_TYPES:
                raise PolicyError(name, f"'{key}' 不是服务类型 (is not a service type; use "
                                        f"{', '.join(SERVICE_TYPES)})")
        return {k: _texts(f"{name}.{k}", v) for k, v in mapping.items()}
    return parse


def _escalate(value: Any) -> frozenset[str]:
    chosen = frozenset(_texts("escalate", value))
    unknown = sorted(chosen - set(ESCALATE_CHOICES))
    if unknown:
        raise PolicyError("escalate", f"未知的转人工条件 {', '.join(unknown)} (unknown; use "
                                      f"{', '.join(ESCALATE_CHOICES)})")
    return chosen


def _weights(value: Any) -> Weights:
    """Goals left out keep their built-in weight; the whole set is one setting."""
    raw = _mapping("weights", value)
    unknown = sorted(set(raw) - set(GOALS))
    if unknown:
        raise PolicyError("weights", f"未知的目标 {', '.join(unknown)} (unknown goal; use "
                                     f"{', '.join(GOALS)})")
    weights = Weights(**{k: _whole(f"weights.{k}", v, 0, 100) for k, v in raw.items()})
    if not any(getattr(weights, name) for name in GOALS):
        raise PolicyError("weights", "至少一个目标的权重要大于 0"
                                     " (at least one goal needs a weight above 0)")
    return weights


def _bounded(name: str, low: int, high: int) -> Callable[[Any], int]:
    return lambda value: _whole(name, value, low, high)


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "stages": _stages,
    "point_shares": _shares,
    "point_capacity": _capacity,
    "required_skills": _requirements("required_skills"),
    "required_qualifications": _requirements("required_qualifications"),
    "max_distance_km": _bounded("max_distance_km", 0, 2000),
    "accept_minutes": _bounded("accept_minutes", 1, MAX_STAGE_MINUTES),
    "max_refusals": _bounded("max_refusals", 0, 50),
    "grab_floor_fen": _bounded("grab_floor_fen", 0, 100_000_000),
    "escalate": _escalate,
    "weights": _weights,
}
assert set(_PARSERS) == set(FIELD_NAMES)


def parse_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """Check what one scope sets; returns the typed fields (only those present)."""
    if not isinstance(body, Mapping):
        raise PolicyError("body", "应为对象 (must be an object)")
    unknown = sorted(set(body) - set(FIELD_NAMES), key=str)
    if unknown:
        raise PolicyError(str(unknown[0]), "不是派单策略的设置项 (is not a policy setting)")
    return {name: _PARSERS[name](value) for name, value in body.items()}


def normalise(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body as stored: checked, trimmed, and each setting written out in full."""
    parsed = parse_body(body)
    dumped = RegionPolicy(**parsed).to_body()
    return {name: dumped[name] for name in FIELD_NAMES if name in parsed}


def point_keys(body: Mapping[str, Any]) -> set[str]:
    """The service point keys a body names (shares and capacities), to check they exist."""
    keys: set[str] = set()
    for name in ("point_shares", "point_capacity"):
        value = body.get(name)
        if isinstance(value, Mapping):
            keys.update(str(k).strip() for k in value)
    return keys


@dataclass(frozen=True)
class Effective:
    """A county's policy and, per field, the scope it came from ('' = the default)."""

    policy: RegionPolicy
    sources: Mapping[str, str]


def _read(name: str, value: Any) -> Any:
    parser = _PARSERS.get(name)
    if parser is None:
        raise PolicyError(name, "不是派单策略的设置项 (is not a policy setting)")
    return parser(value)


def effective(county_adcode: str, bodies: Mapping[str, Mapping[str, Any]]) -> Effective:
    """Merge the stored bodies along the county's scope chain (nearest wins, per field)."""
    parsed, found = nearest_wins(scope_chain(county_adcode), bodies, _read)
    sources = dict.fromkeys(FIELD_NAMES, DEFAULT_SCOPE)
    sources.update(found)
    return Effective(replace(RegionPolicy(), **parsed), sources)
