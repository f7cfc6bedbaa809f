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

In English the tour checks the console's own words instead (`chrome_texts`: buttons, tabs,
group and dock titles, header labels, menus and actions, the window title) for Chinese
characters; names and addresses are data and live in labels and cells, which it leaves out.
Both checks report the same way (`TextCheck`, `report`): one file of findings in the tour's
folder and an exit code of their own.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QToolBar,
    QTreeView,
    QWidget,
)

from console.language import Language
from console.windows.language_menu import NAMES

ENGLISH_REPORT = "english-in-chinese.txt"  # one line per finding: picture, widget, sentence, text
ENGLISH_IN_CHINESE_EXIT = 5  # every picture saved, but a Chinese one shows English
CHINESE_REPORT = "chinese-in-english.txt"  # the same lines: picture, widget, Chinese, text
CHINESE_IN_ENGLISH_EXIT = 6  # every picture saved, but the English console's chrome has Chinese
MIN_WORDS = 3
WORD = re.compile(r"^[(\[\"'“‘]*([A-Za-z]+(?:['-][A-Za-z]+)*)[)\]\"'”’.,;:!?…]*$")
ATTRIBUTION = re.compile(r"leaflet|openstreetmap|©", re.IGNORECASE)
LETTER = re.compile(r"[A-Za-z]")
TAG = re.compile(r"<[^>]+>")
# Chinese characters and their punctuation: they cut an English run as any other non-word does,
# and have no place among the English console's own words.
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
    """(where, text) for each text the window's visible widgets show: the console's own words
    (`chrome_texts`) and what they show of the data: labels, read-only fields, the chosen item
    of a combo box and the visible cells of every visible item view (tooltips left out)."""
    yield "window title", window.windowTitle()
    for where, widget in _visible(window):
        yield from _own_words(where, widget)
        if isinstance(widget, QLabel):
            yield where, TAG.sub(" ", widget.text())
        elif isinstance(widget, QComboBox):
            yield where, widget.currentText()
        elif isinstance(widget, QLineEdit) and widget.isReadOnly():
            yield where, widget.text()
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)) and widget.isReadOnly():
            yield where, widget.toPlainText()
        elif isinstance(widget, QAbstractItemView):
            for text in _cells(widget, QModelIndex()):
                yield where, text


def _visible(window: QWidget) -> Iterator[tuple[str, QWidget]]:
    for widget in window.findChildren(QWidget):
        if widget.isVisible():
            yield type(widget).__name__ + (
                f"#{widget.objectName()}" if widget.objectName() else ""), widget


def _own_words(where: str, widget: QWidget) -> Iterator[tuple[str, str]]:
    """The console's own words on a widget: a button's (check boxes and radios too), a dock's
    or group's title, tabs, an item view's header labels, a menu or tool bar's menus and
    actions (open or not)."""
    if isinstance(widget, QAbstractButton):
        yield where, widget.text()
    elif isinstance(widget, QDockWidget):
        yield where, widget.windowTitle()
    elif isinstance(widget, QGroupBox):
        yield where, widget.title()
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield where, widget.tabText(i)
    elif isinstance(widget, QAbstractItemView):
        for text in _headers(widget):
            yield where, text
    elif isinstance(widget, (QMenuBar, QToolBar)):
        for action in widget.actions():
            yield from _action_texts(action, where)


def _headers(view: QAbstractItemView) -> Iterator[str]:
    """The labels of the view's shown columns, when its header shows."""
    model = view.model()
    header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
    if model is None or header is None or not header().isVisible():
        return
    for column in range(model.columnCount()):
        if not header().isSectionHidden(column):
            yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")


def _cells(view: QAbstractItemView, parent: QModelIndex) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
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


def chrome_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for the console's own words on the window: its title and what
    `_own_words` reads off each visible widget (labels and cells, where data shows, left out)."""
    yield "window title", window.windowTitle()
    for where, widget in _visible(window):
        yield from _own_words(where, widget)


def _action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    yield where, action.text()
    menu = action.menu()
    if isinstance(menu, QMenu):
        for inner in menu.actions():
            yield from _action_texts(inner, f"{where} > {action.text()}")


def chinese_findings(window: QWidget, data: Collection[str] = ()) -> list[tuple[str, str, str]]:
    """(where, Chinese, whole text) for each of the console's own words holding Chinese
    characters; `data` shown among them (the signed-in person's name in the window title) and
    the language menu's names (each language named in itself) are not the console's words."""
    found = []
    for where, text in chrome_texts(window):
        if text in NAMES.values():
            continue
        words = text
        for shown in filter(None, data):
            words = words.replace(shown, " ")
        chinese = CHINESE.findall(words)
        if chinese:
            found.append((where, " ".join(chinese), " ".join(text.split())))
    return found


def _english_findings(window: QWidget, data: Collection[str]) -> list[tuple[str, str, str]]:
    return english_findings(window)  # a name is never an English sentence


@dataclass(frozen=True)
class TextCheck:
    """What the tour checks on every picture in one language: how it finds texts in the
    wrong language, the file in the tour's folder listing them, the exit code saying so."""

    language: Language
    findings: Callable[[QWidget, Collection[str]], list[tuple[str, str, str]]]
    report: str
    exit_code: int
    what: str  # "N {what}, see FILE" on stderr

    def lines(self, picture: str, window: QWidget, data: Collection[str] = ()) -> list[str]:
        """The report's lines for one picture: picture, widget, found, whole text (tab apart);
        `data`: texts such as the signed-in person's name, shown but not the console's words."""
        return [f"{picture}\t{where}\t{found}\t{text}"
                for where, found, text in self.findings(window, data)]


ENGLISH_IN_CHINESE = TextCheck(Language.ZH, _english_findings, ENGLISH_REPORT,
                               ENGLISH_IN_CHINESE_EXIT, "English sentence(s) in Chinese pictures")
CHINESE_IN_ENGLISH = TextCheck(Language.EN, chinese_findings, CHINESE_REPORT,
                               CHINESE_IN_ENGLISH_EXIT,
                               "Chinese text(s) among the English console's own words")
CHECKS = (ENGLISH_IN_CHINESE, CHINESE_IN_ENGLISH)


def check_for(language: Language) -> TextCheck:
    """The check a tour in this language runs."""
    return next(check for check in CHECKS if check.language is language)


def report(tour_dir: Path, check: TextCheck, lines: list[str]) -> int:
    """Write the check's findings into the tour's folder (an older run's report of the other
    check goes: the folder describes this run); the tour's exit code."""
    for other in CHECKS:
        (tour_dir / other.report).unlink(missing_ok=True)
    path = tour_dir / check.report
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    if lines:
        print(f"tour: {len(lines)} {check.what}, see {path}", file=sys.stderr)
        return check.exit_code
    return 0
