"""The Intake workspace's Qt models, without widgets: rows, texts, problems in red, refreshes."""

from __future__ import annotations

import pytest
from intake_fakes import make_arrivals, make_message, make_preview, make_review, receipt
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from console.models.intake.arrivals import ArrivalsModel
from console.models.intake.messages import MessageModel
from console.models.intake.preview import PreviewModel, describe_row
from console.models.intake.reviews import ReviewModel
from console.presenters.intake.actions import receipt_summary
from console.presenters.intake.importer import content_type_for
from core.contracts.intake import MessageStatus, Outcome
from ui.roles import ID_ROLE, WARNING_ROLE


def cell(model: QAbstractItemModel, row: int, column: int, role: int = 0) -> object:
    return model.index(row, column).data(role or Qt.ItemDataRole.DisplayRole)


def row_texts(model: QAbstractItemModel, row: int) -> list[str]:
    return [str(cell(model, row, c)) for c in range(model.columnCount())]


def test_preview_shows_each_record_with_its_problem_or_what_it_becomes() -> None:
    model = PreviewModel()
    model.set_preview(make_preview())

    assert model.rowCount() == 3
    number, order_id, result, field, details = row_texts(model, 1)
    assert (number, order_id, result, field, details) == (
        "2", "E-2", "Problem", "receiver_phone", "缺少收货人电话")
    assert cell(model, 1, 4, WARNING_ROLE) is True
    assert cell(model, 1, 0, Qt.ItemDataRole.ForegroundRole) is not None
    assert row_texts(model, 0)[:3] == ["1", "E-1", "OK"]
    assert cell(model, 0, 2, WARNING_ROLE) is False
    assert model.summary() == "2 can be imported, 1 with problems"


def test_a_record_split_in_two_says_so_and_names_what_needs_review() -> None:
    row = make_preview().rows[0]
    text = describe_row(row)
    assert text.startswith("2 service orders: ")
    assert "aircon · Installation · 朝阳区" in text
    assert "water_heater · Installation · 朝阳区 · to review (risk 45)" in text
    assert text.endswith("; 1 lines need no visit")  # the gift, counted once


def test_reviews_are_keyed_by_order_and_show_why() -> None:
    model = ReviewModel()
    model.set_rows([make_review(1, score=45), make_review(2, score=80)])
    assert [cell(model, r, 0, ID_ROLE) for r in range(2)] == [1, 2]
    texts = row_texts(model, 1)
    assert texts[0] == "LM00000002"
    assert texts[1] == "Tmall · TB2"
    assert texts[5] == "¥0.01"
    assert texts[6] == "80"
    assert texts[7] == "实付 0.01 元，疑似刷单"
    assert cell(model, 1, 6, WARNING_ROLE) is True  # high risk in red
    assert cell(model, 0, 6, WARNING_ROLE) is False
    assert cell(model, 1, 7, Qt.ItemDataRole.ToolTipRole) == "实付 0.01 元，疑似刷单 (+80)"
    assert model.find(2) is not None and model.find(3) is None


def test_dead_letters_are_red_and_resolved_ones_say_how() -> None:
    model = MessageModel()
    discarded = make_message(6, MessageStatus.DISCARDED).model_copy(
        update={"resolution": "测试数据", "resolved_by": "agent"})
    model.set_rows([make_message(7), discarded])
    dead = row_texts(model, 0)
    assert dead[1:] == ["Taobao", "Push", "T-7", "Needs fixing", "trade.receiver_address",
                        "地址为空"]
    assert dead[0] == "2026-11-25 10:07:00"
    assert cell(model, 0, 6, WARNING_ROLE) is True
    assert row_texts(model, 1)[4] == "Discarded"
    assert row_texts(model, 1)[6] == "地址为空（测试数据）"
    assert cell(model, 1, 6, WARNING_ROLE) is False


def test_arrivals_total_and_flag_platforms_with_problems() -> None:
    model = ArrivalsModel()
    model.set_rows(list(make_arrivals(tmall=1).platforms))
    assert row_texts(model, 0)[:6] == ["天猫服务工单", "12", "9", "2", "0", "1"]
    assert row_texts(model, 1)[6] == ""  # nothing yet today
    assert cell(model, 0, 5, WARNING_ROLE) is True
    assert cell(model, 1, 5, WARNING_ROLE) is False
    assert model.totals() == {"received": 17, "converted": 14, "review": 2, "refused": 0,
                              "dead": 1}


def test_a_refresh_with_the_same_rows_repaints_without_a_reset(qtbot: QtBot) -> None:
    model = ReviewModel()
    model.set_rows([make_review(1), make_review(2)])
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_rows([make_review(1, score=50), make_review(2)])
    assert cell(model, 0, 6) == "50"
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([make_review(2)])
    assert model.row_of(2) == 0 and model.row_of(1) is None


@pytest.mark.parametrize(
    ("path", "accepted", "expected"),
    [("orders.csv", ["text/csv", "application/json"], "text/csv"),
     ("orders.JSON", ["text/csv", "application/json"], "application/json"),
     ("orders.csv", ["application/vnd.ms-excel", "application/x-csv"], "application/x-csv"),
     ("orders.dat", ["application/json"], "application/json"),
     ("orders.json", [], "application/json")],
)
def test_the_file_is_sent_as_a_type_the_platform_accepts(
    path: str, accepted: list[str], expected: str
) -> None:
    assert content_type_for(path, accepted) == expected


def test_receipts_read_as_counts_per_outcome() -> None:
    text = receipt_summary(receipt("erp", Outcome.CREATED, Outcome.CREATED, Outcome.DEAD))
    assert text == "3 records: 2 created, 1 problems"
    assert receipt_summary(receipt("erp")) == "0 records"
