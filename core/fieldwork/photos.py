"""Completion photos as evidence: how many an order needs, and whether each was taken at the
visit, at the address, and for this order.

A photo is judged on what its EXIF says (read with Pillow in core.services.fieldwork.images;
here only plain values):

- **when**: DateTimeOriginal with OffsetTimeOriginal; without an offset the camera's clock is
  taken to be China's (Asia/Shanghai, UTC+8 all year). Inside the visit means from the check-in
  less `before_check_in` to the completion (or the upload, when not completed yet) plus
  `after_completion`: a phone's clock drifts and a technician may photograph the box on arrival.
- **where**: the EXIF GPS position (WGS-84) is judged exactly as a check-in's position is
  (core.fieldwork.position.judge: converted to GCJ-02, measured to the order's address point,
  never to a region's centre, within the region's tolerance plus the fix's own error).
- **whose**: the same picture on another order. Two hashes: the SHA-256 of the bytes (exact: a
  file sent again) and a 64-bit difference hash of the upright picture shrunk to 9x8 grey
  pixels (perceptual: the same picture re-saved, recompressed, resized or with its EXIF
  stripped or rewritten, which is what a recycled photo usually is). Two pictures within
  `match_bits` of 64 are the same; a picture with almost no detail (a black frame, a blank
  wall) has no perceptual hash, since such pictures all look alike.

Missing time or place flags PHOTO_NO_EXIF; a time outside the visit or a place outside the
tolerance PHOTO_ELSEWHERE; the same picture on another order PHOTO_REUSED. Flags ask a person to
look; a photo is never refused for what it shows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.position import (
    CheckinRules,
    Fix,
    LatLng,
    Outcome,
    PointKind,
    Tolerance,
    judge,
    point_kind,
)

PER_UNIT = 4  # photos per unit installed, unless a client's or product's policy says otherwise
MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a phone's JPEG is 2-6 MB; a body above this is refused
MAX_PIXELS = 52_000_000  # 50 MP sensors (8160 x 6144) pass; a decompression bomb does not
HASH_BITS = 64
BANDS = 4  # the perceptual hash in 4 bands of 16 bits: two hashes within 3 bits share a band
BAND_BITS = HASH_BITS // BANDS
CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class PhotoRules:
    """The visit window's margins (how many photos: the client's verification requirement);
    `match_bits`: two perceptual hashes this close are the same picture (at most BANDS - 1,
    so the bands find every such pair); `min_detail`: grey levels (0-255) between the darkest
    and brightest of the 72 cells below which a picture has no perceptual hash;
    `worst_accuracy_m`: a GPS error radius above this is no usable place."""

    before_check_in: timedelta = timedelta(minutes=30)
    after_completion: timedelta = timedelta(minutes=30)
    match_bits: int = 3
    min_detail: int = 24
    worst_accuracy_m: float = 300.0
    assumed_zone: ZoneInfo = CHINA

    def __post_init__(self) -> None:
        if not 0 <= self.match_bits < BANDS:
            raise ValueError(f"match_bits must lie within 0..{BANDS - 1}")


def required_photos(units: int, per_unit: int = PER_UNIT) -> int:
    """How many photos an order of `units` units needs (an order of no items counts as one)."""
    return per_unit * max(1, units)


# -- what the EXIF says, as plain values ---------------------------------------------------------

class TimeSource(StrEnum):
    EXIF_OFFSET = "exif_offset"  # DateTimeOriginal with OffsetTimeOriginal
    ASSUMED_ZONE = "assumed_zone"  # DateTimeOriginal read as China's time
    NONE = "none"  # no usable capture time


_EXIF_TIME = re.compile(r"\s*(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"\s*([+-])(\d{2}):?(\d{2})\s*$")


def capture_time(original: str | None, offset: str | None,
                 zone: ZoneInfo = CHINA) -> tuple[datetime | None, TimeSource]:
    """The capture time in UTC from EXIF's 'YYYY:MM:DD HH:MM:SS' and '+HH:MM' (or none).

    A time a camera writes when it has none ('0000:00:00 00:00:00', blanks) is no time; an
    offset that is not one (beyond ±14 h, or garbage) is ignored and the zone assumed."""
    if not original:
        return None, TimeSource.NONE
    found = _EXIF_TIME.match(original.strip("\x00"))
    if found is None:
        return None, TimeSource.NONE
    try:
        y, mo, d, h, mi, s = (int(part) for part in found.groups())
        local = datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None, TimeSource.NONE
    shift = _offset(offset)
    if shift is not None:
        return local.replace(tzinfo=timezone(shift)).astimezone(UTC), \
            TimeSource.EXIF_OFFSET
    return local.replace(tzinfo=zone).astimezone(UTC), TimeSource.ASSUMED_ZONE


def _offset(text: str | None) -> timedelta | None:
    found = _OFFSET.match((text or "").strip("\x00"))
    if found is None:
        return None
    sign, hours, minutes = found.groups()
    shift = timedelta(hours=int(hours), minutes=int(minutes))
    if shift > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return -shift if sign == "-" else shift


def gps_degrees(dms: Sequence[float] | None, ref: str | None) -> float | None:
    """Degrees from EXIF's (degrees, minutes, seconds) and its 'N'/'S'/'E'/'W' (None when a
    part is missing, not a number or out of range)."""
    if dms is None or len(dms) != 3 or not ref:
        return None
    try:
        d, m, s = (float(part) for part in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(v) and v >= 0 for v in (d, m, s)) or m >= 60 or s >= 60:
        return None
    value = d + m / 60 + s / 3600
    ref = ref.strip("\x00 ").upper()
    if ref not in {"N", "S", "E", "W"}:
        return None
    return -value if ref in {"S", "W"} else value


@dataclass(frozen=True)
class GpsFix:
    """EXIF's position: WGS-84 degrees and, when the camera wrote one, its error radius."""

    lat: float
    lng: float
    accuracy_m: float | None = None


