"""What one platform record did to the service orders: the handlers' shared result."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.contracts.intake import Outcome
from core.intake.model import DroppedLine, PlatformOrder
from core.text import both, with_words

# Outcome of a record that became several service orders: the most telling one.
PRIORITY = (Outcome.REVIEW, Outcome.CREATED, Outcome.MERGED, Outcome.UPDATED,
            Outcome.CANCELLED, Outcome.REFUSED, Outcome.DUPLICATE)
# What a message that was not taken leaves untouched: it changed nothing the platform said.
NOT_TAKEN = frozenset({Outcome.REFUSED, Outcome.DEAD})


@dataclass(frozen=True)
class Result:
    """What one record did: its outcome, the service orders involved, and why."""

    outcome: Outcome
    order_ids: list[int] = field(default_factory=list)
    reason: str = ""
    field: str = ""


def summarise(outcomes: list[Outcome], order_ids: list[int], reason: str = "") -> Result:
    best = min(outcomes, key=PRIORITY.index)
    return Result(best, sorted(set(order_ids)), reason)


def unknown_order(source: PlatformOrder, label: str, what: tuple[str, str]) -> Result:
    """Refused: no service order was made from this platform order (`what`: the step not
    taken, in Chinese and English)."""
    zh, en = what
    number = source.platform_order_id
    return Result(Outcome.REFUSED, reason=(
        f"未找到{label}订单 {number} 对应的服务单，无法{zh} "
        f"(no service order comes from {source.platform} order {number}: cannot {en})"),
        field="platform_order_id")


def nothing_to_visit(dropped: tuple[DroppedLine, ...]) -> str:
    """Why an order makes no service order: none of its lines needs a visit, then each line's
    own reason (core.intake.split.drop_reason), pieces `中文 (English)`."""
    if not dropped:
        return ("没有需要上门服务的商品（没有商品行） "
                "(no line needs a visit: the order has no lines)")
    return "；".join(["没有需要上门服务的商品 (no line needs a visit)"]
                    + [d.reason for d in dropped])


def cannot_apply(zh: str, en: str, cause: object) -> str:
    """A dead letter's reason: what failed in both languages, then the error's own words as it
    said them (an order rule's, or the database driver's)."""
    return with_words(both(zh, en), str(cause))
