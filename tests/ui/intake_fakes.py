"""Fakes for the Intake workspace's tests: wire rows and a client answering from memory."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

from ui_fakes import T0, FakeClient, make_detail, make_row

from console.errors import ApiError
from core.contracts import OrderDetail
from core.contracts.intake import (
    ArrivalStats,
    AuditFlagOut,
    BlacklistEntryIn,
    BlacklistEntryOut,
    Channel,
    ClientPolicyOut,
    ClientPolicyUpdate,
    ConvertedOrderOut,
    CoverageGap,
    DroppedLineOut,
    ImportPreview,
    IntakeMessageOut,
    IntakeMessagePage,
    IntakeReceipt,
    MessageStatus,
    OrderOrigin,
    Outcome,
    PlacementOut,
    PlatformArrivals,
    PlatformOut,
    PreviewRow,
    RecordOutcome,
    ReviewDecision,
    ReviewItem,
    ReviewPage,
    SettingsChangeOut,
)
from core.orders.lifecycle import OrderState, ServiceType

BROKEN = '{"tid": "T-3", "receiver_mobile": "13800138000", "receiver_address": ""}'


def make_flag(code: str = "token_price", reason: str = "实付 0.01 元，疑似刷单",
              score: int = 40) -> AuditFlagOut:
    return AuditFlagOut(code=code, reason=reason, score=score)


def make_review(order_id: int, score: int = 45, version: int = 1,
                flags: list[AuditFlagOut] | None = None) -> ReviewItem:
    return ReviewItem(
        order=make_row(order_id, state=OrderState.NEW, version=version, platform="tmall"),
        customer_phone="13800138000", address="北京市朝阳区建国路88号", amount_fen=1,
        score=score, flags=flags if flags is not None else [make_flag(score=score)],
        platform_order_id=f"TB{order_id}",
    )


def make_message(message_id: int, status: MessageStatus = MessageStatus.DEAD,
                 payload: str = BROKEN, field: str = "trade.receiver_address",
                 reason: str = "地址为空", platform: str = "taobao") -> IntakeMessageOut:
    return IntakeMessageOut(
        id=message_id, platform=platform, channel=Channel.WEBHOOK,
        platform_order_id=f"T-{message_id}", received_at=T0 + timedelta(minutes=message_id),
        status=status, field=field, reason=reason, content_type="application/json",
        payload=payload, order_ids=[], retried_as=None, resolved_by="", resolved_at=None,
        resolution="",
    )


def make_arrivals(**dead: int) -> ArrivalStats:
    rows = [
        PlatformArrivals(platform="tmall", label="天猫服务工单", received=12, converted=9,
                         review=2, refused=0, dead=dead.get("tmall", 1), last_at=T0),
        PlatformArrivals(platform="jd", label="京东", received=5, converted=5, review=0,
                         refused=0, dead=dead.get("jd", 0), last_at=None),
    ]
    return ArrivalStats(since=T0, platforms=rows)


def make_placement(county: str = "朝阳区", adcode: str | None = "110105") -> PlacementOut:
    return PlacementOut(adcode=adcode, province="北京市", city="北京市", county=county,
                        lng=116.44, lat=39.92, confidence=0.95, method="hints",
                        note="朝阳区 在北京和长春都有；按城市字段取北京")


def make_converted(trade: str = "aircon", review: bool = False) -> ConvertedOrderOut:
    return ConvertedOrderOut(
        platform="erp", platform_order_id="E-1", trade=trade, intent="new",
        customer_name="张三", customer_phone="13800138000", address="建国路88号",
        placement=make_placement(), service_type=ServiceType.INSTALL, skills=["aircon"],
        items=[], dropped=[DroppedLineOut(sku="GIFT", name="赠品挂钩", quantity=1,
                                          reason="赠品，无需上门")],
        audit_decision="review" if review else "pass", audit_score=45 if review else 0,
        audit_flags=[make_flag()] if review else [], covered=True,
        split_note="", classify_note="",
    )


def make_preview() -> ImportPreview:
    rows = [
        PreviewRow(index=0, platform_order_id="E-1", ok=True,
                   orders=[make_converted("aircon"), make_converted("water_heater", True)]),
        PreviewRow(index=1, platform_order_id="E-2", ok=False, field="receiver_phone",
                   problem="缺少收货人电话"),
        PreviewRow(index=2, platform_order_id="E-3", ok=True, orders=[make_converted()]),
    ]
    return ImportPreview(platform="erp", filename="orders.csv", rows=rows, ok_count=2,
                         problem_count=1)


def make_origin() -> OrderOrigin:
    return OrderOrigin(
        platform_order_ids=["TB1001", "TB1002"], trade="aircon",
        split_note="1 笔订单按工种拆为 2 张服务单", merged_from=["TB1002"],
        dropped=[DroppedLineOut(sku="GIFT-1", name="赠品挂钩", quantity=2,
                                reason="赠品，无需上门")],
        audit_score=45, audit_flags=[make_flag()], audit_decision="review",
        placement=make_placement(), covered=False, classify_note="按商品目录：空调安装",
        region_standard={"adcode": "110105", "accept_minutes": 30, "fee_level": "A"},
    )


def make_policy(code: str = "midea", name: str = "美的", version: int = 1,
                audit_mode: str = "auto_pass", coverage_mode: str = "covered_only",
                merge_window_minutes: int = 30, review_threshold: int = 40) -> ClientPolicyOut:
    return ClientPolicyOut.model_validate({
        "code": code, "name": name, "shops": [f"{name}官方旗舰店", f"{name}京东自营"],
        "audit_mode": audit_mode, "coverage_mode": coverage_mode,
        "merge_window_minutes": merge_window_minutes, "review_threshold": review_threshold,
        "version": version, "updated_by": "张主管", "updated_at": T0,
    })


def make_entry(entry_id: int, phone: str = "13900000000", address: str = "",
               reason: str = "多次刷单", active: bool = True) -> BlacklistEntryOut:
    return BlacklistEntryOut(
        id=entry_id, phone=phone, address=address, reason=reason, created_by="张主管",
        created_at=T0 + timedelta(minutes=entry_id), active=active,
        removed_by="" if active else "李主管", removed_at=None if active else T0,
        removed_reason="" if active else "误判",
    )


def make_change(change_id: int, subject: str = "client:midea") -> SettingsChangeOut:
    return SettingsChangeOut(
        id=change_id, at=T0 + timedelta(minutes=change_id), actor="张主管", subject=subject,
        reason="大促期间刷单多", before={"audit_mode": "auto_pass", "version": 1},
        after={"audit_mode": "manual", "version": 2},
    )


def receipt(platform: str, *outcomes: Outcome) -> IntakeReceipt:
    rows = [RecordOutcome(index=i, platform_order_id=f"X{i}", outcome=o,
                          order_ids=[100 + i] if o != Outcome.DEAD else [],
                          field="address" if o == Outcome.DEAD else "",
                          reason="地址为空" if o == Outcome.DEAD else "")
            for i, o in enumerate(outcomes)]
    return IntakeReceipt(platform=platform, received=len(rows), outcomes=rows)


class FakeIntakeClient(FakeClient):
    """FakeClient plus the conversion centre's endpoints; records what it was sent."""

    def __init__(self, detail: OrderDetail | None = None) -> None:
        super().__init__(detail)
        self.review_rows = [make_review(1, score=45), make_review(2, score=80, version=3)]
        self.message_rows = [make_message(7), make_message(6, MessageStatus.DISCARDED)]
        self.arrival_stats = make_arrivals()
        self.gaps = [CoverageGap(county_adcode="652201", county_name="哈密市", city="哈密",
                                 orders=3, last_at=T0)]
        self.origins: dict[int, OrderOrigin | None] = {}
        self.calls: list[str] = []
        self.decisions: list[tuple[int, ReviewDecision]] = []
        self.retries: list[tuple[int, str | None]] = []
        self.discards: list[tuple[int, str]] = []
        self.imports: list[tuple[str, bytes, str, str, bool]] = []
        self.preview = make_preview()
        self.import_receipt = receipt("erp", Outcome.CREATED, Outcome.DEAD, Outcome.MERGED)
        self.retry_receipt = receipt("taobao", Outcome.CREATED)
        self.decide_error: Exception | None = None
        self.retry_errors: list[Exception] = []
        self.discard_error: Exception | None = None
        self.gate: asyncio.Future[None] | None = None  # holds every list answer while set
        self.policies = [make_policy(), make_policy("haier", "海尔", version=4,
                                                   audit_mode="manual",
                                                   coverage_mode="accept_all",
                                                   merge_window_minutes=0)]
        self.entries = [make_entry(1), make_entry(2, phone="", address="上海市浦东新区某路1号"),
                        make_entry(3, active=False)]
        self.changes = [make_change(1), make_change(2, "blacklist:3")]
        self.policy_updates: list[tuple[str, ClientPolicyUpdate]] = []
        self.added: list[BlacklistEntryIn] = []
        self.removals: list[tuple[int, str]] = []
        self.blacklist_queries: list[str] = []
        self.policy_error: Exception | None = None
        self.removal_error: Exception | None = None
        self.add_errors: list[Exception] = []

    async def _wait(self, name: str) -> None:
        self.calls.append(name)
        if self.gate is not None:
            await self.gate

    async def arrivals(self, since: datetime | None = None) -> ArrivalStats:
        await self._wait("arrivals")
        return self.arrival_stats

    async def coverage_gaps(self) -> list[CoverageGap]:
        await self._wait("coverage_gaps")
        return self.gaps

    async def reviews(self) -> ReviewPage:
        await self._wait("reviews")
        return ReviewPage(rows=self.review_rows, total=len(self.review_rows))

    async def intake_messages(self, *, status: str | None = None, platform: str | None = None,
                              limit: int = 200, cursor: str | None = None) -> IntakeMessagePage:
        await self._wait(f"messages:{status or ''}")
        rows = [m for m in self.message_rows if status is None or m.status == status]
        return IntakeMessagePage(rows=rows[:limit], next_cursor=None)

    async def intake_message(self, message_id: int) -> IntakeMessageOut:
        for message in self.message_rows:
            if message.id == message_id:
                return message
        raise ApiError(404, "Not found", f"message {message_id}")

    async def retry_message(self, message_id: int, payload: str | None = None) -> IntakeReceipt:
        self.retries.append((message_id, payload))
        if self.retry_errors:
            raise self.retry_errors.pop(0)
        self._resolve(message_id, MessageStatus.RETRIED)
        return self.retry_receipt

    async def discard_message(self, message_id: int, reason: str) -> IntakeMessageOut:
        self.discards.append((message_id, reason))
        if self.discard_error is not None:
            raise self.discard_error
        return self._resolve(message_id, MessageStatus.DISCARDED, reason)

    def _resolve(self, message_id: int, status: MessageStatus, resolution: str = ""
                 ) -> IntakeMessageOut:
        at = next(i for i, m in enumerate(self.message_rows) if m.id == message_id)
        done = self.message_rows[at].model_copy(update={
            "status": status, "resolution": resolution, "resolved_by": "agent"})
        self.message_rows[at] = done
        return done

    async def decide_review(self, order_id: int, decision: ReviewDecision) -> OrderDetail:
        self.decisions.append((order_id, decision))
        if self.decide_error is not None:
            error, self.decide_error = self.decide_error, None
            raise error
        self.review_rows = [r for r in self.review_rows if r.order.id != order_id]
        state = OrderState.CLASSIFIED if decision.approve else OrderState.CANCELLED
        return make_detail(order_id, state=state, version=decision.version + 1)

    async def intake_platforms(self) -> list[PlatformOut]:
        return [PlatformOut(name="tmall", label="天猫服务工单",
                               content_types=["application/json"]),
                PlatformOut(name="erp", label="品牌 ERP",
                               content_types=["text/csv", "application/json"])]

    async def preview_import(self, platform: str, body: bytes, content_type: str,
                             filename: str) -> ImportPreview:
        self.imports.append((platform, body, content_type, filename, True))
        return self.preview

    async def import_file(self, platform: str, body: bytes, content_type: str,
                          filename: str) -> IntakeReceipt:
        self.imports.append((platform, body, content_type, filename, False))
        return self.import_receipt

    async def order_origin(self, order_id: int) -> OrderOrigin | None:
        self.calls.append(f"origin:{order_id}")
        return self.origins.get(order_id)


