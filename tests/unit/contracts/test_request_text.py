"""Every request the API takes obeys the one text rule and bounds its text: each route's body
is a `Checked` schema, every reason is a `Reason` (or `OptionalReason`), and every string and
list of strings has a maximum size, so no request can carry unbounded or control-laden text."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import create_engine

import core.contracts
from core.contracts.fields import Checked
from core.contracts.intake import BlacklistEntryIn, RetryRequest
from core.contracts.orders import ActionRequest
from core.contracts.people import LoginRequest
from core.server.app import create_app


def _contract_modules() -> Iterator[ModuleType]:
    """core.contracts and every module under it (a new feature's schemas included unnamed)."""
    yield core.contracts
    for found in pkgutil.walk_packages(core.contracts.__path__, "core.contracts."):
        yield importlib.import_module(found.name)


def _body_models() -> dict[str, type[BaseModel]]:
    """Each route's JSON body schema, found through the API's own OpenAPI description."""
    known = {name: value for module in _contract_modules()
             for name, value in vars(module).items()
             if isinstance(value, type) and issubclass(value, BaseModel)}
    spec = create_app(create_engine("sqlite://")).openapi()
    models: dict[str, type[BaseModel]] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                models[f"{method.upper()} {path}"] = known[ref.rsplit("/", 1)[-1]]
    return models


BODIES = _body_models()


def test_the_api_has_request_bodies_to_check() -> None:
    assert len(BODIES) >= 10


@pytest.mark.parametrize("route", sorted(BODIES))
def test_every_route_body_is_a_checked_schema(route: str) -> None:
    assert issubclass(BODIES[route], Checked), route


def _nodes(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    defs = schema.get("$defs", {})
    stack: list[tuple[str, Any]] = [("", schema)]
    seen: set[str] = set()
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in seen:
                    seen.add(name)
                    stack.append((name, defs[name]))
                continue
            yield path, node
            for key, value in node.items():
                if key != "$defs":
                    stack.append((f"{path}.{key}", value))
        elif isinstance(node, list):
            stack.extend((path, value) for value in node)


@pytest.mark.parametrize("route", sorted(BODIES))
def test_every_text_and_list_of_a_request_is_bounded(route: str) -> None:
    schema = BODIES[route].model_json_schema()
    for path, node in _nodes(schema):
        if node.get("type") == "string" and "enum" not in node and "format" not in node:
            assert "maxLength" in node or "pattern" in node, (route, path)
        if node.get("type") == "array":
            assert "maxItems" in node, (route, path)


def test_every_reason_needs_visible_text() -> None:
    for route, model in BODIES.items():
        if "reason" in model.model_fields:
            with pytest.raises(ValidationError) as caught:
                model.model_validate({"reason": "\u200b"})
            assert any(e["loc"] == ("reason",) for e in caught.value.errors()), route


@pytest.mark.parametrize(("model", "data", "field"), [
    (LoginRequest, {"username": "agent\x00", "password": "demo"}, "username"),
    (ActionRequest, {"action": "audit\x1b", "version": 1}, "action"),
    (ActionRequest, {"action": "mark", "version": 1, "tags": ["vip\u202e"]}, "tags"),
    (BlacklistEntryIn, {"phone": "138\n", "reason": "刷单"}, "phone"),
    (RetryRequest, {"payload": '{"a": "\x00"}'}, "payload"),
])
def test_a_checked_field_names_itself(model: type[BaseModel], data: dict[str, Any],
                                      field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)

    assert caught.value.errors()[0]["loc"][0] == field


def test_passwords_and_payload_lines_are_taken_as_sent() -> None:
    assert LoginRequest(username="agent", password="p\x00\tw").password == "p\x00\tw"
    assert RetryRequest(payload='{\r\n\t"a": 1\r\n}').payload == '{\r\n\t"a": 1\r\n}'
