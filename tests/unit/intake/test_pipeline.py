"""The conversion centre end to end over a fake locator: split, place, classify, audit, cover."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.contracts.intake import ConvertedOrderOut, to_wire
from core.contracts.orders import OrderCreate
from core.demo.dataset import build
from core.geo.regions import load_regions
from core.intake.adapters import get_adapter, read
from core.intake.catalogue import load_catalogue
from core.intake.classify import SERVICE_LABELS
from core.intake.model import AuditDecision, Intent, Placement, PlatformLine, PlatformOrder
from core.intake.pipeline import ConversionCentre, default_centre
from core.intake.policy import ClientPolicy, CoveredCounties, coverage_refusal
from core.orders.lifecycle import ServiceType
from core.sla.deadlines import RegionStandard

XIHU = Placement("330106", "浙江省", "杭州市", "西湖区", 120.13, 30.27, 0.95, "structured")
NOWHERE = Placement(None, note="无法识别省市区")


@dataclass
class FakeLocator:
    """Places addresses containing 西湖区, nothing else; records what it was asked."""

    asked: list[tuple[str, str, str, str]] = field(default_factory=list)

    def locate(self, address: str, province: str = "", city: str = "",
               district: str = "") -> Placement:
        self.asked.append((address, province, city, district))
        return XIHU if "西湖区" in address + district else NOWHERE


AIRCON = PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 2899_00, line_id="1")
HOOD = PlatformLine("KT-HOOD", "油烟机 侧吸式", 1, 2599_00, line_id="2")
MUG = PlatformLine("GF-MUG", "品牌马克杯（赠品）", 1, 0, line_id="3", gift=True)
WARRANTY = PlatformLine("VG-WARRANTY-3Y", "延保卡 3年", 1, 199_00, line_id="4")
ORDERED = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def platform_order(*lines: PlatformLine, intent: Intent = Intent.NEW, **kw) -> PlatformOrder:
    fields = dict(platform="tmall", platform_order_id="4012345678901234567", intent=intent,
                  customer_name="张三", customer_phone="13800138000",
                  address="浙江省杭州市西湖区文三路1号", province="浙江省", city="杭州市",
                  district="西湖区", lines=lines or (AIRCON,), paid_fen=None,
                  ordered_at=ORDERED, shop="格力官方旗舰店")
    fields.update(kw)
    return PlatformOrder(**fields)  # type: ignore[arg-type]


@pytest.fixture
def locator() -> FakeLocator:
    return FakeLocator()


@pytest.fixture
def centre(locator: FakeLocator) -> ConversionCentre:
    return ConversionCentre(load_catalogue(), locator)


def test_one_sale_becomes_one_placed_classified_audited_order(centre, locator) -> None:
    conversion = centre.convert(platform_order(AIRCON, MUG))

    [order] = conversion.orders
    assert (order.trade, order.service_type, order.skills) == (
        "aircon", ServiceType.INSTALL, ("aircon",))
    assert order.lines == (AIRCON,) and order.placement == XIHU
    assert order.audit.decision is AuditDecision.PASS and order.covered is None
    assert (order.shop, order.ordered_at, order.intent) == ("格力官方旗舰店", ORDERED, Intent.NEW)
    assert [d.line for d in conversion.dropped] == [MUG]
    assert "整单转为 1 张服务单（空调）" in order.split_note and "赠品" in order.split_note
    assert "目录默认" in order.classify_note
    assert locator.asked == [("浙江省杭州市西湖区文三路1号", "浙江省", "杭州市", "西湖区")]


def test_trades_split_and_the_address_is_placed_once(centre, locator) -> None:
    conversion = centre.convert(platform_order(AIRCON, HOOD))

    assert [o.trade for o in conversion.orders] == ["aircon", "kitchen"]
    assert all("拆为 2 张服务单" in o.split_note for o in conversion.orders)
    assert len(locator.asked) == 1


def test_order_level_service_tag_classifies_every_visit(centre) -> None:
    conversion = centre.convert(platform_order(AIRCON, HOOD, service_tags=("维修",)))

    assert {o.service_type for o in conversion.orders} == {ServiceType.REPAIR}


def test_nothing_to_visit_makes_no_order_and_asks_no_locator(centre, locator) -> None:
    conversion = centre.convert(platform_order(MUG, WARRANTY))

    assert conversion.orders == () and len(conversion.dropped) == 2
    assert locator.asked == []


def test_unplaceable_address_is_flagged(centre) -> None:
    [order] = centre.convert(platform_order(address="某某路1号", district="")).orders

    assert order.placement.adcode is None
    assert [f.code for f in order.audit.flags] == ["unplaceable"]
    assert "无法识别省市区" in order.audit.flags[0].reason


def test_manual_client_reviews_everything(centre) -> None:
    [order] = centre.convert(platform_order(), ClientPolicy(audit_mode="manual")).orders

    assert order.audit.decision is AuditDecision.REVIEW


def test_context_is_asked_once_for_an_order_of_several_visits(centre) -> None:
    asked: list[str] = []

    class Context:
        def orders_for_phone(self, phone: str) -> int:
            asked.append(phone)
            return 0

        def addresses_for_phone(self, phone: str) -> int:
            return 6

        def blacklisted(self, phone: str, address: str) -> str | None:
            return None

    conversion = centre.convert(platform_order(AIRCON, HOOD), context=Context())

    assert asked == ["13800138000"]
    assert all(o.audit.decision is AuditDecision.REVIEW for o in conversion.orders)


@pytest.mark.parametrize(("address", "covered"), [
    ("浙江省杭州市西湖区文三路1号", True), ("某某路1号", None)])
def test_coverage_is_checked_only_for_placed_orders(centre, address, covered) -> None:
    coverage = CoveredCounties.of({"330106"})

    [order] = centre.convert(platform_order(address=address, district=""),
                             coverage=coverage).orders

    assert order.covered is covered


def test_covered_only_client_refuses_an_uncovered_county(centre) -> None:
    [order] = centre.convert(platform_order(), coverage=CoveredCounties.of({"110105"})).orders

    assert order.covered is False
    reason = coverage_refusal(ClientPolicy(name="格力", coverage_mode="covered_only"), order)
    assert reason is not None and "330106" in reason and "不在服务网络覆盖范围内" in reason
    assert coverage_refusal(ClientPolicy(), order) is None


def test_cancel_keeps_every_visit_and_is_not_audited(centre) -> None:
    cancel = platform_order(AIRCON, replace(HOOD, refunded=True), intent=Intent.CANCEL,
                            paid_fen=0)

    conversion = centre.convert(cancel, ClientPolicy(audit_mode="manual"))

    assert [(o.trade, o.intent) for o in conversion.orders] == [
        ("aircon", Intent.CANCEL), ("kitchen", Intent.CANCEL)]
    assert all(o.audit.decision is AuditDecision.PASS and not o.audit.flags
               for o in conversion.orders)


def test_refund_says_what_happens_to_each_visit(centre) -> None:
    pipe = PlatformLine("AC-PIPE", "空调加长铜管 1米", 2, 120_00, refunded=True)
    refund = platform_order(AIRCON, pipe, replace(HOOD, refunded=True), intent=Intent.REFUND)

    conversion = centre.convert(refund)

    assert [(o.trade, o.extra["refund"], len(o.lines)) for o in conversion.orders] == [
        ("aircon", "partial", 2), ("kitchen", "full", 1)]


def test_refund_without_line_marks_refunds_the_whole_order(centre) -> None:
    conversion = centre.convert(platform_order(AIRCON, HOOD, intent=Intent.REFUND))

    assert {o.extra["refund"] for o in conversion.orders} == {"full"}


def test_new_order_drops_refunded_lines(centre) -> None:
    conversion = centre.convert(platform_order(AIRCON, replace(HOOD, refunded=True)))

    assert [o.trade for o in conversion.orders] == ["aircon"]
    assert "已退款" in conversion.dropped[0].reason


def test_to_wire_carries_everything_the_preview_shows(centre) -> None:
    conversion = centre.convert(platform_order(AIRCON, HOOD, MUG, paid_fen=50),
                                coverage=CoveredCounties.of({"330106"}))

    wire = to_wire(conversion)

    assert [type(o) for o in wire] == [ConvertedOrderOut, ConvertedOrderOut]
    first = wire[0].model_dump(mode="json")
    assert first["trade"] == "aircon" and first["intent"] == "new"
    assert first["placement"]["adcode"] == "330106" and first["covered"] is True
    assert first["items"] == [{"sku": "AC-KFR35", "name": "空调挂机 1.5匹 KFR-35GW",
                               "quantity": 1, "unit_price_fen": 2899_00}]
    assert first["dropped"][0]["sku"] == "GF-MUG" and "赠品" in first["dropped"][0]["reason"]
    assert first["audit_decision"] == "review" and first["audit_flags"][0]["code"] == "token_price"
    assert first["service_type"] == "install" and first["skills"] == ["aircon"]


def test_region_standard_goes_on_the_wire_as_a_dict() -> None:
    standard = RegionStandard("330106", fee_level="premium")

    assert standard.as_dict() == {"adcode": "330106", "accept_minutes": 30, "appoint_hours": 24,
                                  "visit_hours": 72, "fee_level": "premium",
                                  "urge_after_minutes": 60}


SKUS = [e.sku for e in load_catalogue()] + ["NEW-1"]
line_lists = st.lists(st.builds(
    PlatformLine, sku=st.sampled_from(SKUS), name=st.sampled_from(["空调", "净水器", "杯子"]),
    quantity=st.integers(0, 999), unit_price_fen=st.integers(0, 10**7),
    gift=st.booleans(), refunded=st.booleans(),
    service_tags=st.lists(st.sampled_from(["安装", "维修", "回访", "加急"]), max_size=2).map(
        tuple)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(lines=line_lists, intent=st.sampled_from(Intent), paid=st.none() | st.integers(0, 10**8))
def test_every_line_is_accounted_for_and_every_order_is_complete(lines, intent, paid) -> None:
    centre = ConversionCentre(load_catalogue(), FakeLocator())

    conversion = centre.convert(platform_order(*lines, intent=intent, paid_fen=paid)
                                if lines else platform_order(intent=intent, paid_fen=paid))

    source_lines = conversion.source.lines
    kept = [ln for o in conversion.orders for ln in o.lines]
    assert sorted(map(id, kept + [d.line for d in conversion.dropped])) == sorted(
        map(id, source_lines))
    for order in conversion.orders:
        assert order.service_type is not None and order.skills and order.classify_note
        assert 0 <= order.audit.score <= 100 and order.split_note
    assert len(to_wire(conversion)) == len(conversion.orders)


def test_default_centre_places_with_the_real_locator_and_flags_the_unplaceable() -> None:
    centre = default_centre()
    chaoyang = platform_order(AIRCON, HOOD, address="朝阳区建国路88号", province="吉林省",
                              city="长春市", district="")
    mars = platform_order(address="火星基地1号", province="", city="", district="")

    placed, unplaced = centre.convert(chaoyang), centre.convert(mars)

    assert default_centre() is centre
    assert {o.placement.adcode for o in placed.orders} == {"220104"}
    assert all(not o.audit.flags for o in placed.orders)
    [lost] = unplaced.orders
    assert lost.placement.adcode is None and lost.audit.flags[0].code == "unplaceable"


def _demo_platform_orders(platform: str, n: int) -> list[tuple[OrderCreate, PlatformOrder]]:
    regions = load_regions()
    pairs: list[tuple[OrderCreate, PlatformOrder]] = []
    for o in build(seed=3, orders=400, history=False).orders:
        if o.platform != platform or len(pairs) == n:
            continue
        county = regions.get(o.county_adcode or "")
        lines = tuple(PlatformLine(i.sku, i.name, i.quantity, i.unit_price_fen, line_id=str(k))
                      for k, i in enumerate(o.items, start=1))
        pairs.append((o, PlatformOrder(
            platform, o.platform_order_id, Intent.NEW, o.customer_name, o.customer_phone,
            o.address, o.province, o.city, county.name if county else "", lines=lines,
            paid_fen=sum(ln.quantity * ln.unit_price_fen for ln in lines),
            service_tags=(SERVICE_LABELS[o.service_type],) if o.service_type else ())))
    return pairs


@pytest.mark.parametrize("platform", ["tmall", "taobao", "jd", "suning", "erp", "own"])
def test_demo_orders_of_every_platform_convert_cleanly(platform) -> None:
    render = importlib.import_module(f"core.demo.platforms.{platform}").render
    pairs = _demo_platform_orders(platform, 25)
    body, content_type = render([order for _, order in pairs])

    results = read(get_adapter(platform), body, content_type)

    assert len(results) == len(pairs)
    for (demo, _), (_, parsed) in zip(pairs, results, strict=True):
        assert isinstance(parsed, PlatformOrder), parsed
        [order] = default_centre().convert(parsed).orders
        assert order.placement.adcode == demo.county_adcode, order.placement
        assert order.audit.flags == () and order.audit.decision is AuditDecision.PASS
        assert set(order.skills) <= set(demo.skills) and order.trade in demo.skills
