"""console.language.pick: the server's `中文 (English)` text in one language, real messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from console.language import Language, chosen, of_locale, pick, pick_fields, remember

ZH, EN = Language.ZH, Language.EN

# (server text as sent, Chinese shown, English shown): messages written in core/.
REAL = [
    ("用户名或密码错误 (wrong user name or password)", "用户名或密码错误",
     "wrong user name or password"),
    ("请先登录 (log in first: send 'Authorization: Bearer <token>')", "请先登录",
     "log in first: send 'Authorization: Bearer <token>'"),
    ("没有工单 17 (there is no order 17)", "没有工单 17", "there is no order 17"),
    ("请求有误：items.0.quantity (invalid fields: items.0.quantity)", "请求有误：items.0.quantity",
     "invalid fields: items.0.quantity"),
    # field_error / problem_of put the field before the message: it stays in English too.
    ("items.0.quantity: 数量须为正数 (quantity must be positive)", "items.0.quantity: 数量须为正数",
     "items.0.quantity: quantity must be positive"),
    ("手慢了，此单已被其他师傅抢走 (already taken by another technician)",
     "手慢了，此单已被其他师傅抢走", "already taken by another technician"),
    ("此单不在抢单池中 (order 12 is not offered in the pool)", "此单不在抢单池中",
     "order 12 is not offered in the pool"),
    ("状态只能是 open | closed (unknown status 'x')", "状态只能是 open | closed",
     "unknown status 'x'"),
    # parentheses inside either part, full-width ones in the Chinese
    ("无法完工（客户不在家）：改天再来 (cannot complete (customer away))",
     "无法完工（客户不在家）：改天再来", "cannot complete (customer away)"),
    ("师傅 (张三) 拒单 (refused by 张三)", "师傅 (张三) 拒单", "refused by 张三"),
    # an ending after the English group, as the console's sentences add
    ("数据库暂时无法连接，请稍后重试 (the database is not reachable right now; try again shortly).",
     "数据库暂时无法连接，请稍后重试.",
     "the database is not reachable right now; try again shortly."),
    # the intake's placement reason: pieces joined by "；", place names inside the English
    ("按地址定位到 新疆维吾尔自治区伊犁哈萨克自治州伊宁市 (placed by the address in "
     "新疆维吾尔自治区伊犁哈萨克自治州伊宁市)；"
     "按地址文本定位：伊宁市 (placed by the address text: 伊宁市)",
     "按地址定位到 新疆维吾尔自治区伊犁哈萨克自治州伊宁市；按地址文本定位：伊宁市",
     "placed by the address in 新疆维吾尔自治区伊犁哈萨克自治州伊宁市; "
     "placed by the address text: 伊宁市"),
    # several messages joined by the full-width semicolon
    ("ORD-1: 不在服务区域 (outside the service area)；ORD-2: 技能不符 (lacks the skill)",
     "ORD-1: 不在服务区域；ORD-2: 技能不符",
     "ORD-1: outside the service area; ORD-2: lacks the skill"),
]

# Text in one language only, or whose parentheses are no translation: unchanged in both.
WHOLE = [
    "按地址定位到 浙江省 杭州市 西湖区",
    "内容没有变化",
    "Conflict",
    "the server cannot be reached",
    "上门 (A 区)",
    "预约 (3 次)",
    "customer asked to call back (twice)",
    "(only english in parentheses)",
    "",
]


@pytest.mark.parametrize(("text", "chinese", "english"), REAL)
def test_server_text_in_one_language(text: str, chinese: str, english: str) -> None:
    assert pick(text, ZH) == chinese
    assert pick(text, EN) == english


@pytest.mark.parametrize("text", WHOLE)
def test_text_in_one_language_passes_unchanged(text: str) -> None:
    assert pick(text, ZH) == text
    assert pick(text, EN) == text


def test_mixed_join_is_left_whole_when_a_piece_is_not_bilingual() -> None:
    # A Chinese sentence with a semicolon inside it is one message, not two.
    text = "已超时；请尽快处理 (overdue; please act now)"
    assert pick(text, ZH) == "已超时；请尽快处理"
    assert pick(text, EN) == "overdue; please act now"


def test_locale_names() -> None:
    assert of_locale("zh_CN.UTF-8") is ZH
    assert of_locale("en_GB") is EN
    assert of_locale("C.UTF-8") is None
    assert of_locale("") is None


def test_choice_round_trip_per_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LASTMILE_LOCALE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    settings = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    # Nobody chose: Chinese, whatever the system locale says.
    assert chosen(settings) is ZH
    assert chosen(settings, "agent1") is ZH
    remember(settings, "agent1", EN)
    again = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    assert chosen(again, "agent1") is EN
    assert chosen(again, "agent2") is ZH  # another person's choice is not yours
    assert chosen(again) is EN  # the sign-in dialog speaks as the last choice made here
    monkeypatch.setenv("LASTMILE_LOCALE", "zh_CN.UTF-8")
    assert chosen(again) is ZH  # a desk's explicit locale decides the sign-in dialog
    assert chosen(again, "agent1") is EN  # but the person's own choice wins once signed in


def test_pick_fields_picks_the_named_fields_at_any_depth() -> None:
    from pydantic import BaseModel

    class Flag(BaseModel):
        text: str
        detail: str

    class Evidence(BaseModel):
        text: str
        reason: str  # a person's words: not a name given, so untouched
        flags: list[Flag]
        first: Flag | None

    flag = Flag(text="照片缺少拍摄时间或位置 (photo without capture time or place)",
                detail="客户改约 (asked twice)")
    evidence = Evidence(text="待核查 (flagged)", reason="核实 (checked)", flags=[flag], first=flag)
    english = pick_fields(evidence, language=EN)
    assert english.text == "flagged" and english.reason == "核实 (checked)"
    assert english.flags[0].text == "photo without capture time or place"
    assert english.flags[0].detail == "客户改约 (asked twice)"
    assert english.first is not None and english.first.text == english.flags[0].text
    assert pick_fields(evidence, language=ZH).flags[0].text == "照片缺少拍摄时间或位置"
    assert evidence.text == "待核查 (flagged)"  # a copy: the answer itself is unchanged
