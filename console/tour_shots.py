"""What the tour shows before each picture: a workspace or dock brought to a telling state.

Each stage waits (bounded) for what it asked the backend; the tour (console.tour) then waits
for the window to stop changing and grabs it, at every size asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

from console.windows.session import ConsoleSession
from console.windows.workspace import Workspace
from core.clock import WALL_CLOCK
from core.demo.clock import SHANGHAI
from ui.roles import ID_ROLE

log = logging.getLogger(__name__)
# Hangzhou: the demo's two partner service points share its orders 60/40.
POLICY_SCOPE = "330100"
# Brings the session's window to what a picture shows; False when the role has no such desk.
Stage = Callable[[ConsoleSession], Awaitable[bool]]


async def until(condition: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    """Poll a condition on the running (qasync) loop; False when the time runs out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def refreshed(presenter: Any, timeout: float = 15) -> bool:
    """Ask a listing presenter for fresh rows; True once they came (its `refreshes` count
    went up) and nothing more is loading."""
    before = presenter.refreshes
    presenter.refresh(force=True)
    return await until(lambda: presenter.refreshes > before and not presenter.busy(), timeout)


async def stage_workspace(session: ConsoleSession) -> bool:
    """The workspace live, its queue's first order selected and shown in the detail."""
    workspace = session.workspace
    workspace.window.show()
    if not await until(session.is_live, 60):
        log.warning("tour: the %s workspace did not get live in time", workspace.spec.role)
    workspace.queue_view.select_first()
    await until(lambda: _settled(workspace), 15)
    workspace.map_feed.push()
    return True


def _settled(workspace: Workspace) -> bool:
    """The detail shows the order selected in the queue, and nothing is loading or sending."""
    selected = workspace.queue_view.selected_order()
    shown = workspace.presenter.current()
    if selected is None:
        return True
    return shown is not None and shown.id == selected and not workspace.presenter.is_busy()


def _showing(workspace: Workspace, order_id: int) -> bool:
    shown = workspace.presenter.current()
    return shown is not None and shown.id == order_id and not workspace.presenter.is_busy()


async def _listing(desk: Any) -> bool:
    """A dock whose presenter polls a list, raised and its list fresh; False when this role
    has no such dock."""
    if desk is None:
        return False
    desk.show_desk()
    await refreshed(desk.presenter)
    return True


async def stage_intake(session: ConsoleSession) -> bool:
    return await _listing(session.workspace.intake)


async def stage_pool(session: ConsoleSession) -> bool:
    return await _listing(session.workspace.docks.pool)


async def stage_dispatch(session: ConsoleSession) -> bool:
    """The dispatch desk: orders needing a person, the first one's ranked candidates."""
    desk = session.workspace.docks.dispatch
    if desk is None:
        return False
    desk.show_desk()
    presenter = desk.presenter
    presenter.refresh()
    # Until the first order's candidates came (none in its city is an answer too), or the
    # desk turned out to have no order waiting.
    await until(lambda: presenter.listed is not None
                or (not presenter.polling.busy() and presenter.needs.rowCount() == 0), 20)
    return True


async def stage_routes(session: ConsoleSession) -> bool:
    """The busiest technician's day route (the timeline, and the path on the map): today's,
    or tomorrow's when nobody has two visits left today (a tour late in the evening)."""
    desk = session.workspace.docks.routes
    if desk is None:
        return False
    held = Counter(r.technician_id for r in session.store.rows.values()
                   if r.technician_id is not None and r.state in ("accepted", "appointed"))
    today = WALL_CLOCK.now().astimezone(SHANGHAI).date()
    chosen, day = await _busy_day(session, [t for t, _ in held.most_common(8)],
                                  (today, today + timedelta(days=1)))
    chosen = chosen if chosen is not None else next(iter(held), None)
    desk.dock.show()
    desk.dock.raise_()
    if chosen is not None:
        desk.panel.set_day(day)
        desk.show_technician(chosen)
        presenter = desk.presenter
        await until(lambda: presenter.current is not None
                    and (presenter.current.technician_id, presenter.current.day) == (chosen, day)
                    and not presenter.pending() and not presenter.busy(), 15)
    return True


