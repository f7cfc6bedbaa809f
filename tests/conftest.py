"""Test set-up shared by every suite: Qt offscreen, Chromium without sandbox, qasync loops."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Callable, Generator, Mapping
from pathlib import Path

import pytest

# Before anything imports Qt: no screen here or in CI, and Chromium refuses to run as root
# with its sandbox on (../shared/NOTES-desktop-stack.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("LANG", "C.UTF-8")

# The product's packages, not the test folders of the same names: pytest puts tests/ on sys.path,
# where tests/ui would be taken for a namespace package `ui` (the editable install's finder comes
# after it) and tests/ui/intake for `ui.intake`. A regular package found anywhere wins.
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

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


def _in_qt_suite(item: pytest.Item) -> bool:
    parts = Path(str(item.path)).relative_to(Path(__file__).parent).parts
    return bool(parts) and parts[0] in QT_SUITES


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what every test shares (modules, collected items) out of later collections.

    A full collection walks every tracked object: with the product, Qt and the test items
    loaded that took 0.2-1.4 s, paid by each Qt test's collection below and by Python's own.
    """
    gc.collect()
    gc.freeze()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """After a Qt test, collect reference cycles on the GUI thread.

    Otherwise a later test's worker thread (TestClient, executors) may run the collection and
    destroy leftover QObjects off their thread, leaving Qt with dangling timers (SIGSEGV).
    This runs once pytest has dropped the test's fixture values, so their cycles go too. What
    survives outlives the test (sessions' and modules' objects, caches) and is frozen, so the
    next collection walks only what later tests create.
    """
    done = yield
    if _in_qt_suite(item):
        gc.collect()
        gc.freeze()
    return done


@pytest.fixture(autouse=True)
def _isolated_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep QSettings and the console's data files out of the user's home during tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("LASTMILE_DATA_DIR", str(home / "lastmile"))
