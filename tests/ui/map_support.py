"""The real offline map page in Qt WebEngine, for the map tests: a view that is deleted in time,
waiting for the page to load, and evaluating JavaScript until an answer holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent

from ui.map_view import MapView

LOAD_TIMEOUT_MS = 30_000
JS_TIMEOUT_MS = 10_000


def shown_map_view() -> Iterator[MapView]:
    """For a fixture: a shown 800x600 MapView, deleted right after the test."""
    widget = MapView()
    widget.resize(800, 600)
    widget.show()
    yield widget
    # Delete now, not at exit: a page outliving its profile makes WebEngine warn and may crash.
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_loaded(qtbot: Any, view: MapView) -> MapView:
    if not view.is_loaded:
        with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
            pass
    return view


def wait_js(qtbot: Any, view: MapView, script: str, accept: Callable[[Any], bool]) -> Any:
    """Evaluate script in the page until accept(result) holds; returns that result."""
    answers: list[Any] = []
    pending = [False]

    def answered(value: Any) -> None:
        pending[0] = False
        answers.append(value)

    def check() -> None:
        if answers and accept(answers[-1]):
            return
        if not pending[0]:
            pending[0] = True
            view.page().runJavaScript(script, 0, answered)
        raise AssertionError(f"{script} -> {answers[-1:]}")

    qtbot.waitUntil(check, timeout=JS_TIMEOUT_MS)
    return answers[-1]
