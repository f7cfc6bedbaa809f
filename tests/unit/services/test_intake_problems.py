"""Intake's refusals answer as they always did: a rejected payload names its field (or
"payload"), its one error is at ["body", field] with the reason, and a payload kept as a dead
letter says which one."""

from __future__ import annotations

import pytest

from core.errors import LastmileError
from core.intake.errors import BadSignature, PayloadRejected, UnknownPlatform
from core.server.problems import problem_of
from core.services.intake.ingest import EnvelopeRejected
from core.storage.intake.messages import BadMessageCursor, NoSuchMessage, NotDead
from core.storage.intake.reviews import NoOrderToReview, NotInReview


def test_a_record_rejected_at_a_field_names_it() -> None:
    problem = problem_of(PayloadRejected("customer_phone", "格式不对")).problem

    assert (problem.status, problem.detail) == (422, "customer_phone: 格式不对")
    assert problem.errors == [{"loc": ["body", "customer_phone"], "msg": "格式不对"}]


def test_a_payload_rejected_as_a_whole_names_the_payload() -> None:
    problem = problem_of(PayloadRejected("", "JSON 格式错误")).problem

    assert (problem.status, problem.detail) == (422, "payload: JSON 格式错误")
    assert problem.errors == [{"loc": ["body"], "msg": "JSON 格式错误"}]


def test_a_kept_envelope_names_its_dead_letter() -> None:
    problem = problem_of(EnvelopeRejected(12, PayloadRejected("", "JSON 格式错误"))).problem

    assert problem.detail == "payload: JSON 格式错误；已存为待处理消息 12 (kept as dead letter 12)"
    assert problem.errors == [{"loc": ["body"], "msg": "JSON 格式错误"}]


@pytest.mark.parametrize(("error", "status", "detail"), [
    (UnknownPlatform("x", ["own"]), 404, "未知的平台 'x' (unknown platform 'x' (known: own))"),
    (BadSignature("未配置 own 的推送签名密钥 (no webhook secret is configured for 'own')"), 401,
     "未配置 own 的推送签名密钥 (no webhook secret is configured for 'own')"),
    (NotDead(5, "retried"), 409, "消息 5 已是 retried，只有待处理的消息能重试或丢弃 "
                                 "(message 5 is retried; only dead letters can be resolved)"),
    (NoSuchMessage(5), 404, "没有消息 5 (there is no intake message 5)"),
    (NotInReview(5), 409, "工单 5 不在待审核中 (order 5 is not waiting for an audit review)"),
    (NoOrderToReview(5), 404, "工单 5 不在待审核中 (order 5 is not waiting for an audit review)"),
    (BadMessageCursor("abc"), 422, "cursor: 翻页游标无效 ('abc' is not a message cursor)"),
])
def test_each_refusal_keeps_its_status_and_words(error: Exception, status: int,
                                                 detail: str) -> None:
    assert isinstance(error, LastmileError)
    problem = problem_of(error).problem

    assert (problem.status, problem.detail) == (status, detail)
