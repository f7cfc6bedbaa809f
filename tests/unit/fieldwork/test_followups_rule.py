"""The review period's rule by hand: sampling (deterministic, its share over many orders, every
reason), a call's outcomes, the repeat fault's boundary and the technician's rating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.fieldwork.followups import (
    BUILT_IN,
    ComplaintType,
    FollowupRuleError,
    Outcome,
    OutcomeKind,
    ReviewPolicy,
    SampleFacts,
    SampleReason,
    check_outcome,
    gives_up,
    in_random_share,
    is_repeat_fault,
    next_retry,
    sample,
    technician_rating,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
UNTIL = NOW + timedelta(days=7)
PLAIN = SampleFacts("LM202603020001", 100_00, False, 20)  # cheap, clean, a seasoned technician
NO_RANDOM = ReviewPolicy(sample_percent=0)


def numbers(n: int) -> list[str]:
    return [f"LM20260302{i:06d}" for i in range(n)]


# -- sampling -------------------------------------------------------------------------------------

def test_the_same_order_always_gets_the_same_answer() -> None:
    picks = [in_random_share(no, 10.0) for no in numbers(500)]
    assert picks == [in_random_share(no, 10.0) for no in numbers(500)]


@pytest.mark.parametrize("percent", [5.0, 10.0, 30.0])
def test_the_random_share_is_close_to_the_policy_over_many_orders(percent: float) -> None:
    picked = sum(in_random_share(no, percent) for no in numbers(20_000))
    assert picked / 20_000 == pytest.approx(percent / 100, abs=0.01)


def test_a_larger_share_keeps_every_order_a_smaller_one_picked() -> None:
    small = {no for no in numbers(5_000) if in_random_share(no, 10.0)}
    large = {no for no in numbers(5_000) if in_random_share(no, 20.0)}
    assert small < large


def test_no_share_picks_nothing_and_a_full_share_everything() -> None:
    assert not any(in_random_share(no, 0) for no in numbers(2_000))
    assert all(in_random_share(no, 100) for no in numbers(2_000))


def test_another_key_picks_other_orders() -> None:
    ours = [in_random_share(no, 50.0) for no in numbers(200)]
    theirs = [in_random_share(no, 50.0, key=b"another deployment") for no in numbers(200)]
    assert ours != theirs


@pytest.mark.parametrize(("facts", "reasons"), [
    (PLAIN, ()),
    (SampleFacts("A", 5_000_00, False, 20), (SampleReason.HIGH_VALUE,)),
    (SampleFacts("A", 4_999_99, False, 20), ()),
    (SampleFacts("A", 100, True, 20), (SampleReason.FLAGGED,)),
    (SampleFacts("A", 100, False, 4), (SampleReason.NEW_TECHNICIAN,)),
    (SampleFacts("A", 100, False, 5), ()),
    (SampleFacts("A", 100, False, None), ()),
    (SampleFacts("A", 9_000_00, True, 0),
     (SampleReason.HIGH_VALUE, SampleReason.FLAGGED, SampleReason.NEW_TECHNICIAN)),
])
def test_each_reason_is_given(facts: SampleFacts, reasons: tuple[SampleReason, ...]) -> None:
    assert sample(NO_RANDOM, facts) == reasons


def test_the_random_reason_comes_with_the_others() -> None:
    lucky = next(no for no in numbers(1_000) if in_random_share(no, 10.0))
    assert sample(BUILT_IN, SampleFacts(lucky, 9_000_00, False, 20)) == (
        SampleReason.RANDOM, SampleReason.HIGH_VALUE)


def test_a_policy_can_turn_each_reason_off() -> None:
    off = ReviewPolicy(sample_percent=0, high_value_fen=0, sample_flagged=False, first_orders=0)
    assert sample(off, SampleFacts("A", 9_000_00, True, 0)) == ()


@pytest.mark.parametrize("values", [
    {"review_days": 0}, {"sample_percent": 101}, {"high_value_fen": -1},
    {"max_attempts": 0}, {"retry_hours": 0}, {"repeat_fault_days": -1}, {"first_orders": 101},
])
def test_a_policy_out_of_bounds_is_refused(values: dict[str, int]) -> None:
    with pytest.raises(FollowupRuleError):
        ReviewPolicy.from_values(values)


def test_a_policy_round_trips_its_values_and_refuses_unknown_ones() -> None:
    policy = ReviewPolicy(review_days=3, sample_percent=25.0)
    assert ReviewPolicy.from_values(policy.values()) == policy
    with pytest.raises(FollowupRuleError, match="unknown settings: colour"):
        ReviewPolicy.from_values({"colour": 1})


# -- outcomes -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rating", [1, 3, 5])
def test_a_satisfied_call_with_a_rating_of_one_to_five(rating: int) -> None:
    check_outcome(Outcome(OutcomeKind.SATISFIED, rating=rating), NOW, UNTIL)


@pytest.mark.parametrize("rating", [None, 0, 6, -1])
def test_a_satisfied_call_without_a_rating_of_one_to_five_is_refused(rating: int | None) -> None:
    with pytest.raises(FollowupRuleError, match="rating of 1-5"):
        check_outcome(Outcome(OutcomeKind.SATISFIED, rating=rating), NOW, UNTIL)


@pytest.mark.parametrize("kind", list(ComplaintType))
def test_a_problem_of_each_type_with_a_note(kind: ComplaintType) -> None:
    check_outcome(Outcome(OutcomeKind.PROBLEM, complaint=kind, note="漏水"), NOW, UNTIL)


@pytest.mark.parametrize(("outcome", "words"), [
    (Outcome(OutcomeKind.PROBLEM, note="漏水"), "complaint type"),
    (Outcome(OutcomeKind.PROBLEM, complaint=ComplaintType.QUALITY, note="  "), "needs a note"),
    (Outcome(OutcomeKind.PROBLEM, rating=2, complaint=ComplaintType.QUALITY, note="x"),
     "only a satisfied call"),
    (Outcome(OutcomeKind.SATISFIED, rating=5, complaint=ComplaintType.QUALITY),
     "only a problem"),
    (Outcome(OutcomeKind.SATISFIED, rating=5, retry_at=NOW + timedelta(hours=1)),
     "only an unreachable"),
])
def test_an_outcome_with_what_another_kind_carries_is_refused(outcome: Outcome,
                                                              words: str) -> None:
    with pytest.raises(FollowupRuleError, match=words):
        check_outcome(outcome, NOW, UNTIL)


@pytest.mark.parametrize(("retry", "words"), [
    (NOW, "in the future"),
    (NOW - timedelta(minutes=1), "in the future"),
    (UNTIL + timedelta(seconds=1), "within the review period"),
    (datetime(2026, 3, 3, 9, 0), "time zone"),
])
def test_an_unreachable_call_retries_after_now_within_the_period(retry: datetime,
                                                                 words: str) -> None:
    check_outcome(Outcome(OutcomeKind.UNREACHABLE, retry_at=UNTIL), NOW, UNTIL)
    check_outcome(Outcome(OutcomeKind.UNREACHABLE), NOW, UNTIL)
    with pytest.raises(FollowupRuleError, match=words):
        check_outcome(Outcome(OutcomeKind.UNREACHABLE, retry_at=retry), NOW, UNTIL)


def test_the_default_retry_is_the_delay_but_never_past_the_period() -> None:
    assert next_retry(BUILT_IN, NOW, UNTIL) == NOW + timedelta(hours=4)
    assert next_retry(BUILT_IN, UNTIL - timedelta(hours=1), UNTIL) == UNTIL


def test_the_call_gives_up_after_the_maximum_tries() -> None:
    assert [gives_up(n, 3) for n in (1, 2, 3, 4)] == [False, False, True, True]


# -- the repeat fault -----------------------------------------------------------------------------

@pytest.mark.parametrize(("after", "repeat"), [
    (timedelta(days=1), True),
    (timedelta(days=7), True),  # the last day counts
    (timedelta(days=7, seconds=1), False),
])
def test_a_quality_fault_within_seven_days_is_a_repeat_fault(after: timedelta,
                                                             repeat: bool) -> None:
    assert is_repeat_fault(BUILT_IN, ComplaintType.QUALITY, NOW, NOW + after) is repeat
    assert is_repeat_fault(BUILT_IN, ComplaintType.NON_STANDARD, NOW, NOW + after) is repeat


@pytest.mark.parametrize("kind", [ComplaintType.ATTITUDE, ComplaintType.TIMELINESS,
                                  ComplaintType.OVERCHARGING])
def test_manners_and_prices_are_never_a_repeat_fault(kind: ComplaintType) -> None:
    assert not is_repeat_fault(BUILT_IN, kind, NOW, NOW + timedelta(hours=1))


def test_the_client_sets_the_repeat_fault_days() -> None:
    three = ReviewPolicy(repeat_fault_days=3)
    assert not is_repeat_fault(three, ComplaintType.QUALITY, NOW, NOW + timedelta(days=4))


# -- the rating -----------------------------------------------------------------------------------

def test_without_calls_the_rating_is_the_prior() -> None:
    assert technician_rating([], 0) == 4.5


def test_one_bad_rating_does_not_swing_the_rating() -> None:
    assert technician_rating([1], 0) == pytest.approx(4.18, abs=0.01)


def test_many_ratings_outweigh_the_prior() -> None:
    assert technician_rating([2] * 90, 0) == pytest.approx(2.25, abs=0.01)
    assert technician_rating([5] * 90, 0) == pytest.approx(4.95, abs=0.01)


def test_an_upheld_complaint_lowers_the_rating_more_than_a_one_star_rating() -> None:
    assert technician_rating([5, 5], 1) < technician_rating([5, 5, 1], 0) < 4.5


def test_the_rating_stays_within_zero_and_five() -> None:
    assert 0.0 <= technician_rating([], 500) <= technician_rating([5] * 500, 0) <= 5.0


def test_a_rating_out_of_range_is_refused() -> None:
    with pytest.raises(FollowupRuleError):
        technician_rating([6], 0)


def test_the_script_names_the_service_in_words_never_its_code() -> None:
    from core.fieldwork.followups import script

    assert "（安装）已由刘楠师傅完成" in script("LM1", "install", "刘楠")
    assert "（维修）" in script("LM1", "repair", "")
    assert "install" not in script("LM1", "install", "刘楠")
    assert "（上门服务）已由师傅完成" in script("LM1", "", "")
