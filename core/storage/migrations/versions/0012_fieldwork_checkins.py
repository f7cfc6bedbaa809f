"""Field execution: check-ins and each region's check-in tolerance

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:00:00

`check_ins` keeps every check-in on an order (core.fieldwork.position): the device position as
sent (WGS-84) and as converted (GCJ-02), its accuracy and fix time, the distance to the order's
address point and the tolerance it was judged by, the outcome (inside, outside, skipped, stale,
inaccurate, no_address_point), what the order's point was (an address, a county centre, none),
who recorded it, when and why. `checkin_tolerances` holds a region's own tolerance (a county,
city or province adcode) where a supervisor set one; every change is logged in `audit_log`
(kind `checkin_tolerance`). A removed tolerance keeps its row with no metres and a higher
version, so an editor holding the old version gets a conflict.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "check_ins",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("wgs_lat", sa.Float(), nullable=True),
        sa.Column("wgs_lng", sa.Float(), nullable=True),
        sa.Column("gcj_lat", sa.Float(), nullable=True),
        sa.Column("gcj_lng", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("fix_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("tolerance_m", sa.Integer(), nullable=False),
        sa.Column("tolerance_from", sa.String(length=16), nullable=False),
        sa.Column("point", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_role", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_check_ins_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    op.create_index("ix_check_ins_order_id", "check_ins", ["order_id"])
    op.create_index("ix_check_ins_technician_id_at", "check_ins", ["technician_id", "at"])
    op.create_table(
        "checkin_tolerances",
        sa.Column("adcode", sa.String(length=6), nullable=False),
        sa.Column("tolerance_m", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("adcode", name=op.f("pk_checkin_tolerances")),
    )


def downgrade() -> None:
    op.drop_table("checkin_tolerances")
    op.drop_index("ix_check_ins_technician_id_at", table_name="check_ins")
    op.drop_index("ix_check_ins_order_id", table_name="check_ins")
    op.drop_table("check_ins")
