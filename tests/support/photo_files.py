"""Photos made with Pillow for the photo tests: a picture per seed (coloured blocks, so each
seed's perceptual hash differs), with the EXIF a phone writes (capture time and offset, GPS,
orientation) written by Pillow's Exif API, or none."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta, timezone

from PIL import ExifTags, Image, ImageDraw

from core.fieldwork.position import wgs84_to_gcj02

M_PER_DEG_LAT = 111_195.08
CHINA_TIME = timezone(timedelta(hours=8))


def picture(seed: int = 1, size: tuple[int, int] = (640, 480), noise: bool = False
            ) -> Image.Image:
    """Coloured blocks drawn from the seed (with `noise`, grain as a camera's: photo-sized
    JPEGs)."""
    rnd = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rnd.randrange(width), rnd.randrange(height)
        draw.rectangle((x, y, x + rnd.randrange(width // 2), y + rnd.randrange(height // 2)),
                       fill=tuple(rnd.randrange(256) for _ in range(3)))
    if noise:
        grain = Image.effect_noise(size, 40).convert("RGB")
        image = Image.blend(image, grain, 0.25)
    return image


def exif_of(taken: datetime | None = None, *, offset: bool = True,
            gps: tuple[float, float] | None = None, accuracy_m: float | None = None,
            orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: DateTimeOriginal in the time's own zone (with
    OffsetTimeOriginal unless `offset` is False), GPS as degrees, minutes and seconds."""
    exif = Image.Exif()
    # As a phone's: IFD0 names the camera (Pillow writes no EXIF to a PNG whose IFD0 is empty).
    exif[ExifTags.Base.Make] = "Lastmile"
    exif[ExifTags.Base.Model] = "Test Phone"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken is not None:
        photo = exif.get_ifd(ExifTags.IFD.Exif)
        photo[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset:
            text = taken.strftime("%z")
            photo[ExifTags.Base.OffsetTimeOriginal] = f"{text[:3]}:{text[3:]}"
    if gps is not None:
        block = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat, lng = gps
        block[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        block[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        block[ExifTags.GPS.GPSLongitudeRef] = "E" if lng >= 0 else "W"
        block[ExifTags.GPS.GPSLongitude] = _dms(abs(lng))
        if accuracy_m is not None:
            block[ExifTags.GPS.GPSHPositioningError] = accuracy_m
    return exif


def _dms(degrees: float) -> tuple[float, float, float]:
    d = int(degrees)
    m = int((degrees - d) * 60)
    s = round((degrees - d - m / 60) * 3600, 4)
    return float(d), float(m), s


def encode(image: Image.Image, fmt: str = "JPEG", exif: Image.Exif | None = None,
           **options: object) -> bytes:
    out = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def photo(seed: int = 1, *, taken: datetime | None = None, gps: tuple[float, float] | None = None,
          fmt: str = "JPEG", size: tuple[int, int] = (640, 480), offset: bool = True,
          accuracy_m: float | None = None, orientation: int | None = None,
          noise: bool = False) -> bytes:
    """A photo's bytes; without `taken` and `gps` (and orientation) it carries no EXIF."""
    exif = (exif_of(taken, offset=offset, gps=gps, accuracy_m=accuracy_m,
                    orientation=orientation)
            if taken is not None or gps is not None or orientation is not None else None)
    return encode(picture(seed, size, noise), fmt, exif)


def wgs_near(gcj: tuple[float, float], metres_north: float = 0.0) -> tuple[float, float]:
    """The WGS-84 position whose GCJ-02 position lies `metres_north` of `gcj`."""
    target = (gcj[0] + metres_north / M_PER_DEG_LAT, gcj[1])
    lat, lng = target
    for _ in range(6):  # the shift changes slowly: a few steps invert it to millimetres
        shifted = wgs84_to_gcj02(lat, lng)
        lat, lng = lat - (shifted.lat - target[0]), lng - (shifted.lng - target[1])
    return lat, lng


def china_time(at: datetime) -> datetime:
    return at.astimezone(CHINA_TIME)
