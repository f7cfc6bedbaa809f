"""What the intake workspace counts: arrivals per platform, and counties we do not cover yet."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contracts.intake import ArrivalStats, CoverageGap, MessageStatus, PlatformArrivals
from core.geo.regions import load_regions
from core.storage.tables import IntakeMessageRecord, OrderOriginRecord

M = IntakeMessageRecord
# A dead letter that was retried or discarded still arrived dead.
DEAD = (MessageStatus.DEAD, MessageStatus.RETRIED, MessageStatus.DISCARDED)


def arrivals(session: Session, since: datetime, labels: Mapping[str, str]) -> ArrivalStats:
    """Records received since `since` per platform (every known platform, zeros included)."""
    found = session.execute(
        select(M.platform, M.status, M.outcome, func.count(), func.max(M.received_at))
        .where(M.received_at >= since)
        .group_by(M.platform, M.status, M.outcome)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    last: dict[str, datetime] = {}
    for platform, status, outcome, count, newest in found:
        bucket = counts.setdefault(platform, {})
        if outcome == "review":
            key = "review"
        elif status in DEAD:
            key = "dead"
        else:
            key = status
        bucket[key] = bucket.get(key, 0) + count
        bucket["received"] = bucket.get("received", 0) + count
        if newest is not None and (platform not in last or newest > last[platform]):
            last[platform] = newest
    names = sorted(set(labels) | set(counts))
    return ArrivalStats(since=since, platforms=[
        PlatformArrivals(
            platform=name, label=labels.get(name, name),
            received=counts.get(name, {}).get("received", 0),
            converted=counts.get(name, {}).get(MessageStatus.CONVERTED.value, 0),
            review=counts.get(name, {}).get("review", 0),
            refused=counts.get(name, {}).get(MessageStatus.REFUSED.value, 0),
            dead=counts.get(name, {}).get("dead", 0),
            last_at=last.get(name),
        )
        for name in names
    ])


def coverage_gaps(session: Session) -> list[CoverageGap]:
    """Counties with accepted orders outside the network, most orders first."""
    G = OrderOriginRecord
    found = session.execute(
        select(G.county_adcode, func.count(), func.max(G.created_at))
        .where(G.covered.is_(False), G.county_adcode != "")
        .group_by(G.county_adcode)
    ).all()
    regions = load_regions()
    gaps = []
    for adcode, count, newest in found:
        county = regions.get(adcode)
        city = regions.city_of(adcode)
        gaps.append(CoverageGap(county_adcode=adcode, county_name=county.name if county else "",
                                city=city.name if city else "", orders=count, last_at=newest))
    return sorted(gaps, key=lambda g: (-g.orders, g.county_adcode))
