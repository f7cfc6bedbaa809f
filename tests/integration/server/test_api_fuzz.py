"""Schemathesis against the whole API: no generated request, however odd, is a server error.

Before issue 9 it found three kinds of 500 (or a 503 wrongly saying the database was down):
ids and numbers beyond 64 bits, forged queue cursors and a NUL in a search. The schema comes
from the app itself, the database is the seeded demo world, and every request carries an
admin's token. Each operation gets a few derandomised examples that fit its schema and a few
that break it, so the run is repeatable and takes seconds.

(Schemathesis's `from_fixture` loader reads a pytest attribute that pytest 9 no longer has, so
the operations are driven from here with the same strategies and check.)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import schemathesis
from api_tokens import token_login
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.strategies import SearchStrategy
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from sqlalchemy import Engine

from core.demo.dataset import DemoDataset
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.storage.db import make_engine

EXAMPLES = 5
# The live stream never ends; signing out would end the run's own token.
SKIPPED = ("/v1/changes/stream", "/v1/auth/logout")
Cases = dict[str, list[schemathesis.Case]]


@functools.cache
def generated_cases() -> Cases:
    """The derandomised examples per operation and mode, drawn once per process.

    The schema and so the draws are the same whatever the database (drawing is about half the
    run's time): both databases' tests send the same requests. The schema is read from an app
    on an empty in-memory database; each test sends the cases to its own app.
    """
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(make_engine("sqlite://"), poll_seconds=3600))
    cases: Cases = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIPPED:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                drawn = _draw(operation.as_strategy(generation_mode=mode))
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing in it that could be wrong
                drawn = []
            cases[f"{operation.label} ({mode.value})"] = drawn
    return cases


def _draw(strategy: SearchStrategy[schemathesis.Case]) -> list[schemathesis.Case]:
    drawn = []

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def draw(case: schemathesis.Case) -> None:
        drawn.append(case)

    draw()
    return drawn


def test_no_generated_request_is_a_server_error(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    seed_demo(engine, make_dataset())
    app = create_app(engine, poll_seconds=3600)
    headers = token_login(engine)("admin")
    cases = generated_cases()
    failures: dict[str, str] = {}
    for label, drawn in cases.items():
        for case in drawn:
            try:
                case.call_and_validate(headers=headers, checks=[not_a_server_error], app=app)
            except (Exception, FailureGroup) as exc:  # a 5xx, or an error the client re-raised
                failures[label] = f"{exc!r}"[:600]
                break
    operations = len({label.rsplit(" (", 1)[0] for label in cases})
    assert operations > 40  # the whole API was reached, not a filtered few
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
