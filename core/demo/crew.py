"""The demo technicians: each logs in with their own account and works their own orders."""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import httpx

from core.demo.acting import Performer, StepReport
from core.demo.api import ApiSession, LoginFailed
from core.demo.dataset import DemoTechnician

logger = logging.getLogger("core.demo.simulator")

APPOINTMENT_HOURS = (9, 10, 11, 13, 14, 15, 16, 18)  # lunch break at 12
REFUSE_REASONS = ("时间冲突", "时间冲突", "距离太远", "缺少所需配件", "当天已排满")


def _shanghai() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database installed: China has had no DST since 1991
        return timezone(timedelta(hours=8), "Asia/Shanghai")


SHANGHAI = _shanghai()


class Crew:
    """Technician sessions by technician id, and how a technician moves an order along."""

    def __init__(
        self, staff: Sequence[DemoTechnician], rng: random.Random, performer: Performer,
        password: str = "demo",
    ) -> None:
        self._staff, self._rng, self._performer, self._password = staff, rng, performer, password
        self._sessions: dict[int, ApiSession] = {}
        self._strangers: set[int] = set()  # technicians who are not demo staff
        self._listed: dict[int, dict[str, Any]] = {}  # GET /v1/technicians by id
        self.refused: dict[int, set[int]] = {}  # order id -> technicians who refused it

    def forget_sessions(self) -> None:
        """Drop the logins, whose HTTP client is gone; the next round logs in again."""
        self._sessions.clear()

    async def work(
        self, client: httpx.AsyncClient, centre: ApiSession, technician_ids: Sequence[int],
        report: StepReport,
    ) -> None:
        for technician_id in technician_ids:
            session = await self._session(client, centre, technician_id)
            if session is None:
                continue
            for row in await session.get("/v1/technicians/me/orders"):
                await self._next_step(session, row, report)

    async def _next_step(self, tech: ApiSession, order: dict[str, Any], report: StepReport) -> None:
        rng, state, act = self._rng, order["state"], self._performer.perform
        # Randomised pacing: each round only some orders move, so every state stays populated.
        if state == "assigned" and rng.random() < 0.7:
            if rng.random() < 0.1:
                self.refused.setdefault(order["id"], set()).add(tech.technician_id or 0)
                await act(tech, order, "refuse", report, rng.choice(REFUSE_REASONS))
            else:
                await act(tech, order, "accept", report, "已接单")
        elif state == "accepted" and rng.random() < 0.6:
            start, end = self.appointment_window()
            await act(tech, order, "appoint", report, "已电话联系客户，约定上门时间",
                      start=start, end=end)
        elif state == "appointed" and rng.random() < 0.45:
            if rng.random() < 0.05:
                start, end = self.appointment_window()
                await act(tech, order, "appoint", report, "客户改约", start=start, end=end)
            else:
                await act(tech, order, "check_in", report, "已到达客户家")
        elif state == "checked_in" and rng.random() < 0.5:
            await act(tech, order, "complete", report, "服务完成，客户已签字")

    def appointment_window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """Two hours, later today when there is time left, otherwise in the next few days."""
        now = (now or datetime.now(SHANGHAI)).astimezone(SHANGHAI)
        day = now.replace(minute=0, second=0, microsecond=0)
        # Always four draws, whatever the hour, so a seed replays the same run at any time.
        today, hour, days, later = (self._rng.random() for _ in range(4))
        first = max(9, now.hour + 1)
        if today < 0.4 and now.hour < 16:
            start = day.replace(hour=first + int(hour * (19 - first)))
        else:
            start = (day + timedelta(days=1 + int(days * 3))).replace(
                hour=APPOINTMENT_HOURS[int(later * len(APPOINTMENT_HOURS))]
            )
        return start, start + timedelta(hours=2)

    async def _session(
        self, client: httpx.AsyncClient, centre: ApiSession, technician_id: int
    ) -> ApiSession | None:
        if technician_id in self._sessions or technician_id in self._strangers:
            return self._sessions.get(technician_id)
        # The API does not show usernames; demo staff are recognised by name and phone.
        if technician_id not in self._listed:
            self._listed = {t["id"]: t for t in await centre.get("/v1/technicians")}
        out = self._listed.get(technician_id)
        staff = next(
            (s for s in self._staff if out and (s.name, s.phone) == (out["name"], out["phone"])),
            None,
        )
        if staff is None:
            logger.warning("technician %s is not demo staff; their orders are left alone",
                           technician_id)
            self._strangers.add(technician_id)
            return None
        session = ApiSession(client, staff.username, self._password)
        try:
            await session.login()
        except LoginFailed as exc:
            logger.warning("%s", exc)
            self._strangers.add(technician_id)
            return None
        self._sessions[technician_id] = session
        return session
