"""Check-in over HTTP on SQLite and PostgreSQL: each outcome (inside, outside, skipped, stale,
inaccurate, no address point) recorded with its flag in the same transaction as the order's
check_in; the attacks (another technician's order, a stale version, malformed positions, the
desk without a reason, roles that may not read positions); a region's audited tolerance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from api_tokens import Login
from api_world import SEEDED_AT
from fastapi.testclient import TestClient
from fieldwork_support import technician_id
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.fieldwork.flags import FlagKind
from core.fieldwork.position import Fix, wgs84_to_gcj02
from core.geo.regions import load_regions
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import BACKEND_REASON, Actor
from core.server.app import create_app
from core.services.fieldwork import checkin as checkin_cases
from core.services.fieldwork.checkin import RecordCheckIn, handle_check_in
from core.storage.fieldwork.checkins import CheckInRecord
from core.storage.fieldwork.flags import flags_of
from core.storage.uow import UnitOfWork

ADDRESS = (39.92, 116.45)  # the tiny world's orders: GCJ-02 lat, lng in 北京市朝阳区 (110105)
M_PER_DEG_LAT = 111_195.08
NOW = SEEDED_AT + timedelta(days=1, hours=2)
DESK = Actor("admin", Role.ADMIN)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def api(world: Engine, clock: SimulatedClock) -> Iterator[TestClient]:
    """The API over the world, at the simulated clock's time."""
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


def _appoint(engine: Engine, order_id: int, username: str = "tech1",
             point: tuple[float, float] | None = None) -> int:
    """Take a seeded order to `appointed` for the technician; its version."""
    tech = Actor(username, Role.TECHNICIAN, technician_id(engine, username))
    start = NOW + timedelta(hours=1)
    place = c.Place(lat=point[0], lng=point[1]) if point else c.Place()
    steps: list[tuple[c.Command, Actor]] = [
        (c.Audit(), DESK), (place, DESK), (c.Classify(), DESK), (c.OpenDispatch(), DESK),
        (c.Assign(technician_id=tech.technician_id or 0), DESK), (c.Accept(), tech),
        (c.Appoint(start=start, end=start + timedelta(hours=2)), tech)]
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command, actor in steps:
            order.apply(command, actor, SEEDED_AT + timedelta(hours=1))
        uow.orders.save(order)
        uow.commit()
    return order.version


@pytest.fixture
def appointed(world: Engine) -> int:
    """Order 1, appointed for tech1: its version."""
    return _appoint(world, 1)


def _wgs_at(metres_north: float = 0.0) -> tuple[float, float]:
    """The WGS-84 position whose GCJ-02 position lies `metres_north` of the address."""
    target = (ADDRESS[0] + metres_north / M_PER_DEG_LAT, ADDRESS[1])
    lat, lng = target
    for _ in range(6):  # the shift changes slowly: a few steps invert it to millimetres
        shifted = wgs84_to_gcj02(lat, lng)
        lat, lng = lat - (shifted.lat - target[0]), lng - (shifted.lng - target[1])
    return lat, lng


def _position(metres_north: float = 0.0, accuracy_m: float = 15.0,
              fix_at: datetime | None = None) -> dict[str, Any]:
    lat, lng = _wgs_at(metres_north)
    return {"lat": lat, "lng": lng, "accuracy_m": accuracy_m,
            "fix_at": (fix_at or NOW - timedelta(minutes=1)).isoformat()}


def _check_in(api: TestClient, auth: Login, version: int, position: Any, order_id: int = 1,
              as_: str = "tech1", **extra: Any) -> Response:
    return api.post(f"/v1/orders/{order_id}/check-in", headers=auth(as_),
                    json={"version": version, "position": position, **extra})


def _stored(engine: Engine, order_id: int = 1) -> tuple[int, list[str]]:
    """(check-in rows, flag kinds) of the order."""
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(CheckInRecord)
                              .where(CheckInRecord.order_id == order_id)) or 0
        flags = flags_of(session, [order_id]).get(order_id, [])
    return rows, [f.kind.value for f in flags]


def _state(api: TestClient, auth: Login, order_id: int = 1) -> tuple[str, int]:
    detail = api.get(f"/v1/orders/{order_id}", headers=auth("admin")).json()
    return detail["state"], detail["version"]


