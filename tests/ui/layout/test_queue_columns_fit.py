"""Queue columns fit their content at 1366×768, the customer takes the rest, widths are kept
per role (issue 13 item 6)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QHeaderView, QLabel
from pytestqt.qtbot import QtBot
from ui_fakes import FakeClient, FakeStore, make_detail, make_row

from console.models.orders import Column
from console.windows import Workspace

Factory = Callable[[], QSettings]


def open_workspace(qtbot: QtBot, role: str, settings_factory: Factory) -> Workspace:
    store = FakeStore(rows={i: make_row(i) for i in range(1, 6)})
    workspace = Workspace(role, FakeClient(make_detail(1)), store,
                          settings_factory=settings_factory, map_factory=lambda: QLabel("map"))
    qtbot.addWidget(workspace.window)
    workspace.window.resize(1366, 768)
    workspace.window.show()
    qtbot.waitExposed(workspace.window)
    return workspace


def test_columns_fit_their_content_and_the_customer_is_never_cut(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = open_workspace(qtbot, "agent", settings_factory)
    table = workspace.queue_view.table
    header = table.horizontalHeader()
    # It takes the room left, or (English titles in the agent's 1366 queue) scrolls.
    assert header.sectionSize(Column.CUSTOMER) >= header.sectionSizeHint(Column.CUSTOMER)
    for column in Column:
        if column == Column.CUSTOMER:
            continue
        wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert header.sectionSize(column) >= wanted, column.name  # nothing cut
        assert header.sectionSize(column) <= wanted + 4, column.name  # nor wider than needed
    workspace.close()


def test_widths_the_user_sets_are_remembered_per_role(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    first = open_workspace(qtbot, "agent", settings_factory)
    fitted = first.queue_view.table.horizontalHeader().sectionSize(Column.COUNTY)
    first.queue_view.table.horizontalHeader().resizeSection(Column.COUNTY, fitted + 77)
    first.close()
    again = open_workspace(qtbot, "agent", settings_factory)
    assert again.queue_view.table.horizontalHeader().sectionSize(Column.COUNTY) == fitted + 77
    other = open_workspace(qtbot, "supervisor", settings_factory)
    assert other.queue_view.table.horizontalHeader().sectionSize(Column.COUNTY) == fitted
    again.close()
    other.close()


def test_a_queue_too_narrow_for_the_customers_title_scrolls_instead_of_cutting_it(
    qtbot: QtBot, settings_factory: Factory
) -> None:
    workspace = open_workspace(qtbot, "agent", settings_factory)
    table = workspace.queue_view.table
    header = table.horizontalHeader()
    title = header.sectionSizeHint(Column.CUSTOMER)
    others = sum(header.sectionSize(c) for c in Column if c != Column.CUSTOMER)

    table.resize(others + title // 2, table.height())  # less room than the title needs
    qtbot.waitUntil(lambda: header.sectionResizeMode(Column.CUSTOMER)
                    == QHeaderView.ResizeMode.Interactive)
    assert header.sectionSize(Column.CUSTOMER) >= title
    assert table.horizontalScrollBar().maximum() > 0  # the rest is a scroll away

    table.resize(others + title * 3, table.height())
    qtbot.waitUntil(lambda: header.sectionResizeMode(Column.CUSTOMER)
                    == QHeaderView.ResizeMode.Stretch)
    assert header.sectionSize(Column.CUSTOMER) >= title
    workspace.close()
