"""One typed command per lifecycle action: `order.apply(Assign(technician_id=7), actor, at, why)`.

A command says what the action carries; the transition table (core.orders.lifecycle.ACTIONS)
stays the one place that says in which state and by whom it may be taken, and the aggregate
validates the values (`ServiceOrder._on_<action>`). Fields typed `X | str` take the wire's
text too: the aggregate turns it into X or refuses it with InvalidCommand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Literal

from core.orders.errors import InvalidCommand
from core.orders.lifecycle import (
    CannotCompleteCode,
    DispatchMode,
    OrderTag,
    RefusalCode,
    ServiceType,
)


class Keep(Enum):
    """A price left as it is (None would clear it)."""

    KEEP = "keep"


KEEP: Literal[Keep.KEEP] = Keep.KEEP


@dataclass(frozen=True)
class Command:
    """Base of the lifecycle commands; `action` names the ACTIONS entry it is."""

    action: ClassVar[str] = ""


@dataclass(frozen=True)
class Audit(Command):
    action: ClassVar[str] = "audit"


@dataclass(frozen=True)
class Place(Command):
    action: ClassVar[str] = "place"
    county_adcode: str | None = None  # None: the one the order has
    county_name: str | None = None
    lng: float | None = None
    lat: float | None = None


@dataclass(frozen=True)
class Classify(Command):
    action: ClassVar[str] = "classify"
    service_type: ServiceType | str | None = None  # None: the one the order has
    skills: Sequence[str] | None = None  # None: keep the order's skills


@dataclass(frozen=True)
class OpenDispatch(Command):
    action: ClassVar[str] = "open_dispatch"
    mode: DispatchMode | str | None = None  # None: manual
    note: str = ""  # why a person is needed (manual only)
    code: str = ""  # why it went straight to a person


@dataclass(frozen=True)
class Escalate(Command):
    action: ClassVar[str] = "escalate"
    mode: DispatchMode | str | None = None  # None: manual
    note: str = ""  # "": the reason
    code: str = ""


@dataclass(frozen=True)
class Assign(Command):
    action: ClassVar[str] = "assign"
    technician_id: int
    technician_name: str = ""
    pinned: bool = False  # automatic dispatch never changes a pinned assignment
    accept_by: datetime | None = None  # when the technician must have replied
    terms: Mapping[str, float] | None = None  # the ranking's score terms, kept on the event
    automatic: bool = False  # the dispatcher's, not a person's


@dataclass(frozen=True)
class Claim(Command):
    action: ClassVar[str] = "claim"
    technician_id: int
    technician_name: str = ""
    accept_by: datetime | None = None
    # The price the offer showed the technician; KEEP: the order's own.
    offer_price_fen: int | Literal[Keep.KEEP] | None = KEEP


@dataclass(frozen=True)
class Withdraw(Command):
    action: ClassVar[str] = "withdraw"
    code: RefusalCode | str | None = None
    mode: DispatchMode | str | None = None  # None: the order stays in its mode
    note: str | None = None


@dataclass(frozen=True)
class Pin(Command):
    action: ClassVar[str] = "pin"


@dataclass(frozen=True)
class Unpin(Command):
    action: ClassVar[str] = "unpin"


@dataclass(frozen=True)
class Mark(Command):
    action: ClassVar[str] = "mark"
    tags: Sequence[OrderTag | str] | None = None  # None: keep; a list replaces them
    grab_price_fen: int | Literal[Keep.KEEP] | None = KEEP  # None clears it


@dataclass(frozen=True)
class Accept(Command):
    action: ClassVar[str] = "accept"


@dataclass(frozen=True)
class Refuse(Command):
    """Only why (a code): where the order goes next is the region's policy, never the
    refuser's choice, so a refusal has no mode or note."""

    action: ClassVar[str] = "refuse"
    code: RefusalCode | str | None = None


@dataclass(frozen=True)
class Appoint(Command):
    action: ClassVar[str] = "appoint"
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CheckIn(Command):
    action: ClassVar[str] = "check_in"


@dataclass(frozen=True)
class Complete(Command):
    """`verification`: what the backend's own check of the evidence at completion found
    (verified, incomplete, flagged, manual_review; empty: not checked), `verification_text`
    why, both recorded on the completion's event."""

    action: ClassVar[str] = "complete"
    verification: str = ""
    verification_text: str = ""


@dataclass(frozen=True)
class CannotComplete(Command):
    """Why the visit cannot be done (a code; the reason says more). The code decides where
    the order goes: back to the technician to book again, or to a person at dispatch."""

    action: ClassVar[str] = "cannot_complete"
    code: CannotCompleteCode | str
    note: str = ""  # the technician's words, for the dispatch note a person reads


@dataclass(frozen=True)
class Verify(Command):
    action: ClassVar[str] = "verify"


@dataclass(frozen=True)
class StartReview(Command):
    action: ClassVar[str] = "start_review"


@dataclass(frozen=True)
class PassReview(Command):
    action: ClassVar[str] = "pass_review"


@dataclass(frozen=True)
class Settle(Command):
    action: ClassVar[str] = "settle"


@dataclass(frozen=True)
class Close(Command):
    action: ClassVar[str] = "close"


@dataclass(frozen=True)
class Cancel(Command):
    action: ClassVar[str] = "cancel"


@dataclass(frozen=True)
class Freeze(Command):
    action: ClassVar[str] = "freeze"


@dataclass(frozen=True)
class Unfreeze(Command):
    action: ClassVar[str] = "unfreeze"


@dataclass(frozen=True)
class AfterSales(Command):
    """Recorded on the original; ServiceOrder.open_after_sales makes the new order."""

    action: ClassVar[str] = "after_sales"
    order_no: str  # the new after-sales order's number


COMMANDS: dict[str, type[Command]] = {
    cls.action: cls for cls in (
        Audit, Place, Classify, OpenDispatch, Escalate, Assign, Claim, Withdraw, Pin, Unpin,
        Mark, Accept, Refuse, Appoint, CheckIn, Complete, CannotComplete, Verify, StartReview,
        PassReview, Settle, Close, Cancel, Freeze, Unfreeze, AfterSales,
    )
}
# Named apart from other unexpected arguments: a refuser may think they choose the next step.
_REFUSAL_CHOICES = ("mode", "note")


def command_for(action: str, args: Mapping[str, Any]) -> Command:
    """The command for an action named by text (the wire, `perform`), or InvalidCommand."""
    cls = COMMANDS.get(action)
    if cls is None:
        raise InvalidCommand(f"没有这个操作 (unknown action '{action}')")
    known = {f.name: f for f in fields(cls)}
    if cls is Refuse:
        chosen = sorted(k for k in _REFUSAL_CHOICES if args.get(k) is not None)
        if chosen:
            raise InvalidCommand(f"拒单不能指定下一步派单方式 (a refusal cannot choose "
                                 f"{', '.join(chosen)}: the region's dispatch policy decides)")
        args = {k: v for k, v in args.items() if k not in _REFUSAL_CHOICES}
    unexpected = sorted(set(args) - set(known))
    if unexpected:
        raise InvalidCommand(
            f"此操作不接受这些参数 (unexpected arguments: {', '.join(unexpected)})")
    missing = [name.replace("_", " ") for name, f in known.items()
               if f.default is MISSING and f.default_factory is MISSING and name not in args]
    if missing:
        raise InvalidCommand(f"缺少参数 ({action} needs: {', '.join(missing)})")
    return cls(**args)
