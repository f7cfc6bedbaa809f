"""SLA: urges (催单) and the urging policy

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 10:40:00

`sla_urges` holds every urge on an order: the urge round's reminders and escalations (one per
recorded alert: `deadline_id` is unique, so a restart never urges twice), an agent's or a
supervisor's urge by hand, and a platform's urge through intake (unique (platform,
platform_ref): a re-sent message joins once). Each urge is addressed to a technician, his
service point, the supervisor or the desk, and keeps its one reply (who, when, what).
`sla_urge_policy` holds the urging policy (whom each alert level of each step urges, and which
breaches go back to manual dispatch), changed through the audited-change helper (its log is
audit_log kind "sla_urge_policy").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sla_urges",
        sa.Column("id", _ID, nullable=False),
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("deadline_id", _ID, nullable=True),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=True),
        sa.Column("service_point_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("by_actor", sa.String(length=64), nullable=False),
        sa.Column("by_role", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=True),
        sa.Column("platform_ref", sa.String(length=64), nullable=True),
        sa.Column("to_manual", sa.String(length=16), nullable=False),
        sa.Column("reply", sa.String(length=500), nullable=True),
        sa.Column("replied_by", sa.String(length=64), nullable=True),
        sa.Column("replied_role", sa.String(length=16), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_sla_urges_order_id_orders")),
        sa.ForeignKeyConstraint(["deadline_id"], ["sla_deadlines.id"],
                                name=op.f("fk_sla_urges_deadline_id_sla_deadlines")),
        sa.ForeignKeyConstraint(["technician_id"], ["technicians.id"],
                                name=op.f("fk_sla_urges_technician_id_technicians")),
        sa.ForeignKeyConstraint(["service_point_id"], ["service_points.id"],
                                name=op.f("fk_sla_urges_service_point_id_service_points")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_urges")),
        sa.UniqueConstraint("deadline_id", name="uq_sla_urges_deadline_id"),
        sa.UniqueConstraint("platform", "platform_ref", name="uq_sla_urges_platform_ref"),
    )
    op.create_index("ix_sla_urges_order", "sla_urges", ["order_id", "at"])
    op.create_index("ix_sla_urges_at", "sla_urges", ["at", "id"])
    op.create_index("ix_sla_urges_technician", "sla_urges", ["technician_id", "at"])
    op.create_table(
        "sla_urge_policy",
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sla_urge_policy")),
    )


def downgrade() -> None:
    op.drop_table("sla_urge_policy")
    op.drop_index("ix_sla_urges_technician", table_name="sla_urges")
    op.drop_index("ix_sla_urges_at", table_name="sla_urges")
    op.drop_index("ix_sla_urges_order", table_name="sla_urges")
    op.drop_table("sla_urges")
