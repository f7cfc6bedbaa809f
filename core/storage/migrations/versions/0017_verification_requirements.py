"""Field execution: what each client's orders must show to be verified

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-09 09:00:00

`verification_requirements` holds a client's combination of evidence per product kind (service
type): the completion code used, the check-in inside the tolerance, photos per unit and none
flagged, a real appointment call, the serial number ('default' for every client without its
own; core.storage.fieldwork.verification). Changes are audited in audit_log (kind
verification_requirement) with who, when, why, before and after.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "verification_requirements",
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=True),
        sa.PrimaryKeyConstraint("client_code", name=op.f("pk_verification_requirements")),
    )


def downgrade() -> None:
    op.drop_table("verification_requirements")
