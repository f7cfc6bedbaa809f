"""The English tour's check of the console's own words (console.tour_text.chinese_findings):
buttons, tabs, titles, headers and menus, never the data in labels and cells."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.tour_text import chinese_findings
from ui.plain_text import PlainLabel


def test_chinese_in_buttons_tabs_titles_headers_and_menus_is_found_but_not_in_data(
    qtbot: QtBot,
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle("Dispatch desk · 坐席 小王 · Lastmile")
    session = window.menuBar().addMenu("&Session")
    language = session.addMenu("&Language")
    language.addAction("中文")  # each language named in itself
    language.addAction("English")
    session.addAction("退出")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(PlainLabel("杭州市 西湖区 文三路 1 号"))  # an address: data
    layout.addWidget(QPushButton("刷新"))
    layout.addWidget(QCheckBox("Only mine"))
    group = QGroupBox("证据")
    layout.addWidget(group)
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "By step")
    layout.addWidget(tabs)
    model = QStandardItemModel(0, 2)
    model.setHorizontalHeaderLabels(["Customer", "原因"])
    model.appendRow([QStandardItem("张三"), QStandardItem("Too far")])  # a name: data
    table = QTableView()
    table.setModel(model)
    layout.addWidget(table)
    hidden = QPushButton("隐藏")
    layout.addWidget(hidden)
    hidden.hide()
    window.setCentralWidget(body)
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)

    found = {(where, chinese) for where, chinese, _ in chinese_findings(window, ["坐席 小王"])}

    assert found == {("QPushButton", "刷新"), ("QGroupBox", "证据"), ("QTableView", "原因"),
                     ("QMenuBar > &Session", "退出")}
