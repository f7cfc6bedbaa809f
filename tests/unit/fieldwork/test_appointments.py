"""The appointment rule (core.fieldwork.appointments) and the simulated AXB provider: slots in
the future within working hours and not longer than their kind, the free windows of a day,
contact attempts' next contact, the reschedule limit, and the call behind a booking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.errors import Invalid
from core.fieldwork.appointments import (
    SHANGHAI,
    AppointmentPolicy,
    BadSlot,
    Call,
    CallerSide,
    CallVerdict,
    ContactReason,
    DayPart,
    Slot,
    SlotKind,
    check_slot,
    contact_words,
    day_slots,
    free_slots,
    judge_calls,
    needs_approval,
    next_contact,
)
from core.fieldwork.flags import FlagKind
from core.intake.adapters._lastmile import verify
from core.intake.model import SignedRequest
from core.services.fieldwork.axb import (
    AxbRejected,
    AxbUnavailable,
    BindRequest,
    SimulatedAxb,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday morning in Beijing
TOMORROW = date(2026, 3, 3)


def at(hour: int, minute: int = 0, day: date = TOMORROW) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("slot", "words"), [
    (Slot(at(10), at(12)), None),
    (Slot(at(8), at(8, 30)), None),
    (Slot(at(19), at(21)), None),
    (Slot.of_part(TOMORROW, DayPart.MORNING), None),
    (Slot.of_part(TOMORROW, DayPart.EVENING), None),
    (Slot(at(10), at(12, 1)), "不能超过 2 小时"),
    (Slot(at(10), at(10, 29)), "不能短于 30 分钟"),
    (Slot(at(7, 59), at(9)), "08:00-21:00"),
    (Slot(at(20), at(21, 30)), "08:00-21:00"),
    (Slot(at(20), at(8, day=date(2026, 3, 4))), "08:00-21:00"),  # across the night
    (Slot(at(12), at(10)), "晚于开始时间"),
    (Slot(at(10), at(10)), "晚于开始时间"),
    (Slot(at(8, day=date(2026, 3, 2)), at(10, day=date(2026, 3, 2))), "当前时间之后"),
    (Slot(NOW, NOW + timedelta(hours=1)), "当前时间之后"),
    (Slot(at(10, day=date(2026, 4, 2)), at(12, day=date(2026, 4, 2))), "30 天"),
    (Slot(datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 12)), "时区"),
])
def test_a_slot_lies_ahead_within_working_hours_and_its_length(slot: Slot,
                                                               words: str | None) -> None:
    if words is None:
        check_slot(slot, NOW)
        return
    with pytest.raises(BadSlot) as refused:
        check_slot(slot, NOW)
    assert words in refused.value.message
    assert refused.value.message.index("(") > 0  # Chinese first, English after
    assert refused.value.loc is not None and refused.value.loc[0] == "body"


def test_working_hours_are_beijing_time_whatever_zone_the_times_carry() -> None:
    utc_window = Slot(datetime(2026, 3, 3, 2, 0, tzinfo=UTC), datetime(2026, 3, 3, 4, tzinfo=UTC))
    check_slot(utc_window, NOW)  # 10:00-12:00 in Beijing
    too_early = Slot(datetime(2026, 3, 2, 23, 0, tzinfo=UTC), datetime(2026, 3, 3, 1, tzinfo=UTC))
    with pytest.raises(BadSlot):
        check_slot(too_early, NOW)  # 07:00-09:00 in Beijing


@pytest.mark.parametrize(("part", "hours"), [
    (DayPart.MORNING, (8, 12)), (DayPart.AFTERNOON, (12, 18)), (DayPart.EVENING, (18, 21))])
def test_a_half_day_part_is_its_hours_in_beijing(part: DayPart, hours: tuple[int, int]) -> None:
    slot = Slot.of_part(TOMORROW, part)
    assert (slot.start, slot.end, slot.kind, slot.part) == (at(hours[0]), at(hours[1]),
                                                            SlotKind.PART, part)


def test_a_part_has_no_two_hour_limit_but_a_window_does() -> None:
    check_slot(Slot.of_part(TOMORROW, DayPart.AFTERNOON), NOW)  # six hours
    with pytest.raises(BadSlot):
        check_slot(Slot(at(12), at(18)), NOW)


def test_a_slot_reads_chinese_first() -> None:
    assert Slot.of_part(TOMORROW, DayPart.MORNING).words() == (
        "3月3日 上午 08:00-12:00 (2026-03-03 morning 08:00-12:00)")
    assert Slot(at(14), at(16)).words() == "3月3日 14:00-16:00 (2026-03-03 14:00-16:00)"


def test_a_free_day_offers_every_window_and_part() -> None:
    offered = day_slots(TOMORROW)
    windows = [s for s in offered if s.kind is SlotKind.WINDOW]
    assert [s.start.hour for s in windows] == list(range(8, 20))
    assert all(s.end - s.start == timedelta(hours=2) for s in windows)
    assert [s.part for s in offered if s.kind is SlotKind.PART] == list(DayPart)
    assert free_slots(TOMORROW, [], NOW) == offered
    for slot in offered:
        check_slot(slot, NOW)


def test_free_windows_leave_out_what_overlaps_an_appointment_but_not_what_touches_it() -> None:
    free = free_slots(TOMORROW, [(at(10), at(12))], NOW)

    windows = {s.start.hour for s in free if s.kind is SlotKind.WINDOW}
    assert windows == {8, 12, 13, 14, 15, 16, 17, 18, 19}  # 09-11, 10-12, 11-13 overlap
    assert [s.part for s in free if s.kind is SlotKind.PART] == [DayPart.AFTERNOON,
                                                                DayPart.EVENING]


def test_free_windows_of_today_begin_after_now() -> None:
    free = free_slots(NOW.date(), [], NOW)
    assert min(s.start for s in free) == at(10, day=NOW.date())
    assert DayPart.MORNING not in {s.part for s in free}


@pytest.mark.parametrize(("reason", "after"), [
    (ContactReason.LINE_BUSY, timedelta(minutes=30)),
    (ContactReason.NO_ANSWER, timedelta(hours=2)),
    (ContactReason.PHONE_OFF, timedelta(hours=4)),
    (ContactReason.GOODS_NOT_RECEIVED, timedelta(days=1)),
    (ContactReason.NOT_NEEDED_YET, timedelta(days=3)),
    (ContactReason.INSTALLATION_CANCELLED, None),
    (ContactReason.WRONG_NUMBER, None),
])
def test_a_failed_attempt_plans_the_next_contact_by_its_reason(
        reason: ContactReason, after: timedelta | None) -> None:
    assert next_contact(reason, NOW, None) == (None if after is None else NOW + after)
    assert next_contact(reason, NOW, NOW + timedelta(hours=5)) == NOW + timedelta(hours=5)


@pytest.mark.parametrize("given", [NOW, NOW - timedelta(minutes=1), NOW + timedelta(days=31),
                                   datetime(2026, 3, 3, 10)])
def test_a_next_contact_lies_ahead_within_a_month(given: datetime) -> None:
    with pytest.raises(Invalid) as refused:
        next_contact(ContactReason.NO_ANSWER, NOW, given)
    assert refused.value.loc == ("body", "next_contact_at")


def test_every_contact_reason_is_worded_chinese_first() -> None:
    assert contact_words(ContactReason.NOT_NEEDED_YET) == (
        "客户暂不需要安装 (customer does not need installation yet)")
    for reason in ContactReason:
        zh, _, en = contact_words(reason).partition(" (")
        assert zh and not zh.isascii() and en.endswith(")")


@pytest.mark.parametrize(("limit", "done", "waits"), [
    (2, 0, False), (2, 1, False), (2, 2, True), (2, 5, True), (0, 0, True), (1, 1, True)])
def test_a_reschedule_past_the_limit_waits_for_a_supervisor(limit: int, done: int,
                                                            waits: bool) -> None:
    assert needs_approval(done, AppointmentPolicy(reschedule_limit=limit)) is waits


@pytest.mark.parametrize("policy", [
    {"reschedule_limit": -1}, {"reschedule_limit": 11},
    {"call_window": timedelta(minutes=59)}, {"call_window": timedelta(days=31)}])
def test_a_policy_keeps_within_bounds(policy: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AppointmentPolicy(**policy)  # type: ignore[arg-type]


def test_the_default_policy_is_two_reschedules_and_a_three_day_window() -> None:
    assert AppointmentPolicy() == AppointmentPolicy(2, timedelta(hours=72))


BOOKED_AT = NOW
WINDOW = timedelta(hours=72)


def call(n: int, hours_before: float, caller: CallerSide = CallerSide.TECHNICIAN,
         duration_s: int = 60, connected: bool = True) -> Call:
    return Call(n, caller, BOOKED_AT - timedelta(hours=hours_before), duration_s, connected)


@pytest.mark.parametrize(("calls", "verdict"), [
    ([call(1, 1)], CallVerdict.REAL),
    ([call(1, 71.9)], CallVerdict.REAL),
    ([call(1, 0.01, duration_s=10)], CallVerdict.REAL),
    ([], CallVerdict.NO_CALL),
    ([call(1, 1, caller=CallerSide.CUSTOMER)], CallVerdict.NO_CALL),
    ([call(1, 1, connected=False, duration_s=0)], CallVerdict.NO_CALL),
    ([call(1, 1, duration_s=9)], CallVerdict.NO_CALL),  # a hang-up, not an agreement
    ([call(1, 72.1)], CallVerdict.NO_CALL),  # too long before
    ([call(1, -0.5)], CallVerdict.NO_CALL),  # after the booking
    ([call(1, 0)], CallVerdict.NO_CALL),  # at the very moment: not before
])
def test_only_a_connected_call_by_the_technician_before_the_booking_backs_it(
        calls: list[Call], verdict: CallVerdict) -> None:
    judged = judge_calls(calls, BOOKED_AT, WINDOW)

    assert judged.verdict is verdict
    if verdict is CallVerdict.REAL:
        assert judged.call_id == 1 and judged.flags == ()
    else:
        assert judged.call_id is None
        assert [f.kind for f in judged.flags] == [FlagKind.NO_CALL_APPOINTMENT]


def test_a_booking_without_a_call_says_what_was_seen() -> None:
    calls = [call(1, 2, caller=CallerSide.CUSTOMER), call(2, 1, connected=False, duration_s=0),
             call(3, 0.5, duration_s=3), call(4, -1), call(5, 100)]

    (flag,) = judge_calls(calls, BOOKED_AT, WINDOW).flags

    assert flag.detail == {"booked_at": BOOKED_AT.isoformat(), "window_hours": 72,
                           "calls_in_window": 3, "technician_connected": 1,
                           "customer_calls": 1, "calls_after_booking": 1}


def test_the_latest_backing_call_is_the_evidence() -> None:
    judged = judge_calls([call(1, 30), call(2, 2), call(3, 5)], BOOKED_AT, WINDOW)
    assert (judged.verdict, judged.call_id) == (CallVerdict.REAL, 2)


# -- the simulated provider ---------------------------------------------------------------------

REQUEST = BindRequest("LM0001", "13900000001", "13800000001", timedelta(days=7))


def test_the_simulated_provider_binds_deterministically_and_releases() -> None:
    first, second = SimulatedAxb(), SimulatedAxb()
    bound = [first.bind(REQUEST), first.bind(REQUEST)]
    assert [(b.binding_id, b.virtual_number) for b in bound] == [
        ("sim-axb-1", "17100000001"), ("sim-axb-2", "17100000002")]
    assert second.bind(REQUEST).virtual_number == "17100000001"

    first.unbind("sim-axb-1")

    assert first.released == ["sim-axb-1"] and list(first.bindings) == ["sim-axb-2"]
    with pytest.raises(AxbRejected):
        first.unbind("sim-axb-1")


def test_the_simulated_provider_can_be_down_or_refuse_a_number() -> None:
    provider = SimulatedAxb(down=True)
    with pytest.raises(AxbUnavailable):
        provider.bind(REQUEST)
    provider.down = False
    provider.refused_numbers.add(REQUEST.customer_phone)
    with pytest.raises(AxbRejected):
        provider.bind(REQUEST)
    assert provider.bindings == {}


def test_a_push_is_signed_over_its_bytes_and_retried_until_acknowledged() -> None:
    provider = SimulatedAxb(push_secret="s" * 32)
    provider.call("sim-axb-1", "technician", NOW, 95, recording=True)
    provider.call("sim-axb-1", "customer", NOW, 0, connected=False, recording=True)
    seen: list[tuple[bytes, dict[str, str]]] = []
    answers = iter([503, 200])

    def send(body: bytes, headers: dict[str, str]) -> int:
        seen.append((body, headers))
        return next(answers)

    assert provider.push(send, NOW) == 0  # refused: kept
    assert len(provider.unpushed) == 2
    assert provider.push(send, NOW) == 2
    assert provider.unpushed == [] and provider.push(send, NOW) == 0 and len(seen) == 2
    body, headers = seen[1]
    assert verify(SignedRequest({}, headers, body), "s" * 32)
    assert not verify(SignedRequest({}, headers, body + b" "), "s" * 32)
    missed = provider.call("sim-axb-1", "customer", NOW, 50, connected=False)
    assert (missed.duration_s, missed.recording) == (0, False)


def test_each_simulated_provider_has_its_own_secret_unless_given() -> None:
    assert SimulatedAxb().push_secret != SimulatedAxb().push_secret
    assert len(SimulatedAxb().push_secret) >= 32
