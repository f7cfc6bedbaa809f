"""The simulation's one-line summary, read from what the backend recorded (orders, events)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.demo.field import Truth
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.followups import (
    ComplaintRecord,
    ComplaintStatus,
    FollowupRecord,
    FollowupStatus,
    PeriodOutcome,
    ReviewPeriodRecord,
)
from core.storage.tables import OrderEventRecord, OrderRecord

# (from, to): seconds from the first time an order reached `from` to the first time after it
# reached `to`; "created" is the order's creation.
STEPS = (
    ("created", "dispatching"),
    ("created", "accepted"),
    ("accepted", "appointed"),
    ("appointed", "checked_in"),
    ("checked_in", "served"),
    ("created", "served"),
)
ASSIGNING = ("assign", "claim")


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (a value that occurred), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return round(ordered[min(rank, len(ordered)) - 1], 1)


def summarise(engine: Engine) -> dict[str, Any]:
    """Orders by state, time per step (p50/p90 s), how orders found a technician, escalations
    and refusals, over every order in the database."""
    with Session(engine) as session:
        by_state = dict(session.execute(
            select(OrderRecord.state, func.count()).group_by(OrderRecord.state)).all())
        created = dict(session.execute(select(OrderRecord.id, OrderRecord.created_at)).all())
        events = session.execute(
            select(OrderEventRecord.order_id, OrderEventRecord.kind, OrderEventRecord.to_state,
                   OrderEventRecord.actor_role, OrderEventRecord.at, OrderEventRecord.data)
            .order_by(OrderEventRecord.seq)).all()
    reached: dict[int, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    last_assignment: dict[int, str] = {}
    escalations: Counter[str] = Counter()
    withdrawals: Counter[str] = Counter()
    refusals: Counter[str] = Counter()
    completions: Counter[str] = Counter()  # the backend's own check at each completion
    for order_id, kind, to_state, role, at, data in events:
        reached[order_id][to_state].append(at)
        data = data or {}
        if kind in ASSIGNING:
            last_assignment[order_id] = ("grab" if kind == "claim" else
                                         "auto" if role == "system" else "manual")
        elif kind == "escalate" or (kind == "open_dispatch" and data.get("code")
                                    and data.get("mode") == "manual"):
            escalations[str(data.get("code") or "other")] += 1
        elif kind == "withdraw":
            withdrawals[str(data.get("code") or "other")] += 1
        elif kind == "refuse":
            refusals[str(data.get("code") or "other")] += 1
        elif kind == "complete":
            completions[str(data.get("verification") or "not_checked")] += 1
    modes = Counter(last_assignment.values())
    placed = sum(modes.values())
    return {
        "orders": sum(by_state.values()),
        "orders_by_state": dict(sorted(by_state.items())),
        "step_seconds": _steps(created, reached),
        "dispatch_modes": {mode: {"orders": modes[mode],
                                  "share": round(modes[mode] / placed, 4) if placed else 0.0}
                           for mode in ("auto", "grab", "manual")},
        "escalations": {"total": sum(escalations.values()),
                        "by_code": dict(sorted(escalations.items()))},
        "refusals": {"total": sum(refusals.values()), "by_code": dict(sorted(refusals.items()))},
        "withdrawals": {"total": sum(withdrawals.values()),
                        "by_code": dict(sorted(withdrawals.items()))},
        # verified: by the backend at completion; the others wait in the review queue.
        "completions": {"total": sum(completions.values()),
                        "by_verification": dict(sorted(completions.items()))},
    }


def _steps(created: dict[int, datetime],
           reached: dict[int, dict[str, list[datetime]]]) -> dict[str, dict[str, Any]]:
    out = {}
    for start, end in STEPS:
        seconds = []
        for order_id, states in reached.items():
            begun = created.get(order_id) if start == "created" else _first(states[start])
            if begun is None:
                continue
            done = next((at for at in states.get(end, []) if at >= begun), None)
            if done is not None:
                seconds.append((done - begun).total_seconds())
        out[f"{start}_to_{end}"] = {"n": len(seconds), "p50": percentile(seconds, 0.5),
                                    "p90": percentile(seconds, 0.9)}
    return out


def _first(times: list[datetime]) -> datetime | None:
    return times[0] if times else None


def fraud_summary(engine: Engine, truth: Truth) -> dict[str, int]:
    """The orders fraudsters faked and the honest ones, each with how many got a flag (any
    kind, core.storage.fieldwork.flags), counted against the simulation's own truth."""
    with Session(engine) as session:
        flagged = flags_of(session, sorted(truth.faked | truth.honest))
    return {
        "fraudulent_orders": len(truth.faked),
        "flagged_fraudulent": sum(1 for o in truth.faked if flagged.get(o)),
        "honest_orders": len(truth.honest),
        "flagged_honest": sum(1 for o in truth.honest if flagged.get(o)),
    }


def followup_summary(engine: Engine) -> dict[str, int]:
    """The review period as the backend recorded it: follow-up calls made (each unreachable
    try, each call answered) and what came of them, calls given up after their tries,
    complaints ruled, after-sales orders opened, and how review periods ended (settleable by
    the period's end, or approved by a satisfied call)."""
    with Session(engine) as session:
        calls = session.execute(select(
            FollowupRecord.status, FollowupRecord.outcome, func.count(),
            func.coalesce(func.sum(FollowupRecord.attempts), 0))
            .group_by(FollowupRecord.status, FollowupRecord.outcome)).all()
        complaints = dict(session.execute(select(ComplaintRecord.status, func.count())
                                          .group_by(ComplaintRecord.status)).all())
        after_sales = session.scalar(select(func.count()).select_from(ComplaintRecord).where(
            ComplaintRecord.after_sales_order_id.is_not(None))) or 0
        periods = dict(session.execute(select(ReviewPeriodRecord.outcome, func.count())
                                       .where(ReviewPeriodRecord.closed_at.is_not(None))
                                       .group_by(ReviewPeriodRecord.outcome)).all())
    answered: Counter[str] = Counter()
    unreachable = gave_up = 0
    for status, outcome, n, attempts in calls:
        unreachable += int(attempts)
        if status == FollowupStatus.DONE:
            answered[str(outcome)] += n
        elif status == FollowupStatus.GAVE_UP:
            gave_up += n
    return {
        "calls": unreachable + sum(answered.values()),
        "satisfied": answered["satisfied"],
        "problems": answered["problem"],
        "unreachable": unreachable,
        "gave_up": gave_up,
        "complaints_upheld": complaints.get(ComplaintStatus.UPHELD, 0),
        "complaints_dismissed": complaints.get(ComplaintStatus.DISMISSED, 0),
        "after_sales_opened": after_sales,
        "settled_by_period_end": periods.get(PeriodOutcome.LAPSED, 0),
        "settled_by_approval": periods.get(PeriodOutcome.APPROVED, 0),
    }
