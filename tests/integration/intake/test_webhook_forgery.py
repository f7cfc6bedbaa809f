"""Forged, replayed and ambiguous webhooks, sent as an attacker would: refused, nothing kept.

Each platform's correctly signed push still passes (test_intake_platforms); here every request
is one an attacker can make from a captured, correctly signed one.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.demo.platforms import jd as jd_demo
from core.demo.platforms import suning as suning_demo
from core.demo.platforms import taobao as taobao_demo
from core.demo.platforms import tmall as tmall_demo
from core.demo.platforms.jd import beijing
from core.demo.seed import DEMO_INTAKE_SECRETS
from core.intake.adapters import _lastmile, _top
from core.intake.adapters.jd import PARAM_JSON, jd_sign
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest
from core.storage.tables import IntakeMessageRecord, OrderRecord

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TOP = {"tmall": tmall_demo, "taobao": taobao_demo}
WINDOW_PAST = timedelta(minutes=11)


def now() -> datetime:
    return datetime.now(UTC)


def renderer(platform: str) -> ModuleType:
    return importlib.import_module(f"core.demo.platforms.{platform}")


def order(platform: str, poid: str, phone: str = "13700000001") -> PlatformOrder:
    return PlatformOrder(
        platform=platform, platform_order_id=poid, intent=Intent.NEW, customer_name="赵六",
        customer_phone=phone, address="北京市朝阳区建国路1号", province="北京市",
        city="北京市", district="朝阳区", shop=f"demo-{platform}",
        lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900, line_id="1",
                            service_tags=("安装",)),),
        paid_fen=289900, ordered_at=now() - timedelta(minutes=5), modified_at=now(),
        service_tags=("安装",))


def stored(engine: Engine) -> tuple[int, int]:
    """(intake messages, orders) in the database."""
    with Session(engine) as session:
        return (int(session.scalar(select(func.count()).select_from(IntakeMessageRecord)) or 0),
                int(session.scalar(select(func.count()).select_from(OrderRecord)) or 0))


def post(api: TestClient, platform: str, body: bytes, params: Any,
         headers: Any) -> Response:
    return api.post(f"/v1/intake/{platform}", params=params, content=body, headers=headers)


def send(api: TestClient, platform: str, signed: SignedRequest,
         content_type: str = JSON) -> Response:
    return post(api, platform, signed.body, dict(signed.query),
                {**signed.headers, "content-type": content_type})


# -- JD: the bytes ingested are the bytes signed ---------------------------------------------

def jd_query_copy(body: bytes, at: datetime) -> dict[str, str]:
    """A JD push whose business JSON travels in the query, signed there."""
    query = {"method": "jingdong.pop.order.get", "app_key": jd_demo.APP_KEY, "v": "2.0",
             "timestamp": beijing(at), PARAM_JSON: body.decode("utf-8")}
    return {**query, "sign": jd_sign(query, DEMO_INTAKE_SECRETS["jd"])}


def test_jd_json_signed_in_the_query_is_what_is_taken(api: TestClient, world: Engine) -> None:
    body, _ = jd_demo.render([order("jd", "300000000001")])

    response = post(api, "jd", b"", jd_query_copy(body, now()), {"content-type": JSON})

    assert response.status_code == 200, response.text
    (outcome,) = response.json()["outcomes"]
    assert (outcome["platform_order_id"], outcome["outcome"]) == ("300000000001", "created")


def test_jd_a_body_beside_a_signed_query_copy_is_refused(api: TestClient, world: Engine) -> None:
    signed, _ = jd_demo.render([order("jd", "300000000001")])
    forged, _ = jd_demo.render([order("jd", "300000000666", phone="13900000666")])

    response = post(api, "jd", forged, jd_query_copy(signed, now()), {"content-type": JSON})

    assert response.status_code == 401
    assert stored(world) == (0, 0)


# -- TOP (Tmall / Taobao): one reading of the body ---------------------------------------------

def top_query(at: datetime, platform: str, *, timestamp: bool = True) -> dict[str, str]:
    """A TOP push's system parameters, signed without any body."""
    query = {"app_key": _top.DEMO_APP_KEY, "format": "json", "v": "2.0", "sign_method": "md5"}
    if timestamp:
        query["timestamp"] = _top.beijing(at)
    return {**query, "sign": _top.sign(query, None, DEMO_INTAKE_SECRETS[platform])}


