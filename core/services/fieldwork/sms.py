"""SMS: the provider interface, the simulated provider that ships, and the outbox's sender.

A provider takes a phone number and a text and answers with its own message id. It raises
`SmsUnavailable` when it cannot take the message now (down, throttled, timed out: the outbox
keeps it and tries again later) and `SmsRejected` when it never will (an invalid number: the
outbox gives up and says why). A real provider's adapter maps its errors onto these two and
sets its own timeout: the outbox never waits longer than the adapter does.

Messages go through the outbox (core.storage.fieldwork.codes): queued in the transaction that
wants them sent, sent after it commits (`handle_send_pending`, which the server also runs on a
schedule), retried with a growing delay (`retry_delay`) while the provider is down.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.fieldwork.codes import CodeState, state_of, unseal, with_code
from core.storage.fieldwork.codes import (
    CANCELLED,
    FAILED,
    PENDING,
    SENT,
    SmsOutboxRecord,
    VerificationCodeRecord,
    code_key,
    due_sms,
)
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)
# A message being sent is held this long: a sender that dies mid-send leaves it to the next.
SENDING_LEASE = timedelta(minutes=2)


class SmsUnavailable(Exception):
    """The provider cannot take the message now; try again later."""


class SmsRejected(Exception):
    """The provider refuses this message for good (an invalid number, a blocked text)."""


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Hand the message over; the provider's message id."""
        ...


def retry_delay(tries: int) -> timedelta:
    """How long after the `tries`-th failed try the next one comes: 30 s doubling to 30 min."""
    return min(FIRST_RETRY * 2 ** max(tries - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True)
class SentSms:
    message_id: str
    phone: str
    text: str


class SimulatedSms:
    """A provider in memory: it keeps what it sent, and can be told to be down or to refuse."""

    def __init__(self) -> None:
        self.sent: list[SentSms] = []
        self.down = False
        self.refused_numbers: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> str:
        with self._lock:
            if self.down:
                raise SmsUnavailable("simulated SMS provider is down")
            if phone in self.refused_numbers:
                raise SmsRejected(f"simulated SMS provider refuses number {phone[-4:]}")
            sms = SentSms(f"sim-{next(self._ids)}", phone, text)
            self.sent.append(sms)
            return sms.message_id

    def to(self, phone: str) -> list[SentSms]:
        with self._lock:
            return [s for s in self.sent if s.phone == phone]


@dataclass(frozen=True)
class Delivery:
    """What one sending round did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0  # no longer worth sending (its code was replaced, used or expired)


def not_before(now: datetime, tries: int) -> datetime:
    return now + retry_delay(tries)


@dataclass(frozen=True)
class SendPendingSms:
    """Send the outbox's due SMS (the server runs it on a schedule; `ids`: only these)."""

    provider: SmsProvider
    limit: int = 100
    ids: tuple[int, ...] | None = None


def _worth_sending(code: VerificationCodeRecord | None, now: datetime) -> tuple[str, str] | None:
    """None to send a code's SMS; else the status and why it is dropped."""
    if code is None:
        return CANCELLED, "核销码不存在 (the code is gone)"
    state = state_of(voided=code.voided_at is not None, used=code.used_at is not None,
                     locked=code.locked_at is not None, expires_at=code.expires_at, now=now)
    if state is CodeState.ISSUED:
        return None
    if state is CodeState.EXPIRED:
        return FAILED, "核销码在发出前已过期 (the code expired before it could be sent)"
    return CANCELLED, f"核销码已{_STATE_ZH[state]}，不再发送 (the code is {state.value})"


_STATE_ZH = {CodeState.USED: "使用", CodeState.LOCKED: "锁定", CodeState.VOIDED: "作废"}


@dataclass(frozen=True)
class _Claimed:
    id: int
    phone: str
    text: str = field(repr=False)


@dataclass(frozen=True)
class _Outcome:
    id: int
    sent: bool = False
    provider_id: str = ""
    error: str = ""
    final: bool = False  # refused for good


def _claim(cmd: SendPendingSms, uow: UnitOfWork, now: datetime) -> tuple[list[_Claimed], int]:
    """Hold the due SMS for this sender (a lease, committed) and open their codes."""
    key = code_key()
    claimed: list[_Claimed] = []
    dropped = 0
    with uow:
        for row in due_sms(uow.session, now, cmd.limit, cmd.ids):
            text = row.text
            if row.code_id is not None:
                code = uow.session.get(VerificationCodeRecord, row.code_id)
                drop = _worth_sending(code, now)
                if drop is not None:
                    row.status, row.last_error, row.sealed = drop[0], drop[1], ""
                    dropped += 1
                    continue
                text = with_code(row.text, unseal(key, row.sealed))
            row.tries += 1
            row.next_try_at = now + SENDING_LEASE
            claimed.append(_Claimed(row.id, row.phone, text))
        uow.commit()
    return claimed, dropped


def _send(provider: SmsProvider, sms: _Claimed) -> _Outcome:
    try:
        return _Outcome(sms.id, sent=True, provider_id=provider.send(sms.phone, sms.text))
    except SmsUnavailable as exc:
        return _Outcome(sms.id, error=f"短信服务暂不可用 (provider unavailable: {exc})")
    except SmsRejected as exc:
        return _Outcome(sms.id, error=f"短信服务拒收 (provider refused: {exc})", final=True)
    except Exception as exc:  # an adapter's surprise must not lose the message: try again
        log.exception("SMS provider failed on outbox message %s", sms.id)
        return _Outcome(sms.id, error=f"短信发送出错 (provider error: {type(exc).__name__})")


def handle_send_pending(cmd: SendPendingSms, uow: UnitOfWork) -> Delivery:
    """Send what is due: sent, retried later with a growing delay, or given up when the
    provider refuses it for good or its code no longer takes a submission. Nothing is lost: a
    sender that dies mid-way leaves its messages to the next round (SENDING_LEASE)."""
    claimed, dropped = _claim(cmd, uow, uow.clock.now())
    if not claimed:
        return Delivery(dropped=dropped)
    outcomes = [_send(cmd.provider, sms) for sms in claimed]
    now = uow.clock.now()
    counts = Counter[str]()
    with uow:
        for outcome in outcomes:
            row = uow.session.get(SmsOutboxRecord, outcome.id)
            if row is None:
                continue
            if outcome.sent:  # it went out, even if dropped meanwhile
                row.status, row.provider_id, row.sent_at = SENT, outcome.provider_id[:100], now
                row.sealed = ""
            elif row.status != PENDING:
                continue  # dropped meanwhile (a new code): stays so
            elif outcome.final:
                row.status, row.sealed = FAILED, ""
            else:
                row.next_try_at = not_before(now, row.tries)
            row.last_error = outcome.error[:500]
            counts[row.status] += 1
        uow.commit()
    return Delivery(sent=counts[SENT], retrying=counts[PENDING], failed=counts[FAILED],
                    dropped=dropped)
