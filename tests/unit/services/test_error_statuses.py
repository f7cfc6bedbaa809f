"""Every domain and storage refusal is a core.errors.LastmileError carrying its HTTP status,
so core.server.problems maps them in one place; messages are Chinese first, English after."""

from __future__ import annotations

import pytest

from core.dispatch.policy import PolicyError, parse_body
from core.errors import LastmileError
from core.orders.errors import (
    Forbidden,
    IllegalTransition,
    InvalidCommand,
    MissingReason,
    StaleVersion,
)
from core.server.problems import problem_of
from core.storage.dispatch.policies import NoPolicy
from core.storage.intake.settings import BadEntry, EntryConflict, UnknownClient, UnknownEntry
from core.storage.people.accounts import UnknownUser
from core.storage.people.technician_settings import InvalidSetting, UnknownTechnician


@pytest.mark.parametrize(("error", "status"), [
    (IllegalTransition("assign", "new", ["audit"]), 422),
    (MissingReason("cancel"), 422),
    (InvalidCommand("assign needs a technician"), 422),
    (StaleVersion(5, 1, 2), 409),
    (Forbidden("technician", "assign"), 403),
    (PolicyError("weights.load", "应为 0 到 100 之间的整数（must be 0-100）"), 422),
    (NoPolicy("110105"), 404),
    (InvalidSetting("daily_capacity", "太大 (too large)"), 422),
    (UnknownTechnician(9), 404),
    (UnknownClient("nobody"), 404),
    (UnknownEntry(9), 404),
    (EntryConflict("已移除 (already removed)"), 409),
    (BadEntry("phone", "电话里没有数字 (the phone has no digits)"), 422),
    (UnknownUser(9), 404),
])
def test_each_refusal_carries_its_status(error: LastmileError, status: int) -> None:
    assert isinstance(error, LastmileError)
    assert problem_of(error).problem.status == status


def test_a_stale_order_answers_with_its_current_version() -> None:
    problem = problem_of(StaleVersion(5, 1, 2)).problem

    assert problem.current_version == 2
    assert problem.detail.startswith("订单已被他人修改")
    assert "order 5 changed meanwhile: you had version 1, current is 2" in problem.detail


@pytest.mark.parametrize("error", [
    IllegalTransition("place", "new", []), MissingReason("cancel"), StaleVersion(5, 1, 2),
    Forbidden("agent", "claim"), UnknownTechnician(9), UnknownClient("x"), UnknownUser(3),
])
def test_messages_are_chinese_first_with_the_english_after(error: LastmileError) -> None:
    chinese, english = error.message.split(" (", 1)
    assert chinese and not chinese.isascii()
    assert english.endswith(")") and english.isascii()


def test_a_policy_error_names_its_setting_in_the_request_body() -> None:
    with pytest.raises(PolicyError) as refused:
        parse_body({"weights": {"load": 101}})

    problem = problem_of(refused.value).problem
    assert refused.value.loc == ("body", "body", "weights", "load")
    assert problem.errors == [{"loc": ["body", "body", "weights", "load"],
                               "msg": refused.value.message}]
    assert problem.detail.startswith("body.weights.load: ")
    assert isinstance(refused.value, ValueError)  # callers that caught ValueError still do
