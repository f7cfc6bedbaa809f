"""City indexes per queue sort; SQLite FTS5 trigram search; PostgreSQL name-prefix index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 13:15:00
"""

import sqlite3
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Must stay identical to core.storage.orders.queue.city_key() so both planners match the expression
# (literal 1 and 4: SQLite matches an indexed expression only with the same constants).
CITY = "substr(county_adcode, 1, 4)"
# One index per queue sort except "county", which ix_orders_county serves with a range.
CITY_INDEXES = {
    "ix_orders_city_created": "created_at, id",
    "ix_orders_city_order_no": "order_no, id",
    "ix_orders_city_state_changed": "state_changed_at, id",
    "ix_orders_city_state": "state, created_at, id",
    "ix_orders_city_platform": "platform, created_at, id",
    "ix_orders_city_service_type": "service_type, created_at, id",
    "ix_orders_city_customer": "customer_name, id",
}
SEARCHED = "order_no, customer_name, customer_phone, address"
NEW = ", ".join(f"new.{c}" for c in SEARCHED.split(", "))
OLD = ", ".join(f"old.{c}" for c in SEARCHED.split(", "))
CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in SEARCHED.split(", "))
# External-content FTS5 index over the orders' searchable text, kept in step by triggers so
# every write path (repository, bulk loads, manual SQL) maintains it. A 'delete' must repeat
# the old values exactly, which only a trigger sees reliably.
SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE orders_search USING fts5({SEARCHED}, content='orders', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER orders_search_ai AFTER INSERT ON orders BEGIN "
    f"INSERT INTO orders_search(rowid, {SEARCHED}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER orders_search_ad AFTER DELETE ON orders BEGIN "
    f"INSERT INTO orders_search(orders_search, rowid, {SEARCHED}) "
    f"VALUES ('delete', old.id, {OLD}); END",
    # The repository rewrites every column on save; re-index only when the text changed.
    f"CREATE TRIGGER orders_search_au AFTER UPDATE OF {SEARCHED} ON orders WHEN {CHANGED} "
    f"BEGIN INSERT INTO orders_search(orders_search, rowid, {SEARCHED}) "
    f"VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO orders_search(rowid, {SEARCHED}) VALUES (new.id, {NEW}); END",
    "INSERT INTO orders_search(orders_search) VALUES ('rebuild')",
]


def upgrade() -> None:
    bind = op.get_bind()
    for name, keys in CITY_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON orders ({CITY}, {keys})")
    if bind.dialect.name == "postgresql":
        # The trigram index cannot serve 1-2 character terms; those match a name prefix, and
        # LIKE 'x%' can use a btree only with pattern ops (the database collation is not C).
        op.execute("CREATE INDEX ix_orders_customer_prefix ON orders "
                   "(customer_name text_pattern_ops)")
        # No ANALYZE: autovacuum gathers the expression statistics; an ANALYZE of a young
        # table would leave "empty" statistics that outlive its first rows.
        return
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer; "
                           "the order search needs SQLite 3.34 or newer")
    for statement in SQLITE_SEARCH:
        op.execute(statement)
    analyzed = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    if analyzed:
        # Statistics for the new indexes, or the planner weighs them against analysed ones
        # with default guesses (and may keep reading a whole city to sort it).
        op.execute("ANALYZE orders")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_orders_customer_prefix")
    else:
        for trigger in ("orders_search_ai", "orders_search_ad", "orders_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS orders_search")
    for name in CITY_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
