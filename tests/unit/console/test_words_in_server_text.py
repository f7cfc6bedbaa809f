"""A person's words inside the backend's text (core.text.with_words): composed once, cut only
in the words, and picked by the console with the words as written in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.language import Language, pick, set_current
from console.presenters.orders.detail import in_language
from core.contracts import OrderDetail, TimelineEntry
from core.orders.dispatching import fit_note
from core.orders.lifecycle import OrderState
from core.orders.model import BACKEND_REASON
from core.text import split_words, with_words

SYSTEM = "无法完工（客户不在家） (cannot complete: customer away)"


@pytest.mark.parametrize("words", [
    "改天再来",
    "门锁了 (locked), 客户说「明天」",  # parentheses and a closing 」 inside the words
    "he said)：「no」",  # even the boundary itself, after the first one
    "(English only)",
])
def test_words_stay_as_written_in_both_languages(words: str) -> None:
    text = with_words(SYSTEM, words)

    assert pick(text, Language.ZH) == f"无法完工（客户不在家）：「{words}」"
    assert pick(text, Language.EN) == f'cannot complete: customer away: "{words}"'
    assert split_words(text) == (SYSTEM, words)


@pytest.mark.parametrize("words", ["", "   ", "\u200b"])
def test_words_that_say_nothing_are_left_out(words: str) -> None:
    text = with_words(SYSTEM, words)

    assert text == SYSTEM
    assert pick(text, Language.EN) == "cannot complete: customer away"


def test_a_person_typing_the_form_without_our_bilingual_part_is_shown_as_typed() -> None:
    typed = "我说的 (my words)：「x」 and more"
    assert pick(typed, Language.EN) == typed
    plain = "只是中文)：「x」"
    assert pick(plain, Language.EN) == plain


def test_only_the_words_are_cut_to_fit_a_limit() -> None:
    text = with_words(SYSTEM, "很" * 1000, limit=120)

    assert len(text) == 120
    system, words = split_words(text) or ("", "")
    assert system == SYSTEM and words.endswith("…")


def test_a_dispatch_note_quoting_a_person_keeps_its_form_when_cut() -> None:
    note = fit_note(with_words(SYSTEM, "line\nbreak " + "长" * 600))

    assert len(note) == 500
    assert pick(note, Language.EN).startswith('cannot complete: customer away: "line break 长')
    assert note.endswith("…」")


def test_a_system_text_that_is_not_bilingual_is_refused() -> None:
    with pytest.raises(ValueError):
        with_words("只有中文", "x")


def test_a_system_part_with_several_clauses_is_picked_whole() -> None:
    text = with_words("人工派单：距离 1 公里；明知违反：缺少技能 (assigned by hand: 1 km away; "
                      "rules broken knowingly: lacks a skill)", "客户指定")

    assert pick(text, Language.EN) == ('assigned by hand: 1 km away; rules broken knowingly: '
                                       'lacks a skill: "客户指定"')
    assert pick(text, Language.ZH) == "人工派单：距离 1 公里；明知违反：缺少技能：「客户指定」"


def _entry(role: str, reason: str, data: dict[str, object]) -> TimelineEntry:
    return TimelineEntry(seq=1, kind="check_in", from_state=OrderState.APPOINTED,
                         to_state=OrderState.CHECKED_IN, actor="tech1", actor_role=role,
                         reason=reason, at=datetime(2026, 3, 4, tzinfo=UTC), version=2,
                         data=data)


def test_a_persons_entry_is_picked_only_when_its_reason_is_the_backends() -> None:
    ours = "签到未上传位置 (no position sent)"
    typed = "手机没电 (battery dead)"  # a person may type the form himself: shown as typed
    quoted = with_words(SYSTEM, "改天再来")
    entries = [_entry("technician", ours, {BACKEND_REASON: True}),
               _entry("technician", typed, {}),
               _entry("technician", typed, {BACKEND_REASON: "yes"}),
               _entry("agent", quoted, {})]
    detail = OrderDetail.model_construct(timeline=entries)
    set_current(Language.EN)

    shown = [entry.reason for entry in in_language(detail).timeline]

    assert shown == ["no position sent", typed, typed, 'cannot complete: customer away: "改天再来"']
