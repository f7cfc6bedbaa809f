"""Completion photos: their rows (who, when, what the EXIF said, how each was judged) and their
files (originals and thumbnails under the data directory, named by content).

Files live under `<data dir>/photos/` (LASTMILE_DATA_DIR moves it; core.storage.db.data_dir):
`originals/ab/<sha256>.<ext>` and `thumbnails/ab/<sha256>-<side>.jpg`. A file's name is its
content's SHA-256, so the same picture on two orders is one file and a file never changes.

Nothing is stored half: an upload's bytes are first written to a hidden temp file beside their
final name and flushed to disk (`stage`); the row is committed; only then is the temp file
renamed to its final name (`settle`, atomic). A failure before the commit removes the temp file;
a crash between the commit and the rename leaves a complete temp file that `original` promotes
(after checking its hash) the first time the photo is read. A row never points at half a file,
and a file is never removed while a row may point at it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.photos import BANDS, Seen, hash_bands
from core.storage.db import data_dir
from core.storage.tables import Base, OrderEventRecord, OrderRecord
from core.storage.types import BigId, UTCDateTime

log = logging.getLogger(__name__)


class PhotoRecord(Base):
    """One photo on an order: the file's hashes and size, what its EXIF said, the judgement."""

    __tablename__ = "photos"
    __table_args__ = (UniqueConstraint("order_id", "sha256"),
                      Index("ix_photos_sha256", "sha256"),
                      *(Index(f"ix_photos_phash_{n}", f"phash_{n}") for n in range(BANDS)))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    phash: Mapped[str | None] = mapped_column(String(16), nullable=True)  # 64 bits, hex
    # The perceptual hash in 16-bit bands (core.fieldwork.photos.hash_bands), each indexed.
    phash_0: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phash_1: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phash_2: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phash_3: Mapped[int | None] = mapped_column(Integer, nullable=True)
    media_type: Mapped[str] = mapped_column(String(16))
    bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)  # upright, as shown
    height: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    time_source: Mapped[str] = mapped_column(String(16))  # exif_offset | assumed_zone | none
    wgs_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    wgs_lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    gcj_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    gcj_lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    tolerance_m: Mapped[int] = mapped_column(Integer)
    point: Mapped[str] = mapped_column(String(16))  # address | centre | none
    time_check: Mapped[str] = mapped_column(String(16))  # inside | outside | missing
    place_check: Mapped[str] = mapped_column(String(24))
    judged: Mapped[str] = mapped_column(String(80))  # ok, or its flags' kinds joined by '+'
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{kind, detail}]
    text: Mapped[str] = mapped_column(Text)  # the judgement in words, Chinese first
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(64))


def add_photo(session: Session, row: PhotoRecord) -> PhotoRecord:
    """Store one photo (in the caller's transaction) and give it its id."""
    session.add(row)
    session.flush()
    return row


def photos_of(session: Session, order_id: int) -> list[PhotoRecord]:
    """An order's photos, oldest first."""
    return list(session.scalars(select(PhotoRecord).where(PhotoRecord.order_id == order_id)
                                .order_by(PhotoRecord.id)))


def count_of(session: Session, order_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(PhotoRecord)
                              .where(PhotoRecord.order_id == order_id)) or 0)


def photo_by_hash(session: Session, order_id: int, sha256: str) -> PhotoRecord | None:
    """The photo with these bytes on this order (a retried upload), if any."""
    return session.scalar(select(PhotoRecord).where(PhotoRecord.order_id == order_id,
                                                    PhotoRecord.sha256 == sha256))


def photo(session: Session, photo_id: int) -> PhotoRecord | None:
    return session.get(PhotoRecord, photo_id)


def seen_like(session: Session, order_id: int, sha256: str, phash: int | None,
              limit: int = 200) -> list[Seen]:
    """Photos on other orders that may be this picture: the same bytes, or a perceptual hash
    sharing a band with this one (every hash within BANDS - 1 bits does; the rule decides)."""
    alike = [PhotoRecord.sha256 == sha256]
    if phash is not None:
        columns = (PhotoRecord.phash_0, PhotoRecord.phash_1, PhotoRecord.phash_2,
                   PhotoRecord.phash_3)
        alike += [column == band for column, band in zip(columns, hash_bands(phash),
                                                         strict=True)]
    rows = session.execute(
        select(PhotoRecord.order_id, PhotoRecord.id, PhotoRecord.sha256, PhotoRecord.phash)
        .where(or_(*alike), PhotoRecord.order_id != order_id)
        .order_by(PhotoRecord.id).limit(limit))
    return [Seen(o, i, s, int(p, 16) if p else None) for o, i, s, p in rows.all()]


def lock_order(session: Session, order_id: int) -> None:
    """Hold the order's row until commit: uploads to one order are counted one at a time."""
    session.execute(select(OrderRecord.id).where(OrderRecord.id == order_id).with_for_update())


def visit_times(session: Session, order_id: int) -> tuple[datetime | None, datetime | None]:
    """The order's latest check-in and the latest completion after it (None: none yet)."""
    rows = session.execute(
        select(OrderEventRecord.kind, func.max(OrderEventRecord.at))
        .where(OrderEventRecord.order_id == order_id,
               OrderEventRecord.kind.in_(("check_in", "complete")))
        .group_by(OrderEventRecord.kind)).all()
    latest = {kind: at for kind, at in rows}
    checked_in, completed = latest.get("check_in"), latest.get("complete")
    if checked_in is not None and completed is not None and completed < checked_in:
        completed = None
    return checked_in, completed


# -- the files ----------------------------------------------------------------------------------

class PhotoFiles:
    """The photo files under one folder (by default `<data dir>/photos`)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def default(cls) -> PhotoFiles:
        return cls(data_dir() / "photos")

    def original(self, sha256: str, extension: str) -> Path:
        return self.root / "originals" / sha256[:2] / f"{sha256}.{extension}"

    def thumbnail(self, sha256: str, side: int) -> Path:
        return self.root / "thumbnails" / sha256[:2] / f"{sha256}-{side}.jpg"

    def stage(self, sha256: str, extension: str, data: bytes) -> Path:
        """Write the bytes to a hidden temp file beside their final name, flushed to disk."""
        final = self.original(sha256, extension)
        return _write_temp(final, data)

    def settle(self, staged: Path, sha256: str, extension: str) -> Path:
        """Give a staged file its final name (after the row committed): an atomic rename."""
        final = self.original(sha256, extension)
        os.replace(staged, final)
        return final

    def discard(self, staged: Path) -> None:
        staged.unlink(missing_ok=True)

    def read_original(self, sha256: str, extension: str) -> Path | None:
        """The original's path; a complete temp file left by a crash after its row committed is
        promoted first (its hash checked). None: no such file."""
        final = self.original(sha256, extension)
        if final.is_file():
            return final
        for staged in sorted(final.parent.glob(f".{final.name}.*.part")):
            if hashlib.sha256(staged.read_bytes()).hexdigest() == sha256:
                os.replace(staged, final)
                log.warning("promoted the staged file of photo %s (its rename was lost)",
                            sha256[:12])
                return final
        return None

    def put_thumbnail(self, sha256: str, side: int, data: bytes) -> Path:
        """Cache a thumbnail (written whole, then renamed: a reader never sees half of one)."""
        final = self.thumbnail(sha256, side)
        os.replace(_write_temp(final, data), final)
        return final


def _write_temp(final: Path, data: bytes) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(f".{final.name}.{secrets.token_hex(6)}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return temp
