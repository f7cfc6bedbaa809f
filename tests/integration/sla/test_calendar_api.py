"""The business calendar over HTTP on SQLite and PostgreSQL: a year for every desk role, an
admin's import, and every refusal (role, bad file, date twice, wrong year, stale, too large)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_tokens import Login
from calendar_support import AT, next_year
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.services.sla.calendar import seed_shipped_years
from core.sla.calendar import MAX_YEAR
from core.storage.sla.calendar import calendar_log

pytestmark = pytest.mark.usefixtures("shipped")


@pytest.fixture
def shipped(world: Engine) -> None:
    seed_shipped_years(world, SimulatedClock(AT))


def _put(api: TestClient, auth: Login, notice: dict[str, Any], *, year: int = 2027,
         version: int = 0, reason: str = "国务院通知已发布", as_: str = "admin") -> Any:
    return api.put(f"/v1/calendar/{year}", headers=auth(as_),
                   json={"notice": notice, "version": version, "reason": reason})


@pytest.mark.parametrize("role", ["agent", "supervisor", "finance", "admin"])
def test_every_desk_role_reads_a_year(api: TestClient, auth: Login, role: str) -> None:
    response = api.get("/v1/calendar/2026", headers=auth(role))

    assert response.status_code == 200, response.text
    year = response.json()
    assert (year["published"], year["version"], year["imported_by"], year["warning"]) == (
        True, 1, "system", None)
    assert len(year["days"]) == 365
    assert year["days"][44] == {"date": "2026-02-14", "workday": True,
                                "kind": "adjusted_workday", "name": "春节"}
    assert year["days"][46] == {"date": "2026-02-16", "workday": False, "kind": "holiday",
                                "name": "春节"}


def test_a_year_not_yet_published_answers_ordinary_days_and_says_so(
        api: TestClient, auth: Login) -> None:
    year = api.get("/v1/calendar/2027", headers=auth("agent")).json()

    assert (year["published"], year["version"], year["source"]) == (False, 0, None)
    assert "尚未发布" in year["warning"] and "not yet published" in year["warning"]
    assert year["days"][0] == {"date": "2027-01-01", "workday": True, "kind": "workday",
                               "name": None}


def test_reading_needs_a_desk_role(api: TestClient, auth: Login) -> None:
    assert api.get("/v1/calendar/2026").status_code == 401
    assert api.get("/v1/calendar/2026", headers=auth("tech1")).status_code == 403
    assert api.get(f"/v1/calendar/{MAX_YEAR + 1}", headers=auth("agent")).status_code == 422


def test_an_admin_imports_next_year_audited(api: TestClient, auth: Login,
                                            world: Engine) -> None:
    response = _put(api, auth, next_year())

    assert response.status_code == 200, response.text
    year = response.json()
    assert (year["published"], year["version"], year["imported_by"]) == (True, 1, "admin")
    assert year["days"][0]["name"] == "元旦" and year["days"][0]["workday"] is False
    with Session(world) as session:
        (entry,) = calendar_log(session, 2027)
    assert (entry.actor, entry.reason) == ("admin", "国务院通知已发布")


@pytest.mark.parametrize("role", ["agent", "supervisor", "finance", "tech1"])
def test_only_an_admin_imports(api: TestClient, auth: Login, role: str) -> None:
    response = _put(api, auth, next_year(), as_=role)

    assert response.status_code == 403
    assert api.get("/v1/calendar/2027", headers=auth("agent")).json()["published"] is False


@pytest.mark.parametrize(("change", "loc", "words"), [
    (lambda n: n["days"].append(dict(n["days"][0])), ["body", "notice", "days", 3, "date"],
     "日期重复"),
    (lambda n: n["days"][1].update(date="2026-12-31"), ["body", "notice", "days", 1, "date"],
     "不属于 2027 年"),
    (lambda n: n["days"][0].update(kind="vacation"), ["body", "notice", "days", 0, "kind"],
     "未知类型"),
    (lambda n: n["days"].append({"date": "2027-01-04", "kind": "workday", "name": "元旦"}),
     ["body", "notice", "days", 3, "kind"], "周六或周日"),
    (lambda n: n.update(year=2028), ["body", "notice", "year"], "路径是 2027 年"),
])
def test_a_notice_that_does_not_hold_together_is_refused_naming_the_field(
        api: TestClient, auth: Login, change: Any, loc: list[Any], words: str) -> None:
    notice = next_year()
    change(notice)

    response = _put(api, auth, notice)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == loc and words in response.json()["detail"]
    assert api.get("/v1/calendar/2027", headers=auth("agent")).json()["published"] is False


@pytest.mark.parametrize("body", [
    {"notice": {"year": 2027, "source": "x", "days": [{"date": "2027-01-01"}]}, "version": 0,
     "reason": "r"},
    {"notice": {"year": 2027, "source": "x", "days": [], "extra": 1}, "version": 0,
     "reason": "r"},
    {"notice": {"year": 2027, "source": "x", "days": []}, "version": 0, "reason": " "},
])
def test_a_malformed_body_is_refused(api: TestClient, auth: Login, body: dict[str, Any]) -> None:
    response = api.put("/v1/calendar/2027", headers=auth("admin"), json=body)

    assert response.status_code == 422, response.text


def test_a_stale_import_is_a_conflict(api: TestClient, auth: Login) -> None:
    assert _put(api, auth, next_year()).status_code == 200
    shorter = next_year()
    shorter["days"] = shorter["days"][:1]
    assert _put(api, auth, shorter, version=1).status_code == 200

    stale = _put(api, auth, next_year(), version=1)
    again_new = _put(api, auth, next_year(), version=0)

    assert stale.status_code == again_new.status_code == 409
    assert stale.json()["current_version"] == 2
    assert len(api.get("/v1/calendar/2027", headers=auth("agent")).json()["days"]) == 365


def test_a_body_over_the_limit_is_413(api: TestClient, auth: Login) -> None:
    notice = next_year()
    notice["source"] = "通" * 40_000  # over the 64 KiB of a default route, whatever its shape

    response = api.put("/v1/calendar/2027", headers={**auth("admin"),
                                                     "content-type": "application/json"},
                       content=json.dumps({"notice": notice, "version": 0, "reason": "r"},
                                          ensure_ascii=False).encode())

    assert response.status_code == 413
    assert api.get("/v1/calendar/2027", headers=auth("agent")).json()["published"] is False
