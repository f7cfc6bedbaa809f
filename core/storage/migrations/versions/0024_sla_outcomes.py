"""SLA: the outcome of each finished run, and the board's index

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 11:00:00

`sla_outcomes` keeps, once per order/step/run, how a finished run ended against its deadline
(on time, or the time over in the limit's clock) with the region, service type, technician and
service point at the time: the history of on-time rates and exports (a stopped run's deadline
rows are deleted or closed). (day, step) and (day, county_adcode) serve the rates of a period.
Runs that stopped before this revision have no outcome.

`sla_deadlines.technician_id` keeps who has the order now (refresh_deadlines sets it while the
step runs), and `ix_sla_deadlines_board` (open, pending, order_id, step, run, level,
county_adcode, technician_id) covers the supervisor board's aggregate of open recorded alerts
(open and not pending), the highest level per run, without reading the table or the orders.
Existing rows get the technician as their orders next change (or with the rebuild handler).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BOARD_COLUMNS = ["open", "pending", "order_id", "step", "run", "level", "county_adcode",
                 "technician_id"]


def upgrade() -> None:
    op.create_table(
        "sla_outcomes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("order_id", _ID, nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("run", sa.Integer(), nullable=False),
        sa.Column("county_adcode", sa.String(length=6), nullable=False),
        sa.Column("service_type", sa.String(length=16), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=True),
        sa.Column("service_point_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("clock", sa.String(length=8), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("over_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_sla_outcomes_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_outcomes")),
        sa.UniqueConstraint("order_id", "step", "run", name="uq_sla_outcomes_order_step_run"),
    )
    op.create_index("ix_sla_outcomes_day_step", "sla_outcomes", ["day", "step"])
    op.create_index("ix_sla_outcomes_day_county", "sla_outcomes", ["day", "county_adcode"])
    op.add_column("sla_deadlines", sa.Column("technician_id", sa.Integer(), nullable=True))
    op.create_index("ix_sla_deadlines_board", "sla_deadlines", BOARD_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_sla_deadlines_board", table_name="sla_deadlines")
    with op.batch_alter_table("sla_deadlines") as batch:
        batch.drop_column("technician_id")
    op.drop_index("ix_sla_outcomes_day_county", table_name="sla_outcomes")
    op.drop_index("ix_sla_outcomes_day_step", table_name="sla_outcomes")
    op.drop_table("sla_outcomes")
