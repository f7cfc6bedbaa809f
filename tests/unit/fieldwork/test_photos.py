"""The photo rules (core.fieldwork.photos): how many an order needs, the capture time and place
read from EXIF values, the perceptual hash and its bands, the same picture on another order,
and each photo's judgement with its flags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.photo_files import wgs_near

from core.fieldwork.flags import FlagKind
from core.fieldwork.photos import (
    BANDS,
    Capture,
    GpsFix,
    Match,
    PhotoRules,
    PlaceCheck,
    Seen,
    TimeCheck,
    TimeSource,
    Visit,
    capture_time,
    distance_bits,
    gps_degrees,
    gps_fix,
    hash_bands,
    judge_photo,
    perceptual_hash,
    required_photos,
    reuses,
)
from core.fieldwork.position import PointKind, Tolerance, ToleranceFrom
from core.geo.regions import load_regions

ADDRESS = (39.92, 116.45)  # GCJ-02, a street in 北京市朝阳区 (not a region's centre)
CHECKED_IN = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
COMPLETED = CHECKED_IN + timedelta(hours=1)
UPLOADED = COMPLETED + timedelta(minutes=5)
DISTRICT = Tolerance(500, ToleranceFrom.RULE)
VISIT = Visit(CHECKED_IN, COMPLETED, UPLOADED)


def _capture(taken: datetime | None = CHECKED_IN + timedelta(minutes=20),
             metres: float | None = 50.0, accuracy_m: float | None = None) -> Capture:
    gps = None
    if metres is not None:
        lat, lng = wgs_near(ADDRESS, metres)
        gps = GpsFix(lat, lng, accuracy_m)
    return Capture(taken, TimeSource.EXIF_OFFSET if taken else TimeSource.NONE, gps)


def _kinds(capture: Capture, visit: Visit = VISIT, point: tuple[float, float] = ADDRESS,
           **kwargs: object) -> list[FlagKind]:
    judged = judge_photo(capture, visit, point[0], point[1], DISTRICT, **kwargs)  # type: ignore[arg-type]
    return [f.kind for f in judged.flags]


# -- how many -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("units", "per_unit", "needed"), [
    (1, 4, 4), (3, 4, 12), (0, 4, 4), (2, 2, 4)])
def test_an_order_needs_its_photos_per_unit(units: int, per_unit: int, needed: int) -> None:
    assert required_photos(units, per_unit) == needed


def test_four_photos_per_unit_by_default() -> None:
    assert required_photos(2) == 8


# -- the capture time ---------------------------------------------------------------------------

@pytest.mark.parametrize(("original", "offset", "expected", "source"), [
    ("2026:03:03 10:20:00", "+08:00", datetime(2026, 3, 3, 2, 20, tzinfo=UTC),
     TimeSource.EXIF_OFFSET),
    ("2026:03:03 10:20:00", "-05:00", datetime(2026, 3, 3, 15, 20, tzinfo=UTC),
     TimeSource.EXIF_OFFSET),
    ("2026:03:03 10:20:00", "+0530", datetime(2026, 3, 3, 4, 50, tzinfo=UTC),
     TimeSource.EXIF_OFFSET),
    # No offset: the camera's clock is taken to be China's.
    ("2026:03:03 10:20:00", None, datetime(2026, 3, 3, 2, 20, tzinfo=UTC),
     TimeSource.ASSUMED_ZONE),
    ("2026:03:03 10:20:00\x00", "   ", datetime(2026, 3, 3, 2, 20, tzinfo=UTC),
     TimeSource.ASSUMED_ZONE),
    # An offset that is none: beyond ±14 h, or not one.
    ("2026:03:03 10:20:00", "+23:00", datetime(2026, 3, 3, 2, 20, tzinfo=UTC),
     TimeSource.ASSUMED_ZONE),
    ("2026:03:03 10:20:00", "Z+08", datetime(2026, 3, 3, 2, 20, tzinfo=UTC),
     TimeSource.ASSUMED_ZONE),
    # What cameras without a clock write, and garbage.
    ("0000:00:00 00:00:00", "+08:00", None, TimeSource.NONE),
    ("    :  :     :  :  ", None, None, TimeSource.NONE),
    ("2026:02:30 10:00:00", None, None, TimeSource.NONE),
    ("yesterday", None, None, TimeSource.NONE),
    (None, "+08:00", None, TimeSource.NONE),
    ("", None, None, TimeSource.NONE),
])
def test_the_capture_time_reads_exif_with_its_offset_or_china_time(
        original: str | None, offset: str | None, expected: datetime | None,
        source: TimeSource) -> None:
    assert capture_time(original, offset) == (expected, source)


def test_another_assumed_zone_can_be_given() -> None:
    taken, source = capture_time("2026:07:01 10:00:00", None, ZoneInfo("Europe/Berlin"))
    assert (taken, source) == (datetime(2026, 7, 1, 8, 0, tzinfo=UTC), TimeSource.ASSUMED_ZONE)


# -- the capture place --------------------------------------------------------------------------

@pytest.mark.parametrize(("dms", "ref", "expected"), [
    ((39.0, 55.0, 12.0), "N", 39.92), ((39.0, 55.0, 12.0), "S", -39.92),
    ((116.0, 27.0, 0.0), "E", 116.45), ((116.0, 27.0, 0.0), "w", -116.45),
    ((116.0, 27.0, 0.0), "E\x00", 116.45),
    ((39.0, 55.0, 12.0), "X", None), ((39.0, 55.0, 12.0), None, None),
    ((39.0, 61.0, 0.0), "N", None), ((39.0, 5.0, 60.0), "N", None),
    ((float("nan"), 0.0, 0.0), "N", None), ((-1.0, 0.0, 0.0), "N", None),
    ((39.0, 55.0), "N", None), (None, "N", None),
])
def test_gps_degrees_from_degrees_minutes_seconds(dms: tuple[float, ...] | None,
                                                  ref: str | None,
                                                  expected: float | None) -> None:
    found = gps_degrees(dms, ref)
    assert found == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("lat", "lng"), [(None, 116.4), (39.9, None), (0.0, 0.0), (91.0, 116.4),
                                          (39.9, 181.0)])
def test_no_position_when_a_half_is_missing_out_of_range_or_null_island(
        lat: float | None, lng: float | None) -> None:
    assert gps_fix(lat, lng) is None


def test_a_broken_error_radius_is_dropped_not_the_position() -> None:
    assert gps_fix(39.9, 116.4, float("nan")) == GpsFix(39.9, 116.4, None)
    assert gps_fix(39.9, 116.4, 8.0) == GpsFix(39.9, 116.4, 8.0)


# -- the perceptual hash ------------------------------------------------------------------------

def test_the_difference_hash_sets_a_bit_where_a_cell_is_brighter_than_its_right() -> None:
    falling = [255 - 30 * col for _ in range(8) for col in range(9)]  # each cell brighter
    rising = [30 * col for _ in range(8) for col in range(9)]
    assert perceptual_hash(falling) == 2**64 - 1
    assert perceptual_hash(rising) == 0
    first_row_only = [200, 100, *[100] * 7] + [100] * 63
    assert perceptual_hash(first_row_only, min_detail=50) == 1 << 63


def test_a_picture_without_detail_has_no_perceptual_hash() -> None:
    """A black frame or a blank wall: such pictures all look alike, never 'the same picture'."""
    assert perceptual_hash([40 + (n % 3) for n in range(72)]) is None
    with pytest.raises(ValueError, match="9 x 8"):
        perceptual_hash([0] * 64)


@given(st.integers(0, 2**64 - 1), st.sets(st.integers(0, 63), max_size=BANDS - 1))
def test_hashes_within_three_bits_always_share_a_band(value: int, flipped: set[int]) -> None:
    other = value
    for bit in flipped:
        other ^= 1 << bit
    assert distance_bits(value, other) == len(flipped)
    assert any(a == b for a, b in zip(hash_bands(value), hash_bands(other), strict=True))


def test_the_rules_refuse_a_match_the_bands_cannot_find() -> None:
    with pytest.raises(ValueError, match="match_bits"):
        PhotoRules(match_bits=BANDS)


# -- the same picture on another order ----------------------------------------------------------

H = 0x0123_4567_89AB_CDEF


def test_the_same_bytes_or_picture_on_another_order_is_a_reuse() -> None:
    seen = [Seen(7, 70, "b" * 64, H ^ 0b111),  # 3 bits away: the same picture saved again
            Seen(8, 80, "a" * 64, None),  # the same bytes
            Seen(9, 90, "c" * 64, H ^ 0b1111),  # 4 bits away: another picture
            Seen(5, 50, "a" * 64, H),  # this very order: a retry, not a reuse
            Seen(7, 71, "a" * 64, H)]  # order 7 again: one reuse per order, the oldest

    found = reuses(5, "a" * 64, H, seen)

    assert [(r.order_id, r.photo_id, r.match, r.bits) for r in found] == [
        (7, 70, Match.PERCEPTUAL, 3), (8, 80, Match.EXACT, 0)]


def test_a_photo_without_a_perceptual_hash_matches_only_its_bytes() -> None:
    seen = [Seen(7, 70, "b" * 64, H), Seen(8, 80, "a" * 64, H)]
    assert [r.order_id for r in reuses(5, "a" * 64, None, seen)] == [8]


# -- one photo's judgement ----------------------------------------------------------------------

def test_a_photo_taken_at_the_visit_at_the_address_is_ok() -> None:
    judged = judge_photo(_capture(), VISIT, *ADDRESS, DISTRICT)

    assert (judged.time, judged.place, judged.point) == (
        TimeCheck.INSIDE, PlaceCheck.INSIDE, PointKind.ADDRESS)
    assert judged.distance_m == pytest.approx(50, abs=1)
    assert judged.flags == () and judged.outcome == "ok"
    assert judged.text().startswith("拍摄时间在上门期间；距地址 50 米（容差 500 米）")
    assert "(taken during the visit; 50 m from the address (tolerance 500 m))" in judged.text()


def test_a_photo_without_exif_is_flagged_for_both_missing() -> None:
    judged = judge_photo(Capture(None, TimeSource.NONE, None), VISIT, *ADDRESS, DISTRICT)

    assert (judged.time, judged.place) == (TimeCheck.MISSING, PlaceCheck.MISSING)
    (flag,) = judged.flags
    assert flag.kind is FlagKind.PHOTO_NO_EXIF and flag.detail["missing"] == ["time", "place"]
    assert judged.outcome == "photo_no_exif"
    assert judged.text() == "无拍摄时间；无拍摄位置 (no capture time; no capture place)"


def test_a_photo_with_a_time_but_no_place_is_flagged_no_exif() -> None:
    judged = judge_photo(_capture(metres=None), VISIT, *ADDRESS, DISTRICT)
    assert [(f.kind, f.detail["missing"]) for f in judged.flags] == [
        (FlagKind.PHOTO_NO_EXIF, ["place"])]


def test_a_photo_taken_far_away_is_flagged_elsewhere_with_its_distance() -> None:
    judged = judge_photo(_capture(metres=3_000), VISIT, *ADDRESS, DISTRICT)

    assert judged.place is PlaceCheck.OUTSIDE and judged.time is TimeCheck.INSIDE
    (flag,) = judged.flags
    assert flag.kind is FlagKind.PHOTO_ELSEWHERE and flag.detail["outside"] == ["place"]
    assert flag.detail["distance_m"] == 3000 and flag.detail["tolerance_m"] == 500
    assert "距地址 3000 米，超出容差 500 米" in judged.text()


def test_the_camera_error_radius_counts_as_a_check_in_fix_does() -> None:
    """550 m away with a 60 m error radius may be 490 m away: inside; 10 m radius: outside."""
    assert _kinds(_capture(metres=550, accuracy_m=60)) == []
    assert _kinds(_capture(metres=550, accuracy_m=10)) == [FlagKind.PHOTO_ELSEWHERE]


def test_a_position_too_inaccurate_to_judge_is_no_usable_place() -> None:
    judged = judge_photo(_capture(accuracy_m=800), VISIT, *ADDRESS, DISTRICT)
    assert judged.place is PlaceCheck.INACCURATE
    assert [(f.kind, f.detail["missing"]) for f in judged.flags] == [
        (FlagKind.PHOTO_NO_EXIF, ["place"])]


@pytest.mark.parametrize(("taken", "inside"), [
    (CHECKED_IN - timedelta(minutes=30), True),  # the margin before the check-in
    (CHECKED_IN - timedelta(minutes=31), False),
    (COMPLETED + timedelta(minutes=30), True),  # the margin after the completion
    (COMPLETED + timedelta(minutes=31), False),
    (CHECKED_IN - timedelta(days=30), False),  # last month's job
])
def test_the_time_must_lie_within_the_visit_and_its_margins(taken: datetime,
                                                            inside: bool) -> None:
    judged = judge_photo(_capture(taken), VISIT, *ADDRESS, DISTRICT)
    assert (judged.time is TimeCheck.INSIDE) is inside
    assert _kinds(_capture(taken)) == ([] if inside else [FlagKind.PHOTO_ELSEWHERE])


def test_before_completion_the_upload_ends_the_visit() -> None:
    ongoing = Visit(CHECKED_IN, None, CHECKED_IN + timedelta(minutes=40))
    later = CHECKED_IN + timedelta(minutes=80)  # 40 min after the upload: a clock ahead
    judged = judge_photo(_capture(later), ongoing, *ADDRESS, DISTRICT)

    assert judged.time is TimeCheck.OUTSIDE and judged.detail["minutes_outside"] == 10
    assert "拍摄时间在上门期间之外 10 分钟" in judged.text()
    assert _kinds(_capture(CHECKED_IN + timedelta(minutes=60)), ongoing) == []


def test_an_order_without_an_address_point_judges_no_distance_and_flags_nothing() -> None:
    centre = load_regions().get("110105")
    assert centre is not None and centre.lat is not None and centre.lng is not None

    judged = judge_photo(_capture(metres=9_000), VISIT, centre.lat, centre.lng, DISTRICT)

    assert (judged.place, judged.point, judged.distance_m) == (
        PlaceCheck.NO_ADDRESS_POINT, PointKind.CENTRE, None)
    assert judged.flags == ()
    none = judge_photo(_capture(), VISIT, None, None, DISTRICT)
    assert (none.place, none.point) == (PlaceCheck.NO_ADDRESS_POINT, PointKind.NONE)


def test_a_reused_photo_is_flagged_with_where_it_was_seen_besides_its_other_flags() -> None:
    seen = reuses(5, "a" * 64, H, [Seen(8, 80, "a" * 64, H)])

    judged = judge_photo(_capture(metres=3_000), VISIT, *ADDRESS, DISTRICT, seen)

    assert [f.kind for f in judged.flags] == [FlagKind.PHOTO_ELSEWHERE, FlagKind.PHOTO_REUSED]
    assert judged.flags[1].detail["seen_on"] == [
        {"order_id": 8, "photo_id": 80, "match": "exact", "bits": 0}]
    assert judged.outcome == "photo_elsewhere+photo_reused"
    assert judged.text().endswith("the same picture as on order 8)")
    assert "与工单 8 的照片相同" in judged.text()
