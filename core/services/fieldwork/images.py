"""An uploaded photo read with Pillow: is it really an image of the declared type, how large,
what its EXIF says (capture time and GPS), its grey cells for the perceptual hash, and its
thumbnail (upright: the EXIF orientation applied).

The bytes are checked in this order, each refusal saying why: the declared type must be JPEG,
PNG or WebP (415); the content's signature must be that type (415 naming what it is); Pillow,
given only that format's decoder, must read its header (422); the pixels must be at most
MAX_PIXELS (422, a decompression bomb: a few kB of PNG that would decode to gigabytes); then the
whole image is decoded (422 when truncated or corrupt). A JPEG is decoded at a reduced scale
(libjpeg reads the whole stream but builds only a small picture), so a 50 MP photo costs little
memory; at most DECODERS images are decoded at once.

EXIF is read defensively: a malformed block is no EXIF (the photo is flagged, not refused).
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from core.errors import Invalid, LastmileError
from core.fieldwork.photos import (
    MAX_PHOTO_BYTES,
    MAX_PIXELS,
    Capture,
    capture_time,
    gps_degrees,
    gps_fix,
)

log = logging.getLogger(__name__)

# Declared type -> Pillow's format, and the file extension it is stored under.
MEDIA_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
THUMB_SIDE = 400  # the longer side of a thumbnail, in pixels
THUMB_QUALITY = 80
DECODERS = threading.BoundedSemaphore(2)  # images decoded at once (memory, and 2 cores)

# What a body that is not the declared type turns out to be, by its first bytes.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "JPEG"), (0, b"\x89PNG\r\n\x1a\n", "PNG"), (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"), (0, b"BM", "BMP"), (0, b"II*\x00", "TIFF"), (0, b"MM\x00*", "TIFF"),
    (0, b"%PDF", "PDF"), (0, b"PK\x03\x04", "ZIP"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


class UnsupportedMediaType(LastmileError):
    """The declared type is not one we take, or the content is another type (415)."""

    status = 415


class PhotoTooLarge(LastmileError):
    status = 413


class NotAnImage(Invalid):
    """The content cannot be read as the image it says it is (422)."""


@dataclass(frozen=True)
class Inspected:
    """What the bytes are: the declared type they proved to be, the upright size, what the EXIF
    says, the 9 x 8 grey cells of the upright picture and its JPEG thumbnail."""

    media_type: str
    width: int
    height: int
    capture: Capture
    grey: tuple[int, ...]
    thumbnail: bytes


def media_type_of(declared: str | None) -> str:
    """The declared Content-Type without parameters; 415 when it is not one we take."""
    media_type = (declared or "").split(";", 1)[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        shown = media_type[:40] or "none"
        raise UnsupportedMediaType(f"不支持的类型 {shown}，只接受 JPEG、PNG 或 WebP 图片 (type "
                                   f"{shown} is not accepted: only JPEG, PNG or WebP images)")
    return media_type


def sniff(data: bytes) -> str | None:
    """The format the first bytes name (JPEG, PNG, WEBP, GIF, HEIF, ...), or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    for offset, magic, name in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic:
            return name
    return None


def _check_type(data: bytes, media_type: str) -> str:
    fmt = MEDIA_TYPES[media_type]
    found = sniff(data)
    if found == fmt:
        return fmt
    if found is None:
        raise NotAnImage(f"内容不是 {fmt} 图片 (the content is not a {fmt} image)",
                         loc=("body",))
    raise UnsupportedMediaType(f"声明为 {media_type}，内容却是 {found} (declared {media_type}, "
                               f"but the content is {found})")


