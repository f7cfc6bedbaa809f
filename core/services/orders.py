"""Use cases on one order: a lifecycle action, an after-sales request, a new order by hand.

Assigning by a person has its own handler (core.services.assign), behind both assign routes;
claiming goes through the grab pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from core.contracts import OrderCreate
from core.errors import Invalid, NotFound, Refused
from core.geo.regions import load_regions
from core.orders import commands as c
from core.orders.errors import StaleVersion
from core.orders.model import Actor, OrderItem, ServiceOrder
from core.orders.privacy import order_visible
from core.services.fieldwork.axb import AxbProvider
from core.services.fieldwork.axb_bindings import after_lifecycle, try_now
from core.storage.orders.numbers import next_order_numbers
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork

# Taken elsewhere: a claim needs the grab pool's conditional update (exactly one winner), an
# assignment by a person is ranked first (core.services.assign), a check-in judges the
# phone's position (core.services.fieldwork.checkin), a booking judges the call behind it and
# issues the completion code (core.services.fieldwork.appointments), a completion checks the
# evidence and may verify the order at once, a person's verification weighs the evidence in
# the review queue (core.services.fieldwork.completion, .review), and cannot-complete raises
# its flag with the step.
_ELSEWHERE: dict[str, str] = {
    c.Claim.action: "抢单请走抢单池 (claim an order through POST /v1/grab/offers/{order_id}/claim)",
    c.Assign.action: "派单请走派单处理 (an assignment goes through core.services.assign)",
    c.CheckIn.action: "签到请走签到接口，需上传位置 (check in through POST "
                      "/v1/orders/{order_id}/check-in, with the position)",
    c.Appoint.action: "预约请走预约接口 (book through POST /v1/orders/{order_id}/appointment)",
    c.Complete.action: "完工请走完工接口 (complete through POST /v1/orders/{order_id}/complete)",
    c.CannotComplete.action: "无法完工请走其接口并说明原因 (report it through POST "
                             "/v1/orders/{order_id}/cannot-complete, with the reason code)",
    c.Verify.action: "核验请在核验审核中通过 (verify in the verification review: POST "
                     "/v1/orders/{order_id}/verification-review)",
}


@dataclass(frozen=True)
class PerformAction:
    """A lifecycle action on an order, based on the version the caller has seen. `axb`: the
    virtual-number provider to bind (accept) or release (refuse, complete, cancel) with at once
    after the commit; None leaves it to the scheduled round (core.services.fieldwork
    .axb_bindings)."""

    order_id: int
    version: int
    command: c.Command
    actor: Actor
    reason: str = ""
    axb: AxbProvider | None = None


@dataclass(frozen=True)
class OpenAfterSales:
    """An after-sales request on a finished order: a new order linked to it."""

    order_id: int
    version: int
    actor: Actor
    reason: str


@dataclass(frozen=True)
class CreateOrder:
    """An order entered by hand at the desk."""

    order: OrderCreate
    actor: Actor


def load_visible(repo: OrderRepository, order_id: int, actor: Actor) -> ServiceOrder:
    """The order, if it exists and the actor may see it (a technician: only his own)."""
    order = repo.get(order_id)
    if order is None:
        raise NotFound(f"没有工单 {order_id} (there is no order {order_id})")
    if not order_visible(actor.role, actor.technician_id, order.technician_id):
        raise Refused(f"工单 {order_id} 不是派给你的 (order {order_id} is not assigned to you)")
    return order


def check_county(adcode: str | None, loc: tuple[str | int, ...]) -> None:
    """Invalid, naming the field, when an adcode is not a county we know."""
    if adcode is None:
        return
    region = load_regions().get(adcode)
    if region is None or region.level != "county":
        raise Invalid(f"'{adcode}' 不是已知的区县编码 ('{adcode}' is not a known county adcode)",
                      loc=loc)


def _resolved(command: c.Command) -> c.Command:
    """The command with what the caller need not know filled in (a county's name)."""
    if isinstance(command, c.Place) and command.county_adcode is not None:
        check_county(command.county_adcode, ("body", "county_adcode"))
        if command.county_name is None:
            return replace(command, county_name=county_name(command.county_adcode))
    return command


def current_order(uow: UnitOfWork, order_id: int, version: int, actor: Actor) -> ServiceOrder:
    """The order to change, inside the caller's transaction: it exists (NotFound 404), the
    actor may see it (Refused 403: a technician only his own) and it is still at the version
    the caller saw (StaleVersion 409 with the current one). Every use case that changes an
    order from a version it was shown starts here; `uow.orders.save` catches a write that wins
    meanwhile."""
    order = load_visible(uow.orders, order_id, actor)
    if version != order.version:
        raise StaleVersion(order_id, version, order.version)
    return order


def not_taken_here(action: str) -> None:
    """Invalid (naming the action field) for an action with a use case of its own."""
    elsewhere = _ELSEWHERE.get(action)
    if elsewhere is not None:
        raise Invalid(elsewhere, loc=("body", "action"))


def take_action(uow: UnitOfWork, order: ServiceOrder, command: c.Command, actor: Actor,
                now: datetime, reason: str) -> list[int]:
    """Apply one lifecycle action to an order of the caller's transaction and save it; the
    virtual-number bindings it queued (`try_now` them after the commit). Every use case that
    takes a lifecycle action goes through here, so none forgets the binding."""
    order.apply(command, actor, now, reason)
    uow.orders.save(order)
    # The virtual number follows the technician: bound on accept, released when he leaves.
    return after_lifecycle(uow.session, order, command.action, actor, now)


def perform_action(cmd: PerformAction, uow: UnitOfWork) -> ServiceOrder:
    """Apply one lifecycle action; the order as it is afterwards."""
    not_taken_here(cmd.command.action)
    command = _resolved(cmd.command)
    now = uow.clock.now()
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        bindings = take_action(uow, order, command, cmd.actor, now, cmd.reason)
        uow.commit()
    try_now(uow, cmd.axb, bindings)
    return order


def open_after_sales(cmd: OpenAfterSales, uow: UnitOfWork) -> ServiceOrder:
    """Record the request on the order and return the new after-sales order."""
    now = uow.clock.now()
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        child = after_sales_in(uow, order, cmd.actor, now, cmd.reason)
        uow.orders.save(order)
        uow.commit()
    return child


def after_sales_in(uow: UnitOfWork, order: ServiceOrder, actor: Actor, now: datetime,
                   reason: str) -> ServiceOrder:
    """The after-sales order of `order`, added in the caller's transaction (its number
    reserved, a platform reference of its own); the caller saves `order`. The desk's request
    and a follow-up call's problem both open one here."""
    (number,) = next_order_numbers(uow.session, now)
    child = order.open_after_sales(actor, now, reason, number)
    # A second after-sales request on the same order needs its own platform reference.
    base, n = child.platform_order_id, 1
    while uow.orders.exists(child.platform, child.platform_order_id):
        n += 1
        child.platform_order_id = f"{base}{n}"
    uow.orders.add(child)
    return child


def create_order(cmd: CreateOrder, uow: UnitOfWork) -> ServiceOrder:
    """A new order as the desk entered it, with its 'created' event (DuplicateOrder: 409)."""
    check_county(cmd.order.county_adcode, ("body", "county_adcode"))
    now = uow.clock.now()
    with uow:
        (order,) = build_orders(uow.session, [(cmd.order, now)], cmd.actor)
        uow.orders.add(order)
        uow.commit()
    return order


def county_name(adcode: str | None) -> str:
    region = load_regions().get(adcode) if adcode else None
    return region.name if region else ""


def build_orders(
    session: Session, orders: Sequence[tuple[OrderCreate, datetime]], actor: Actor
) -> list[ServiceOrder]:
    """Aggregates for new orders received at the given times, numbered in one reservation
    (the create-order handler and test fixtures; platform intake makes its own orders in
    core.services.intake.new)."""
    if not orders:
        return []
    numbers = next_order_numbers(session, orders[0][1], len(orders))
    built = []
    for (create, at), number in zip(orders, numbers, strict=True):
        fields = create.model_dump(exclude={"items"})
        built.append(
            ServiceOrder.receive(
                actor,
                at,
                order_no=number,
                items=[OrderItem(i.sku, i.name, i.quantity, i.unit_price_fen)
                       for i in create.items],
                county_name=county_name(create.county_adcode),
                **fields,
            )
        )
    return built
