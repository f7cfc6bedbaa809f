"""One language per person: Session > Language kept per person; server refusals and the
timeline's reasons in that language only (English or Chinese), never both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import T0, FakeClient, FakeStore, make_candidates, make_detail, make_row
from ui_support import Messages

from console.app import install_translator
from console.errors import ApiError
from console.language import Language, chosen, current, speak
from console.models.dispatch.candidates import CandidateModel
from console.models.intake.messages import REASON, MessageModel
from console.models.intake.reviews import flag_text
from console.presenters.intake.origin import OriginPresenter
from console.presenters.orders.detail import OrderPresenter
from console.presenters.sla.board_models import LEVEL, STEP, AlertModel
from console.presenters.sla.urges import in_language as urge_in_language
from console.windows import Workspace
from console.windows.session import ConsoleSession
from core.contracts import TimelineEntry, TokenOut, UserOut
from core.contracts.intake import AuditFlagOut, IntakeMessageOut, OrderOrigin, PlacementOut
from core.contracts.sla_deadlines import AlertOut
from core.contracts.sla_urges import UrgeOut
from core.orders.lifecycle import OrderState, Role
from core.text import with_words
from ui.orders.detail_panel import DetailPanel

Factory = Callable[[], QSettings]
TAKEN = "手慢了，此单已被其他师傅抢走 (already taken by another technician)"
PLACED = "按地址定位到 西湖区 (placed by the address in 西湖区)"
CANNOT = "无法完工（客户不在家） (cannot complete: customer away)"


@pytest.fixture(params=[Language.EN, Language.ZH])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Language]:
    yield speak(qapp, request.param)
    speak(qapp, Language.EN)


def _answer(status: int, detail: str, **extra: object) -> ApiError:
    """As the client builds it from the server's problem body."""
    body = {"title": "Conflict" if status == 409 else "Invalid request", "status": status,
            "detail": detail, **extra}
    return ApiError.from_response(httpx.Response(status, json=body))


def _one_language(text: str, language: Language, chinese: str, english: str) -> None:
    wanted, other = (chinese, english) if language is Language.ZH else (english, chinese)
    assert wanted in text and other not in text, text


def test_a_409_refusal_reads_in_one_language(language: Language) -> None:
    messages = Messages()
    messages.report(_answer(409, TAKEN), "Claiming")
    _one_language(messages.shown[-1][1], language, "手慢了", "already taken")
    assert "Conflict" not in messages.shown[-1][1] or language is Language.EN


async def test_a_422_refusal_names_the_field_in_one_language(
    qtbot: QtBot, messages: Messages, language: Language
) -> None:
    client = FakeClient(make_detail(7, version=3))
    panel = DetailPanel()
    qtbot.addWidget(panel)
    presenter = OrderPresenter(client, panel, messages)
    await presenter.load(7)
    client.fail_next_act = _answer(
        422, "reason: 请说明原因 (say why)",
        errors=[{"loc": ["body", "reason"], "msg": "请说明原因 (say why)"}])
    presenter.forms.on_open = lambda dialog: dialog.accept()
    presenter.request_action("settle")
    await eventually(lambda: bool(messages.shown))
    level, text = messages.shown[-1]
    assert level == "error" and "reason" in text
    _one_language(text, language, "请说明原因", "say why")


async def test_a_409_refusal_of_an_action_says_the_servers_reason(
    qtbot: QtBot, messages: Messages, language: Language
) -> None:
    client = FakeClient(make_detail(7, version=3))
    panel = DetailPanel()
    qtbot.addWidget(panel)
    presenter = OrderPresenter(client, panel, messages)
    await presenter.load(7)
    client.fail_next_act = _answer(409, TAKEN)  # no current_version: not a stale write
    presenter.forms.on_open = lambda dialog: dialog.accept()
    presenter.request_action("settle")
    await eventually(lambda: bool(messages.shown))
    level, text = messages.shown[-1]
    assert level == "error" and "changed by someone else" not in text
    _one_language(text, language, "手慢了", "already taken")
    assert client.order_calls == [7]  # nothing to reload: the order did not change


