"""Check-in: the technician arrives and says where he is; the order moves to checked_in and the
position is judged (core.fieldwork.position), stored and flagged in ONE transaction: never
blocked by what the position says, and never a check-in without its row or its flags.

A desk person (agent, supervisor, admin: the lifecycle's field roles) may record a check-in on
the technician's behalf, saying why; the position is then usually none, which is what it is
(skipped, flagged). The regions' tolerances are audited settings (supervisor, admin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.errors import Invalid, NotFound
from core.fieldwork.position import (
    MAX_TOLERANCE_M,
    MIN_TOLERANCE_M,
    CheckinRules,
    Fix,
    Judgement,
    Tolerance,
    judge,
    tolerance_for,
)
from core.geo.regions import load_regions
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import Actor, ServiceOrder
from core.services.orders import current_order, load_visible
from core.storage.audited import Audit
from core.storage.fieldwork import checkins
from core.storage.fieldwork.checkins import CheckInRecord, CheckinToleranceRecord
from core.storage.fieldwork.flags import add_flags
from core.storage.orders.repository import OrderRepository
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork
from core.text import says_something, with_words

RULES = CheckinRules()


@dataclass(frozen=True)
class RecordCheckIn:
    """A check-in on an order from the version the caller has seen; `position` None: none sent.
    `reason` is required when the caller is not the technician (recorded on his behalf)."""

    order_id: int
    version: int
    actor: Actor
    position: Fix | None
    reason: str = ""


@dataclass(frozen=True)
class CheckedIn:
    order: ServiceOrder
    check_in: CheckInRecord
    judgement: Judgement


@dataclass(frozen=True)
class ListCheckIns:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class SetTolerance:
    """A region's own tolerance (None: remove it) from the version seen (0: it sets none)."""

    adcode: str
    tolerance_m: int | None
    version: int
    reason: str
    actor: str


@dataclass(frozen=True)
class RegionTolerance:
    """What applies to a county now: its tolerance and where it comes from."""

    county_adcode: str
    tolerance: Tolerance


def _check_fix(fix: Fix) -> None:
    """Invalid (naming the field) for a position no device reports; the wire checks first."""
    loc = ("body", "position")
    for name, value, bound in (("lat", fix.lat, 90.0), ("lng", fix.lng, 180.0)):
        if not (math.isfinite(value) and -bound <= value <= bound):
            raise Invalid(f"{name} 超出范围 ({name} must lie within ±{bound:g})", loc=(*loc, name))
    if not (math.isfinite(fix.accuracy_m) and fix.accuracy_m >= 0):
        raise Invalid("精度须为非负数 (accuracy_m must be zero or more)",
                      loc=(*loc, "accuracy_m"))
    if fix.at.tzinfo is None:
        raise Invalid("定位时间须带时区 (fix_at needs a time zone)", loc=(*loc, "fix_at"))


def _reason(actor: Actor, why: str, judged: Judgement) -> str:
    if actor.role is Role.TECHNICIAN:
        return judged.text()
    return with_words(f"代师傅签到 (recorded for the technician)；{judged.text()}", why)


def handle_check_in(cmd: RecordCheckIn, uow: UnitOfWork) -> CheckedIn:
    """Check in, judge the position, store the check-in and its flag; commit once.

    NotFound 404 / Refused 403 (not his order), StaleVersion 409, Invalid 422 (a desk check-in
    without a reason, a position out of range, or an order not appointed)."""
    if cmd.position is not None:
        _check_fix(cmd.position)
    if cmd.actor.role is not Role.TECHNICIAN and not says_something(cmd.reason):
        raise Invalid("代师傅签到须说明原因 (a check-in recorded for the technician needs a "
                      "reason)", loc=("body", "reason"))
    now = uow.clock.now()
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        tolerance = tolerance_for(order.county_adcode,
                                  checkins.tolerance_settings(uow.session, order.county_adcode))
        judged = judge(cmd.position, order.lat, order.lng, tolerance, now, RULES)
        order.apply(c.CheckIn(), cmd.actor, now, _reason(cmd.actor, cmd.reason, judged),
                    backend_reason=cmd.actor.role is Role.TECHNICIAN)
        uow.orders.save(order)  # StaleVersion when another write won meanwhile
        assert order.id is not None
        row = checkins.add_check_in(uow.session, order.id, order.technician_id, cmd.position,
                                    judged, now, cmd.actor.name, cmd.actor.role.value,
                                    cmd.reason.strip())
        add_flags(uow.session, order.id, order.technician_id, judged.flags, now, cmd.actor.name)
        uow.commit()
    return CheckedIn(order, row, judged)


def handle_list_check_ins(cmd: ListCheckIns, uow: UnitOfWork) -> list[CheckInRecord]:
    """An order's check-ins, oldest first (NotFound 404 for an unknown order)."""
    with uow.reads() as session:
        load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        return checkins.check_ins_of(session, cmd.order_id)


def _check_region(adcode: str) -> None:
    if load_regions().get(adcode) is None:
        raise Invalid(f"'{adcode}' 不是已知的区域编码 ('{adcode}' is not a known region adcode)",
                      loc=("path", "adcode"))


def handle_set_tolerance(cmd: SetTolerance, uow: UnitOfWork) -> CheckinToleranceRecord | None:
    """Set or remove a region's tolerance: Invalid 422 (unknown region, out of bounds, no
    reason), Stale 409 (changed meanwhile), NotFound 404 (removing what is not set)."""
    _check_region(cmd.adcode)
    if cmd.tolerance_m is not None and not MIN_TOLERANCE_M <= cmd.tolerance_m <= MAX_TOLERANCE_M:
        raise Invalid(f"容差须在 {MIN_TOLERANCE_M} 到 {MAX_TOLERANCE_M} 米之间 (tolerance_m must "
                      f"lie within {MIN_TOLERANCE_M}..{MAX_TOLERANCE_M})",
                      loc=("body", "tolerance_m"))
    audit = Audit.of(cmd.actor, uow.clock.now(), cmd.reason)
    with uow:
        if cmd.tolerance_m is None:
            current = uow.session.get(CheckinToleranceRecord, cmd.adcode)
            if current is None or current.tolerance_m is None:
                raise NotFound(f"区域 {cmd.adcode} 没有自己的签到容差 (region {cmd.adcode} sets "
                               f"no check-in tolerance of its own)")
        record = checkins.put_tolerance(uow.session, cmd.adcode, cmd.tolerance_m, cmd.version,
                                        audit)
        uow.commit()
    return record


def handle_list_tolerances(uow: UnitOfWork) -> list[CheckinToleranceRecord]:
    with uow.reads() as session:
        return checkins.tolerance_records(session)


def handle_region_tolerance(county_adcode: str, uow: UnitOfWork) -> RegionTolerance:
    """The tolerance a check-in in this county is judged by now."""
    region = load_regions().get(county_adcode)
    if region is None or region.level != "county":
        raise Invalid(f"'{county_adcode}' 不是已知的区县编码 ('{county_adcode}' is not a known "
                      f"county adcode)", loc=("query", "county"))
    with uow.reads() as session:
        settings = checkins.tolerance_settings(session, county_adcode)
    return RegionTolerance(county_adcode, tolerance_for(county_adcode, settings))


def handle_tolerance_log(adcode: str | None, uow: UnitOfWork,
                         limit: int = 100) -> list[AuditLogRecord]:
    with uow.reads() as session:
        return checkins.tolerance_log(session, adcode, limit)
