"""Field execution: flags on orders

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 05:30:00

`order_flags` holds what field execution finds suspicious on an order (core.fieldwork.flags):
a kind, the technician concerned, the facts as JSON, who raised it and when. Flags are shown and
counted (risk), never a block.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "order_flags",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_order_flags_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_flags")),
    )
    op.create_index("ix_order_flags_order_id", "order_flags", ["order_id"])
    op.create_index("ix_order_flags_technician_id_at", "order_flags", ["technician_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_order_flags_technician_id_at", table_name="order_flags")
    op.drop_index("ix_order_flags_order_id", table_name="order_flags")
    op.drop_table("order_flags")
