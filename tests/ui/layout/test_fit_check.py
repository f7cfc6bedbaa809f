"""The layout checker finds what a person would see as broken: a cut text, a widget past its
parent's edge, a window that cannot shrink to the screen, a form read by scrolling sideways."""

from __future__ import annotations

from fit_check import SMALL, misfits
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

TEXT = "Breach: back to manual dispatch when nobody answered the urge"


def shown(qtbot: QtBot, window: QWidget) -> QWidget:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_window_that_fits_has_no_misfits(qtbot: QtBot) -> None:
    window = QWidget()
    column = QVBoxLayout(window)
    column.addWidget(QLabel(TEXT))
    column.addWidget(QCheckBox(TEXT))
    assert misfits(shown(qtbot, window), SMALL) == []


def test_cut_texts_are_found(qtbot: QtBot) -> None:
    window = QWidget()
    label, box, edit = QLabel(TEXT, window), QCheckBox(TEXT, window), QLineEdit(window)
    edit.setPlaceholderText(TEXT)
    for y, widget in enumerate((label, box, edit)):
        widget.setGeometry(0, 30 * y, 80, 25)
    window.resize(300, 100)
    found = misfits(shown(qtbot, window), SMALL)
    assert len(found) == 3, found


def test_a_widget_past_the_edge_and_a_window_too_big_are_found(qtbot: QtBot) -> None:
    window = QWidget()
    window.setMinimumSize(1400, 600)
    QLabel("x", window).setGeometry(1390, 10, 40, 20)
    window.resize(1400, 600)
    found = misfits(shown(qtbot, window), SMALL)
    assert any("lies outside" in f for f in found)
    assert any("needs at least 1400×600" in f for f in found)


def test_a_form_read_by_scrolling_sideways_is_found(qtbot: QtBot) -> None:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    content = QWidget()
    content.setMinimumWidth(900)
    scroll.setWidget(content)
    scroll.resize(400, 300)
    found = misfits(shown(qtbot, scroll), SMALL)
    assert any("scrolled sideways" in f for f in found)
