"""Intake integrity: raw bodies as bytes, newest platform time, one purchase one order

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 00:00:00

- intake_messages.payload becomes bytes (LargeBinary), so a body holding NUL or bytes that are
  no text is kept as it arrived (PostgreSQL's text refuses NUL); stored texts carry over as
  their UTF-8 bytes.
- intake_platform_times keeps the newest platform modified_at taken in per platform order.
- intake_purchases maps (purchase, trade) to its service order; every existing link is its own
  purchase (earlier work cards cannot be told from their trades without their payloads).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MESSAGES = "intake_messages"
BATCH = 1000


def _time(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "intake_purchases",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("purchase_id", sa.String(length=64), nullable=False),
        sa.Column("trade", sa.String(length=32), nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_intake_purchases_order_id_orders")),
        sa.PrimaryKeyConstraint("platform", "purchase_id", "trade",
                                name=op.f("pk_intake_purchases")),
    )
    op.create_index(op.f("ix_intake_purchases_order_id"), "intake_purchases", ["order_id"])
    op.execute(
        "INSERT INTO intake_purchases (platform, purchase_id, trade, order_id, created_at) "
        "SELECT platform, platform_order_id, trade, order_id, created_at FROM intake_links")
    op.create_table(
        "intake_platform_times",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("platform_order_id", sa.String(length=64), nullable=False),
        _time("modified_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("platform", "platform_order_id",
                                name=op.f("pk_intake_platform_times")),
    )
    with op.batch_alter_table(MESSAGES) as batch:
        batch.add_column(sa.Column("raw", sa.LargeBinary(), nullable=True))
    # The stored text's UTF-8 bytes (what the body was, for every body that was text).
    as_bytes = "convert_to(payload, 'UTF8')" if _postgres() else "CAST(payload AS BLOB)"
    op.execute(f"UPDATE {MESSAGES} SET raw = {as_bytes}")
    with op.batch_alter_table(MESSAGES) as batch:
        batch.drop_column("payload")
        batch.alter_column("raw", new_column_name="payload", existing_type=sa.LargeBinary(),
                           nullable=False)


def _text(raw: bytes | None) -> str:
    """Bytes as text PostgreSQL can hold (as intake_messages.payload_text shows them)."""
    data = bytes(raw or b"")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\x00", "\ufffd")


def downgrade() -> None:
    with op.batch_alter_table(MESSAGES) as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
    bind = op.get_bind()
    table = sa.table(MESSAGES, sa.column("id", BigId), sa.column("payload", sa.LargeBinary()),
                     sa.column("text", sa.Text()))
    last = -1
    while True:
        rows = bind.execute(sa.select(table.c.id, table.c.payload).where(table.c.id > last)
                            .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(sa.update(table).where(table.c.id == sa.bindparam("key"))
                     .values(text=sa.bindparam("value")),
                     [{"key": row[0], "value": _text(row[1])} for row in rows])
        last = rows[-1][0]
    with op.batch_alter_table(MESSAGES) as batch:
        batch.drop_column("payload")
        batch.alter_column("text", new_column_name="payload", existing_type=sa.Text(),
                           nullable=False)
    op.drop_table("intake_platform_times")
    op.drop_index(op.f("ix_intake_purchases_order_id"), table_name="intake_purchases")
    op.drop_table("intake_purchases")
