"""The demo's dispatch world: valid region policies, ratings, certificates, point capacities,
seeded into a new demo database and added once to an older one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset, build
from core.demo.policies import DEMO_POLICIES, HEIGHT_WORK, PARTNER_SHARES
from core.demo.seed import add_missing_intake, seed_demo
from core.dispatch.policy import effective, parse_body
from core.orders.lifecycle import DispatchMode
from core.storage.db import make_engine, migrate
from core.storage.dispatch.policies import effective_for
from core.storage.tables import DispatchPolicyRecord, ServicePointRecord, TechnicianRecord


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return build(seed=7, orders=4, history=False)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.mark.parametrize("scope", sorted(DEMO_POLICIES))
def test_every_demo_policy_body_is_one_the_policy_rules_accept(scope: str) -> None:
    parsed = parse_body(DEMO_POLICIES[scope])

    assert set(parsed) == set(DEMO_POLICIES[scope])


def test_the_default_ladder_is_central_then_grab_then_a_person() -> None:
    policy = effective("110105", DEMO_POLICIES).policy

    assert [(s.mode, s.minutes) for s in policy.stages] == [
        (DispatchMode.AUTO, 5), (DispatchMode.GRAB, 30), (DispatchMode.MANUAL, None)]
    assert (policy.accept_minutes, policy.max_refusals, policy.grab_floor_fen) == (30, 2, 3000)


def test_each_region_rule_reaches_its_counties(dataset: DemoDataset) -> None:
    hangzhou = effective("330106", DEMO_POLICIES)
    chengdu = effective("510107", DEMO_POLICIES)
    shanghai = effective("310115", DEMO_POLICIES)

    assert dict(hangzhou.policy.point_shares) == {"hz-xihu": 60, "hz-xiaoshan": 40}
    assert hangzhou.sources["point_shares"] == "330100"
    assert [s.mode for s in chengdu.policy.stages] == [DispatchMode.GRAB, DispatchMode.MANUAL]
    assert chengdu.sources["stages"] == "510000"  # from the province
    assert shanghai.policy.required_qualifications == {"install": (HEIGHT_WORK,)}
    assert effective("110105", DEMO_POLICIES).policy.required_qualifications == {}


def test_the_partner_points_share_one_city(dataset: DemoDataset) -> None:
    points = {p.key: p for p in dataset.service_points}

    assert set(PARTNER_SHARES) <= set(points)
    assert {points[k].county_adcode[:4] for k in PARTNER_SHARES} == {"3301"}
    staffed = {t.service_point_key for t in dataset.technicians}
    assert set(PARTNER_SHARES) <= staffed


def test_technicians_have_ratings_certificates_and_points_capacities(
    dataset: DemoDataset,
) -> None:
    ratings = [t.rating for t in dataset.technicians]
    shanghai = [t for t in dataset.technicians if t.county_adcode.startswith("3101")]

    assert all(3.8 <= r <= 5.0 for r in ratings) and len(set(ratings)) > 5
    assert any(not t.qualifications for t in dataset.technicians)
    # Shanghai's installs need the certificate: most, not all, of its technicians hold it.
    holders = [t for t in shanghai if HEIGHT_WORK in t.qualifications]
    assert len(shanghai) // 2 <= len(holders) < len(shanghai)
    for point in dataset.service_points:
        own = sum(t.daily_capacity for t in dataset.technicians
                  if t.service_point_key == point.key)
        assert 0 < point.daily_capacity <= own


def test_dispatch_facts_leave_the_staff_as_they_were(dataset: DemoDataset) -> None:
    # Names, skills and homes come from their own random stream, unchanged by the new facts.
    first = dataset.technicians[0]

    assert (first.username, first.skills) == ("tech_bj_01", ("aircon", "general"))
    assert build(seed=7, orders=0).technicians == dataset.technicians


def test_seeding_writes_the_policies_as_the_admin_at_version_1(
    engine: Engine, dataset: DemoDataset
) -> None:
    seed_demo(engine, dataset)

    with Session(engine) as session:
        rows = {r.scope: r for r in session.scalars(select(DispatchPolicyRecord))}
        techs = {t.key: t for t in session.scalars(select(TechnicianRecord))}
        points = {p.key: p.daily_capacity for p in session.scalars(select(ServicePointRecord))}
        chengdu = effective_for(session, "510107").policy
    assert {s: r.body for s, r in rows.items()} == DEMO_POLICIES
    assert {(r.version, r.updated_by) for r in rows.values()} == {(1, "admin")}
    profile = dataset.technicians[3]
    assert (techs[profile.key].rating, techs[profile.key].qualifications) == (
        profile.rating, list(profile.qualifications))
    assert points == {p.key: p.daily_capacity for p in dataset.service_points}
    assert chengdu.stages[0].mode is DispatchMode.GRAB


def test_an_older_demo_database_gets_the_dispatch_setup_once(
    engine: Engine, dataset: DemoDataset
) -> None:
    seed_demo(engine, dataset)
    with Session(engine) as session, session.begin():
        # As a demo database seeded before dispatch would be: no policies, default facts.
        session.execute(delete(DispatchPolicyRecord))
        session.execute(update(TechnicianRecord).values(rating=4.5, qualifications=[]))
        session.execute(update(ServicePointRecord).values(daily_capacity=0))

    assert add_missing_intake(engine, dataset) is True
    assert add_missing_intake(engine, dataset) is False  # once only
    with Session(engine) as session:
        assert set(session.scalars(select(DispatchPolicyRecord.scope))) == set(DEMO_POLICIES)
        ratings = set(session.scalars(select(TechnicianRecord.rating)))
        capacities = set(session.scalars(select(ServicePointRecord.daily_capacity)))
    assert ratings == {t.rating for t in dataset.technicians}
    assert 0 not in capacities


def test_a_dataset_without_policies_seeds_none(engine: Engine, dataset: DemoDataset) -> None:
    seed_demo(engine, replace(dataset, policies={}))

    assert add_missing_intake(engine, replace(dataset, policies={})) is False
    with Session(engine) as session:
        assert session.scalars(select(DispatchPolicyRecord)).all() == []
