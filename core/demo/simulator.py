"""Keeps a demo backend alive: orders arrive, the intake centre and technicians work them.

Orders arrive as platform webhooks (core/demo/arrivals.py) and go through the conversion
centre like real ones. Dispatch is the backend's own: its dispatcher opens dispatch for
classified orders, assigns them centrally or offers them in the grab pool, and escalates what it
cannot place to a person. The simulator plays the people around it: technicians who accept,
refuse or ignore assignments and claim offers from the pool (core/demo/crew.py, grabbing.py),
and an agent who works the needs-person list after a few minutes (core/demo/agent_desk.py).

Everything goes through the HTTP API, as the console and a technician app would, so every change
lands in the timeline under the user who made it: `centre` (a supervisor) for intake by hand,
marks, the verification queue and complaints' rulings, `sim-agent` for manual dispatch and
follow-up calls (core/demo/followup_calls.py), each technician's own account for fieldwork (the
stand-ins never use the `agent` or `admin` a person signs in as). The backend's automatic steps
show as `intake`, `dispatcher` and `review` (role system; review periods end by themselves).
Settling and closing are left to finance users.

Time comes from the injected clock (core.clock): the wall clock, or `lastmile demo --speed N`'s
ScaledClock, which the backend shares, so the stand-ins' patience is kept in that clock's time.
Pace: `speed` (LASTMILE_DEMO_SPEED, default 1) divides the pauses between rounds; beyond the
clock's own speed it also shortens the stand-ins' patience, e.g. for an end-to-end test on the
wall clock. LASTMILE_DEMO_ARRIVAL_SECONDS="low,high" sets the gap between arrivals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from core.clock import WALL_CLOCK, Clock
from core.demo import centre as centre_rules
from core.demo.acting import Performer, StepReport
from core.demo.agent_desk import DISPATCH_PATIENCE, ApiDesk, StandInAgent
from core.demo.api import ApiError, ApiSession, BackendUnavailable, Conflict, LoginFailed
from core.demo.arrivals import ArrivalStream, drop_export
from core.demo.centre import INTAKE_STATES, REVIEW_PATIENCE
from core.demo.crew import Crew
from core.demo.dataset import OrderFactory
from core.demo.field import Phones, Truth
from core.demo.followup_calls import FollowupStandIns
from core.demo.grabbing import GrabHunt
from core.demo.marks import draw_mark, mark_arrival
from core.demo.urge_replies import ANSWER_DELAY, DESK_TARGETS, ApiUrgeLine, UrgeAnswers
from core.services.fieldwork.axb import AxbProvider, SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms, SmsProvider

logger = logging.getLogger(__name__)

CENTRE = "centre"
FIELD_STATES = ("assigned", "accepted", "appointed", "checked_in")
SPEED_ENV = "LASTMILE_DEMO_SPEED"
ARRIVAL_ENV = "LASTMILE_DEMO_ARRIVAL_SECONDS"

__all__ = ["Simulator", "StepReport", "run_simulator"]


DEMO_FRAUD_SHARE = 0.1
# A demo is compressed time: the centre rules a complaint after minutes, not the hours a
# simulated day's supervisor waits (core.demo.followup_calls.RULING_PATIENCE).
DEMO_RULING_PATIENCE = timedelta(minutes=10)


class Simulator:
    """Drives a demo backend through its HTTP API; `step()` is one round, `run()` loops."""

    backoff_start_s = 1.0
    backoff_max_s = 30.0

    def __init__(
        self,
        base_url: str,
        *,
        seed: int = 7,
        arrival_every: tuple[float, float] = (2.0, 6.0),
        speed: float = 1.0,
        transport: httpx.AsyncBaseTransport | None = None,
        order_seed: int | None = None,
        password: str = "demo",
        erp_inbox: Path | None = None,
        clock: Clock = WALL_CLOCK,
        axb: AxbProvider | None = None,
        sms: SmsProvider | None = None,
        fraud_share: float = DEMO_FRAUD_SHARE,
    ) -> None:
        self._base_url, self._transport, self._password = base_url, transport, password
        self._clock = clock
        self._rng = random.Random(seed)
        self._arrival_every, self._speed = arrival_every, max(speed, 0.01)
        # New orders must not repeat the seeded ones or an earlier run's (each a 409 duplicate),
        # so unless a test pins it the order stream differs per run.
        self._factory = OrderFactory(order_seed if order_seed is not None
                                     else secrets.randbits(63))
        self._arrivals = ArrivalStream(seed)
        # ERP orders arrive as export files in this folder (the backend's poller reads it).
        self._erp_inbox = erp_inbox
        self._in_review: set[int] = set()
        self._performer = Performer()
        # A few technicians cheat at booking and check-in, so the flags and the risk view have
        # something to show (core.demo.field). Calls go through the backend's own simulated
        # virtual-number provider (the composition root hands it over), which pushes their
        # records to the backend signed with its secret; with a real provider there is no
        # line to place demo calls on, and bookings go without.
        line = axb if isinstance(axb, SimulatedAxb) else None
        if axb is not None and line is None:
            logger.warning("the virtual-number provider is not the simulated one: the demo's "
                           "technicians book without calling")
        self._crew = Crew(self._rng, self._performer, password, clock=clock,
                          phones=Phones(seed, fraud_share), axb=line,
                          sms=sms if isinstance(sms, SimulatedSms) else None, seed=seed)
        self._hunt = GrabHunt(self._rng, self._crew)
        # At a faster pace the stand-in agent is as much quicker, so orders still wait a while;
        # a sped-up clock already makes its patience pass as much faster.
        hurry = self._speed / getattr(clock, "speed", 1.0)
        # The review period: the backend ends it by itself; the stand-in agent calls customers
        # (who answer from what really happened) and the centre rules complaints.
        self._followups = FollowupStandIns(self._rng, self._crew.phones.truth,
                                           ruling_patience=DEMO_RULING_PATIENCE / hurry)
        self._agent = StandInAgent(self._rng, self._performer, password=password,
                                   patience=DISPATCH_PATIENCE / hurry, clock=clock,
                                   followups=self._followups)
        self._review_patience = REVIEW_PATIENCE / hurry
        # Urges (催单): technicians answer theirs, some late, some never; the centre answers
        # escalations. A stream of its own, so the other stand-ins' draws stay as they were.
        self._urges = UrgeAnswers(random.Random(seed * 17 + 3), delay=ANSWER_DELAY / hurry)
        self._client: httpx.AsyncClient | None = None
        self._centre: ApiSession | None = None

    @property
    def truth(self) -> Truth:
        """What the technicians really did (faked bookings and check-ins), per order."""
        return self._crew.phones.truth

    async def __aenter__(self) -> Simulator:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client, self._centre = None, None
            self._crew.forget_sessions()
            self._agent.forget_session()

    async def run(self, stop: asyncio.Event) -> None:
        """Step at the arrival pace until `stop` is set; back off while the backend is down."""
        backoff, down = 0.0, False
        try:
            while not stop.is_set():
                low, high = self._arrival_every
                delay = backoff or self._rng.uniform(low, high) / self._speed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)
                if stop.is_set():
                    break
                try:
                    report = await self.step()
                except LoginFailed as exc:
                    # Not a demo database (or its centre user is gone): nothing to simulate.
                    logger.error("%s; the simulator stops", exc)
                    return
                except BackendUnavailable as exc:
                    if not down:
                        logger.warning("backend unavailable, backing off: %s", exc)
                    down = True
                    backoff = min(self.backoff_max_s, max(self.backoff_start_s, backoff * 2))
                    continue
                except Exception:
                    # A demo must outlive one bad round; the next round starts from fresh lists.
                    logger.exception("simulator round failed")
                    backoff = min(self.backoff_max_s, max(self.backoff_start_s, backoff * 2))
                    continue
                if down:
                    logger.info("backend is reachable again")
                backoff, down = 0.0, False
                logger.debug("round done: %s", report)
        finally:
            await self.aclose()

    async def step(self, *, arrivals: int = 1) -> StepReport:
        """One round: arrivals, intake, the grab pool, fieldwork, manual dispatch, desk checks."""
        report = StepReport()
        centre = await self._centre_session()
        assert self._client is not None
        for _ in range(arrivals):
            await self._arrive(centre, report)
        await self._intake(centre, report)
        await self._hunt.round(self._client, centre, report)
        busy = await self._list(centre, FIELD_STATES, limit=1000)
        technician_ids = sorted({r["technician_id"] for r in busy if r["technician_id"]})
        await self._crew.work(self._client, centre, technician_ids, report)
        await self._answer_urges(centre, technician_ids, report)
        await self._agent.round(self._client, report, self._clock.now())
        await self._desk(centre, report)
        return report

    # -- (a) arrivals: platform webhooks, signed as the platform would sign them
    async def _arrive(self, centre: ApiSession, report: StepReport) -> None:
        now = self._clock.now()
        arrival = self._arrivals.arrival(self._factory.next(), now)
        if arrival.platform == "erp" and self._erp_inbox is not None:
            drop_export(self._erp_inbox, arrival, now)
            logger.info("erp export %s (%s) dropped in the inbox", arrival.platform_order_id,
                        arrival.kind)
            return
        assert self._client is not None
        request = arrival.request
        try:
            response = await self._client.post(
                f"/v1/intake/{arrival.platform}", params=dict(request.query),
                headers={**request.headers, "content-type": arrival.content_type},
                content=request.body,
            )
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"intake {arrival.platform}: {exc!r}") from exc
        if response.status_code >= 500:
            raise BackendUnavailable(f"intake {arrival.platform}: HTTP {response.status_code}")
        if response.status_code != 200:
            logger.info("%s %s (%s) refused: HTTP %s", arrival.platform,
                        arrival.platform_order_id, arrival.kind, response.status_code)
            report.rejected += 1
            return
        records = response.json()["outcomes"]
        outcomes = [o["outcome"] for o in records]
        logger.info("%s %s (%s): %s", arrival.platform, arrival.platform_order_id,
                    arrival.kind, ", ".join(outcomes))
        report.created += outcomes.count("created") + outcomes.count("review")
        report.rejected += outcomes.count("dead") + outcomes.count("refused")
        for record in records:
            if record["outcome"] not in ("created", "review"):
                continue
            for order_id in record.get("order_ids", []):
                mark = draw_mark(self._rng)
                if mark is not None:
                    await mark_arrival(centre, self._performer, order_id, mark, report)

    # -- (b) the intake centre: audit, place, classify; dispatch is the backend's from there
    async def _intake(self, centre: ApiSession, report: StepReport) -> None:
        await self._review(centre, report)
        in_review = self._in_review
        for row in await self._list(centre, INTAKE_STATES, sort="created_at", limit=20):
            if row["id"] in in_review:
                continue  # waits for an agent in the review queue
            order: dict[str, Any] | None = row
            while order is not None and order["state"] in INTAKE_STATES:
                order = await self._intake_step(centre, order, report)
                if centre_rules.pauses(self._rng):
                    break

    async def _review(self, centre: ApiSession, report: StepReport) -> None:
        """Stand-in for the agents: reviews left waiting a few minutes are decided."""
        page = await centre.get("/v1/intake/reviews")
        self._in_review = {item["order"]["id"] for item in page["rows"]}
        now = self._clock.now()
        for item in page["rows"]:
            order = item["order"]
            waited = now - datetime.fromisoformat(order["created_at"])
            approve = centre_rules.review_choice(self._rng, waited, item["score"],
                                                 self._review_patience)
            if approve is None:
                continue
            reason = centre_rules.review_reason(approve)
            try:
                await centre.post(f"/v1/intake/reviews/{order['id']}", {
                    "approve": approve, "version": order["version"], "reason": reason})
            except (Conflict, ApiError) as exc:
                logger.info("review of %s not taken: %s", order["order_no"], exc)
                continue
            self._in_review.discard(order["id"])
            report.actions["review_" + ("approve" if approve else "reject")] += 1

    async def _intake_step(
        self, centre: ApiSession, order: dict[str, Any], report: StepReport
    ) -> dict[str, Any] | None:
        move = centre_rules.intake_move(order["state"], order["county_adcode"],
                                        order["service_type"])
        if move is None:
            return None
        return await self._performer.perform(centre, order, move.action, report, move.reason,
                                             **move.fields)

    async def _answer_urges(self, centre: ApiSession, technician_ids: list[int],
                            report: StepReport) -> None:
        """Urges (core.demo.urge_replies): each busy technician's, then the centre's (the
        escalations, and the desk's reminders)."""
        assert self._client is not None
        now = self._clock.now()
        for technician_id in technician_ids:
            tech = await self._crew.session(self._client, centre, technician_id)
            if tech is not None:
                await self._urges.answer(ApiUrgeLine(tech), report, now)
        for target in DESK_TARGETS:
            await self._urges.answer(ApiUrgeLine(centre, target), report, now)

    # -- (c) desk checks after the visit
    async def _desk(self, centre: ApiSession, report: StepReport) -> None:
        # The served orders the backend did not verify itself: the verification review queue.
        queue = await centre.get("/v1/verification-reviews", params={"limit": 100})
        for row in queue["rows"]:
            approve = centre_rules.verification_choice(row["verdict"], self._rng)
            if approve is not None:
                await self._performer.decide_verification(
                    centre, {**row, "id": row["order_id"]}, approve,
                    centre_rules.verification_reason(approve), report)
        # Complaints from follow-up calls, ruled once they waited a while (the centre is a
        # supervisor); review periods end by the backend's own round, never by hand here.
        await self._followups.rule(ApiDesk(centre, self._performer), report, self._clock.now())

    async def _list(
        self, centre: ApiSession, states: tuple[str, ...], *, sort: str = "state_changed_at",
        limit: int,
    ) -> list[dict[str, Any]]:
        page = await centre.get("/v1/orders", params={
            "state": ",".join(states), "sort": sort, "direction": "asc", "limit": limit,
        })
        rows: list[dict[str, Any]] = page["rows"]
        return rows

    async def _centre_session(self) -> ApiSession:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self._base_url, transport=self._transport, timeout=15.0
            )
        if self._centre is None:
            session = ApiSession(self._client, CENTRE, self._password)
            await session.login()
            self._centre = session
        return self._centre


def pace_from_env() -> dict[str, Any]:
    """Simulator options from LASTMILE_DEMO_SPEED / LASTMILE_DEMO_ARRIVAL_SECONDS, if set."""
    options: dict[str, Any] = {}
    if os.environ.get(SPEED_ENV):
        options["speed"] = float(os.environ[SPEED_ENV])
    if os.environ.get(ARRIVAL_ENV):
        low, _, high = os.environ[ARRIVAL_ENV].partition(",")
        options["arrival_every"] = (float(low), float(high or low))
    return options


async def run_simulator(base_url: str, stop: asyncio.Event, **options: Any) -> None:
    """Run a simulator against `base_url` until `stop` is set (options as for Simulator;
    the pace may also come from the environment, see the module docstring)."""
    await Simulator(base_url, **(pace_from_env() | options)).run(stop)
