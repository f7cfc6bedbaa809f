"""Fixtures for the console's Qt tests: settings in a temp dir, fakes, a message recorder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from ui_support import Messages

from console.language import Language, set_current


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> Iterator[None]:
    """No test reads or writes the user's real QSettings("Lastmile", "console")."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def _keep_running_without_windows(qapp: QApplication) -> None:
    """As in console.app.main: closing a dialog must not quit the app (and stop qasync)."""
    qapp.setQuitOnLastWindowClosed(False)


@pytest.fixture(autouse=True)
def _english_without_a_catalogue() -> Iterator[None]:
    """A test that installs the Chinese catalogue (and removes it) leaves the console's
    language English again, as the labels are: server text is picked to match."""
    yield
    set_current(Language.EN)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[[], QSettings]:
    path = str(tmp_path / "console.ini")
    return lambda: QSettings(path, QSettings.Format.IniFormat)


@pytest.fixture
def messages() -> Messages:
    return Messages()
