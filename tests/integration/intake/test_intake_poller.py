"""The poller: folder and HTTP sources, cursors that survive a restart."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from intake_support import NOW, own_order, payload
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from support.waiting import eventually

from core.clock import SimulatedClock
from core.demo.platforms import erp as erp_demo
from core.demo.platforms import jd as jd_demo
from core.intake.model import Intent, PlatformLine, PlatformOrder
from core.server.intake.poller import ERP_INBOX_ENV, run_poller
from core.services.intake.polling import ERP_INBOX_SOURCE, Polled, PollSources, handle_poll
from core.storage.intake.cursors import read_cursor
from core.storage.tables import IntakeMessageRecord, IntakeSourceRecord, OrderRecord
from core.storage.uow import UnitOfWork


def _source(engine: Engine, key: str, kind: str, location: str, platform: str = "own") -> None:
    with Session(engine) as session, session.begin():
        session.add(IntakeSourceRecord(key=key, platform=platform, kind=kind, location=location,
                                       secret="", client_code="demo-own", active=True))


def _drop(folder: Path, name: str, body: bytes, mtime: datetime) -> None:
    path = folder / name
    path.write_bytes(body)
    os.utime(path, ns=(int(mtime.timestamp() * 1e9),) * 2)


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _now() -> datetime:
    return NOW + timedelta(hours=1)


def poll_once(engine: Engine, *, http: httpx.Client | None = None) -> list[Polled]:
    """One round as the server's poller runs it, an hour after NOW (the inbox from the env)."""
    return handle_poll(PollSources(erp_inbox=os.environ.get(ERP_INBOX_ENV), http=http),
                       UnitOfWork(engine, clock=SimulatedClock(_now())))


def test_a_folder_is_imported_in_order_and_never_again_after_a_restart(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "b.json", payload(own_order("SHOP2", address="上海市黄浦区南京东路1号")),
          NOW)
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), NOW)
    _drop(tmp_path, "notes.txt", b"not an export", NOW)

    (first,) = poll_once(world)
    (second,) = poll_once(world)  # as after a restart: only the database remembers

    assert first.items == ["a.json", "b.json"] and second.items == []
    assert _count(world, OrderRecord) == 2
    with Session(world) as session:
        assert read_cursor(session, "shop-folder") == f"{int(NOW.timestamp() * 1e9)}:b.json"
        channels = set(session.scalars(select(IntakeMessageRecord.channel)))
    assert channels == {"poll"}


def test_a_new_file_after_the_cursor_is_picked_up(world: Engine, tmp_path: Path) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), NOW)
    poll_once(world)

    _drop(tmp_path, "c.json", payload(own_order("SHOP3", address="上海市黄浦区南京东路1号")),
          NOW + timedelta(minutes=1))
    (polled,) = poll_once(world)

    assert polled.items == ["c.json"] and _count(world, OrderRecord) == 2


def test_a_file_still_being_written_waits_for_the_next_round(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), _now() - timedelta(seconds=0.5))

    (polled,) = poll_once(world)

    assert polled.items == [] and _count(world, OrderRecord) == 0


