"""Fakes for the console's Qt tests: a store, a client and wire rows, all in memory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from core.contracts import (
    ActionRequest,
    ItemOut,
    OrderDetail,
    OrderRow,
    RegionOut,
    TechnicianOut,
    TimelineEntry,
    TokenOut,
    UserOut,
)
from core.contracts.dispatch import CandidateOut, PoolSummary
from core.contracts.fieldwork.followups import ComplaintsOut, WorklistOut
from core.contracts.fieldwork.review import ReviewQueueOut
from core.contracts.fieldwork.risk import RiskListOut
from core.contracts.intake import ArrivalStats, IntakeMessagePage, ReviewPage
from core.orders.lifecycle import OrderState, Role, ServiceType, allowed_actions

T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
STATES = [s for s in OrderState]
COUNTIES = [("110105", "朝阳区", "北京市"), ("310115", "浦东新区", "上海市"),
            ("330106", "西湖区", "杭州市"), ("440106", "天河区", "广州市")]
PLATFORMS = ["tmall", "jd", "own", "suning"]
SERVICES = [ServiceType.INSTALL, ServiceType.REPAIR, ServiceType.MEASURE]


def make_row(i: int, **changes: Any) -> OrderRow:
    """A deterministic queue row; order i is created i minutes after T0."""
    adcode, county, city = COUNTIES[i % len(COUNTIES)]
    values: dict[str, Any] = dict(
        id=i, order_no=f"LM{i:08d}", platform=PLATFORMS[i % len(PLATFORMS)],
        customer_name=f"客户{i}", county_adcode=adcode, county_name=county, city=city,
        service_type=SERVICES[i % len(SERVICES)], state=STATES[i % 10],
        technician_id=None, technician_name="", lng=116.4, lat=39.9, version=1,
        created_at=T0 + timedelta(minutes=i), state_changed_at=T0 + timedelta(minutes=i),
    )
    values.update(changes)
    return OrderRow(**values)


@dataclass
class StoreChange:
    kind: str
    rows: list[OrderRow]


@dataclass
class FakeStore:
    rows: dict[int, OrderRow] = field(default_factory=dict)
    cursor: str | None = None
    _subscribers: list[Callable[[StoreChange], None]] = field(default_factory=list)

    def subscribe(self, callback: Callable[[StoreChange], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def emit(self, kind: str, rows: list[OrderRow]) -> None:
        if kind == "reset":
            self.rows = {r.id: r for r in rows}
        elif kind == "upsert":
            self.rows.update({r.id: r for r in rows})
        else:
            for r in rows:
                self.rows.pop(r.id, None)
        for callback in list(self._subscribers):
            callback(StoreChange(kind, rows))


def make_detail(order_id: int = 7, *, state: OrderState = OrderState.DISPATCHING,
                version: int = 3, role: Role = Role.AGENT) -> OrderDetail:
    row = make_row(order_id, state=state, version=version)
    timeline = [
        TimelineEntry(seq=1, kind="created", from_state=None, to_state=OrderState.NEW,
                      actor="centre", actor_role="admin", reason="", at=T0, version=1, data={}),
        TimelineEntry(seq=2, kind="action", from_state=OrderState.NEW,
                      to_state=OrderState.AUDITED, actor="agent", actor_role="agent",
                      reason="地址核实", at=T0 + timedelta(minutes=5), version=2, data={}),
        TimelineEntry(seq=3, kind="action", from_state=OrderState.AUDITED,
                      to_state=state, actor="agent", actor_role="agent", reason="",
                      at=T0 + timedelta(minutes=9), version=3, data={}),
    ]
    return OrderDetail(
        **row.model_dump(), platform_order_id="123456789012345678",
        customer_phone="13800138000", address="北京市朝阳区建国路88号", province="北京市",
        skills=["aircon"],
        items=[ItemOut(sku="AC-1", name="空调 1.5匹", quantity=1, unit_price_fen=129900),
               ItemOut(sku="BR-1", name="支架", quantity=2, unit_price_fen=5050)],
        amount_fen=140000, appointment_start=None, appointment_end=None,
        parent_id=None, frozen_from=None,
        allowed_actions=allowed_actions(state, role), timeline=timeline,
    )


def make_technician(tid: int, name: str, load: int = 1) -> TechnicianOut:
    return TechnicianOut(
        id=tid, name=name, phone=f"139000000{tid:02d}", skills=["aircon"],
        county_adcode="110105", county_name="朝阳区", service_point="朝阳站",
        home_lng=116.45, home_lat=39.92, daily_capacity=6, load_today=load, active=True,
    )


def make_candidates() -> list[CandidateOut]:
    return [
        CandidateOut(technician=make_technician(11, "王师傅"), rank=1, score=90.0,
                     distance_km=2.5, reasons=["距离 2.5 公里", "今日 1/6 单"], breaks=[],
                     terms={"distance": 40.0}),
        CandidateOut(technician=make_technician(12, "李师傅", load=6), rank=2, score=20.0,
                     distance_km=14.0, reasons=["距离 14.0 公里", "今日 6/6 单"],
                     breaks=["缺少技能「空调」", "今日已满 6/6 单"], terms={"distance": 10.0},
                     eligible=False, skills_ok=False, has_capacity=False),
    ]


class FakeClient:
    """Answers like LastmileClient from in-memory orders; records every action."""

    def __init__(self, detail: OrderDetail | None = None) -> None:
        self.details: dict[int, OrderDetail] = {}
        if detail is not None:
            self.details[detail.id] = detail
        self.acts: list[tuple[int, ActionRequest]] = []
        self.order_calls: list[int] = []
        self.fail_next_act: Exception | None = None
        self.candidate_list = make_candidates()
        self.region_list = [RegionOut(adcode="110105", name="朝阳区", level="county",
                                      parent="110100", lng=116.44, lat=39.92)]
        self.login_error: Exception | None = None

    async def login(self, username: str, password: str) -> TokenOut:
        if self.login_error is not None:
            raise self.login_error
        user = UserOut(username=username, display_name=username, role=Role(username))
        return TokenOut(access_token="t", expires_at=T0 + timedelta(days=1), user=user)

    async def order(self, order_id: int) -> OrderDetail:
        self.order_calls.append(order_id)
        return self.details[order_id]

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail:
        self.acts.append((order_id, request))
        if self.fail_next_act is not None:
            error, self.fail_next_act = self.fail_next_act, None
            raise error
        detail = self.details[order_id]
        updated = detail.model_copy(update={"version": detail.version + 1})
        self.details[order_id] = updated
        return updated

    async def candidates(self, order_id: int, all_cities: bool = False) -> list[CandidateOut]:
        return self.candidate_list

    async def technicians(self) -> list[TechnicianOut]:
        return [c.technician for c in self.candidate_list]

    async def regions(self, level: str | None = None, parent: str | None = None
                      ) -> list[RegionOut]:
        return self.region_list

    async def health(self) -> dict[str, Any]:
        return {"status": "ok"}

    async def aclose(self) -> None:
        return None

    # -- every other call a workspace's desks make: a server with nothing in it ---------
    # (the role's spec alone decides which desks a workspace has, so a fake answers them all;
    # the feature fakes override what their tests look at)

    async def order_origin(self, order_id: int) -> None:
        return None

    async def arrivals(self, since: datetime | None = None) -> ArrivalStats:
        return ArrivalStats(since=T0, platforms=[])

    async def coverage_gaps(self) -> list[Any]:
        return []

    async def reviews(self) -> ReviewPage:
        return ReviewPage(rows=[], total=0)

    async def intake_messages(self, **query: Any) -> IntakeMessagePage:
        return IntakeMessagePage(rows=[], next_cursor=None)

    async def intake_platforms(self) -> list[Any]:
        return []

    async def client_policies(self) -> list[Any]:
        return []

    async def blacklist(self, active: str = "true") -> list[Any]:
        return []

    async def settings_log(self, limit: int = 50) -> list[Any]:
        return []

    async def needs_person(self) -> list[Any]:
        return []

    async def grab_pool(self, status: str | None = None, limit: int = 200) -> PoolSummary:
        return PoolSummary(open=0, claimed=0, expired=0, withdrawn=0, views=0,
                           claim_attempts=0, below_floor=0, rows=[])

    async def dispatch_policies(self) -> list[Any]:
        return []

    async def dispatch_policy_log(self, scope: str | None = None, limit: int = 100) -> list[Any]:
        return []

    async def service_points(self, region: str = "") -> list[Any]:
        return []

    async def technician_log(self, technician_id: int, limit: int = 100) -> list[Any]:
        return []

    async def technician_route(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no route is asked for until a technician is chosen")

    async def effective_policy(self, region: str) -> Any:
        raise AssertionError("no region's policy is shown in this test")

    async def effective_limits(self, region: str, service_type: str = "any") -> Any:
        raise AssertionError("no region's time limits are shown in this test")

    async def sla_limits_scope(self, scope: str) -> Any:
        raise AssertionError("no scope's time limits are shown in this test")

    async def put_sla_limits(self, scope: str, change: Any) -> Any:
        raise AssertionError("no time limits are changed in this test")

    async def sla_limits_log(self, scope: str | None = None, limit: int = 100) -> Any:
        raise AssertionError("no change log of time limits is shown in this test")

    async def sla_board(self, region: str | None = None, step: str | None = None) -> Any:
        from core.contracts.sla_board import AlertTally, BoardOut

        none = AlertTally(key="", label="total", notice=0, warning=0, severe=0)
        return BoardOut(at=T0, total=none, by_city=[], by_county=[], by_step=[],
                        by_service_point=[], by_technician=[])

    async def sla_alerts(self, after: str | None = None, limit: int = 200,
                         level: str | None = None, region: str | None = None,
                         step: str | None = None) -> list[Any]:
        return []

    async def sla_on_time(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    async def sla_export(self, *args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("no SLA export is made in this test")

    async def sla_urges(self, answered: bool | None = None, limit: int = 200,
                        offset: int = 0) -> list[Any]:
        return []

    async def urge_order(self, order_id: int, text: str, target: str = "technician") -> Any:
        raise AssertionError("no order is urged in this test")

    async def reply_urge(self, urge_id: int, text: str, version: int) -> Any:
        raise AssertionError("no urge is answered in this test")

    async def urge_policy(self) -> Any:
        raise AssertionError("the urging policy is not opened in this test")

    async def put_urge_policy(self, change: Any) -> Any:
        raise AssertionError("the urging policy is not changed in this test")

    async def urge_policy_log(self, limit: int = 100) -> list[Any]:
        raise AssertionError("the urging policy is not opened in this test")

    async def technician_risk(self, days: int = 30) -> RiskListOut:
        return RiskListOut(days=days, since=T0 - timedelta(days=days), until=T0, technicians=[])

    async def technician_risk_detail(self, technician_id: int, days: int = 30) -> Any:
        raise AssertionError("no technician's risk is opened in this test")

    async def verification_reviews(self, limit: int = 200) -> ReviewQueueOut:
        return ReviewQueueOut(served=0, rows=[])

    async def order_evidence(self, order_id: int) -> Any:
        raise AssertionError("no order's evidence is opened in this test")

    async def photo_thumbnail(self, photo_id: int) -> bytes:
        raise AssertionError("no photo is shown in this test")

    async def followup_worklist(self, scope: str = "due", offset: int = 0,
                                limit: int = 50) -> WorklistOut:
        return WorklistOut(scope="due" if scope == "due" else "open", total=0, due=0,
                           offset=offset, limit=limit, rows=[])

    async def complaints(self, status: str = "open", offset: int = 0,
                         limit: int = 50) -> ComplaintsOut:
        return ComplaintsOut(total=0, open=0, offset=offset, limit=limit, rows=[])

    async def review_policy(self, client_code: str) -> Any:
        raise AssertionError("no review policy is read in this test")

    async def _unexpected(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("this test sends no such change")

    intake_message = retry_message = discard_message = decide_review = _unexpected
    preview_import = import_file = update_client_policy = add_blacklist_entry = _unexpected
    remove_blacklist_entry = assign_orders = put_dispatch_policy = _unexpected
    delete_dispatch_policy = update_technician = set_review_completions = _unexpected
    decide_verification = record_followup = rule_complaint = _unexpected
