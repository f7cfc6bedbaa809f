"""Field execution: appointments, contact attempts, AXB bindings and their call records

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 12:00:00

`appointments` keeps every booking of an order (core.fieldwork.appointments): the slot (a
2-hour window or a half-day part), who asked for it (technician or customer through the desk),
whether it moves an earlier one (a reschedule, with its reason code), the call that backs it
(`call_verdict`, `call_record_id`) and its status: booked at once, or pending until a supervisor
approves or refuses it past the client's reschedule limit (who, when, why). `contact_attempts`
keeps each failed attempt to reach the customer with its reason code and the next contact time.
`axb_bindings` keeps each virtual-number binding of an order (pending while the provider is
down, bound, unbinding, unbound, failed) with its tries; `call_records` the calls the provider
pushed, one row per provider record id. `appointment_policies` holds a client's reschedule
limit and call window ('default' for every client without its own; changes are audited in
audit_log, kind `appointment_policy`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "appointment_policies",
        sa.Column("client_code", sa.String(length=32), nullable=False),
        sa.Column("reschedule_limit", sa.Integer(), nullable=False),
        sa.Column("call_window_hours", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", When, nullable=True),
        sa.PrimaryKeyConstraint("client_code", name=op.f("pk_appointment_policies")),
    )
    op.create_table(
        "axb_bindings",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("technician_phone", sa.String(length=32), nullable=False),
        sa.Column("customer_phone", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("virtual_number", sa.String(length=32), nullable=False),
        sa.Column("provider_binding_id", sa.String(length=100), nullable=False),
        sa.Column("record_calls", sa.Boolean(), nullable=False),
        sa.Column("lifetime_s", sa.Integer(), nullable=False),
        sa.Column("expires_at", When, nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", When, nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=False),
        sa.Column("created_at", When, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("bound_at", When, nullable=True),
        sa.Column("unbind_reason", sa.Text(), nullable=False),
        sa.Column("unbound_at", When, nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_axb_bindings_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_axb_bindings")),
    )
    op.create_index("ix_axb_bindings_order_id", "axb_bindings", ["order_id"])
    op.create_index("ix_axb_bindings_status_next_try_at", "axb_bindings",
                    ["status", "next_try_at"])
    op.create_index("ix_axb_bindings_provider_binding_id", "axb_bindings",
                    ["provider_binding_id"])
    op.create_table(
        "call_records",
        sa.Column("id", BigId, nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("provider_binding_id", sa.String(length=100), nullable=False),
        sa.Column("binding_id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("caller_side", sa.String(length=16), nullable=False),
        sa.Column("started_at", When, nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("recording", sa.Boolean(), nullable=False),
        sa.Column("received_at", When, nullable=False),
        sa.ForeignKeyConstraint(["binding_id"], ["axb_bindings.id"],
                                name=op.f("fk_call_records_binding_id_axb_bindings")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_call_records_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_records")),
        sa.UniqueConstraint("record_id", name=op.f("uq_call_records_record_id")),
    )
    op.create_index("ix_call_records_order_id_started_at", "call_records",
                    ["order_id", "started_at"])
    op.create_table(
        "appointments",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("starts_at", When, nullable=False),
        sa.Column("ends_at", When, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=12), nullable=False),
        sa.Column("initiated_by", sa.String(length=16), nullable=False),
        sa.Column("reschedule", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_role", sa.String(length=16), nullable=False),
        sa.Column("requested_at", When, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", When, nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("call_verdict", sa.String(length=24), nullable=False),
        sa.Column("call_record_id", BigId, nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_appointments_order_id_orders")),
        sa.ForeignKeyConstraint(["call_record_id"], ["call_records.id"],
                                name=op.f("fk_appointments_call_record_id_call_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    op.create_index("ix_appointments_order_id", "appointments", ["order_id"])
    op.create_index("ix_appointments_technician_id_status", "appointments",
                    ["technician_id", "status"])
    op.create_index("ix_appointments_status_requested_at", "appointments",
                    ["status", "requested_at"])
    op.create_table(
        "contact_attempts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_contact_at", When, nullable=True),
        sa.Column("at", When, nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_contact_attempts_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempts")),
    )
    op.create_index("ix_contact_attempts_order_id", "contact_attempts", ["order_id"])
    op.create_index("ix_contact_attempts_next_contact_at", "contact_attempts",
                    ["next_contact_at"])


def downgrade() -> None:
    op.drop_index("ix_contact_attempts_next_contact_at", table_name="contact_attempts")
    op.drop_index("ix_contact_attempts_order_id", table_name="contact_attempts")
    op.drop_table("contact_attempts")
    op.drop_index("ix_appointments_status_requested_at", table_name="appointments")
    op.drop_index("ix_appointments_technician_id_status", table_name="appointments")
    op.drop_index("ix_appointments_order_id", table_name="appointments")
    op.drop_table("appointments")
    op.drop_index("ix_call_records_order_id_started_at", table_name="call_records")
    op.drop_table("call_records")
    op.drop_index("ix_axb_bindings_provider_binding_id", table_name="axb_bindings")
    op.drop_index("ix_axb_bindings_status_next_try_at", table_name="axb_bindings")
    op.drop_index("ix_axb_bindings_order_id", table_name="axb_bindings")
    op.drop_table("axb_bindings")
    op.drop_table("appointment_policies")
