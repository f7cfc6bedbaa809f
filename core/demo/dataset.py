"""A deterministic demo world: service points, technicians and incoming orders in five cities."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from faker import Faker

from core.contracts.orders import ItemIn, OrderCreate
from core.demo.catalogue import (
    ACCESSORIES,
    COMPOUND_HEADS,
    COMPOUND_TAILS,
    DEMO_CITIES,
    PLATFORM_WEIGHTS,
    PRODUCTS,
    REPAIR_FEE_FEN,
    SERVICE_WEIGHTS,
    SKILLS,
    DemoCity,
    Product,
    choose_weighted,
    platform_order_id,
    skill_for_sku,
)
from core.demo.policies import DEMO_POLICIES, QUALIFICATIONS
from core.geo.distance import haversine_km
from core.geo.regions import Region, RegionIndex, load_regions
from core.orders.lifecycle import ServiceType

KM_PER_DEG_LAT = 111.32
MAX_SCATTER_KM = 5.0
# Province-level cities (北京, 上海, ...) name the city once in an address, not twice.
STREET_SUFFIXES = ("路", "路", "街", "大道", "东路", "西路")
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


@dataclass(frozen=True)
class DemoServicePoint:
    key: str
    name: str
    county_adcode: str
    daily_capacity: int = 0  # orders a day; 0: only its technicians' own limits


@dataclass(frozen=True)
class DemoTechnician:
    key: str
    username: str
    name: str
    phone: str
    skills: tuple[str, ...]
    county_adcode: str
    service_point_key: str
    home_lng: float
    home_lat: float
    daily_capacity: int
    rating: float = 4.5  # customers' average, 0.0-5.0
    qualifications: tuple[str, ...] = ()  # certificates such as 高空作业证


@dataclass(frozen=True)
class DemoDataset:
    service_points: tuple[DemoServicePoint, ...]
    technicians: tuple[DemoTechnician, ...]
    orders: list[OrderCreate]
    # Seed for the orders' past (core.demo.history); None: they all arrive new, just now.
    history_seed: int | None = None
    # Region dispatch policies by scope ('' = the default), as stored bodies.
    policies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def scatter(rng: random.Random, lng: float, lat: float) -> tuple[float, float]:
    """A point a few km from (lng, lat): dense near the centre, never beyond MAX_SCATTER_KM."""
    r = min(MAX_SCATTER_KM * 0.95, abs(rng.gauss(0.0, 1.8)))
    theta = rng.uniform(0.0, 2 * math.pi)
    dlat = r * math.cos(theta) / KM_PER_DEG_LAT
    dlng = r * math.sin(theta) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lng + dlng, 6), round(lat + dlat, 6)


class _CityMap:
    """The demo cities' counties with centre points and how much demand each draws."""

    def __init__(self, regions: RegionIndex) -> None:
        self.regions = regions
        self.counties: dict[str, list[Region]] = {}
        self.weights: dict[str, list[float]] = {}
        for city in DEMO_CITIES:
            centre = _required(regions, city.adcode)
            counties = [c for c in regions.counties_of(city.adcode) if c.level == "county"]
            self.counties[city.adcode] = counties
            # Demand thins out with distance from downtown: outer counties see few orders.
            self.weights[city.adcode] = [
                1.0 / (1.0 + self._distance(centre, c) / 8.0) for c in counties
            ]

    def centre(self, county: Region) -> tuple[float, float]:
        if county.lng is not None and county.lat is not None:
            return county.lng, county.lat
        # A few new counties have no centre of their own: fall back to their city's.
        city = _required(self.regions, county.parent or "")
        assert city.lng is not None and city.lat is not None
        return city.lng, city.lat

    def pick_county(self, rng: random.Random, city: DemoCity) -> Region:
        return rng.choices(self.counties[city.adcode], weights=self.weights[city.adcode])[0]

    def near(self, county: Region, km: float) -> list[Region]:
        assert county.parent is not None
        return [c for c in self.counties[county.parent] if self._distance(county, c) <= km]

    def _distance(self, a: Region, b: Region) -> float:
        (lng1, lat1), (lng2, lat2) = self.centre(a), self.centre(b)
        return haversine_km(lng1, lat1, lng2, lat2)


