"""The providers' outbox round (core.server.outbox): both outboxes run each round, and one that
fails is logged without keeping the other from running."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine

from core.clock import SimulatedClock
from core.server import outbox
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms

CLOCK = SimulatedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def test_one_failing_outbox_does_not_keep_the_other_from_running(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[Any] = []

    def broken(cmd: Any, uow: Any) -> None:
        raise RuntimeError("database away")

    monkeypatch.setattr(outbox, "handle_send_pending", broken)
    monkeypatch.setattr(outbox, "handle_axb_round", lambda cmd, uow: ran.append((cmd, uow)))
    sms, axb = SimulatedSms(), SimulatedAxb()

    with caplog.at_level(logging.ERROR, logger="core.server.outbox"):
        outbox.outbox_round(create_engine("sqlite://"), sms, axb, CLOCK)

    [(cmd, uow)] = ran
    assert cmd.provider is axb and uow.clock is CLOCK
    assert "the SMS outbox round failed" in caplog.text
