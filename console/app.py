"""Starting the console: translator, login, the workspace (or the screenshot tour)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QLocale, QSize
from PySide6.QtWidgets import QApplication

from console.client import LastmileClient
from console.event_loop import ConsoleEventLoop
from console.fonts import install_cjk_font
from console.language import Language, chosen, of_locale, speak
from console.presenters.messages import MessageRoute
from console.presenters.session.sign_in import SessionPresenter
from console.tour import run_tour
from console.windows.session import ConsoleSession
from console.windows.workspace import open_settings
from ui.main_window import DEFAULT_SIZE
from ui.session.login_dialog import LoginDialog

log = logging.getLogger(__name__)
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
STYLE = RESOURCES / "styles" / "console.qss"


def install_translator(app: QApplication, locale: str | QLocale | None = None) -> bool:
    """Speak the locale's language (Chinese unless it names English); None: the language chosen
    on this machine (console.language.chosen: LANG/LC_ALL do not count). True if Chinese."""
    if isinstance(locale, QLocale):
        locale = locale.name()
    wanted = of_locale(locale) if locale else chosen(open_settings())
    return speak(app, wanted or Language.EN) is Language.ZH


def quiet_http_logs(verbose: bool | None = None) -> None:
    """httpx logs every request at INFO: a line per feed poll. Keep them for --verbose."""
    if verbose is None:
        verbose = logging.getLogger().isEnabledFor(logging.DEBUG)
    level = logging.NOTSET if verbose else logging.WARNING
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(level)


async def run_console(
    server_url: str,
    *,
    tour_dir: Path | None = None,
    auto_login: tuple[str, str] | None = None,
    tour_size: Sequence[tuple[int, int]] | None = None,
    tour_language: str | None = None,
) -> int:
    """Run the console until its window closes (or the tour is done); returns an exit code."""
    if tour_dir is not None:
        return await run_tour(server_url, Path(tour_dir),
                              size=[QSize(*s) for s in tour_size] if tour_size else DEFAULT_SIZE,
                              language=of_locale(tour_language) if tour_language else None)
    route = MessageRoute()
    dialog = LoginDialog(server_url)
    session_presenter = SessionPresenter(dialog, LastmileClient, route)
    signed_in: asyncio.Future[tuple[object, object]] = asyncio.get_running_loop().create_future()

    def done(client: object, token: object) -> None:
        if not signed_in.done():
            signed_in.set_result((client, token))

    def rejected() -> None:
        if not signed_in.done():
            signed_in.cancel()

    session_presenter.signedIn.connect(done)
    dialog.rejected.connect(rejected)
    dialog.show()
    log.info("sign-in dialog open for %s", server_url)
    if auto_login is not None:
        dialog.user_edit.setText(auto_login[0])
        dialog.password_edit.setText(auto_login[1])
        dialog.submit()
    try:
        client, token = await signed_in
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():  # Ctrl+C, not the dialog's Cancel
            raise
        return 1
    # The person's own language, before their workspace is built (Session > Language).
    app = QApplication.instance()
    if app is not None:
        username = str(getattr(getattr(token, "user", None), "username", ""))
        speak(app, chosen(open_settings(), username))
    session = await ConsoleSession.open(client, token, server_url, route=route)  # type: ignore[arg-type]
    session.workspace.window.show()
    try:
        await session.closed
    finally:  # also when Ctrl+C cancels the console: sign out and stop syncing
        await session.close()
    return 0


def main(
    server_url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    tour_dir: Path | None = None,
    verbose: bool | None = None,
    tour_size: Sequence[tuple[int, int]] | None = None,
    tour_language: str | None = None,
) -> int:
    """Entry point for `lastmile console` and `lastmile demo`.

    verbose None follows the root logger (`lastmile -v` sets it to DEBUG).
    """
    quiet_http_logs(verbose)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium (the map) refuses to start as root with its sandbox on.
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401 - must precede the QApplication
    except ImportError:
        log.info("QtWebEngine is not installed; the map is off")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Lastmile")
    app.setApplicationName("console")
    # The login dialog closes before the main window opens; the console ends when
    # run_console returns, not when the last window happens to close.
    app.setQuitOnLastWindowClosed(False)
    install_cjk_font(app)  # Chinese, not boxes, on a machine without CJK fonts
    install_translator(app)
    if STYLE.exists():
        app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    auto = (user, password) if user and password else None
    loop = ConsoleEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        task = loop.create_task(run_console(server_url, tour_dir=tour_dir, auto_login=auto,
                                            tour_size=tour_size, tour_language=tour_language))
        with stop_on_interrupt(loop, task):
            try:
                result: int = loop.run_until_complete(task)
            except asyncio.CancelledError:
                log.info("interrupted: the console closes")
                result = 0
    return result


@contextmanager
def stop_on_interrupt(loop: asyncio.AbstractEventLoop, task: asyncio.Task[int]) -> Iterator[None]:
    """Ctrl+C (SIGINT) and SIGTERM cancel the console's task while Qt runs its loop.

    A plain Python handler would wait for Python code to run (Qt's loop is C++), and a
    KeyboardInterrupt raised inside a Qt slot is printed, not propagated: the console ignored
    Ctrl+C. The loop's signal handlers wake it through its self-pipe instead.
    """
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.getsignal(sig) for sig in signals}
    try:
        for sig in signals:
            loop.add_signal_handler(sig, task.cancel)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows; or not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
            signal.signal(sig, previous[sig])
