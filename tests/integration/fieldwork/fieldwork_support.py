"""Helpers field execution's HTTP tests share (fixtures are in this folder's conftest)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.fieldwork.appointments import SHANGHAI
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.fieldwork.sms import SimulatedSms
from core.storage.tables import UserRecord
from core.storage.uow import UnitOfWork


def technician_id(engine: Engine, username: str) -> int:
    """The technician id behind a technician's login."""
    with Session(engine) as session:
        found = session.scalar(select(UserRecord.technician_id)
                               .where(UserRecord.username == username))
    assert found is not None, username
    return found


# -- a visit through the phone's and the desk's routes (the tiny world's orders) ---------------

ADDRESS = (39.92, 116.45)  # the tiny world's orders: GCJ-02 lat, lng in 北京市朝阳区 (110105)
WANG = 1  # tech1's technician id in the tiny world
PHONES = {1: "13800000001", 2: "13800000002", 3: "13800000003"}  # the orders' customers
DESK = Actor("agent", Role.AGENT)
Headers = Callable[[str], dict[str, str]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2026, Beijing (the tiny world's seed is on the 2nd)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def accepted(engine: Engine, order_id: int, when: datetime,
             technician: int = WANG) -> None:
    """Take a seeded order from new to accepted by a technician (intake and dispatch as
    given)."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("audit", {}), ("place", {"county_adcode": "110105"}),
        ("classify", {"service_type": "install"}), ("open_dispatch", {}),
        ("assign", {"technician_id": technician}), ("accept", {})]
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for action, args in steps:
            order.perform(action, DESK, when, "test", **args)
        uow.orders.save(order)
        uow.commit()


class Visit:
    """One order's visit through the routes a phone and the desk use, on the test's clock."""

    def __init__(self, client: TestClient, login: Headers, clock: SimulatedClock,
                 sms: SimulatedSms, order_id: int, technician: str = "tech1") -> None:
        self.client, self.login, self.clock, self.sms = client, login, clock, sms
        self.order_id, self.technician = order_id, technician

    def version(self) -> int:
        got = self.client.get(f"/v1/orders/{self.order_id}", headers=self.login("admin"))
        return int(got.json()["version"])

    def _ok(self, response: Response) -> Response:
        assert response.status_code in (200, 201), response.text
        return response

    def book(self, as_: str, day: int = 3) -> None:
        self._ok(self.client.post(
            f"/v1/orders/{self.order_id}/appointment", headers=self.login(as_),
            json={"version": self.version(), "start": at(day, 10).isoformat(),
                  "end": at(day, 12).isoformat()}))

    def check_in(self, position: tuple[float, float] | None) -> None:
        fix = None if position is None else {
            "lat": position[0], "lng": position[1], "accuracy_m": 12,
            "fix_at": self.clock.now().isoformat()}
        self._ok(self.client.post(f"/v1/orders/{self.order_id}/check-in",
                                  headers=self.login(self.technician),
                                  json={"version": self.version(), "position": fix}))

    def photo(self, data: bytes) -> None:
        self._ok(self.client.post(f"/v1/orders/{self.order_id}/photos", content=data,
                                  headers={**self.login(self.technician),
                                           "Content-Type": "image/jpeg"}))

    def code(self) -> str:
        found = re.search(r"核销码为 (\d+)", self.sms.to(PHONES[self.order_id])[-1].text)
        assert found is not None
        return found.group(1)

    def use_code(self) -> None:
        self._ok(self.client.post(f"/v1/orders/{self.order_id}/verification-code/check",
                                  headers=self.login(self.technician), json={"code": self.code()}))

    def send_serial(self, serial: str, unit: int = 1, reason: str = "",
                    as_: str | None = None) -> Response:
        body: dict[str, Any] = {"unit": unit, "serial": serial}
        if reason:
            body["reason"] = reason
        return self.client.post(f"/v1/orders/{self.order_id}/serials",
                                headers=self.login(as_ or self.technician), json=body)

    def serial(self, serial: str, unit: int = 1, reason: str = "") -> dict[str, Any]:
        return dict(self._ok(self.send_serial(serial, unit, reason)).json())

    def send_complete(self, as_: str | None = None, note: str = "",
                      version: int | None = None) -> Response:
        body: dict[str, Any] = {"version": self.version() if version is None else version}
        if note:
            body["note"] = note
        return self.client.post(f"/v1/orders/{self.order_id}/complete",
                                headers=self.login(as_ or self.technician), json=body)

    def complete(self, as_: str | None = None, note: str = "") -> dict[str, Any]:
        """Complete through the completion route; its answer (what the backend's check did)."""
        return dict(self._ok(self.send_complete(as_, note)).json())


def route_to_manual_review(client: TestClient, login: Headers, technician: int,
                           review: bool = True, version: int = 0) -> None:
    """A supervisor routes the technician's completions to manual review (or stops), from the
    setting's version (0: never set)."""
    answer = client.put(f"/v1/technicians/{technician}/review-completions",
                        headers=login("supervisor"),
                        json={"review": review, "version": version,
                              "reason": "投诉较多，完工转人工核验"})
    assert answer.status_code == 200, answer.text
