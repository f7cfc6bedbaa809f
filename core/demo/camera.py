"""The demo technicians' camera: small JPEG pictures with the EXIF a phone writes.

A picture is a 320 x 240 scene drawn from its own random stream (a few kB): a mosaic of 9 x 8
muted tiles, neighbours kept apart in brightness, with a few strokes over it. The server tells
pictures apart by a difference hash of the upright picture shrunk to 9 x 8 grey cells
(core.fieldwork.photos); tiles on that grid make every picture's hash its own, and keep a
picture's hash when it is saved again (recompressed, cropped a little, its EXIF stripped or
rewritten), which is what a recycled photo is.

The EXIF is what a phone's camera app writes: the capture time (local China time, with or
without its offset), the maker and model, and the GPS position (WGS-84 degrees, minutes and
seconds, with the fix's error radius) unless location is off. A screenshot, or a picture taken
from a chat or the web, has none.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw, ImageFilter
from PIL.ExifTags import GPS, IFD, Base

from core.demo.clock import SHANGHAI

SIZE = (320, 240)
COLUMNS, ROWS = 9, 8  # the server's hash grid (core.fieldwork.photos.perceptual_hash)
QUALITY = (50, 70)  # a phone app's upload compression
MIN_STEP = 28  # grey levels between neighbouring tiles: no hash bit rests on a near tie
DEVICES = (("Xiaomi", "Redmi Note 12"), ("HUAWEI", "nova 11"), ("OPPO", "A58"),
           ("vivo", "Y36"), ("HONOR", "X50"))


@dataclass(frozen=True)
class Place:
    """Where the phone says it was: WGS-84 degrees and the fix's error radius (metres)."""

    lat: float
    lng: float
    accuracy_m: float


def scene(rng: random.Random) -> Image.Image:
    """A picture of its own: 9 x 8 tinted tiles whose brightness steps at least MIN_STEP
    between neighbours in a row, blended into each other, with a few strokes over it."""
    tiles: list[tuple[int, int, int]] = []
    for _ in range(ROWS):
        level = rng.randint(40, 215)
        for col in range(COLUMNS):
            if col:
                level = _step(rng, level)
            r, g, b = (max(0, min(255, level + rng.randint(-25, 25))) for _ in range(3))
            tiles.append((r, g, b))
    grid = Image.new("RGB", (COLUMNS, ROWS))
    grid.putdata(tiles)
    image = grid.resize(SIZE, Image.Resampling.NEAREST).filter(ImageFilter.BoxBlur(5))
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for _ in range(rng.randint(2, 5)):  # cables, edges of a cabinet, a shadow
        points = [(rng.randrange(width), rng.randrange(height)) for _ in range(2)]
        shade = rng.randint(0, 255)
        draw.line(points, fill=(shade, shade, shade), width=rng.randint(1, 3))
    return image


def _step(rng: random.Random, level: int) -> int:
    """The next tile's brightness: at least MIN_STEP brighter or darker, within 20..235."""
    up = list(range(level + MIN_STEP, 236))
    down = list(range(20, level - MIN_STEP + 1))
    return rng.choice(up if up and (not down or rng.random() < 0.5) else down)


def exif_bytes(taken_at: datetime | None, place: Place | None, device: tuple[str, str],
               with_offset: bool = True) -> bytes:
    """The EXIF block a camera app writes; b"" for none (no time and no place)."""
    if taken_at is None and place is None:
        return b""
    exif = Image.Exif()
    exif[Base.Make], exif[Base.Model] = device
    if taken_at is not None:
        local = taken_at.astimezone(SHANGHAI)
        stamp = local.strftime("%Y:%m:%d %H:%M:%S")
        exif[Base.DateTime] = stamp
        photo = exif.get_ifd(IFD.Exif)
        photo[Base.DateTimeOriginal] = stamp
        if with_offset:
            photo[Base.OffsetTimeOriginal] = local.strftime("%z")[:3] + ":" + \
                local.strftime("%z")[3:]
    if place is not None:
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSVersionID] = b"\x02\x02\x00\x00"
        gps[GPS.GPSLatitudeRef] = "N" if place.lat >= 0 else "S"
        gps[GPS.GPSLatitude] = _dms(place.lat)
        gps[GPS.GPSLongitudeRef] = "E" if place.lng >= 0 else "W"
        gps[GPS.GPSLongitude] = _dms(place.lng)
        gps[GPS.GPSHPositioningError] = round(place.accuracy_m, 1)
    return exif.tobytes()


def _dms(degrees: float) -> tuple[float, float, float]:
    value = abs(degrees)
    whole = int(value)
    minutes = int((value - whole) * 60)
    seconds = round((value - whole - minutes / 60) * 3600, 4)
    if seconds >= 60:  # rounding up to the next minute
        minutes, seconds = minutes + 1, 0.0
    return float(whole), float(minutes), seconds


def jpeg(image: Image.Image, exif: bytes, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def photograph(rng: random.Random, taken_at: datetime | None, place: Place | None,
               device: tuple[str, str], with_offset: bool = True) -> bytes:
    """A new picture, as the phone uploads it."""
    return jpeg(scene(rng), exif_bytes(taken_at, place, device, with_offset),
                rng.randint(*QUALITY))


def resave(data: bytes, rng: random.Random, taken_at: datetime | None, place: Place | None,
           device: tuple[str, str]) -> bytes:
    """The same picture saved again, as a recycled photo is: cropped by up to 1.5% at each edge
    and scaled back, recompressed, its EXIF replaced (none when `taken_at` and `place` are)."""
    with Image.open(io.BytesIO(data)) as opened:
        picture = opened.convert("RGB")
    width, height = picture.size
    left, top = rng.randint(0, width // 64), rng.randint(0, height // 64)
    right, bottom = width - rng.randint(0, width // 64), height - rng.randint(0, height // 64)
    picture = picture.crop((left, top, right, bottom)).resize(SIZE, Image.Resampling.BICUBIC)
    return jpeg(picture, exif_bytes(taken_at, place, device), rng.randint(*QUALITY))
