"""Regression guard: PySide6 6.12.0 on CPython 3.11 leaks references to None and True.

Every void C++ call lost one reference to None and every SignalInstance.disconnect() one to True;
after a few thousand the interpreter aborted ("none_dealloc"). pyproject pins PySide6 below 6.12.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal()


def _slot() -> None:
    pass


def test_void_calls_keep_none_refcount(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    timer = QTimer()
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText(str(i & 7))
        timer.setInterval(i & 15)
    after = sys.getrefcount(None)
    # Other code may take a few references meanwhile; a leak would lose about 40,000.
    assert after >= before - 100


def test_disconnect_keeps_true_refcount(qtbot: QtBot) -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(2_000):
        emitter.fired.connect(_slot)
        emitter.fired.disconnect(_slot)
    after = sys.getrefcount(True)
    assert after >= before - 50
