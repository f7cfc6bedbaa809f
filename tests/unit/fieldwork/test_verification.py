"""The verification rule: what an order must show (per client and product kind) and how its
evidence measures up, item by item."""

from __future__ import annotations

import pytest

from core.fieldwork.appointments import CallVerdict
from core.fieldwork.codes import CodeState
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.position import Outcome
from core.fieldwork.verification import (
    ANY_KIND,
    Evidence,
    Item,
    PhotoEvidence,
    Requirement,
    Requirements,
    Status,
    Verdict,
    assess,
)

CLEAN = tuple(PhotoEvidence(i) for i in range(1, 5))
GOOD = Evidence(units=1, call_verdict=CallVerdict.REAL, checkin_outcome=Outcome.INSIDE,
                checkin_distance_m=42.4, checkin_tolerance_m=500, code_state=CodeState.USED,
                photos=CLEAN)


def _status(evidence: Evidence, item: Item, requirement: Requirement | None = None) -> Status:
    found = assess(evidence, requirement or Requirement()).of(item)
    assert found is not None
    return found.status


def test_an_order_showing_everything_is_ready_with_each_item_satisfied_in_visit_order() -> None:
    assessment = assess(GOOD, Requirement())

    assert [(f.item, f.status) for f in assessment.findings] == [
        (Item.CALL, Status.SATISFIED), (Item.CHECKIN, Status.SATISFIED),
        (Item.CODE, Status.SATISFIED), (Item.PHOTOS, Status.SATISFIED)]
    assert assessment.verdict is Verdict.READY
    checkin = assessment.of(Item.CHECKIN)
    assert checkin is not None
    assert checkin.text() == ("签到距地址 42 米，在容差 500 米内 (checked in 42 m from the "
                              "address, within 500 m)")
    assert assessment.text() == "证据齐全 (evidence complete)"


@pytest.mark.parametrize(("verdict", "status"), [
    (None, Status.MISSING), (CallVerdict.REAL, Status.SATISFIED),
    (CallVerdict.FOUND_LATE, Status.SATISFIED), (CallVerdict.DESK, Status.SATISFIED),
    (CallVerdict.NO_CALL, Status.FLAGGED),
])
def test_the_call_behind_the_appointment(verdict: CallVerdict | None, status: Status) -> None:
    evidence = Evidence(**{**GOOD.__dict__, "call_verdict": verdict})
    assert _status(evidence, Item.CALL) is status


@pytest.mark.parametrize(("outcome", "status"), [
    (None, Status.MISSING), (Outcome.INSIDE, Status.SATISFIED),
    (Outcome.NO_ADDRESS_POINT, Status.MISSING), (Outcome.OUTSIDE, Status.FLAGGED),
    (Outcome.SKIPPED, Status.FLAGGED), (Outcome.STALE, Status.FLAGGED),
    (Outcome.INACCURATE, Status.FLAGGED),
])
def test_the_check_in(outcome: Outcome | None, status: Status) -> None:
    evidence = Evidence(**{**GOOD.__dict__, "checkin_outcome": outcome})
    assert _status(evidence, Item.CHECKIN) is status


def test_a_check_in_outside_says_how_far_and_the_tolerance() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "checkin_outcome": Outcome.OUTSIDE,
                           "checkin_distance_m": 3120.6, "checkin_tolerance_m": 1000})
    found = assess(evidence, Requirement()).of(Item.CHECKIN)
    assert found is not None
    assert found.zh == "签到距地址 3121 米，超出容差 1000 米"
    assert found.detail == {"outcome": "outside", "distance_m": 3120.6, "tolerance_m": 1000}


@pytest.mark.parametrize(("state", "status"), [
    (None, Status.MISSING), (CodeState.ISSUED, Status.MISSING),
    (CodeState.EXPIRED, Status.MISSING), (CodeState.USED, Status.SATISFIED),
    (CodeState.LOCKED, Status.FLAGGED),
])
def test_the_completion_code(state: CodeState | None, status: Status) -> None:
    evidence = Evidence(**{**GOOD.__dict__, "code_state": state})
    assert _status(evidence, Item.CODE) is status


def test_a_code_used_after_wrong_tries_says_how_many() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "code_failures": 2,
                           "flags": (Flag(FlagKind.CODE_FAILED), Flag(FlagKind.CODE_FAILED))})
    assessment = assess(evidence, Requirement())
    found = assessment.of(Item.CODE)
    assert found is not None and found.status is Status.SATISFIED
    assert "输错 2 次" in found.zh
    assert assessment.verdict is Verdict.READY  # the code item accounts for its flags


