"""SLA: the business calendar (published years and the dates their notices name)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-12 09:00:00

`calendar_years` holds each published year (the State Council's notice it comes from, its
version, who imported it, when and why), `calendar_days` the dates each notice names: a holiday
or an adjusted working day (调休上班), with its name. Every other date is ordinary; a year without
a row is "not yet published". The shipped notices (resources/calendar) are loaded by the
backend's start-up seed (core.services.sla.calendar.seed_shipped_years), not here: a migration's
rows would carry no clock's time, and a year shipped later needs no migration.
core.storage.sla.calendar.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("imported_at", When, nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_years")),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["year"], ["calendar_years.year"],
                                name=op.f("fk_calendar_days_year_calendar_years")),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_index("ix_calendar_days_year", "calendar_days", ["year"])


def downgrade() -> None:
    op.drop_index("ix_calendar_days_year", table_name="calendar_days")
    op.drop_table("calendar_days")
    op.drop_table("calendar_years")
