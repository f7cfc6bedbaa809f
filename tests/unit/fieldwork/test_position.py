"""The check-in position rules (core.fieldwork.position): WGS-84 -> GCJ-02 against published
reference pairs, positions outside China unchanged, what an order's point is, each region's
tolerance, and one outcome per check-in with its flag; the `lastmile geo gcj02` command."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.fieldwork.cli_geo import main as geo_main
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.position import (
    COUNTY_M,
    DISTRICT_M,
    REMOTE_COUNTY_M,
    CheckinRules,
    Fix,
    Outcome,
    PointKind,
    Tolerance,
    ToleranceFrom,
    default_tolerance_m,
    gcj02_to_wgs84,
    in_china,
    judge,
    point_kind,
    region_chain,
    tolerance_for,
    wgs84_to_gcj02,
)
from core.geo.distance import haversine_km
from core.geo.regions import load_regions

# (WGS-84 lat, lng) -> (GCJ-02 lat, lng), as published with two well-known implementations:
# googollee/eviltransform, python/test.py and go/transform_test.go (Shanghai, Shenzhen, Beijing);
# wandergis/coordtransform, README.md (wgs84togcj02(116.404, 39.915) -> [116.41024449916938,
# 39.91640428150164], lng first there).
REFERENCE_PAIRS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),
    ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),
]
M_PER_DEG_LAT = 111_195.08  # on the sphere core.geo.distance measures with
AT = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
DISTRICT = Tolerance(500, ToleranceFrom.RULE)


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE_PAIRS)
def test_conversion_matches_the_published_pairs(wgs: tuple[float, float],
                                                gcj: tuple[float, float]) -> None:
    lat, lng = wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9)
    assert lng == pytest.approx(gcj[1], abs=1e-9)
    # The shift is what makes the conversion matter: hundreds of metres in these cities.
    assert 300 < haversine_km(wgs[1], wgs[0], lng, lat) * 1000 < 800


@pytest.mark.parametrize(("name", "lat", "lng"), [
    ("Sydney", -33.8688, 151.2093), ("London", 51.5074, -0.1278), ("null island", 0.0, 0.0),
    ("Tokyo", 35.6762, 139.6503),  # outside the published algorithm's box
    ("Seoul", 37.5665, 126.9780), ("Ulaanbaatar", 47.9184, 106.9177),
    ("Hanoi", 21.0278, 105.8342), ("Kathmandu", 27.7172, 85.3240),  # inside the box
    ("Taipei", 25.0330, 121.5654),
])
def test_positions_outside_china_are_unchanged(name: str, lat: float, lng: float) -> None:
    assert not in_china(lat, lng), name
    assert wgs84_to_gcj02(lat, lng) == (lat, lng)


@pytest.mark.parametrize(("name", "lat", "lng"), [
    ("Beijing", 39.9042, 116.4074), ("Kashgar", 39.4704, 75.9898), ("Lhasa", 29.6520, 91.1721),
    ("Mohe", 53.4827, 122.3731), ("Hong Kong", 22.3027, 114.1772),
    # Heihe lies in the exclusion rectangles some implementations add; it is China all the same.
    ("Heihe", 50.2453, 127.5283),
    ("Yongxing Island (Sansha)", 16.8340, 112.3386), ("Gulangyu", 24.4470, 118.0640),
])
def test_positions_in_china_are_shifted(name: str, lat: float, lng: float) -> None:
    assert in_china(lat, lng), name
    shifted = wgs84_to_gcj02(lat, lng)
    assert haversine_km(lng, lat, shifted.lng, shifted.lat) > 0.05


def test_an_orders_point_is_an_address_only_when_it_is_not_a_regions_centre() -> None:
    chaoyang = load_regions().get("110105")
    assert chaoyang is not None and chaoyang.lat is not None and chaoyang.lng is not None
    assert point_kind(chaoyang.lat, chaoyang.lng) is PointKind.CENTRE
    # As the database gives it back: the same double, perhaps off in the last bits.
    assert point_kind(chaoyang.lat + 1e-9, chaoyang.lng - 1e-9) is PointKind.CENTRE
    assert point_kind(39.92, 116.45) is PointKind.ADDRESS
    assert point_kind(chaoyang.lat + 0.0001, chaoyang.lng) is PointKind.ADDRESS  # 11 m away
    assert point_kind(None, 116.45) is point_kind(39.92, None) is PointKind.NONE


@pytest.mark.parametrize(("adcode", "metres"), [
    ("110105", DISTRICT_M),  # 北京市朝阳区
    ("650102", DISTRICT_M),  # 乌鲁木齐市天山区: a district, even in Xinjiang
    ("130123", COUNTY_M),  # 河北省正定县
    ("653101", COUNTY_M),  # 喀什市: a county-level city
    ("429021", COUNTY_M),  # 神农架林区: a forest district is rural
    ("654024", REMOTE_COUNTY_M),  # 新疆巩留县
    ("540122", REMOTE_COUNTY_M),  # 西藏当雄县
    ("152921", REMOTE_COUNTY_M),  # 内蒙古阿拉善左旗: a banner
    ("632723", REMOTE_COUNTY_M),  # 青海称多县
    ("999999", COUNTY_M), (None, COUNTY_M),  # unknown: the ordinary county
])
def test_the_default_tolerance_by_kind_of_county(adcode: str | None, metres: int) -> None:
    assert default_tolerance_m(adcode) == metres


def test_a_regions_own_tolerance_the_most_specific_first() -> None:
    assert region_chain("110105") == [("110105", ToleranceFrom.COUNTY),
                                      ("110100", ToleranceFrom.CITY),
                                      ("110000", ToleranceFrom.PROVINCE)]
    assert [code for code, _ in region_chain("441900")] == ["441900", "440000"]  # 东莞
    assert region_chain(None) == region_chain("12") == []
    settings = {"110000": 800, "110100": 700}
    assert tolerance_for("110105", settings) == Tolerance(700, ToleranceFrom.CITY)
    assert tolerance_for("110105", {**settings, "110105": 300}) == Tolerance(
        300, ToleranceFrom.COUNTY)
    assert tolerance_for("110108", {"110000": 800}) == Tolerance(800, ToleranceFrom.PROVINCE)
    assert tolerance_for("310101", settings) == Tolerance(DISTRICT_M, ToleranceFrom.RULE)


def _fix_and_address(metres_north: float, accuracy_m: float = 20.0,
                     age: timedelta = timedelta(minutes=1)) -> tuple[Fix, float, float]:
    """A fix in Beijing and an address point `metres_north` of its GCJ-02 position."""
    fix = Fix(39.9087, 116.3975, accuracy_m, AT - age)
    gcj = wgs84_to_gcj02(fix.lat, fix.lng)
    return fix, gcj.lat + metres_north / M_PER_DEG_LAT, gcj.lng


def test_inside_is_judged_on_the_converted_position() -> None:
    fix, lat, lng = _fix_and_address(0)
    assert haversine_km(fix.lng, fix.lat, lng, lat) * 1000 > 300  # unconverted: far off
    judged = judge(fix, lat, lng, DISTRICT, AT)
    assert judged.outcome is Outcome.INSIDE and judged.flags == ()
    assert judged.distance_m == pytest.approx(0, abs=0.1)
    assert judged.gcj == wgs84_to_gcj02(fix.lat, fix.lng)
    assert judged.text() == ("签到在范围内：距地址 0 米（容差 500 米） "
                             "(inside: 0 m from the address, tolerance 500 m)")


def test_outside_carries_the_distance_and_the_accuracy_counts_in_the_techs_favour() -> None:
    fix, lat, lng = _fix_and_address(2300)
    judged = judge(fix, lat, lng, DISTRICT, AT)
    assert judged.outcome is Outcome.OUTSIDE
    assert judged.distance_m == pytest.approx(2300, abs=1)
    assert judged.flags == (Flag(FlagKind.CHECKIN_OUTSIDE,
                                 {"distance_m": 2300, "tolerance_m": 500, "accuracy_m": 20}),)
    assert "2300 米" in judged.text() and "2300 m" in judged.text()
    # 550 m away: outside with a 40 m fix, inside with a 60 m one (it may have been 490 m).
    assert judge(*_fix_and_address(550, accuracy_m=40), DISTRICT, AT).outcome is Outcome.OUTSIDE
    assert judge(*_fix_and_address(550, accuracy_m=60), DISTRICT, AT).outcome is Outcome.INSIDE


def test_no_position_is_skipped() -> None:
    judged = judge(None, 39.92, 116.45, DISTRICT, AT)
    assert (judged.outcome, judged.distance_m, judged.gcj) == (Outcome.SKIPPED, None, None)
    assert judged.flags == (Flag(FlagKind.CHECKIN_SKIPPED, {}),)


@pytest.mark.parametrize(("age", "stale"), [
    (timedelta(minutes=10), False), (timedelta(minutes=10, seconds=1), True),
    (timedelta(days=1), True),  # yesterday's position
    (-timedelta(minutes=2), False), (-timedelta(minutes=3), True),  # dated after the check-in
])
def test_a_fix_not_taken_at_the_check_in_is_stale(age: timedelta, stale: bool) -> None:
    judged = judge(*_fix_and_address(0, age=age), DISTRICT, AT)
    assert judged.outcome is (Outcome.STALE if stale else Outcome.INSIDE)
    if stale:
        assert judged.flags[0].kind is FlagKind.CHECKIN_STALE
        assert judged.flags[0].detail["age_s"] == int(age.total_seconds())
        assert judged.distance_m is not None  # measured all the same, for the reviewer


def test_a_coarse_fix_is_inaccurate_even_when_it_looks_inside() -> None:
    assert judge(*_fix_and_address(0, accuracy_m=300), DISTRICT, AT).outcome is Outcome.INSIDE
    judged = judge(*_fix_and_address(0, accuracy_m=1500), DISTRICT, AT)
    assert judged.outcome is Outcome.INACCURATE
    assert judged.flags == (Flag(FlagKind.CHECKIN_INACCURATE,
                                 {"distance_m": 0, "accuracy_m": 1500, "limit_m": 300}),)
    strict = CheckinRules(worst_accuracy_m=50)
    assert judge(*_fix_and_address(0, accuracy_m=60), DISTRICT, AT, strict).outcome \
        is Outcome.INACCURATE


def test_a_regions_centre_is_never_taken_for_the_address() -> None:
    chaoyang = load_regions().get("110105")
    assert chaoyang is not None and chaoyang.lat is not None and chaoyang.lng is not None
    far = Fix(31.23, 121.47, 10, AT)  # Shanghai: a thousand km from the centre, still not judged
    for lat, lng, point in ((chaoyang.lat, chaoyang.lng, PointKind.CENTRE),
                            (None, None, PointKind.NONE)):
        judged = judge(far, lat, lng, DISTRICT, AT)
        assert (judged.outcome, judged.point, judged.distance_m) == (
            Outcome.NO_ADDRESS_POINT, point, None)
        assert judged.flags == ()
    # The fix's own faults are still its own.
    assert judge(None, chaoyang.lat, chaoyang.lng, DISTRICT, AT).outcome is Outcome.SKIPPED
    stale = Fix(31.23, 121.47, 10, AT - timedelta(hours=1))
    assert judge(stale, chaoyang.lat, chaoyang.lng, DISTRICT, AT).outcome is Outcome.STALE


def test_the_geo_command_prints_the_gcj02_position(capsys: pytest.CaptureFixture[str]) -> None:
    assert geo_main(["gcj02", "39.915", "116.404"]) == 0
    assert json.loads(capsys.readouterr().out) == {"lat": 39.916404, "lng": 116.410244}
    assert geo_main(["gcj02", "-33.8688", "151.2093"]) == 0  # outside China: unchanged
    assert json.loads(capsys.readouterr().out) == {"lat": -33.8688, "lng": 151.2093}


@pytest.mark.parametrize("args", [["gcj02", "91", "116.4"], ["gcj02", "39.9", "181"],
                                  ["gcj02", "nan", "116.4"], ["gcj02", "north", "116.4"],
                                  ["gcj02", "39.9"]])
def test_the_geo_command_refuses_what_is_not_a_position(
        args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        geo_main(args)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and ("LAT" in captured.err or "LNG" in captured.err)


@pytest.mark.parametrize(("lat", "lng"), [(39.915, 116.404), (31.2304, 121.4737),
                                          (22.5431, 114.0579), (43.8256, 87.6168)])
def test_gcj02_to_wgs84_inverts_the_forward_shift_to_under_a_metre(lat: float,
                                                                  lng: float) -> None:
    back = gcj02_to_wgs84(lat, lng)
    again = wgs84_to_gcj02(back.lat, back.lng)
    assert haversine_km(again.lng, again.lat, lng, lat) * 1000 < 1.0
    assert haversine_km(back.lng, back.lat, lng, lat) * 1000 > 100  # it did move: ~300-600 m


def test_gcj02_to_wgs84_leaves_a_position_outside_china_unchanged() -> None:
    assert gcj02_to_wgs84(37.5665, 126.978) == (37.5665, 126.978)
