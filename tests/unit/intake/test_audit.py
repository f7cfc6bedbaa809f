"""Audit rules for fake orders: each flag's reason and score, and the policy's decision."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.intake.audit import (
    NO_HISTORY,
    AuditSubject,
    audit,
    decide,
    remembering,
)
from core.intake.catalogue import load_catalogue
from core.intake.model import (
    AuditDecision,
    AuditFlag,
    Intent,
    Placement,
    PlatformLine,
    PlatformOrder,
)
from core.intake.policy import ClientPolicy
from core.orders.lifecycle import ServiceType

CATALOGUE = load_catalogue()
PLACED = Placement("330106", "浙江省", "杭州市", "西湖区", 120.1, 30.3, 0.95, "structured")
AIRCON = PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 2899_00)


@dataclass
class History:
    """A fake AuditContext that counts how often it is asked."""

    orders: int = 0
    addresses: int = 0
    listed: str | None = None
    asked: list[str] = field(default_factory=list)

    def orders_for_phone(self, phone: str) -> int:
        self.asked.append("orders")
        return self.orders

    def addresses_for_phone(self, phone: str) -> int:
        self.asked.append("addresses")
        return self.addresses

    def blacklisted(self, phone: str, address: str) -> str | None:
        self.asked.append("blacklisted")
        return self.listed


def order(*lines: PlatformLine, paid: int | None = None, phone: str = "13800138000",
          tags: tuple[str, ...] = ()) -> PlatformOrder:
    return PlatformOrder("own", "SHOP1", Intent.NEW, "张三", phone, "文三路1号",
                         lines=lines or (AIRCON,), paid_fen=paid, service_tags=tags)


def subject(source: PlatformOrder | None = None, *, placement: Placement = PLACED,
            service_type: ServiceType | None = ServiceType.INSTALL, visit=None,
            virtual_fen: int = 0, virtual_names: tuple[str, ...] = ()) -> AuditSubject:
    source = source or order()
    lines = visit if visit is not None else source.lines
    items = tuple((ln, CATALOGUE.entry_for(ln.sku, ln.name)) for ln in lines)
    return AuditSubject(source, placement, items, service_type, virtual_fen, virtual_names)


def codes(verdict) -> list[str]:
    return [f.code for f in verdict.flags]


DEFAULT = ClientPolicy()


def run(sub: AuditSubject, context=NO_HISTORY, policy: ClientPolicy = DEFAULT):
    return audit(sub, context, policy)


def test_a_plain_sale_passes_clean() -> None:
    verdict = run(subject())

    assert verdict.decision is AuditDecision.PASS
    assert (verdict.score, verdict.flags) == (0, ())


@pytest.mark.parametrize("paid", [0, 1, 99])
def test_token_payment_for_a_sale_goes_to_review(paid) -> None:
    verdict = run(subject(order(paid=paid)))

    assert codes(verdict) == ["token_price"]
    assert verdict.decision is AuditDecision.REVIEW
    assert f"实付 0.{paid:02d} 元" in verdict.flags[0].reason


def test_zero_priced_lines_without_a_payment_figure_are_a_token_price() -> None:
    verdict = run(subject(order(replace(AIRCON, unit_price_fen=0))))

    assert codes(verdict) == ["token_price"]


@pytest.mark.parametrize("service_type", [ServiceType.REPAIR, ServiceType.RETURN_VISIT,
                                          ServiceType.AFTER_SALES])
def test_free_repairs_and_return_visits_are_not_token_prices(service_type) -> None:
    free = PlatformLine("AC-KFR35-RV", "空调 安装回访", 1, 0)

    assert run(subject(order(free, paid=0), service_type=service_type)).flags == ()


def test_service_work_card_without_prices_is_not_a_token_price() -> None:
    card = order(replace(AIRCON, unit_price_fen=0), tags=("安装",))

    assert run(subject(card)).flags == ()


def test_unit_far_below_list_price_is_flagged_but_passes_alone() -> None:
    cheap = replace(AIRCON, unit_price_fen=199_00)

    verdict = run(subject(order(cheap)))

    assert codes(verdict) == ["below_list_price"]
    assert "不到目录价 2899.00 元的一成" in verdict.flags[0].reason
    assert verdict.decision is AuditDecision.PASS


def test_fifty_air_conditioners_to_one_home_are_implausible() -> None:
    verdict = run(subject(order(replace(AIRCON, quantity=50))))

    assert codes(verdict) == ["implausible_quantity"]
    assert "数量 50" in verdict.flags[0].reason and verdict.decision is AuditDecision.REVIEW


def test_quantity_counts_the_same_product_over_several_lines() -> None:
    verdict = run(subject(order(replace(AIRCON, quantity=6), replace(AIRCON, quantity=6))))

    assert codes(verdict) == ["implausible_quantity"]


def test_thirty_metres_of_pipe_are_plausible() -> None:
    pipe = PlatformLine("AC-PIPE", "空调加长铜管 1米", 30, 120_00)

    assert run(subject(order(AIRCON, pipe))).flags == ()


def test_unplaceable_address_is_flagged_with_the_locators_note() -> None:
    verdict = run(subject(placement=Placement(None, note="找不到省市区")))

    assert codes(verdict) == ["unplaceable"]
    assert "找不到省市区" in verdict.flags[0].reason


def test_blacklisted_phone_or_address_scores_the_maximum() -> None:
    verdict = run(subject(), History(listed="2025-03 多次刷单"))

    assert codes(verdict) == ["blacklisted"]
    assert verdict.score == 100 and "多次刷单" in verdict.flags[0].reason


@pytest.mark.parametrize(("addresses", "score"), [(2, 0), (3, 20), (4, 20), (5, 45), (9, 45)])
def test_one_phone_ordering_to_many_addresses(addresses, score) -> None:
    verdict = run(subject(), History(addresses=addresses))

    assert verdict.score == score
    if score:
        assert f"{addresses} 个不同地址" in verdict.flags[0].reason


def test_one_phone_with_many_orders() -> None:
    verdict = run(subject(), History(orders=12))

    assert codes(verdict) == ["phone_many_orders"] and "12 笔订单" in verdict.flags[0].reason


def test_mostly_virtual_goods_are_flagged() -> None:
    verdict = run(subject(order(AIRCON), virtual_fen=5000_00, virtual_names=("话费充值 100元",)))

    assert codes(verdict) == ["virtual_goods"] and "话费充值" in verdict.flags[0].reason


def test_a_warranty_card_with_the_appliance_is_fine() -> None:
    assert run(subject(virtual_fen=199_00, virtual_names=("延保卡 3年",))).flags == ()


def test_masked_phone_is_noted_but_passes() -> None:
    verdict = run(subject(order(phone="138****8000")))

    assert codes(verdict) == ["masked_phone"] and verdict.decision is AuditDecision.PASS


def test_manual_policy_reviews_even_a_clean_order() -> None:
    verdict = run(subject(), policy=ClientPolicy(audit_mode="manual"))

    assert verdict.decision is AuditDecision.REVIEW and verdict.score == 0


@pytest.mark.parametrize(("threshold", "decision"), [
    (30, AuditDecision.REVIEW), (31, AuditDecision.PASS)])
def test_auto_pass_reviews_from_the_threshold_on(threshold, decision) -> None:
    flags = [AuditFlag("unplaceable", "x", 30)]

    assert decide(flags, ClientPolicy(review_threshold=threshold)).decision is decision


def test_score_is_capped_at_100() -> None:
    sub = subject(order(replace(AIRCON, quantity=60), paid=0), placement=Placement(None))

    verdict = run(sub, History(listed="刷单", addresses=8, orders=20))

    assert verdict.score == 100 and len(verdict.flags) == 6


def test_remembering_asks_the_context_once_per_question() -> None:
    history = History(addresses=1)
    context = remembering(history)

    for _ in range(3):
        run(subject(), context)

    assert sorted(history.asked) == ["addresses", "blacklisted", "orders"]


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        ClientPolicy(audit_mode="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ClientPolicy(review_threshold=101)


lines = st.lists(st.builds(
    PlatformLine, sku=st.sampled_from([e.sku for e in CATALOGUE] + ["?"]),
    name=st.sampled_from(["空调", "x", "电池"]), quantity=st.integers(0, 999),
    unit_price_fen=st.integers(0, 100_000_000)), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(lines=lines, paid=st.none() | st.integers(0, 10**9), phone=st.sampled_from(
    ["13800138000", "138****8000"]), adcode=st.none() | st.just("330106"),
    history=st.builds(History, orders=st.integers(0, 100), addresses=st.integers(0, 100),
                      listed=st.none() | st.just("黑名单")),
    service_type=st.none() | st.sampled_from(ServiceType), virtual_fen=st.integers(0, 10**8),
    manual=st.booleans(), threshold=st.integers(0, 100))
def test_score_is_within_0_to_100_and_matches_the_decision(
        lines, paid, phone, adcode, history, service_type, virtual_fen, manual,
        threshold) -> None:
    policy = ClientPolicy(audit_mode="manual" if manual else "auto_pass",
                          review_threshold=threshold)
    sub = subject(order(*lines, paid=paid, phone=phone), placement=Placement(adcode),
                  service_type=service_type, virtual_fen=virtual_fen, virtual_names=("x",))

    verdict = run(sub, history, policy)

    assert 0 <= verdict.score <= 100
    assert verdict.score == min(100, sum(f.score for f in verdict.flags))
    assert all(f.reason and 0 < f.score <= 100 for f in verdict.flags)
    review = manual or verdict.score >= threshold
    assert verdict.decision is (AuditDecision.REVIEW if review else AuditDecision.PASS)
