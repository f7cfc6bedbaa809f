"""SLA: the stale orders' partial index (the scan's every-second query), the platform's due

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 11:40:00

The deadline scan asks each second for a batch of orders whose limits changed (`stale`). An
index of the boolean alone is not selective, so after ANALYZE SQLite read the whole unique
index instead (1.6 s a round at a million open orders). `ix_sla_deadlines_stale_order` keeps
only the stale rows' order ids (a partial index: empty most of the time) and replaces
`ix_sla_deadlines_stale`. The query's condition is the index's (`stale IS 1` on SQLite,
`stale IS true` on PostgreSQL), as the planners require.

`sla_deadlines.platform_due` keeps the platform's own deadline for the step beside ours (the
limit's `platform`), shown with the deadlines and alerts. Existing rows get it as their orders
next change (or with the rebuild handler).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STALE = sa.column("stale", sa.Boolean()).is_(True)


def upgrade() -> None:
    op.add_column("sla_deadlines",
                  sa.Column("platform_due", sa.DateTime(timezone=True), nullable=True))
    op.drop_index("ix_sla_deadlines_stale", table_name="sla_deadlines")
    op.create_index("ix_sla_deadlines_stale_order", "sla_deadlines", ["order_id"],
                    sqlite_where=_STALE, postgresql_where=_STALE)


def downgrade() -> None:
    op.drop_index("ix_sla_deadlines_stale_order", table_name="sla_deadlines")
    with op.batch_alter_table("sla_deadlines") as batch:  # the partial index dropped first
        batch.drop_column("platform_due")
    op.create_index("ix_sla_deadlines_stale", "sla_deadlines", ["stale"])
