"""The screenshot tour: sign in as each demo role and photograph its workspace and docks.

`lastmile demo --tour DIR` runs it (offscreen on a machine without a screen); the README's
screenshots come from it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from console.client import LastmileClient
from console.language import Language, current, speak
from console.presenters.messages import describe
from console.tour_text import english_lines, report_english
from console.windows.map_feed import default_map
from console.windows.session import ConsoleSession
from console.windows.workspace import Workspace
from core.clock import WALL_CLOCK
from core.demo.clock import SHANGHAI
from ui.main_window import DEFAULT_SIZE
from ui.roles import ID_ROLE

log = logging.getLogger(__name__)
TOUR_ROLES = ("agent", "supervisor", "finance", "admin")
TOUR_PASSWORD = "demo"
# Hangzhou: the demo's two partner service points share its orders 60/40.
POLICY_SCOPE = "330100"
Photograph = Callable[[ConsoleSession, Path], Awaitable[bool]]


async def _until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    """Poll a condition on the running (qasync) loop; False when the time runs out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def run_tour(
    server_url: str,
    tour_dir: Path,
    roles: tuple[str, ...] = TOUR_ROLES,
    *,
    map_factory: Callable[[], QWidget] = default_map,
    size: QSize = DEFAULT_SIZE,
    language: Language | None = None,
) -> int:
    """Sign in as each demo role, let its workspace load, save DIR/<role>.png (and its docks').

    `language` (None: the one the console speaks now) is spoken for the tour only: nobody's
    saved choice changes. In Chinese every picture's visible texts are checked for English
    sentences (console.tour_text): found ones go to DIR/english-in-chinese.txt and the tour
    ends with ENGLISH_IN_CHINESE_EXIT (5) once all pictures are saved.
    """
    tour_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    spoken = current()
    if language is not None and app is not None:
        language = speak(app, language)
    try:
        return await _tour(server_url, tour_dir, roles, map_factory, size)
    finally:
        if language is not None and app is not None:
            speak(app, spoken)


async def _tour(server_url: str, tour_dir: Path, roles: tuple[str, ...],
                map_factory: Callable[[], QWidget], size: QSize) -> int:
    findings: list[str] = []
    # Fresh settings, so a saved layout or filter on this machine cannot change the pictures.
    with tempfile.TemporaryDirectory(prefix="lastmile-tour-") as tmp:
        ini = str(Path(tmp) / "console.ini")
        for role in roles:
            client = LastmileClient(server_url)
            try:
                token = await client.login(role, TOUR_PASSWORD)
            except Exception as exc:
                await client.aclose()
                print(f"tour: cannot sign in as {role}: {describe(exc)}", file=sys.stderr)
                return 1
            session = await ConsoleSession.open(
                client, token, server_url,
                settings_factory=lambda: QSettings(ini, QSettings.Format.IniFormat),
                map_factory=map_factory,
            )
            session.workspace.window.resize(size)
            try:
                pictures = [(role, _photograph),
                            *((f"{role}-{name}", shot) for name, shot in EXTRAS.get(role, ()))]
                for name, photograph in pictures:
                    path = tour_dir / f"{name}.png"
                    if not await photograph(session, path):
                        print(f"tour: could not write {path}", file=sys.stderr)
                        return 1
                    print(f"tour: {path}")
                    if current() is Language.ZH:
                        findings += english_lines(path.name, session.workspace.window)
            finally:
                await session.close()
    return report_english(tour_dir, findings, current() is Language.ZH)


async def _photograph(session: ConsoleSession, path: Path) -> bool:
    """Wait (bounded) for the queue, the selected order's detail and the map; save a PNG."""
    workspace = session.workspace
    workspace.window.show()
    if not await _until(session.is_live, 60):
        log.warning("tour: the %s workspace did not get live in time", workspace.spec.role)
    workspace.queue_view.select_first()
    await _until(lambda: _settled(workspace), 15)
    workspace.map_feed.push()
    if hasattr(workspace.map_widget, "is_loaded"):
        await _until(lambda: _map_loaded(workspace.map_widget), 20)
    await asyncio.sleep(1.5)  # markers, clusters and the selection's zoom draw a moment later
    # The feed may have moved things meanwhile: the picture shows a settled detail.
    await _until(lambda: _settled(workspace), 10)
    return workspace.window.grab().save(str(path))