def _required(regions: RegionIndex, adcode: str) -> Region:
    region = regions.get(adcode)
    if region is None:
        raise LookupError(f"region {adcode} is missing from the region data")
    return region


class OrderFactory:
    """Realistic incoming orders, the same sequence for the same seed."""

    def __init__(self, seed: int = 7, *, regions: RegionIndex | None = None) -> None:
        self._rng = random.Random(seed)
        self._fake = Faker("zh_CN")
        self._fake.seed_instance(seed)
        self._map = _CityMap(regions or load_regions())
        self._issued: set[tuple[str, str]] = set()

    def next(self) -> OrderCreate:
        rng = self._rng
        city = rng.choices(DEMO_CITIES, weights=[c.demand for c in DEMO_CITIES])[0]
        county = self._map.pick_county(rng, city)
        city_region = _required(self._map.regions, city.adcode)
        province = _required(self._map.regions, city_region.parent or "")
        lng, lat = scatter(rng, *self._map.centre(county))
        service_type = choose_weighted(rng, SERVICE_WEIGHTS)
        items = self._items(service_type)
        platform = choose_weighted(rng, PLATFORM_WEIGHTS)
        return OrderCreate(
            platform=platform,
            platform_order_id=self._unique_id(platform),
            customer_name=self._fake.name(),
            customer_phone=self._fake.phone_number(),
            address=self._address(province, city_region, county),
            province=province.name,
            city=city_region.name,
            county_adcode=county.adcode,
            lng=lng,
            lat=lat,
            service_type=service_type,
            skills=sorted({_skill_of(i.sku) for i in items}),
            items=items,
        )

    def _unique_id(self, platform: str) -> str:
        while True:
            pid = platform_order_id(platform, self._rng)
            if (platform, pid) not in self._issued:
                self._issued.add((platform, pid))
                return pid

    def _items(self, service_type: ServiceType) -> list[ItemIn]:
        rng = self._rng
        if service_type is ServiceType.MEASURE:
            product = rng.choice([p for p in PRODUCTS if p.measurable])
            return [_line(product, 1)]
        product = rng.choice(PRODUCTS)
        if service_type is ServiceType.REPAIR:
            return [ItemIn(sku=f"{product.sku}-R", name=f"{product.name} 维修",
                           quantity=1, unit_price_fen=REPAIR_FEE_FEN[product.skill])]
        if service_type is ServiceType.RETURN_VISIT:
            # Return visits follow an earlier installation and are not charged.
            return [ItemIn(sku=f"{product.sku}-RV", name=f"{product.name} 安装回访",
                           quantity=1, unit_price_fen=0)]
        quantity = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        lines = [_line(product, quantity)]
        extras = ACCESSORIES.get(product.skill, ())
        if extras and rng.random() < 0.3:
            lines.append(_line(rng.choice(extras), rng.randint(1, 2)))
        if product.skill != "general" and rng.random() < 0.08:
            # A small add-on bought with it (a clothes rack, a lock) that any technician with
            # general skills fits on the same visit.
            lines.append(_line(rng.choice([p for p in PRODUCTS if p.skill == "general"]), 1))
        return lines

    def _address(self, province: Region, city: Region, county: Region) -> str:
        rng, fake = self._rng, self._fake
        head = province.name if province.adcode in MUNICIPALITIES else province.name + city.name
        # Streets named after other cities (南京路, 济南路) are common; surname streets are not.
        street = f"{fake.city_name()}{rng.choice(STREET_SUFFIXES)}{rng.randint(1, 999)}号"
        compound = rng.choice(COMPOUND_HEADS) + rng.choice(COMPOUND_TAILS)
        building = f"{rng.randint(1, 28)}栋{rng.randint(1, 4)}单元"
        room = f"{rng.randint(1, 32)}{rng.randint(1, 4):02d}室"
        return f"{head}{county.name}{street}{compound}{building}{room}"


