"""What the tour reads off a window (console.tour_text): shown texts, never hidden ones."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from console.tour_text import english_findings, visible_texts
from ui.plain_text import PlainLabel


def test_the_tour_reads_labels_buttons_tabs_and_visible_cells_but_not_hidden_ones(
    qtbot: QtBot,
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setWindowTitle("调度工作台")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(PlainLabel("待派单"))
    layout.addWidget(QPushButton("刷新"))
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "按步骤")
    layout.addWidget(tabs)
    model = QStandardItemModel(0, 1)
    model.setHorizontalHeaderLabels(["原因"])
    model.appendRow(QStandardItem("No technician covers this area"))
    table = QTableView()
    table.setModel(model)
    layout.addWidget(table)
    hidden = PlainLabel("The order was cancelled by the customer")
    layout.addWidget(hidden)
    hidden.hide()
    window.setCentralWidget(body)
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)

    texts = {text for _, text in visible_texts(window)}

    assert {"调度工作台", "待派单", "刷新", "按步骤", "原因",
            "No technician covers this area"} <= texts
    assert "The order was cancelled by the customer" not in texts
    assert [(where, sentence) for where, sentence, _ in english_findings(window)] == [
        ("QTableView", "No technician covers this area")]
