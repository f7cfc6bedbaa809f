"""An uploaded photo read with Pillow (core.services.fieldwork.images), on images the tests make:
each accepted type with its EXIF, the refusals with their reasons (a type we do not take, a text
file or a PNG declared as JPEG, a truncated file, a decompression bomb, too many bytes), the
thumbnail upright and small, a broken EXIF taken as none, the perceptual hash of a picture saved
again."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from support.photo_files import china_time, encode, photo, picture

from core.fieldwork.photos import (
    MAX_PHOTO_BYTES,
    MAX_PIXELS,
    TimeSource,
    distance_bits,
    perceptual_hash,
)
from core.services.fieldwork.images import (
    THUMB_SIDE,
    NotAnImage,
    PhotoTooLarge,
    UnsupportedMediaType,
    inspect,
    sniff,
)

TAKEN = datetime(2026, 3, 3, 2, 20, 5, tzinfo=UTC)
WGS = (39.918716, 116.443924)


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")])
def test_each_accepted_type_is_read_with_its_exif(fmt: str, media_type: str) -> None:
    data = photo(3, taken=china_time(TAKEN), gps=WGS, accuracy_m=12.5, fmt=fmt)

    found = inspect(data, media_type)

    assert (found.media_type, found.width, found.height) == (media_type, 640, 480)
    assert found.capture.taken_at == TAKEN
    assert found.capture.time_source is TimeSource.EXIF_OFFSET
    assert found.capture.gps is not None
    assert (found.capture.gps.lat, found.capture.gps.lng) == pytest.approx(WGS, abs=1e-6)
    assert found.capture.gps.accuracy_m == 12.5
    assert len(found.grey) == 72


def test_a_time_without_an_offset_is_china_time() -> None:
    found = inspect(photo(taken=china_time(TAKEN), offset=False), "image/jpeg")
    assert (found.capture.taken_at, found.capture.time_source) == (
        TAKEN, TimeSource.ASSUMED_ZONE)
    assert found.capture.gps is None


def test_a_photo_without_exif_has_no_time_and_no_place() -> None:
    found = inspect(photo(), "image/jpeg")
    assert (found.capture.taken_at, found.capture.time_source, found.capture.gps) == (
        None, TimeSource.NONE, None)


def test_the_declared_type_may_carry_parameters_and_capitals() -> None:
    assert inspect(photo(), "Image/JPEG; charset=binary").media_type == "image/jpeg"


@pytest.mark.parametrize("declared", [None, "", "text/plain", "image/gif", "image/heic",
                                      "application/octet-stream", "multipart/form-data"])
def test_a_type_we_do_not_take_is_refused_415(declared: str | None) -> None:
    with pytest.raises(UnsupportedMediaType, match="只接受 JPEG、PNG 或 WebP") as refused:
        inspect(photo(), declared)
    assert refused.value.status == 415


def test_a_text_file_called_a_jpeg_is_not_an_image() -> None:
    with pytest.raises(NotAnImage, match=r"内容不是 JPEG 图片 \(the content is not a JPEG") as e:
        inspect("这不是照片 (not a photo)\n".encode(), "image/jpeg")
    assert e.value.status == 422


@pytest.mark.parametrize(("data", "declared", "actual"), [
    (photo(fmt="PNG"), "image/jpeg", "PNG"),
    (photo(fmt="JPEG"), "image/png", "JPEG"),
    (photo(fmt="WEBP"), "image/jpeg", "WEBP"),
    (encode(picture(), "GIF"), "image/jpeg", "GIF"),
    (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "image/jpeg", "HEIF"),
])
def test_content_of_another_type_than_declared_is_refused_415_naming_it(
        data: bytes, declared: str, actual: str) -> None:
    with pytest.raises(UnsupportedMediaType, match=f"内容却是 {actual}") as refused:
        inspect(data, declared)
    assert refused.value.status == 415
    assert sniff(data) == actual


def test_a_truncated_jpeg_is_refused_as_unreadable() -> None:
    data = photo(noise=True)
    with pytest.raises(NotAnImage, match="文件损坏或不完整"):
        inspect(data[: len(data) // 2], "image/jpeg")


def test_a_jpeg_signature_with_nothing_behind_it_is_refused() -> None:
    with pytest.raises(NotAnImage):
        inspect(b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg")


@pytest.mark.parametrize("side", [8_000, 20_000])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(side: int) -> None:
    """A few kB of PNG that would decode to 64 M or 400 M pixels (the second beyond Pillow's
    own guard too): refused from the header."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    assert len(out.getvalue()) < 64 * 1024 and side * side > MAX_PIXELS

    with pytest.raises(NotAnImage, match="解压炸弹"):
        inspect(out.getvalue(), "image/png")


