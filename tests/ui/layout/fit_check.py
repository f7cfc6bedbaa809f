"""Does a shown window fit a screen? One checker for every editor and dialog (issue 13 item 6).

`misfits(window, screen)` lists, in words a person would use, what the window shows badly at
that screen size: a text cut short (a label, button, check box, group title, tab, line edit or
combo box narrower than its text), a widget lying outside what its parent shows, and a window
that cannot shrink to the room the screen leaves (its size less a taskbar). Widgets inside a
scroll area are judged by the scroll area's content, not by its viewport: they can be scrolled to
(down, that is: content wider than its scroll area, read sideways line by line, is a misfit).
Docks behind another dock's tab are not on screen and not judged.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QWidget,
)

TASKBAR = 40  # pixels a desktop's panel takes off the screen's height
SMALL = QSize(1366, 768)
LARGE = QSize(1920, 1080)


def room(screen: QSize) -> QSize:
    """What a maximised window gets on this screen."""
    return QSize(screen.width(), screen.height() - TASKBAR)


def misfits(window: QWidget, screen: QSize) -> list[str]:
    """Everything `window` (shown) shows badly on `screen`; empty when it fits."""
    found = _too_big(window, room(screen)) + _sideways(window)
    for widget in window.findChildren(QWidget):
        if (not widget.isVisible() or widget.isWindow() or _inside_internals(widget)
                or widget.objectName().startswith("qt_") or _tabbed_away(widget)):
            continue
        found += _cut(widget) + _outside(widget) + _sideways(widget)
    return found


def _name(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    said = text() if callable(text) else ""
    return f"{type(widget).__name__} {widget.objectName() or ''} {said!r}".replace("  ", " ")


def _too_big(window: QWidget, space: QSize) -> list[str]:
    found = []
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > space.width() or least.height() > space.height():
        found.append(f"{_name(window)} needs at least {least.width()}×{least.height()}, "
                     f"the screen leaves {space.width()}×{space.height()}")
    if window.width() > space.width() or window.height() > space.height():
        found.append(f"{_name(window)} is {window.width()}×{window.height()}, larger than "
                     f"{space.width()}×{space.height()}")
    return found


def _tabbed_away(widget: QWidget) -> bool:
    """In a dock behind another's tab: Qt parks it outside the main window, unseen."""
    while widget is not None and not widget.isWindow():
        parent = widget.parentWidget()
        if isinstance(widget, QDockWidget) and parent is not None and not QRect(
                0, 0, parent.width(), parent.height()).intersects(widget.geometry()):
            return True
        widget = parent
    return False


def _inside_internals(widget: QWidget) -> bool:
    """Parts Qt builds inside a spin box, combo box or the like (their owner is judged)."""
    parent = widget.parentWidget()
    return isinstance(widget, QLineEdit) and parent is not None and not isinstance(
        parent, QAbstractScrollArea) and parent.layout() is None and type(parent) is not QWidget


def _cut(widget: QWidget) -> list[str]:
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        if widget.wordWrap():
            wanted = widget.heightForWidth(widget.width())
            if widget.height() < wanted:
                return [f"{_name(widget)} is {widget.height()} px high, its lines need {wanted}"]
            return []
        if widget.width() < widget.minimumSizeHint().width():
            return [f"{_name(widget)} is {widget.width()} px wide, its text needs "
                    f"{widget.minimumSizeHint().width()}"]
    if isinstance(widget, QAbstractButton) and widget.text():
        if widget.width() < widget.sizeHint().width():
            return [f"{_name(widget)} is {widget.width()} px wide, its text needs "
                    f"{widget.sizeHint().width()}"]
    if isinstance(widget, QGroupBox) and widget.title():
        if widget.width() < widget.minimumSizeHint().width():
            return [f"group {widget.title()!r} is {widget.width()} px wide, it needs "
                    f"{widget.minimumSizeHint().width()}"]
    if isinstance(widget, QLineEdit):
        shown = widget.text() or widget.placeholderText()
        if shown and widget.fontMetrics().horizontalAdvance(shown) > line_room(widget):
            return [f"{_name(widget)} cuts {shown!r}"]
    if isinstance(widget, QComboBox) and widget.currentText():
        needs = widget.fontMetrics().horizontalAdvance(widget.currentText())
        if needs > _combo_room(widget):
            return [f"{_name(widget)} cuts its choice {widget.currentText()!r}"]
    if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
        model = widget.model()
        titles = [(i, model.headerData(i, Qt.Orientation.Horizontal)) if model else (i, "")
                  for i in range(widget.count()) if not widget.isSectionHidden(i)]
        return [f"column title {title!r} is {widget.sectionSize(i)} px wide, it needs "
                f"{widget.sectionSizeHint(i)}" for i, title in titles
                if title and widget.sectionSize(i) < widget.sectionSizeHint(i)]
    if isinstance(widget, QTabBar) and not widget.usesScrollButtons():
        metrics = widget.fontMetrics()
        return [f"tab {widget.tabText(i)!r} is cut" for i in range(widget.count())
                if widget.tabRect(i).width() < metrics.horizontalAdvance(widget.tabText(i))]
    return []


def line_room(edit: QLineEdit) -> int:
    """Pixels the line edit has for its text (its frame, text margins and Qt's 2 px each side)."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    rect = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return rect.width() - margins.left() - margins.right() - 4


def _combo_room(combo: QComboBox) -> int:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    rect = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo)
    icon = combo.iconSize().width() + 4 if not combo.itemIcon(combo.currentIndex()).isNull() else 0
    return rect.width() - icon


def _outside(widget: QWidget) -> list[str]:
    """A widget its parent does not wholly show (a scroll area's content may be scrolled)."""
    parent = widget.parentWidget()
    if parent is None or isinstance(parent.parentWidget(), QAbstractScrollArea):
        return []
    shown = QRect(0, 0, parent.width(), parent.height())
    if shown.contains(widget.geometry()):
        return []
    return [f"{_name(widget)} at {_rect(widget.geometry())} lies outside "
            f"{_name(parent)} ({parent.width()}×{parent.height()})"]


def _sideways(widget: QWidget) -> list[str]:
    """A scroll area whose content is wider than it: read by scrolling sideways, line by line."""
    if not isinstance(widget, QScrollArea) or widget.widget() is None:
        return []
    content, viewport = widget.widget(), widget.viewport()
    needs = content.minimumSizeHint().expandedTo(content.minimumSize()).width()
    if needs <= viewport.width():
        return []
    return [f"{_name(widget)} shows {viewport.width()} px of content {needs} px wide "
            f"(scrolled sideways)"]


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}×{rect.height()}"
