"""Completion photos: the order's technician uploads them during or right after the visit; each
is checked to be the image it claims to be (core.services.fieldwork.images), judged as evidence
(core.fieldwork.photos: taken during the visit, at the address, not seen on another order),
stored with its flags in ONE transaction, and its file kept by content (core.storage.fieldwork
.photos: staged, committed, then renamed). Flags never block: a photo is refused only for what
it is (too large, not an image, a forged type), never for what it shows.

The same bytes sent again to the same order are the same photo (a phone retrying after a lost
answer): no second row, no second flag.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, Refused
from core.fieldwork.flags import Flag
from core.fieldwork.photos import (
    MAX_PHOTO_BYTES,
    PhotoJudgement,
    PhotoRules,
    Visit,
    hash_bands,
    hash_hex,
    judge_photo,
    perceptual_hash,
    required_photos,
    reuses,
)
from core.fieldwork.position import tolerance_for
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork import images
from core.services.fieldwork.images import THUMB_SIDE, Inspected, PhotoTooLarge
from core.services.orders import load_visible
from core.storage.fieldwork import checkins
from core.storage.fieldwork import photos as stored
from core.storage.fieldwork.flags import add_flags
from core.storage.fieldwork.photos import PhotoFiles, PhotoRecord
from core.storage.fieldwork.verification import ClientRequirements
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
RULES = PhotoRules()
# Photos are taken at the visit: after the check-in, until the desk has verified the order.
UPLOAD_STATES = frozenset({OrderState.CHECKED_IN, OrderState.SERVED})
MIN_LIMIT = 24  # an order takes at most max(3 x required, this) photos


def photo_limit(required: int) -> int:
    return max(3 * required, MIN_LIMIT)


@dataclass(frozen=True)
class UploadPhoto:
    """The photo's bytes as sent and the type the request declared (its Content-Type)."""

    order_id: int
    actor: Actor
    media_type: str | None
    data: bytes


@dataclass(frozen=True)
class Uploaded:
    photo: PhotoRecord
    created: bool  # False: these bytes were already on the order (a retry): nothing new
    judgement: PhotoJudgement | None = None


@dataclass(frozen=True)
class ListPhotos:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class OrderPhotos:
    """An order's photos, oldest first, and how many it needs."""

    order_id: int
    required: int
    photos: list[PhotoRecord]


@dataclass(frozen=True)
class ReadPhoto:
    """One photo's original, or its thumbnail."""

    photo_id: int
    actor: Actor
    thumbnail: bool = False


@dataclass(frozen=True)
class PhotoFile:
    path: Path
    media_type: str
    sha256: str


def units_of(order: ServiceOrder) -> int:
    return sum(max(0, item.quantity) for item in order.items)


def _check_uploader(actor: Actor) -> None:
    if actor.role is not Role.TECHNICIAN:
        raise Refused("完工照片只能由工单的师傅上传 (completion photos are uploaded by the "
                      "order's technician)")


def _check_state(order: ServiceOrder) -> None:
    if order.state not in UPLOAD_STATES:
        raise Conflict(f"工单 {order.id} 当前为 {order.state.value}，签到后、审核前才能上传照片 "
                       f"(order {order.id} is {order.state.value}: photos are taken between "
                       f"check-in and verification)")


def handle_upload(cmd: UploadPhoto, uow: UnitOfWork, files: PhotoFiles | None = None
                  ) -> Uploaded:
    """Check, judge and store one photo; its flags in the same commit.

    PhotoTooLarge 413, UnsupportedMediaType 415 (a type we do not take, or content of another
    type), NotAnImage 422 (not an image, corrupt, a decompression bomb), Refused 403 (not the
    technician, or not his order), NotFound 404, Conflict 409 (not between check-in and
    verification, or the order already holds its limit)."""
    if len(cmd.data) > MAX_PHOTO_BYTES:
        raise PhotoTooLarge(f"照片超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB (the photo is "
                            f"larger than {MAX_PHOTO_BYTES} bytes)")
    _check_uploader(cmd.actor)
    sha256 = hashlib.sha256(cmd.data).hexdigest()
    # Refusals that need no decoding first, without the write lock; a retry answered at once.
    with uow.reads() as session:
        _check_state(load_visible(OrderRepository(session), cmd.order_id, cmd.actor))
        again = stored.photo_by_hash(session, cmd.order_id, sha256)
    if again is not None:
        return Uploaded(again, created=False)
    inspected = images.inspect(cmd.data, cmd.media_type)  # 413 / 415 / 422, the slow part
    extension = images.EXTENSIONS[inspected.media_type]
    files = files or PhotoFiles.default()
    staged = files.stage(sha256, extension, cmd.data)
    try:
        done = _store(cmd, uow, sha256, inspected)
    except BaseException:
        files.discard(staged)
        raise
    if not done.created:
        files.discard(staged)
        return done
    files.settle(staged, sha256, extension)
    try:
        files.put_thumbnail(sha256, THUMB_SIDE, inspected.thumbnail)
    except OSError:  # only a cache: made again when first read
        log.warning("could not cache the thumbnail of photo %s", done.photo.id, exc_info=True)
    return done


