"""SLA: time limits per region scope

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 09:00:00

`sla_limits` holds what each scope ('' default, a province, city or county adcode) sets of the
time limits per step and service type, its working hours and suspensions (core.sla.limit_body),
with its version and who changed it last, when. Every change is logged in audit_log (kind
sla_limits). A scope without a row inherits everything; the built-in limits are code
(core.sla.limits.BUILT_IN), so nothing is seeded here. core.storage.sla.limits.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sla_limits",
        sa.Column("scope", sa.String(length=6), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_sla_limits")),
    )


def downgrade() -> None:
    op.drop_table("sla_limits")
