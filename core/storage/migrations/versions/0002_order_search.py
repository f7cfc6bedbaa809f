"""Trigram index for the queue's free-text search (PostgreSQL only)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Must stay identical to core.storage.orders.queue.search_text() so the planner matches it.
SEARCH_TEXT = "(order_no || ' ' || customer_name || ' ' || customer_phone || ' ' || address)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite scans; fine for a single user's database
    schema = bind.scalar(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    ))
    if schema is None:
        # pg_trgm is a trusted extension (PostgreSQL 13+), so a database owner may create it;
        # without the privilege the search still works, only by scanning.
        savepoint = bind.begin_nested()
        try:
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
            savepoint.commit()
            schema = "public"
        except sa.exc.DBAPIError:
            savepoint.rollback()
            return
    op.execute(
        f"CREATE INDEX ix_orders_search ON orders USING gin ({SEARCH_TEXT} {schema}.gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_orders_search")