def test_a_broken_file_is_kept_as_a_dead_letter_and_passed(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", b"{broken", NOW)
    _drop(tmp_path, "b.json", payload(own_order("SHOP1")), NOW)

    (polled,) = poll_once(world)

    assert polled.items == ["a.json", "b.json"] and _count(world, OrderRecord) == 1
    with Session(world) as session:
        statuses = sorted(session.scalars(select(IntakeMessageRecord.status)))
    assert statuses == ["converted", "dead"]


def test_the_erp_inbox_from_the_environment_reads_csv_exports(
    world: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ERP_INBOX_ENV, str(tmp_path))
    order = PlatformOrder(
        platform="erp", platform_order_id="ERP202603000001", intent=Intent.NEW,
        customer_name="王五", customer_phone="13700000001", address="朝阳区建国路1号",
        province="北京市", city="北京市", district="朝阳区", shop="demo-erp",
        lines=(PlatformLine("WH-E60", "电热水器 60升", 1, 129900),),
        ordered_at=NOW, modified_at=NOW, service_tags=("安装",))
    body, _ = erp_demo.render([order])
    _drop(tmp_path, "export-1.csv", body, NOW)

    (polled,) = poll_once(world)

    assert polled.source == ERP_INBOX_SOURCE and polled.items == ["export-1.csv"]
    ((outcome,),) = [r.outcomes for r in polled.receipts]
    # The demo ERP client audits by hand: the order waits in the review queue.
    assert outcome.outcome.value == "review"


def _jd(n: int, at: datetime) -> PlatformOrder:
    return PlatformOrder(
        platform="jd", platform_order_id=f"30000000000{n}", intent=Intent.NEW,
        customer_name="赵六", customer_phone=f"1370000000{n}", address="建国路1号",
        province="北京", city="北京市", district="朝阳区", shop="demo-jd",
        lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹", 1, 289900),),
        ordered_at=at, modified_at=at, paid_fen=289900)


def test_an_http_source_is_asked_since_its_cursor_and_the_cursor_persists(
    world: Engine
) -> None:
    times = [NOW, NOW + timedelta(minutes=1), NOW + timedelta(minutes=2)]
    shown = [[_jd(1, times[0]), _jd(2, times[1])], [_jd(2, times[1]), _jd(3, times[2])]]
    asked: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params.get("since"))
        body, content_type = jd_demo.render(shown[len(asked) - 1])
        return httpx.Response(200, content=body, headers={"content-type": content_type})

    _source(world, "jd-pull", "http", "http://jd.example/orders", platform="jd")
    http = httpx.Client(transport=httpx.MockTransport(answer))

    (first,) = poll_once(world, http=http)
    (second,) = poll_once(world, http=http)

    assert asked[0] is None
    assert asked[1] is not None and datetime.fromisoformat(asked[1]) == times[1]
    assert [o.platform_order_id for r in first.receipts for o in r.outcomes] == [
        "300000000001", "300000000002"]
    # The order at the cursor came again (since is inclusive) and was not taken twice.
    assert [(o.platform_order_id, o.outcome.value) for r in second.receipts
            for o in r.outcomes] == [("300000000003", "created")]
    with Session(world) as session:
        cursor = read_cursor(session, "jd-pull")
    assert cursor is not None and datetime.fromisoformat(cursor) == times[2]
    assert _count(world, OrderRecord) == 3


def test_an_unreachable_source_does_not_stop_the_others(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "gone", "folder", str(tmp_path / "missing"))
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), NOW)

    gone, shop = poll_once(world)

    assert gone.error and shop.items == ["a.json"]


async def test_the_poller_runs_beside_the_loop_until_stopped(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), NOW)
    stop = asyncio.Event()
    commits: list[int] = []

    task = asyncio.create_task(run_poller(world, stop, interval=0.01,
                                          on_commit=lambda: commits.append(1)))
    try:  # the loop stays free while a worker thread polls
        await eventually(lambda: _count(world, OrderRecord), 5)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)

    assert _count(world, OrderRecord) == 1 and commits


def test_an_unreadable_file_is_recorded_and_the_files_after_it_still_go_in(
    world: Engine, tmp_path: Path
) -> None:
    _source(world, "shop-folder", "folder", str(tmp_path))
    _drop(tmp_path, "a.json", payload(own_order("SHOP1")), NOW)
    (tmp_path / "b.json").mkdir()  # a directory named like an export
    (tmp_path / "c.json").symlink_to(tmp_path / "gone.json")  # a link to nothing
    _drop(tmp_path, "d.json", b"\xff\xfe not text \x00", NOW)  # unreadable as text
    odd = os.fsdecode(b"e\xb6\xa9.json")  # a name in GBK (e(?).json), not UTF-8
    _drop(tmp_path, odd, payload(own_order("SHOP5", address="上海市黄浦区南京东路1号")), NOW)
    for name in ("b.json", "c.json"):
        os.utime(tmp_path / name, ns=(int(NOW.timestamp() * 1e9),) * 2, follow_symlinks=False)

    (first,) = poll_once(world)
    (second,) = poll_once(world)

    assert first.error == "" and first.unreadable == ["b.json", "c.json"]
    assert first.items == ["a.json", "b.json", "c.json", "d.json", "e\\xb6\\xa9.json"]
    assert second.items == [] and _count(world, OrderRecord) == 2
    with Session(world) as session:
        dead = list(session.scalars(select(IntakeMessageRecord)
                                    .where(IntakeMessageRecord.status == "dead")
                                    .order_by(IntakeMessageRecord.id)))
    assert [m.reason.split("：")[0] for m in dead[:2]] == ["无法读取文件 b.json",
                                                           "无法读取文件 c.json"]
    assert dead[2].payload == b"\xff\xfe not text \x00"  # kept exactly as read
    assert [m.source for m in dead] == ["shop-folder"] * 3