@pytest.mark.parametrize(("units", "photos", "status", "words"), [
    (1, CLEAN, Status.SATISFIED, "照片 4/4 张"),
    (1, CLEAN[:3], Status.MISSING, "照片不足：3/4 张"),
    (2, CLEAN, Status.MISSING, "照片不足：4/8 张"),
    (0, CLEAN, Status.SATISFIED, "照片 4/4 张"),  # an order of no items counts as one unit
    (1, (*CLEAN[:3], PhotoEvidence(9, (FlagKind.PHOTO_REUSED,))), Status.FLAGGED,
     "1 张照片有标记（照片与其他工单重复），共 4/4 张"),
    (1, (PhotoEvidence(9, (FlagKind.PHOTO_NO_EXIF,)),), Status.FLAGGED,
     "1 张照片有标记（照片缺少拍摄时间或位置），共 1/4 张"),
])
def test_photos_per_unit_none_flagged(units: int, photos: tuple[PhotoEvidence, ...],
                                      status: Status, words: str) -> None:
    evidence = Evidence(**{**GOOD.__dict__, "units": units, "photos": photos})
    found = assess(evidence, Requirement()).of(Item.PHOTOS)
    assert found is not None
    assert (found.status, found.zh) == (status, words)


def test_a_client_may_take_flagged_photos_and_fewer_of_them() -> None:
    photos = (PhotoEvidence(1), PhotoEvidence(2, (FlagKind.PHOTO_ELSEWHERE,)))
    evidence = Evidence(**{**GOOD.__dict__, "photos": photos,
                           "flags": (Flag(FlagKind.PHOTO_ELSEWHERE, {"photo_id": 2}),)})
    lenient = Requirement(photos_per_unit=2, photos_clean=False)

    assessment = assess(evidence, lenient)

    assert _status(evidence, Item.PHOTOS, lenient) is Status.SATISFIED
    assert assessment.verdict is Verdict.READY


def test_a_required_serial_per_unit_holds_the_order_back_until_each_unit_has_one() -> None:
    two_units = Evidence(**{**GOOD.__dict__, "units": 2, "photos": tuple(
        PhotoEvidence(n) for n in range(1, 9))})
    none = assess(two_units, Requirement(serial=True))
    found = none.of(Item.SERIAL)
    assert found is not None and found.status is Status.MISSING
    assert found.text() == "序列号不足：0/2 台 (serial numbers missing: 0 of 2 units)"
    assert none.verdict is Verdict.INCOMPLETE

    one = assess(Evidence(**{**two_units.__dict__, "serials": ("KFR35GW001",)}),
                 Requirement(serial=True))
    assert one.verdict is Verdict.INCOMPLETE

    both = assess(Evidence(**{**two_units.__dict__, "serials": ("KFR35GW001", "KFR35GW002")}),
                  Requirement(serial=True))
    found = both.of(Item.SERIAL)
    assert found is not None and found.status is Status.SATISFIED
    assert found.zh == "序列号 KFR35GW001、KFR35GW002"
    assert both.verdict is Verdict.READY


def test_a_serial_seen_on_another_order_flags_the_serial_item() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "serials": ("KFR35GW001",), "flags": (
        Flag(FlagKind.SERIAL_REUSED, {"serial": "KFR35GW001", "other_order_ids": [7, 9]}),)})

    assessment = assess(evidence, Requirement(serial=True))

    found = assessment.of(Item.SERIAL)
    assert found is not None and found.status is Status.FLAGGED
    assert found.detail["other_order_ids"] == [7, 9]
    assert assessment.of(Item.FLAGS) is None  # the serial item accounts for it
    assert assessment.verdict is Verdict.FLAGGED
    # Not asked for a serial: the flag still shows, among the other flags.
    others = assess(evidence, Requirement()).of(Item.FLAGS)
    assert others is not None and others.zh == "其他标记：序列号与其他工单重复"


