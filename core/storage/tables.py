"""The relational schema: one mapped class per table (the aggregate is mapped by hand)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.storage.types import BigId, UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UserRecord(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    # An inactive user cannot sign in and none of his tokens is honoured (migration 0008).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised by every audited change of the account (PATCH /v1/users/{id}; migration 0010).
    version: Mapped[int] = mapped_column(Integer, default=1)


class TokenRecord(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServicePointRecord(Base):
    __tablename__ = "service_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    county_adcode: Mapped[str] = mapped_column(String(6))
    # Orders the point takes a day (0: no limit of its own, only its technicians').
    daily_capacity: Mapped[int] = mapped_column(Integer, default=0)


class TechnicianRecord(Base):
    __tablename__ = "technicians"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    skills: Mapped[list[str]] = mapped_column(JSON)
    county_adcode: Mapped[str] = mapped_column(String(6), index=True)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"))
    home_lng: Mapped[float] = mapped_column(Float)
    home_lat: Mapped[float] = mapped_column(Float)
    daily_capacity: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Customers' average rating, 0.0-5.0 (a score, not money).
    rating: Mapped[float] = mapped_column(Float, default=4.5)
    # Certificates some work needs by law or by the brand (e.g. 高空作业证, 电工证).
    qualifications: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Raised by every change of the dispatch settings above (capacity, skills, certificates,
    # active), so a console editing from an older copy gets a conflict, not a silent overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)


class TechnicianSettingsLogRecord(Base):
    """One change of a technician's dispatch settings: who, when, why, before and after."""

    __tablename__ = "technician_settings_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class OrderRecord(Base):
    """Nullable sort keys (county, service type) are stored as '' so keyset comparisons work."""

    __tablename__ = "orders"
    __table_args__ = (
        # Not unique: one platform order may split into several service orders (one per trade);
        # intake_links is what recognises a re-sent platform order.
        Index("ix_orders_platform_order", "platform", "platform_order_id"),
        Index("ix_orders_customer_phone", "customer_phone", "created_at"),
        # One index per queue sort: (key, created_at, id) also serves "filter by key, newest first".
        # Migration 0003 adds the same per city (expression indexes) and the search indexes.
        Index("ix_orders_created", "created_at", "id"),
        Index("ix_orders_state_changed", "state_changed_at", "id"),
        Index("ix_orders_state", "state", "created_at", "id"),
        Index("ix_orders_county", "county_adcode", "created_at", "id"),
        Index("ix_orders_service_type", "service_type", "created_at", "id"),
        Index("ix_orders_platform", "platform", "created_at", "id"),
        Index("ix_orders_customer", "customer_name", "id"),
        Index("ix_orders_technician", "technician_id", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    customer_name: Mapped[str] = mapped_column(String(64))
    customer_phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(500))
    province: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(32), default="")
    county_adcode: Mapped[str] = mapped_column(String(6), default="")
    county_name: Mapped[str] = mapped_column(String(64), default="")
    lng: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    service_type: Mapped[str] = mapped_column(String(16), default="")
    skills: Mapped[list[str]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    frozen_from: Mapped[str | None] = mapped_column(String(16))
    dispatch_mode: Mapped[str | None] = mapped_column(String(16))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    appointment_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    appointment_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    dispatch_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatch_note: Mapped[str] = mapped_column(String(500), default="")
    dispatch_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    grab_price_fen: Mapped[int | None] = mapped_column(Integer)
    accept_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderItemRecord(Base):
    __tablename__ = "order_items"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_fen: Mapped[int] = mapped_column(Integer)


class OrderEventRecord(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "order_events"
    # A seq is never handed out twice, even if the newest row were ever removed.
    # (kind, at): refusals and lapses since a time, today's assignments (migration 0009).
    __table_args__ = (Index("ix_order_events_kind_at", "kind", "at"),
                      {"sqlite_autoincrement": True})
    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class OrderNumberCounter(Base):
    """The last order-number sequence handed out per day (yyyymmdd)."""

    __tablename__ = "order_number_counters"
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)



class IntakeMessageRecord(Base):
    """Every record as it arrived (dead letters included), and what became of it."""

    __tablename__ = "intake_messages"
    __table_args__ = (
        Index("ix_intake_messages_status", "status", "id"),
        Index("ix_intake_messages_platform", "platform", "id"),
        Index("ix_intake_messages_received", "received_at", "platform"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64), default="")
    # "record": one record's own text; "envelope": a whole payload that could not be cut.
    scope: Mapped[str] = mapped_column(String(16), default="record")
    platform_order_id: Mapped[str] = mapped_column(String(64), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    # The bytes as they arrived (NUL and undecodable bytes included); shown decoded (0007).
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    order_ids: Mapped[list[int]] = mapped_column(JSON)
    retried_as: Mapped[int | None] = mapped_column(ForeignKey("intake_messages.id"))
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(Text, default="")


class IntakeLinkRecord(Base):
    """(platform, platform order, trade) -> the service order made from it: dedupe and merge."""

    __tablename__ = "intake_links"
    __table_args__ = (UniqueConstraint("platform", "platform_order_id", "trade"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    trade: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IntakePurchaseRecord(Base):
    """A purchase (a trade, a JD sale) -> the service order of each trade it needs.

    A trade and the work cards opened for it (or a sale and its tasks) share the purchase, so
    whichever arrives first makes the order and the others join it. One row per (purchase,
    trade): two processes taking in parts of one purchase at once cannot both create.
    """

    __tablename__ = "intake_purchases"
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    purchase_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    trade: Mapped[str] = mapped_column(String(32), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IntakePlatformTimeRecord(Base):
    """The newest platform change time (modified_at) taken in per platform order: older
    messages arriving late are refused instead of reverting newer data."""

    __tablename__ = "intake_platform_times"
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    platform_order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OrderOriginRecord(Base):
    """How an intake order came to be (core.contracts.intake.OrderOrigin as JSON)."""

    __tablename__ = "order_origins"
    __table_args__ = (
        Index("ix_order_origins_merge", "merge_key", "created_at"),
        Index("ix_order_origins_audit", "audit_state", "created_at"),
        Index("ix_order_origins_gap", "covered", "county_adcode"),
    )
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    client_code: Mapped[str] = mapped_column(String(32))
    merge_key: Mapped[str] = mapped_column(String(64))  # sha256 of split.merge_key
    # pass | review | approved | rejected
    audit_state: Mapped[str] = mapped_column(String(16))
    covered: Mapped[bool | None] = mapped_column(Boolean)
    county_adcode: Mapped[str] = mapped_column(String(6), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[dict[str, Any]] = mapped_column(JSON)


class IntakeSourceRecord(Base):
    """Where orders come from: a webhook's secret, a folder or URL to poll, and whose they are."""

    __tablename__ = "intake_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # webhook | folder | http
    location: Mapped[str] = mapped_column(String(500), default="")
    secret: Mapped[str] = mapped_column(String(200), default="")
    client_code: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ClientRecord(Base):
    """A client (brand or shop) and its intake policy."""

    __tablename__ = "clients"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    shops: Mapped[list[str]] = mapped_column(JSON)
    audit_mode: Mapped[str] = mapped_column(String(16))
    coverage_mode: Mapped[str] = mapped_column(String(16))
    merge_window_minutes: Mapped[int] = mapped_column(Integer)
    review_threshold: Mapped[int] = mapped_column(Integer)
    # Optimistic concurrency for changes over HTTP (core.storage.intake.settings).
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ServiceRegionRecord(Base):
    """A county the network knows: covered or not, and its service standard."""

    __tablename__ = "service_regions"
    county_adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    covered: Mapped[bool] = mapped_column(Boolean)
    accept_minutes: Mapped[int] = mapped_column(Integer)
    appoint_hours: Mapped[int] = mapped_column(Integer)
    visit_hours: Mapped[int] = mapped_column(Integer)
    fee_level: Mapped[str] = mapped_column(String(16))
    urge_after_minutes: Mapped[int] = mapped_column(Integer)


class BlacklistRecord(Base):
    """A phone or an address known for fake orders (either may be '').

    Removal only marks the entry inactive: the settings log keeps naming it.
    """

    __tablename__ = "blacklist"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), default="", index=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    removed_by: Mapped[str] = mapped_column(String(64), default="")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_reason: Mapped[str] = mapped_column(Text, default="")


class IntakeSettingsLogRecord(Base):
    """One change of intake settings: who, when, why, and the values before and after."""

    __tablename__ = "intake_settings_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(64), index=True)  # client:<code> | blacklist:<id>
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class IntakeCursorRecord(Base):
    """How far a polled source has been read (a file position or the platform's modified time)."""

    __tablename__ = "intake_cursors"
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(600))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditLogRecord(Base):
    """One audited change of a setting that has no log table of its own: who, when, why,
    before and after (core.storage.audited). `kind` names the feature (user, ...), `subject`
    what changed within it (a user's id, ...)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_kind_subject", "kind", "subject"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class DispatchPolicyRecord(Base):
    """The dispatch policy set at one scope: '' (the default), a province, city or county adcode.

    `body` holds only what this scope sets; the rest is inherited (core.dispatch.policy).
    """

    __tablename__ = "dispatch_policies"
    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DispatchPolicyLogRecord(Base):
    """One change of a dispatch policy: who, when, why, before and after."""

    __tablename__ = "dispatch_policy_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(6), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class GrabOfferRecord(Base):
    """An order offered in the grab pool; claimed by exactly one technician, or expired.

    status: open | claimed | expired | withdrawn. A claim is one conditional UPDATE
    (status 'open' and not expired), so under any number of simultaneous claims one row wins.
    """

    __tablename__ = "grab_offers"
    __table_args__ = (Index("ix_grab_offers_status", "status", "expires_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    county_adcode: Mapped[str] = mapped_column(String(6), default="")
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    price_fen: Mapped[int | None] = mapped_column(Integer)
    floor_fen: Mapped[int] = mapped_column(Integer, default=0)
    below_floor: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    views: Mapped[int] = mapped_column(Integer, default=0)
    claim_attempts: Mapped[int] = mapped_column(Integer, default=0)


class GrabViewRecord(Base):
    """A technician saw an offer (first time only)."""

    __tablename__ = "grab_views"
    __table_args__ = (UniqueConstraint("offer_id", "technician_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("grab_offers.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# Indexes that only migrations know: expression and operator-class indexes (0002, 0003).
MIGRATION_ONLY_INDEXES = frozenset({
    "ix_orders_search", "ix_orders_customer_prefix", "ix_orders_city_created",
    "ix_orders_city_order_no", "ix_orders_city_state_changed", "ix_orders_city_state",
    "ix_orders_city_platform", "ix_orders_city_service_type", "ix_orders_city_customer",
})
# SQLite's FTS5 search table (0003) and the shadow tables FTS5 keeps beside it.
SEARCH_TABLE = "orders_search"


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Alembic filter: leave the migration-only indexes and tables out of model comparisons."""
    if type_ == "table" and name is not None and (
            name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")):
        return False
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


# Field execution's tables live beside their queries (core.storage.fieldwork), and SLA's
# (core.storage.sla); importing the packages here makes them part of Base.metadata wherever
# the schema is used.
import core.storage.fieldwork  # noqa: E402
import core.storage.sla  # noqa: E402,F401
