"""The one assign handler called directly with a real SQLite unit of work: it ranks the chosen
technician, records why and the rules broken knowingly, and in bulk gives each order its own
result."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from order_world import AGENT, LI, T0, WANG, ZHOU, engine, world_template
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.errors import Invalid
from core.orders import commands as c
from core.orders.model import ServiceOrder
from core.services import assign as handler
from core.services.assign import AssignOrder, assign_each, assign_order
from core.storage.orders.repository import OrderRepository
from core.storage.tables import OrderEventRecord, OrderRecord, TechnicianRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
NOW = T0 + timedelta(hours=1)


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


def _manual(engine: Engine, order_id: int) -> int:
    """Walk the order to manual dispatch; its version."""
    with UnitOfWork(engine, clock=SimulatedClock(T0)) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command in (c.Audit(), c.Place(), c.Classify(), c.OpenDispatch(mode="manual")):
            order.apply(command, AGENT, T0)
        uow.orders.save(order)
        uow.commit()
        return order.version


def _last_event(engine: Engine, order_id: int) -> OrderEventRecord:
    with Session(engine) as s:
        found = s.scalars(select(OrderEventRecord).where(OrderEventRecord.order_id == order_id)
                          .order_by(OrderEventRecord.seq.desc()).limit(1)).first()
    assert found is not None
    return found


def _assign(engine: Engine, clock: SimulatedClock, cmd: AssignOrder) -> ServiceOrder:
    return assign_order(cmd, UnitOfWork(engine, clock=clock)).order


def test_a_chosen_technician_is_ranked_and_the_why_recorded(
        engine: Engine, clock: SimulatedClock) -> None:
    version = _manual(engine, 1)

    order = _assign(engine, clock, AssignOrder(1, version, AGENT, "客户加急", technician_id=WANG))

    assert order.technician_id == WANG and order.dispatch_pinned  # a person's choice is pinned
    assert order.accept_by is not None and order.accept_by > NOW
    event = _last_event(engine, 1)
    assert event.reason.startswith("人工派单：距离") and "明知违反" not in event.reason
    assert event.reason.endswith("：「客户加急」")  # his words, quoted after both languages
    assert set(event.data["terms"]) == {"distance", "load", "rating", "sla", "ratio"}
    assert event.data["technician_name"] == "Wang Jian"


def test_a_rule_broken_on_purpose_is_recorded(engine: Engine, clock: SimulatedClock) -> None:
    version = _manual(engine, 1)

    order = _assign(engine, clock, AssignOrder(1, version, AGENT, technician_id=LI, pinned=False))

    assert order.technician_id == LI and not order.dispatch_pinned
    reason = _last_event(engine, 1).reason
    assert reason.startswith("人工派单：") and "明知违反：缺少技能「空调」" in reason


def test_without_a_technician_the_best_eligible_one_is_chosen(
        engine: Engine, clock: SimulatedClock) -> None:
    version = _manual(engine, 1)
    assert _assign(engine, clock, AssignOrder(1, version, AGENT)).technician_id == WANG


@pytest.mark.parametrize("technician_id", [2_000, ZHOU])
def test_an_unknown_or_inactive_technician_names_the_field(
        engine: Engine, clock: SimulatedClock, technician_id: int) -> None:
    with Session(engine) as s:
        s.execute(update(TechnicianRecord).where(TechnicianRecord.id == ZHOU)
                  .values(active=False))
        s.commit()
    version = _manual(engine, 1)

    with pytest.raises(Invalid) as err:
        _assign(engine, clock, AssignOrder(1, version, AGENT, technician_id=technician_id))
    assert err.value.loc == ("body", "technician_id")
    assert f"没有在岗的师傅 {technician_id}" in err.value.message


def test_bulk_gives_each_order_its_own_result(engine: Engine, clock: SimulatedClock) -> None:
    first, second = _manual(engine, 1), _manual(engine, 2)
    with Session(engine) as s:  # nobody meets every rule for order 3
        s.execute(update(OrderRecord).where(OrderRecord.id == 3).values(skills=["plumbing"]))
        s.commit()
    third = _manual(engine, 3)

    results = assign_each([
        AssignOrder(1, first, AGENT, "派给最近的"),
        AssignOrder(2, second - 1, AGENT, technician_id=WANG),
        AssignOrder(3, third, AGENT),
        AssignOrder(99, 1, AGENT),
    ], UnitOfWork(engine, clock=clock))

    ok, stale, nobody, missing = results
    assert (ok.status, ok.technician_id, ok.technician_name) == (200, WANG, "Wang Jian")
    assert (stale.status, stale.current_version, stale.order_no) == (
        409, second, "LM20260302000002")
    assert nobody.status == 422 and "没有符合全部规则的师傅" in nobody.detail
    assert missing.status == 404
    with Session(engine) as s:
        repo = OrderRepository(s)
        assert [repo.get(n).technician_id for n in (1, 2, 3)] == [  # type: ignore[union-attr]
            WANG, None, None]


def test_the_rules_refusal_is_the_orders_result_not_an_error(
        engine: Engine, clock: SimulatedClock) -> None:
    with Session(engine) as s:
        version = OrderRepository(s).get(1).version  # type: ignore[union-attr]

    # still new: not dispatching yet
    (result,) = assign_each([AssignOrder(1, version, AGENT, technician_id=WANG)],
                            UnitOfWork(engine, clock=clock))

    assert result.status == 422 and "not allowed in state 'new'" in result.detail
    assert result.order_no == "LM20260302000001"


def test_ranking_holds_no_write_lock_and_a_change_meanwhile_is_409(
        engine: Engine, clock: SimulatedClock, monkeypatch: pytest.MonkeyPatch) -> None:
    version = _manual(engine, 1)
    ranked = handler.ranked_candidates

    def rank_while_someone_writes(session: Session, order: Any, now: datetime) -> Any:
        found = ranked(session, order, now)
        with UnitOfWork(engine, clock=clock) as other:  # would wait if a write lock were held
            marked = other.orders.get(1)
            assert marked is not None
            marked.apply(c.Mark(tags=["urgent"]), AGENT, now, "加急")
            other.orders.save(marked)
            other.commit()
        return found

    monkeypatch.setattr(handler, "ranked_candidates", rank_while_someone_writes)
    (result,) = assign_each([AssignOrder(1, version, AGENT)], UnitOfWork(engine, clock=clock))

    assert (result.status, result.current_version) == (409, version + 1)
    with Session(engine) as s:
        order = OrderRepository(s).get(1)
    assert order is not None and order.technician_id is None and order.tags == ["urgent"]
