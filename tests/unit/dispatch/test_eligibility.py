"""Who may take an order: one rule (core.dispatch.eligibility), and grab, ranking and central
dispatch agree with it on every case of the table."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pytest
from test_engine_support import LAT, LNG, order, snapshot, tech

from core.dispatch import eligibility
from core.dispatch.central_candidates import candidates
from core.dispatch.eligibility import Break, Job, Rule, Worker
from core.dispatch.eligibility_text import for_technician, words
from core.dispatch.policy import RegionPolicy, effective
from core.dispatch.ranking import Context, OrderNeeds, Technician, rank_one
from core.geo.regions import load_regions
from core.orders.lifecycle import ServiceType
from core.storage.grab.eligibility import Claimant, why_not
from core.storage.tables import OrderRecord, TechnicianRecord

XIHU, YUHANG, NINGBO = "330106", "330110", "330206"  # Hangzhou, Hangzhou, Ningbo


@dataclass(frozen=True)
class Case:
    """One order and one technician, and the rules the technician would break."""

    name: str
    job: dict[str, Any] = field(default_factory=dict)
    worker: dict[str, Any] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)  # a policy body, as stored
    broken: tuple[Rule, ...] = ()
    central: bool = True  # central dispatch sees only active technicians


FAR = LAT + 0.6  # about 67 km north
CASES = [
    Case("eligible"),
    Case("missing skill", worker={"skills": ("general",)}, broken=(Rule.MISSING_SKILLS,)),
    Case("skill the policy requires for the service type",
         policy={"required_skills": {"install": ["water_heater"]}},
         broken=(Rule.MISSING_SKILLS,)),
    Case("skill the policy requires for another type",
         policy={"required_skills": {"repair": ["water_heater"]}}),
    Case("missing qualification", policy={"required_qualifications": {"install": ["高空作业证"]}},
         broken=(Rule.MISSING_QUALIFICATIONS,)),
    Case("qualification held", policy={"required_qualifications": {"install": ["高空作业证"]}},
         worker={"qualifications": ("高空作业证",)}),
    Case("another city", worker={"county": NINGBO}, broken=(Rule.OTHER_CITY,)),
    Case("another county of the same city", worker={"county": YUHANG}),
    Case("order without a county", job={"county": ""}, broken=(Rule.OTHER_CITY,)),
    Case("full today", worker={"load": 8, "daily_capacity": 8}, broken=(Rule.FULL,)),
    Case("one slot left", worker={"load": 7, "daily_capacity": 8}),
    Case("beyond the distance limit", worker={"lat": FAR}, policy={"max_distance_km": 50},
         broken=(Rule.TOO_FAR,)),
    Case("no distance limit", worker={"lat": FAR}, policy={"max_distance_km": 0}),
    Case("order without a location", job={"lng": None, "lat": None}, worker={"lat": FAR},
         policy={"max_distance_km": 50}),
    Case("refused or timed out before", job={"turned_down_by": frozenset({1})},
         broken=(Rule.TURNED_DOWN,)),
    Case("taken back before", job={"taken_back_from": frozenset({1})},
         broken=(Rule.TAKEN_BACK,)),
    Case("inactive", worker={"active": False}, broken=(Rule.INACTIVE,), central=False),
    Case("several at once", worker={"skills": (), "county": NINGBO, "load": 3,
                                    "daily_capacity": 3},
         broken=(Rule.MISSING_SKILLS, Rule.OTHER_CITY, Rule.FULL)),
]
IDS = [c.name for c in CASES]


def job_of(case: Case) -> Job:
    values: dict[str, Any] = dict(county=XIHU, skills=("aircon",), service_type="install",
                                  lng=LNG, lat=LAT)
    values.update(case.job)
    return Job(**values)


def worker_of(case: Case) -> Worker:
    values: dict[str, Any] = dict(id=1, county=XIHU, skills=("aircon", "general"),
                                  qualifications=(), lng=LNG, lat=LAT, daily_capacity=8,
                                  load=2)
    values.update(case.worker)
    return Worker(**values)


def policy_of(case: Case) -> RegionPolicy:
    return effective(XIHU, {"": case.policy}).policy


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_rule_reports_each_broken_rule_in_order(case: Case) -> None:
    found = eligibility.breaks(job_of(case), worker_of(case), policy_of(case))
    assert tuple(b.rule for b in found) == case.broken


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_ranking_shows_the_rules_breaks_in_the_desks_words(case: Case) -> None:
    job, who = job_of(case), worker_of(case)
    needs = OrderNeeds(job.county, tuple(job.skills), job.lng, job.lat, job.service_type,
                       refused_by=frozenset(job.turned_down_by),
                       taken_back_from=frozenset(job.taken_back_from))
    technician = Technician(who.id, tuple(who.skills), who.county, who.lng, who.lat,
                            who.daily_capacity, who.load, qualifications=tuple(who.qualifications),
                            active=who.active)

    ranked = rank_one(needs, technician, load_regions(), Context(policy=policy_of(case)))

    expected = eligibility.breaks(job, who, policy_of(case))
    assert ranked.breaks == [words(b) for b in expected]
    assert ranked.eligible is (not case.broken)
    assert ranked.skills_ok is (Rule.MISSING_SKILLS not in case.broken)
    assert ranked.region_ok is (Rule.OTHER_CITY not in case.broken)
    assert ranked.has_capacity is (Rule.FULL not in case.broken)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_grab_refuses_with_the_first_broken_rule_in_the_technicians_words(case: Case) -> None:
    job, who = job_of(case), worker_of(case)
    row = OrderRecord(id=7, county_adcode=job.county, skills=list(job.skills),
                      service_type=job.service_type, lng=job.lng, lat=job.lat)
    record = TechnicianRecord(id=who.id, name="王师傅", county_adcode=who.county,
                              skills=list(who.skills), qualifications=list(who.qualifications),
                              home_lng=who.lng, home_lat=who.lat,
                              daily_capacity=who.daily_capacity, active=who.active)
    # The pool's "turned down" is every release (turned down or taken back).
    refused = who.id in job.turned_down_by or who.id in job.taken_back_from

    reason = why_not(Claimant(record, who.load), row, policy_of(case), refused_before=refused)

    if not case.broken:
        assert reason is None
    else:
        first = eligibility.first_break(job, who, policy_of(case))
        assert first is not None
        if first.rule is Rule.TAKEN_BACK:  # why_not's flag does not say which release it was
            first = Break(Rule.TURNED_DOWN)
        assert reason == for_technician(first)


@pytest.mark.parametrize("case", [c for c in CASES if c.central], ids=[
    c.name for c in CASES if c.central])
def test_central_dispatch_offers_exactly_the_eligible_pairs(case: Case) -> None:
    job, who = job_of(case), worker_of(case)
    waiting = order(1, county=job.county or "", skills=tuple(job.skills),
                    service_type=ServiceType(job.service_type), lng=job.lng, lat=job.lat,
                    excluded=frozenset(job.turned_down_by) | frozenset(job.taken_back_from))
    technician = replace(tech(who.id, county=who.county, skills=tuple(who.skills),
                              capacity=who.daily_capacity, load=who.load,
                              qualifications=tuple(who.qualifications)), lng=who.lng, lat=who.lat)

    batch, unplaced, techs = candidates([waiting], snapshot([waiting], [technician],
                                                            body=case.policy))

    offered = [techs[int(i)].id for i in batch.tech]
    assert offered == ([] if case.broken else [who.id])
    assert len(unplaced) == (1 if case.broken else 0)


@pytest.mark.parametrize(("county", "city"), [
    (XIHU, "3301"), (YUHANG, "3301"), (NINGBO, "3302"),
    ("429004", "4290"),  # 仙桃: a county-level city under the province's directly-run group
    ("330199", "3301"),  # a code the region index does not know: the adcode rule
    ("", ""),
])
def test_one_city_test(county: str, city: str) -> None:
    assert eligibility.city_of(county) == city


def test_counties_without_a_code_are_never_in_the_same_city() -> None:
    assert not eligibility.same_city("", "")
    assert not eligibility.same_city(None, XIHU)
    assert eligibility.same_city("330199", XIHU)


def test_the_array_forms_agree_with_the_rule() -> None:
    rng = random.Random(7)
    points = [(LNG + rng.uniform(-1, 1), LAT + rng.uniform(-1, 1)) for _ in range(300)]
    points.append((math.nan, math.nan))
    lng2 = np.array([p[0] for p in points])
    lat2 = np.array([p[1] for p in points])
    km = eligibility.distances_km(np.full(len(points), LNG), np.full(len(points), LAT), lng2,
                                  lat2)
    for (x, y), d in zip(points, km.tolist(), strict=True):
        one = eligibility.distance_km(LNG, LAT, x, y)
        assert (one is None and math.isnan(d)) or one == pytest.approx(d, abs=0.0011)
    for limit in (0, 30, 50):
        together = eligibility.within_reach_all(km, limit).tolist()
        assert together == [eligibility.within_reach(d, limit) for d in km.tolist()]


def test_breaks_carry_their_parameters_for_the_words() -> None:
    full = Break(Rule.FULL, load=8, capacity=8)
    far = Break(Rule.TOO_FAR, km=66.7, limit_km=50)
    lacking = Break(Rule.MISSING_SKILLS, names=("aircon", "water_heater"))

    assert full.params == {"load": 8, "capacity": 8}
    assert (words(full), words(full, "en")) == ("今日已满 8/8 单", "no capacity left today (8/8)")
    assert words(far) == "超出最远距离 50 公里"
    assert for_technician(far) == "距离 66.7 公里，超出 50 公里上限 (too far: 66.7 km > 50 km)"
    assert words(lacking) == "缺少技能「空调、热水器」"
    assert for_technician(lacking) == ("缺少技能：空调、热水器 "
                                       "(missing skills: aircon, water_heater)")
    assert words(Break(Rule.TURNED_DOWN)) == "曾拒绝此单"
    assert Break(Rule.TURNED_DOWN, times=8).params == {"times": 8}
    assert (words(Break(Rule.TURNED_DOWN, times=8)),
            words(Break(Rule.TURNED_DOWN, times=8), "en")) == (
        "曾拒绝此单 8 次", "refused or let this order time out 8 times before")
    assert {r for r in Rule} == {b for b in Rule if words(Break(b)) and words(Break(b), "en")}

