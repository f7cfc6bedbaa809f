"""Field execution: the review period, follow-up calls, complaints and review policies

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-11 09:00:00

`review_periods` holds each verified order's review period (from verification until the
client's days have passed; closed approved, lapsed or with a complaint), `followups` the calls
sampling picked (why, when due, tries, outcome, rating, complaint type, who and when, version),
`complaints` what the calls found (the after-sales order opened, a repeat fault's free visit
charged to the technician, the supervisor's ruling with who, when and why), and
`review_policies` each client's period and sampling ('default' for every client without its
own; changes audited in audit_log, kind review_policy). core.storage.fieldwork.followups.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_policies",
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=True),
        sa.PrimaryKeyConstraint("client_code", name=op.f("pk_review_policies")),
    )
    op.create_table(
        "review_periods",
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("visited_at", When, nullable=True),
        sa.Column("started_at", When, nullable=False),
        sa.Column("until", When, nullable=False),
        sa.Column("closed_at", When, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_review_periods_order_id_orders")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_review_periods")),
    )
    op.create_index("ix_review_periods_closed_at_until", "review_periods",
                    ["closed_at", "until"])
    op.create_index("ix_review_periods_technician_id", "review_periods", ["technician_id"])
    op.create_table(
        "followups",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("due_at", When, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("complaint_type", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", When, nullable=True),
        sa.Column("created_at", When, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_followups_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followups")),
    )
    op.create_index("ix_followups_status_due_at", "followups", ["status", "due_at"])
    op.create_index("ix_followups_order_id", "followups", ["order_id"])
    op.create_index("ix_followups_technician_id", "followups", ["technician_id"])
    op.create_table(
        "complaints",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("followup_id", BigId, nullable=True),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("complaint_type", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("repeat_fault", sa.Boolean(), nullable=False),
        sa.Column("charged_technician_id", BigId, nullable=True),
        sa.Column("after_sales_order_id", BigId, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raised_by", sa.String(length=64), nullable=False),
        sa.Column("raised_at", When, nullable=False),
        sa.Column("ruled_by", sa.String(length=64), nullable=False),
        sa.Column("ruled_at", When, nullable=True),
        sa.Column("ruling_reason", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_complaints_order_id_orders")),
        sa.ForeignKeyConstraint(["followup_id"], ["followups.id"],
                                name=op.f("fk_complaints_followup_id_followups")),
        sa.ForeignKeyConstraint(["after_sales_order_id"], ["orders.id"],
                                name=op.f("fk_complaints_after_sales_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
    )
    op.create_index("ix_complaints_status_raised_at", "complaints", ["status", "raised_at"])
    op.create_index("ix_complaints_order_id", "complaints", ["order_id"])
    op.create_index("ix_complaints_technician_id", "complaints", ["technician_id"])


def downgrade() -> None:
    for name in ("ix_complaints_technician_id", "ix_complaints_order_id",
                 "ix_complaints_status_raised_at"):
        op.drop_index(name, table_name="complaints")
    op.drop_table("complaints")
    for name in ("ix_followups_technician_id", "ix_followups_order_id",
                 "ix_followups_status_due_at"):
        op.drop_index(name, table_name="followups")
    op.drop_table("followups")
    op.drop_index("ix_review_periods_technician_id", table_name="review_periods")
    op.drop_index("ix_review_periods_closed_at_until", table_name="review_periods")
    op.drop_table("review_periods")
    op.drop_table("review_policies")
