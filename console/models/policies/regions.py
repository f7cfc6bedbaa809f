"""The region tree of the policy editor: default, provinces, cities, counties, loaded lazily.

The model asks for a node's children the first time a view expands it (Qt's fetchMore) by
emitting childrenWanted(scope, level); the presenter answers with `set_children`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from core.contracts import RegionOut
from ui.roles import ID_ROLE

translate = QCoreApplication.translate
Index = QModelIndex | QPersistentModelIndex
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 20
LOADED_ROLE = Qt.ItemDataRole.UserRole + 21
SETS_ROLE = Qt.ItemDataRole.UserRole + 22  # the scope sets a policy of its own
NAME_ROLE = Qt.ItemDataRole.UserRole + 23
CHILD_LEVEL = {"default": "province", "province": "city", "city": "county"}
MARK = " ●"


class RegionTree(QStandardItemModel):
    """One root, the default scope (''); scopes that set a policy are bold with a dot.

    Signals: childrenWanted(str scope, str level of the children).
    """

    childrenWanted = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: dict[str, QStandardItem] = {}
        self._marked: set[str] = set()
        self._asked: set[str] = set()
        self.invisibleRootItem().appendRow(
            self._item("", translate("RegionTree", "Default (all regions)"), "default"))

    def _item(self, scope: str, name: str, level: str) -> QStandardItem:
        item = QStandardItem(name)
        item.setEditable(False)
        item.setData(scope, ID_ROLE)
        item.setData(level, LEVEL_ROLE)
        item.setData(name, NAME_ROLE)
        item.setData(level == "county", LOADED_ROLE)
        # A city without counties (东莞) is listed again as its own county: the first one wins.
        self._items.setdefault(scope, item)
        self._paint(item)
        return item

    def root_index(self) -> QModelIndex:
        return self.index(0, 0)

    def index_of(self, scope: str) -> QModelIndex:
        item = self._items.get(scope)
        return item.index() if item is not None else QModelIndex()

    def name_of(self, scope: str) -> str:
        item = self._items.get(scope)
        return str(item.data(NAME_ROLE)) if item is not None else scope

    def level_of(self, scope: str) -> str:
        item = self._items.get(scope)
        return str(item.data(LEVEL_ROLE)) if item is not None else ""

    def set_children(self, scope: str, regions: list[RegionOut]) -> None:
        parent = self._items.get(scope)
        if parent is None or parent.data(LOADED_ROLE):
            return
        parent.setData(True, LOADED_ROLE)
        for region in regions:
            parent.appendRow(self._item(region.adcode, region.name, region.level))

    def forget_request(self, scope: str) -> None:
        """A fetch failed: the next expansion asks again."""
        self._asked.discard(scope)

    def mark(self, scopes: set[str]) -> None:
        """The scopes that set a policy of their own now."""
        changed = scopes ^ self._marked
        self._marked = set(scopes)
        for scope in changed:
            item = self._items.get(scope)
            if item is not None:
                self._paint(item)

    def sets_policy(self, scope: str) -> bool:
        return scope in self._marked

    def _paint(self, item: QStandardItem) -> None:
        scope = str(item.data(ID_ROLE))
        marked = scope in self._marked
        item.setData(marked, SETS_ROLE)
        item.setText(str(item.data(NAME_ROLE)) + (MARK if marked else ""))
        font = QFont()
        font.setBold(marked)
        item.setFont(font)
        item.setToolTip(translate("RegionTree", "Sets its own dispatch policy") if marked else "")

    # -- lazy children -------------------------------------------------------------------

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        item = self.itemFromIndex(parent) if parent.isValid() else None
        if item is not None and not item.data(LOADED_ROLE):
            return True
        return super().hasChildren(parent)

    def canFetchMore(self, parent: Index) -> bool:
        item = self.itemFromIndex(parent) if parent.isValid() else None
        return item is not None and not item.data(LOADED_ROLE) and (
            str(item.data(ID_ROLE)) not in self._asked)

    def fetchMore(self, parent: Index) -> None:
        item = self.itemFromIndex(parent) if parent.isValid() else None
        if item is None or item.data(LOADED_ROLE):
            return
        scope, level = str(item.data(ID_ROLE)), str(item.data(LEVEL_ROLE))
        if scope in self._asked or level not in CHILD_LEVEL:
            return
        self._asked.add(scope)
        self.childrenWanted.emit(scope, CHILD_LEVEL[level])
