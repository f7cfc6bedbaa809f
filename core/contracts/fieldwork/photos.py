"""Completion photos on the wire: what an upload answers and how an order's photos are listed
(core.fieldwork.photos has the rules). The upload itself is the image's bytes, not JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class LatLngOut(BaseModel):
    lat: float
    lng: float


class PhotoFlagOut(BaseModel):
    kind: str
    text: str
    detail: dict[str, Any]


class PhotoOut(BaseModel):
    """One photo: its file (type, bytes, upright size, SHA-256), when and where it was taken
    by its EXIF (`taken_at` in UTC; `time_source` exif_offset, assumed_zone when the camera gave
    no offset and China's time was assumed, or none), the place as sent (WGS-84) and converted
    (GCJ-02), its distance to the address and the tolerance, the checks (time: inside, outside,
    missing; place: inside, outside, missing, inaccurate, no_address_point), `judged` (ok, or
    its flags' kinds joined by '+'), the flags, the judgement in words, who uploaded it and
    when, and where its thumbnail and original are."""

    id: int
    order_id: int
    technician_id: int | None
    media_type: str
    bytes: int
    width: int
    height: int
    sha256: str
    taken_at: datetime | None
    time_source: str
    position: LatLngOut | None
    gcj02: LatLngOut | None
    accuracy_m: float | None
    distance_m: float | None
    tolerance_m: int
    point: str
    time_check: str
    place_check: str
    judged: str
    flags: list[PhotoFlagOut]
    text: str
    uploaded_at: datetime
    uploaded_by: str
    thumbnail_url: str
    url: str


class UploadOut(BaseModel):
    """The photo as stored; `created` false: these bytes were already on the order (a retry
    answered with the photo it made then)."""

    created: bool
    photo: PhotoOut


class OrderPhotosOut(BaseModel):
    """An order's photos, oldest first: how many it needs (4 per unit by default), how many it
    has, and how many carry no flag."""

    order_id: int
    required: int
    count: int
    clean: int
    photos: list[PhotoOut]
