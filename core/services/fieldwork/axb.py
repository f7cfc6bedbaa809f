"""Virtual numbers (AXB): the provider interface, the simulated provider that ships, binding an
order's technician to its customer, and taking in the calls the provider pushes.

How a real provider plugs in (an adapter implementing `AxbProvider`):

- **Binding.** `bind(BindRequest)` asks for a virtual number X joining the technician's phone
  (A) and the customer's (B) for `lifetime` (default 7 days from acceptance, 1 h to 30 days);
  either may dial X and reaches the other, neither sees the other's number. It answers the
  provider's binding id, X and, when the provider says so, when the binding lapses (else it
  lapses `lifetime` after it was made). `record_calls` asks the provider to record the calls
  (the recording flag). `unbind(binding_id)` releases X when the technician changes or the
  order is done. The adapter raises `AxbUnavailable` when the provider cannot answer now (down,
  throttled, timed out, no free number: the binding waits as `pending` and is tried again, 30 s
  doubling to 30 min, by `handle_axb_round`, which the server runs on a schedule) and
  `AxbRejected` when it never will (an invalid number: the binding fails, with why).
- **Call records.** After each call the provider POSTs `/v1/axb/call-records` with a JSON body
  `{"records": [{"record_id", "binding_id", "caller_side": "technician"|"customer",
  "started_at", "duration_s", "connected", "recording"}]}` (at most 100 records; A calling is
  "technician", B calling is "customer"), signed as the brand ERP's webhooks are
  (core.intake.adapters._lastmile): `X-Lastmile-Timestamp` (Unix seconds) and
  `X-Lastmile-Signature` = hex HMAC-SHA256 under the push secret of `timestamp + "." + body`,
  over the exact bytes sent. A push signed more than 5 minutes from the server's time is
  refused (a replay); a record id already taken is acknowledged and not stored again, so the
  provider retries a push until it gets a 2xx and nothing is counted twice. An adapter whose
  provider signs its own way verifies that and re-signs nothing: it calls
  `handle_take_call_records` with the records in this shape.
"""

from __future__ import annotations

import itertools
import json
import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.intake.adapters._lastmile import signed_headers

log = logging.getLogger(__name__)

DEFAULT_LIFETIME = timedelta(days=7)
SHORTEST_LIFETIME, LONGEST_LIFETIME = timedelta(hours=1), timedelta(days=30)


class AxbUnavailable(Exception):
    """The provider cannot answer now; try again later."""


class AxbRejected(Exception):
    """The provider refuses this for good (an invalid number, an unknown binding)."""


@dataclass(frozen=True)
class BindRequest:
    order_ref: str  # the order's number: the provider sees no customer name or address
    technician_phone: str  # A
    customer_phone: str  # B
    lifetime: timedelta
    record_calls: bool = True


@dataclass(frozen=True)
class Bound:
    binding_id: str
    virtual_number: str  # X
    expires_at: datetime | None = None  # None: `lifetime` after binding


class AxbProvider(Protocol):
    """A virtual-number provider (see the module's docstring for the contract)."""

    push_secret: str  # what its call-record pushes are signed with

    def bind(self, request: BindRequest) -> Bound:
        ...

    def unbind(self, binding_id: str) -> None:
        ...


# -- the simulated provider ---------------------------------------------------------------------

@dataclass(frozen=True)
class PushedCall:
    record_id: str
    binding_id: str
    caller_side: str
    started_at: datetime
    duration_s: int
    connected: bool
    recording: bool

    def wire(self) -> dict[str, object]:
        return {"record_id": self.record_id, "binding_id": self.binding_id,
                "caller_side": self.caller_side, "started_at": self.started_at.isoformat(),
                "duration_s": self.duration_s, "connected": self.connected,
                "recording": self.recording}


@dataclass
class SimulatedAxb:
    """A provider in memory, deterministic (numbers and ids count up); `down` makes it
    unavailable. Calls placed through `call` wait until `push` delivers them, as a provider
    retries a push until it is acknowledged."""

    # Random unless given: a server that fell back to the simulation takes no pushes from
    # outside (nobody knows the secret).
    push_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    down: bool = False
    refused_numbers: set[str] = field(default_factory=set)
    bindings: dict[str, tuple[BindRequest, str]] = field(default_factory=dict)
    released: list[str] = field(default_factory=list)
    unpushed: list[PushedCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._calls = itertools.count(1)
        self._lock = threading.Lock()

    def bind(self, request: BindRequest) -> Bound:
        with self._lock:
            if self.down:
                raise AxbUnavailable("simulated AXB provider is down")
            for phone in (request.technician_phone, request.customer_phone):
                if phone in self.refused_numbers or not phone:
                    raise AxbRejected(f"simulated AXB provider refuses number {phone[-4:]}")
            n = next(self._ids)
            binding_id, number = f"sim-axb-{n}", f"1710000{n:04d}"
            self.bindings[binding_id] = (request, number)
            return Bound(binding_id, number)

    def unbind(self, binding_id: str) -> None:
        with self._lock:
            if self.down:
                raise AxbUnavailable("simulated AXB provider is down")
            if binding_id not in self.bindings:
                raise AxbRejected(f"no binding {binding_id}")
            del self.bindings[binding_id]
            self.released.append(binding_id)

    def number_of(self, binding_id: str) -> str:
        return self.bindings[binding_id][1]

    def call(self, binding_id: str, caller_side: str, started_at: datetime, duration_s: int,
             connected: bool = True, recording: bool = False) -> PushedCall:
        """A call on the binding, waiting to be pushed."""
        with self._lock:
            record = PushedCall(f"sim-call-{next(self._calls)}", binding_id, caller_side,
                                started_at, duration_s if connected else 0, connected,
                                recording and connected)
            self.unpushed.append(record)
            return record

    def signed_push(self, records: Sequence[PushedCall],
                    now: datetime) -> tuple[bytes, dict[str, str]]:
        """The push's body and headers, signed at `now` with the push secret."""
        body = json.dumps({"records": [r.wire() for r in records]}).encode()
        return body, signed_headers(body, self.push_secret, now)

    def push(self, send: Callable[[bytes, dict[str, str]], int], now: datetime) -> int:
        """Push the waiting calls once through `send` (the HTTP post or the handler); those not
        acknowledged with a 2xx stay to be pushed again. How many were delivered."""
        with self._lock:
            waiting, self.unpushed = self.unpushed, []
        if not waiting:
            return 0
        body, headers = self.signed_push(waiting, now)
        try:
            status = send(body, headers)
        except Exception:  # the receiver is away: keep them for the next push
            log.warning("simulated AXB push failed; will retry", exc_info=True)
            status = 0
        if 200 <= status < 300:
            return len(waiting)
        with self._lock:
            self.unpushed = waiting + self.unpushed
        return 0
