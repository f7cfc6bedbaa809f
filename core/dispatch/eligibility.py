"""Who may take an order: the hard rules, once, on plain data.

Grab (what a technician's list shows and whether a claim is admitted), ranking (the desk's
candidates, rule breakers flagged and listed after the eligible, never hidden but for other
cities', which the desk shows on request) and central dispatch (who the solver may
choose) all ask this module. A rule a technician would break is a `Break`: a code and its
parameters; `core.dispatch.eligibility_text` turns one into Chinese or English words.

The city test is the region index's (a county's parent city), keyed by the city's first four
adcode digits so that storage can pre-filter with a prefix; codes the index does not know fall
back on the adcode rule (a county shares its city's first four digits).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from math import isnan
from typing import TYPE_CHECKING, Any

from core.dispatch.policy import RegionPolicy
from core.geo.distance import haversine_km, haversine_m
from core.geo.regions import load_regions

if TYPE_CHECKING:  # numpy only for central dispatch's array forms: grab and the desk stay light
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]
    BoolArray = npt.NDArray[np.bool_]
else:
    FloatArray = BoolArray = Any


class Rule(StrEnum):
    """The hard rules, in the order they are checked and reported."""

    INACTIVE = "inactive"
    MISSING_SKILLS = "missing_skills"
    MISSING_QUALIFICATIONS = "missing_qualifications"
    OTHER_CITY = "other_city"
    FULL = "full"
    TOO_FAR = "too_far"
    TURNED_DOWN = "turned_down"  # refused it or let it time out before
    TAKEN_BACK = "taken_back"  # it was taken back from them before (by a person)


@dataclass(frozen=True)
class Break:
    """One rule the technician would break, with what the words about it need."""

    rule: Rule
    names: tuple[str, ...] = ()  # missing skills or qualifications (codes as stored)
    load: int = 0  # FULL: orders held now of `capacity`
    capacity: int = 0
    km: float = 0.0  # TOO_FAR: the distance, and the policy's limit
    limit_km: int = 0
    times: int = 0  # TURNED_DOWN: how many times (0: not counted)

    @property
    def params(self) -> dict[str, object]:
        """The parameters this rule's words use (what the wire would carry beside the code)."""
        match self.rule:
            case Rule.MISSING_SKILLS | Rule.MISSING_QUALIFICATIONS:
                return {"names": list(self.names)}
            case Rule.FULL:
                return {"load": self.load, "capacity": self.capacity}
            case Rule.TOO_FAR:
                return {"km": self.km, "limit_km": self.limit_km}
            case Rule.TURNED_DOWN:
                return {"times": self.times}
            case _:
                return {}


@dataclass(frozen=True)
class Job:
    """The order as the rules see it."""

    county: str | None
    skills: Collection[str]
    service_type: str | None = None
    lng: float | None = None
    lat: float | None = None
    # Refused it or let it time out: ids, or id -> times (core.dispatch.refusals'
    # turned_down_times) when the words should say how often.
    turned_down_by: Collection[int] | Mapping[int, int] = frozenset()
    taken_back_from: Collection[int] = frozenset()  # released by a person's withdrawal


@dataclass(frozen=True)
class Worker:
    """A technician as the rules see them."""

    id: int
    county: str
    skills: Collection[str]
    qualifications: Collection[str]
    lng: float
    lat: float
    daily_capacity: int
    load: int  # orders held now
    active: bool = True


# -- the predicates (central dispatch applies them to whole arrays) -------------------------


@cache
def city_of(county: str | None) -> str:
    """The city a county belongs to, as a four-digit adcode prefix ('' without a county)."""
    if not county:
        return ""
    city = load_regions().city_of(county)
    return (city.adcode if city else county)[:4]


def same_city(a: str | None, b: str | None) -> bool:
    """Both counties known and in one city."""
    return bool(a) and bool(b) and city_of(a) == city_of(b)


