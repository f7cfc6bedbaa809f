"""The three ways in, end to end: a signed webhook, a file imported from the console, and an ERP
export dropped in the inbox folder all become service orders the console sees; a payload that
cannot be used waits as a dead letter until an agent fixes and retries it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from e2e_support import Backend, Console
from support.waiting import eventually

from core.contracts.intake import MessageStatus, Outcome
from core.demo.arrivals import demo_secret
from core.demo.platforms import erp, own, tmall
from core.intake.model import Intent, PlatformLine, PlatformOrder

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def sale(platform: str, order_id: str, **fields: object) -> PlatformOrder:
    base = dict(
        platform=platform, platform_order_id=order_id, intent=Intent.NEW,
        customer_name="王芳", customer_phone="13912345678", address="文三路 90 号 3 幢 502 室",
        province="浙江省", city="杭州市", district="西湖区",
        lines=(PlatformLine(sku="AC-KFR35", name="空调挂机 1.5匹 KFR-35GW", quantity=1,
                            unit_price_fen=289900, line_id=f"{order_id}-1"),),
        paid_fen=289900, ordered_at=NOW, modified_at=NOW, shop=f"demo-{platform}",
        service_tags=("安装",),
    )
    base.update(fields)
    return PlatformOrder(**base)  # type: ignore[arg-type]


@pytest.fixture
def inbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "erp-inbox"
    folder.mkdir()
    # The backend process inherits these: it polls the folder twice a second.
    monkeypatch.setenv("LASTMILE_ERP_INBOX", str(folder))
    monkeypatch.setenv("LASTMILE_POLL_SECONDS", "0.5")
    return folder


async def test_webhook_file_and_folder_all_reach_the_console(
        inbox: Path, backend: Backend) -> None:
    agent = await Console(backend.url).sign_in("agent")
    try:
        before = set(agent.store.rows)

        # 1. a Tmall work card pushed to the webhook, signed as Tmall signs it
        body, content_type = tmall.render([sale("tmall", "900000000000000001")])
        signed = tmall.signed(body, demo_secret("tmall"), datetime.now(UTC))
        async with httpx.AsyncClient(base_url=backend.url) as http:
            response = await http.post(
                "/v1/intake/tmall", params=dict(signed.query), content=signed.body,
                headers={**signed.headers, "content-type": content_type})
        assert response.status_code == 200, response.text
        (webhook,) = response.json()["outcomes"]
        assert webhook["outcome"] == Outcome.CREATED

        # 2. a file chosen in the console: preview first (nothing stored), then import
        body, content_type = own.render([sale("own", "SHOP-E2E-1")])
        preview = await agent.client.preview_import("own", body, content_type, "orders.json")
        assert [(r.ok, r.platform_order_id) for r in preview.rows] == [(True, "SHOP-E2E-1")]
        receipt = await agent.client.import_file("own", body, content_type, "orders.json")
        (imported,) = receipt.outcomes

        # 3. an ERP export dropped in the inbox folder, picked up by the poller
        body, _ = erp.render([sale("erp", "ERP-E2E-1", province="北京市", city="北京市",
                                   district="朝阳区", address="建国路 88 号")])
        (inbox / "export-1.csv").write_bytes(body)

        created = {webhook["order_ids"][0], imported.order_ids[0]}
        await eventually(lambda: created <= set(agent.store.rows), timeout=15)
        await eventually(lambda: len(set(agent.store.rows) - before) >= 3, timeout=30)
        new_rows = [agent.store.rows[i] for i in set(agent.store.rows) - before]
        assert {r.platform for r in new_rows} == {"tmall", "own", "erp"}
        by_platform = {r.platform: r for r in new_rows}
        assert by_platform["tmall"].county_adcode == "330106"  # 西湖区, from the work card
        assert by_platform["erp"].county_adcode == "110105"  # 朝阳区 in Beijing, not Changchun

        channels = {m.platform: m.channel for m in (await agent.client.intake_messages()).rows}
        assert channels == {"tmall": "webhook", "own": "file", "erp": "poll"}
        origin = await agent.client.order_origin(by_platform["tmall"].id)
        assert origin is not None and origin.platform_order_ids == ["900000000000000001"]
    finally:
        await agent.close()


async def test_a_dead_letter_is_fixed_and_retried_from_the_console(backend: Backend) -> None:
    agent = await Console(backend.url).sign_in("agent")
    try:
        broken = json.dumps({**json.loads(own.render([sale("own", "SHOP-E2E-2")])[0]),
                             "customer_phone": ""}, ensure_ascii=False)
        receipt = await agent.client.import_file("own", broken.encode(), "application/json",
                                                 "broken.json")
        (dead,) = receipt.outcomes
        assert dead.outcome == Outcome.DEAD and dead.field == "customer_phone"

        (letter,) = (await agent.client.intake_messages(status="dead")).rows
        assert json.loads(letter.payload) == json.loads(broken)  # the record, kept whole
        fixed = letter.payload.replace('"customer_phone":""', '"customer_phone":"13912345678"')
        assert fixed != letter.payload
        retried = await agent.client.retry_message(letter.id, fixed)
        (outcome,) = retried.outcomes
        assert outcome.outcome == Outcome.CREATED

        await eventually(lambda: outcome.order_ids[0] in agent.store.rows, timeout=10)
        old = await agent.client.intake_message(letter.id)
        assert old.status == MessageStatus.RETRIED and old.retried_as is not None
    finally:
        await agent.close()
