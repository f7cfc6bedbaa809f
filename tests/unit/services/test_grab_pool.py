"""The grab pool's other handlers (the list, the monitor) and the attempt tally's group commit."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from order_world import AGENT, LI, T0, WANG, engine, world_template
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.dispatch.policy import RegionPolicy
from core.errors import Invalid
from core.orders import commands as c
from core.services.grab import (
    ListOffers,
    NotATechnician,
    ShowPool,
    handle_list_offers,
    handle_show_pool,
)
from core.services.grab_sessions import AttemptTally
from core.storage.grab.pool import open_offer
from core.storage.tables import GrabOfferRecord, GrabViewRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
NOW = T0 + timedelta(minutes=5)


def _uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine, clock=SimulatedClock(NOW))


def _offered(engine: Engine, order_id: int) -> int:
    with UnitOfWork(engine, clock=SimulatedClock(T0)) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command in (c.Audit(), c.Place(), c.Classify(), c.OpenDispatch(mode="grab")):
            order.apply(command, AGENT, T0)
        uow.orders.save(order)
        offer_id = open_offer(uow.session, order, RegionPolicy(), T0, 30).id
        uow.commit()
    return offer_id


def test_the_list_shows_what_the_technician_may_claim_and_counts_first_views(
        engine: Engine) -> None:
    first, second = _offered(engine, 1), _offered(engine, 2)

    listed = handle_list_offers(ListOffers(WANG), _uow(engine))
    handle_list_offers(ListOffers(WANG), _uow(engine))  # a second look is not a second view

    assert [o.offer_id for o in listed] == [first, second]
    assert handle_list_offers(ListOffers(LI), _uow(engine)) == []  # lacks the skill
    with Session(engine) as s:
        views = s.scalars(select(GrabViewRecord.offer_id)).all()
        assert sorted(views) == [first, second]
        assert {o.id: o.views for o in s.scalars(select(GrabOfferRecord))} == {
            first: 1, second: 1}


def test_the_list_is_cut_at_the_limit_and_only_listed_offers_are_seen(engine: Engine) -> None:
    first, _ = _offered(engine, 1), _offered(engine, 2)

    listed = handle_list_offers(ListOffers(WANG, limit=1), _uow(engine))

    assert [o.offer_id for o in listed] == [first]
    with Session(engine) as s:
        assert s.scalars(select(GrabViewRecord.offer_id)).all() == [first]


def test_a_login_without_a_technician_has_no_list(engine: Engine) -> None:
    with pytest.raises(NotATechnician):
        handle_list_offers(ListOffers(None), _uow(engine))


def test_the_monitor_counts_offers_and_refuses_an_unknown_status(engine: Engine) -> None:
    _offered(engine, 1)

    summary = handle_show_pool(ShowPool(), _uow(engine))

    assert (summary.open, summary.claimed, len(summary.rows)) == (1, 0, 1)
    assert handle_show_pool(ShowPool("claimed"), _uow(engine)).rows == []
    with pytest.raises(Invalid, match="unknown status 'bogus'") as bad:
        handle_show_pool(ShowPool("bogus"), _uow(engine))
    assert bad.value.loc == ("query", "status")


def test_attempts_that_arrive_during_a_write_are_committed_together() -> None:
    """Group commit: while one batch is written, the next fills; each count returns only
    once its own attempt is written."""
    tally = AttemptTally()
    writes: list[Counter[int]] = []
    first_write = threading.Event()
    release = threading.Event()

    def write(counts: Counter[int]) -> None:
        writes.append(Counter(counts))
        first_write.set()
        assert release.wait(timeout=30)

    with ThreadPoolExecutor(max_workers=9) as pool:
        leader = pool.submit(tally.count, 7, write)
        assert first_write.wait(timeout=30)
        others = [pool.submit(tally.count, 7 if i % 2 else 8, write) for i in range(8)]
        # Every other count joins the batch that fills while the first one is written.
        for _ in range(3000):
            if sum(tally._filling.counts.values()) == 8:
                break
            threading.Event().wait(0.01)
        assert not any(f.done() for f in others)  # none is answered before its write
        release.set()
        for f in [leader, *others]:
            f.result(timeout=30)

    assert writes == [Counter({7: 1}), Counter({7: 4, 8: 4})]


def test_a_failed_write_fails_every_count_in_its_batch_and_the_next_batch_goes_on() -> None:
    tally = AttemptTally()
    written: list[Counter[int]] = []

    def broken(counts: Counter[int]) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        tally.count(1, broken)
    tally.count(1, lambda counts: written.append(Counter(counts)))

    assert written == [Counter({1: 1})]
