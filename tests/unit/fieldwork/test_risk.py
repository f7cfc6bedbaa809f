"""Technician risk (core.fieldwork.risk): hand-computed scores, bands and reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.fieldwork.flags import FlagKind
from core.fieldwork.risk import (
    POLICY,
    WEIGHTS,
    Band,
    KindCount,
    Reason,
    assess,
    riskiest_first,
    window,
)

K = FlagKind


def count(kind: FlagKind | str, orders: int, flags: int | None = None) -> KindCount:
    return KindCount(str(kind), orders, orders if flags is None else flags)


def test_a_cheat_with_ten_orders_scores_high() -> None:
    # 7 far check-ins (4 each) + 1 without a position (2) = 30 points over 10 orders:
    # 100 * 30 / (4 * 10) = 75.
    risk = assess([count(K.CHECKIN_OUTSIDE, 7), count(K.CHECKIN_SKIPPED, 1)], orders=10,
                  flagged_orders=8)
    assert (risk.score, risk.band, risk.points, risk.orders) == (75.0, Band.HIGH, 30, 10)
    assert risk.reasons == (Reason("checkin_outside", 7, 7, 28),
                            Reason("checkin_skipped", 1, 1, 2))


def test_a_busy_honest_technician_stays_low() -> None:
    # 2 inaccurate (1) + 1 stale (1) + 1 skipped (2) = 5 points over 60 orders:
    # 500 / 240 = 2.083 -> 2.1.
    risk = assess([count(K.CHECKIN_INACCURATE, 2), count(K.CHECKIN_STALE, 1),
                   count(K.CHECKIN_SKIPPED, 1)], orders=60, flagged_orders=4)
    assert (risk.score, risk.band, risk.points) == (2.1, Band.LOW, 5)


def test_the_cheat_with_few_orders_ranks_above_the_busy_honest_one() -> None:
    cheat = assess([count(K.CHECKIN_OUTSIDE, 3)], orders=3, flagged_orders=3)
    # More flags in all, but over many more orders.
    busy = assess([count(K.CHECKIN_OUTSIDE, 2), count(K.CHECKIN_INACCURATE, 6)], orders=120)
    # cheat: 12 points / (4 * max(3, 5)) = 60.0; busy: 14 / 480 = 2.9
    assert (cheat.score, busy.score) == (60.0, 2.9)
    ranked = sorted([(busy, 1), (cheat, 2)], key=lambda pair: riskiest_first(*pair))
    assert [t for _, t in ranked] == [2, 1]


def test_few_orders_are_divided_as_if_there_were_the_minimum() -> None:
    # One far check-in on his only order: 4 / (4 * 5) = 20.0, watch rather than high.
    risk = assess([count(K.CHECKIN_OUTSIDE, 1)], orders=1, flagged_orders=1)
    assert (risk.score, risk.band, risk.orders) == (20.0, Band.WATCH, 1)


def test_a_complaint_weighs_heavily() -> None:
    # A complaint (6) and an appointment without a call (3) over 8 orders: 900 / 32 = 28.125.
    risk = assess([count(K.NO_CALL_APPOINTMENT, 1), count(K.COMPLAINT, 1)], orders=8)
    assert (risk.score, risk.band) == (28.1, Band.WATCH)
    assert [r.kind for r in risk.reasons] == ["complaint", "no_call_appointment"]
    assert WEIGHTS[K.COMPLAINT] > WEIGHTS[K.CHECKIN_OUTSIDE] > WEIGHTS[K.CHECKIN_INACCURATE]
    assert WEIGHTS[K.CODE_LOCKED] > WEIGHTS[K.CODE_FAILED]


def test_a_kind_counts_once_per_order() -> None:
    # Five wrong codes and the lock on one order: code_failed 1 order (1), code_locked 1 (4).
    risk = assess([count(K.CODE_FAILED, 1, flags=5), count(K.CODE_LOCKED, 1)], orders=5)
    assert risk.points == 5 and risk.score == 25.0
    assert risk.reasons == (Reason("code_locked", 1, 1, 4), Reason("code_failed", 1, 5, 1))


def test_a_kind_not_in_the_table_weighs_the_default() -> None:
    risk = assess([count("made_up_kind", 2)], orders=10)
    assert risk.points == 2 * POLICY.default_weight
    assert risk.score == 100.0 * 4 / 40


def test_the_score_stops_at_100() -> None:
    risk = assess([count(K.CHECKIN_OUTSIDE, 5), count(K.PHOTO_REUSED, 5),
                   count(K.CODE_LOCKED, 5)], orders=5)
    assert risk.points == 65 and risk.score == 100.0 and risk.band is Band.HIGH


def test_no_flags_no_risk() -> None:
    risk = assess([], orders=0)
    assert (risk.score, risk.band, risk.points, risk.reasons) == (0.0, Band.LOW, 0, ())
    assert assess([count(K.CHECKIN_OUTSIDE, 0)], orders=3).reasons == ()


def test_the_orders_worked_are_at_least_the_flagged_ones() -> None:
    # Flags on 6 orders but only 2 check-ins seen in the window: divided by 6, not 5.
    risk = assess([count(K.NO_CALL_APPOINTMENT, 6)], orders=2, flagged_orders=6)
    assert risk.orders == 6 and risk.score == 75.0


@pytest.mark.parametrize(("score", "band"), [
    (0.0, Band.LOW), (14.9, Band.LOW), (15.0, Band.WATCH), (39.9, Band.WATCH),
    (40.0, Band.HIGH), (100.0, Band.HIGH)])
def test_bands(score: float, band: Band) -> None:
    assert POLICY.band(score) is band


def test_the_window_ends_now() -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert window(now) == (now - timedelta(days=30), now)
    assert window(now, 1) == (now - timedelta(days=1), now)
    for days in (0, -3, 366):
        with pytest.raises(ValueError):
            window(now, days)
