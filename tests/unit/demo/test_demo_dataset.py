"""The demo dataset: the same for a seed, and shaped like real orders in real places."""

from __future__ import annotations

import re

import pytest

from core.contracts.orders import OrderCreate
from core.demo.catalogue import DEMO_CITIES, SKILLS, skill_for_sku
from core.demo.dataset import MAX_SCATTER_KM, DemoDataset, build
from core.geo.distance import haversine_km
from core.geo.regions import load_regions

DEMO_CITY_CODES = {c.adcode for c in DEMO_CITIES}


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return build(seed=7, orders=300)


def _county_centre(adcode: str) -> tuple[float, float]:
    regions = load_regions()
    county = regions.get(adcode)
    assert county is not None
    if county.lng is None or county.lat is None:
        city = regions.get(county.parent or "")
        assert city is not None and city.lng is not None and city.lat is not None
        return city.lng, city.lat
    return county.lng, county.lat


def test_same_seed_builds_the_same_dataset(dataset: DemoDataset) -> None:
    again = build(seed=7, orders=300)

    assert again == dataset


def test_another_seed_builds_another_dataset(dataset: DemoDataset) -> None:
    other = build(seed=8, orders=300)

    assert other.orders != dataset.orders
    assert other.technicians != dataset.technicians


def test_staff_do_not_depend_on_the_number_of_orders(dataset: DemoDataset) -> None:
    few = build(seed=7, orders=5)

    assert few.technicians == dataset.technicians
    assert few.orders == dataset.orders[:5]


def test_orders_validate_as_wire_orders(dataset: DemoDataset) -> None:
    assert len(dataset.orders) == 300
    for order in dataset.orders:
        OrderCreate.model_validate(order.model_dump(mode="json"))


def test_orders_are_in_demo_counties_with_matching_names(dataset: DemoDataset) -> None:
    regions = load_regions()
    for order in dataset.orders:
        county = regions.get(order.county_adcode or "")
        assert county is not None and county.level == "county"
        city = regions.get(county.parent or "")
        assert city is not None and city.adcode in DEMO_CITY_CODES
        province = regions.get(city.parent or "")
        assert province is not None
        assert (order.province, order.city) == (province.name, city.name)
        assert order.address.startswith(province.name)
        assert county.name in order.address


def test_orders_lie_within_a_few_km_of_their_county_centre(dataset: DemoDataset) -> None:
    for order in dataset.orders:
        assert order.lng is not None and order.lat is not None
        lng, lat = _county_centre(order.county_adcode or "")
        assert haversine_km(lng, lat, order.lng, order.lat) <= MAX_SCATTER_KM


def test_customer_phones_are_mainland_mobiles(dataset: DemoDataset) -> None:
    for order in dataset.orders:
        assert re.fullmatch(r"1[3-9]\d{9}", order.customer_phone), order.customer_phone


def test_money_is_integer_fen(dataset: DemoDataset) -> None:
    for order in dataset.orders:
        for item in order.items:
            assert type(item.unit_price_fen) is int and item.unit_price_fen >= 0


def test_order_skills_are_those_its_items_need(dataset: DemoDataset) -> None:
    for order in dataset.orders:
        needed = {skill_for_sku(item.sku) for item in order.items}
        assert None not in needed
        assert sorted(needed) == order.skills  # type: ignore[type-var]


@pytest.mark.parametrize(
    ("platform", "pattern"),
    [
        ("tmall", r"[1-9]\d{17,18}"),
        ("taobao", r"[1-9]\d{17,18}"),
        ("jd", r"[1-9]\d{11}"),
        ("suning", r"SN\d{14}"),
        ("erp", r"ERP\d{12}"),
        ("own", r"SHOP\d{12}"),
    ],
)
def test_platform_order_ids_look_like_the_platforms_own(
    dataset: DemoDataset, platform: str, pattern: str
) -> None:
    ids = [o.platform_order_id for o in dataset.orders if o.platform == platform]

    assert ids, f"no {platform} orders in 300"
    for pid in ids:
        assert re.fullmatch(pattern, pid), pid


def test_service_types_are_mostly_installations(dataset: DemoDataset) -> None:
    installs = sum(o.service_type == "install" for o in dataset.orders)
    repairs = sum(o.service_type == "repair" for o in dataset.orders)

    assert 0.4 < installs / 300 < 0.7
    assert 0.15 < repairs / 300 < 0.35
    assert {o.service_type for o in dataset.orders} == {
        "install", "repair", "measure", "return_visit"
    }


def test_every_demo_city_has_orders_service_points_and_technicians(
    dataset: DemoDataset,
) -> None:
    regions = load_regions()

    def city_of(adcode: str) -> str:
        county = regions.get(adcode)
        assert county is not None and county.parent is not None
        return county.parent

    for city in DEMO_CITY_CODES:
        points = [p for p in dataset.service_points if city_of(p.county_adcode) == city]
        techs = [t for t in dataset.technicians if city_of(t.county_adcode) == city]
        assert 2 <= len(points) <= 3
        assert 8 <= len(techs) <= 12
        assert any(city_of(o.county_adcode or "") == city for o in dataset.orders)


def test_service_points_are_named_after_city_and_county(dataset: DemoDataset) -> None:
    names = {p.key: p.name for p in dataset.service_points}

    assert names["hz-xihu"] == "杭州西湖服务网点"
    assert names["sh-pudong"] == "上海浦东服务网点"
    assert len(set(names.values())) == len(names)


def test_technicians_are_plausible(dataset: DemoDataset) -> None:
    point_keys = {p.key for p in dataset.service_points}
    usernames = [t.username for t in dataset.technicians]
    assert len(set(usernames)) == len(usernames)
    for tech in dataset.technicians:
        assert re.fullmatch(r"tech_(bj|sh|hz|gz|cd)_\d{2}", tech.username)
        assert re.fullmatch(r"1[3-9]\d{9}", tech.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", tech.name)
        assert tech.skills and set(tech.skills) <= set(SKILLS)
        assert 4 <= tech.daily_capacity <= 8
        assert tech.service_point_key in point_keys
        lng, lat = _county_centre(tech.county_adcode)
        assert haversine_km(lng, lat, tech.home_lng, tech.home_lat) <= MAX_SCATTER_KM


def test_every_city_has_someone_for_every_skill(dataset: DemoDataset) -> None:
    for city in DEMO_CITIES:
        techs = [t for t in dataset.technicians if t.username.startswith(f"tech_{city.abbr}_")]
        covered = {s for t in techs for s in t.skills}

        assert covered == set(SKILLS), city.short_name
