"""The two lists of the dispatch workspace: orders needing a person (several may be selected,
dragged out as "lastmile-order:<id>") and the ranked candidates of one order (drop target,
Enter or 1-9 to choose)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from ui.id_table import ENTER_KEYS, IdTable
from ui.roles import ID_ROLE

# The rules a candidate row would break (list[str]; empty: eligible).
BREAKS_ROLE = Qt.ItemDataRole.UserRole + 20
# A short name for the row (a technician's name) for questions about it.
LABEL_ROLE = Qt.ItemDataRole.UserRole + 21
# The map and the candidate list both accept orders dragged as this text.
ORDER_MIME_PREFIX = "lastmile-order:"
_NUMBER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def order_mime(order_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setText(f"{ORDER_MIME_PREFIX}{order_id}")
    return mime


def order_from_mime(mime: QMimeData | None) -> int | None:
    if mime is None or not mime.hasText():
        return None
    text = mime.text().strip()
    if not text.startswith(ORDER_MIME_PREFIX):
        return None
    try:
        return int(text[len(ORDER_MIME_PREFIX):])
    except ValueError:
        return None


class OrderTable(IdTable):
    """Orders needing a person; Shift/Ctrl select several. A refresh keeps the selection.

    Signals (besides IdTable's): none of its own; drags start with the current order's mime.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchOrders")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self._kept: list[Any] = []

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:
            model.modelAboutToBeReset.connect(self._keep_selection)
            model.modelReset.connect(self._restore_selection)

    def selected_keys(self) -> list[Any]:
        """The selected orders top to bottom (the current one when nothing is selected)."""
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        keys = [self.model().index(r, 0).data(ID_ROLE) for r in rows]
        if not keys and self.current_key() is not None:
            keys = [self.current_key()]
        return [k for k in keys if k is not None]

    def _keep_selection(self) -> None:
        self._kept = self.selected_keys()

    def _restore_selection(self) -> None:
        model = self.model()
        for key in self._kept:
            if key == self.current_key():
                continue
            hits = model.match(model.index(0, 0), ID_ROLE, key, 1, Qt.MatchFlag.MatchExactly)
            if hits:
                self.selectionModel().select(
                    hits[0], QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows)

    def drag_mime(self) -> QMimeData | None:
        """What a drag carries: the order under the cursor when the drag began."""
        key = self.current_key()
        return order_mime(int(key)) if key is not None else None

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        mime = self.drag_mime()
        if mime is None:
            return
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction)


class CandidateTable(IdTable):
    """Ranked candidates of one order. Signals: chosen(int row) on Enter, double click or a
    number key (1 = the first row); orderDropped(int order id, int row) when an order is
    dropped on a row."""

    chosen = Signal(int)
    orderDropped = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatchCandidates")
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)
        self.keyActivated.connect(lambda _key: self._choose(self.currentIndex().row()))

    def select_first(self) -> None:
        """Highlight #1, the best candidate (nothing on an empty list)."""
        model = self.model()
        if model is not None and model.rowCount():
            self.select_key(model.index(0, 0).data(ID_ROLE))

    def _choose(self, row: int) -> None:
        model = self.model()
        if model is not None and 0 <= row < model.rowCount():
            self.chosen.emit(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        number = _NUMBER_KEYS.get(Qt.Key(event.key()))
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                      Qt.KeyboardModifier.KeypadModifier)
        if number is not None and plain:
            self._choose(number - 1)
            return
        if event.key() in ENTER_KEYS and self.currentIndex().isValid():
            self._choose(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def drop_order(self, mime: QMimeData | None, pos: QPoint) -> bool:
        """An order dropped at `pos` (viewport coordinates): True when it landed on a row."""
        order_id = order_from_mime(mime)
        index: QModelIndex = self.indexAt(pos)
        if order_id is None or not index.isValid():
            return False
        self.orderDropped.emit(order_id, index.row())
        return True

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if order_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if order_from_mime(event.mimeData()) is not None and self.indexAt(
                event.position().toPoint()).isValid():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.drop_order(event.mimeData(), event.position().toPoint()):
            event.acceptProposedAction()
        else:
            event.ignore()