def gps_fix(lat: float | None, lng: float | None,
            accuracy_m: float | None = None) -> GpsFix | None:
    """The position, or None when either half is missing, out of range, or 0,0 (what a camera
    without a fix writes)."""
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    if lat == 0 and lng == 0:
        return None
    if accuracy_m is not None and not (math.isfinite(accuracy_m) and accuracy_m >= 0):
        accuracy_m = None
    return GpsFix(lat, lng, accuracy_m)


@dataclass(frozen=True)
class Capture:
    """What a photo says about itself: when (UTC) and where it was taken."""

    taken_at: datetime | None
    time_source: TimeSource
    gps: GpsFix | None


# -- the perceptual hash ------------------------------------------------------------------------

def perceptual_hash(grey: Sequence[int], min_detail: int = PhotoRules.min_detail) -> int | None:
    """The difference hash of 9x8 grey cells (row by row, 0-255): bit set where a cell is
    brighter than its right neighbour. None for a picture with too little detail."""
    if len(grey) != 72:
        raise ValueError("a difference hash takes 9 x 8 grey cells")
    if max(grey) - min(grey) < min_detail:
        return None
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = grey[row * 9 + col], grey[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return bits


def hash_bands(value: int) -> tuple[int, ...]:
    """The hash cut into BANDS bands of BAND_BITS bits, highest first: a lookup by any equal
    band finds every hash within BANDS - 1 bits (pigeonhole)."""
    mask = (1 << BAND_BITS) - 1
    return tuple((value >> (BAND_BITS * (BANDS - 1 - n))) & mask for n in range(BANDS))


def hash_hex(value: int) -> str:
    return f"{value:016x}"


def distance_bits(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class Match(StrEnum):
    EXACT = "exact"  # the same bytes
    PERCEPTUAL = "perceptual"  # the same picture, saved again


@dataclass(frozen=True)
class Seen:
    """A stored photo that may be this one: its order, id and hashes."""

    order_id: int
    photo_id: int
    sha256: str
    phash: int | None


@dataclass(frozen=True)
class Reuse:
    order_id: int
    photo_id: int
    match: Match
    bits: int  # how many of 64 perceptual bits differ (0 for the same bytes)

    def detail(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "photo_id": self.photo_id, "match": self.match.value,
                "bits": self.bits}


def reuses(order_id: int, sha256: str, phash: int | None, seen: Sequence[Seen],
           rules: PhotoRules | None = None) -> tuple[Reuse, ...]:
    """The photos on OTHER orders that are this picture, oldest first (one per order)."""
    rules = rules or PhotoRules()
    found: dict[int, Reuse] = {}
    for other in sorted(seen, key=lambda s: s.photo_id):
        if other.order_id == order_id or other.order_id in found:
            continue
        if other.sha256 == sha256:
            found[other.order_id] = Reuse(other.order_id, other.photo_id, Match.EXACT, 0)
        elif phash is not None and other.phash is not None:
            bits = distance_bits(phash, other.phash)
            if bits <= rules.match_bits:
                found[other.order_id] = Reuse(other.order_id, other.photo_id, Match.PERCEPTUAL,
                                              bits)
    return tuple(found.values())


# -- one photo's judgement ----------------------------------------------------------------------

class TimeCheck(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    MISSING = "missing"


class PlaceCheck(StrEnum):
    INSIDE = "inside"
    OUTSIDE = "outside"
    MISSING = "missing"  # no GPS in the EXIF
    INACCURATE = "inaccurate"  # the camera's own error radius is too large to judge
    NO_ADDRESS_POINT = "no_address_point"  # the order has only a region's centre, or nothing


_PLACE_OF = {Outcome.INSIDE: PlaceCheck.INSIDE, Outcome.OUTSIDE: PlaceCheck.OUTSIDE,
             Outcome.INACCURATE: PlaceCheck.INACCURATE,
             Outcome.NO_ADDRESS_POINT: PlaceCheck.NO_ADDRESS_POINT}


@dataclass(frozen=True)
class Visit:
    """When the technician was there: the check-in, the completion (None: not yet), and the
    upload (the latest a photo sent now can have been taken)."""

    checked_in_at: datetime
    completed_at: datetime | None
    uploaded_at: datetime

    def window(self, rules: PhotoRules) -> tuple[datetime, datetime]:
        end = self.completed_at or self.uploaded_at
        return self.checked_in_at - rules.before_check_in, end + rules.after_completion


@dataclass(frozen=True)
class PhotoJudgement:
    time: TimeCheck
    place: PlaceCheck
    capture: Capture
    window: tuple[datetime, datetime]
    tolerance: Tolerance
    point: PointKind
    gcj: LatLng | None = None
    distance_m: float | None = None
    reused: tuple[Reuse, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def flags(self) -> tuple[Flag, ...]:
        found: list[Flag] = []
        missing = [name for name, check in (("time", self.time), ("place", self.place))
                   if check in {TimeCheck.MISSING, PlaceCheck.MISSING, PlaceCheck.INACCURATE}]
        if missing:
            found.append(Flag(FlagKind.PHOTO_NO_EXIF, {**self.detail, "missing": missing}))
        wrong = [name for name, check in (("time", self.time), ("place", self.place))
                 if check in {TimeCheck.OUTSIDE, PlaceCheck.OUTSIDE}]
        if wrong:
            found.append(Flag(FlagKind.PHOTO_ELSEWHERE, {**self.detail, "outside": wrong}))
        if self.reused:
            found.append(Flag(FlagKind.PHOTO_REUSED,
                              {**self.detail, "seen_on": [r.detail() for r in self.reused]}))
        return tuple(found)

    @property
    def outcome(self) -> str:
        """'ok', or the kinds of its flags joined by '+' (e.g. 'photo_elsewhere+photo_reused')."""
        kinds = [f.kind.value for f in self.flags]
        return "+".join(kinds) if kinds else "ok"

    def text(self) -> str:
        """The judgement in words, Chinese first with the English after it."""
        zh: list[str] = []
        en: list[str] = []
        taken = self.capture.taken_at
        if self.time is TimeCheck.MISSING:
            zh.append("无拍摄时间")
            en.append("no capture time")
        else:
            assert taken is not None
            minutes = _minutes_outside(taken, self.window)
            if self.time is TimeCheck.INSIDE:
                zh.append("拍摄时间在上门期间")
                en.append("taken during the visit")
            else:
                zh.append(f"拍摄时间在上门期间之外 {minutes} 分钟")
                en.append(f"taken {minutes} min outside the visit")
        d, t = self.detail.get("distance_m"), self.tolerance.metres
        zh_place, en_place = {
            PlaceCheck.INSIDE: (f"距地址 {d} 米（容差 {t} 米）", f"{d} m from the address "
                                                              f"(tolerance {t} m)"),
            PlaceCheck.OUTSIDE: (f"距地址 {d} 米，超出容差 {t} 米",
                                 f"{d} m from the address, beyond the tolerance of {t} m"),
            PlaceCheck.MISSING: ("无拍摄位置", "no capture place"),
            PlaceCheck.INACCURATE: ("拍摄位置精度不足", "capture place too inaccurate"),
            PlaceCheck.NO_ADDRESS_POINT: ("工单没有地址坐标，未判断距离",
                                          "the order has no address point: distance not judged"),
        }[self.place]
        zh.append(zh_place)
        en.append(en_place)
        if self.reused:
            orders = ", ".join(str(r.order_id) for r in self.reused)
            zh.append(f"与工单 {orders} 的照片相同")
            en.append(f"the same picture as on order {orders}")
        return f"{'；'.join(zh)} ({'; '.join(en)})"


def _minutes_outside(taken: datetime, window: tuple[datetime, datetime]) -> int:
    start, end = window
    off = start - taken if taken < start else taken - end if taken > end else timedelta(0)
    return math.ceil(off.total_seconds() / 60)


def judge_photo(capture: Capture, visit: Visit, order_lat: float | None,
                order_lng: float | None, tolerance: Tolerance, reused: Sequence[Reuse] = (),
                rules: PhotoRules | None = None) -> PhotoJudgement:
    """One photo: its time against the visit, its place against the address (the check-in's
    own rule), and any other order it was seen on."""
    rules = rules or PhotoRules()
    window = visit.window(rules)
    detail: dict[str, Any] = {}
    taken = capture.taken_at
    if taken is None:
        time = TimeCheck.MISSING
    else:
        time = TimeCheck.INSIDE if window[0] <= taken <= window[1] else TimeCheck.OUTSIDE
        detail["taken_at"] = taken.isoformat()
        if time is TimeCheck.OUTSIDE:
            detail["minutes_outside"] = _minutes_outside(taken, window)
    gps = capture.gps
    if gps is None:
        return PhotoJudgement(time, PlaceCheck.MISSING, capture, window, tolerance,
                              point_kind(order_lat, order_lng), reused=tuple(reused),
                              detail=detail)
    # Judged as a check-in's fix is, at its own time (a photo's position is never stale).
    at = taken or visit.uploaded_at
    fix = Fix(gps.lat, gps.lng, gps.accuracy_m or 0.0, at)
    where = judge(fix, order_lat, order_lng, tolerance, at,
                  CheckinRules(worst_accuracy_m=rules.worst_accuracy_m))
    for key in ("distance_m", "accuracy_m"):
        if key in where.detail:
            detail[key] = where.detail[key]
    if where.outcome in {Outcome.INSIDE, Outcome.OUTSIDE}:
        detail["tolerance_m"] = tolerance.metres
    return PhotoJudgement(time, _PLACE_OF[where.outcome], capture, window, tolerance,
                          where.point, where.gcj, where.distance_m, tuple(reused), detail)