def test_inside_checks_in_records_the_position_and_raises_no_flag(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    sent = _position(metres_north=120)

    response = _check_in(api, auth, appointed, sent)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["version"], body["flags"]) == ("checked_in", appointed + 1, [])
    row = body["check_in"]
    assert (row["outcome"], row["point"], row["tolerance_m"], row["tolerance_from"]) == (
        "inside", "address", 500, "rule")
    assert row["distance_m"] == pytest.approx(120, abs=1)
    assert row["position"]["lat"] == pytest.approx(sent["lat"])
    gcj = wgs84_to_gcj02(sent["lat"], sent["lng"])
    assert (row["gcj02"]["lat"], row["gcj02"]["lng"]) == pytest.approx((gcj.lat, gcj.lng))
    assert (row["recorded_by"], row["recorded_role"], row["at"][:19]) == (
        "tech1", "technician", NOW.isoformat()[:19])
    assert body["text"].startswith("签到在范围内：距地址 120 米")
    assert _stored(world) == (1, [])
    timeline = api.get("/v1/orders/1", headers=auth("admin")).json()["timeline"]
    assert timeline[-1]["kind"] == "check_in" and "签到在范围内" in timeline[-1]["reason"]
    # His own check-in's reason is wholly the backend's: the event says so (the console picks).
    assert timeline[-1]["data"][BACKEND_REASON] is True
    listed = api.get("/v1/orders/1/check-ins", headers=auth("agent"))
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [row["id"]]


@pytest.mark.parametrize(("position", "outcome", "flag"), [
    ("far", "outside", FlagKind.CHECKIN_OUTSIDE),
    (None, "skipped", FlagKind.CHECKIN_SKIPPED),
    ("yesterday", "stale", FlagKind.CHECKIN_STALE),
    ("coarse", "inaccurate", FlagKind.CHECKIN_INACCURATE),
])
def test_a_doubtful_check_in_is_recorded_and_flagged_never_refused(
        api: TestClient, auth: Login, world: Engine, appointed: int, position: str | None,
        outcome: str, flag: FlagKind) -> None:
    sent = {"far": _position(metres_north=2300), None: None,
            "yesterday": _position(fix_at=NOW - timedelta(days=1)),
            "coarse": _position(accuracy_m=2000)}[position]

    response = _check_in(api, auth, appointed, sent)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["check_in"]["outcome"]) == ("checked_in", outcome)
    assert [f["kind"] for f in body["flags"]] == [flag.value]
    assert _stored(world) == (1, [flag.value])
    with Session(world) as session:
        tech = flags_of(session, [1])[1][0]
    if outcome == "outside":
        assert body["check_in"]["distance_m"] == pytest.approx(2300, abs=1)
        assert tech.detail["distance_m"] == pytest.approx(2300, abs=1)
        assert body["flags"][0]["text"] == ("签到位置离地址过远 "
                                            "(checked in too far from the address)")
    if outcome == "skipped":
        assert body["check_in"]["position"] is None and body["check_in"]["gcj02"] is None


def test_an_order_with_only_its_county_centre_is_not_judged_by_distance(
        api: TestClient, auth: Login, world: Engine) -> None:
    centre = load_regions().get("110105")
    assert centre is not None and centre.lat is not None and centre.lng is not None
    version = _appoint(world, 2, point=(centre.lat, centre.lng))  # as intake places an order

    response = _check_in(api, auth, version, _position(metres_north=30_000), order_id=2)

    assert response.status_code == 200, response.text
    row = response.json()["check_in"]
    assert (row["outcome"], row["point"], row["distance_m"]) == ("no_address_point", "centre",
                                                                 None)
    assert _stored(world, 2) == (1, [])


