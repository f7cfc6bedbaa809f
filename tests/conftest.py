"""Test set-up shared by every suite: Qt offscreen, Chromium without sandbox, qasync loops."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

# Before anything imports Qt: no screen here or in CI, and Chromium refuses to run as root
# with its sandbox on (../shared/NOTES-desktop-stack.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("LANG", "C.UTF-8")

# QtWebEngine must be imported before the QApplication is created; ui.map_view imports it.
import ui.map_view  # noqa: F401

QT_SUITES = ("ui", "e2e")


def _qasync_loop() -> asyncio.AbstractEventLoop:
    from PySide6.QtWidgets import QApplication

    from console.event_loop import ConsoleEventLoop

    app = QApplication.instance() or QApplication([])
    return ConsoleEventLoop(app)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Console tests await on a qasync loop, so Qt signals and timers fire while they wait."""
    parts = Path(str(item.path)).relative_to(Path(__file__).parent).parts
    if parts and parts[0] in QT_SUITES:
        return {"qasync": _qasync_loop}
    return {"asyncio": asyncio.new_event_loop}


@pytest.fixture(autouse=True)
def _collect_qt_garbage_here(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a Qt test, collect reference cycles on the GUI thread.

    Otherwise a later test's worker thread (TestClient, executors) may run the collection and
    destroy leftover QObjects off their thread, leaving Qt with dangling timers (SIGSEGV).
    """
    yield
    parts = Path(str(request.node.path)).relative_to(Path(__file__).parent).parts
    if parts and parts[0] in QT_SUITES:
        gc.collect()


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep QSettings and the console's data files out of the user's home during tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(home / "lastmile"))
