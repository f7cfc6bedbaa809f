"""Opening an order with its completion photos, as the review workspace does, against reading
the same files from disk in the same run.

Run: python -m bench.photos [--photos 8] [--size 4000x3000] [--repeat 30] [--quick]

The backend runs as in production (`lastmile serve`, uvicorn in a child process) on a temp
SQLite demo database, its photos under a temp LASTMILE_DATA_DIR. One order is checked in and
N phone-sized photos (JPEG with camera grain and EXIF time and GPS, ~2-4 MB at 4000 x 3000) are
uploaded through the upload handler (which checks, judges and stores each and makes its
thumbnail once). Then, over keep-alive HTTP as an agent:

- open: GET /v1/orders/{id}/photos and each photo's thumbnail, one after another (the target:
  under 300 ms for 8 photos);
- open_parallel: the list, then the thumbnails all at once (as an asyncio console fetches);

against, in the same process:

- disk_read: reading the N original files from disk (the floor: what showing the photos costs
  at the very least without thumbnails);
- uncached: making the N thumbnails from the originals (what every open would cost without the
  cache; fewer repeats, it is slow).

Printed as a table and ratios (open / disk_read, uncached / open); no timing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from PIL import ExifTags, Image, ImageDraw
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bench.common import Timing, emit_json, print_table, ratio, time_calls
from bench.databases import sqlite_url
from bench.propagation import Backend
from core.clock import SimulatedClock
from core.demo.dataset import build
from core.demo.seed import seed_demo
from core.fieldwork.position import wgs84_to_gcj02
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor
from core.services.fieldwork import images
from core.services.fieldwork.photos import UploadPhoto, handle_upload
from core.storage.db import make_engine, migrate
from core.storage.fieldwork.photos import PhotoFiles
from core.storage.tables import OrderRecord, TechnicianRecord
from core.storage.uow import UnitOfWork

TARGET_MS = 300.0
SEEDED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CHECKED_IN = SEEDED_AT + timedelta(days=1, hours=2)
UPLOADED = CHECKED_IN + timedelta(minutes=50)
DESK = Actor("bench", Role.ADMIN)
CHINA = ZoneInfo("Asia/Shanghai")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.photos",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=8, help="photos on the order")
    parser.add_argument("--size", default="4000x3000", help="each photo's pixels, WxH")
    parser.add_argument("--repeat", type=int, default=30, help="timed opens")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.repeat = "800x600", 5
    width, height = (int(v) for v in args.size.lower().split("x"))
    args.pixels = (width, height)
    return args


def make_photos(count: int, size: tuple[int, int], point: tuple[float, float]) -> list[bytes]:
    """Distinct phone-like JPEGs with grain, taken during the visit at the order's place."""
    lat, lng = point
    for _ in range(6):  # the WGS-84 position whose GCJ-02 one is the order's point
        shifted = wgs84_to_gcj02(lat, lng)
        lat, lng = lat - (shifted.lat - point[0]), lng - (shifted.lng - point[1])
    photos: list[bytes] = []
    for n in range(count):
        image = Image.new("RGB", size, (90 + 15 * n, 120, 160))
        draw = ImageDraw.Draw(image)
        w, h = size
        for k in range(12):
            x, y = (37 * (n + 1) * (k + 3)) % w, (53 * (n + 2) * (k + 1)) % h
            draw.rectangle((x, y, x + w // 4, y + h // 5), fill=((40 * k + 70 * n) % 256,
                                                                  (90 * k) % 256, 200 - 10 * k))
        image = Image.blend(image, Image.effect_noise(size, 50).convert("RGB"), 0.3)
        exif = Image.Exif()
        exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Bench", "Phone"
        shot = exif.get_ifd(ExifTags.IFD.Exif)
        local = (CHECKED_IN + timedelta(minutes=5 + n)).astimezone(CHINA)
        shot[ExifTags.Base.DateTimeOriginal] = local.strftime("%Y:%m:%d %H:%M:%S")
        shot[ExifTags.Base.OffsetTimeOriginal] = "+08:00"
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", _dms(lat)
        gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", _dms(lng)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, exif=exif)
        photos.append(out.getvalue())
    return photos


def _dms(degrees: float) -> tuple[float, float, float]:
    d = int(degrees)
    m = int((degrees - d) * 60)
    return float(d), float(m), round((degrees - d - m / 60) * 3600, 4)


def checked_in_order(engine: Engine) -> tuple[int, Actor, tuple[float, float]]:
    """A new demo order taken to checked_in by a technician, its point set near its own."""
    with Session(engine) as session:
        found = session.execute(
            select(OrderRecord.id, OrderRecord.lat, OrderRecord.lng)
            .where(OrderRecord.state == OrderState.NEW.value).order_by(OrderRecord.id)).first()
        technician_id = session.scalar(select(TechnicianRecord.id).order_by(TechnicianRecord.id))
    if found is None or technician_id is None:
        raise RuntimeError("the demo world has no new order or no technician")
    order_id, lat, lng = found
    point = (39.92, 116.45) if lat is None or lng is None else (lat + 0.0007, lng + 0.0009)
    tech = Actor("bench-tech", Role.TECHNICIAN, technician_id)
    start = CHECKED_IN - timedelta(minutes=30)
    before = SEEDED_AT + timedelta(hours=1)
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command, actor, at in [
                (c.Audit(), DESK, before), (c.Place(lat=point[0], lng=point[1]), DESK, before),
                (c.Classify(), DESK, before), (c.OpenDispatch(), DESK, before),
                (c.Assign(technician_id=technician_id), DESK, before), (c.Accept(), tech, before),
                (c.Appoint(start=start, end=start + timedelta(hours=2)), tech, before),
                (c.CheckIn(), tech, CHECKED_IN)]:
            order.apply(command, actor, at)
        uow.orders.save(order)
        uow.commit()
    return order_id, tech, point


