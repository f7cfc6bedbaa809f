"""People and personal data: inactive users, token revocation, no personal data in event payloads

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:00:00

Users get `active` (existing users stay active). Revocation deletes token rows, so tokens
need no new column.

Intake events used to carry the new values of what a platform changed
(`{"changed": {"customer_phone": "138...", "address": "..."}}`), kept forever and sent to every
desk on the change feed. They now name the fields only (`{"changed": ["address", ...]}`), and
this migration scrubs the old ones the same way. The scrub cannot be undone: downgrade keeps
the names.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
_events = sa.table(
    "order_events",
    sa.column("seq", sa.BigInteger()),
    sa.column("kind", sa.String()),
    sa.column("data", sa.JSON()),
)


def scrubbed(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The payload with `changed` reduced to the field names, or None when it has no values."""
    if not isinstance(data, dict) or not isinstance(data.get("changed"), dict):
        return None
    return {**data, "changed": sorted(data["changed"])}


def scrub_events(conn: sa.Connection) -> int:
    """Reduce every intake event's `changed` values to the field names; how many changed."""
    after, done = -1, 0
    # In batches by seq: a large database never holds every intake event in memory at once.
    while True:
        rows = conn.execute(
            sa.select(_events.c.seq, _events.c.data)
            .where(_events.c.kind.like("intake\\_%", escape="\\"), _events.c.seq > after)
            .order_by(_events.c.seq).limit(BATCH)
        ).all()
        if not rows:
            return done
        after = rows[-1].seq
        for seq, data in rows:
            clean = scrubbed(data)
            if clean is not None:
                conn.execute(sa.update(_events).where(_events.c.seq == seq).values(data=clean))
                done += 1


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    scrub_events(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("active")
