"""Completion photos over HTTP on SQLite and PostgreSQL, with images the tests make: a photo
taken at the visit stored, judged and listed, its file kept by content and its thumbnail made
once; photos without EXIF, taken far away or at another time, or already on another order,
flagged (never refused); the attacks refused with their reason and nothing stored: a text file
called a JPEG, a PNG declared as JPEG, a type we do not take, an oversized body, a decompression
bomb, another technician's order, roles that may not upload or look."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from api_tokens import Login
from api_world import SEEDED_AT
from fastapi.testclient import TestClient
from fieldwork_support import technician_id
from httpx import Response
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from support.photo_files import china_time, encode, photo, picture, wgs_near

from core.clock import SimulatedClock
from core.fieldwork.flags import FlagKind
from core.fieldwork.photos import MAX_PHOTO_BYTES
from core.geo.regions import load_regions
from core.orders import commands as c
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.server.limits import BodyLimits
from core.services.fieldwork import photos as photo_cases
from core.services.fieldwork.images import THUMB_SIDE
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.photos import PhotoFiles, PhotoRecord
from core.storage.uow import UnitOfWork

ADDRESS = (39.92, 116.45)  # the tiny world's orders: GCJ-02 lat, lng in 北京市朝阳区 (110105)
CHECKED_IN = SEEDED_AT + timedelta(days=1, hours=2)
NOW = CHECKED_IN + timedelta(minutes=40)  # the uploads: during the visit
DURING = CHECKED_IN + timedelta(minutes=15)
DESK = Actor("admin", Role.ADMIN)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def api(world: Engine, clock: SimulatedClock) -> Iterator[TestClient]:
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock)) as client:
        yield client


@pytest.fixture
def files() -> PhotoFiles:
    """Where the app keeps photos in this test (LASTMILE_DATA_DIR is set per test)."""
    return PhotoFiles.default()


def _check_in(engine: Engine, order_id: int, username: str = "tech1",
              point: tuple[float, float] | None = None, complete: bool = False,
              arrive: bool = True) -> None:
    """Take a seeded order through to checked_in (at CHECKED_IN) for the technician (with
    `arrive` False only to appointed; with `complete` on to served)."""
    tech = Actor(username, Role.TECHNICIAN, technician_id(engine, username))
    start = CHECKED_IN - timedelta(minutes=30)
    place = c.Place(lat=point[0], lng=point[1]) if point else c.Place()
    before = SEEDED_AT + timedelta(hours=1)
    steps: list[tuple[c.Command, Actor, datetime]] = [
        (c.Audit(), DESK, before), (place, DESK, before), (c.Classify(), DESK, before),
        (c.OpenDispatch(), DESK, before), (c.Assign(technician_id=tech.technician_id or 0),
                                           DESK, before),
        (c.Accept(), tech, before),
        (c.Appoint(start=start, end=start + timedelta(hours=2)), tech, before)]
    if arrive:
        steps.append((c.CheckIn(), tech, CHECKED_IN))
    if complete:
        steps.append((c.Complete(), tech, CHECKED_IN + timedelta(minutes=30)))
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command, actor, at in steps:
            order.apply(command, actor, at)
        uow.orders.save(order)
        uow.commit()


@pytest.fixture
def visiting(world: Engine) -> int:
    """Order 1, checked in by tech1 at CHECKED_IN."""
    _check_in(world, 1)
    return 1


def _good(seed: int = 1, **changes: Any) -> bytes:
    """A photo taken during the visit 40 m from the address."""
    fields: dict[str, Any] = {"taken": china_time(DURING), "gps": wgs_near(ADDRESS, 40)}
    fields.update(changes)
    return photo(seed, **fields)


def _upload(api: TestClient, auth: Login, data: bytes, order_id: int = 1,
            as_: str = "tech1", media_type: str = "image/jpeg") -> Response:
    return api.post(f"/v1/orders/{order_id}/photos", content=data,
                    headers={**auth(as_), "Content-Type": media_type})


def _stored(engine: Engine, files: PhotoFiles, order_id: int = 1) -> tuple[int, list[str],
                                                                           list[str]]:
    """(photo rows, flag kinds, files under the photo folder by name) of the order."""
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(PhotoRecord)
                              .where(PhotoRecord.order_id == order_id)) or 0
        flags = flags_of(session, [order_id]).get(order_id, [])
    on_disk = sorted(p.name for p in files.root.rglob("*") if p.is_file()) \
        if files.root.exists() else []
    return rows, [f.kind.value for f in flags], on_disk


def _refused(response: Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"], response.json()


# -- a photo taken at the visit -----------------------------------------------------------------

def test_a_photo_taken_at_the_visit_is_stored_judged_ok_listed_and_served(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    data = _good()

    response = _upload(api, auth, data)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True
    shown = body["photo"]
    assert (shown["judged"], shown["flags"], shown["time_check"], shown["place_check"]) == (
        "ok", [], "inside", "inside")
    assert (shown["media_type"], shown["bytes"], shown["width"], shown["height"]) == (
        "image/jpeg", len(data), 640, 480)
    assert shown["taken_at"][:19] == DURING.isoformat()[:19]
    assert shown["time_source"] == "exif_offset"
    assert shown["distance_m"] == pytest.approx(40, abs=1)
    assert (shown["tolerance_m"], shown["point"], shown["uploaded_by"]) == (500, "address",
                                                                            "tech1")
    assert shown["uploaded_at"][:19] == NOW.isoformat()[:19]
    assert shown["text"].startswith("拍摄时间在上门期间；距地址 40 米")
    # Stored by content: the original and its thumbnail, no temp file left behind.
    sha = shown["sha256"]
    assert _stored(world, files) == (1, [], sorted([f"{sha}.jpg", f"{sha}-{THUMB_SIDE}.jpg"]))
    assert files.original(sha, "jpg").read_bytes() == data

    listed = api.get("/v1/orders/1/photos", headers=auth("agent"))
    assert listed.status_code == 200, listed.text
    sheet = listed.json()
    assert (sheet["required"], sheet["count"], sheet["clean"]) == (4, 1, 1)
    assert sheet["photos"] == [shown]
    assert api.get("/v1/orders/1/photos", headers=auth("tech1")).json() == sheet

    original = api.get(shown["url"], headers=auth("supervisor"))
    assert original.status_code == 200 and original.content == data
    assert original.headers["content-type"] == "image/jpeg"
    assert original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["etag"] == f'"{sha}"'
    thumb = api.get(shown["thumbnail_url"], headers=auth("tech1"))
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.content)).size == (THUMB_SIDE, 300)


def test_the_same_bytes_sent_again_are_the_same_photo(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    data = photo(2)  # no EXIF: one flag, not two
    first = _upload(api, auth, data)

    again = _upload(api, auth, data)

    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["created"] is False
    assert again.json()["photo"]["id"] == first.json()["photo"]["id"]
    rows, kinds, on_disk = _stored(world, files)
    assert (rows, kinds, len(on_disk)) == (1, ["photo_no_exif"], 2)


# -- doubtful photos: flagged, never refused ----------------------------------------------------

def test_a_photo_without_exif_is_stored_and_flagged(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    response = _upload(api, auth, photo(3))

    assert response.status_code == 201, response.text
    shown = response.json()["photo"]
    assert (shown["time_check"], shown["place_check"], shown["taken_at"], shown["position"]) == (
        "missing", "missing", None, None)
    assert [(f["kind"], f["detail"]["missing"]) for f in shown["flags"]] == [
        ("photo_no_exif", ["time", "place"])]
    assert shown["flags"][0]["text"] == ("照片缺少拍摄时间或位置 "
                                         "(photo without capture time or place)")
    with Session(world) as session:
        (flag,) = flags_of(session, [1])[1]
    assert flag.kind is FlagKind.PHOTO_NO_EXIF and flag.detail["photo_id"] == shown["id"]
    assert _stored(world, files)[:2] == (1, ["photo_no_exif"])


@pytest.mark.parametrize(("changes", "outside"), [
    ({"gps": wgs_near(ADDRESS, 5_000)}, ["place"]),  # another street entirely
    ({"taken": china_time(CHECKED_IN - timedelta(days=20))}, ["time"]),  # an old job's
    ({"taken": china_time(NOW + timedelta(hours=3))}, ["time"]),  # a clock set ahead
])
def test_a_photo_taken_elsewhere_or_at_another_time_is_flagged_elsewhere(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles,
        changes: dict[str, Any], outside: list[str]) -> None:
    response = _upload(api, auth, _good(4, **changes))

    assert response.status_code == 201, response.text
    shown = response.json()["photo"]
    assert [(f["kind"], f["detail"]["outside"]) for f in shown["flags"]] == [
        ("photo_elsewhere", outside)]
    if outside == ["place"]:
        assert shown["distance_m"] == pytest.approx(5_000, abs=2)
        assert shown["gcj02"]["lat"] == pytest.approx(ADDRESS[0] + 5_000 / 111_195.08, abs=1e-6)
        assert "距地址 5000 米，超出容差 500 米" in shown["text"]
    assert _stored(world, files)[:2] == (1, ["photo_elsewhere"])


def test_after_completion_the_visit_ends_at_the_completion(
        api: TestClient, auth: Login, world: Engine, files: PhotoFiles) -> None:
    """Completed at CHECKED_IN + 30 min: a photo taken an hour after that is outside."""
    _check_in(world, 1, complete=True)
    late = china_time(CHECKED_IN + timedelta(minutes=30 + 61))

    on_time, after = _upload(api, auth, _good(5)), _upload(api, auth, _good(6, taken=late))

    assert (on_time.status_code, after.status_code) == (201, 201)
    assert on_time.json()["photo"]["judged"] == "ok"
    assert after.json()["photo"]["judged"] == "photo_elsewhere"


def test_an_order_with_only_its_county_centre_judges_no_distance(
        api: TestClient, auth: Login, world: Engine, files: PhotoFiles) -> None:
    centre = load_regions().get("110105")
    assert centre is not None and centre.lat is not None and centre.lng is not None
    _check_in(world, 2, point=(centre.lat, centre.lng))

    response = _upload(api, auth, _good(7, gps=wgs_near(ADDRESS, 9_000)), order_id=2)

    shown = response.json()["photo"]
    assert (shown["place_check"], shown["point"], shown["distance_m"], shown["judged"]) == (
        "no_address_point", "centre", None, "ok")


def test_the_same_photo_on_two_orders_is_flagged_reused_also_when_saved_again(
        api: TestClient, auth: Login, world: Engine, files: PhotoFiles) -> None:
    """Order 1's photo sent for order 2 as it was, and re-compressed without its EXIF: both
    flagged with where they were seen; one file for the same bytes."""
    _check_in(world, 1)
    _check_in(world, 2, username="tech2")
    data = _good(8)
    first = _upload(api, auth, data)
    resaved = encode(Image.open(io.BytesIO(data)), "JPEG", quality=60)

    same = _upload(api, auth, data, order_id=2, as_="tech2")
    again = _upload(api, auth, resaved, order_id=2, as_="tech2")

    assert (first.status_code, same.status_code, again.status_code) == (201, 201, 201)
    assert first.json()["photo"]["judged"] == "ok"
    seen = {"order_id": 1, "photo_id": first.json()["photo"]["id"]}
    reused = [f for f in same.json()["photo"]["flags"] if f["kind"] == "photo_reused"]
    assert reused[0]["detail"]["seen_on"] == [{**seen, "match": "exact", "bits": 0}]
    assert same.json()["photo"]["judged"] == "photo_reused"
    flags = again.json()["photo"]["flags"]
    assert [f["kind"] for f in flags] == ["photo_no_exif", "photo_reused"]
    (match,) = flags[1]["detail"]["seen_on"]
    assert (match["order_id"], match["match"]) == (1, "perceptual") and match["bits"] <= 3
    assert "与工单 1 的照片相同" in again.json()["photo"]["text"]
    assert _stored(world, files, 2)[1] == ["photo_reused", "photo_no_exif", "photo_reused"]
    sha = first.json()["photo"]["sha256"]
    assert len(list(files.root.rglob(f"{sha}.jpg"))) == 1


def test_a_rotated_photo_is_listed_and_thumbnailed_upright(
        api: TestClient, auth: Login, visiting: int) -> None:
    """Stored landscape (left red, right blue) with orientation 6: shown portrait, red on top."""
    sideways = Image.new("RGB", (800, 400), "blue")
    sideways.paste((255, 0, 0), (0, 0, 400, 400))
    exif = Image.Exif()
    exif[0x0112] = 6
    response = _upload(api, auth, encode(sideways, "JPEG", exif, quality=95))
    shown = response.json()["photo"]
    assert (shown["width"], shown["height"]) == (400, 800)

    thumb = Image.open(io.BytesIO(api.get(shown["thumbnail_url"], headers=auth("agent"))
                                  .content))

    assert thumb.size == (THUMB_SIDE // 2, THUMB_SIDE)
    top, bottom = thumb.getpixel((100, 50)), thumb.getpixel((100, 350))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60


def test_png_and_webp_are_taken_too(api: TestClient, auth: Login, visiting: int) -> None:
    for seed, (fmt, media_type) in enumerate((("PNG", "image/png"), ("WEBP", "image/webp"))):
        response = _upload(api, auth, _good(20 + seed, fmt=fmt), media_type=media_type)
        assert response.status_code == 201, response.text
        assert (response.json()["photo"]["media_type"], response.json()["photo"]["judged"]) == (
            media_type, "ok")
        original = api.get(response.json()["photo"]["url"], headers=auth("agent"))
        assert original.headers["content-type"] == media_type


# -- refused for what it is: nothing stored -----------------------------------------------------

def test_a_text_file_called_a_jpeg_is_refused(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    response = _upload(api, auth, "收据：空调安装 1 台\n".encode())

    _refused(response, 422, "内容不是 JPEG 图片 (the content is not a JPEG image)")
    assert _stored(world, files) == (0, [], [])


def test_a_png_declared_as_jpeg_is_refused_415(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    response = _upload(api, auth, _good(fmt="PNG"))

    _refused(response, 415, "声明为 image/jpeg，内容却是 PNG")
    assert _stored(world, files) == (0, [], [])


@pytest.mark.parametrize("media_type", ["text/plain", "image/gif", "application/json"])
def test_a_type_we_do_not_take_is_refused_415_before_the_body_is_read(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles,
        media_type: str) -> None:
    response = _upload(api, auth, _good(), media_type=media_type)

    _refused(response, 415, "只接受 JPEG、PNG 或 WebP 图片")
    assert _stored(world, files) == (0, [], [])


def test_a_decompression_bomb_is_refused(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    out = io.BytesIO()
    Image.new("1", (8_000, 8_000)).save(out, "PNG")  # 8 kB that decode to 64 M pixels

    response = _upload(api, auth, out.getvalue(), media_type="image/png")

    _refused(response, 422, "解压炸弹")
    assert _stored(world, files) == (0, [], [])


def test_a_truncated_photo_is_refused(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    data = _good(noise=True)
    _refused(_upload(api, auth, data[: len(data) * 2 // 3]), 422, "文件损坏或不完整")
    assert _stored(world, files) == (0, [], [])


def test_an_oversized_body_is_refused_413_before_it_is_read(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    declared = _upload(api, auth, b"\xff\xd8\xff" + bytes(MAX_PHOTO_BYTES))
    _refused(declared, 413, "请求体过大")

    def chunks() -> Iterator[bytes]:  # no Content-Length: stopped while streaming
        yield b"\xff\xd8\xff"
        for _ in range(MAX_PHOTO_BYTES // 65_536 + 1):
            yield bytes(65_536)

    streamed = api.post("/v1/orders/1/photos", content=chunks(),
                        headers={**auth("tech1"), "Content-Type": "image/jpeg"})
    _refused(streamed, 413, "请求体过大")
    assert _stored(world, files) == (0, [], [])


def test_a_phone_sized_photo_passes_the_body_limit(
        api: TestClient, auth: Login, visiting: int) -> None:
    assert BodyLimits().for_route("POST", "/v1/orders/1/photos") == MAX_PHOTO_BYTES
    data = _good(9, size=(2400, 1800), noise=True)
    assert len(data) > 64 * 1024
    assert _upload(api, auth, data).status_code == 201


def test_another_technicians_order_and_roles_that_may_not_upload_are_refused(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles) -> None:
    data = _good()
    _refused(_upload(api, auth, data, as_="tech2"), 403, "不是派给你的")
    for desk in ("agent", "admin", "finance"):
        _refused(_upload(api, auth, data, as_=desk), 403, "无权")
    _refused(_upload(api, auth, data, order_id=999), 404, "没有工单 999")
    _check_in(world, 2, arrive=False)
    _refused(_upload(api, auth, data, order_id=2), 409, "签到后、审核前才能上传照片")
    assert api.post("/v1/orders/1/photos", content=data,
                    headers={"Content-Type": "image/jpeg"}).status_code == 401
    assert _stored(world, files) == (0, [], [])


def test_another_technician_and_finance_cannot_see_the_photos(
        api: TestClient, auth: Login, visiting: int) -> None:
    shown = _upload(api, auth, _good()).json()["photo"]

    for path in ("/v1/orders/1/photos", shown["url"], shown["thumbnail_url"]):
        _refused(api.get(path, headers=auth("tech2")), 403, "不是派给你的")
        _refused(api.get(path, headers=auth("finance")), 403, "无权")
    _refused(api.get("/v1/photos/999", headers=auth("agent")), 404, "没有照片 999")
    _refused(api.get("/v1/orders/999/photos", headers=auth("agent")), 404, "没有工单 999")


def test_an_order_holds_at_most_its_limit(
        api: TestClient, auth: Login, world: Engine, visiting: int, files: PhotoFiles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_cases, "photo_limit", lambda required: 2)
    assert [_upload(api, auth, _good(30 + n)).status_code for n in range(2)] == [201, 201]

    _refused(_upload(api, auth, _good(32)), 409, "照片已达上限 2 张")
    assert _stored(world, files)[0] == 2


# -- nothing stored half ------------------------------------------------------------------------

def test_a_failure_before_the_commit_leaves_no_row_no_flag_and_no_file(
        world: Engine, auth: Login, visiting: int, files: PhotoFiles,
        monkeypatch: pytest.MonkeyPatch, clock: SimulatedClock) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("the disk under the database filled up")

    monkeypatch.setattr(photo_cases, "add_flags", broken)
    with TestClient(create_app(world, poll_seconds=0.05, clock=clock),
                    raise_server_exceptions=False) as api:
        response = _upload(api, auth, photo(40))  # no EXIF: a flag to add

    assert response.status_code == 500
    assert _stored(world, files) == (0, [], [])


def test_a_file_whose_rename_was_lost_is_promoted_when_read(
        api: TestClient, auth: Login, visiting: int, files: PhotoFiles) -> None:
    """A crash between the commit and the rename leaves the complete staged file: the first
    read checks its hash and gives it its name; a staged file with other bytes is not used."""
    data = _good(41)
    shown = _upload(api, auth, data).json()["photo"]
    final = files.original(shown["sha256"], "jpg")
    staged = final.with_name(f".{final.name}.0123456789ab.part")
    final.rename(staged)
    forged = final.with_name(f".{final.name}.000000000000.part")
    forged.write_bytes(b"not the photo")

    response = api.get(shown["url"], headers=auth("agent"))

    assert response.status_code == 200 and response.content == data
    assert final.read_bytes() == data and not staged.exists() and forged.exists()


def test_a_missing_file_is_404_not_an_error(
        api: TestClient, auth: Login, visiting: int, files: PhotoFiles) -> None:
    shown = _upload(api, auth, _good(42)).json()["photo"]
    files.original(shown["sha256"], "jpg").unlink()
    files.thumbnail(shown["sha256"], THUMB_SIDE).unlink()

    _refused(api.get(shown["url"], headers=auth("agent")), 404, "文件缺失")
    _refused(api.get(shown["thumbnail_url"], headers=auth("agent")), 404, "文件缺失")


# -- thumbnails made once -----------------------------------------------------------------------

def test_thumbnails_are_made_at_upload_and_read_from_the_cache(
        api: TestClient, auth: Login, visiting: int, files: PhotoFiles,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown = _upload(api, auth, _good(43)).json()["photo"]
    cached = files.thumbnail(shown["sha256"], THUMB_SIDE)
    assert cached.is_file()

    def no_decoding(*args: Any) -> bytes:
        raise AssertionError("a cached thumbnail is not made again")

    with monkeypatch.context() as patched:
        patched.setattr(photo_cases.images, "thumbnail_of", no_decoding)
        first = api.get(shown["thumbnail_url"], headers=auth("agent"))
    assert first.status_code == 200 and first.content == cached.read_bytes()

    cached.unlink()  # the cache cleared: made again from the original, once
    again = api.get(shown["thumbnail_url"], headers=auth("agent"))
    assert again.status_code == 200 and cached.is_file()
    assert Image.open(io.BytesIO(again.content)).size == (THUMB_SIDE, 300)


# -- the files on their own ---------------------------------------------------------------------

def test_staging_writes_the_bytes_beside_their_final_name_and_settling_renames(
        tmp_path: Path) -> None:
    files = PhotoFiles(tmp_path)
    data = encode(picture(44), "JPEG")
    sha = "ab" + "0" * 62

    staged = files.stage(sha, "jpg", data)

    assert staged.parent == files.original(sha, "jpg").parent and staged.name.startswith(".")
    assert staged.read_bytes() == data and not files.original(sha, "jpg").exists()
    settled = files.settle(staged, sha, "jpg")
    assert settled == files.original(sha, "jpg") and not staged.exists()
    files.discard(files.stage(sha, "jpg", data))
    assert sorted(p.name for p in settled.parent.iterdir()) == [settled.name]

