"""A platform's urge (催单) through intake: kept like every platform message (the ingest handler
stores it, malformed ones as dead letters with their reason), then put on the urge list of each
open or ended service order made from the urged platform order (core.services.sla.urging); the
same urge sent again joins once. An urge of an unknown order is refused, and kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import NoResultFound

from core.contracts.intake import Outcome
from core.intake.model import PlatformOrder
from core.intake.pipeline import ConversionCentre
from core.intake.policy import ClientPolicy
from core.services.intake.results import Result, summarise, unknown_order
from core.services.sla.urging import PlatformUrge, record_platform_urge
from core.storage.intake.links import linked
from core.storage.sla.urges import platform_urge_id
from core.storage.uow import UnitOfWork
from core.text import with_words


def _known(uow: UnitOfWork, source: PlatformOrder) -> bool:
    try:
        platform_urge_id(uow.session, source.platform, source.urge_ref)
    except NoResultFound:
        return False
    return True


def take_urge(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
              policy: ClientPolicy, at: datetime, label: str) -> Result:
    """Record the urge on every service order of the platform order (no order changes after
    it in this transaction: the urge takes the event lock, which comes last)."""
    ids = sorted(set(linked(uow.session, source.platform, source.platform_order_id).values()))
    if not ids:
        return unknown_order(source, label, ("催单", "urge"))
    if _known(uow, source):
        return Result(Outcome.DUPLICATE, ids, ("重复推送：该催单已在催单列表中 "
                                             "(sent again: the urge is on the list already)"))
    for order_id in ids:
        record_platform_urge(uow.session, PlatformUrge(
            order_id, source.platform, _ref(source.urge_ref, order_id, ids), source.note), at)
    return summarise([Outcome.UPDATED] * len(ids), ids, with_words(
        f"{label}平台催单 (urged on {source.platform})", source.note))


def _ref(ref: str, order_id: int, ids: list[int]) -> str:
    """The urge's key per service order: a platform order split in several orders urges each
    (the platform's id alone names the first)."""
    return ref if order_id == ids[0] else f"{ref}/{order_id}"[:64]