def test_more_bytes_than_a_photo_has_are_refused_413() -> None:
    with pytest.raises(PhotoTooLarge) as refused:
        inspect(b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES, "image/jpeg")
    assert refused.value.status == 413


def test_a_rotated_photo_is_measured_and_thumbnailed_upright() -> None:
    """Stored landscape, left half red, right half blue, with orientation 6 (the camera was
    turned clockwise): shown portrait with red on top."""
    sideways = Image.new("RGB", (800, 400), "blue")
    sideways.paste((255, 0, 0), (0, 0, 400, 400))
    data = encode(sideways, "JPEG", _orientation(6), quality=95)

    found = inspect(data, "image/jpeg")

    assert (found.width, found.height) == (400, 800)
    thumb = Image.open(io.BytesIO(found.thumbnail))
    assert thumb.format == "JPEG" and thumb.size == (THUMB_SIDE // 2, THUMB_SIDE)
    top, bottom = thumb.getpixel((100, 50)), thumb.getpixel((100, 350))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60  # red
    assert bottom[2] > 200 and bottom[0] < 60  # blue


def _orientation(value: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = value
    return exif


def test_a_large_photo_gets_a_small_thumbnail() -> None:
    found = inspect(photo(size=(4000, 3000), noise=True), "image/jpeg")
    assert (found.width, found.height) == (4000, 3000)
    assert Image.open(io.BytesIO(found.thumbnail)).size == (THUMB_SIDE, 300)


def test_transparency_is_shown_over_white_and_16_bit_grey_is_read() -> None:
    clear = Image.new("RGBA", (100, 100), (255, 0, 0, 0))
    thumb = Image.open(io.BytesIO(inspect(encode(clear, "PNG"), "image/png").thumbnail))
    pixel = thumb.getpixel((50, 50))
    assert isinstance(pixel, tuple) and min(pixel) > 240

    deep = Image.new("I;16", (120, 90), 40_000)
    assert inspect(encode(deep, "PNG"), "image/png").width == 120


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
def test_a_broken_exif_block_is_no_exif_not_a_refusal() -> None:
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=b"Exif\x00\x00MM\x00*garbage")
    data = out.getvalue()
    found = inspect(data, "image/jpeg")
    assert found.capture.taken_at is None and found.capture.gps is None


def test_the_same_picture_saved_again_keeps_its_perceptual_hash() -> None:
    original = picture(7, (1600, 1200))
    first = perceptual_hash(inspect(encode(original, "JPEG", quality=95), "image/jpeg").grey)
    again = [encode(original, "JPEG", quality=40),  # recompressed
             encode(original.resize((800, 600)), "JPEG", quality=70),  # made smaller
             encode(original, "PNG"),  # converted
             encode(original.rotate(90, expand=True), "JPEG", _orientation(6))]  # turned
    other = perceptual_hash(inspect(encode(picture(8, (1600, 1200)), "JPEG"),
                                    "image/jpeg").grey)
    assert first is not None and other is not None

    for data in again:
        declared = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        found = perceptual_hash(inspect(data, declared).grey)
        assert found is not None and distance_bits(first, found) <= 2

    assert distance_bits(first, other) > 10
