"""SLA: deadlines on every open order

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 10:00:00

`sla_deadlines` holds, per open order, each running step's alert times (预警 and 警告 at the
limit's warn shares, 严重 at the deadline), one row per order/step/run/level (unique: an alert
is recorded once, across restarts). (pending, at) finds what warns or breaches in the next
minute; (open, due) lists open alerts by time left; stale marks orders whose limits changed.
Rows are computed from the orders' events by core.storage.sla.deadlines; an existing database
gets them as its open orders change, or at once with the rebuild handler
(core.services.sla.deadlines.handle_rebuild_deadlines).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sla_deadlines",
        sa.Column("id", _ID, nullable=False),
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock", sa.String(length=8), nullable=False),
        sa.Column("county_adcode", sa.String(length=6), nullable=False),
        sa.Column("service_type", sa.String(length=16), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("event_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_sla_deadlines_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_deadlines")),
        sa.UniqueConstraint("order_id", "step", "run", "level",
                            name="uq_sla_deadlines_order_step_run_level"),
    )
    op.create_index("ix_sla_deadlines_pending_at", "sla_deadlines", ["pending", "at"])
    op.create_index("ix_sla_deadlines_open_due", "sla_deadlines", ["open", "due"])
    op.create_index("ix_sla_deadlines_stale", "sla_deadlines", ["stale"])


def downgrade() -> None:
    op.drop_index("ix_sla_deadlines_stale", table_name="sla_deadlines")
    op.drop_index("ix_sla_deadlines_open_due", table_name="sla_deadlines")
    op.drop_index("ix_sla_deadlines_pending_at", table_name="sla_deadlines")
    op.drop_table("sla_deadlines")