async def test_the_timeline_shows_the_backends_reasons_in_one_language(
    qtbot: QtBot, messages: Messages, language: Language
) -> None:
    detail = make_detail(7)
    placed = TimelineEntry(seq=4, kind="placed", from_state=None, to_state=OrderState.NEW,
                           actor="intake", actor_role=Role.SYSTEM.value, reason=PLACED,
                           at=T0, version=4, data={})
    # A person's own words stay as typed, parentheses and all.
    typed = placed.model_copy(update={"seq": 5, "actor": "agent", "actor_role": "agent",
                                      "reason": "客户改约 (asked twice)"})
    # A person's words quoted in the backend's text: its part picked, the words as written.
    quoted = placed.model_copy(update={"seq": 6, "actor": "tech1", "actor_role": "technician",
                                       "reason": with_words(CANNOT, "门锁了 (locked)")})
    client = FakeClient(detail.model_copy(
        update={"timeline": [*detail.timeline, placed, typed, quoted]}))
    panel = DetailPanel()
    qtbot.addWidget(panel)
    await OrderPresenter(client, panel, messages).load(7)
    table = panel.timeline_table
    reasons = [item.text() if (item := table.item(row, 3)) else ""
               for row in range(table.rowCount())]
    _one_language(reasons[3], language, "按地址定位到", "placed by the address")
    assert reasons[4] == "客户改约 (asked twice)"
    assert reasons[5] == ("无法完工（客户不在家）：「门锁了 (locked)」" if language is Language.ZH
                          else 'cannot complete: customer away: "门锁了 (locked)"')


def _origin(note: str) -> OrderOrigin:
    placement = PlacementOut(adcode="330106", province="浙江省", city="杭州市", county="西湖区",
                             lng=120.1, lat=30.2, confidence=0.9, method="platform", note=note)
    return OrderOrigin(platform_order_ids=["P1"], trade="aircon", split_note="", merged_from=[],
                       dropped=[], audit_score=0, audit_flags=[], audit_decision="",
                       placement=placement, covered=True, classify_note="",
                       region_standard=None)


def test_candidates_rule_breaks_and_reasons_in_one_language(language: Language) -> None:
    best, full = make_candidates()
    full = full.model_copy(update={"breaks_en": ["missing skills: aircon",
                                                 "no capacity left today (6/6)"],
                                   "reasons_en": ["14.0 km away", "6/6 orders today"]})
    model = CandidateModel([best, full])
    why = model.index(1, model.columnCount() - 1).data()
    _one_language(why, language, "今日已满 6/6 单", "no capacity left today (6/6)")
    _one_language(why, language, "距离 14.0 公里", "14.0 km away")
    # An answer without the English lists (an older server) is shown as it came.
    assert "距离 2.5 公里" in model.index(0, model.columnCount() - 1).data()


async def test_the_placement_note_reads_in_one_language(
    qtbot: QtBot, messages: Messages, language: Language
) -> None:
    shown: list[OrderOrigin | None] = []
    panel = DetailPanel()
    qtbot.addWidget(panel)

    def show_origin(order_id: int, origin: OrderOrigin | None) -> bool:
        shown.append(origin)
        return True

    panel.show_origin = show_origin  # type: ignore[method-assign]
    note = "采用平台提供的地址坐标 (the platform's address point is used)"

    async def fetch(order_id: int) -> OrderOrigin:
        flag = AuditFlagOut(code="new_account", reason="新注册账号 (a new account)", score=20)
        return _origin(note).model_copy(update={"audit_flags": [flag]})

    await OriginPresenter(fetch, panel, messages)._load((7, 1))
    assert shown and shown[0] is not None and shown[0].placement is not None
    _one_language(shown[0].placement.note, language, "采用平台提供的地址坐标",
                  "the platform's address point is used")
    _one_language(shown[0].audit_flags[0].reason, language, "新注册账号", "a new account")


