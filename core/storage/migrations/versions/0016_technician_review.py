"""Field execution: a technician's completions routed to manual review

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 09:00:00

`technician_reviews` holds, per technician, whether a supervisor routed his completions to
manual review (technician risk, core.fieldwork.risk). A technician without a row is not
routed (version 0); each change is audited in audit_log (kind technician_review).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "technician_reviews",
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("review_completions", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=True),
        sa.ForeignKeyConstraint(["technician_id"], ["technicians.id"],
                                name=op.f("fk_technician_reviews_technician_id_technicians")),
        sa.PrimaryKeyConstraint("technician_id", name=op.f("pk_technician_reviews")),
    )


def downgrade() -> None:
    op.drop_table("technician_reviews")
