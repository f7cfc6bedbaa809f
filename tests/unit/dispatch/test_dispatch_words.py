"""The dispatcher's words are storable whatever the order data: bounded, no control characters."""

from __future__ import annotations

import pytest

from console.language import Language, pick
from core.dispatch import round_reasons as words
from core.dispatch.escalation import failed
from core.dispatch.round_model import DISPATCH_FAILED, Escalate, OpenDispatch, Withdraw
from core.intake.catalogue import trade_label
from core.orders.dispatching import NOTE_LIMIT, fit_note
from core.orders.lifecycle import DispatchMode, OrderState
from core.storage.tables import OrderRecord


def test_the_note_limit_is_the_columns_length():
    assert OrderRecord.__table__.c.dispatch_note.type.length == NOTE_LIMIT


@pytest.mark.parametrize(("raw", "fitted"), [
    ("本区域没有师傅", "本区域没有师傅"),
    ("a\x00b", "a b"),
    ("line\r\nbreak\u2028here", "line break here"),
    ("\u202eevil\u200b \x1b[31mred", "evil [31mred"),
])
def test_control_and_format_characters_become_spaces(raw: str, fitted: str):
    assert fit_note(raw) == fitted


def test_a_long_note_is_cut_to_the_limit_with_a_mark():
    cut = fit_note("长" * 10_000)
    assert len(cut) == NOTE_LIMIT and cut.endswith("…")
    assert fit_note("x" * 30, 10) == "x" * 9 + "…"


def test_a_reason_names_a_few_skills_briefly_in_both_languages():
    said = words.no_skill(["x" * 10_000, "a\x00b", *[f"s{n}" for n in range(10)]])
    assert len(str(said)) < 400 and "\x00" not in str(said)
    assert said.zh.endswith("等 12 项」技能的师傅")
    assert said.en.endswith("and 7 more")


def test_known_skills_keep_their_chinese_names_and_their_codes_in_english():
    assert words.no_skill(["aircon"]) == words.Said(
        f"本区域没有具备「{trade_label('aircon')}」技能的师傅",
        "no technician here has the skills aircon")


def test_every_reason_reads_whole_in_each_language():
    # What the console's pick() keeps: the Chinese part, or the English one.
    reason = words.central_exhausted(5, words.too_far(30, 41.25), DispatchMode.GRAB)
    assert pick(reason, Language.ZH) == (
        "中心派单 5 分钟内未能派出（符合条件的师傅都在 30 公里以外（最近 41.2 公里）），转抢单池")
    assert pick(reason, Language.EN) == (
        "central dispatch found nobody in 5 min (every eligible technician is over 30 km away "
        "(nearest 41.2 km)); to the grab pool")


@pytest.mark.parametrize(("state", "mode", "kind"), [
    (OrderState.CLASSIFIED, None, OpenDispatch),
    (OrderState.DISPATCHING, DispatchMode.AUTO, Escalate),
    (OrderState.DISPATCHING, DispatchMode.GRAB, Escalate),
    (OrderState.ASSIGNED, DispatchMode.AUTO, Withdraw),
])
def test_an_order_the_round_could_not_change_goes_to_a_person(state, mode, kind):
    decision = failed(7, state, mode, "DataError: value too long\x00" + "x" * 1000)
    assert isinstance(decision, kind)
    assert decision.mode is DispatchMode.MANUAL
    assert getattr(decision, "code", "") in (DISPATCH_FAILED, "timeout")
    assert decision.reason.startswith(
        "自动派单无法处理此单，转人工 (automatic dispatch could not handle this order; to a person)"
        "：「DataError: value too long")
    assert pick(decision.reason, Language.EN).startswith(
        "automatic dispatch could not handle this order; to a person: \"DataError: value too long")
    assert len(decision.reason) < NOTE_LIMIT and "\x00" not in decision.reason


@pytest.mark.parametrize(("state", "mode"), [(OrderState.DISPATCHING, DispatchMode.MANUAL),
                                             (OrderState.ACCEPTED, None)])
def test_an_order_already_with_a_person_or_out_of_dispatch_is_left_alone(state, mode):
    assert failed(7, state, mode, "boom") is None
