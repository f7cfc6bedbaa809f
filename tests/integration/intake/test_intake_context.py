"""What the audit and the policies read from the database: history, blacklist, clients, seed."""

from __future__ import annotations

from datetime import timedelta

from intake_support import NOW, Take, own_order
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.demo.seed import DEMO_INTAKE_SECRETS
from core.storage.intake.clients import (
    RegionCoverage,
    SqlAuditContext,
    client_policy,
    webhook_secret,
)
from core.storage.tables import ClientRecord, ServiceRegionRecord

PHONE = "13812345678"


def test_history_counts_a_phones_recent_orders_and_distinct_addresses(
    take: Take, world: Engine
) -> None:
    take(own_order("SHOP1"), at=NOW - timedelta(days=40))  # too old to count
    take(own_order("SHOP2"), at=NOW - timedelta(days=3))
    take(own_order("SHOP3", address="北京市朝阳区 建国路88号"), at=NOW - timedelta(days=2))
    take(own_order("SHOP4", address="上海市黄浦区南京东路1号"), at=NOW - timedelta(days=1))

    with Session(world) as session:
        context = SqlAuditContext(session, NOW)
        excluding = SqlAuditContext(session, NOW, "own", "SHOP4")
        counts = (context.orders_for_phone(PHONE), context.addresses_for_phone(PHONE),
                  excluding.orders_for_phone(PHONE), context.orders_for_phone("13900000000"))

    # The same address written with a space is one address.
    assert counts == (3, 2, 2, 0)


def test_the_blacklist_matches_a_phone_or_a_listed_address_within_an_order_address(
    world: Engine
) -> None:
    with Session(world) as session:
        context = SqlAuditContext(session, NOW)
        found = (context.blacklisted("+86 130 0000 0000", "北京市朝阳区建国路88号"),
                 context.blacklisted(PHONE, "上海市黄浦区测试路1号302室"),
                 context.blacklisted(PHONE, "北京市朝阳区建国路88号"))

    assert found == ("历史刷单手机号", "刷单常用收货地址", None)


def test_the_demo_seed_configures_intake(world: Engine) -> None:
    with Session(world) as session:
        clients = {c.code: c for c in session.scalars(select(ClientRecord))}
        regions = {r.county_adcode for r in session.scalars(select(ServiceRegionRecord))}
        secrets = {p: webhook_secret(session, p) for p in DEMO_INTAKE_SECRETS}
        coverage = RegionCoverage(session)
        standard = coverage.standard("110108")

    modes = {(c.audit_mode, c.coverage_mode) for c in clients.values()}
    assert {("auto_pass", "accept_all"), ("manual", "covered_only")} <= modes
    assert all(clients[f"demo-{p}"].shops == [f"demo-{p}"] for p in DEMO_INTAKE_SECRETS)
    assert regions == {"110105", "110108", "310101"}
    assert secrets == DEMO_INTAKE_SECRETS
    assert coverage.covers("110105") and not coverage.covers("330106")
    assert standard is not None and standard.fee_level == "standard"


def test_the_client_is_chosen_by_shop_then_by_source(world: Engine) -> None:
    with Session(world) as session:
        by_shop = client_policy(session, "own", "demo-taobao")
        by_source = client_policy(session, "own", "some other shop")
        by_file = client_policy(session, "jd", "", source="file:orders.json")
        unknown = client_policy(session, "nowhere", "")

    assert by_shop.code == "demo-taobao" and by_shop.audit_mode == "manual"
    assert by_source.code == "demo-own"
    assert (by_file.code, by_file.coverage_mode) == ("demo-jd", "covered_only")
    assert unknown.code == "default"