@pytest.mark.parametrize("platform", sorted(TOP))
def test_top_a_json_body_posted_as_a_form_under_a_bodiless_signature_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    # As a form, the JSON text is one field name with an empty value, which TOP's sign drops.
    body, _ = TOP[platform].render([order(platform, "3100000000000001")])
    query = top_query(now(), platform)

    as_form = post(api, platform, body, query, {"content-type": FORM})
    as_json = post(api, platform, body, query, {"content-type": JSON})

    assert as_form.status_code == 415
    assert as_form.headers["content-type"] == "application/problem+json"
    assert as_json.status_code == 401
    assert stored(world) == (0, 0)


@pytest.mark.parametrize("platform", sorted(TOP))
def test_top_a_form_signed_over_its_fields_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    fields = {"topic": "tmall_fuwu_WorkcardInfo", "content": '{"result": "{}"}', "memo": ""}
    query = {"app_key": _top.DEMO_APP_KEY, "sign_method": "md5", "timestamp": _top.beijing(now())}
    query["sign"] = _top.sign({**query, **fields}, None, DEMO_INTAKE_SECRETS[platform])

    response = api.post(f"/v1/intake/{platform}", params=query, data=fields)

    assert response.status_code == 415
    assert stored(world) == (0, 0)


@pytest.mark.parametrize("platform", sorted(TOP))
def test_top_a_repeated_json_key_is_refused_and_makes_no_order(
    platform: str, api: TestClient, world: Engine
) -> None:
    body, _ = TOP[platform].render([order(platform, "3100000000000001")])
    first = next(iter(json.loads(body)))
    twice = b'{"' + first.encode() + b'": null, ' + body.lstrip()[1:]
    signed = _top.signed_request(twice, DEMO_INTAKE_SECRETS[platform], now(), "md5")

    response = send(api, platform, signed)

    assert response.status_code == 422, response.text
    assert "duplicate key" in response.json()["detail"]
    # Signed by the platform, so kept as it arrived for an agent: a dead letter, no order.
    assert stored(world) == (1, 0)


@pytest.mark.parametrize(("platform", "name"), [
    ("tmall", "timestamp"), ("taobao", "sign"), ("jd", "timestamp"), ("jd", PARAM_JSON),
])
def test_a_repeated_query_parameter_is_refused(
    platform: str, name: str, api: TestClient, world: Engine
) -> None:
    body, _ = renderer(platform).render([order(platform, "3100000000000001")])
    if platform == "jd":  # the business JSON signed in the query, the body empty
        query, body = jd_query_copy(body, now()), b""
    else:
        query = dict(_top.signed_request(body, DEMO_INTAKE_SECRETS[platform], now(),
                                         "md5").query)
    other = {"timestamp": beijing(now() - timedelta(hours=1)), "sign": "0" * 32,
             PARAM_JSON: "{}"}[name]

    response = post(api, platform, body, [*query.items(), (name, other)],
                    {"content-type": JSON})

    assert response.status_code == 400
    assert name in response.json()["detail"]
    assert stored(world) == (0, 0)


# -- Suning: the signed time is the signed header ------------------------------------------------

def test_suning_a_stale_signed_header_with_a_fresh_query_timestamp_is_refused(
    api: TestClient, world: Engine
) -> None:
    body, _ = suning_demo.render([order("suning", "SN00000000000001")])
    captured = suning_demo.signed(body, DEMO_INTAKE_SECRETS["suning"], now() - timedelta(hours=1))

    response = post(api, "suning", body, {"timestamp": beijing(now())},
                    {**captured.headers, "content-type": JSON})

    assert response.status_code == 401
    assert "10-minute window" in response.json()["detail"]
    assert stored(world) == (0, 0)


