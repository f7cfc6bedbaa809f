"""Dispatch integrity: an index for refusals and lapses by (kind, time)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:00:00

The desk's refusal counts (kind refuse/withdraw since a time) and the dispatcher's assignments
of today (kind assign/claim since local midnight) scanned every event; order_events only had
an index by order.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_order_events_kind_at"


def upgrade() -> None:
    op.create_index(INDEX, "order_events", ["kind", "at"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="order_events")
