"""The screenshot tour: sign in as each demo role and photograph its workspace and docks.

`lastmile demo --tour DIR` runs it (offscreen on a machine without a screen); the README's
screenshots come from it. Each picture is staged once (console.tour_shots) and grabbed at
every size asked: with more than one size, each size's pictures go to a folder of their own
(DIR/1366x768/agent.png, DIR/1920x1080/agent.png); with one, to DIR itself.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from console.client import LastmileClient
from console.language import Language, current, speak
from console.presenters.messages import describe
from console.tour_shots import EXTRAS, Stage, stage_workspace, until
from console.tour_text import TextCheck, check_for, report
from console.windows.map_feed import default_map
from console.windows.session import ConsoleSession
from ui.main_window import DEFAULT_SIZE

log = logging.getLogger(__name__)
TOUR_ROLES = ("agent", "supervisor", "finance", "admin")
TOUR_PASSWORD = "demo"
# Where the map page is, as "moving|drawing|drawn WxH": moving until Leaflet took the page's
# size and its moveend after a resize came, when the boundary canvas is redrawn for the new
# view; drawn two animation frames after that. Leaflet takes a new size an animation frame
# after the page's resize event and fires moveend 200 ms later: asked first, the page takes
# it at once (the same invalidateSize, moveend not debounced; Leaflet's own call then finds
# nothing to do).
MAP_STATE_JS = """(function () {
  var w = window, map = w.lastmile.parts().map, c = map.getContainer();
  if (!w.lmTour) {
    w.lmTour = { resized: 0, moved: 0, drawn: null };
    map.on("resize", function () { w.lmTour.resized = performance.now(); w.lmTour.drawn = null; });
    map.on("moveend", function () { w.lmTour.moved = performance.now(); w.lmTour.drawn = null; });
  }
  var t = w.lmTour, size = map._size, page = " " + w.innerWidth + "x" + w.innerHeight;
  if (size && (size.x !== c.clientWidth || size.y !== c.clientHeight)) {
    map.invalidateSize({ debounceMoveend: false });
    t.moved = performance.now();  // its moveend came just before its resize event
  }
  if (!size || t.moved < t.resized) return "moving" + page;
  if (t.drawn === null) {
    t.drawn = false;
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      if (t.drawn === false) t.drawn = true;
    }); });
  }
  return (t.drawn ? "drawn" : "drawing") + page;
})()"""


async def run_tour(
    server_url: str,
    tour_dir: Path,
    roles: tuple[str, ...] = TOUR_ROLES,
    *,
    map_factory: Callable[[], QWidget] = default_map,
    size: QSize | Sequence[QSize] = DEFAULT_SIZE,
    language: Language | None = None,
) -> int:
    """Sign in as each demo role, let its workspace load, save <role>.png (and its docks') at
    each size (see the module for where).

    `language` (None: the one the console speaks now) is spoken for the tour only: nobody's
    saved choice changes. Every picture at every size is checked (console.tour_text): in
    Chinese for English sentences (DIR/english-in-chinese.txt, exit 5), in English for Chinese
    in the console's own words (DIR/chinese-in-english.txt, exit 6), once all are saved.
    """
    sizes = [size] if isinstance(size, QSize) else list(size)
    tour_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    spoken = current()
    if language is not None and app is not None:
        language = speak(app, language)
    try:
        return await _tour(server_url, tour_dir, roles, map_factory, sizes)
    finally:
        if language is not None and app is not None:
            speak(app, spoken)


def picture_folder(tour_dir: Path, size: QSize, sizes: Sequence[QSize]) -> Path:
    """Where the pictures of this size go: DIR itself for one size, DIR/WxH among several."""
    return tour_dir / f"{size.width()}x{size.height()}" if len(sizes) > 1 else tour_dir


async def _tour(server_url: str, tour_dir: Path, roles: tuple[str, ...],
                map_factory: Callable[[], QWidget], sizes: list[QSize]) -> int:
    check = check_for(current())
    findings: list[str] = []
    saves: list[tuple[Path, asyncio.Future[bool]]] = []
    for size in sizes:
        picture_folder(tour_dir, size, sizes).mkdir(parents=True, exist_ok=True)
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
            try:
                pictures: list[tuple[str, Stage]] = [
                    (role, stage_workspace),
                    *((f"{role}-{name}", stage) for name, stage in EXTRAS.get(role, ()))]
                for name, stage in pictures:
                    # Staged at the first size: what fits there stays in view when it grows.
                    await _resize(session, sizes[0])
                    staged = await stage(session)
                    for size in sizes:
                        path = picture_folder(tour_dir, size, sizes) / f"{name}.png"
                        if not staged:
                            print(f"tour: could not write {path}", file=sys.stderr)
                            return 1
                        saves.append((path, await _picture(session, size, path)))
                        findings += _found(check, tour_dir, path, session)
            finally:
                await session.close()
    for path, saved in saves:
        if not await saved:
            print(f"tour: could not write {path}", file=sys.stderr)
            return 1
        print(f"tour: {path}")
    return report(tour_dir, check, findings)


def _found(check: TextCheck, tour_dir: Path, path: Path, session: ConsoleSession) -> list[str]:
    return check.lines(path.relative_to(tour_dir).as_posix(), session.workspace.window,
                       data=(session.token.user.display_name,))


async def _resize(session: ConsoleSession, size: QSize) -> None:
    window = session.workspace.window
    if window.size() != size:
        window.resize(size)
        await until(lambda: window.size() == size, 2)


async def _picture(session: ConsoleSession, size: QSize, path: Path) -> asyncio.Future[bool]:
    """The window at this size, once its layout and the map settled, being saved as a PNG."""
    await _resize(session, size)
    await _map_drawn(session.workspace.map_widget)
    image = await _steady_grab(session.workspace.window)
    # Compressing the PNG takes a while (a third of a second at 1920×1080): in a thread
    # (QImage.save lets go of the GIL) while the tour goes on; awaited at the end.
    return asyncio.ensure_future(asyncio.to_thread(image.save, str(path)))


async def _steady_grab(window: QWidget, timeout: float = 3, step: float = 0.05) -> QImage:
    """The window's picture once two grabs a step apart agree (late layouts, repaints and the
    map's frame have landed); the last one when it keeps changing for `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = window.grab().toImage()
    while True:
        await asyncio.sleep(step)
        image = window.grab().toImage()
        if image == last:
            return image
        if loop.time() > deadline:
            log.info("tour: the window kept changing for %.0f s; taking it as it is", timeout)
            return image
        last = image


async def _map_drawn(map_widget: QWidget, timeout: float = 20) -> bool:
    """Wait (bounded) until the map's page loaded, has the widget's size, Leaflet moved to it
    and drew since: markers, clusters, boundaries, the selection and a route are then on it."""
    page = getattr(map_widget, "page", None)
    if page is None or not map_widget.isVisible():
        return True  # no map here (no WebEngine), or hidden behind a dock: nothing to wait for
    if not await until(lambda: bool(getattr(map_widget, "is_loaded", True)), timeout):
        log.warning("tour: the map did not load in time")
        return False
    wanted = f"drawn {map_widget.width()}x{map_widget.height()}"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while (state := await _js(page(), MAP_STATE_JS)) != wanted:
        if loop.time() > deadline:
            log.warning("tour: the map is not drawn at the widget's size (%s)", state)
            return False
        await asyncio.sleep(0.02)
    return True


async def _js(page: object, script: str, timeout: float = 2) -> object:
    """What the page's script returns (None when the page does not answer in time)."""
    answer: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    def answered(value: object) -> None:
        if not answer.done():
            answer.set_result(value)

    page.runJavaScript(script, 0, answered)  # type: ignore[attr-defined]
    try:
        return await asyncio.wait_for(answer, timeout)
    except TimeoutError:
        return None