@pytest.mark.parametrize(("platform", "header"), [
    ("suning", "apprequesttime"), ("own", _lastmile.TIMESTAMP_HEADER),
    ("erp", _lastmile.SIGNATURE_HEADER), ("own", "content-type"),
])
def test_a_repeated_signed_header_is_refused(
    platform: str, header: str, api: TestClient, world: Engine
) -> None:
    module = renderer(platform)
    body, content_type = module.render([order(platform, "SN00000000000001")])
    signed = module.signed(body, DEMO_INTAKE_SECRETS[platform], now())
    headers = {"content-type": content_type, **signed.headers}

    response = post(api, platform, body, dict(signed.query),
                    [*headers.items(), (header, headers[header])])

    assert response.status_code == 400
    assert header in response.json()["detail"]
    assert stored(world) == (0, 0)


# -- a signed time is required, and only a signed one counts ------------------------------------

@pytest.mark.parametrize("platform", ["tmall", "taobao", "jd"])
def test_a_push_signed_without_a_time_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    body, _ = renderer(platform).render([order(platform, "3100000000000001")])
    secret = DEMO_INTAKE_SECRETS[platform]
    if platform == "jd":
        query = {"method": "jingdong.pop.order.get", "app_key": jd_demo.APP_KEY, "v": "2.0"}
        query["sign"] = jd_sign({**query, PARAM_JSON: body.decode()}, secret)
    else:
        query = {"app_key": _top.DEMO_APP_KEY, "sign_method": "md5"}
        query["sign"] = _top.sign(query, body.decode(), secret)

    response = post(api, platform, body, query, {"content-type": JSON})

    assert response.status_code == 401
    assert "no signed time" in response.json()["detail"]
    assert stored(world) == (0, 0)


@pytest.mark.parametrize("platform", ["erp", "own"])
def test_erp_and_own_a_request_replayed_after_the_window_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    body = _own_or_erp_body(platform)
    captured = _lastmile.signed_headers(body, DEMO_INTAKE_SECRETS[platform], now() - WINDOW_PAST)

    response = post(api, platform, body, {}, {"content-type": JSON, **captured})

    assert response.status_code == 401
    assert "10-minute window" in response.json()["detail"]
    assert stored(world) == (0, 0)


@pytest.mark.parametrize("platform", ["erp", "own"])
def test_erp_and_own_a_fresh_timestamp_on_a_captured_request_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    body = _own_or_erp_body(platform)
    captured = _lastmile.signed_headers(body, DEMO_INTAKE_SECRETS[platform], now() - WINDOW_PAST)
    moved = {**captured, _lastmile.TIMESTAMP_HEADER: _lastmile.stamp(now())}

    response = post(api, platform, body, {}, {"content-type": JSON, **moved})

    assert response.status_code == 401
    assert "signature does not match" in response.json()["detail"]
    assert stored(world) == (0, 0)


@pytest.mark.parametrize("platform", ["erp", "own"])
def test_erp_and_own_a_body_only_signature_without_a_time_is_refused(
    platform: str, api: TestClient, world: Engine
) -> None:
    body = _own_or_erp_body(platform)
    old_style = hmac.new(DEMO_INTAKE_SECRETS[platform].encode(), body,
                         hashlib.sha256).hexdigest()

    response = post(api, platform, body, {}, {"content-type": JSON,
                                              _lastmile.SIGNATURE_HEADER: old_style})

    assert response.status_code == 401
    assert stored(world) == (0, 0)


def _own_or_erp_body(platform: str) -> bytes:
    module = renderer(platform)
    render = module.render_json if platform == "erp" else module.render
    body: bytes = render([order(platform, "ERP202603000001")])[0]
    return body
