"""The supervisor board over HTTP (SQLite and PostgreSQL): counts of open warnings and
breaches per region, step, service point and technician; each finished run's outcome and the
on-time rates; CSV and Excel exports; and the refusals (wrong roles, bad periods, too long a
period, too many rows)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from api_tokens import Login
from deadline_support import OPEN_DISPATCH, perform, scan, t
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.server.app import create_app
from core.services.sla import exports
from core.services.sla.board import Period
from core.storage.sla.outcomes import SlaOutcomeRecord, on_time_per_step
from core.storage.uow import UnitOfWork

DAY = {"start": "2026-03-02", "end": "2026-03-02"}


@pytest.fixture
def board_api(world: Engine) -> Iterator[TestClient]:
    """At 10:31: order 1 (unassigned) breached accept at 10:30; order 2 (tech1, not accepted)
    warned at 10:27:30; order 3 was accepted by tech1 at 10:10, on time. Then order 2 is
    accepted late by tech1 at 10:40 (due 10:35)."""
    clock = SimulatedClock(t(10, 31))
    perform(world, 1, t(10), OPEN_DISPATCH)
    perform(world, 2, t(10, 5), [*OPEN_DISPATCH, ("assign", {"technician_id": 1})])
    perform(world, 3, t(10), [*OPEN_DISPATCH, ("assign", {"technician_id": 1}),
                              ("accept", {})])
    scan(world, clock)
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


def _counts(groups: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    return {g["label"]: (g["notice"], g["warning"], g["severe"]) for g in groups}


def test_the_board_counts_each_runs_highest_level_per_group(board_api: TestClient,
                                                           auth: Login) -> None:
    response = board_api.get("/v1/sla/board", headers=auth("supervisor"))

    assert response.status_code == 200, response.text
    found = response.json()
    assert _counts([found["total"]]) == {"合计 (total)": (0, 1, 1)}
    assert _counts(found["by_step"]) == {"接单 (accept)": (0, 1, 1)}
    assert _counts(found["by_county"]) == {"朝阳区": (0, 1, 1)}
    assert [g["key"] for g in found["by_city"]] == ["110100"]
    assert _counts(found["by_technician"]) == {"未派 (unassigned)": (0, 0, 1),
                                               "Wang Jian": (0, 1, 0)}
    assert _counts(found["by_service_point"]) == {"无服务网点 (no service point)": (0, 0, 1),
                                                  "Beijing Chaoyang point": (0, 1, 0)}


def test_a_reassigned_order_counts_for_its_new_technician(board_api: TestClient, auth: Login,
                                                          world: Engine) -> None:
    perform(world, 2, t(10, 32), [("assign", {"technician_id": 2})])

    found = board_api.get("/v1/sla/board", headers=auth("supervisor")).json()

    assert _counts(found["by_technician"]) == {"未派 (unassigned)": (0, 0, 1),
                                               "Li Jing": (0, 1, 0)}


def test_the_board_filters_by_region_and_step(board_api: TestClient, auth: Login) -> None:
    elsewhere = board_api.get("/v1/sla/board", params={"region": "310000"},
                              headers=auth("supervisor")).json()
    verify = board_api.get("/v1/sla/board", params={"step": "verify"},
                           headers=auth("admin")).json()

    assert _counts([elsewhere["total"]]) == {"合计 (total)": (0, 0, 0)}
    assert verify["by_step"] == []


def test_each_finished_run_is_recorded_once_with_who_and_the_time_over(
        board_api: TestClient, world: Engine) -> None:
    perform(world, 2, t(10, 40), [("accept", {})])

    with Session(world) as session:
        found = {(o.order_id, o.step): o for o in session.scalars(select(SlaOutcomeRecord))}
        per_step = on_time_per_step(session, t(0), t(0, day=3))
    assert set(found) == {(3, "accept"), (2, "accept")}
    late, early = found[(2, "accept")], found[(3, "accept")]
    assert (early.on_time, early.over_us, early.technician_id) == (True, 0, 1)
    assert (late.on_time, late.due, late.stopped_at) == (False, t(10, 35), t(10, 40))
    assert timedelta(microseconds=late.over_us) == timedelta(minutes=5)
    assert late.service_point_id is not None and str(late.day) == "2026-03-02"
    assert per_step == {"accept": (2, 1)}


def test_on_time_rates_per_step_technician_and_day(board_api: TestClient, auth: Login,
                                                   world: Engine) -> None:
    perform(world, 2, t(10, 40), [("accept", {})])

    def rates(by: str) -> list[tuple[str, int, int, float]]:
        response = board_api.get("/v1/sla/on-time", params={**DAY, "by": by},
                                 headers=auth("supervisor"))
        assert response.status_code == 200, response.text
        return [(r["label"], r["finished"], r["on_time"], r["rate"]) for r in response.json()]

    assert rates("step") == [("接单 (accept)", 2, 1, 0.5)]
    assert rates("technician") == [("Wang Jian", 2, 1, 0.5)]
    assert rates("day") == [("2026-03-02", 2, 1, 0.5)]
    assert rates("city") == [("北京市", 2, 1, 0.5)]


def test_alert_pages_follow_the_cursor(board_api: TestClient, auth: Login) -> None:
    first = board_api.get("/v1/sla/alerts", params={"limit": 1}, headers=auth("agent")).json()
    second = board_api.get("/v1/sla/alerts", params={"limit": 1, "after": first[0]["cursor"]},
                           headers=auth("agent")).json()
    third = board_api.get("/v1/sla/alerts", params={"limit": 1, "after": second[0]["cursor"]},
                          headers=auth("agent")).json()

    assert [(a["order_id"], a["level"]) for a in first + second] == [(1, "严重"), (2, "警告")]
    assert first[0]["county_name"] == "朝阳区" and first[0]["run"] == 1
    assert third == []


def test_the_csv_export_is_utf8_with_a_bom_and_one_row_per_finished_run(
        board_api: TestClient, auth: Login, world: Engine) -> None:
    perform(world, 2, t(10, 40), [("accept", {})])

    response = board_api.get("/v1/sla/export.csv", params=DAY, headers=auth("supervisor"))

    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "工单号 (order no)" and len(rows) == 3
    assert [(r[1], r[5], r[11], r[12]) for r in rows[1:]] == [
        ("接单 (accept)", "Wang Jian", "是 (yes)", ""),
        ("接单 (accept)", "Wang Jian", "否 (no)", "已超时 0:05:00 (over)")]
    assert rows[2][9] == "2026-03-02T10:40:00+08:00"


def test_the_csv_comes_a_chunk_of_rows_at_a_time(board_api: TestClient,
                                                 world: Engine) -> None:
    perform(world, 2, t(10, 40), [("accept", {})])
    q = exports.ExportQuery(Period(date(2026, 3, 2), date(2026, 3, 2)))

    chunks = list(exports.export_csv(q, UnitOfWork(world), chunk=1))

    assert len(chunks) == 2 and chunks[0].startswith(b"\xef\xbb\xbf")  # BOM, header, row; row
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 3


def test_the_excel_export_holds_the_same_rows(board_api: TestClient, auth: Login) -> None:
    response = board_api.get("/v1/sla/export.xlsx", params=DAY, headers=auth("admin"))

    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = (book.read("xl/sharedStrings.xml").decode("utf-8")
                   if "xl/sharedStrings.xml" in book.namelist() else "")
    assert "工单号 (order no)" in sheet + strings and "Wang Jian" in sheet + strings
    assert sheet.count("<row ") == 2  # the header and order 3's accept


@pytest.mark.parametrize("path", ["/v1/sla/board", "/v1/sla/on-time", "/v1/sla/export.csv",
                                  "/v1/sla/export.xlsx"])
@pytest.mark.parametrize("role", ["agent", "tech1"])
def test_only_supervisors_and_admins_read_the_board(board_api: TestClient, auth: Login,
                                                    path: str, role: str) -> None:
    assert board_api.get(path, params=DAY, headers=auth(role)).status_code == 403
    assert board_api.get(path, params=DAY).status_code == 401


@pytest.mark.parametrize(("path", "query", "field"), [
    ("/v1/sla/on-time", {"start": "2026-03-02", "end": "2026-03-01"}, "end"),
    ("/v1/sla/on-time", {"start": "2025-01-01", "end": "2026-03-01"}, "end"),
    ("/v1/sla/on-time", {**DAY, "by": "weather"}, "by"),
    ("/v1/sla/on-time", {"start": "yesterday", "end": "2026-03-01"}, "start"),
    ("/v1/sla/export.csv", {"start": "2026-01-01", "end": "2026-04-30"}, "end"),
    ("/v1/sla/export.xlsx", {**DAY, "region": "999999"}, "region"),
    ("/v1/sla/board", {"step": "lunch"}, "step"),
    ("/v1/sla/alerts", {"after": "yesterday|1|accept|1"}, "after"),
    ("/v1/sla/alerts", {"after": "x" * 81}, "after")])
def test_bad_queries_are_refused_naming_the_field(board_api: TestClient, auth: Login,
                                                  path: str, query: dict[str, str],
                                                  field: str) -> None:
    response = board_api.get(path, params=query, headers=auth("supervisor"))

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["query", field]


def test_an_export_of_too_many_rows_is_refused_before_anything_is_sent(
        board_api: TestClient, auth: Login, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 0)

    response = board_api.get("/v1/sla/export.csv", params=DAY, headers=auth("supervisor"))

    assert response.status_code == 422, response.text
    assert "1 rows, more than 0" in response.text