def _line(product: Product, quantity: int) -> ItemIn:
    return ItemIn(sku=product.sku, name=product.name, quantity=quantity,
                  unit_price_fen=product.price_fen)


def _skill_of(sku: str) -> str:
    skill = skill_for_sku(sku)
    assert skill is not None, sku
    return skill


def _short(name: str) -> str:
    for suffix in ("新区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _staff(seed: int, regions: RegionIndex) -> tuple[list[DemoServicePoint], list[DemoTechnician]]:
    # A separate random stream, so the staff stay the same whatever the number of orders.
    rng = random.Random(seed * 7919 + 1)
    fake = Faker("zh_CN")
    fake.seed_instance(seed * 7919 + 1)
    city_map = _CityMap(regions)
    specialties = [s for s in SKILLS if s != "general"]
    points: list[DemoServicePoint] = []
    technicians: list[DemoTechnician] = []
    for city in DEMO_CITIES:
        city_points = []
        for suffix, adcode in city.points:
            county = _required(regions, adcode)
            point = DemoServicePoint(
                key=f"{city.abbr}-{suffix}",
                name=f"{city.short_name}{_short(county.name)}服务网点",
                county_adcode=adcode,
            )
            city_points.append((point, county))
        points.extend(p for p, _ in city_points)
        offset = rng.randrange(len(specialties))
        for i in range(rng.randint(8, 12)):
            point, point_county = city_points[i % len(city_points)]
            # Most live in their point's county, the rest in a neighbouring one.
            home_county = (
                point_county if rng.random() < 0.6
                else rng.choice(city_map.near(point_county, 15.0))
            )
            # Rotating the first specialty covers every skill in every city.
            skills = {specialties[(offset + i) % len(specialties)]}
            skills.update(rng.sample(specialties, rng.randint(0, 2)))
            if rng.random() < 0.8:
                skills.add("general")
            lng, lat = scatter(rng, *city_map.centre(home_county))
            technicians.append(DemoTechnician(
                key=f"{city.abbr}-{i + 1:02d}",
                username=f"tech_{city.abbr}_{i + 1:02d}",
                name=fake.name(),
                phone=fake.phone_number(),
                skills=tuple(s for s in SKILLS if s in skills),
                county_adcode=home_county.adcode,
                service_point_key=point.key,
                home_lng=lng,
                home_lat=lat,
                daily_capacity=rng.randint(4, 8),
            ))
    return _dispatch_facts(seed, points, technicians)


def _dispatch_facts(
    seed: int, points: list[DemoServicePoint], technicians: list[DemoTechnician]
) -> tuple[list[DemoServicePoint], list[DemoTechnician]]:
    """Ratings, certificates and point capacities: a stream of their own, so the staff's
    names, skills and homes stay what they were before dispatch needed these facts."""
    rng = random.Random(seed * 7919 + 3)
    rated = []
    for tech in technicians:
        held = [name for name, skill, share in QUALIFICATIONS
                if (skill in tech.skills or skill == "*") and rng.random() < share]
        rated.append(replace(tech, rating=round(rng.uniform(3.8, 5.0), 1),
                             qualifications=tuple(dict.fromkeys(held))))
    # A point takes most, not all, of what its technicians could: its capacity can bind.
    room = {p.key: 0 for p in points}
    for tech in rated:
        room[tech.service_point_key] += tech.daily_capacity
    sized = [replace(p, daily_capacity=max(4, room[p.key] * 4 // 5)) for p in points]
    return sized, rated


def build(seed: int = 7, orders: int = 300, *, history: bool = True) -> DemoDataset:
    """The demo world for a seed: the same seed always gives the same data.

    With `history` the orders form a backlog of the last few days, each as far along as such an
    order would be by now (seeding walks them through the rules); without, they are all new.
    """
    regions = load_regions()
    points, technicians = _staff(seed, regions)
    factory = OrderFactory(seed, regions=regions)
    return DemoDataset(
        service_points=tuple(points),
        technicians=tuple(technicians),
        orders=[factory.next() for _ in range(orders)],
        history_seed=seed if history else None,
        policies=DEMO_POLICIES,
    )
