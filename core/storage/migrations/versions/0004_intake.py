"""Conversion centre: intake messages, links, origins, sources, clients, regions, blacklist, cursors

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00

One platform order may now split into several service orders, so the unique constraint on
orders (platform, platform_order_id) goes; intake_links recognises re-sent platform orders.
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UNIQUE_NAME = "uq_orders_platform_platform_order_id"
UNIQUE_CLAUSE = f"CONSTRAINT {UNIQUE_NAME} UNIQUE (platform, platform_order_id)"


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _create_tables() -> None:
    op.create_table(
        "intake_messages",
        sa.Column("id", BigId, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("platform_order_id", sa.String(length=64), nullable=False),
        _time("received_at"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("order_ids", sa.JSON(), nullable=False),
        sa.Column("retried_as", BigId, nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        _time("resolved_at", nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["retried_as"], ["intake_messages.id"],
                                name=op.f("fk_intake_messages_retried_as_intake_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_messages")),
    )
    op.create_index("ix_intake_messages_status", "intake_messages", ["status", "id"])
    op.create_index("ix_intake_messages_platform", "intake_messages", ["platform", "id"])
    op.create_index("ix_intake_messages_received", "intake_messages",
                    ["received_at", "platform"])
    op.create_table(
        "intake_links",
        sa.Column("id", BigId, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("platform_order_id", sa.String(length=64), nullable=False),
        sa.Column("trade", sa.String(length=32), nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_intake_links_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_links")),
        sa.UniqueConstraint("platform", "platform_order_id", "trade",
                            name=op.f("uq_intake_links_platform_platform_order_id_trade")),
    )
    op.create_index(op.f("ix_intake_links_order_id"), "intake_links", ["order_id"])
    op.create_table(
        "order_origins",
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("merge_key", sa.String(length=64), nullable=False),
        sa.Column("audit_state", sa.String(length=16), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=True),
        sa.Column("county_adcode", sa.String(length=6), nullable=False),
        _time("created_at"),
        sa.Column("origin", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_order_origins_order_id_orders")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_origins")),
    )
    op.create_index("ix_order_origins_merge", "order_origins", ["merge_key", "created_at"])
    op.create_index("ix_order_origins_audit", "order_origins", ["audit_state", "created_at"])
    op.create_index("ix_order_origins_gap", "order_origins", ["covered", "county_adcode"])
    op.create_table(
        "intake_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_sources")),
        sa.UniqueConstraint("key", name=op.f("uq_intake_sources_key")),
    )
    op.create_index(op.f("ix_intake_sources_platform"), "intake_sources", ["platform"])
    op.create_table(
        "clients",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("shops", sa.JSON(), nullable=False),
        sa.Column("audit_mode", sa.String(length=16), nullable=False),
        sa.Column("coverage_mode", sa.String(length=16), nullable=False),
        sa.Column("merge_window_minutes", sa.Integer(), nullable=False),
        sa.Column("review_threshold", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_clients")),
    )
    op.create_table(
        "service_regions",
        sa.Column("county_adcode", sa.String(length=6), nullable=False),
        sa.Column("covered", sa.Boolean(), nullable=False),
        sa.Column("accept_minutes", sa.Integer(), nullable=False),
        sa.Column("appoint_hours", sa.Integer(), nullable=False),
        sa.Column("visit_hours", sa.Integer(), nullable=False),
        sa.Column("fee_level", sa.String(length=16), nullable=False),
        sa.Column("urge_after_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("county_adcode", name=op.f("pk_service_regions")),
    )
    op.create_table(
        "blacklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blacklist")),
    )
    op.create_index(op.f("ix_blacklist_phone"), "blacklist", ["phone"])
    op.create_table(
        "intake_cursors",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("cursor", sa.String(length=600), nullable=False),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_intake_cursors")),
    )


def _rebuild_sqlite_orders(transform: Callable[[str], str]) -> None:
    """Recreate SQLite's orders table with a changed definition, keeping rows, ids and indexes.

    SQLite cannot drop a table constraint, so the table is copied out, recreated and copied
    back. Foreign keys are deferred to the commit: re-inserting the rows satisfies again the
    references the drop broke (renaming a copy would not), so every reference is still checked.
    """
    bind = op.get_bind()
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'orders'").scalar_one()
    # Indexes (the expression ones of 0003 too) and the search triggers go with the table.
    extras = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'orders' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type").all()
    columns = ", ".join(f'"{row[1]}"' for row in bind.exec_driver_sql("PRAGMA table_info(orders)"))
    bind.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for kind, name, _ in extras:
        if kind == "trigger":
            bind.exec_driver_sql(f'DROP TRIGGER "{name}"')
    bind.exec_driver_sql(f"CREATE TEMP TABLE orders_rebuild AS SELECT {columns} FROM orders")
    bind.exec_driver_sql("DROP TABLE orders")
    bind.exec_driver_sql(transform(table_sql))
    # Before the triggers come back: the search index still holds every row.
    bind.exec_driver_sql(f"INSERT INTO orders ({columns}) SELECT {columns} FROM orders_rebuild")
    bind.exec_driver_sql("DROP TABLE orders_rebuild")
    for _, _, sql in extras:
        bind.exec_driver_sql(sql)


def _without_unique(sql: str) -> str:
    changed = re.sub(r",\s*" + re.escape(UNIQUE_CLAUSE), "", sql)
    if changed == sql:
        raise RuntimeError(f"orders has no {UNIQUE_NAME} to drop")
    return changed


def _with_unique(sql: str) -> str:
    head, _, tail = sql.rpartition(")")
    return f"{head.rstrip()}, \n\t{UNIQUE_CLAUSE}\n){tail}"


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(UNIQUE_NAME, "orders", type_="unique")
    else:
        _rebuild_sqlite_orders(_without_unique)
    op.create_index("ix_orders_platform_order", "orders", ["platform", "platform_order_id"])
    op.create_index("ix_orders_customer_phone", "orders", ["customer_phone", "created_at"])


def downgrade() -> None:
    # Fails when a platform order was split into several service orders: the old schema
    # cannot hold them, and dropping orders silently would be worse.
    op.drop_index("ix_orders_customer_phone", table_name="orders")
    op.drop_index("ix_orders_platform_order", table_name="orders")
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint(UNIQUE_NAME, "orders", ["platform", "platform_order_id"])
    else:
        _rebuild_sqlite_orders(_with_unique)
    op.drop_table("intake_cursors")
    op.drop_index(op.f("ix_blacklist_phone"), table_name="blacklist")
    op.drop_table("blacklist")
    op.drop_table("service_regions")
    op.drop_table("clients")
    op.drop_index(op.f("ix_intake_sources_platform"), table_name="intake_sources")
    op.drop_table("intake_sources")
    op.drop_table("order_origins")
    op.drop_index(op.f("ix_intake_links_order_id"), table_name="intake_links")
    op.drop_table("intake_links")
    op.drop_table("intake_messages")