def test_a_regions_own_tolerance_is_audited_and_judges_the_next_check_in(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    put = api.put("/v1/check-in/tolerances/110100", headers=auth("supervisor"),
                  json={"tolerance_m": 3000, "version": 0, "reason": "老城区门牌难找"})
    assert put.status_code == 200, put.text
    assert (put.json()["version"], put.json()["name"], put.json()["level"]) == (1, "北京市",
                                                                               "city")
    effective = api.get("/v1/check-in/tolerances/effective", params={"county": "110105"},
                        headers=auth("agent")).json()
    assert effective == {"county_adcode": "110105", "tolerance_m": 3000, "source": "city"}

    response = _check_in(api, auth, appointed, _position(metres_north=2300))

    row = response.json()["check_in"]
    assert (row["outcome"], row["tolerance_m"], row["tolerance_from"]) == ("inside", 3000, "city")
    assert _stored(world) == (1, [])
    stale = api.put("/v1/check-in/tolerances/110100", headers=auth("admin"),
                    json={"tolerance_m": 800, "version": 0, "reason": "改回"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    removed = api.put("/v1/check-in/tolerances/110100", headers=auth("admin"),
                      json={"tolerance_m": None, "version": 1, "reason": "恢复默认"})
    assert removed.status_code == 200 and removed.json()["tolerance_m"] is None
    assert api.get("/v1/check-in/tolerances", headers=auth("agent")).json() == []
    log = api.get("/v1/check-in/tolerances/110100/log", headers=auth("agent")).json()
    assert [(e["actor"], e["reason"], e["before"], e["after"]) for e in log] == [
        ("admin", "恢复默认", {"tolerance_m": 3000}, {"tolerance_m": None}),
        ("supervisor", "老城区门牌难找", {"tolerance_m": None}, {"tolerance_m": 3000})]


TOLERANCE_REFUSALS: list[tuple[str, str, dict[str, Any], int]] = [
    ("agent", "110105", {"tolerance_m": 3000, "version": 0, "reason": "x"}, 403),
    ("tech1", "110105", {"tolerance_m": 3000, "version": 0, "reason": "x"}, 403),
    ("supervisor", "110105", {"tolerance_m": 3000, "version": 0, "reason": " "}, 422),
    ("supervisor", "110105", {"tolerance_m": 3000, "version": 0}, 422),
    ("supervisor", "110105", {"tolerance_m": 10, "version": 0, "reason": "太小"}, 422),
    ("supervisor", "110105", {"tolerance_m": 999_999, "version": 0, "reason": "太大"}, 422),
    ("supervisor", "110105", {"tolerance_m": None, "version": 0, "reason": "没设过"}, 404),
    ("supervisor", "999999", {"tolerance_m": 900, "version": 0, "reason": "未知区域"}, 422),
    ("supervisor", "11010x", {"tolerance_m": 900, "version": 0, "reason": "不是编码"}, 422),
]


def test_tolerance_changes_refused(api: TestClient, auth: Login) -> None:
    for as_, adcode, body, status in TOLERANCE_REFUSALS:
        response = api.put(f"/v1/check-in/tolerances/{adcode}", headers=auth(as_), json=body)
        assert response.status_code == status, (as_, adcode, body, response.text)
    assert api.get("/v1/check-in/tolerances", headers=auth("agent")).json() == []


def test_another_technicians_order_is_refused_and_nothing_is_stored(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    response = _check_in(api, auth, appointed, _position(), as_="tech2")

    assert response.status_code == 403, response.text
    assert _state(api, auth) == ("appointed", appointed)
    assert _stored(world) == (0, [])
    assert _check_in(api, auth, 1, _position(), order_id=999).status_code == 404


def test_a_stale_version_is_409_and_nothing_is_stored(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    response = _check_in(api, auth, appointed - 1, None)

    assert response.status_code == 409, response.text
    assert response.json()["current_version"] == appointed
    assert _stored(world) == (0, [])
    assert _check_in(api, auth, appointed, None).status_code == 200
    again = _check_in(api, auth, appointed, None)  # the same check-in sent twice
    assert again.status_code == 409 and _stored(world) == (1, ["checkin_skipped"])


MALFORMED: list[tuple[dict[str, Any], str]] = [
    ({"lat": 91}, "lat"), ({"lat": -90.5}, "lat"), ({"lng": 180.01}, "lng"),
    ({"lng": "east"}, "lng"), ({"accuracy_m": -1}, "accuracy_m"),
    ({"accuracy_m": 1e9}, "accuracy_m"),
    ({"fix_at": "2026-03-03T10:00:00"}, "fix_at"),  # no time zone
    ({"fix_at": "0001-01-01T00:00:00+14:00"}, "fix_at"),  # no UTC time at all
    ({"fix_at": "1970-01-01T00:00:00Z"}, "fix_at"),
    ({"fix_at": "yesterday"}, "fix_at"),
    ({"altitude": 12}, "altitude"),
]


def test_a_malformed_position_is_422_naming_the_field(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    for position, field in MALFORMED:
        response = _check_in(api, auth, appointed, {**_position(), **position})
        assert response.status_code == 422, (position, response.text)
        locs = [e["loc"] for e in response.json()["errors"]]
        assert ["body", "position", field] in locs, (position, locs)
    assert _stored(world) == (0, []) and _state(api, auth) == ("appointed", appointed)


def test_a_body_without_a_position_or_with_nan_is_422(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    missing = api.post("/v1/orders/1/check-in", headers=auth("tech1"),
                       json={"version": appointed})
    nan = api.post("/v1/orders/1/check-in",
                   headers={**auth("tech1"), "Content-Type": "application/json"},
                   content=f'{{"version": {appointed}, "position": {{"lat": NaN, "lng": 116.4, '
                           f'"accuracy_m": 10, "fix_at": "{NOW.isoformat()}"}}}}')
    assert (missing.status_code, nan.status_code) == (422, 422)
    assert "position" in missing.text and "lat" in nan.text  # the field, not a parse error
    assert _stored(world) == (0, [])


def test_the_desk_records_a_check_in_for_the_technician_only_saying_why(
        api: TestClient, auth: Login, world: Engine, appointed: int) -> None:
    silent = _check_in(api, auth, appointed, None, as_="agent")
    finance = _check_in(api, auth, appointed, None, as_="finance", reason="代签")
    _, version_3 = _state(api, auth, 3)
    not_appointed = _check_in(api, auth, version_3, None, order_id=3, as_="agent", reason="代签")
    assert (silent.status_code, finance.status_code, not_appointed.status_code) == (422, 403, 422)
    assert "check_in" in not_appointed.json()["detail"]
    assert _stored(world) == (0, []) and _stored(world, 3) == (0, [])

    done = _check_in(api, auth, appointed, None, as_="agent", reason="师傅手机没电，电话确认已到")

    assert done.status_code == 200, done.text
    row = done.json()["check_in"]
    assert (row["outcome"], row["recorded_by"], row["recorded_role"], row["reason"]) == (
        "skipped", "agent", "agent", "师傅手机没电，电话确认已到")
    entry = api.get("/v1/orders/1", headers=auth("admin")).json()["timeline"][-1]
    assert entry["reason"].endswith("：「师傅手机没电，电话确认已到」")
    assert BACKEND_REASON not in entry["data"]  # it quotes the agent's words
    with Session(world) as session:
        [flag] = flags_of(session, [1])[1]
    assert flag.kind is FlagKind.CHECKIN_SKIPPED  # the desk cannot check him in unflagged


@pytest.mark.parametrize("role", ["tech1", "finance"])
def test_positions_are_read_only_by_the_desk_roles_that_see_addresses(
        api: TestClient, auth: Login, appointed: int, role: str) -> None:
    assert _check_in(api, auth, appointed, _position()).status_code == 200
    assert api.get("/v1/orders/1/check-ins", headers=auth(role)).status_code == 403
    assert api.get("/v1/orders/999/check-ins", headers=auth("agent")).status_code == 404


def test_the_check_in_its_row_and_its_flag_commit_together(
        world: Engine, clock: SimulatedClock, appointed: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the order changed and the row was added leaves nothing behind."""
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the flags table is unavailable")

    monkeypatch.setattr(checkin_cases, "add_flags", broken)
    tech = Actor("tech1", Role.TECHNICIAN, technician_id(world, "tech1"))
    with pytest.raises(RuntimeError):
        handle_check_in(RecordCheckIn(1, appointed, tech, None), UnitOfWork(world, clock=clock))

    with UnitOfWork(world) as uow:
        order = uow.orders.get(1)
    assert order is not None and (order.state.value, order.version) == ("appointed", appointed)
    assert _stored(world) == (0, [])
    monkeypatch.undo()
    fix = Fix(*_wgs_at(0), 10.0, NOW)
    done = handle_check_in(RecordCheckIn(1, appointed, tech, fix), UnitOfWork(world, clock=clock))
    assert done.check_in.outcome == "inside" and _stored(world) == (1, [])
