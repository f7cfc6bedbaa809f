"""Fixtures for the conversion centre on SQLite and PostgreSQL: a seeded world, the API."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from intake_support import NOW, OWN_SECRET, Post, PostSigned, SetPolicy, Take, payload
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import Channel, IntakeReceipt
from core.demo.dataset import DemoDataset
from core.demo.seed import DEMO_INTAKE_SECRETS
from core.intake.adapters._lastmile import signed_headers
from core.services.intake.commands import Ingest
from core.services.intake.ingest import handle_ingest
from core.storage.tables import ClientRecord
from core.storage.uow import UnitOfWork


@pytest.fixture
def world_dataset(make_dataset: Callable[..., DemoDataset]) -> DemoDataset:
    """The demo's intake setup (sources, clients, regions), no orders."""
    return make_dataset(orders=0)


@pytest.fixture
def take(world: Engine) -> Take:
    """take(records, at=NOW, platform="own", channel=WEBHOOK) -> receipt, through the handler
    on a clock standing at `at`."""

    def run(records: dict[str, Any] | list[dict[str, Any]] | bytes, at: datetime = NOW,
            platform: str = "own", channel: Channel = Channel.WEBHOOK) -> IntakeReceipt:
        body = records if isinstance(records, bytes) else payload(records)
        uow = UnitOfWork(world, clock=SimulatedClock(at))
        return handle_ingest(Ingest(platform, body, "application/json", channel), uow)

    return run


@pytest.fixture
def set_policy(world: Engine) -> SetPolicy:
    """set_policy(platform="own", audit_mode=..., coverage_mode=..., merge_window_minutes=...)."""

    def change(platform: str = "own", **values: Any) -> None:
        with Session(world) as session, session.begin():
            session.execute(update(ClientRecord)
                            .where(ClientRecord.code == f"demo-{platform}").values(**values))

    return change


@pytest.fixture
def post_own(api: TestClient) -> Post:
    """post_own(records, secret=OWN_SECRET) -> the webhook's response, signed like the shop."""

    def post(records: dict[str, Any] | list[dict[str, Any]] | bytes,
             secret: str | None = OWN_SECRET) -> Response:
        body = records if isinstance(records, bytes) else payload(records)
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers.update(signed_headers(body, secret, datetime.now(UTC)))
        return api.post("/v1/intake/own", content=body, headers=headers)

    return post


@pytest.fixture
def post_signed(api: TestClient) -> PostSigned:
    """post_signed(platform, body) -> the webhook's response, signed now as the platform signs
    (the demo renderers' signing)."""

    def post(platform: str, body: bytes) -> Response:
        renderer = importlib.import_module(f"core.demo.platforms.{platform}")
        signed = renderer.signed(body, DEMO_INTAKE_SECRETS[platform], datetime.now(UTC))
        return api.post(f"/v1/intake/{platform}", params=dict(signed.query), content=body,
                        headers={"content-type": "application/json;charset=utf-8",
                                 **dict(signed.headers)})

    return post