class FakeSettingsClient(FakeIntakeClient):
    """FakeIntakeClient plus the intake settings: client policies, the blacklist, the log."""

    async def client_policies(self) -> list[ClientPolicyOut]:
        await self._wait("clients")
        return list(self.policies)

    async def update_client_policy(self, code: str, update: ClientPolicyUpdate
                                   ) -> ClientPolicyOut:
        self.policy_updates.append((code, update))
        if self.policy_error is not None:
            error, self.policy_error = self.policy_error, None
            raise error
        at = next(i for i, p in enumerate(self.policies) if p.code == code)
        values = update.model_dump(exclude={"reason", "version"})
        saved = self.policies[at].model_copy(update={**values, "version": update.version + 1})
        self.policies[at] = saved
        return saved

    async def blacklist(self, active: str = "true") -> list[BlacklistEntryOut]:
        await self._wait(f"blacklist:{active}")
        self.blacklist_queries.append(active)
        if active == "all":
            return list(self.entries)
        return [e for e in self.entries if e.active == (active == "true")]

    async def add_blacklist_entry(self, entry: BlacklistEntryIn) -> BlacklistEntryOut:
        self.added.append(entry)
        if self.add_errors:
            raise self.add_errors.pop(0)
        added = make_entry(max(e.id for e in self.entries) + 1, entry.phone, entry.address,
                           entry.reason)
        self.entries.append(added)
        return added

    async def remove_blacklist_entry(self, entry_id: int, reason: str) -> BlacklistEntryOut:
        self.removals.append((entry_id, reason))
        if self.removal_error is not None:
            error, self.removal_error = self.removal_error, None
            raise error
        at = next(i for i, e in enumerate(self.entries) if e.id == entry_id)
        removed = self.entries[at].model_copy(update={
            "active": False, "removed_by": "张主管", "removed_at": T0,
            "removed_reason": reason})
        self.entries[at] = removed
        return removed

    async def settings_log(self, limit: int = 50) -> list[SettingsChangeOut]:
        await self._wait("settings_log")
        return self.changes[:limit]


def pretty(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, indent=2)

