"""Audited changes: users get a version, and a shared log for settings without a log table

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 03:00:00

Users get `version` (existing users start at 1): an admin's change of an account is made from
the version seen (PATCH /v1/users/{id}), like every audited setting (core.storage.audited).
`audit_log` holds the changes of settings that have no log table of their own (users' accounts
first; SLA standards, fee rules and approvals next): kind, subject, who, when, why, before and
after. The three older logs (dispatch policies, technicians, intake settings) stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
INDEX = "ix_audit_log_kind_subject"


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False,
                                   server_default="1"))
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(INDEX, "audit_log", ["kind", "subject"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="audit_log")
    op.drop_table("audit_log")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("version")
