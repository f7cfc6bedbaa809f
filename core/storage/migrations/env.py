"""Alembic environment: the caller hands us an open connection in config.attributes."""

from alembic import context

from core.storage.tables import Base, include_object

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through core.storage.db.migrate(engine)")
context.configure(
    connection=connection, target_metadata=Base.metadata, include_object=include_object
)
with context.begin_transaction():
    context.run_migrations()
