"""Field execution: verification codes, clients' code policies and the SMS outbox

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00

`verification_codes` keeps each code an order was given as a salted keyed hash (never the
code), with its policy at issue time and who/when it was issued, used, locked or voided.
`verification_code_policies` holds a client's digits, validity and tries ('default' for every
client without its own; changes are audited in audit_log). `sms_outbox` keeps every SMS until
the provider took it: pending with the next try while the provider is down, then sent, failed
or cancelled (core.storage.fieldwork.codes).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "verification_code_policies",
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("valid_hours", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=True),
        sa.PrimaryKeyConstraint("client_code", name=op.f("pk_verification_code_policies")),
    )
    op.create_table(
        "verification_codes",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("code_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("salt", sa.LargeBinary(length=16), nullable=False),
        sa.Column("digits", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("issued_at", When, nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expires_at", When, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("locked_at", When, nullable=True),
        sa.Column("used_at", When, nullable=True),
        sa.Column("used_by", sa.String(length=64), nullable=False),
        sa.Column("voided_at", When, nullable=True),
        sa.Column("voided_by", sa.String(length=64), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_verification_codes_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_codes")),
    )
    op.create_index("ix_verification_codes_order_id", "verification_codes", ["order_id"])
    op.create_table(
        "sms_outbox",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("code_id", BigId, nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("sealed", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", When, nullable=False),
        sa.Column("provider_id", sa.String(length=100), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("sent_at", When, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_sms_outbox_order_id_orders")),
        sa.ForeignKeyConstraint(["code_id"], ["verification_codes.id"],
                                name=op.f("fk_sms_outbox_code_id_verification_codes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
    )
    op.create_index("ix_sms_outbox_status_next_try_at", "sms_outbox", ["status", "next_try_at"])
    op.create_index("ix_sms_outbox_order_id", "sms_outbox", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_sms_outbox_order_id", table_name="sms_outbox")
    op.drop_index("ix_sms_outbox_status_next_try_at", table_name="sms_outbox")
    op.drop_table("sms_outbox")
    op.drop_index("ix_verification_codes_order_id", table_name="verification_codes")
    op.drop_table("verification_codes")
    op.drop_table("verification_code_policies")
