"""Field execution: the appliances' serial numbers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-10 09:00:00

`order_serials` holds the serial number a technician submitted for each unit of an order (its
items' quantities counted as units, as photos count them; core.storage.fieldwork.serials): the
serial as typed and normalized, who submitted it and when. A resubmission for the same unit
never overwrites: the old row gets `replaced_at`/`replaced_by` and the new row says why, so every
serial ever given stays on record. The normalized serial is indexed to find the same appliance
on another order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "order_serials",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("unit", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("typed", sa.String(length=120), nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("submitted_at", When, nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("replaced_at", When, nullable=True),
        sa.Column("replaced_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_order_serials_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_serials")),
    )
    op.create_index("ix_order_serials_order_id_unit", "order_serials", ["order_id", "unit"])
    op.create_index("ix_order_serials_serial", "order_serials", ["serial"])


def downgrade() -> None:
    op.drop_index("ix_order_serials_serial", table_name="order_serials")
    op.drop_index("ix_order_serials_order_id_unit", table_name="order_serials")
    op.drop_table("order_serials")
