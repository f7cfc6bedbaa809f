"""What an order must show before the desk verifies it, and how its evidence measures up.

A client chooses, per product kind (the order's service type), a combination of evidence: the
customer's completion code used, the check-in inside the tolerance, photos (a number per unit,
none flagged), a real call behind the appointment, and the appliance's serial number (one per
unit, none seen on another order). `assess` weighs an order's evidence (plain values the
storage read) against its requirement and gives one finding per required item, satisfied,
missing or flagged, worded Chinese first; flags of a kind no required item accounts for are
a finding of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.fieldwork.appointments import CallVerdict
from core.fieldwork.codes import CodeState
from core.fieldwork.flags import Flag, FlagKind, words
from core.fieldwork.photos import PER_UNIT, required_photos
from core.fieldwork.position import Outcome
from core.orders.lifecycle import ServiceType
from core.text import both

MAX_PHOTOS_PER_UNIT = 12
ANY_KIND = "*"  # the requirement of every product kind without its own
KINDS = frozenset(t.value for t in ServiceType)


class Item(StrEnum):
    """One piece of the evidence chain, in the order the visit produced it."""

    CALL = "call"  # the appointment backed by a real call
    CHECKIN = "checkin"  # the check-in inside the tolerance
    CODE = "code"  # the customer's completion code used
    PHOTOS = "photos"  # enough photos, none flagged
    SERIAL = "serial"  # the appliance's serial number
    FLAGS = "flags"  # flags no required item accounts for


class Status(StrEnum):
    SATISFIED = "satisfied"
    MISSING = "missing"  # not there (yet): nothing suspicious, nothing proven
    FLAGGED = "flagged"  # there, and something about it asks a person to look


class Verdict(StrEnum):
    READY = "ready"  # every required item satisfied, nothing flagged
    INCOMPLETE = "incomplete"  # something required is missing
    FLAGGED = "flagged"  # something is flagged (whatever else is missing)


# Which item a flag belongs to; the others (complaints, cannot complete) stand on their own.
ITEM_OF: dict[FlagKind, Item] = {
    FlagKind.NO_CALL_APPOINTMENT: Item.CALL,
    FlagKind.CHECKIN_OUTSIDE: Item.CHECKIN, FlagKind.CHECKIN_SKIPPED: Item.CHECKIN,
    FlagKind.CHECKIN_STALE: Item.CHECKIN, FlagKind.CHECKIN_INACCURATE: Item.CHECKIN,
    FlagKind.CODE_FAILED: Item.CODE, FlagKind.CODE_LOCKED: Item.CODE,
    FlagKind.PHOTO_NO_EXIF: Item.PHOTOS, FlagKind.PHOTO_ELSEWHERE: Item.PHOTOS,
    FlagKind.PHOTO_REUSED: Item.PHOTOS,
    FlagKind.SERIAL_REUSED: Item.SERIAL,
}
# Flags about the technician's record rather than this visit's evidence: an earlier visit he
# could not complete says nothing about the one he did. Risk counts them; the assessment lists
# them nowhere as a finding, so an order sent back to book again can still verify by itself.
NOT_EVIDENCE = frozenset({FlagKind.CANNOT_COMPLETE})


@dataclass(frozen=True)
class Requirement:
    """The evidence one product kind of one client needs (`photos_per_unit` 0: no photos)."""

    code: bool = True
    checkin: bool = True
    photos_per_unit: int = PER_UNIT
    photos_clean: bool = True
    call: bool = True
    serial: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.photos_per_unit <= MAX_PHOTOS_PER_UNIT:
            raise ValueError(f"photos_per_unit must be 0 to {MAX_PHOTOS_PER_UNIT}")

    def values(self) -> dict[str, Any]:
        return {"code": self.code, "checkin": self.checkin,
                "photos_per_unit": self.photos_per_unit, "photos_clean": self.photos_clean,
                "call": self.call, "serial": self.serial}

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Requirement:
        """From `values()`'s shape; ValueError for an unknown key or a value of the wrong kind."""
        defaults = cls().values()
        unknown = set(values) - set(defaults)
        if unknown:
            raise ValueError(f"unknown requirement fields: {', '.join(sorted(unknown))}")
        merged = {**defaults, **values}
        for name, default in defaults.items():
            if type(merged[name]) is not type(default):
                raise ValueError(f"{name} must be {type(default).__name__}")
        return cls(**merged)


@dataclass(frozen=True)
class Requirements:
    """A client's combinations: `default` for every kind without one of its own."""

    default: Requirement = Requirement()
    by_kind: Mapping[str, Requirement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.by_kind) - KINDS
        if unknown:
            raise ValueError(f"unknown service types: {', '.join(sorted(unknown))}")

    def for_kind(self, kind: str | None) -> Requirement:
        return self.by_kind.get(kind or "", self.default)

    def values(self) -> dict[str, dict[str, Any]]:
        """{"*": the default, "<service type>": its own, ...} as stored and logged."""
        return {ANY_KIND: self.default.values(),
                **{k: self.by_kind[k].values() for k in sorted(self.by_kind)}}

    @classmethod
    def from_values(cls, values: Mapping[str, Mapping[str, Any]]) -> Requirements:
        default = Requirement.from_values(values.get(ANY_KIND, {}))
        return cls(default, {k: Requirement.from_values(v) for k, v in values.items()
                             if k != ANY_KIND})