def _store(cmd: UploadPhoto, uow: UnitOfWork, sha256: str, inspected: Inspected) -> Uploaded:
    now = uow.clock.now()
    phash = perceptual_hash(inspected.grey, RULES.min_detail)
    with uow:
        stored.lock_order(uow.session, cmd.order_id)
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        _check_state(order)
        assert order.id is not None
        again = stored.photo_by_hash(uow.session, order.id, sha256)
        if again is not None:
            return Uploaded(again, created=False)
        required = _required(uow.session, order)
        if stored.count_of(uow.session, order.id) >= photo_limit(required):
            raise Conflict(f"工单 {order.id} 的照片已达上限 {photo_limit(required)} 张 (order "
                           f"{order.id} already holds its {photo_limit(required)} photos)")
        checked_in, completed = stored.visit_times(uow.session, order.id)
        visit = Visit(checked_in or order.state_changed_at or now, completed, now)
        tolerance = tolerance_for(order.county_adcode,
                                  checkins.tolerance_settings(uow.session, order.county_adcode))
        seen = reuses(order.id, sha256, phash,
                      stored.seen_like(uow.session, order.id, sha256, phash), RULES)
        judged = judge_photo(inspected.capture, visit, order.lat, order.lng, tolerance, seen,
                             RULES)
        row = stored.add_photo(uow.session, _row(order, cmd, sha256, phash, inspected, judged,
                                                 now))
        flags = [Flag(f.kind, {"photo_id": row.id, **f.detail}) for f in judged.flags]
        row.flags = [{"kind": f.kind.value, "detail": f.detail} for f in flags]
        add_flags(uow.session, order.id, order.technician_id, flags, now, cmd.actor.name)
        uow.commit()
    return Uploaded(row, created=True, judgement=judged)


def _required(session: Session, order: ServiceOrder) -> int:
    """The photos the order's client asks for its kind of product: what the verification
    assesses, so the technician's list and the reviewer's assessment never disagree."""
    requirement = ClientRequirements(session).requirement(order.platform, order.service_type)
    return required_photos(units_of(order), requirement.photos_per_unit)


def _row(order: ServiceOrder, cmd: UploadPhoto, sha256: str, phash: int | None,
         inspected: Inspected, judged: PhotoJudgement, now: datetime) -> PhotoRecord:
    bands: tuple[int | None, ...] = hash_bands(phash) if phash is not None else (None,) * 4
    gps = inspected.capture.gps
    return PhotoRecord(
        order_id=order.id, technician_id=order.technician_id, sha256=sha256,
        phash=hash_hex(phash) if phash is not None else None, phash_0=bands[0],
        phash_1=bands[1], phash_2=bands[2], phash_3=bands[3],
        media_type=inspected.media_type, bytes=len(cmd.data), width=inspected.width,
        height=inspected.height, taken_at=inspected.capture.taken_at,
        time_source=inspected.capture.time_source.value,
        wgs_lat=gps.lat if gps else None, wgs_lng=gps.lng if gps else None,
        gcj_lat=judged.gcj.lat if judged.gcj else None,
        gcj_lng=judged.gcj.lng if judged.gcj else None,
        accuracy_m=gps.accuracy_m if gps else None, distance_m=judged.distance_m,
        tolerance_m=judged.tolerance.metres, point=judged.point.value,
        time_check=judged.time.value, place_check=judged.place.value, judged=judged.outcome,
        flags=[], text=judged.text(), uploaded_at=now, uploaded_by=cmd.actor.name)


def handle_list_photos(cmd: ListPhotos, uow: UnitOfWork) -> OrderPhotos:
    """An order's photos with their judgements (NotFound 404; Refused 403: not his order)."""
    with uow.reads() as session:
        order = load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        return OrderPhotos(cmd.order_id, _required(session, order),
                           stored.photos_of(session, cmd.order_id))


def handle_read_photo(cmd: ReadPhoto, uow: UnitOfWork, files: PhotoFiles | None = None
                      ) -> PhotoFile:
    """A photo's original or thumbnail on disk (the thumbnail made once, when missing).

    NotFound 404 (no such photo, or its file is gone), Refused 403 (not his order)."""
    with uow.reads() as session:
        row = stored.photo(session, cmd.photo_id)
        if row is None:
            raise NotFound(f"没有照片 {cmd.photo_id} (there is no photo {cmd.photo_id})")
        load_visible(OrderRepository(session), row.order_id, cmd.actor)
        sha256, media_type = row.sha256, row.media_type
    files = files or PhotoFiles.default()
    if cmd.thumbnail:
        cached = files.thumbnail(sha256, THUMB_SIDE)
        if cached.is_file():
            return PhotoFile(cached, "image/jpeg", sha256)
    original = files.read_original(sha256, images.EXTENSIONS[media_type])
    if original is None:
        log.error("photo %s has no file %s", cmd.photo_id, sha256[:12])
        raise NotFound(f"照片 {cmd.photo_id} 的文件缺失 (the file of photo {cmd.photo_id} is "
                       f"missing)")
    if not cmd.thumbnail:
        return PhotoFile(original, media_type, sha256)
    made = files.put_thumbnail(sha256, THUMB_SIDE,
                               images.thumbnail_of(original.read_bytes(), media_type))
    return PhotoFile(made, "image/jpeg", sha256)
