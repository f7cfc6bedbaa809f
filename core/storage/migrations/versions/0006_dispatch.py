"""Dispatch: region policies, the grab pool, order dispatch facts, technician rating and settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:00:00

Existing orders get no dispatch facts (not pinned, no tags); technicians a 4.5 rating, no
qualifications and version 1 of their dispatch settings (changes are logged in
technician_settings_log); service points no capacity of their own (0).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ORDER_COLUMNS = ("dispatch_since", "dispatch_note", "dispatch_pinned", "tags", "grab_price_fen",
                 "accept_by")


def _time(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("orders", _time("dispatch_since"))
    op.add_column("orders", sa.Column("dispatch_note", sa.String(length=500), nullable=False,
                                      server_default=""))
    op.add_column("orders", sa.Column("dispatch_pinned", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column("orders", sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("orders", sa.Column("grab_price_fen", sa.Integer(), nullable=True))
    op.add_column("orders", _time("accept_by"))
    op.add_column("technicians", sa.Column("rating", sa.Float(), nullable=False,
                                           server_default="4.5"))
    op.add_column("technicians", sa.Column("qualifications", sa.JSON(), nullable=False,
                                           server_default="[]"))
    op.add_column("technicians", sa.Column("version", sa.Integer(), nullable=False,
                                           server_default="1"))
    op.add_column("service_points", sa.Column("daily_capacity", sa.Integer(), nullable=False,
                                              server_default="0"))
    op.create_table(
        "dispatch_policies",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        _time("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_dispatch_policies")),
    )
    op.create_table(
        "dispatch_policy_log",
        sa.Column("id", BigId, nullable=False),
        sa.Column("scope", sa.String(length=6), nullable=False),
        _time("at", nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_policy_log")),
    )
    op.create_index(op.f("ix_dispatch_policy_log_scope"), "dispatch_policy_log", ["scope"])
    op.create_table(
        "technician_settings_log",
        sa.Column("id", BigId, nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        _time("at", nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["technician_id"], ["technicians.id"],
                                name=op.f("fk_technician_settings_log_technician_id_technicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technician_settings_log")),
    )
    op.create_index(op.f("ix_technician_settings_log_technician_id"), "technician_settings_log",
                    ["technician_id"])
    op.create_table(
        "grab_offers",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("county_adcode", sa.String(length=6), nullable=False),
        _time("offered_at", nullable=False),
        _time("expires_at", nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=True),
        sa.Column("floor_fen", sa.Integer(), nullable=False),
        sa.Column("below_floor", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        _time("closed_at"),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("claim_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_grab_offers_order_id_orders")),
        sa.ForeignKeyConstraint(["claimed_by"], ["technicians.id"],
                                name=op.f("fk_grab_offers_claimed_by_technicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grab_offers")),
    )
    op.create_index(op.f("ix_grab_offers_order_id"), "grab_offers", ["order_id"])
    op.create_index("ix_grab_offers_status", "grab_offers", ["status", "expires_at"])
    op.create_table(
        "grab_views",
        sa.Column("id", BigId, nullable=False),
        sa.Column("offer_id", BigId, nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        _time("at", nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["grab_offers.id"],
                                name=op.f("fk_grab_views_offer_id_grab_offers")),
        sa.ForeignKeyConstraint(["technician_id"], ["technicians.id"],
                                name=op.f("fk_grab_views_technician_id_technicians")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grab_views")),
        sa.UniqueConstraint("offer_id", "technician_id",
                            name=op.f("uq_grab_views_offer_id_technician_id")),
    )
    op.create_index(op.f("ix_grab_views_offer_id"), "grab_views", ["offer_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_grab_views_offer_id"), table_name="grab_views")
    op.drop_table("grab_views")
    op.drop_index("ix_grab_offers_status", table_name="grab_offers")
    op.drop_index(op.f("ix_grab_offers_order_id"), table_name="grab_offers")
    op.drop_table("grab_offers")
    op.drop_index(op.f("ix_technician_settings_log_technician_id"),
                  table_name="technician_settings_log")
    op.drop_table("technician_settings_log")
    op.drop_index(op.f("ix_dispatch_policy_log_scope"), table_name="dispatch_policy_log")
    op.drop_table("dispatch_policy_log")
    op.drop_table("dispatch_policies")
    # Not batch mode: on SQLite that rebuilds the table, and orders, technicians and service
    # points are referenced by foreign keys. SQLite (3.35+) drops these plain columns in place.
    for table, names in (("service_points", ("daily_capacity",)),
                         ("technicians", ("version", "qualifications", "rating")),
                         ("orders", ORDER_COLUMNS)):
        for name in names:
            op.drop_column(table, name)