def test_items_not_required_are_not_listed_but_their_flags_are() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "call_verdict": CallVerdict.NO_CALL,
                           "flags": (Flag(FlagKind.NO_CALL_APPOINTMENT),)})
    assessment = assess(evidence, Requirement(call=False, photos_per_unit=0))

    assert [f.item for f in assessment.findings] == [Item.CHECKIN, Item.CODE, Item.FLAGS]
    others = assessment.of(Item.FLAGS)
    assert others is not None and others.status is Status.FLAGGED
    assert others.zh == "其他标记：预约前没有真实通话"
    assert assessment.verdict is Verdict.FLAGGED


def test_a_complaint_is_flagged_whatever_the_requirement() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "flags": (
        Flag(FlagKind.COMPLAINT), Flag(FlagKind.CANNOT_COMPLETE), Flag(FlagKind.COMPLAINT))})
    others = assess(evidence, Requirement()).of(Item.FLAGS)
    assert others is not None
    assert others.detail == {"kinds": ["complaint"]}


def test_an_earlier_visit_he_could_not_complete_does_not_hold_this_one_back() -> None:
    """cannot_complete speaks of his record (risk counts it), not of this visit's evidence."""
    evidence = Evidence(**{**GOOD.__dict__, "flags": (Flag(FlagKind.CANNOT_COMPLETE),)})
    assessment = assess(evidence, Requirement())
    assert assessment.of(Item.FLAGS) is None
    assert assessment.verdict is Verdict.READY


@pytest.mark.parametrize(("changes", "verdict"), [
    ({}, Verdict.READY),
    ({"code_state": CodeState.ISSUED}, Verdict.INCOMPLETE),
    ({"code_state": CodeState.ISSUED, "checkin_outcome": Outcome.OUTSIDE}, Verdict.FLAGGED),
    ({"photos": ()}, Verdict.INCOMPLETE),
])
def test_flagged_outranks_incomplete_outranks_ready(changes: dict[str, object],
                                                    verdict: Verdict) -> None:
    assert assess(Evidence(**{**GOOD.__dict__, **changes}), Requirement()).verdict is verdict


def test_the_assessment_in_words_names_what_is_open() -> None:
    evidence = Evidence(**{**GOOD.__dict__, "code_state": CodeState.ISSUED, "photos": ()})
    assert assess(evidence, Requirement()).text() == (
        "证据不全：核销码尚未使用；照片不足：0/4 张 (evidence incomplete: the code was not used; "
        "too few photos: 0 of 4)")


def test_nothing_required_is_ready_at_once() -> None:
    nothing = Requirement(code=False, checkin=False, photos_per_unit=0, call=False)
    assessment = assess(Evidence(), nothing)
    assert (assessment.findings, assessment.verdict) == ((), Verdict.READY)


# -- requirements per client and product kind --------------------------------------------------

def test_a_kind_with_its_own_requirement_uses_it_the_others_the_default() -> None:
    measure = Requirement(code=False, photos_per_unit=1)
    requirements = Requirements(Requirement(serial=True), {"measure": measure})

    assert requirements.for_kind("measure") == measure
    assert requirements.for_kind("install") == Requirement(serial=True)
    assert requirements.for_kind(None) == Requirement(serial=True)


def test_requirements_round_trip_through_their_stored_values() -> None:
    requirements = Requirements(Requirement(call=False), {"repair": Requirement(serial=True)})
    values = requirements.values()

    assert list(values) == [ANY_KIND, "repair"]
    assert values["repair"]["serial"] is True and values[ANY_KIND]["call"] is False
    assert Requirements.from_values(values) == requirements


def test_the_built_in_default_is_code_check_in_four_photos_and_a_real_call() -> None:
    assert Requirements().for_kind("install").values() == {
        "code": True, "checkin": True, "photos_per_unit": 4, "photos_clean": True, "call": True,
        "serial": False}


@pytest.mark.parametrize(("values", "words"), [
    ({ANY_KIND: {"photos_per_unit": 13}}, "photos_per_unit must be 0 to 12"),
    ({ANY_KIND: {"photos_per_unit": -1}}, "photos_per_unit must be 0 to 12"),
    ({ANY_KIND: {"code": "yes"}}, "code must be bool"),
    ({ANY_KIND: {"photos_per_unit": True}}, "photos_per_unit must be int"),
    ({ANY_KIND: {"fingerprint": True}}, "unknown requirement fields: fingerprint"),
    ({"washing": {}}, "unknown service types: washing"),
])
def test_a_requirement_that_makes_no_sense_is_refused(values: dict[str, dict[str, object]],
                                                      words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Requirements.from_values(values)