@pytest.mark.parametrize("source", ["alert", "manual"])
def test_an_alerts_urge_reads_in_one_language_a_persons_as_written(
    language: Language, source: str
) -> None:
    text = "催单（师傅）：派单环节已超时。请尽快上门 (urge to the technician: dispatch is overdue)"
    # Only what the choice reads (UrgeOut's other fields belong to the urge desk's tests).
    urge = UrgeOut.model_construct(id=1, source=source, text=text)
    shown = urge_in_language(urge).text
    if source == "manual":
        assert shown == text
    else:
        _one_language(shown, language, "派单环节已超时", "dispatch is overdue")


def test_intake_reasons_read_in_one_language(language: Language) -> None:
    flag = AuditFlagOut(code="new_account", reason="新注册账号 (a new account)", score=20)
    _one_language(flag_text(flag), language, "新注册账号", "a new account")
    dead = IntakeMessageOut.model_construct(
        reason="数量须为正数 (quantity must be positive)", resolution="")
    _one_language(MessageModel().text(dead, REASON), language, "数量须为正数",
                  "quantity must be positive")


def test_an_alerts_step_and_level_read_in_one_language(language: Language) -> None:
    alert = AlertOut(order_id=7, order_no="LM7", county_adcode="330106", county_name="西湖区",
                     service_type="install", step="accept", step_name="接单 (accept)",
                     level="严重", at=T0, due=T0, clock="natural", recorded_at=T0,
                     time_left=timedelta(minutes=-5))
    model = AlertModel()
    step, level = model.text(alert, STEP), model.text(alert, LEVEL)
    assert (step, level) == (("接单", "严重") if language is Language.ZH else ("Accept", "Severe"))


def _session(qtbot: QtBot, factory: Factory, route: Messages) -> ConsoleSession:
    client = FakeClient(make_detail(1))
    workspace = Workspace("agent", client, FakeStore(rows={1: make_row(1)}),
                          settings_factory=factory, map_factory=lambda: QLabel("map"),
                          route=route)
    qtbot.addWidget(workspace.window)
    token = TokenOut(access_token="t", expires_at=T0 + timedelta(hours=12),
                     user=UserOut(username="agent", display_name="坐席", role=Role.AGENT))
    return ConsoleSession(client, token, workspace._store, workspace, object(),  # type: ignore[arg-type]
                          settings_factory=factory)


async def test_the_language_menu_remembers_the_persons_choice(
    qtbot: QtBot, settings_factory: Factory, messages: Messages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LASTMILE_LOCALE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the machine's locale is no choice of the person's
    session = _session(qtbot, settings_factory, messages)
    menu = session.language_menu.menu
    session_menu = menu.parent()
    assert isinstance(session_menu, QMenu)
    assert session.workspace.sign_out_action in session_menu.actions()
    actions = session.language_menu.actions
    assert actions[Language.ZH].isChecked() and not actions[Language.EN].isChecked()

    actions[Language.EN].trigger()

    assert chosen(settings_factory(), "agent") is Language.EN
    assert chosen(settings_factory(), "supervisor") is Language.ZH
    assert "English" in messages.shown[-1][1]
    again = _session(qtbot, settings_factory, messages)
    assert again.language_menu.actions[Language.EN].isChecked()
    assert not again.language_menu.actions[Language.ZH].isChecked()


def test_a_c_or_english_machine_starts_in_chinese(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LASTMILE_LOCALE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    try:
        assert install_translator(qapp)
        assert current() is Language.ZH
        assert QCoreApplication.translate("Workspace", "Dispatch desk") == "调度工作台"
        monkeypatch.setenv("LASTMILE_LOCALE", "en_GB.UTF-8")  # a desk's explicit choice
        assert not install_translator(qapp)
        assert current() is Language.EN
        assert QCoreApplication.translate("Workspace", "Dispatch desk") == "Dispatch desk"
    finally:
        speak(qapp, Language.EN)
