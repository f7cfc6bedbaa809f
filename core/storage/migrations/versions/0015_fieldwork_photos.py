"""Field execution: completion photos

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 09:00:00

`photos` holds each completion photo on an order (core.storage.fieldwork.photos): the file's
SHA-256 (its name on disk) and perceptual hash (in four indexed 16-bit bands, to find the same
picture on another order), its type, size and upright dimensions, the capture time and place its
EXIF gave (WGS-84 and GCJ-02), the distance to the address and how it was judged, who uploaded
it and when. The same bytes are stored once per order (a retried upload is the same photo).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
When = sa.DateTime(timezone=True)
BANDS = 4


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", BigId, nullable=False),
        sa.Column("order_id", BigId, nullable=False),
        sa.Column("technician_id", BigId, nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("phash", sa.String(length=16), nullable=True),
        *(sa.Column(f"phash_{n}", sa.Integer(), nullable=True) for n in range(BANDS)),
        sa.Column("media_type", sa.String(length=16), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("taken_at", When, nullable=True),
        sa.Column("time_source", sa.String(length=16), nullable=False),
        sa.Column("wgs_lat", sa.Float(), nullable=True),
        sa.Column("wgs_lng", sa.Float(), nullable=True),
        sa.Column("gcj_lat", sa.Float(), nullable=True),
        sa.Column("gcj_lng", sa.Float(), nullable=True),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("tolerance_m", sa.Integer(), nullable=False),
        sa.Column("point", sa.String(length=16), nullable=False),
        sa.Column("time_check", sa.String(length=16), nullable=False),
        sa.Column("place_check", sa.String(length=24), nullable=False),
        sa.Column("judged", sa.String(length=80), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("uploaded_at", When, nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_photos_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("order_id", "sha256", name=op.f("uq_photos_order_id_sha256")),
    )
    op.create_index("ix_photos_sha256", "photos", ["sha256"])
    for n in range(BANDS):
        op.create_index(f"ix_photos_phash_{n}", "photos", [f"phash_{n}"])


def downgrade() -> None:
    for n in reversed(range(BANDS)):
        op.drop_index(f"ix_photos_phash_{n}", table_name="photos")
    op.drop_index("ix_photos_sha256", table_name="photos")
    op.drop_table("photos")
