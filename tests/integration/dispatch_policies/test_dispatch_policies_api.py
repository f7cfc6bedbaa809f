"""Region dispatch policies over HTTP on SQLite and PostgreSQL: list, effective, change, remove,
the change log and the service points a policy names."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset, DemoServicePoint, DemoTechnician
from core.storage.dispatch.policies import effective_for

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHAOYANG, BEIJING_CITY, BEIJING = "110105", "110100", "110000"


def _dataset() -> DemoDataset:
    return DemoDataset(
        service_points=(
            DemoServicePoint("bj-cy", "朝阳网点", CHAOYANG, 30),
            DemoServicePoint("bj-cy2", "朝阳合作网点", CHAOYANG),
            DemoServicePoint("bj-hd", "海淀网点", "110108"),
            DemoServicePoint("sh-hp", "黄浦网点", "310101"),
        ),
        technicians=(
            DemoTechnician("t1", "tech1", "王建", "13900000001", ("aircon",), CHAOYANG, "bj-cy",
                           116.44, 39.93, 4),
            DemoTechnician("t2", "tech2", "李静", "13900000002", ("general",), CHAOYANG,
                           "bj-cy", 116.45, 39.92, 6),
            DemoTechnician("t3", "tech3", "周敏", "13900000003", ("aircon",), "310101", "sh-hp",
                           121.48, 31.23, 5),
        ),
        orders=[],
    )


@pytest.fixture
def world_dataset() -> DemoDataset:
    return _dataset()


def _put(api: TestClient, auth: Login, scope: str, body: dict[str, Any], version: int = 0,
         reason: str = "朝阳两家网点按 6:4 分单", as_: str = "supervisor") -> Response:
    return api.put(f"/v1/dispatch/policies/{scope}",
                   json={"body": body, "version": version, "reason": reason},
                   headers=auth(as_))


def _scopes(api: TestClient, auth: Login) -> dict[str, dict[str, Any]]:
    response = api.get("/v1/dispatch/policies", headers=auth("agent"))
    assert response.status_code == 200, response.text
    return {s["scope"]: s for s in response.json()}


def test_the_list_always_shows_the_default_scope(api: TestClient, auth: Login) -> None:
    scopes = _scopes(api, auth)

    assert scopes[""]["level"] == "default" and scopes[""]["scope_name"] == "默认"
    assert scopes[""]["version"] == 0 and scopes[""]["body"] == {}


def test_a_county_policy_is_created_and_overrides_only_what_it_sets(
    api: TestClient, auth: Login, world: Engine
) -> None:
    city = _put(api, auth, BEIJING_CITY, {"accept_minutes": 45, "max_refusals": 4})
    county = _put(api, auth, CHAOYANG, {"accept_minutes": 15,
                                       "point_shares": {"bj-cy": 60, "bj-cy2": 40}})

    assert city.status_code == 200, city.text
    assert county.status_code == 200, county.text
    assert county.json() | {"updated_at": None} == {
        "scope": CHAOYANG, "scope_name": "朝阳区", "level": "county", "version": 1,
        "body": {"accept_minutes": 15, "point_shares": {"bj-cy": 60, "bj-cy2": 40}},
        "updated_by": "supervisor", "updated_at": None}
    shown = api.get("/v1/dispatch/policies/effective", params={"county": CHAOYANG},
                    headers=auth("agent")).json()
    policy, sources = shown["policy"], shown["sources"]
    assert policy["accept_minutes"] == 15 and sources["accept_minutes"] == CHAOYANG
    assert policy["max_refusals"] == 4 and sources["max_refusals"] == BEIJING_CITY
    assert shown["sources"]["grab_floor_fen"] == ""
    assert shown["source_names"] == {CHAOYANG: "朝阳区", BEIJING_CITY: "北京市", "": "默认"}
    assert set(_scopes(api, auth)) == {"", BEIJING_CITY, CHAOYANG}
    with Session(world) as session:  # what dispatch reads is what the editor wrote
        assert effective_for(session, CHAOYANG).policy.point_shares == {"bj-cy": 60, "bj-cy2": 40}


def test_a_stale_version_is_refused_with_the_current_one(api: TestClient, auth: Login) -> None:
    assert _put(api, auth, "default", {"accept_minutes": 20}).status_code == 200
    assert _put(api, auth, "default", {"accept_minutes": 25}, version=1,
                as_="admin").status_code == 200

    late = _put(api, auth, "default", {"accept_minutes": 40}, version=1)
    again = _put(api, auth, "default", {"accept_minutes": 40}, version=0)

    assert late.status_code == 409 and late.json()["current_version"] == 2
    assert "已被他人修改" in late.json()["detail"]
    assert again.status_code == 409 and again.json()["current_version"] == 2
    assert _scopes(api, auth)[""]["body"] == {"accept_minutes": 25}


@pytest.mark.parametrize(("body", "field"), [
    ({"point_shares": {"bj-cy": 60, "bj-cy2": 30}}, "point_shares"),
    ({"point_shares": {"bj-cy": 60, "sh-hp": 40}}, "point_shares"),  # another region's point
    ({"point_capacity": {"nowhere": 5}}, "point_capacity"),
    ({"stages": [{"mode": "auto", "minutes": 5}]}, "stages"),
    ({"weights": {"load": 500}}, "weights.load"),
    ({"colour": "red"}, "colour"),
])
def test_an_invalid_policy_is_refused_naming_the_field(
    api: TestClient, auth: Login, body: dict[str, Any], field: str
) -> None:
    response = _put(api, auth, CHAOYANG, body)

    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "body", *field.split(".")]
    chinese, english = error["msg"].split(" (", 1)  # Chinese first, the English kept
    assert chinese and english.endswith(")")
    assert CHAOYANG not in _scopes(api, auth)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/v1/dispatch/policies/effective?county=999999", 422),
    ("PUT", "/v1/dispatch/policies/999999", 422),
    ("GET", "/v1/dispatch/service-points?county=12", 422),
    ("GET", "/v1/dispatch/policies/log?scope=abc", 422),
])
def test_unknown_regions_are_refused(api: TestClient, auth: Login, method: str, path: str,
                                     status: int) -> None:
    body = {"body": {}, "version": 0, "reason": "x"} if method == "PUT" else None

    response = api.request(method, path, json=body, headers=auth("supervisor"))

    assert response.status_code == status, response.text


def test_agents_read_policies_but_may_not_change_them(api: TestClient, auth: Login) -> None:
    refused = _put(api, auth, CHAOYANG, {"accept_minutes": 10}, as_="agent")
    removal = api.delete(f"/v1/dispatch/policies/{CHAOYANG}", params={"version": 1,
                         "reason": "x"}, headers=auth("agent"))

    assert refused.status_code == 403 and removal.status_code == 403
    assert CHAOYANG not in _scopes(api, auth)


def test_a_reason_is_required(api: TestClient, auth: Login) -> None:
    response = _put(api, auth, CHAOYANG, {"accept_minutes": 10}, reason="   ")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "reason"]


def test_removing_a_scope_lets_it_inherit_again_and_stale_removals_conflict(
    api: TestClient, auth: Login
) -> None:
    _put(api, auth, CHAOYANG, {"accept_minutes": 10})
    stale = api.delete(f"/v1/dispatch/policies/{CHAOYANG}",
                       params={"version": 7, "reason": "恢复继承"}, headers=auth("supervisor"))

    removed = api.delete(f"/v1/dispatch/policies/{CHAOYANG}",
                         params={"version": 1, "reason": "恢复继承"}, headers=auth("supervisor"))
    gone_again = api.delete(f"/v1/dispatch/policies/{CHAOYANG}",
                            params={"version": 2, "reason": "再删"}, headers=auth("supervisor"))
    late_edit = _put(api, auth, CHAOYANG, {"accept_minutes": 12}, version=1)
    recreated = _put(api, auth, CHAOYANG, {"accept_minutes": 12}, version=0)

    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert removed.status_code == 200 and removed.json()["body"] == {}
    assert gone_again.status_code == 404
    assert late_edit.status_code == 409  # the editor had the version from before the removal
    assert recreated.status_code == 200 and recreated.json()["version"] == 3
    shown = api.get("/v1/dispatch/policies/effective", params={"county": CHAOYANG},
                    headers=auth("agent")).json()
    assert shown["policy"]["accept_minutes"] == 12


def test_the_default_scope_cannot_be_removed(api: TestClient, auth: Login) -> None:
    _put(api, auth, "default", {"accept_minutes": 20})

    response = api.delete("/v1/dispatch/policies/default", params={"version": 1, "reason": "x"},
                          headers=auth("admin"))

    assert response.status_code == 422
    assert "默认策略不能删除" in response.json()["detail"]


def test_the_log_says_who_when_why_before_and_after(api: TestClient, auth: Login) -> None:
    _put(api, auth, CHAOYANG, {"accept_minutes": 10}, reason="朝阳师傅多，缩短接单时限")
    _put(api, auth, CHAOYANG, {"accept_minutes": 10}, version=1, reason="没改")  # no change
    _put(api, auth, CHAOYANG, {"accept_minutes": 20}, version=1, reason="放宽", as_="admin")
    _put(api, auth, "default", {"max_refusals": 3})

    mine = api.get("/v1/dispatch/policies/log", params={"scope": CHAOYANG},
                   headers=auth("agent")).json()
    every = api.get("/v1/dispatch/policies/log", headers=auth("agent")).json()

    assert [(e["actor"], e["reason"], e["before"], e["after"]) for e in mine] == [
        ("admin", "放宽", {"accept_minutes": 10}, {"accept_minutes": 20}),
        ("supervisor", "朝阳师傅多，缩短接单时限", {}, {"accept_minutes": 10}),
    ]
    assert mine[0]["scope_name"] == "朝阳区" and mine[0]["at"]
    assert [e["scope"] for e in every] == ["", CHAOYANG, CHAOYANG]


def test_service_points_of_a_region_with_their_crews(api: TestClient, auth: Login) -> None:
    county = api.get("/v1/dispatch/service-points", params={"county": CHAOYANG},
                     headers=auth("agent")).json()
    city = api.get("/v1/dispatch/service-points", params={"city": BEIJING_CITY},
                   headers=auth("agent")).json()
    every = api.get("/v1/dispatch/service-points", headers=auth("agent")).json()

    assert [(p["key"], p["technicians"], p["technician_capacity"], p["daily_capacity"])
            for p in county] == [("bj-cy", 2, 10, 30), ("bj-cy2", 0, 0, 0)]
    assert county[0]["county_name"] == "朝阳区"
    assert [p["key"] for p in city] == ["bj-cy", "bj-cy2", "bj-hd"]
    assert len(every) == 4


def test_a_city_policy_may_share_between_points_of_its_counties(
    api: TestClient, auth: Login
) -> None:
    response = _put(api, auth, BEIJING_CITY, {"point_shares": {"bj-cy": 70, "bj-hd": 30},
                                              "point_capacity": {"bj-cy2": 12}})

    assert response.status_code == 200, response.text
