"""Completion photo routes: the order's technician uploads a photo (the image's bytes as the
body, its type as the Content-Type), the desk and the technician list an order's photos with
their judgements and read each photo and its thumbnail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from core.contracts.fieldwork.photos import (
    LatLngOut,
    OrderPhotosOut,
    PhotoFlagOut,
    PhotoOut,
    UploadOut,
)
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.photos import MAX_PHOTO_BYTES
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES, TITLES
from core.services.fieldwork.images import MEDIA_TYPES, PhotoTooLarge, media_type_of
from core.services.fieldwork.photos import (
    ListPhotos,
    PhotoFile,
    ReadPhoto,
    UploadPhoto,
    handle_list_photos,
    handle_read_photo,
    handle_upload,
)
from core.storage.fieldwork.photos import PhotoRecord

router = APIRouter(prefix="/v1", tags=["photos"])
Uploader = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN))]
# Who sees photos of a customer's home and where they were taken: the desk roles that see the
# full address, and the order's technician (his own orders only: the handler checks).
PhotoViewer = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN,
                                                    Role.TECHNICIAN))]
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    200: {"model": UploadOut, "description": "these bytes were already on the order"},
    **{code: PROBLEM_RESPONSES[422] | {"description": TITLES[code]}
       for code in (409, 413, 415)},
}
IMAGE = {"schema": {"type": "string", "format": "binary"}}
UPLOAD_BODY = {"requestBody": {"required": True, "description": (
    f"the image's bytes (at most {MAX_PHOTO_BYTES} bytes), its type as the Content-Type"),
    "content": {media_type: IMAGE for media_type in MEDIA_TYPES}}}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    200: {"content": {media_type: IMAGE for media_type in MEDIA_TYPES},
          "description": "the image"},
}
# A photo never changes (its name is its content's hash); it shows a customer's home.
FILE_HEADERS = {"Cache-Control": "private, max-age=86400, immutable",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox"}


def photo_out(row: PhotoRecord) -> PhotoOut:
    position = (LatLngOut(lat=row.wgs_lat, lng=row.wgs_lng)
                if row.wgs_lat is not None and row.wgs_lng is not None else None)
    gcj = (LatLngOut(lat=row.gcj_lat, lng=row.gcj_lng)
           if row.gcj_lat is not None and row.gcj_lng is not None else None)
    flags = [PhotoFlagOut(kind=f["kind"], text=Flag(FlagKind(f["kind"])).text(),
                          detail=dict(f.get("detail") or {})) for f in row.flags or []]
    return PhotoOut(
        id=row.id, order_id=row.order_id, technician_id=row.technician_id,
        media_type=row.media_type, bytes=row.bytes, width=row.width, height=row.height,
        sha256=row.sha256, taken_at=row.taken_at, time_source=row.time_source,
        position=position, gcj02=gcj, accuracy_m=row.accuracy_m, distance_m=row.distance_m,
        tolerance_m=row.tolerance_m, point=row.point, time_check=row.time_check,
        place_check=row.place_check, judged=row.judged, flags=flags, text=row.text,
        uploaded_at=row.uploaded_at, uploaded_by=row.uploaded_by,
        thumbnail_url=f"/v1/photos/{row.id}/thumbnail", url=f"/v1/photos/{row.id}")


async def _body(request: Request) -> bytes:
    """The body, refused (413) as soon as it passes MAX_PHOTO_BYTES (core.server.limits has
    already refused a larger Content-Length before anything was read)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_PHOTO_BYTES:
            raise PhotoTooLarge(f"照片超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB (the photo is "
                                f"larger than {MAX_PHOTO_BYTES} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/orders/{order_id}/photos", status_code=201, response_model=UploadOut,
             responses=UPLOAD_RESPONSES, openapi_extra=UPLOAD_BODY)
async def upload_photo(order_id: RowId, request: Request, response: Response, user: Uploader,
                       uow: Uow) -> UploadOut:
    """Upload one completion photo: the image's bytes (JPEG, PNG or WebP, at most 8 MB) with
    its type as the Content-Type. Judged by its EXIF (time within the visit, place within the
    check-in tolerance of the address, not seen on another order) and flagged, never refused
    for what it shows; refused for what it is (413 too large, 415 another type, 422 not an
    image or a decompression bomb). The same bytes again answer 200 with the photo already
    stored."""
    declared = request.headers.get("content-type")
    media_type_of(declared)  # 415 before the body is read
    data = await _body(request)
    done = await run_in_threadpool(
        handle_upload, UploadPhoto(order_id, user.actor, declared, data), uow)
    if not done.created:
        response.status_code = 200
    return UploadOut(created=done.created, photo=photo_out(done.photo))


@router.get("/orders/{order_id}/photos", response_model=OrderPhotosOut,
            responses=PROBLEM_RESPONSES)
def list_photos(order_id: RowId, user: PhotoViewer, uow: Uow) -> OrderPhotosOut:
    """An order's photos, oldest first, each with its capture time and place, distance,
    judgement and flags; how many the order needs (4 per unit by default)."""
    found = handle_list_photos(ListPhotos(order_id, user.actor), uow)
    return OrderPhotosOut(order_id=order_id, required=found.required, count=len(found.photos),
                          clean=sum(1 for p in found.photos if p.judged == "ok"),
                          photos=[photo_out(p) for p in found.photos])


def _file(found: PhotoFile, name: str) -> FileResponse:
    return FileResponse(found.path, media_type=found.media_type, filename=name,
                        content_disposition_type="inline",
                        headers={**FILE_HEADERS, "ETag": f'"{found.sha256}"'})


@router.get("/photos/{photo_id}", response_class=FileResponse, responses=FILE_RESPONSES)
def read_photo(photo_id: RowId, user: PhotoViewer, uow: Uow) -> FileResponse:
    """The photo as uploaded (its EXIF kept: the evidence)."""
    found = handle_read_photo(ReadPhoto(photo_id, user.actor), uow)
    return _file(found, f"photo-{photo_id}.{found.path.suffix.lstrip('.')}")


@router.get("/photos/{photo_id}/thumbnail", response_class=FileResponse,
            responses=FILE_RESPONSES)
def read_thumbnail(photo_id: RowId, user: PhotoViewer, uow: Uow) -> FileResponse:
    """The photo upright (its EXIF orientation applied), at most 400 pixels on its longer
    side, as JPEG: made once and kept."""
    found = handle_read_photo(ReadPhoto(photo_id, user.actor, thumbnail=True), uow)
    return _file(found, f"photo-{photo_id}-thumbnail.jpg")