def inspect(data: bytes, declared: str | None) -> Inspected:
    """Read the bytes as the declared image type: refuses with the reason (413, 415, 422)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoTooLarge(f"照片超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB (the photo is larger "
                            f"than {MAX_PHOTO_BYTES} bytes)")
    media_type = media_type_of(declared)
    fmt = _check_type(data, media_type)
    with DECODERS:
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                size = image.size  # a JPEG's shrinks with its draft below
                _check_pixels(*size)
                exif = _exif(image)
                if fmt == "JPEG":  # decode at 1/2, 1/4 or 1/8: still at least the thumbnail
                    image.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image)
        except Image.DecompressionBombError as exc:
            raise _too_many_pixels() from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise NotAnImage(f"无法读取 {fmt} 图片：文件损坏或不完整 (the {fmt} image cannot be "
                             f"read: {type(exc).__name__})", loc=("body",)) from exc
    width, height = _upright_size(size, exif.get("orientation"))
    thumb = _thumbnail(upright)
    return Inspected(media_type, width, height, exif["capture"], _grey_cells(thumb),
                     _jpeg(thumb))


def thumbnail_of(data: bytes, media_type: str) -> bytes:
    """The thumbnail of a stored original (when its cached one is gone)."""
    return inspect(data, media_type).thumbnail


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width, height)


def _too_many_pixels(width: int | None = None, height: int | None = None) -> NotAnImage:
    size = f"{width} x {height}，" if width and height else ""
    en = f"{width} x {height} is " if width and height else ""
    return NotAnImage(f"图片像素过多（{size}超过 {MAX_PIXELS // 1_000_000} MP），疑似解压炸弹 "
                      f"(the image is too large: {en}more than {MAX_PIXELS} pixels, refused as "
                      f"a decompression bomb)", loc=("body",))


def _upright_size(size: tuple[int, int], orientation: Any) -> tuple[int, int]:
    width, height = size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _exif(image: Image.Image) -> dict[str, Any]:
    """The capture time and GPS position, and the orientation; nothing for a broken block."""
    try:
        exif = image.getexif()
        photo = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        taken, source = capture_time(_text(photo.get(ExifTags.Base.DateTimeOriginal)),
                                     _text(photo.get(ExifTags.Base.OffsetTimeOriginal)))
        fix = gps_fix(gps_degrees(_numbers(gps.get(ExifTags.GPS.GPSLatitude)),
                                  _text(gps.get(ExifTags.GPS.GPSLatitudeRef))),
                      gps_degrees(_numbers(gps.get(ExifTags.GPS.GPSLongitude)),
                                  _text(gps.get(ExifTags.GPS.GPSLongitudeRef))),
                      _number(gps.get(ExifTags.GPS.GPSHPositioningError)))
        orientation = exif.get(ExifTags.Base.Orientation)
    except Exception as exc:  # any malformed EXIF: the photo has none (flagged, not refused)
        log.info("unreadable EXIF (%s): taken as none", type(exc).__name__)
        taken, source, fix, orientation = None, capture_time(None, None)[1], None, None
    return {"capture": Capture(taken, source, fix), "orientation": orientation}


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value if isinstance(value, str) else None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _numbers(value: Any) -> tuple[float, ...] | None:
    if not isinstance(value, tuple | list):
        return None
    parts = tuple(_number(v) for v in value)
    return None if any(p is None for p in parts) else tuple(p for p in parts if p is not None)


def _thumbnail(upright: Image.Image) -> Image.Image:
    """RGB (transparency over white), at most THUMB_SIDE on its longer side."""
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P"
                                                 and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        rgb = Image.new("RGB", rgba.size, "white")
        rgb.paste(rgba, mask=rgba.getchannel("A"))
    elif upright.mode.startswith("I"):  # 16- or 32-bit grey (some PNGs): scale to 8 bits
        rgb = upright.point(lambda v: v / 256).convert("L").convert("RGB")
    else:
        rgb = upright.convert("RGB")
    rgb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return rgb


def _grey_cells(thumb: Image.Image) -> tuple[int, ...]:
    """The upright picture as 9 x 8 grey cells (averaged), row by row."""
    return tuple(thumb.convert("L").resize((9, 8), Image.Resampling.BOX).tobytes())


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()
