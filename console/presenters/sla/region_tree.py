"""The region tree of the time limits editor: the default, then province → city → county
(core.geo, NBS 2023), each item carrying its adcode ("" for the default)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QStandardItem, QStandardItemModel

from core.geo.regions import Region, RegionIndex, load_regions
from ui.sla.limits import REGION_ROLE

translate = QCoreApplication.translate


def _item(name: str, code: str) -> QStandardItem:
    item = QStandardItem(name)
    item.setData(code, REGION_ROLE)
    item.setToolTip(code or name)
    return item


def _children(index: RegionIndex, region: Region, parent: QStandardItem) -> None:
    for child in index.children(region.adcode):
        if child.adcode == region.adcode:  # a city that is its own county (东莞, 中山)
            continue
        item = _item(child.name, child.adcode)
        parent.appendRow(item)
        _children(index, child, item)


def region_model(parent: QObject | None = None, index: RegionIndex | None = None,
                 ) -> QStandardItemModel:
    index = index or load_regions()
    model = QStandardItemModel(parent)
    model.appendRow(_item(translate("LimitsPresenter", "Default (everywhere)"), ""))
    for province in index.provinces():
        item = _item(province.name, province.adcode)
        model.appendRow(item)
        _children(index, province, item)
    return model