def _settled(workspace: Workspace) -> bool:
    """The detail shows the order selected in the queue, and nothing is loading or sending."""
    selected = workspace.queue_view.selected_order()
    shown = workspace.presenter.current()
    if selected is None:
        return True
    return shown is not None and shown.id == selected and not workspace.presenter.is_busy()


def _map_loaded(map_widget: QWidget) -> bool:
    # MapView.is_loaded is a property; accept a method too.
    value = getattr(map_widget, "is_loaded", True)
    return bool(value() if callable(value) else value)


async def _photograph_listing(session: ConsoleSession, path: Path, desk: Any) -> bool:
    """A dock whose presenter polls a list (Intake, grab pool), raised once the list loaded."""
    if desk is None:
        return False
    desk.show_desk()
    desk.presenter.refresh(force=True)
    await asyncio.sleep(0.2)
    await _until(lambda: not desk.presenter.busy(), 15)
    await asyncio.sleep(0.5)
    return session.workspace.window.grab().save(str(path))


async def _photograph_intake(session: ConsoleSession, path: Path) -> bool:
    return await _photograph_listing(session, path, session.workspace.intake)


async def _photograph_dispatch(session: ConsoleSession, path: Path) -> bool:
    """The dispatch desk: orders needing a person, the first one's ranked candidates."""
    desk = session.workspace.docks.dispatch
    if desk is None:
        return False
    desk.show_desk()
    presenter = desk.presenter
    presenter.refresh()
    # Until the first order's candidates came (none in its city is an answer too), or the
    # desk turned out to have no order waiting.
    await _until(lambda: presenter.listed is not None
                 or (not presenter.polling.busy() and presenter.needs.rowCount() == 0), 20)
    await asyncio.sleep(0.5)
    return session.workspace.window.grab().save(str(path))


async def _photograph_routes(session: ConsoleSession, path: Path) -> bool:
    """The busiest technician's day route today (the timeline, and the path on the map)."""
    desk = session.workspace.docks.routes
    if desk is None:
        return False
    client = session.client
    held = Counter(r.technician_id for r in session.store.rows.values()
                   if r.technician_id is not None and r.state in ("accepted", "appointed"))
    today = WALL_CLOCK.now().astimezone(SHANGHAI).date()
    chosen = next(iter(held), None)
    for technician_id, _ in held.most_common(8):
        route = await client.technician_route(technician_id, today)
        if len(route.stops) >= 2:
            chosen = technician_id
            break
    desk.dock.show()
    desk.dock.raise_()
    if chosen is not None:
        desk.show_technician(chosen)
        await asyncio.sleep(0.3)
        await _until(lambda: not desk.presenter.busy(), 15)
    await asyncio.sleep(1.5)  # the path draws on the map a moment later
    return session.workspace.window.grab().save(str(path))


async def _photograph_pool(session: ConsoleSession, path: Path) -> bool:
    return await _photograph_listing(session, path, session.workspace.docks.pool)


async def _photograph_policies(session: ConsoleSession, path: Path) -> bool:
    """The policy editor on a city that sets its own point shares."""
    desk = session.workspace.docks.policies
    if desk is None:
        return False
    desk.show_desk()
    await asyncio.sleep(0.5)
    desk.presenter.select(POLICY_SCOPE)
    await asyncio.sleep(0.3)
    await _until(lambda: not desk.presenter.acting(), 15)
    await asyncio.sleep(0.8)
    return session.workspace.window.grab().save(str(path))


async def _photograph_risk(session: ConsoleSession, path: Path) -> bool:
    """Technician risk: the riskiest technician chosen, his flagged orders below."""
    desk = session.workspace.docks.risk
    if desk is None:
        return False
    presenter = desk.presenter
    desk.show_desk()
    presenter.refresh(force=True)
    await asyncio.sleep(0.2)
    await _until(lambda: presenter.refreshes > 0 and not presenter.busy(), 15)
    first = desk.view.proxy.index(0, 0).data(ID_ROLE)
    if isinstance(first, int):
        desk.view.select_technician(first)
        presenter.drill_down(first)
        await asyncio.sleep(0.2)
        await _until(lambda: presenter.detail is not None
                     and not presenter.detail_polling.busy(), 15)
    await asyncio.sleep(0.5)
    return session.workspace.window.grab().save(str(path))