def timing_figures(timing: Timing) -> dict[str, float]:
    return {"p50_ms": timing.p50, "p95_ms": timing.p95, "median_ms": timing.median}


async def _open_parallel(http: httpx.AsyncClient, order_id: int) -> None:
    listed = (await http.get(f"/v1/orders/{order_id}/photos")).json()
    answers = await asyncio.gather(*(http.get(p["thumbnail_url"]) for p in listed["photos"]))
    assert all(a.status_code == 200 for a in answers)


def run(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="lastmile-bench-photos-"))
    os.environ["LASTMILE_DATA_DIR"] = str(folder / "data")  # the server child inherits it
    url = sqlite_url(folder)
    engine = make_engine(url)
    migrate(engine)
    seed_demo(engine, build(seed=7, orders=20, history=False), now=SEEDED_AT)
    order_id, tech, point = checked_in_order(engine)
    files = PhotoFiles.default()

    photos = make_photos(args.photos, args.pixels, point)
    uploads: list[float] = []
    flagged = 0
    for data in photos:
        t0 = time.perf_counter()
        done = handle_upload(UploadPhoto(order_id, tech, "image/jpeg", data),
                             UnitOfWork(engine, clock=SimulatedClock(UPLOADED)), files)
        uploads.append((time.perf_counter() - t0) * 1000)
        flagged += done.photo.judged != "ok"
    engine.dispose()
    originals = [files.original(hashlib.sha256(d).hexdigest(), "jpg") for d in photos]

    backend = Backend(url, folder / "backend.log")
    try:
        asyncio.run(backend.ready())
        with httpx.Client(base_url=backend.url, timeout=30) as http:
            signed = http.post("/v1/auth/login", json={"username": "agent", "password": "demo"})
            signed.raise_for_status()
            http.headers["Authorization"] = f"Bearer {signed.json()['access_token']}"
            listed = http.get(f"/v1/orders/{order_id}/photos").json()
            assert listed["count"] == args.photos, listed
            thumb_bytes = [len(http.get(p["thumbnail_url"]).content) for p in listed["photos"]]

            def open_order() -> None:
                found = http.get(f"/v1/orders/{order_id}/photos").json()
                for shown in found["photos"]:
                    assert http.get(shown["thumbnail_url"]).status_code == 200

            open_order()  # warm: the connection and the server's first-request paths
            opened = time_calls(open_order, repeat=args.repeat, budget_s=20)
            headers = dict(http.headers)

        async def parallel() -> Timing:
            async with httpx.AsyncClient(base_url=backend.url, timeout=30,
                                         headers=headers) as client:
                await _open_parallel(client, order_id)
                samples = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    await _open_parallel(client, order_id)
                    samples.append((time.perf_counter() - t0) * 1000)
                return Timing(tuple(samples))

        opened_parallel = asyncio.run(parallel())
    finally:
        backend.stop()

    disk = time_calls(lambda: [p.read_bytes() for p in originals], repeat=args.repeat)
    uncached = time_calls(lambda: [images.thumbnail_of(p.read_bytes(), "image/jpeg")
                                   for p in originals], repeat=max(3, args.repeat // 5),
                          budget_s=20, min_repeat=3)

    return {
        "bench": "photos",
        "backend": "sqlite",
        "photos": args.photos,
        "pixels": f"{args.pixels[0]}x{args.pixels[1]}",
        "photo_bytes_mean": statistics.mean(len(d) for d in photos),
        "thumbnail_bytes_mean": statistics.mean(thumb_bytes),
        "flagged": flagged,
        "upload_median_ms": statistics.median(uploads),
        "open": timing_figures(opened),
        "open_parallel": timing_figures(opened_parallel),
        "disk_read": timing_figures(disk),
        "uncached": timing_figures(uncached),
        "ratio_open_to_disk_p50": ratio(opened.p50, disk.p50),
        "ratio_uncached_to_open_p50": ratio(uncached.p50, opened.p50),
        "target_ms": TARGET_MS,
        "within_target": opened.p95 < TARGET_MS,
    }


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    figures = run(args)
    print(f"An order with {figures['photos']} photos of {figures['pixels']} "
          f"({figures['photo_bytes_mean'] / 1e6:.2f} MB each, thumbnails "
          f"{figures['thumbnail_bytes_mean'] / 1e3:.0f} kB); uploads took "
          f"{figures['upload_median_ms']:.0f} ms each (median).")
    rows = [(name, figures[name]["p50_ms"], figures[name]["p95_ms"])
            for name in ("open", "open_parallel", "disk_read", "uncached")]
    print_table(("measure", "p50 ms", "p95 ms"), rows)
    print(f"open / disk_read (p50): {figures['ratio_open_to_disk_p50']:.2f}; "
          f"uncached / open (p50): {figures['ratio_uncached_to_open_p50']:.2f}; "
          f"open p95 under {TARGET_MS:.0f} ms: {figures['within_target']}")
    emit_json(figures)


if __name__ == "__main__":
    main()
