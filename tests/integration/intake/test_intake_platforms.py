"""Every platform's signed webhook, end to end: the demo renderers' payloads become orders."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from intake_support import NOW, Login

from core.demo.seed import DEMO_INTAKE_SECRETS
from core.intake.model import Intent, PlatformLine, PlatformOrder

# The demo clients' audit modes: manual clients hold every order for review.
EXPECTED = {"tmall": "created", "taobao": "review", "jd": "created", "suning": "created",
            "erp": "review", "own": "created"}
PLATFORM_IDS = {"tmall": "3100000000000001", "taobao": "3100000000000002",
                "jd": "300000000001", "suning": "SN00000000000001", "erp": "ERP202603000001",
                "own": "SHOP000000000001"}


def _order(platform: str) -> PlatformOrder:
    return PlatformOrder(
        platform=platform, platform_order_id=PLATFORM_IDS[platform], intent=Intent.NEW,
        customer_name="赵六", customer_phone="13700000001", address="北京市朝阳区建国路1号",
        province="北京市", city="北京市", district="朝阳区", shop=f"demo-{platform}",
        lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900, line_id="1",
                            service_tags=("安装",)),),
        paid_fen=289900, ordered_at=NOW - timedelta(minutes=5), modified_at=NOW,
        service_tags=("安装",))


@pytest.mark.parametrize("platform", sorted(EXPECTED))
def test_a_signed_push_of_every_platform_becomes_a_service_order(
    platform: str, api: TestClient
) -> None:
    renderer = importlib.import_module(f"core.demo.platforms.{platform}")
    body, content_type = renderer.render([_order(platform)])
    signed = renderer.signed(body, DEMO_INTAKE_SECRETS[platform], datetime.now(UTC))

    response = api.post(f"/v1/intake/{platform}", params=dict(signed.query), content=body,
                        headers={"content-type": content_type, **dict(signed.headers)})
    forged = api.post(f"/v1/intake/{platform}", params=dict(signed.query), content=body + b" ",
                      headers={"content-type": content_type, **dict(signed.headers)})

    assert response.status_code == 200, response.text
    (outcome,) = response.json()["outcomes"]
    assert (outcome["platform_order_id"], outcome["outcome"]) == (
        PLATFORM_IDS[platform], EXPECTED[platform])
    assert forged.status_code == 401


@pytest.mark.parametrize("platform", ["tmall", "taobao", "jd", "suning"])
def test_a_signed_request_replayed_after_the_window_is_refused_and_not_kept(
    platform: str, api: TestClient, auth: Login
) -> None:
    renderer = importlib.import_module(f"core.demo.platforms.{platform}")
    body, content_type = renderer.render([_order(platform)])
    captured = renderer.signed(body, DEMO_INTAKE_SECRETS[platform],
                               datetime.now(UTC) - timedelta(minutes=11))

    replayed = api.post(f"/v1/intake/{platform}", params=dict(captured.query), content=body,
                        headers={"content-type": content_type, **dict(captured.headers)})

    assert replayed.status_code == 401
    assert "10-minute window" in replayed.json()["detail"]
    kept = api.get("/v1/intake/messages", params={"platform": platform}, headers=auth("agent"))
    assert kept.json()["rows"] == []