async def _busy_day(session: ConsoleSession, technicians: list[int],
                    days: tuple[date, ...]) -> tuple[int | None, date]:
    """The first day and technician (busiest first) with a route of two stops or more."""
    for day in days:
        for technician_id in technicians:
            route = await session.client.technician_route(technician_id, day)
            if len(route.stops) >= 2:
                return technician_id, day
    return None, days[0]


async def stage_policies(session: ConsoleSession) -> bool:
    """The policy editor on a city that sets its own point shares."""
    desk = session.workspace.docks.policies
    if desk is None:
        return False
    presenter = desk.presenter
    desk.show_desk()
    # Showing it fetches the scopes and loads the default; then the city replaces it.
    await until(lambda: bool(presenter.scopes), 15)
    presenter.select(POLICY_SCOPE)
    await until(lambda: presenter.shown == POLICY_SCOPE and not presenter.acting(), 15)
    return True


async def stage_risk(session: ConsoleSession) -> bool:
    """Technician risk: the riskiest technician chosen, his flagged orders below."""
    desk = session.workspace.docks.risk
    if desk is None or not await _listing(desk):
        return False
    presenter = desk.presenter
    first = desk.view.proxy.index(0, 0).data(ID_ROLE)
    if isinstance(first, int):
        desk.view.select_technician(first)
        presenter.drill_down(first)
        await until(lambda: presenter.detail is not None
                    and presenter.detail.risk.technician_id == first
                    and not presenter.detail_polling.busy(), 15)
    return True


async def stage_review(session: ConsoleSession) -> bool:
    """Verification review: the most telling served order's evidence chain, its thumbnails
    arrived (a flagged order with photos, else one with photos, else the queue's first)."""
    desk = session.workspace.docks.review
    if desk is None or not await _listing(desk):
        return False
    presenter = desk.presenter
    rows = presenter.model.rows()
    with_photos = [r for r in rows if r.photos]
    chosen = next((r for r in with_photos if r.verdict == "flagged"),
                  next(iter(with_photos), next(iter(rows), None)))
    if chosen is not None:
        desk.view.select_order(chosen.order_id)
        await until(lambda: presenter.evidence is not None
                    and presenter.evidence.order.id == chosen.order_id
                    and not presenter.loading(), 15)
    return True


async def stage_followups(session: ConsoleSession) -> bool:
    """Follow-up calls: the worklist due first, its first call chosen with its script."""
    desk = session.workspace.docks.followups
    if desk is None or not await _listing(desk):
        return False
    presenter = desk.presenter
    rows = presenter.model.rows()
    if rows:
        chosen = rows[0]
        desk.view.select_followup(chosen.followup_id)
        await until(lambda: desk.view.panel.row is not None, 5)
        # The detail beside it shows the order being called about (as Enter does).
        session.workspace.open_order(chosen.order_id)
        await until(lambda: _showing(session.workspace, chosen.order_id), 15)
        desk.view.focus_current()
    return True


async def stage_sla(session: ConsoleSession) -> bool:
    """The SLA board: counts by step and the open alerts, the first alert chosen."""
    desk = session.workspace.docks.sla_board
    if desk is None or not await _listing(desk):
        return False
    presenter = desk.presenter
    desk.view.tabs.setCurrentIndex(2)  # by step
    # The scan records what is due every second from the backend's start, many seconds before
    # the tour reaches the supervisor: a fresh board that is empty has nothing to show.
    if sum(presenter.counts()) == 0:
        log.warning("tour: no SLA warning or breach on the board")
    desk.view.focus_current()
    return True


# Besides its workspace, the tour photographs the docks each role works most.
EXTRAS: dict[str, tuple[tuple[str, Stage], ...]] = {
    "agent": (("intake", stage_intake), ("dispatch", stage_dispatch),
              ("routes", stage_routes), ("review", stage_review),
              ("followups", stage_followups)),
    "supervisor": (("pool", stage_pool), ("policies", stage_policies),
                   ("risk", stage_risk), ("sla", stage_sla)),
}