BUILT_IN = Requirements()


# -- the evidence, as plain values -----------------------------------------------------------

@dataclass(frozen=True)
class PhotoEvidence:
    photo_id: int
    flags: tuple[FlagKind, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """What an order shows: the call verdict of the booking in force (None: no booking), the
    latest check-in's outcome (None: none), the current code's state (None: no code) and its
    wrong tries, the photos with their flags, every flag on the order, the units it covers, and
    the serial numbers in force (one per unit submitted, normalized)."""

    units: int = 1
    call_verdict: CallVerdict | None = None
    checkin_outcome: Outcome | None = None
    checkin_distance_m: float | None = None
    checkin_tolerance_m: int | None = None
    code_state: CodeState | None = None
    code_failures: int = 0
    photos: tuple[PhotoEvidence, ...] = ()
    flags: tuple[Flag, ...] = ()
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    item: Item
    status: Status
    zh: str
    en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """Chinese first with the English after it."""
        return both(self.zh, self.en)


@dataclass(frozen=True)
class Assessment:
    findings: tuple[Finding, ...]

    @property
    def verdict(self) -> Verdict:
        statuses = {f.status for f in self.findings}
        if Status.FLAGGED in statuses:
            return Verdict.FLAGGED
        if Status.MISSING in statuses:
            return Verdict.INCOMPLETE
        return Verdict.READY

    def of(self, item: Item) -> Finding | None:
        return next((f for f in self.findings if f.item is item), None)

    def words(self) -> tuple[str, str]:
        """The verdict and what is not satisfied, in Chinese and in English."""
        zh, en = VERDICT_WORDS[self.verdict]
        open_items = [f for f in self.findings if f.status in (Status.MISSING, Status.FLAGGED)]
        if not open_items:
            return zh, en
        return (f"{zh}：{'；'.join(f.zh for f in open_items)}",
                f"{en}: {'; '.join(f.en for f in open_items)}")

    def text(self) -> str:
        """The verdict and what is not satisfied, Chinese first."""
        return both(*self.words())


VERDICT_WORDS: dict[Verdict, tuple[str, str]] = {
    Verdict.READY: ("证据齐全", "evidence complete"),
    Verdict.INCOMPLETE: ("证据不全", "evidence incomplete"),
    Verdict.FLAGGED: ("证据有疑点", "evidence flagged"),
}


# -- weighing each item --------------------------------------------------------------------------

def _call(evidence: Evidence) -> Finding:
    verdict = evidence.call_verdict
    if verdict is None:
        return Finding(Item.CALL, Status.MISSING, "没有预约记录", "no appointment on record")
    if verdict is CallVerdict.REAL:
        return Finding(Item.CALL, Status.SATISFIED, "预约前有真实通话",
                       "a real call before the appointment")
    if verdict is CallVerdict.FOUND_LATE:
        return Finding(Item.CALL, Status.SATISFIED, "预约时未见通话，随后推送的通话记录已证实",
                       "no call seen at booking; a call pushed later backs it")
    if verdict is CallVerdict.DESK:
        return Finding(Item.CALL, Status.SATISFIED, "客户来电，由客服代为预约",
                       "booked by the desk for the customer on the phone")
    return Finding(Item.CALL, Status.FLAGGED, words(FlagKind.NO_CALL_APPOINTMENT),
                   words(FlagKind.NO_CALL_APPOINTMENT, "en"))


def _metres(value: float | None) -> str:
    return "?" if value is None else f"{round(value)}"


def _checkin(evidence: Evidence) -> Finding:
    outcome = evidence.checkin_outcome
    distance, tolerance = _metres(evidence.checkin_distance_m), evidence.checkin_tolerance_m
    detail = {"outcome": outcome.value if outcome else None,
              "distance_m": evidence.checkin_distance_m, "tolerance_m": tolerance}
    if outcome is None:
        return Finding(Item.CHECKIN, Status.MISSING, "没有签到记录", "no check-in on record",
                       detail)
    if outcome is Outcome.INSIDE:
        return Finding(Item.CHECKIN, Status.SATISFIED,
                       f"签到距地址 {distance} 米，在容差 {tolerance} 米内",
                       f"checked in {distance} m from the address, within {tolerance} m",
                       detail)
    if outcome is Outcome.NO_ADDRESS_POINT:
        return Finding(Item.CHECKIN, Status.MISSING, "工单没有地址坐标，无法核对签到位置",
                       "the order has no address point: the check-in cannot be placed", detail)
    if outcome is Outcome.OUTSIDE:
        return Finding(Item.CHECKIN, Status.FLAGGED,
                       f"签到距地址 {distance} 米，超出容差 {tolerance} 米",
                       f"checked in {distance} m from the address, beyond {tolerance} m",
                       detail)
    kind = {Outcome.SKIPPED: FlagKind.CHECKIN_SKIPPED, Outcome.STALE: FlagKind.CHECKIN_STALE,
            Outcome.INACCURATE: FlagKind.CHECKIN_INACCURATE}[outcome]
    return Finding(Item.CHECKIN, Status.FLAGGED, words(kind), words(kind, "en"), detail)


def _code(evidence: Evidence) -> Finding:
    state, failures = evidence.code_state, evidence.code_failures
    detail = {"state": state.value if state else None, "failures": failures}
    if state is CodeState.USED:
        if failures:
            return Finding(Item.CODE, Status.SATISFIED, f"核销码已使用（此前输错 {failures} 次）",
                           f"the code was used (after {failures} wrong tries)", detail)
        return Finding(Item.CODE, Status.SATISFIED, "核销码已使用", "the code was used", detail)
    if state is CodeState.LOCKED:
        return Finding(Item.CODE, Status.FLAGGED, words(FlagKind.CODE_LOCKED),
                       words(FlagKind.CODE_LOCKED, "en"), detail)
    if state is None:
        return Finding(Item.CODE, Status.MISSING, "未发核销码", "no code was issued", detail)
    if state is CodeState.EXPIRED:
        return Finding(Item.CODE, Status.MISSING, "核销码已过期，未使用",
                       "the code expired unused", detail)
    return Finding(Item.CODE, Status.MISSING, "核销码尚未使用", "the code was not used",
                   detail)


def _photos(evidence: Evidence, requirement: Requirement) -> Finding:
    needed = required_photos(evidence.units, requirement.photos_per_unit)
    count = len(evidence.photos)
    flagged = [p for p in evidence.photos if p.flags]
    detail = {"required": needed, "count": count,
              "flagged_photo_ids": [p.photo_id for p in flagged]}
    if flagged and requirement.photos_clean:
        kinds = sorted({k for p in flagged for k in p.flags})
        zh = "、".join(words(k) for k in kinds)
        en = ", ".join(words(k, "en") for k in kinds)
        return Finding(Item.PHOTOS, Status.FLAGGED,
                       f"{len(flagged)} 张照片有标记（{zh}），共 {count}/{needed} 张",
                       f"{len(flagged)} photos flagged ({en}); {count} of {needed}", detail)
    if count < needed:
        return Finding(Item.PHOTOS, Status.MISSING, f"照片不足：{count}/{needed} 张",
                       f"too few photos: {count} of {needed}", detail)
    return Finding(Item.PHOTOS, Status.SATISFIED, f"照片 {count}/{needed} 张",
                   f"{count} of {needed} photos", detail)


def _serial(evidence: Evidence) -> Finding:
    serials, units = evidence.serials, max(1, evidence.units)
    reused = [f for f in evidence.flags if f.kind is FlagKind.SERIAL_REUSED]
    detail: dict[str, Any] = {"required": units, "count": len(serials),
                              "serials": list(serials)}
    if reused:
        others = sorted({o for f in reused for o in f.detail.get("other_order_ids", [])})
        detail["other_order_ids"] = others
        return Finding(Item.SERIAL, Status.FLAGGED,
                       f"{words(FlagKind.SERIAL_REUSED)}（{len(others)} 个工单）",
                       f"{words(FlagKind.SERIAL_REUSED, 'en')} ({len(others)} orders)", detail)
    if len(serials) < units:
        return Finding(Item.SERIAL, Status.MISSING, f"序列号不足：{len(serials)}/{units} 台",
                       f"serial numbers missing: {len(serials)} of {units} units", detail)
    shown = "、".join(serials)
    return Finding(Item.SERIAL, Status.SATISFIED, f"序列号 {shown}",
                   f"serial numbers {', '.join(serials)}", detail)


def assess(evidence: Evidence, requirement: Requirement) -> Assessment:
    """One finding per required item, in the order of the visit, then the flags no required
    item accounts for (a complaint, a flag of an item this client does not ask for), but for
    those about his record rather than this visit (`NOT_EVIDENCE`)."""
    findings: list[Finding] = []
    if requirement.call:
        findings.append(_call(evidence))
    if requirement.checkin:
        findings.append(_checkin(evidence))
    if requirement.code:
        findings.append(_code(evidence))
    if requirement.photos_per_unit:
        findings.append(_photos(evidence, requirement))
    if requirement.serial:
        findings.append(_serial(evidence))
    covered = {f.item for f in findings}
    others = [f for f in evidence.flags
              if ITEM_OF.get(f.kind) not in covered and f.kind not in NOT_EVIDENCE]
    if others:
        kinds = list(dict.fromkeys(f.kind for f in others))
        findings.append(Finding(
            Item.FLAGS, Status.FLAGGED, "其他标记：" + "、".join(words(k) for k in kinds),
            "other flags: " + ", ".join(words(k, "en") for k in kinds),
            {"kinds": [k.value for k in kinds]}))
    return Assessment(tuple(findings))