def required(skills: Iterable[str], service_type: str | None,
             policy: RegionPolicy) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skills (the order's, then the policy's for its service type) and qualifications a
    technician needs, each once, in that order."""
    kind = service_type or ""
    needed = dict.fromkeys(skills)
    needed.update(dict.fromkeys(policy.required_skills.get(kind, ())))
    return tuple(needed), tuple(dict.fromkeys(policy.required_qualifications.get(kind, ())))


def missing(needed: Iterable[str], held: Collection[str]) -> tuple[str, ...]:
    """What of `needed` the technician does not hold, in the order needed."""
    return tuple(n for n in needed if n not in held)


def has_all(needed: frozenset[str], held: frozenset[str]) -> bool:
    """The set form of `not missing(...)`, for callers that test many technicians."""
    return needed <= held


def has_room(load: int, daily_capacity: int) -> bool:
    return load < daily_capacity


def distance_km(lng1: float, lat1: float, lng2: float | None, lat2: float | None) -> float | None:
    """From home to the order, to the metre (as central computes it over arrays); None when
    the order has no location."""
    if lng2 is None or lat2 is None or isnan(lng2) or isnan(lat2):
        return None
    return round(haversine_km(lng1, lat1, lng2, lat2) * 1000) / 1000


def within_reach(km: float | None, limit_km: int) -> bool:
    """The distance limit (0: none). An order without a location is judged by the other rules
    alone: its distance is not known, so no limit can be broken."""
    return not limit_km or km is None or isnan(km) or km <= limit_km


def distances_km(lng1: FloatArray, lat1: FloatArray, lng2: FloatArray,
                 lat2: FloatArray) -> FloatArray:
    """`distance_km` element by element (NaN where the order has no location)."""
    import numpy as np

    return np.rint(haversine_m(lng1, lat1, lng2, lat2)) / 1000


def within_reach_all(km: FloatArray, limit_km: int) -> BoolArray:
    """`within_reach` element by element (NaN: no location)."""
    import numpy as np

    if not limit_km:
        return np.ones(km.shape, dtype=bool)
    return np.isnan(km) | (km <= limit_km)


# -- the rule -------------------------------------------------------------------------------


def breaks(job: Job, who: Worker, policy: RegionPolicy,
           km: float | None = None) -> list[Break]:
    """Every rule the technician would break by taking the order, in Rule order (empty: they
    may). `km` is the distance when the caller has it already (else computed here)."""
    found: list[Break] = []
    if not who.active:
        found.append(Break(Rule.INACTIVE))
    skills, quals = required(job.skills, job.service_type, policy)
    lacking = missing(skills, who.skills)
    if lacking:
        found.append(Break(Rule.MISSING_SKILLS, names=lacking))
    lacking = missing(quals, who.qualifications)
    if lacking:
        found.append(Break(Rule.MISSING_QUALIFICATIONS, names=lacking))
    if not same_city(job.county, who.county):
        found.append(Break(Rule.OTHER_CITY))
    if not has_room(who.load, who.daily_capacity):
        found.append(Break(Rule.FULL, load=who.load, capacity=max(who.daily_capacity, 0)))
    if km is None:
        km = distance_km(who.lng, who.lat, job.lng, job.lat)
    if not within_reach(km, policy.max_distance_km):
        assert km is not None
        found.append(Break(Rule.TOO_FAR, km=km, limit_km=policy.max_distance_km))
    if who.id in job.turned_down_by:
        times = job.turned_down_by[who.id] if isinstance(job.turned_down_by, Mapping) else 0
        found.append(Break(Rule.TURNED_DOWN, times=times))
    elif who.id in job.taken_back_from:
        found.append(Break(Rule.TAKEN_BACK))
    return found


def first_break(job: Job, who: Worker, policy: RegionPolicy,
                km: float | None = None) -> Break | None:
    """The first rule broken, or None when the technician may take the order."""
    found = breaks(job, who, policy, km)
    return found[0] if found else None

