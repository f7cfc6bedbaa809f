"""Whose order it is and where we serve: clients' policies, sources, regions, blacklist, history."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core.intake.policy import ClientPolicy
from core.intake.split import normalise_address, normalise_phone
from core.sla.deadlines import RegionStandard
from core.storage.tables import (
    BlacklistRecord,
    ClientRecord,
    IntakeSourceRecord,
    OrderRecord,
    ServiceRegionRecord,
)

SECRET_ENV = "LASTMILE_INTAKE_SECRET_"
# The audit looks at a phone's orders of the last month (fake orders come in bursts).
HISTORY = timedelta(days=30)


def policy_of(client: ClientRecord) -> ClientPolicy:
    return ClientPolicy(
        code=client.code, name=client.name,
        audit_mode=client.audit_mode,  # type: ignore[arg-type]
        coverage_mode=client.coverage_mode,  # type: ignore[arg-type]
        merge_window=timedelta(minutes=client.merge_window_minutes),
        review_threshold=client.review_threshold,
    )


def client_policy(session: Session, platform: str, shop: str, source: str = "") -> ClientPolicy:
    """The client whose shop it is; else the source's client; else the default policy."""
    clients = {c.code: c for c in session.scalars(select(ClientRecord))}
    for client in clients.values():
        if shop and shop in client.shops:
            return policy_of(client)
    query = select(IntakeSourceRecord.client_code).where(
        IntakeSourceRecord.active, IntakeSourceRecord.client_code != "")
    # The source's own client first (a file import or retry names no source row: the
    # platform's first source with a client then decides).
    by_source = [IntakeSourceRecord.key == source] if source else []
    for where in [*by_source, IntakeSourceRecord.platform == platform]:
        code = session.scalars(query.where(where).order_by(IntakeSourceRecord.id)).first()
        if code is not None and code in clients:
            return policy_of(clients[code])
    return ClientPolicy()


def webhook_secret(session: Session, platform: str) -> str | None:
    """LASTMILE_INTAKE_SECRET_<PLATFORM> first, then the platform's webhook source."""
    from_env = os.environ.get(SECRET_ENV + platform.upper())
    if from_env:
        return from_env
    return session.scalars(
        select(IntakeSourceRecord.secret).where(
            IntakeSourceRecord.platform == platform, IntakeSourceRecord.kind == "webhook",
            IntakeSourceRecord.active, IntakeSourceRecord.secret != "",
        ).order_by(IntakeSourceRecord.id)
    ).first()


def polled_sources(session: Session) -> list[IntakeSourceRecord]:
    """Active folder and HTTP sources, in a stable order."""
    return list(session.scalars(
        select(IntakeSourceRecord)
        .where(IntakeSourceRecord.active, IntakeSourceRecord.kind.in_(("folder", "http")))
        .order_by(IntakeSourceRecord.id)
    ))


class RegionCoverage:
    """The Coverage over service_regions, read once per use case (the table is small)."""

    def __init__(self, session: Session) -> None:
        self._regions = {r.county_adcode: r for r in session.scalars(select(ServiceRegionRecord))}

    def covers(self, adcode: str) -> bool:
        region = self._regions.get(adcode)
        return region is not None and region.covered

    def standard(self, adcode: str | None) -> RegionStandard | None:
        region = self._regions.get(adcode) if adcode else None
        if region is None:
            return None
        return RegionStandard(
            adcode=region.county_adcode, accept_minutes=region.accept_minutes,
            appoint_hours=region.appoint_hours, visit_hours=region.visit_hours,
            fee_level=region.fee_level, urge_after_minutes=region.urge_after_minutes,
        )


class SqlAuditContext:
    """AuditContext over the orders of the last 30 days before `at` and the blacklist."""

    def __init__(self, session: Session, at: datetime, platform: str = "",
                 platform_order_id: str = "") -> None:
        self._session = session
        self._since = at - HISTORY
        # The platform order being converted is not its own history (a re-sent or merged one).
        self._exclude = (platform, platform_order_id)
        self._blacklist: list[tuple[str, str, str]] | None = None

    def _recent(self, phone: str) -> Select[OrderRecord]:
        query = select(OrderRecord).where(
            OrderRecord.customer_phone == phone, OrderRecord.created_at >= self._since)
        if self._exclude[1]:
            query = query.where(~(
                (OrderRecord.platform == self._exclude[0])
                & (OrderRecord.platform_order_id == self._exclude[1])))
        return query

    def orders_for_phone(self, phone: str) -> int:
        query = self._recent(phone).with_only_columns(func.count())
        return int(self._session.scalar(query) or 0)

    def addresses_for_phone(self, phone: str) -> int:
        query = self._recent(phone).with_only_columns(OrderRecord.address).distinct()
        return len({normalise_address(a) for a in self._session.scalars(query)})

    def blacklisted(self, phone: str, address: str) -> str | None:
        if self._blacklist is None:
            self._blacklist = [
                (normalise_phone(b.phone) if b.phone else "",
                 normalise_address(b.address) if b.address else "", b.reason)
                # Removed entries are kept for the settings log but no longer count.
                for b in self._session.scalars(
                    select(BlacklistRecord).where(BlacklistRecord.active))
            ]
        wanted_phone, wanted_address = normalise_phone(phone), normalise_address(address)
        for listed_phone, listed_address, reason in self._blacklist:
            if listed_phone and listed_phone == wanted_phone:
                return reason
            # A listed address matches an order's address that contains it (the order may
            # add the province or a room number).
            if listed_address and listed_address in wanted_address:
                return reason
        return None
