"""Intake settings over HTTP: client policy versions, blacklist removal, the settings log

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00

Existing rows get the defaults: clients start at version 1, blacklist entries are active.
A removed blacklist entry is kept (marked inactive) so the log's subject still names a row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CLIENT_COLUMNS = ("version", "updated_by", "updated_at")
BLACKLIST_COLUMNS = ("created_by", "active", "removed_by", "removed_at", "removed_reason")


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def _time(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def upgrade() -> None:
    op.add_column("clients", sa.Column("version", sa.Integer(), nullable=False,
                                       server_default="1"))
    op.add_column("clients", _text("updated_by", 64))
    op.add_column("clients", _time("updated_at"))
    op.add_column("blacklist", _text("created_by", 64))
    op.add_column("blacklist", sa.Column("active", sa.Boolean(), nullable=False,
                                         server_default=sa.true()))
    op.add_column("blacklist", _text("removed_by", 64))
    op.add_column("blacklist", _time("removed_at"))
    op.add_column("blacklist", sa.Column("removed_reason", sa.Text(), nullable=False,
                                         server_default=""))
    op.create_table(
        "intake_settings_log",
        sa.Column("id", BigId, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_settings_log")),
    )
    op.create_index(op.f("ix_intake_settings_log_subject"), "intake_settings_log", ["subject"])


def downgrade() -> None:
    # Removed entries would count again under the old schema, which has no "active": they go.
    op.execute(sa.text("DELETE FROM blacklist WHERE NOT active"))
    op.drop_index(op.f("ix_intake_settings_log_subject"), table_name="intake_settings_log")
    op.drop_table("intake_settings_log")
    # Batch mode: SQLite rebuilds the table where it cannot drop a column in place.
    with op.batch_alter_table("blacklist") as batch:
        for name in BLACKLIST_COLUMNS:
            batch.drop_column(name)
    with op.batch_alter_table("clients") as batch:
        for name in CLIENT_COLUMNS:
            batch.drop_column(name)
