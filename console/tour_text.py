"""What the tour reads off the screen in Chinese: every text the visible widgets show, and the
ones holding an English sentence (issue 13: a Chinese picture must not show the backend's
English).

The rule (`english_sentence`): a run of three or more English words in a row, a word being a
whitespace-separated token of Latin letters only (an apostrophe or hyphen inside is allowed; a
comma, full stop, colon or parentheses around it are punctuation); numbers and times between
words neither count nor cut the run ("accept breach: 0:00:00 left, due 2026-…" is one). What
it lets through by construction: order numbers, adcodes, ISO times and amounts (no letters, or
no word), units ("3.2 km", one word), codes and acronyms in capitals ("SN-TOILET", "SLA", "OK"),
a product or place name of one or two words, and the map's attribution (Leaflet /
OpenStreetMap, not the backend's text).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QTreeView,
    QWidget,
)

ENGLISH_REPORT = "english-in-chinese.txt"  # one line per finding: picture, widget, sentence, text
ENGLISH_IN_CHINESE_EXIT = 5  # every picture saved, but a Chinese one shows English
MIN_WORDS = 3
WORD = re.compile(r"^[(\[\"'“‘]*([A-Za-z]+(?:['-][A-Za-z]+)*)[)\]\"'”’.,;:!?…]*$")
ATTRIBUTION = re.compile(r"leaflet|openstreetmap|©", re.IGNORECASE)
LETTER = re.compile(r"[A-Za-z]")
TAG = re.compile(r"<[^>]+>")
# Chinese characters and their punctuation cut a run as any other non-word does.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
MAX_ROWS = 200  # a visible view never shows more; a bound on a big model


def english_sentence(text: str) -> str | None:
    """The first run of MIN_WORDS or more English words in `text` (see the module), or None."""
    if ATTRIBUTION.search(text):
        return None
    run: list[str] = []
    words = 0
    for token in [*CHINESE.sub(" 。 ", text).split(), "。"]:
        match = WORD.match(token)
        if match is not None and not match.group(1).isupper():
            run.append(token)
            words += 1
        elif run and not LETTER.search(token) and token != "。":
            run.append(token)  # a number or time inside English ("0:00:00 left") is part of it
        elif words >= MIN_WORDS:
            while not WORD.match(run[-1]):
                run.pop()
            return " ".join(run)
        else:
            run, words = [], 0
    return None


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each text the window's visible widgets show: labels, buttons, window,
    dock and group titles, tabs, read-only fields, and the visible cells and headers of every
    visible item view (tooltips left out)."""
    yield "window title", window.windowTitle()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        where = type(widget).__name__ + (f"#{widget.objectName()}" if widget.objectName() else "")
        if isinstance(widget, QLabel):
            yield where, TAG.sub(" ", widget.text())
        elif isinstance(widget, QAbstractButton):
            yield where, widget.text()
        elif isinstance(widget, QDockWidget):
            yield where, widget.windowTitle()
        elif isinstance(widget, QGroupBox):
            yield where, widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield where, widget.tabText(i)
        elif isinstance(widget, QComboBox):
            yield where, widget.currentText()
        elif isinstance(widget, QLineEdit) and widget.isReadOnly():
            yield where, widget.text()
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly():
            yield where, widget.toPlainText()
        elif isinstance(widget, QAbstractItemView):
            for text in _view_texts(widget):
                yield where, text


def _view_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    if header is not None and header().isVisible():
        for column in range(model.columnCount()):
            if not header().isSectionHidden(column):
                yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    yield from _cells(view, QModelIndex())


def _cells(view: QAbstractItemView, parent: QModelIndex) -> Iterator[str]:
    model = view.model()
    area = view.viewport().rect()
    for row in range(min(model.rowCount(parent), MAX_ROWS)):
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            if not view.visualRect(index).intersects(area):
                continue
            value = index.data(Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)
        first = model.index(row, 0, parent)
        if isinstance(view, QTreeView) and view.isExpanded(first):
            yield from _cells(view, first)


def english_findings(window: QWidget) -> list[tuple[str, str, str]]:
    """(where, sentence, whole text) for each visible text holding an English sentence."""
    found = []
    for where, text in visible_texts(window):
        sentence = english_sentence(text) if text else None
        if sentence is not None:
            found.append((where, sentence, " ".join(text.split())))
    return found


def english_lines(picture: str, window: QWidget) -> list[str]:
    """The report's lines for one picture: picture, widget, sentence, whole text (tab apart)."""
    return [f"{picture}\t{where}\t{sentence}\t{text}"
            for where, sentence, text in english_findings(window)]


def report_english(tour_dir: Path, lines: list[str], checked: bool) -> int:
    """Write DIR/english-in-chinese.txt (only when the tour spoke Chinese and so `checked`);
    the tour's exit code: ENGLISH_IN_CHINESE_EXIT when it holds a finding."""
    report = tour_dir / ENGLISH_REPORT
    report.unlink(missing_ok=True)
    if not checked:
        return 0
    report.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    if lines:
        print(f"tour: {len(lines)} English sentence(s) in Chinese pictures, see {report}",
              file=sys.stderr)
        return ENGLISH_IN_CHINESE_EXIT
    return 0