async def _photograph_review(session: ConsoleSession, path: Path) -> bool:
    """Verification review: the most telling served order's evidence chain, its thumbnails
    arrived (a flagged order with photos, else one with photos, else the queue's first)."""
    desk = session.workspace.docks.review
    if desk is None:
        return False
    presenter = desk.presenter
    desk.show_desk()
    presenter.refresh(force=True)
    await asyncio.sleep(0.2)
    await _until(lambda: presenter.refreshes > 0 and not presenter.busy(), 15)
    rows = presenter.model.rows()
    with_photos = [r for r in rows if r.photos]
    chosen = next((r for r in with_photos if r.verdict == "flagged"),
                  next(iter(with_photos), next(iter(rows), None)))
    if chosen is not None:
        desk.view.select_order(chosen.order_id)
        await asyncio.sleep(0.2)
        await _until(lambda: presenter.evidence is not None
                     and presenter.evidence.order.id == chosen.order_id
                     and not presenter.loading(), 15)
    await asyncio.sleep(0.5)
    return session.workspace.window.grab().save(str(path))


async def _photograph_followups(session: ConsoleSession, path: Path) -> bool:
    """Follow-up calls: the worklist due first, its first call chosen with its script."""
    desk = session.workspace.docks.followups
    if desk is None:
        return False
    presenter = desk.presenter
    desk.show_desk()
    presenter.refresh(force=True)
    await asyncio.sleep(0.2)
    await _until(lambda: presenter.refreshes > 0 and not presenter.busy(), 15)
    rows = presenter.model.rows()
    if rows:
        chosen = rows[0]
        desk.view.select_followup(chosen.followup_id)
        await _until(lambda: desk.view.panel.row is not None, 5)
        # The detail beside it shows the order being called about (as Enter does).
        session.workspace.open_order(chosen.order_id)
        await _until(lambda: _showing(session.workspace, chosen.order_id), 15)
        desk.view.focus_current()
    await asyncio.sleep(0.8)
    return session.workspace.window.grab().save(str(path))


async def _photograph_sla(session: ConsoleSession, path: Path) -> bool:
    """The SLA board: counts by step and the open alerts once the scan recorded some (it runs
    every second in the demo: wait a little for them), the first alert chosen."""
    desk = session.workspace.docks.sla_board
    if desk is None:
        return False
    presenter = desk.presenter
    desk.show_desk()
    desk.view.tabs.setCurrentIndex(2)  # by step
    presenter.refresh(force=True)
    await asyncio.sleep(0.2)
    await _until(lambda: presenter.refreshes > 0 and not presenter.busy(), 15)
    # The scan records what is due within a second of the backend's start, well before the
    # tour reaches the supervisor: a board still empty after a few seconds has nothing to show.
    if not await _until(lambda: sum(presenter.counts()) > 0, 3, step=0.25):
        log.warning("tour: no SLA warning or breach on the board yet")
    await _until(lambda: not presenter.busy(), 5)
    desk.view.focus_current()
    await asyncio.sleep(0.8)
    return session.workspace.window.grab().save(str(path))


def _showing(workspace: Workspace, order_id: int) -> bool:
    shown = workspace.presenter.current()
    return shown is not None and shown.id == order_id and not workspace.presenter.is_busy()


# Besides its workspace, the tour photographs the docks each role works most.
EXTRAS: dict[str, tuple[tuple[str, Photograph], ...]] = {
    "agent": (("intake", _photograph_intake), ("dispatch", _photograph_dispatch),
              ("routes", _photograph_routes), ("review", _photograph_review),
              ("followups", _photograph_followups)),
    "supervisor": (("pool", _photograph_pool), ("policies", _photograph_policies),
                   ("risk", _photograph_risk), ("sla", _photograph_sla)),
}
